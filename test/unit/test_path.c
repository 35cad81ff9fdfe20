/* Unit tests for tracer/resolve/path.c: path resolution in a "tracee" context. The
 * tracee is this test process (tid = tgid = getpid()), or a forked child when
 * the point is that its cwd differs from ours. Expected results are compared
 * with realpath() wherever the file exists. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tracer/resolve/path.h"

static char orig_cwd[PATH_MAX];
static char base[PATH_MAX];	/* realpath of the scratch tree under /tmp */
static char local[PATH_MAX];	/* realpath of a scratch dir under the starting cwd, or "" */

/* ------------------------------------------------------------ helpers */

/* printf into one of a few rotating static buffers */
__attribute__((format(printf, 1, 2))) static const char *P(const char *fmt, ...)
{
	static char bufs[8][PATH_MAX + 64];
	static unsigned n;
	char *b = bufs[n++ % 8];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b, sizeof(bufs[0]), fmt, ap);
	va_end(ap);
	return b;
}

struct opts {
	pid_t tid;		/* 0: this process */
	int dirfd;
	bool follow;
	bool empty;
	bool in_root;
};

static int resolve(const struct opts *o, const char *path, char *out)
{
	pid_t self = getpid();
	struct fng_path_req r = {
		.tid = o->tid ? o->tid : self,
		.tgid = o->tid ? o->tid : self,
		.dirfd = o->dirfd,
		.path = path,
		.follow_last = o->follow,
		.empty_path = o->empty,
		.in_root = o->in_root,
	};
	return fng_path_resolve(&r, out, FNG_PATH_BUF);
}

static void expect_path_at(int line, const struct opts *o, const char *path, const char *want)
{
	char out[FNG_PATH_BUF];
	int r;

	memset(out, 'X', sizeof(out));
	r = resolve(o, path, out);
	if (r != 0)
		fail_msg("line %d: \"%s\": error %d (%s), want \"%s\"", line, path, r, strerror(-r), want);
	if (strcmp(out, want) != 0)
		fail_msg("line %d: \"%s\"\n    got  \"%s\"\n    want \"%s\"", line, path, out, want);
}

static void expect_err_at(int line, const struct opts *o, const char *path, int want)
{
	char out[FNG_PATH_BUF] = "";
	int r = resolve(o, path, out);

	if (r != want)
		fail_msg("line %d: \"%s\": got %d (%s) \"%s\", want %d (%s)", line, path, r, r ? strerror(-r) : "ok",
			 r ? "" : out, want, strerror(-want));
}

/* The result for an existing file must be the kernel's own answer. */
static void expect_real_at(int line, const struct opts *o, const char *path)
{
	char real[PATH_MAX];

	if (!realpath(path, real))
		fail_msg("line %d: realpath(%s): %s", line, path, strerror(errno));
	expect_path_at(line, o, path, real);
}

#define EXPECT_PATH(o, path, want) expect_path_at(__LINE__, o, path, want)
#define EXPECT_ERR(o, path, err) expect_err_at(__LINE__, o, path, err)
#define EXPECT_REAL(o, path) expect_real_at(__LINE__, o, path)

static const struct opts FOLLOW = { .dirfd = AT_FDCWD, .follow = true };
static const struct opts NOFOLLOW = { .dirfd = AT_FDCWD, .follow = false };

static void xsymlink(const char *target, const char *link)
{
	if (symlink(target, link) < 0)
		fail_msg("symlink(%s, %s): %s", target, link, strerror(errno));
}

static void xmkdir(const char *d)
{
	if (mkdir(d, 0755) < 0)
		fail_msg("mkdir(%s): %s", d, strerror(errno));
}

static void xtouch(const char *f)
{
	int fd = open(f, O_CREAT | O_WRONLY, 0644);
	if (fd < 0)
		fail_msg("create %s: %s", f, strerror(errno));
	close(fd);
}

static int rm_rf(const char *path)
{
	char cmd[PATH_MAX + 32];
	/* the paths are ours (mkdtemp), no quoting issues */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	return system(cmd);
}

static void back_home(void)
{
	if (chdir(orig_cwd) < 0)
		fail_msg("chdir back: %s", strerror(errno));
}

/* -------------------------------------------------------------- setup */

