/* The input firewall's strict JSON reader (pjson.h): recursive descent over
 * the bytes, bounded depth, nodes in one growing array. Pure. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/hex.h"
#include "common/utf8.h"
#include "policy/payload/pjson.h"

struct pj {
	const char *s;
	size_t len, i;
	unsigned depth, max_depth;
	size_t max_nodes;
	struct fng_pj_doc *d;
};

/* Bytes a string's plain run stops at. Control characters are kept as
 * they are (json-c and Python's strict=False read them; the strict parsers
 * fail the event, so reading more costs nothing). */
static const unsigned char pj_stop[256] = {
	['"'] = 1, ['\\'] = 1,
};

/* JSON's whitespace (RFC 8259: nothing else, no BOM, no NUL). */
static const unsigned char pj_space[256] = {
	[' '] = 1, ['\n'] = 1, ['\r'] = 1, ['\t'] = 1,
};

static void pj_ws(struct pj *p)
{
	while (p->i < p->len && pj_space[(unsigned char)p->s[p->i]])
		p->i++;
}

/* A new node (its index), or -ENOMEM. */
static long pj_node(struct pj *p, unsigned type, const char *key, uint32_t klen)
{
	struct fng_pj_doc *d = p->d;

	if (d->count >= p->max_nodes)
		return FNG_PJ_MANY;
	if (d->count == d->cap) {
		size_t cap = d->cap * 2;
		struct fng_pj_node *t = reallocarray(d->n, cap, sizeof(*t));
		if (!t)
			return -ENOMEM;
		d->n = t;
		d->cap = cap;
	}
	d->n[d->count] = (struct fng_pj_node){ .key = key, .klen = klen, .type = (uint8_t)type, .skip = 1 };
	return (long)d->count++;
}

static int pj_hex4(const struct pj *p, size_t at, unsigned *v)
{
	int h[4];

	if (at + 4 > p->len)
		return FNG_PJ_INVALID;
	for (int k = 0; k < 4; k++)
		if ((h[k] = fng_hex_digit(p->s[at + k])) < 0)
			return FNG_PJ_INVALID;
	*v = (unsigned)(h[0] << 12 | h[1] << 8 | h[2] << 4 | h[3]);
	return 0;
}

/* One escape at p->i (after the backslash) decoded to o: its length, or
 * FNG_PJ_INVALID. A surrogate pair is one character; a lone surrogate is
 * U+FFFD. */
static int pj_escape(struct pj *p, char *o)
{
	unsigned cp, lo;
	char c = p->s[p->i++];
	const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
	const char *at = c ? strchr(from, c) : NULL;

	if (at) {
		o[0] = to[at - from];
		return 1;
	}
	if (c != 'u' || pj_hex4(p, p->i, &cp) < 0)
		return FNG_PJ_INVALID;
	p->i += 4;
	if (cp >= 0xd800 && cp < 0xdc00 && p->i + 6 <= p->len && p->s[p->i] == '\\' && p->s[p->i + 1] == 'u' &&
	    pj_hex4(p, p->i + 2, &lo) == 0 && lo >= 0xdc00 && lo < 0xe000) {
		p->i += 6;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	} else if (cp >= 0xd800 && cp < 0xe000) {
		cp = 0xfffd;
	}
	return (int)fng_utf8_encode(o, cp);
}

/* A string at p->i (after the opening quote): *out, *olen point into the
 * input when it has no escape, else into the decoded buffer. */
static int pj_string(struct pj *p, const char **out, uint32_t *olen)
{
	size_t b = p->i;

	while (p->i < p->len && !pj_stop[(unsigned char)p->s[p->i]])
		p->i++;
	if (p->i >= p->len)
		return FNG_PJ_INVALID;
	if (p->s[p->i] == '"') {
		*out = p->s + b;
		*olen = (uint32_t)(p->i++ - b);
		return 0;
	}
	/* escapes: decoded never grows (\uXXXX: 6 bytes to at most 3, a pair 12 to 4) */
	char *o = p->d->buf + p->d->used, *o0 = o;
	memcpy(o, p->s + b, p->i - b);
	o += p->i - b;
	while (p->i < p->len) {
		unsigned char c = (unsigned char)p->s[p->i];
		if (c == '"') {
			p->i++;
			*out = o0;
			*olen = (uint32_t)(o - o0);
			p->d->used += *olen;
			return 0;
		}
		if (c != '\\') { /* a plain run: copied whole */
			size_t r = p->i;
			while (r < p->len && !pj_stop[(unsigned char)p->s[r]])
				r++;
			memcpy(o, p->s + p->i, r - p->i);
			o += r - p->i;
			p->i = r;
			continue;
		}
		if (++p->i >= p->len)
			return FNG_PJ_INVALID;
		int n = pj_escape(p, o);
		if (n < 0)
			return n;
		o += n;
	}
	return FNG_PJ_INVALID;
}

static bool pj_digit(const struct pj *p)
{
	return p->i < p->len && p->s[p->i] >= '0' && p->s[p->i] <= '9';
}

