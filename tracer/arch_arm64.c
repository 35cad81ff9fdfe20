/* aarch64's register operations (arch.h). There is no orig_rax: the call's
 * number lives in its own register set (NT_ARM_SYSTEM_CALL), and a call is
 * skipped by setting that number to -1 at the seccomp stop, with x0 holding
 * the result the caller sees (the kernel then goes straight to the exit
 * path: arch/arm64/kernel/syscall.c, el0_svc_common). Arguments are x0-x5,
 * the number x8, and x0 is also the return value: the kernel keeps the first
 * argument apart (orig_x0) for restarts. */
#include "tracer/arch.h"
#include "common/util.h"

#include <asm/ptrace.h>
#include <elf.h>
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#define SVC_INSN_LEN 4 /* svc #0 */
#define NO_SYSCALL (-1)

/* One register set of the tracee: read (the whole set, or -EIO) or written. */
static int regset(pid_t tid, enum __ptrace_request req, int type, void *p, size_t len)
{
	struct iovec io = { .iov_base = p, .iov_len = len };

	if (ptrace(req, tid, (void *)(long)type, &io) < 0)
		return -errno;
	return io.iov_len == len ? 0 : -EIO;
}

static int getregs(pid_t tid, struct user_pt_regs *r)
{
	return regset(tid, PTRACE_GETREGSET, NT_PRSTATUS, r, sizeof(*r));
}

static int setregs(pid_t tid, const struct user_pt_regs *r)
{
	return regset(tid, PTRACE_SETREGSET, NT_PRSTATUS, (void *)r, sizeof(*r));
}

static int get_nr(pid_t tid, int *nr)
{
	return regset(tid, PTRACE_GETREGSET, NT_ARM_SYSTEM_CALL, nr, sizeof(*nr));
}

static int set_nr(pid_t tid, int nr)
{
	return regset(tid, PTRACE_SETREGSET, NT_ARM_SYSTEM_CALL, &nr, sizeof(nr));
}

int fng_arch_skip_syscall(pid_t tid, long retval)
{
	int e = fng_arch_set_return(tid, retval);

	return e < 0 ? e : set_nr(tid, NO_SYSCALL);
}

int fng_arch_set_arg(pid_t tid, unsigned i, uint64_t value)
{
	struct user_pt_regs r;
	int e;

	if (i >= 6)
		return -EINVAL;
	e = getregs(tid, &r);
	if (e < 0)
		return e;
	r.regs[i] = value;
	return setregs(tid, &r);
}

int fng_arch_set_return(pid_t tid, long retval)
{
	struct user_pt_regs r;
	int e = getregs(tid, &r);

	if (e < 0)
		return e;
	r.regs[0] = (unsigned long long)retval;
	return setregs(tid, &r);
}

int fng_arch_inject_close(pid_t tid, int fd, void **saved)
{
	autofree struct user_pt_regs *keep = malloc(sizeof(*keep));
	struct user_pt_regs r;
	int e;

	if (!keep)
		return -ENOMEM;
	e = getregs(tid, keep);
	if (e < 0)
		return e;
	/* At the exit stop: back over the svc, which runs again with x8 = close. */
	r = *keep;
	r.regs[8] = SYS_close;
	r.regs[0] = (unsigned long long)fd;
	r.pc -= SVC_INSN_LEN;
	e = setregs(tid, &r);
	if (e < 0)
		return e;
	*saved = fng_steal_ptr(&keep);
	return 0;
}

int fng_arch_restore(pid_t tid, void *saved, long retval)
{
	struct user_pt_regs r;

	memcpy(&r, saved, sizeof(r));
	r.regs[0] = (unsigned long long)retval;
	return setregs(tid, &r);
}

int fng_arch_clone_flags(pid_t tid, unsigned long *flags)
{
	struct user_pt_regs r;
	int nr, e = get_nr(tid, &nr);

	if (e < 0)
		return e;
	/* aarch64 has clone only (no fork, no vfork); clone3 is refused in the
	 * filter. During the call x0 still holds its first argument: the
	 * result is written only on the way out. */
	if (nr != SYS_clone)
		return -ENOENT;
	e = getregs(tid, &r);
	if (e < 0)
		return e;
	*flags = r.regs[0];
	return 0;
}

long fng_arch_raw_syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a1;
	register long x1 __asm__("x1") = a2;
	register long x2 __asm__("x2") = a3;
	register long x3 __asm__("x3") = a4;
	register long x4 __asm__("x4") = a5;
	register long x5 __asm__("x5") = a6;

	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory");
	return x0;
}

int fng_arch_unwind_regs(pid_t tid, uint64_t *regs, size_t n)
{
	struct user_pt_regs r;
	uint64_t v[33];
	int e = getregs(tid, &r);

	if (e < 0)
		return e;
	/* DWARF numbering on AArch64 (libunwind's UNW_AARCH64_*): x0-x30, sp, pc. */
	memcpy(v, r.regs, sizeof(r.regs));
	v[31] = r.sp;
	v[32] = r.pc;
	if (n > sizeof(v) / sizeof(v[0]))
		n = sizeof(v) / sizeof(v[0]);
	memcpy(regs, v, n * sizeof(*regs));
	return (int)n;
}
