/* Unit tests for logging/ring.c and logging/format/format.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logging/event.h"
#include "logging/format/format.h"
#include "logging/ring.h"

static void ring_init_rejects_non_pow2(void **state)
{
	(void)state;
	struct fng_ring r;

	assert_int_equal(fng_ring_init(&r, 0), -EINVAL);
	assert_int_equal(fng_ring_init(&r, 3), -EINVAL);
	assert_int_equal(fng_ring_init(&r, 6), -EINVAL);
	assert_int_equal(fng_ring_init(&r, 1), 0);
	fng_ring_destroy(&r);
	assert_null(r.slots);
	fng_ring_destroy(&r); /* idempotent */
}

static void ring_fill_and_full(void **state)
{
	(void)state;
	struct fng_ring r;
	struct fng_event *slots[4];

	assert_int_equal(fng_ring_init(&r, 4), 0);
	assert_null(fng_ring_peek(&r));
	for (int i = 0; i < 4; i++) {
		slots[i] = fng_ring_reserve(&r);
		assert_non_null(slots[i]);
		/* reserve without commit returns the same slot */
		assert_ptr_equal(fng_ring_reserve(&r), slots[i]);
		slots[i]->pid = 100 + i;
		fng_ring_commit(&r);
		for (int j = 0; j < i; j++)
			assert_ptr_not_equal(slots[j], slots[i]);
	}
	/* the 5th does not fit */
	assert_null(fng_ring_reserve(&r));
	assert_null(fng_ring_reserve(&r));

	/* FIFO */
	for (int i = 0; i < 4; i++) {
		const struct fng_event *e = fng_ring_peek(&r);
		assert_non_null(e);
		assert_int_equal(e->pid, 100 + i);
		/* peek without release returns the same event */
		assert_ptr_equal(fng_ring_peek(&r), e);
		fng_ring_release(&r);
		/* one slot free again */
		if (i == 0) {
			struct fng_event *s = fng_ring_reserve(&r);
			assert_non_null(s);
			assert_ptr_equal(s, slots[0]); /* wrapped around to the first slot */
		}
	}
	assert_null(fng_ring_peek(&r));
	fng_ring_destroy(&r);
}

static void ring_wraparound(void **state)
{
	(void)state;
	struct fng_ring r;
	int next_in = 0, next_out = 0;

	assert_int_equal(fng_ring_init(&r, 4), 0);
	/* 10 cycles of varying depth: 3 in, 2 out, ... */
	for (int cycle = 0; cycle < 10; cycle++) {
		int put = 1 + cycle % 4, got = 0;
		for (int i = 0; i < put; i++) {
			struct fng_event *e = fng_ring_reserve(&r);
			if (!e) {
				/* full: exactly 4 outstanding */
				assert_int_equal(next_in - next_out, 4);
				break;
			}
			memset(e, 0, sizeof(*e));
			e->pid = next_in;
			snprintf(e->path, sizeof(e->path), "/e/%d", next_in);
			fng_ring_commit(&r);
			next_in++;
		}
		for (int i = 0; i < 1 + (cycle * 7) % 4; i++) {
			const struct fng_event *e = fng_ring_peek(&r);
			char want[32];
			if (!e) {
				assert_int_equal(next_in, next_out);
				break;
			}
			snprintf(want, sizeof(want), "/e/%d", next_out);
			assert_int_equal(e->pid, next_out);
			assert_string_equal(e->path, want);
			fng_ring_release(&r);
			next_out++;
			got++;
		}
		(void)got;
	}
	/* drain */
	for (const struct fng_event *e; (e = fng_ring_peek(&r)); fng_ring_release(&r))
		assert_int_equal(e->pid, next_out++);
	assert_int_equal(next_in, next_out);
	assert_true(next_in > 4 * 2); /* really went round more than twice */
	assert_true(atomic_load(&r.tail) == (size_t)next_in);
	fng_ring_destroy(&r);
}

