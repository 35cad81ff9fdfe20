/* Reading ELF files with libelf: what identifies a program (build-id,
 * PT_INTERP, static or dynamic), how it lies in memory (PT_LOAD segments,
 * the .eh_frame_hdr search table the unwinder needs) and its function
 * symbols. Everything is read through the descriptor with pread, never
 * mmap'd: a file the tracee truncates under us cannot SIGBUS the tracer.
 * No ptrace, no /proc: unit-testable on any file. */
#ifndef FNG_ELFINFO_H
#define FNG_ELFINFO_H

#include "logging/event.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FNG_ELF_SEGS 16		/* PT_LOAD segments kept (real files have 2 to 5) */
#define FNG_ELF_MAX_FUNCS (1u << 20)	/* function symbols kept per file */
#define FNG_ELF_MAX_SYMTAB (64u << 20)	/* a bigger symbol table or .eh_frame is not read */

struct fng_elf_seg {
	uint64_t offset, vaddr, filesz, memsz;
};

struct fng_elf_func {
	uint64_t addr;
	uint32_t size;		/* 0: unknown (or 4 GiB and more) */
	uint32_t name;		/* offset in the string table, in the file */
};

struct fng_elf {
	uint8_t linkage;	/* enum fng_linkage */
	uint8_t build_id_len;	/* 0: none, or longer than FNG_BUILD_ID_MAX */
	uint8_t build_id[FNG_BUILD_ID_MAX];
	char interp[256];	/* PT_INTERP, "" if none */
	struct fng_elf_seg segs[FNG_ELF_SEGS];
	unsigned n_segs;

	bool have_ehf;			/* a usable .eh_frame_hdr binary-search table */
	uint64_t ehf_vaddr;		/* the header (data-relative base of the table) */
	uint64_t ehf_table_vaddr;	/* the table: fde_count pairs of int32 */
	uint64_t ehf_fde_count;

	/* fng_elf_read_unwind, for files without .eh_frame_hdr (static
	 * executables): the same table built from .eh_frame, held here. */
	bool unwind_read;
	int32_t *table;			/* pairs (pc, FDE) relative to table_base, sorted */
	size_t table_count;
	uint64_t table_base;		/* vaddr of .eh_frame */

	/* fng_elf_read_funcs: functions sorted by address, one (the best)
	 * name per address, from .symtab, else .dynsym. Names stay in the
	 * file (a big program's string table runs to megabytes): a lookup
	 * reads the one it needs. */
	bool funcs_read;
	struct fng_elf_func *funcs;
	size_t n_funcs;
	uint64_t strtab_off, strtab_size;	/* where the names are in the file */
};

/* Identity and layout. 0, -ENOEXEC (not ELF) or -errno. */
int fng_elf_read(int fd, struct fng_elf *e);
/* Function symbols (after fng_elf_read). 0 or -errno; none is not an error. */
int fng_elf_read_funcs(int fd, struct fng_elf *e);
/* Without .eh_frame_hdr: index .eh_frame into table. 0 or -errno. */
int fng_elf_read_unwind(int fd, struct fng_elf *e);
void fng_elf_free(struct fng_elf *e);

/* The function containing vaddr (nearest preceding function symbol whose
 * size covers it, or of unknown size), or NULL. */
const struct fng_elf_func *fng_elf_func_at(const struct fng_elf *e, uint64_t vaddr);
/* Its name, read from the file open on fd, truncated to n - 1 bytes.
 * 0 or -errno. */
int fng_elf_func_name(int fd, const struct fng_elf *e, const struct fng_elf_func *f, char *out, size_t n);

/* Load bias of a mapping of this file at address start, file offset pgoff
 * (as /proc/PID/maps shows them): vaddr = address - bias. 0 or -ENOENT. */
int fng_elf_bias(const struct fng_elf *e, uint64_t start, uint64_t pgoff, uint64_t *bias);

#endif
