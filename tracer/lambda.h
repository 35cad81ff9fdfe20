/* What the Lambda Runtime API proxy (logging thread) tells the tracer: has
 * initialisation ended, and which invocation is running. Written by the
 * proxy only, read by the tracer when it reports; atomics only, no locks
 * (docs/architecture.md, "Threads and data flow"). The invocation is a seqlock over
 * atomic words: the reader retries while a write is in progress. */
#ifndef FNG_TRACER_LAMBDA_H
#define FNG_TRACER_LAMBDA_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FNG_REQUEST_ID_MAX 64	/* bytes with the NUL: AWS's are 36-character UUIDs */
#define FNG_TRACE_ID_MAX 192	/* X-Ray: Root=1-...;Parent=...;Sampled=...;Lineage=... */

struct fng_confirm_set;

struct fng_lambda_state {
	_Atomic bool init_done;		/* the first GET .../invocation/next was seen */
	_Atomic uint64_t seq;		/* odd while the proxy writes */
	_Atomic uint32_t in_flight;	/* invocations handed out and not answered */
	/* When exactly one is in flight: its ids, NUL-padded. */
	_Atomic uint64_t request_id[FNG_REQUEST_ID_MAX / 8];
	_Atomic uint64_t trace_id[FNG_TRACE_ID_MAX / 8];
	/* The input values of the invocation the proxy handed out last
	 * (policy/payload/confirm.h), passed by pointer exchange: the proxy
	 * puts a set in (freeing one the tracer never took), the tracer takes
	 * it out and owns it. Neither side waits for the other. */
	_Atomic(struct fng_confirm_set *) inputs;
};

/* Proxy side: hand over set (owned by the box from now on). */
void fng_lambda_put_inputs(struct fng_lambda_state *s, struct fng_confirm_set *set);
/* Tracer side: the set handed over since the last take, or NULL; the caller owns it. */
struct fng_confirm_set *fng_lambda_take_inputs(struct fng_lambda_state *s);

/* Proxy side: publish the invocation in flight (n == 1, ids given) or none
 * that can be named (n != 1: ids cleared). */
void fng_lambda_publish(struct fng_lambda_state *s, uint32_t n, const char *request_id, const char *trace_id);

/* Tracer side: the ids of the one invocation in flight, or empty strings
 * when none is, or when several are (concurrency > 1: a call cannot be tied
 * to one of them). Never blocks for long: a writer holds the seqlock for a
 * few hundred bytes of stores. */
void fng_lambda_current(struct fng_lambda_state *s, char *request_id, size_t rn, char *trace_id, size_t tn);

#endif
