/* Confirmed attacks (confirm.h): an input value found in a system call's
 * argument, and the change it makes to that argument's structure. Pure. */
#include "policy/payload/confirm_internal.h"
#include "policy/payload/walk.h"
#include "policy/policy.h"
#include "common/util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool usable(const char *v, size_t len)
{
	/* ".." is shorter than the bound and still climbs a directory */
	return (len >= FNG_CONFIRM_MIN_LEN || strcmp(v, "..") == 0) && len <= FNG_CONFIRM_VALUE_MAX &&
	       strlen(v) == len;
}

/* Sizes the set, then fills it: values and paths copied after the array. */
static struct fng_confirm_set *build(const char *const *paths, const char *const *values, const size_t *lens,
				     size_t n, const char *request_id)
{
	size_t keep = 0, bytes = 0;
	bool incomplete = false;

	for (size_t i = 0; i < n; i++) {
		if (!usable(values[i], lens[i]))
			continue;
		size_t need = lens[i] + strlen(paths[i]) + 2;
		if (keep == FNG_CONFIRM_MAX_VALUES || bytes + need > FNG_CONFIRM_MAX_BYTES) {
			incomplete = true;
			break;
		}
		keep++;
		bytes += need;
	}
	struct fng_confirm_set *s = calloc(1, sizeof(*s) + keep * sizeof(s->v[0]) + bytes);
	if (!s)
		return NULL;
	char *w = (char *)&s->v[keep];
	fng_strlcpy(s->request_id, request_id ? request_id : "", sizeof(s->request_id));
	s->incomplete = incomplete;
	for (size_t i = 0; i < n && s->n < keep; i++) {
		if (!usable(values[i], lens[i]))
			continue;
		size_t pl = strlen(paths[i]);
		struct fng_confirm_input *in = &s->v[s->n++];
		memcpy(w, values[i], lens[i] + 1);
		in->value = w;
		in->len = lens[i];
		w += lens[i] + 1;
		memcpy(w, paths[i], pl + 1);
		in->path = w;
		w += pl + 1;
	}
	return s;
}

struct fng_confirm_set *fng_confirm_set_build(const struct fng_pwalk_list *l, const char *request_id)
{
	autofree const char **paths = calloc(l->n + 1, sizeof(*paths));
	autofree const char **values = calloc(l->n + 1, sizeof(*values));
	autofree size_t *lens = calloc(l->n + 1, sizeof(*lens));
	struct fng_confirm_set *s;

	if (!paths || !values || !lens)
		return NULL;
	for (size_t i = 0; i < l->n; i++) {
		paths[i] = l->v[i].path;
		values[i] = l->v[i].value;
		lens[i] = l->v[i].len;
	}
	s = build(paths, values, lens, l->n, request_id);
	if (s && l->limit)
		s->incomplete = true;
	return s;
}

struct fng_confirm_set *fng_confirm_set_of(const char *const *pairs, size_t n_pairs, const char *request_id)
{
	autofree const char **paths = calloc(n_pairs + 1, sizeof(*paths));
	autofree const char **values = calloc(n_pairs + 1, sizeof(*values));
	autofree size_t *lens = calloc(n_pairs + 1, sizeof(*lens));

	if (!paths || !values || !lens)
		return NULL;
	for (size_t i = 0; i < n_pairs; i++) {
		paths[i] = pairs[2 * i];
		values[i] = pairs[2 * i + 1];
		lens[i] = strlen(values[i]);
	}
	return build(paths, values, lens, n_pairs, request_id);
}

