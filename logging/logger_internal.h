/* The logger's insides, shared by logger.c (thread, ring, fan-out),
 * logger_flush.c (flush requests, the exit sequence) and logger_report.c
 * (loss and sink-error reports). Everything but the ring, the counters, the
 * flush inbox and the reopen flag belongs to the logging thread. */
#ifndef FNG_LOGGER_INTERNAL_H
#define FNG_LOGGER_INTERNAL_H

#include "logging/aggregate.h"
#include "logging/sinks/curl_dl.h"
#include "logging/logger.h"
#include "logging/format/dropin.h"
#include "logging/format/ocsf.h"
#include "logging/format/seal.h"
#include "logging/ring.h"
#include "logging/sinks/sink.h"
#include "logging/format/text.h"

#include <pthread.h>
#include <uv.h>

struct flush_req {
	struct flush_req *next;
	struct fng_logger *lg;
	uint64_t upto;		/* line seq; 0 until the loop takes the request */
	unsigned deadline_ms;
	fng_flush_cb cb;
	void *arg;
	uv_timer_t timer;
};

enum logger_phase {
	PHASE_RUN = 0,
	PHASE_DRAIN,		/* exit: waiting for the sinks, up to the flush deadline */
	PHASE_SETTLE,		/* exit: past it, waiting for the writes in flight */
	PHASE_EXIT_EVENT,	/* exit: the exit event to the sinks that are up */
	PHASE_CLOSE,		/* closing every handle */
};

#define EXIT_EVENT_GRACE_MS 250	/* extra time for the exit event itself */
#define FNG_LOGGER_LINGER_MS 2	/* an awake logging thread drains this often, unwoken; the most an event waits */
#define FNG_LOGGER_LINGER_IDLE 5	/* ticks that find nothing before it sleeps: bursts close together share a wake */
/* Every so many events waiting in the ring wake the logging thread all the
 * same: a fast flood would otherwise pile up within a tick (each event with
 * a stack slot's pages touched) and leave in one burst. */
#define FNG_LOGGER_WAKE_BATCH 16

struct fng_logger {
	struct fng_ring ring;
	/* Repeats folded before the ring (not in lossless mode, where nothing
	 * is lost): the table, the tracer's slot for an event the full ring has
	 * no room for (it may still fold), the logging thread's copies. */
	bool folding;
	struct fng_agg agg;
	struct fng_event *scratch;	/* tracer thread only */
	struct fng_event *reserved;	/* tracer thread only: what reserve handed out */
	bool fold_asked;		/* tracer thread only: reserved went through fng_logger_fold */
	struct fng_event *folds;	/* logging thread: FNG_AGG_SLOTS */
	uint64_t fold_lines;		/* aggregate lines made */
	uv_timer_t fold_timer;
	struct fng_counters counters;
	struct fng_function_info fn;
	struct fng_ocsf_ctx ocsf;
	struct fng_seal seal;	/* run id, and the key of the lines' mac */
	enum fng_log_format format;	/* the run's; a sink may have its own (spec.format) */
	uint32_t formats;		/* bit per format some sink takes */
	struct fng_dropin_ctx dropin;	/* Falco and Iron Function */
	unsigned flush_timeout_ms;
	struct fng_text *text;		/* FNG_FORMAT_TEXT's state */
	uint32_t classes;		/* FNG_TEXT_CLASS_* shown; 0: all */
	bool lossless;

	struct fng_curl curl;	/* loaded when an HTTP sink is configured */
	struct fng_sink *sinks[FNG_MAX_SINKS];
	size_t n_sinks;
	bool stderr_is_sink;
	void (*on_event)(void *arg, const struct fng_event *ev);	/* fng_logger_config */
	void *on_event_arg;

	/* line classes (sink.h): the key of each, 1.. ; 0 is fnguard's own */
	char cls_keys[FNG_LINE_CLASSES][48];
	size_t n_cls;

	uint64_t seq;		/* last line seq handed out */
	uint64_t own_events;	/* reports made by the logging thread */
	uint64_t format_failed;	/* events lost before any sink (out of memory) */

	/* loss reports (logger_report.c) */
	uint64_t ring_reported;
	uint64_t loss_last_total;
	unsigned loss_ticks;
	uv_timer_t loss_timer;
	bool loss_active;

	/* deferred work: sink reports and progress checks, run from an idle handle */
	struct { struct fng_sink *s; char phase[16]; char msg[256]; } reports[8];
	size_t n_reports;
	uv_idle_t idle;
	bool idle_on, progress;

