/* Starting and listing the supervisor's threads (threads.h). */
#include "supervisor/threads.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

static void nothing(uv_work_t *w)
{
	(void)w;
}

int fng_threads_start_pool(void)
{
	uv_loop_t loop;
	uv_work_t w;
	sigset_t all, old;
	int r = uv_loop_init(&loop);

	if (r < 0)
		return r;
	/* The pool's threads block every signal, as the logging thread does:
	 * signals to fnguard reach the tracer thread (signals.c, the grace
	 * period's wait in tracer/lifetime.c). */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	/* The pool is shared by every loop: one item starts all its threads. */
	r = uv_queue_work(&loop, &w, nothing, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r == 0)
		r = uv_run(&loop, UV_RUN_DEFAULT) < 0 ? -EIO : 0;
	uv_loop_close(&loop);
	return r;
}

int fng_threads_list(pid_t *tids, size_t max)
{
	DIR *d = opendir("/proc/self/task");
	size_t n = 0;
	int found = 0;

	memset(tids, 0, max * sizeof(*tids));
	if (!d)
		return -errno;
	if (max)
		tids[n++] = getpid();
	for (struct dirent *e; (e = readdir(d));) {
		pid_t tid = (pid_t)atoi(e->d_name);
		if (tid <= 0)
			continue;
		found++;
		if (tid != getpid() && n < max)
			tids[n++] = tid;
	}
	closedir(d);
	return found;
}
