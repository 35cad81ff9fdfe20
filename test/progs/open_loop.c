/* A busy function for the event pipeline tests: PROCS processes each try to
 * open N/PROCS files that do not exist under /tmp (/tmp/fng-ev-P-I), so a
 * read_write_tmp alert policy gives one event per open, numbered per
 * process. With SYNC_DIR, process 0 stops halfway: it creates SYNC_DIR/half
 * and waits for SYNC_DIR/go. Ignores SIGHUP (the tests send it to fnguard,
 * which forwards it). Prints "done N" and exits with EXIT_CODE.
 *   open_loop N PROCS EXIT_CODE [SYNC_DIR] */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void wait_for(const char *path)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	struct stat st;

	for (int i = 0; i < 6000 && stat(path, &st) < 0; i++)	/* at most a minute */
		nanosleep(&ts, NULL);
}

static void run(int proc, long n, const char *sync_dir)
{
	char path[256];

	for (long i = 0; i < n; i++) {
		if (sync_dir && proc == 0 && i == n / 2) {
			snprintf(path, sizeof(path), "%s/half", sync_dir);
			close(open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
			snprintf(path, sizeof(path), "%s/go", sync_dir);
			wait_for(path);
		}
		snprintf(path, sizeof(path), "/tmp/fng-ev-%d-%ld", proc, i);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			close(fd);
	}
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	long n, per;
	int procs, code;
	const char *sync_dir;

	if (argc < 4) {
		fprintf(stderr, "usage: open_loop N PROCS EXIT_CODE [SYNC_DIR]\n");
		return 2;
	}
	n = atol(argv[1]);
	procs = atoi(argv[2]);
	code = atoi(argv[3]);
	sync_dir = argc > 4 ? argv[4] : NULL;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (procs < 1 || n < procs)
		return 2;
	signal(SIGHUP, SIG_IGN);
	per = n / procs;
	for (int p = 1; p < procs; p++) {
		pid_t pid = fork();
		if (pid < 0)
			return 2;
		if (pid == 0) {
			run(p, per, NULL);
			_exit(0);
		}
	}
	run(0, n - per * (procs - 1), sync_dir);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "open_loop: %ld opens in %.3f s\n", n,
		(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	printf("done %ld\n", n);
	return code;
}
