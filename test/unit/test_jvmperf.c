/* Unit tests for the JVM's perf-data file (policy/jvmperf.c): which file a
 * path names, and a table of calls' facts in, what happens out. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <fcntl.h>
#include <cmocka.h>

#include "policy/jvmperf.h"

#define DIR "/tmp/hsperfdata_root"
#define ALLOW FNG_JVMPERF_ALLOW
#define RULE FNG_JVMPERF_RULE
#define QUIET FNG_JVMPERF_QUIET
#define FRESH FNG_JVMPERF_FRESH
#define OWN_RW (O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC)

static void file_pid(void **state)
{
	(void)state;
	assert_int_equal(fng_jvmperf_file_pid(DIR, DIR), 0);
	assert_int_equal(fng_jvmperf_file_pid(DIR "/4242", DIR), 4242);
	assert_int_equal(fng_jvmperf_file_pid(DIR "/04242", DIR), -1);
	assert_int_equal(fng_jvmperf_file_pid(DIR "/0", DIR), -1);
	assert_int_equal(fng_jvmperf_file_pid(DIR "/42x", DIR), -1);
	assert_int_equal(fng_jvmperf_file_pid(DIR "/", DIR), -1);
	assert_int_equal(fng_jvmperf_file_pid(DIR "/42/x", DIR), -1);
	assert_int_equal(fng_jvmperf_file_pid(DIR "x/42", DIR), -1);
	assert_int_equal(fng_jvmperf_file_pid("/tmp/hsperfdata_roo", DIR), -1);
	assert_int_equal(fng_jvmperf_file_pid(DIR "/99999999999", DIR), -1);
	assert_int_equal(fng_jvmperf_file_pid(DIR "/1", ""), -1);
}

static void decide_table(void **state)
{
	static const struct {
		enum fng_jvmperf_op op;
		const char *path;
		uint64_t flags;
		bool jvm, same_user;
		int pid;
		enum fng_jvmperf_verdict want;
		const char *what;
	} rows[] = {
		/* what HotSpot does */
		{ FNG_JVMPERF_MKDIR, DIR, 0, true, true, 42, ALLOW, "mkdir the directory" },
		{ FNG_JVMPERF_OPEN, DIR, O_RDONLY | O_NOFOLLOW, true, true, 42, ALLOW, "open the directory" },
		{ FNG_JVMPERF_OPEN, DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC, true, true, 42, ALLOW, "opendir" },
		{ FNG_JVMPERF_OPEN, DIR "/42", OWN_RW, true, true, 42, FRESH, "create its own file (made fresh)" },
		{ FNG_JVMPERF_OPEN, DIR "/42", O_RDONLY | O_CLOEXEC, true, true, 42, QUIET, "clean-up: a stale file of its own id (round 8: never read)" },
		{ FNG_JVMPERF_OPEN, DIR "/42", O_RDWR | O_NOFOLLOW, true, true, 42, RULE, "its own id, not creating (round 8)" },
		{ FNG_JVMPERF_OPEN, DIR "/42", O_WRONLY | O_CREAT | O_NOFOLLOW, true, true, 42, RULE, "its own id, write-only" },
		{ FNG_JVMPERF_OPENED, DIR "/42", 0, true, true, 42, ALLOW, "exit stop: its own file" },
		{ FNG_JVMPERF_OPENED, DIR, 0, true, true, 42, ALLOW, "exit stop: the directory" },
		{ FNG_JVMPERF_UNLINK, DIR "/42", 0, true, true, 42, ALLOW, "unlink its own file" },
		{ FNG_JVMPERF_OPEN, DIR "/43", O_RDONLY | O_CLOEXEC, true, true, 42, QUIET, "clean-up: another's file" },
		/* who else: nothing */
		{ FNG_JVMPERF_OPEN, DIR "/42", OWN_RW, false, true, 42, RULE, "not a JVM" },
		{ FNG_JVMPERF_MKDIR, DIR, 0, false, true, 42, RULE, "not a JVM: mkdir" },
		{ FNG_JVMPERF_OPEN, DIR "/43", O_RDONLY, false, true, 42, RULE, "not a JVM: clean-up open" },
		{ FNG_JVMPERF_OPEN, DIR "/42", OWN_RW, true, false, 42, RULE, "another effective uid" },
		{ FNG_JVMPERF_OPEN, DIR "/42", OWN_RW, true, true, -1, RULE, "its id unknown" },
		/* what else: nothing */
		{ FNG_JVMPERF_OPEN, DIR "/43", OWN_RW, true, true, 42, RULE, "create another's file" },
		{ FNG_JVMPERF_OPEN, DIR "/43", O_WRONLY, true, true, 42, RULE, "write another's file" },
		{ FNG_JVMPERF_OPENED, DIR "/43", 0, true, true, 42, RULE, "exit stop: another's file" },
		{ FNG_JVMPERF_UNLINK, DIR "/43", 0, true, true, 42, RULE, "unlink another's file" },
		{ FNG_JVMPERF_UNLINK, DIR, 0, true, true, 42, RULE, "unlink the directory" },
		{ FNG_JVMPERF_UNLINK, DIR "/abc", 0, true, true, 42, RULE, "unlink a name that is no id" },
		{ FNG_JVMPERF_OPEN, DIR "/42", O_RDWR | O_CREAT, true, true, 42, RULE, "create its own file, following" },
		{ FNG_JVMPERF_OPEN, DIR "/42", O_WRONLY | O_TRUNC, true, true, 42, RULE, "truncate its own, following" },
		{ FNG_JVMPERF_OPEN, DIR "/42", O_PATH | O_NOFOLLOW, true, true, 42, RULE, "O_PATH of its own file" },
		{ FNG_JVMPERF_OPEN, DIR "/42", O_RDWR | O_NOFOLLOW | O_DIRECTORY, true, true, 42, RULE, "as a directory" },
		{ FNG_JVMPERF_OPEN, DIR, O_RDWR | O_TMPFILE, true, true, 42, RULE, "an unnamed file in it" },
		{ FNG_JVMPERF_OPEN, DIR, O_RDONLY | O_CREAT, true, true, 42, RULE, "the directory with O_CREAT" },
		{ FNG_JVMPERF_OPEN, DIR "/42x", OWN_RW, true, true, 42, RULE, "a name beside its own" },
		{ FNG_JVMPERF_OPEN, "/tmp/x", OWN_RW, true, true, 42, RULE, "elsewhere in the temp root" },
		{ FNG_JVMPERF_MKDIR, DIR "/42", 0, true, true, 42, RULE, "mkdir in it" },
		{ FNG_JVMPERF_OTHER, DIR "/42", 0, true, true, 42, RULE, "any other call" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct fng_jvmperf_call c = {
			.op = rows[i].op, .path = rows[i].path, .dir = DIR, .flags = rows[i].flags,
			.jvm = rows[i].jvm, .same_user = rows[i].same_user, .pid = rows[i].pid,
		};
		if (fng_jvmperf_decide(&c) != rows[i].want)
			fail_msg("%s: got %d, want %d", rows[i].what, fng_jvmperf_decide(&c), rows[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(file_pid),
		cmocka_unit_test(decide_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
