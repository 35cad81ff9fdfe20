/* `fnguard run`: load the policy, start the logging thread, start the
 * runtime under the filter and follow it to the end; exit as it did. */
#include "supervisor/run.h"
#include "supervisor/exit.h"
#include "supervisor/proxy.h"
#include "supervisor/signals.h"
#include "supervisor/spawn.h"
#include "logging/logger.h"
#include "logging/util.h"
#include "policy/policy.h"
#include "tracer/tracer.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <termios.h>
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
	char **cmd;
};

/* The Runtime API proxy, when AWS_LAMBDA_RUNTIME_API is set. */
struct run_lambda {
	struct fng_proxy *px;
	char *real_api;		/* the real AWS_LAMBDA_RUNTIME_API */
	char addr[64];		/* the proxy's, which the runtime gets */
	struct fng_lambda_state state;
};

static void usage_run(FILE *f)
{
	fputs("usage: fnguard run [--policy FILE] [--log DEST]... [--log-format fnguard|ocsf]\n"
	      "                   [--flush-timeout MS] [--no-proxy] [--on-block fail-call|fail-invocation|kill]\n"
	      "                   [--] CMD [ARGS...]\n"
	      "  --policy FILE        JSON policy (default: the four FunctionShield rules, all block)\n"
	      "  --log DEST           where events go (repeatable): stderr (default), stdout, file:/path,\n"
	      "                       unix:/path, syslog:, syslog+udp://host:port, syslog+tcp://host:port,\n"
	      "                       http://... or https://...\n"
	      "  --log-format FMT     fnguard (JSON lines, the default) or ocsf (OCSF 1.1)\n"
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
		const char *why = NULL;
		enum fng_log_format fmt;
		char *end;
		switch (c) {
		case 'p':
			o->policy_file = optarg;
			break;
		case 'l':
			if (o->n_sinks == MAX_LOGS)
				fng_die(FNG_EXIT_USAGE, "--log: at most %d destinations", MAX_LOGS);
			if (fng_sink_parse(optarg, &o->sinks[o->n_sinks], &why) < 0)
				fng_die(FNG_EXIT_USAGE, "--log %s: %s", optarg, why);
			o->n_sinks++;
			break;
		case 'F':
			if (fng_log_format_parse(optarg, &fmt) < 0)
				fng_die(FNG_EXIT_USAGE, "--log-format %s: expected fnguard or ocsf", optarg);
			o->format = (int)fmt;
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

/* Where events go: --log, the policy's events.sinks, stderr when neither
 * names one; and Iron Function's api_endpoint, always. Format and flush
 * deadline: the command line, else the policy, else the defaults. */
static void logger_config(const struct run_opts *o, const struct fng_policy *p, struct fng_sink_spec *sinks,
			  struct fng_logger_config *cfg)
{
	struct fng_sink_spec spec;
	const char *why = NULL;
	size_t n = 0;

	for (size_t i = 0; i < o->n_sinks; i++)
		add_sink(sinks, &n, &o->sinks[i]);
	for (size_t i = 0; i < p->n_event_sinks; i++)
		if (fng_sink_parse(p->event_sinks[i], &spec, &why) == 0)
			add_sink(sinks, &n, &spec);
	if (n == 0 && fng_sink_parse("stderr", &spec, &why) == 0)
		add_sink(sinks, &n, &spec);
	if (p->api_endpoint && fng_sink_parse(p->api_endpoint, &spec, &why) == 0)
		add_sink(sinks, &n, &spec);
	cfg->sinks = sinks;
	cfg->n_sinks = n;
	cfg->format = o->format >= 0 ? (enum fng_log_format)o->format
		    : p->event_format == 2 ? FNG_FORMAT_OCSF : FNG_FORMAT_FNGUARD;
	cfg->flush_timeout_ms = o->flush_timeout_ms >= 0 ? (unsigned)o->flush_timeout_ms
			      : p->has_flush_timeout ? p->flush_timeout_ms : FNG_FLUSH_TIMEOUT_DEFAULT_MS;
}


static void load_policy(const char *file, struct fng_policy *p)
{
	struct fng_policy_error err;

	if (!file) {
		if (fng_policy_default(p) < 0)
			fng_die(FNG_EXIT_UNSUPPORTED, "out of memory");
		return;
	}
	if (fng_policy_load_file(file, p, &err) < 0)
		fng_die(FNG_EXIT_USAGE, "%s", err.msg);
}

static bool privileged(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data) < 0)
		return false;
	return data[0].effective & (1u << CAP_SYS_ADMIN);
}

static void reopen_logs(void *lg)
{
	fng_logger_reopen(lg);
}

/* Stop the proxy (its last responses wait for their events) and give the
 * real Runtime API address back, then say what it did. */
static void stop_proxy(struct fng_logger *lg, struct run_lambda *rl)
{
	struct fng_proxy_stats st;

	if (!rl || !rl->px)
		return;
	fng_proxy_stop(rl->px, &st);
	rl->px = NULL;
	setenv("AWS_LAMBDA_RUNTIME_API", rl->real_api, 1);
	fng_logger_lifecycle(lg, "notice",
			     "Runtime API proxy: %llu invocations, %llu connections, %llu event flushes "
			     "(mean %llu us, max %llu us, %llu past the %u ms deadline), %llu responses replaced by "
			     "Function.SecurityViolation",
			     (unsigned long long)st.invocations, (unsigned long long)st.connections,
			     (unsigned long long)st.flushes,
			     (unsigned long long)(st.flushes ? st.flush_us_total / st.flushes : 0),
			     (unsigned long long)st.flush_us_max, (unsigned long long)st.flush_timeouts,
			     FNG_PROXY_FLUSH_MS, (unsigned long long)st.violations);
}

static void stop_logger(struct fng_logger *lg, struct fng_exit_info *xi)
{
	fng_signals_on_hup(NULL, NULL);
	fng_logger_stop(lg, xi);
}

/* With AWS_LAMBDA_RUNTIME_API set (and the proxy not turned off), serve the
 * Runtime API on loopback and give the runtime that address. */
static void start_proxy(const struct run_opts *o, const struct fng_policy *p, struct fng_logger *lg,
			struct run_lambda *rl)
{
	const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
	struct fng_proxy_config pc = { 0 };
	char err[256];

	if (!api || !*api || o->no_proxy || p->no_proxy)
		return;
	rl->real_api = strdup(api);
	if (!rl->real_api) {
		stop_logger(lg, NULL);
		fng_die(FNG_EXIT_UNSUPPORTED, "out of memory");
	}
	pc.logger = lg;
	pc.upstream = rl->real_api;
	pc.state = &rl->state;
	pc.fail_invocation = p->on_block == FNG_ON_BLOCK_FAIL_INVOCATION;
	pc.flush_ms = FNG_PROXY_FLUSH_MS;
	if (fng_proxy_start(&rl->px, &pc, rl->addr, sizeof(rl->addr), err, sizeof(err)) < 0) {
		stop_logger(lg, NULL);
		fng_die(FNG_EXIT_UNSUPPORTED, "%s", err);
	}
	setenv("AWS_LAMBDA_RUNTIME_API", rl->addr, 1);
	fng_logger_lifecycle(lg, "notice", "Runtime API proxy on %s, relaying to %s", rl->addr, rl->real_api);
}

/* ptrace or seccomp refused: fail closed, or run unprotected if the policy says so. */
static _Noreturn void unsupported(const struct fng_policy *p, struct fng_logger *lg, const struct fng_sigstate *sig,
				  char **cmd, const char *why, struct run_lambda *rl)
{
	char msg[512];

	stop_proxy(lg, rl);
	if (p->on_unsupported != FNG_UNSUPPORTED_RUN) {
		stop_logger(lg, NULL);
		fng_die(FNG_EXIT_UNSUPPORTED, "%s", why);
	}
	snprintf(msg, sizeof(msg), "running %s UNPROTECTED (on_unsupported: run-unprotected): %s", cmd[0], why);
	fng_logger_lifecycle(lg, "unprotected", "%s", msg);
	stop_logger(lg, NULL);
	fprintf(stderr, "fnguard: %s\n", msg);
	fng_signals_restore(sig);
	execvp(cmd[0], cmd);
	fng_die(errno == ENOENT ? FNG_EXIT_NOT_FOUND : FNG_EXIT_CANNOT_EXEC, "%s: %s", cmd[0], strerror(errno));
}

/* Turn the libseccomp filter into a BPF program the child can load with
 * one system call (no allocation after fork). */
static int export_filter(scmp_filter_ctx ctx, struct sock_fprog *prog)
{
	autoclose int fd = memfd_create("fnguard-filter", MFD_CLOEXEC);
	off_t size;
	int r;

	if (fd < 0)
		return -errno;
	r = seccomp_export_bpf(ctx, fd);
	if (r < 0)
		return r;
	size = lseek(fd, 0, SEEK_END);
	if (size <= 0 || size % (off_t)sizeof(struct sock_filter) != 0)
		return -EINVAL;
	prog->filter = malloc((size_t)size);
	if (!prog->filter)
		return -ENOMEM;
	if (pread(fd, prog->filter, (size_t)size, 0) != size) {
		free(prog->filter);
		return -EIO;
	}
	prog->len = (unsigned short)(size / (off_t)sizeof(struct sock_filter));
	return 0;
}

static void stop_forwarding(void)
{
	fng_signals_forward_to(0);
}

static int exit_status(const struct fng_run_result *res)
{
	return res->signal ? 128 + res->signal : res->exit_code;
}

int fng_cmd_run(int argc, char **argv)
{
	struct run_opts o = { 0 };
	struct fng_policy policy;
	struct fng_logger *lg = NULL;
	struct fng_tracer *tracer = NULL;
	struct fng_sigstate sig;
	struct fng_filter_params fp = { 0 };
	struct sock_fprog prog = { 0 };
	struct fng_child child;
	struct fng_run_result res = { 0 };
	struct fng_exit_info xi = { 0 };
	struct fng_sink_spec sinks[FNG_MAX_SINKS];
	struct fng_logger_config lc;
	struct run_lambda rl = { 0 };
	scmp_filter_ctx ctx;
	char err[512], program[PATH_MAX], summary[256];
	bool foreground;
	int r, status;

	parse_run(argc, argv, &o);
	load_policy(o.policy_file, &policy);
	if (o.on_block >= 0)
		policy.on_block = (enum fng_on_block)o.on_block;

	r = fng_find_program(o.cmd[0], program, sizeof(program));
	if (r == -ENOENT)
		fng_die(FNG_EXIT_NOT_FOUND, "%s: command not found", o.cmd[0]);
	if (r < 0)
		fng_die(FNG_EXIT_CANNOT_EXEC, "%s: %s", o.cmd[0], strerror(-r));

	logger_config(&o, &policy, sinks, &lc);
	if (fng_logger_start(&lg, &lc, err, sizeof(err)) < 0)
		fng_die(FNG_EXIT_USAGE, "%s", err);
	if (fng_signals_install(&sig) < 0) {
		stop_logger(lg, NULL);
		fng_die(FNG_EXIT_UNSUPPORTED, "cannot install signal handlers: %s", strerror(errno));
	}
	fng_signals_on_hup(reopen_logs, lg);
	fng_policy_summary(&policy, summary, sizeof(summary));
	fng_logger_lifecycle(lg, "start", "%s", summary);
	for (size_t i = 0; i < policy.n_notices; i++)
		fng_logger_lifecycle(lg, "notice", "%s", policy.notices[i]);

	if (fng_preflight(err, sizeof(err)) < 0)
		unsupported(&policy, lg, &sig, o.cmd, err, NULL);

	start_proxy(&o, &policy, lg, &rl);
	{
		struct fng_tracer_config tc = {
			.policy = &policy,
			.logger = lg,
			.sup_pid = getpid(),
			.sup_tids = { getpid(), fng_logger_tid(lg) },
			.runtime_api = getenv("AWS_LAMBDA_RUNTIME_API"),
			.real_runtime_api = rl.px ? rl.real_api : NULL,
			.lambda = rl.px ? &rl.state : NULL,
			.on_root_exit = stop_forwarding,
		};
		if (fng_tracer_new(&tracer, &tc, err, sizeof(err)) < 0) {
			stop_proxy(lg, &rl);
			stop_logger(lg, NULL);
			fng_die(FNG_EXIT_UNSUPPORTED, "%s", err);
		}
	}
	fp.needs = fng_tracer_needs(tracer);
	fp.sup_pid = getpid();
	fp.sup_pgid = getpgrp();
	fp.sup_tids[0] = getpid();
	fp.sup_tids[1] = fng_logger_tid(lg);
	fp.deny_mount = fng_policy_watches_files(&policy);
	r = fng_filter_build(&fp, &ctx);
	if (r == 0) {
		r = export_filter(ctx, &prog);
		seccomp_release(ctx);
	}
	if (r < 0) {
		stop_proxy(lg, &rl);
		stop_logger(lg, NULL);
		fng_die(FNG_EXIT_UNSUPPORTED, "cannot build the seccomp filter: %s", strerror(-r));
	}

	/* Orphans of the runtime come back to us, so nothing is left as a zombie. */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	foreground = isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp();
	{
		struct fng_spawn sp = {
			.path = program,
			.argv = o.cmd,
			.filter = &prog,
			.signals = &sig,
			.no_new_privs = !privileged(),
			.foreground = foreground,
		};
		r = fng_spawn_start(&sp, &child, err, sizeof(err));
	}
	free(prog.filter);
	if (r < 0) {
		if (r == -EPERM)
			unsupported(&policy, lg, &sig, o.cmd, err, &rl);
		stop_proxy(lg, &rl);
		stop_logger(lg, NULL);
		fng_die(FNG_EXIT_UNSUPPORTED, "%s", err);
	}
	/* Not dumpable: a runtime with our uid cannot open /proc/<us>/mem or ptrace us. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	fng_signals_forward_to(child.pid);

	r = fng_tracer_run(tracer, child.pid, &res);
	fng_signals_forward_to(0);
	if (foreground) {
		sigset_t ttou, old;
		sigemptyset(&ttou);
		sigaddset(&ttou, SIGTTOU);
		sigprocmask(SIG_BLOCK, &ttou, &old);
		tcsetpgrp(STDIN_FILENO, getpgrp());
		sigprocmask(SIG_SETMASK, &old, NULL);
	}

	if (r < 0) {
		snprintf(err, sizeof(err), "tracer failed: %s", strerror(-r));
		status = FNG_EXIT_UNSUPPORTED;
	} else if (res.exec_failed) {
		enum fng_child_stage stage;
		int e;
		fng_spawn_failure(child.status_fd, &stage, &e);
		if (stage == FNG_STAGE_FILTER) {
			snprintf(err, sizeof(err), "seccomp refused the filter: %s", strerror(e));
			status = FNG_EXIT_UNSUPPORTED;
		} else if (stage == FNG_STAGE_EXEC) {
			snprintf(err, sizeof(err), "%s: %s", o.cmd[0], strerror(e));
			status = e == ENOENT ? FNG_EXIT_NOT_FOUND : FNG_EXIT_CANNOT_EXEC;
		} else {
			err[0] = '\0';
			status = exit_status(&res);
		}
	} else {
		err[0] = '\0';
		status = exit_status(&res);
	}
	close(child.status_fd);

	xi.status = status;
	xi.exit_code = res.exit_code;
	xi.signal = res.signal;
	stop_proxy(lg, &rl);
	stop_logger(lg, &xi);
	free(rl.real_api);
	fng_tracer_free(tracer);
	fng_policy_free(&policy);
	if (err[0])
		fprintf(stderr, "fnguard: %s\n", err);
	return status;
}

int fng_cmd_policy(int argc, char **argv)
{
	struct fng_policy p;
	struct fng_policy_error err;
	char summary[256];

	if (argc != 3 || strcmp(argv[1], "check") != 0)
		fng_die(FNG_EXIT_USAGE, "usage: fnguard policy check FILE");
	if (fng_policy_load_file(argv[2], &p, &err) < 0)
		fng_die(FNG_EXIT_USAGE, "%s", err.msg);
	for (size_t i = 0; i < p.n_notices; i++)
		fprintf(stderr, "fnguard: %s: notice: %s\n", argv[2], p.notices[i]);
	fng_policy_summary(&p, summary, sizeof(summary));
	printf("%s: ok: %s\n", argv[2], summary);
	fng_policy_free(&p);
	return 0;
}
