/* Unit tests for policy/load/jsonpos.c: locating values, duplicate keys, line/col. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "policy/load/jsonpos.h"

/* Offset of the n-th (0-based) occurrence of needle in hay. */
static size_t nth(const char *hay, const char *needle, int n)
{
	const char *p = hay;

	for (;;) {
		p = strstr(p, needle);
		assert_non_null(p);
		if (n-- == 0)
			return (size_t)(p - hay);
		p++;
	}
}

static const char *doc = "{\"a\": {\"b\": [1, {\"c\": \"x\"}, 3]}, \"d\": true, \"e\": [[10, 20], [30]]}";

static void locate_nested_object_and_array(void **state)
{
	(void)state;
	const struct fng_json_step p[] = { { "a", 0 }, { "b", 0 }, { NULL, 1 }, { "c", 0 } };
	size_t off = 999;

	assert_int_equal(fng_json_locate(doc, strlen(doc), p, 4, &off), 0);
	assert_int_equal(off, nth(doc, "\"x\"", 0));
}

static void locate_array_elements(void **state)
{
	(void)state;
	size_t off = 999;
	const struct fng_json_step p0[] = { { "a", 0 }, { "b", 0 }, { NULL, 0 } };
	const struct fng_json_step p1[] = { { "a", 0 }, { "b", 0 }, { NULL, 1 } };
	const struct fng_json_step p2[] = { { "a", 0 }, { "b", 0 }, { NULL, 2 } };
	const struct fng_json_step pe[] = { { "e", 0 }, { NULL, 1 }, { NULL, 0 } };
	const struct fng_json_step pe2[] = { { "e", 0 }, { NULL, 0 }, { NULL, 1 } };

	assert_int_equal(fng_json_locate(doc, strlen(doc), p0, 3, &off), 0);
	assert_int_equal(off, nth(doc, "1, {", 0));
	assert_int_equal(fng_json_locate(doc, strlen(doc), p1, 3, &off), 0);
	assert_int_equal(off, nth(doc, "{\"c\"", 0));
	assert_int_equal(fng_json_locate(doc, strlen(doc), p2, 3, &off), 0);
	assert_int_equal(off, nth(doc, "3]", 0));
	assert_int_equal(fng_json_locate(doc, strlen(doc), pe, 3, &off), 0);
	assert_int_equal(off, nth(doc, "30", 0));
	assert_int_equal(fng_json_locate(doc, strlen(doc), pe2, 3, &off), 0);
	assert_int_equal(off, nth(doc, "20", 0));
}

static void locate_top_level_and_root(void **state)
{
	(void)state;
	const char *t = "  \n {\"k\" :\n\t  \"v\" }";
	const struct fng_json_step pk[] = { { "k", 0 } };
	const struct fng_json_step pd[] = { { "d", 0 } };
	size_t off = 999;

	/* depth 0: the root value, after leading white space */
	assert_int_equal(fng_json_locate(t, strlen(t), NULL, 0, &off), 0);
	assert_int_equal(off, 4);
	assert_int_equal(fng_json_locate(t, strlen(t), pk, 1, &off), 0);
	assert_int_equal(off, nth(t, "\"v\"", 0));
	assert_int_equal(fng_json_locate(doc, strlen(doc), pd, 1, &off), 0);
	assert_int_equal(off, nth(doc, "true", 0));
}

