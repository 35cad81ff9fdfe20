/* Confirmed attacks: does an input value of the running invocation change
 * the structure of a system call's argument? An exec whose shell string
 * (sh -c), interpreter code (-c/-e) or program the value extends with
 * syntax or a command word; a path the value makes climb out of (or replace)
 * the directory the rest of it named; a connect to an address or host the
 * value named. Every value of the invocation is indexed (confirm_index.c):
 * an argument is matched in time proportional to its own length, not to the
 * number of values. Pure: strings in, finding out; no I/O. */
#ifndef FNG_PAYLOAD_CONFIRM_H
#define FNG_PAYLOAD_CONFIRM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fng_pwalk_list;
struct fng_confirm_ix;

/* Values shorter than this are not matched (see docs/policy.md). */
#define FNG_CONFIRM_MIN_LEN 3u
/* The longest argument a value can be found in whole: an exec string
 * (MAX_ARG_STRLEN, NUL included); longer values are still read for hosts. */
#define FNG_CONFIRM_ARG_MAX (128u << 10)
/* Memory for one invocation's index; over it the set is incomplete. */
#define FNG_CONFIRM_MEM_MAX (256u << 20)
/* Value occurrences one path is examined for; over it the call is refused. */
#define FNG_CONFIRM_PATH_STEPS (1u << 16)

struct fng_confirm_input {
	const char *path;	/* JSON path of the value ($.host) */
	const char *value;	/* NUL-terminated */
	size_t len;
};

/* One invocation's values and their index (fng_confirm_set_free). An
 * incomplete set tracks none of them: every call the check would inspect
 * is refused under block (tracer/rules/confirm.c). */
struct fng_confirm_set {
	char request_id[64];
	bool incomplete;
	char why[96];		/* why incomplete */
	size_t n;
	struct fng_confirm_input *v;
	struct fng_confirm_ix *ix;
};

struct fng_confirm_finding {
	const char *input_path;	/* points into the set */
	char why[160];
};

/* The set of a walked event (incomplete when the walk hit a bound or the
 * index its memory bound); NULL only when not even that could be allocated. */
struct fng_confirm_set *fng_confirm_set_build(const struct fng_pwalk_list *l, const char *request_id);
/* An incomplete set saying why (the event could not be gathered or walked). */
struct fng_confirm_set *fng_confirm_set_untracked(const char *request_id, const char *why);
void fng_confirm_set_free(struct fng_confirm_set *s);
/* From plain (path, value) pairs (tests). */
struct fng_confirm_set *fng_confirm_set_of(const char *const *pairs, size_t n_pairs, const char *request_id);

/* execve's argv (argc strings) and the program path it ran. Each of these
 * is true with a finding that names no input (input_path NULL) when the
 * set is incomplete, or the argument could not be examined. */
bool fng_confirm_exec(const struct fng_confirm_set *s, const char *program, const char *const *argv, size_t argc,
		      struct fng_confirm_finding *out);
/* An exec's code argument: the kind of argv[0] (1 a shell, 2 an
 * interpreter, 0 neither), and whether an argument is the option whose
 * next argument is the code (-c; -e, -r for interpreters). */
int fng_confirm_code_kind(const char *argv0);
bool fng_confirm_code_opt(int kind, const char *arg);
/* The path argument exactly as the function passed it. */
bool fng_confirm_path(const struct fng_confirm_set *s, const char *path, struct fng_confirm_finding *out);
/* A destination: its address (16 bytes, IPv4 mapped), port, and the name the
 * function's own DNS lookups gave it (or NULL). */
bool fng_confirm_connect(const struct fng_confirm_set *s, const uint8_t addr[16], uint16_t port, const char *name,
			 struct fng_confirm_finding *out);

#endif
