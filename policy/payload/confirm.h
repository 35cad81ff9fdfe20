/* Confirmed attacks: does an input value of the running invocation change
 * the structure of a system call's argument? An exec whose shell string
 * (sh -c), interpreter code (-c/-e) or program the value extends with
 * syntax or a command word; a path the value makes climb out of (or replace)
 * the directory the rest of it named; a connect to an address or host the
 * value named. Pure: strings in, finding out; no I/O. */
#ifndef FNG_PAYLOAD_CONFIRM_H
#define FNG_PAYLOAD_CONFIRM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fng_pwalk_list;

/* Values shorter than this are not matched (see docs/policy.md). */
#define FNG_CONFIRM_MIN_LEN 3u
#define FNG_CONFIRM_MAX_VALUES 512u	/* per invocation */
#define FNG_CONFIRM_MAX_BYTES (256u << 10)
#define FNG_CONFIRM_VALUE_MAX 4096u	/* longer values are not matched (no argument holds them whole) */

struct fng_confirm_input {
	const char *path;	/* JSON path of the value ($.host) */
	const char *value;	/* NUL-terminated */
	size_t len;
};

/* One invocation's values, in one allocation (free()). */
struct fng_confirm_set {
	char request_id[64];
	bool incomplete;	/* a bound was hit: some values are missing */
	size_t n;
	struct fng_confirm_input v[];
};

struct fng_confirm_finding {
	const char *input_path;	/* points into the set */
	char why[160];
};

/* The set of a walked event, bounded as above; NULL on no memory. */
struct fng_confirm_set *fng_confirm_set_build(const struct fng_pwalk_list *l, const char *request_id);
/* From plain (path, value) pairs (tests). */
struct fng_confirm_set *fng_confirm_set_of(const char *const *pairs, size_t n_pairs, const char *request_id);

/* execve's argv (argc strings) and the program path it ran. */
bool fng_confirm_exec(const struct fng_confirm_set *s, const char *program, const char *const *argv, size_t argc,
		      struct fng_confirm_finding *out);
/* The path argument exactly as the function passed it. */
bool fng_confirm_path(const struct fng_confirm_set *s, const char *path, struct fng_confirm_finding *out);
/* A destination: its address (16 bytes, IPv4 mapped), port, and the name the
 * function's own DNS lookups gave it (or NULL). */
bool fng_confirm_connect(const struct fng_confirm_set *s, const uint8_t addr[16], uint16_t port, const char *name,
			 struct fng_confirm_finding *out);

/* Does a shell (sh -c) script's byte range [a, b) change its structure:
 * unquoted syntax, or (words) a whole command word? */
bool fng_confirm_sh_range(const char *script, size_t a, size_t b, bool words, const char **what);

#endif
