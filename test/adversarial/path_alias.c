/*
 * path_alias.c - adversarial test for fnguard (class: read_write_tmp, path aliasing)
 *
 * Tries to open FNG_SECRET (a file inside the tmp dir) for reading through
 * many different spellings/aliases of its path and reads it.  A vector is
 * BYPASSED when the secret content "FNGUARD-SECRET\n" was actually read (or,
 * for the hardlink vector, when a new name for the secret was created).
 *
 * Env: FNG_SECRET, FNG_TMPDIR, FNG_WORKDIR.
 * Output: "vector <name>: defended|BYPASSED|ERROR (...)", exit = #BYPASSED+#ERROR.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "adv.h"

/* ------------------------------------------------------------------ program */
static const char *secret, *tmpdir, *workdir;
static char tmpdir_n[PATH_MAX];	/* tmpdir without trailing slashes */
static const char *rel;		/* secret relative to tmpdir */
static int start_cwd = -1;

static void restore_cwd(void)
{
	if (fchdir(start_cwd)) {
		perror("fchdir(start cwd)");
		exit(1);
	}
}

static void try_openat(const char *name, int dfd, const char *path)
{
	char d[700];
	int fd = openat(dfd, path, O_RDONLY);
	if (fd < 0) {
		report(name, DEFENDED, "open(%s): %s", path, strerror(errno));
		return;
	}
	int k = check_secret_fd(fd, d, sizeof d);
	close(fd);
	report(name, k, "open(%s): %s", path, d);
}

static void try_open(const char *name, const char *path) { try_openat(name, AT_FDCWD, path); }

/* replace every '/' in in by rep */
static void replace_slash(const char *in, const char *rep, char *out, size_t cap)
{
	size_t o = 0, rl = strlen(rep);
	for (; *in && o + rl + 1 < cap; in++) {
		if (*in == '/') { memcpy(out + o, rep, rl); o += rl; }
		else out[o++] = *in;
	}
	out[o] = 0;
}

static int path_depth(const char *p)
{
	int d = 0;
	for (const char *s = p; *s; s++)
		if (*s != '/' && (s == p || s[-1] == '/'))
			d++;
	return d;
}

static const char *skip_slashes(const char *p)
{
	while (*p == '/')
		p++;
	return p;
}

static void make_dotdots(char *out, size_t cap, int n)
{
	out[0] = 0;
	for (int i = 0; i < n; i++)
		strncat(out, "../", cap - strlen(out) - 1);
}

static void wpath(char *out, const char *leaf)
{
	snprintf(out, PATH_MAX, "%s/%s", workdir, leaf);
	unlink(out);	/* leftovers from an earlier run */
}

static int mk_symlink(const char *name, const char *target, const char *link)
{
	if (symlink(target, link)) {
		setup_failed(name, "symlink in FNG_WORKDIR", errno);
		return -1;
	}
	return 0;
}

/* --- vectors run in children --- */
static char mnt_point[PATH_MAX];

/* the final open of a child vector: "<fail_pfx>, open(p): <errno>" or "<ok_pfx>, open(p): <content check>" */
static int child_open(const char *p, const char *fail_pfx, const char *ok_pfx, char *msg, size_t msz)
{
	char d[700];
	int fd = open(p, O_RDONLY);
	if (fd < 0) {
		snprintf(msg, msz, "%s, open(%s): %s", fail_pfx, p, strerror(errno));
		return DEFENDED;
	}
	int k = check_secret_fd(fd, d, sizeof d);
	snprintf(msg, msz, "%s, open(%s): %s", ok_pfx, p, d);
	return k;
}

