/*
 * attack_supervisor.c - adversarial test for fnguard (class: attacking the supervisor process)
 *
 * Target T = FNG_TARGET_PID, or getppid() when unset (under fnguard the test
 * is the traced root process, so its parent is the supervisor).  For safety,
 * when FNG_TARGET_PID is unset the program refuses to run unless it is being
 * ptraced (so it never attacks e.g. an interactive shell), and it never
 * targets pid 1, itself, or process groups.
 * Vectors (non-destructive first, SIGKILL last):
 *   ptrace_attach, ptrace_seize      - BYPASSED if ptrace() returned 0 (detached again)
 *   process_vm_readv                 - BYPASSED if >0 bytes were read from T
 *   process_vm_writev_probe          - writes 1 byte to an unmapped address of T:
 *                                      EFAULT/success means the permission check
 *                                      passed (BYPASSED); nothing is written
 *   proc_mem_open_rdwr               - BYPASSED if open("/proc/T/mem", O_RDWR) succeeds
 *   proc_environ_read                - BYPASSED if /proc/T/environ could be read
 *   pidfd_getfd                      - BYPASSED if a file descriptor of T was stolen
 *   kill_sigstop, tkill_sigstop      - BYPASSED if the call returned 0 (SIGCONT follows)
 *   pidfd_send_signal_sigstop        - pidfd_open(T) + pidfd_send_signal(SIGSTOP)
 *   proc_dirfd_signal0               - open("/proc/T") + pidfd_send_signal(fd, 0)
 *   rt_sigqueueinfo_sigusr2, rt_tgsigqueueinfo_sigusr2, tgkill_sigterm, kill_sigkill
 *       signal vectors: BYPASSED only if the call returned 0.
 *
 * Env: FNG_TARGET_PID (optional).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif
#ifndef __NR_pidfd_send_signal
#define __NR_pidfd_send_signal 424
#endif
#ifndef __NR_pidfd_getfd
#define __NR_pidfd_getfd 438
#endif

#include "adv.h"

/* ------------------------------------------------------------------ program */
static pid_t T;
static char procdir[64];

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* state letter of T from an already-open /proc/T/stat fd (pread), '?' if unknown */
static char state_of_fd(int fd)
{
	char buf[512];
	if (fd < 0)
		return '?';
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	if (n <= 0)
		return '?';
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	return (p && p[1] == ' ') ? p[2] : '?';
}

static char state_now(void)
{
	char path[96];
	snprintf(path, sizeof path, "%s/stat", procdir);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char s = state_of_fd(fd);
	if (fd >= 0)
		close(fd);
	return s;
}

/* wait (max ~2 s) for a ptrace stop of T; returns 0 if it stopped */
static int wait_stop(void)
{
	for (int i = 0; i < 200; i++) {
		int st;
		pid_t r = waitpid(T, &st, WNOHANG | __WALL);
		if (r == T && WIFSTOPPED(st))
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
		msleep(10);
	}
	return -1;
}

static void vec_ptrace_attach(void)
{
	long rc = ptrace(PTRACE_ATTACH, T, 0, 0);
	int e = errno;
	if (rc != 0) {
		report("ptrace_attach", DEFENDED, "ptrace(PTRACE_ATTACH): %s", strerror(e));
		return;
	}
	int stopped = wait_stop() == 0;
	long d = ptrace(PTRACE_DETACH, T, 0, 0);
	report("ptrace_attach", BYPASSED, "ptrace(PTRACE_ATTACH) returned 0 (target %s, detach %s)",
	       stopped ? "stopped" : "did not report a stop", d == 0 ? "ok" : strerror(errno));
}

