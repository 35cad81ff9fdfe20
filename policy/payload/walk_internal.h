/* What the event walker's two files share (walk.c: the JSON and the event
 * shapes; walk_out.c: the leaf list, its arena, paths). Not for other
 * modules. */
#ifndef FNG_PAYLOAD_WALK_INTERNAL_H
#define FNG_PAYLOAD_WALK_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "policy/payload/walk.h"

struct pwalk {
	struct fng_pwalk_limits lim;
	struct fng_pwalk_list *out;
	int err;		/* -ENOMEM */
	size_t cap;		/* of out->v */
	size_t hint;		/* its first size: about one value per 16 bytes of event */
};

/* Marks the list incomplete (the first reason is kept). */
void fng_pwalk_limit(struct pwalk *w, const char *why);

/* Can the walk go on? */
static inline bool fng_pwalk_go(const struct pwalk *w)
{
	return !w->err && !w->out->limit;
}

/* One leaf: path and the value's bytes copied into the list's arena. */
void fng_pwalk_emit(struct pwalk *w, const char *path, const char *s, size_t len, unsigned kind, unsigned origin);

/* out = parent + one component (name, or index when name is NULL). out
 * holds FNG_PWALK_PATH_MAX bytes; a longer path ends in "...". */
void fng_pwalk_child(char *out, const char *parent, const char *name, size_t nlen, size_t idx);

#endif
