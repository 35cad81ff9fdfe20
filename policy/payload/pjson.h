/* The input firewall's JSON reader: one strict pass (RFC 8259) over an event
 * or a JSON document carried in a string, into a flat array of nodes in
 * document order (a container's subtree follows it; .skip jumps over it).
 * No tree of allocations: strings without escapes point into the input,
 * escaped ones are decoded into one buffer no longer than the input.
 * What it reads the way the runtimes' parsers do, or stricter:
 *  - duplicate member names are all kept (the walk inspects every one;
 *    fng_pj_get returns the last, the one Python, Node, Go and Jackson keep);
 *  - \u0000 decodes to a NUL byte (key or value), lone surrogates to U+FFFD
 *    (Go's reading; Python keeps them, which no detector could use);
 *  - NaN, Infinity, -Infinity are numbers (Python accepts them);
 *  - bytes that are not UTF-8 are kept as they are (Node and Go read
 *    U+FFFD there: nothing a detector needs is lost);
 *  - raw control characters in strings are kept (json-c and Python's
 *    strict=False read them; strict parsers fail the event);
 *  - refused (FNG_PJ_INVALID): a leading BOM (a top-level refusal is a
 *    limit: the event is blocked), comments, trailing commas, single
 *    quotes, bad escapes, leading zeros, "1." and ".5", anything after the
 *    value but whitespace, empty input.
 * Pure. */
#ifndef FNG_PAYLOAD_PJSON_H
#define FNG_PAYLOAD_PJSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fng_pj_type { FNG_PJ_NULL = 0, FNG_PJ_BOOL, FNG_PJ_NUM, FNG_PJ_STR, FNG_PJ_ARR, FNG_PJ_OBJ };

struct fng_pj_node {
	const char *key;	/* the member's name when the parent is an object (decoded), else NULL */
	const char *s;		/* string (decoded), number or bool text ("true"/"false"); NULL otherwise */
	uint32_t klen;
	uint32_t len;		/* of s; containers: the number of children */
	uint32_t skip;		/* nodes in this subtree, itself included */
	uint8_t type;		/* enum fng_pj_type */
};

struct fng_pj_doc {
	struct fng_pj_node *n;	/* n[0] is the document's value */
	size_t count, cap;
	char *buf;		/* decoded strings */
	size_t used;
};

#define FNG_PJ_INVALID (-22)	/* -EINVAL: not one strict JSON document */
#define FNG_PJ_DEEP (-7)	/* -E2BIG: nested deeper than max_depth containers */
#define FNG_PJ_MANY (-75)	/* -EOVERFLOW: more than max_nodes values (memory stays bounded) */

/* Parses s[0, len) (len < 4 GiB) into d (zeroed by the call): 0,
 * FNG_PJ_INVALID, FNG_PJ_DEEP, FNG_PJ_MANY or -ENOMEM (d is freed on every
 * error). A node is 32 bytes; decoded strings take at most len bytes. */
int fng_pj_parse(const char *s, size_t len, unsigned max_depth, size_t max_nodes, struct fng_pj_doc *d);
void fng_pj_free(struct fng_pj_doc *d);

/* The next sibling of node i (within its parent: check the parent's end). */
static inline size_t fng_pj_next(const struct fng_pj_doc *d, size_t i)
{
	return i + d->n[i].skip;
}

/* Object o's last member named key (exact), or (size_t)-1 (also when o is
 * not an object). */
size_t fng_pj_get(const struct fng_pj_doc *d, size_t o, const char *key);

/* Does the string equal the NUL-terminated word? */
bool fng_pj_eq(const char *s, size_t len, const char *word);

#endif
