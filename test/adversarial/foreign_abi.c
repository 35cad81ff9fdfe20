/*
 * foreign_abi.c - adversarial test for fnguard (class: syscalls through a foreign ABI)
 *
 * A seccomp filter that only checks x86_64 syscall numbers can be bypassed by
 * entering the kernel through the i386 ABI (`int $0x80`, different numbers:
 * open = 5, openat = 295) or the x32 ABI (x86_64 numbers | 0x40000000).
 * fnguard kills the process for any foreign-ABI syscall.  Every vector runs in
 * a forked child; the parent reports:
 *   defended (child killed by signal N)   - the expected defence
 *   defended (<errno>)                    - the call failed (e.g. ENOSYS: ABI not in kernel)
 *   BYPASSED                              - the child read the secret
 * Vectors: i386_int80_open, i386_int80_openat, x32_openat, x32_open, and two
 * "ABI confusion" vectors for ptrace supervisors:
 *   nr_high_bits_openat / nr_high_bits_open - the x86_64 `syscall` with
 *   rax = (1<<32)|nr.  The kernel (and seccomp) only use the low 32 bits (the
 *   syscall number is an int), so this IS openat/open, but orig_rax as seen
 *   with PTRACE_GETREGS is 0x100000101: a supervisor comparing the full 64-bit
 *   value does not recognise the call.  (PTRACE_GET_SYSCALL_INFO reports 257.)
 * All i386 pointers point into a MAP_32BIT mapping (below 4 GiB).
 * Note: on kernels with IA-32 emulation disabled at runtime (ia32_emulation=0,
 * or some paravirtualised hosts) `int $0x80` raises #GP: SIGSEGV natively.
 *
 * Env: FNG_SECRET.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#if !defined(__x86_64__)
/* The vectors are x86_64's (i386 and x32 entries). On aarch64 the foreign
 * ABI is AArch32, reached only by exec'ing a 32-bit ARM program: that is
 * test/aarch32/open_secret.c, run by t_aarch32_task_killed
 * (test/integration/aarch32.sh); this program is not applicable there. */
int main(void)
{
	puts("foreign_abi: not applicable: x86_64 ABIs only");
	return 0;
}
#else
#define X32_BIT 0x40000000L
#define I386_READ 3
#define I386_OPEN 5
#define I386_CLOSE 6
#define I386_OPENAT 295

#include "adv.h"

/* ------------------------------------------------------------------ raw ABI entries */
static inline long int80(long nr, long a, long b, long c, long d)
{
	long ret;
	/* the compat entry only uses the low 32 bits; r8-r11 declared clobbered for old kernels */
	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d)
			 : "memory", "r8", "r9", "r10", "r11");
	return ret;
}

static inline long sys64(long nr, long a, long b, long c)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
	return ret;
}

/* ------------------------------------------------------------------ program */
static const char *secret;
static char *low;	/* MAP_32BIT scratch: [0..2047] path, [2048..] read buffer */

/* child result codes (exit status); errno travels through the pipe */
enum { R_SECRET = 0, R_OPEN_FAIL = 10, R_READ_FAIL = 11, R_WRONG = 12 };

static int child_body(int kind, int wfd)
{
	long fd, n;
	char *path = low, *buf = low + 2048;
	switch (kind) {
	case 0: fd = int80(I386_OPEN, (long)(unsigned long)path, O_RDONLY, 0, 0); break;
	case 1: fd = int80(I386_OPENAT, -100 /* AT_FDCWD */, (long)(unsigned long)path, O_RDONLY, 0); break;
	case 2: fd = sys64(X32_BIT | __NR_openat, AT_FDCWD, (long)path, O_RDONLY); break;
	case 3: fd = sys64(X32_BIT | __NR_open, (long)path, O_RDONLY, 0); break;
	case 4: fd = sys64((1L << 32) | __NR_openat, AT_FDCWD, (long)path, O_RDONLY); break;
	default: fd = sys64((1L << 32) | __NR_open, (long)path, O_RDONLY, 0); break;
	}
	int err;
	if (fd < 0 && fd > -4096) {
		err = (int)-fd;
		if (write(wfd, &err, sizeof err) < 0)
			return 3;
		return R_OPEN_FAIL;
	}
	if (kind <= 1)
		n = int80(I386_READ, fd, (long)(unsigned long)buf, 64, 0);
	else if (kind <= 3)
		n = sys64(X32_BIT | __NR_read, fd, (long)buf, 64);
	else
		n = sys64(__NR_read, fd, (long)buf, 64);
	if (n < 0 && n > -4096) {
		err = (int)-n;
		if (write(wfd, &err, sizeof err) < 0)
			return 3;
		return R_READ_FAIL;
	}
	if (is_secret(buf, n))
		return R_SECRET;
	return R_WRONG;
}

static void run_vector(const char *name, int kind, const char *how)
{
	int p[2];
	if (pipe(p)) {
		report(name, ERRORED, "setup: pipe: %s", strerror(errno));
		return;
	}
	pid_t pid = fork();
	if (pid < 0) {
		report(name, ERRORED, "setup: fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return;
	}
	if (pid == 0) {
		close(p[0]);
		_exit(child_body(kind, p[1]));
	}
	close(p[1]);
	int err = 0;
	ssize_t n = read(p[0], &err, sizeof err);
	close(p[0]);
	int st = 0;
	waitpid(pid, &st, 0);
	if (WIFSIGNALED(st))
		report(name, DEFENDED, "%s: child killed by signal %d (%s)%s", how, WTERMSIG(st), strsignal(WTERMSIG(st)),
		       (WTERMSIG(st) == SIGSEGV && kind <= 1) ? " - likely #GP: IA-32 emulation disabled in this kernel" : "");
	else if (!WIFEXITED(st))
		report(name, ERRORED, "%s: odd child status %#x", how, st);
	else if (WEXITSTATUS(st) == R_SECRET)
		report(name, BYPASSED, "%s: child read the secret content", how);
	else if (WEXITSTATUS(st) == R_OPEN_FAIL && n == (ssize_t)sizeof err)
		report(name, DEFENDED, "%s: open failed: %s%s", how, strerror(err),
		       (err == ENOSYS && kind >= 2) ? " (kernel without CONFIG_X86_X32_ABI, or filtered)" : "");
	else if (WEXITSTATUS(st) == R_READ_FAIL && n == (ssize_t)sizeof err)
		report(name, DEFENDED, "%s: open succeeded but read failed: %s", how, strerror(err));
	else if (WEXITSTATUS(st) == R_WRONG)
		report(name, DEFENDED, "%s: opened, but content is not the secret", how);
	else
		report(name, ERRORED, "%s: child exited %d", how, WEXITSTATUS(st));
}

int main(void)
{
	adv_init();
	secret = need_env("FNG_SECRET");
	if (strlen(secret) >= 2048)
		env_error("FNG_SECRET too long");
	low = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (low == MAP_FAILED || (unsigned long)low >= 0x100000000UL)
		env_error("mmap MAP_32BIT failed: %s", strerror(errno));
	strcpy(low, secret);

	run_vector("i386_int80_open", 0, "int $0x80 open(5)");
	run_vector("i386_int80_openat", 1, "int $0x80 openat(295)");
	run_vector("x32_openat", 2, "syscall 0x40000000|257 (x32 openat)");
	run_vector("x32_open", 3, "syscall 0x40000000|2 (x32 open)");
	run_vector("nr_high_bits_openat", 4, "syscall with rax=0x100000101 (openat, high bits set)");
	run_vector("nr_high_bits_open", 5, "syscall with rax=0x100000002 (open, high bits set)");
	return adv_exit_status();
}
#endif
