/* The JSON writer of event lines (jw.h). */
#include "logging/format/jw.h"
#include "common/hex.h"
#include "common/utf8.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define JW_FIRST 1024	/* the first allocation: most lines fit */

/* Room for n more bytes (and a NUL); false (and oom) when there is none. */
static bool room(struct fng_jw *w, size_t n)
{
	size_t cap = w->cap ? w->cap : JW_FIRST;
	char *nb;

	if (w->oom)
		return false;
	if (w->len + n + 1 <= w->cap)
		return true;
	while (cap < w->len + n + 1)
		cap *= 2;
	nb = realloc(w->buf, cap);
	if (!nb) {
		w->oom = true;
		return false;
	}
	w->buf = nb;
	w->cap = cap;
	return true;
}

static void put(struct fng_jw *w, const char *s, size_t n)
{
	if (room(w, n)) {
		memcpy(w->buf + w->len, s, n);
		w->len += n;
	}
}

static void putc1(struct fng_jw *w, char c)
{
	if (room(w, 1))
		w->buf[w->len++] = c;
}

void fng_jw_init(struct fng_jw *w)
{
	memset(w, 0, sizeof(*w));
	w->depth = 1;
	putc1(w, '{');
}

void fng_jw_free(struct fng_jw *w)
{
	free(w->buf);
	w->buf = NULL;
	w->len = w->cap = 0;
}

/* The comma and "key": of the next member or element. */
static void begin(struct fng_jw *w, const char *key)
{
	if (w->lv[w->depth - 1].any)
		putc1(w, ',');
	w->lv[w->depth - 1].any = true;
	if (key) {
		putc1(w, '"');
		put(w, key, strlen(key));
		put(w, "\":", 2);
	}
}

/* s[0..n) escaped as json-c escapes, bytes that are not UTF-8 as U+FFFD;
 * false when there was such a byte. One pass: runs of plain bytes copied. */
static bool put_escaped(struct fng_jw *w, const char *s, size_t n)
{
	static const char hexd[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0;
	bool ok = true;

	while (i < n) {
		unsigned char c = u[i];
		char esc[6];
		size_t k = 1, el = 2;

		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0x80) {
			k = fng_utf8_seq(u + i, n - i);
			if (k) {
				i += k;
				continue;
			}
		}
		put(w, s + run, i - run);
		esc[0] = '\\';
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			if (c >= 0x80) {
				memcpy(esc, "\xef\xbf\xbd", 3);
				el = 3;
				ok = false;
			} else {
				memcpy(esc + 1, "u00", 3);
				esc[4] = hexd[c >> 4];
				esc[5] = hexd[c & 15];
				el = 6;
			}
		}
		put(w, esc, el);
		run = ++i;
	}
	put(w, s + run, n - run);
	return ok;
}

static void defer_hex(struct fng_jw *w, const char *key, const char *s, size_t n, unsigned argc)
{
	if (w->nhex < FNG_JW_HEX_MAX)
		w->hex[w->nhex++] = (struct fng_jw_hex){ .key = key, .s = s, .n = n, .argc = argc };
}

void fng_jw_str(struct fng_jw *w, const char *key, const char *s, size_t n)
{
	bool ok;

	begin(w, key);
	putc1(w, '"');
	ok = put_escaped(w, s, n);
	putc1(w, '"');
	if (!ok && key && !w->lv[w->depth - 1].array)
		defer_hex(w, key, s, n, 0);
}

void fng_jw_cstr(struct fng_jw *w, const char *key, const char *s)
{
	if (s && *s)
		fng_jw_str(w, key, s, strlen(s));
}

static void put_hex(struct fng_jw *w, const uint8_t *b, size_t n)
{
	putc1(w, '"');
	if (room(w, 2 * n + 1)) {
		fng_hex(w->buf + w->len, b, n);
		w->len += 2 * n;
	}
	putc1(w, '"');
}

void fng_jw_hexbytes(struct fng_jw *w, const char *key, const uint8_t *b, size_t n)
{
	begin(w, key);
	put_hex(w, b, n);
}

static void put_u64(struct fng_jw *w, uint64_t v)
{
	char d[24];
	size_t i = sizeof(d);

	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(w, d + i, sizeof(d) - i);
}

void fng_jw_uint(struct fng_jw *w, const char *key, uint64_t v)
{
	begin(w, key);
	put_u64(w, v);
}