static void locate_missing(void **state)
{
	(void)state;
	size_t off = 12345;
	const struct fng_json_step nokey[] = { { "zz", 0 } };
	const struct fng_json_step past_end[] = { { "a", 0 }, { "b", 0 }, { NULL, 3 } };
	const struct fng_json_step key_on_array[] = { { "a", 0 }, { "b", 0 }, { "c", 0 } };
	const struct fng_json_step index_on_object[] = { { "a", 0 }, { NULL, 0 } };
	const struct fng_json_step empty_obj[] = { { "q", 0 }, { "x", 0 } };
	const char *t2 = "{\"q\": {}}";

	assert_int_equal(fng_json_locate(doc, strlen(doc), nokey, 1, &off), -ENOENT);
	assert_int_equal(fng_json_locate(doc, strlen(doc), past_end, 3, &off), -ENOENT);
	assert_int_equal(fng_json_locate(doc, strlen(doc), key_on_array, 3, &off), -ENOENT);
	assert_int_equal(fng_json_locate(doc, strlen(doc), index_on_object, 2, &off), -ENOENT);
	assert_int_equal(fng_json_locate(t2, strlen(t2), empty_obj, 2, &off), -ENOENT);
	assert_int_equal(off, 12345); /* untouched on failure */
}

/* A key that is a prefix of another, and a value that contains the key text. */
static void locate_does_not_match_prefix_or_value(void **state)
{
	(void)state;
	const char *t = "{\"ab\": \"a\", \"a\": 7}";
	const struct fng_json_step p[] = { { "a", 0 } };
	size_t off = 0;

	assert_int_equal(fng_json_locate(t, strlen(t), p, 1, &off), 0);
	assert_int_equal(off, nth(t, "7", 0));
}

/* Escaped quotes inside a skipped key and a skipped value. */
static void locate_skips_escaped_quotes(void **state)
{
	(void)state;
	const char *t = "{\"k\\\"ey\": \"v\\\"}\", \"k\": [\"\\\\\", 5]}";
	const struct fng_json_step p[] = { { "k", 0 }, { NULL, 1 } };
	size_t off = 0;

	assert_int_equal(fng_json_locate(t, strlen(t), p, 2, &off), 0);
	assert_int_equal(off, nth(t, "5", 0));
}

/* The loader passes keys as json-c decoded them; a key written with an escape
 * must be found too, or every error under it is reported at 1:1. */
static void locate_key_written_with_escape(void **state)
{
	(void)state;
	/* Regression: was a BUG (span_is compared raw, undecoded key text),
	 * fixed in c769149. */
	const char *t = "{\"k\\\"ey\": 1, \"\\u0061\": 2}";
	const struct fng_json_step pq[] = { { "k\"ey", 0 } };
	const struct fng_json_step pa[] = { { "a", 0 } };
	size_t off = 0;

	assert_int_equal(fng_json_locate(t, strlen(t), pq, 1, &off), 0);
	assert_int_equal(off, nth(t, "1", 0));
	assert_int_equal(fng_json_locate(t, strlen(t), pa, 1, &off), 0);
	assert_int_equal(off, nth(t, "2", 0));
}

static void locate_key_itself(void **state)
{
	(void)state;
	size_t off = 999;
	const struct fng_json_step pb[] = { { "a", 0 }, { "b", 0 } };
	const struct fng_json_step pd[] = { { "d", 0 } };
	const struct fng_json_step pk[] = { { "k", 0 } };
	const struct fng_json_step pz[] = { { "a", 0 }, { "z", 0 } };
	const char *t = "{\"x\": \"k\", \"y\": {\"k\": 0},\n  \"k\" : 1}";

	assert_int_equal(fng_json_locate_key(doc, strlen(doc), pb, 2, &off), 0);
	assert_int_equal(off, nth(doc, "\"b\"", 0));
	assert_int_equal(fng_json_locate_key(doc, strlen(doc), pd, 1, &off), 0);
	assert_int_equal(off, nth(doc, "\"d\"", 0));
	/* not the value "k", not the nested key "k": the top-level key */
	assert_int_equal(fng_json_locate_key(t, strlen(t), pk, 1, &off), 0);
	assert_int_equal(off, nth(t, "\"k\"", 2));
	off = 4242;
	assert_int_equal(fng_json_locate_key(doc, strlen(doc), pz, 2, &off), -ENOENT);
	assert_int_equal(off, 4242);
	/* the value variant of the same path still gives the value */
	assert_int_equal(fng_json_locate(t, strlen(t), pk, 1, &off), 0);
	assert_int_equal(off, nth(t, "1}", 0));
}

