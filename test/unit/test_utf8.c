/* The UTF-8 rule of event lines: strict decoding (common/utf8.c) and the
 * KEY_hex rewrite of every JSON line (logging/format/json_utf8.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "logging/format/json_out.h"

static void strict_table(void **state)
{
	static const struct { const char *s; size_t n; bool ok; } cases[] = {
		{ "plain", 5, true },
		{ "\xc3\xa9", 2, true },		/* é */
		{ "\xe2\x82\xac", 3, true },		/* € */
		{ "\xf0\x9f\x98\x80", 4, true },	/* U+1F600 */
		{ "\xf4\x8f\xbf\xbf", 4, true },	/* U+10FFFF */
		{ "\xef\xbf\xbd", 3, true },		/* U+FFFD itself */
		{ "\xff", 1, false },
		{ "\x80", 1, false },			/* lone continuation */
		{ "\xc0\xaf", 2, false },		/* overlong '/' */
		{ "\xc1\xbf", 2, false },		/* overlong */
		{ "\xe0\x80\xaf", 3, false },		/* overlong */
		{ "\xf0\x80\x80\xaf", 4, false },	/* overlong */
		{ "\xed\xa0\x80", 3, false },		/* surrogate U+D800 */
		{ "\xed\xbf\xbf", 3, false },		/* surrogate U+DFFF */
		{ "\xf4\x90\x80\x80", 4, false },	/* above U+10FFFF */
		{ "\xf5\x80\x80\x80", 4, false },
		{ "\xc3", 1, false },			/* cut short */
		{ "\xe2\x82", 2, false },
		{ "a\xe9z", 3, false },			/* Latin-1 é */
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (fng_utf8_valid((const unsigned char *)cases[i].s, cases[i].n) != cases[i].ok)
			fail_msg("case %zu", i);
	}
}

static json_object *roundtrip(json_object *root)
{
	char *out = NULL;
	size_t len = 0;
	json_object *back;

	assert_int_equal(fng_json_finish(root, &out, &len), 0);
	assert_true(fng_utf8_valid((const unsigned char *)out, len));
	back = json_tokener_parse(out);
	free(out);
	assert_non_null(back);
	return back;
}

static void rewrite_with_hex(void **state)
{
	json_object *root = json_object_new_object(), *d = json_object_new_object(), *argv = json_object_new_array();
	json_object *back, *v;

	(void)state;
	json_object_object_add(d, "path", json_object_new_string("/tmp/a\xff" "b"));
	json_object_object_add(d, "fine", json_object_new_string("caf\xc3\xa9"));
	json_object_array_add(argv, json_object_new_string("ok"));
	json_object_array_add(argv, json_object_new_string("\xed\xa0\x80"));
	json_object_object_add(d, "argv", argv);
	json_object_object_add(root, "details", d);
	back = roundtrip(root);
	d = json_object_object_get(back, "details");
	assert_string_equal(json_object_get_string(json_object_object_get(d, "path")), "/tmp/a\xef\xbf\xbd" "b");
	assert_string_equal(json_object_get_string(json_object_object_get(d, "path_hex")), "2f746d702f61ff62");
	assert_string_equal(json_object_get_string(json_object_object_get(d, "fine")), "caf\xc3\xa9");
	assert_false(json_object_object_get_ex(d, "fine_hex", NULL));
	v = json_object_object_get(d, "argv_hex");
	assert_int_equal(json_object_array_length(v), 2);
	assert_null(json_object_array_get_idx(v, 0));
	assert_string_equal(json_object_get_string(json_object_array_get_idx(v, 1)), "eda080");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(json_object_object_get(d, "argv"), 1)),
			    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	json_object_put(back);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strict_table),
		cmocka_unit_test(rewrite_with_hex),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
