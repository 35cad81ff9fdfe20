/*
 * undo_close.c - adversarial test for fnguard (class: defeating fnguard's
 * undo of a refused call from inside the function)
 *
 * When a racing writer redirects an open after fnguard's check, fnguard
 * undoes it at the exit stop by making the task run close(fd). The task's
 * own seccomp filters apply to that injected call too:
 *   own_filter_keeps_fd   a child installs a filter that turns close(7) into
 *                         a no-op returning 0, then opens a path a thread
 *                         flips between a file in the work dir and the
 *                         secret in the tmp dir (same length). BYPASSED if
 *                         descriptor 7 ends up on the secret and reads it.
 *                         A child ended by a signal counts as defended.
 * Natively nothing refuses the secret: the first open of it wins.
 *
 * Env: FNG_SECRET, FNG_WORKDIR.
 */
#define _GNU_SOURCE
#include "adv.h"

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/prctl.h>

#define FD 7
#define TRIES 200000

static char path_buf[4096], good[4096];
static const char *bad;
static volatile int stop_flip;

static void *flip(void *arg)
{
	size_t n = strlen(good) + 1;

	(void)arg;
	while (!stop_flip) {
		memcpy(path_buf, bad, n);
		for (volatile int i = 0; i < 50; i++)
			;
		memcpy(path_buf, good, n);
		for (volatile int i = 0; i < 50; i++)
			;
	}
	return NULL;
}

static int keep_fd7_filter(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_close, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, FD, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof f / sizeof f[0], .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

static int own_filter_keeps_fd(char *msg, size_t n)
{
	pthread_t t;
	long refused = 0;
	char desc[700];

	for (int i = 3; i < FD; i++)
		if (fcntl(i, F_GETFD) < 0)
			dup2(0, i); /* FD is the lowest free descriptor */
	if (keep_fd7_filter() < 0) {
		snprintf(msg, n, "setup: own seccomp filter: %s", strerror(errno));
		return is_denial(errno) ? DEFENDED : ERRORED;
	}
	strcpy(path_buf, good);
	if (pthread_create(&t, NULL, flip, NULL) != 0) {
		snprintf(msg, n, "setup: pthread_create failed");
		return ERRORED;
	}
	for (long i = 0; i < TRIES; i++) {
		int fd = open(path_buf, O_RDONLY);

		if (fd < 0 && is_denial(errno))
			refused++;
		if (fcntl(FD, F_GETFD) < 0)
			continue;
		if (check_secret_fd(FD, desc, sizeof desc)) {
			stop_flip = 1;
			pthread_join(t, NULL);
			snprintf(msg, n, "descriptor %d kept on the secret after try %ld (open returned %d): %s", FD, i,
				 fd, desc);
			return BYPASSED;
		}
		syscall(SYS_close_range, FD, FD, 0); /* close(7) is a no-op under the filter */
	}
	stop_flip = 1;
	pthread_join(t, NULL);
	snprintf(msg, n, "no descriptor on the secret in %d tries (%ld refused)", TRIES, refused);
	return DEFENDED;
}

int main(void)
{
	const char *work;
	size_t len;
	int fd;

	adv_init();
	bad = need_env("FNG_SECRET");
	work = need_env("FNG_WORKDIR");
	len = strlen(bad);
	if (len >= 255 || chdir(work) < 0)
		env_error("cannot use FNG_WORKDIR %s next to FNG_SECRET", work);
	/* a harmless file in the work dir whose (relative) path is exactly as
	 * long as the secret's */
	memset(good, 'g', len);
	good[len] = '\0';
	fd = open(good, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		env_error("cannot create %s: %s", good, strerror(errno));
	close(fd);
	run_in_child("own_filter_keeps_fd", own_filter_keeps_fd, 120);
	unlink(good);
	return adv_exit_status();
}
