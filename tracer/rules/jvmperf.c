/* The JVM's perf-data file under read_write_tmp (policy/jvmperf.h;
 * docs/policy.md): the facts the decision needs. The directory HotSpot
 * names (/tmp/hsperfdata_ plus the user name of its effective uid, as
 * getpwuid gives it), worked out once before the runtime starts; whether
 * the calling process runs a JVM (libjvm.so mapped from a regular file
 * owned by root, not writable by others, not changed during the run); its
 * effective uid and its id as it sees itself (/proc/PID/status). Gathered only for
 * a path in that directory, so no other call pays for it. */
#include "tracer/internal.h"
#include "common/procstatus.h"
#include "common/util.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

void fng_jvmperf_setup(struct fng_tracer *t)
{
	struct passwd pw, *res = NULL;
	char buf[4096], tmp[FNG_PATH_BUF];
	int n;

	t->jvmperf_dir[0] = '\0';
	if (t->written->no_jvm_perfdata || t->written->mode[FNG_RULE_TMP] == FNG_MODE_ALLOW)
		return;
	/* HotSpot: get_user_name(geteuid()) with getpwuid_r; no name, no file. */
	t->jvmperf_uid = geteuid();
	if (getpwuid_r(t->jvmperf_uid, &pw, buf, sizeof(buf), &res) != 0 || !res || !pw.pw_name[0] ||
	    strchr(pw.pw_name, '/') || !strcmp(pw.pw_name, ".") || !strcmp(pw.pw_name, ".."))
		return;
	/* HotSpot's os::get_temp_directory() on Linux is "/tmp", whatever TMPDIR says. */
	if (!realpath("/tmp", tmp))
		return;
	n = snprintf(t->jvmperf_dir, sizeof(t->jvmperf_dir), "%s/hsperfdata_%s", strcmp(tmp, "/") ? tmp : "", pw.pw_name);
	if (n < 0 || (size_t)n >= sizeof(t->jvmperf_dir) || !fng_path_under(t->tmp_root, t->jvmperf_dir))
		t->jvmperf_dir[0] = '\0'; /* not in the temp root: nothing to excuse */
	fng_jvmperf_sweep(t);
}

/* Files there named after a process that is gone are removed, as HotSpot's
 * own start-up removes them natively: at the start and at the end of the
 * run, so nothing a process of the function left there (its content, size
 * or mode: outside attack round 9 kept bytes in ftruncate'd sizes, read
 * later with stat) outlives the run. Only in a directory HotSpot would use
 * (fnguard's user's, writable by nobody else); only regular files. */
