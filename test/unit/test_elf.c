/* Unit tests for tracer/image/elfinfo.c, tracer/image/ehframe.c and tracer/image/symbols.c:
 * what they read from this very test program (and its libc) is compared
 * with what the dynamic loader knows about them in memory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <cmocka.h>

#include <elf.h>
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tracer/image/elfinfo.h"
#include "tracer/image/symbols.h"

/* What the loader knows about the main program. */
struct self {
	uintptr_t bias;
	const ElfW(Phdr) *phdr;
	size_t phnum;
};

static int first_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct self *s = arg;
	(void)size;
	s->bias = info->dlpi_addr;
	s->phdr = info->dlpi_phdr;
	s->phnum = info->dlpi_phnum;
	return 1; /* the main program comes first */
}

static struct self self_info(void)
{
	struct self s = { 0 };
	dl_iterate_phdr(first_object, &s);
	return s;
}

static const ElfW(Phdr) *self_phdr(const struct self *s, uint32_t type)
{
	for (size_t i = 0; i < s->phnum; i++)
		if (s->phdr[i].p_type == type)
			return &s->phdr[i];
	return NULL;
}

/* The build-id note as mapped in memory. */
static size_t mapped_build_id(const struct self *s, uint8_t *out)
{
	for (size_t i = 0; i < s->phnum; i++) {
		const uint8_t *p, *end;
		if (s->phdr[i].p_type != PT_NOTE)
			continue;
		p = (const uint8_t *)(s->bias + s->phdr[i].p_vaddr);
		end = p + s->phdr[i].p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *n = (const void *)p;
			const uint8_t *name = p + sizeof(*n);
			const uint8_t *desc = name + ((n->n_namesz + 3) & ~3u);
			if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && memcmp(name, "GNU", 4) == 0) {
				memcpy(out, desc, n->n_descsz);
				return n->n_descsz;
			}
			p = desc + ((n->n_descsz + 3) & ~3u);
		}
	}
	return 0;
}

static int open_self(void)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

__attribute__((noinline)) static int marker_function(int x)
{
	return x * 3 + 1;
}

static void identity_of_self(void **state)
{
	(void)state;
	struct self s = self_info();
	struct fng_elf e;
	uint8_t id[64];
	size_t idlen = mapped_build_id(&s, id);
	const ElfW(Phdr) *interp = self_phdr(&s, PT_INTERP);
	int fd = open_self();

	assert_int_equal(fng_elf_read(fd, &e), 0);
	assert_true(idlen > 0);
	assert_int_equal(e.build_id_len, idlen);
	assert_memory_equal(e.build_id, id, idlen);
	assert_int_equal(e.linkage, FNG_LINK_DYNAMIC);
	assert_non_null(interp);
	assert_string_equal(e.interp, (const char *)(s.bias + interp->p_vaddr));
	assert_true(e.have_ehf); /* a dynamic link has .eh_frame_hdr */
	assert_true(e.n_segs >= 2);
	fng_elf_free(&e);
	close(fd);
}

static const char *name_at(int fd, const struct fng_elf *e, uint64_t vaddr)
{
	static char name[64];
	const struct fng_elf_func *f = fng_elf_func_at(e, vaddr);

	if (!f || fng_elf_func_name(fd, e, f, name, sizeof(name)) < 0)
		return "";
	return name;
}

static void functions_of_self(void **state)
{
	(void)state;
	struct self s = self_info();
	struct fng_elf e;
	uint64_t fn = (uint64_t)(uintptr_t)marker_function - s.bias;
	int fd = open_self();

	assert_int_equal(fng_elf_read(fd, &e), 0);
	assert_int_equal(fng_elf_read_funcs(fd, &e), 0);
	assert_true(e.funcs_read);
	assert_string_equal(name_at(fd, &e, fn), "marker_function");
	assert_string_equal(name_at(fd, &e, fn + 1), "marker_function");
	assert_string_equal(name_at(fd, &e, (uint64_t)(uintptr_t)identity_of_self - s.bias + 4), "identity_of_self");
	assert_null(fng_elf_func_at(&e, 0)); /* before every function */
	{
		char tiny[5];
		assert_int_equal(fng_elf_func_name(fd, &e, fng_elf_func_at(&e, fn), tiny, sizeof(tiny)), 0);
		assert_string_equal(tiny, "mark"); /* truncated, terminated */
	}
	for (size_t i = 1; i < e.n_funcs; i++)
		assert_true(e.funcs[i - 1].addr < e.funcs[i].addr); /* sorted, one name per address */
	fng_elf_free(&e);
	close(fd);
}

/* The table built from .eh_frame must be the linker's .eh_frame_hdr table:
 * the same (pc, FDE) pairs, once both are made absolute. */
