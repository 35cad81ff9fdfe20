/* A list of regular expressions compiled once (PCRE2, JIT where the CPU has
 * it) and matched against byte buffers with a bounded cost; the loader of
 * protectLambda's pattern files (one regex per line). Shared by the input
 * firewall, output inspection and the code check. Pure apart from
 * fng_rx_load_file's one read. Matching is thread-safe (per-call state). */
#ifndef FNG_REGEXSET_H
#define FNG_REGEXSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bounds: patterns per set, bytes of a pattern file, bytes of one pattern. */
#define FNG_RX_MAX_PATTERNS 4096
#define FNG_RX_MAX_FILE (1u << 20)
#define FNG_RX_MAX_PATTERN 8192
/* Bytes of a pattern fnguard builds itself (fng_rx_add_built). */
#define FNG_RX_MAX_BUILT (1u << 20)
/* PCRE2's match limit (backtracking steps per match call) and depth limit,
 * unless fng_rx_set_limits says otherwise. */
#define FNG_RX_MATCH_LIMIT 200000u
#define FNG_RX_DEPTH_LIMIT 10000u
/* Patterns per combined alternation. */
#define FNG_RX_COMB_MAX 128

struct fng_rx_pattern {
	char *src;	   /* the regex as written */
	char origin[128];  /* "file:line" or "patterns[i]" */
	void *code;	   /* pcre2_code_8 * */
	bool alone;	   /* never joined with others (a NUL byte in it) */
};

struct fng_rx_set {
	struct fng_rx_pattern *pats;
	size_t n;
	uint32_t match_limit, depth_limit;
	/* The patterns that can be, joined into alternations that prove in
	 * one pass that none of them matches (regexset.c); built at the first
	 * match, dropped by an add. */
	void *comb;
	bool no_combine; /* match each pattern in turn only (tests, benches) */
};

enum fng_rx_result {
	FNG_RX_NONE = 0,  /* no pattern matched */
	FNG_RX_MATCH = 1, /* hit->pattern matched at [start, end) */
	FNG_RX_LIMIT = 2, /* hit->pattern hit the match or depth limit: undecided */
	FNG_RX_ERROR = 3, /* out of memory or a PCRE2 error: undecided */
};

struct fng_rx_hit {
	size_t pattern; /* index into pats */
	size_t start, end;
};

/* An empty set with the default limits. */
void fng_rx_init(struct fng_rx_set *s);
void fng_rx_set_limits(struct fng_rx_set *s, uint32_t match_limit, uint32_t depth_limit);

/* Compile one pattern (len bytes, need not be NUL-terminated) and append it.
 * 0, or -EINVAL with "ORIGIN: bad regex at offset N: WHY" in err, or
 * -E2BIG / -ENOMEM. origin names it in errors and findings. */
int fng_rx_add(struct fng_rx_set *s, const char *pat, size_t len, const char *origin, char *err, size_t errsz);
/* The same for a pattern fnguard built (from a secret: its source is wiped
 * when freed), bounded by FNG_RX_MAX_BUILT instead. */
int fng_rx_add_built(struct fng_rx_set *s, const char *pat, size_t len, const char *origin, char *err, size_t errsz);

/* protectLambda's pattern-file format from a buffer: one regex per line;
 * lines split at "\n", each stripped of surrounding white space (space, tab,
 * CR, VT, FF: Python's str.strip() on ASCII, so CRLF files work), empty
 * lines skipped, every other line is a rule (no comment syntax: a line
 * starting with '#' is a regex, as protectLambda reads it). A NUL byte, an
 * over-long line or a bad regex fails the whole load with "NAME:LINE: ...".
 * Returns the number of patterns added, or -errno. */
int fng_rx_load_buf(struct fng_rx_set *s, const char *buf, size_t len, const char *name, char *err, size_t errsz);
/* The same from a file (at most FNG_RX_MAX_FILE bytes). */
int fng_rx_load_file(struct fng_rx_set *s, const char *path, char *err, size_t errsz);

/* Search buf (unanchored, as Python's re.search; a protectLambda rule
 * written for re.match with a leading ".*" behaves the same) for each
 * pattern in order; the first that matches, or that hits a limit, is
 * reported in hit. Limit and error results are undecided: callers fail
 * closed on them. The answer is always that of matching each pattern in
 * turn; with many patterns most of them are first tried together, one
 * pass per FNG_RX_COMB_MAX, and only a group that matches (or hits a
 * limit) is then tried pattern by pattern. */
enum fng_rx_result fng_rx_match(const struct fng_rx_set *s, const char *buf, size_t len, struct fng_rx_hit *hit);
/* The same from pattern `first` on: each rule's first match in turn is
 * fng_rx_match_from(s, last hit's pattern + 1, ...). */
enum fng_rx_result fng_rx_match_from(const struct fng_rx_set *s, size_t first, const char *buf, size_t len,
				     struct fng_rx_hit *hit);

void fng_rx_free(struct fng_rx_set *s);

#endif
