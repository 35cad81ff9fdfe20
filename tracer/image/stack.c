/* The native stack of a stopped tracee thread, unwound with libunwind (stack.h). */
#include "tracer/image/stack.h"
#include "common/util.h"
#include "tracer/arch.h"
#include "tracer/mem.h"
#include "common/clock.h"

#include <errno.h>
#include <unistd.h>
#include <libunwind.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAGE 4096u
/* Where libunwind is shown a search table that fnguard built itself (for
 * files without .eh_frame_hdr): a non-canonical address, which no tracee
 * memory can ever have, served from the module cache by access_mem. */
#define LOCAL_TABLE_ADDR 0x4000000000000000ull

/* Exported by libunwind (as perf and other remote unwinders use it), not
 * declared in its headers: binary search of an .eh_frame_hdr table read
 * through the address space's accessors. */
extern int UNW_OBJ(dwarf_search_unwind_table)(unw_addr_space_t as, unw_word_t ip, unw_dyn_info_t *di,
					      unw_proc_info_t *pi, int need_unwind_info, void *arg);

struct page_tag {
	uint64_t base;
	int state;		/* 0 empty, 1 holds data, -1 unreadable */
};

struct fng_unwinder {
	struct fng_symcache *syms;
	struct fng_maps *maps;	/* the capture's: its address space's copy, or own */
	struct fng_maps own;	/* when the address space has no state (out of memory) */
	bool no_query;		/* the kernel cannot check a copy (before 6.11): read every time */
	unw_accessors_t acc;

	/* The capture in progress. */
	pid_t tid;
	uint64_t regs[FNG_ARCH_UNWIND_REGS];
	int nregs;
	unsigned reads;
	unsigned accesses;	/* every word asked for: bounds loops that only hit the cache */
	uint64_t deadline;
	bool over_budget;
	unsigned next_page;
	const struct fng_elf *local;	/* whose table is at LOCAL_TABLE_ADDR, during one search */
	struct page_tag tags[FNG_UNWIND_PAGES];
	uint8_t data[FNG_UNWIND_PAGES][PAGE];
};

struct fng_unwind_mm {
	unw_addr_space_t as;
	uint64_t maps_hash;	/* of the executable mappings its caches were built on */
	struct fng_maps maps;	/* its /proc/TID/maps as last read; checked before each use */
	bool maps_read;
	int maps_fd;		/* /proc/TID/maps of this address space, open for the checks; -1 */
};

static bool out_of_budget(struct fng_unwinder *u)
{
	if (!u->over_budget && (u->reads >= FNG_UNWIND_READ_BUDGET || fng_mono_ns() > u->deadline))
		u->over_budget = true;
	return u->over_budget;
}

/* The page at base, from the cache or read from the tracee. */
static const uint8_t *page_at(struct fng_unwinder *u, uint64_t base)
{
	unsigned slot;

	for (unsigned i = 0; i < FNG_UNWIND_PAGES; i++)
		if (u->tags[i].state && u->tags[i].base == base)
			return u->tags[i].state > 0 ? u->data[i] : NULL;
	if (out_of_budget(u))
		return NULL;
	u->reads++;
	slot = u->next_page++ % FNG_UNWIND_PAGES;
	u->tags[slot].base = base;
	u->tags[slot].state = fng_mem_read(u->tid, base, u->data[slot], PAGE) == 0 ? 1 : -1;
	return u->tags[slot].state > 0 ? u->data[slot] : NULL;
}

static int read_bytes(struct fng_unwinder *u, uint64_t addr, void *buf, size_t len)
{
	uint8_t *out = buf;

	while (len) {
		uint64_t base = addr & ~(uint64_t)(PAGE - 1);
		size_t off = (size_t)(addr - base), n = PAGE - off < len ? PAGE - off : len;
		const uint8_t *p = page_at(u, base);

		if (!p)
			return -1;
		memcpy(out, p + off, n);
		out += n;
		addr += n;
		len -= n;
	}
	return 0;
}

