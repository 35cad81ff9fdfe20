/* Observe-mode events as JSON (docs/events.md, "Observe mode"): an allowed
 * call, a call the policy would block, and the file access list. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "logging/format/format.h"
#include "common/util.h"

static json_object *format(const struct fng_event *ev)
{
	struct fng_function_info fi = { 0 };
	char *text = NULL;
	size_t len = 0;
	json_object *o;

	assert_int_equal(fng_format_event(ev, &fi, &text, &len), 0);
	o = json_tokener_parse(text);
	assert_non_null(o);
	free(text);
	return o;
}

static const char *str_at(json_object *o, const char *k1, const char *k2)
{
	json_object *v;

	if (!json_object_object_get_ex(o, k1, &v))
		return NULL;
	if (k2 && !json_object_object_get_ex(v, k2, &v))
		return NULL;
	return json_object_get_string(v);
}

static void allowed_open(void **state)
{
	struct fng_event ev = { .type = FNG_EV_FILE, .action = FNG_ACT_ALLOWED,
				.access = FNG_ACCESS_READ | FNG_ACCESS_WRITE | FNG_ACCESS_CREATE };
	json_object *o, *acc;

	(void)state;
	fng_strlcpy(ev.syscall, "openat", sizeof(ev.syscall));
	fng_strlcpy(ev.path, "/srv/data", sizeof(ev.path));
	o = format(&ev);
	assert_string_equal(str_at(o, "action", NULL), "allowed");
	assert_null(str_at(o, "would", NULL));
	assert_null(str_at(o, "policy", NULL));
	assert_string_equal(str_at(o, "details", "path"), "/srv/data");
	assert_true(json_object_object_get_ex(json_object_object_get(o, "details"), "access", &acc));
	assert_int_equal(json_object_array_length(acc), 3);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(acc, 0)), "read");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(acc, 1)), "write");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(acc, 2)), "create");
	json_object_put(o);
}

static void would_block_keeps_functionshield_keys(void **state)
{
	struct fng_event ev = { .type = FNG_EV_NETWORK, .rule = "outbound_connectivity", .mode = "block",
				.action = FNG_ACT_ALLOWED, .would = FNG_ACT_BLOCKED, .port = 443 };
	json_object *o;

	(void)state;
	fng_strlcpy(ev.syscall, "connect", sizeof(ev.syscall));
	fng_strlcpy(ev.ip, "192.0.2.1", sizeof(ev.ip));
	fng_strlcpy(ev.host, "example.com", sizeof(ev.host));
	o = format(&ev);
	assert_string_equal(str_at(o, "action", NULL), "allowed");
	assert_string_equal(str_at(o, "would", NULL), "block");
	assert_string_equal(str_at(o, "policy", NULL), "outbound_connectivity");
	assert_string_equal(str_at(o, "mode", NULL), "block");
	assert_string_equal(str_at(o, "details", "host"), "example.com");
	assert_null(str_at(o, "details", "access"));
	assert_null(str_at(o, "details", "error"));
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(allowed_open),
		cmocka_unit_test(would_block_keeps_functionshield_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
