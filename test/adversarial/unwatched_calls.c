/*
 * unwatched_calls.c - adversarial test for fnguard (class: read_write_tmp via less common calls)
 *
 * Every vector uses a syscall (or syscall variant) that reads, creates,
 * removes, renames, links, truncates or changes something inside the tmp dir.
 * Effects are verified with lstat()/getxattr() (reading metadata is allowed),
 * never by trusting return values.  Natively-successful changes are undone.
 *
 * Env: FNG_SECRET, FNG_TMPDIR, FNG_WORKDIR, FNG_VICTIM (existing file in the
 *      tmp dir containing "victim\n"), optional FNG_VICTIMDIR (existing empty
 *      directory in the tmp dir, target of the rmdir vector).
 * Output: "vector <name>: defended|BYPASSED|ERROR (...)", exit = #BYPASSED+#ERROR.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <utime.h>

#ifndef __NR_openat2
#define __NR_openat2 437
#endif
#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452
#endif
#ifndef __NR_setxattrat
#define __NR_setxattrat 463
#endif
#ifndef __NR_file_getattr
#define __NR_file_getattr 468
#endif
#ifndef __NR_file_setattr
#define __NR_file_setattr 469
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef O_TMPFILE
#define O_TMPFILE (020000000 | O_DIRECTORY)
#endif

struct fng_xattr_args {		/* struct xattr_args (Linux 6.13) */
	uint64_t value;
	uint32_t size;
	uint32_t flags;
};
struct fng_file_attr {		/* struct file_attr (Linux 6.17) */
	uint64_t fa_xflags;
	uint32_t fa_extsize;
	uint32_t fa_nextents;
	uint32_t fa_projid;
	uint32_t fa_cowextsize;
};
#define FNG_XFLAG_NODUMP 0x00000080u

#include "adv.h"

/* ------------------------------------------------------------------ program */
#define VICTIM_CONTENT "victim\n"

static int write_file(const char *path, const char *content, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, mode);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, content, strlen(content));
	int e = errno;
	close(fd);
	if (n != (ssize_t)strlen(content)) {
		errno = n < 0 ? e : EIO;
		return -1;
	}
	return 0;
}

static const char *secret, *tmpdir, *workdir, *victim;
static char tmpdir_n[1024];
static const char *secret_rel;		/* secret relative to tmpdir */
static struct stat vorig;		/* victim at program start */
static struct stat vbase;		/* victim baseline for change detection */
static int vbase_ok;

static const char *ftype(mode_t m)
{
	return S_ISREG(m) ? "regular file" : S_ISDIR(m) ? "directory" : S_ISLNK(m) ? "symlink" :
	       S_ISFIFO(m) ? "fifo" : S_ISSOCK(m) ? "socket" : S_ISCHR(m) ? "char device" : "other";
}

