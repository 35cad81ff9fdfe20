/* The places the policy talks about, resolved once before the runtime
 * starts (the temp root, the handler's code set), and where a path lies among
 * them, the supervisor's own /proc entries included. Facts for the rules'
 * decisions (policy/decide.h). */
#include "tracer/internal.h"
#include "common/util.h"

#include <errno.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

int fng_place_setup_tmp(struct fng_tracer *t, char *err, size_t errn)
{
	const char *root = t->policy->tmp_root ? t->policy->tmp_root : "/tmp";
	char parent[PATH_MAX];
	struct stat st, pst;

	if (!realpath(root, t->tmp_root)) {
		/* Not there (yet): watch the name as written. */
		fng_strlcpy(t->tmp_root, root, sizeof(t->tmp_root));
		return 0;
	}
	if (stat(t->tmp_root, &st) < 0) {
		snprintf(err, errn, "temp root %s: %s", t->tmp_root, strerror(errno));
		return -errno;
	}
	snprintf(parent, sizeof(parent), "%s/..", t->tmp_root);
	if (stat(parent, &pst) == 0 && (pst.st_dev != st.st_dev || pst.st_ino == st.st_ino)) {
		t->tmp_is_mount = strcmp(t->tmp_root, "/") != 0;
		t->tmp_dev = st.st_dev;
	}
	return 0;
}

int fng_place_setup_handlers(struct fng_tracer *t, const char *h, const char *root)
{
	return fng_handler_build(&t->handler_code, h, root, t->policy->handler_paths, t->policy->n_handler_paths);
}

void fng_place_handler_armed(struct fng_tracer *t)
{
	if (t->handler_code.n_rules > 0 && (t->written->mode[FNG_RULE_HANDLER] != FNG_MODE_ALLOW || t->observe || t->written->allow) &&
	    fng_handler_refresh(&t->handler_code) < 0)
		fng_logger_lifecycle(t->logger, "notice",
				     "read_handler: out of memory while adding the code files written during "
				     "initialisation; they are still protected by name");
}

/* The nearest existing ancestor's device tells which file system a path is on. */
static bool on_device(const struct fng_namecache *nc, const char *path, dev_t dev)
{
	char buf[FNG_PATH_BUF];
	struct stat st;

	fng_strlcpy(buf, path, sizeof(buf));
	for (;;) {
		char *slash;
		if (fng_namecache_stat(nc, buf, &st) == 0)
			return st.st_dev == dev;
		slash = strrchr(buf, '/');
		if (!slash || slash == buf)
			return false;
		*slash = '\0';
	}
}

bool fng_place_in_tmp(const struct fng_tracer *t, const char *path)
{
	if (fng_path_under(t->tmp_root, path))
		return true;
	/* A deleted file or directory: "/tmp/x (deleted)" */
	return t->tmp_is_mount && path[0] == '/' && on_device(&t->names, path, t->tmp_dev);
}

bool fng_place_handler_object(const struct fng_tracer *t, const struct stat *st, const char *path)
{
	return fng_handler_has(&t->handler_code, st->st_dev, st->st_ino) ||
	       (path[0] == '/' && fng_handler_rules_match(&t->handler_code, path));
}

bool fng_place_is_handler(const struct fng_tracer *t, const char *path)
{
	struct stat st;

	if (t->handler_code.n_rules == 0 || path[0] != '/')
		return false;
	if (fng_namecache_stat(&t->names, path, &st) == 0 && fng_handler_has(&t->handler_code, st.st_dev, st.st_ino))
		return true;
	return fng_handler_rules_match(&t->handler_code, path);
}

bool fng_place_supervisor_task(struct fng_tracer *t, pid_t pid)
{
	char path[64];
	struct stat st;

	if (pid == t->sup_pid)
		return true;
	if (pid <= 0 || fng_tracee_find(&t->tasks, pid))
		return false;
	for (size_t i = 0; i < FNG_ARRAY_LEN(t->sup_tids) && t->sup_tids[i]; i++)
		if (t->sup_tids[i] == pid)
			return true;
	snprintf(path, sizeof(path), "/proc/%d/task/%d", t->sup_pid, pid);
	if (stat(path, &st) == 0)
		return true;
	return errno != ENOENT;
}

bool fng_place_guarded(struct fng_tracer *t, const char *path)
{
	char *end;
	long pid;

	if (strncmp(path, "/proc/", 6) != 0 || path[6] < '1' || path[6] > '9')
		return false;
	errno = 0;
	pid = strtol(path + 6, &end, 10);
	if (errno || (*end && *end != '/') || pid > INT32_MAX)
		return false;
	return fng_place_supervisor_task(t, (pid_t)pid);
}

/* The file system path lies on, seen from task tid (or through fd_link):
 * its magic, 0 when it does not exist, -1 when it cannot be told. */
static long fs_magic(pid_t tid, const char *path, const char *fd_link)
{
	char where[FNG_PATH_BUF + 64];
	struct statfs fs;

	if (fd_link)
		fng_strlcpy(where, fd_link, sizeof(where));
	else if (snprintf(where, sizeof(where), "/proc/%d/root%s", tid, path) >= (int)sizeof(where))
		return -1;
	if (statfs(where, &fs) < 0)
		return errno == ENOENT ? 0 : -1;
	return (long)fs.f_type;
}

bool fng_place_proc_mem(pid_t tid, const char *path, const char *fd_link)
{
	const char *base = strrchr(path, '/');
	long m;

	if (!base || strcmp(base, "/mem") != 0)
		return false;
	m = fs_magic(tid, path, fd_link);
	return m == -1 || m == PROC_SUPER_MAGIC; /* cannot tell: as if it were */
}

bool fng_place_kernel_config(pid_t tid, const char *path, const char *fd_link)
{
	static const long magics[] = { SYSFS_MAGIC, CGROUP_SUPER_MAGIC, DEBUGFS_MAGIC, TRACEFS_MAGIC,
				       SECURITYFS_MAGIC, BINFMTFS_MAGIC, BPF_FS_MAGIC };
	long m;

	if (strncmp(path, "/proc/sys/", 10) == 0 || strcmp(path, "/proc/sysrq-trigger") == 0)
		return true;
	m = fs_magic(tid, path, fd_link);
	if (m == -1)
		return true;
	for (size_t i = 0; i < FNG_ARRAY_LEN(magics); i++)
		if (m == magics[i])
			return true;
	return false;
}
