/* Loss is never silent: drops are counted where they happen (the ring, each
 * sink) and reported once per burst in a lifecycle event with phase "loss".
 * A burst ends when a whole tick (1 s) passes without a new drop, or after
 * 30 ticks of continuous loss; whatever is unreported at exit is reported
 * before the final flush, and the exit event carries the totals. */
#include "logging/logger_internal.h"
#include "common/util.h"

#include <stdio.h>

#define LOSS_TICK_MS 1000
#define LOSS_MAX_TICKS 30

static uint64_t ring_total(struct fng_logger *lg)
{
	return atomic_load_explicit(&lg->counters.dropped, memory_order_relaxed) + lg->format_failed;
}

static uint64_t drops_total(struct fng_logger *lg)
{
	uint64_t t = ring_total(lg);

	for (size_t i = 0; i < lg->n_sinks; i++)
		t += lg->sinks[i]->st.dropped;
	return t;
}

static uint64_t unreported(struct fng_logger *lg)
{
	uint64_t t = ring_total(lg) - lg->ring_reported;

	for (size_t i = 0; i < lg->n_sinks; i++)
		t += lg->sinks[i]->st.dropped - lg->sinks[i]->dropped_reported;
	return t;
}

void fng_logger_report_now(struct fng_logger *lg)
{
	struct fng_loss_info li = { 0 };
	uint64_t ring = ring_total(lg), seq = 0;

	if (unreported(lg) == 0)
		return;
	li.ring = ring - lg->ring_reported;
	lg->ring_reported = ring;
	for (size_t i = 0; i < lg->n_sinks; i++) {
		struct fng_sink *s = lg->sinks[i];
		li.sinks[li.n_sinks].dest = s->name;
		li.sinks[li.n_sinks].dropped = s->st.dropped - s->dropped_reported;
		li.n_sinks++;
		s->dropped_reported = s->st.dropped;
	}
	lg->own_events++;
	if (!lg->stderr_is_sink) {
		char msg[512];
		fng_loss_message(&li, msg, sizeof(msg));
		fprintf(stderr, "fnguard: %s\n", msg);
	}
	for (unsigned fmt = 0; fmt < FNG_FORMAT_N; fmt++) {
		autofree char *text = NULL;
		size_t len = 0;

		if ((lg->formats & (1u << fmt)) &&
		    fng_logger_format_loss(lg, (enum fng_log_format)fmt, &li, &text, &len) == 0)
			seq = fng_logger_publish(lg, (enum fng_log_format)fmt, seq, text, len, fng_now_ns(), 4, "lifecycle",
						 true, false, 0);
	}
}

static void on_loss_tick(uv_timer_t *t)
{
	struct fng_logger *lg = t->data;
	uint64_t total = drops_total(lg);

	if (unreported(lg) == 0) {
		uv_timer_stop(t);
		lg->loss_active = false;
		return;
	}
	lg->loss_ticks++;
	if (total != lg->loss_last_total && lg->loss_ticks < LOSS_MAX_TICKS) {
		lg->loss_last_total = total;	/* still losing: wait for the burst to end */
		return;
	}
	uv_timer_stop(t);
	lg->loss_active = false;
	fng_logger_report_now(lg);
}

void fng_logger_note_drop(struct fng_logger *lg)
{
	if (lg->loss_active || lg->phase != PHASE_RUN)
		return;
	lg->loss_active = true;
	lg->loss_ticks = 0;
	lg->loss_last_total = drops_total(lg);
	uv_timer_start(&lg->loss_timer, on_loss_tick, LOSS_TICK_MS, LOSS_TICK_MS);
}

int fng_logger_report_init(struct fng_logger *lg)
{
	lg->loss_timer.data = lg;
	return uv_timer_init(&lg->loop, &lg->loss_timer);
}

void fng_logger_fill_counts(struct fng_logger *lg, struct fng_exit_info *xi)
{
	xi->emitted = atomic_load(&lg->counters.emitted) + atomic_load(&lg->counters.dropped) + lg->own_events +
		      lg->fold_lines;
	xi->aggregated = atomic_load(&lg->counters.aggregated);
	xi->dropped = ring_total(lg);
	xi->blocked = atomic_load(&lg->counters.blocked);
	xi->alerted = atomic_load(&lg->counters.alerted);
	xi->processes = atomic_load(&lg->counters.processes);
	xi->traced_calls = atomic_load(&lg->counters.traced_calls);
	xi->path_cache_hits = atomic_load(&lg->counters.path_cache_hits);
	xi->n_sinks = 0;
	for (size_t i = 0; i < lg->n_sinks; i++) {
		struct fng_sink *s = lg->sinks[i];
		xi->sinks[xi->n_sinks].dest = s->name;
		xi->sinks[xi->n_sinks].delivered = s->st.delivered;
		xi->sinks[xi->n_sinks].dropped = s->st.dropped;
		xi->sinks[xi->n_sinks].retries = s->st.retries;
		xi->n_sinks++;
	}
}
