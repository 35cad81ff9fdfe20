/* Process-tree shapes for the tracer: each mode tries to create
 * $TMPD/tree-MODE from a different kind of task and prints
 * "MODE: OK" or "MODE: DENIED <errno>". Also exit-status helpers. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char *tmpd(void)
{
	const char *d = getenv("TMPD");
	if (!d) {
		fprintf(stderr, "TMPD not set\n");
		exit(2);
	}
	return d;
}

static int try_create(const char *mode)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/tree-%s", tmpd(), mode);
	fd = open(path, O_CREAT | O_WRONLY, 0644);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static void report(const char *mode, int err)
{
	if (err)
		printf("%s: DENIED %d\n", mode, err);
	else
		printf("%s: OK\n", mode);
	fflush(stdout);
}

static int child_status(pid_t pid)
{
	int st;
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void *thread_main(void *arg)
{
	*(int *)arg = try_create("thread");
	return NULL;
}

/* Many threads open allowed and forbidden files at once: the exit-stop
 * verification must neither miss a forbidden open nor block an allowed one. */
struct mt_arg {
	int id, denied, allowed_ok, allowed_failed;
};

static void *mt_main(void *p)
{
	struct mt_arg *a = p;
	char name[32];

	for (int i = 0; i < 50; i++) {
		int fd = open("/etc/hostname", O_RDONLY);
		if (fd >= 0) {
			a->allowed_ok++;
			close(fd);
		} else {
			a->allowed_failed++;
		}
	}
	snprintf(name, sizeof(name), "mt%d", a->id);
	a->denied = try_create(name);
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (strcmp(mode, "fork") == 0) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(try_create("fork"));
		report("fork", child_status(pid));
	} else if (strcmp(mode, "vfork") == 0) {
		pid_t pid = vfork();
		if (pid == 0) {
			char path[4096];
			int fd;
			snprintf(path, sizeof(path), "%s/tree-vfork", getenv("TMPD"));
			fd = open(path, O_CREAT | O_WRONLY, 0644);
			_exit(fd < 0 ? errno : 0);
		}
		report("vfork", child_status(pid));
	} else if (strcmp(mode, "spawn") == 0) {
		char path[4096];
		char *args[] = { "touch", path, NULL };
		pid_t pid;
		int r;
		snprintf(path, sizeof(path), "%s/tree-spawn", tmpd());
		r = posix_spawn(&pid, "/usr/bin/touch", NULL, NULL, args, environ);
		if (r == 0)
			r = child_status(pid) == 0 ? 0 : EACCES;
		report("spawn", r);
	} else if (strcmp(mode, "thread") == 0) {
		pthread_t t;
		int err = -1;
		pthread_create(&t, NULL, thread_main, &err);
		pthread_join(t, NULL);
		report("thread", err);
	} else if (strcmp(mode, "threads") == 0) {
		struct mt_arg a[8];
		pthread_t t[8];
		int denied = 0, ok = 0, failed = 0;
		for (int i = 0; i < 8; i++) {
			a[i] = (struct mt_arg){ .id = i };
			pthread_create(&t[i], NULL, mt_main, &a[i]);
		}
		for (int i = 0; i < 8; i++) {
			pthread_join(t[i], NULL);
			denied += a[i].denied != 0;
			ok += a[i].allowed_ok;
			failed += a[i].allowed_failed;
		}
		printf("threads: denied %d allowed_ok %d allowed_failed %d\n", denied, ok, failed);
	} else if (strcmp(mode, "orphan") == 0) {
		/* The grandchild outlives its parent and the root. */
		pid_t pid = fork();
		if (pid == 0) {
			if (fork() == 0) {
				usleep(300000);
				int fd = open(argv[2], O_CREAT | O_WRONLY, 0644);
				_exit(fd < 0);
			}
			_exit(0);
		}
		child_status(pid);
	} else if (strcmp(mode, "exit") == 0) {
		return atoi(argv[2]);
	} else if (strcmp(mode, "signal") == 0) {
		raise(atoi(argv[2]));
		return 99;
	} else {
		fprintf(stderr, "usage: tree fork|vfork|spawn|thread|threads|orphan FILE|exit N|signal N\n");
		return 2;
	}
	return 0;
}