static void ring_full_cycles_exact(void **state)
{
	(void)state;
	struct fng_ring r;

	assert_int_equal(fng_ring_init(&r, 4), 0);
	for (int cycle = 0; cycle < 10; cycle++) {
		for (int i = 0; i < 4; i++) {
			struct fng_event *e = fng_ring_reserve(&r);
			assert_non_null(e);
			e->pid = cycle * 10 + i;
			fng_ring_commit(&r);
		}
		assert_null(fng_ring_reserve(&r));
		for (int i = 0; i < 4; i++) {
			const struct fng_event *e = fng_ring_peek(&r);
			assert_non_null(e);
			assert_int_equal(e->pid, cycle * 10 + i);
			fng_ring_release(&r);
		}
		assert_null(fng_ring_peek(&r));
	}
	fng_ring_destroy(&r);
}

/* ---- format ---- */

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("key \"%s\" missing in %s", key, json_object_to_json_string(o));
	return v;
}

static const char *gets(json_object *o, const char *key)
{
	json_object *v = get(o, key);
	assert_true(json_object_is_type(v, json_type_string));
	return json_object_get_string(v);
}

static bool has(json_object *o, const char *key)
{
	return json_object_object_get_ex(o, key, NULL);
}

static json_object *format_and_parse(const struct fng_event *ev, const struct fng_function_info *fi)
{
	char *out = NULL;
	size_t len = 0;
	json_object *o;

	assert_int_equal(fng_format_event(ev, fi, &out, &len), 0);
	assert_non_null(out);
	assert_int_equal(len, strlen(out));
	assert_true(len >= 2);
	assert_int_equal(out[len - 1], '\n');
	assert_null(memchr(out, '\n', len - 1)); /* one line */
	o = json_tokener_parse(out);
	if (!o)
		fail_msg("not JSON: %s", out);
	free(out);
	return o;
}

static void format_file_event(void **state)
{
	(void)state;
	struct fng_event ev;
	struct fng_function_info fi = { 0 };
	json_object *o, *d, *p, *v;

	memset(&ev, 0, sizeof(ev));
	ev.time_ns = 1700000000123456789ull; /* 2023-11-14T22:13:20.123Z */
	ev.type = FNG_EV_FILE;
	strcpy(ev.rule, "read_write_tmp");
	strcpy(ev.mode, "block");
	ev.action = FNG_ACT_BLOCKED;
	ev.error = EACCES;
	ev.pid = 4321;
	ev.ppid = 1;
	ev.uid = 993;
	strcpy(ev.syscall, "openat");
	strcpy(ev.comm, "node");
	strcpy(ev.exe, "/usr/bin/node");
	strcpy(ev.path, "/tmp/evil \"quoted\"\\x");
	strcpy(ev.reason, "write under /tmp");

	o = format_and_parse(&ev, &fi);
	assert_string_equal(gets(o, "time"), "2023-11-14T22:13:20.123Z");
	assert_string_equal(gets(o, "event_type"), "file");
	assert_string_equal(gets(o, "policy"), "read_write_tmp");
	assert_string_equal(gets(o, "mode"), "block");
	assert_string_equal(gets(o, "action"), "blocked");
	assert_string_equal(gets(o, "syscall"), "openat");
	v = get(o, "function_shield");
	assert_true(json_object_get_boolean(v));
	d = get(o, "details");
	assert_string_equal(gets(d, "path"), "/tmp/evil \"quoted\"\\x");
	assert_string_equal(gets(d, "error"), "EACCES");
	assert_string_equal(gets(d, "reason"), "write under /tmp");
	assert_false(has(d, "program"));
	assert_false(has(d, "port"));
	assert_false(has(d, "argv"));
	assert_false(has(d, "target"));
	p = get(o, "process");
	assert_int_equal(json_object_get_int(get(p, "pid")), 4321);
	assert_int_equal(json_object_get_int(get(p, "ppid")), 1);
	assert_int_equal(json_object_get_int(get(p, "uid")), 993);
	assert_string_equal(gets(p, "name"), "node");
	assert_string_equal(gets(p, "exe"), "/usr/bin/node");
	assert_false(has(p, "cmdline")); /* empty strings are left out */
	assert_false(has(o, "function"));
	json_object_put(o);
}