static int acc_access_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *val, int write, void *arg)
{
	struct fng_unwinder *u = arg;

	(void)as;
	if (write)
		return -UNW_EINVAL; /* never change the tracee */
	/* libunwind's DWARF expressions can jump backwards: a crafted one
	 * would loop for ever on cached words. Every access counts. */
	if (++u->accesses > FNG_UNWIND_ACCESS_BUDGET || ((u->accesses & 1023) == 0 && out_of_budget(u))) {
		u->over_budget = true;
		return -UNW_EINVAL;
	}
	if (addr >= LOCAL_TABLE_ADDR && u->local) {
		uint64_t off = addr - LOCAL_TABLE_ADDR;
		if (off > u->local->table_count * 8 - sizeof(*val))
			return -UNW_EINVAL;
		memcpy(val, (const uint8_t *)u->local->table + off, sizeof(*val));
		return 0;
	}
	return read_bytes(u, addr, val, sizeof(*val)) < 0 ? -UNW_EINVAL : 0;
}

static int acc_access_reg(unw_addr_space_t as, unw_regnum_t reg, unw_word_t *val, int write, void *arg)
{
	struct fng_unwinder *u = arg;

	(void)as;
	if (write || reg < 0 || reg >= u->nregs)
		return -UNW_EBADREG;
	*val = u->regs[reg];
	return 0;
}

static int acc_access_fpreg(unw_addr_space_t as, unw_regnum_t reg, unw_fpreg_t *val, int write, void *arg)
{
	(void)as, (void)reg, (void)val, (void)write, (void)arg;
	return -UNW_EBADREG;
}

static int acc_resume(unw_addr_space_t as, unw_cursor_t *c, void *arg)
{
	(void)as, (void)c, (void)arg;
	return -UNW_EINVAL;
}

static int acc_get_proc_name(unw_addr_space_t as, unw_word_t ip, char *buf, size_t n, unw_word_t *off, void *arg)
{
	(void)as, (void)ip, (void)buf, (void)n, (void)off, (void)arg;
	return -UNW_ENOINFO; /* symbolisation is done afterwards, with our own cache */
}

static int acc_get_dyn_info_list_addr(unw_addr_space_t as, unw_word_t *addr, void *arg)
{
	(void)as, (void)addr, (void)arg;
	return -UNW_ENOINFO; /* runtime-registered (JIT) unwind info is not looked for */
}

static void acc_put_unwind_info(unw_addr_space_t as, unw_proc_info_t *pi, void *arg)
{
	/* Only called for dynamic (JIT-registered) info, which is never found. */
	(void)as, (void)pi, (void)arg;
}

/* The unwind rules for ip: the .eh_frame_hdr table of the file mapped there. */
static int acc_find_proc_info(unw_addr_space_t as, unw_word_t ip, unw_proc_info_t *pi, int need, void *arg)
{
	struct fng_unwinder *u = arg;
	struct fng_map *map;
	struct fng_module *mod;
	unw_dyn_info_t di;
	uint64_t bias;
	int r;

	if (out_of_budget(u))
		return -UNW_EUNSPEC;
	map = fng_maps_find(u->maps, ip);
	if (!map || !map->exec)
		return -UNW_ENOINFO;
	mod = fng_map_module(u->syms, u->tid, map, FNG_WANT_UNWIND);
	if (!mod || fng_elf_bias(&mod->elf, map->start, map->pgoff, &bias) < 0)
		return -UNW_ENOINFO;
	memset(&di, 0, sizeof(di));
	di.format = UNW_INFO_FORMAT_REMOTE_TABLE;
	di.start_ip = map->start;
	di.end_ip = map->end;
	if (mod->elf.have_ehf) { /* the linker's table, read from the tracee */
		di.u.rti.segbase = bias + mod->elf.ehf_vaddr;
		di.u.rti.table_data = bias + mod->elf.ehf_table_vaddr;
		di.u.rti.table_len = mod->elf.ehf_fde_count * 8 / sizeof(unw_word_t);
	} else if (mod->elf.table_count) { /* ours; the FDEs themselves are read from the tracee */
		di.u.rti.segbase = bias + mod->elf.table_base;
		di.u.rti.table_data = LOCAL_TABLE_ADDR;
		di.u.rti.table_len = mod->elf.table_count * 8 / sizeof(unw_word_t);
		u->local = &mod->elf;
	} else {
		return -UNW_ENOINFO;
	}
	r = UNW_OBJ(dwarf_search_unwind_table)(as, ip, &di, pi, need, u);
	u->local = NULL;
	return r;
}

