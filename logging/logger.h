/* The logging thread: a libuv loop that drains the event ring, formats each
 * event once (fnguard JSON or OCSF) and hands it to every sink's bounded
 * queue. The tracer thread only reserves/commits slots and pokes the loop;
 * it never formats, never blocks on a sink. docs/events.md, "Delivery". */
#ifndef FNG_LOGGER_H
#define FNG_LOGGER_H

#include "logging/event.h"

#include <stdatomic.h>
#include "logging/sinks/dest.h"
#include "logging/format/format.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct fng_logger;
struct fng_text_opts;

struct fng_logger_config {
	const struct fng_sink_spec *sinks;
	size_t n_sinks;			/* at most FNG_MAX_SINKS */
	enum fng_log_format format;
	unsigned flush_timeout_ms;	/* how long the exit waits for the sinks */
	/* fnguard trace: the classes shown (any format) and FNG_FORMAT_TEXT's
	 * settings; NULL: everything, and no text format. */
	const struct fng_text_opts *text;
	/* A full ring makes the tracer wait instead of dropping, and a nearly
	 * full sink queue stops the ring being drained (trace: every call on
	 * screen matters more than the traced program's speed). A flush request
	 * then covers what was drained when it was taken, not the whole ring. */
	bool lossless;
	/* Called on the logging thread with every tracer event before it is
	 * formatted (fnguard baseline's recorder), and with NULL when the
	 * ring overflowed and events were lost. Optional. */
	void (*on_event)(void *arg, const struct fng_event *ev);
	void *on_event_arg;
	/* The key of the JSON lines' "mac" (docs/events.md "Sealed lines"),
	 * FNG_SEAL_KEY_MIN to FNG_SEAL_KEY_MAX bytes; NULL: no mac. Copied. */
	const uint8_t *seal_key;
	size_t seal_key_len;
};

/* Opens the sinks (errors reported in err) and starts the thread. */
int fng_logger_start(struct fng_logger **out, const struct fng_logger_config *cfg, char *err, size_t errn);

/* Tracer side. reserve returns a zeroed slot with time and pid fields unset,
 * or NULL when the ring is full (the drop is counted). */
struct fng_event *fng_logger_reserve(struct fng_logger *lg);
void fng_logger_commit(struct fng_logger *lg);
/* Fold the reserved event now, before its costly parts (the stack): true
 * when it was a repeat and was counted into its kind; the reservation is
 * then spent (commit does nothing). Every field that makes the kind
 * (aggregate.h) must be filled; false: commit it as usual. */
bool fng_logger_fold(struct fng_logger *lg);
struct fng_counters *fng_logger_counters(struct fng_logger *lg);
/* A lifecycle event (phase: start, notice, unprotected) with a message. */
void fng_logger_lifecycle(struct fng_logger *lg, const char *phase, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* An event made on the logging thread itself (the Runtime API proxy):
 * formatted and handed to the sinks at once, outside the ring. Only on the
 * logging thread. */
void fng_logger_own_event(struct fng_logger *lg, const struct fng_event *ev);
/* The logging thread's tid (the filter keeps signals away from it). */
pid_t fng_logger_tid(struct fng_logger *lg);

/* Reopen file sinks (logrotate). Async-signal-safe: call it from a SIGHUP handler. */
void fng_logger_reopen(struct fng_logger *lg);

/* "Flush everything committed up to now": every event committed before this
 * call is delivered or dropped (and counted) by every sink, or deadline_ms
 * passes. cb(arg, 0) or cb(arg, -ETIMEDOUT) then runs once, on the logging
 * thread. Callable from any thread (the Lambda Runtime API proxy runs on the
 * logging thread's loop, fng_logger_loop()). 0 or -ENOMEM / -ESHUTDOWN. */
typedef void (*fng_flush_cb)(void *arg, int status);
int fng_logger_flush(struct fng_logger *lg, unsigned deadline_ms, fng_flush_cb cb, void *arg);

/* The logging thread's libuv loop, for code that runs on it (Runtime API proxy). */
struct uv_loop_s *fng_logger_loop(struct fng_logger *lg);

/* Drain everything, flush the sinks for up to the configured deadline, write
 * the exit event (counters filled in from the logger's own), stop the thread
 * and free. xi may be NULL: no exit event. */
void fng_logger_stop(struct fng_logger *lg, struct fng_exit_info *xi);

#endif