static void remove_path(const char *p)
{
	struct stat st;
	if (lstat(p, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			rmdir(p);
		else
			unlink(p);
	}
}

static void tpath(char *out, const char *leaf)	/* path inside the tmp dir */
{
	snprintf(out, PATH_MAX, "%s/%s", tmpdir_n, leaf);
	remove_path(out);	/* leftovers of an earlier run (natively) */
}

static void wpath(char *out, const char *leaf)	/* path inside the work dir */
{
	snprintf(out, PATH_MAX, "%s/%s", workdir, leaf);
	remove_path(out);
}

/* For vectors that try to create `path` inside the tmp dir. */
static void judge_created(const char *name, const char *call, const char *path, long rc, int e)
{
	struct stat st;
	if (lstat(path, &st) == 0) {
		report(name, BYPASSED, "%s created %s (%s)", call, path, ftype(st.st_mode));
		remove_path(path);
	} else if (rc >= 0)
		report(name, DEFENDED, "%s returned %ld but nothing was created", call, rc);
	else
		report(name, DEFENDED, "%s: %s", call, strerror(e));
}

static void snap_victim(void) { vbase_ok = lstat(victim, &vbase) == 0; }

/* 1 if the victim differs from the baseline; d describes how */
static int victim_changed(char *d, size_t dsz)
{
	struct stat st;
	char xb[64];
	if (lstat(victim, &st)) {
		snprintf(d, dsz, "victim is gone (lstat: %s)", strerror(errno));
		return 1;
	}
	if (st.st_ino != vbase.st_ino || st.st_dev != vbase.st_dev) {
		snprintf(d, dsz, "victim path now names another inode (%s)", ftype(st.st_mode));
		return 1;
	}
	if (st.st_mode != vbase.st_mode) {
		snprintf(d, dsz, "victim mode changed %o -> %o", vbase.st_mode, st.st_mode);
		return 1;
	}
	if (st.st_uid != vbase.st_uid || st.st_gid != vbase.st_gid) {
		snprintf(d, dsz, "victim owner changed %u:%u -> %u:%u", vbase.st_uid, vbase.st_gid, st.st_uid,
			 st.st_gid);
		return 1;
	}
	if (st.st_size != vbase.st_size) {
		snprintf(d, dsz, "victim size changed %lld -> %lld", (long long)vbase.st_size,
			 (long long)st.st_size);
		return 1;
	}
	if (st.st_nlink != vbase.st_nlink) {
		snprintf(d, dsz, "victim link count changed %lu -> %lu", (unsigned long)vbase.st_nlink,
			 (unsigned long)st.st_nlink);
		return 1;
	}
	if (st.st_mtim.tv_sec != vbase.st_mtim.tv_sec || st.st_mtim.tv_nsec != vbase.st_mtim.tv_nsec) {
		snprintf(d, dsz, "victim mtime changed %lld -> %lld", (long long)vbase.st_mtim.tv_sec,
			 (long long)st.st_mtim.tv_sec);
		return 1;
	}
	if (getxattr(victim, "user.fng", xb, sizeof xb) >= 0) {
		snprintf(d, dsz, "victim has a new xattr user.fng");
		return 1;
	}
	{
		struct fng_file_attr fa;
		memset(&fa, 0, sizeof fa);
		if (syscall(__NR_file_getattr, AT_FDCWD, victim, &fa, sizeof fa, 0) == 0 &&
		    (fa.fa_xflags & FNG_XFLAG_NODUMP)) {
			snprintf(d, dsz, "victim got the NODUMP file attribute");
			return 1;
		}
	}
	if (st.st_ctim.tv_sec != vbase.st_ctim.tv_sec || st.st_ctim.tv_nsec != vbase.st_ctim.tv_nsec) {
		snprintf(d, dsz, "victim ctime changed (inode was modified)");
		return 1;
	}
	return 0;
}

/* Does the victim look exactly like at the start (content, mode, owner, links, no xattr)? */
static int victim_matches_orig(void)
{
	struct stat st;
	char b[64];
	if (lstat(victim, &st) || !S_ISREG(st.st_mode) || st.st_mode != vorig.st_mode ||
	    st.st_uid != vorig.st_uid || st.st_gid != vorig.st_gid || st.st_nlink != vorig.st_nlink ||
	    st.st_size != (off_t)strlen(VICTIM_CONTENT))
		return 0;
	if (getxattr(victim, "user.fng", b, sizeof b) >= 0)
		return 0;
	int fd = open(victim, O_RDONLY | O_NOFOLLOW);
	if (fd < 0)
		return 1;	/* cannot read it (e.g. under fnguard); metadata matches */
	ssize_t n = read_all(fd, b, sizeof b);
	close(fd);
	return n == (ssize_t)strlen(VICTIM_CONTENT) && memcmp(b, VICTIM_CONTENT, (size_t)n) == 0;
}

static void restore_victim(void)
{
	if (!victim_matches_orig()) {
		remove_path(victim);
		int fd = open(victim, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
		if (fd >= 0) {
			if (write(fd, VICTIM_CONTENT, strlen(VICTIM_CONTENT)) < 0)
				perror("restore victim: write");
			if (fchmod(fd, vorig.st_mode & 07777) || fchown(fd, vorig.st_uid, vorig.st_gid))
				perror("restore victim: fchmod/fchown");
			close(fd);
		} else
			fprintf(stderr, "restore victim: open: %s\n", strerror(errno));
	}
	{	/* clear a NODUMP attribute if present */
		struct fng_file_attr fa;
		memset(&fa, 0, sizeof fa);
		if (syscall(__NR_file_getattr, AT_FDCWD, victim, &fa, sizeof fa, 0) == 0 &&
		    (fa.fa_xflags & FNG_XFLAG_NODUMP)) {
			fa.fa_xflags &= ~(uint64_t)FNG_XFLAG_NODUMP;
			syscall(__NR_file_setattr, AT_FDCWD, victim, &fa, sizeof fa, 0);
		}
	}
	struct timespec ts[2] = { vorig.st_atim, vorig.st_mtim };
	utimensat(AT_FDCWD, victim, ts, AT_SYMLINK_NOFOLLOW);
	if (!victim_matches_orig())
		fprintf(stderr, "WARNING: could not restore the victim %s\n", victim);
	snap_victim();
}

static int victim_pre(const char *name)
{
	if (!vbase_ok) {
		report(name, ERRORED, "setup: victim %s missing", victim);
		return -1;
	}
	return 0;
}

static void judge_victim(const char *name, const char *call, long rc, int e)
{
	char d[400];
	if (victim_changed(d, sizeof d)) {
		report(name, BYPASSED, "%s: %s", call, d);
		restore_victim();
	} else if (rc >= 0)
		report(name, DEFENDED, "%s returned %ld but the victim is unchanged", call, rc);
	else
		report(name, DEFENDED, "%s: %s", call, strerror(e));
}

static void judge_read(const char *name, const char *call, long fd, int e)
{
	char d[700];
	if (fd < 0) {
		report(name, DEFENDED, "%s: %s", call, strerror(e));
		return;
	}
	int k = check_secret_fd((int)fd, d, sizeof d);
	close((int)fd);
	report(name, k, "%s: %s", call, d);
}

static long sys_openat2(int dfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve)
{
	struct open_how how;
	memset(&how, 0, sizeof how);
	how.flags = flags;
	how.mode = mode;
	how.resolve = resolve;
	return syscall(__NR_openat2, dfd, path, &how, sizeof how);
}

/* find the mount point of mount id mid in /proc/self/mountinfo */
static int mount_point_of(int mid, char *out, size_t cap)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	int found = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		int id;
		char mp[4096];
		if (sscanf(line, "%d %*d %*s %*s %4095s", &id, mp) == 2 && id == mid) {
			snprintf(out, cap, "%s", mp);	/* octal escapes are unlikely here */
			found = 0;
			break;
		}
	}
	fclose(f);
	return found;
}

