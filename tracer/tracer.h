/* The tracer: follows the runtime and every task it starts, applies the
 * policy at seccomp stops, and reports through the logging thread. All ptrace
 * requests happen on the thread that calls fng_tracer_run. */
#ifndef FNG_TRACER_H
#define FNG_TRACER_H

#include "logging/logger.h"
#include "policy/handler.h"
#include "policy/policy.h"
#include "tracer/filter.h"
#include "tracer/lambda.h"

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

struct fng_tracer;

struct fng_tracer_config {
	const struct fng_policy *policy;
	struct fng_logger *logger;
	pid_t sup_pid;
	pid_t sup_tids[FNG_SUP_TIDS_MAX];		/* its threads, 0-terminated */
	const char *runtime_api;	/* AWS_LAMBDA_RUNTIME_API, or NULL */
	/* read_handler's files besides the policy's: _HANDLER ("app.fn") in
	 * LAMBDA_TASK_ROOT (NULL: the current directory); either may be NULL. */
	const char *handler;
	const char *task_root;
	/* With the Runtime API proxy: runtime_api is the proxy's address, the
	 * real one is off limits to the tracees, and lambda (written by the
	 * proxy) says when initialisation ends and which invocation runs. */
	const char *real_runtime_api;
	struct fng_lambda_state *lambda;
	/* Called when the root has been reaped: its pid may be reused from
	 * then on, so nothing may be sent to it any more. */
	void (*on_root_exit)(void);
	/* Called when the root enters a group-stop by SIG (SIGTSTP, SIGTTIN,
	 * SIGTTOU, SIGSTOP): job control (supervisor/jobctl.c) stops fnguard
	 * the same way and continues the runtime's group once fnguard is
	 * continued. Returns when it is; NULL: the root just stays stopped. */
	void (*on_root_stop)(void *arg, int sig);
	void *job_arg;
	/* After the root's exit, how long the processes still running have
	 * between SIGTERM and SIGKILL (docs/cli.md "Lifetime"). */
	unsigned grace_ms;
	/* Observe mode (trace, baseline; docs/events.md "Observe mode"): every
	 * watched call is reported, the allowed ones too (action "allowed"),
	 * and the filter traces every class whatever the policy's modes. */
	bool observe;
	/* With observe: apply the policy's blocks. Without it nothing the
	 * policy would block is blocked: the call proceeds and its event says
	 * "would": "block". Ignored without observe (run always enforces). */
	bool enforce;
	/* With observe: a native stack on allowed calls too (trace --stack). */
	bool stack_all;
};

/* Resolves what the policy names (temp root, handler files). 0 or -errno
 * with a one-line reason in err. */
int fng_tracer_new(struct fng_tracer **out, const struct fng_tracer_config *cfg, char *err, size_t errn);
/* After fng_logger_stop: events in the ring may point at the tracer's stack slots. */
void fng_tracer_free(struct fng_tracer *t);

/* A descriptor handed to the runtime from whoever started fnguard (socket
 * activation's LISTEN_FDS): 0 when the policy lets the runtime hold it
 * (sockets, pipes, devices, files outside what the policy guards), or
 * -errno with a one-line reason in why (a file or directory in the temp
 * root, the handler, or one that cannot be examined). */
int fng_tracer_check_inherited(const struct fng_tracer *t, int fd, char *why, size_t n);

/* read_handler's code set as built before the runtime starts and
 * refreshed when initialisation ends (policy/handler.h): files[] are the
 * objects (dev, ino) with their paths, sorted by object; rules[] the
 * directories and names that are code. Valid until fng_tracer_free. */
const struct fng_handler_set *fng_tracer_handler_code(const struct fng_tracer *t);

/* What the filter must trace for this policy. */
uint32_t fng_tracer_needs(const struct fng_tracer *t);

/* read_write_tmp by the kernel (tracer/landlock.c): a Landlock ruleset fd
 * for the spawn child to apply before its exec, or -1 when the kernel cannot
 * take the rule over (alert, one phase only, no Landlock ...). Either way
 * one notice says which mode holds the temp root. */
int fng_landlock_tmp_ruleset(struct fng_tracer *t);
/* Before that ruleset: is program (the command, resolved) a JDK's java
 * launcher? Then the ruleset grants the JVM's perf-data directory
 * (rules/jvmperf.c). */
void fng_jvmperf_launcher(struct fng_tracer *t, const char *program);
/* Does that ruleset refuse the whole temp root (no JVM perf-data grant)? */
bool fng_tracer_kernel_tmp(const struct fng_tracer *t);

/* How the traced tree ended. */
struct fng_run_result {
	int exit_code;		/* the root's exit code, -1 if killed */
	int signal;		/* the signal that killed the root, 0 if none */
	bool exec_failed;	/* the root never reached its runtime */
};

/* Seize root (stopped before loading the filter, see supervisor/spawn.c). */
int fng_tracer_seize(pid_t root);
/* The grace period when the configuration gives none. */
#define FNG_GRACE_MS_DEFAULT 2000u
/* The signals that end the grace period at once (SIGKILL for the rest). */
#define FNG_GRACE_END_SIGNALS { SIGTERM, SIGINT, SIGHUP, SIGQUIT }

/* Follow root and its descendants until the root has exited and every
 * other traced process is gone: sent SIGTERM (and SIGCONT) when the root
 * exits, SIGKILL when the grace period ends or a signal ends it. */
int fng_tracer_run(struct fng_tracer *t, pid_t root, struct fng_run_result *res);

#endif
