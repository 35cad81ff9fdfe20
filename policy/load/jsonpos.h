/* Positions in JSON text. json-c parses the policy but keeps no positions, so
 * this small scanner finds where a value sits (for "file:line:col" errors) and
 * rejects duplicate keys, which json-c would silently collapse to the last one
 * (a policy that says "block" and then "allow" must not quietly mean "allow"). */
#ifndef FNG_JSONPOS_H
#define FNG_JSONPOS_H

#include <stddef.h>

/* One step of a path: a key of an object, or (key == NULL) an array index. */
struct fng_json_step {
	const char *key;
	size_t index;
};

/* Offset of the value at path (depth steps) in text. 0 or -ENOENT/-EINVAL. */
int fng_json_locate(const char *text, size_t len, const struct fng_json_step *path,
		    size_t depth, size_t *off);

/* Offset of the last step's key itself (for "unknown key" errors). */
int fng_json_locate_key(const char *text, size_t len, const struct fng_json_step *path,
			size_t depth, size_t *off);

/* Scan the whole document for duplicate object keys, strictly (RFC 8259:
 * no single quotes, NaN, raw control characters; also no \u0000). Returns
 * 0, -EEXIST with *off at the second occurrence of the key, or -EINVAL with
 * *off where the text stops being strict JSON. */
int fng_json_find_duplicate_key(const char *text, size_t len, size_t *off);

/* 1-based line and column (in bytes) of an offset. */
void fng_json_linecol(const char *text, size_t len, size_t off, unsigned *line, unsigned *col);

#endif