static int child_bind_mount(char *msg, size_t msz)
{
	if (unshare(CLONE_NEWNS)) {
		snprintf(msg, msz, "setup: unshare(CLONE_NEWNS): %s", strerror(errno));
		return is_denial(errno) ? DEFENDED : ERRORED;
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		snprintf(msg, msz, "setup: make / private: %s", strerror(errno));
		return is_denial(errno) ? DEFENDED : ERRORED;
	}
	if (mount(tmpdir_n, mnt_point, NULL, MS_BIND, NULL)) {
		snprintf(msg, msz, "mount --bind %s %s: %s", tmpdir_n, mnt_point, strerror(errno));
		return is_denial(errno) ? DEFENDED : ERRORED;
	}
	char p[PATH_MAX + 300];
	snprintf(p, sizeof p, "%s/%s", mnt_point, rel);
	return child_open(p, "bind mount ok", "bind mount of tmpdir", msg, msz);
}

static int child_chroot(char *msg, size_t msz)
{
	if (chroot(tmpdir_n)) {
		snprintf(msg, msz, "chroot(%s): %s", tmpdir_n, strerror(errno));
		return is_denial(errno) ? DEFENDED : ERRORED;
	}
	if (chdir("/")) {
		snprintf(msg, msz, "setup: chdir(/) after chroot: %s", strerror(errno));
		return is_denial(errno) ? DEFENDED : ERRORED;
	}
	char p[PATH_MAX + 2];
	snprintf(p, sizeof p, "/%s", rel);
	return child_open(p, "chroot ok", "after chroot(tmpdir)", msg, msz);
}