static void dup_none(void **state)
{
	(void)state;
	size_t off = 777;
	const char *ok[] = {
		"{}",
		"[]",
		"{\"a\": 1, \"b\": 2}",
		"{\"a\": {\"x\": 1}, \"b\": {\"x\": 2}}",		/* same key, different objects */
		"{\"x\": {\"x\": {\"x\": 1}}}",			/* nested, same name */
		"[{\"a\": 1}, {\"a\": 1}]",			/* array of objects */
		"{\"k\\\"\": 1, \"k\": 2}",			/* k" vs k */
		"{\"a\\\\\": 1, \"a\": 2}",			/* a\ vs a */
		"{\"a\": \"\\\"b\\\": 1\", \"b\": 2}",		/* quote-lookalike inside a value */
		" \"plain string\" ",
		"42",
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int r = fng_json_find_duplicate_key(ok[i], strlen(ok[i]), &off);
		if (r != 0)
			fail_msg("case %zu (%s): got %d", i, ok[i], r);
	}
	assert_int_equal(off, 777);
}

struct dup_case {
	const char *text;
	const char *second;	/* text at the second occurrence */
	int nth;		/* which occurrence of second */
};

static void dup_found(void **state)
{
	(void)state;
	const struct dup_case cases[] = {
		{ "{\"a\": 1, \"a\": 2}", "\"a\"", 1 },
		{ "{\"o\": {\"x\": 1, \"y\": [1, 2], \"x\": 2}}", "\"x\"", 1 },
		{ "[1, {\"p\": {}}, {\"q\": 1, \"q\": 1}]", "\"q\"", 1 },
		{ "{\"k\\\"\": 1, \"k\\\"\": 2}", "\"k\\\"\"", 1 },
		/* the first duplicate in document order wins */
		{ "{\"a\": 1, \"b\": 1, \"b\": 2, \"a\": 2}", "\"b\"", 1 },
		{ "{\n  \"a\": {\"z\": 1},\n  \"a\": 2\n}", "\"a\"", 1 },
		/* a duplicate inside a nested object after the outer object's keys */
		{ "{\"a\": 1, \"n\": {\"a\": 1, \"b\": {\"c\": 0, \"c\": 0}}}", "\"c\"", 1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t off = 0;
		int r = fng_json_find_duplicate_key(cases[i].text, strlen(cases[i].text), &off);
		if (r != -EEXIST)
			fail_msg("case %zu: got %d", i, r);
		if (off != nth(cases[i].text, cases[i].second, cases[i].nth))
			fail_msg("case %zu: off %zu, want %zu", i, off,
				 nth(cases[i].text, cases[i].second, cases[i].nth));
	}
}

/* json-c decodes escapes, so "a" and "\u0061" are the same key to it and the
 * later value silently replaces the first: exactly what the check exists for. */
static void dup_found_through_escapes(void **state)
{
	(void)state;
	/* Regression: was a BUG (scan_object compared raw key spans), fixed in
	 * c769149. */
	const char *t = "{\"read_handler\": \"block\", \"read_handle\\u0072\": \"allow\"}";
	const char *t2 = "{\"a/b\": 1, \"a\\/b\": 2}";
	const char *t3 = "{\"\\u00e9\": 1, \"\xc3\xa9\": 2}";
	const char *t4 = "{\"\\ud83d\\ude00\": 1, \"\xf0\x9f\x98\x80\": 2}";
	size_t off = 0;

	assert_int_equal(fng_json_find_duplicate_key(t, strlen(t), &off), -EEXIST);
	assert_int_equal(off, nth(t, "\"read_handle\\", 0));
	assert_int_equal(fng_json_find_duplicate_key(t2, strlen(t2), &off), -EEXIST);
	assert_int_equal(off, nth(t2, "\"a\\", 0));
	assert_int_equal(fng_json_find_duplicate_key(t3, strlen(t3), &off), -EEXIST);
	assert_int_equal(off, nth(t3, "\"\xc3", 0));
	assert_int_equal(fng_json_find_duplicate_key(t4, strlen(t4), &off), -EEXIST);
	assert_int_equal(off, nth(t4, "\"\xf0", 0));
}

/* json-c keeps object keys as C strings: "a\u0000x" is the key "a" to it. */
static void nul_escape_rejected(void **state)
{
	(void)state;
	/* Regression: was a BUG. json-c truncates a key at a decoded \u0000, so
	 * "read_handler\u0000x" was a silent duplicate of "read_handler". The
	 * scanner now refuses \u0000 anywhere, pointing at the escape itself. */
	const char *t = "{\"read_handler\": \"block\", \"read_handler\\u0000x\": \"allow\"}";
	size_t off = 0;

	assert_int_equal(fng_json_find_duplicate_key(t, strlen(t), &off), -EINVAL);
	assert_int_equal(off, nth(t, "\\u0000", 0));
}

static void dup_malformed(void **state)
{
	(void)state;
	size_t off = 0;
	const char *bad[] = { "{\"a\" 1}", "{\"a\": 1", "[1, 2", "{\"a", "{a: 1}" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r = fng_json_find_duplicate_key(bad[i], strlen(bad[i]), &off);
		if (r != -EINVAL)
			fail_msg("case %zu (%s): got %d", i, bad[i], r);
	}
}

static void linecol(void **state)
{
	(void)state;
	const char *t = "ab\ncd\n\nxyz";
	unsigned l = 0, c = 0;

	fng_json_linecol(t, strlen(t), 0, &l, &c);
	assert_int_equal(l, 1);
	assert_int_equal(c, 1);
	fng_json_linecol(t, strlen(t), 2, &l, &c); /* the '\n' itself */
	assert_int_equal(l, 1);
	assert_int_equal(c, 3);
	fng_json_linecol(t, strlen(t), 3, &l, &c);
	assert_int_equal(l, 2);
	assert_int_equal(c, 1);
	fng_json_linecol(t, strlen(t), 4, &l, &c);
	assert_int_equal(l, 2);
	assert_int_equal(c, 2);
	fng_json_linecol(t, strlen(t), 6, &l, &c); /* empty line */
	assert_int_equal(l, 3);
	assert_int_equal(c, 1);
	fng_json_linecol(t, strlen(t), 9, &l, &c);
	assert_int_equal(l, 4);
	assert_int_equal(c, 3);
	fng_json_linecol(t, strlen(t), 10, &l, &c); /* end of text */
	assert_int_equal(l, 4);
	assert_int_equal(c, 4);
	fng_json_linecol(t, strlen(t), 1000, &l, &c); /* clamped to the end */
	assert_int_equal(l, 4);
	assert_int_equal(c, 4);
	fng_json_linecol("", 0, 0, &l, &c);
	assert_int_equal(l, 1);
	assert_int_equal(c, 1);
	/* columns are bytes: a 2-byte UTF-8 character counts twice */
	fng_json_linecol("\xc3\xa9x", 3, 2, &l, &c);
	assert_int_equal(l, 1);
	assert_int_equal(c, 3);
	/* tabs are one column */
	fng_json_linecol("\t\tx", 3, 2, &l, &c);
	assert_int_equal(c, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(locate_nested_object_and_array),
		cmocka_unit_test(locate_array_elements),
		cmocka_unit_test(locate_top_level_and_root),
		cmocka_unit_test(locate_missing),
		cmocka_unit_test(locate_does_not_match_prefix_or_value),
		cmocka_unit_test(locate_skips_escaped_quotes),
		cmocka_unit_test(locate_key_written_with_escape),
		cmocka_unit_test(locate_key_itself),
		cmocka_unit_test(dup_none),
		cmocka_unit_test(dup_found),
		cmocka_unit_test(dup_found_through_escapes),
		cmocka_unit_test(nul_escape_rejected),
		cmocka_unit_test(dup_malformed),
		cmocka_unit_test(linecol),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
