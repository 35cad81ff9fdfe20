/* A bounded single-producer single-consumer ring of events. The tracer thread
 * is the only producer; it never waits: a full ring is a counted drop. */
#ifndef FNG_RING_H
#define FNG_RING_H

#include "logging/event.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#define FNG_RING_CAPACITY 1024	/* events; documented in docs/events.md */

struct fng_ring {
	_Alignas(64) _Atomic size_t head;	/* next slot the consumer reads */
	_Alignas(64) _Atomic size_t tail;	/* next slot the producer writes */
	size_t mask;
	struct fng_event *slots;
};

int fng_ring_init(struct fng_ring *r, size_t capacity_pow2);
void fng_ring_destroy(struct fng_ring *r);
/* Producer: a slot to fill, or NULL when full. Commit publishes it. */
struct fng_event *fng_ring_reserve(struct fng_ring *r);
void fng_ring_commit(struct fng_ring *r);
/* Consumer: the oldest event, or NULL when empty. Release frees it. */
const struct fng_event *fng_ring_peek(struct fng_ring *r);
void fng_ring_release(struct fng_ring *r);

#endif