static int setup(void **state)
{
	char tmpl[] = "/tmp/fng-unit-path.XXXXXX";
	char ltmpl[] = "fng-unit-path.XXXXXX";
	char *slash;

	(void)state;
	if (!getcwd(orig_cwd, sizeof(orig_cwd)))
		return -1;
	if (!mkdtemp(tmpl) || !realpath(tmpl, base))
		return -1;
	if (mkdtemp(ltmpl) && realpath(ltmpl, local)) {
		/* ok */
	} else {
		local[0] = '\0';
	}

	xmkdir(P("%s/d", base));
	xtouch(P("%s/d/f", base));
	xmkdir(P("%s/d/sub", base));
	xsymlink("d/f", P("%s/lrel", base));
	xsymlink(P("%s/d", base), P("%s/labs", base));
	xsymlink("d", P("%s/ldir", base));
	xsymlink("chain2", P("%s/chain1", base));
	xsymlink("lrel", P("%s/chain2", base));
	slash = strrchr(base, '/');
	xsymlink(P("../%s/d/f", slash + 1), P("%s/dotdot", base));
	xsymlink("self", P("%s/self", base));
	xsymlink("nowhere/x", P("%s/dangling", base));
	xsymlink("d/sub", P("%s/lsub", base));
	xsymlink("/proc/self/cwd", P("%s/pcwd", base));
	/* a 41-link loop: loop/l0 -> l1 -> ... -> l40 -> l0 */
	xmkdir(P("%s/loop", base));
	for (int i = 0; i <= 40; i++)
		xsymlink(P("l%d", (i + 1) % 41), P("%s/loop/l%d", base, i));
	/* chains of exactly 40 (allowed by the kernel) and 41 (ELOOP) links */
	xmkdir(P("%s/c40", base));
	xmkdir(P("%s/c41", base));
	for (int i = 0; i < 40; i++)
		xsymlink(i == 39 ? "../d/f" : P("n%d", i + 1), P("%s/c40/n%d", base, i));
	for (int i = 0; i < 41; i++)
		xsymlink(i == 40 ? "../d/f" : P("n%d", i + 1), P("%s/c41/n%d", base, i));
	/* for in_root tests, rooted at base/d */
	xsymlink("/sub", P("%s/d/rootabs", base));
	xsymlink("../../../../sub", P("%s/d/rootup", base));
	xsymlink("/", P("%s/d/rootslash", base));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (chdir(orig_cwd) < 0)
		return -1;
	rm_rf(base);
	if (local[0])
		rm_rf(local);
	return 0;
}

/* -------------------------------------------------------------- tests */

static void absolute_plain(void **state)
{
	(void)state;
	EXPECT_REAL(&FOLLOW, P("%s/d/f", base));
	EXPECT_REAL(&FOLLOW, P("%s/d/sub", base));
	EXPECT_PATH(&FOLLOW, "/", "/");
	EXPECT_PATH(&FOLLOW, "/tmp", "/tmp");
}

static void dots_and_slashes(void **state)
{
	(void)state;
	EXPECT_PATH(&FOLLOW, P("%s//d/./sub/../f", base), P("%s/d/f", base));
	EXPECT_PATH(&FOLLOW, P("/%s///d//f", base), P("%s/d/f", base));
	EXPECT_PATH(&FOLLOW, P("%s/d/sub/./..", base), P("%s/d", base));
	EXPECT_PATH(&FOLLOW, P("%s/d/sub/", base), P("%s/d/sub", base));
	EXPECT_PATH(&FOLLOW, "///", "/");
	EXPECT_PATH(&FOLLOW, "/.", "/");
	EXPECT_PATH(&FOLLOW, "/..", "/");
	EXPECT_PATH(&FOLLOW, "/../../..", "/");
	EXPECT_PATH(&FOLLOW, "/../tmp/./", "/tmp");
	EXPECT_PATH(&FOLLOW, P("/..%s/d", base), P("%s/d", base));
	EXPECT_PATH(&FOLLOW, P("%s/d/../../../../../..", base), "/");
}

