/*
 * child_bypass.c - adversarial test for fnguard (class: doing the forbidden thing from another task)
 *
 * The supervisor must follow every task the runtime creates.  Each vector
 * reads FNG_SECRET from a different kind of task:
 *   fork_child          - a fork()ed child
 *   vfork_child         - a vfork()ed child (only open/read/_exit, shares memory)
 *   pthread             - a second thread
 *   double_fork_setsid  - a grandchild after fork+setsid+fork (orphaned daemon)
 *   clone_parent_sibling- clone(CLONE_PARENT): the child becomes a child of
 *                         OUR parent (the supervisor itself), i.e. a sibling
 *   posix_spawn_cat     - posix_spawn("/bin/cat", secret) (also an exec); BYPASSED if
 *                         its output is the secret
 * BYPASSED = the secret content reached us.
 *
 * Env: FNG_SECRET.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

extern char **environ;

#include "adv.h"

/* read from fd until EOF or timeout_ms passes */
static ssize_t read_timeout(int fd, char *buf, size_t cap, int timeout_ms)
{
	size_t got = 0;
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (got + 1 < cap) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		long el = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
		if (el >= timeout_ms)
			break;
		struct pollfd pfd = { fd, POLLIN, 0 };
		int pr = poll(&pfd, 1, (int)(timeout_ms - el));
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			break;
		ssize_t n = read(fd, buf + got, cap - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = 0;
	return (ssize_t)got;
}

/* ------------------------------------------------------------------ program */
static const char *secret;

/* The child protocol: "S<content>" if the secret could be opened+read,
 * "E<errno>" if open failed, "R<errno>" if read failed. */
static void child_read_to_pipe(int wfd)
{
	char buf[80];
	buf[0] = 'S';
	long fd = syscall(SYS_openat, AT_FDCWD, secret, O_RDONLY, 0);
	if (fd < 0) {
		int l = snprintf(buf, sizeof buf, "E%d", errno);
		if (write(wfd, buf, (size_t)l) < 0)
			_exit(3);
		return;
	}
	long n = syscall(SYS_read, fd, buf + 1, sizeof buf - 1);
	if (n < 0) {
		int l = snprintf(buf, sizeof buf, "R%d", errno);
		if (write(wfd, buf, (size_t)l) < 0)
			_exit(3);
		return;
	}
	if (write(wfd, buf, (size_t)n + 1) < 0)
		_exit(3);
}

static void judge_msg(const char *name, const char *who, const char *buf, ssize_t n, int st_valid, int st)
{
	char esc[300];
	if (n >= 1 && buf[0] == 'S') {
		if (is_secret(buf + 1, (long)n - 1))
			report(name, BYPASSED, "%s read the secret content", who);
		else {
			escape(buf + 1, (size_t)n - 1, esc, sizeof esc);
			report(name, DEFENDED, "%s opened it, but content is not the secret: \"%s\"", who, esc);
		}
	} else if (n >= 2 && (buf[0] == 'E' || buf[0] == 'R'))
		report(name, DEFENDED, "%s: %s failed: %s", who, buf[0] == 'E' ? "open" : "read",
		       strerror(atoi(buf + 1)));
	else if (st_valid && WIFSIGNALED(st))
		report(name, DEFENDED, "%s was killed by signal %d (%s)", who, WTERMSIG(st), strsignal(WTERMSIG(st)));
	else
		report(name, ERRORED, "%s produced no result", who);
}

static void vec_fork(void)
{
	int p[2];
	if (pipe(p)) {
		report("fork_child", ERRORED, "setup: pipe: %s", strerror(errno));
		return;
	}
	pid_t pid = fork();
	if (pid < 0) {
		report("fork_child", is_denial(errno) ? DEFENDED : ERRORED, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return;
	}
	if (pid == 0) {
		close(p[0]);
		child_read_to_pipe(p[1]);
		_exit(0);
	}
	close(p[1]);
	char buf[128];
	ssize_t n = read_timeout(p[0], buf, sizeof buf, 10000);
	close(p[0]);
	int st = 0;
	waitpid(pid, &st, 0);
	judge_msg("fork_child", "fork()ed child", buf, n, 1, st);
}

/* vfork: the child shares our memory; it only calls open/read/_exit */
static char vfork_buf[80];
static volatile long vfork_n;
static volatile int vfork_err;

__attribute__((noinline)) static pid_t do_vfork(const char *path)
{
	pid_t pid = vfork();
	if (pid == 0) {
		int fd = open(path, O_RDONLY);
		if (fd < 0) {
			vfork_err = errno;
			vfork_n = -1;
			_exit(1);
		}
		vfork_n = read(fd, vfork_buf, sizeof vfork_buf);
		if (vfork_n < 0)
			vfork_err = errno;
		_exit(0);
	}
	return pid;
}

static void vec_vfork(void)
{
	vfork_n = -2;
	vfork_err = 0;
	memset(vfork_buf, 0, sizeof vfork_buf);
	pid_t pid = do_vfork(secret);
	if (pid < 0) {
		report("vfork_child", is_denial(errno) ? DEFENDED : ERRORED, "vfork: %s", strerror(errno));
		return;
	}
	int st = 0;
	waitpid(pid, &st, 0);
	long n = vfork_n;
	if (is_secret(vfork_buf, n))
		report("vfork_child", BYPASSED, "vfork()ed child read the secret content");
	else if (n == -1)
		report("vfork_child", DEFENDED, "vfork()ed child: open failed: %s", strerror(vfork_err));
	else if (n == -2 && WIFSIGNALED(st))
		report("vfork_child", DEFENDED, "vfork()ed child killed by signal %d", WTERMSIG(st));
	else if (n == -2)
		report("vfork_child", ERRORED, "vfork()ed child produced no result");
	else if (n < 0)
		report("vfork_child", DEFENDED, "vfork()ed child: read failed: %s", strerror(vfork_err));
	else
		report("vfork_child", DEFENDED, "vfork()ed child read something that is not the secret");
}

static void *thread_fn(void *arg)
{
	child_read_to_pipe((int)(long)arg);
	return NULL;
}

static void vec_pthread(void)
{
	int p[2];
	if (pipe(p)) {
		report("pthread", ERRORED, "setup: pipe: %s", strerror(errno));
		return;
	}
	pthread_t t;
	int rc = pthread_create(&t, NULL, thread_fn, (void *)(long)p[1]);
	if (rc) {
		report("pthread", is_denial(rc) ? DEFENDED : ERRORED, "pthread_create: %s", strerror(rc));
		close(p[0]);
		close(p[1]);
		return;
	}
	pthread_join(t, NULL);
	close(p[1]);
	char buf[128];
	ssize_t n = read_timeout(p[0], buf, sizeof buf, 10000);
	close(p[0]);
	judge_msg("pthread", "second thread", buf, n, 0, 0);
}

static void vec_double_fork(void)
{
	int p[2];
	if (pipe(p)) {
		report("double_fork_setsid", ERRORED, "setup: pipe: %s", strerror(errno));
		return;
	}
	pid_t pid = fork();
	if (pid < 0) {
		report("double_fork_setsid", is_denial(errno) ? DEFENDED : ERRORED, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return;
	}
	if (pid == 0) {
		close(p[0]);
		setsid();
		pid_t g = fork();
		if (g < 0) {
			char m[16];
			int l = snprintf(m, sizeof m, "F%d", errno);
			if (write(p[1], m, (size_t)l) < 0)
				_exit(3);
			_exit(1);
		}
		if (g == 0) {
			usleep(100 * 1000);	/* let the middle process exit first: truly orphaned */
			child_read_to_pipe(p[1]);
			_exit(0);
		}
		_exit(0);
	}
	close(p[1]);
	int st = 0;
	waitpid(pid, &st, 0);
	char buf[128];
	ssize_t n = read_timeout(p[0], buf, sizeof buf, 10000);
	close(p[0]);
	if (n >= 2 && buf[0] == 'F')
		report("double_fork_setsid", is_denial(atoi(buf + 1)) ? DEFENDED : ERRORED, "second fork: %s",
		       strerror(atoi(buf + 1)));
	else
		judge_msg("double_fork_setsid", "orphaned grandchild (after setsid)", buf, n, 0, 0);
}

static void vec_clone_parent(void)
{
	int p[2];
	if (pipe(p)) {
		report("clone_parent_sibling", ERRORED, "setup: pipe: %s", strerror(errno));
		return;
	}
	/* fork-like raw clone; the new process's parent is OUR parent */
	long pid = syscall(SYS_clone, (unsigned long)CLONE_PARENT, 0UL, NULL, NULL, 0UL);
	if (pid == 0) {
		close(p[0]);
		child_read_to_pipe(p[1]);
		syscall(SYS_exit_group, 0);
	}
	int e = errno;
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		report("clone_parent_sibling", (is_denial(e) || e == EINVAL) ? DEFENDED : ERRORED,
		       "clone(CLONE_PARENT): %s", strerror(e));
		return;
	}
	/* we cannot wait for it (not our child), the pipe EOF tells us it is done */
	char buf[128];
	ssize_t n = read_timeout(p[0], buf, sizeof buf, 10000);
	close(p[0]);
	judge_msg("clone_parent_sibling", "CLONE_PARENT sibling process", buf, n, 0, 0);
}

static void vec_posix_spawn(void)
{
	int p[2];
	if (pipe(p)) {
		report("posix_spawn_cat", ERRORED, "setup: pipe: %s", strerror(errno));
		return;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addclose(&fa, p[0]);
	posix_spawn_file_actions_addclose(&fa, p[1]);
	char *argv[] = { "cat", (char *)secret, NULL };
	pid_t pid;
	int rc = posix_spawn(&pid, "/bin/cat", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (rc != 0) {
		close(p[0]);
		report("posix_spawn_cat", DEFENDED, "posix_spawn(/bin/cat): %s", strerror(rc));
		return;
	}
	char buf[128], esc[300];
	ssize_t n = read_timeout(p[0], buf + 1, sizeof buf - 1, 10000);
	close(p[0]);
	int st = 0;
	waitpid(pid, &st, 0);
	if (is_secret(buf + 1, n))
		report("posix_spawn_cat", BYPASSED, "spawned /bin/cat printed the secret");
	else {
		escape(buf + 1, n > 0 ? (size_t)n : 0, esc, sizeof esc);
		report("posix_spawn_cat", DEFENDED, "spawned process output \"%s\", status %s %d", esc,
		       WIFSIGNALED(st) ? "signal" : "exit", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	}
}

int main(void)
{
	adv_init();
	secret = need_env("FNG_SECRET");
	vec_fork();
	vec_vfork();
	vec_pthread();
	vec_double_fork();
	vec_clone_parent();
	vec_posix_spawn();
	return adv_exit_status();
}
