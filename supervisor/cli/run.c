/* `fnguard run`: parse the command line, load the policy, choose the log
 * destinations, and run the command under the tracer (supervisor/session.c);
 * exit as it did. Also `fnguard policy check`. */
#include "supervisor/cli/run.h"
#include "supervisor/cli/policy_show.h"
#include "supervisor/exit.h"
#include "supervisor/cli/policy_env.h"
#include "supervisor/cli/log_key.h"
#include "supervisor/cli/handler_code.h"
#include "supervisor/session.h"
#include "logging/logger.h"
#include "logging/format/text.h"
#include "common/util.h"
#include "policy/policy.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAX_LOGS 8

struct run_opts {
	const char *policy_file;
	struct fng_sink_spec sinks[MAX_LOGS];
	size_t n_sinks;
	int format;		/* -1: from the policy, else enum fng_log_format */
	long flush_timeout_ms;	/* -1: from the policy */
	bool no_proxy;
	int on_block;		/* -1: from the policy, else enum fng_on_block */
	const char *log_key;	/* --log-key FILE */
	char **cmd;
};

static void usage_run(FILE *f)
{
	fputs("usage: fnguard run [--policy FILE] [--log DEST]... [--log-format FMT] [--log-key FILE]\n"
	      "                   [--flush-timeout MS] [--no-proxy] [--on-block fail-call|fail-invocation|kill]\n"
	      "                   [--] CMD [ARGS...]\n"
	      "  --policy FILE        JSON policy (default: $FNGUARD_POLICY, else $IRON_FUNCTION_POLICY,\n"
	      "                       else the four FunctionShield rules, all block)\n"
	      "  --log DEST           where events go (repeatable): stderr (default), stdout, file:/path,\n"
	      "                       unix:/path, syslog:, syslog+udp://host:port, syslog+tcp://host:port,\n"
	      "                       http://... or https://... (URL#batch=1: one event per request)\n"
	      "  --log-format FMT     fnguard (JSON lines), ocsf (OCSF 1.1), falco (Falco alerts) or text\n"
	      "                       (one line per event); default: text on a terminal, else fnguard\n"
	      "  --log-key FILE       seal each event line with an HMAC-SHA256 under this key (16 to 256\n"
	      "                       bytes; default: $FNGUARD_LOG_KEY, which the runtime never sees)\n"
	      "  --flush-timeout MS   at exit, wait up to MS milliseconds for the sinks (default 2000)\n"
	      "  --no-proxy           with AWS_LAMBDA_RUNTIME_API set, do not proxy the Runtime API\n"
	      "  --on-block WHAT      what a block does besides failing the call: fail-call (default),\n"
	      "                       fail-invocation (Function.SecurityViolation) or kill (end the runtime)\n",
	      f);
}

static void parse_run(int argc, char **argv, struct run_opts *o)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "log", required_argument, NULL, 'l' },
		{ "log-format", required_argument, NULL, 'F' },
		{ "log-key", required_argument, NULL, 'K' },
		{ "flush-timeout", required_argument, NULL, 'T' },
		{ "no-proxy", no_argument, NULL, 'P' },
		{ "on-block", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	o->format = -1;
	o->flush_timeout_ms = -1;
	o->on_block = -1;
	while ((c = getopt_long(argc, argv, "+p:l:h", longopts, NULL)) != -1) {
		enum fng_log_format fmt;
		char *end;
		switch (c) {
		case 'p':
			o->policy_file = optarg;
			break;
		case 'l':
			fng_cli_add_log(o->sinks, &o->n_sinks, MAX_LOGS, optarg);
			break;
		case 'F':
			if (fng_log_format_parse(optarg, &fmt) < 0)
				fng_die(FNG_EXIT_USAGE, "--log-format %s: expected fnguard, ocsf, falco or text", optarg);
			o->format = (int)fmt;
			break;
		case 'K':
			o->log_key = optarg;
			break;
		case 'T':
			errno = 0;
			o->flush_timeout_ms = strtol(optarg, &end, 10);
			if (errno || *end || !*optarg || o->flush_timeout_ms < 0 || o->flush_timeout_ms > FNG_FLUSH_TIMEOUT_MAX_MS)
				fng_die(FNG_EXIT_USAGE, "--flush-timeout %s: expected milliseconds from 0 to %d", optarg,
					FNG_FLUSH_TIMEOUT_MAX_MS);
			break;
		case 'P':
			o->no_proxy = true;
			break;
		case 'B': {
			enum fng_on_block b;
			if (fng_on_block_parse(optarg, &b) < 0)
				fng_die(FNG_EXIT_USAGE, "--on-block %s: expected fail-call, fail-invocation or kill", optarg);
			o->on_block = (int)b;
			break;
		}
		case 'h':
			usage_run(stdout);
			exit(0);
		default:
			usage_run(stderr);
			exit(FNG_EXIT_USAGE);
		}
	}
	if (optind >= argc) {
		usage_run(stderr);
		fng_die(FNG_EXIT_USAGE, "run: no command given");
	}
	o->cmd = argv + optind;
}

