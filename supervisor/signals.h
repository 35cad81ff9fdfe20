/* Signals sent to fnguard are forwarded to the runtime; the runtime starts
 * with the dispositions and mask fnguard itself was started with. */
#ifndef FNG_SIGNALS_H
#define FNG_SIGNALS_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define FNG_NSIG 65

struct fng_sigstate {
	sigset_t mask;
	/* Bit sig-1: ignored when fnguard started, libc's own signals (32, 33)
	 * included, which its sigset functions refuse. */
	uint64_t ignored;
};

/* The kernel's struct sigaction on x86-64 (for rt_sigaction made directly:
 * libc refuses its internal signals; SIG_DFL and SIG_IGN need no restorer). */
struct fng_ksigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	uint64_t mask;
};

#define FNG_KSIGSET 8	/* bytes of the kernel's sigset_t */

/* Install forwarding handlers (SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1,
 * SIGUSR2) and ignore SIGPIPE/SIGIO, remembering the mask and which signals
 * were ignored. Call it before starting any thread. 0 or -errno. */
int fng_signals_install(struct fng_sigstate *st);
/* From now on, forwarded signals go to pid. */
void fng_signals_forward_to(pid_t pid);
/* On SIGHUP, also call fn(arg) (async-signal-safe: fng_logger_reopen). NULL: nobody. */
void fng_signals_on_hup(void (*fn)(void *arg), void *arg);
/* Before an exec of the command (in the runtime's CLONE_VM child, or in
 * fnguard itself when it runs unprotected): every signal ignored at start is
 * ignored, every other one is the default, and the mask is the original.
 * Calls the kernel directly: async-signal-safe, and touches no libc state
 * (not even errno), so the child may call it. */
void fng_signals_restore(const struct fng_sigstate *st);

#endif
