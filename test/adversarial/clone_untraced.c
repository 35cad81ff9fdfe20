/*
 * clone_untraced.c - adversarial test for fnguard (class: escaping the tracer with CLONE_UNTRACED)
 *
 * A child created with CLONE_UNTRACED is not auto-attached by the tracer, so
 * its syscalls would never be seen by a ptrace-based supervisor.  Each vector
 * creates such a child, which tries to read FNG_SECRET and reports back.
 * Vectors:
 *   clone_untraced_fork   - raw clone(CLONE_UNTRACED|SIGCHLD), fork-like
 *   clone_untraced_vm_vfork - clone(CLONE_UNTRACED|CLONE_VM|CLONE_VFORK|SIGCHLD) on its own stack
 *   clone_untraced_thread - clone(CLONE_UNTRACED|CLONE_THREAD|CLONE_VM|...) thread
 *   clone3_untraced       - clone3 with CLONE_UNTRACED in clone_args (fnguard: ENOSYS)
 * BYPASSED = an untraced child was created and it read the secret (if it was
 * created but could not read the secret, the vector is reported as defended
 * with that detail).
 *
 * Env: FNG_SECRET.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef __NR_clone3
#define __NR_clone3 435
#endif
#ifndef CLONE_UNTRACED
#define CLONE_UNTRACED 0x00800000
#endif

struct fng_clone_args {		/* struct clone_args, CLONE_ARGS_SIZE_VER0 = 64 */
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

#include "adv.h"

/* ------------------------------------------------------------------ program */
static const char *secret;

/* result of a child's attempt; only raw syscalls are used to produce it */
struct result {
	int code;	/* 0 = read secret, 1 = open failed, 2 = read failed, 3 = wrong content, -1 = no result */
	int err;
	long pid;	/* pid of the child as seen by itself */
	const char *via;	/* syscall that produced the result */
};

#ifndef __NR_openat2
#define __NR_openat2 437
#endif
struct fng_open_how { uint64_t flags, mode, resolve; };

/* Try openat, open and openat2 (a filter may trace one but allow another). */
static void child_attempt(struct result *r)
{
	static const char *names[] = { "openat", "open", "openat2" };
	char buf[64];
	r->pid = syscall(SYS_getpid);
	r->code = 1;
	for (int i = 0; i < 3; i++) {
		long fd;
		struct fng_open_how how = { O_RDONLY, 0, 0 };
		if (i == 0)
			fd = syscall(SYS_openat, AT_FDCWD, secret, O_RDONLY, 0);
		else if (i == 1)
			fd = syscall(SYS_open, secret, O_RDONLY, 0);
		else
			fd = syscall(__NR_openat2, AT_FDCWD, secret, &how, sizeof how);
		r->via = names[i];
		if (fd < 0) {
			r->code = 1;
			r->err = errno;
			continue;
		}
		long n = syscall(SYS_read, fd, buf, sizeof buf);
		syscall(SYS_close, fd);
		if (n < 0) {
			r->code = 2;
			r->err = errno;
		} else if (is_secret(buf, n)) {
			r->code = 0;
			return;
		} else
			r->code = 3;
	}
}

static void judge(const char *name, const struct result *r, const char *how)
{
	switch (r->code) {
	case 0:
		report(name, BYPASSED, "%s: untraced child %ld read the secret via %s", how, r->pid, r->via);
		break;
	case 1:
		report(name, DEFENDED, "%s: untraced child was created (!) but openat/open/openat2 failed, last: %s%s", how,
		       strerror(r->err), r->err == ENOSYS ? " - seccomp RET_TRACE without a tracer" : "");
		break;
	case 2:
		report(name, DEFENDED, "%s: untraced child was created but read failed: %s", how, strerror(r->err));
		break;
	case 3:
		report(name, DEFENDED, "%s: untraced child read something that is not the secret", how);
		break;
	default:
		report(name, ERRORED, "%s: child was created but produced no result", how);
	}
}

static void judge_clone_fail(const char *name, const char *call, int e)
{
	if (is_denial(e) || e == ENOSYS)
		report(name, DEFENDED, "%s: %s", call, strerror(e));
	else
		report(name, ERRORED, "%s failed for an unexpected reason: %s", call, strerror(e));
}

/* wait for a child and get the result through the pipe */
static void collect(const char *name, long pid, int rfd, const char *how)
{
	struct result r;
	memset(&r, 0, sizeof r);
	r.code = -1;
	ssize_t n = read(rfd, &r, sizeof r);
	close(rfd);
	int st = 0;
	waitpid((pid_t)pid, &st, __WALL);
	if (n != (ssize_t)sizeof r) {
		if (WIFSIGNALED(st))
			report(name, DEFENDED, "%s: child killed by signal %d (%s)", how, WTERMSIG(st), strsignal(WTERMSIG(st)));
		else
			report(name, ERRORED, "%s: child exited %d without a result", how, WEXITSTATUS(st));
		return;
	}
	judge(name, &r, how);
}

/*
 * The fork-like vectors 1 and 4, right after their clone call returned pid
 * (errno e): the child (pid 0) tries the secret and writes its result to
 * p[1] with raw syscalls; the parent judges a failed clone or collects.
 */
