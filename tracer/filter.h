/* The seccomp filter the runtime runs under, built with libseccomp. */
#ifndef FNG_FILTER_H
#define FNG_FILTER_H

/* The supervisor threads named in the filter and the tracer's config. */
#define FNG_SUP_TIDS_MAX 16

#include <seccomp.h>
#include <stdint.h>
#include <sys/types.h>

/* SECCOMP_RET_TRACE data for a call of a foreign ABI (i386, x32). */
#define FNG_TRACE_BADARCH 0xffffu
/* SECCOMP_RET_TRACE data for a call the filter refuses: DENY_BIT | errno.
 * The tracer reports it, then fails it with that errno. */
#define FNG_TRACE_DENY_BIT 0x8000u

struct fng_filter_params {
	uint32_t needs;		/* FNG_NEED_* bits for the active rules */
	pid_t sup_pid;		/* the supervisor: never a signal or ptrace target */
	pid_t sup_pgid;
	pid_t sup_tids[FNG_SUP_TIDS_MAX];	/* its threads (0-terminated) */
	int deny_mount;		/* file rules active: no mount/chroot/handle games */
	int enforces;		/* the policy watches something: no code loaded into the kernel */
	int deny_core;		/* read_write_tmp blocks: the core-file limit stays as fnguard set it */
};

/* Build the filter into *out (caller releases with seccomp_release).
 * Returns 0 or -errno. Pure with respect to the process: loads nothing. */
int fng_filter_build(const struct fng_filter_params *fp, scmp_filter_ctx *out);

/* The program to load: fng_filter_build's rules exported by libseccomp,
 * after a check that fails numbers libseccomp cannot name with ENOSYS.
 * out->filter is the caller's to free. 0 or -errno. */
struct sock_fprog;
int fng_filter_program(const struct fng_filter_params *fp, struct sock_fprog *out);

/* Only the SECCOMP_RET_TRACE rules of the watched calls for needs, with
 * their argument conditions (bench/floor.c traces exactly what fnguard does). */
int fng_filter_add_traced(scmp_filter_ctx ctx, uint32_t needs);

#endif
