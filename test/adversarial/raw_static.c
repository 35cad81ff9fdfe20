/*
 * raw_static.c - adversarial test for fnguard (class: no libc wrappers / static binary)
 *
 * Built with -static (and also works dynamically).  Nothing goes through libc
 * open()/execve() wrappers, so an LD_PRELOAD- or libc-level defence is useless;
 * only a kernel-level (ptrace/seccomp) supervisor can stop these.
 * Vectors:
 *   syscall_openat      - syscall(SYS_openat) + syscall(SYS_read) of FNG_SECRET
 *   asm_openat          - inline asm `syscall` openat/read/close
 *   asm_open_legacy     - inline asm `syscall` open(2) (nr 2)
 *   jit_stub_openat     - the `syscall` (aarch64: `svc #0`) instruction executed
 *                         from an anonymous mmap()ed page (unusual instruction
 *                         pointer), machine code for the architecture built for
 *   raw_execve_true     - fork; child does a raw execve("/bin/true") (create_child_process)
 *   raw_execveat_true   - fork; child does a raw execveat(AT_FDCWD, "/bin/true")
 * BYPASSED: the secret was read / /bin/true ran (child exit status 0; the
 * child exits 126 after a denied exec, 127 for other exec errors).
 *
 * Env: FNG_SECRET.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "adv.h"

/* ------------------------------------------------------------------ raw syscalls */
#if defined(__aarch64__)
static inline long asm_sys5(long n, long a1, long a2, long a3, long a4, long a5)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a1;
	register long x1 __asm__("x1") = a2;
	register long x2 __asm__("x2") = a3;
	register long x3 __asm__("x3") = a4;
	register long x4 __asm__("x4") = a5;
	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4) : "memory");
	return x0;
}

static inline long asm_sys3(long n, long a1, long a2, long a3)
{
	return asm_sys5(n, a1, a2, a3, 0, 0);
}
#else
static inline long asm_sys3(long n, long a1, long a2, long a3)
{
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a1), "S"(a2), "d"(a3)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long asm_sys5(long n, long a1, long a2, long a3, long a4, long a5)
{
	long ret;
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}
#endif

/* ------------------------------------------------------------------ program */
static const char *secret;

/* judge an fd (or -errno) obtained by some raw method, reading it with asm read */
static void judge_fd(const char *name, const char *how, long fd)
{
	if (fd < 0) {
		report(name, DEFENDED, "%s: %s", how, strerror((int)-fd));
		return;
	}
	char buf[64];
	long n = asm_sys3(__NR_read, fd, (long)buf, sizeof buf);
	asm_sys3(__NR_close, fd, 0, 0);
	if (n < 0)
		report(name, DEFENDED, "%s succeeded but read failed: %s", how, strerror((int)-n));
	else if (is_secret(buf, n))
		report(name, BYPASSED, "%s: read the secret content", how);
	else
		report(name, DEFENDED, "%s: opened, but content is not the secret", how);
}

static void vec_syscall_openat(void)
{
	long fd = syscall(SYS_openat, AT_FDCWD, secret, O_RDONLY, 0);
	if (fd < 0)
		fd = -errno;
	judge_fd("syscall_openat", "syscall(SYS_openat)", fd);
}

static void vec_asm_openat(void)
{
	judge_fd("asm_openat", "asm syscall openat", asm_sys3(__NR_openat, AT_FDCWD, (long)secret, O_RDONLY));
}

static void vec_asm_open(void)
{
	judge_fd("asm_open_legacy", "asm syscall open", asm_sys3(__NR_open, (long)secret, O_RDONLY, 0));
}

#if defined(__aarch64__)
/* movz x8, #__NR_openat ; svc #0 ; ret  (arguments already in x0-x2) */
static const uint32_t jit_code[] = { 0xd2800008u | ((uint32_t)__NR_openat << 5), 0xd4000001u, 0xd65f03c0u };
#else
/* mov eax, __NR_openat ; syscall ; ret */
static const unsigned char jit_code[] = { 0xb8, __NR_openat & 0xff, (__NR_openat >> 8) & 0xff, 0, 0, 0x0f, 0x05, 0xc3 };
#endif

static void vec_jit_stub(void)
{
	void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED) {
		report("jit_stub_openat", ERRORED, "setup: mmap: %s", strerror(errno));
		return;
	}
	memcpy(page, jit_code, sizeof jit_code);
	/* aarch64's instruction cache is not coherent with data writes. */
	__builtin___clear_cache((char *)page, (char *)page + sizeof jit_code);
	if (mprotect(page, 4096, PROT_READ | PROT_EXEC)) {
		setup_failed("jit_stub_openat", "mprotect(PROT_EXEC)", errno);
		munmap(page, 4096);
		return;
	}
	long (*stub)(long, long, long) = (long (*)(long, long, long))page;
	long fd = stub(AT_FDCWD, (long)secret, O_RDONLY);
	judge_fd("jit_stub_openat", "openat via syscall instruction in an mmap()ed page", fd);
	munmap(page, 4096);
}

/* fork; the child execs /bin/true with a raw syscall; 0 = ran */
static void vec_exec(const char *name, int use_execveat)
{
	static char *const argv[] = { "true", NULL };
	static char *const envp[] = { "PATH=/usr/bin:/bin", NULL };
	int p[2];
	pid_t pid = fork_with_pipe(name, p, O_CLOEXEC, "setup: pipe");
	if (pid < 0)
		return;
	if (pid == 0) {
		long r;
		if (use_execveat)
			r = asm_sys5(__NR_execveat, AT_FDCWD, (long)"/bin/true", (long)argv, (long)envp, 0);
		else
			r = asm_sys3(__NR_execve, (long)"/bin/true", (long)argv, (long)envp);
		int e = (int)-r;
		asm_sys3(__NR_write, p[1], (long)&e, sizeof e);
		asm_sys3(__NR_exit_group, (e == EACCES || e == EPERM) ? 126 : 127, 0, 0);
		for (;;)
			;
	}
	close(p[1]);
	int e = 0;
	ssize_t n = read(p[0], &e, sizeof e);
	close(p[0]);
	int st = 0;
	waitpid(pid, &st, 0);
	const char *how = use_execveat ? "raw execveat(AT_FDCWD, /bin/true)" : "raw execve(/bin/true)";
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && n <= 0)
		report(name, BYPASSED, "%s: /bin/true ran and exited 0", how);
	else if (n == (ssize_t)sizeof e)
		report(name, DEFENDED, "%s failed: %s (child exit %d)", how, strerror(e),
		       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	else if (WIFSIGNALED(st))
		report(name, DEFENDED, "%s: child killed by signal %d (%s)", how, WTERMSIG(st), strsignal(WTERMSIG(st)));
	else
		report(name, DEFENDED, "%s: exec'd program exited with status %d (not /bin/true's 0)", how,
		       WEXITSTATUS(st));
}

int main(void)
{
	adv_init();
	secret = need_env("FNG_SECRET");
	vec_syscall_openat();
	vec_asm_openat();
	vec_asm_open();
	vec_jit_stub();
	vec_exec("raw_execve_true", 0);
	vec_exec("raw_execveat_true", 1);
	return adv_exit_status();
}
