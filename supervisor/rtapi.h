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

/* Header fields arrive from http-parser in pieces: gather one name/value
 * pair at a time. Over-long names or values are cut (and flagged). */
struct fng_rt_hdr {
	char name[64];
	char value[256];
	size_t nlen, vlen;
	bool in_value, cut;
};
/* Feed a name piece / a value piece. Returns true when a complete pair is
 * ready *before* this piece (a new name starts): read it, then continue. */
bool fng_rt_hdr_name(struct fng_rt_hdr *h, const char *at, size_t len);
void fng_rt_hdr_value(struct fng_rt_hdr *h, const char *at, size_t len);
/* At headers-complete: is a last pair waiting? */
bool fng_rt_hdr_done(const struct fng_rt_hdr *h);
void fng_rt_hdr_reset(struct fng_rt_hdr *h);

#endif