static void vec_ptrace_seize(void)
{
	long rc = ptrace(PTRACE_SEIZE, T, 0, 0);
	int e = errno;
	if (rc != 0) {
		report("ptrace_seize", DEFENDED, "ptrace(PTRACE_SEIZE): %s", strerror(e));
		return;
	}
	ptrace(PTRACE_INTERRUPT, T, 0, 0);
	int stopped = wait_stop() == 0;
	long d = ptrace(PTRACE_DETACH, T, 0, 0);
	report("ptrace_seize", BYPASSED, "ptrace(PTRACE_SEIZE) returned 0 (interrupt-stop %s, detach %s)",
	       stopped ? "seen" : "not seen", d == 0 ? "ok" : strerror(errno));
}

/* first readable mapping of T from /proc/T/maps; 0 if unknown */
static uintptr_t first_readable_mapping(int *maps_err)
{
	char path[96], line[512];
	snprintf(path, sizeof path, "%s/maps", procdir);
	FILE *f = fopen(path, "re");
	*maps_err = 0;
	if (!f) {
		*maps_err = errno;
		return 0;
	}
	uintptr_t addr = 0;
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		char perm[8];
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perm) == 3 && perm[0] == 'r') {
			addr = lo;
			break;
		}
	}
	if (!addr && ferror(f))
		*maps_err = errno;
	fclose(f);
	return addr;
}

static void vec_process_vm_readv(void)
{
	int merr;
	uintptr_t addrs[4];
	int na = 0;
	uintptr_t a = first_readable_mapping(&merr);
	if (a)
		addrs[na++] = a;
	else {	/* maps unreadable: guess typical load addresses */
		addrs[na++] = 0x400000;
		addrs[na++] = 0x555555554000;
		addrs[na++] = 0x7ffff7fc1000;
	}
	char buf[64];
	int last = 0;
	for (int i = 0; i < na; i++) {
		struct iovec l = { buf, sizeof buf }, r = { (void *)addrs[i], sizeof buf };
		ssize_t n = process_vm_readv(T, &l, 1, &r, 1, 0);
		if (n > 0) {
			report("process_vm_readv", BYPASSED, "read %zd bytes from target address %#lx%s", n,
			       (unsigned long)addrs[i], a ? "" : " (guessed)");
			return;
		}
		last = errno;
		if (last != EFAULT)
			break;
	}
	if (last == EFAULT)
		report("process_vm_readv", ERRORED,
		       "process_vm_readv: EFAULT at %s address(es) - permission check passed but nothing read%s%s",
		       a ? "the first mapped" : "guessed", a ? "" : "; /proc/T/maps: ", a ? "" : strerror(merr));
	else
		report("process_vm_readv", DEFENDED, "process_vm_readv: %s", strerror(last));
}

static void vec_process_vm_writev_probe(void)
{
	/* 0x1000 is below vm.mmap_min_addr: never mapped, so nothing can be written.
	 * The kernel does the ptrace permission check (EPERM) before touching memory (EFAULT). */
	char b = 0;
	struct iovec l = { &b, 1 }, r = { (void *)0x1000, 1 };
	ssize_t n = process_vm_writev(T, &l, 1, &r, 1, 0);
	int e = errno;
	if (n >= 0)
		report("process_vm_writev_probe", BYPASSED, "process_vm_writev returned %zd", n);
	else if (e == EFAULT)
		report("process_vm_writev_probe", BYPASSED,
		       "process_vm_writev passed the permission check (EFAULT only because the probe address is unmapped)");
	else
		report("process_vm_writev_probe", DEFENDED, "process_vm_writev: %s", strerror(e));
}

static void vec_proc_mem(void)
{
	char path[96];
	snprintf(path, sizeof path, "%s/mem", procdir);
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		report("proc_mem_open_rdwr", DEFENDED, "open(%s, O_RDWR): %s", path, strerror(errno));
		return;
	}
	close(fd);
	report("proc_mem_open_rdwr", BYPASSED, "open(%s, O_RDWR) succeeded", path);
}

