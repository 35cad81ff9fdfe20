/* The one run loop behind run and trace: the logging thread, the filter,
 * the runtime started under it, the tracer following it to the end, and
 * fnguard's exit status. */
#include "supervisor/session.h"
#include "supervisor/exit.h"
#include "supervisor/lambda/proxy.h"
#include "supervisor/signals.h"
#include "supervisor/spawn.h"
#include "common/util.h"
#include "tracer/tracer.h"

#include <errno.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

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

/* What runs beside the tracer: the logging thread and, when
 * AWS_LAMBDA_RUNTIME_API is set, the Runtime API proxy on its loop. */
struct session_live {
	struct fng_logger *lg;
	struct fng_proxy *px;
	char *real_api;		/* the real AWS_LAMBDA_RUNTIME_API */
	char addr[64];		/* the proxy's, which the runtime gets */
	struct fng_lambda_state state;
};

/* Stop the proxy (its last responses wait for their events) and give the
 * real Runtime API address back, then say what it did. */
static void stop_proxy(struct session_live *l)
{
	struct fng_proxy_stats st;

	if (!l->px)
		return;
	fng_proxy_stop(l->px, &st);
	l->px = NULL;
	setenv("AWS_LAMBDA_RUNTIME_API", l->real_api, 1);
	fng_logger_lifecycle(l->lg, "notice",
			     "Runtime API proxy: %llu invocations, %llu connections, %llu event flushes "
			     "(mean %llu us, max %llu us, %llu past the %u ms deadline), %llu responses replaced by "
			     "Function.SecurityViolation",
			     (unsigned long long)st.invocations, (unsigned long long)st.connections,
			     (unsigned long long)st.flushes,
			     (unsigned long long)(st.flushes ? st.flush_us_total / st.flushes : 0),
			     (unsigned long long)st.flush_us_max, (unsigned long long)st.flush_timeouts,
			     FNG_PROXY_FLUSH_MS, (unsigned long long)st.violations);
}

/* The proxy, then the logger with the exit event (or none). */
static void stop_all(struct session_live *l, struct fng_exit_info *xi)
{
	stop_proxy(l);
	fng_signals_on_hup(NULL, NULL);
	fng_logger_stop(l->lg, xi);
	free(l->real_api);
	l->real_api = NULL;
}

/* With AWS_LAMBDA_RUNTIME_API set (and the proxy not turned off), serve the
 * Runtime API on loopback and give the runtime that address. */
static void start_proxy(const struct fng_session *s, struct session_live *l)
{
	const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
	struct fng_proxy_config pc = { 0 };
	char err[256];

	if (!api || !*api || s->no_proxy || s->policy->no_proxy)
		return;
	l->real_api = strdup(api);
	if (!l->real_api) {
		stop_all(l, NULL);
		fng_die(FNG_EXIT_UNSUPPORTED, "out of memory");
	}
	pc.logger = l->lg;
	pc.upstream = l->real_api;
	pc.state = &l->state;
	pc.fail_invocation = s->policy->on_block == FNG_ON_BLOCK_FAIL_INVOCATION;
	pc.flush_ms = FNG_PROXY_FLUSH_MS;
	if (fng_proxy_start(&l->px, &pc, l->addr, sizeof(l->addr), err, sizeof(err)) < 0) {
		stop_all(l, NULL);
		fng_die(FNG_EXIT_UNSUPPORTED, "%s", err);
	}
	setenv("AWS_LAMBDA_RUNTIME_API", l->addr, 1);
	fng_logger_lifecycle(l->lg, "notice", "Runtime API proxy on %s, relaying to %s", l->addr, l->real_api);
}

/* ptrace or seccomp refused: fail closed, or run unprotected if the policy says so. */
static _Noreturn void unsupported(const struct fng_policy *p, struct session_live *l, const struct fng_sigstate *sig,
				  char *const *cmd, const char *why)
{
	char msg[512];

	stop_proxy(l);
	if (p->on_unsupported != FNG_UNSUPPORTED_RUN) {
		stop_all(l, NULL);
		fng_die(FNG_EXIT_UNSUPPORTED, "%s", why);
	}
	snprintf(msg, sizeof(msg), "running %s UNPROTECTED (on_unsupported: run-unprotected): %s", cmd[0], why);
	fng_logger_lifecycle(l->lg, "unprotected", "%s", msg);
	stop_all(l, NULL);
	fprintf(stderr, "fnguard: %s\n", msg);
	fng_signals_restore(sig);
	execvp(cmd[0], cmd);
	fng_die(errno == ENOENT ? FNG_EXIT_NOT_FOUND : FNG_EXIT_CANNOT_EXEC, "%s: %s", cmd[0], strerror(errno));
}

