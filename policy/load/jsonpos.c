/* Positions in JSON text, for FILE:LINE:COL errors (jsonpos.h). */
#include "policy/load/jsonpos.h"
#include "common/hex.h"
#include "common/utf8.h"
#include "common/util.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

struct scan {
	const char *s;
	size_t n;
	size_t i;
	bool failed;
	size_t err;	/* where the first error was found */
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

static unsigned read_u4(const char *p);

static int scan_error(struct scan *sc)
{
	if (!sc->failed) {
		sc->failed = true;
		sc->err = sc->i;
	}
	return -EINVAL;
}

/* At a '"': skip the string, return its raw contents (escapes left as is).
 * Strict JSON only: no raw control characters, only the standard escapes,
 * and no \u0000 (json-c would cut a key there, so two keys that differ only
 * after it would look different here and the same to the loader). */
static int scan_string(struct scan *sc, struct span *out)
{
	size_t start;

	if (sc->i >= sc->n || sc->s[sc->i] != '"')
		return scan_error(sc);
	start = ++sc->i;
	while (sc->i < sc->n) {
		unsigned char c = (unsigned char)sc->s[sc->i];
		if (c < 0x20)
			return scan_error(sc);
		if (c == '\\') {
			char e;
			if (sc->i + 1 >= sc->n)
				return scan_error(sc);
			e = sc->s[sc->i + 1];
			if (e == 'u') {
				if (sc->i + 5 >= sc->n)
					return scan_error(sc);
				for (int k = 2; k < 6; k++)
					if (fng_hex_digit(sc->s[sc->i + k]) < 0)
						return scan_error(sc);
				if (read_u4(sc->s + sc->i + 2) == 0)
					return scan_error(sc);
				sc->i += 6;
				continue;
			}
			if (!strchr("\"\\/bfnrt", e) || e == '\0')
				return scan_error(sc);
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
	return scan_error(sc);
}

/* true, false, null, or a number as RFC 8259 writes it (no NaN, no hex). */
static int scan_literal(struct scan *sc)
{
	static const char *const words[] = { "true", "false", "null" };
	const char *p = sc->s + sc->i;
	size_t left = sc->n - sc->i, k = 0;

	for (unsigned w = 0; w < 3; w++) {
		size_t len = strlen(words[w]);
		if (left >= len && memcmp(p, words[w], len) == 0) {
			sc->i += len;
			return 0;
		}
	}
	if (k < left && p[k] == '-')
		k++;
	if (k < left && p[k] == '0')
		k++;
	else if (k < left && p[k] >= '1' && p[k] <= '9')
		while (k < left && p[k] >= '0' && p[k] <= '9')
			k++;
	else
		return scan_error(sc);
	if (k < left && p[k] == '.') {
		size_t d = ++k;
		while (k < left && p[k] >= '0' && p[k] <= '9')
			k++;
		if (k == d)
			return scan_error(sc);
	}
	if (k < left && (p[k] == 'e' || p[k] == 'E')) {
		size_t d;
		k++;
		if (k < left && (p[k] == '+' || p[k] == '-'))
			k++;
		d = k;
		while (k < left && p[k] >= '0' && p[k] <= '9')
			k++;
		if (k == d)
			return scan_error(sc);
	}
	sc->i += k;
	return 0;
}


static unsigned read_u4(const char *p)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		int h = fng_hex_digit(p[i]);
		if (h < 0)
			return 0xfffd;
		v = v * 16 + (unsigned)h;
	}
	return v;
}

/* The key as json-c sees it: escapes decoded. out has room for len * 4 + 4
 * bytes (an escape never grows past that). Returns the decoded length. */
static size_t unescape(struct span a, char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < a.len; i++) {
		if (a.p[i] != '\\' || i + 1 >= a.len) {
			out[n++] = a.p[i];
			continue;
		}
		char c = a.p[++i];
		switch (c) {
		case 'b': out[n++] = '\b'; break;
		case 'f': out[n++] = '\f'; break;
		case 'n': out[n++] = '\n'; break;
		case 'r': out[n++] = '\r'; break;
		case 't': out[n++] = '\t'; break;
		case 'u':
			if (i + 4 < a.len) {
				unsigned cp = read_u4(a.p + i + 1);
				i += 4;
				if (cp >= 0xd800 && cp < 0xdc00 && i + 6 < a.len && a.p[i + 1] == '\\' && a.p[i + 2] == 'u') {
					unsigned lo = read_u4(a.p + i + 3);
					if (lo >= 0xdc00 && lo < 0xe000) {
						cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
						i += 6;
					}
				}
				if (cp >= 0xd800 && cp < 0xe000)
					cp = 0xfffd; /* an unpaired surrogate, as json-c decodes it */
				n += fng_utf8_encode(out + n, cp);
			}
			break;
		default: out[n++] = c; break; /* \" \\ \/ */
		}
	}
	return n;
}

