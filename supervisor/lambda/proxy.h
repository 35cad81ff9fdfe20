/* The Lambda Runtime API proxy: fnguard serves the Runtime API on
 * 127.0.0.1:ephemeral, the runtime is given that address, and every request
 * is relayed to the real one byte for byte. On the way it learns when
 * initialisation ends and which invocation runs (tracer/lambda.h), flushes
 * an invocation's events before its response completes, and can replace a
 * response with a Function.SecurityViolation error. Runs on the logging
 * thread's libuv loop; never blocks it. */
#ifndef FNG_PROXY_H
#define FNG_PROXY_H

#include "logging/logger.h"
#include "policy/payload/payload.h"
#include "policy/payload/firewall.h"
#include "tracer/lambda.h"
#include "supervisor/lambda/rtapi.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fng_proxy;

#define FNG_PROXY_FLUSH_MS 1000	/* the most a response waits for its events (docs/cli.md) */

struct fng_proxy_config {
	struct fng_logger *logger;
	const char *upstream;		/* the real AWS_LAMBDA_RUNTIME_API: host:port, [v6]:port */
	struct fng_lambda_state *state;	/* written by the proxy */
	bool fail_invocation;		/* on_block fail-invocation */
	unsigned flush_ms;		/* deadline for an invocation's events */
	const struct fng_payload_cfg *output_inspection;	/* the policy's, or NULL (proxy_out.c) */
	bool observe;			/* trace without --enforce: output inspection reports "would block" */
	const struct fng_fw_cfg *input_firewall;	/* the policy's, or NULL (proxy_fw.c) */
};

/* What the proxy did, reported at the end. */
struct fng_proxy_stats {
	uint64_t invocations;		/* next responses that named a request id */
	uint64_t violations;		/* responses replaced by Function.SecurityViolation */
	uint64_t flushes, flush_timeouts;
	uint64_t flush_us_total, flush_us_max;
	uint64_t connections;
	uint64_t refused;		/* requests answered 400, connections over the cap */
	uint64_t routes[FNG_RT_REFUSED];	/* whole requests relayed, by enum fng_rt_route */
};

/* Listen on 127.0.0.1:0 and start serving on the logger's loop. addr gets
 * "127.0.0.1:PORT" for the runtime's AWS_LAMBDA_RUNTIME_API. 0 or -errno
 * with a one-line reason in err. */
int fng_proxy_start(struct fng_proxy **out, const struct fng_proxy_config *cfg, char *addr, size_t addrn, char *err,
		    size_t errn);
/* Close every connection and wait until the loop has let go of them
 * (pending flushes included: at most flush_ms). Before fng_logger_stop. */
void fng_proxy_stop(struct fng_proxy *px, struct fng_proxy_stats *stats);


#endif
