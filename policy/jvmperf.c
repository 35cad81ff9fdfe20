/* The JVM's perf-data file: which calls are excused (jvmperf.h). What
 * HotSpot (17) does, read with strace:
 *   mkdir("/tmp/hsperfdata_USER", 0755)                  (EEXIST is fine)
 *   open(dir, O_RDONLY|O_NOFOLLOW), opendir(dir)          (checked, listed)
 *   fchdir(dir); for each name in it (the clean-up):
 *     unlink(NAME) when NAME is not a number
 *     open(NAME, O_RDONLY), flock(LOCK_EX|LOCK_NB): when the lock is free
 *     and kill(NAME, 0) says the process is gone, unlink(NAME)
 *   open("PID", O_RDWR|O_CREAT|O_NOFOLLOW)                (its own file)
 *   flock, ftruncate, mmap MAP_SHARED of it               (descriptor calls)
 *   unlink("/tmp/hsperfdata_USER/PID") at exit.
 * Its own file is allowed; another process's file is refused, quietly when
 * it is the clean-up's read-only open (which then skips the file, as it
 * skips a live JVM's natively): so the unlinks of other files that follow
 * such an open never come. Names that are not numbers are judged by the
 * rule (no JVM makes them). */
#include "policy/jvmperf.h"

#include <fcntl.h>
#include <string.h>

#ifndef __O_TMPFILE
#define __O_TMPFILE 020000000
#endif

long fng_jvmperf_file_pid(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	long pid = 0;
	const char *s;

	if (!n || strncmp(path, dir, n) != 0)
		return -1;
	if (path[n] == '\0')
		return 0;
	s = path + n;
	if (*s++ != '/' || *s < '1' || *s > '9')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || pid > 100000000)
			return -1; /* pid_max is at most 2^22 */
		pid = pid * 10 + (*s - '0');
	}
	return pid;
}

/* An open of the directory itself: reading it (to check and list it). */
static bool dir_open_ok(uint64_t flags)
{
	return (flags & O_ACCMODE) == O_RDONLY && !(flags & (O_CREAT | O_TRUNC | O_PATH)) &&
	       (flags & __O_TMPFILE) != __O_TMPFILE;
}

/* An open of the caller's own file as HotSpot makes it: read-write,
 * creating, never through a final symlink (O_NOFOLLOW); never a path-only,
 * directory or unnamed open. It is then made with O_TRUNC (HotSpot
 * truncates it itself next): a file left by a process that had the same id
 * before, in this run or an earlier one, is never read through it (outside
 * attack round 8 planted data in a child's file, and harvested a killed
 * JVM's file by cycling ids until one matched). */
static bool file_open_ok(uint64_t flags)
{
	if ((flags & (O_PATH | O_DIRECTORY)) || (flags & __O_TMPFILE) == __O_TMPFILE)
		return false;
	return (flags & O_ACCMODE) == O_RDWR && (flags & O_CREAT) && (flags & O_NOFOLLOW);
}

static enum fng_jvmperf_verdict open_verdict(const struct fng_jvmperf_call *c, long pid)
{
	if (pid == 0)
		return dir_open_ok(c->flags) ? FNG_JVMPERF_ALLOW : FNG_JVMPERF_RULE;
	if (pid == c->pid && file_open_ok(c->flags))
		return FNG_JVMPERF_FRESH;
	/* the clean-up's read-only open of a file there (its own id's too,
	 * left by an earlier process) */
	return dir_open_ok(c->flags) ? FNG_JVMPERF_QUIET : FNG_JVMPERF_RULE;
}

enum fng_jvmperf_verdict fng_jvmperf_decide(const struct fng_jvmperf_call *c)
{
	long pid;

	if (!c->jvm || !c->same_user || c->pid <= 0 || !c->path || !c->dir || !c->dir[0])
		return FNG_JVMPERF_RULE;
	pid = fng_jvmperf_file_pid(c->path, c->dir);
	if (pid < 0)
		return FNG_JVMPERF_RULE;
	switch (c->op) {
	case FNG_JVMPERF_MKDIR:
		return pid == 0 ? FNG_JVMPERF_ALLOW : FNG_JVMPERF_RULE;
	case FNG_JVMPERF_OPEN:
		return open_verdict(c, pid);
	case FNG_JVMPERF_OPENED:
		return pid == 0 || pid == c->pid ? FNG_JVMPERF_ALLOW : FNG_JVMPERF_RULE;
	case FNG_JVMPERF_UNLINK:
		return pid == c->pid ? FNG_JVMPERF_ALLOW : FNG_JVMPERF_RULE;
	case FNG_JVMPERF_OTHER:
		break;
	}
	return FNG_JVMPERF_RULE;
}
