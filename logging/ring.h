/* A bounded single-producer single-consumer ring of events. The tracer thread
 * is the only producer; it never waits: a full ring is a counted drop. */
#ifndef FNG_RING_H
#define FNG_RING_H

#include "logging/event.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#define FNG_RING_CAPACITY 1024	/* events; documented in docs/events.md */
#define FNG_RING_CLASSES 64	/* kinds of event the ring keeps apart (hashed) */

struct fng_ring {
	_Alignas(64) _Atomic size_t head;	/* next slot the consumer reads */
	_Alignas(64) _Atomic size_t tail;	/* next slot the producer writes */
	size_t mask;
	struct fng_event *slots;
	_Atomic uint32_t in_ring[FNG_RING_CLASSES];	/* events of each class in the ring */
};

int fng_ring_init(struct fng_ring *r, size_t capacity_pow2);
void fng_ring_destroy(struct fng_ring *r);
/* Producer: a slot to fill, or NULL when full. Commit publishes it. */
struct fng_event *fng_ring_reserve(struct fng_ring *r);
void fng_ring_commit(struct fng_ring *r);
/* Consumer: the oldest event, or NULL when empty. Release frees it. */
const struct fng_event *fng_ring_peek(struct fng_ring *r);
void fng_ring_release(struct fng_ring *r);

/* An event's class for the ring: its type, action and rule, hashed. */
unsigned fng_ring_class_of(const struct fng_event *ev);
/* Producer: may an event of class c take a slot now? Half the ring is
 * anyone's; past that a class gets a slot only while it holds fewer than
 * half the slots still free, so a flood (one class, or a few) leaves room
 * for an event of a class the ring does not hold. */
bool fng_ring_admit(const struct fng_ring *r, unsigned c);
/* commit / release with the class of the event counted. */
void fng_ring_commit_class(struct fng_ring *r, unsigned c);
void fng_ring_release_class(struct fng_ring *r, unsigned c);

#endif
