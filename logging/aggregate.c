/* Folding repeated identical events before the ring (aggregate.h). */
#include "logging/aggregate.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

int fng_agg_init(struct fng_agg *a)
{
	memset(a, 0, sizeof(*a));
	/* mmap: the slots' pages are touched only when kinds are remembered. */
	a->slots = mmap(NULL, FNG_AGG_SLOTS * sizeof(*a->slots), PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a->slots == MAP_FAILED) {
		a->slots = NULL;
		return -errno;
	}
	return -pthread_mutex_init(&a->mu, NULL);
}

void fng_agg_destroy(struct fng_agg *a)
{
	if (!a->slots)
		return;
	munmap(a->slots, FNG_AGG_SLOTS * sizeof(*a->slots));
	a->slots = NULL;
	pthread_mutex_destroy(&a->mu);
}

bool fng_agg_foldable(const struct fng_event *ev)
{
	return ev->type != FNG_EV_LIFECYCLE && ev->count == 0 &&
	       (ev->action == FNG_ACT_ALERTED || ev->action == FNG_ACT_BLOCKED || ev->action == FNG_ACT_ALLOWED);
}

#define SAME_STR(f) (strcmp(a->f, b->f) == 0)

/* The kind: what happened (type, call, verdict, rule, error), who did it
 * (process, its uid, parent and name, and program: an aggregate says them
 * as its first event had them, so a change is a new kind), to what (path, target, host, address, port,
 * arguments, executable) and when in the function (phase, invocation). Not
 * the time, the stack, the trace id or the command line (same process). */
bool fng_agg_same(const struct fng_event *a, const struct fng_event *b)
{
	if (a->type != b->type || a->action != b->action || a->would != b->would || a->access != b->access ||
	    a->error != b->error || a->pid != b->pid || a->uid != b->uid || a->ppid != b->ppid ||
	    a->port != b->port || a->fn_phase != b->fn_phase || a->argc != b->argc)
		return false;
	if (!SAME_STR(path) || !SAME_STR(host) || !SAME_STR(ip) || !SAME_STR(path2) || !SAME_STR(rule) ||
	    !SAME_STR(mode) || !SAME_STR(syscall) || !SAME_STR(exe) || !SAME_STR(comm) || !SAME_STR(protocol) || !SAME_STR(qtype) ||
	    !SAME_STR(reason) || !SAME_STR(request_id))
		return false;
	if (memcmp(a->argv, b->argv, sizeof(a->argv)) != 0)
		return false;
	return a->image.source == b->image.source && strcmp(a->image.path, b->image.path) == 0 &&
	       a->image.build_id_len == b->image.build_id_len &&
	       memcmp(a->image.build_id, b->image.build_id, a->image.build_id_len) == 0;
}

/* A slot for a new kind: a free one, else the one seen longest ago among
 * those with no folds waiting; NULL when every slot waits to be taken. */
static struct fng_agg_slot *free_slot(struct fng_agg *a)
{
	struct fng_agg_slot *best = NULL;

	for (size_t i = 0; i < FNG_AGG_SLOTS; i++) {
		struct fng_agg_slot *s = &a->slots[i];
		if (!s->used)
			return s;
		if (s->count == 0 && (!best || s->seen_ns < best->seen_ns))
			best = s;
	}
	return best;
}

bool fng_agg_fold(struct fng_agg *a, const struct fng_event *ev)
{
	struct fng_agg_slot *s = NULL;

	pthread_mutex_lock(&a->mu);
	for (size_t i = 0; i < FNG_AGG_SLOTS && !s; i++)
		if (a->slots[i].used && fng_agg_same(&a->slots[i].ev, ev))
			s = &a->slots[i];
	if (s && s->whole < FNG_AGG_WHOLE) {
		s->whole++;
		s->seen_ns = ev->time_ns;
		pthread_mutex_unlock(&a->mu);
		return false;
	}
	if (s) {
		if (s->count++ == 0)
			s->first_ns = ev->time_ns;
		s->seen_ns = ev->time_ns;
		a->folded++;
		pthread_mutex_unlock(&a->mu);
		return true;
	}
	s = free_slot(a);
	if (s) {
		s->used = true;
		s->count = 0;
		s->whole = 1;
		s->seen_ns = ev->time_ns;
		s->ev = *ev;
		s->ev.stack = NULL;
	}
	pthread_mutex_unlock(&a->mu);
	return false;
}

size_t fng_agg_take(struct fng_agg *a, struct fng_event *out, size_t n)
{
	size_t k = 0;

	pthread_mutex_lock(&a->mu);
	for (size_t i = 0; i < FNG_AGG_SLOTS && k < n; i++) {
		struct fng_agg_slot *s = &a->slots[i];
		if (s->used && s->count == 0)
			s->whole = 0;	/* quiet for an interval */
		if (!s->used || s->count == 0)
			continue;
		out[k] = s->ev;
		out[k].count = s->count;
		out[k].first_ns = s->first_ns;
		out[k].time_ns = s->seen_ns;
		out[k].stack = NULL;
		out[k].stack_end = 0;
		k++;
		s->count = 0;
	}
	pthread_mutex_unlock(&a->mu);
	return k;
}
