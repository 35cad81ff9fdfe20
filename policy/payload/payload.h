/* What the Runtime API's payloads and the function's code are checked
 * against: the "output_inspection" and "code_check" policy keys (loaded by
 * policy/load/load_payload_out.c), the built-in detectors of secrets in a
 * response (outscan.c: the function's own credentials, AWS access key ids,
 * private key blocks, card numbers that pass Luhn), streamed chunk by chunk
 * with an overlap, and the scan of the function's code before it starts
 * (codescan.c). Pure apart from codescan.c's reading of the code. */
#ifndef FNG_PAYLOAD_H
#define FNG_PAYLOAD_H

#include "policy/payload/regexset.h"
#include "policy/policy.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* code_check's default bounds (docs/policy.md): total bytes read, files
 * read, wall time, and the bytes of one file. */
#define FNG_CODE_MAX_BYTES (64u << 20)
#define FNG_CODE_MAX_FILES 20000u
#define FNG_CODE_MAX_MS 5000u
#define FNG_CODE_MAX_DEPTH 16

/* One of "output_inspection", "code_check". */
struct fng_payload_cfg {
	enum fng_mode action;	/* allow: off */
	char *patterns_file;	/* as written in the policy, resolved against its directory */
	struct fng_rx_set rules;	/* patterns_file's then the inline "patterns" */
	bool builtins;		/* output_inspection: the built-in detectors (default on) */
	char *dir;		/* code_check: the directory (NULL: LAMBDA_TASK_ROOT) */
	uint64_t max_bytes;
	uint32_t max_files, max_ms;
};

void fng_payload_cfg_free(struct fng_payload_cfg *c);
/* A policy's output_inspection and code_check (payload.c). */
void fng_payload_policy_free(struct fng_policy *p);

/* ---- output inspection (outscan.c) ---- */

/* The secrets the function was given (AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN), searched for as they are and as 1 to 3 levels of JSON
 * string escaping write them (fng_out_secret_regex): values shorter than 8
 * bytes are not searched for. */
#define FNG_OUT_SECRETS 2
struct fng_out_secrets {
	const char *name[FNG_OUT_SECRETS];
	const char *value[FNG_OUT_SECRETS];
	size_t len[FNG_OUT_SECRETS];
};

/* The compiled detectors of one policy, shared by every response. */
struct fng_outscan_rules {
	const struct fng_payload_cfg *cfg;
	struct fng_out_secrets secrets;
	struct fng_rx_set secret_rx;	/* one pattern per secret, named by it */
	struct fng_rx_set builtin;	/* access key ids, private keys */
	size_t overlap;		/* bytes of a chunk kept to find a match across the next boundary */
};

/* What matched. */
struct fng_out_finding {
	bool limit;		/* a rule hit PCRE2's match limit: undecided, treated as a finding */
	char match[160];	/* the built-in's name, or "ORIGIN: REGEX" */
	char excerpt[128];	/* redacted: never the secret itself */
	uint64_t offset;	/* in the body */
};

/* Build from the policy's output_inspection and the secrets (copied by
 * reference: they must outlive the rules). 0 or -errno. */
int fng_outscan_rules_init(struct fng_outscan_rules *r, const struct fng_payload_cfg *cfg,
			   const struct fng_out_secrets *secrets);
void fng_outscan_rules_free(struct fng_outscan_rules *r);

/* One body being streamed: what is kept between chunks. */
struct fng_outscan {
	const struct fng_outscan_rules *r;
	char *win;		/* the tail of the last chunk, then this one */
	size_t win_len, cap;
	uint64_t base;		/* body offset of win[0] */
	bool found;		/* a finding was reported: the rest is not scanned */
};

void fng_outscan_begin(struct fng_outscan *s, const struct fng_outscan_rules *r);
/* The next n bytes of the body: 1 and f filled on a finding, 0 for none,
 * -ENOMEM (undecided: callers fail closed). Memory: overlap + n. */
int fng_outscan_feed(struct fng_outscan *s, const char *p, size_t n, struct fng_out_finding *f);
/* The body ended: what waited for more bytes is decided (as feed). */
int fng_outscan_finish(struct fng_outscan *s, struct fng_out_finding *f);
void fng_outscan_end(struct fng_outscan *s);
/* The regex that finds the n bytes of v as written or JSON-escaped 1 to 3
 * times (malloc'd; NULL: out of memory). Pure. */
char *fng_out_secret_regex(const char *v, size_t n);

/* Does the digit string (separators ' ' and '-' allowed) pass Luhn with
 * 13 to 19 digits? Pure; exposed for the unit test. */
bool fng_luhn_ok(const char *p, size_t n);
/* A redacted excerpt of [start, end) of buf (before: bytes of context
 * kept before it); secret: show none of the match. */
void fng_redact(const char *buf, size_t len, size_t start, size_t end, bool secret, char *out, size_t outn);

/* ---- code check (codescan.c) ---- */

#define FNG_CODE_NO_RULE ((size_t)-1)

struct fng_code_finding {
	bool limit;		/* a bound was hit: file names where, match says which */
	char file[512];
	unsigned line;
	size_t rule;		/* index into cfg->rules.pats, or FNG_CODE_NO_RULE for a bound */
	char match[160];
};

/* Called for each finding; return false to stop the scan. */
typedef bool (*fng_code_finding_fn)(const struct fng_code_finding *f, void *arg);

/* Is this a code file? By name (extension) or, for a file without one of
 * those, by its first bytes ("#!"). Pure. */
bool fng_code_is_code_name(const char *name);

/* Walk dir (symlinked directories not entered), scan each code file with
 * cfg's rules (each rule's first match per file), within cfg's bounds.
 * Returns the number of findings reported, or -errno. A bound hit is a
 * finding with limit set. */
int fng_code_scan(const struct fng_payload_cfg *cfg, const char *dir, fng_code_finding_fn fn, void *arg);

#endif