int fng_unwinder_new(struct fng_unwinder **out, struct fng_symcache *syms)
{
	struct fng_unwinder *u = calloc(1, sizeof(*u));

	if (!u)
		return -ENOMEM;
	u->syms = syms;
	u->acc = (unw_accessors_t){
		.find_proc_info = acc_find_proc_info,
		.put_unwind_info = acc_put_unwind_info,
		.get_dyn_info_list_addr = acc_get_dyn_info_list_addr,
		.access_mem = acc_access_mem,
		.access_reg = acc_access_reg,
		.access_fpreg = acc_access_fpreg,
		.resume = acc_resume,
		.get_proc_name = acc_get_proc_name,
	};
	*out = u;
	return 0;
}

void fng_unwinder_free(struct fng_unwinder *u)
{
	if (!u)
		return;
	fng_maps_free(&u->own);
	free(u);
}

void fng_unwind_mm_free(struct fng_unwind_mm *m)
{
	if (!m)
		return;
	unw_destroy_addr_space(m->as);
	fng_maps_free(&m->maps);
	if (m->maps_fd >= 0)
		close(m->maps_fd);
	free(m);
}

unsigned fng_unwinder_last_reads(const struct fng_unwinder *u)
{
	return u->reads;
}

/* The address space's libunwind state and copy of its maps. */
static struct fng_unwind_mm *mm_state(struct fng_unwinder *u, struct fng_unwind_mm **mmp)
{
	autofree struct fng_unwind_mm *fresh = NULL;

	if (*mmp)
		return *mmp;
	fresh = calloc(1, sizeof(*fresh));
	if (!fresh)
		return NULL;
	fresh->maps_fd = -1;
	fresh->as = unw_create_addr_space(&u->acc, 0);
	if (!fresh->as)
		return NULL;
	unw_set_caching_policy(fresh->as, UNW_CACHE_GLOBAL);
	*mmp = fng_steal_ptr(&fresh);
	return *mmp;
}

/* Walk the stack: return addresses, innermost first, in pcs. */
static unsigned walk(struct fng_unwinder *u, struct fng_unwind_mm *m, uint64_t *pcs, uint8_t *end)
{
	unw_cursor_t cur;
	unsigned n = 0;

	pcs[n++] = u->regs[UNW_REG_IP];
	if (!m || unw_init_remote(&cur, m->as, u) < 0) {
		*end = FNG_STACK_BAD_FRAME;
		return n;
	}
	for (;;) {
		unw_word_t ip = 0;
		int r = unw_step(&cur);

		if (r == 0)
			break; /* the outermost frame */
		if (r < 0 || unw_get_reg(&cur, UNW_REG_IP, &ip) < 0) {
			*end = u->over_budget ? FNG_STACK_BUDGET : FNG_STACK_BAD_FRAME;
			break;
		}
		if (ip == 0)
			break;
		if (n == FNG_STACK_FRAMES) {
			*end = FNG_STACK_FRAME_LIMIT;
			break;
		}
		pcs[n++] = ip;
	}
	return n;
}

