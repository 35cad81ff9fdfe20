/* `fnguard trace`: run a command in observe mode and show every watched call
 * and what the policy decided, or would decide, about it: one line per call
 * (logging/format/text.c) or the JSON event stream, then a summary. Nothing is
 * blocked unless --enforce. docs/cli.md, "fnguard trace". */
#include "supervisor/cli/run.h"
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
	bool json, stack, enforce;
	uint32_t classes;	/* FNG_TEXT_CLASS_* bits; 0: all */
	char **cmd;
};

static void usage_trace(FILE *f)
{
	fputs("usage: fnguard trace [--policy FILE] [-o FILE] [--json] [-e CLASSES] [--stack] [--enforce]\n"
	      "                     [--] CMD [ARGS...]\n"
	      "  --policy FILE   the policy whose decisions are shown (default: as for run)\n"
	      "  -o FILE         write the trace to FILE (truncated) instead of standard error\n"
	      "  --json          the JSON event stream instead of one line per call\n"
	      "  -e CLASSES      only these classes, comma-separated: file, net, process, dns\n"
	      "  --stack         a native stack under every call\n"
	      "  --enforce       apply the policy: blocks really happen (default: nothing is blocked)\n",
	      f);
}

/* "file,net" into FNG_TEXT_CLASS_* bits. 0 or -EINVAL. */
static int parse_classes(const char *s, uint32_t *out)
{
	char buf[128], *save = NULL, *tok;

	if (strlen(s) >= sizeof(buf) || !*s)
		return -EINVAL;
	strcpy(buf, s);
	*out = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		uint32_t bit = fng_text_class_parse(tok);
		if (!bit)
			return -EINVAL;
		*out |= bit;
	}
	return *out ? 0 : -EINVAL;
}

static void parse_trace(int argc, char **argv, struct trace_opts *o)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "stack", no_argument, NULL, 's' },
		{ "enforce", no_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:p:o:e:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			o->policy_file = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 's':
			o->stack = true;
			break;
		case 'E':
			o->enforce = true;
			break;
		case 'e':
			if (parse_classes(optarg, &o->classes) < 0)
				fng_die(FNG_EXIT_USAGE, "-e %s: expected classes from file, net, process, dns", optarg);
			break;
		case 'h':
			usage_trace(stdout);
			exit(0);
		case ':':
			fng_die(FNG_EXIT_USAGE, "trace: %s needs an argument (see fnguard trace --help)", argv[optind - 1]);
		default:
			fng_die(FNG_EXIT_USAGE, "trace: unknown option '%s' (see fnguard trace --help)", argv[optind - 1]);
		}
	}
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

	text.classes = o.classes;
	text.stacks = o.stack;
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
