/* Reading ELF files with libelf (elfinfo.h): build-id, linkage, interpreter, symbols. */
#include "tracer/image/elfinfo.h"
#include "tracer/image/elfinfo_internal.h"
#include "common/util.h"

#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NOTE_MAX (64u << 10)	/* a note segment bigger than this is not read */
#define GNU_NOTE "GNU"

/* DWARF pointer encodings used in .eh_frame_hdr. */
#define PE_OMIT 0xff
#define PE_UDATA4 0x03
#define PE_SDATA4 0x0b
#define PE_DATAREL 0x30

static Elf *open_elf(int fd)
{
	Elf *e;

	elf_version(EV_CURRENT);
	/* ELF_C_READ: pread on demand, never mmap. */
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (e && elf_kind(e) != ELF_K_ELF) {
		elf_end(e);
		return NULL;
	}
	return e;
}

/* Look for NT_GNU_BUILD_ID in one block of notes. */
static bool find_build_id(Elf_Data *d, struct fng_elf *out)
{
	GElf_Nhdr nh;
	size_t off = 0, next, name_off, desc_off;

	if (!d || !d->d_buf)
		return false;
	while ((next = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
		off = next;
		if (nh.n_type != NT_GNU_BUILD_ID || nh.n_namesz != sizeof(GNU_NOTE) ||
		    memcmp((const char *)d->d_buf + name_off, GNU_NOTE, sizeof(GNU_NOTE)) != 0)
			continue;
		if (nh.n_descsz == 0 || nh.n_descsz > FNG_BUILD_ID_MAX)
			return true; /* there is one, but not one we can report */
		memcpy(out->build_id, (const char *)d->d_buf + desc_off, nh.n_descsz);
		out->build_id_len = (uint8_t)nh.n_descsz;
		return true;
	}
	return false;
}

/* .eh_frame_hdr: version 1, eh_frame_ptr, fde_count (udata4), then a table
 * of (initial location, FDE) int32 pairs relative to the header. Only that
 * form is usable for a binary search; anything else is left alone. */
static void read_eh_frame_hdr(Elf *e, const GElf_Phdr *ph, struct fng_elf *out)
{
	const uint8_t *h;
	Elf_Data *d;
	size_t ptr_size, off;
	uint32_t count;

	if (ph->p_filesz < 8)
		return;
	d = elf_getdata_rawchunk(e, (int64_t)ph->p_offset, ph->p_filesz < 16 ? ph->p_filesz : 16, ELF_T_BYTE);
	if (!d || !d->d_buf)
		return;
	h = d->d_buf;
	if (h[0] != 1 || (h[2] != PE_UDATA4 && h[2] != PE_SDATA4) || h[3] != (PE_DATAREL | PE_SDATA4))
		return;
	if (h[1] == PE_OMIT)
		ptr_size = 0;
	else if ((h[1] & 0x0f) == PE_UDATA4 || (h[1] & 0x0f) == PE_SDATA4)
		ptr_size = 4;
	else if ((h[1] & 0x0f) == 0x04 || (h[1] & 0x0f) == 0x0c)
		ptr_size = 8;
	else
		return;
	off = 4 + ptr_size;
	if (off + 4 > d->d_size)
		return;
	memcpy(&count, h + off, sizeof(count));
	out->ehf_vaddr = ph->p_vaddr;
	out->ehf_table_vaddr = ph->p_vaddr + off + 4;
	out->ehf_fde_count = count;
	out->have_ehf = count > 0;
}

int fng_elf_read(int fd, struct fng_elf *out)
{
	autoelf Elf *e = open_elf(fd);
	GElf_Ehdr eh;
	size_t phnum = 0;
	bool found_id = false, dynamic = false;

	memset(out, 0, sizeof(*out));
	if (!e || !gelf_getehdr(e, &eh))
		return -ENOEXEC;
	if (elf_getphdrnum(e, &phnum) < 0)
		return -ENOEXEC;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e, (int)i, &ph))
			continue;
		switch (ph.p_type) {
		case PT_LOAD:
			if (out->n_segs < FNG_ELF_SEGS)
				out->segs[out->n_segs++] = (struct fng_elf_seg){ ph.p_offset, ph.p_vaddr, ph.p_filesz, ph.p_memsz };
			break;
		case PT_INTERP: {
			Elf_Data *d = elf_getdata_rawchunk(e, (int64_t)ph.p_offset,
							   ph.p_filesz < sizeof(out->interp) ? ph.p_filesz : sizeof(out->interp) - 1,
							   ELF_T_BYTE);
			if (d && d->d_buf)
				memcpy(out->interp, d->d_buf, strnlen(d->d_buf, d->d_size));
			dynamic = true;
			break;
		}
		case PT_NOTE:
			if (!found_id && ph.p_filesz <= NOTE_MAX)
				found_id = find_build_id(elf_getdata_rawchunk(e, (int64_t)ph.p_offset, ph.p_filesz,
									      ph.p_align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR),
							 out);
			break;
		case PT_GNU_EH_FRAME:
			read_eh_frame_hdr(e, &ph, out);
			break;
		}
	}
	/* No note segment (an object that was never meant to be loaded): the sections. */
	for (Elf_Scn *s = NULL; !found_id && (s = elf_nextscn(e, s));) {
		GElf_Shdr sh;
		if (gelf_getshdr(s, &sh) && sh.sh_type == SHT_NOTE && sh.sh_size <= NOTE_MAX)
			found_id = find_build_id(elf_getdata(s, NULL), out);
	}
	if (dynamic)
		out->linkage = FNG_LINK_DYNAMIC;
	else
		out->linkage = eh.e_type == ET_DYN ? FNG_LINK_STATIC_PIE : FNG_LINK_STATIC;
	return 0;
}

