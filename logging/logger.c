/* The logging thread (logger.h): its loop, the ring it drains, the fan-out to sinks. */
#include "logging/logger_internal.h"
#include "logging/stack.h"
#include "common/util.h"

#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>

_Static_assert(FNG_STACK_SLOTS >= FNG_RING_CAPACITY, "an event with a ring slot must find a stack slot");

static const char *const msgids[] = {
	[FNG_EV_FILE] = "file",	  [FNG_EV_PROCESS] = "process", [FNG_EV_NETWORK] = "network",
	[FNG_EV_DNS] = "dns",	  [FNG_EV_INPUT] = "input",	[FNG_EV_OUTPUT] = "output",
	[FNG_EV_LIFECYCLE] = "lifecycle",
};

/* The line class of an event: its type, action and rule (lifecycle: its
 * phase), numbered as first seen; the last number is shared by the rest. */
static uint8_t class_of(struct fng_logger *lg, const struct fng_event *ev)
{
	char key[sizeof(lg->cls_keys[0])];

	snprintf(key, sizeof(key), "%u/%u/%s", ev->type, ev->action,
		 ev->type == FNG_EV_LIFECYCLE ? ev->phase : ev->rule);
	for (size_t i = 1; i <= lg->n_cls; i++)
		if (strcmp(lg->cls_keys[i], key) == 0)
			return (uint8_t)i;
	if (lg->n_cls + 1 == FNG_LINE_CLASSES)
		return FNG_LINE_CLASSES - 1;
	memcpy(lg->cls_keys[++lg->n_cls], key, sizeof(key));
	return (uint8_t)lg->n_cls;
}

/* Format one event in every format the sinks take and hand it to them; one
 * line number for all. */
static void publish_event(struct fng_logger *lg, const struct fng_event *ev, bool own)
{
	uint64_t seq = 0;
	bool made = false;

	if (lg->classes && fng_text_class_of(ev) && !(fng_text_class_of(ev) & lg->classes))
		return;	/* fnguard trace -e */
	for (unsigned fmt = 0; fmt < FNG_FORMAT_N; fmt++) {
		autofree char *text = NULL;
		size_t len = 0;
		int r;

		if (!(lg->formats & (1u << fmt)))
			continue;
		r = fng_logger_format_event(lg, (enum fng_log_format)fmt, ev, &text, &len);
		if (r > 0)
			continue;
		if (r < 0) {
			if (!own && !made)
				lg->format_failed++;	/* a tracer event lost before any sink */
			continue;
		}
		if (!len)
			continue;	/* counted, not shown (fnguard trace -c) */
		seq = fng_logger_publish(lg, (enum fng_log_format)fmt, seq, text, len, ev->time_ns, fng_logger_severity(ev),
					 ev->type < FNG_ARRAY_LEN(msgids) ? msgids[ev->type] : "-", own, false,
					 class_of(lg, ev));
		made = true;
	}
	if (own && made)
		lg->own_events++;
}

/* Lossless (fnguard trace, baseline): while a sink's queue is nearly full
 * the ring is left alone, so the tracer waits at a full ring instead of a
 * sink dropping. At exit too: the ring's last events go out as the queue
 * makes room, and the exit waits for them (all_empty, logger_flush.c) up to
 * the flush deadline. A sink that is closing takes nothing more. */
static bool backpressure(const struct fng_logger *lg)
{
	if (!lg->lossless)
		return false;
	for (size_t i = 0; i < lg->n_sinks; i++) {
		const struct fng_sink *s = lg->sinks[i];
		if (!s->closing &&
		    (s->q_len + 16 >= FNG_SINK_QUEUE_LINES || s->q_bytes + (256u << 10) >= FNG_SINK_QUEUE_BYTES))
			return true;
	}
	return false;
}

/* Publish what the ring holds: how many events were taken. */
static size_t drain(struct fng_logger *lg)
{
	const struct fng_event *ev;
	size_t n = 0;

	while (!backpressure(lg) && (ev = fng_ring_peek(&lg->ring))) {
		n++;
		if (lg->on_event)
			lg->on_event(lg->on_event_arg, ev);
		if (lg->n_sinks)
			publish_event(lg, ev, false);
		fng_stack_release(ev->stack); /* the slot belongs to the tracer's pool */
		fng_ring_release_class(&lg->ring, fng_ring_class_of(ev));
	}
	/* The tracer counts ring drops; a new one starts (or extends) a loss burst. */
	if (atomic_load_explicit(&lg->counters.dropped, memory_order_relaxed) != lg->ring_reported) {
		if (lg->on_event)
			lg->on_event(lg->on_event_arg, NULL);
		fng_logger_note_drop(lg);
	}
	return n;
}

