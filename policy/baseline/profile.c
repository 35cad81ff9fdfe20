/* Profiles: an allowlist written as a whole fnguard policy, the union of
 * several, and what one allows that another does not (the CI gate of
 * `fnguard baseline diff`). Pure. */
#include "policy/baseline/recorder.h"
#include "common/hex.h"
#include "common/util.h"
#include "policy/baseline/globrel.h"

#include <json-c/json.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct fng_al_entry *)a)->text, ((const struct fng_al_entry *)b)->text);
}

static json_object *list_json(const struct fng_al_list *l, enum fng_al_kind k, bool init)
{
	json_object *arr = json_object_new_array();
	autofree struct fng_al_entry *v = malloc((l->n ? l->n : 1) * sizeof(*v));

	if (!v)
		return arr;
	if (l->n) {
		memcpy(v, l->v, l->n * sizeof(*v));
		qsort(v, l->n, sizeof(*v), entry_cmp);
	}
	for (size_t i = 0; i < l->n; i++) {
		if (v[i].init_only != init)
			continue;
		if (k == FNG_AL_EXEC && v[i].id.len) {
			json_object *o = json_object_new_object();
			char hex[2 * FNG_POLICY_BUILD_ID_MAX + 1];
			fng_hex(hex, v[i].id.id, v[i].id.len);
			json_object_object_add(o, "path", json_object_new_string(v[i].text));
			json_object_object_add(o, "build_id", json_object_new_string(hex));
			json_object_array_add(arr, o);
		} else {
			json_object_array_add(arr, json_object_new_string(v[i].text));
		}
	}
	return arr;
}

static void add_nonempty(json_object *o, const char *key, json_object *arr)
{
	if (json_object_array_length(arr))
		json_object_object_add(o, key, arr);
	else
		json_object_put(arr);
}

static json_object *set_json(const struct fng_al_set *s, bool init)
{
	static const struct { enum fng_al_kind k; const char *key; } others[] = {
		{ FNG_AL_EXEC, "exec" }, { FNG_AL_HOST, "hosts" }, { FNG_AL_IP, "ips" }, { FNG_AL_DNS, "dns" },
	};
	json_object *o = json_object_new_object(), *files = json_object_new_object();

	add_nonempty(files, "read", list_json(&s->k[FNG_AL_READ], FNG_AL_READ, init));
	add_nonempty(files, "write", list_json(&s->k[FNG_AL_WRITE], FNG_AL_WRITE, init));
	if (json_object_object_length(files))
		json_object_object_add(o, "files", files);
	else
		json_object_put(files);
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		add_nonempty(o, others[i].key, list_json(&s->k[others[i].k], others[i].k, init));
	if (!init) {
		json_object *in = set_json(s, true);
		if (json_object_object_length(in))
			json_object_object_add(o, "init", in);
		else
			json_object_put(in);
	}
	return o;
}

static bool set_empty(const struct fng_al_set *s)
{
	for (int k = 0; k < FNG_AL_KINDS; k++)
		if (s->k[k].n)
			return false;
	return true;
}

int fng_profile_format(const struct fng_allowlist *a, char **out)
{
	json_object *root = json_object_new_object(), *fs = json_object_new_object(), *al = json_object_new_object();
	const char *s;

	json_object_object_add(root, "version", json_object_new_int(1));
	for (int r = 0; r < FNG_RULE_ALLOWLIST; r++)
		json_object_object_add(fs, fng_rule_name((enum fng_rule)r), json_object_new_string("allow"));
	json_object_object_add(root, "policy", fs);
	json_object_object_add(al, "mode", json_object_new_string(fng_mode_name(a->mode)));
	json_object_object_add(al, "learned", set_json(&a->learned, false));
	if (!set_empty(&a->add))
		json_object_object_add(al, "add", set_json(&a->add, false));
	if (!set_empty(&a->remove))
		json_object_object_add(al, "remove", set_json(&a->remove, false));
	json_object_object_add(root, "allowlist", al);
	s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
						       JSON_C_TO_STRING_NOSLASHESCAPE);
	*out = s ? malloc(strlen(s) + 2) : NULL;
	if (*out)
		sprintf(*out, "%s\n", s);
	json_object_put(root);
	return *out ? 0 : -ENOMEM;
}