static void relative_after_chdir(void **state)
{
	(void)state;
	char parent[PATH_MAX];

	snprintf(parent, sizeof(parent), "%s", base);
	*strrchr(parent, '/') = '\0';

	assert_int_equal(chdir(base), 0);
	EXPECT_REAL(&FOLLOW, "d/f");
	EXPECT_PATH(&FOLLOW, "d/f", P("%s/d/f", base));
	EXPECT_PATH(&FOLLOW, "./d/../d/./f", P("%s/d/f", base));
	EXPECT_PATH(&FOLLOW, ".", base);
	EXPECT_PATH(&FOLLOW, "..", parent);
	EXPECT_PATH(&FOLLOW, "../../../../../../..", "/");
	EXPECT_PATH(&FOLLOW, "d//sub//", P("%s/d/sub", base));
	EXPECT_ERR(&FOLLOW, "", -ENOENT); /* "" without AT_EMPTY_PATH */
	{
		struct opts e = FOLLOW;
		e.empty = true;
		EXPECT_PATH(&e, "", base);
	}
	assert_int_equal(chdir(P("%s/d/sub", base)), 0);
	EXPECT_PATH(&FOLLOW, "../f", P("%s/d/f", base));
	EXPECT_REAL(&FOLLOW, "../f");
	back_home();
}

/* A scratch directory under the directory the test was started in. */
static void relative_under_start_dir(void **state)
{
	(void)state;
	if (!local[0])
		skip();
	EXPECT_REAL(&FOLLOW, orig_cwd);
	assert_int_equal(chdir(local), 0);
	EXPECT_PATH(&FOLLOW, "x/y", P("%s/x/y", local));
	EXPECT_PATH(&FOLLOW, "..", orig_cwd);
	EXPECT_PATH(&FOLLOW, P("../%s/new", strrchr(local, '/') + 1), P("%s/new", local));
	back_home();
	EXPECT_PATH(&FOLLOW, P("%s/z", strrchr(local, '/') + 1), P("%s/z", local));
}

static void symlink_chains(void **state)
{
	(void)state;
	EXPECT_REAL(&FOLLOW, P("%s/chain1", base));
	EXPECT_PATH(&FOLLOW, P("%s/chain1", base), P("%s/d/f", base));
	EXPECT_PATH(&FOLLOW, P("%s/labs/f", base), P("%s/d/f", base));   /* absolute target */
	EXPECT_PATH(&FOLLOW, P("%s/ldir/sub", base), P("%s/d/sub", base)); /* relative target */
	EXPECT_PATH(&FOLLOW, P("%s/dotdot", base), P("%s/d/f", base));   /* target with ".." */
	EXPECT_REAL(&FOLLOW, P("%s/dotdot", base));
	/* ".." after a symlink is taken in the target, not lexically */
	EXPECT_PATH(&FOLLOW, P("%s/lsub/..", base), P("%s/d", base));
	EXPECT_REAL(&FOLLOW, P("%s/lsub/..", base));
	EXPECT_PATH(&FOLLOW, P("%s/lsub/../../lrel", base), P("%s/d/f", base));
	EXPECT_REAL(&FOLLOW, P("%s/lsub/../../lrel", base));
	/* intermediate symlinks are followed even with follow_last false */
	EXPECT_PATH(&NOFOLLOW, P("%s/ldir/f", base), P("%s/d/f", base));
	EXPECT_PATH(&NOFOLLOW, P("%s/labs/sub/..", base), P("%s/d", base));
}

static void last_component_symlink(void **state)
{
	(void)state;
	EXPECT_PATH(&NOFOLLOW, P("%s/lrel", base), P("%s/lrel", base));
	EXPECT_PATH(&FOLLOW, P("%s/lrel", base), P("%s/d/f", base));
	EXPECT_PATH(&NOFOLLOW, P("%s/chain1", base), P("%s/chain1", base));
	EXPECT_PATH(&NOFOLLOW, P("%s/ldir", base), P("%s/ldir", base));
	EXPECT_PATH(&FOLLOW, P("%s/ldir", base), P("%s/d", base));
}

static void trailing_slash_follows(void **state)
{
	(void)state;
	EXPECT_PATH(&NOFOLLOW, P("%s/ldir/", base), P("%s/d", base));
	EXPECT_PATH(&NOFOLLOW, P("%s/ldir//", base), P("%s/d", base));
	EXPECT_PATH(&NOFOLLOW, P("%s/ldir/.", base), P("%s/d", base));
	EXPECT_PATH(&NOFOLLOW, P("%s/labs/", base), P("%s/d", base));
	EXPECT_PATH(&NOFOLLOW, P("%s/ldir/..", base), base);
}

