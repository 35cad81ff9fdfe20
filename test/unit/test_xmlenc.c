/* Unit tests for policy/payload/xmlenc.c: XML documents read as their
 * parsers read their bytes (Appendix F autodetection, the declared
 * encoding through iconv, Python's spellings), the documents refused as
 * unreadable, and the firewall's view (a leaf of the reading: its class;
 * an unreadable document: a limit). Inputs are built with iconv. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/payload/firewall.h"
#include "policy/payload/xmlenc.h"

#define XXE "<!DOCTYPE r [<!ENTITY x SYSTEM \"/srv/secret\">]><r>&x;</r>"
#define DECL(e) "<?xml version=\"1.0\" encoding=\"" e "\"?>"

/* text in encoding to (iconv), after pre as it is; its length in *n */
static char *enc(const char *pre, const char *to, const char *text, size_t *n)
{
	size_t pl = strlen(pre), il = strlen(text), cap = pl + il * 4 + 16, ol = cap - pl;
	char *out = malloc(cap), *ip = (char *)text, *op;
	iconv_t cd = iconv_open(to, "UTF-8");

	assert_non_null(out);
	assert_true(cd != (iconv_t)-1);
	memcpy(out, pre, pl);
	op = out + pl;
	assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
	iconv_close(cd);
	*n = (size_t)(op - out);
	return out;
}

struct xcase {
	const char *name;
	const char *pre;	/* bytes as they are */
	const char *to;		/* then text in this encoding (NULL: as it is) */
	const char *text;
	int want;		/* 0, 1, -EILSEQ */
	const char *has;	/* in the reading (1) or the reason (-EILSEQ) */
};

static const struct xcase xcases[] = {
	{ "no declaration", "", NULL, XXE, 0, NULL },
	{ "UTF-8 declared", DECL("utf-8"), NULL, XXE, 0, NULL },
	{ "US-ASCII declared", DECL("US-ASCII"), NULL, XXE, 0, NULL },
	{ "UTF-16 on 8-bit bytes (the parsers refuse it)", DECL("utf-16"), NULL, "<r/>", 0, NULL },
	{ "a declaration not at the start", " " DECL("UTF7"), "UTF-7", XXE, 0, NULL },
	{ "encoding in content, not the declaration", "<?xml version=\"1.0\"?><a encoding=\"cp037\"/>", NULL, "", 0, NULL },
	{ "a BOM then text that is not XML", "", "UTF-16", "hello", 0, NULL },
	{ "ISO-8859-1: decoded", DECL("ISO-8859-1"), "ISO-8859-1", "<r>caf\xc3\xa9</r>", 1, "<r>caf\xc3\xa9</r>" },
	{ "UTF-7", DECL("UTF-7"), "UTF-7", XXE, 1, "<!ENTITY x SYSTEM" },
	{ "UTF7 (iconv's alias)", DECL("UTF7"), "UTF-7", XXE, 1, "<!ENTITY x SYSTEM" },
	{ "utf_7 (Python's spelling)", DECL("utf_7"), "UTF-7", XXE, 1, "<!ENTITY x SYSTEM" },
	{ "U7 (Python's alias)", DECL("U7"), "UTF-7", XXE, 1, "<!ENTITY x SYSTEM" },
	{ "cp037 after the encoding's quote (libxml2 switches there)", "<?xml version=\"1.0\" encoding=\"cp037\"", "IBM037",
	  "?>" XXE, 1, "<!ENTITY x SYSTEM" },
	{ "UTF-16LE from the quote and from \"?>\" alike", "<?xml version=\"1.0\" encoding=\"UTF-16LE\"", "UTF-16LE",
	  "?>" XXE, 1, "<!ENTITY x SYSTEM" },
	{ "EBCDIC from the first bytes, declared cp037", "", "IBM037", DECL("cp037") XXE, 1, "<!ENTITY x SYSTEM" },
	{ "EBCDIC, declared ebcdic-cp-us", "", "IBM037", DECL("ebcdic-cp-us") XXE, 1, "<!ENTITY x SYSTEM" },
	{ "EBCDIC, no encoding declared (IBM037)", "", "IBM037", "<?xml version=\"1.0\"?>" XXE, 1, "<!ENTITY x SYSTEM" },
	{ "EBCDIC declaring a code page that reads it otherwise", "", "IBM037", DECL("IBM500") XXE, -EILSEQ,
	  "read otherwise" },
	{ "UTF-16LE with a BOM", "\xff\xfe", "UTF-16LE", XXE, 1, "<!ENTITY x SYSTEM" },
	{ "UTF-16BE without a BOM", "", "UTF-16BE", DECL("UTF-16") XXE, 1, "<!ENTITY x SYSTEM" },
	{ "UTF-16LE without a declaration (expat)", "", "UTF-16LE", XXE, 1, "<!ENTITY x SYSTEM" },
	{ "UTF-16LE declaring UTF-8 (libxml2 keeps UTF-16)", "", "UTF-16LE", DECL("UTF-8") XXE, 1, "<!ENTITY x SYSTEM" },
	{ "UTF-32BE", "", "UTF-32BE", "<?xml version=\"1.0\"?>" XXE, 1, "<!ENTITY x SYSTEM" },
	{ "UTF-32 with a BOM", "", "UTF-32", XXE, 1, "<!ENTITY x SYSTEM" },
	{ "UTF-16LE declaring UTF-7", "", "UTF-16LE", DECL("UTF-7") XXE, -EILSEQ, "" },
	{ "an encoding iconv does not know", DECL("X-NO-SUCH"), NULL, XXE, -EILSEQ, "cannot decode (X-NO-SUCH)" },
	{ "bytes that do not decode", DECL("windows-1252"), NULL, "<r>\x81</r>", -EILSEQ, "do not decode as its declared" },
	{ "UCS-4 in byte order 2143", "\0\0<\0\0\0?\0", NULL, "", -EILSEQ, "unusual byte order" },
	{ "UTF-16 of odd length", "<\0r\0/\0>", NULL, "", -EILSEQ, "do not decode as UTF-16LE" },
};