void fng_logger_publish_folds(struct fng_logger *lg)
{
	size_t n;

	if (!lg->folding)
		return;
	n = fng_agg_take(&lg->agg, lg->folds, FNG_AGG_SLOTS);
	for (size_t i = 0; i < n; i++) {
		lg->fold_lines++;
		if (lg->n_sinks)
			publish_event(lg, &lg->folds[i], false);
	}
}

static void on_fold_timer(uv_timer_t *t)
{
	struct fng_logger *lg = t->data;

	drain(lg);
	fng_logger_publish_folds(lg);
}

/* A lifecycle event made on the logging thread (sink reports). */
static void sink_report(void *arg, struct fng_sink *s, const char *phase, const char *msg)
{
	struct fng_logger *lg = arg;

	if (lg->phase >= PHASE_EXIT_EVENT)
		return;	/* after the counters were taken: the exit event says it all */
	if (lg->n_reports == FNG_ARRAY_LEN(lg->reports))
		return;
	lg->reports[lg->n_reports].s = s;
	fng_strlcpy(lg->reports[lg->n_reports].phase, phase, sizeof(lg->reports[0].phase));
	fng_strlcpy(lg->reports[lg->n_reports].msg, msg, sizeof(lg->reports[0].msg));
	lg->n_reports++;
	fng_logger_defer(lg);
}

static void run_sink_reports(struct fng_logger *lg)
{
	struct fng_event *ev = calloc(1, sizeof(*ev));

	for (size_t i = 0; i < lg->n_reports; i++) {
		struct fng_sink *s = lg->reports[i].s;
		if (!ev)
			break;
		memset(ev, 0, sizeof(*ev));
		ev->time_ns = fng_now_ns();
		ev->type = FNG_EV_LIFECYCLE;
		fng_strlcpy(ev->phase, lg->reports[i].phase, sizeof(ev->phase));
		snprintf(ev->message, sizeof(ev->message), "log sink %s: %s", s->name, lg->reports[i].msg);
		/* Said once per burst: on stderr too when no sink shows stderr. */
		if (!lg->stderr_is_sink)
			fprintf(stderr, "fnguard: %s\n", ev->message);
		publish_event(lg, ev, true);
	}
	lg->n_reports = 0;
	free(ev);
}

static void on_idle(uv_idle_t *h)
{
	struct fng_logger *lg = h->data;

	uv_idle_stop(h);
	lg->idle_on = false;
	if (lg->n_reports)
		run_sink_reports(lg);
	if (lg->progress) {
		lg->progress = false;
		if (lg->lossless)
			drain(lg);	/* a sink made room */
		fng_logger_check_flushes(lg);
		fng_logger_check_exit(lg);
	}
}

void fng_logger_defer(struct fng_logger *lg)
{
	if (!lg->idle_on && !uv_is_closing((uv_handle_t *)&lg->idle)) {
		uv_idle_start(&lg->idle, on_idle);
		lg->idle_on = true;
	}
}

void fng_logger_progress(struct fng_logger *lg)
{
	lg->progress = true;
	fng_logger_defer(lg);
}

static void sink_dropped(void *arg)
{
	fng_logger_note_drop(arg);
}

static void sink_progress(void *arg)
{
	fng_logger_progress(arg);
}

static void on_wake(uv_async_t *h)
{
	struct fng_logger *lg = h->data;

	if (atomic_exchange(&lg->reopen, false))
		for (size_t i = 0; i < lg->n_sinks; i++)
			if (lg->sinks[i]->ops->reopen && !lg->sinks[i]->closing)
				lg->sinks[i]->ops->reopen(lg->sinks[i]);
	fng_logger_take_flushes(lg);
	drain(lg);
	fng_logger_progress(lg);
	fng_logger_linger(lg);
}

static void on_stop(uv_async_t *h)
{
	struct fng_logger *lg = h->data;

	fng_logger_take_flushes(lg);
	drain(lg);
	fng_logger_publish_folds(lg);	/* the tracer is done: every fold comes out */
	fng_logger_begin_exit(lg);
}

