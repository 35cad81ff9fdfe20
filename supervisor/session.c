/* The one run loop behind run and trace: the logging thread, the filter,
 * the runtime started under it, the tracer following it to the end, and
 * fnguard's exit status. */
#include "supervisor/session.h"
#include "supervisor/code_check.h"
#include "policy/payload/payload.h"
#include "policy/payload/firewall.h"
#include "supervisor/exit.h"
#include "supervisor/fds.h"
#include "supervisor/jobctl.h"
#include "supervisor/lambda/proxy.h"
#include "supervisor/signals.h"
#include "supervisor/spawn.h"
#include "supervisor/threads.h"
#include "common/util.h"
#include "tracer/syscalls.h"
#include "tracer/tracer.h"

#include <errno.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
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
	pid_t tids[FNG_SUP_TIDS_MAX];	/* every thread of ours, started before the runtime */
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
	fng_logger_lifecycle(l->lg, "notice",
			     "Runtime API proxy requests: next %llu, response %llu, error %llu, init-error %llu, "
			     "other %llu; refused %llu",
			     (unsigned long long)st.routes[FNG_RT_NEXT], (unsigned long long)st.routes[FNG_RT_RESPONSE],
			     (unsigned long long)st.routes[FNG_RT_ERROR], (unsigned long long)st.routes[FNG_RT_INIT_ERROR],
			     (unsigned long long)st.routes[FNG_RT_OTHER], (unsigned long long)st.refused);
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

	if (!api || !*api)
		return;
	if (s->no_proxy || s->policy->no_proxy) {
		/* Responses would go unchecked: refuse rather than run weaker. */
		if (s->policy->input_firewall && fng_fw_cfg_top(s->policy->input_firewall) != FNG_MODE_ALLOW) {
			stop_all(l, NULL);
			fng_die(FNG_EXIT_USAGE, "input_firewall needs the Runtime API proxy (--no-proxy or "
				"\"lambda\": {\"proxy\": false} turns it off)");
		}
		if (s->policy->output_inspection && s->policy->output_inspection->action != FNG_MODE_ALLOW) {
			stop_all(l, NULL);
			fng_die(FNG_EXIT_USAGE, "output_inspection needs the Runtime API proxy (--no-proxy or "
				"\"lambda\": {\"proxy\": false} turns it off)");
		}
		return;
	}
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
	pc.confirm_inputs = s->policy->confirmed != FNG_MODE_ALLOW;
	pc.output_inspection = s->policy->output_inspection;
	pc.input_firewall = s->policy->input_firewall;
	pc.observe = s->observe && !s->enforce;
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

/* CMD[0] found on PATH, or the end with fnguard's not-found or cannot-exec status. */
static void find_program(const char *cmd, char *program, size_t n)
{
	int r = fng_find_program(cmd, program, n);

	if (r == -ENOENT)
		fng_die(FNG_EXIT_NOT_FOUND, "%s: command not found", cmd);
	if (r < 0)
		fng_die(FNG_EXIT_CANNOT_EXEC, "%s: %s", cmd, strerror(-r));
}

/* Our signal handlers, then the logging thread with the start event and
 * the policy's notices. */
static void start_logging(const struct fng_session *s, struct fng_sigstate *sig, struct session_live *l)
{
	char err[512], summary[256];
	int r;

	/* Before any thread: what was ignored when we started is still ours
	 * to see (a thread start may put a libc handler on a signal). */
	r = fng_signals_install(sig);
	if (r < 0)
		fng_die(FNG_EXIT_UNSUPPORTED, "cannot install signal handlers: %s", strerror(-r));
	if (fng_logger_start(&l->lg, s->logger, err, sizeof(err)) < 0)
		fng_die(FNG_EXIT_USAGE, "%s", err);
	fng_signals_on_hup(reopen_logs, l->lg);
	r = fng_threads_start_pool();
	if (r < 0)
		fng_die(FNG_EXIT_UNSUPPORTED, "cannot start libuv's thread pool: %s", strerror(-r));
	fng_policy_summary(s->policy, summary, sizeof(summary));
	fng_logger_lifecycle(l->lg, "start", "%s", summary);
	for (size_t i = 0; i < s->policy->n_notices; i++)
		fng_logger_lifecycle(l->lg, "notice", "%s", s->policy->notices[i]);
}

/* The seccomp filter sending the tracer what it watches; the caller frees
 * prog->filter. */
