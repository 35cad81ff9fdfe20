/* Flushing: on request ("everything committed up to now, within a
 * deadline", for the Lambda Runtime API proxy) and at exit, where the sinks
 * get up to flush_timeout_ms to deliver what they hold; a sink still holding
 * events then is closed and its events counted as dropped, and the exit event
 * goes to the sinks that are up (with EXIT_EVENT_GRACE_MS more). */
#include "logging/logger_internal.h"
#include "common/util.h"

int fng_logger_flush(struct fng_logger *lg, unsigned deadline_ms, fng_flush_cb cb, void *arg)
{
	autofree struct flush_req *req = calloc(1, sizeof(*req));

	if (!req)
		return -ENOMEM;
	req->lg = lg;
	req->deadline_ms = deadline_ms;
	req->cb = cb;
	req->arg = arg;
	pthread_mutex_lock(&lg->flush_mu);
	if (lg->shut) {
		pthread_mutex_unlock(&lg->flush_mu);
		return -ESHUTDOWN;
	}
	req->next = lg->inbox;
	lg->inbox = fng_steal_ptr(&req);
	pthread_mutex_unlock(&lg->flush_mu);
	uv_async_send(&lg->wake);
	return 0;
}

static void free_req(uv_handle_t *h)
{
	free(h->data);
}

static void complete(struct flush_req *req, int status)
{
	struct fng_logger *lg = req->lg;

	for (struct flush_req **pp = &lg->pending; *pp; pp = &(*pp)->next) {
		if (*pp == req) {
			*pp = req->next;
			break;
		}
	}
	uv_timer_stop(&req->timer);
	uv_close((uv_handle_t *)&req->timer, free_req);
	req->cb(req->arg, status);
}

static void on_flush_timeout(uv_timer_t *t)
{
	complete(t->data, -ETIMEDOUT);
}

void fng_logger_take_flushes(struct fng_logger *lg)
{
	struct flush_req *list;

	pthread_mutex_lock(&lg->flush_mu);
	list = lg->inbox;
	lg->inbox = NULL;
	pthread_mutex_unlock(&lg->flush_mu);
	if (!list)
		return;
	/* Everything committed before the requests was committed before this
	 * drain: its lines are the ones numbered up to lg->seq. */
	fng_logger_drain(lg);
	fng_logger_publish_folds(lg);	/* repeats so far are part of "up to now" */
	while (list) {
		struct flush_req *req = list;
		list = req->next;
		req->upto = lg->seq;
		uv_timer_init(&lg->loop, &req->timer);
		req->timer.data = req;
		uv_timer_start(&req->timer, on_flush_timeout, req->deadline_ms, 0);
		req->next = lg->pending;
		lg->pending = req;
	}
	fng_logger_progress(lg);
}

static bool flushed(struct fng_logger *lg, uint64_t upto)
{
	for (size_t i = 0; i < lg->n_sinks; i++)
		if (!fng_sink_flushed(lg->sinks[i], upto))
			return false;
	return true;
}

void fng_logger_check_flushes(struct fng_logger *lg)
{
	struct flush_req *req = lg->pending;

	while (req) {
		struct flush_req *next = req->next;
		if (flushed(lg, req->upto))
			complete(req, 0);
		req = next;
	}
}

static bool all_empty(struct fng_logger *lg)
{
	/* Lossless: events held back in the ring are not out yet. */
	if (lg->lossless && fng_ring_peek(&lg->ring))
		return false;
	for (size_t i = 0; i < lg->n_sinks; i++)
		if (!lg->sinks[i]->closing && lg->sinks[i]->q_len)
			return false;
	return true;
}

static void close_sink(struct fng_sink *s)
{
	if (s->closing)
		return;
	s->closing = true;
	s->ops->close(s);
}

static void on_exit_timer(uv_timer_t *t);

