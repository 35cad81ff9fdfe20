/* Forwarding signals to the runtime and restoring fnguard's start-up signal state in it (signals.h). */
#include "supervisor/signals.h"
#include "tracer/arch.h"

#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The single piece of static state in fnguard: a signal handler has no
 * other way to learn where to forward to, and whom to tell about SIGHUP. */
static struct {
	volatile sig_atomic_t forward_pid;
	void (*_Atomic hup_fn)(void *);
	void *_Atomic hup_arg;
} sigst;

static const int forwarded[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	pid_t pid = sigst.forward_pid;
	int saved = errno;

	(void)si;
	(void)uc;
	if (sig == SIGHUP) {
		void (*fn)(void *) = atomic_load(&sigst.hup_fn);
		if (fn)
			fn(atomic_load(&sigst.hup_arg));
	}
	if (pid > 0)
		kill(pid, sig);
	errno = saved;
}

static int set(int sig, const struct sigaction *sa)
{
	return sigaction(sig, sa, NULL) < 0 ? -errno : 0;
}

int fng_signals_install(struct fng_sigstate *st)
{
	struct sigaction sa;
	int r;

	memset(st, 0, sizeof(*st));
	sigprocmask(SIG_SETMASK, NULL, &st->mask);
	for (int sig = 1; sig < FNG_NSIG; sig++) {
		struct fng_ksigaction old;
		if (syscall(SYS_rt_sigaction, sig, NULL, &old, FNG_KSIGSET) == 0 && old.handler == SIG_IGN)
			st->ignored |= 1ull << (sig - 1);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO; /* no SA_RESTART: waitpid returns EINTR */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++) {
		r = set(forwarded[i], &sa);
		if (r < 0)
			return r;
	}
	/* A closed log pipe or SIGIO aimed at us must not end the supervisor. */
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	/* SIGXFSZ: a function sharing a file sink's offset can push it past
	 * RLIMIT_FSIZE; the write then fails (counted), not fnguard. */
	if ((r = set(SIGPIPE, &sa)) < 0 || (r = set(SIGIO, &sa)) < 0 || (r = set(SIGXFSZ, &sa)) < 0)
		return r;
	/* Forwarded signals must reach the tracer thread's handler. */
	{
		sigset_t unblock;
		sigemptyset(&unblock);
		for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
			sigaddset(&unblock, forwarded[i]);
		sigprocmask(SIG_UNBLOCK, &unblock, NULL);
	}
	return 0;
}

void fng_signals_forward_to(pid_t pid)
{
	sigst.forward_pid = pid;
}

void fng_signals_on_hup(void (*fn)(void *arg), void *arg)
{
	atomic_store(&sigst.hup_fn, NULL);
	atomic_store(&sigst.hup_arg, arg);
	atomic_store(&sigst.hup_fn, fn);
}

void fng_signals_restore(const struct fng_sigstate *st)
{
	for (int sig = 1; sig < FNG_NSIG; sig++) {
		bool ignored = st->ignored & (1ull << (sig - 1));
		struct fng_ksigaction old, sa = { .handler = ignored ? SIG_IGN : SIG_DFL };

		if (sig == SIGKILL || sig == SIGSTOP ||
		    fng_arch_raw_syscall(SYS_rt_sigaction, sig, 0, (long)&old, FNG_KSIGSET, 0, 0) < 0 ||
		    old.handler == sa.handler)
			continue;
		fng_arch_raw_syscall(SYS_rt_sigaction, sig, (long)&sa, 0, FNG_KSIGSET, 0, 0);
	}
	fng_arch_raw_syscall(SYS_rt_sigprocmask, SIG_SETMASK, (long)&st->mask, 0, FNG_KSIGSET, 0, 0);
}