static void build_filter(const struct fng_policy *policy, struct session_live *l, struct fng_tracer *tracer,
			 struct sock_fprog *prog)
{
	struct fng_filter_params fp = { 0 };
	int r;

	fp.needs = fng_tracer_needs(tracer);
	fp.sup_pid = getpid();
	fp.sup_pgid = getpgrp();
	memcpy(fp.sup_tids, l->tids, sizeof(fp.sup_tids));
	/* Writes to /proc/PID/mem (executable_memory) or, for a root runtime,
	 * to the kernel's settings are watched (FNG_NEED_PROCMEM): no second
	 * procfs or sysfs mount to reach them by. */
	fp.deny_mount = fng_policy_watches_files(policy) || (fp.needs & FNG_NEED_PROCMEM);
	fp.deny_core = policy->mode[FNG_RULE_TMP] == FNG_MODE_BLOCK;
	fp.enforces = fng_policy_enforces(policy);
	if (policy->exec_mem_block) {
		/* executable_memory: block: no READ_IMPLIES_EXEC inherited from
		 * whoever started us (the filter refuses setting it later) */
		int pers = personality(0xffffffff);
		if (pers != -1 && (pers & READ_IMPLIES_EXEC))
			personality((unsigned long)pers & ~(unsigned long)READ_IMPLIES_EXEC);
	}
	r = fng_filter_program(&fp, prog);
	if (r < 0) {
		stop_all(l, NULL);
		fng_die(FNG_EXIT_UNSUPPORTED, "cannot build the seccomp filter: %s", strerror(-r));
	}
}

/* Start CMD under the filter (which this frees) and forward our signals to
 * it. Returns whether it runs in the terminal's foreground. */
