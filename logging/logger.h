/* The logging thread: a libuv loop that drains the event ring, formats JSON
 * and writes it to the sinks. The tracer thread only reserves/commits slots
 * and pokes the loop; it never formats, never blocks on a sink. */
#ifndef FNG_LOGGER_H
#define FNG_LOGGER_H

#include "logging/event.h"

#include <stdatomic.h>
#include "logging/format.h"

#include <stddef.h>
#include <sys/types.h>

enum fng_sink_kind {
	FNG_SINK_STDERR,
	FNG_SINK_STDOUT,
	FNG_SINK_FILE,
};

struct fng_sink_spec {
	enum fng_sink_kind kind;
	const char *path;	/* FNG_SINK_FILE; points into the argument */
};

/* "stderr", "stdout", "file:/path" or a bare path. 0, or -EINVAL with why. */
int fng_sink_parse(const char *dest, struct fng_sink_spec *out, const char **why);

struct fng_logger;

/* Opens the sinks (errors reported in err) and starts the thread. */
int fng_logger_start(struct fng_logger **out, const struct fng_sink_spec *sinks, size_t n, char *err, size_t errn);

/* Tracer side. reserve returns a zeroed slot with time and pid fields unset,
 * or NULL when the ring is full (the drop is counted). */
struct fng_event *fng_logger_reserve(struct fng_logger *lg);
void fng_logger_commit(struct fng_logger *lg);
struct fng_counters *fng_logger_counters(struct fng_logger *lg);
/* A lifecycle event (phase: start, notice, unprotected) with a message. */
void fng_logger_lifecycle(struct fng_logger *lg, const char *phase, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The logging thread's tid (the filter keeps signals away from it). */
pid_t fng_logger_tid(struct fng_logger *lg);

/* Drain everything, write the exit event (counters filled in from the
 * logger's own), stop the thread and free. xi may be NULL: no exit event. */
void fng_logger_stop(struct fng_logger *lg, struct fng_exit_info *xi);

#endif