static void stop_forwarding(void)
{
	fng_signals_forward_to(0);
}

static int exit_status(const struct fng_run_result *res)
{
	return res->signal ? 128 + res->signal : res->exit_code;
}

int fng_session_run(const struct fng_session *s)
{
	const struct fng_policy *policy = s->policy;
	struct session_live live = { 0 };
	struct fng_tracer *tracer = NULL;
	struct fng_sigstate sig;
	struct fng_filter_params fp = { 0 };
	struct sock_fprog prog = { 0 };
	struct fng_child child;
	struct fng_run_result res = { 0 };
	struct fng_exit_info xi = { 0 };
	char err[512], program[PATH_MAX], summary[256];
	bool foreground;
	int r, status;

	r = fng_find_program(s->cmd[0], program, sizeof(program));
	if (r == -ENOENT)
		fng_die(FNG_EXIT_NOT_FOUND, "%s: command not found", s->cmd[0]);
	if (r < 0)
		fng_die(FNG_EXIT_CANNOT_EXEC, "%s: %s", s->cmd[0], strerror(-r));

	/* Before any thread: what was ignored when we started is still ours
	 * to see (a thread start may put a libc handler on a signal). */
	r = fng_signals_install(&sig);
	if (r < 0)
		fng_die(FNG_EXIT_UNSUPPORTED, "cannot install signal handlers: %s", strerror(-r));
	if (fng_logger_start(&live.lg, s->logger, err, sizeof(err)) < 0)
		fng_die(FNG_EXIT_USAGE, "%s", err);
	fng_signals_on_hup(reopen_logs, live.lg);
	fng_policy_summary(policy, summary, sizeof(summary));
	fng_logger_lifecycle(live.lg, "start", "%s", summary);
	for (size_t i = 0; i < policy->n_notices; i++)
		fng_logger_lifecycle(live.lg, "notice", "%s", policy->notices[i]);

	if (fng_preflight(err, sizeof(err)) < 0)
		unsupported(policy, &live, &sig, s->cmd, err);

	start_proxy(s, &live);

	{
		struct fng_tracer_config tc = {
			.policy = policy,
			.logger = live.lg,
			.sup_pid = getpid(),
			.sup_tids = { getpid(), fng_logger_tid(live.lg) },
			.runtime_api = getenv("AWS_LAMBDA_RUNTIME_API"),
			.handler = getenv("_HANDLER"),
			.task_root = getenv("LAMBDA_TASK_ROOT"),
			.real_runtime_api = live.px ? live.real_api : NULL,
			.lambda = live.px ? &live.state : NULL,
			.on_root_exit = stop_forwarding,
			.observe = s->observe,
			.enforce = s->enforce,
			.stack_all = s->stack_all,
		};
		if (fng_tracer_new(&tracer, &tc, err, sizeof(err)) < 0) {
			stop_all(&live, NULL);
			fng_die(FNG_EXIT_UNSUPPORTED, "%s", err);
		}
	}
	fp.needs = fng_tracer_needs(tracer);
	fp.sup_pid = getpid();
	fp.sup_pgid = getpgrp();
	fp.sup_tids[0] = getpid();
	fp.sup_tids[1] = fng_logger_tid(live.lg);
	fp.deny_mount = fng_policy_watches_files(policy);
	r = fng_filter_program(&fp, &prog);
	if (r < 0) {
		stop_all(&live, NULL);
		fng_die(FNG_EXIT_UNSUPPORTED, "cannot build the seccomp filter: %s", strerror(-r));
	}

	/* Orphans of the runtime come back to us, so nothing is left as a zombie. */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	foreground = isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp();
	{
		struct fng_spawn sp = {
			.path = program,
			.argv = s->cmd,
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
			unsupported(policy, &live, &sig, s->cmd, err);
		stop_all(&live, NULL);
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
			snprintf(err, sizeof(err), "%s: %s", s->cmd[0], strerror(e));
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
	fng_spawn_release(&child);

	xi.status = status;
	xi.exit_code = res.exit_code;
	xi.signal = res.signal;
	stop_all(&live, &xi);
	fng_tracer_free(tracer);
	if (err[0])
		fprintf(stderr, "fnguard: %s\n", err);
	return status;
}

