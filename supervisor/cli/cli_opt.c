/* Option errors, alike for every command: one line naming the command and the
 * option, and where to look (`fnguard CMD --help`), exit 2. And the strace
 * short options whose strace meaning fnguard cannot give: said in words, not
 * taken for something else. docs/cli.md, "strace users". */
#include "supervisor/cli/cli_opt.h"
#include "supervisor/exit.h"

#include <getopt.h>
#include <stdbool.h>
#include <string.h>

noreturn void fng_cli_unknown(const char *cmd, const char *arg)
{
	fng_die(FNG_EXIT_USAGE, "%s: unknown option '%s' (see fnguard %s --help)", cmd, arg, cmd);
}

noreturn void fng_cli_bad_option(const char *cmd, int c, int argc, char **argv)
{
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
	char shortopt[3] = { '-', (char)optopt, '\0' };

	bool is_long = strncmp(arg, "--", 2) == 0;

	if (optopt == 'p' && !is_long)
		fng_die(FNG_EXIT_USAGE, "%s: -p: fnguard cannot attach to a running process; it starts CMD itself "
			"(the policy is --policy FILE)", cmd);
	if (optopt && !is_long)
		arg = shortopt;	/* the one letter, also inside a group like -xk */
	if (c == ':')
		fng_die(FNG_EXIT_USAGE, "%s: option '%s' needs an argument (see fnguard %s --help)", cmd, arg, cmd);
	fng_cli_unknown(cmd, arg);
}

void fng_cli_follow(const char *cmd, int n)
{
	if (n > 1)
		fng_die(FNG_EXIT_USAGE, "%s: -ff: fnguard writes no file per process (strace's -ff -o FILE.PID); it always "
			"follows every child, and each line names its pid: use -f or nothing", cmd);
}
