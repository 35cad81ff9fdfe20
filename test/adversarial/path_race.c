/*
 * path_race.c - adversarial test for fnguard (class: races on every call that
 * changes something at a path, issue 22)
 *
 * Each call that read_write_tmp judges is made again and again on a path that
 * an attacker makes lead into the temp root after fnguard's check:
 *   NAME_thread - a thread flips the path buffer between a benign path in
 *                 FNG_WORKDIR/bd and the same name in FNG_TMPDIR (padded to
 *                 the same length with slashes);
 *   NAME_swap   - another process flips the symlink FNG_WORKDIR/sw between
 *                 FNG_WORKDIR/bd and FNG_TMPDIR (symlink + rename over it),
 *                 while the call names FNG_WORKDIR/sw/NAME.
 * Calls: open_creat, creat, openat2_creat, open_read (FNG_SECRET), mkdir,
 * mknod (FIFO), symlink, link, rename_to (new name), rename_from (FNG_VICTIM
 * moved out), unlink (FNG_VICTIM), rmdir (FNG_VICTIMDIR), chmod, chown,
 * truncate, utimensat, setxattr, removexattr (FNG_VICTIM), bind (AF_UNIX),
 * exec (FNG_TMPEXE, a /bin/true; the benign one a /bin/false; a tenth of the
 * attempts).
 * BYPASSED: the forbidden effect was seen in the temp root (checked with
 * lstat/stat/getxattr after every attempt, and undone when it happened);
 * ERROR: no attempt succeeded or was refused (the race did not run).
 *
 * Env: FNG_TMPDIR, FNG_WORKDIR, FNG_SECRET, FNG_VICTIM, FNG_VICTIMDIR,
 * FNG_TMPEXE. Optional FNG_RACE_ATTEMPTS (default 20000), FNG_RACE_ONLY (a
 * substring of the vector names to run).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "adv.h"

#define XATTR "user.fng_race"
static int attempts = 20000;
static const char *tmpdir, *workdir;
static char bd[PATH_MAX], sw[PATH_MAX];
static char src[PATH_MAX];	/* a file in the work dir for link and rename */
static struct stat victim0;	/* FNG_VICTIM as the harness made it */
static gid_t other_gid;
static bool keep0;		/* FNG_VICTIM carried XATTR_keep at the start */

/* The path the call is made on, rewritten by the flip thread. */
static char race_buf[PATH_MAX] __attribute__((aligned(64)));
static char path_a[PATH_MAX], path_b[PATH_MAX];
static size_t path_len;
static atomic_int stop_flag;
static atomic_long flips;

struct op {
	const char *name;
	const char *target;	/* name in both directories */
	int (*run)(const char *p);	/* 0: the call succeeded */
	bool (*effect)(const char *t);	/* did it happen in the temp root? (undoes it) */
	void (*reset)(const char *b);	/* the benign side back as before */
	int divide;		/* attempts / divide */
};

static void tpath(char *out, const char *dir, const char *name)
{
	snprintf(out, PATH_MAX, "%s/%s", dir, name);
}

/* ---------------------------------------------------------- effects */
static bool exists_rm(const char *t)
{
	struct stat st;

	if (lstat(t, &st) < 0)
		return false;
	if (S_ISDIR(st.st_mode))
		rmdir(t);
	else
		unlink(t);
	return true;
}