static void vec_proc_environ(void)
{
	char path[96], buf[256];
	snprintf(path, sizeof path, "%s/environ", procdir);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		report("proc_environ_read", DEFENDED, "open(%s): %s", path, strerror(errno));
		return;
	}
	ssize_t n = read(fd, buf, sizeof buf);
	int e = errno;
	close(fd);
	if (n > 0)
		report("proc_environ_read", BYPASSED, "read %zd bytes of the target's environment", n);
	else if (n == 0)
		report("proc_environ_read", DEFENDED, "open ok but environ is empty");
	else
		report("proc_environ_read", DEFENDED, "read(%s): %s", path, strerror(e));
}

static void vec_pidfd_getfd(void)
{
	long pfd = syscall(__NR_pidfd_open, T, 0);
	if (pfd < 0) {
		setup_failed("pidfd_getfd", "pidfd_open(T)", errno);
		return;
	}
	int last = 0, stolen = -1;
	for (int fd = 0; fd < 32; fd++) {
		long r = syscall(__NR_pidfd_getfd, pfd, fd, 0);
		if (r >= 0) {
			close((int)r);
			stolen = fd;
			break;
		}
		last = errno;
		if (last != EBADF)
			break;
	}
	close((int)pfd);
	if (stolen >= 0)
		report("pidfd_getfd", BYPASSED, "stole a duplicate of the target's fd %d", stolen);
	else if (last == EBADF)
		report("pidfd_getfd", ERRORED, "target has no fd in 0..31 (EBADF), cannot tell");
	else
		report("pidfd_getfd", DEFENDED, "pidfd_getfd: %s", strerror(last));
}

/* send SIGSTOP by some method; on success check the state and SIGCONT right away */
enum { M_KILL, M_TKILL, M_PIDFD };
static void vec_stop(const char *name, int method)
{
	char path[96];
	snprintf(path, sizeof path, "%s/stat", procdir);
	int sfd = open(path, O_RDONLY | O_CLOEXEC);	/* opened before: no open while T might be stopped */
	long pfd = -1, rc;
	const char *call;
	if (method == M_PIDFD) {
		pfd = syscall(__NR_pidfd_open, T, 0);
		if (pfd < 0) {
			setup_failed(name, "pidfd_open(T)", errno);
			if (sfd >= 0)
				close(sfd);
			return;
		}
	}
	if (method == M_KILL) {
		call = "kill(T, SIGSTOP)";
		rc = kill(T, SIGSTOP);
	} else if (method == M_TKILL) {
		call = "tkill(T, SIGSTOP)";
		rc = syscall(SYS_tkill, T, SIGSTOP);
	} else {
		call = "pidfd_send_signal(pidfd, SIGSTOP)";
		rc = syscall(__NR_pidfd_send_signal, pfd, SIGSTOP, NULL, 0);
	}
	int e = errno;
	if (rc == 0) {
		msleep(50);
		char st = state_of_fd(sfd);
		long c = method == M_PIDFD ? syscall(__NR_pidfd_send_signal, pfd, SIGCONT, NULL, 0) : kill(T, SIGCONT);
		report(name, BYPASSED, "%s returned 0; target state afterwards '%c'; SIGCONT %s", call, st,
		       c == 0 ? "sent" : strerror(errno));
	} else
		report(name, DEFENDED, "%s: %s", call, strerror(e));
	if (pfd >= 0)
		close((int)pfd);
	if (sfd >= 0)
		close(sfd);
}

static void vec_proc_dirfd_signal0(void)
{
	int fd = open(procdir, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		setup_failed("proc_dirfd_signal0", "open(/proc/T, O_DIRECTORY)", errno);
		return;
	}
	long rc = syscall(__NR_pidfd_send_signal, fd, 0, NULL, 0);
	int e = errno;
	close(fd);
	if (rc == 0)
		report("proc_dirfd_signal0", BYPASSED, "pidfd_send_signal(/proc/T dirfd, 0) returned 0: permission check passed");
	else
		report("proc_dirfd_signal0", DEFENDED, "pidfd_send_signal(/proc/T dirfd, 0): %s", strerror(e));
}

