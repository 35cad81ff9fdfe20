/* The few register operations that differ per architecture. */
#ifndef FNG_ARCH_H
#define FNG_ARCH_H

#include <linux/audit.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The one ABI the filter lets through; any other (i386, x32, AArch32) is a
 * foreign ABI, and the process making the call is ended. */
#if defined(__x86_64__)
#define FNG_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define FNG_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "fnguard supports x86_64 and aarch64"
#endif

#define FNG_ARCH_UNWIND_REGS 34	/* room for the DWARF register numbers the unwinder uses (aarch64: pc is 32) */

/* At a seccomp stop: do not run the call; it returns retval (e.g. -EACCES). */
int fng_arch_skip_syscall(pid_t tid, long retval);
/* At a seccomp stop: change argument i (0-5) of the call about to run. */
int fng_arch_set_arg(pid_t tid, unsigned i, uint64_t value);
/* At a syscall-exit stop: change the call's return value. */
int fng_arch_set_return(pid_t tid, long retval);
/* At a syscall-exit stop: make the tracee run close(fd) next (the caller
 * resumes it with PTRACE_SYSCALL); *saved keeps the registers to restore. */
int fng_arch_inject_close(pid_t tid, int fd, void **saved);
/* After the injected call's exit stop: restore, with retval as the result. */
int fng_arch_restore(pid_t tid, void *saved, long retval);

/* At a PTRACE_EVENT_FORK/VFORK/CLONE stop: the flags of the call that made
 * the new task (fork's and vfork's are implied by the call). -ENOENT if the
 * call is not one whose flags its registers hold: ask /proc instead. */
int fng_arch_clone_flags(pid_t tid, unsigned long *flags);

/* A system call made directly, for code that must not touch libc's state
 * (errno is the calling thread's): the CLONE_VM child of supervisor/spawn.c.
 * Returns the kernel's result, -errno on failure. */
long fng_arch_raw_syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6);

/* At any ptrace stop: the registers an unwinder starts from, indexed by
 * DWARF register number (libunwind's UNW_<ARCH>_* numbering). Returns how
 * many are filled (at most n), or -errno. */
int fng_arch_unwind_regs(pid_t tid, uint64_t *regs, size_t n);

#endif