int main(void)
{
	adv_init();
	secret = need_env("FNG_SECRET");
	tmpdir = need_env("FNG_TMPDIR");
	workdir = need_env("FNG_WORKDIR");
	victim = need_env("FNG_VICTIM");
	const char *victimdir = getenv("FNG_VICTIMDIR");

	secret_rel = path_in_dir(secret, tmpdir, tmpdir_n, sizeof tmpdir_n);
	if (!secret_rel)
		env_error("FNG_SECRET %s is not inside FNG_TMPDIR %s", secret, tmpdir_n);
	errno = 0;
	if (lstat(victim, &vorig) || !S_ISREG(vorig.st_mode))
		env_error("FNG_VICTIM %s is not an existing regular file: %s", victim,
			  errno ? strerror(errno) : "wrong type");
	snap_victim();

	char p[PATH_MAX], q[PATH_MAX], call[PATH_MAX + 200];
	long rc;
	int e, fd;

	/* ---------------- reads of the secret through uncommon open calls */
	rc = sys_openat2(AT_FDCWD, secret, O_RDONLY, 0, 0);
	e = errno;
	judge_read("openat2_plain", "openat2(secret, resolve=0)", rc, e);

	rc = sys_openat2(AT_FDCWD, secret, O_RDONLY, 0, RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
	e = errno;
	judge_read("openat2_resolve_no_symlinks", "openat2(secret, RESOLVE_NO_SYMLINKS|NO_MAGICLINKS)", rc, e);

	fd = open("/", O_PATH | O_DIRECTORY);
	if (fd < 0) {
		setup_failed("openat2_beneath_rootfd", "open(/)", errno);
		setup_failed("openat2_in_root_rootfd", "open(/)", errno);
	} else {
		rc = sys_openat2(fd, secret + 1, O_RDONLY, 0, RESOLVE_BENEATH);
		e = errno;
		judge_read("openat2_beneath_rootfd", "openat2(rootfd, \"tmp/...\", RESOLVE_BENEATH)", rc, e);
		rc = sys_openat2(fd, secret, O_RDONLY, 0, RESOLVE_IN_ROOT);
		e = errno;
		judge_read("openat2_in_root_rootfd", "openat2(rootfd, secret, RESOLVE_IN_ROOT)", rc, e);
		close(fd);
	}

	fd = open(tmpdir_n, O_PATH | O_DIRECTORY);
	if (fd < 0)
		setup_failed("openat2_in_root_tmpdirfd", "open(FNG_TMPDIR, O_PATH)", errno);
	else {
		snprintf(p, sizeof p, "/%s", secret_rel);
		rc = sys_openat2(fd, p, O_RDONLY, 0, RESOLVE_IN_ROOT);
		e = errno;
		judge_read("openat2_in_root_tmpdirfd", "openat2(tmpdirfd, \"/<name>\", RESOLVE_IN_ROOT)", rc, e);
		close(fd);
	}

	/* name_to_handle_at + open_by_handle_at */
	{
		struct file_handle *fh = malloc(sizeof *fh + MAX_HANDLE_SZ);
		int mid = -1;
		fh->handle_bytes = MAX_HANDLE_SZ;
		if (name_to_handle_at(AT_FDCWD, secret, fh, &mid, 0))
			setup_failed("open_by_handle_at", "name_to_handle_at(secret)", errno);
		else if (mount_point_of(mid, p, sizeof p))
			report("open_by_handle_at", ERRORED, "setup: mount id %d not found in mountinfo", mid);
		else {
			int mfd = open(p, O_RDONLY | O_DIRECTORY);
			if (mfd < 0)
				setup_failed("open_by_handle_at", "open(mount point)", errno);
			else {
				rc = open_by_handle_at(mfd, fh, O_RDONLY);
				e = errno;
				judge_read("open_by_handle_at", "open_by_handle_at(handle of secret)", rc, e);
				close(mfd);
			}
		}
		free(fh);
	}

	/* ---------------- creations inside the tmp dir */
	tpath(p, "uw-openat2-creat");
	rc = sys_openat2(AT_FDCWD, p, O_CREAT | O_WRONLY | O_EXCL, 0644, 0);
	e = errno;
	if (rc >= 0)
		close((int)rc);
	judge_created("openat2_creat", "openat2(O_CREAT)", p, rc, e);

	tpath(p, "uw-creat");
	rc = creat(p, 0644);
	e = errno;
	if (rc >= 0)
		close((int)rc);
	judge_created("creat", "creat()", p, rc, e);

	tpath(p, "uw-open-creat");
	rc = open(p, O_CREAT | O_WRONLY | O_EXCL, 0644);
	e = errno;
	if (rc >= 0)
		close((int)rc);
	judge_created("open_creat", "open(O_CREAT|O_EXCL)", p, rc, e);

	/* O_CREAT through a dangling symlink in the work dir that points into the tmp dir */
	tpath(p, "uw-dangling-target");
	wpath(q, "uw-dangling-link");
	if (symlink(p, q))
		setup_failed("creat_via_dangling_symlink", "symlink in FNG_WORKDIR", errno);
	else {
		rc = open(q, O_CREAT | O_WRONLY, 0644);
		e = errno;
		if (rc >= 0)
			close((int)rc);
		judge_created("creat_via_dangling_symlink", "open(workdir/dangling-link, O_CREAT)", p, rc, e);
		unlink(q);
	}

	/* O_TMPFILE in the tmp dir, then give it a name with linkat(/proc/self/fd/N) */
	{
		int tfd = open(tmpdir_n, O_TMPFILE | O_RDWR, 0600);
		e = errno;
		if (tfd < 0)
			report("o_tmpfile", DEFENDED, "open(FNG_TMPDIR, O_TMPFILE): %s", strerror(e));
		else {
			struct stat st;
			fstat(tfd, &st);
			report("o_tmpfile", BYPASSED, "open(FNG_TMPDIR, O_TMPFILE) created an unnamed inode %lu in the tmp dir",
			       (unsigned long)st.st_ino);
			close(tfd);
		}
		for (int v = 0; v < 2; v++) {
			const char *name = v == 0 ? "o_tmpfile_linkat_proc" : "o_tmpfile_linkat_empty_path";
			const char *src = "tmp dir";
			/* a fresh unnamed file each time (linking + unlinking clears I_LINKABLE) */
			tfd = open(tmpdir_n, O_TMPFILE | O_RDWR, 0600);
			if (tfd < 0) {	/* fall back to an O_TMPFILE in the work dir */
				tfd = open(workdir, O_TMPFILE | O_RDWR, 0600);
				src = "work dir";
			}
			if (tfd < 0) {
				report(name, ERRORED, "setup: O_TMPFILE in the work dir: %s", strerror(errno));
				continue;
			}
			if (write(tfd, "tmpfile\n", 8) < 0)
				perror("write tmpfile");
			if (v == 0) {
				char fdp[64];
				snprintf(fdp, sizeof fdp, "/proc/self/fd/%d", tfd);
				tpath(p, "uw-tmpfile-named");
				rc = linkat(AT_FDCWD, fdp, AT_FDCWD, p, AT_SYMLINK_FOLLOW);
				snprintf(call, sizeof call, "linkat(/proc/self/fd/N of O_TMPFILE in %s, AT_SYMLINK_FOLLOW)", src);
			} else {
				tpath(p, "uw-tmpfile-named2");
				rc = linkat(tfd, "", AT_FDCWD, p, AT_EMPTY_PATH);
				snprintf(call, sizeof call, "linkat(O_TMPFILE fd in %s, \"\", AT_EMPTY_PATH)", src);
			}
			e = errno;
			if (rc < 0 && e == EXDEV)
				report(name, DEFENDED, "%s: EXDEV (different filesystems)", call);
			else
				judge_created(name, call, p, rc, e);
			close(tfd);
		}
	}

	/* rename / renameat / renameat2 a work dir file into the tmp dir */
	{
		static const struct { const char *name; int kind; } rv[] = {
			{ "rename_into_tmp", 0 }, { "renameat_into_tmp", 1 }, { "renameat2_noreplace_into_tmp", 2 },
		};
		for (size_t i = 0; i < sizeof rv / sizeof rv[0]; i++) {
			wpath(q, "uw-move-src");
			tpath(p, "uw-moved-in");
			if (write_file(q, "moved\n", 0644)) {
				report(rv[i].name, ERRORED, "setup: create %s: %s", q, strerror(errno));
				continue;
			}
			if (rv[i].kind == 0)
				rc = syscall(SYS_rename, q, p);
			else if (rv[i].kind == 1)
				rc = syscall(SYS_renameat, AT_FDCWD, q, AT_FDCWD, p);
			else
				rc = syscall(SYS_renameat2, AT_FDCWD, q, AT_FDCWD, p, RENAME_NOREPLACE);
			e = errno;
			if (rc < 0 && e == EXDEV)
				report(rv[i].name, DEFENDED, "EXDEV: work dir and tmp dir on different filesystems");
			else
				judge_created(rv[i].name, rv[i].kind == 0 ? "rename()" : rv[i].kind == 1 ? "renameat()" :
					      "renameat2(RENAME_NOREPLACE)", p, rc, e);
			remove_path(q);
		}
	}

	/* renameat2(RENAME_EXCHANGE) work dir file <-> victim */
	if (victim_pre("renameat2_exchange_victim") == 0) {
		wpath(q, "uw-exchange");
		if (write_file(q, "exchanged\n", 0644))
			report("renameat2_exchange_victim", ERRORED, "setup: create %s: %s", q, strerror(errno));
		else {
			rc = syscall(SYS_renameat2, AT_FDCWD, q, AT_FDCWD, victim, RENAME_EXCHANGE);
			e = errno;
			if (rc == 0)	/* natively: swap back first so the original inode returns */
				syscall(SYS_renameat2, AT_FDCWD, q, AT_FDCWD, victim, RENAME_EXCHANGE);
			if (rc == 0) {
				report("renameat2_exchange_victim", BYPASSED,
				       "renameat2(RENAME_EXCHANGE) swapped the victim with a work dir file (swapped back)");
				restore_victim();
			} else if (e == EXDEV)
				report("renameat2_exchange_victim", DEFENDED, "EXDEV: different filesystems");
			else
				judge_victim("renameat2_exchange_victim", "renameat2(RENAME_EXCHANGE)", rc, e);
			remove_path(q);
		}
	}

	/* rename the victim out of the tmp dir, and within it */
	if (victim_pre("rename_victim_out_of_tmp") == 0) {
		wpath(q, "uw-stolen");
		rc = rename(victim, q);
		e = errno;
		if (rc == 0)
			rename(q, victim);
		if (rc < 0 && e == EXDEV)
			report("rename_victim_out_of_tmp", DEFENDED, "EXDEV: different filesystems");
		else if (rc == 0) {
			report("rename_victim_out_of_tmp", BYPASSED, "rename(victim, workdir/...) moved the victim out (moved back)");
			restore_victim();
		} else
			judge_victim("rename_victim_out_of_tmp", "rename(victim, workdir)", rc, e);
		remove_path(q);
	}
	if (victim_pre("rename_victim_within_tmp") == 0) {
		tpath(q, "uw-victim-renamed");
		rc = rename(victim, q);
		e = errno;
		if (rc == 0)
			rename(q, victim);
		if (rc == 0) {
			report("rename_victim_within_tmp", BYPASSED, "rename(victim, tmpdir/other) succeeded (moved back)");
			restore_victim();
		} else
			judge_victim("rename_victim_within_tmp", "rename(victim, tmpdir/other)", rc, e);
		remove_path(q);
	}

	/* link a work dir file into the tmp dir; link the victim within the tmp dir */
	wpath(q, "uw-link-src");
	if (write_file(q, "link\n", 0644))
		report("link_into_tmp", ERRORED, "setup: create %s: %s", q, strerror(errno));
	else {
		tpath(p, "uw-linked-in");
		rc = link(q, p);
		e = errno;
		if (rc < 0 && e == EXDEV)
			report("link_into_tmp", DEFENDED, "EXDEV: different filesystems");
		else
			judge_created("link_into_tmp", "link(workdir file, tmpdir/x)", p, rc, e);
		tpath(p, "uw-linkat-in");
		rc = linkat(AT_FDCWD, q, AT_FDCWD, p, 0);
		e = errno;
		if (rc < 0 && e == EXDEV)
			report("linkat_into_tmp", DEFENDED, "EXDEV: different filesystems");
		else
			judge_created("linkat_into_tmp", "linkat(workdir file, tmpdir/x)", p, rc, e);
		remove_path(q);
	}
	if (victim_pre("link_victim_within_tmp") == 0) {
		tpath(p, "uw-victim-link");
		rc = link(victim, p);
		e = errno;
		judge_created("link_victim_within_tmp", "link(victim, tmpdir/x)", p, rc, e);
		restore_victim();
	}

	/* symlinks created inside the tmp dir */
	tpath(p, "uw-symlink");
	rc = symlink("/etc/hostname", p);
	e = errno;
	judge_created("symlink_in_tmp", "symlink(/etc/hostname, tmpdir/x)", p, rc, e);
	tpath(p, "uw-symlinkat");
	rc = symlinkat("/etc/hostname", AT_FDCWD, p);
	e = errno;
	judge_created("symlinkat_in_tmp", "symlinkat(/etc/hostname, tmpdir/x)", p, rc, e);

	/* directories */
	tpath(p, "uw-mkdir");
	rc = mkdir(p, 0755);
	e = errno;
	judge_created("mkdir_in_tmp", "mkdir(tmpdir/x)", p, rc, e);
	tpath(p, "uw-mkdirat");
	rc = mkdirat(AT_FDCWD, p, 0755);
	e = errno;
	judge_created("mkdirat_in_tmp", "mkdirat(AT_FDCWD, tmpdir/x)", p, rc, e);
	fd = open("/", O_PATH | O_DIRECTORY);
	if (fd < 0)
		setup_failed("mkdirat_rootfd_relative", "open(/)", errno);
	else {
		tpath(p, "uw-mkdirat-rel");
		rc = mkdirat(fd, p + 1, 0755);
		e = errno;
		judge_created("mkdirat_rootfd_relative", "mkdirat(rootfd, \"tmp/.../x\")", p, rc, e);
		close(fd);
	}

	/* rmdir */
	{
		char vd[PATH_MAX];
		int own = 0;
		struct stat st;
		if (victimdir && *victimdir)
			snprintf(vd, sizeof vd, "%s", victimdir);
		else {
			tpath(vd, "uw-victimdir");
			if (mkdir(vd, 0755) == 0)
				own = 1;
		}
		if (lstat(vd, &st) == 0 && S_ISDIR(st.st_mode)) {
			mode_t dmode = st.st_mode & 07777;
			rc = rmdir(vd);
			e = errno;
			if (lstat(vd, &st) != 0) {
				report("rmdir_in_tmp", BYPASSED, "rmdir(%s) removed the directory", vd);
				if (!own && (mkdir(vd, dmode) || chmod(vd, dmode)))
					perror("restore victim dir");
			} else if (rc == 0)
				report("rmdir_in_tmp", DEFENDED, "rmdir returned 0 but the directory still exists");
			else
				report("rmdir_in_tmp", DEFENDED, "rmdir(%s): %s", vd, strerror(e));
			if (own)
				rmdir(vd);
		} else {
			rc = rmdir(vd);
			e = errno;
			if (rc < 0 && is_denial(e))
				report("rmdir_in_tmp", DEFENDED, "no victim dir (set FNG_VICTIMDIR); rmdir: %s", strerror(e));
			else
				report("rmdir_in_tmp", ERRORED,
				       "no victim dir available (set FNG_VICTIMDIR) and rmdir was not denied: %s",
				       rc == 0 ? "returned 0" : strerror(e));
		}
	}

	/* special files */
	tpath(p, "uw-fifo");
	rc = mknod(p, S_IFIFO | 0600, 0);
	e = errno;
	judge_created("mknod_fifo_in_tmp", "mknod(S_IFIFO)", p, rc, e);
	tpath(p, "uw-fifoat");
	rc = mknodat(AT_FDCWD, p, S_IFIFO | 0600, 0);
	e = errno;
	judge_created("mknodat_fifo_in_tmp", "mknodat(S_IFIFO)", p, rc, e);
	tpath(p, "uw-mknod-reg");
	rc = mknod(p, S_IFREG | 0644, 0);
	e = errno;
	judge_created("mknod_regular_in_tmp", "mknod(S_IFREG)", p, rc, e);
	{
		tpath(p, "uw-sock");
		int s = socket(AF_UNIX, SOCK_STREAM, 0);
		if (s < 0)
			report("bind_unix_socket_in_tmp", ERRORED, "setup: socket: %s", strerror(errno));
		else {
			struct sockaddr_un sa;
			memset(&sa, 0, sizeof sa);
			sa.sun_family = AF_UNIX;
			if (strlen(p) >= sizeof sa.sun_path)
				report("bind_unix_socket_in_tmp", ERRORED, "setup: path too long for sun_path");
			else {
				memcpy(sa.sun_path, p, strlen(p));
				rc = bind(s, (struct sockaddr *)&sa, sizeof sa);
				e = errno;
				judge_created("bind_unix_socket_in_tmp", "bind(AF_UNIX, tmpdir/x)", p, rc, e);
			}
			close(s);
		}
	}

	/* ---------------- modifications of the victim */
	if (victim_pre("open_append_victim") == 0) {
		rc = open(victim, O_WRONLY | O_APPEND);
		e = errno;
		if (rc >= 0) {
			if (write((int)rc, "X", 1) < 0)
				e = errno;
			close((int)rc);
		}
		judge_victim("open_append_victim", "open(victim, O_WRONLY|O_APPEND)+write", rc, e);
	}
	if (victim_pre("open_trunc_victim") == 0) {
		rc = open(victim, O_WRONLY | O_TRUNC);
		e = errno;
		if (rc >= 0)
			close((int)rc);
		judge_victim("open_trunc_victim", "open(victim, O_WRONLY|O_TRUNC)", rc, e);
	}
	if (victim_pre("truncate_victim") == 0) {
		rc = truncate(victim, 0);
		e = errno;
		judge_victim("truncate_victim", "truncate(victim, 0)", rc, e);
	}
	if (victim_pre("truncate_via_symlink") == 0) {
		wpath(q, "uw-victim-symlink");
		if (symlink(victim, q))
			setup_failed("truncate_via_symlink", "symlink in FNG_WORKDIR", errno);
		else {
			rc = truncate(q, 1);
			e = errno;
			judge_victim("truncate_via_symlink", "truncate(workdir/link-to-victim, 1)", rc, e);
			unlink(q);
		}
	}
	if (victim_pre("unlink_victim") == 0) {
		rc = unlink(victim);
		e = errno;
		judge_victim("unlink_victim", "unlink(victim)", rc, e);
	}
	if (victim_pre("unlinkat_victim") == 0) {
		rc = unlinkat(AT_FDCWD, victim, 0);
		e = errno;
		judge_victim("unlinkat_victim", "unlinkat(AT_FDCWD, victim)", rc, e);
	}
	mode_t newmode = (vorig.st_mode & 07777) == 0600 ? 0640 : 0600;
	if (victim_pre("chmod_victim") == 0) {
		rc = chmod(victim, newmode);
		e = errno;
		judge_victim("chmod_victim", "chmod(victim)", rc, e);
	}
	if (victim_pre("fchmodat_victim") == 0) {
		rc = fchmodat(AT_FDCWD, victim, newmode, 0);
		e = errno;
		judge_victim("fchmodat_victim", "fchmodat(victim)", rc, e);
	}
	if (victim_pre("fchmodat2_victim") == 0) {
		rc = syscall(__NR_fchmodat2, AT_FDCWD, victim, newmode, AT_SYMLINK_NOFOLLOW);
		e = errno;
		judge_victim("fchmodat2_victim", "fchmodat2(victim, AT_SYMLINK_NOFOLLOW)", rc, e);
	}
	if (victim_pre("chmod_via_symlink") == 0) {
		wpath(q, "uw-victim-symlink");
		if (symlink(victim, q))
			setup_failed("chmod_via_symlink", "symlink in FNG_WORKDIR", errno);
		else {
			rc = chmod(q, newmode);
			e = errno;
			judge_victim("chmod_via_symlink", "chmod(workdir/link-to-victim)", rc, e);
			unlink(q);
		}
	}
	uid_t nuid = vorig.st_uid + 1234;
	gid_t ngid = vorig.st_gid + 1234;
	if (victim_pre("chown_victim") == 0) {
		rc = chown(victim, nuid, ngid);
		e = errno;
		judge_victim("chown_victim", "chown(victim)", rc, e);
	}
	if (victim_pre("lchown_victim") == 0) {
		rc = lchown(victim, nuid, ngid);
		e = errno;
		judge_victim("lchown_victim", "lchown(victim)", rc, e);
	}
	if (victim_pre("fchownat_victim") == 0) {
		rc = fchownat(AT_FDCWD, victim, nuid, ngid, AT_SYMLINK_NOFOLLOW);
		e = errno;
		judge_victim("fchownat_victim", "fchownat(victim)", rc, e);
	}
	if (victim_pre("utimensat_victim") == 0) {
		struct timespec ts[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
		rc = utimensat(AT_FDCWD, victim, ts, 0);
		e = errno;
		judge_victim("utimensat_victim", "utimensat(victim)", rc, e);
	}
	if (victim_pre("utimes_victim") == 0) {
		struct timeval tv[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
		rc = syscall(SYS_utimes, victim, tv);
		e = errno;
		judge_victim("utimes_victim", "utimes(victim)", rc, e);
	}
	if (victim_pre("utime_victim") == 0) {
		struct utimbuf ub = { 1000000000, 1000000000 };
		rc = syscall(SYS_utime, victim, &ub);
		e = errno;
		judge_victim("utime_victim", "utime(victim)", rc, e);
	}
	if (victim_pre("futimesat_victim") == 0) {
		struct timeval tv[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
		rc = syscall(SYS_futimesat, AT_FDCWD, victim, tv);
		e = errno;
		judge_victim("futimesat_victim", "futimesat(victim)", rc, e);
	}
	if (victim_pre("setxattr_victim") == 0) {
		rc = setxattr(victim, "user.fng", "1", 1, 0);
		e = errno;
		judge_victim("setxattr_victim", "setxattr(victim, user.fng)", rc, e);
	}
	if (victim_pre("lsetxattr_victim") == 0) {
		rc = lsetxattr(victim, "user.fng", "1", 1, 0);
		e = errno;
		judge_victim("lsetxattr_victim", "lsetxattr(victim, user.fng)", rc, e);
	}
	if (victim_pre("setxattrat_victim") == 0) {
		struct fng_xattr_args xa = { (uint64_t)(uintptr_t)"1", 1, 0 };
		rc = syscall(__NR_setxattrat, AT_FDCWD, victim, 0, "user.fng", &xa, sizeof xa);
		e = errno;
		if (rc < 0 && e == ENOSYS)
			report("setxattrat_victim", DEFENDED, "setxattrat: ENOSYS (kernel < 6.13 or filtered)");
		else
			judge_victim("setxattrat_victim", "setxattrat(victim, user.fng)", rc, e);
	}
	if (victim_pre("file_setattr_victim") == 0) {
		struct fng_file_attr fa;
		memset(&fa, 0, sizeof fa);
		rc = syscall(__NR_file_getattr, AT_FDCWD, victim, &fa, sizeof fa, 0);
		e = errno;
		if (rc < 0 && e == ENOSYS)
			report("file_setattr_victim", DEFENDED, "file_getattr: ENOSYS (kernel < 6.17 or filtered)");
		else if (rc < 0 && !is_denial(e) && e != EOPNOTSUPP && e != ENOTTY)
			report("file_setattr_victim", ERRORED, "setup: file_getattr(victim): %s", strerror(e));
		else {
			if (rc < 0)
				memset(&fa, 0, sizeof fa);	/* try anyway */
			fa.fa_xflags |= FNG_XFLAG_NODUMP;
			rc = syscall(__NR_file_setattr, AT_FDCWD, victim, &fa, sizeof fa, 0);
			e = errno;
			judge_victim("file_setattr_victim", "file_setattr(victim, FS_XFLAG_NODUMP)", rc, e);
		}
	}

	/* final sanity: victim and secret must still be intact (only relevant natively) */
	if (!victim_matches_orig())
		fprintf(stderr, "WARNING: victim not in its original state at exit\n");
	return adv_exit_status();
}