static bool pj_word(struct pj *p, const char *w)
{
	size_t n = strlen(w);

	if (p->len - p->i < n || memcmp(p->s + p->i, w, n))
		return false;
	p->i += n;
	return true;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, NaN, Infinity, -Infinity. */
static int pj_number(struct pj *p)
{
	bool neg = p->s[p->i] == '-';

	p->i += neg;
	if (pj_word(p, "Infinity") || (!neg && pj_word(p, "NaN")))
		return 0;
	if (!pj_digit(p))
		return FNG_PJ_INVALID;
	if (p->s[p->i++] != '0')
		while (pj_digit(p))
			p->i++;
	if (p->i < p->len && p->s[p->i] == '.') {
		p->i++;
		if (!pj_digit(p))
			return FNG_PJ_INVALID;
		while (pj_digit(p))
			p->i++;
	}
	if (p->i < p->len && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
		p->i++;
		if (p->i < p->len && (p->s[p->i] == '+' || p->s[p->i] == '-'))
			p->i++;
		if (!pj_digit(p))
			return FNG_PJ_INVALID;
		while (pj_digit(p))
			p->i++;
	}
	return 0;
}

static int pj_value(struct pj *p, const char *key, uint32_t klen);

/* The members or elements of a container at p->i (after its opening
 * bracket) into node at. */
static int pj_container(struct pj *p, long at, bool obj)
{
	char close = obj ? '}' : ']';
	size_t kids = 0;
	int r;

	if (++p->depth > p->max_depth)
		return FNG_PJ_DEEP;
	pj_ws(p);
	if (p->i < p->len && p->s[p->i] == close) {
		p->i++;
	} else {
		for (;;) {
			const char *k = NULL;
			uint32_t kl = 0;
			if (obj) {
				if (p->i >= p->len || p->s[p->i] != '"')
					return FNG_PJ_INVALID;
				p->i++;
				if ((r = pj_string(p, &k, &kl)) < 0)
					return r;
				pj_ws(p);
				if (p->i >= p->len || p->s[p->i++] != ':')
					return FNG_PJ_INVALID;
			}
			if ((r = pj_value(p, k, kl)) < 0)
				return r;
			kids++;
			pj_ws(p);
			if (p->i >= p->len)
				return FNG_PJ_INVALID;
			char c = p->s[p->i++];
			if (c == close)
				break;
			if (c != ',')
				return FNG_PJ_INVALID;
			pj_ws(p);
		}
	}
	p->depth--;
	p->d->n[at].len = (uint32_t)kids;
	p->d->n[at].skip = (uint32_t)(p->d->count - (size_t)at);
	return 0;
}

/* One value at p->i (whitespace before it skipped). */
static int pj_value(struct pj *p, const char *key, uint32_t klen)
{
	pj_ws(p);
	if (p->i >= p->len)
		return FNG_PJ_INVALID;
	char c = p->s[p->i];
	size_t b = p->i;
	unsigned type = c == '{' ? FNG_PJ_OBJ : c == '[' ? FNG_PJ_ARR : c == '"' ? FNG_PJ_STR
		      : c == 't' || c == 'f' ? FNG_PJ_BOOL : c == 'n' ? FNG_PJ_NULL : FNG_PJ_NUM;
	long at = pj_node(p, type, key, klen);
	int r = 0;

	if (at < 0)
		return (int)at;
	struct fng_pj_node *n = &p->d->n[at];
	switch (type) {
	case FNG_PJ_OBJ:
	case FNG_PJ_ARR:
		p->i++;
		return pj_container(p, at, type == FNG_PJ_OBJ);
	case FNG_PJ_STR:
		p->i++;
		return pj_string(p, &n->s, &n->len);
	case FNG_PJ_BOOL:
		r = pj_word(p, "true") || pj_word(p, "false") ? 0 : FNG_PJ_INVALID;
		break;
	case FNG_PJ_NULL:
		r = pj_word(p, "null") ? 0 : FNG_PJ_INVALID;
		break;
	default:
		r = pj_number(p);
	}
	n->s = p->s + b;
	n->len = (uint32_t)(p->i - b);
	return r;
}

int fng_pj_parse(const char *s, size_t len, unsigned max_depth, size_t max_nodes, struct fng_pj_doc *d)
{
	struct pj p = { .s = s, .len = len, .max_depth = max_depth, .max_nodes = max_nodes, .d = d };
	int r;

	memset(d, 0, sizeof(*d));
	if (len >= UINT32_MAX)
		return FNG_PJ_INVALID;
	d->cap = len / 32 + 16;
	d->n = malloc(d->cap * sizeof(*d->n));
	d->buf = malloc(len + 1);
	if (!d->n || !d->buf) {
		fng_pj_free(d);
		return -ENOMEM;
	}
	r = pj_value(&p, NULL, 0);
	pj_ws(&p);
	if (r == 0 && p.i != len)
		r = FNG_PJ_INVALID;
	if (r < 0)
		fng_pj_free(d);
	return r;
}

void fng_pj_free(struct fng_pj_doc *d)
{
	free(d->n);
	free(d->buf);
	memset(d, 0, sizeof(*d));
}

bool fng_pj_eq(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && !memcmp(s, word, len);
}

size_t fng_pj_get(const struct fng_pj_doc *d, size_t o, const char *key)
{
	size_t found = (size_t)-1;

	if (o >= d->count || d->n[o].type != FNG_PJ_OBJ)
		return found;
	size_t end = o + d->n[o].skip;
	for (size_t i = o + 1; i < end; i = fng_pj_next(d, i))
		if (fng_pj_eq(d->n[i].key, d->n[i].klen, key))
			found = i;
	return found;
}
