/* Unit tests for tracer/resolve/namecache.c: what path resolution learns, when it
 * answers from memory, and when it must not. The scratch tree lives under
 * /var/tmp (a local file system: names there change only by calls). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "tracer/resolve/namecache.h"
#include "tracer/resolve/path.h"

struct fixture {
	bool stable;	/* the scratch file system is one the cache learns from */
	char base[PATH_MAX];
	struct fng_namecache nc;
};

static const char *in(const struct fixture *f, const char *name, char *buf)
{
	snprintf(buf, PATH_MAX, "%s/%s", f->base, name);
	return buf;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char tmpl[] = "/var/tmp/fng-namecache.XXXXXX", p[PATH_MAX];
	struct statfs sf;

	assert_non_null(f);
	assert_non_null(mkdtemp(tmpl));
	assert_non_null(realpath(tmpl, f->base));
	assert_int_equal(statfs(f->base, &sf), 0);
	f->stable = fng_namecache_stable_fs((long)sf.f_type);
	assert_int_equal(mkdir(in(f, "d", p), 0755), 0);
	assert_int_equal(mkdir(in(f, "e", p), 0755), 0);
	assert_int_equal(symlink("d", in(f, "l", p)), 0);
	fng_namecache_init(&f->nc, true);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[PATH_MAX + 16];

	fng_namecache_free(&f->nc);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->base);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static int resolve(struct fixture *f, const char *rel, char *out)
{
	if (!f->stable)
		skip(); /* /var/tmp is not on a local file system here */

	char p[PATH_MAX];
	struct fng_path_req r = {
		.tid = getpid(), .tgid = getpid(), .dirfd = AT_FDCWD, .path = in(f, rel, p),
		.follow_last = true, .root = "/", .names = &f->nc,
	};
	return fng_path_resolve(&r, out, FNG_PATH_BUF);
}

/* The second walk is answered from memory, with the same answer. */
static void learns(void **state)
{
	struct fixture *f = *state;
	char a[FNG_PATH_BUF], b[FNG_PATH_BUF], want[PATH_MAX];
	uint64_t hits;

	assert_int_equal(resolve(f, "l/x", a), 0);
	assert_string_equal(a, in(f, "d/x", want));
	hits = f->nc.hits;
	assert_int_equal(resolve(f, "l/x", b), 0);
	assert_string_equal(b, a);
	/* base's components, "l" (with its target) and "d" */
	assert_true(f->nc.hits >= hits + 3);
}

/* Known names stay known until told otherwise: that is why every call that
 * removes or replaces a name must end in fng_namecache_forget or
 * fng_namecache_end_change (tracer/rules/file.c, tracer/loop.c). */
static void forget(void **state)
{
	struct fixture *f = *state;
	char out[FNG_PATH_BUF], p[PATH_MAX], want[PATH_MAX];

	assert_int_equal(resolve(f, "l/x", out), 0);
	assert_int_equal(unlink(in(f, "l", p)), 0);
	assert_int_equal(symlink("e", p), 0);
	assert_int_equal(resolve(f, "l/x", out), 0);
	assert_string_equal(out, in(f, "d/x", want)); /* stale, as expected */
	fng_namecache_forget(&f->nc);
	assert_int_equal(resolve(f, "l/x", out), 0);
	assert_string_equal(out, in(f, "e/x", want));
}

/* While a name-changing call runs, nothing is learnt; after it, all is forgotten. */
static void changing(void **state)
{
	struct fixture *f = *state;
	char out[FNG_PATH_BUF], p[PATH_MAX], want[PATH_MAX];
	uint64_t hits;

	fng_namecache_begin_change(&f->nc);
	assert_int_equal(resolve(f, "l/x", out), 0);
	hits = f->nc.hits;
	assert_int_equal(resolve(f, "l/x", out), 0);
	assert_int_equal(f->nc.hits, hits);
	/* the call swaps the link, and ends */
	assert_int_equal(unlink(in(f, "l", p)), 0);
	assert_int_equal(symlink("e", p), 0);
	fng_namecache_end_change(&f->nc);
	assert_int_equal(f->nc.changing, 0);
	assert_int_equal(resolve(f, "l/x", out), 0);
	assert_string_equal(out, in(f, "e/x", want));
	/* an unmatched end does not go below zero */
	fng_namecache_end_change(&f->nc);
	assert_int_equal(f->nc.changing, 0);
}

/* /proc changes without anybody's call: never learnt. */
static void proc_never(void **state)
{
	struct fixture *f = *state;
	struct fng_name_info ni;
	char target[PATH_MAX];
	uint64_t hits = f->nc.hits;

	for (int i = 0; i < 3; i++) {
		assert_int_equal(fng_namecache_lstat(&f->nc, "/proc/self", &ni, target, sizeof(target)), 0);
		assert_true(S_ISLNK(ni.mode));
		assert_int_equal(fng_namecache_lstat(&f->nc, "/proc/sys", &ni, target, sizeof(target)), 0);
	}
	assert_int_equal(f->nc.hits, hits);
}

