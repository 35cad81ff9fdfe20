/* A launcher that re-executes itself once, as the java launcher does when
 * it must set its library path (LD_LIBRARY_PATH, musl): the same file
 * (readlink of /proc/self/exe), the same argv, an environment variable
 * changed. Prints what it ran as, the second time. With "--thread" it
 * starts a thread before re-executing (a runtime running, not a launcher);
 * with "--twice" it re-executes a second time. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *idle(void *arg)
{
	return arg;
}

int main(int argc, char **argv)
{
	const char *n = getenv("FNG_REEXEC_N");
	int round = n ? atoi(n) : 0, want = 1;
	char self[4096], num[16];
	ssize_t len;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--twice") == 0)
			want = 2;
	if (round >= want) {
		printf("reexec ok after %d\n", round);
		return 0;
	}
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--thread") == 0) {
			pthread_t th;
			if (pthread_create(&th, NULL, idle, NULL) == 0)
				pthread_join(th, NULL);
		}
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len <= 0)
		return 2;
	self[len] = '\0';
	snprintf(num, sizeof(num), "%d", round + 1);
	setenv("FNG_REEXEC_N", num, 1);
	execv(self, argv);
	printf("reexec refused: %s\n", strerror(errno));
	return 1;
}
