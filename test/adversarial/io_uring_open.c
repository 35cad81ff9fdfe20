/*
 * io_uring_open.c - adversarial test for fnguard (class: io_uring does file I/O without syscalls)
 *
 * io_uring operations are executed by the kernel (worker threads / SQPOLL
 * thread) without the corresponding syscall ever being made by the tracee,
 * so ptrace/seccomp never see the open.  Raw syscalls only, no liburing.
 * Vectors:
 *   iouring_openat_read        - IORING_OP_OPENAT of FNG_SECRET + IORING_OP_READ
 *   iouring_openat2_read       - IORING_OP_OPENAT2 + IORING_OP_READ
 *   iouring_sqpoll_openat_read - same with IORING_SETUP_SQPOLL (no io_uring_enter submit)
 *   iouring_mkdirat_tmp        - IORING_OP_MKDIRAT inside FNG_TMPDIR (verified with stat)
 * Defence: io_uring_setup fails (fnguard: ENOSYS).
 *
 * Env: FNG_SECRET, FNG_TMPDIR.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/io_uring.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup 425
#endif
#ifndef __NR_io_uring_enter
#define __NR_io_uring_enter 426
#endif

#include "adv.h"

/* ------------------------------------------------------------------ io_uring */
struct ring {
	int fd;
	unsigned flags;
	void *sq_ptr, *cq_ptr;
	size_t sq_sz, cq_sz;
	struct io_uring_sqe *sqes;
	size_t sqes_sz;
	unsigned *sq_head, *sq_tail, *sq_mask, *sq_array, *sq_flags;
	unsigned *cq_head, *cq_tail, *cq_mask;
	struct io_uring_cqe *cqes;
};

/* returns 0, or -errno; *stage says which step failed */
static int ring_init(struct ring *r, unsigned setup_flags, const char **stage)
{
	struct io_uring_params p;
	memset(&p, 0, sizeof p);
	memset(r, 0, sizeof *r);
	r->fd = -1;
	p.flags = setup_flags;
	if (setup_flags & IORING_SETUP_SQPOLL)
		p.sq_thread_idle = 2000;
	*stage = "io_uring_setup";
	long fd = syscall(__NR_io_uring_setup, 8, &p);
	if (fd < 0)
		return -errno;
	r->fd = (int)fd;
	r->flags = setup_flags;
	r->sq_sz = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	r->cq_sz = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	int single = (p.features & IORING_FEAT_SINGLE_MMAP) != 0;
	if (single) {
		if (r->cq_sz > r->sq_sz)
			r->sq_sz = r->cq_sz;
		r->cq_sz = r->sq_sz;
	}
	*stage = "mmap(IORING_OFF_SQ_RING)";
	r->sq_ptr = mmap(NULL, r->sq_sz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	if (r->sq_ptr == MAP_FAILED)
		return -errno;
	if (single)
		r->cq_ptr = r->sq_ptr;
	else {
		*stage = "mmap(IORING_OFF_CQ_RING)";
		r->cq_ptr = mmap(NULL, r->cq_sz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
				 IORING_OFF_CQ_RING);
		if (r->cq_ptr == MAP_FAILED)
			return -errno;
	}
	*stage = "mmap(IORING_OFF_SQES)";
	r->sqes_sz = p.sq_entries * sizeof(struct io_uring_sqe);
	r->sqes = mmap(NULL, r->sqes_sz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (r->sqes == MAP_FAILED)
		return -errno;
	char *sq = r->sq_ptr, *cq = r->cq_ptr;
	r->sq_head = (unsigned *)(sq + p.sq_off.head);
	r->sq_tail = (unsigned *)(sq + p.sq_off.tail);
	r->sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned *)(sq + p.sq_off.array);
	r->sq_flags = (unsigned *)(sq + p.sq_off.flags);
	r->cq_head = (unsigned *)(cq + p.cq_off.head);
	r->cq_tail = (unsigned *)(cq + p.cq_off.tail);
	r->cq_mask = (unsigned *)(cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	return 0;
}

static void ring_free(struct ring *r)
{
	if (r->sqes && r->sqes != MAP_FAILED)
		munmap(r->sqes, r->sqes_sz);
	if (r->cq_ptr && r->cq_ptr != MAP_FAILED && r->cq_ptr != r->sq_ptr)
		munmap(r->cq_ptr, r->cq_sz);
	if (r->sq_ptr && r->sq_ptr != MAP_FAILED)
		munmap(r->sq_ptr, r->sq_sz);
	if (r->fd >= 0)
		close(r->fd);
	memset(r, 0, sizeof *r);
	r->fd = -1;
}

/* submit one prepared sqe and wait for its completion; returns cqe->res, or
 * sets *sys_err (errno of io_uring_enter) and returns INT32_MIN */
static int ring_run(struct ring *r, const struct io_uring_sqe *tmpl, int *sys_err)
{
	unsigned tail = *r->sq_tail;	/* only we write the tail */
	unsigned idx = tail & *r->sq_mask;
	r->sqes[idx] = *tmpl;
	r->sq_array[idx] = idx;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);

	unsigned enter_flags = IORING_ENTER_GETEVENTS;
	unsigned to_submit = 1;
	if (r->flags & IORING_SETUP_SQPOLL) {
		to_submit = 0;
		if (__atomic_load_n(r->sq_flags, __ATOMIC_ACQUIRE) & IORING_SQ_NEED_WAKEUP)
			enter_flags |= IORING_ENTER_SQ_WAKEUP;
	}
	for (;;) {
		unsigned head = *r->cq_head;
		if (head != __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE)) {
			int res = r->cqes[head & *r->cq_mask].res;
			__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
			return res;
		}
		long rc = syscall(__NR_io_uring_enter, r->fd, to_submit, 1, enter_flags, NULL, 0);
		if (rc < 0 && errno != EINTR && errno != EAGAIN && errno != EBUSY) {
			*sys_err = errno;
			return INT32_MIN;
		}
		to_submit = 0;
		if (r->flags & IORING_SETUP_SQPOLL)
			enter_flags |= IORING_ENTER_SQ_WAKEUP;
	}
}