static void format_process_event_argv_and_function(void **state)
{
	(void)state;
	struct fng_event ev;
	struct fng_function_info fi = { .name = "fn", .region = "eu-west-1" };
	json_object *o, *d, *argv, *f;
	static const char args[] = "sh\0-c\0echo hi";

	memset(&ev, 0, sizeof(ev));
	ev.time_ns = 0;
	ev.type = FNG_EV_PROCESS;
	strcpy(ev.rule, "create_child_process");
	strcpy(ev.mode, "alert");
	ev.action = FNG_ACT_ALERTED;
	ev.pid = 7;
	strcpy(ev.path, "/bin/sh");
	ev.argc = 3;
	memcpy(ev.argv, args, sizeof(args));

	o = format_and_parse(&ev, &fi);
	assert_string_equal(gets(o, "time"), "1970-01-01T00:00:00.000Z");
	assert_string_equal(gets(o, "event_type"), "process");
	assert_string_equal(gets(o, "policy"), "create_child_process");
	assert_string_equal(gets(o, "mode"), "alert");
	assert_string_equal(gets(o, "action"), "alerted");
	d = get(o, "details");
	assert_string_equal(gets(d, "program"), "/bin/sh");
	/* FunctionShield log filters match details.path for process events: the program again */
	assert_string_equal(gets(d, "path"), "/bin/sh");
	argv = get(d, "argv");
	assert_int_equal(json_object_array_length(argv), 3);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(argv, 0)), "sh");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(argv, 1)), "-c");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(argv, 2)), "echo hi");
	f = get(o, "function");
	assert_string_equal(gets(f, "name"), "fn");
	assert_string_equal(gets(f, "region"), "eu-west-1");
	assert_false(has(f, "version"));
	json_object_put(o);
}

/* argc larger than what the buffer holds must not read past argv[]. The
 * tracer always NUL-terminates argv (rules/exec.c read_argv), so this is
 * defence in depth. */
static void format_argv_unterminated(void **state)
{
	(void)state;
	struct fng_event ev;
	struct fng_function_info fi = { 0 };
	json_object *o, *argv;

	memset(&ev, 0, sizeof(ev));
	ev.type = FNG_EV_PROCESS;
	ev.rule[0] = '\0';
	ev.argc = 60000;
	memset(ev.argv, 'a', sizeof(ev.argv)); /* no NUL at all */
	strcpy(ev.reason, "RRRR");		/* the field right after argv */
	/* Regression: was a BUG (json_object_new_string(a) read past argv[]
	 * into reason[]), fixed in c769149. */
	o = format_and_parse(&ev, &fi);
	argv = get(get(o, "details"), "argv");
	assert_int_equal(json_object_array_length(argv), 1);
	assert_int_equal(strlen(json_object_get_string(json_object_array_get_idx(argv, 0))), FNG_EV_ARGV_MAX);
	json_object_put(o);
}

static void format_network_event(void **state)
{
	(void)state;
	struct fng_event ev;
	struct fng_function_info fi = { 0 };
	json_object *o, *d;

	memset(&ev, 0, sizeof(ev));
	ev.type = FNG_EV_NETWORK;
	strcpy(ev.rule, "outbound_connectivity");
	strcpy(ev.mode, "block");
	ev.action = FNG_ACT_BLOCKED;
	strcpy(ev.host, "192.0.2.1");
	ev.port = 443;
	o = format_and_parse(&ev, &fi);
	assert_string_equal(gets(o, "event_type"), "network");
	assert_string_equal(gets(o, "policy"), "outbound_connectivity");
	d = get(o, "details");
	assert_string_equal(gets(d, "host"), "192.0.2.1");
	assert_int_equal(json_object_get_int(get(d, "port")), 443);
	assert_false(has(o, "process")); /* pid 0: no process section */
	json_object_put(o);
}