static void missing_components(void **state)
{
	(void)state;
	EXPECT_PATH(&FOLLOW, P("%s/d/newfile", base), P("%s/d/newfile", base));
	EXPECT_PATH(&NOFOLLOW, P("%s/d/newdir/", base), P("%s/d/newdir", base));
	EXPECT_PATH(&FOLLOW, P("%s/nope/x/y", base), P("%s/nope/x/y", base));
	EXPECT_PATH(&FOLLOW, P("%s/labs/new", base), P("%s/d/new", base));
	EXPECT_PATH(&FOLLOW, P("%s/ldir/nope/./z", base), P("%s/d/nope/z", base));
	/* a dangling symlink: the file it would create */
	EXPECT_PATH(&FOLLOW, P("%s/dangling", base), P("%s/nowhere/x", base));
	EXPECT_PATH(&NOFOLLOW, P("%s/dangling", base), P("%s/dangling", base));
}

static void symlink_loops(void **state)
{
	(void)state;
	struct stat st;

	EXPECT_ERR(&FOLLOW, P("%s/loop/l0", base), -ELOOP);
	EXPECT_ERR(&FOLLOW, P("%s/loop/l17/x", base), -ELOOP);
	EXPECT_ERR(&NOFOLLOW, P("%s/loop/l0/", base), -ELOOP);
	EXPECT_ERR(&FOLLOW, P("%s/self", base), -ELOOP);
	EXPECT_PATH(&NOFOLLOW, P("%s/loop/l0", base), P("%s/loop/l0", base));
	/* the kernel's limit: 40 links are followed, the 41st is ELOOP */
	assert_int_equal(stat(P("%s/c40/n0", base), &st), 0);
	EXPECT_PATH(&FOLLOW, P("%s/c40/n0", base), P("%s/d/f", base));
	assert_int_equal(stat(P("%s/c41/n0", base), &st), -1);
	assert_int_equal(errno, ELOOP);
	EXPECT_ERR(&FOLLOW, P("%s/c41/n0", base), -ELOOP);
	EXPECT_PATH(&FOLLOW, P("%s/c41/n1", base), P("%s/d/f", base));
}

