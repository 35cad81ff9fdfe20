/* Descriptors at start (fds.h). Limits on descriptors are per table: the
 * tracer thread unshares its table, so the proxy's connections (two
 * descriptors each, on the logging thread) cannot use up the numbers the
 * tracer needs for pidfd_getfd and /proc; the soft limit is raised to the
 * hard one for fnguard only. Every descriptor above 2 that fnguard was
 * started with is closed at the runtime's exec (spawn.c), except socket
 * activation's, which are checked here. */
#include "supervisor/fds.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* sd_listen_fds(3): LISTEN_PID is ours and LISTEN_FDS a count. */
static int listen_count(void)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	char *end;
	long p, n;

	if (!pid || !fds)
		return 0;
	p = strtol(pid, &end, 10);
	if (*end || p != getpid())
		return 0;
	n = strtol(fds, &end, 10);
	if (*end || n <= 0 || n > 1024)
		return 0;
	return (int)n;
}

void fng_fds_start(struct fng_fds_start *f)
{
	struct rlimit up;

	f->listen_n = listen_count();
	f->listen_missing = -1;
	/* Checked before any descriptor of ours could take a missing number
	 * (and be passed to the runtime in its place). */
	for (int i = 0; i < f->listen_n && f->listen_missing < 0; i++)
		if (fcntl(3 + i, F_GETFD) < 0)
			f->listen_missing = 3 + i;
	if (getrlimit(RLIMIT_NOFILE, &f->nofile) < 0) {
		f->nofile.rlim_cur = f->nofile.rlim_max = RLIM_INFINITY; /* nothing to give back */
		return;
	}
	up = f->nofile;
	up.rlim_cur = up.rlim_max;
	setrlimit(RLIMIT_NOFILE, &up);
}

int fng_fds_check_listen(const struct fng_fds_start *f, const struct fng_tracer *t, char *why, size_t n)
{
	if (f->listen_missing >= 0) {
		snprintf(why, n, "LISTEN_FDS=%d names descriptor %d, which is not open", f->listen_n, f->listen_missing);
		return -EBADF;
	}
	for (int i = 0; i < f->listen_n; i++) {
		int r = fng_tracer_check_inherited(t, 3 + i, why, n);
		if (r < 0)
			return r;
	}
	return 0;
}

int fng_fds_own_table(void)
{
	return unshare(CLONE_FILES) < 0 ? -errno : 0;
}