static void format_lifecycle_event(void **state)
{
	(void)state;
	struct fng_event ev;
	struct fng_function_info fi = { 0 };
	json_object *o, *d;

	memset(&ev, 0, sizeof(ev));
	ev.time_ns = 1700000000999000000ull;
	ev.type = FNG_EV_LIFECYCLE;
	ev.rule[0] = '\0';
	ev.action = FNG_ACT_NONE;
	strcpy(ev.phase, "start");
	strcpy(ev.message, "policy: x");
	o = format_and_parse(&ev, &fi);
	assert_string_equal(gets(o, "time"), "2023-11-14T22:13:20.999Z");
	assert_string_equal(gets(o, "event_type"), "lifecycle");
	assert_false(has(o, "policy"));
	assert_false(has(o, "mode"));
	assert_false(has(o, "function_shield"));
	assert_false(has(o, "action"));
	assert_false(has(o, "syscall"));
	assert_false(has(o, "process"));
	d = get(o, "details");
	assert_string_equal(gets(d, "phase"), "start");
	assert_string_equal(gets(d, "message"), "policy: x");
	assert_string_equal(gets(d, "version"), FNG_VERSION);
	json_object_put(o);
}

static void format_exit(void **state)
{
	(void)state;
	struct fng_exit_info xi = { .status = 0, .exit_code = 3, .emitted = 5, .dropped = 1, .blocked = 2 };
	struct fng_function_info fi = { 0 };
	char *out = NULL;
	size_t len = 0;
	json_object *o, *d, *c;

	assert_int_equal(fng_format_exit(&xi, &fi, &out, &len), 0);
	assert_int_equal(out[len - 1], '\n');
	o = json_tokener_parse(out);
	assert_non_null(o);
	assert_string_equal(gets(o, "event_type"), "lifecycle");
	assert_false(has(o, "policy"));
	d = get(o, "details");
	assert_string_equal(gets(d, "phase"), "exit");
	assert_int_equal(json_object_get_int(get(d, "exit_code")), 3);
	assert_false(has(d, "signal"));
	c = get(d, "counters");
	assert_int_equal(json_object_get_int64(get(c, "events")), 5);
	assert_int_equal(json_object_get_int64(get(c, "events_dropped")), 1);
	assert_int_equal(json_object_get_int64(get(c, "blocked")), 2);
	json_object_put(o);
	free(out);

	xi.signal = 9;
	assert_int_equal(fng_format_exit(&xi, &fi, &out, &len), 0);
	o = json_tokener_parse(out);
	assert_non_null(o);
	d = get(o, "details");
	assert_string_equal(gets(d, "signal"), "KILL");
	assert_false(has(d, "exit_code"));
	json_object_put(o);
	free(out);
}

/* Half the ring is anyone's; past it a class is admitted only while it holds
 * fewer than half the free slots: a flood leaves room for another class. */
static void ring_admits_rare_classes(void **state)
{
	struct fng_ring r;
	size_t n = 0;
	(void)state;

	assert_int_equal(fng_ring_init(&r, 16), 0);
	while (fng_ring_admit(&r, 1)) {
		assert_non_null(fng_ring_reserve(&r));
		fng_ring_commit_class(&r, 1);
		n++;
	}
	assert_int_equal(n, 8);			/* the flood stops at half */
	for (int i = 0; i < 3; i++) {		/* another flood: while under half the free slots */
		assert_true(fng_ring_admit(&r, 2));
		assert_non_null(fng_ring_reserve(&r));
		fng_ring_commit_class(&r, 2);
	}
	assert_false(fng_ring_admit(&r, 2));	/* 3 held, 5 free */
	assert_true(fng_ring_admit(&r, 3));	/* a class the ring does not hold */
	assert_non_null(fng_ring_peek(&r));
	fng_ring_release_class(&r, 1);
	assert_int_equal(r.in_ring[1], 7);
	assert_int_equal(fng_ring_class_of(&(struct fng_event){ .type = 1, .action = 2 }),
			 fng_ring_class_of(&(struct fng_event){ .type = 1, .action = 2 }));
	fng_ring_destroy(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ring_admits_rare_classes),
		cmocka_unit_test(ring_init_rejects_non_pow2),
		cmocka_unit_test(ring_fill_and_full),
		cmocka_unit_test(ring_wraparound),
		cmocka_unit_test(ring_full_cycles_exact),
		cmocka_unit_test(format_file_event),
		cmocka_unit_test(format_process_event_argv_and_function),
		cmocka_unit_test(format_argv_unterminated),
		cmocka_unit_test(format_network_event),
		cmocka_unit_test(format_lifecycle_event),
		cmocka_unit_test(format_exit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