/* 1 when a and b are the same key once decoded, 0 when not, or -ENOMEM. */
static int span_eq(struct span a, struct span b)
{
	autofree char *x = NULL, *y = NULL;
	size_t nx, ny;

	if (!memchr(a.p, '\\', a.len) && !memchr(b.p, '\\', b.len))
		return a.len == b.len && memcmp(a.p, b.p, a.len) == 0;
	x = malloc(a.len * 4 + 4);
	y = malloc(b.len * 4 + 4);
	if (!x || !y)
		return -ENOMEM;
	nx = unescape(a, x);
	ny = unescape(b, y);
	return nx == ny && memcmp(x, y, nx) == 0;
}

/* Only places an error message: out of memory leaves it unplaced. */
static bool span_is(struct span a, const char *key)
{
	struct span k = { key, strlen(key) };
	return span_eq(a, k) == 1;
}

struct dupcheck {
	bool on;
	size_t off; /* set when a duplicate is found */
	bool found;
};

static int scan_value(struct scan *sc, int depth, struct dupcheck *dc);

/* At an opening bracket: step past it; true (and past close too) when the
 * object or array is empty. */
static bool open_empty(struct scan *sc, char close)
{
	sc->i++;
	skip_ws(sc);
	if (sc->i < sc->n && sc->s[sc->i] == close) {
		sc->i++;
		return true;
	}
	return false;
}

/* After a member: 1 past the ',' when another follows, 0 past close at the
 * end, or -EINVAL. */
static int next_member(struct scan *sc, char close)
{
	skip_ws(sc);
	if (sc->i >= sc->n)
		return -EINVAL;
	if (sc->s[sc->i] == ',') {
		sc->i++;
		return 1;
	}
	if (sc->s[sc->i] == close) {
		sc->i++;
		return 0;
	}
	return -EINVAL;
}

/* Remember key (at key_off) among the object's keys; a key seen before is
 * the duplicate. 0 or -ENOMEM: a key that cannot be compared is not let by. */
static int note_key(struct dupcheck *dc, struct span **keys, size_t *nkeys, size_t *cap, struct span key,
		    size_t key_off)
{
	for (size_t k = 0; k < *nkeys; k++) {
		int r = span_eq((*keys)[k], key);
		if (r < 0)
			return r;
		if (r) {
			dc->found = true;
			dc->off = key_off;
			break;
		}
	}
	if (*nkeys == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		struct span *nk = realloc(*keys, ncap * sizeof(*nk));
		if (!nk)
			return -ENOMEM;
		*keys = nk;
		*cap = ncap;
	}
	(*keys)[(*nkeys)++] = key;
	return 0;
}

static int scan_object(struct scan *sc, int depth, struct dupcheck *dc)
{
	autofree struct span *keys = NULL;
	size_t nkeys = 0, cap = 0;
	int r;

	if (open_empty(sc, '}'))
		return 0;
	do {
		struct span key;
		size_t key_off;

		skip_ws(sc);
		key_off = sc->i;
		if (scan_string(sc, &key) < 0)
			return -EINVAL;
		if (dc && dc->on && !dc->found) {
			r = note_key(dc, &keys, &nkeys, &cap, key, key_off);
			if (r < 0)
				return r;
		}
		skip_ws(sc);
		if (sc->i >= sc->n || sc->s[sc->i] != ':')
			return -EINVAL;
		sc->i++;
		r = scan_value(sc, depth + 1, dc);
		if (r < 0)
			return r;
		r = next_member(sc, '}');
	} while (r > 0);
	return r;
}

static int scan_array(struct scan *sc, int depth, struct dupcheck *dc)
{
	int r;

	if (open_empty(sc, ']'))
		return 0;
	do {
		r = scan_value(sc, depth + 1, dc);
		if (r < 0)
			return r;
		r = next_member(sc, ']');
	} while (r > 0);
	return r;
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
		return scan_literal(sc);
	}
}

int fng_json_find_duplicate_key(const char *text, size_t len, size_t *off)
{
	struct scan sc = { .s = text, .n = len };
	struct dupcheck dc = { .on = true };
	int r = scan_value(&sc, 0, &dc);

	if (dc.found) {
		*off = dc.off;
		return -EEXIST;
	}
	if (r < 0) {
		*off = sc.failed ? sc.err : sc.i;
		return r;
	}
	skip_ws(&sc);
	if (sc.i < sc.n) {
		*off = sc.i;
		return -EINVAL;
	}
	return 0;
}

static int locate(const char *text, size_t len, const struct fng_json_step *path, size_t depth, size_t *off,
		  bool want_key)
{
	struct scan sc = { .s = text, .n = len };

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
