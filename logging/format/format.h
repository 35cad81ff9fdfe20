/* Formatting events as JSON lines (docs/events.md). Runs on the logging thread. */
#ifndef FNG_FORMAT_H
#define FNG_FORMAT_H

#include "logging/event.h"

#include <stddef.h>

/* The function's identity, read once from the Lambda environment. */
struct fng_function_info {
	char *name, *version, *region, *memory, *log_group, *log_stream;
};

void fng_function_info_from_env(struct fng_function_info *fi);
void fng_function_info_free(struct fng_function_info *fi);

#define FNG_MAX_SINKS 16

/* One sink's delivery counters, as the exit and loss events report them. */
struct fng_sink_counts {
	const char *dest;
	uint64_t delivered, dropped, retries;
};

/* What the exit event reports; status fields filled by the supervisor, the
 * counters by the logger. emitted: every event produced before the exit
 * event; dropped: lost before reaching any sink (ring full). */
struct fng_exit_info {
	int status;		/* fnguard's own exit status */
	int exit_code;		/* runtime's exit code, -1 if killed */
	int signal;		/* signal that killed the runtime, 0 if none */
	uint64_t emitted, dropped, blocked, alerted, processes, traced_calls, path_cache_hits;
	uint64_t aggregated;	/* events folded into aggregates (counted in no line of their own) */
	size_t n_sinks;
	struct fng_sink_counts sinks[FNG_MAX_SINKS];
};

/* A loss report: what was dropped since the previous report. */
struct fng_loss_info {
	uint64_t ring;		/* ring full, before any sink */
	size_t n_sinks;
	struct fng_sink_counts sinks[FNG_MAX_SINKS];	/* dropped: this burst's drops */
};

/* RFC 3339 UTC time with digits (1 to 9) fraction digits: 2026-12-04T12:20:13.123Z. */
void fng_format_time(uint64_t ns, unsigned digits, char *buf, size_t n);

/* One JSON object plus '\n', malloc'd into *out. 0 or -errno. */
int fng_format_event(const struct fng_event *ev, const struct fng_function_info *fi, char **out, size_t *len);
int fng_format_exit(const struct fng_exit_info *xi, const struct fng_function_info *fi, char **out, size_t *len);
int fng_format_loss(const struct fng_loss_info *li, uint64_t time_ns, const struct fng_function_info *fi,
		    char **out, size_t *len);
/* The human-readable summary of a loss report. */
void fng_loss_message(const struct fng_loss_info *li, char *buf, size_t n);

#endif
