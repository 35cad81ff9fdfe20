/* x86_64's register operations (arch.h): arguments, skipping a call, setting its return value. */
#include "tracer/arch.h"
#include "common/util.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>

#define SYSCALL_INSN_LEN 2 /* 0f 05 */

static int getregs(pid_t tid, struct user_regs_struct *r)
{
	return ptrace(PTRACE_GETREGS, tid, NULL, r) < 0 ? -errno : 0;
}

static int setregs(pid_t tid, const struct user_regs_struct *r)
{
	return ptrace(PTRACE_SETREGS, tid, NULL, r) < 0 ? -errno : 0;
}

int fng_arch_skip_syscall(pid_t tid, long retval)
{
	struct user_regs_struct r;
	int e = getregs(tid, &r);

	if (e < 0)
		return e;
	r.orig_rax = (unsigned long long)-1;
	r.rax = (unsigned long long)retval;
	return setregs(tid, &r);
}

int fng_arch_set_arg(pid_t tid, unsigned i, uint64_t value)
{
	struct user_regs_struct r;
	int e = getregs(tid, &r);
	unsigned long long *arg[6] = { &r.rdi, &r.rsi, &r.rdx, &r.r10, &r.r8, &r.r9 };

	if (e < 0)
		return e;
	if (i >= 6)
		return -EINVAL;
	*arg[i] = value;
	return setregs(tid, &r);
}

int fng_arch_set_return(pid_t tid, long retval)
{
	struct user_regs_struct r;
	int e = getregs(tid, &r);

	if (e < 0)
		return e;
	r.rax = (unsigned long long)retval;
	return setregs(tid, &r);
}

int fng_arch_inject_close(pid_t tid, int fd, void **saved)
{
	autofree struct user_regs_struct *keep = malloc(sizeof(*keep));
	struct user_regs_struct r;
	int e;

	if (!keep)
		return -ENOMEM;
	e = getregs(tid, keep);
	if (e < 0)
		return e;
	r = *keep;
	r.rax = SYS_close;
	r.orig_rax = SYS_close;
	r.rdi = (unsigned long long)fd;
	r.rip -= SYSCALL_INSN_LEN;
	e = setregs(tid, &r);
	if (e < 0)
		return e;
	*saved = fng_steal_ptr(&keep);
	return 0;
}

int fng_arch_restore(pid_t tid, void *saved, long retval)
{
	struct user_regs_struct r;

	memcpy(&r, saved, sizeof(r));
	r.rax = (unsigned long long)retval;
	return setregs(tid, &r);
}

int fng_arch_clone_flags(pid_t tid, unsigned long *flags)
{
	struct user_regs_struct r;
	int e = getregs(tid, &r);

	if (e < 0)
		return e;
	/* The registers saved at the call's entry: what the kernel read. No
	 * other task can change them, and clone3 (flags in memory) is refused
	 * in the filter. */
	switch (r.orig_rax) {
	case SYS_clone:
		*flags = r.rdi;
		return 0;
	case SYS_fork:
		*flags = 0;
		return 0;
	case SYS_vfork:
		*flags = CLONE_VM | CLONE_VFORK;
		return 0;
	}
	return -ENOENT;
}

long fng_arch_raw_syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

int fng_arch_unwind_regs(pid_t tid, uint64_t *regs, size_t n)
{
	struct user_regs_struct r;
	int e = getregs(tid, &r);

	if (e < 0)
		return e;
	/* DWARF numbering on x86-64: rax rdx rcx rbx rsi rdi rbp rsp r8-r15, then the return address. */
	const uint64_t v[] = { r.rax, r.rdx, r.rcx, r.rbx, r.rsi, r.rdi, r.rbp, r.rsp, r.r8,
			       r.r9,  r.r10, r.r11, r.r12, r.r13, r.r14, r.r15, r.rip };
	if (n > sizeof(v) / sizeof(v[0]))
		n = sizeof(v) / sizeof(v[0]);
	memcpy(regs, v, n * sizeof(*regs));
	return (int)n;
}