size_t fng_logger_drain(struct fng_logger *lg)
{
	return drain(lg);
}

static void *thread_main(void *arg)
{
	struct fng_logger *lg = arg;

	atomic_store(&lg->tid, gettid());
	for (size_t i = 0; i < lg->n_sinks && lg->start_result == 0; i++)
		lg->start_result = lg->sinks[i]->ops->start(lg->sinks[i], lg->start_err, lg->start_errn);
	uv_sem_post(&lg->started);
	if (lg->start_result < 0)
		return NULL;
	uv_run(&lg->loop, UV_RUN_DEFAULT);
	return NULL;
}

static void logger_free(struct fng_logger *lg)
{
	for (size_t i = 0; i < lg->n_sinks; i++)
		fng_sink_free(lg->sinks[i]);
	fng_ring_destroy(&lg->ring);
	fng_agg_destroy(&lg->agg);
	free(lg->scratch);
	free(lg->folds);
	fng_function_info_free(&lg->fn);
	fng_text_free(lg->text);
	pthread_mutex_destroy(&lg->flush_mu);
	free(lg);
}

/* A logger not (or no longer) running, freed when it goes out of scope. */
static void logger_freep(struct fng_logger **lg)
{
	if (*lg)
		logger_free(*lg);
}
#define autologger __attribute__((cleanup(logger_freep)))

static int init_loop(struct fng_logger *lg)
{
	int r = uv_loop_init(&lg->loop);

	if (r == 0)
		r = uv_async_init(&lg->loop, &lg->wake, on_wake);
	if (r == 0)
		r = uv_async_init(&lg->loop, &lg->stop, on_stop);
	if (r == 0)
		r = uv_idle_init(&lg->loop, &lg->idle);
	if (r == 0)
		r = uv_timer_init(&lg->loop, &lg->exit_timer);
	if (r == 0)
		r = fng_logger_report_init(lg);
	if (r == 0)
		r = uv_timer_init(&lg->loop, &lg->linger);
	lg->linger.data = lg;
	atomic_init(&lg->asleep, true);
	if (r == 0)
		r = uv_timer_init(&lg->loop, &lg->fold_timer);
	if (r == 0 && lg->folding)
		r = uv_timer_start(&lg->fold_timer, on_fold_timer, FNG_AGG_INTERVAL_MS, FNG_AGG_INTERVAL_MS);
	lg->fold_timer.data = lg;
	lg->wake.data = lg->stop.data = lg->idle.data = lg->exit_timer.data = lg;
	return r;
}

