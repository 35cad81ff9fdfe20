/* Waking the logging thread (logger_internal.h, asleep and linger): the
 * tracer sends a wake only to a thread that said it sleeps; an awake thread
 * drains the ring on its own every FNG_LOGGER_LINGER_MS until a few ticks
 * in a row find nothing. One wake per event was a system call on the tracer's hot path,
 * a context switch, and libuv spinning on the logging thread while the
 * tracer was still in its eventfd write. */
#include "logging/logger_internal.h"

#include <stdatomic.h>

/* The tracer made an event (or dropped one, which the loop reports): wake
 * the logging thread if it sleeps, or at every FNG_LOGGER_WAKE_BATCH events
 * waiting (it ticks too slowly for this flood, or the machine is too busy
 * to run it: its lines would leave in one burst, which a UDP collector's
 * socket buffer does not hold). wake_each: for every event. */
void fng_logger_wake_for_events(struct fng_logger *lg)
{
	size_t used;

	if (lg->wake_each) {
		uv_async_send(&lg->wake);
		return;
	}
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(&lg->asleep, memory_order_relaxed) && atomic_exchange(&lg->asleep, false)) {
		uv_async_send(&lg->wake);
		return;
	}
	used = atomic_load_explicit(&lg->ring.tail, memory_order_relaxed) -
	       atomic_load_explicit(&lg->ring.head, memory_order_relaxed);
	if (used && used % FNG_LOGGER_WAKE_BATCH == 0)
		uv_async_send(&lg->wake);
}

/* An awake logging thread's tick: drain; after FNG_LOGGER_LINGER_IDLE
 * ticks that found nothing the thread says it sleeps (asleep) and stops
 * ticking, after looking at the ring once more: the tracer may have
 * committed an event while asleep was still false, and sent no wake. The
 * fences pair with fng_logger_wake_for_events'. */
static void on_linger(uv_timer_t *t)
{
	struct fng_logger *lg = t->data;

	if (fng_logger_drain(lg) || fng_ring_peek(&lg->ring)) {
		lg->linger_idle = 0;
		fng_logger_progress(lg);
		return;
	}
	if (++lg->linger_idle < FNG_LOGGER_LINGER_IDLE)
		return;
	lg->linger_idle = 0;
	atomic_store(&lg->asleep, true);
	atomic_thread_fence(memory_order_seq_cst);
	if (fng_ring_peek(&lg->ring) && atomic_exchange(&lg->asleep, false)) {
		fng_logger_drain(lg);
		fng_logger_progress(lg);
		return;
	}
	uv_timer_stop(t);
}

void fng_logger_linger(struct fng_logger *lg)
{
	if (!lg->wake_each && !uv_is_active((uv_handle_t *)&lg->linger) && !uv_is_closing((uv_handle_t *)&lg->linger))
		uv_timer_start(&lg->linger, on_linger, FNG_LOGGER_LINGER_MS, FNG_LOGGER_LINGER_MS);
}