static void add_sink(struct fng_sink_spec *sinks, size_t *n, const struct fng_sink_spec *spec)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(sinks[i].dest, spec->dest) == 0)
			return;	/* the same destination twice gets events once */
	if (*n == FNG_MAX_SINKS)
		fng_die(FNG_EXIT_USAGE, "at most %d log destinations (command line and policy together)", FNG_MAX_SINKS);
	sinks[(*n)++] = *spec;
}

/* A sink that is a terminal (stderr, stdout): text unless a format was asked. */
static bool sink_is_tty(const struct fng_sink_spec *spec)
{
	return (spec->kind == FNG_SINK_STDERR && isatty(STDERR_FILENO)) ||
	       (spec->kind == FNG_SINK_STDOUT && isatty(STDOUT_FILENO));
}

/* Where events go: --log, the policy's events.sinks, stderr when neither
 * names one; and Iron Function's api_endpoint, always, in Iron Function's
 * schema, one event per request. Format: the command line, else the
 * policy, else text for a terminal and fnguard JSON for the rest. Flush
 * deadline: the command line, else the policy, else the default. */
static void logger_config(const struct run_opts *o, const struct fng_policy *p, struct fng_sink_spec *sinks,
			  struct fng_logger_config *cfg, struct fng_text_opts *text)
{
	struct fng_sink_spec spec;
	const char *why = NULL;
	bool asked = o->format >= 0 || p->event_format > 0;
	size_t n = 0;

	for (size_t i = 0; i < o->n_sinks; i++)
		add_sink(sinks, &n, &o->sinks[i]);
	for (size_t i = 0; i < p->n_event_sinks; i++)
		if (fng_sink_parse(p->event_sinks[i], &spec, &why) == 0)
			add_sink(sinks, &n, &spec);
	if (n == 0 && fng_sink_parse("stderr", &spec, &why) == 0)
		add_sink(sinks, &n, &spec);
	for (size_t i = 0; i < n && !asked; i++)
		if (sink_is_tty(&sinks[i])) {
			sinks[i].format = FNG_FORMAT_TEXT + 1;
			text->colour = true;
		}
	if (p->api_endpoint && fng_sink_parse(p->api_endpoint, &spec, &why) == 0) {
		spec.format = FNG_FORMAT_IRON + 1;
		spec.one_per_request = true;
		add_sink(sinks, &n, &spec);
	}
	cfg->sinks = sinks;
	cfg->n_sinks = n;
	cfg->format = o->format >= 0 ? (enum fng_log_format)o->format
		    : p->event_format > 0 ? (enum fng_log_format)(p->event_format - 1) : FNG_FORMAT_FNGUARD;
	text->frames = 3;
	text->decisions = true;
	text->names = true;
	cfg->text = text;
	cfg->flush_timeout_ms = o->flush_timeout_ms >= 0 ? (unsigned)o->flush_timeout_ms
			      : p->has_flush_timeout ? p->flush_timeout_ms : FNG_FLUSH_TIMEOUT_DEFAULT_MS;
}

