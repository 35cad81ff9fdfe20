/* Repeated identical events, folded before the ring (docs/events.md,
 * "Repeated events"). The tracer thread folds an event into the one of its
 * kind seen before it instead of committing it; the logging thread takes the
 * folds out as one aggregate event (count, first, last) every
 * FNG_AGG_INTERVAL_MS, on a flush request and at exit. The first
 * FNG_AGG_WHOLE of a kind go out whole, and again once it was quiet for an
 * interval: a few repeats keep their own lines and stacks. A flood of one event
 * therefore costs one line a second, not a ring and a sink queue full of
 * copies, and cannot push a different event out. Counts are never lost: a
 * kind with folds waiting is never forgotten, and a new kind that finds
 * every slot waiting is simply not folded (it goes to the ring). */
#ifndef FNG_AGGREGATE_H
#define FNG_AGGREGATE_H

#include "logging/event.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FNG_AGG_SLOTS 32		/* kinds remembered; docs/events.md */
#define FNG_AGG_INTERVAL_MS 1000	/* how often the folds come out */
#define FNG_AGG_WHOLE 8			/* a kind's first events go out whole; the rest fold */

struct fng_agg_slot {
	bool used;
	uint64_t count;		/* folded since the last take */
	uint64_t first_ns;	/* the first of them */
	uint64_t seen_ns;	/* last time this kind was seen (folded or not) */
	unsigned whole;		/* emitted whole since the kind was last quiet for an interval */
	struct fng_event ev;	/* the kind: the last event emitted whole, no stack */
};

struct fng_agg {
	pthread_mutex_t mu;	/* held to compare or copy, never longer */
	struct fng_agg_slot *slots;
	uint64_t folded;	/* total, for the exit counters */
};

int fng_agg_init(struct fng_agg *a);
void fng_agg_destroy(struct fng_agg *a);

/* Pure: may ev be folded (a verdict event: alerted, blocked, allowed), and
 * are two events the same kind (docs/events.md lists the fields)? */
bool fng_agg_foldable(const struct fng_event *ev);
bool fng_agg_same(const struct fng_event *a, const struct fng_event *b);

/* Tracer thread: true when ev was folded into its kind (it must not be
 * committed; its stack is the caller's to release); false when it is to be
 * emitted whole (it is then remembered as its kind's first). */
bool fng_agg_fold(struct fng_agg *a, const struct fng_event *ev);

/* Logging thread: copy up to n kinds with folds waiting into out, as
 * aggregate events (count, first_ns; time_ns is the last), and start their
 * counts again; a kind with none was quiet: its next events go out whole.
 * Returns how many. */
size_t fng_agg_take(struct fng_agg *a, struct fng_event *out, size_t n);

#endif
