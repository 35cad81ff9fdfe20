/* Log destinations as written (--log DEST, the policy's "events"), parsed and checked (dest.h). */
#include "logging/sinks/dest.h"
#include "common/hostport.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int parse_hostport(const char *target, const char **why)
{
	struct fng_hostport hp;

	if (fng_hostport_parse(target, &hp) < 0) {
		*why = "expected host:port with a port from 1 to 65535 (IPv6 as [addr]:port)";
		return -EINVAL;
	}
	return 0;
}

int fng_sink_parse(const char *dest, struct fng_sink_spec *out, const char **why)
{
	memset(out, 0, sizeof(*out));
	out->dest = dest;
	if (strcmp(dest, "stderr") == 0) {
		out->kind = FNG_SINK_STDERR;
	} else if (strcmp(dest, "stdout") == 0) {
		out->kind = FNG_SINK_STDOUT;
	} else if (has_prefix(dest, "file:") || dest[0] == '/' || dest[0] == '.') {
		out->kind = FNG_SINK_FILE;
		out->target = has_prefix(dest, "file:") ? dest + 5 : dest;
		if (!*out->target) {
			*why = "file: needs a path";
			return -EINVAL;
		}
	} else if (has_prefix(dest, "unix:") || has_prefix(dest, "unix+stream:") || has_prefix(dest, "unix+dgram:")) {
		out->kind = FNG_SINK_UNIX;
		out->sock = has_prefix(dest, "unix:") ? FNG_SOCK_AUTO
			  : has_prefix(dest, "unix+stream:") ? FNG_SOCK_STREAM : FNG_SOCK_DGRAM;
		out->target = strchr(dest, ':') + 1;
		if (out->target[0] != '/' || strlen(out->target) >= 108) {
			*why = "unix: needs an absolute socket path shorter than 108 bytes";
			return -EINVAL;
		}
	} else if (has_prefix(dest, "syslog+udp://") || has_prefix(dest, "syslog+tcp://")) {
		out->kind = dest[7] == 'u' ? FNG_SINK_SYSLOG_UDP : FNG_SINK_SYSLOG_TCP;
		out->target = dest + strlen("syslog+udp://");
		return parse_hostport(out->target, why);
	} else if (has_prefix(dest, "syslog:")) {
		out->kind = FNG_SINK_SYSLOG_LOCAL;
		out->target = dest[7] ? dest + 7 : "/dev/log";
		if (out->target[0] != '/' || strlen(out->target) >= 108) {
			*why = "syslog: takes no argument or an absolute socket path (default /dev/log)";
			return -EINVAL;
		}
	} else if (has_prefix(dest, "http://") || has_prefix(dest, "https://")) {
		const char *frag = strchr(dest, '#');
		out->kind = FNG_SINK_HTTP;
		out->target = dest;
		if (!dest[has_prefix(dest, "http://") ? 7 : 8] || strpbrk(dest, " \t\r\n")) {
			*why = "an http:// or https:// URL needs a host and no white space";
			return -EINVAL;
		}
		/* The fragment is never sent: fnguard's own options live there. */
		if (frag && strcmp(frag, "#batch=1") == 0) {
			out->one_per_request = true;
		} else if (frag) {
			*why = "the only fragment an http:// URL takes is #batch=1 (one event per request)";
			return -EINVAL;
		}
	} else {
		*why = "expected stderr, stdout, file:/path, unix:/path, syslog:, syslog+udp://host:port, "
		       "syslog+tcp://host:port, http://... or https://...";
		return -EINVAL;
	}
	return 0;
}

int fng_log_format_parse(const char *s, enum fng_log_format *out)
{
	if (strcmp(s, "fnguard") == 0)
		*out = FNG_FORMAT_FNGUARD;
	else if (strcmp(s, "ocsf") == 0)
		*out = FNG_FORMAT_OCSF;
	else if (strcmp(s, "text") == 0)
		*out = FNG_FORMAT_TEXT;
	else if (strcmp(s, "falco") == 0)
		*out = FNG_FORMAT_FALCO;
	else
		return -EINVAL;
	return 0;
}