static struct fng_al_entry *find_same(const struct fng_al_list *l, const struct fng_al_entry *e)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].text, e->text) == 0 && l->v[i].id.len == e->id.len &&
		    memcmp(l->v[i].id.id, e->id.id, e->id.len) == 0)
			return &l->v[i];
	return NULL;
}

static int merge_set(struct fng_al_set *dst, const struct fng_al_set *src)
{
	for (int k = 0; k < FNG_AL_KINDS; k++) {
		for (size_t i = 0; i < src->k[k].n; i++) {
			const struct fng_al_entry *e = &src->k[k].v[i];
			struct fng_al_entry *have = find_same(&dst->k[k], e);
			char hex[2 * FNG_POLICY_BUILD_ID_MAX + 1];
			const char *why = NULL;
			int r;

			if (have) {
				have->init_only = have->init_only && e->init_only;
				continue;
			}
			fng_hex(hex, e->id.id, e->id.len);
			r = fng_al_list_add(&dst->k[k], (enum fng_al_kind)k, e->text, e->init_only, e->id.len ? hex : NULL,
					    &why);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

int fng_allowlist_merge(struct fng_allowlist *dst, const struct fng_allowlist *src)
{
	int r = merge_set(&dst->learned, &src->learned);

	if (r == 0)
		r = merge_set(&dst->add, &src->add);
	if (r == 0)
		r = merge_set(&dst->remove, &src->remove);
	if (src->mode == FNG_MODE_ALERT)
		dst->mode = FNG_MODE_ALERT; /* the union of what they let through */
	return r;
}

/* Does entry e (of kind k) grant all that t, a value or a pattern, does? */
static bool entry_covers(enum fng_al_kind k, const struct fng_al_entry *e, const char *t)
{
	switch (k) {
	case FNG_AL_READ:
	case FNG_AL_WRITE:
	case FNG_AL_EXEC:
		/* by what the patterns match, never t's text taken as a path */
		return fng_glob_includes(e->text, t);
	case FNG_AL_HOST:
	case FNG_AL_DNS: {
		struct fng_hostrule h;
		const char *why = NULL;
		bool r;
		if (fng_hostrule_parse(t, &h, &why) < 0)
			return false;
		r = fng_hostrule_covers(&e->host, &h);
		free(h.name);
		return r;
	}
	case FNG_AL_IP: {
		struct fng_netrule n;
		const char *why = NULL;
		return fng_netrule_parse(t, &n, &why) == 0 && fng_netrule_covers(&e->net, &n);
	}
	default:
		return false;
	}
}

/* Does one entry of old grant all that e grants (an init-only grant only
 * covers init-only; a pinned program only the same build)? */
static bool old_grants(const struct fng_allowlist *old_a, enum fng_al_kind k, const struct fng_al_entry *e)
{
	const struct fng_al_list *lists[] = { &old_a->learned.k[k], &old_a->add.k[k] };

	for (size_t l = 0; l < 2; l++) {
		for (size_t i = 0; i < lists[l]->n; i++) {
			const struct fng_al_entry *o = &lists[l]->v[i];
			if (o->init_only && !e->init_only)
				continue;
			if (k == FNG_AL_EXEC && o->id.len &&
			    (o->id.len != e->id.len || memcmp(o->id.id, e->id.id, o->id.len) != 0))
				continue;
			if (entry_covers(k, o, e->text))
				return true;
		}
	}
	/* Reading is granted by a write entry too. */
	return k == FNG_AL_READ && old_grants(old_a, FNG_AL_WRITE, e);
}

/* Does a removal of new take away all that removal r of old did? Writing
 * is taken away with reading too. */
static bool still_removed(const struct fng_allowlist *new_a, enum fng_al_kind k, const struct fng_al_entry *r)
{
	const struct fng_al_list *l = &new_a->remove.k[k];

	for (size_t i = 0; i < l->n; i++) {
		const struct fng_al_entry *o = &l->v[i];
		if (k == FNG_AL_EXEC && o->id.len &&
		    (o->id.len != r->id.len || memcmp(o->id.id, r->id.id, o->id.len) != 0))
			continue;
		if (entry_covers(k, o, r->text))
			return true;
	}
	return k == FNG_AL_WRITE && still_removed(new_a, FNG_AL_READ, r);
}

/* Might a grant of new reach into what removal r (of kind k) took away?
 * Paths by pattern overlap; destinations and names: any grant of theirs. */
static bool new_reaches(const struct fng_allowlist *new_a, enum fng_al_kind k, const struct fng_al_entry *r)
{
	const struct fng_al_set *sets[] = { &new_a->learned, &new_a->add };

	for (size_t s = 0; s < 2; s++) {
		for (int g = 0; g < FNG_AL_KINDS; g++) {
			const struct fng_al_list *l = &sets[s]->k[g];
			bool path = k == FNG_AL_READ || k == FNG_AL_WRITE || k == FNG_AL_EXEC;
			/* reading is granted by write entries too */
			bool same = g == (int)k || (k == FNG_AL_READ && g == FNG_AL_WRITE) ||
				    (k == FNG_AL_IP && g == FNG_AL_HOST) || (k == FNG_AL_HOST && g == FNG_AL_IP);
			if (!same)
				continue;
			for (size_t i = 0; i < l->n; i++)
				if (!path || fng_glob_meets(l->v[i].text, r->text))
					return true;
		}
	}
	return false;
}

static void entry_line(char *line, size_t n, const char *what, const struct fng_al_entry *e, enum fng_al_kind k)
{
	char hex[2 * FNG_POLICY_BUILD_ID_MAX + 1];

	fng_hex(hex, e->id.id, e->id.len);
	snprintf(line, n, "+ %s%s %s%s%s", what, fng_al_kind_name(k), e->text, e->id.len ? " build_id " : "",
		 e->id.len ? hex : "");
}

/* Every entry of new that no single entry of old grants (patterns compared
 * by what they match), and every removal of old that new no longer makes
 * while a grant of new reaches into it. Together they cover all that new
 * lets through and old does not: a path new grants that old refused is
 * outside every old grant, or under an old removal new dropped or narrowed. */
size_t fng_allowlist_diff(const struct fng_allowlist *old_a, const struct fng_allowlist *new_a,
			  fng_diff_line_cb cb, void *arg)
{
	const struct fng_al_set *sets[] = { &new_a->learned, &new_a->add };
	char line[1200];
	size_t n = 0;

	if (old_a->mode == FNG_MODE_BLOCK && new_a->mode != FNG_MODE_BLOCK) {
		snprintf(line, sizeof(line), "~ mode %s (was %s)", fng_mode_name(new_a->mode), fng_mode_name(old_a->mode));
		cb(arg, line);
		n++;
	}
	for (int k = 0; k < FNG_AL_KINDS; k++) {
		for (size_t s = 0; s < 2; s++) {
			for (size_t i = 0; i < sets[s]->k[k].n; i++) {
				const struct fng_al_entry *e = &sets[s]->k[k].v[i];
				if (old_grants(old_a, (enum fng_al_kind)k, e))
					continue;
				entry_line(line, sizeof(line), e->init_only ? "init " : "", e, (enum fng_al_kind)k);
				cb(arg, line);
				n++;
			}
		}
		for (size_t i = 0; i < old_a->remove.k[k].n; i++) {
			const struct fng_al_entry *r = &old_a->remove.k[k].v[i];
			if (still_removed(new_a, (enum fng_al_kind)k, r) || !new_reaches(new_a, (enum fng_al_kind)k, r))
				continue;
			entry_line(line, sizeof(line), "unremoved ", r, (enum fng_al_kind)k);
			cb(arg, line);
			n++;
		}
	}
	return n;
}

size_t fng_allowlist_entries(const struct fng_allowlist *a)
{
	size_t n = 0;

	for (int k = 0; k < FNG_AL_KINDS; k++)
		n += a->learned.k[k].n + a->add.k[k].n + a->remove.k[k].n;
	return n;
}
