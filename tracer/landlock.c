/* read_write_tmp enforced by the kernel: a Landlock ruleset that the spawn
 * child applies to itself before its exec (supervisor/spawn.c), so the whole
 * traced tree runs in a domain where nothing under the temp root can be
 * opened, made, removed, renamed, linked, truncated, bound or executed.
 * Landlock decides on the object the kernel resolved, after every symlink
 * and with the path already copied in: no racing thread or symlink swap can
 * beat it. The seccomp stop still judges and reports each attempt.
 *
 * Landlock only grants: every right is handled (denied), then granted
 * beneath each sibling of every ancestor of the temp root. What is left
 * without a grant is the temp root itself and its ancestors as directories
 * (listing them, making or removing names directly in them): see
 * docs/security.md, "The kernel enforcing the temp root". */
#include "tracer/internal.h"
#include "common/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Rights newer than the build host's header (ABI 3 and 5). */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif

/* Rights a rule on a file that is not a directory may carry. */
#define FNG_LL_FILE_RIGHTS                                                                                          \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE |                 \
	 LANDLOCK_ACCESS_FS_TRUNCATE | LANDLOCK_ACCESS_FS_IOCTL_DEV)

/* truncate(2) is a right of its own from ABI 3; below it, a truncate in the
 * temp root would pass. */
#define FNG_LL_MIN_ABI 3

int fng_landlock_abi(void)
{
	long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);

	return v < 0 ? -errno : (int)v;
}

uint64_t fng_landlock_handled(int abi)
{
	uint64_t h = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1; /* ABI 1: EXECUTE .. MAKE_SYM */

	if (abi >= 2)
		h |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		h |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 5)
		h |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	return h;
}

/* Grant everything beneath dir/name (a symlink needs nothing: what it
 * leads to is reached by its own path). 0 or -errno. */
static int grant(int ruleset, int dir, const char *name, uint64_t handled)
{
	struct landlock_path_beneath_attr pb = { 0 };
	autoclose int fd = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return errno == ENOENT ? 0 : -errno; /* gone meanwhile: nothing to grant */
	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISLNK(st.st_mode))
		return 0;
	pb.parent_fd = fd;
	pb.allowed_access = S_ISDIR(st.st_mode) ? handled : handled & FNG_LL_FILE_RIGHTS;
	if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &pb, 0) < 0)
		return -errno;
	return 0;
}

/* Grant beneath every entry of the directory path except keep. */
static int grant_siblings(int ruleset, const char *path, const char *keep, uint64_t handled, char *why, size_t n)
{
	int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dfd < 0 ? NULL : fdopendir(dfd);
	struct dirent *e;
	int r = 0;

	if (!d) {
		r = -errno;
		if (dfd >= 0)
			close(dfd);
		snprintf(why, n, "cannot list %s: %s", path, strerror(-r));
		return r;
	}
	while (r == 0 && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, keep))
			continue;
		r = grant(ruleset, dirfd(d), e->d_name, handled);
		if (r < 0)
			snprintf(why, n, "cannot grant %s/%s: %s", path, e->d_name, strerror(-r));
	}
	closedir(d);
	return r;
}

/* Every sibling of every ancestor of root (canonical, absolute). */
static int grant_around(int ruleset, const char *root, uint64_t handled, char *why, size_t n)
{
	char dir[FNG_PATH_BUF], keep[FNG_PATH_BUF];
	const char *p = root;

	fng_strlcpy(dir, "/", sizeof(dir));
	while (*p) {
		size_t len;
		int r;

		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		if (!len)
			break;
		if (len >= sizeof(keep))
			return -ENAMETOOLONG;
		memcpy(keep, p, len);
		keep[len] = '\0';
		r = grant_siblings(ruleset, dir, keep, handled, why, n);
		if (r < 0)
			return r;
		if (strlen(dir) + len + 2 > sizeof(dir))
			return -ENAMETOOLONG;
		if (dir[1])
			strcat(dir, "/");
		strncat(dir, p, len);
		p += len;
	}
	return 0;
}

/* The JVM's perf-data directory (rules/jvmperf.c), when the command is a
 * java launcher, made as HotSpot wants it and granted what HotSpot does there: list it, create, read, write,
 * truncate and remove regular files. Nothing else (no directories,
 * symlinks, sockets, execution, links or renames from elsewhere). Which
 * process may do which of these is fnguard's check at the seccomp stop,
 * so fnguard holds path calls again (kernel_tmp false): a racing thread
 * could otherwise steer an allowed call into the directory. Not granted
 * (the JVM runs without its perf data, unreported): 0. */
