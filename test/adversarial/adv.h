/*
 * adv.h - helpers shared by the fnguard adversarial test programs
 *
 * Every NAME.c in this directory is still a standalone program, compiled on
 * its own (`cc ... NAME.c -o NAME`), so everything here is `static inline`:
 * a program gets its own copy of what it uses, and an unused helper costs
 * nothing and does not trip -Wunused-function.  Define _GNU_SOURCE before
 * any #include, as every program does.
 *
 * The report protocol (see README.md): one line per vector on stdout,
 *     vector <name>: defended|BYPASSED|ERROR (<detail>)
 * and the exit status is the number of BYPASSED plus ERROR lines, capped at
 * 255 (adv_exit_status()).
 */
#ifndef FNG_ADV_H
#define FNG_ADV_H

#ifndef _GNU_SOURCE
#error "define _GNU_SOURCE before including adv.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

/* aarch64 has only the *at forms of the legacy path calls: there, a vector
 * using one calls number -1, which the kernel answers with ENOSYS (the way
 * in does not exist on that architecture). */
#if !defined(SYS_open)
#define SYS_open (-1L)
#define __NR_open (-1L)
#endif
#if !defined(SYS_rename)
#define SYS_rename (-1L)
#endif
#if !defined(SYS_utimes)
#define SYS_utimes (-1L)
#endif
#if !defined(SYS_utime)
#define SYS_utime (-1L)
#endif
#if !defined(SYS_futimesat)
#define SYS_futimesat (-1L)
#endif
#include <sys/types.h>
#include <sys/wait.h>

/* ------------------------------------------------------------------ report */
#define SECRET_CONTENT "FNGUARD-SECRET\n"

enum { DEFENDED = 0, BYPASSED = 1, ERRORED = 2 };
static int g_bad;	/* BYPASSED + ERROR lines printed so far */

