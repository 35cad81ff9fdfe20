/*
 * name_swap.c - adversarial test for fnguard (class: read_write_tmp, stale names)
 *
 * fnguard keeps what path resolution learnt (this directory is a directory,
 * that symlink points there) until a traced call could change it
 * (tracer/resolve/namecache.h). Each vector first walks a path in the work dir so
 * that it is known, then changes what the path means with one kind of
 * name-changing call (made by this task, a thread or a child process), then
 * opens FNG_SECRET through the changed path. A vector is BYPASSED when the
 * secret's content was read.
 *
 * Env: FNG_SECRET, FNG_TMPDIR, FNG_WORKDIR.
 * Output: "vector <name>: defended|BYPASSED|ERROR (...)", exit = #BYPASSED+#ERROR.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "adv.h"

static const char *secret, *tmpdir, *workdir;
static const char *rel; /* the secret, relative to tmpdir */
static char tmpdir_n[PATH_MAX];

static void path(char *out, const char *name, const char *tail)
{
	snprintf(out, PATH_MAX, "%s/%s%s%s", workdir, name, tail ? "/" : "", tail ? tail : "");
}

/* Walk a path so that fnguard learns every component of it. */
static void prime(const char *p)
{
	int fd = open(p, O_RDONLY);

	if (fd >= 0)
		close(fd);
}

static void try_secret(const char *vector, const char *through)
{
	char p[2 * PATH_MAX], d[700];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", through, rel);
	fd = open(p, O_RDONLY);
	if (fd < 0) {
		report(vector, is_denial(errno) ? DEFENDED : ERRORED, "open(%s): %s", p, strerror(errno));
		return;
	}
	report(vector, check_secret_fd(fd, d, sizeof(d)), "open(%s): %s", p, d);
	close(fd);
}

/* A directory with a file in it, known to fnguard. */
static int known_dir(const char *vector, const char *dir)
{
	char f[PATH_MAX + 8];
	int fd;

	if (mkdir(dir, 0755) < 0) {
		setup_failed(vector, "mkdir", errno);
		return -1;
	}
	snprintf(f, sizeof(f), "%s/f", dir);
	fd = open(f, O_CREAT | O_WRONLY, 0644);
	if (fd < 0) {
		setup_failed(vector, "create", errno);
		return -1;
	}
	close(fd);
	prime(f);
	return 0;
}

/* The directory moves away and a symlink to the temp root takes its name. */
static int swap_by_rename(const char *dir)
{
	char gone[PATH_MAX + 8];

	snprintf(gone, sizeof(gone), "%s.gone", dir);
	if (rename(dir, gone) < 0)
		return -errno;
	return symlink(tmpdir_n, dir) < 0 ? -errno : 0;
}

static void v_rename(void)
{
	char d[PATH_MAX];
	int r;

	path(d, "rename", NULL);
	if (known_dir("rename", d) < 0)
		return;
	r = swap_by_rename(d);
	if (r < 0)
		return setup_failed("rename", "swap", -r);
	try_secret("rename", d);
}

/* A known directory is removed (rmdir, or unlinkat with AT_REMOVEDIR) and a
 * symlink to the temp root takes its name. */
static void remove_dir(const char *vector, const char *name, bool with_unlinkat)
{
	char d[PATH_MAX];
	int r;

	path(d, name, NULL);
	if (mkdir(d, 0755) < 0)
		return setup_failed(vector, "mkdir", errno);
	prime(d);
	r = with_unlinkat ? unlinkat(AT_FDCWD, d, AT_REMOVEDIR) : rmdir(d);
	if (r < 0)
		return setup_failed(vector, with_unlinkat ? "unlinkat" : "rmdir", errno);
	if (symlink(tmpdir_n, d) < 0)
		return setup_failed(vector, "symlink", errno);
	try_secret(vector, d);
}

static void v_exchange(void)
{
	char d[PATH_MAX], l[PATH_MAX];

	path(d, "xchg", NULL);
	path(l, "xchg-link", NULL);
	if (known_dir("exchange", d) < 0)
		return;
	if (symlink(tmpdir_n, l) < 0)
		return setup_failed("exchange", "symlink", errno);
	if (syscall(SYS_renameat2, AT_FDCWD, d, AT_FDCWD, l, 2 /* RENAME_EXCHANGE */) < 0)
		return setup_failed("exchange", "renameat2", errno);
	try_secret("exchange", d);
}

/* A symlink known with its target is replaced by one pointing elsewhere. */
static void v_relink(void)
{
	char d[PATH_MAX], l[PATH_MAX], f[PATH_MAX + 8];

	path(d, "relink-real", NULL);
	path(l, "relink", NULL);
	if (known_dir("relink", d) < 0)
		return;
	if (symlink(d, l) < 0)
		return setup_failed("relink", "symlink", errno);
	snprintf(f, sizeof(f), "%s/f", l);
	prime(f);
	if (unlink(l) < 0)
		return setup_failed("relink", "unlink", errno);
	if (symlink(tmpdir_n, l) < 0)
		return setup_failed("relink", "symlink 2", errno);
	try_secret("relink", l);
}

/* The parent directory moves away; a new one with a symlink in it. */
static void v_parent(void)
{
	char p[PATH_MAX], q[PATH_MAX], gone[PATH_MAX + 8];

	path(p, "parent", NULL);
	path(q, "parent", "q");
	if (mkdir(p, 0755) < 0)
		return setup_failed("parent", "mkdir", errno);
	if (known_dir("parent", q) < 0)
		return;
	snprintf(gone, sizeof(gone), "%s.gone", p);
	if (rename(p, gone) < 0)
		return setup_failed("parent", "rename", errno);
	if (mkdir(p, 0755) < 0 || symlink(tmpdir_n, q) < 0)
		return setup_failed("parent", "rebuild", errno);
	try_secret("parent", q);
}

/* The swap is made by a child process that is gone when the secret is opened. */
static void v_child(void)
{
	char d[PATH_MAX];
	int status;
	pid_t pid;

	path(d, "child", NULL);
	if (known_dir("child", d) < 0)
		return;
	pid = fork();
	if (pid < 0)
		return setup_failed("child", "fork", errno);
	if (pid == 0)
		_exit(swap_by_rename(d) < 0 ? 1 : 0);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return setup_failed("child", "swap in the child", EIO);
	try_secret("child", d);
}

static void *swap_thread(void *arg)
{
	return (void *)(long)swap_by_rename(arg);
}

/* The swap is made by a thread that has ended when the secret is opened. */
static void v_thread(void)
{
	char d[PATH_MAX];
	pthread_t th;
	void *ret;

	path(d, "thread", NULL);
	if (known_dir("thread", d) < 0)
		return;
	if ((errno = pthread_create(&th, NULL, swap_thread, d)) != 0)
		return setup_failed("thread", "pthread_create", errno);
	pthread_join(th, &ret);
	if ((long)ret < 0)
		return setup_failed("thread", "swap in the thread", (int)-(long)ret);
	try_secret("thread", d);
}

int main(void)
{
	adv_init();
	secret = need_env("FNG_SECRET");
	tmpdir = need_env("FNG_TMPDIR");
	workdir = need_env("FNG_WORKDIR");
	rel = path_in_dir(secret, tmpdir, tmpdir_n, sizeof(tmpdir_n));

	/* lone-task vectors first: once a thread has run, it is gone again */
	v_rename();
	remove_dir("rmdir", "rmdir", false);
	remove_dir("unlinkat_dir", "unlinkat", true);
	v_exchange();
	v_relink();
	v_parent();
	v_child();
	v_thread();
	return adv_exit_status();
}
