/* Option errors, alike for every command: one line naming the command and the
 * option, and where to look (`fnguard CMD --help`), exit 2. And the strace
 * short options whose strace meaning fnguard cannot give: said in words, not
 * taken for something else. docs/cli.md, "strace users". */
#include "supervisor/cli/cli_opt.h"
#include "supervisor/exit.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* --event FILE (trace, baseline): the same command line, without --event,
 * run as the runtime of `fnguard emulate --event FILE --direct`: emulate
 * serves the Runtime API and runs this fnguard, which traces the runtime
 * and proxies its API as run does. Returns only on failure. */
noreturn void fng_cli_reexec_under_emulate(const char *event_file, int argc, char **argv)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char **args = calloc((size_t)argc + 8, sizeof(*args));
	size_t k = 0;

	if (n <= 0 || !args)
		fng_die(FNG_EXIT_UNSUPPORTED, "%s --event: cannot start fnguard emulate: %s", argv[0],
			strerror(n <= 0 ? errno : ENOMEM));
	self[n] = '\0';
	args[k++] = self;
	args[k++] = (char *)"emulate";
	args[k++] = (char *)"--event";
	args[k++] = (char *)event_file;
	args[k++] = (char *)"--direct";
	args[k++] = (char *)"--";
	args[k++] = self;
	args[k++] = argv[0];
	for (int i = 1; i < argc; i++) {
		/* argv[0] is the command's name ("trace"); CMD starts at optind */
		if (i < optind && strcmp(argv[i], "--event") == 0) {
			i++;
			continue;
		}
		if (i < optind && strncmp(argv[i], "--event=", 8) == 0)
			continue;
		args[k++] = argv[i];
	}
	args[k] = NULL;
	execv(self, args);
	fng_die(FNG_EXIT_UNSUPPORTED, "%s --event: cannot start fnguard emulate: %s", argv[0], strerror(errno));
}