static void eh_frame_table_matches_linker(void **state)
{
	(void)state;
	struct self s = self_info();
	const ElfW(Phdr) *hdr = self_phdr(&s, PT_GNU_EH_FRAME);
	struct fng_elf e;
	const int32_t *linker;
	int fd = open_self();

	assert_non_null(hdr);
	assert_int_equal(fng_elf_read(fd, &e), 0);
	e.have_ehf = false; /* pretend there is none: build ours */
	assert_int_equal(fng_elf_read_unwind(fd, &e), 0);
	assert_true(e.unwind_read);
	assert_int_equal(e.table_count, e.ehf_fde_count);
	linker = (const int32_t *)(s.bias + e.ehf_table_vaddr);
	for (size_t i = 0; i < e.table_count; i++) {
		assert_int_equal(e.ehf_vaddr + (int64_t)linker[2 * i], e.table_base + (int64_t)e.table[2 * i]);
		assert_int_equal(e.ehf_vaddr + (int64_t)linker[2 * i + 1], e.table_base + (int64_t)e.table[2 * i + 1]);
	}
	fng_elf_free(&e);
	close(fd);
}

static void not_elf(void **state)
{
	(void)state;
	char path[] = "/tmp/fng-test-elf.XXXXXX";
	int fd = mkstemp(path);
	struct fng_elf e;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "#!/bin/sh\necho hi\n", 18), 18);
	assert_int_equal(fng_elf_read(fd, &e), -ENOEXEC);
	close(fd);
	unlink(path);
}

/* A cut-off ELF file: whatever can be read, never a crash. */
static void truncated_elf(void **state)
{
	(void)state;
	char path[] = "/tmp/fng-test-elf.XXXXXX";
	char buf[4096];
	int out = mkstemp(path), in = open_self();
	struct fng_elf e;
	ssize_t n;

	assert_true(out >= 0);
	n = read(in, buf, sizeof(buf));
	assert_true(n == (ssize_t)sizeof(buf));
	for (size_t len = 0; len <= sizeof(buf); len += 97) {
		assert_int_equal(ftruncate(out, 0), 0);
		assert_int_equal(pwrite(out, buf, len, 0), (ssize_t)len);
		if (fng_elf_read(out, &e) == 0) {
			fng_elf_read_funcs(out, &e);
			fng_elf_read_unwind(out, &e);
			fng_elf_free(&e);
		}
	}
	close(in);
	close(out);
	unlink(path);
}

static void maps_bias_and_symbolize(void **state)
{
	(void)state;
	struct self s = self_info();
	struct fng_symcache c;
	struct fng_maps m = { 0 };
	struct fng_frame f;
	struct fng_map *map;
	struct fng_module *mod;
	uint64_t pc = (uint64_t)(uintptr_t)marker_function + 2, bias;
	uint8_t id[64];
	size_t idlen = mapped_build_id(&s, id);
	char self_name[256];
	ssize_t n = readlink("/proc/self/exe", self_name, sizeof(self_name) - 1);

	assert_true(n > 0);
	self_name[n] = '\0';
	fng_symcache_init(&c);
	assert_int_equal(fng_maps_read(getpid(), &m), 0);
	map = fng_maps_find(&m, pc);
	assert_non_null(map);
	assert_true(map->exec);
	mod = fng_map_module(&c, getpid(), map, 0);
	assert_non_null(mod);
	assert_int_equal(fng_elf_bias(&mod->elf, map->start, map->pgoff, &bias), 0);
	assert_int_equal(bias, s.bias);

	fng_symbolize(&c, getpid(), &m, pc, false, &f);
	assert_string_equal(f.module, strrchr(self_name, '/') + 1);
	assert_string_equal(f.function, "marker_function");
	assert_int_equal(f.offset, pc - s.bias);
	assert_int_equal(f.build_id_len, idlen);
	assert_memory_equal(f.build_id, id, idlen);

	/* libc, through its public name */
	fng_symbolize(&c, getpid(), &m, (uint64_t)(uintptr_t)getpid, false, &f);
	assert_string_equal(f.module, "libc.so.6");
	assert_string_equal(f.function, "getpid");

	/* nothing mapped there */
	fng_symbolize(&c, getpid(), &m, 0x10, false, &f);
	assert_string_equal(f.module, "?");
	assert_int_equal(f.offset, 0x10);
	assert_string_equal(f.function, "");

	fng_maps_free(&m);
	fng_symcache_destroy(&c);
}

/* A kept copy of the maps is current while nothing changed where the
 * frames are, and stale once another file is mapped there (dlclose then
 * dlopen at the same address) or the mapping is gone. */
