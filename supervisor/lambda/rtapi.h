/* The Lambda Runtime API as fnguard's proxy and emulator see it: routes,
 * header names, error types. Pure functions over bytes (unit-tested in
 * test/unit/test_rtapi.c); the sockets are in proxy.c and emulate.c. */
#ifndef FNG_RTAPI_H
#define FNG_RTAPI_H

#include <stdbool.h>
#include <stddef.h>

#define FNG_RT_PREFIX "/2018-06-01/runtime/"
#define FNG_RT_ID_MAX 64	/* request id, with the NUL */

enum fng_rt_route {
	FNG_RT_OTHER = 0,	/* anything else: relayed as it is (proxy), 404 (emulator) */
	FNG_RT_NEXT,		/* GET  /2018-06-01/runtime/invocation/next */
	FNG_RT_RESPONSE,	/* POST /2018-06-01/runtime/invocation/{id}/response */
	FNG_RT_ERROR,		/* POST /2018-06-01/runtime/invocation/{id}/error */
	FNG_RT_INIT_ERROR,	/* POST /2018-06-01/runtime/init/error */
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

#endif
