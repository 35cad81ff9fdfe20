/* fnguard's own lookup of the policy's exact host names (the fallback of
 * dns.h for addresses the function's own lookups did not show us), made off
 * the tracer thread: c-ares driven by the logging thread's libuv loop (no
 * thread of its own: the filter protects only the supervisor threads listed
 * at start). The tracer never waits for a resolver: it asks for a refresh and
 * takes what has been resolved so far, as data, into its fng_dns table.
 *
 * The names are resolved at start (fng_hostres_wait bounds how long the
 * tracer waits for that, before the function runs), then again every
 * FNG_DNS_FALLBACK_S seconds, and sooner when the tracer meets an address it
 * does not know (at most once every FNG_HOSTRES_ASK_MS). A call judged while
 * a lookup is in flight is judged on what is known: an address not learnt
 * yet is not allowed (fail closed). docs/policy.md, "Exceptions". */
#ifndef FNG_HOSTRES_H
#define FNG_HOSTRES_H

#include "logging/logger.h"
#include "policy/policy.h"
#include "tracer/resolve/dns.h"

#include <stdbool.h>
#include <stddef.h>

#define FNG_HOSTRES_ASK_MS 1000		/* the earliest refresh after the last one, when asked */
#define FNG_HOSTRES_START_WAIT_MS 3000	/* the tracer's wait for the first round, at start */
#define FNG_HOSTRES_TIMEOUT_MS 1000	/* c-ares' first try; later tries wait longer */
#define FNG_HOSTRES_TRIES 3

struct fng_hostres;

/* Start resolving p's exact host names on lg's loop (resolv_conf: NULL for
 * the system's). 0 with *out NULL when p names none; else 0, or -errno with
 * a reason in err. Tracer thread; lg must be running until fng_hostres_stop. */
int fng_hostres_start(struct fng_hostres **out, struct fng_logger *lg, const struct fng_policy *p,
		      const char *resolv_conf, char *err, size_t errn);

/* Wait up to ms for the first round of lookups to end (answers or errors).
 * true when it did. */
bool fng_hostres_wait(struct fng_hostres *h, unsigned ms);

/* Tracer side, never blocks on the resolver: remember in d every address
 * resolved since the last call, and ask for a refresh. h may be NULL. */
void fng_hostres_fallback(struct fng_hostres *h, struct fng_dns *d);

/* Stop the lookups (those in flight are dropped) and free. h may be NULL. */
void fng_hostres_stop(struct fng_hostres *h);

#endif
