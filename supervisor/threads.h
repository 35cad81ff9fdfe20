/* The supervisor's threads, all of them started before the runtime: the
 * filter names each one (tracer/filter.c), and the tracer refuses calls
 * aimed at any supervisor thread at all (tracer/rules/guard.c). libuv
 * starts its thread pool (file sinks' writes, a syslog host's lookup) on
 * first use, which would be after the filter: it is started here. */
#ifndef FNG_THREADS_H
#define FNG_THREADS_H

#include <stddef.h>
#include <sys/types.h>

/* Start libuv's thread pool now. 0 or -errno. */
int fng_threads_start_pool(void);

/* The supervisor's thread ids (/proc/self/task), leader first, at most max;
 * the rest of tids is zeroed. The number found, or -errno. */
int fng_threads_list(pid_t *tids, size_t max);

#endif