static void found(struct fng_confirm_finding *out, const struct fng_confirm_input *in, const char *fmt,
		  const char *what)
{
	out->input_path = in->path;
	snprintf(out->why, sizeof(out->why), fmt, what);
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* sh -c SCRIPT: 1; python -c / perl -e ... CODE: 2; else 0. *script set. */
static int code_arg(const char *const *argv, size_t argc, const char **script)
{
	static const char *const shells[] = { "sh", "bash", "dash", "zsh", "ksh", "ash", "mksh", "busybox" };
	static const char *const interps[] = { "python", "perl", "ruby", "node", "nodejs", "php", "lua" };
	const char *b = argc ? base_name(argv[0]) : "";
	int kind = 0;

	for (size_t i = 0; i < sizeof(shells) / sizeof(shells[0]) && !kind; i++)
		if (strcmp(b, shells[i]) == 0)
			kind = 1;
	for (size_t i = 0; i < sizeof(interps) / sizeof(interps[0]) && !kind; i++)
		if (strncmp(b, interps[i], strlen(interps[i])) == 0)
			kind = 2;
	for (size_t i = 1; kind && i + 1 < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-' || a[1] == '-')
			continue;
		if (strchr(a + 1, 'c') || (kind == 2 && (strchr(a + 1, 'e') || strchr(a + 1, 'r')))) {
			*script = argv[i + 1];
			return kind;
		}
	}
	return 0;
}

/* Each place value occurs in hay, as a byte range. */
static bool each_occurrence(const char *hay, const struct fng_confirm_input *in,
			    bool (*check)(const char *hay, size_t a, size_t b, const char **what), const char **what)
{
	for (const char *p = strstr(hay, in->value); p; p = strstr(p + 1, in->value)) {
		size_t a = (size_t)(p - hay);
		if (check(hay, a, a + in->len, what))
			return true;
	}
	return false;
}

static bool code_check(const char *hay, size_t a, size_t b, const char **what)
{
	*what = "changes the interpreter's code";
	return fng_confirm_code_range(hay, a, b);
}

/* The value is the program, or its last component. */
static bool program_check(const char *hay, size_t a, size_t b, const char **what)
{
	*what = "names the program";
	return b == strlen(hay) && a <= (size_t)(base_name(hay) - hay);
}

static bool sh_syntax(const char *hay, size_t a, size_t b, const char **what)
{
	return fng_confirm_sh_range(hay, a, b, false, what);
}

static bool sh_word(const char *hay, size_t a, size_t b, const char **what)
{
	return fng_confirm_sh_range(hay, a, b, true, what);
}

/* JSON's literals and numbers come from booleans and counts far more often
 * than from a user naming a command ("; true" ends many scripts): they
 * are not taken for command words or programs. */
static bool names_can_be_words(const struct fng_confirm_input *in)
{
	if (strcmp(in->value, "true") == 0 || strcmp(in->value, "false") == 0 || strcmp(in->value, "null") == 0)
		return false;
	return strspn(in->value, "0123456789.-+eE") != in->len;
}

bool fng_confirm_exec(const struct fng_confirm_set *s, const char *program, const char *const *argv, size_t argc,
		      struct fng_confirm_finding *out)
{
	const char *script = NULL, *what = NULL;
	int kind = code_arg(argv, argc, &script);

	/* Syntax first: it is the stronger finding, and names the value that
	 * made it rather than one that matches a word by chance. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; s && i < s->n; i++) {
			const struct fng_confirm_input *in = &s->v[i];
			bool hit = pass == 0 ? (kind == 1 && each_occurrence(script, in, sh_syntax, &what)) ||
						       (kind == 2 && each_occurrence(script, in, code_check, &what))
					     : names_can_be_words(in) &&
						       ((kind == 1 && each_occurrence(script, in, sh_word, &what)) ||
							(program && each_occurrence(program, in, program_check, &what)) ||
							(argc && each_occurrence(argv[0], in, program_check, &what)));
			if (hit) {
				found(out, in, "the input value %s", what);
				return true;
			}
		}
	}
	return false;
}

static bool path_check(const char *hay, size_t a, size_t b, const char **what)
{
	char dir[4096], full[4096];
	size_t d = a;

	(void)b;
	if (a == 0 && hay[0] == '/') {
		*what = "is an absolute path";
		return true;
	}
	while (d > 0 && hay[d - 1] != '/')
		d--;
	*what = "leads out of the directory the rest of the path names";
	/* A path too long to normalise here is one the check cannot clear. */
	if (fng_confirm_norm(hay, d, dir, sizeof(dir)) < 0 || fng_confirm_norm(hay, strlen(hay), full, sizeof(full)) < 0)
		return true;
	return !fng_confirm_under(dir, full);
}

/* A relative value that climbs ("../creds.txt", "a/../../x"), as a
 * function that resolves it first (Node's path.resolve and path.join,
 * Python's os.path.normpath) passes it on: the name it reaches, lexically
 * normalised with its leading ".." taken off ("creds.txt"). NULL for a
 * value that does not climb or names nothing. */
static const char *climb_tail(const struct fng_confirm_input *in, char *buf, size_t n)
{
	const char *t = buf;

	if (in->len == 0 || in->value[0] == '/' || fng_confirm_norm(in->value, in->len, buf, n) < 0 ||
	    strncmp(buf, "../", 3) != 0)
		return NULL;
	while (strncmp(t, "../", 3) == 0)
		t += 3;
	return *t && strcmp(t, "..") != 0 ? t : NULL;
}

/* path ends with the name a climbing value reaches, and the value is not
 * in it as written (then path_check judged it): the function joined and
 * resolved it. */
static bool resolved_climb(const char *path, const struct fng_confirm_input *in)
{
	char v[1024], p[4096];
	const char *t = climb_tail(in, v, sizeof(v));
	size_t tl, pl;

	if (!t || strstr(path, in->value) || fng_confirm_norm(path, strlen(path), p, sizeof(p)) < 0)
		return false;
	tl = strlen(t);
	pl = strlen(p);
	return pl > tl && p[pl - tl - 1] == '/' && strcmp(p + pl - tl, t) == 0;
}

bool fng_confirm_path(const struct fng_confirm_set *s, const char *path, struct fng_confirm_finding *out)
{
	const char *what = NULL;

	for (size_t i = 0; s && i < s->n; i++) {
		if (each_occurrence(path, &s->v[i], path_check, &what)) {
			found(out, &s->v[i], "the input value %s", what);
			return true;
		}
	}
	for (size_t i = 0; s && i < s->n; i++) {
		if (resolved_climb(path, &s->v[i])) {
			found(out, &s->v[i], "the input value %s",
			      "climbs out of the directory it was joined to (resolved before the call)");
			return true;
		}
	}
	return false;
}

/* The host a value names: a URL's host, or the value itself when it reads
 * as host[:port] (with a dot or colon, or "localhost": a bare number is an
 * id far more often than an address). Copied into host (n bytes), brackets
 * and port removed; *port the port named (the scheme's for http/https),
 * 0 for none. */
static bool value_host(const char *v, char *host, size_t n, uint16_t *port)
{
	const char *p = strstr(v, "://"), *e, *colon = NULL;

	*port = 0;
	if (p && ((p - v == 4 && strncasecmp(v, "http", 4) == 0) || (p - v == 2 && strncasecmp(v, "ws", 2) == 0)))
		*port = 80;
	else if (p && ((p - v == 5 && strncasecmp(v, "https", 5) == 0) || (p - v == 3 && strncasecmp(v, "wss", 3) == 0)))
		*port = 443;
	p = p ? p + 3 : v;
	if (p == v && (strpbrk(v, "/ \t?#@") || (!strpbrk(v, ".:") && strcasecmp(v, "localhost") != 0)))
		return false;
	e = p + strcspn(p, "/?#\\");
	const char *at = memchr(p, '@', (size_t)(e - p));
	if (at)
		p = at + 1;
	if (*p == '[') {
		const char *rb = memchr(p, ']', (size_t)(e - p));
		if (!rb)
			return false;
		colon = rb + 1 < e && rb[1] == ':' ? rb + 1 : NULL;
		p++;
		e = rb;
	} else {
		colon = memchr(p, ':', (size_t)(e - p));
		if (colon && memchr(colon + 1, ':', (size_t)(e - colon - 1)))
			colon = NULL; /* a bare IPv6 address */
		else if (colon) {
			const char *end = e;
			e = colon;
			colon = end > colon + 1 ? colon : NULL;
		}
	}
	if (colon)
		*port = (uint16_t)strtoul(colon + 1, NULL, 10);
	if (e <= p || (size_t)(e - p) >= n)
		return false;
	memcpy(host, p, (size_t)(e - p));
	host[e - p] = '\0';
	return true;
}

/* As getaddrinfo reads a numeric host: inet_aton's forms (127.1,
 * 2130706433, 0x7f.0.0.1) or IPv6. */
static bool host_addr(const char *h, uint8_t out[16])
{
	struct in_addr a4;

	if (inet_aton(h, &a4)) {
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &a4, 4);
		return true;
	}
	return inet_pton(AF_INET6, h, out) == 1;
}

