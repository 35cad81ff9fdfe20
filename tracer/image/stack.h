/* The native stack of a stopped tracee thread, for events that carry one.
 *
 * libunwind's remote unwinder does the DWARF work; the accessors are ours:
 * registers from one PTRACE_GETREGS, memory through process_vm_readv with a
 * small page cache, and unwind tables found through the .eh_frame_hdr of
 * the mapped files as tracer/image/symbols.c reads them (pread, never mmap; in the
 * tracee's root), located through the address space's kept copy of
 * /proc/TID/maps, which the kernel confirms for every frame's mapping after
 * the walk (maps_check.c; read again and walked again when it does not).
 * Frames are then symbolised (module, function, offset,
 * build-id). Bounded: FNG_STACK_FRAMES frames, a budget of pages read from
 * the tracee and a time budget; whatever ends a capture early is said in
 * fng_stack.end. Must run on the tracer thread, with tid in a ptrace stop. */
#ifndef FNG_TRACER_STACK_H
#define FNG_TRACER_STACK_H

#include "logging/stack.h"
#include "tracer/image/symbols.h"

#include <sys/types.h>

#define FNG_UNWIND_PAGES 16		/* tracee pages cached during one capture */
#define FNG_UNWIND_READ_BUDGET 1024	/* pages read from the tracee per capture (4 MiB) */
#define FNG_UNWIND_ACCESS_BUDGET (1u << 20)	/* words libunwind may ask for (cached or not) */
#define FNG_UNWIND_TIME_BUDGET_NS (20 * 1000 * 1000ull)	/* per capture */

struct fng_unwinder;
/* Per address space (struct fng_mm): libunwind's caches of unwind rules,
 * created on the first capture there, gone with the image (exec, exit). */
struct fng_unwind_mm;

/* syms is the tracer's module cache (shared with exec identity). */
int fng_unwinder_new(struct fng_unwinder **out, struct fng_symcache *syms);
void fng_unwinder_free(struct fng_unwinder *u);
void fng_unwind_mm_free(struct fng_unwind_mm *m);

/* Fill out with tid's stack, innermost frame first. *mm_state is the
 * task's address-space cache (NULL the first time). 0, or -errno when not
 * even the registers could be read (out->end says so). */
int fng_stack_capture(struct fng_unwinder *u, struct fng_unwind_mm **mm_state, pid_t tid, struct fng_stack *out);

/* Pages read from tracees by the last capture (for the benchmark). */
unsigned fng_unwinder_last_reads(const struct fng_unwinder *u);

#endif
