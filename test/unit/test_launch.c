/* Unit tests for the runtime's launch (policy/launch.c): tables of an
 * exec's facts in, whether the launch lets it through out; and of what an
 * exec ran, the task's next state out. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "policy/launch.h"

#define SH FNG_PROG_SHELL
#define ENV FNG_PROG_ENV
#define HELP FNG_PROG_HELPER
#define OTHER FNG_PROG_OTHER
#define L_NONE FNG_LAUNCH_NONE
#define L_SHELL FNG_LAUNCH_SHELL
#define L_SENV FNG_LAUNCH_SHEBANG_ENV
#define L_ENV FNG_LAUNCH_ENV
#define L_SELF FNG_LAUNCH_SELF

static void allows_table(void **state)
{
	static const struct {
		struct fng_launch_call c;
		bool want;
		const char *what;
	} rows[] = {
		/* the root while a launcher runs: anything it execs is the runtime */
		{ { .state = L_SHELL, .root = true, .open = true, .kind = OTHER }, true, "bootstrap exec node" },
		{ { .state = L_SENV, .root = true, .open = true, .kind = SH }, true, "env -> bash of a shim" },
		{ { .state = L_ENV, .root = true, .open = true, .kind = OTHER }, true, "env python3" },
		{ { .state = L_SHELL, .root = true, .open = false, .kind = OTHER }, false, "launch over" },
		/* children of launcher shells: scripts of a shell or env, helpers */
		{ { .state = L_SHELL, .open = true, .script = true, .kind = ENV }, true, "$(pyenv-version-name)" },
		{ { .state = L_SHELL, .open = true, .script = true, .kind = SH }, true, "#!/bin/sh helper" },
		{ { .state = L_SHELL, .open = true, .kind = HELP }, true, "$(readlink ...)" },
		{ { .state = L_SHELL, .open = true, .kind = OTHER }, false, "bootstrap's curl" },
		{ { .state = L_SHELL, .open = true, .kind = SH }, false, "sh -c from a child" },
		{ { .state = L_SHELL, .open = true, .script = true, .kind = OTHER }, false, "#!/usr/bin/python3 child" },
		{ { .state = L_SENV, .open = true, .kind = SH }, true, "child env -> bash" },
		{ { .state = L_SENV, .open = true, .kind = OTHER }, false, "child env -> python" },
		{ { .state = L_ENV, .open = true, .kind = OTHER }, false, "child of env" },
		{ { .state = L_SHELL, .open = false, .script = true, .kind = SH }, false, "child after the launch" },
		/* the runtime's one re-exec of itself */
		{ { .state = L_SELF, .root = true, .same_file = true, .same_argv = true }, true, "java re-exec" },
		{ { .state = L_SELF, .root = true, .same_file = true }, false, "other argv" },
		{ { .state = L_SELF, .root = true, .same_argv = true }, false, "other file" },
		{ { .state = L_SELF, .root = true, .script = true, .same_file = true, .same_argv = true }, false, "a script" },
		{ { .state = L_SELF, .root = false, .same_file = true, .same_argv = true }, false, "not the root" },
		/* the function */
		{ { .state = L_NONE, .root = true, .open = true, .kind = SH }, false, "no launch state" },
		{ { .state = L_NONE, .open = true, .script = true, .kind = SH }, false, "function's child script" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (fng_launch_allows(&rows[i].c) != rows[i].want)
			fail_msg("row %zu (%s): expected %d", i, rows[i].what, rows[i].want);
}

static void next_table(void **state)
{
	static const struct {
		struct fng_launch_ran r;
		enum fng_launch want;
		const char *what;
	} rows[] = {
		{ { .state = L_NONE, .root = true, .open = true, .script = true, .interp_ran = true, .exe = ENV }, L_SENV,
		  "spawn -> #!/usr/bin/env bash shim" },
		{ { .state = L_NONE, .root = true, .open = true, .script = true, .interp_ran = true, .exe = SH }, L_SHELL,
		  "spawn -> #!/bin/sh bootstrap" },
		{ { .state = L_NONE, .root = true, .open = true, .exe = SH }, L_SELF, "spawn -> sh -c: no launcher" },
		{ { .state = L_NONE, .root = true, .open = true, .exe = ENV }, L_ENV, "spawn -> env" },
		{ { .state = L_NONE, .root = true, .open = true, .exe = OTHER }, L_SELF, "spawn -> python" },
		{ { .state = L_SENV, .root = true, .open = true, .exe = SH }, L_SHELL, "env -> bash" },
		{ { .state = L_ENV, .root = true, .open = true, .exe = SH }, L_SELF, "env sh -c: sh is the runtime" },
		{ { .state = L_SHELL, .root = true, .open = true, .exe = OTHER }, L_SELF, "bootstrap -> node" },
		{ { .state = L_SHELL, .root = true, .open = true, .script = true, .interp_ran = false, .exe = SH }, L_SELF,
		  "not the interpreter checked" },
		{ { .state = L_SHELL, .root = true, .open = true, .script = true, .interp_ran = true, .exe = OTHER },
		  L_SELF, "#!/usr/bin/python3" },
		{ { .state = L_SELF, .root = true, .exe = OTHER }, L_NONE, "after the re-exec" },
		{ { .state = L_SHELL, .open = true, .script = true, .interp_ran = true, .exe = ENV }, L_SENV, "child shim" },
		{ { .state = L_SHELL, .open = true, .exe = HELP }, L_NONE, "child helper" },
		{ { .state = L_SHELL, .open = true, .exe = ENV }, L_NONE, "child env (not a #!)" },
		{ { .state = L_SHELL, .open = false, .script = true, .interp_ran = true, .exe = SH }, L_NONE, "over" },
		{ { .state = L_NONE, .open = true, .script = true, .interp_ran = true, .exe = SH }, L_NONE,
		  "function's child" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (fng_launch_next(&rows[i].r) != rows[i].want)
			fail_msg("row %zu (%s): expected %d, got %d", i, rows[i].what, rows[i].want,
				 fng_launch_next(&rows[i].r));
}

static void child_states(void **state)
{
	(void)state;
	assert_int_equal(fng_launch_child(FNG_LAUNCH_SHELL, true, false), FNG_LAUNCH_SHELL);
	assert_int_equal(fng_launch_child(FNG_LAUNCH_SHELL, true, true), FNG_LAUNCH_NONE);
	assert_int_equal(fng_launch_child(FNG_LAUNCH_SHELL, false, false), FNG_LAUNCH_NONE);
	assert_int_equal(fng_launch_child(FNG_LAUNCH_SELF, true, false), FNG_LAUNCH_NONE);
	assert_int_equal(fng_launch_child(FNG_LAUNCH_NONE, true, false), FNG_LAUNCH_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(allows_table),
		cmocka_unit_test(next_table),
		cmocka_unit_test(child_states),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