/* Read the maps again; libunwind's caches are dropped when the executable
 * mappings changed (dlclose, dlopen) since they were built. */
static void read_maps(struct fng_unwinder *u, struct fng_unwind_mm *m, pid_t tid)
{
	if (fng_maps_read(tid, u->maps) < 0)
		u->maps->n = 0; /* frames without modules, still bounded */
	if (!m)
		return;
	m->maps_read = u->maps->n > 0;
	if (m->maps_hash != u->maps->hash) {
		unw_flush_cache(m->as, 0, 0);
		m->maps_hash = u->maps->hash;
	}
}

/* A kept copy of the maps keeps its modules while the module cache has
 * let none go (fng_map.mod_gen, checked at each use): the kernel has just
 * confirmed each frame's mapping (device, inode, range, offset), so the file
 * is the one the module was read from, and looking it up again (a stat
 * through /proc/TID/root per mapping) was a tenth of a capture. Files that
 * could not be read are tried again. */
static void retry_unreadable(struct fng_maps *maps)
{
	for (size_t i = 0; i < maps->n; i++)
		if (maps->v[i].mod_state < 0)
			maps->v[i].mod_state = 0;
}

/* fng_maps_current through the address space's kept /proc/TID/maps
 * (opened on its first check: the open was a third of the check's cost). */
static int maps_current(struct fng_unwind_mm *m, pid_t tid, const uint64_t *pcs, unsigned n)
{
	if (m->maps_fd < 0 && (m->maps_fd = fng_maps_open(tid)) < 0) {
		int err = m->maps_fd;
		m->maps_fd = -1;
		return err;
	}
	return fng_maps_current_fd(m->maps_fd, &m->maps, pcs, n);
}

/* The walk, on the address space's copy of its maps when the kernel
 * confirms that every frame's mapping is still the same (one query per
 * mapping), else on maps read again: reading and parsing every line was
 * most of a capture's cost. */
static unsigned walk_checked(struct fng_unwinder *u, struct fng_unwind_mm *m, pid_t tid, uint64_t *pcs, uint8_t *end)
{
	unsigned n;
	int r;

	u->maps = m ? &m->maps : &u->own;
	if (!m || !m->maps_read || u->no_query) {
		read_maps(u, m, tid);
		return walk(u, m, pcs, end);
	}
	retry_unreadable(u->maps);
	n = walk(u, m, pcs, end);
	r = maps_current(m, tid, pcs, n);
	if (r == 1)
		return n;
	if (r == -ENOTTY || r == -EINVAL)
		u->no_query = true;
	read_maps(u, m, tid);
	*end = FNG_STACK_COMPLETE;
	return walk(u, m, pcs, end);
}

int fng_stack_capture(struct fng_unwinder *u, struct fng_unwind_mm **mm_state_p, pid_t tid, struct fng_stack *out)
{
	uint64_t pcs[FNG_STACK_FRAMES];
	uint8_t end = FNG_STACK_COMPLETE;
	unsigned n;

	out->n = 0;
	u->tid = tid;
	u->reads = 0;
	u->accesses = 0;
	u->over_budget = false;
	u->deadline = fng_mono_ns() + FNG_UNWIND_TIME_BUDGET_NS;
	memset(u->tags, 0, sizeof(u->tags));
	u->nregs = fng_arch_unwind_regs(tid, u->regs, FNG_ARCH_UNWIND_REGS);
	if (u->nregs <= UNW_REG_IP) {
		out->end = FNG_STACK_NO_REGS;
		return u->nregs < 0 ? u->nregs : -EIO;
	}
	fng_symcache_begin(u->syms);
	n = walk_checked(u, mm_state(u, mm_state_p), tid, pcs, &end);
	for (unsigned i = 0; i < n; i++)
		fng_symbolize(u->syms, tid, u->maps, pcs[i], i > 0, &out->frames[i]);
	out->n = (uint8_t)n;
	out->end = end;
	return 0;
}