static void load_policy(const char *file, struct fng_policy *p)
{
	struct fng_policy_error err;
	const char *var = NULL;

	if (!file)
		file = fng_policy_from_env(&var);
	if (!file) {
		if (fng_policy_default(p) < 0)
			fng_die(FNG_EXIT_UNSUPPORTED, "out of memory");
		return;
	}
	if (fng_policy_load_file(file, p, &err) < 0)
		fng_die(FNG_EXIT_USAGE, "%s%s%s%s", err.msg, var ? " (from " : "", var ? var : "", var ? ")" : "");
}

int fng_cmd_run(int argc, char **argv)
{
	struct run_opts o = { 0 };
	struct fng_policy policy;
	struct fng_sink_spec sinks[FNG_MAX_SINKS];
	struct fng_logger_config lc = { 0 };
	struct fng_text_opts text = { 0 };
	struct fng_session s = { .policy = &policy, .logger = &lc };
	uint8_t key[FNG_SEAL_KEY_MAX];
	int status;

	parse_run(argc, argv, &o);
	fng_cli_log_key(o.log_key, key, &lc.seal_key_len);
	lc.seal_key = lc.seal_key_len ? key : NULL;
	load_policy(o.policy_file, &policy);
	if (o.on_block >= 0)
		policy.on_block = (enum fng_on_block)o.on_block;
	logger_config(&o, &policy, sinks, &lc, &text);
	s.cmd = o.cmd;
	s.no_proxy = o.no_proxy;
	status = fng_session_run(&s);
	explicit_bzero(key, sizeof(key));
	fng_policy_free(&policy);
	return status;
}

void fng_cli_add_log(struct fng_sink_spec *sinks, size_t *n, size_t max, const char *dest)
{
	const char *why = NULL;

	if (*n == max)
		fng_die(FNG_EXIT_USAGE, "--log: at most %zu destinations", max);
	if (fng_sink_parse(dest, &sinks[*n], &why) < 0)
		fng_die(FNG_EXIT_USAGE, "--log %s: %s", dest, why);
	(*n)++;
}

void fng_run_load_policy(const char *file, struct fng_policy *p)
{
	load_policy(file, p);
}

int fng_cmd_policy(int argc, char **argv)
{
	static const char usage[] = "usage: fnguard policy check [--handler H] [--task-root DIR] FILE";
	const char *handler = NULL, *task_root = NULL, *file = NULL;
	struct fng_policy p;
	struct fng_policy_error err;
	char summary[256];

	if (argc < 3 || strcmp(argv[1], "check") != 0)
		fng_die(FNG_EXIT_USAGE, "%s", usage);
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--handler") == 0 && i + 1 < argc)
			handler = argv[++i];
		else if (strcmp(argv[i], "--task-root") == 0 && i + 1 < argc)
			task_root = argv[++i];
		else if (!file && argv[i][0] != '-')
			file = argv[i];
		else
			fng_die(FNG_EXIT_USAGE, "%s", usage);
	}
	if (!file)
		fng_die(FNG_EXIT_USAGE, "%s", usage);
	if (fng_policy_load_file(file, &p, &err) < 0)
		fng_die(FNG_EXIT_USAGE, "%s", err.msg);
	for (size_t i = 0; i < p.n_notices; i++)
		fprintf(stderr, "fnguard: %s: notice: %s\n", file, p.notices[i]);
	fng_policy_summary(&p, summary, sizeof(summary));
	printf("%s: ok: %s\n", file, summary);
	fng_cli_show_policy(&p, stdout);
	if (handler || task_root)
		fng_cli_show_handler_code(&p, handler, task_root);
	fng_policy_free(&p);
	return 0;
}