struct sym {
	uint64_t addr, size;
	uint32_t name;
	int rank;		/* lower is a better name for the address */
};

/* Several names for one address (connect, __connect, __libc_connect):
 * prefer the public-looking one. */
static int name_rank(const char *name, unsigned char bind)
{
	int r = (int)strspn(name, "_") * 4;

	if (bind == STB_LOCAL)
		r += 2;
	else if (bind == STB_WEAK)
		r += 1;
	return r;
}

static int sym_cmp(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->rank - y->rank;
}

static Elf_Scn *symbol_section(Elf *e, GElf_Shdr *sh)
{
	Elf_Scn *dyn = NULL;
	GElf_Shdr dsh;

	for (Elf_Scn *s = NULL; (s = elf_nextscn(e, s));) {
		GElf_Shdr h;
		if (!gelf_getshdr(s, &h) || h.sh_size > FNG_ELF_MAX_SYMTAB || h.sh_entsize == 0)
			continue;
		if (h.sh_type == SHT_SYMTAB) {
			*sh = h;
			return s;
		}
		if (h.sh_type == SHT_DYNSYM && !dyn) {
			dyn = s;
			dsh = h;
		}
	}
	if (dyn)
		*sh = dsh;
	return dyn;
}

/* Keep one entry per address: the best-ranked name came first. */
static int pack(struct fng_elf *out, const struct sym *v, size_t n)
{
	size_t kept = 0;

	out->funcs = malloc((n ? n : 1) * sizeof(*out->funcs));
	if (!out->funcs)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && v[i].addr == v[i - 1].addr)
			continue;
		out->funcs[kept++] = (struct fng_elf_func){ v[i].addr, v[i].size > UINT32_MAX ? 0 : (uint32_t)v[i].size,
							    v[i].name };
	}
	out->n_funcs = kept;
	return 0;
}

int fng_elf_read_funcs(int fd, struct fng_elf *out)
{
	autoelf Elf *e = open_elf(fd);
	autofree struct sym *v = NULL;
	Elf_Scn *scn, *strtab;
	Elf_Data *d;
	GElf_Shdr sh, strsh;
	size_t count, n = 0;

	out->funcs_read = true;
	if (!e)
		return -ENOEXEC;
	scn = symbol_section(e, &sh);
	if (!scn || !(d = elf_getdata(scn, NULL)))
		return 0;
	strtab = elf_getscn(e, sh.sh_link);
	if (!strtab || !gelf_getshdr(strtab, &strsh) || strsh.sh_type != SHT_STRTAB)
		return 0;
	out->strtab_off = strsh.sh_offset;
	out->strtab_size = strsh.sh_size;
	count = sh.sh_size / sh.sh_entsize;
	v = malloc((count ? count : 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < count && n < FNG_ELF_MAX_FUNCS; i++) {
		GElf_Sym s;
		const char *name;

		if (!gelf_getsym(d, (int)i, &s) || GELF_ST_TYPE(s.st_info) != STT_FUNC || s.st_shndx == SHN_UNDEF ||
		    s.st_value == 0)
			continue;
		name = elf_strptr(e, sh.sh_link, s.st_name);
		if (!name || !*name)
			continue;
		v[n++] = (struct sym){ s.st_value, s.st_size, s.st_name, name_rank(name, GELF_ST_BIND(s.st_info)) };
	}
	qsort(v, n, sizeof(*v), sym_cmp);
	return pack(out, v, n);
}

void fng_elf_free(struct fng_elf *e)
{
	free(e->funcs);
	free(e->table);
	e->funcs = NULL;
	e->table = NULL;
	e->n_funcs = 0;
	e->table_count = 0;
}

const struct fng_elf_func *fng_elf_func_at(const struct fng_elf *e, uint64_t vaddr)
{
	size_t lo = 0, hi = e->n_funcs;
	const struct fng_elf_func *f;

	/* The last function starting at or below vaddr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e->funcs[mid].addr <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	f = &e->funcs[lo - 1];
	if (f->size && vaddr - f->addr >= f->size)
		return NULL; /* between functions: a symbol this table does not have */
	return f;
}

int fng_elf_func_name(int fd, const struct fng_elf *e, const struct fng_elf_func *f, char *out, size_t n)
{
	ssize_t got;

	if (n == 0 || f->name >= e->strtab_size)
		return -ERANGE;
	if (n - 1 > e->strtab_size - f->name)
		n = (size_t)(e->strtab_size - f->name) + 1;
	got = pread(fd, out, n - 1, (off_t)(e->strtab_off + f->name));
	if (got <= 0)
		return got < 0 ? -errno : -EIO;
	out[got] = '\0';
	out[strnlen(out, (size_t)got)] = '\0';
	return out[0] ? 0 : -ENOENT;
}

int fng_elf_bias(const struct fng_elf *e, uint64_t start, uint64_t pgoff, uint64_t *bias)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	for (unsigned i = 0; i < e->n_segs; i++) {
		const struct fng_elf_seg *s = &e->segs[i];
		if (s->filesz == 0 || pgoff < (s->offset & ~(page - 1)) || pgoff >= s->offset + s->filesz)
			continue;
		/* The segment puts file offset s->offset at bias + s->vaddr. */
		*bias = start - (s->vaddr - s->offset + pgoff);
		return 0;
	}
	return -ENOENT;
}
