/* Starting the runtime (spawn.h): a CLONE_VM child that sets up, loads the filter and execs. */
#include "supervisor/spawn.h"
#include "tracer/tracer.h"
#include "common/util.h"

#include "tracer/arch.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

extern char **environ;

struct child_report {
	int stage;
	int err;
};

int fng_find_program(const char *name, char *out, size_t outsz)
{
	const char *path = getenv("PATH");
	int saw_eacces = 0;

	if (strchr(name, '/')) {
		if (access(name, F_OK) < 0)
			return -ENOENT;
		fng_strlcpy(out, name, outsz);
		return 0;
	}
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t len = strcspn(path, ":");
		struct stat st;
		int n = snprintf(out, outsz, "%.*s%s%s", (int)len, len ? path : ".", "/", name);

		path += len + (path[len] == ':');
		if (n < 0 || (size_t)n >= outsz)
			continue;
		if (stat(out, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (access(out, X_OK) == 0)
			return 0;
		saw_eacces = 1;
	}
	return saw_eacces ? -EACCES : -ENOENT;
}

/* The child shares the supervisor's memory until its exec (CLONE_VM, as
 * posix_spawn does): there are no page tables to copy, and the supervisor
 * takes no copy-on-write faults afterwards. So the child touches only its
 * own stack and its spawn_ctx, and calls the kernel directly: errno and all
 * other libc state belong to the supervisor's threads, which run on. The
 * supervisor keeps spawn_ctx until the child has exec'd or died
 * (fng_spawn_release). */
#define CHILD_STACK (256 * 1024)

struct spawn_ctx {
	char path[PATH_MAX];
	char *const *argv;
	char *const *envp;
	struct sock_fprog filter;	/* a copy: the caller frees its own */
	struct fng_sigstate sig;
	bool no_new_privs, foreground;
	int landlock_fd;
	int sync_rd, sync_wr, report_rd, report_wr;
	struct rlimit nofile;
	bool no_core, drop_net_admin;
	int listen_fds, listen_pid_at;	/* envp's LISTEN_PID entry, rewritten by the child */
	char listen_pid[32];
	char **own_envp;		/* envp, when it is a copy (LISTEN_PID) */
	void *stack;
};

static long sys(long nr, long a1, long a2, long a3)
{
	return fng_arch_raw_syscall(nr, a1, a2, a3, 0, 0, 0);
}

static _Noreturn void child_exit(int code)
{
	for (;;)
		sys(SYS_exit_group, code, 0, 0);
}

static _Noreturn void child_fail(const struct spawn_ctx *c, enum fng_child_stage stage, long ret)
{
	struct child_report rep = { stage, (int)-ret };

	sys(SYS_write, c->report_wr, (long)&rep, sizeof(rep));
	child_exit(stage == FNG_STAGE_FILTER || stage == FNG_STAGE_LANDLOCK ? 125 : ret == -ENOENT ? 127 : 126);
}

/* The runtime must not be able to ptrace the supervisor or read its memory,
 * even as root: drop CAP_SYS_PTRACE everywhere it could come back from.
 * While destinations are judged, CAP_NET_ADMIN too: a root runtime would
 * change routes (a loopback address routed out of the host), addresses,
 * packet filters and marks, none of which a rule reads. */
static void drop_caps(bool net_admin)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	uint32_t mask = 1u << CAP_SYS_PTRACE | (net_admin ? 1u << CAP_NET_ADMIN : 0);

	for (unsigned cap = 0; cap < 32; cap++) {
		if (!(mask & (1u << cap)))
			continue;
		sys(SYS_prctl, PR_CAPBSET_DROP, cap, 0);
		fng_arch_raw_syscall(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, cap, 0, 0, 0);
	}
	if (sys(SYS_capget, (long)&hdr, (long)data, 0) == 0) {
		data[0].effective &= ~mask;
		data[0].permitted &= ~mask;
		data[0].inheritable &= ~mask;
		sys(SYS_capset, (long)&hdr, (long)data, 0);
	}
}

/* What the runtime inherits (supervisor/fds.h): the descriptor limit
 * fnguard was started with, and no descriptor above 2 but socket
 * activation's, whose LISTEN_PID then names the runtime. */
