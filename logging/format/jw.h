/* A JSON writer straight into one growing buffer, for the event lines of
 * the hot path (the fnguard format, format.c): no object tree, one malloc'd
 * line. It writes what json-c's plain serialisation wrote, byte for byte
 * (test_format_golden): '"' '\\' \b \f \n \r \t escaped, other control
 * bytes as \u00xx, '/' and DEL as they are. Every string is checked for
 * UTF-8 in the same pass that escapes it: a byte that does not start a
 * valid sequence is written as U+FFFD, and the object it is in gets a
 * KEY_hex member with the exact bytes after its own members, as
 * json_utf8.c does for json-c trees (docs/events.md, "Bytes that are not
 * UTF-8"). Keys are the caller's constants, written as they are. */
#ifndef FNG_JW_H
#define FNG_JW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FNG_JW_DEPTH 8		/* nesting of objects and arrays */
#define FNG_JW_HEX_MAX 64	/* KEY_hex members pending in the open objects (json_utf8.c's FIX_MAX) */

struct fng_jw_hex {
	const char *key;
	const char *s;		/* the bytes (argv: argc NUL-separated strings in n bytes) */
	size_t n;
	unsigned argc;		/* 0: one string; else an array of strings, KEY_hex an array too */
};

struct fng_jw {
	char *buf;
	size_t len, cap;
	bool oom;		/* a write failed: finish says -ENOMEM */
	unsigned depth;		/* open objects and arrays, the root included */
	struct {
		size_t start;	/* where its member began (before the comma): an empty one is taken back */
		unsigned hex0;	/* its first pending KEY_hex */
		bool any;	/* a member or element written */
		bool parent_any;	/* its parent's any before it: restored when it is taken back */
		bool array;
	} lv[FNG_JW_DEPTH];
	unsigned nhex;
	struct fng_jw_hex hex[FNG_JW_HEX_MAX];
};

/* A writer with its root object open. */
void fng_jw_init(struct fng_jw *w);
void fng_jw_free(struct fng_jw *w);
/* Open an object (array: an array) as member key (NULL: an array element). */
void fng_jw_open(struct fng_jw *w, const char *key, bool array);
/* Close what is open: an object gets its pending KEY_hex members first. */
void fng_jw_close(struct fng_jw *w);
/* Close an object, or take it back whole (its key too) when it is empty. */
void fng_jw_close_or_drop(struct fng_jw *w);
/* key: s[0..n) as a JSON string (key NULL: an array element). The bytes
 * must stay valid until finish (a KEY_hex member may point at them). */
void fng_jw_str(struct fng_jw *w, const char *key, const char *s, size_t n);
/* key: s, when s is a non-empty string (json_out.h's fng_json_add_str). */
void fng_jw_cstr(struct fng_jw *w, const char *key, const char *s);
void fng_jw_int(struct fng_jw *w, const char *key, int64_t v);
void fng_jw_uint(struct fng_jw *w, const char *key, uint64_t v);
void fng_jw_true(struct fng_jw *w, const char *key);
/* key: "0x" and v in lower-case hex. */
void fng_jw_hexnum(struct fng_jw *w, const char *key, uint64_t v);
/* key: the hex of n bytes (build-ids). */
void fng_jw_hexbytes(struct fng_jw *w, const char *key, const uint8_t *b, size_t n);
/* key: [strings]: argc NUL-separated strings in the size bytes at a (an
 * event's argv), as many as fit. */
void fng_jw_strs(struct fng_jw *w, const char *key, const char *a, size_t size, unsigned argc);
/* Close everything, add '\n': the line, malloc'd, into *out. 0 or -ENOMEM
 * (the writer is freed either way). */
int fng_jw_finish(struct fng_jw *w, char **out, size_t *len);

#endif
