/* The JVM's perf-data file (docs/policy.md, read_write_tmp): HotSpot keeps
 * the counters jps and jstat read in /tmp/hsperfdata_USER/PID. Which of the
 * calls a JVM makes for it read_write_tmp lets through without an event.
 * Pure: the tracer gathers the facts (rules/jvmperf.c). */
#ifndef FNG_JVMPERF_H
#define FNG_JVMPERF_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* What the call does to the resolved path. */
enum fng_jvmperf_op {
	FNG_JVMPERF_OTHER = 0,	/* anything else: never excused */
	FNG_JVMPERF_MKDIR,	/* mkdir, mkdirat */
	FNG_JVMPERF_OPEN,	/* open, openat, openat2 at the seccomp stop (flags known) */
	FNG_JVMPERF_OPENED,	/* what an excused open opened, at its exit stop */
	FNG_JVMPERF_UNLINK,	/* unlink, unlinkat without AT_REMOVEDIR */
};

struct fng_jvmperf_call {
	enum fng_jvmperf_op op;
	const char *path;	/* resolved, canonical (tracer/resolve/path.c) */
	const char *dir;	/* the perf-data directory, canonical: /tmp/hsperfdata_USER */
	uint64_t flags;		/* open flags */
	bool jvm;		/* the calling process runs a JVM (libjvm.so from a trusted file) */
	bool same_user;		/* its effective uid is the one dir was named for */
	pid_t pid;		/* the calling process's id as it sees itself; <= 0 unknown */
};

/* What happens to the call. */
enum fng_jvmperf_verdict {
	FNG_JVMPERF_RULE = 0,	/* not the JVM's: read_write_tmp judges it as any other */
	FNG_JVMPERF_ALLOW,	/* the JVM's own: allowed, no event */
	FNG_JVMPERF_FRESH,	/* its own file's open: allowed, no event, if made with O_TRUNC added
				 * (nothing written there before, by anyone, can be read) */
	/* The clean-up's read-only open of another process's file: refused
	 * (EACCES), no event. HotSpot opens each to see whether its lock is
	 * free and skips the file when it cannot: natively it skips a live
	 * JVM's file the same way. */
	FNG_JVMPERF_QUIET,
};

/* The process id a file of dir is named after: path is dir/DIGITS (no
 * leading zero, fits a pid); 0 when path is dir itself; -1 otherwise. */
long fng_jvmperf_file_pid(const char *path, const char *dir);

/* Is this one of the calls a JVM makes for its perf-data file? */
enum fng_jvmperf_verdict fng_jvmperf_decide(const struct fng_jvmperf_call *c);

#endif