static int grant_jvmperf(struct fng_tracer *t, int ruleset, uint64_t handled)
{
	struct landlock_path_beneath_attr pb = { 0 };
	autoclose int fd = fng_jvmperf_prepare(t);

	if (fd < 0)
		return 0;
	pb.parent_fd = fd;
	pb.allowed_access = handled & (LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_READ_FILE |
				       LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_TRUNCATE |
				       LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_REMOVE_FILE);
	if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &pb, 0) < 0)
		return -errno;
	t->jvmperf_granted = true;
	return 0;
}

/* Why the kernel cannot take read_write_tmp over for this run, or NULL. */
static const char *not_applicable(const struct fng_tracer *t)
{
	const struct fng_policy *p = t->written;

	if (p->mode[FNG_RULE_TMP] != FNG_MODE_BLOCK)
		return "the rule alerts: the kernel could only refuse";
	if (p->phase[FNG_RULE_TMP] != FNG_PHASE_ALWAYS)
		return "the rule applies in one phase only: a domain cannot be lifted";
	if (getenv("FNGUARD_NO_LANDLOCK") && *getenv("FNGUARD_NO_LANDLOCK"))
		return "FNGUARD_NO_LANDLOCK is set";
	if (t->tmp_root[0] != '/' || access(t->tmp_root, F_OK) < 0)
		return "the temp root does not exist";
	return NULL;
}

/* The ruleset, or -errno with why filled. */
static int build(struct fng_tracer *t, char *why, size_t n)
{
	struct landlock_ruleset_attr attr = { 0 };
	const char *na = not_applicable(t);
	int abi, fd, r;

	if (na) {
		snprintf(why, n, "%s", na);
		return -ENOTSUP;
	}
	abi = fng_landlock_abi();
	if (abi < 0) {
		snprintf(why, n, "Landlock is not available here (%s)", strerror(-abi));
		return abi;
	}
	if (abi < FNG_LL_MIN_ABI) {
		snprintf(why, n, "Landlock ABI %d is older than %d (no truncate right)", abi, FNG_LL_MIN_ABI);
		return -ENOTSUP;
	}
	attr.handled_access_fs = fng_landlock_handled(abi);
	fd = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd < 0) {
		r = -errno;
		snprintf(why, n, "landlock_create_ruleset: %s", strerror(errno));
		return r;
	}
	r = grant_around(fd, t->tmp_root, attr.handled_access_fs, why, n);
	if (r == 0 && (r = grant_jvmperf(t, fd, attr.handled_access_fs)) < 0)
		snprintf(why, n, "cannot grant %s: %s", t->jvmperf_dir, strerror(-r));
	if (r < 0) {
		close(fd);
		if (!why[0])
			snprintf(why, n, "%s: %s", t->tmp_root, strerror(-r));
		return r;
	}
	t->landlock_abi = abi;
	return fd;
}

int fng_landlock_tmp_ruleset(struct fng_tracer *t)
{
	char why[256] = "";
	int fd;

	if (t->written->mode[FNG_RULE_TMP] == FNG_MODE_ALLOW)
		return -1;
	if (!fng_enforcing(t))
		return -1; /* observing: nothing is refused, nothing to say */
	fd = build(t, why, sizeof(why));
	t->kernel_tmp = fd >= 0 && !t->jvmperf_granted;
	if (fd >= 0 && t->jvmperf_granted)
		fng_logger_lifecycle(t->logger, "notice",
				     "read_write_tmp: the kernel enforces the temp root %s (Landlock ABI %d) but for "
				     "the JVM's perf-data directory %s, whose files fnguard allows a JVM only for "
				     "itself: path calls are held race-free by fnguard (\"jvm_perfdata\": false "
				     "leaves the whole temp root to the kernel; docs/policy.md)",
				     t->tmp_root, t->landlock_abi, t->jvmperf_dir);
	else if (fd >= 0)
		fng_logger_lifecycle(t->logger, "notice",
				     "read_write_tmp: the kernel enforces the temp root %s (Landlock ABI %d); path "
				     "calls Landlock does not cover (chmod, chown, utimes, xattrs) and O_PATH opens "
				     "are held race-free by fnguard (docs/security.md)",
				     t->tmp_root, t->landlock_abi);
	else
		fng_logger_lifecycle(t->logger, "notice",
				     "read_write_tmp: the kernel does not enforce the temp root (%s); fnguard's "
				     "fallback holds path calls race-free (docs/security.md)",
				     why);
	return fd;
}

bool fng_tracer_kernel_tmp(const struct fng_tracer *t)
{
	return t->kernel_tmp;
}
