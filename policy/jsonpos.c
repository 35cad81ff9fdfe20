#include "policy/jsonpos.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

struct scan {
	const char *s;
	size_t n;
	size_t i;
};

struct span {
	const char *p;
	size_t len;
};

static void skip_ws(struct scan *sc)
{
	while (sc->i < sc->n) {
		char c = sc->s[sc->i];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		sc->i++;
	}
}

/* At a '"': skip the string, return its raw contents (escapes left as is). */
static int scan_string(struct scan *sc, struct span *out)
{
	size_t start;

	if (sc->i >= sc->n || sc->s[sc->i] != '"')
		return -EINVAL;
	start = ++sc->i;
	while (sc->i < sc->n) {
		char c = sc->s[sc->i];
		if (c == '\\') {
			sc->i += 2;
			continue;
		}
		if (c == '"') {
			if (out) {
				out->p = sc->s + start;
				out->len = sc->i - start;
			}
			sc->i++;
			return 0;
		}
		sc->i++;
	}
	return -EINVAL;
}

static bool span_eq(struct span a, struct span b)
{
	return a.len == b.len && memcmp(a.p, b.p, a.len) == 0;
}

static bool span_is(struct span a, const char *key)
{
	return a.len == strlen(key) && memcmp(a.p, key, a.len) == 0;
}

struct dupcheck {
	bool on;
	size_t off; /* set when a duplicate is found */
	bool found;
};

static int scan_value(struct scan *sc, int depth, struct dupcheck *dc);

static int scan_object(struct scan *sc, int depth, struct dupcheck *dc)
{
	struct span *keys = NULL;
	size_t nkeys = 0, cap = 0;
	int r = -EINVAL;

	sc->i++; /* '{' */
	skip_ws(sc);
	if (sc->i < sc->n && sc->s[sc->i] == '}') {
		sc->i++;
		return 0;
	}
	for (;;) {
		struct span key;
		size_t key_off;

		skip_ws(sc);
		key_off = sc->i;
		if (scan_string(sc, &key) < 0)
			goto out;
		if (dc && dc->on && !dc->found) {
			for (size_t k = 0; k < nkeys; k++) {
				if (span_eq(keys[k], key)) {
					dc->found = true;
					dc->off = key_off;
					break;
				}
			}
			if (nkeys == cap) {
				size_t ncap = cap ? cap * 2 : 8;
				struct span *nk = realloc(keys, ncap * sizeof(*nk));
				if (!nk) {
					r = -ENOMEM;
					goto out;
				}
				keys = nk;
				cap = ncap;
			}
			keys[nkeys++] = key;
		}
		skip_ws(sc);
		if (sc->i >= sc->n || sc->s[sc->i] != ':')
			goto out;
		sc->i++;
		r = scan_value(sc, depth + 1, dc);
		if (r < 0)
			goto out;
		r = -EINVAL;
		skip_ws(sc);
		if (sc->i >= sc->n)
			goto out;
		if (sc->s[sc->i] == ',') {
			sc->i++;
			continue;
		}
		if (sc->s[sc->i] == '}') {
			sc->i++;
			r = 0;
			goto out;
		}
		goto out;
	}
out:
	free(keys);
	return r;
}

static int scan_array(struct scan *sc, int depth, struct dupcheck *dc)
{
	sc->i++; /* '[' */
	skip_ws(sc);
	if (sc->i < sc->n && sc->s[sc->i] == ']') {
		sc->i++;
		return 0;
	}
	for (;;) {
		int r = scan_value(sc, depth + 1, dc);
		if (r < 0)
			return r;
		skip_ws(sc);
		if (sc->i >= sc->n)
			return -EINVAL;
		if (sc->s[sc->i] == ',') {
			sc->i++;
			continue;
		}
		if (sc->s[sc->i] == ']') {
			sc->i++;
			return 0;
		}
		return -EINVAL;
	}
}

static int scan_value(struct scan *sc, int depth, struct dupcheck *dc)
{
	if (depth > MAX_DEPTH)
		return -EINVAL;
	skip_ws(sc);
	if (sc->i >= sc->n)
		return -EINVAL;
	switch (sc->s[sc->i]) {
	case '{':
		return scan_object(sc, depth, dc);
	case '[':
		return scan_array(sc, depth, dc);
	case '"':
		return scan_string(sc, NULL);
	default:
		/* number, true, false, null: anything up to a delimiter */
		while (sc->i < sc->n && !strchr(",:]} \t\r\n", sc->s[sc->i]))
			sc->i++;
		return 0;
	}
}

int fng_json_find_duplicate_key(const char *text, size_t len, size_t *off)
{
	struct scan sc = { text, len, 0 };
	struct dupcheck dc = { .on = true };
	int r = scan_value(&sc, 0, &dc);

	if (dc.found) {
		*off = dc.off;
		return -EEXIST;
	}
	return r < 0 ? r : 0;
}

static int locate(const char *text, size_t len, const struct fng_json_step *path, size_t depth, size_t *off,
		  bool want_key)
{
	struct scan sc = { text, len, 0 };

	for (size_t d = 0; d < depth; d++) {
		skip_ws(&sc);
		if (sc.i >= sc.n)
			return -EINVAL;
		if (path[d].key) {
			bool found = false;
			if (sc.s[sc.i] != '{')
				return -ENOENT;
			sc.i++;
			for (;;) {
				struct span key;
				size_t key_off;
				skip_ws(&sc);
				if (sc.i < sc.n && sc.s[sc.i] == '}')
					return -ENOENT;
				key_off = sc.i;
				if (scan_string(&sc, &key) < 0)
					return -EINVAL;
				skip_ws(&sc);
				if (sc.i >= sc.n || sc.s[sc.i] != ':')
					return -EINVAL;
				sc.i++;
				if (span_is(key, path[d].key)) {
					if (want_key && d + 1 == depth) {
						*off = key_off;
						return 0;
					}
					found = true;
					break;
				}
				if (scan_value(&sc, 0, NULL) < 0)
					return -EINVAL;
				skip_ws(&sc);
				if (sc.i < sc.n && sc.s[sc.i] == ',')
					sc.i++;
			}
			if (!found)
				return -ENOENT;
		} else {
			if (sc.s[sc.i] != '[')
				return -ENOENT;
			sc.i++;
			for (size_t k = 0; k < path[d].index; k++) {
				if (scan_value(&sc, 0, NULL) < 0)
					return -EINVAL;
				skip_ws(&sc);
				if (sc.i >= sc.n || sc.s[sc.i] != ',')
					return -ENOENT;
				sc.i++;
			}
		}
	}
	skip_ws(&sc);
	*off = sc.i;
	return 0;
}

int fng_json_locate(const char *text, size_t len, const struct fng_json_step *path, size_t depth, size_t *off)
{
	return locate(text, len, path, depth, off, false);
}

int fng_json_locate_key(const char *text, size_t len, const struct fng_json_step *path, size_t depth, size_t *off)
{
	return locate(text, len, path, depth, off, true);
}

void fng_json_linecol(const char *text, size_t len, size_t off, unsigned *line, unsigned *col)
{
	unsigned l = 1, c = 1;

	if (off > len)
		off = len;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	*line = l;
	*col = c;
}