static void maps_current(void **state)
{
	(void)state;
	struct fng_maps m = { 0 };
	int a = open("/bin/true", O_RDONLY | O_CLOEXEC), b = open("/bin/sh", O_RDONLY | O_CLOEXEC);
	uint8_t *p;
	uint64_t pcs[3];
	int r, kept;

	assert_true(a >= 0 && b >= 0);
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, a, 0);
	assert_true(p != MAP_FAILED);
	assert_int_equal(fng_maps_read(getpid(), &m), 0);
	pcs[0] = (uint64_t)(uintptr_t)p + 16;
	pcs[1] = (uint64_t)(uintptr_t)getpid;
	pcs[2] = 0x10; /* nothing mapped there, in either */
	r = fng_maps_current(getpid(), &m, pcs, 3);
	if (r == -ENOTTY || r == -EINVAL) { /* before Linux 6.11: the caller reads again */
		fng_maps_free(&m);
		skip();
	}
	assert_int_equal(r, 1);
	kept = open("/proc/self/maps", O_RDONLY | O_CLOEXEC); /* kept open: sees later changes */
	assert_true(kept >= 0);
	assert_int_equal(fng_maps_current_fd(kept, &m, pcs, 3), 1);
	assert_true(mmap(p, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, b, 0) == p);
	assert_int_equal(fng_maps_current_fd(kept, &m, pcs, 3), 0);
	close(kept);
	assert_int_equal(fng_maps_current(getpid(), &m, pcs, 3), 0);
	assert_int_equal(fng_maps_current(getpid(), &m, pcs + 1, 2), 1);
	munmap(p, 4096);
	assert_int_equal(fng_maps_current(getpid(), &m, pcs, 1), 0);
	fng_maps_free(&m);
	close(a);
	close(b);
}

/* A file is read once; a changed file (new mtime) is read again. */
static void cache_by_object(void **state)
{
	(void)state;
	char path[] = "/tmp/fng-test-elf.XXXXXX";
	int out = mkstemp(path), in = open_self();
	struct fng_symcache c;
	struct fng_module *a, *b;
	char buf[65536];
	ssize_t n;
	struct timespec times[2] = { { 0, UTIME_OMIT }, { 12345, 0 } };

	assert_true(out >= 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		assert_int_equal(write(out, buf, (size_t)n), n);
	fng_symcache_init(&c);
	a = fng_symcache_fd(&c, out);
	assert_non_null(a);
	b = fng_symcache_fd(&c, out);
	assert_ptr_equal(a, b);
	assert_int_equal(c.loads, 1);
	assert_int_equal(futimens(out, times), 0);
	b = fng_symcache_fd(&c, out);
	assert_non_null(b);
	assert_int_equal(c.loads, 2);
	fng_symcache_destroy(&c);
	close(in);
	close(out);
	unlink(path);
}

static bool in_cache(const struct fng_symcache *c, const struct fng_module *m)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->mods[i] == m)
			return true;
	return false;
}

/* A kept copy of the maps keeps its modules between captures (no second
 * look-up), until the module cache lets one go: then the map's module is
 * looked up again, never used freed. */
static void kept_maps_after_eviction(void **state)
{
	(void)state;
	struct fng_symcache c;
	struct fng_maps m = { 0 };
	struct fng_map *map;
	struct fng_module *libc, *again;
	DIR *d = opendir("/usr/lib/x86_64-linux-gnu");
	struct dirent *e;
	uint64_t loads;

	if (!d)
		skip();
	fng_symcache_init(&c);
	assert_int_equal(fng_maps_read(getpid(), &m), 0);
	map = fng_maps_find(&m, (uint64_t)(uintptr_t)getpid);
	assert_non_null(map);
	fng_symcache_begin(&c);
	libc = fng_map_module(&c, getpid(), map, 0);
	assert_non_null(libc);
	loads = c.loads;
	fng_symcache_begin(&c); /* the next capture: the same module, nothing read */
	assert_ptr_equal(fng_map_module(&c, getpid(), map, 0), libc);
	assert_int_equal(c.loads, loads);
	while (in_cache(&c, libc) && (e = readdir(d))) { /* other files, one capture each, until libc goes */
		char path[512];
		int fd;
		snprintf(path, sizeof(path), "/usr/lib/x86_64-linux-gnu/%s", e->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		fng_symcache_begin(&c);
		fng_symcache_fd(&c, fd);
		close(fd);
	}
	closedir(d);
	if (in_cache(&c, libc))
		skip(); /* not enough ELF files here to fill the cache */
	fng_symcache_begin(&c);
	again = fng_map_module(&c, getpid(), map, 0);
	assert_non_null(again);
	assert_true(in_cache(&c, again)); /* looked up again, not the freed one */
	fng_maps_free(&m);
	fng_symcache_destroy(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(identity_of_self),
		cmocka_unit_test(maps_current),
		cmocka_unit_test(kept_maps_after_eviction),
		cmocka_unit_test(functions_of_self),
		cmocka_unit_test(eh_frame_table_matches_linker),
		cmocka_unit_test(not_elf),
		cmocka_unit_test(truncated_elf),
		cmocka_unit_test(maps_bias_and_symbolize),
		cmocka_unit_test(cache_by_object),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
