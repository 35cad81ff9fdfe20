/* What the path resolver learnt with lstat and readlink, kept until a traced
 * call could change it.
 *
 * Resolving a path the way the kernel will walk it costs an lstat per
 * component (and a readlink per symlink) at every seccomp stop. A name on
 * a local file system changes only by a call that removes, replaces or
 * creates a name, and while a file rule is active every such call of the
 * traced tree stops here first (tracer/syscalls.c's FNG_NEED_TMP rows;
 * mount, chroot and handle calls are refused; io_uring is refused). So
 * the answers are kept and all of them are dropped whenever such a call
 * starts or ends. Only file systems whose names change by calls alone are
 * cached (ext4, xfs, btrfs, tmpfs, overlay, squashfs, erofs, f2fs): never
 * /proc, /sys, /dev or network file systems. docs/security.md, "The name
 * cache", says what this assumes. */
#ifndef FNG_NAMECACHE_H
#define FNG_NAMECACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#define FNG_NAMECACHE_SLOTS 4096u
#define FNG_NAMECACHE_TEXT 240u	/* the name and a symlink's target, NUL-separated */
#define FNG_NAMECACHE_DEVS 16u

struct fng_name_entry;

struct fng_namecache {
	struct fng_name_entry *slots;	/* two ways a set, by hash; allocated at first use */
	uint32_t gen;		/* entries of another generation are stale */
	unsigned changing;	/* name-changing calls running now: learn nothing */
	bool enabled;		/* every name-changing call is traced */
	size_t n_devs;
	struct {
		dev_t dev;
		bool stable;	/* names change only by calls (fs type allowlist) */
	} devs[FNG_NAMECACHE_DEVS];
	uint64_t hits;		/* answers from memory: the exit event's path_cache_hits */
};

/* What lstat said about a name. */
struct fng_name_info {
	mode_t mode;
	dev_t dev;
	ino_t ino;
	int link_err;		/* a symlink whose target could not be read: -errno */
};

void fng_namecache_init(struct fng_namecache *nc, bool enabled);
void fng_namecache_free(struct fng_namecache *nc);

/* lstat(path) and, for a symlink, its target into target (or link_err set,
 * -ENAMETOOLONG when it does not fit): from the cache when it knows, else
 * from the kernel, and learnt. nc may be NULL. 0, or -errno of lstat. */
int fng_namecache_lstat(struct fng_namecache *nc, const char *path, struct fng_name_info *out, char *target,
			size_t targetsz);

/* stat(path), from the cache when it knows path as a non-symlink. */
int fng_namecache_stat(const struct fng_namecache *nc, const char *path, struct stat *st);

/* A name-changing call starts (begin) or ends (end). Everything learnt is
 * dropped at both; between them nothing is learnt, since the call may be
 * changing names while another task resolves. */
void fng_namecache_begin_change(struct fng_namecache *nc);
void fng_namecache_end_change(struct fng_namecache *nc);
/* Forget everything (a single task's change: it is over before its next call). */
void fng_namecache_forget(struct fng_namecache *nc);

/* Pure: is a file system of this statfs f_type one whose names change only
 * by calls? */
bool fng_namecache_stable_fs(long f_type);

#endif
