/* The invocation seqlock (lambda.h). */
#include "tracer/lambda.h"
#include "policy/payload/confirm.h"

#include <stdlib.h>
#include <string.h>

static void store_words(_Atomic uint64_t *w, size_t nw, const char *s)
{
	char buf[FNG_TRACE_ID_MAX] = { 0 };
	size_t len = s ? strnlen(s, nw * 8 - 1) : 0;

	memcpy(buf, s ? s : "", len);
	for (size_t i = 0; i < nw; i++) {
		uint64_t v;
		memcpy(&v, buf + i * 8, 8);
		atomic_store_explicit(&w[i], v, memory_order_relaxed);
	}
}

static void load_words(_Atomic uint64_t *w, size_t nw, char *out, size_t n)
{
	char buf[FNG_TRACE_ID_MAX];

	for (size_t i = 0; i < nw; i++) {
		uint64_t v = atomic_load_explicit(&w[i], memory_order_relaxed);
		memcpy(buf + i * 8, &v, 8);
	}
	buf[nw * 8 - 1] = '\0';
	if (n) {
		size_t len = strnlen(buf, n - 1);
		memcpy(out, buf, len);
		out[len] = '\0';
	}
}

void fng_lambda_publish(struct fng_lambda_state *s, uint32_t n, const char *request_id, const char *trace_id)
{
	uint64_t seq = atomic_load_explicit(&s->seq, memory_order_relaxed);

	atomic_store_explicit(&s->seq, seq + 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
	atomic_store_explicit(&s->in_flight, n, memory_order_relaxed);
	store_words(s->request_id, FNG_REQUEST_ID_MAX / 8, n == 1 ? request_id : NULL);
	store_words(s->trace_id, FNG_TRACE_ID_MAX / 8, n == 1 ? trace_id : NULL);
	atomic_store_explicit(&s->seq, seq + 2, memory_order_release);
}

void fng_lambda_current(struct fng_lambda_state *s, char *request_id, size_t rn, char *trace_id, size_t tn)
{
	for (;;) {
		uint64_t a = atomic_load_explicit(&s->seq, memory_order_acquire), b;
		if (a & 1)
			continue;
		load_words(s->request_id, FNG_REQUEST_ID_MAX / 8, request_id, rn);
		load_words(s->trace_id, FNG_TRACE_ID_MAX / 8, trace_id, tn);
		atomic_thread_fence(memory_order_acquire);
		b = atomic_load_explicit(&s->seq, memory_order_relaxed);
		if (a == b)
			return;
	}
}

void fng_lambda_put_inputs(struct fng_lambda_state *s, struct fng_confirm_set *set)
{
	fng_confirm_set_free(atomic_exchange_explicit(&s->inputs, set, memory_order_acq_rel));
}

struct fng_confirm_set *fng_lambda_take_inputs(struct fng_lambda_state *s)
{
	if (!atomic_load_explicit(&s->inputs, memory_order_relaxed))
		return NULL; /* the common case: one load, no write */
	return atomic_exchange_explicit(&s->inputs, NULL, memory_order_acq_rel);
}
