/* The bounded single-producer single-consumer event ring (ring.h). */
#include "logging/ring.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int fng_ring_init(struct fng_ring *r, size_t cap)
{
	if (cap == 0 || (cap & (cap - 1)))
		return -EINVAL;
	/* mmap: pages are only touched (and counted in RSS) when used. */
	r->slots = mmap(NULL, cap * sizeof(struct fng_event), PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r->slots == MAP_FAILED) {
		r->slots = NULL;
		return -errno;
	}
	r->mask = cap - 1;
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	return 0;
}

void fng_ring_destroy(struct fng_ring *r)
{
	if (r->slots)
		munmap(r->slots, (r->mask + 1) * sizeof(struct fng_event));
	r->slots = NULL;
}

struct fng_event *fng_ring_reserve(struct fng_ring *r)
{
	size_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
	size_t h = atomic_load_explicit(&r->head, memory_order_acquire);

	if (t - h > r->mask)
		return NULL;
	return &r->slots[t & r->mask];
}

void fng_ring_commit(struct fng_ring *r)
{
	size_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
	atomic_store_explicit(&r->tail, t + 1, memory_order_release);
}

const struct fng_event *fng_ring_peek(struct fng_ring *r)
{
	size_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
	size_t t = atomic_load_explicit(&r->tail, memory_order_acquire);

	if (h == t)
		return NULL;
	return &r->slots[h & r->mask];
}

void fng_ring_release(struct fng_ring *r)
{
	size_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
	atomic_store_explicit(&r->head, h + 1, memory_order_release);
}