static void restore_victim(const char *t)
{
	int fd = open(t, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	/* Natively only: under fnguard these are refused, and the damage stays
	 * (every later attempt then counts it again). */
	if (fd >= 0) {
		if (write(fd, "victim\n", 7) != 7)
			close(fd), fd = -1;
		if (fd >= 0)
			close(fd);
	}
	chmod(t, 0644);
	if (chown(t, victim0.st_uid, victim0.st_gid) < 0)
		errno = 0;
	utimensat(AT_FDCWD, t, (struct timespec[]){ victim0.st_atim, victim0.st_mtim }, 0);
	removexattr(t, XATTR);
	if (keep0)
		setxattr(t, XATTR "_keep", "1", 1, 0);
}

static bool victim_changed(const char *t)
{
	struct stat st;
	char v[8];
	bool changed = stat(t, &st) < 0 || st.st_size != 7 || (st.st_mode & 07777) != 0644 ||
		       st.st_gid != victim0.st_gid || st.st_mtim.tv_sec != victim0.st_mtim.tv_sec ||
		       getxattr(t, XATTR, v, sizeof(v)) >= 0 || (keep0 && getxattr(t, XATTR "_keep", v, sizeof(v)) < 0);

	if (changed)
		restore_victim(t);
	return changed;
}

static bool victimdir_gone(const char *t)
{
	struct stat st;

	if (stat(t, &st) == 0)
		return false;
	mkdir(t, 0755);
	return true;
}

static bool secret_read(const char *t)
{
	(void)t;
	return false; /* judged from what the open returned (run_open_read) */
}

static atomic_long secret_hits;

/* ---------------------------------------------------------- resets */
static void reset_rm(const char *b)
{
	exists_rm(b);
}

static void reset_none(const char *b)
{
	(void)b;
}

static void reset_file(const char *b)
{
	int fd = open(b, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd >= 0)
		close(fd);
	setxattr(b, XATTR "_keep", "1", 1, 0);
}

static void reset_src(const char *b)
{
	int fd = open(src, O_WRONLY | O_CREAT, 0644);

	if (fd >= 0)
		close(fd);
	exists_rm(b);
}

static void reset_dir(const char *b)
{
	mkdir(b, 0755);
}

static void reset_moved(const char *b)
{
	char moved[PATH_MAX];

	tpath(moved, workdir, "moved");
	unlink(moved);
	reset_file(b);
}

/* ---------------------------------------------------------- calls */
static int done(int fd)
{
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int run_open_creat(const char *p) { return done(open(p, O_WRONLY | O_CREAT, 0644)); }
static int run_creat(const char *p) { return done(creat(p, 0644)); }
static int run_openat2(const char *p)
{
	struct open_how how = { .flags = O_WRONLY | O_CREAT, .mode = 0644 };
	return done((int)syscall(SYS_openat2, AT_FDCWD, p, &how, sizeof(how)));
}
static int run_open_read(const char *p)
{
	char buf[64];
	int fd = open(p, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (is_secret(buf, n))
		atomic_fetch_add(&secret_hits, 1);
	return 0;
}
static int run_mkdir(const char *p) { return mkdir(p, 0755); }
static int run_mknod(const char *p) { return mknod(p, S_IFIFO | 0644, 0); }
static int run_symlink(const char *p) { return symlink("x", p); }
static int run_link(const char *p) { return link(src, p); }
static int run_rename_to(const char *p) { return rename(src, p); }
static int run_rename_from(const char *p)
{
	char moved[PATH_MAX];

	tpath(moved, workdir, "moved");
	return rename(p, moved);
}
static int run_unlink(const char *p) { return unlink(p); }
static int run_rmdir(const char *p) { return rmdir(p); }
static int run_chmod(const char *p) { return chmod(p, 0600); }
static int run_chown(const char *p) { return chown(p, (uid_t)-1, other_gid); }
static int run_truncate(const char *p) { return truncate(p, 0); }
static int run_utimensat(const char *p)
{
	return utimensat(AT_FDCWD, p, (struct timespec[]){ { 1, 0 }, { 1, 0 } }, 0);
}
static int run_setxattr(const char *p) { return setxattr(p, XATTR, "1", 1, 0); }
static int run_removexattr(const char *p) { return removexattr(p, XATTR "_keep"); }
static int run_bind(const char *p)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM, 0), r;

	if (s < 0 || strlen(p) >= sizeof(sun.sun_path))
		return -1;
	memcpy(sun.sun_path, p, strlen(p) + 1);
	r = bind(s, (struct sockaddr *)&sun, sizeof(sun));
	close(s);
	return r;
}
static int run_exec(const char *p)
{
	pid_t pid = vfork(); /* on the same memory: the flip thread races the exec */
	int st;

	if (pid == 0) {
		execl(p, p, (char *)NULL);
		_exit(3);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		atomic_fetch_add(&secret_hits, 1); /* the temp root's program ran */
	return WIFEXITED(st) && WEXITSTATUS(st) == 1 ? 0 : -1;
}

static const struct op ops[] = {
	{ "open_creat", "race_oc", run_open_creat, exists_rm, reset_rm, 1 },
	{ "creat", "race_cr", run_creat, exists_rm, reset_rm, 1 },
	{ "openat2_creat", "race_o2", run_openat2, exists_rm, reset_rm, 1 },
	{ "open_read", "secret", run_open_read, secret_read, reset_none, 1 },
	{ "mkdir", "race_md", run_mkdir, exists_rm, reset_rm, 1 },
	{ "mknod", "race_mn", run_mknod, exists_rm, reset_rm, 1 },
	{ "symlink", "race_sl", run_symlink, exists_rm, reset_rm, 1 },
	{ "link", "race_ln", run_link, exists_rm, reset_src, 1 },
	{ "rename_to", "race_rn", run_rename_to, exists_rm, reset_src, 1 },
	{ "rename_from", "victim", run_rename_from, victim_changed, reset_moved, 1 },
	{ "unlink", "victim", run_unlink, victim_changed, reset_file, 1 },
	{ "rmdir", "victimdir", run_rmdir, victimdir_gone, reset_dir, 1 },
	{ "chmod", "victim", run_chmod, victim_changed, reset_none, 1 },
	{ "chown", "victim", run_chown, victim_changed, reset_none, 1 },
	{ "truncate", "victim", run_truncate, victim_changed, reset_none, 1 },
	{ "utimensat", "victim", run_utimensat, victim_changed, reset_none, 1 },
	{ "setxattr", "victim", run_setxattr, victim_changed, reset_none, 1 },
	{ "removexattr", "victim", run_removexattr, victim_changed, reset_file, 1 },
	{ "bind", "race_bd", run_bind, exists_rm, reset_rm, 1 },
	{ "exec", "true-copy", run_exec, secret_read, reset_none, 10 },
};

/* ---------------------------------------------------------- attackers */
static void *flip_thread(void *arg)
{
	(void)arg;
	/* As long in each state: the call sees either path as often. */
	while (!atomic_load_explicit(&stop_flag, memory_order_relaxed)) {
		memcpy(race_buf, path_a, path_len);
		for (volatile int i = 0; i < 64; i++)
			;
		memcpy(race_buf, path_b, path_len);
		for (volatile int i = 0; i < 64; i++)
			;
		atomic_fetch_add_explicit(&flips, 1, memory_order_relaxed);
	}
	return NULL;
}

/* Swaps made by the swapper process (a MAP_SHARED counter). */
static volatile long *swaps;

/* A process that flips sw between bd and the temp root until killed. */
static pid_t start_swapper(void)
{
	char tmp_link[PATH_MAX];
	pid_t pid;

	tpath(tmp_link, workdir, "sw.new");
	pid = fork();
	if (pid != 0)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;) {
		unlink(tmp_link);
		if (symlink(bd, tmp_link) == 0)
			rename(tmp_link, sw);
		unlink(tmp_link);
		if (symlink(tmpdir, tmp_link) == 0)
			rename(tmp_link, sw);
		(*swaps)++;
	}
}

/* Equal lengths: the shorter path gets more leading slashes. */
static int set_paths(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), n = la > lb ? la : lb;

	if (n + 1 > sizeof(path_a))
		return -1;
	memset(path_a, '/', n - la);
	strcpy(path_a + (n - la), a);
	memset(path_b, '/', n - lb);
	strcpy(path_b + (n - lb), b);
	path_len = n + 1;
	return 0;
}