__attribute__((format(printf, 3, 4)))
static inline void report(const char *name, int kind, const char *fmt, ...)
{
	char msg[1400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	printf("vector %s: %s (%s)\n", name,
	       kind == DEFENDED ? "defended" : kind == BYPASSED ? "BYPASSED" : "ERROR", msg);
	fflush(stdout);
	if (kind != DEFENDED)
		g_bad++;
}

/* EACCES/EPERM: the policy said no */
static inline int is_denial(int e) { return e == EACCES || e == EPERM; }

/* A setup step failed with errno e: a denial defends the vector, anything else is an ERROR. */
static inline void setup_failed(const char *name, const char *what, int e)
{
	report(name, is_denial(e) ? DEFENDED : ERRORED, "setup: %s: %s", what, strerror(e));
}

/* Start of main(): stdout unbuffered, so lines survive a kill. */
static inline void adv_init(void) { setvbuf(stdout, NULL, _IONBF, 0); }

/* End of main(): the exit status. */
static inline int adv_exit_status(void) { return g_bad > 255 ? 255 : g_bad; }

/* ------------------------------------------------------------------ environment */
/* "vector environment: ERROR (<fmt>)", then exit 1 */
__attribute__((format(printf, 1, 2), noreturn))
static inline void env_error(const char *fmt, ...)
{
	char msg[16384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	printf("vector environment: ERROR (%s)\n", msg);
	exit(1);
}

/* The value of a required variable (FNG_SECRET, FNG_TMPDIR, ...); exit 1 if unset or empty. */
static inline const char *need_env(const char *n)
{
	const char *v = getenv(n);
	if (!v || !*v)
		env_error("%s is not set", n);
	return v;
}

/*
 * Copies dir into dir_n (cap bytes) without trailing slashes, and returns
 * path relative to it (leading slashes skipped), or NULL if path is not an
 * absolute path inside dir_n.
 */
static inline const char *path_in_dir(const char *path, const char *dir, char *dir_n, size_t cap)
{
	snprintf(dir_n, cap, "%s", dir);
	for (size_t l = strlen(dir_n); l > 1 && dir_n[l - 1] == '/'; l--)
		dir_n[l - 1] = 0;
	size_t dl = strlen(dir_n);
	if (path[0] != '/' || strncmp(path, dir_n, dl) != 0 || path[dl] != '/')
		return NULL;
	path += dl;
	while (*path == '/')
		path++;
	return path;
}

/* ------------------------------------------------------------------ reading */
/* read until EOF (retrying EINTR) into buf, NUL-terminated; -1 on error */
static inline ssize_t read_all(int fd, char *buf, size_t cap)
{
	size_t got = 0;
	while (got + 1 < cap) {
		ssize_t n = read(fd, buf + got, cap - 1 - got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = 0;
	return (ssize_t)got;
}

/* n bytes of in, printable: "\n" for newlines, "\xNN" for other control/non-ASCII bytes */
static inline void escape(const char *in, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 5 < cap; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c == '\n') { out[o++] = '\\'; out[o++] = 'n'; }
		else if (c < 32 || c > 126) o += (size_t)snprintf(out + o, cap - o, "\\x%02x", c);
		else out[o++] = (char)c;
	}
	out[o] = 0;
}

/* Are the n bytes at buf exactly the secret content (false for n < 0)? Makes no syscall. */
static inline int is_secret(const char *buf, long n)
{
	return n == (long)strlen(SECRET_CONTENT) && memcmp(buf, SECRET_CONTENT, (size_t)n) == 0;
}

/* Read fd and classify: BYPASSED if it is the secret, else DEFENDED. */
static inline int check_secret_fd(int fd, char *desc, size_t dsz)
{
	char buf[256], esc[600];
	ssize_t n = read_all(fd, buf, sizeof buf);
	if (n < 0) {
		snprintf(desc, dsz, "open succeeded but read failed: %s", strerror(errno));
		return DEFENDED;
	}
	if (is_secret(buf, n)) {
		snprintf(desc, dsz, "read the secret content");
		return BYPASSED;
	}
	escape(buf, (size_t)n, esc, sizeof esc);
	snprintf(desc, dsz, "opened, but content is not the secret: \"%s\"", esc);
	return DEFENDED;
}

/* ------------------------------------------------------------------ child vectors */
/*
 * A pipe (pipe2 with flags, plain pipe() for 0) and a fork() for vector
 * name.  Returns fork()'s result; on failure it has already reported it
 * ("<pipe_what>: <errno>" as an ERROR, or setup_failed() for the fork),
 * closed what it opened, and returns -1.
 */
static inline pid_t fork_with_pipe(const char *name, int p[2], int flags, const char *pipe_what)
{
	if (flags ? pipe2(p, flags) : pipe(p)) {
		report(name, ERRORED, "%s: %s", pipe_what, strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		setup_failed(name, "fork", errno);
		close(p[0]);
		close(p[1]);
	}
	return pid;
}

/*
 * Runs fn in a forked child; the child sends "<kind> <msg>" through a pipe
 * and the parent reports it.  A child killed by a signal counts as defended.
 * With timeout_s > 0 the child gets alarm(timeout_s), and dying of SIGALRM
 * is an ERROR (it got stuck).  After fn, the child only uses the write and
 * exit_group syscalls (fn may have installed a seccomp filter).
 */
typedef int (*child_fn)(char *msg, size_t msz);
static inline void run_in_child(const char *name, child_fn fn, unsigned timeout_s)
{
	int p[2];
	pid_t pid = fork_with_pipe(name, p, 0, "pipe");
	if (pid < 0)
		return;
	if (pid == 0) {
		char msg[1200], out[1300];
		close(p[0]);
		if (timeout_s)
			alarm(timeout_s);
		int k = fn(msg, sizeof msg);
		int len = snprintf(out, sizeof out, "%d %s", k, msg);
		if (syscall(SYS_write, p[1], out, (size_t)len) < 0)
			syscall(SYS_exit_group, 3);
		syscall(SYS_exit_group, 0);
	}
	close(p[1]);
	char buf[1400];
	ssize_t n = read_all(p[0], buf, sizeof buf);
	close(p[0]);
	int st = 0;
	waitpid(pid, &st, 0);
	if (n >= 2 && buf[0] >= '0' && buf[0] <= '2')
		report(name, buf[0] - '0', "%s", buf + 2);
	else if (timeout_s && WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
		report(name, ERRORED, "child timed out (stuck after installing its filter?)");
	else if (WIFSIGNALED(st))
		report(name, DEFENDED, "child killed by signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
	else
		report(name, ERRORED, "child exited with status %d without a result", WEXITSTATUS(st));
}

/* ------------------------------------------------------------------ network */
/*
 * For the network programs: a network namespace of the program's own, so no
 * packet can leave the machine, and receivers that count what arrives.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

/* Bring interface name up, with IPv4 address addr when addr is not NULL ("lo:1" makes an alias). */
static inline int adv_if_up(const char *name, const char *addr)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM, 0), r = -1;

	if (s < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (addr) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
		sin->sin_family = AF_INET;
		inet_pton(AF_INET, addr, &sin->sin_addr);
		if (ioctl(s, SIOCSIFADDR, &ifr) < 0)
			goto out;
	}
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		goto out;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	r = ioctl(s, SIOCSIFFLAGS, &ifr);
out:
	close(s);
	return r;
}

/* unshare(CLONE_NEWNET) (root needed), lo up, and the n IPv4 addresses on lo
 * (aliases lo:1..lo:n). Any failure is a `vector environment: ERROR`. */
static inline void adv_own_netns(const char *const *addrs, int n)
{
	char alias[IFNAMSIZ];

	/* Under fnguard the namespace is the harness's (`unshare -n fnguard
	 * ...`, FNG_NETNS_GIVEN=1), lo up and the addresses on it: fnguard
	 * refuses making one, and CAP_NET_ADMIN, while destinations are
	 * judged. Natively the program makes its own. */
	if (getenv("FNG_NETNS_GIVEN"))
		return;
	if (unshare(CLONE_NEWNET) < 0)
		env_error("unshare(CLONE_NEWNET): %s (run as root)", strerror(errno));
	if (adv_if_up("lo", NULL) < 0)
		env_error("cannot bring lo up in the new namespace: %s", strerror(errno));
	for (int i = 0; i < n; i++) {
		snprintf(alias, sizeof(alias), "lo:%d", i + 1);
		if (adv_if_up(alias, addrs[i]) < 0)
			env_error("cannot put %s on lo: %s", addrs[i], strerror(errno));
	}
}

/* A non-blocking IPv4 receiver bound to addr:port: a listener for
 * SOCK_STREAM, a datagram socket (with a large receive buffer) for
 * SOCK_DGRAM. -1 with errno on failure. */
static inline int adv_receiver(int type, const char *addr, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1, big = 8 << 20, s = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (s < 0)
		return -1;
	inet_pton(AF_INET, addr, &a.sin_addr);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (type == SOCK_DGRAM)
		setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || (type == SOCK_STREAM && listen(s, 4096) < 0)) {
		int e = errno;
		close(s);
		errno = e;
		return -1;
	}
	return s;
}

/* What reached receiver fd: waits up to wait_ms for a first arrival, then
 * counts (and consumes) every queued connection or datagram. */
static inline int adv_arrivals(int fd, int wait_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = 0, type = 0;
	socklen_t tl = sizeof(type);

	getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl);
	if (wait_ms > 0)
		poll(&p, 1, wait_ms);
	for (;;) {
		char buf[2048];
		int c = type == SOCK_STREAM ? accept(fd, NULL, NULL) : (int)recv(fd, buf, sizeof(buf), 0);
		if (c < 0)
			return n;
		if (type == SOCK_STREAM)
			close(c);
		n++;
	}
}

/* A TCP connect to a that waits up to wait_ms for the handshake: 0 when it
 * was made, else -1 with *err (ETIMEDOUT when nothing answered). *fd is the
 * socket (-1 if none could be made), for the caller to close. */
static inline int adv_connect_wait(const struct sockaddr_in *a, int wait_ms, int *fd, int *err)
{
	int r = -1, e = 0, s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	*fd = s;
	if (s < 0) {
		*err = errno;
		return -1;
	}
	r = connect(s, (const struct sockaddr *)a, sizeof(*a));
	e = errno;
	if (r < 0 && e == EINPROGRESS) {
		struct pollfd pf = { .fd = s, .events = POLLOUT };
		socklen_t el = sizeof(e);
		if (poll(&pf, 1, wait_ms) == 1 && getsockopt(s, SOL_SOCKET, SO_ERROR, &e, &el) == 0 && e == 0)
			r = 0;
		else if (!e)
			e = ETIMEDOUT;
	}
	*err = r == 0 ? 0 : e;
	return r;
}

/* End the function's initialisation under `fnguard run --no-proxy`: its
 * first connect to AWS_LAMBDA_RUNTIME_API (host:port; 127.0.0.1 is used),
 * where nobody needs to listen. Unset or empty: nothing to end. */
static inline void adv_end_init(void)
{
	const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
	const char *colon = api ? strrchr(api, ':') : NULL;
	struct sockaddr_in a = { .sin_family = AF_INET };
	int s;

	if (!api || !*api)
		return;
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (!colon || s < 0)
		env_error("AWS_LAMBDA_RUNTIME_API is not host:port");
	a.sin_port = htons((uint16_t)atoi(colon + 1));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	(void)connect(s, (struct sockaddr *)&a, sizeof a);
	close(s);
}

#endif /* FNG_ADV_H */
