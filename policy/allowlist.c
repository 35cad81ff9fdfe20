/* The allowlist model: entries, the path glob, and the decisions run makes
 * with them. Allowed = matched by "learned" or "add" (an init-only entry
 * only while initialising) and not matched by "remove". Pure. */
#include "policy/allowlist.h"
#include "common/array.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const kind_names[] = {
	[FNG_AL_READ] = "files.read", [FNG_AL_WRITE] = "files.write", [FNG_AL_EXEC] = "exec",
	[FNG_AL_HOST] = "hosts",      [FNG_AL_IP] = "ips",	      [FNG_AL_DNS] = "dns",
};

const char *fng_al_kind_name(enum fng_al_kind k)
{
	return (unsigned)k < FNG_AL_KINDS ? kind_names[k] : "?";
}

static bool is_doublestar(const char *p, bool at_start)
{
	return at_start && p[0] == '*' && p[1] == '*' && (p[2] == '/' || p[2] == '\0');
}

static bool glob(const char *p, const char *s, bool at_start)
{
	while (*p) {
		if (is_doublestar(p, at_start)) {
			const char *rest = p + 3;
			if (p[2] == '\0')
				return true; /* everything below */
			if (glob(rest, s, true))
				return true; /* zero components */
			for (; *s; s++)
				if (*s == '/' && glob(rest, s + 1, true))
					return true;
			return false;
		}
		if (p[0] == '/' && !*s && is_doublestar(p + 1, true) && p[3] == '\0')
			return true; /* a trailing slash-"**" matches the directory itself */
		if (*p == '*') {
			while (*p == '*')
				p++;
			for (;; s++) {
				if (glob(p, s, false))
					return true;
				if (!*s || *s == '/')
					return false;
			}
		}
		if (!*s)
			return false;
		if (*p == '?' ? *s == '/' : *p != *s)
			return false;
		at_start = *p == '/';
		p++;
		s++;
	}
	return !*s;
}

bool fng_glob_match(const char *pattern, const char *path)
{
	return glob(pattern, path, true);
}

static int parse_hex_id(const char *hex, struct fng_build_id *id)
{
	char buf[2 * FNG_POLICY_BUILD_ID_MAX + 16];

	if (strlen(hex) > 2 * FNG_POLICY_BUILD_ID_MAX)
		return -EINVAL;
	strcpy(buf, "build-id:");
	strcat(buf, hex);
	return fng_build_id_parse(buf, id);
}

int fng_al_list_add(struct fng_al_list *l, enum fng_al_kind k, const char *text, bool init_only,
		    const char *build_id, const char **why)
{
	struct fng_al_entry e = { .init_only = init_only };
	struct fng_al_entry *nv;
	int r;

	switch (k) {
	case FNG_AL_READ:
	case FNG_AL_WRITE:
	case FNG_AL_EXEC:
		if (text[0] != '/') {
			*why = "expected an absolute path or pattern";
			return -EINVAL;
		}
		if (build_id && (k != FNG_AL_EXEC || parse_hex_id(build_id, &e.id) < 0)) {
			*why = "a build_id is 2 to 64 hexadecimal digits, an even number of them";
			return -EINVAL;
		}
		break;
	case FNG_AL_HOST:
	case FNG_AL_DNS:
		r = fng_hostrule_parse(text, &e.host, why);
		if (r < 0)
			return r;
		if (k == FNG_AL_DNS && e.host.port) {
			free(e.host.name);
			*why = "a DNS name has no port";
			return -EINVAL;
		}
		break;
	case FNG_AL_IP: {
		const char *w = NULL;
		if (fng_netrule_parse(text, &e.net, &w) < 0) {
			*why = w ? w : "expected an IP address or CIDR, with an optional :port";
			return -EINVAL;
		}
		break;
	}
	default:
		return -EINVAL;
	}
	e.text = strdup(text);
	nv = e.text ? FNG_PUSH(l->v, l->n) : NULL;
	if (!nv) {
		free(e.text);
		free(e.host.name);
		return -ENOMEM;
	}
	*nv = e;
	return 0;
}

void fng_al_set_free(struct fng_al_set *s)
{
	for (int k = 0; k < FNG_AL_KINDS; k++) {
		for (size_t i = 0; i < s->k[k].n; i++) {
			free(s->k[k].v[i].text);
			free(s->k[k].v[i].host.name);
		}
		free(s->k[k].v);
	}
	memset(s, 0, sizeof(*s));
}

void fng_allowlist_free(struct fng_allowlist *a)
{
	if (!a)
		return;
	fng_al_set_free(&a->learned);
	fng_al_set_free(&a->add);
	fng_al_set_free(&a->remove);
	free(a);
}

static bool list_has_path(const struct fng_al_list *l, const char *path, bool init)
{
	for (size_t i = 0; i < l->n; i++)
		if ((init || !l->v[i].init_only) && fng_glob_match(l->v[i].text, path))
			return true;
	return false;
}

/* Matched by learned or add, in this phase. */
static bool granted_path(const struct fng_allowlist *a, enum fng_al_kind k, const char *path, bool init)
{
	return list_has_path(&a->learned.k[k], path, init) || list_has_path(&a->add.k[k], path, init);
}

bool fng_allow_file(const struct fng_allowlist *a, const char *path, bool write, bool init)
{
	/* remove.read takes reading (and so writing) away; remove.write writing. */
	if (list_has_path(&a->remove.k[FNG_AL_READ], path, true))
		return false;
	if (write)
		return !list_has_path(&a->remove.k[FNG_AL_WRITE], path, true) &&
		       granted_path(a, FNG_AL_WRITE, path, init);
	return granted_path(a, FNG_AL_READ, path, init) || granted_path(a, FNG_AL_WRITE, path, init);
}

static bool exec_in(const struct fng_al_list *l, const char *path, const uint8_t *id, size_t idlen, bool init)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct fng_al_entry *e = &l->v[i];
		if (!init && e->init_only)
			continue;
		if (!fng_glob_match(e->text, path))
			continue;
		if (e->id.len && (e->id.len != idlen || memcmp(e->id.id, id, idlen) != 0))
			continue;
		return true;
	}
	return false;
}

bool fng_allow_exec(const struct fng_allowlist *a, const char *path, const uint8_t *id, size_t idlen, bool init)
{
	if (exec_in(&a->remove.k[FNG_AL_EXEC], path, id, idlen, true))
		return false;
	return exec_in(&a->learned.k[FNG_AL_EXEC], path, id, idlen, init) ||
	       exec_in(&a->add.k[FNG_AL_EXEC], path, id, idlen, init);
}

static bool net_in(const struct fng_al_set *s, const uint8_t addr16[16], uint16_t port, const char *host, bool init)
{
	for (size_t i = 0; i < s->k[FNG_AL_IP].n; i++) {
		const struct fng_al_entry *e = &s->k[FNG_AL_IP].v[i];
		if ((init || !e->init_only) && fng_netrule_match(&e->net, addr16, port))
			return true;
	}
	for (size_t i = 0; host && *host && i < s->k[FNG_AL_HOST].n; i++) {
		const struct fng_al_entry *e = &s->k[FNG_AL_HOST].v[i];
		if ((init || !e->init_only) && fng_hostrule_match(&e->host, host, port))
			return true;
	}
	return false;
}

bool fng_allow_net(const struct fng_allowlist *a, const uint8_t addr16[16], uint16_t port, const char *host,
		   bool init)
{
	if (net_in(&a->remove, addr16, port, host, true))
		return false;
	return net_in(&a->learned, addr16, port, host, init) || net_in(&a->add, addr16, port, host, init);
}
