/* Symbolisation: which mapped file a pc is in (/proc/TID/maps), where in
 * that file, in which function, with which build-id. Files are read once
 * (tracer/image/elfinfo.c) and kept in a cache keyed by the file object (device,
 * inode, mtime), so repeated events cost a maps read and one stat per
 * module. The cache belongs to the tracer thread. */
#ifndef FNG_SYMBOLS_H
#define FNG_SYMBOLS_H

#include "tracer/image/elfinfo.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#define FNG_SYMCACHE_MAX 128	/* files kept (and at most as many descriptors); least recently used goes first */

struct fng_module {
	dev_t dev;
	ino_t ino;
	struct timespec mtime;
	uint64_t used;		/* cache clock at last use */
	uint64_t id;		/* unique while the cache lives (names are cached by it) */
	int fd;			/* kept open once functions are read: names are read from it */
	struct fng_elf elf;
};

#define FNG_SYMCACHE_NAMES 256	/* function names kept (their files are only read once) */

struct fng_symcache {
	struct fng_module *mods[FNG_SYMCACHE_MAX];
	struct {
		uint64_t key;	/* module id << 32 | function index, +1; 0: empty */
		char name[FNG_FRAME_FUNC];
	} names[FNG_SYMCACHE_NAMES];
	size_t n;
	uint64_t clock;
	uint64_t epoch;		/* modules used since this tick are in use: not evicted */
	uint64_t loads;		/* files read (for the benchmark) */
	uint64_t evictions;	/* modules let go so far: a map's mod set before the last is gone */
};

/* One line of /proc/TID/maps. */
struct fng_map {
	uint64_t start, end, pgoff;
	dev_t dev;
	ino_t ino;
	bool exec;
	char perms[5];		/* as maps prints them: "r-xp" */
	const char *path;	/* "" for anonymous memory; points into fng_maps.text */
	struct fng_module *mod;	/* resolved on first use */
	int8_t mod_state;	/* 0 not tried, 1 mod is set, -1 the file cannot be read */
	uint64_t mod_gen;	/* the cache's evictions when mod was set: mod is valid while equal */
};

struct fng_maps {
	char *text;
	size_t len, text_cap;
	struct fng_map *v;
	size_t n, cap;
	uint64_t hash;		/* of the code mappings: changes with dlopen/dlclose */
};

void fng_symcache_init(struct fng_symcache *c);
void fng_symcache_destroy(struct fng_symcache *c);
/* Start of a capture: modules used from now on stay cached until the next. */
void fng_symcache_begin(struct fng_symcache *c);

/* The module for a regular file open on fd (exec identity). NULL if it is
 * not a readable ELF file. */
struct fng_module *fng_symcache_fd(struct fng_symcache *c, int fd);

/* Open a regular file for reading without side effects: O_PATH first, so
 * a FIFO or device put there is never really opened. The fd or -errno;
 * st gets its stat. */
int fng_open_regular(const char *path, struct stat *st);

/* Read /proc/TID/maps (buffers are reused). 0 or -errno. */
int fng_maps_read(pid_t tid, struct fng_maps *m);
/* /proc/TID/maps open for reading (O_CLOEXEC), or -errno. */
int fng_maps_open(pid_t tid);
/* Calls fn with each line of /proc/TID/maps, read line by line and split
 * (path: as printed, " (deleted)" included; mod unset), until fn returns
 * non-zero, which it returns; 0 after the last line. Never skips a line, so
 * that checks built on it fail closed: -errno when the file cannot be read,
 * -ENAMETOOLONG for a line longer than PATH_MAX + 128, -EINVAL for one that
 * does not parse. */
int fng_maps_each(pid_t tid, int (*fn)(const struct fng_map *m, void *arg), void *arg);
void fng_maps_free(struct fng_maps *m);
struct fng_map *fng_maps_find(struct fng_maps *m, uint64_t addr);
/* Does the kernel still map, at each of the n addresses, what m says (the
 * same range, offset, file and exec bit; or nothing where m has nothing)?
 * 1 yes, 0 no, -errno when the kernel cannot answer (before Linux 6.11:
 * read the maps again). Cheap: one query per mapping, not every line. */
#define FNG_MAPS_CHECK_MAX 64
int fng_maps_current(pid_t tid, struct fng_maps *m, const uint64_t *pcs, unsigned n);
/* The same through fd, an open /proc/TID/maps: it answers for the address
 * space it was opened on (the kernel holds that mm), so a caller that keeps
 * one per address space pays the open once. */
int fng_maps_current_fd(int fd, const struct fng_maps *m, const uint64_t *pcs, unsigned n);
/* What a caller needs of a module beyond its identity. */
enum {
	FNG_WANT_FUNCS = 1,	/* the function symbols */
	FNG_WANT_UNWIND = 2,	/* an unwind table (built from .eh_frame if the file has none) */
};

/* The module a mapping shows, read as the tracee sees it: the file at the
 * path in its root if it is still the same object, else map_files. NULL if
 * unreadable. want: FNG_WANT_* bits, loaded on first need. */
struct fng_module *fng_map_module(struct fng_symcache *c, pid_t tid, struct fng_map *map, unsigned want);

/* Fill one frame for pc. ret_addr: pc is a return address (all frames but
 * the innermost), so the call instruction before it names the function. */
void fng_symbolize(struct fng_symcache *c, pid_t tid, struct fng_maps *m, uint64_t pc, bool ret_addr,
		   struct fng_frame *out);

#endif