void fng_jw_int(struct fng_jw *w, const char *key, int64_t v)
{
	begin(w, key);
	if (v < 0)
		putc1(w, '-');
	put_u64(w, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
}

void fng_jw_true(struct fng_jw *w, const char *key)
{
	begin(w, key);
	put(w, "true", 4);
}

void fng_jw_hexnum(struct fng_jw *w, const char *key, uint64_t v)
{
	static const char hexd[] = "0123456789abcdef";
	char d[20];
	size_t i = sizeof(d);

	do {
		d[--i] = hexd[v & 15];
		v >>= 4;
	} while (v);
	begin(w, key);
	put(w, "\"0x", 3);
	put(w, d + i, sizeof(d) - i);
	putc1(w, '"');
}

void fng_jw_open(struct fng_jw *w, const char *key, bool array)
{
	size_t start = w->len;
	bool parent_any = w->lv[w->depth - 1].any;

	if (w->depth >= FNG_JW_DEPTH) {
		w->oom = true;	/* fnguard's lines nest less: a bug, not a line */
		return;
	}
	begin(w, key);
	putc1(w, array ? '[' : '{');
	w->lv[w->depth].start = start;
	w->lv[w->depth].hex0 = w->nhex;
	w->lv[w->depth].any = false;
	w->lv[w->depth].parent_any = parent_any;
	w->lv[w->depth].array = array;
	w->depth++;
}

/* The next of argc strings in a[0..size) at *p, or false past the end. */
static bool next_str(const char *a, size_t size, size_t *p, const char **s, size_t *n)
{
	if (*p >= size)
		return false;
	*s = a + *p;
	*n = strnlen(*s, size - *p);
	*p += *n + 1;
	return true;
}

/* An object's pending KEY_hex members: "key_hex": the hex of the bytes,
 * or of an array's strings that were not UTF-8 (null for the others). */
static void put_pending_hex(struct fng_jw *w, unsigned from)
{
	for (unsigned i = from; i < w->nhex; i++) {
		const struct fng_jw_hex *h = &w->hex[i];
		const char *s;
		size_t n, p = 0;

		begin(w, NULL);
		putc1(w, '"');
		put(w, h->key, strlen(h->key));
		put(w, "_hex\":", 6);
		if (!h->argc) {
			put_hex(w, (const uint8_t *)h->s, h->n);
			continue;
		}
		putc1(w, '[');
		for (unsigned k = 0; k < h->argc && next_str(h->s, h->n, &p, &s, &n); k++) {
			if (k)
				putc1(w, ',');
			if (fng_utf8_valid((const unsigned char *)s, n))
				put(w, "null", 4);
			else
				put_hex(w, (const uint8_t *)s, n);
		}
		putc1(w, ']');
	}
	w->nhex = from;
}

void fng_jw_close(struct fng_jw *w)
{
	unsigned d = w->depth - 1;

	if (w->depth <= 1)
		return;
	if (!w->lv[d].array)
		put_pending_hex(w, w->lv[d].hex0);
	putc1(w, w->lv[d].array ? ']' : '}');
	w->depth--;
}

void fng_jw_close_or_drop(struct fng_jw *w)
{
	unsigned d = w->depth - 1;

	if (w->depth <= 1)
		return;
	if (w->lv[d].any) {
		fng_jw_close(w);
		return;
	}
	w->len = w->lv[d].start;
	w->depth--;
	w->lv[w->depth - 1].any = w->lv[d].parent_any;
}

void fng_jw_strs(struct fng_jw *w, const char *key, const char *a, size_t size, unsigned argc)
{
	const char *s;
	size_t n, p = 0;
	bool ok = true;

	fng_jw_open(w, key, true);
	for (unsigned k = 0; k < argc && next_str(a, size, &p, &s, &n); k++) {
		begin(w, NULL);
		putc1(w, '"');
		ok &= put_escaped(w, s, n);
		putc1(w, '"');
	}
	fng_jw_close(w);
	if (!ok && w->depth >= 1 && !w->lv[w->depth - 1].array)
		defer_hex(w, key, a, size, argc);
}

int fng_jw_finish(struct fng_jw *w, char **out, size_t *len)
{
	while (w->depth > 1)
		fng_jw_close(w);
	put_pending_hex(w, 0);
	putc1(w, '}');
	putc1(w, '\n');
	if (w->oom) {
		fng_jw_free(w);
		return -ENOMEM;
	}
	w->buf[w->len] = '\0';
	*out = w->buf;
	*len = w->len;
	w->buf = NULL;
	return 0;
}
