/* Log destinations as written on the command line (--log DEST) and in the
 * policy ("events": {"sinks": [...]}). Parsing only: no I/O, no libuv, so
 * policy/ can validate destinations without pulling in the logging thread.
 * docs/cli.md lists the forms. */
#ifndef FNG_DEST_H
#define FNG_DEST_H

#include <stdbool.h>
#include <stddef.h>

enum fng_sink_kind {
	FNG_SINK_STDERR,
	FNG_SINK_STDOUT,
	FNG_SINK_FILE,		/* file:/path, /path, ./path */
	FNG_SINK_UNIX,		/* unix:/path (stream, else datagram), unix+stream:, unix+dgram: */
	FNG_SINK_SYSLOG_UDP,	/* syslog+udp://host:port (RFC 5424, one message per datagram) */
	FNG_SINK_SYSLOG_TCP,	/* syslog+tcp://host:port (RFC 5424, octet-counted framing) */
	FNG_SINK_SYSLOG_LOCAL,	/* syslog: or syslog:/path (default /dev/log) */
	FNG_SINK_HTTP,		/* http://... and https://... (batched NDJSON POSTs; #batch=1: one object per POST) */
};

enum fng_sock_mode {
	FNG_SOCK_AUTO = 0,	/* stream, falling back to datagram */
	FNG_SOCK_STREAM,
	FNG_SOCK_DGRAM,
};

struct fng_sink_spec {
	enum fng_sink_kind kind;
	enum fng_sock_mode sock;	/* FNG_SINK_UNIX */
	const char *dest;	/* the whole DEST, for messages and counters */
	const char *target;	/* path, host:port or URL; points into dest */
	int format;		/* this sink's format, enum fng_log_format + 1; 0: the run's */
	bool one_per_request;	/* FNG_SINK_HTTP: one JSON object per POST (#batch=1) */
};

/* Parse DEST. 0, or -EINVAL with a reason in *why. out points into dest. */
int fng_sink_parse(const char *dest, struct fng_sink_spec *out, const char **why);


enum fng_log_format {
	FNG_FORMAT_FNGUARD = 0,
	FNG_FORMAT_OCSF,
	FNG_FORMAT_TEXT,	/* trace's lines (logging/format/text.h) */
	FNG_FORMAT_FALCO,	/* Falco's alert JSON (logging/format/falco.h) */
	FNG_FORMAT_IRON,	/* Iron Function's schema, for its api_endpoint only; not a --log-format */
	FNG_FORMAT_N
};

/* "fnguard", "ocsf", "text" or "falco". 0 or -EINVAL. */
int fng_log_format_parse(const char *s, enum fng_log_format *out);

#define FNG_FLUSH_TIMEOUT_DEFAULT_MS 2000	/* documented in docs/events.md */
#define FNG_FLUSH_TIMEOUT_MAX_MS 600000

#endif
