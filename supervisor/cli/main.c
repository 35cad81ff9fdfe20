/* fnguard: an external supervisor for serverless functions. */
#include "supervisor/cli/baseline.h"
#include "supervisor/lambda/emulate.h"
#include "supervisor/exit.h"
#include "supervisor/cli/run.h"
#include "supervisor/cli/log_key.h"

#include <stdio.h>
#include <string.h>

#ifndef FNG_VERSION
#define FNG_VERSION "0.0.0"
#endif

static void usage(FILE *f)
{
	fputs("usage: fnguard COMMAND ...\n"
	      "  fnguard run [--policy FILE] [--log DEST]... [--] CMD [ARGS...]\n"
	      "                          run CMD under the policy (default: FunctionShield's four rules, block)\n"
	      "  fnguard trace [--policy FILE] [-o FILE] [--json] [-e CLASSES] [--stack] [--enforce] [--] CMD [ARGS...]\n"
	      "                          show every watched call and what the policy would decide; blocks only with --enforce\n"
	      "  fnguard baseline -o PROFILE.json [--mode alert|block] [--merge OLD.json] [--] CMD [ARGS...]\n"
	      "                          run CMD allowing everything and write what it did as an allowlist policy\n"
	      "  fnguard baseline merge A.json B.json... -o OUT.json   union of profiles\n"
	      "  fnguard baseline diff OLD.json NEW.json   what NEW allows beyond OLD (exit 1 if anything)\n"
	      "  fnguard emulate [--event FILE | --events FILE.jsonl] [--port N] [--policy FILE] [--] CMD [ARGS...]\n"
	      "                          a local Lambda Runtime API feeding events to CMD under fnguard run;\n"
	      "                          one JSON line per response or error; exit 0 if all succeeded, 1 if not\n"
	      "  fnguard policy check [--handler H] [--task-root DIR] FILE\n"
	      "                          validate a policy; with --handler/--task-root, what read_handler protects\n"
	      "  fnguard help [COMMAND]   this text, or COMMAND's options (as COMMAND --help)\n"
	      "  fnguard --version\n"
	      "Exit status: CMD's own (128+N if killed by signal N); 2 usage or policy error;\n"
	      "125 ptrace/seccomp refused or fnguard failed; 126 CMD not executable; 127 CMD not found.\n",
	      f);
}

/* COMMAND's handler, or NULL. */
static int (*command(const char *name))(int, char **)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "run", fng_cmd_run }, { "trace", fng_cmd_trace }, { "baseline", fng_cmd_baseline },
		{ "emulate", fng_cmd_emulate }, { "policy", fng_cmd_policy },
	};

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(cmds[i].name, name) == 0)
			return cmds[i].fn;
	return NULL;
}

/* fnguard help [COMMAND [SUB]]: as COMMAND [SUB] --help, on stdout, exit 0. */
static int help(int argc, char **argv)
{
	char *args[4] = { NULL };
	int (*fn)(int, char **);

	if (argc < 3) {
		usage(stdout);
		return 0;
	}
	fn = command(argv[2]);
	if (!fn)
		fng_die(FNG_EXIT_USAGE, "help: unknown command '%s' (see fnguard help)", argv[2]);
	args[0] = argv[2];
	args[1] = argc > 3 && argv[3][0] != '-' ? argv[3] : (char *)"--help";
	args[2] = argc > 3 && argv[3][0] != '-' ? (char *)"--help" : NULL;
	return fn(args[2] ? 3 : 2, args);
}

int main(int argc, char **argv)
{
	int (*fn)(int, char **);

	if (argc < 2) {
		usage(stderr);
		return FNG_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("fnguard %s\n", FNG_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return help(1, argv);
	if (strcmp(argv[1], "help") == 0)
		return help(argc, argv);
	fn = command(argv[1]);
	/* The sealing key is run's (emulate hands it to run): under another
	 * command, what it runs must not inherit it either. */
	if (fn && fn != fng_cmd_run && fn != fng_cmd_emulate)
		fng_cli_log_key_drop();
	if (fn)
		return fn(argc - 1, argv + 1);
	if (argv[1][0] == '-')
		fng_die(FNG_EXIT_USAGE, "unknown option '%s' (see fnguard help)", argv[1]);
	fng_die(FNG_EXIT_USAGE, "unknown command '%s' (see fnguard help)", argv[1]);
}
