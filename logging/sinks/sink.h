/* The sink interface: every log destination is a bounded queue of formatted
 * lines plus non-blocking I/O on the logging thread's libuv loop. A sink that
 * is slow, dead or refusing fills its own queue and drops (counted) what does
 * not fit; it never blocks the loop, the tracer or the other sinks.
 * Sinks never call the logger: what they tell it (drops, progress, error
 * bursts) goes through the struct fng_sink_owner it hands in at creation.
 * Everything here runs on the logging thread. docs/events.md, "Delivery". */
#ifndef FNG_SINK_H
#define FNG_SINK_H

#include "logging/sinks/dest.h"

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

/* One formatted event, shared by the sinks that queue it. */
struct fng_line {
	uint32_t refs;
	uint32_t len;		/* bytes in data, the final '\n' included */
	uint64_t seq;		/* formatting order; flush requests wait on it */
	uint64_t time_ns;	/* the event's time, for syslog headers */
	uint8_t severity;	/* syslog severity (0 emerg .. 7 debug) */
	bool own;		/* made by the logging thread (reports): its loss never starts a loss report */
	bool record;		/* a JSON line (not trace's text): on stderr and stdout it starts a line of its own */
	uint8_t cls;		/* its class (event type, action, rule), FNG_LINE_CLASSES; 0: fnguard's own */
	char msgid[14];		/* syslog MSGID: the event type */
	char data[];
};

/* A line of len bytes, uninitialised (alloc) or copied from data (new). */
struct fng_line *fng_line_alloc(size_t len);
struct fng_line *fng_line_new(const char *data, size_t len);
static inline struct fng_line *fng_line_ref(struct fng_line *l)
{
	l->refs++;
	return l;
}
void fng_line_unref(struct fng_line *l);

/* Each sink's queue holds at most this many lines and bytes (docs/events.md). */
#define FNG_SINK_QUEUE_LINES 4096
#define FNG_SINK_QUEUE_BYTES (4u << 20)
/* Classes a full queue keeps apart: it drops from the most crowded one. */
#define FNG_LINE_CLASSES 64

struct fng_sink_stats {
	uint64_t queued;	/* lines accepted into the queue */
	uint64_t delivered;	/* written to the kernel (fd, socket) or acknowledged (HTTP 2xx) */
	uint64_t dropped;	/* queue full, rejected, retries exhausted, or left at the flush deadline */
	uint64_t retries;	/* HTTP requests sent again; socket reconnections after a failure */
};

struct fng_sink;
struct fng_curl;

/* The sink's owner (the logger), handed in at creation and copied. The
 * callbacks run on the logging thread, with arg. */
struct fng_sink_owner {
	uv_loop_t *loop;
	const struct fng_curl *curl;	/* libcurl, loaded by the owner before HTTP sinks start */
	void *arg;
	/* A line the owner did not make itself (not own) was dropped. */
	void (*dropped)(void *arg);
	/* Lines left a queue (delivered or dropped), or a sink closed. */
	void (*progress)(void *arg);
	/* An error burst starts ("sink_error") or ends ("sink_ok"). */
	void (*report)(void *arg, struct fng_sink *s, const char *phase, const char *msg);
};

struct fng_sink_ops {
	size_t priv_size;
	/* Open the destination. A -errno return is fatal (bad file); a
	 * collector that is down is not: the sink retries with backoff. */
	int (*start)(struct fng_sink *s, char *err, size_t errn);
	/* Lines were queued: start writing if idle. */
	void (*kick)(struct fng_sink *s);
	/* SIGHUP: reopen (files), optional. */
	void (*reopen)(struct fng_sink *s);
	/* Connected / able to take the exit event right now. */
	bool (*ready)(struct fng_sink *s);
	/* How many of the oldest lines I/O is using now (must not be dropped). */
	size_t (*inflight)(struct fng_sink *s);
	/* Stop all I/O and close every handle; lines in flight stay queued.
	 * Calls fng_sink_closed() once nothing is left open. */
	void (*close)(struct fng_sink *s);
	/* Optional: the line to queue instead of l (framing); a new reference. */
	struct fng_line *(*frame)(struct fng_sink *s, struct fng_line *l);
};

struct fng_sink {
	const struct fng_sink_ops *ops;
	struct fng_sink_owner owner;
	uv_loop_t *loop;	/* owner.loop */
	struct fng_sink_spec spec;
	char name[160];		/* spec.dest, for messages */

	struct fng_line **q;	/* FIFO ring of FNG_SINK_QUEUE_LINES */
	size_t q_head, q_len, q_bytes;
	uint32_t q_class[FNG_LINE_CLASSES];	/* lines queued per class */

	struct fng_sink_stats st;
	uint64_t dropped_reported;	/* drops already named in a loss report */
	bool failing;		/* inside an error burst (reported once) */
	bool closing, closed;
	void *priv;		/* ops->priv_size bytes */
};

/* sink_kinds.c: the ops that serve a destination kind, or NULL. */
const struct fng_sink_ops *fng_sink_kind_ops(enum fng_sink_kind kind);
/* Create the sink for spec, served by ops (not started). 0 or -errno
 * (-EINVAL: ops is NULL). */
int fng_sink_new(struct fng_sink **out, const struct fng_sink_ops *ops, const struct fng_sink_owner *owner,
		 const struct fng_sink_spec *spec);
void fng_sink_free(struct fng_sink *s);

/* Queue a line (framed by the sink). A full queue makes room by dropping
 * the newest line of the class with the most lines queued, when the line's
 * own class has fewer; otherwise it drops the line. Drops are counted. */
bool fng_sink_push(struct fng_sink *s, struct fng_line *l);
/* The i-th queued line (0 = oldest), or NULL. */
struct fng_line *fng_sink_at(const struct fng_sink *s, size_t i);
/* The n oldest lines are finished: delivered or dropped. */
void fng_sink_pop(struct fng_sink *s, size_t n, bool delivered);
/* Drop everything queued (shutdown), or all but the `keep` oldest (deadline). */
void fng_sink_drop_all(struct fng_sink *s);
void fng_sink_drop_after(struct fng_sink *s, size_t keep);
/* True when no queued line has seq <= upto. */
bool fng_sink_flushed(const struct fng_sink *s, uint64_t upto);

/* An error burst starts (reported once, as a lifecycle event and on stderr
 * when stderr is not a sink) / ends (reported once). */
void fng_sink_fail(struct fng_sink *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fng_sink_recovered(struct fng_sink *s);
/* From ops->close, once the last handle is closed. */
void fng_sink_closed(struct fng_sink *s);

/* Exponential backoff: 0 -> first, then doubling up to max. */
static inline uint64_t fng_backoff_next(uint64_t cur, uint64_t first, uint64_t max)
{
	uint64_t n = cur ? cur * 2 : first;
	return n > max ? max : n;
}

/* The kinds. */
extern const struct fng_sink_ops fng_sink_fd_ops;	/* stderr, stdout, file: */
extern const struct fng_sink_ops fng_sink_unix_ops;	/* unix: */
extern const struct fng_sink_ops fng_sink_syslog_ops;	/* syslog:, syslog+udp://, syslog+tcp:// */
extern const struct fng_sink_ops fng_sink_http_ops;	/* http://, https:// */

#endif