static void read_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(xcases) / sizeof(xcases[0]); i++) {
		const struct xcase *c = &xcases[i];
		size_t n = 0, on = 0;
		char *in = c->to ? enc(c->pre, c->to, c->text, &n) : NULL, *out = NULL, why[160];
		if (!in) { /* pre and text as they are; pre may hold NULs: its length from the text after it */
			size_t pl = !strncmp(c->pre, "\0\0<\0", 4) ? 8 : !strncmp(c->pre, "<\0r\0", 4) ? 7 : strlen(c->pre);
			n = pl + strlen(c->text);
			in = malloc(n + 1);
			memcpy(in, c->pre, pl);
			memcpy(in + pl, c->text, strlen(c->text) + 1);
		}
		int r = fng_xmlenc_read(in, n, &out, &on, why, sizeof(why));
		if (r != c->want)
			fail_msg("%s: %d, expected %d (%s)", c->name, r, c->want, why);
		if (r == 1 && (!out || !memmem(out, on, c->has, strlen(c->has))))
			fail_msg("%s: reading lacks %s", c->name, c->has);
		if (r == -EILSEQ && !strstr(why, c->has))
			fail_msg("%s: reason \"%s\" lacks \"%s\"", c->name, why, c->has);
		if (r != 1 && out)
			fail_msg("%s: a reading handed out with %d", c->name, r);
		free(out);
		free(in);
	}
}

/* UTF-16LE declared, aligned from the declaration's "?>" (where Xerces
 * switches) and not from its quote (libxml2): an odd gap, and one more
 * byte at the end so that both decode. Refused, whichever reads it. */
static void switch_points(void **state)
{
	(void)state;
	size_t n = 0, on = 0;
	char *doc = enc("<?xml version=\"1.0\" encoding=\"UTF-16LE\" ?>", "UTF-16LE", XXE, &n), *out = NULL, why[160];
	char *in = realloc(doc, n + 1);

	assert_non_null(in);
	in[n++] = 'x';
	assert_int_equal(fng_xmlenc_read(in, n, &out, &on, why, sizeof(why)), -EILSEQ);
	assert_non_null(strstr(why, "otherwise from the declaration's end"));
	assert_null(out);
	free(in);
}