static bool spawn_runtime(const struct fng_session *s, struct session_live *l, const char *program,
			  const struct fng_sigstate *sig, struct sock_fprog *prog, const struct fng_fds_start *fds,
			  int landlock_fd, bool kernel_tmp, struct fng_child *child)
{
	char err[512];
	bool foreground;
	int r;

	/* Orphans of the runtime come back to us, so nothing is left as a zombie. */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	foreground = isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp();
	{
		struct fng_spawn sp = {
			.path = program,
			.argv = s->cmd,
			.filter = prog,
			.signals = sig,
			.no_new_privs = !privileged(),
			.foreground = foreground,
			.nofile = fds->nofile,
			.listen_fds = fds->listen_n,
			.landlock_fd = landlock_fd,
			/* Without Landlock refusing the whole temp root, the kernel
			 * would write a core file there unseen (a crash with the cwd
			 * there, or in the JVM's perf-data directory it grants). */
			.no_core = !kernel_tmp && (!s->observe || s->enforce) && s->policy->mode[FNG_RULE_TMP] == FNG_MODE_BLOCK,
			.drop_net_admin = (!s->observe || s->enforce) &&
					  (s->policy->mode[FNG_RULE_OUTBOUND] != FNG_MODE_ALLOW || s->policy->allow),
		};
		r = fng_spawn_start(&sp, child, err, sizeof(err));
	}
	free(prog->filter);
	if (landlock_fd >= 0)
		close(landlock_fd); /* the child has its own copy */
	if (r < 0) {
		if (r == -EPERM)
			unsupported(s->policy, l, sig, s->cmd, err);
		stop_all(l, NULL);
		fng_die(FNG_EXIT_UNSUPPORTED, "%s", err);
	}
	/* Not dumpable: a runtime with our uid cannot open /proc/<us>/mem or ptrace us. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	fng_signals_forward_to(child->pid);
	return foreground;
}

/* Follow the runtime's whole tree to its end, then stop forwarding signals
 * and take the terminal back. The tracer's status. */
static int trace_runtime(struct fng_tracer *tracer, const struct fng_child *child, const struct fng_job *job,
			 struct fng_run_result *res)
{
	int r = fng_tracer_run(tracer, child->pid, res);

	fng_signals_forward_to(0);
	fng_job_take_terminal(job);
	return r;
}

/* fnguard's exit status for how the run ended (r: the tracer's status),
 * with the reason in err, or "" when CMD's own status is all there is. */
static int run_status(const struct fng_session *s, int r, const struct fng_run_result *res, int status_fd,
		      char *err, size_t n)
{
	enum fng_child_stage stage;
	int e;

	if (r < 0) {
		snprintf(err, n, "tracer failed: %s", strerror(-r));
		return FNG_EXIT_UNSUPPORTED;
	}
	err[0] = '\0';
	if (!res->exec_failed)
		return exit_status(res);
	fng_spawn_failure(status_fd, &stage, &e);
	if (stage == FNG_STAGE_FILTER) {
		snprintf(err, n, "seccomp refused the filter: %s", strerror(e));
		return FNG_EXIT_UNSUPPORTED;
	}
	if (stage == FNG_STAGE_LANDLOCK) {
		snprintf(err, n, "Landlock refused the temp root's domain: %s", strerror(e));
		return FNG_EXIT_UNSUPPORTED;
	}
	if (stage == FNG_STAGE_EXEC) {
		snprintf(err, n, "%s: %s", s->cmd[0], strerror(e));
		return e == ENOENT ? FNG_EXIT_NOT_FOUND : FNG_EXIT_CANNOT_EXEC;
	}
	return exit_status(res);
}

int fng_session_run(const struct fng_session *s)
{
	const struct fng_policy *policy = s->policy;
	struct session_live live = { 0 };
	struct fng_tracer *tracer = NULL;
	struct fng_sigstate sig;
	struct sock_fprog prog = { 0 };
	struct fng_child child;
	int landlock_fd;
	struct fng_run_result res = { 0 };
	struct fng_exit_info xi = { 0 };
	struct fng_fds_start fds;
	char err[512], program[PATH_MAX];
	struct fng_job job = { 0 };
	int r, status;

	fng_fds_start(&fds);
	find_program(s->cmd[0], program, sizeof(program));
	start_logging(s, &sig, &live);
	/* Before the preflight: a runtime started unprotected is checked too. */
	if (fng_code_check_run(policy, live.lg, s->observe && !s->enforce, err, sizeof(err)) > 0) {
		stop_all(&live, NULL);
		fng_die(FNG_EXIT_CODE_CHECK, "%s", err);
	}

	if (fng_preflight(err, sizeof(err)) < 0)
		unsupported(policy, &live, &sig, s->cmd, err);

	start_proxy(s, &live);
	if (fng_threads_list(live.tids, FNG_SUP_TIDS_MAX) > FNG_SUP_TIDS_MAX)
		fng_logger_lifecycle(live.lg, "notice", "more than %d supervisor threads: the filter names the first "
				     "%d, the tracer checks them all", FNG_SUP_TIDS_MAX, FNG_SUP_TIDS_MAX);

	{
		struct fng_tracer_config tc = {
			.policy = policy,
			.logger = live.lg,
			.sup_pid = getpid(),
			.sup_tids = { 0 },
			.runtime_api = getenv("AWS_LAMBDA_RUNTIME_API"),
			.handler = getenv("_HANDLER"),
			.task_root = getenv("LAMBDA_TASK_ROOT"),
			.real_runtime_api = live.px ? live.real_api : NULL,
			.lambda = live.px ? &live.state : NULL,
			.on_root_exit = stop_forwarding,
			.on_root_stop = fng_job_root_stopped,
			.job_arg = &job,
			.grace_ms = s->grace_given ? s->grace_ms : FNG_GRACE_MS_DEFAULT,
			.observe = s->observe,
			.enforce = s->enforce,
			.stack_all = s->stack_all,
		};
		memcpy(tc.sup_tids, live.tids, sizeof(tc.sup_tids));
		if (fng_tracer_new(&tracer, &tc, err, sizeof(err)) < 0) {
			stop_all(&live, NULL);
			fng_die(FNG_EXIT_UNSUPPORTED, "%s", err);
		}
	}
	if (fng_fds_check_listen(&fds, tracer, err, sizeof(err)) < 0) {
		stop_all(&live, NULL);
		fng_die(FNG_EXIT_USAGE, "%s", err);
	}
	build_filter(policy, &live, tracer, &prog);
	if ((r = fng_fds_own_table()) < 0)
		fng_logger_lifecycle(live.lg, "notice", "the tracer shares its descriptor table with the logging "
				     "thread (unshare: %s)", strerror(-r));
	fng_jvmperf_launcher(tracer, program);
	landlock_fd = fng_landlock_tmp_ruleset(tracer);
	spawn_runtime(s, &live, program, &sig, &prog, &fds, landlock_fd, fng_tracer_kernel_tmp(tracer), &child);
	fng_job_init(&job, child.pid); /* the runtime leads a group of its own (spawn.c) */

	r = trace_runtime(tracer, &child, &job, &res);
	status = run_status(s, r, &res, child.status_fd, err, sizeof(err));
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