static void dirfd_relative(void **state)
{
	(void)state;
	int fd = open(P("%s/d", base), O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct opts o = { .dirfd = fd, .follow = true };

	assert_true(fd >= 0);
	EXPECT_PATH(&o, "sub/../f", P("%s/d/f", base));
	EXPECT_PATH(&o, "f", P("%s/d/f", base));
	EXPECT_PATH(&o, "../lrel", P("%s/d/f", base));
	EXPECT_PATH(&o, "..", base);
	EXPECT_PATH(&o, "new", P("%s/d/new", base));
	/* an absolute path ignores dirfd */
	EXPECT_PATH(&o, "/tmp", "/tmp");
	/* the cwd is not used */
	assert_int_equal(chdir("/"), 0);
	EXPECT_PATH(&o, "f", P("%s/d/f", base));
	back_home();
	close(fd);
}

static void empty_path_is_dirfd(void **state)
{
	(void)state;
	int dfd = open(P("%s/d", base), O_PATH | O_DIRECTORY | O_CLOEXEC);
	int ffd = open(P("%s/lrel", base), O_RDONLY | O_CLOEXEC); /* opens d/f */
	struct opts o = { .dirfd = dfd, .follow = false, .empty = true };

	assert_true(dfd >= 0);
	assert_true(ffd >= 0);
	EXPECT_PATH(&o, "", P("%s/d", base));
	o.dirfd = ffd;
	EXPECT_PATH(&o, "", P("%s/d/f", base));
	o.empty = false;
	EXPECT_ERR(&o, "", -ENOENT);
	close(dfd);
	close(ffd);
}

static void bad_dirfd(void **state)
{
	(void)state;
	struct opts o = { .dirfd = 9999, .follow = true };

	assert_int_equal(fcntl(9999, F_GETFD), -1);
	EXPECT_ERR(&o, "x", -EBADF);
	/* an absolute path does not need the dirfd */
	EXPECT_PATH(&o, "/tmp", "/tmp");
}

static void non_directory_dirfd(void **state)
{
	(void)state;
	int p[2];
	char link[64], want[64];
	ssize_t n;
	struct opts o = { .follow = true };

	assert_int_equal(pipe(p), 0);
	o.dirfd = p[0];
	EXPECT_ERR(&o, "x", -ENOTDIR);
	o.empty = true;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", p[0]);
	n = readlink(link, want, sizeof(want) - 1);
	assert_true(n > 0);
	want[n] = '\0';
	EXPECT_PATH(&o, "", want);
	close(p[0]);
	close(p[1]);
}

static void proc_self(void **state)
{
	(void)state;
	int dfd = open(P("%s/d", base), O_PATH | O_DIRECTORY | O_CLOEXEC);
	int p[2];
	char link[64], want[64];
	ssize_t n;

	assert_true(dfd >= 0);
	assert_int_equal(chdir(base), 0);
	EXPECT_PATH(&FOLLOW, "/proc/self/cwd/x", P("%s/x", base));
	EXPECT_PATH(&FOLLOW, "/proc/self/cwd", base);
	EXPECT_PATH(&FOLLOW, "/proc/self/cwd/d/f", P("%s/d/f", base));
	EXPECT_PATH(&FOLLOW, "/proc/thread-self/cwd/d", P("%s/d", base));
	EXPECT_PATH(&FOLLOW, "/proc/thread-self/cwd/ldir/f", P("%s/d/f", base));
	EXPECT_PATH(&FOLLOW, "/proc/./self/cwd/lrel", P("%s/d/f", base));
	EXPECT_PATH(&FOLLOW, P("/proc/self/fd/%d/f", dfd), P("%s/d/f", base));
	EXPECT_PATH(&FOLLOW, P("/proc/%d/cwd/d", getpid()), P("%s/d", base));
	EXPECT_PATH(&FOLLOW, "/proc/self/root/tmp", "/tmp");
	/* relative, with the cwd at /proc */
	assert_int_equal(chdir("/proc"), 0);
	EXPECT_PATH(&FOLLOW, P("self/fd/%d/sub", dfd), P("%s/d/sub", base));
	back_home();

	/* magic links to non-path objects */
	assert_int_equal(pipe(p), 0);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", p[1]);
	n = readlink(link, want, sizeof(want) - 1);
	assert_true(n > 0);
	want[n] = '\0';
	assert_memory_equal(want, "pipe:[", 6);
	EXPECT_PATH(&FOLLOW, link, want);
	EXPECT_ERR(&FOLLOW, P("%s/x", link), -ENOTDIR);
	close(p[0]);
	close(p[1]);
	close(dfd);
}

/* With another process as the tracee, /proc/self and relative paths mean its
 * cwd, not ours. */
static void other_process_tracee(void **state)
{
	(void)state;
	int sync[2];
	pid_t child;
	char c;
	struct opts o = { .dirfd = AT_FDCWD, .follow = true };

	assert_int_equal(pipe(sync), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		close(sync[0]);
		if (chdir(P("%s/d/sub", base)) < 0)
			_exit(1);
		if (write(sync[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(sync[1]);
	assert_int_equal(read(sync[0], &c, 1), 1);
	close(sync[0]);
	assert_int_equal(chdir(base), 0);
	o.tid = child;
	EXPECT_PATH(&o, "x", P("%s/d/sub/x", base));
	EXPECT_PATH(&o, "../f", P("%s/d/f", base));
	EXPECT_PATH(&o, "/proc/self/cwd", P("%s/d/sub", base));
	EXPECT_PATH(&o, "/proc/thread-self/cwd/..", P("%s/d", base));
	/* a symlink to /proc/self/... means the tracee's self as well */
	EXPECT_PATH(&o, P("%s/pcwd/x", base), P("%s/d/sub/x", base));
	/* /proc/net is a relative symlink to "self/net" */
	EXPECT_PATH(&o, "/proc/net/dev", P("/proc/%d/net/dev", child));
	back_home();
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	/* a task that is gone */
	EXPECT_ERR(&o, "x", -ENOENT);
}

struct thr {
	int ready[2], done[2];
	pid_t tid;
};

static void *thread_main(void *arg)
{
	struct thr *t = arg;
	char c = 'x';

	t->tid = gettid();
	if (unshare(CLONE_FS) < 0 || chdir(P("%s/d/sub", base)) < 0)
		c = 'E';
	if (write(t->ready[1], &c, 1) != 1)
		return NULL;
	if (read(t->done[0], &c, 1) != 1)
		return NULL;
	return NULL;
}

/* A thread with its own cwd (unshare(CLONE_FS)): tid and tgid differ, and
 * AT_FDCWD, /proc/thread-self and /proc/self must each pick the right one. */
static void thread_tracee(void **state)
{
	(void)state;
	struct thr t = { .tid = 0 };
	pthread_t th;
	char c;
	pid_t self = getpid();

	assert_int_equal(pipe(t.ready), 0);
	assert_int_equal(pipe(t.done), 0);
	assert_int_equal(chdir(base), 0);
	assert_int_equal(pthread_create(&th, NULL, thread_main, &t), 0);
	assert_int_equal(read(t.ready[0], &c, 1), 1);
	assert_int_equal(c, 'x');
	assert_int_not_equal(t.tid, self);
	{
		char out[FNG_PATH_BUF];
		struct fng_path_req r = { .tid = t.tid, .tgid = self, .dirfd = AT_FDCWD, .follow_last = true };

		r.path = "x";
		assert_int_equal(fng_path_resolve(&r, out, sizeof(out)), 0);
		assert_string_equal(out, P("%s/d/sub/x", base));
		r.path = "/proc/thread-self/cwd";
		assert_int_equal(fng_path_resolve(&r, out, sizeof(out)), 0);
		assert_string_equal(out, P("%s/d/sub", base));
		r.path = "/proc/self/cwd"; /* the process: its leader's cwd */
		assert_int_equal(fng_path_resolve(&r, out, sizeof(out)), 0);
		assert_string_equal(out, base);
		r.path = "/proc/self/task";
		assert_int_equal(fng_path_resolve(&r, out, sizeof(out)), 0);
		assert_string_equal(out, P("/proc/%d/task", self));
		r.path = "/proc/thread-self";
		assert_int_equal(fng_path_resolve(&r, out, sizeof(out)), 0);
		assert_string_equal(out, P("/proc/%d/task/%d", self, t.tid));
	}
	assert_int_equal(write(t.done[1], "x", 1), 1);
	pthread_join(th, NULL);
	close(t.ready[0]);
	close(t.ready[1]);
	close(t.done[0]);
	close(t.done[1]);
	back_home();
}

static void in_root(void **state)
{
	(void)state;
	int fd = open(P("%s/d", base), O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct opts o = { .dirfd = fd, .follow = true, .in_root = true };

	assert_true(fd >= 0);
	EXPECT_PATH(&o, "/sub", P("%s/d/sub", base));
	EXPECT_PATH(&o, "/a", P("%s/d/a", base));
	EXPECT_PATH(&o, "/", P("%s/d", base));
	EXPECT_PATH(&o, "..", P("%s/d", base));
	EXPECT_PATH(&o, "../../..", P("%s/d", base));
	EXPECT_PATH(&o, "/../../f", P("%s/d/f", base));
	EXPECT_PATH(&o, "sub/../../../sub", P("%s/d/sub", base));
	/* symlinks are resolved inside the root too */
	EXPECT_PATH(&o, "rootabs", P("%s/d/sub", base));
	EXPECT_PATH(&o, "rootabs/x", P("%s/d/sub/x", base));
	EXPECT_PATH(&o, "rootup", P("%s/d/sub", base));
	EXPECT_PATH(&o, "rootslash/f", P("%s/d/f", base));
	EXPECT_PATH(&o, "/rootslash/../../f", P("%s/d/f", base));
	close(fd);
}

static void in_root_empty_path(void **state)
{
	(void)state;
	int fd = open(P("%s/d", base), O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct opts o = { .dirfd = fd, .follow = true, .in_root = true };

	/* openat2 rejects an empty path (ENOENT) like every other *at call */
	EXPECT_ERR(&o, "", -ENOENT);
	close(fd);
}

static void too_long(void **state)
{
	(void)state;
	char name[NAME_MAX + 2];
	static char longpath[FNG_PATH_BUF + 16];

	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0'; /* 256 characters */
	EXPECT_ERR(&FOLLOW, P("%s/%s", base, name), -ENAMETOOLONG);
	name[NAME_MAX] = '\0'; /* 255: fine */
	EXPECT_PATH(&FOLLOW, P("%s/%s", base, name), P("%s/%s", base, name));

	memset(longpath, 0, sizeof(longpath));
	for (size_t i = 0; i + 2 < FNG_PATH_BUF; i += 2)
		memcpy(longpath + i, "/.", 2);
	EXPECT_PATH(&FOLLOW, longpath, "/");
	memset(longpath, 0, sizeof(longpath));
	for (size_t i = 0; i < FNG_PATH_BUF; i += 2)
		memcpy(longpath + i, "/.", 2);
	assert_int_equal(strlen(longpath), FNG_PATH_BUF);
	EXPECT_ERR(&FOLLOW, longpath, -ENAMETOOLONG);
}

static void small_output_buffer(void **state)
{
	(void)state;
	char out[8];
	struct fng_path_req r = {
		.tid = getpid(), .tgid = getpid(), .dirfd = AT_FDCWD, .path = "/tmp/abcdefgh", .follow_last = true,
	};

	assert_int_equal(fng_path_resolve(&r, out, sizeof(out)), -ENAMETOOLONG);
	r.path = "/tmp";
	assert_int_equal(fng_path_resolve(&r, out, sizeof(out)), 0);
	assert_string_equal(out, "/tmp");
}

static void path_of_fd(void **state)
{
	(void)state;
	char out[FNG_PATH_BUF];
	int fd = open(P("%s/d/f", base), O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(fng_path_of_fd(getpid(), fd, out, sizeof(out)), 0);
	assert_string_equal(out, P("%s/d/f", base));
	close(fd);
	assert_int_equal(fng_path_of_fd(getpid(), fd, out, sizeof(out)), -ENOENT);
}

static void path_under(void **state)
{
	(void)state;
	assert_true(fng_path_under("/tmp", "/tmp"));
	assert_true(fng_path_under("/tmp", "/tmp/x"));
	assert_true(fng_path_under("/tmp", "/tmp/x/y"));
	assert_false(fng_path_under("/tmp", "/tmpx"));
	assert_false(fng_path_under("/tmp", "/tm"));
	assert_false(fng_path_under("/tmp", "/"));
	assert_false(fng_path_under("/tmp", "/var/tmp"));
	assert_false(fng_path_under("/tmp", "pipe:[12]"));
	assert_true(fng_path_under("/", "/"));
	assert_true(fng_path_under("/", "/tmp"));
	assert_true(fng_path_under("/", "/anything/at/all"));
	assert_false(fng_path_under("/", "pipe:[12]"));
	assert_false(fng_path_under("/", ""));
	assert_true(fng_path_under("/var/task", "/var/task/index.js"));
	assert_false(fng_path_under("/var/task", "/var/task2/index.js"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(absolute_plain),
		cmocka_unit_test(dots_and_slashes),
		cmocka_unit_test(relative_after_chdir),
		cmocka_unit_test(relative_under_start_dir),
		cmocka_unit_test(symlink_chains),
		cmocka_unit_test(last_component_symlink),
		cmocka_unit_test(trailing_slash_follows),
		cmocka_unit_test(missing_components),
		cmocka_unit_test(symlink_loops),
		cmocka_unit_test(dirfd_relative),
		cmocka_unit_test(empty_path_is_dirfd),
		cmocka_unit_test(bad_dirfd),
		cmocka_unit_test(non_directory_dirfd),
		cmocka_unit_test(proc_self),
		cmocka_unit_test(other_process_tracee),
		cmocka_unit_test(thread_tracee),
		cmocka_unit_test(in_root),
		cmocka_unit_test(in_root_empty_path),
		cmocka_unit_test(too_long),
		cmocka_unit_test(small_output_buffer),
		cmocka_unit_test(path_of_fd),
		cmocka_unit_test(path_under),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
