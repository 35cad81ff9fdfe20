/* An XML document read as its parser reads its bytes (xmlenc.h): the
 * encoding of the first bytes (XML 1.0 Appendix F, as libxml2 and expat
 * detect it), the declared one (names as libxml2 hands them to iconv, and
 * Python's spellings of them), glibc's iconv into UTF-8. Pure. */
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/ascii.h"
#include "common/util.h"
#include "policy/payload/xmlenc.h"

/* What the first bytes say (Appendix F). */
enum xe_enc { XE_NONE = 0, XE_ASCII, XE_U16LE, XE_U16BE, XE_U32LE, XE_U32BE, XE_EBCDIC, XE_ODD };

static const char *const xe_iconv_name[] = {
	[XE_U16LE] = "UTF-16LE", [XE_U16BE] = "UTF-16BE", [XE_U32LE] = "UTF-32LE",
	[XE_U32BE] = "UTF-32BE", [XE_EBCDIC] = "IBM037",
};

static bool xe_is(const char *s, size_t len, const char *sig, size_t n)
{
	return len >= n && !memcmp(s, sig, n);
}

/* The encoding the first bytes give, and the byte-order mark's length. A
 * mark not followed by '<' is text, not an XML document (XE_NONE). */
static enum xe_enc xe_detect(const char *s, size_t len, size_t *bom)
{
	*bom = 0;
	unsigned char c = len ? (unsigned char)s[0] : 1;

	if (len < 4 || (c && c != 0x3c && c != 0x4c && c != 0xef && c != 0xfe && c != 0xff))
		return XE_NONE;
	if (xe_is(s, len, "\0\0\xfe\xff", 4) || xe_is(s, len, "\xff\xfe\0\0", 4)) {
		*bom = 4;
		bool be = s[0] == 0;
		return xe_is(s + 4, len - 4, be ? "\0\0\0<" : "<\0\0\0", 4) ? (be ? XE_U32BE : XE_U32LE) : XE_NONE;
	}
	if (xe_is(s, len, "\0\0\0<", 4))
		return XE_U32BE;
	if (xe_is(s, len, "<\0\0\0", 4))
		return XE_U32LE;
	if (xe_is(s, len, "\0\0<\0", 4) || xe_is(s, len, "\0<\0\0", 4))
		return XE_ODD;
	if (xe_is(s, len, "\x4c\x6f\xa7\x94", 4))
		return XE_EBCDIC;
	if (xe_is(s, len, "\xfe\xff\0<", 4) || xe_is(s, len, "\xff\xfe<\0", 4)) {
		*bom = 2;
		return s[0] == '\xfe' ? XE_U16BE : XE_U16LE;
	}
	if (xe_is(s, len, "<\0", 2)) /* expat: a '<' and a NUL, no mark needed */
		return XE_U16LE;
	if (xe_is(s, len, "\0<", 2))
		return XE_U16BE;
	if (xe_is(s, len, "\xef\xbb\xbf", 3))
		*bom = 3;
	return xe_is(s + *bom, len - *bom, "<?xml", 5) ? XE_ASCII : XE_NONE;
}

static bool xe_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The declared encoding of text t (UTF-8, starts "<?xml"): its name into
 * name (cap bytes) and the offset just past its closing quote; 0 when
 * there is none (or it is malformed: the parsers refuse the document);
 * (size_t)-1 when the name is too long to be one iconv knows. */
static size_t xe_decl(const char *t, size_t n, char *name, size_t cap)
{
	const char *q = memmem(t, n, "?>", 2);
	size_t end = q ? (size_t)(q - t) : n;

	for (size_t i = 5; i + 8 < end; i++) {
		if (memcmp(t + i, "encoding", 8) || !(xe_blank(t[i - 1]) || t[i - 1] == '"' || t[i - 1] == '\''))
			continue;
		size_t j = i + 8;
		while (j < end && xe_blank(t[j]))
			j++;
		if (j >= end || t[j++] != '=')
			return 0;
		while (j < end && xe_blank(t[j]))
			j++;
		if (j >= end || (t[j] != '"' && t[j] != '\''))
			return 0;
		const char *close = memchr(t + j + 1, t[j], end - j - 1);
		size_t nl = close ? (size_t)(close - (t + j + 1)) : 0;
		if (!close || !nl || !fng_isalpha((unsigned char)t[j + 1]))
			return 0;
		for (size_t k = 0; k < nl; k++)
			if (!fng_isalnum((unsigned char)t[j + 1 + k]) && !strchr("._-", t[j + 1 + k]))
				return 0;
		if (nl >= cap)
			return (size_t)-1;
		memcpy(name, t + j + 1, nl);
		name[nl] = '\0';
		return (size_t)(close - t) + 1;
	}
	return 0;
}

/* Python's spellings iconv does not take (encodings.aliases names whose
 * codecs glibc has under another name). */
