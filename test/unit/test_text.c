/* fnguard trace's text format (logging/format/text.c) and summary
 * (logging/format/text_summary.c): one line per event, escaping, decisions, the
 * per-class counts and the bounded tables. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logging/format/text.h"
#include "common/util.h"

#define T0 1000000000000ull

static char *line(struct fng_text *tx, const struct fng_event *ev)
{
	char *out = NULL;
	size_t len = 0;

	assert_int_equal(fng_text_event(tx, ev, &out, &len), 0);
	assert_non_null(out);
	assert_int_equal(len, strlen(out));
	return out;
}

static struct fng_event file_ev(const char *path, uint8_t action, const char *rule, uint8_t would)
{
	struct fng_event ev = { .time_ns = T0, .type = FNG_EV_FILE, .mode = "block",
				.action = action, .would = would, .pid = 42, .access = FNG_ACCESS_WRITE | FNG_ACCESS_CREATE };

	fng_strlcpy(ev.rule, rule, sizeof(ev.rule));
	fng_strlcpy(ev.syscall, "openat", sizeof(ev.syscall));
	fng_strlcpy(ev.path, path, sizeof(ev.path));
	return ev;
}

static void decisions(void **state)
{
	struct fng_text_opts o = { 0 };
	struct fng_text *tx = fng_text_new(&o);
	struct fng_event ev;
	char *s;

	(void)state;
	ev = file_ev("/tmp/x", FNG_ACT_ALLOWED, "read_write_tmp", FNG_ACT_BLOCKED);
	s = line(tx, &ev);
	assert_string_equal(s, "0.000000 [pid    42] openat(\"/tmp/x\", write|create) would block: read_write_tmp\n");
	free(s);

	ev = file_ev("/tmp/x", FNG_ACT_BLOCKED, "read_write_tmp", 0);
	ev.error = 13;
	ev.time_ns = T0 + 1500000;
	s = line(tx, &ev);
	assert_string_equal(s, "0.001500 [pid    42] openat(\"/tmp/x\", write|create) = -1 EACCES blocked: read_write_tmp\n");
	free(s);

	ev = file_ev("/srv/a\"b\n", FNG_ACT_ALLOWED, "", 0);
	ev.access = FNG_ACCESS_READ;
	s = line(tx, &ev);
	assert_string_equal(s, "0.000000 [pid    42] openat(\"/srv/a\\\"b\\n\", read) allowed\n");
	free(s);
	fng_text_free(tx);
}

static void process_and_network(void **state)
{
	struct fng_text_opts o = { 0 };
	struct fng_text *tx = fng_text_new(&o);
	struct fng_event ev = { .time_ns = T0, .type = FNG_EV_PROCESS, .rule = "create_child_process", .mode = "alert",
				.action = FNG_ACT_ALERTED, .pid = 7, .argc = 2 };
	char *s;

	(void)state;
	fng_strlcpy(ev.syscall, "execve", sizeof(ev.syscall));
	fng_strlcpy(ev.path, "/usr/bin/id", sizeof(ev.path));
	memcpy(ev.argv, "id\0-u", 6);
	s = line(tx, &ev);
	assert_string_equal(s, "0.000000 [pid     7] execve(\"/usr/bin/id\", [\"id\", \"-u\"]) alert: create_child_process\n");
	free(s);

	memset(&ev, 0, sizeof(ev));
	ev.time_ns = T0;
	ev.type = FNG_EV_NETWORK;
	ev.rule[0] = '\0';
	ev.action = FNG_ACT_ALLOWED;
	ev.pid = 7;
	ev.port = 443;
	fng_strlcpy(ev.syscall, "connect", sizeof(ev.syscall));
	fng_strlcpy(ev.ip, "2001:db8::1", sizeof(ev.ip));
	fng_strlcpy(ev.host, "example.com", sizeof(ev.host));
	fng_strlcpy(ev.protocol, "tcp", sizeof(ev.protocol));
	s = line(tx, &ev);
	assert_string_equal(s, "0.000000 [pid     7] connect([2001:db8::1]:443 \"example.com\", tcp) allowed\n");
	free(s);
	fng_text_free(tx);
}

static void summary_counts_and_caps(void **state)
{
	struct fng_text_opts o = { 0 };
	struct fng_text *tx = fng_text_new(&o);
	struct fng_exit_info xi = { 0 };
	char path[64], *s;

	(void)state;
	for (int i = 0; i < FNG_SUMMARY_KEYS + 5; i++) {
		struct fng_event ev;
		snprintf(path, sizeof(path), "/f/%04d", i);
		ev = file_ev(path, FNG_ACT_ALLOWED, "", 0);
		free(line(tx, &ev));
	}
	for (int i = 0; i < 3; i++) {
		struct fng_event ev = file_ev("/tmp/hot", FNG_ACT_ALLOWED, "read_write_tmp", FNG_ACT_BLOCKED);
		free(line(tx, &ev));
	}
	assert_int_equal(fng_text_exit(tx, &xi, &s, &(size_t){ 0 }), 0);
	assert_non_null(strstr(s, "+++ exited with 0 +++\n"));
	assert_non_null(strstr(s, "file            261           3         0         0         0       264\n"));
	/* 256 kept: the 5 names past 256 took the places of /f/0000..0004,
	 * /tmp/hot (late, but hot) that of /f/0005: it is listed first, then
	 * /f/0006 ...; 10 shown, 246 more, 6 calls not kept. */
	assert_non_null(strstr(s, "files:\n        3  /tmp/hot\n        1  /f/0006\n"));
	assert_non_null(strstr(s, "      246  (246 more)\n"));
	assert_non_null(strstr(s, "        6  (calls to names not kept: 256 at most are)\n"));
	free(s);
	fng_text_free(tx);
}

static void classes(void **state)
{
	(void)state;
	assert_int_equal(fng_text_class_parse("net"), FNG_TEXT_CLASS_NET);
	assert_int_equal(fng_text_class_parse("network"), FNG_TEXT_CLASS_NET);
	assert_int_equal(fng_text_class_parse("dns"), FNG_TEXT_CLASS_DNS);
	assert_int_equal(fng_text_class_parse("files"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decisions),
		cmocka_unit_test(process_and_network),
		cmocka_unit_test(summary_counts_and_caps),
		cmocka_unit_test(classes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
