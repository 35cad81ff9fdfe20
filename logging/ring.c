/* The bounded single-producer single-consumer event ring (ring.h). */
#include "logging/ring.h"

#include <errno.h>
#include <stdint.h>
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
	for (size_t i = 0; i < FNG_RING_CLASSES; i++)
		atomic_init(&r->in_ring[i], 0);
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

unsigned fng_ring_class_of(const struct fng_event *ev)
{
	uint32_t h = 2166136261u;

	h = (h ^ ev->type) * 16777619u;
	h = (h ^ ev->action) * 16777619u;
	for (const char *p = ev->rule; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	return h % FNG_RING_CLASSES;
}

bool fng_ring_admit(const struct fng_ring *r, unsigned c)
{
	size_t used = atomic_load_explicit(&r->tail, memory_order_relaxed) -
		      atomic_load_explicit(&r->head, memory_order_acquire);
	size_t cap = r->mask + 1, free_slots = cap - used;

	if (used < cap / 2)
		return true;
	return 2 * (size_t)atomic_load_explicit(&r->in_ring[c % FNG_RING_CLASSES], memory_order_relaxed) < free_slots;
}

void fng_ring_commit_class(struct fng_ring *r, unsigned c)
{
	atomic_fetch_add_explicit(&r->in_ring[c % FNG_RING_CLASSES], 1, memory_order_relaxed);
	fng_ring_commit(r);
}

void fng_ring_release_class(struct fng_ring *r, unsigned c)
{
	atomic_fetch_sub_explicit(&r->in_ring[c % FNG_RING_CLASSES], 1, memory_order_relaxed);
	fng_ring_release(r);
}
