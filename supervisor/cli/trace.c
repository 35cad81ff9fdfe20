/* `fnguard trace`: run a command in observe mode and show every watched call
 * and what the policy decided, or would decide, about it: one line per call
 * (logging/format/text.c) or the JSON event stream, then a summary. Nothing is
 * blocked unless --enforce. docs/cli.md, "fnguard trace". */
#include "supervisor/cli/run.h"
#include "supervisor/cli/cli_opt.h"
#include "supervisor/exit.h"
#include "supervisor/session.h"
#include "logging/logger.h"
#include "logging/format/text.h"
#include "common/util.h"
#include "policy/policy.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct trace_opts {
	const char *policy_file;
	const char *out;	/* -o FILE, or NULL: stderr */
	const char *event_file;	/* --event FILE: under a local Runtime API */
	bool json, stack, enforce, summary_only;
	int follow, clock;	/* -f count; -t count (FNG_TEXT_CLOCK_*) */
	uint32_t classes;	/* FNG_TEXT_CLASS_* bits; 0: all */
	char **cmd;
};

static void usage_trace(FILE *f)
{
	fputs("usage: fnguard trace [--policy FILE] [-o FILE] [--json] [-e CLASSES]... [-c] [-t|-tt|-ttt] [-k]\n"
	      "                     [--enforce] [--event FILE] [--] CMD [ARGS...]\n"
	      "  --policy FILE   the policy whose decisions are shown (default: as for run)\n"
	      "  -o FILE         write the trace to FILE (truncated) instead of standard error\n"
	      "  --json          the JSON event stream instead of one line per call\n"
	      "  -e CLASSES      only these classes, comma-separated: file, net, process, dns; as strace:\n"
	      "                  -e trace=%file,%network,%process; several -e add up\n"
	      "  -c              count only: no line per call, the summary at exit\n"
	      "  -t, -tt, -ttt   wall-clock times (HH:MM:SS, with microseconds, epoch seconds);\n"
	      "                  default: seconds since the first line (strace -r)\n"
	      "  -k, --stack     a native stack under every call\n"
	      "  -f              accepted: fnguard always follows children (-ff is refused)\n"
	      "  --enforce       apply the policy: blocks really happen (default: nothing is blocked)\n"
	      "  --event FILE    run CMD as a Lambda runtime: a local Runtime API hands it this event\n"
	      "                  (as fnguard emulate; the results go to standard output)\n"
	      "-p PID is refused: fnguard starts the command itself, it cannot attach.\n",
	      f);
}

/* One -e argument, as strace reads it: [trace=]SET, SET a comma list of
 * fnguard classes (file, net, process, dns) or strace classes (%file,
 * %network, %net, %process), or all. Adds to *out. 0, or the usage error. */
static void parse_classes(const char *arg, uint32_t *out)
{
	const char *s = arg, *eq = strchr(arg, '=');
	char buf[128], *save = NULL, *tok;
	uint32_t bits = 0;

	if (eq && strncmp(arg, "trace=", 6) != 0)
		fng_die(FNG_EXIT_USAGE, "trace: -e %s: fnguard has no strace qualifier '%.*s'; only -e trace=CLASSES",
			arg, (int)(eq - arg), arg);
	if (eq)
		s = eq + 1;
	if (strlen(s) >= sizeof(buf) || !*s)
		fng_die(FNG_EXIT_USAGE, "trace: -e %s: expected classes from file, net, process, dns", arg);
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const char *name = tok[0] == '%' ? tok + 1 : tok;
		uint32_t bit = strcmp(name, "all") == 0 ? FNG_TEXT_CLASS_ALL : fng_text_class_parse(name);
		if (!bit)
			fng_die(FNG_EXIT_USAGE, "trace: -e %s: expected classes from file, net, process, dns (as strace: "
				"%%file, %%network, %%process); '%s' is not one: fnguard watches classes of calls, not "
				"single system calls", arg, tok);
		bits |= bit;
	}
	*out |= bits;
}

static void parse_trace(int argc, char **argv, struct trace_opts *o)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, FNG_OPT_POLICY },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "stack", no_argument, NULL, 'k' },
		{ "enforce", no_argument, NULL, 'E' },
		{ "event", required_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:o:e:hfcCtrk", longopts, NULL)) != -1) {
		switch (c) {
		case FNG_OPT_POLICY: o->policy_file = optarg; break;
		case 'o': o->out = optarg; break;
		case 'j': o->json = true; break;
		case 'k': o->stack = true; break;
		case 'E': o->enforce = true; break;
		case 'V': o->event_file = optarg; break;
		case 'e': parse_classes(optarg, &o->classes); break;
		case 'f': fng_cli_follow("trace", ++o->follow); break;
		case 'c': o->summary_only = true; break;
		case 'C': break;	/* strace -C: lines and summary, fnguard's default */
		case 'r': break;	/* strace -r: relative times, the default */
		case 't':
			if (++o->clock > FNG_TEXT_CLOCK_TTT)
				fng_die(FNG_EXIT_USAGE, "trace: -tttt: at most -ttt (epoch seconds)");
			break;
		case 'h':
			usage_trace(stdout);
			exit(0);
		default:
			fng_cli_bad_option("trace", c, argc, argv);
		}
	}
	if (o->summary_only && o->json)
		fng_die(FNG_EXIT_USAGE, "trace: -c and --json: the summary is part of the text output; give one");
	if (optind >= argc)
		fng_die(FNG_EXIT_USAGE, "trace: no command given (see fnguard trace --help)");
	o->cmd = argv + optind;
}

int fng_cmd_trace(int argc, char **argv)
{
	struct trace_opts o = { 0 };
	struct fng_policy policy;
	struct fng_sink_spec sink;
	struct fng_text_opts text = { 0 };
	struct fng_logger_config lc = { .sinks = &sink, .n_sinks = 1, .flush_timeout_ms = FNG_FLUSH_TIMEOUT_DEFAULT_MS,
					.lossless = true };
	struct fng_session s = { .policy = &policy, .logger = &lc, .observe = true };
	char dest[4096 + 8];
	const char *why = NULL;
	int fd = STDERR_FILENO, status;

	parse_trace(argc, argv, &o);
	if (o.event_file)
		fng_cli_reexec_under_emulate(o.event_file, argc, argv);
	if (o.out) {
		/* Like strace -o: the file holds this trace only. */
		autoclose int tfd = open(o.out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
		if (tfd < 0)
			fng_die(FNG_EXIT_USAGE, "-o %s: %s", o.out, strerror(errno));
		fd = -1;
		snprintf(dest, sizeof(dest), "file:%s", o.out);
	} else {
		snprintf(dest, sizeof(dest), "stderr");
	}
	if (fng_sink_parse(dest, &sink, &why) < 0)
		fng_die(FNG_EXIT_USAGE, "-o %s: %s", o.out, why);
	fng_run_load_policy(o.policy_file, &policy);

	text.classes = o.classes == FNG_TEXT_CLASS_ALL ? 0 : o.classes;
	text.stacks = o.stack;
	text.summary_only = o.summary_only;
	text.clock = (uint8_t)o.clock;
	text.colour = fd >= 0 && isatty(fd);
	lc.format = o.json ? FNG_FORMAT_FNGUARD : FNG_FORMAT_TEXT;
	lc.text = &text;
	s.cmd = o.cmd;
	s.enforce = o.enforce;
	s.stack_all = o.stack;
	status = fng_session_run(&s);
	fng_policy_free(&policy);
	return status;
}
