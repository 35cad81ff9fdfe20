/*
 * jvm_perfdata.c - adversarial test for fnguard (class: the JVM's perf-data
 * file as a way into the temp root)
 *
 * fnguard lets a JVM make and use its own /tmp/hsperfdata_USER/PID with no
 * event (docs/policy.md, read_write_tmp). This program runs no JVM and
 * makes exactly HotSpot's calls for a file named after its own pid, and a
 * directory there. BYPASSED = the file or directory was created (lstat);
 * it is removed again.
 * Vectors:
 *   hotspot_calls_absolute - mkdir(dir, 0755); open(dir/PID,
 *                            O_RDWR|O_CREAT|O_NOFOLLOW, 0600); write
 *   hotspot_calls_relative - open(dir, O_RDONLY|O_NOFOLLOW); fchdir; open("PID",
 *                            O_RDWR|O_CREAT|O_NOFOLLOW, 0600); write (HotSpot's
 *                            own sequence); fchdir back
 *   mkdir_in_dir           - mkdir(dir/fng-adv-PID)
 *
 * Env: none (the directory is HotSpot's: /tmp/hsperfdata_ and the user name
 * of the effective uid; the harness makes it, as a JVM would have).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "adv.h"

static char dir[PATH_MAX], own[PATH_MAX + 64], ownname[32];

/* Was path created (then remove it)? */
static int created(const char *path, int is_dir)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return 0;
	if (is_dir ? rmdir(path) : unlink(path)) { /* leave nothing behind */
	}
	return 1;
}

static void verdict(const char *name, const char *path, int is_dir, int e, const char *what)
{
	if (created(path, is_dir))
		report(name, BYPASSED, "%s created", path);
	else if (is_denial(e))
		report(name, DEFENDED, "%s: %s", what, strerror(e));
	else
		report(name, ERRORED, "%s: %s", what, strerror(e));
}

static void write_own(const char *name, int dirfd, const char *p)
{
	int fd = openat(dirfd, p, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	int e = errno;

	if (fd >= 0) {
		if (write(fd, "data", 4) != 4) {
		}
		close(fd);
	}
	verdict(name, own, 0, fd < 0 ? e : 0, "open");
}

static void hotspot_calls_absolute(void)
{
	struct stat st;

	/* HotSpot goes on when it exists: so does this, refused or not. */
	if (mkdir(dir, 0755) < 0 && errno != EEXIST && stat(dir, &st) < 0) {
		verdict("hotspot_calls_absolute", own, 0, is_denial(errno) ? errno : EACCES, "mkdir");
		return;
	}
	write_own("hotspot_calls_absolute", AT_FDCWD, own);
}

static void hotspot_calls_relative(void)
{
	int cwd = open(".", O_RDONLY | O_CLOEXEC);
	int d = open(dir, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (d < 0 || fchdir(d) < 0) {
		verdict("hotspot_calls_relative", own, 0, errno, "open the directory");
	} else {
		write_own("hotspot_calls_relative", AT_FDCWD, ownname);
		if (cwd >= 0 && fchdir(cwd) < 0)
			report("hotspot_calls_relative", ERRORED, "fchdir back: %s", strerror(errno));
	}
	if (d >= 0)
		close(d);
	if (cwd >= 0)
		close(cwd);
}

static void mkdir_in_dir(void)
{
	char sub[PATH_MAX + 32];
	int r;

	snprintf(sub, sizeof sub, "%s/fng-adv-%d", dir, (int)getpid());
	r = mkdir(sub, 0700);
	verdict("mkdir_in_dir", sub, 1, r < 0 ? errno : 0, "mkdir");
}

int main(void)
{
	struct passwd *pw;

	adv_init();
	pw = getpwuid(geteuid());
	if (!pw)
		env_error("no user name for uid %d", (int)geteuid());
	snprintf(dir, sizeof dir, "/tmp/hsperfdata_%s", pw->pw_name);
	snprintf(ownname, sizeof ownname, "%d", (int)getpid());
	snprintf(own, sizeof own, "%s/%s", dir, ownname);
	hotspot_calls_absolute();
	hotspot_calls_relative();
	mkdir_in_dir();
	return adv_exit_status();
}
