/* Job control (jobctl.h): the runtime runs in a process group of its own,
 * so the shell that started fnguard sees only fnguard. When the runtime's
 * main process stops, fnguard gives the terminal back to its own group and
 * stops itself with the same signal; once continued (fg, bg, or the SIGCONT
 * that comes with a hang-up), it gives the terminal to the runtime's group
 * when it holds it, and continues that group. */
#include "supervisor/jobctl.h"

#include <errno.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

/* Hand the terminal to pgid: SIGTTOU blocked, as a background group must. */
static void give_terminal(pid_t pgid)
{
	sigset_t ttou, old;

	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	sigprocmask(SIG_BLOCK, &ttou, &old);
	tcsetpgrp(STDIN_FILENO, pgid);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

void fng_job_init(struct fng_job *j, pid_t runtime_pgid)
{
	j->pgid = runtime_pgid;
	j->tty = isatty(STDIN_FILENO);
}

void fng_job_root_stopped(void *arg, int sig)
{
	struct fng_job *j = arg;
	struct sigaction dfl = { .sa_handler = SIG_DFL }, old;
	int saved = errno;

	if (j->tty && tcgetpgrp(STDIN_FILENO) == j->pgid)
		give_terminal(getpgrp());
	/* The same stop for fnguard, whatever handler it has: the shell sees
	 * its job stop. Discarded (our group orphaned, or the signal ignored
	 * since fnguard started): we go on at once, and so does the runtime. */
	sigemptyset(&dfl.sa_mask);
	if (sig == SIGSTOP || sigaction(sig, NULL, &old) < 0 || old.sa_handler == SIG_IGN) {
		raise(sig);
	} else {
		sigaction(sig, &dfl, NULL);
		raise(sig);
		sigaction(sig, &old, NULL);
	}
	if (j->tty && tcgetpgrp(STDIN_FILENO) == getpgrp())
		give_terminal(j->pgid);
	killpg(j->pgid, SIGCONT);
	errno = saved;
}

void fng_job_take_terminal(const struct fng_job *j)
{
	if (j->tty && tcgetpgrp(STDIN_FILENO) == j->pgid)
		give_terminal(getpgrp());
}