static void fork_like_finish(const char *name, long pid, int e, int p[2], const char *call)
{
	if (pid == 0) {
		struct result r;
		memset(&r, 0, sizeof r);
		child_attempt(&r);
		if (syscall(SYS_write, p[1], &r, sizeof r) < 0)
			syscall(SYS_exit_group, 3);
		syscall(SYS_exit_group, 0);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		judge_clone_fail(name, call, e);
		return;
	}
	collect(name, pid, p[0], call);
}

/* 1. raw clone(CLONE_UNTRACED|SIGCHLD), fork-like (same stack copy) */
static void vec_clone_fork(void)
{
	const char *name = "clone_untraced_fork";
	int p[2];
	if (pipe(p)) {
		report(name, ERRORED, "setup: pipe: %s", strerror(errno));
		return;
	}
	long pid = syscall(SYS_clone, (unsigned long)(CLONE_UNTRACED | SIGCHLD), 0UL, NULL, NULL, 0UL);
	fork_like_finish(name, pid, errno, p, "clone(CLONE_UNTRACED|SIGCHLD)");
}

/* 2. clone(CLONE_UNTRACED|CLONE_VM|CLONE_VFORK|SIGCHLD) with its own stack */
static struct result vm_result;
static int vm_child(void *arg)
{
	(void)arg;
	child_attempt(&vm_result);
	return 0;
}

#define CHILD_STACK (256 * 1024)

/* a stack for a clone() child (NULL: reported), and *r reset to "no result" */
static char *child_stack(const char *name, struct result *r)
{
	char *stack = mmap(NULL, CHILD_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED) {
		report(name, ERRORED, "setup: mmap stack: %s", strerror(errno));
		return NULL;
	}
	memset(r, 0, sizeof *r);
	r->code = -1;
	return stack;
}

static void vec_clone_vm_vfork(void)
{
	const char *name = "clone_untraced_vm_vfork";
	char *stack = child_stack(name, &vm_result);
	if (!stack)
		return;
	int pid = clone(vm_child, stack + CHILD_STACK, CLONE_UNTRACED | CLONE_VM | CLONE_VFORK | SIGCHLD, NULL);
	int e = errno;
	if (pid < 0) {
		judge_clone_fail(name, "clone(CLONE_UNTRACED|CLONE_VM|CLONE_VFORK)", e);
	} else {
		int st = 0;
		waitpid(pid, &st, __WALL);
		if (vm_result.code == -1 && WIFSIGNALED(st))
			report(name, DEFENDED, "child killed by signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
		else
			judge(name, &vm_result, "clone(CLONE_UNTRACED|CLONE_VM|CLONE_VFORK)");
	}
	munmap(stack, CHILD_STACK);
}

/* 3. an untraced thread */
static struct result th_result;
static volatile int th_ctid;
static int th_child(void *arg)
{
	(void)arg;
	child_attempt(&th_result);
	return 0;	/* glibc's clone() then calls SYS_exit: only this thread ends */
}

static void vec_clone_thread(void)
{
	const char *name = "clone_untraced_thread";
	char *stack = child_stack(name, &th_result);
	if (!stack)
		return;
	th_ctid = -1;
	int flags = CLONE_UNTRACED | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
		    CLONE_SYSVSEM | CLONE_CHILD_CLEARTID;
	int tid = clone(th_child, stack + CHILD_STACK, flags, NULL, NULL, NULL, &th_ctid);
	int e = errno;
	if (tid < 0) {
		judge_clone_fail(name, "clone(CLONE_UNTRACED|CLONE_THREAD|...)", e);
		munmap(stack, CHILD_STACK);
		return;
	}
	/* wait until the kernel clears th_ctid at thread exit (max ~10 s) */
	for (int i = 0; i < 100 && th_ctid != 0; i++) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		syscall(SYS_futex, &th_ctid, FUTEX_WAIT, -1, &ts, NULL, 0);
	}
	if (th_ctid != 0) {
		report(name, ERRORED, "untraced thread %d did not finish within 10 s", tid);
		return;	/* leak the stack: the thread may still run */
	}
	judge(name, &th_result, "clone(CLONE_UNTRACED|CLONE_THREAD|...)");
	munmap(stack, CHILD_STACK);
}

/* 4. clone3 with CLONE_UNTRACED, fork-like */
static void vec_clone3(void)
{
	const char *name = "clone3_untraced";
	int p[2];
	if (pipe(p)) {
		report(name, ERRORED, "setup: pipe: %s", strerror(errno));
		return;
	}
	struct fng_clone_args ca;
	memset(&ca, 0, sizeof ca);
	ca.flags = CLONE_UNTRACED;
	ca.exit_signal = SIGCHLD;
	long pid = syscall(__NR_clone3, &ca, sizeof ca);
	fork_like_finish(name, pid, errno, p, "clone3({flags=CLONE_UNTRACED})");
}

int main(void)
{
	adv_init();
	secret = need_env("FNG_SECRET");
	vec_clone_fork();
	vec_clone_vm_vfork();
	vec_clone_thread();
	vec_clone3();
	return adv_exit_status();
}