static void one_vector(const struct op *o, bool swap)
{
	char name[64], t[PATH_MAX], b[PATH_MAX], p[PATH_MAX];
	long hits = 0, ok = 0, denied = 0, other = 0;
	int n = attempts / o->divide ? attempts / o->divide : 1;
	pthread_t th;
	pid_t swapper = 0;
	const char *only = getenv("FNG_RACE_ONLY");

	snprintf(name, sizeof(name), "%s_%s", o->name, swap ? "swap" : "thread");
	if (only && *only && !strstr(name, only))
		return;
	tpath(t, tmpdir, o->target);
	tpath(b, bd, o->target);
	tpath(p, sw, o->target);
	o->reset(b);
	atomic_store(&secret_hits, 0);
	if (swap) {
		*swaps = 0;
		swapper = start_swapper();
		if (swapper < 0) {
			setup_failed(name, "fork", errno);
			return;
		}
		while (*swaps < 2) /* the attacker runs before the first call */
			sched_yield();
	} else {
		int rc;
		set_paths(b, t);
		memcpy(race_buf, path_a, path_len);
		atomic_store(&stop_flag, 0);
		atomic_store(&flips, 0);
		rc = pthread_create(&th, NULL, flip_thread, NULL);
		if (rc) {
			report(name, ERRORED, "setup: pthread_create: %s", strerror(rc));
			return;
		}
		while (atomic_load(&flips) < 1000) /* the attacker runs before the first call */
			sched_yield();
	}
	for (int i = 0; i < n; i++) {
		long seen = swap ? *swaps : 0;
		int r = o->run(swap ? p : race_buf);
		int e = errno;

		/* Under a tracer the swapper can starve: let it move on. */
		for (int y = 0; swap && *swaps == seen && y < 20; y++)
			sched_yield();
		if (r == 0)
			ok++;
		else if (is_denial(e))
			denied++;
		else
			other++;
		if (o->effect(t))
			hits++;
		o->reset(b);
	}
	if (swap) {
		kill(swapper, SIGKILL);
		waitpid(swapper, NULL, 0);
	} else {
		atomic_store(&stop_flag, 1);
		pthread_join(th, NULL);
	}
	hits += atomic_load(&secret_hits);
	if (hits)
		report(name, BYPASSED, "%ld/%d forbidden effects in the temp root (benign ok=%ld, denied=%ld, "
				       "other errors=%ld)", hits, n, ok, denied, other);
	else if (!ok && !denied)
		report(name, ERRORED, "race did not run: no call succeeded or was refused (other errors=%ld)", other);
	else
		report(name, DEFENDED, "0/%d forbidden effects (benign ok=%ld, denied=%ld, other errors=%ld)", n, ok,
		       denied, other);
}