	/* flush requests (logger_flush.c) */
	pthread_mutex_t flush_mu;
	struct flush_req *inbox;	/* guarded by flush_mu */
	bool shut;			/* guarded by flush_mu: no more requests */
	struct flush_req *pending;
	_Atomic bool reopen;

	/* exit */
	enum logger_phase phase;
	uv_timer_t exit_timer;
	struct fng_exit_info *exit_info;

	/* Waking the logging thread (logger_wake.c): the tracer
	 * sends wake only when the thread said it sleeps (asleep); awake, it
	 * drains the ring every FNG_LOGGER_LINGER_MS (linger) until
	 * FNG_LOGGER_LINGER_IDLE ticks in a row find nothing. A flood of events costs a wake per tick, not one
	 * (a system call and a context switch) per event. */
	_Atomic bool asleep;
	uv_timer_t linger;
	/* A wake per event all the same: lossless mode (trace: the screen
	 * matters more than the traced program's speed), and a UDP sink (a
	 * collector's socket buffer silently drops what a burst overflows; sent
	 * as events come, as many lines fit as before). */
	bool wake_each;
	unsigned linger_idle;	/* ticks in a row that found nothing */

	uv_loop_t loop;
	uv_async_t wake;
	uv_async_t stop;
	pthread_t thread;
	uv_sem_t started;
	_Atomic pid_t tid;
	int start_result;
	char *start_err;
	size_t start_errn;
};

/* logger.c: hand one line in format fmt to every sink that takes fmt
 * (only_ready: the exit event goes only to sinks that are up). The text is
 * the caller's. seq: 0 for the next line number, else the number the same
 * event already got in another format. Returns the number used (0: lost). */
uint64_t fng_logger_publish(struct fng_logger *lg, enum fng_log_format fmt, uint64_t seq, const char *text, size_t len,
			    uint64_t time_ns, uint8_t severity, const char *msgid, bool own, bool only_ready, uint8_t cls);
/* The format sink i takes. */
enum fng_log_format fng_logger_sink_format(const struct fng_logger *lg, size_t i);
/* logger.c: the syslog severity of an event (docs/events.md). */
uint8_t fng_logger_severity(const struct fng_event *ev);
/* logger_format.c: an event, the exit event, a loss report in fmt: 0,
 * -errno, or 1 (fmt has no such line). */
int fng_logger_format_event(struct fng_logger *lg, enum fng_log_format fmt, const struct fng_event *ev, char **text,
			    size_t *len);
/* The exit event and a loss report in fmt: 0, -errno, or 1 (fmt has no such line). */
int fng_logger_format_exit(struct fng_logger *lg, enum fng_log_format fmt, const struct fng_exit_info *xi, char **out,
			   size_t *len);
int fng_logger_format_loss(struct fng_logger *lg, enum fng_log_format fmt, const struct fng_loss_info *li, char **out,
			   size_t *len);
/* Take everything out of the ring and publish it: how many events. */
size_t fng_logger_drain(struct fng_logger *lg);
/* logger_wake.c: the tracer made or dropped an event: wake the logging
 * thread if it needs it. The logging thread, woken: tick until idle. */
void fng_logger_wake_for_events(struct fng_logger *lg);
void fng_logger_linger(struct fng_logger *lg);
/* Publish the repeats folded so far as aggregate events. */
void fng_logger_publish_folds(struct fng_logger *lg);
/* A drop (ring or sink) may start a loss burst (logger_report.c). */
void fng_logger_note_drop(struct fng_logger *lg);
/* Something left a queue: check flushes and the exit from the idle handle. */
void fng_logger_progress(struct fng_logger *lg);
/* Run deferred work from the idle handle. */
void fng_logger_defer(struct fng_logger *lg);

/* logger_report.c */
int fng_logger_report_init(struct fng_logger *lg);
void fng_logger_report_now(struct fng_logger *lg);	/* publish unreported losses */
void fng_logger_run_reports(struct fng_logger *lg);
void fng_logger_fill_counts(struct fng_logger *lg, struct fng_exit_info *xi);

/* logger_flush.c */
void fng_logger_take_flushes(struct fng_logger *lg);
void fng_logger_check_flushes(struct fng_logger *lg);
void fng_logger_begin_exit(struct fng_logger *lg);
void fng_logger_check_exit(struct fng_logger *lg);

#endif
