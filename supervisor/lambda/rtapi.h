/* The Lambda Runtime API as fnguard's proxy and emulator see it: routes,
 * header names, error types. Pure functions over bytes (unit-tested in
 * test/unit/test_rtapi.c); the sockets are in proxy.c and emulate.c. */
#ifndef FNG_RTAPI_H
#define FNG_RTAPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FNG_RT_PREFIX "/2018-06-01/runtime/"
#define FNG_RT_ID_MAX 64	/* request id, with the NUL */

enum fng_rt_route {
	FNG_RT_OTHER = 0,	/* anything else: relayed as it is (proxy), 404 (emulator) */
	FNG_RT_NEXT,		/* GET  /2018-06-01/runtime/invocation/next */
	FNG_RT_RESPONSE,	/* POST /2018-06-01/runtime/invocation/{id}/response */
	FNG_RT_ERROR,		/* POST /2018-06-01/runtime/invocation/{id}/error */
	FNG_RT_INIT_ERROR,	/* POST /2018-06-01/runtime/init/error */
	FNG_RT_REFUSED,		/* fng_rt_classify: not classified with certainty (proxy answers 400) */
};

/* The route of a request target (a query string is ignored). For RESPONSE
 * and ERROR, id gets the request id (1 to FNG_RT_ID_MAX-1 bytes, no '/');
 * a target with an id that does not fit is OTHER. */
enum fng_rt_route fng_rt_route(const char *url, size_t len, char *id, size_t idn);
const char *fng_rt_route_name(enum fng_rt_route r);

/* Case-insensitive header name comparison. */
bool fng_rt_header_is(const char *name, size_t len, const char *want);

/* Lambda's rule for Lambda-Runtime-Function-Error-Type values the platform
 * keeps: "Runtime." or "Function." then an upper-case letter, then letters
 * and digits. */
bool fng_rt_error_type_ok(const char *s);

/* Append a piece (a URL, a header name or value) to buf[cap], which holds
 * *len bytes and stays NUL-terminated; what does not fit is cut and *cut set. */
void fng_rt_append(char *buf, size_t cap, size_t *len, const char *at, size_t n, bool *cut);

/* Header fields arrive from http-parser in pieces: gather one name/value
 * pair at a time. Over-long names or values are cut (and flagged). */
struct fng_rt_hdr {
	char name[64];
	char value[256];
	size_t nlen, vlen;
	bool in_value, cut;
};
/* What a caller does with each complete pair. */
typedef void (*fng_rt_pair_fn)(const struct fng_rt_hdr *h, void *arg);
/* Feed a name piece: a name starting after a value first hands the
 * finished pair to pair(h, arg). */
void fng_rt_hdr_name(struct fng_rt_hdr *h, const char *at, size_t len, fng_rt_pair_fn pair, void *arg);
/* Feed a value piece. */
void fng_rt_hdr_value(struct fng_rt_hdr *h, const char *at, size_t len);
/* At headers-complete: hand over the last pair, if one is waiting. */
void fng_rt_hdr_finish(struct fng_rt_hdr *h, fng_rt_pair_fn pair, void *arg);
void fng_rt_hdr_reset(struct fng_rt_hdr *h);

/* ---- request classification (rtapi_req.c) ----
 * The proxy relays a request only when it knows how the real Runtime API
 * (an HTTP/1.1 server with a path router: Go's net/http and chi in AWS's
 * RAPID) frames and routes it; anything else is refused. */

/* What the header fields of one request say about its framing. */
struct fng_rt_req {
	unsigned n_cl, n_te, n_host, n_upgrade;
	bool cl_bad;		/* a Content-Length that is not 1 to 18 digits */
	bool te_bad;		/* a Transfer-Encoding other than exactly "chunked" */
	bool expect_bad;	/* an Expect other than 100-continue */
	bool expect_continue;
	bool field_bad;		/* a field name that is not a token, or a control byte in a value */
	bool framing_cut;	/* a framing field (above) too long to read whole */
};
void fng_rt_req_reset(struct fng_rt_req *q);
/* One complete field, as gathered by fng_rt_hdr. */
void fng_rt_req_field(struct fng_rt_req *q, const struct fng_rt_hdr *h);
/* The raw bytes of a head (request line and fields) up to, not including,
 * its last byte, which is last: strict CRLF line ends, a request line of
 * exactly METHOD SP TARGET SP VERSION, no folded lines, no control bytes.
 * NULL when good, else why not. */
const char *fng_rt_head_check(const char *head, size_t len, char last);
/* The route of a request as the real API routes it, or FNG_RT_REFUSED with
 * *why set. method is http-parser's name for it; url is the target
 * (url_cut: it did not fit). id as fng_rt_route. */
enum fng_rt_route fng_rt_classify(const char *method, unsigned major, unsigned minor, const char *url, size_t url_len,
				  bool url_cut, const struct fng_rt_req *q, char *id, size_t idn, const char **why);

/* A chunked request body checked byte by byte as it streams, starting with
 * the head's last byte (LF): chunk sizes of 1 to 15 hex digits, optional
 * extensions, CRLF after each size line and each chunk's data, trailer
 * fields, a final CRLF. */
struct fng_rt_chunked {
	int state;
	unsigned digits;
	uint64_t left;
};
void fng_rt_chunked_reset(struct fng_rt_chunked *k);
/* NULL, or why the bytes are not strict chunked framing. */
const char *fng_rt_chunked_feed(struct fng_rt_chunked *k, const char *p, size_t n);
/* The final CRLF was read. */
bool fng_rt_chunked_done(const struct fng_rt_chunked *k);

#endif