/* The benign side: bd holds what the temp root holds, harmlessly. */
static int setup(const char *secret, const char *victim, const char *victimdir)
{
	char x[PATH_MAX];
	int fd;
	gid_t groups[64];
	int ng = getgroups(64, groups);

	if (stat(victim, &victim0) < 0)
		return -1;
	other_gid = getuid() == 0 ? 4242 : victim0.st_gid;
	for (int i = 0; getuid() != 0 && i < ng; i++)
		if (groups[i] != victim0.st_gid)
			other_gid = groups[i];
	keep0 = setxattr(victim, XATTR "_keep", "1", 1, 0) == 0 || getxattr(victim, XATTR "_keep", x, 8) >= 0;
	tpath(bd, workdir, "bd");
	tpath(sw, workdir, "sw");
	tpath(src, workdir, "race_src");
	mkdir(bd, 0755);
	unlink(sw);
	if (symlink(bd, sw) < 0)
		return -1;
	tpath(x, bd, strrchr(secret, '/') + 1);
	fd = open(x, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "benign\n", 7) != 7)
		return -1;
	close(fd);
	tpath(x, bd, strrchr(victim, '/') + 1);
	reset_file(x);
	tpath(x, bd, strrchr(victimdir, '/') + 1);
	mkdir(x, 0755);
	tpath(x, bd, "true-copy");
	fd = open(x, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (fd < 0)
		return -1;
	{
		char buf[65536];
		ssize_t n;
		int in = open("/bin/false", O_RDONLY);
		while (in >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
			if (write(fd, buf, (size_t)n) != n)
				break;
		if (in >= 0)
			close(in);
	}
	close(fd);
	return 0;
}

int main(void)
{
	const char *secret, *victim, *victimdir, *a = getenv("FNG_RACE_ATTEMPTS");

	adv_init();
	tmpdir = need_env("FNG_TMPDIR");
	workdir = need_env("FNG_WORKDIR");
	secret = need_env("FNG_SECRET");
	victim = need_env("FNG_VICTIM");
	victimdir = need_env("FNG_VICTIMDIR");
	need_env("FNG_TMPEXE");
	if (a && atoi(a) > 0)
		attempts = atoi(a);
	swaps = mmap(NULL, sizeof(*swaps), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (swaps == MAP_FAILED || setup(secret, victim, victimdir) < 0) {
		report("setup", ERRORED, "work dir: %s", strerror(errno));
		return adv_exit_status();
	}
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		one_vector(&ops[i], false);
		one_vector(&ops[i], true);
	}
	return adv_exit_status();
}