static bool same_name(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	while (la && a[la - 1] == '.')
		la--;
	while (lb && b[lb - 1] == '.')
		lb--;
	return la == lb && la && strncasecmp(a, b, la) == 0;
}

/* "localhost" and every name under it are loopback (RFC 6761), resolved
 * from /etc/hosts or by the resolver library without a DNS answer fnguard
 * could learn. */
static bool names_loopback(const char *h)
{
	size_t n = strlen(h);

	while (n && h[n - 1] == '.')
		n--;
	return (n == 9 && strncasecmp(h, "localhost", 9) == 0) ||
	       (n > 10 && strncasecmp(h + n - 10, ".localhost", 10) == 0);
}

bool fng_confirm_connect(const struct fng_confirm_set *s, const uint8_t addr[16], uint16_t port, const char *name,
			 struct fng_confirm_finding *out)
{
	char host[256];
	uint8_t a[16];
	uint16_t named;

	for (size_t i = 0; s && i < s->n; i++) {
		const struct fng_confirm_input *in = &s->v[i];
		if (!value_host(in->value, host, sizeof(host), &named))
			continue;
		/* a host without a port is reached on the web's ports ("http://" +
		 * host): a bare address in a ping tool's input must not make every
		 * later connect to that host (the Runtime API's, a sidecar's) an attack */
		if (named ? named != port : port != 80 && port != 443)
			continue;
		if (host_addr(host, a) && memcmp(a, addr, 16) == 0) {
			found(out, in, "the input value names %s, the address connected to", host);
			return true;
		}
		if (name && same_name(host, name)) {
			found(out, in, "the input value names %s, the host connected to", host);
			return true;
		}
		if (names_loopback(host) && fng_addr_is_loopback(addr)) {
			found(out, in, "the input value names %s, a loopback address", host);
			return true;
		}
	}
	return false;
}
