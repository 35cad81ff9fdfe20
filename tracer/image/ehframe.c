/* An .eh_frame search table for files the linker gave none (static
 * executables: gcc passes --eh-frame-hdr only to dynamic links). Walks the
 * CIE and FDE records of .eh_frame, as read from the file, and keeps each
 * FDE's start address and position: the table .eh_frame_hdr would hold. */
#include "tracer/image/elfinfo.h"
#include "tracer/image/elfinfo_internal.h"
#include "common/util.h"

#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>

/* DWARF pointer encodings (low nibble: format, high: application). */
#define PE_ABSPTR 0x00
#define PE_UDATA2 0x02
#define PE_UDATA4 0x03
#define PE_UDATA8 0x04
#define PE_SDATA2 0x0a
#define PE_SDATA4 0x0b
#define PE_SDATA8 0x0c
#define PE_PCREL 0x10
#define PE_OMIT 0xff

struct cursor {
	const uint8_t *p, *end;
	bool bad;
};

static uint64_t get(struct cursor *c, size_t n)
{
	uint64_t v = 0;

	if (c->bad || (size_t)(c->end - c->p) < n) {
		c->bad = true;
		return 0;
	}
	memcpy(&v, c->p, n); /* little-endian, as the files this host runs */
	c->p += n;
	return v;
}

static uint64_t uleb(struct cursor *c)
{
	uint64_t v = 0;

	for (unsigned shift = 0; shift < 64; shift += 7) {
		uint64_t b = get(c, 1);
		v |= (b & 0x7f) << shift;
		if (!(b & 0x80) || c->bad)
			return v;
	}
	c->bad = true;
	return v;
}

static size_t enc_size(uint8_t enc)
{
	switch (enc & 0x0f) {
	case PE_ABSPTR:
	case PE_UDATA8:
	case PE_SDATA8:
		return 8;
	case PE_UDATA4:
	case PE_SDATA4:
		return 4;
	case PE_UDATA2:
	case PE_SDATA2:
		return 2;
	}
	return 0;
}

static int64_t sign_extend(uint64_t v, size_t n)
{
	unsigned bits = (unsigned)n * 8;
	return bits >= 64 ? (int64_t)v : (int64_t)(v << (64 - bits)) >> (64 - bits);
}

/* The FDE pointer encoding a CIE declares ("zR" augmentation), or -1. */
static int cie_encoding(const uint8_t *cie, const uint8_t *end)
{
	struct cursor c = { cie, end, false };
	const char *aug;
	uint8_t version = (uint8_t)get(&c, 1);
	int enc = PE_ABSPTR;

	aug = (const char *)c.p;
	if (c.bad || !memchr(aug, '\0', (size_t)(end - c.p)))
		return -1;
	c.p += strlen(aug) + 1;
	uleb(&c); /* code alignment */
	uleb(&c); /* data alignment (sleb: only skipped) */
	if (version == 1)
		get(&c, 1);
	else
		uleb(&c); /* return address register */
	if (aug[0] != 'z')
		return aug[0] == '\0' ? PE_ABSPTR : -1;
	uleb(&c); /* augmentation data length */
	for (const char *a = aug + 1; *a && !c.bad; a++) {
		switch (*a) {
		case 'L':
			get(&c, 1);
			break;
		case 'P': {
			uint8_t penc = (uint8_t)get(&c, 1);
			size_t n = enc_size(penc);
			if (!n || (penc & 0x70) == 0x50) /* aligned: not used on this platform */
				return -1;
			get(&c, n);
			break;
		}
		case 'R':
			enc = (int)get(&c, 1);
			break;
		case 'S':
		case 'B':
			break;
		default:
			return -1;
		}
	}
	return c.bad ? -1 : enc;
}

struct entry {
	int64_t pc, fde;	/* relative to the section's start */
};

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	return x->pc < y->pc ? -1 : x->pc > y->pc;
}