static void fill_info(siginfo_t *si, int sig)
{
	memset(si, 0, sizeof *si);
	si->si_signo = sig;
	si->si_code = SI_QUEUE;	/* must be negative when sending to another process */
	si->si_pid = getpid();
	si->si_uid = getuid();
}

static void vec_rt_sigqueueinfo(void)
{
	siginfo_t si;
	fill_info(&si, SIGUSR2);
	long rc = syscall(SYS_rt_sigqueueinfo, T, SIGUSR2, &si);
	if (rc == 0)
		report("rt_sigqueueinfo_sigusr2", BYPASSED, "rt_sigqueueinfo(T, SIGUSR2) returned 0");
	else
		report("rt_sigqueueinfo_sigusr2", DEFENDED, "rt_sigqueueinfo(T, SIGUSR2): %s", strerror(errno));
}

static void vec_rt_tgsigqueueinfo(void)
{
	siginfo_t si;
	fill_info(&si, SIGUSR2);
	long rc = syscall(SYS_rt_tgsigqueueinfo, T, T, SIGUSR2, &si);
	if (rc == 0)
		report("rt_tgsigqueueinfo_sigusr2", BYPASSED, "rt_tgsigqueueinfo(T, T, SIGUSR2) returned 0");
	else
		report("rt_tgsigqueueinfo_sigusr2", DEFENDED, "rt_tgsigqueueinfo(T, T, SIGUSR2): %s", strerror(errno));
}

static void vec_tgkill(void)
{
	long rc = syscall(SYS_tgkill, T, T, SIGTERM);
	if (rc == 0)
		report("tgkill_sigterm", BYPASSED, "tgkill(T, T, SIGTERM) returned 0");
	else
		report("tgkill_sigterm", DEFENDED, "tgkill(T, T, SIGTERM): %s", strerror(errno));
}

static void vec_kill_sigkill(void)
{
	long rc = kill(T, SIGKILL);
	int e = errno;
	if (rc == 0) {
		msleep(100);
		char st = state_now();
		report("kill_sigkill", BYPASSED, "kill(T, SIGKILL) returned 0; target state afterwards '%c'%s", st,
		       st == '?' ? " (gone)" : "");
	} else
		report("kill_sigkill", DEFENDED, "kill(T, SIGKILL): %s", strerror(e));
}

static pid_t tracer_pid(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	int tp = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "TracerPid: %d", &tp) == 1)
			break;
	fclose(f);
	return tp;
}

int main(void)
{
	adv_init();
	const char *tp = getenv("FNG_TARGET_PID");
	if (tp && *tp) {
		T = (pid_t)atoi(tp);
	} else {
		T = getppid();
		pid_t tr = tracer_pid();
		if (tr <= 0)
			env_error("FNG_TARGET_PID unset and this process is not traced: "
				  "refusing to attack the parent pid %d", (int)T);
		if (tr != T)
			fprintf(stderr, "attack_supervisor: note: tracer is %d but parent is %d; attacking the parent\n",
				(int)tr, (int)T);
	}
	if (T <= 1 || T == getpid())
		env_error("refusing target pid %d", (int)T);
	snprintf(procdir, sizeof procdir, "/proc/%d", (int)T);
	fprintf(stderr, "attack_supervisor: target pid %d\n", (int)T);

	vec_ptrace_attach();
	vec_ptrace_seize();
	vec_process_vm_readv();
	vec_process_vm_writev_probe();
	vec_proc_mem();
	vec_proc_environ();
	vec_pidfd_getfd();
	vec_stop("kill_sigstop", M_KILL);
	vec_stop("tkill_sigstop", M_TKILL);
	vec_stop("pidfd_send_signal_sigstop", M_PIDFD);
	vec_proc_dirfd_signal0();
	vec_rt_sigqueueinfo();
	vec_rt_tgsigqueueinfo();
	vec_tgkill();
	vec_kill_sigkill();	/* last: a success ends the supervisor */
	return adv_exit_status();
}