static const char *const xe_py_alias[][2] = {
	{ "u7", "UTF-7" }, { "unicode_1_1_utf_7", "UTF-7" }, { "u8", "UTF-8" }, { "utf", "UTF-8" },
	{ "cp65001", "UTF-8" }, { "u16", "UTF-16" }, { "u32", "UTF-32" }, { "latin", "LATIN1" },
	{ "iso_latin_1", "LATIN1" }, { "mac_roman", "MACINTOSH" }, { "macroman", "MACINTOSH" },
	{ "ebcdic_cp_us", "IBM037" }, { "ebcdic_cp_ca", "IBM037" }, { "ebcdic_cp_nl", "IBM037" },
	{ "ebcdic_cp_wt", "IBM037" }, { "ebcdic_cp_be", "IBM500" }, { "ebcdic_cp_ch", "IBM500" },
	{ "ebcdic_cp_he", "IBM424" }, { NULL, NULL },
};

/* A decoder from the declared name: as libxml2 hands it to iconv (glibc
 * folds case), then as Python normalises it ('-' and '_' alike, or gone;
 * its aliases). (iconv_t)-1 when none knows it. */
static iconv_t xe_open(const char *name)
{
	char v[64], w[64];
	size_t k = 0, n = strnlen(name, sizeof(v) - 1);
	iconv_t cd = iconv_open("UTF-8", name);

	if (cd != (iconv_t)-1)
		return cd;
	for (size_t i = 0; i < n; i++) {
		v[i] = name[i] == '_' ? '-' : name[i];
		if (name[i] != '-' && name[i] != '_')
			w[k++] = name[i];
	}
	v[n] = w[k] = '\0';
	if ((cd = iconv_open("UTF-8", v)) != (iconv_t)-1 || (cd = iconv_open("UTF-8", w)) != (iconv_t)-1)
		return cd;
	for (size_t i = 0; i < n; i++) /* Python's normal form: lower case, '_' between words */
		v[i] = name[i] == '-' || name[i] == '.' ? '_' : (char)fng_tolower((unsigned char)name[i]);
	for (size_t a = 0; xe_py_alias[a][0]; a++)
		if (!strcmp(v, xe_py_alias[a][0]))
			return iconv_open("UTF-8", xe_py_alias[a][1]);
	return (iconv_t)-1;
}

static void xe_close(iconv_t *cd)
{
	if (*cd != (iconv_t)-1)
		iconv_close(*cd);
}

/* pre (plen bytes, as they are) then in[0, inlen) decoded by cd into a new
 * buffer (the bound: FNG_XMLENC_GROWTH per byte). 0, -EILSEQ (does not
 * decode, or over the bound), -ENOMEM. */
static int xe_decode(iconv_t cd, const char *pre, size_t plen, const char *in, size_t inlen, char **out,
		     size_t *outlen)
{
	size_t cap = plen + (size_t)FNG_XMLENC_GROWTH * inlen + 64;
	char *buf = malloc(cap + 1);

	if (!buf)
		return -ENOMEM;
	memcpy(buf, pre, plen);
	iconv(cd, NULL, NULL, NULL, NULL); /* the initial state, whatever a last call left */
	char *ip = (char *)in, *op = buf + plen;
	size_t il = inlen, ol = cap - plen;
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1) {
		free(buf);
		return -EILSEQ;
	}
	*op = '\0';
	*out = buf;
	*outlen = (size_t)(op - buf);
	return 0;
}

__attribute__((format(printf, 3, 4))) static int xe_fail(char *why, size_t cap, const char *fmt, ...)
{
	va_list ap;

	if (why && cap) {
		va_start(ap, fmt);
		vsnprintf(why, cap, fmt, ap);
		va_end(ap);
	}
	return -EILSEQ;
}

/* Names the parsers take to mean the encoding the first bytes gave (they
 * do not switch for them): UTF-8 and UTF-16 (libxml2), and the unmarked
 * name of the width found. */
static bool xe_same(enum xe_enc e, const char *name)
{
	static const char *const any[] = { "utf-8", "utf8", "utf-16", "utf16", NULL };
	static const char *const two[] = { "ucs-2", "ucs2", "iso-10646-ucs-2", NULL };
	static const char *const four[] = { "utf-32", "utf32", "ucs-4", "ucs4", "iso-10646-ucs-4", NULL };
	const char *const *more = e == XE_U16LE || e == XE_U16BE ? two : e == XE_U32LE || e == XE_U32BE ? four : NULL;

	for (size_t i = 0; any[i]; i++)
		if (!strcasecmp(name, any[i]))
			return e != XE_EBCDIC;
	for (size_t i = 0; more && more[i]; i++)
		if (!strcasecmp(name, more[i]))
			return true;
	return e == XE_ASCII && (!strcasecmp(name, "us-ascii") || !strcasecmp(name, "ascii"));
}

