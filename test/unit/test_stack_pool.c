/* Unit tests for logging/stack.c (the pool of stack slots events point at)
 * and the JSON logging/format/format.c makes of stacks and executable identity. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <string.h>

#include "logging/format/format.h"
#include "logging/stack.h"

static void pool_take_release(void **state)
{
	(void)state;
	struct fng_stack_pool p;
	struct fng_stack *all[FNG_STACK_SLOTS], *again;

	assert_int_equal(fng_stack_pool_init(&p), 0);
	for (int i = 0; i < FNG_STACK_SLOTS; i++) {
		all[i] = fng_stack_pool_take(&p);
		assert_non_null(all[i]);
		for (int j = 0; j < i; j++)
			assert_ptr_not_equal(all[i], all[j]);
		all[i]->n = 5;
		all[i]->end = FNG_STACK_BUDGET;
	}
	assert_null(fng_stack_pool_take(&p)); /* all in flight */
	fng_stack_release(all[17]);
	again = fng_stack_pool_take(&p);
	assert_ptr_equal(again, all[17]);
	assert_int_equal(again->n, 0); /* handed out clean */
	assert_int_equal(again->end, FNG_STACK_COMPLETE);
	assert_null(fng_stack_pool_take(&p));
	fng_stack_release(NULL); /* harmless */
	fng_stack_pool_destroy(&p);
}

static json_object *format(const struct fng_event *ev)
{
	struct fng_function_info fi = { 0 };
	char *line = NULL;
	size_t len = 0;
	json_object *o;

	assert_int_equal(fng_format_event(ev, &fi, &line, &len), 0);
	assert_int_equal(line[len - 1], '\n');
	o = json_tokener_parse(line);
	assert_non_null(o);
	free(line);
	return o;
}

static const char *str_at(json_object *o, const char *a, const char *b)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(o, a, &v))
		return NULL;
	if (b && !json_object_object_get_ex(v, b, &v))
		return NULL;
	return json_object_get_string(v);
}

static void format_stack(void **state)
{
	(void)state;
	static struct fng_stack st;
	struct fng_event ev = { .type = FNG_EV_NETWORK, .rule = "outbound_connectivity", .action = FNG_ACT_BLOCKED };
	json_object *o, *arr, *f;

	st.n = 2;
	fng_stack_release(&st);
	strcpy(st.frames[0].module, "libc.so.6");
	strcpy(st.frames[0].function, "connect");
	st.frames[0].offset = 0x10a7c0;
	st.frames[0].build_id_len = 3;
	memcpy(st.frames[0].build_id, "\x0a\xbc\xff", 3);
	strcpy(st.frames[1].module, "?");
	st.frames[1].offset = 0x7f0000001000;
	ev.stack = &st;
	ev.stack_end = FNG_STACK_FRAME_LIMIT;

	o = format(&ev);
	assert_true(json_object_object_get_ex(o, "stack", &arr));
	assert_int_equal(json_object_array_length(arr), 2);
	f = json_object_array_get_idx(arr, 0);
	assert_string_equal(str_at(f, "module", NULL), "libc.so.6");
	assert_string_equal(str_at(f, "function", NULL), "connect");
	assert_string_equal(str_at(f, "offset", NULL), "0x10a7c0");
	assert_string_equal(str_at(f, "build_id", NULL), "0abcff");
	f = json_object_array_get_idx(arr, 1);
	assert_string_equal(str_at(f, "module", NULL), "?");
	assert_string_equal(str_at(f, "offset", NULL), "0x7f0000001000");
	assert_null(str_at(f, "function", NULL)); /* unknown: absent, not "" */
	assert_null(str_at(f, "build_id", NULL));
	assert_string_equal(str_at(o, "stack_truncated", NULL), "frame limit");
	json_object_put(o);
}

static void format_no_stack(void **state)
{
	(void)state;
	struct fng_event ev = { .type = FNG_EV_FILE, .rule = "read_write_tmp", .action = FNG_ACT_BLOCKED };
	json_object *o;

	o = format(&ev); /* nothing to say */
	assert_null(str_at(o, "stack", NULL));
	assert_null(str_at(o, "stack_truncated", NULL));
	json_object_put(o);
	ev.stack_end = FNG_STACK_NO_SLOT;
	o = format(&ev);
	assert_null(str_at(o, "stack", NULL));
	assert_string_equal(str_at(o, "stack_truncated", NULL), "no free stack slot");
	json_object_put(o);
}

static void format_executable(void **state)
{
	(void)state;
	struct fng_event ev = { .type = FNG_EV_PROCESS, .rule = "create_child_process", .action = FNG_ACT_ALERTED };
	json_object *o, *x;

	strcpy(ev.path, "/var/task/run.sh");
	ev.image.source = FNG_IMAGE_EXE;
	ev.image.linkage = FNG_LINK_DYNAMIC;
	strcpy(ev.image.path, "/usr/bin/dash");
	strcpy(ev.image.interp, "/lib64/ld-linux-x86-64.so.2");
	strcpy(ev.image.shebang, "/bin/sh -e");
	ev.image.build_id_len = 2;
	memcpy(ev.image.build_id, "\xbe\x63", 2);
	o = format(&ev);
	assert_string_equal(str_at(o, "details", "program"), "/var/task/run.sh");
	assert_true(json_object_object_get_ex(json_object_object_get(o, "details"), "executable", &x));
	assert_string_equal(str_at(x, "path", NULL), "/usr/bin/dash");
	assert_string_equal(str_at(x, "build_id", NULL), "be63");
	assert_string_equal(str_at(x, "linkage", NULL), "dynamic");
	assert_string_equal(str_at(x, "interpreter", NULL), "/lib64/ld-linux-x86-64.so.2");
	assert_string_equal(str_at(x, "shebang", NULL), "/bin/sh -e");
	assert_string_equal(str_at(x, "source", NULL), "exe");
	json_object_put(o);

	memset(&ev.image, 0, sizeof(ev.image)); /* nothing read: no section */
	o = format(&ev);
	assert_null(str_at(o, "details", "executable"));
	json_object_put(o);
	ev.image.source = FNG_IMAGE_PATH;
	ev.image.linkage = FNG_LINK_STATIC;
	o = format(&ev);
	assert_string_equal(str_at(json_object_object_get(json_object_object_get(o, "details"), "executable"), "linkage", NULL),
			    "static");
	assert_string_equal(str_at(json_object_object_get(json_object_object_get(o, "details"), "executable"), "source", NULL),
			    "path");
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pool_take_release),
		cmocka_unit_test(format_stack),
		cmocka_unit_test(format_no_stack),
		cmocka_unit_test(format_executable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
