/* fnguard emulate: a local Lambda Runtime API that feeds events to CMD
 * running under `fnguard run` and prints what comes back. */
#ifndef FNG_EMULATE_H
#define FNG_EMULATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int fng_cmd_emulate(int argc, char **argv);

/* One answered invocation, as printed (emulate_out.c). */
struct fng_emu_result {
	size_t index;			/* the event's position, from 0 */
	const char *request_id;
	const char *status;		/* "success", "error", "init_error" */
	const char *error_type;		/* Lambda-Runtime-Function-Error-Type, errors only */
	bool streamed;			/* Lambda-Runtime-Function-Response-Mode: streaming */
	const char *body;
	size_t len;
};

/* One JSON line: {"event":N,"request_id":...,"status":...,"bytes":N,"response":"..."};
 * a body that is not UTF-8 goes as response_base64 (error_base64). */
int fng_emu_print(FILE *f, const struct fng_emu_result *r);
bool fng_emu_utf8_ok(const unsigned char *s, size_t n);
char *fng_emu_base64(const unsigned char *s, size_t n);	/* malloc'd */
/* A version-4 UUID request id and an X-Ray-shaped trace id. */
void fng_emu_ids(char *request_id, size_t rn, char *trace_id, size_t tn, uint64_t now_s);

#endif
