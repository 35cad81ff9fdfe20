/* The path resolver's name cache (namecache.h): lstat and readlink answers until a traced call changes names. */
#include "tracer/resolve/namecache.h"
#include "common/util.h"

#include <errno.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#ifndef EROFS_SUPER_MAGIC_V1
#define EROFS_SUPER_MAGIC_V1 0xE0F5E1E2
#endif
#ifndef F2FS_SUPER_MAGIC
#define F2FS_SUPER_MAGIC 0xF2F52010
#endif

struct fng_name_entry {
	uint32_t gen;		/* 0: never filled */
	uint32_t hash;
	mode_t mode;
	uint16_t name_len;	/* text: name, NUL, and for a symlink its target, NUL */
	uint16_t target_len;
	dev_t dev;
	ino_t ino;
	char text[FNG_NAMECACHE_TEXT];
};

bool fng_namecache_stable_fs(long f_type)
{
	switch ((unsigned long)f_type & 0xffffffffu) {
	case EXT4_SUPER_MAGIC:	/* ext2, ext3 too */
	case XFS_SUPER_MAGIC:
	case BTRFS_SUPER_MAGIC:
	case TMPFS_MAGIC:
	case OVERLAYFS_SUPER_MAGIC:
	case SQUASHFS_MAGIC:
	case EROFS_SUPER_MAGIC_V1:
	case F2FS_SUPER_MAGIC:
		return true;
	default:
		return false;
	}
}

void fng_namecache_init(struct fng_namecache *nc, bool enabled)
{
	memset(nc, 0, sizeof(*nc));
	nc->gen = 1;
	nc->enabled = enabled;
}

void fng_namecache_free(struct fng_namecache *nc)
{
	free(nc->slots);
	nc->slots = NULL;
}

static uint32_t hash_name(const char *s, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* Two ways a set: two names that share a set (LC_CTYPE and LC_MONETARY of
 * a locale do) do not keep evicting each other. */
static struct fng_name_entry *set_of(const struct fng_namecache *nc, uint32_t h)
{
	return &nc->slots[(h % (FNG_NAMECACHE_SLOTS / 2)) * 2];
}

static struct fng_name_entry *find(const struct fng_namecache *nc, const char *path, size_t len, uint32_t h)
{
	if (!nc->slots)
		return NULL;
	for (struct fng_name_entry *e = set_of(nc, h), *end = e + 2; e < end; e++)
		if (e->gen == nc->gen && e->hash == h && e->name_len == len && memcmp(e->text, path, len) == 0)
			return e;
	return NULL;
}

/* Do names on this device change only by calls? Asked of the kernel once
 * per device, about a name that is not a symlink (statfs follows one). */
static bool stable_dev(struct fng_namecache *nc, dev_t dev, const char *path, bool is_link)
{
	struct statfs sf;

	for (size_t i = 0; i < nc->n_devs; i++)
		if (nc->devs[i].dev == dev)
			return nc->devs[i].stable;
	if (is_link || nc->n_devs == FNG_NAMECACHE_DEVS || statfs(path, &sf) < 0)
		return false;
	nc->devs[nc->n_devs].dev = dev;
	nc->devs[nc->n_devs].stable = fng_namecache_stable_fs((long)sf.f_type);
	return nc->devs[nc->n_devs++].stable;
}

static void learn(struct fng_namecache *nc, const char *path, size_t len, uint32_t h, const struct fng_name_info *ni,
		  const char *target)
{
	size_t tlen = target ? strlen(target) : 0;
	struct fng_name_entry *e;

	if (nc->changing > 0 || len + 1 + tlen + 1 > FNG_NAMECACHE_TEXT)
		return;
	if (S_ISLNK(ni->mode) && !target)
		return;
	if (!stable_dev(nc, ni->dev, path, S_ISLNK(ni->mode)))
		return;
	if (!nc->slots) {
		nc->slots = calloc(FNG_NAMECACHE_SLOTS, sizeof(*nc->slots));
		if (!nc->slots) {
			nc->enabled = false;
			return;
		}
	}
	/* The newest name goes first, the one it displaces second; the
	 * oldest of three is dropped. */
	e = set_of(nc, h);
	if (e[0].gen == nc->gen)
		e[1] = e[0];
	e->gen = nc->gen;
	e->hash = h;
	e->mode = ni->mode;
	e->dev = ni->dev;
	e->ino = ni->ino;
	e->name_len = (uint16_t)len;
	e->target_len = (uint16_t)tlen;
	memcpy(e->text, path, len);
	e->text[len] = '\0';
	if (target)
		memcpy(e->text + len + 1, target, tlen + 1);
}

int fng_namecache_lstat(struct fng_namecache *nc, const char *path, struct fng_name_info *out, char *target,
			size_t targetsz)
{
	size_t len = strlen(path);
	bool cacheable = nc && nc->enabled && len < FNG_NAMECACHE_TEXT;
	uint32_t h = cacheable ? hash_name(path, len) : 0;
	const struct fng_name_entry *e = cacheable ? find(nc, path, len, h) : NULL;
	struct stat st;

	out->link_err = 0;
	if (e) {
		nc->hits++;
		out->mode = e->mode;
		out->dev = e->dev;
		out->ino = e->ino;
		if (S_ISLNK(e->mode)) {
			if ((size_t)e->target_len + 1 > targetsz - 1)
				out->link_err = -ENAMETOOLONG;
			else
				memcpy(target, e->text + e->name_len + 1, (size_t)e->target_len + 1);
		}
		return 0;
	}
	if (lstat(path, &st) < 0)
		return -errno;
	out->mode = st.st_mode;
	out->dev = st.st_dev;
	out->ino = st.st_ino;
	if (S_ISLNK(st.st_mode)) {
		out->link_err = fng_read_link(path, target, targetsz);
		if (out->link_err < 0)
			return 0;
	}
	if (cacheable)
		learn(nc, path, len, h, out, S_ISLNK(st.st_mode) ? target : NULL);
	return 0;
}

int fng_namecache_stat(const struct fng_namecache *nc, const char *path, struct stat *st)
{
	size_t len = strlen(path);
	const struct fng_name_entry *e = NULL;

	if (nc && nc->enabled && len < FNG_NAMECACHE_TEXT)
		e = find(nc, path, len, hash_name(path, len));
	if (!e || S_ISLNK(e->mode))
		return stat(path, st) < 0 ? -errno : 0;
	memset(st, 0, sizeof(*st));
	st->st_mode = e->mode;
	st->st_dev = e->dev;
	st->st_ino = e->ino;
	return 0;
}

void fng_namecache_forget(struct fng_namecache *nc)
{
	if (++nc->gen == 0) {
		/* wrapped: entries of generation 1 must not come back */
		if (nc->slots)
			memset(nc->slots, 0, FNG_NAMECACHE_SLOTS * sizeof(*nc->slots));
		nc->gen = 1;
	}
}

void fng_namecache_begin_change(struct fng_namecache *nc)
{
	nc->changing++;
	fng_namecache_forget(nc);
}

void fng_namecache_end_change(struct fng_namecache *nc)
{
	if (nc->changing > 0)
		nc->changing--;
	fng_namecache_forget(nc);
}