void fng_jvmperf_sweep(const struct fng_tracer *t)
{
	autoclose int fd = -1;
	struct stat st;
	struct dirent *e;
	DIR *d;

	if (!t->jvmperf_dir[0])
		return;
	fd = open(t->jvmperf_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_uid != t->jvmperf_uid || (st.st_mode & (S_IWGRP | S_IWOTH)))
		return;
	d = fdopendir(fd);
	if (!d)
		return;
	fd = -1; /* the DIR owns it */
	while ((e = readdir(d))) {
		char path[FNG_PATH_BUF + 256];
		long pid;
		struct stat fst;

		snprintf(path, sizeof(path), "%s/%s", t->jvmperf_dir, e->d_name);
		pid = fng_jvmperf_file_pid(path, t->jvmperf_dir);
		if (pid <= 0 || fstatat(dirfd(d), e->d_name, &fst, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(fst.st_mode))
			continue;
		if (kill((pid_t)pid, 0) < 0 && errno == ESRCH)
			unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
}

/* A JDK's launcher: JDK/bin/java beside JDK/lib/server/libjvm.so, both
 * regular files owned by root that nobody else may write. Symlinks
 * (/usr/bin/java, /etc/alternatives) are followed first. */
void fng_jvmperf_launcher(struct fng_tracer *t, const char *program)
{
	char real[FNG_PATH_BUF], lib[FNG_PATH_BUF + 32];
	struct stat st;
	char *slash;
	size_t n;

	t->jvmperf_launcher = false;
	if (!t->jvmperf_dir[0] || !realpath(program, real) || (n = strlen(real)) < 9 ||
	    strcmp(real + n - 9, "/bin/java") != 0)
		return;
	slash = real + n - 9;
	*slash = '\0';
	snprintf(lib, sizeof(lib), "%s/lib/server/libjvm.so", real);
	*slash = '/';
	for (int i = 0; i < 2; i++) {
		if (stat(i ? lib : real, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != 0 ||
		    (st.st_mode & (S_IWGRP | S_IWOTH)))
			return;
	}
	t->jvmperf_launcher = true;
}

int fng_jvmperf_prepare(struct fng_tracer *t)
{
	autoclose int fd = -1;
	struct stat st;
	int r;

	if (!t->jvmperf_dir[0] || !t->jvmperf_launcher)
		return -ENOENT;
	if (mkdir(t->jvmperf_dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	fd = open(t->jvmperf_dir, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		return -errno;
	/* What HotSpot accepts (is_statbuf_secure): its owner, no one else writes. */
	if (st.st_uid != t->jvmperf_uid || (st.st_mode & (S_IWGRP | S_IWOTH)))
		return -EPERM;
	r = fd;
	fd = -1;
	return r;
}

/* Does one line of /proc/PID/maps map a trusted libjvm.so? 1 when it
 * does, so that the search stops. */
static int trusted_jvm_line(const struct fng_map *m, void *arg)
{
	struct fng_tracer *t = arg;
	size_t len = strlen(m->path);
	struct stat st;

	if (m->path[0] != '/' || len < 10 || strcmp(m->path + len - 10, "/libjvm.so") != 0)
		return 0;
	if (stat(m->path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_ino != m->ino || st.st_dev != m->dev)
		return 0;
	return st.st_uid == 0 && !(st.st_mode & (S_IWGRP | S_IWOTH)) && !fng_changed_in_run(t, &st) &&
	       !fng_place_in_tmp(t, m->path);
}

/* Does process tgid run a JVM? Fails closed: unreadable maps say no. */
static bool runs_jvm(struct fng_tracer *t, pid_t tgid)
{
	return fng_maps_each(tgid, trusted_jvm_line, t) == 1;
}

/* Which excusable operation the call is, or OTHER. */
static enum fng_jvmperf_op op_of(const struct fng_call *c)
{
	const char *n = c->d->name;

	if (c->d->kind == FNG_SC_OPEN || c->d->kind == FNG_SC_OPENAT2)
		return FNG_JVMPERF_OPEN;
	if (!strcmp(n, "mkdir") || !strcmp(n, "mkdirat"))
		return FNG_JVMPERF_MKDIR;
	if (!strcmp(n, "unlink") || (!strcmp(n, "unlinkat") && c->args[2] == 0))
		return FNG_JVMPERF_UNLINK;
	return FNG_JVMPERF_OTHER;
}

/* The facts about process tgid; false when path is not the directory's. */
static bool gather(struct fng_tracer *t, pid_t tgid, const char *path, struct fng_jvmperf_call *j)
{
	struct fng_proc_status ps;

	if (!t->jvmperf_dir[0] || fng_jvmperf_file_pid(path, t->jvmperf_dir) < 0)
		return false;
	j->path = path;
	j->dir = t->jvmperf_dir;
	if (fng_proc_status(tgid, &ps) < 0)
		return false;
	j->same_user = ps.euid == t->jvmperf_uid;
	/* Its own namespace's id; new pid namespaces are refused while a file
	 * rule is on, so one level (fnguard's) is all there should be. */
	j->pid = ps.nspid_levels == 1 ? ps.nspid : -1;
	j->jvm = runs_jvm(t, tgid);
	return true;
}

enum fng_jvmperf_verdict fng_jvmperf_check(struct fng_call *c, const char *path, uint64_t flags)
{
	struct fng_jvmperf_call j = { .op = op_of(c), .flags = flags };

	if (j.op == FNG_JVMPERF_OTHER || !gather(c->t, c->tc->tgid, path, &j))
		return FNG_JVMPERF_RULE;
	return fng_jvmperf_decide(&j);
}

bool fng_jvmperf_opened(struct fng_tracer *t, const struct fng_tracee *tc, const char *path)
{
	struct fng_jvmperf_call j = { .op = FNG_JVMPERF_OPENED };

	return gather(t, tc->tgid, path, &j) && fng_jvmperf_decide(&j) == FNG_JVMPERF_ALLOW;
}
