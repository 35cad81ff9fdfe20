/* Which sink serves which destination kind. Kept apart from sink.c, which
 * the kinds themselves use, so no sink file depends on another in a circle. */
#include "logging/sinks/sink.h"

#include <stddef.h>

const struct fng_sink_ops *fng_sink_kind_ops(enum fng_sink_kind kind)
{
	switch (kind) {
	case FNG_SINK_STDERR:
	case FNG_SINK_STDOUT:
	case FNG_SINK_FILE:
		return &fng_sink_fd_ops;
	case FNG_SINK_UNIX:
		return &fng_sink_unix_ops;
	case FNG_SINK_SYSLOG_UDP:
	case FNG_SINK_SYSLOG_TCP:
	case FNG_SINK_SYSLOG_LOCAL:
		return &fng_sink_syslog_ops;
	case FNG_SINK_HTTP:
		return &fng_sink_http_ops;
	}
	return NULL;
}