/* Walk the records; entries gets (pc, FDE) pairs relative to the section. */
static size_t index_records(const uint8_t *d, size_t size, uint64_t vaddr, struct entry *out, size_t max)
{
	size_t off = 0, n = 0, cie_off = SIZE_MAX;
	int enc = -1;

	while (off + 4 <= size && n < max) {
		struct cursor c = { d + off, d + size, false };
		uint64_t len = get(&c, 4);
		const uint8_t *rec, *rec_end;
		uint32_t id;

		if (len == 0)
			break; /* terminator */
		if (len == 0xffffffffu)
			len = get(&c, 8);
		rec = c.p;
		if (c.bad || len > (size_t)(d + size - rec))
			break;
		rec_end = rec + len;
		id = (uint32_t)get(&c, 4);
		if (id != 0 && !c.bad && (size_t)(rec - d) >= id) { /* an FDE: id is the distance back to its CIE */
			size_t cie = (size_t)(rec - d) - id;
			if (cie != cie_off) {
				struct cursor cc = { d + cie, d + size, false };
				uint64_t clen = get(&cc, 4);
				cie_off = cie;
				enc = clen && clen != 0xffffffffu && clen <= (size_t)(d + size - cc.p) && get(&cc, 4) == 0
					      ? cie_encoding(cc.p, cc.p + clen - 4)
					      : -1;
			}
			if (enc >= 0 && enc != PE_OMIT && (enc & 0x70) <= PE_PCREL && !(enc & 0x80)) {
				size_t fsz = enc_size((uint8_t)enc);
				int64_t field = c.p - d;
				int64_t v = fsz ? sign_extend(get(&c, fsz), fsz) : 0;
				if (fsz && !c.bad) {
					/* pc-relative, or absolute (non-PIE static executables) */
					out[n].pc = (enc & 0x70) == PE_PCREL ? field + v : v - (int64_t)vaddr;
					out[n].fde = (int64_t)off;
					n++;
				}
			}
		}
		off = (size_t)(rec_end - d);
	}
	return n;
}

static Elf_Scn *find_eh_frame(Elf *e, GElf_Shdr *sh)
{
	size_t shstrndx;

	if (elf_getshdrstrndx(e, &shstrndx) < 0)
		return NULL;
	for (Elf_Scn *s = NULL; (s = elf_nextscn(e, s));) {
		const char *name;
		if (!gelf_getshdr(s, sh) || sh->sh_type != SHT_PROGBITS)
			continue;
		name = elf_strptr(e, shstrndx, sh->sh_name);
		if (name && strcmp(name, ".eh_frame") == 0)
			return s;
	}
	return NULL;
}

int fng_elf_read_unwind(int fd, struct fng_elf *out)
{
	autoelf Elf *e = NULL;
	Elf_Scn *scn;
	Elf_Data *d;
	GElf_Shdr sh;
	autofree struct entry *v = NULL;
	autofree int32_t *table = NULL;
	size_t max, n, kept = 0;

	out->unwind_read = true;
	if (out->have_ehf)
		return 0;
	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e)
		return -ENOEXEC;
	scn = find_eh_frame(e, &sh);
	if (!scn || sh.sh_size > FNG_ELF_MAX_SYMTAB || !(d = elf_rawdata(scn, NULL)) || !d->d_buf)
		return 0;
	max = d->d_size / 16 + 1; /* an FDE takes at least 16 bytes */
	v = malloc(max * sizeof(*v));
	table = malloc(max * 2 * sizeof(*table));
	if (!v || !table)
		return -ENOMEM;
	n = index_records(d->d_buf, d->d_size, sh.sh_addr, v, max);
	qsort(v, n, sizeof(*v), entry_cmp);
	for (size_t i = 0; i < n; i++) {
		if (v[i].pc < INT32_MIN || v[i].pc > INT32_MAX || v[i].fde > INT32_MAX)
			continue;
		table[2 * kept] = (int32_t)v[i].pc;
		table[2 * kept + 1] = (int32_t)v[i].fde;
		kept++;
	}
	if (kept)
		out->table = fng_steal_ptr(&table);
	out->table_count = kept;
	out->table_base = sh.sh_addr;
	return 0;
}