/* ------------------------------------------------------------------ program */
static const char *secret, *tmpdir;

static void setup_fail_report(const char *name, const char *stage, int e)
{
	/* ENOSYS / EPERM / EACCES for io_uring_setup are the expected defences
	 * (fnguard's seccomp filter, or kernel.io_uring_disabled) */
	if (e == ENOSYS || e == EPERM || e == EACCES)
		report(name, DEFENDED, "%s: %s", stage, strerror(e));
	else
		report(name, ERRORED, "setup: %s: %s", stage, strerror(e));
}

static void vec_open_read(const char *name, int use_openat2, unsigned setup_flags)
{
	struct ring r;
	const char *stage;
	int rc = ring_init(&r, setup_flags, &stage);
	if (rc < 0) {
		setup_fail_report(name, stage, -rc);
		ring_free(&r);
		return;
	}
	struct io_uring_sqe sqe;
	struct open_how how;
	memset(&sqe, 0, sizeof sqe);
	memset(&how, 0, sizeof how);
	sqe.fd = AT_FDCWD;
	sqe.addr = (uint64_t)(uintptr_t)secret;
	if (use_openat2) {
		how.flags = O_RDONLY;
		sqe.opcode = IORING_OP_OPENAT2;
		sqe.len = sizeof how;
		sqe.off = (uint64_t)(uintptr_t)&how;
	} else {
		sqe.opcode = IORING_OP_OPENAT;
		sqe.open_flags = O_RDONLY;
		sqe.len = 0;	/* mode */
	}
	sqe.user_data = 1;
	int serr = 0;
	const char *opname = use_openat2 ? "IORING_OP_OPENAT2" : "IORING_OP_OPENAT";
	int fd = ring_run(&r, &sqe, &serr);
	if (fd == INT32_MIN) {
		report(name, (serr == EPERM || serr == EACCES || serr == ENOSYS) ? DEFENDED : ERRORED,
		       "io_uring_enter: %s", strerror(serr));
		ring_free(&r);
		return;
	}
	if (fd < 0) {
		report(name, DEFENDED, "ring set up, but %s completed with %s", opname, strerror(-fd));
		ring_free(&r);
		return;
	}
	char buf[64];
	memset(buf, 0, sizeof buf);
	memset(&sqe, 0, sizeof sqe);
	sqe.opcode = IORING_OP_READ;
	sqe.fd = fd;
	sqe.addr = (uint64_t)(uintptr_t)buf;
	sqe.len = sizeof buf - 1;
	sqe.off = 0;
	sqe.user_data = 2;
	int n = ring_run(&r, &sqe, &serr);
	close(fd);
	if (n == INT32_MIN)
		report(name, BYPASSED, "%s opened the secret (fd %d); IORING_OP_READ submit failed: %s", opname, fd,
		       strerror(serr));
	else if (n < 0)
		report(name, BYPASSED, "%s opened the secret (fd %d); IORING_OP_READ failed: %s", opname, fd,
		       strerror(-n));
	else if (is_secret(buf, n))
		report(name, BYPASSED, "%s + IORING_OP_READ read the secret content", opname);
	else
		report(name, BYPASSED, "%s opened the secret (fd %d), read returned %d bytes of other content", opname,
		       fd, n);
	ring_free(&r);
}

static void vec_mkdirat(void)
{
	const char *name = "iouring_mkdirat_tmp";
	char path[PATH_MAX];
	struct stat st;
	snprintf(path, sizeof path, "%s/iouring-mkdir", tmpdir);
	rmdir(path);
	struct ring r;
	const char *stage;
	int rc = ring_init(&r, 0, &stage);
	if (rc < 0) {
		setup_fail_report(name, stage, -rc);
		ring_free(&r);
		return;
	}
	struct io_uring_sqe sqe;
	memset(&sqe, 0, sizeof sqe);
	sqe.opcode = IORING_OP_MKDIRAT;
	sqe.fd = AT_FDCWD;
	sqe.addr = (uint64_t)(uintptr_t)path;
	sqe.len = 0755;
	int serr = 0;
	int res = ring_run(&r, &sqe, &serr);
	if (lstat(path, &st) == 0) {
		report(name, BYPASSED, "IORING_OP_MKDIRAT created %s", path);
		rmdir(path);
	} else if (res == INT32_MIN)
		report(name, DEFENDED, "io_uring_enter: %s", strerror(serr));
	else if (res < 0)
		report(name, DEFENDED, "ring set up, but IORING_OP_MKDIRAT completed with %s", strerror(-res));
	else
		report(name, DEFENDED, "IORING_OP_MKDIRAT returned %d but nothing was created", res);
	ring_free(&r);
}

int main(void)
{
	adv_init();
	secret = need_env("FNG_SECRET");
	tmpdir = need_env("FNG_TMPDIR");
	FILE *f = fopen("/proc/sys/kernel/io_uring_disabled", "r");
	if (f) {
		int v = -1;
		if (fscanf(f, "%d", &v) == 1)
			fprintf(stderr, "io_uring_open: kernel.io_uring_disabled = %d\n", v);
		fclose(f);
	}
	vec_open_read("iouring_openat_read", 0, 0);
	vec_open_read("iouring_openat2_read", 1, 0);
	vec_open_read("iouring_sqpoll_openat_read", 0, IORING_SETUP_SQPOLL);
	vec_mkdirat();
	return adv_exit_status();
}