static void child_descriptors(struct spawn_ctx *c)
{
	unsigned n = (unsigned)c->listen_fds;
	char digits[16];
	long pid;
	int k = 0;

	fng_arch_raw_syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, (long)&c->nofile, 0, 0, 0);
	if (c->no_core) {
		static const struct rlimit none = { 0, 0 };
		fng_arch_raw_syscall(SYS_prlimit64, 0, RLIMIT_CORE, (long)&none, 0, 0, 0);
	}
	for (unsigned fd = 3; fd < 3 + n; fd++)
		sys(SYS_fcntl, fd, F_SETFD, 0);
	sys(SYS_close_range, 3 + n, ~0U, CLOSE_RANGE_CLOEXEC);
	if (!n || c->listen_pid_at < 0)
		return;
	pid = sys(SYS_getpid, 0, 0, 0);
	do
		digits[k++] = (char)('0' + pid % 10);
	while ((pid /= 10) && k < (int)sizeof(digits));
	memcpy(c->listen_pid, "LISTEN_PID=", 11);
	for (int i = 0; i < k; i++)
		c->listen_pid[11 + i] = digits[k - 1 - i];
	c->listen_pid[11 + k] = '\0';
	c->own_envp[c->listen_pid_at] = c->listen_pid;
}

static int child_main(void *arg)
{
	struct spawn_ctx *c = arg;
	char go;
	long r;

	sys(SYS_close, c->sync_wr, 0, 0);
	sys(SYS_close, c->report_rd, 0, 0);
	sys(SYS_setpgid, 0, 0, 0);
	if (c->foreground) {
		/* SIGTTOU is blocked: a background group may take the terminal. */
		pid_t me = (pid_t)sys(SYS_getpid, 0, 0, 0);
		sys(SYS_ioctl, STDIN_FILENO, TIOCSPGRP, (long)&me);
	}
	drop_caps(c->drop_net_admin);
	/* Signals stay blocked until here (fng_spawn_start): no handler of the
	 * supervisor may run in the child, on the supervisor's memory. */
	fng_signals_restore(&c->sig);
	/* Wait until the parent has seized us: SECCOMP_RET_TRACE with no
	 * tracer attached would fail every traced call with ENOSYS. */
	if (sys(SYS_read, c->sync_rd, (long)&go, 1) != 1)
		child_exit(125);
	sys(SYS_close, c->sync_rd, 0, 0);
	child_descriptors(c);
	if (c->no_new_privs && (r = sys(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0)) < 0)
		child_fail(c, FNG_STAGE_FILTER, r);
	/* read_write_tmp by the kernel (tracer/landlock.c). A domain the
	 * runtime adds later can only narrow this one. */
	if (c->landlock_fd >= 0) {
		r = sys(SYS_landlock_restrict_self, c->landlock_fd, 0, 0);
		if (r < 0)
			child_fail(c, FNG_STAGE_LANDLOCK, r);
		sys(SYS_close, c->landlock_fd, 0, 0);
	}
	r = sys(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, (long)&c->filter);
	if (r < 0)
		child_fail(c, FNG_STAGE_FILTER, r);
	r = sys(SYS_execve, (long)c->path, (long)c->argv, (long)c->envp);
	child_fail(c, FNG_STAGE_EXEC, r);
}

static void ctx_free(struct spawn_ctx *c)
{
	if (!c)
		return;
	if (c->stack)
		munmap(c->stack, CHILD_STACK);
	free(c->filter.filter);
	free(c->own_envp);
	free(c);
}

static void ctx_freep(struct spawn_ctx **c)
{
	ctx_free(*c);
}

#define autoctx __attribute__((cleanup(ctx_freep)))

/* A copy of environ whose LISTEN_PID entry the child may point elsewhere. */
static int copy_env(struct spawn_ctx *c)
{
	size_t n = 0;

	while (environ[n])
		n++;
	c->own_envp = calloc(n + 1, sizeof(char *));
	if (!c->own_envp)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		c->own_envp[i] = environ[i];
		if (strncmp(environ[i], "LISTEN_PID=", 11) == 0)
			c->listen_pid_at = (int)i;
	}
	c->envp = c->own_envp;
	return 0;
}

static struct spawn_ctx *ctx_new(const struct fng_spawn *sp)
{
	autoctx struct spawn_ctx *c = calloc(1, sizeof(*c));
	size_t len = sp->filter->len * sizeof(*sp->filter->filter);
	void *stack;

