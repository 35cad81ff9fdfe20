/* Unit tests for tracer/hold.c's pure part: which path calls run with the
 * other tasks held (fng_hold_wanted), in the kernel mode (Landlock refuses
 * the temp root) and in the fallback, and tracer/landlock.c's rights per
 * Landlock ABI. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <linux/landlock.h>

#include "tracer/internal.h"

struct row {
	enum fng_sc_kind kind;
	const char *name;
	uint64_t flags;
	bool kernel_tmp, allowlist;
	bool want;
};

static const struct row rows[] = {
	/* the kernel enforcing the temp root: only what Landlock does not see */
	{ FNG_SC_OPEN, "openat", O_RDONLY, true, false, false },
	{ FNG_SC_OPEN, "openat", O_WRONLY | O_CREAT | O_TRUNC, true, false, false },
	{ FNG_SC_OPEN, "openat", O_PATH, true, false, true },
	{ FNG_SC_CREAT, "creat", 0, true, false, false },
	{ FNG_SC_OPENAT2, "openat2", 0, true, false, true },
	{ FNG_SC_MUTATE, "mkdir", 0, true, false, false },
	{ FNG_SC_MUTATE, "symlinkat", 0, true, false, false },
	{ FNG_SC_MUTATE, "truncate", 0, true, false, false },
	{ FNG_SC_MUTATE, "mknodat", 0, true, false, false },
	{ FNG_SC_UNNAME, "unlinkat", 0, true, false, false },
	{ FNG_SC_TWO_PATHS, "renameat2", 0, true, false, false },
	{ FNG_SC_MUTATE, "chmod", 0, true, false, true },
	{ FNG_SC_MUTATE, "fchownat", 0, true, false, true },
	{ FNG_SC_MUTATE, "utimensat", 0, true, false, true },
	{ FNG_SC_MUTATE, "setxattr", 0, true, false, true },
	{ FNG_SC_MUTATE, "lremovexattr", 0, true, false, true },
	/* the fallback: every path-changing call; plain opens keep the exit stop */
	{ FNG_SC_OPEN, "openat", O_RDONLY, false, false, false },
	{ FNG_SC_OPEN, "openat", O_WRONLY, false, false, false },
	{ FNG_SC_OPEN, "openat", O_WRONLY | O_CREAT, false, false, true },
	{ FNG_SC_OPEN, "open", O_RDWR | O_TRUNC, false, false, true },
	{ FNG_SC_CREAT, "creat", 0, false, false, true },
	{ FNG_SC_MUTATE, "mkdir", 0, false, false, true },
	{ FNG_SC_UNNAME, "rmdir", 0, false, false, true },
	{ FNG_SC_TWO_PATHS, "link", 0, false, false, true },
	/* an allowlist: globs Landlock cannot hold, so the fallback's rules */
	{ FNG_SC_MUTATE, "mkdir", 0, true, true, true },
	{ FNG_SC_OPEN, "openat", O_CREAT, true, true, true },
	{ FNG_SC_OPEN, "openat", O_RDONLY, true, true, false },
	/* not path calls */
	{ FNG_SC_EXEC, "execve", 0, false, false, false },
	{ FNG_SC_CONNECT, "connect", 0, false, false, false },
};

static void table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct fng_hold_facts f = { .kind = r->kind, .name = r->name, .flags = r->flags, .judged = true,
					    .allowlist = r->allowlist, .kernel_tmp = r->kernel_tmp, .racers = true };

		if (fng_hold_wanted(&f) != r->want)
			fail_msg("row %zu (%s, flags %#llx, kernel %d, allowlist %d): want %d", i, r->name,
				 (unsigned long long)r->flags, r->kernel_tmp, r->allowlist, r->want);
	}
}

/* An open checked at its exit stop (the handler, an allowlist, the temp
 * root without Landlock) is held whenever another task exists: the kernel
 * installs its descriptor before that stop, and another task must not use
 * it before the check (undo_window). A lone task's open is not held. */
static void open_checked_after(void **state)
{
	static const enum fng_sc_kind kinds[] = { FNG_SC_OPEN, FNG_SC_CREAT, FNG_SC_OPENAT2 };

	(void)state;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct fng_hold_facts f = { .kind = kinds[i], .name = "openat", .flags = O_RDONLY,
					    .kernel_tmp = true, .racers = true, .open_checked = true, .others = true };

		assert_true(fng_hold_wanted(&f)); /* judged false: read_handler alone */
		f.others = false;
		assert_false(fng_hold_wanted(&f));
		f.others = true;
		f.racers = false; /* alert mode: nothing to undo */
		assert_false(fng_hold_wanted(&f));
	}
}

/* No racer, or no file rule: never held. */
static void nothing_to_race(void **state)
{
	struct fng_hold_facts f = { .kind = FNG_SC_MUTATE, .name = "chmod", .judged = true, .racers = false };

	(void)state;
	assert_false(fng_hold_wanted(&f));
	f.racers = true;
	f.judged = false;
	assert_false(fng_hold_wanted(&f));
	f.judged = true;
	assert_true(fng_hold_wanted(&f));
}

static void rights_per_abi(void **state)
{
	(void)state;
	assert_int_equal(fng_landlock_handled(1), (1ULL << 13) - 1);
	assert_int_equal(fng_landlock_handled(2), (1ULL << 14) - 1);
	assert_int_equal(fng_landlock_handled(3), (1ULL << 15) - 1);
	assert_int_equal(fng_landlock_handled(4), (1ULL << 15) - 1);
	assert_int_equal(fng_landlock_handled(5), (1ULL << 16) - 1);
	assert_int_equal(fng_landlock_handled(7), (1ULL << 16) - 1);
	assert_true(fng_landlock_handled(2) & LANDLOCK_ACCESS_FS_REFER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table),
		cmocka_unit_test(nothing_to_race),
		cmocka_unit_test(open_checked_after),
		cmocka_unit_test(rights_per_abi),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
