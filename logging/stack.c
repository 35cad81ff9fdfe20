/* The pool of native stacks events carry (stack.h). */
#include "logging/stack.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#define POOL_BYTES (FNG_STACK_SLOTS * sizeof(struct fng_stack))

int fng_stack_pool_init(struct fng_stack_pool *p)
{
	p->next = 0;
	p->slots = mmap(NULL, POOL_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p->slots == MAP_FAILED) {
		p->slots = NULL;
		return -errno;
	}
	return 0;
}

void fng_stack_pool_destroy(struct fng_stack_pool *p)
{
	if (p->slots)
		munmap(p->slots, POOL_BYTES);
	p->slots = NULL;
}

struct fng_stack *fng_stack_pool_take(struct fng_stack_pool *p)
{
	if (!p->slots)
		return NULL;
	/* Slots come back roughly in the order they were taken: start after
	 * the last one handed out, so the search is usually one step. */
	for (size_t i = 0; i < FNG_STACK_SLOTS; i++) {
		struct fng_stack *s = &p->slots[(p->next + i) % FNG_STACK_SLOTS];

		if (atomic_load_explicit(&s->busy, memory_order_acquire))
			continue;
		p->next = (p->next + i + 1) % FNG_STACK_SLOTS;
		s->n = 0;
		s->end = FNG_STACK_COMPLETE;
		atomic_store_explicit(&s->busy, 1, memory_order_relaxed);
		return s;
	}
	return NULL;
}

const char *fng_stack_end_name(unsigned end)
{
	static const char *const names[FNG_STACK_END_COUNT] = {
		[FNG_STACK_COMPLETE] = NULL,
		[FNG_STACK_FRAME_LIMIT] = "frame limit",
		[FNG_STACK_BUDGET] = "budget",
		[FNG_STACK_BAD_FRAME] = "unreadable frame",
		[FNG_STACK_NO_SLOT] = "no free stack slot",
		[FNG_STACK_NO_REGS] = "registers unreadable",
	};
	return end < FNG_STACK_END_COUNT ? names[end] : "?";
}