/* An ASCII-compatible document: the declaration as it is, what follows
 * its encoding's closing quote in that encoding (where libxml2 switches). */
static int xe_ascii(const char *s, size_t len, char **out, size_t *outlen, char *why, size_t whycap)
{
	char name[64];
	size_t q = xe_decl(s, len, name, sizeof(name));

	if (q == (size_t)-1)
		return xe_fail(why, whycap, "an XML document declaring an encoding name too long to know");
	if (!q || xe_same(XE_ASCII, name))
		return 0;
	iconv_t cd __attribute__((cleanup(xe_close))) = xe_open(name);
	if (cd == (iconv_t)-1)
		return xe_fail(why, whycap, "an XML document in an encoding fnguard cannot decode (%s)", name);
	int r = xe_decode(cd, s, q, s + q, len - q, out, outlen);
	if (r == -EILSEQ)
		return xe_fail(why, whycap, "an XML document whose bytes do not decode as its declared %s", name);
	if (r < 0)
		return r;
	if (*outlen == len && !memcmp(*out, s, len)) { /* ASCII: the same text */
		free(*out);
		*out = NULL;
		return 0;
	}
	/* parsers that switch after the declaration's "?>" (Xerces) read the
	 * rest from there: a multi-byte encoding must read it the same */
	const char *end = memmem(s + q, len - q, "?>", 2);
	autofree char *rest = NULL;
	size_t rn = 0;
	int r2 = end ? xe_decode(cd, "", 0, end + 2, len - (size_t)(end + 2 - s), &rest, &rn) : 0;
	if (end && (r2 || rn > *outlen || memcmp(*out + *outlen - rn, rest, rn))) {
		free(*out);
		*out = NULL;
		return r2 == -ENOMEM ? r2 : xe_fail(why, whycap, "an XML document whose declared %s reads it otherwise from the declaration's end", name);
	}
	return 1;
}

/* A UTF-16, UTF-32 or EBCDIC document: read in the encoding of its first
 * bytes; a declared encoding that reads it otherwise is refused (libxml2
 * would read part in one, part in the other). */
static int xe_wide(enum xe_enc e, const char *s, size_t len, char **out, size_t *outlen, char *why, size_t whycap)
{
	char name[64];
	autofree char *first = NULL, *other = NULL;
	size_t fn = 0, on = 0, q = 0;
	iconv_t cd __attribute__((cleanup(xe_close))) = iconv_open("UTF-8", xe_iconv_name[e]);

	if (cd == (iconv_t)-1)
		return xe_fail(why, whycap, "an XML document in %s, which iconv does not decode", xe_iconv_name[e]);
	int r = xe_decode(cd, "", 0, s, len, &first, &fn);
	if (r == -EILSEQ)
		return xe_fail(why, whycap, "an XML document whose bytes do not decode as %s (its first bytes)",
			       xe_iconv_name[e]);
	if (r < 0)
		return r;
	if (fn >= 5 && !memcmp(first, "<?xml", 5))
		q = xe_decl(first, fn, name, sizeof(name));
	if (q == (size_t)-1)
		return xe_fail(why, whycap, "an XML document declaring an encoding name too long to know");
	if (q && !xe_same(e, name)) {
		iconv_t dd __attribute__((cleanup(xe_close))) = xe_open(name);
		if (dd == (iconv_t)-1)
			return xe_fail(why, whycap, "an XML document in an encoding fnguard cannot decode (%s)", name);
		r = xe_decode(dd, "", 0, s, len, &other, &on);
		if (r == -ENOMEM)
			return r;
		if (r < 0)
			return xe_fail(why, whycap, "an XML document whose bytes do not decode as its declared %s", name);
		/* the same text both ways (cp037 declared in IBM037's bytes): one reading */
		if (fn != on || memcmp(first, other, on))
			return xe_fail(why, whycap, "an XML document declaring %s, read otherwise by its first bytes (%s)",
				       name, xe_iconv_name[e]);
	}
	*out = first;
	*outlen = fn;
	first = NULL;
	return 1;
}

int fng_xmlenc_read(const char *s, size_t len, char **out, size_t *outlen, char *why, size_t whycap)
{
	size_t bom = 0;
	enum xe_enc e = xe_detect(s, len, &bom);

	*out = NULL;
	*outlen = 0;
	if (why && whycap)
		why[0] = '\0';
	switch (e) {
	case XE_NONE:
		return 0;
	case XE_ODD:
		return xe_fail(why, whycap, "an XML document in UCS-4 of an unusual byte order (2143 or 3412)");
	case XE_ASCII:
		return xe_ascii(s + bom, len - bom, out, outlen, why, whycap);
	default:
		return xe_wide(e, s + bom, len - bom, out, outlen, why, whycap);
	}
}
