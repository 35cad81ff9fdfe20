/* fnguard: an external supervisor for serverless functions. */
#include "supervisor/cli/baseline.h"
#include "supervisor/lambda/emulate.h"
#include "supervisor/exit.h"
#include "supervisor/cli/run.h"

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
	      "  fnguard --version\n"
	      "Exit status: CMD's own (128+N if killed by signal N); 2 usage or policy error;\n"
	      "125 ptrace/seccomp refused or fnguard failed; 126 CMD not executable; 127 CMD not found.\n",
	      f);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return FNG_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("fnguard %s\n", FNG_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "run") == 0)
		return fng_cmd_run(argc - 1, argv + 1);
	if (strcmp(argv[1], "trace") == 0)
		return fng_cmd_trace(argc - 1, argv + 1);
	if (strcmp(argv[1], "baseline") == 0)
		return fng_cmd_baseline(argc - 1, argv + 1);
	if (strcmp(argv[1], "emulate") == 0)
		return fng_cmd_emulate(argc - 1, argv + 1);
	if (strcmp(argv[1], "policy") == 0)
		return fng_cmd_policy(argc - 1, argv + 1);
	usage(stderr);
	fng_die(FNG_EXIT_USAGE, "unknown command '%s'", argv[1]);
}