/* Everything but the thread: settings, text format, ring, loop, sinks, libcurl. */
static int logger_setup(struct fng_logger *lg, const struct fng_logger_config *cfg, char *err, size_t errn)
{
	struct fng_sink_owner owner = {
		.loop = &lg->loop, .curl = &lg->curl, .arg = lg,
		.dropped = sink_dropped, .progress = sink_progress, .report = sink_report,
	};
	bool http = false;
	int r;

	lg->format = cfg->format;
	lg->on_event = cfg->on_event;
	lg->on_event_arg = cfg->on_event_arg;
	lg->flush_timeout_ms = cfg->flush_timeout_ms;
	lg->lossless = cfg->lossless;
	lg->classes = cfg->text ? cfg->text->classes : 0;
	lg->formats = cfg->n_sinks ? 0 : 1u << cfg->format;
	for (size_t i = 0; i < cfg->n_sinks; i++) {
		lg->formats |= cfg->sinks[i].format > 0 ? 1u << (cfg->sinks[i].format - 1) : 1u << cfg->format;
		lg->wake_each |= cfg->sinks[i].kind == FNG_SINK_SYSLOG_UDP;
	}
	lg->wake_each |= lg->lossless;
	fng_dropin_init(&lg->dropin);
	if ((lg->formats & (1u << FNG_FORMAT_TEXT)) && (!cfg->text || !(lg->text = fng_text_new(cfg->text)))) {
		snprintf(err, errn, "cannot set up the text format");
		return -ENOMEM;
	}
	r = fng_ring_init(&lg->ring, FNG_RING_CAPACITY);
	if (r < 0) {
		snprintf(err, errn, "cannot allocate the event ring: %s", strerror(-r));
		return r;
	}
	/* Lossless loses nothing: every call stays a line of its own there. */
	lg->folding = !cfg->lossless;
	if (lg->folding && (fng_agg_init(&lg->agg) < 0 || !(lg->scratch = calloc(1, sizeof(*lg->scratch))) ||
			    !(lg->folds = calloc(FNG_AGG_SLOTS, sizeof(*lg->folds))))) {
		snprintf(err, errn, "cannot allocate the repeated-event table");
		return -ENOMEM;
	}
	fng_function_info_from_env(&lg->fn);
	fng_ocsf_ctx_init(&lg->ocsf);
	if (fng_seal_init(&lg->seal, cfg->seal_key, cfg->seal_key_len) < 0) {
		snprintf(err, errn, "log key: expected %d to %d bytes", FNG_SEAL_KEY_MIN, FNG_SEAL_KEY_MAX);
		return -EINVAL;
	}
	memcpy(lg->ocsf.run_id, lg->seal.run, sizeof(lg->ocsf.run_id));	/* one run id everywhere */
	if (init_loop(lg) < 0) {
		snprintf(err, errn, "cannot start the event loop");
		return -EIO;
	}
	for (size_t i = 0; i < cfg->n_sinks; i++) {
		r = fng_sink_new(&lg->sinks[i], fng_sink_kind_ops(cfg->sinks[i].kind), &owner, &cfg->sinks[i]);
		if (r < 0) {
			snprintf(err, errn, "cannot set up log destination %s: %s", cfg->sinks[i].dest, strerror(-r));
			return r;
		}
		lg->n_sinks++;
		lg->stderr_is_sink |= cfg->sinks[i].kind == FNG_SINK_STDERR;
		http |= cfg->sinks[i].kind == FNG_SINK_HTTP;
	}
	if (http && (r = fng_curl_load(&lg->curl, err, errn)) < 0)
		return r;
	return 0;
}

/* Start the thread and wait for it to open the sinks. On failure the
 * loop's handles are left to die with the process: fnguard exits with the
 * message in err. */
static int start_thread(struct fng_logger *lg, char *err, size_t errn)
{
	sigset_t all, old;
	int r;

	lg->start_err = err;
	lg->start_errn = errn;
	if (uv_sem_init(&lg->started, 0) < 0) {
		snprintf(err, errn, "cannot start the logging thread");
		return -EIO;
	}
	/* The logging thread (and libuv's thread pool, which it starts) takes
	 * no signals: they belong to the tracer thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r = pthread_create(&lg->thread, NULL, thread_main, lg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r != 0) {
		snprintf(err, errn, "cannot start the logging thread: %s", strerror(r));
		uv_sem_destroy(&lg->started);
		return -r;
	}
	uv_sem_wait(&lg->started);
	uv_sem_destroy(&lg->started);
	if (lg->start_result < 0) {
		pthread_join(lg->thread, NULL);
		return lg->start_result;
	}
	return 0;
}

int fng_logger_start(struct fng_logger **out, const struct fng_logger_config *cfg, char *err, size_t errn)
{
	autologger struct fng_logger *lg = NULL;
	int r;

	if (cfg->n_sinks > FNG_MAX_SINKS) {
		snprintf(err, errn, "at most %d log destinations", FNG_MAX_SINKS);
		return -EINVAL;
	}
	lg = calloc(1, sizeof(*lg));
	if (!lg)
		return -ENOMEM;
	pthread_mutex_init(&lg->flush_mu, NULL);
	r = logger_setup(lg, cfg, err, errn);
	if (r == 0)
		r = start_thread(lg, err, errn);
	if (r < 0)
		return r;	/* lg is freed on the way out */
	*out = fng_steal_ptr(&lg);
	return 0;
}

pid_t fng_logger_tid(struct fng_logger *lg)
{
	return atomic_load(&lg->tid);
}

struct uv_loop_s *fng_logger_loop(struct fng_logger *lg)
{
	return &lg->loop;
}

/* A ring slot, or NULL when the ring is full (lossless: waits for one). */
static struct fng_event *reserve_slot(struct fng_logger *lg)
{
	struct fng_event *ev = fng_ring_reserve(&lg->ring);

