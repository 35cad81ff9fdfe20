/* The input firewall's view of one invocation event: every value and key the
 * function could read, decoded the way the consuming code decodes it (JSON
 * strings that hold JSON, API Gateway / ALB / function-URL bodies (JSON, form
 * or base64), query strings, cookies, SQS/SNS record bodies, Kinesis base64
 * data, S3 object keys, XML documents as their parser decodes their bytes:
 * xmlenc.h). Pure: no I/O. Bounded: a limit hit is reported in
 * the list (fng_pwalk_list.limit), never a silent skip. */
#ifndef FNG_PAYLOAD_WALK_H
#define FNG_PAYLOAD_WALK_H

#include <stdbool.h>
#include <stddef.h>

enum fng_pwalk_kind {
	FNG_PWALK_VALUE = 0,	/* a leaf value (string, number, bool) */
	FNG_PWALK_KEY,		/* an object member's name (or a query/form/cookie name) */
};

/* Where a leaf came from (bits of fng_pwalk_leaf.origin). */
#define FNG_PWALK_NESTED 1u	/* inside a JSON document carried in a string */
#define FNG_PWALK_URLDEC 2u	/* percent-decoded (query, form, cookie, path, S3 key) */
#define FNG_PWALK_B64 4u	/* inside base64-decoded data */
#define FNG_PWALK_HEADER 8u	/* an HTTP header value or name */
#define FNG_PWALK_XML 16u	/* an XML document as its parser reads its bytes (xmlenc.h) */
#define FNG_PWALK_UNREAD 32u	/* an XML document fnguard cannot read as its parser would:
				 * the firewall reports a limit (fng_xmlenc_read says why) */

struct fng_pwalk_leaf {
	char *path;	/* JSON path: $, .name, ["odd name"], [index] */
	char *value;	/* decoded bytes, NUL-terminated (may hold NULs: use len) */
	size_t len;
	unsigned kind;	/* enum fng_pwalk_kind */
	unsigned origin;/* FNG_PWALK_* bits */
};

struct fng_pwalk_limits {
	unsigned max_depth;	/* nesting, decoded layers included */
	size_t max_leaves;
	size_t max_bytes;	/* sum of leaf value lengths */
};

/* The defaults: depth 64, 250000 leaves, 16 MiB of leaf bytes. */
#define FNG_PWALK_DEPTH 64u
#define FNG_PWALK_LEAVES 250000u
#define FNG_PWALK_BYTES (16u << 20)
#define FNG_PWALK_PATH_MAX 512u	/* longer paths end in "..." */

struct fng_pwalk_list {
	struct fng_pwalk_leaf *v;
	size_t n;
	size_t bytes;
	bool limit;		/* a bound was hit, or the event is not JSON: leaves are incomplete */
	char why[96];		/* which one */
	void *arena;		/* where path and value strings live (walk.c) */
};

/* Walks one event body into out (zeroed by the call). lim NULL: the
 * defaults. Returns 0 (check out->limit), or -ENOMEM (out freed). */
int fng_pwalk(const char *body, size_t len, const struct fng_pwalk_limits *lim,
	      struct fng_pwalk_list *out);

void fng_pwalk_free(struct fng_pwalk_list *l);

/* Does path (as walk writes it) match pattern? Pattern components: .name,
 * ["name"], [n], `*` (one component: .*, [*]) and `**` (.** any number,
 * zero included). Both start with "$". Pure. */
bool fng_pwalk_path_match(const char *pattern, const char *path);

/* Percent-decodes s (len) into out (len + 1 bytes), '+' as space when
 * plus: returns the decoded length. Invalid escapes stay as they are, as
 * the common decoders (Python's unquote, Node's querystring) leave them. */
size_t fng_pwalk_urldecode(const char *s, size_t len, bool plus, char *out);

/* base64 into a new buffer (*out, NUL-terminated; a previous *out is
 * freed): strict (standard alphabet, nettle's rules) or as lenient decoders
 * read it (either alphabet, padding optional, other bytes skipped). 0,
 * -EINVAL (not strict base64), -ENOMEM. */
int fng_pwalk_b64(const char *s, size_t len, bool lenient, char **out, size_t *outlen);

/* A cookie value in double quotes, unquoted as Python's http.cookies does
 * (\ooo octal, \X the character): its length in out (len bytes), or
 * (size_t)-1 when s is not quoted. */
size_t fng_pwalk_cookie_unquote(const char *s, size_t len, char *out);

#endif