struct seen {
	size_t n;
	char cls[4][32], match[4][160];
};

static void collect(const struct fng_fw_finding *f, void *arg)
{
	struct seen *s = arg;
	if (s->n < 4) {
		snprintf(s->cls[s->n], sizeof(s->cls[0]), "%s", f->cls);
		snprintf(s->match[s->n], sizeof(s->match[0]), "%s", f->match);
	}
	s->n++;
}

static const char b64a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* An API Gateway event whose body is doc, base64. */
static char *b64_event(const char *doc, size_t n)
{
	char *ev = malloc(n * 2 + 256);
	size_t k = (size_t)sprintf(ev, "{\"httpMethod\": \"POST\", \"requestContext\": {}, \"isBase64Encoded\": true, \"body\": \"");
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned char)doc[i] << 16 | (i + 1 < n ? (unsigned char)doc[i + 1] << 8 : 0) |
			     (i + 2 < n ? (unsigned char)doc[i + 2] : 0);
		ev[k++] = b64a[v >> 18 & 63];
		ev[k++] = b64a[v >> 12 & 63];
		ev[k++] = i + 1 < n ? b64a[v >> 6 & 63] : '=';
		ev[k++] = i + 2 < n ? b64a[v & 63] : '=';
	}
	strcpy(ev + k, "\"}");
	return ev;
}

/* What the firewall finds in a base64 body: the class of the reading, or
 * a limit naming why. */
static void firewall_view(void **state)
{
	(void)state;
	struct fng_fw_cfg c;
	struct { const char *to, *text, *cls, *match; } t[] = {
		{ "IBM037", DECL("cp037") XXE, "xxe", "external entity" },
		{ "UTF-7", DECL("UTF7") XXE, "xxe", "external entity" },
		{ "UTF-16LE", DECL("UTF-16") "<r>' OR '1'='1</r>", "sql_injection", NULL },
		{ "UTF-8", DECL("X-NO-SUCH") "<r/>", "limit", "cannot decode (X-NO-SUCH)" },
	};

	fng_fw_cfg_init(&c);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		size_t n, nf = 0;
		struct seen s = { 0 };
		char *doc = !strcmp(t[i].to, "UTF-7") ? enc(DECL("UTF7"), "UTF-7", XXE, &n) : enc("", t[i].to, t[i].text, &n);
		char *ev = b64_event(doc, n);
		assert_int_equal(fng_fw_inspect(&c, ev, strlen(ev), collect, &s, &nf), FNG_MODE_BLOCK);
		bool found = false;
		for (size_t k = 0; k < s.n && k < 4; k++)
			found |= !strcmp(s.cls[k], t[i].cls) && (!t[i].match || strstr(s.match[k], t[i].match));
		if (!found)
			fail_msg("case %zu: no %s finding (%zu findings, first %s: %s)", i, t[i].cls, s.n, s.cls[0], s.match[0]);
		free(ev);
		free(doc);
	}
	/* a JSON string that holds the document (code that encodes it to bytes) */
	size_t n, nf = 0;
	struct seen s = { 0 };
	char *doc = enc(DECL("UTF7"), "UTF-7", XXE, &n);
	char ev[1024];
	snprintf(ev, sizeof(ev), "{\"xml\": \"%.*s\"}", (int)n, doc);
	for (char *p = strchr(ev, '"') + 8; *p && p[1]; p++) /* the declaration's quotes, escaped for JSON */
		if (*p == '"' && p[-1] != '\\' && p[1] != '}') {
			memmove(p + 1, p, strlen(p) + 1);
			*p++ = '\\';
		}
	assert_int_equal(fng_fw_inspect(&c, ev, strlen(ev), collect, &s, &nf), FNG_MODE_BLOCK);
	bool xxe = false;
	for (size_t k = 0; k < s.n && k < 4; k++)
		xxe |= !strcmp(s.cls[k], "xxe");
	assert_true(xxe);
	free(doc);
	fng_fw_cfg_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(read_table),
		cmocka_unit_test(switch_points),
		cmocka_unit_test(firewall_view),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