static void exit_event(struct fng_logger *lg)
{
	struct fng_exit_info *xi = lg->exit_info;

	lg->phase = PHASE_EXIT_EVENT;
	if (xi) {
		uint64_t seq = 0;

		fng_logger_fill_counts(lg, xi);
		for (unsigned fmt = 0; fmt < FNG_FORMAT_N; fmt++) {
			char *text = NULL;
			size_t len = 0;

			if ((lg->formats & (1u << fmt)) &&
			    fng_logger_format_exit(lg, (enum fng_log_format)fmt, xi, &text, &len) == 0)
				seq = fng_logger_publish(lg, (enum fng_log_format)fmt, seq, text, len, fng_now_ns(), 6,
							 "lifecycle", true, true, 0);
			free(text);
		}
	}
	uv_timer_start(&lg->exit_timer, on_exit_timer, EXIT_EVENT_GRACE_MS, 0);
	fng_logger_progress(lg);
}

static void close_sinks(struct fng_logger *lg)
{
	lg->phase = PHASE_CLOSE;
	for (size_t i = 0; i < lg->n_sinks; i++)
		close_sink(lg->sinks[i]);
	/* A write stuck in the thread pool never returns: do not wait forever. */
	uv_timer_start(&lg->exit_timer, on_exit_timer, 1000, 0);
	fng_logger_progress(lg);
}

static void close_own(struct fng_logger *lg)
{
	uv_handle_t *own[] = {
		(uv_handle_t *)&lg->wake, (uv_handle_t *)&lg->stop, (uv_handle_t *)&lg->idle,
		(uv_handle_t *)&lg->loss_timer, (uv_handle_t *)&lg->exit_timer,
		(uv_handle_t *)&lg->fold_timer, (uv_handle_t *)&lg->linger,
	};

	while (lg->pending)
		complete(lg->pending, flushed(lg, lg->pending->upto) ? 0 : -ETIMEDOUT);
	for (size_t i = 0; i < FNG_ARRAY_LEN(own); i++)
		if (!uv_is_closing(own[i]))
			uv_close(own[i], NULL);
}

static void on_exit_timer(uv_timer_t *t)
{
	struct fng_logger *lg = t->data;

	switch (lg->phase) {
	case PHASE_DRAIN:
		/* The deadline: what is still queued is dropped; writes already in
		 * flight get EXIT_EVENT_GRACE_MS to finish, so the counters are final. */
		lg->phase = PHASE_SETTLE;
		for (size_t i = 0; i < lg->n_sinks; i++) {
			struct fng_sink *s = lg->sinks[i];
			if (!s->closing)
				fng_sink_drop_after(s, s->ops->inflight(s));
		}
		uv_timer_start(&lg->exit_timer, on_exit_timer, EXIT_EVENT_GRACE_MS, 0);
		fng_logger_progress(lg);
		break;
	case PHASE_SETTLE:
		/* Stuck (a collector that never reads): closed, its events dropped. */
		for (size_t i = 0; i < lg->n_sinks; i++) {
			struct fng_sink *s = lg->sinks[i];
			if (s->q_len && !s->closing) {
				close_sink(s);
				fng_sink_drop_all(s);
			}
		}
		exit_event(lg);
		break;
	case PHASE_EXIT_EVENT:
		close_sinks(lg);
		break;
	case PHASE_CLOSE:
		uv_stop(&lg->loop);
		break;
	case PHASE_RUN:
		break;
	}
}

void fng_logger_begin_exit(struct fng_logger *lg)
{
	fng_logger_report_now(lg);
	lg->phase = PHASE_DRAIN;
	uv_timer_start(&lg->exit_timer, on_exit_timer, lg->flush_timeout_ms, 0);
	fng_logger_progress(lg);
}

void fng_logger_check_exit(struct fng_logger *lg)
{
	switch (lg->phase) {
	case PHASE_DRAIN:
	case PHASE_SETTLE:
		if (all_empty(lg)) {
			uv_timer_stop(&lg->exit_timer);
			exit_event(lg);
		}
		break;
	case PHASE_EXIT_EVENT:
		if (all_empty(lg))
			close_sinks(lg);
		break;
	case PHASE_CLOSE:
		for (size_t i = 0; i < lg->n_sinks; i++)
			if (!lg->sinks[i]->closed)
				return;
		if (!uv_is_closing((uv_handle_t *)&lg->wake))
			close_own(lg);
		break;
	case PHASE_RUN:
		break;
	}
}
