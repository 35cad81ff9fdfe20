/*
 * seccomp_listener.c - adversarial test for fnguard (class: overriding the supervisor's seccomp filter)
 *
 * seccomp action precedence is KILL > TRAP > ERRNO > USER_NOTIF > TRACE > ALLOW.
 * A tracee that installs its own filter returning SECCOMP_RET_USER_NOTIF for
 * openat wins over the supervisor's SECCOMP_RET_TRACE: the tracer never sees
 * the openat, and a listener answering SECCOMP_USER_NOTIF_FLAG_CONTINUE lets
 * it run unchecked.  Each vector runs in a forked child (filters are permanent).
 * Vectors:
 *   user_notif_listener_thread  - listener fd served by a thread
 *   user_notif_listener_forked  - listener fd served by a forked child
 *       BYPASSED if the listener filter was installed AND the secret was read;
 *       defended if seccomp(SECCOMP_FILTER_FLAG_NEW_LISTENER) fails.
 *   ret_trace_data_0/1/ffff     - a filter returning SECCOMP_RET_TRACE|data for
 *       open/openat (overrides the SECCOMP_RET_DATA the tracer sees); may be
 *       installed, but the open must still be blocked.  Natively (no tracer)
 *       RET_TRACE makes the syscall fail with ENOSYS.
 *   ret_trace_most_syscalls     - RET_TRACE for every syscall except a few
 *       needed to report, to flood/confuse the tracer.
 *
 * Env: FNG_SECRET.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "adv.h"

/* open+read the secret with raw syscalls; writes a description */
static int try_secret(const char *secret, char *d, size_t dsz)
{
	char buf[64];
	long fd = syscall(SYS_openat, AT_FDCWD, secret, O_RDONLY, 0);
	if (fd < 0) {
		snprintf(d, dsz, "openat(secret): %s", strerror(errno));
		return DEFENDED;
	}
	long n = syscall(SYS_read, fd, buf, sizeof buf);
	int e = errno;
	syscall(SYS_close, fd);
	if (n < 0) {
		snprintf(d, dsz, "openat ok but read failed: %s", strerror(e));
		return DEFENDED;
	}
	if (is_secret(buf, n)) {
		snprintf(d, dsz, "read the secret content");
		return BYPASSED;
	}
	snprintf(d, dsz, "opened, but content is not the secret");
	return DEFENDED;
}

/* ------------------------------------------------------------------ program */
static const char *secret;

/* a stuck notification must not hang the test */
#define CHILD_TIMEOUT_S 20

#define LOAD_ARCH BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch))
#define LOAD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))

static long install(struct sock_filter *f, unsigned short len, unsigned flags)
{
	struct sock_fprog prog = { len, f };
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

/* a filter that returns action for x86_64 open/openat and allows everything else */
static long install_open_filter(unsigned action, unsigned flags)
{
	struct sock_filter f[] = {
		LOAD_ARCH,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		LOAD_NR,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_openat, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_open, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, action),
	};
	return install(f, sizeof f / sizeof f[0], flags);
}

static long listener_install(void)
{
	return install_open_filter(SECCOMP_RET_USER_NOTIF, SECCOMP_FILTER_FLAG_NEW_LISTENER);
}

/* installing our filter failed with errno e: a denial or ENOSYS defends */
static int install_failed(const char *call, int e, char *msg, size_t msz)
{
	snprintf(msg, msz, "%s: %s", call, strerror(e));
	return (is_denial(e) || e == ENOSYS) ? DEFENDED : ERRORED;
}

static volatile int notif_count;

/* answer every notification with CONTINUE (only ioctl here: never open!) */
static void serve(int lfd)
{
	for (;;) {
		struct seccomp_notif req;
		struct seccomp_notif_resp resp;
		memset(&req, 0, sizeof req);
		if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, &req)) {
			if (errno == EINTR)
				continue;
			return;
		}
		memset(&resp, 0, sizeof resp);
		resp.id = req.id;
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0)
			notif_count++;
	}
}