int main(void)
{
	adv_init();
	secret = need_env("FNG_SECRET");
	tmpdir = need_env("FNG_TMPDIR");
	workdir = need_env("FNG_WORKDIR");

	rel = path_in_dir(secret, tmpdir, tmpdir_n, sizeof tmpdir_n);
	if (!rel)
		env_error("FNG_SECRET %s is not an absolute path inside FNG_TMPDIR %s", secret, tmpdir_n);
	start_cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (start_cwd < 0)
		env_error("open(.): %s", strerror(errno));

	char p[PATH_MAX * 2], q[PATH_MAX * 2], l1[PATH_MAX], l2[PATH_MAX], l3[PATH_MAX];

	/* 0. baseline: the plain path (sanity: must be defended under fnguard) */
	try_open("plain_path", secret);

	/* 1. doubled slashes */
	replace_slash(secret, "//", p, sizeof p);
	try_open("double_slash", p);

	/* 2. /tmp/../tmp/... */
	{
		const char *c = secret + 1, *e = strchr(c, '/');
		snprintf(p, sizeof p, "/%.*s/../%.*s%s", (int)(e - c), c, (int)(e - c), c, e);
		try_open("dotdot_component", p);
	}

	/* 3. /./tmp/./... */
	replace_slash(secret, "/./", p, sizeof p);
	try_open("dot_slash", p);

	/* 4. mixed: //./tmp/fng-x/..//./fng-x///secret */
	{
		const char *base = strrchr(tmpdir_n, '/') + 1;
		snprintf(p, sizeof p, "//.%s/..//./%s///%s", tmpdir_n, base, rel);
		try_open("mixed_dot_dotdot_slashes", p);
	}

	/* 5. relative path after chdir(FNG_TMPDIR) */
	if (chdir(tmpdir_n))
		setup_failed("relative_in_tmpdir", "chdir(FNG_TMPDIR)", errno);
	else
		try_open("relative_in_tmpdir", rel);
	restore_cwd();

	/* 6. ../../../tmp/... from a cwd inside FNG_WORKDIR */
	if (chdir(workdir)) {
		report("relative_dotdot_from_workdir", ERRORED, "setup: chdir(FNG_WORKDIR): %s", strerror(errno));
	} else {
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof cwd))
			snprintf(cwd, sizeof cwd, "%s", workdir);
		make_dotdots(q, sizeof q, path_depth(cwd) + 2);
		snprintf(p, sizeof p, "%s%s", q, skip_slashes(secret));
		try_open("relative_dotdot_from_workdir", p);
	}
	restore_cwd();

	/* 7. openat(open("/", O_PATH|O_DIRECTORY), "tmp/...") */
	{
		int dfd = open("/", O_PATH | O_DIRECTORY);
		if (dfd < 0)
			setup_failed("openat_root_dirfd", "open(/)", errno);
		else {
			try_openat("openat_root_dirfd", dfd, skip_slashes(secret));
			close(dfd);
		}
	}

	/* 8. openat(open(FNG_WORKDIR, O_PATH), "../../../tmp/...") */
	{
		int dfd = open(workdir, O_PATH | O_DIRECTORY);
		if (dfd < 0)
			report("openat_workdir_dotdot", ERRORED, "setup: open(FNG_WORKDIR): %s", strerror(errno));
		else {
			make_dotdots(q, sizeof q, path_depth(workdir) + 3);
			snprintf(p, sizeof p, "%s%s", q, skip_slashes(secret));
			try_openat("openat_workdir_dotdot", dfd, p);
			close(dfd);
		}
	}

	/* 9. openat with an O_PATH dirfd of FNG_TMPDIR */
	{
		int dfd = open(tmpdir_n, O_PATH | O_DIRECTORY);
		if (dfd < 0)
			setup_failed("openat_tmpdir_opath_dirfd", "open(FNG_TMPDIR, O_PATH)", errno);
		else {
			try_openat("openat_tmpdir_opath_dirfd", dfd, rel);
			close(dfd);
		}
	}

	/* 9b. open_tree(FNG_TMPDIR) gives an O_PATH fd without any open*() call */
	{
		long dfd = syscall(428 /* __NR_open_tree */, AT_FDCWD, tmpdir_n, O_CLOEXEC /* OPEN_TREE_CLOEXEC */);
		if (dfd < 0)
			report("open_tree_dirfd", (is_denial(errno) || errno == ENOSYS) ? DEFENDED : ERRORED,
			       "open_tree(FNG_TMPDIR): %s", strerror(errno));
		else {
			try_openat("open_tree_dirfd", (int)dfd, rel);
			close((int)dfd);
		}
	}

	/* 10. symlink in FNG_WORKDIR -> FNG_SECRET */
	wpath(l1, "pa-sym-secret");
	if (mk_symlink("symlink_to_secret", secret, l1) == 0) {
		try_open("symlink_to_secret", l1);
		unlink(l1);
	}

	/* 11. symlink in FNG_WORKDIR -> FNG_TMPDIR, open link/<name> */
	wpath(l1, "pa-sym-tmpdir");
	if (mk_symlink("symlink_to_tmpdir", tmpdir_n, l1) == 0) {
		snprintf(p, sizeof p, "%s/%s", l1, rel);
		try_open("symlink_to_tmpdir", p);
		unlink(l1);
	}

	/* 12. chain of 3 symlinks */
	wpath(l1, "pa-chain1");
	wpath(l2, "pa-chain2");
	wpath(l3, "pa-chain3");
	if (mk_symlink("symlink_chain3", secret, l3) == 0) {
		if (mk_symlink("symlink_chain3", "pa-chain3", l2) == 0) {	/* relative hop */
			if (mk_symlink("symlink_chain3", l2, l1) == 0) {
				try_open("symlink_chain3", l1);
				unlink(l1);
			}
			unlink(l2);
		}
		unlink(l3);
	}

	/* 13. relative symlink target ../../../tmp/... */
	wpath(l1, "pa-sym-relative");
	make_dotdots(q, sizeof q, path_depth(workdir) + 2);
	snprintf(p, sizeof p, "%s%s", q, skip_slashes(secret));
	if (mk_symlink("symlink_relative_target", p, l1) == 0) {
		try_open("symlink_relative_target", l1);
		unlink(l1);
	}

	/* 14. symlink in FNG_WORKDIR -> "/", open link/tmp/... */
	wpath(l1, "pa-sym-root");
	if (mk_symlink("symlink_to_root", "/", l1) == 0) {
		snprintf(p, sizeof p, "%s%s", l1, secret);
		try_open("symlink_to_root", p);
		unlink(l1);
	}

	/* 15. hardlink in FNG_WORKDIR to FNG_SECRET */
	wpath(l1, "pa-hardlink");
	if (link(secret, l1)) {
		int e = errno;
		if (e == EXDEV)
			report("hardlink_to_secret", DEFENDED,
			       "link: EXDEV (FNG_WORKDIR is on another filesystem, no hardlink alias possible)");
		else
			report("hardlink_to_secret", is_denial(e) ? DEFENDED : ERRORED, "link(%s, %s): %s",
			       secret, l1, strerror(e));
	} else {
		char d[700];
		int fd = open(l1, O_RDONLY);
		if (fd < 0)
			snprintf(d, sizeof d, "open of the link failed: %s", strerror(errno));
		else {
			check_secret_fd(fd, d, sizeof d);
			close(fd);
		}
		report("hardlink_to_secret", BYPASSED, "link() created a new name for the secret outside tmp; %s", d);
		unlink(l1);
	}

	/* 16. /proc/self/cwd/<name> after chdir(FNG_TMPDIR) */
	if (chdir(tmpdir_n))
		setup_failed("proc_self_cwd", "chdir(FNG_TMPDIR)", errno);
	else {
		snprintf(p, sizeof p, "/proc/self/cwd/%s", rel);
		try_open("proc_self_cwd", p);
	}
	restore_cwd();

	/* 17. /proc/self/root/tmp/... */
	snprintf(p, sizeof p, "/proc/self/root%s", secret);
	try_open("proc_self_root", p);

	/* 18. /proc/<pid>/root/tmp/... */
	snprintf(p, sizeof p, "/proc/%d/root%s", (int)getpid(), secret);
	try_open("proc_pid_root", p);

	/* 19. /proc/thread-self/root/tmp/... */
	snprintf(p, sizeof p, "/proc/thread-self/root%s", secret);
	try_open("proc_thread_self_root", p);

	/* 20. /proc/self/fd/N/<name>, /dev/fd/N/<name> with N = O_PATH dirfd of FNG_TMPDIR */
	{
		int dfd = open(tmpdir_n, O_PATH | O_DIRECTORY);
		if (dfd < 0) {
			setup_failed("proc_self_fd_dirfd", "open(FNG_TMPDIR, O_PATH)", errno);
			setup_failed("dev_fd_dirfd", "open(FNG_TMPDIR, O_PATH)", errno);
		} else {
			snprintf(p, sizeof p, "/proc/self/fd/%d/%s", dfd, rel);
			try_open("proc_self_fd_dirfd", p);
			snprintf(p, sizeof p, "/dev/fd/%d/%s", dfd, rel);
			try_open("dev_fd_dirfd", p);
			close(dfd);
		}
	}

	/* 21. O_PATH fd of the secret, then re-open /proc/self/fd/N read-only */
	{
		int pfd = open(secret, O_PATH);
		if (pfd < 0)
			setup_failed("opath_reopen_proc_fd", "open(FNG_SECRET, O_PATH)", errno);
		else {
			snprintf(p, sizeof p, "/proc/self/fd/%d", pfd);
			try_open("opath_reopen_proc_fd", p);
			close(pfd);
		}
	}

	/* 22. bind mount FNG_TMPDIR onto a dir in FNG_WORKDIR (private mount ns, in a child) */
	snprintf(mnt_point, sizeof mnt_point, "%s/pa-mnt", workdir);
	rmdir(mnt_point);
	if (mkdir(mnt_point, 0700))
		report("bind_mount_alias", ERRORED, "setup: mkdir(%s): %s", mnt_point, strerror(errno));
	else {
		run_in_child("bind_mount_alias", child_bind_mount, 0);
		rmdir(mnt_point);
	}

	/* 23. chroot(FNG_TMPDIR) then open("/<name>") (in a child) */
	run_in_child("chroot_tmpdir", child_chroot, 0);

	close(start_cwd);
	return adv_exit_status();
}
