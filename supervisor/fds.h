/* Descriptors at start (issue 21): room for fnguard's own decisions, and
 * what the runtime inherits from whoever started fnguard. */
#ifndef FNG_FDS_H
#define FNG_FDS_H

#include "tracer/tracer.h"

#include <stddef.h>
#include <sys/resource.h>

struct fng_fds_start {
	struct rlimit nofile;	/* the limit fnguard was started with: the runtime's */
	int listen_n;		/* descriptors 3.. passed on (LISTEN_FDS for our pid), else 0 */
	int listen_missing;	/* one of them that was not open at start, else -1 */
};

/* Before any thread or descriptor of ours: raise our own RLIMIT_NOFILE soft
 * limit to the hard one (the runtime gets back the one we were given), and
 * find socket activation's descriptors. */
void fng_fds_start(struct fng_fds_start *f);

/* Each LISTEN_FDS descriptor against the policy: 0, or -errno with a
 * one-line reason in why. */
int fng_fds_check_listen(const struct fng_fds_start *f, const struct fng_tracer *t, char *why, size_t n);

/* On the tracer thread, before the runtime starts: a descriptor table of
 * its own, apart from the logging thread's (the proxy's connections, the
 * sinks), so no number of those leaves the tracer without a descriptor to
 * examine a call with. 0 or -errno. */
int fng_fds_own_table(void);

#endif