static void *serve_thread(void *arg)
{
	serve((int)(long)arg);
	return NULL;
}

static int listener_result(long lfd, int e, const char *how, int k, const char *d, char *msg, size_t msz)
{
	(void)lfd;
	(void)e;
	if (k == BYPASSED)
		snprintf(msg, msz, "filter with NEW_LISTENER installed, %s answered CONTINUE: %s", how, d);
	else
		snprintf(msg, msz, "filter with NEW_LISTENER was installed (!), but: %s", d);
	return k;
}

static int child_listener_thread(char *msg, size_t msz)
{
	long lfd = listener_install();
	if (lfd < 0)
		return install_failed("seccomp(SET_MODE_FILTER, FLAG_NEW_LISTENER)", errno, msg, msz);
	pthread_t t;
	int rc = pthread_create(&t, NULL, serve_thread, (void *)lfd);
	if (rc) {
		snprintf(msg, msz, "setup: pthread_create: %s", strerror(rc));
		return is_denial(rc) ? DEFENDED : ERRORED;
	}
	char d[400];
	int k = try_secret(secret, d, sizeof d);
	return listener_result(lfd, 0, "a thread", k, d, msg, msz);
}

static int child_listener_forked(char *msg, size_t msz)
{
	long lfd = listener_install();
	if (lfd < 0)
		return install_failed("seccomp(SET_MODE_FILTER, FLAG_NEW_LISTENER)", errno, msg, msz);
	pid_t h = fork();
	if (h < 0) {
		int e = errno;
		snprintf(msg, msz, "setup: fork handler: %s", strerror(e));
		return is_denial(e) ? DEFENDED : ERRORED;
	}
	if (h == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		serve((int)lfd);
		_exit(0);
	}
	char d[400];
	int k = try_secret(secret, d, sizeof d);
	kill(h, SIGKILL);	/* our own handler child */
	waitpid(h, NULL, 0);
	return listener_result(lfd, 0, "a forked handler", k, d, msg, msz);
}

static unsigned trace_data;

static int child_ret_trace(char *msg, size_t msz)
{
	if (install_open_filter(SECCOMP_RET_TRACE | (trace_data & SECCOMP_RET_DATA), 0) < 0)
		return install_failed("seccomp(SET_MODE_FILTER) of a RET_TRACE filter failed", errno, msg, msz);
	char d[400];
	int k = try_secret(secret, d, sizeof d);
	snprintf(msg, msz, "own RET_TRACE|0x%x filter installed; %s", trace_data, d);
	return k;
}

static int child_ret_trace_most(char *msg, size_t msz)
{
	/* trace everything except what is needed to report and exit */
	struct sock_filter f[] = {
		LOAD_ARCH,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		LOAD_NR,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_write, 6, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit_group, 5, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit, 4, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_rt_sigreturn, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_read, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_close, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	if (install(f, sizeof f / sizeof f[0], 0) < 0)
		return install_failed("seccomp(SET_MODE_FILTER) of a RET_TRACE-all filter failed", errno, msg, msz);
	char d[400];
	int k = try_secret(secret, d, sizeof d);
	snprintf(msg, msz, "own RET_TRACE-almost-everything filter installed; %s", d);
	return k;
}

int main(void)
{
	adv_init();
	secret = need_env("FNG_SECRET");

	run_in_child("user_notif_listener_thread", child_listener_thread, CHILD_TIMEOUT_S);
	run_in_child("user_notif_listener_forked", child_listener_forked, CHILD_TIMEOUT_S);

	trace_data = 0;
	run_in_child("ret_trace_data_0", child_ret_trace, CHILD_TIMEOUT_S);
	trace_data = 1;
	run_in_child("ret_trace_data_1", child_ret_trace, CHILD_TIMEOUT_S);
	trace_data = 0xffff;
	run_in_child("ret_trace_data_ffff", child_ret_trace, CHILD_TIMEOUT_S);
	run_in_child("ret_trace_most_syscalls", child_ret_trace_most, CHILD_TIMEOUT_S);
	return adv_exit_status();
}