	if (!c)
		return NULL;
	c->filter.len = sp->filter->len;
	c->filter.filter = malloc(len);
	stack = mmap(NULL, CHILD_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return NULL;
	c->stack = stack;
	if (!c->filter.filter || !fng_strlcpy(c->path, sp->path, sizeof(c->path)))
		return NULL;
	memcpy(c->filter.filter, sp->filter->filter, len);
	c->argv = sp->argv;
	c->envp = environ;
	c->nofile = sp->nofile;
	c->no_core = sp->no_core;
	c->drop_net_admin = sp->drop_net_admin;
	c->listen_fds = sp->listen_fds;
	c->listen_pid_at = -1;
	if (sp->listen_fds > 0 && copy_env(c) < 0)
		return NULL;
	c->sig = *sp->signals;
	c->no_new_privs = sp->no_new_privs;
	c->foreground = sp->foreground;
	c->landlock_fd = sp->landlock_fd;
	return fng_steal_ptr(&c);
}

void fng_spawn_release(struct fng_child *child)
{
	if (child->ctx)
		ctx_free(child->ctx);
	child->ctx = NULL;
}

/* Kill and reap the child: then nothing of ours is in use (the caller's
 * cleanup closes the pipes and frees the context). */
static int abandon(pid_t pid, int r)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, __WALL) < 0 && errno == EINTR)
		;
	return r;
}

int fng_spawn_start(const struct fng_spawn *sp, struct fng_child *out, char *err, size_t errn)
{
	autoctx struct spawn_ctx *c = ctx_new(sp);
	autoclose int sync_rd = -1, sync_wr = -1, report_rd = -1, report_wr = -1;
	int fds[2];
	sigset_t all, old;
	pid_t pid;
	int r;

	if (!c)
		return -ENOMEM;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	sync_rd = fds[0], sync_wr = fds[1];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	report_rd = fds[0], report_wr = fds[1];
	c->sync_rd = sync_rd, c->sync_wr = sync_wr;
	c->report_rd = report_rd, c->report_wr = report_wr;
	/* The child starts with every signal blocked, so none of our handlers
	 * can run in it before fng_signals_restore. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid = clone(child_main, (char *)c->stack + CHILD_STACK, CLONE_VM | SIGCHLD, c);
	r = pid < 0 ? -errno : 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (pid < 0) {
		snprintf(err, errn, "clone: %s", strerror(-r));
		return r;
	}
	close(fng_steal_fd(&sync_rd));
	close(fng_steal_fd(&report_wr));
	/* Same group change from this side, so no race with the child. */
	setpgid(pid, pid);
	r = fng_tracer_seize(pid);
	if (r < 0) {
		snprintf(err, errn, "ptrace refused: PTRACE_SEIZE: %s (a seccomp profile, Yama ptrace_scope, or a "
				    "managed runtime such as AWS Lambda forbids tracing)",
			 strerror(-r));
		return abandon(pid, r);
	}
	if (write(sync_wr, "g", 1) != 1) {
		r = -errno;
		snprintf(err, errn, "cannot start the runtime: %s", strerror(errno));
		return abandon(pid, r);
	}
	close(fng_steal_fd(&sync_wr));
	out->pid = pid;
	out->status_fd = fng_steal_fd(&report_rd);
	out->ctx = fng_steal_ptr(&c);
	return 0;
}

void fng_spawn_failure(int status_fd, enum fng_child_stage *stage, int *err)
{
	struct child_report rep = { 0, 0 };

	*stage = FNG_STAGE_NONE;
	*err = 0;
	if (read(status_fd, &rep, sizeof(rep)) == (ssize_t)sizeof(rep)) {
		*stage = (enum fng_child_stage)rep.stage;
		*err = rep.err;
	}
}

int fng_preflight(char *why, size_t n)
{
	uint32_t action = SECCOMP_RET_TRACE;
	int r;

	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0 && errno == EINVAL) {
		snprintf(why, n, "seccomp is not available in this kernel (CONFIG_SECCOMP_FILTER)");
		return -ENOSYS;
	}
	if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) < 0) {
		r = -errno;
		snprintf(why, n, "seccomp refused: SECCOMP_RET_TRACE is not available: %s", strerror(errno));
		return r;
	}
	/* Whether ptrace is allowed shows when the runtime is seized
	 * (fng_spawn_start): a probe process here cost every start a fork. */
	return 0;
}
