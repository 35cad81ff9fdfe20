/* Running a command under the tracer, shared by run and trace: start the
 * logging thread, spawn CMD under the filter, follow the whole tree to the
 * end, stop the logger with the exit event, report why if it went wrong. */
#ifndef FNG_SESSION_H
#define FNG_SESSION_H

#include "logging/logger.h"
#include "policy/policy.h"

#include <stdbool.h>

struct fng_session {
	const struct fng_policy *policy;	/* loaded; the caller frees it */
	char **cmd;				/* CMD [ARGS...], NULL-terminated */
	const struct fng_logger_config *logger;
	/* fng_tracer_config's observe mode (tracer/tracer.h) */
	bool observe, enforce, stack_all;
	bool no_proxy;		/* run --no-proxy: no Runtime API proxy even with AWS_LAMBDA_RUNTIME_API */
	/* run --grace: when not given, FNG_GRACE_MS_DEFAULT (tracer/tracer.h) */
	bool grace_given;
	unsigned grace_ms;
};

/* fnguard's exit status: CMD's own (128+N if killed by signal N), or one of
 * supervisor/exit.h's. Errors before CMD starts end the process (fng_die). */
int fng_session_run(const struct fng_session *s);

#endif