	while (!ev && lg->lossless) {
		struct timespec ts = { .tv_nsec = 100000 };
		uv_async_send(&lg->wake);
		nanosleep(&ts, NULL);
		ev = fng_ring_reserve(&lg->ring);
	}
	if (ev) {
		memset(ev, 0, sizeof(*ev));
		ev->time_ns = fng_now_ns();
	}
	return ev;
}

/* A full ring still takes an event that folds into its kind: the tracer
 * fills the scratch slot, and commit decides (fold, or a counted drop). */
struct fng_event *fng_logger_reserve(struct fng_logger *lg)
{
	struct fng_event *ev = reserve_slot(lg);

	if (!ev && lg->folding) {
		ev = lg->scratch;
		memset(ev, 0, sizeof(*ev));
		ev->time_ns = fng_now_ns();
	}
	lg->reserved = ev;
	lg->fold_asked = false;
	if (!ev)
		atomic_fetch_add_explicit(&lg->counters.dropped, 1, memory_order_relaxed);
	return ev;
}

bool fng_logger_fold(struct fng_logger *lg)
{
	struct fng_event *ev = lg->reserved;

	if (!ev || lg->fold_asked)
		return false;
	lg->fold_asked = true;
	if (!lg->folding || !fng_agg_foldable(ev) || !fng_agg_fold(&lg->agg, ev))
		return false;
	lg->reserved = NULL;	/* the slot is reused: nothing was committed */
	fng_stack_release(ev->stack);
	ev->stack = NULL;
	atomic_fetch_add_explicit(&lg->counters.aggregated, 1, memory_order_relaxed);
	return true;
}

void fng_logger_commit(struct fng_logger *lg)
{
	struct fng_event *ev = lg->reserved;

	if (!ev)
		return;
	if (fng_logger_fold(lg))
		return;
	lg->reserved = NULL;
	/* A full ring, or one a flood of this class fills: a counted drop. */
	if (ev == lg->scratch || (!lg->lossless && !fng_ring_admit(&lg->ring, fng_ring_class_of(ev)))) {
		fng_stack_release(ev->stack);
		atomic_fetch_add_explicit(&lg->counters.dropped, 1, memory_order_relaxed);
		fng_logger_wake_for_events(lg);	/* the loss is reported from the loop */
		return;
	}
	fng_ring_commit_class(&lg->ring, fng_ring_class_of(ev));
	atomic_fetch_add_explicit(&lg->counters.emitted, 1, memory_order_relaxed);
	fng_logger_wake_for_events(lg);
}

void fng_logger_lifecycle(struct fng_logger *lg, const char *phase, const char *fmt, ...)
{
	struct fng_event *ev = reserve_slot(lg);
	va_list ap;

	if (!ev) {
		atomic_fetch_add_explicit(&lg->counters.dropped, 1, memory_order_relaxed);
		return;
	}
	lg->reserved = ev;
	lg->fold_asked = false;
	ev->type = FNG_EV_LIFECYCLE;
	fng_strlcpy(ev->phase, phase, sizeof(ev->phase));
	va_start(ap, fmt);
	vsnprintf(ev->message, sizeof(ev->message), fmt, ap);
	va_end(ap);
	fng_logger_commit(lg);
}

void fng_logger_own_event(struct fng_logger *lg, const struct fng_event *ev)
{
	if (lg->n_sinks && lg->phase < PHASE_EXIT_EVENT)
		publish_event(lg, ev, true);
}

struct fng_counters *fng_logger_counters(struct fng_logger *lg)
{
	return &lg->counters;
}

void fng_logger_reopen(struct fng_logger *lg)
{
	atomic_store(&lg->reopen, true);
	uv_async_send(&lg->wake);
}

void fng_logger_stop(struct fng_logger *lg, struct fng_exit_info *xi)
{
	bool stuck;

	if (!lg)
		return;
	pthread_mutex_lock(&lg->flush_mu);
	lg->shut = true;
	pthread_mutex_unlock(&lg->flush_mu);
	lg->exit_info = xi;
	uv_async_send(&lg->stop);
	pthread_join(lg->thread, NULL);
	/* A write stuck in the thread pool (a hung disk) past every deadline:
	 * its buffers must outlive it, so leave everything to process exit. */
	stuck = uv_loop_close(&lg->loop) == UV_EBUSY;
	if (!stuck)
		logger_free(lg);
}
