/* Symbolisation (symbols.h): mapped files from /proc/TID/maps, symbols from their ELF. */
#include "tracer/image/symbols.h"
#include "common/util.h"

#include <fcntl.h>
#include <limits.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define MAPS_MAX (8u << 20)	/* more of /proc/TID/maps than this is not read */

void fng_symcache_init(struct fng_symcache *c)
{
	memset(c, 0, sizeof(*c));
}

static void module_free(struct fng_module *m)
{
	if (m) {
		if (m->fd >= 0)
			close(m->fd);
		fng_elf_free(&m->elf);
		free(m);
	}
}

static void module_freep(struct fng_module **m)
{
	module_free(*m);
}
#define automodule __attribute__((cleanup(module_freep)))

void fng_symcache_destroy(struct fng_symcache *c)
{
	for (size_t i = 0; i < c->n; i++)
		module_free(c->mods[i]);
	c->n = 0;
	c->evictions++;
}

void fng_symcache_begin(struct fng_symcache *c)
{
	c->epoch = ++c->clock;
}

static bool same_key(const struct fng_module *m, const struct stat *st)
{
	return m->dev == st->st_dev && m->ino == st->st_ino && m->mtime.tv_sec == st->st_mtim.tv_sec &&
	       m->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

static struct fng_module *find(struct fng_symcache *c, const struct stat *st)
{
	for (size_t i = 0; i < c->n; i++) {
		if (same_key(c->mods[i], st)) {
			c->mods[i]->used = ++c->clock;
			return c->mods[i];
		}
	}
	return NULL;
}

/* A free place in the cache: a new one, or the least recently used module
 * not in use by the current capture. NULL when every module is in use. */
static struct fng_module **place(struct fng_symcache *c)
{
	size_t victim = SIZE_MAX;

	if (c->n < FNG_SYMCACHE_MAX)
		return &c->mods[c->n++];
	for (size_t i = 0; i < c->n; i++)
		if (c->mods[i]->used < c->epoch && (victim == SIZE_MAX || c->mods[i]->used < c->mods[victim]->used))
			victim = i;
	if (victim == SIZE_MAX)
		return NULL;
	module_free(c->mods[victim]);
	c->mods[victim] = NULL;
	c->evictions++;
	return &c->mods[victim];
}

/* Does m lack something want asks for? */
static unsigned missing(const struct fng_module *m, unsigned want)
{
	unsigned miss = 0;

	if ((want & FNG_WANT_FUNCS) && !m->elf.funcs_read)
		miss |= FNG_WANT_FUNCS;
	if ((want & FNG_WANT_UNWIND) && !m->elf.unwind_read)
		miss |= FNG_WANT_UNWIND;
	return miss;
}

/* Load what want asks for from fd; only out of memory is an error (a
 * part that cannot be read is marked read, and not retried). */
static int complete(struct fng_module *m, int fd, unsigned want)
{
	unsigned miss = missing(m, want);

	if (miss & FNG_WANT_FUNCS) {
		if (fng_elf_read_funcs(fd, &m->elf) == -ENOMEM)
			return -ENOMEM;
		if (m->elf.n_funcs && m->fd < 0)
			m->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	}
	if ((miss & FNG_WANT_UNWIND) && fng_elf_read_unwind(fd, &m->elf) == -ENOMEM)
		return -ENOMEM;
	return 0;
}

/* Read the file open on fd (whose stat is st) into the cache. */
static struct fng_module *load(struct fng_symcache *c, int fd, const struct stat *st, unsigned want)
{
	automodule struct fng_module *m = calloc(1, sizeof(*m));
	struct fng_module **slot;

	if (!m)
		return NULL;
	m->fd = -1;
	if (fng_elf_read(fd, &m->elf) < 0 || complete(m, fd, want) < 0 || !(slot = place(c)))
		return NULL;
	m->dev = st->st_dev;
	m->ino = st->st_ino;
	m->mtime = st->st_mtim;
	m->used = ++c->clock;
	m->id = ++c->loads;
	*slot = fng_steal_ptr(&m);
	return *slot;
}

struct fng_module *fng_symcache_fd(struct fng_symcache *c, int fd)
{
	struct stat st;
	struct fng_module *m;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return NULL;
	m = find(c, &st);
	return m ? m : load(c, fd, &st, 0);
}

static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ull;
	}
	return h;
}