static void stat_from_memory(void **state)
{
	struct fixture *f = *state;
	char out[FNG_PATH_BUF], p[PATH_MAX];
	struct stat want, got;
	uint64_t hits;

	assert_int_equal(resolve(f, "d/x", out), 0);
	assert_int_equal(stat(in(f, "d", p), &want), 0);
	hits = f->nc.hits;
	assert_int_equal(fng_namecache_stat(&f->nc, p, &got), 0);
	assert_int_equal(got.st_dev, want.st_dev);
	assert_int_equal(got.st_ino, want.st_ino);
	assert_true(S_ISDIR(got.st_mode));
	/* stat is read-only: it does not count, it only answers */
	assert_int_equal(f->nc.hits, hits);
	/* a missing name is the kernel's answer */
	assert_int_equal(fng_namecache_stat(&f->nc, in(f, "nope", p), &got), -ENOENT);
}

static void disabled(void **state)
{
	struct fixture *f = *state;
	char out[FNG_PATH_BUF];

	fng_namecache_free(&f->nc);
	fng_namecache_init(&f->nc, false);
	assert_int_equal(resolve(f, "l/x", out), 0);
	assert_int_equal(resolve(f, "l/x", out), 0);
	assert_int_equal(f->nc.hits, 0);
	assert_null(f->nc.slots);
}

/* After 2^32 changes the generation wraps: nothing older may come back. */
static void generation_wraps(void **state)
{
	struct fixture *f = *state;
	char out[FNG_PATH_BUF];
	uint64_t hits;

	f->nc.gen = UINT32_MAX;
	assert_int_equal(resolve(f, "l/x", out), 0);
	fng_namecache_forget(&f->nc);
	assert_int_equal(f->nc.gen, 1u);
	hits = f->nc.hits;
	assert_int_equal(resolve(f, "l/x", out), 0);
	assert_int_equal(f->nc.hits, hits);
}

/* tracer/resolve/namecache.c's hash (FNV-1a), to find names that share a set. */
static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static bool hit(struct fixture *f, const char *path)
{
	struct fng_name_info ni;
	char target[PATH_MAX];
	uint64_t hits = f->nc.hits;

	assert_int_equal(fng_namecache_lstat(&f->nc, path, &ni, target, sizeof(target)), 0);
	return f->nc.hits == hits + 1;
}

/* Two names of one set are both kept (a locale's LC_CTYPE and LC_MONETARY
 * share one); a third drops the one learnt first. */
static void two_ways(void **state)
{
	struct fixture *f = *state;
	char names[3][PATH_MAX], p[PATH_MAX];
	uint32_t set = 0;
	int n = 0;

	if (!f->stable)
		skip();
	for (int i = 0; n < 3 && i < 1000000; i++) {
		char name[32];
		snprintf(name, sizeof(name), "c%d", i);
		in(f, name, p);
		if (n == 0)
			set = fnv1a(p) % (FNG_NAMECACHE_SLOTS / 2);
		if (fnv1a(p) % (FNG_NAMECACHE_SLOTS / 2) == set) {
			snprintf(names[n++], PATH_MAX, "%s", p);
			assert_int_equal(mkdir(p, 0755), 0);
		}
	}
	assert_int_equal(n, 3);
	assert_false(hit(f, names[0]));
	assert_false(hit(f, names[1]));
	assert_true(hit(f, names[0]));
	assert_true(hit(f, names[1]));
	assert_false(hit(f, names[2]));
	assert_true(hit(f, names[2]));
	assert_true(hit(f, names[1]));
	assert_false(hit(f, names[0]));
}

static void stable_fs(void **state)
{
	(void)state;
	assert_true(fng_namecache_stable_fs(EXT4_SUPER_MAGIC));
	assert_true(fng_namecache_stable_fs(TMPFS_MAGIC));
	assert_true(fng_namecache_stable_fs(OVERLAYFS_SUPER_MAGIC));
	assert_false(fng_namecache_stable_fs(PROC_SUPER_MAGIC));
	assert_false(fng_namecache_stable_fs(SYSFS_MAGIC));
	assert_false(fng_namecache_stable_fs(NFS_SUPER_MAGIC));
	assert_false(fng_namecache_stable_fs(FUSE_SUPER_MAGIC));
	assert_false(fng_namecache_stable_fs(0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(learns, setup, teardown),
		cmocka_unit_test_setup_teardown(forget, setup, teardown),
		cmocka_unit_test_setup_teardown(changing, setup, teardown),
		cmocka_unit_test_setup_teardown(proc_never, setup, teardown),
		cmocka_unit_test_setup_teardown(stat_from_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(disabled, setup, teardown),
		cmocka_unit_test_setup_teardown(generation_wraps, setup, teardown),
		cmocka_unit_test_setup_teardown(two_ways, setup, teardown),
		cmocka_unit_test(stable_fs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
