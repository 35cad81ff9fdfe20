/* Native stacks attached to events. A stack is big (32 frames) and rare
 * (alert and block events only), so it does not live in every ring slot:
 * the tracer fills one slot of a small pool and the event points at it; the
 * logging thread formats it and hands the slot back. docs/events.md gives
 * the memory cost. */
#ifndef FNG_STACK_POOL_H
#define FNG_STACK_POOL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define FNG_STACK_FRAMES 32	/* innermost frames kept */
/* Stacks in flight between the tracer and the logging thread: as many as
 * the ring has slots (ring.h; logger.c asserts it). A slot is handed back
 * before its event's ring slot, so an event that gets a ring slot always
 * finds a stack slot: a stack is lost only with its event. */
#define FNG_STACK_SLOTS 1024
#define FNG_BUILD_ID_MAX 32	/* longer build-ids (rare) are not reported */
#define FNG_FRAME_MODULE 24	/* module basename, truncated */
#define FNG_FRAME_FUNC 64	/* function name, truncated */

/* Why a stack is shorter than the thread's real stack. */
enum fng_stack_end {
	FNG_STACK_COMPLETE = 0,	/* the outermost frame was reached */
	FNG_STACK_FRAME_LIMIT,	/* FNG_STACK_FRAMES reached */
	FNG_STACK_BUDGET,	/* the time or memory-read budget ran out */
	FNG_STACK_BAD_FRAME,	/* a frame could not be unwound (corrupt stack, no unwind info) */
	FNG_STACK_NO_SLOT,	/* every pool slot was in flight: no stack */
	FNG_STACK_NO_REGS,	/* the thread's registers could not be read: no stack */
	FNG_STACK_END_COUNT,
};

struct fng_frame {
	uint64_t offset;	/* ELF virtual address in the module (pc - load bias); the pc if no module */
	uint8_t build_id[FNG_BUILD_ID_MAX];
	uint8_t build_id_len;	/* 0: none */
	char module[FNG_FRAME_MODULE];	/* basename, "[vdso]", or "?" when no file maps the pc */
	char function[FNG_FRAME_FUNC];	/* "" when unknown (stripped, or between symbols) */
};

struct fng_stack {
	_Atomic uint8_t busy;	/* set by the tracer, cleared by the logging thread */
	uint8_t n;		/* frames used */
	uint8_t end;		/* enum fng_stack_end */
	struct fng_frame frames[FNG_STACK_FRAMES];
};

struct fng_stack_pool {
	struct fng_stack *slots;	/* FNG_STACK_SLOTS, mmap'd: touched only when used */
	size_t next;			/* where the next search starts (tracer only) */
};

int fng_stack_pool_init(struct fng_stack_pool *p);
void fng_stack_pool_destroy(struct fng_stack_pool *p);
/* Tracer side: a free, zeroed slot, or NULL when all are in flight. */
struct fng_stack *fng_stack_pool_take(struct fng_stack_pool *p);

/* Hand a slot back (the logging thread after formatting, or the tracer
 * when the event it was meant for is never sent). NULL is fine. */
static inline void fng_stack_release(struct fng_stack *s)
{
	if (s)
		atomic_store_explicit(&s->busy, 0, memory_order_release);
}

/* "frame limit", "budget" ... for enum fng_stack_end; NULL for complete. */
const char *fng_stack_end_name(unsigned end);

#endif