int fng_maps_open(pid_t tid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/maps", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int slurp_maps(pid_t tid, struct fng_maps *m)
{
	autoclose int fd = fng_maps_open(tid);

	if (fd < 0)
		return fd;
	m->len = 0;
	for (;;) {
		ssize_t n;
		if (m->text_cap - m->len < 4096) {
			size_t cap = m->text_cap ? m->text_cap * 2 : 16384;
			char *t;
			if (cap > MAPS_MAX)
				break;
			t = realloc(m->text, cap + 1);
			if (!t)
				return -ENOMEM;
			m->text = t;
			m->text_cap = cap;
		}
		n = read(fd, m->text + m->len, m->text_cap - m->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		m->len += (size_t)n;
	}
	m->text[m->len] = '\0';
	return 0;
}

/* "start-end perms offset maj:min inode   path" */
static bool parse_line(char *line, struct fng_map *out)
{
	char *p = line, *e;
	unsigned long maj, min;

	memset(out, 0, sizeof(*out));
	out->start = strtoull(p, &e, 16);
	if (*e != '-')
		return false;
	out->end = strtoull(e + 1, &e, 16);
	if (*e != ' ' || strlen(e) < 6)
		return false;
	memcpy(out->perms, e + 1, 4);
	out->exec = e[3] == 'x';
	out->pgoff = strtoull(e + 6, &e, 16);
	maj = strtoul(e, &e, 16);
	if (*e != ':')
		return false;
	min = strtoul(e + 1, &e, 16);
	out->dev = makedev(maj, min);
	out->ino = (ino_t)strtoull(e, &e, 10);
	out->path = e + strspn(e, " ");
	return out->end > out->start;
}

int fng_maps_each(pid_t tid, int (*fn)(const struct fng_map *m, void *arg), void *arg)
{
	int fd = fng_maps_open(tid);
	autofclose FILE *fp = NULL;
	autofree char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int r = 0;

	if (fd < 0)
		return fd;
	if (!(fp = fdopen(fd, "r"))) {
		r = -errno;
		close(fd);
		return r;
	}
	errno = 0;
	while (r == 0 && (n = getline(&line, &cap, fp)) > 0) {
		struct fng_map m;

		if (line[n - 1] != '\n' || n > PATH_MAX + 128)
			return -ENAMETOOLONG;
		line[n - 1] = '\0';
		if (!parse_line(line, &m))
			return -EINVAL;
		r = fn(&m, arg);
	}
	return r ? r : ferror(fp) ? -(errno ? errno : EIO) : 0;
}

int fng_maps_read(pid_t tid, struct fng_maps *m)
{
	int r = slurp_maps(tid, m);
	char *line, *nl;

	m->n = 0;
	if (r < 0)
		return r;
	m->hash = 14695981039346656037ull;
	for (line = m->text; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break; /* a partial last line (over MAPS_MAX) */
		*nl = '\0';
		if (m->n == m->cap) {
			size_t cap = m->cap ? m->cap * 2 : 64;
			struct fng_map *v = realloc(m->v, cap * sizeof(*v));
			if (!v)
				return -ENOMEM;
			m->v = v;
			m->cap = cap;
		}
		if (!parse_line(line, &m->v[m->n]))
			continue;
		if (m->v[m->n].exec) { /* code mappings: what unwind rules depend on */
			const struct fng_map *x = &m->v[m->n];
			uint64_t key[4] = { x->start, x->end, x->pgoff, (uint64_t)x->ino };
			m->hash = fnv1a(m->hash, key, sizeof(key));
		}
		m->n++;
	}
	return 0;
}

void fng_maps_free(struct fng_maps *m)
{
	free(m->text);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

struct fng_map *fng_maps_find(struct fng_maps *m, uint64_t addr)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) { /* the kernel lists mappings in address order */
		size_t mid = lo + (hi - lo) / 2;
		if (addr < m->v[mid].start)
			hi = mid;
		else if (addr >= m->v[mid].end)
			lo = mid + 1;
		else
			return &m->v[mid];
	}
	return NULL;
}

/* The mapped file as the tracee sees it: its path under the tracee's root
 * if that is still the very object mapped (device and inode from maps),
 * else the map_files link (needs CAP_SYS_ADMIN). */
static int locate(pid_t tid, const struct fng_map *map, char *path, size_t n, struct stat *st)
{
	snprintf(path, n, "/proc/%d/root%s", tid, map->path);
	if (stat(path, st) == 0 && S_ISREG(st->st_mode) && st->st_dev == map->dev && st->st_ino == map->ino)
		return 0;
	snprintf(path, n, "/proc/%d/map_files/%" PRIx64 "-%" PRIx64, tid, map->start, map->end);
	if (stat(path, st) == 0 && S_ISREG(st->st_mode))
		return 0;
	return -ENOENT;
}

int fng_open_regular(const char *path, struct stat *st)
{
	autoclose int pfd = open(path, O_PATH | O_CLOEXEC);
	char proc[64];

	if (pfd < 0)
		return -errno;
	if (fstat(pfd, st) < 0 || !S_ISREG(st->st_mode))
		return -EACCES;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
	return open(proc, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
}

/* The file at path, if it is still the object st describes. */
static int open_same(const char *path, const struct stat *st)
{
	struct stat now;
	autoclose int fd = fng_open_regular(path, &now);

	if (fd < 0)
		return fd;
	if (now.st_dev != st->st_dev || now.st_ino != st->st_ino || now.st_mtim.tv_sec != st->st_mtim.tv_sec ||
	    now.st_mtim.tv_nsec != st->st_mtim.tv_nsec)
		return -ESTALE; /* replaced between the stat and the open */
	return fng_steal_fd(&fd);
}

struct fng_module *fng_map_module(struct fng_symcache *c, pid_t tid, struct fng_map *map, unsigned want)
{
	char path[PATH_MAX + 64];
	struct stat st;
	autoclose int fd = -1;

	if (map->mod_state > 0 && map->mod_gen != c->evictions) {
		map->mod = NULL; /* perhaps let go since it was found: look again */
		map->mod_state = 0;
	}
	if (map->mod_state > 0 && map->mod)
		map->mod->used = ++c->clock; /* in use by this capture: not evicted */
	if (map->mod_state < 0 || (map->mod_state > 0 && !missing(map->mod, want)))
		return map->mod;
	if (map->path[0] != '/' || map->ino == 0 || locate(tid, map, path, sizeof(path), &st) < 0) {
		if (!map->mod)
			map->mod_state = -1;
		return map->mod; /* what was read already, if anything */
	}
	if (map->mod_state == 0) {
		map->mod = find(c, &st);
		map->mod_state = 1;
		map->mod_gen = c->evictions;
	}
	if (map->mod && !missing(map->mod, want))
		return map->mod;
	fd = open_same(path, &st);
	if (fd < 0) {
		map->mod_state = map->mod ? 1 : -1;
		return map->mod;
	}
	if (!map->mod) {
		map->mod = load(c, fd, &st, want);
		map->mod_state = map->mod ? 1 : -1;
	} else {
		complete(map->mod, fd, want);
	}
	map->mod_gen = c->evictions;
	return map->mod;
}

/* A function's name: from the names cache, else read from its file. */
static void function_name(struct fng_symcache *c, struct fng_module *m, const struct fng_elf_func *f, char *out,
			  size_t n)
{
	uint64_t key = (m->id << 32 | (uint64_t)(f - m->elf.funcs)) + 1;
	size_t slot = (size_t)((key * 0x9e3779b97f4a7c15ull) >> 56) % FNG_SYMCACHE_NAMES;

	if (c->names[slot].key != key) {
		if (m->fd < 0 || fng_elf_func_name(m->fd, &m->elf, f, c->names[slot].name, sizeof(c->names[slot].name)) < 0)
			c->names[slot].name[0] = '\0';
		c->names[slot].key = key;
	}
	fng_strlcpy(out, c->names[slot].name, n);
}

void fng_symbolize(struct fng_symcache *c, pid_t tid, struct fng_maps *m, uint64_t pc, bool ret_addr,
		   struct fng_frame *out)
{
	uint64_t look = ret_addr && pc ? pc - 1 : pc, bias;
	struct fng_map *map = m ? fng_maps_find(m, look) : NULL;
	struct fng_module *mod;
	const struct fng_elf_func *fn;
	const char *base;

	memset(out, 0, sizeof(*out));
	out->offset = pc;
	if (!map || !map->path[0]) {
		fng_strlcpy(out->module, "?", sizeof(out->module)); /* anonymous memory (JIT) or unmapped */
		return;
	}
	if (map->path[0] != '/') { /* [vdso], [stack], [heap] */
		fng_strlcpy(out->module, map->path, sizeof(out->module));
		out->offset = pc - map->start;
		return;
	}
	base = strrchr(map->path, '/') + 1;
	fng_strlcpy(out->module, *base ? base : map->path, sizeof(out->module));
	out->offset = pc - map->start + map->pgoff; /* a file offset, until the ELF says better */
	mod = fng_map_module(c, tid, map, FNG_WANT_FUNCS);
	if (!mod)
		return;
	memcpy(out->build_id, mod->elf.build_id, mod->elf.build_id_len);
	out->build_id_len = mod->elf.build_id_len;
	if (fng_elf_bias(&mod->elf, map->start, map->pgoff, &bias) < 0)
		return;
	out->offset = pc - bias;
	fn = fng_elf_func_at(&mod->elf, look - bias);
	if (fn)
		function_name(c, mod, fn, out->function, sizeof(out->function));
}
