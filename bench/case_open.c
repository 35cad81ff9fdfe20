/* case_open [N [PATH [THREADS]]]: open+close of an allowed file (outside the
 * temp root), N times in each of THREADS threads (default 1: no thread is
 * created and the process stays single-threaded). Prints wall-clock ns per
 * open+close over all threads, so a tracer that serialises the threads shows
 * up as a higher figure. */
#include "case.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#define MAX_THREADS 64

struct job {
	long n;
	const char *path;
};

static void *loop(void *arg)
{
	const struct job *j = arg;

	for (long i = 0; i < j->n; i++) {
		int fd = open(j->path, O_RDONLY);
		CASE_CHECK(fd >= 0, j->path);
		close(fd);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct job j = { case_count(argc, argv, 20000), argc > 2 ? argv[2] : "/etc/hostname" };
	long threads = argc > 3 ? atol(argv[3]) : 1;
	pthread_t tid[MAX_THREADS];
	double start;

	if (threads < 1 || threads > MAX_THREADS) {
		fprintf(stderr, "case_open: THREADS must be 1..%d\n", MAX_THREADS);
		return 2;
	}
	start = case_now();
	if (threads == 1) {
		loop(&j);
	} else {
		for (long t = 0; t < threads; t++) {
			errno = pthread_create(&tid[t], NULL, loop, &j);
			CASE_CHECK(errno == 0, "pthread_create");
		}
		for (long t = 0; t < threads; t++)
			pthread_join(tid[t], NULL);
	}
	return case_report(start, j.n * threads);
}
