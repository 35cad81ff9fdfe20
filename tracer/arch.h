/* The few register operations that differ per architecture. */
#ifndef FNG_ARCH_H
#define FNG_ARCH_H

#include <sys/types.h>

/* At a seccomp stop: do not run the call; it returns retval (e.g. -EACCES). */
int fng_arch_skip_syscall(pid_t tid, long retval);
/* At a syscall-exit stop: change the call's return value. */
int fng_arch_set_return(pid_t tid, long retval);
/* At a syscall-exit stop: make the tracee run close(fd) next (the caller
 * resumes it with PTRACE_SYSCALL); *saved keeps the registers to restore. */
int fng_arch_inject_close(pid_t tid, int fd, void **saved);
/* After the injected call's exit stop: restore, with retval as the result. */
int fng_arch_restore(pid_t tid, void *saved, long retval);

#endif
