/* The traced tree's lifetime (internal.h): the root's group-stops passed
 * to job control, and what happens to the processes still running when the
 * root exits: SIGTERM and SIGCONT at once, SIGKILL when the grace period
 * ends or a signal to fnguard ends it (docs/cli.md "Lifetime"). Nothing is
 * ever left running untraced. */
#include "tracer/internal.h"
#include "common/clock.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>

static bool stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* Send sig to every traced process (each once is enough; a thread's tgid
 * names its process). Their pids cannot be reused: we have not reaped them. */
static size_t signal_all(struct fng_tracer *t, int sig)
{
	size_t n = 0;

	for (size_t i = 0; i < t->tasks.cap; i++) {
		struct fng_tracee *tc = t->tasks.slots[i];
		if (!tc || tc->tid != tc->tgid)
			continue;
		kill(tc->tgid, sig);
		n++;
	}
	return n;
}

void fng_lifetime_stop(struct fng_tracer *t, pid_t tid, int sig)
{
	bool stopping = stop_signal(sig);

	if (stopping)
		ptrace(PTRACE_LISTEN, tid, NULL, NULL); /* group-stop: stay stopped until SIGCONT */
	if (tid != t->root)
		return;
	if (!stopping) {
		t->root_stopped = false;
		return;
	}
	/* A stop already passed on is reported again for every signal that
	 * arrives meanwhile. */
	if (t->root_stopped || t->root_done || !t->on_root_stop)
		return;
	t->root_stopped = true;
	t->on_root_stop(t->job_arg, sig);
}

void fng_lifetime_root_running(struct fng_tracer *t)
{
	t->root_stopped = false;
}

/* The signals waited for during the grace period, blocked in this thread
 * from the root's exit on (every other thread of ours blocks all). */
static void grace_set(sigset_t *set)
{
	static const int end[] = FNG_GRACE_END_SIGNALS;

	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	for (size_t i = 0; i < sizeof(end) / sizeof(end[0]); i++)
		sigaddset(set, end[i]);
}

void fng_lifetime_root_exited(struct fng_tracer *t)
{
	sigset_t set;
	size_t n;

	grace_set(&set);
	pthread_sigmask(SIG_BLOCK, &set, &t->grace_mask);
	t->grace_end_ns = fng_mono_ns() + (uint64_t)t->grace_ms * 1000000u;
	/* SIGCONT too: a stopped process would never act on SIGTERM. */
	n = signal_all(t, SIGTERM);
	if (!n)
		return;
	signal_all(t, SIGCONT);
	fng_logger_lifecycle(t->logger, "notice",
			     "the runtime's main process exited with %zu other process%s still running: sent SIGTERM, "
			     "SIGKILL after %u ms",
			     n, n == 1 ? "" : "es", t->grace_ms);
}

static void kill_rest(struct fng_tracer *t)
{
	t->killing = true;
	signal_all(t, SIGKILL);
}

pid_t fng_lifetime_wait(struct fng_tracer *t, int *status)
{
	sigset_t set;

	if (!t->root_done || t->killing)
		return waitpid(-1, status, __WALL);
	grace_set(&set);
	for (;;) {
		pid_t tid = waitpid(-1, status, __WALL | WNOHANG);
		uint64_t now = fng_mono_ns();
		struct timespec left;
		int sig;

		if (tid != 0)
			return tid;
		if (now >= t->grace_end_ns) {
			kill_rest(t);
			return waitpid(-1, status, __WALL);
		}
		left.tv_sec = (time_t)((t->grace_end_ns - now) / 1000000000u);
		left.tv_nsec = (long)((t->grace_end_ns - now) % 1000000000u);
		/* SIGCHLD is blocked: one that came since waitpid is pending. */
		sig = sigtimedwait(&set, NULL, &left);
		if (sig > 0 && sig != SIGCHLD) {
			kill_rest(t);
			return waitpid(-1, status, __WALL);
		}
	}
}

void fng_lifetime_seen(struct fng_tracer *t, pid_t tid)
{
	/* A task first seen while the rest are killed (its creator's fork
	 * stop was still queued) is killed too. */
	if (t->killing)
		kill(tid, SIGKILL);
}

void fng_lifetime_end(struct fng_tracer *t)
{
	if (t->root_done)
		pthread_sigmask(SIG_SETMASK, &t->grace_mask, NULL);
}
