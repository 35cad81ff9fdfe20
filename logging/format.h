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

/* What the exit event reports; filled by the supervisor. */
struct fng_exit_info {
	int status;		/* fnguard's own exit status */
	int exit_code;		/* runtime's exit code, -1 if killed */
	int signal;		/* signal that killed the runtime, 0 if none */
	uint64_t emitted, dropped, blocked, alerted, processes, traced_calls;
};

/* One JSON object plus '\n', malloc'd into *out. 0 or -errno. */
int fng_format_event(const struct fng_event *ev, const struct fng_function_info *fi, char **out, size_t *len);
int fng_format_exit(const struct fng_exit_info *xi, const struct fng_function_info *fi, char **out, size_t *len);

#endif
