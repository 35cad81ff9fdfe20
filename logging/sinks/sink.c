/* What every sink shares: the bounded queue, the counters, error bursts. */
#include "logging/sinks/sink.h"
#include "common/util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

struct fng_line *fng_line_alloc(size_t len)
{
	struct fng_line *l;

	if (len > UINT32_MAX - 1)
		return NULL;
	l = malloc(sizeof(*l) + len + 1);
	if (!l)
		return NULL;
	memset(l, 0, sizeof(*l));
	l->refs = 1;
	l->len = (uint32_t)len;
	l->data[len] = '\0';
	return l;
}

struct fng_line *fng_line_new(const char *data, size_t len)
{
	struct fng_line *l = fng_line_alloc(len);

	if (l)
		memcpy(l->data, data, len);
	return l;
}

void fng_line_unref(struct fng_line *l)
{
	if (l && --l->refs == 0)
		free(l);
}

int fng_sink_new(struct fng_sink **out, const struct fng_sink_ops *ops, const struct fng_sink_owner *owner,
		 const struct fng_sink_spec *spec)
{
	autofree struct fng_sink *s = NULL;
	autofree struct fng_line **q = NULL;
	autofree void *priv = NULL;

	if (!ops)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	q = calloc(FNG_SINK_QUEUE_LINES, sizeof(*q));
	priv = calloc(1, ops->priv_size);
	if (!s || !q || !priv)
		return -ENOMEM;
	s->q = fng_steal_ptr(&q);
	s->priv = fng_steal_ptr(&priv);
	s->ops = ops;
	s->owner = *owner;
	s->loop = owner->loop;
	s->spec = *spec;
	fng_strlcpy(s->name, spec->dest ? spec->dest : "?", sizeof(s->name));
	*out = fng_steal_ptr(&s);
	return 0;
}

void fng_sink_free(struct fng_sink *s)
{
	if (!s)
		return;
	while (s->q_len)
		fng_sink_pop(s, 1, false);
	free(s->q);
	free(s->priv);
	free(s);
}

struct fng_line *fng_sink_at(const struct fng_sink *s, size_t i)
{
	if (i >= s->q_len)
		return NULL;
	return s->q[(s->q_head + i) % FNG_SINK_QUEUE_LINES];
}

static void count_drop(struct fng_sink *s, const struct fng_line *l)
{
	s->st.dropped++;
	if (l->own)
		s->dropped_reported++;	/* a lost report does not start another */
	else
		s->owner.dropped(s->owner.arg);
}

static bool full(const struct fng_sink *s, const struct fng_line *l)
{
	return s->q_len == FNG_SINK_QUEUE_LINES || s->q_bytes + l->len > FNG_SINK_QUEUE_BYTES;
}

/* Remove the queued line at position i (not in flight), newer ones move up. */
static void drop_at(struct fng_sink *s, size_t i)
{
	struct fng_line *l = s->q[(s->q_head + i) % FNG_SINK_QUEUE_LINES];

	for (size_t k = i; k + 1 < s->q_len; k++)
		s->q[(s->q_head + k) % FNG_SINK_QUEUE_LINES] = s->q[(s->q_head + k + 1) % FNG_SINK_QUEUE_LINES];
	s->q[(s->q_head + s->q_len - 1) % FNG_SINK_QUEUE_LINES] = NULL;
	s->q_len--;
	s->q_bytes -= l->len;
	s->q_class[l->cls % FNG_LINE_CLASSES]--;
	count_drop(s, l);
	fng_line_unref(l);
}

/* A full queue and a line of class c: drop the newest line (not in flight)
 * of the most crowded class while c has fewer lines queued than it. A flood
 * of one class, however varied its events, then only ever loses its own
 * lines while another class is rarer. False: l is the one to drop. */
static bool make_room(struct fng_sink *s, const struct fng_line *l)
{
	size_t busy = s->ops->inflight ? s->ops->inflight(s) : 0;

	while (full(s, l)) {
		size_t most = 0, victim = SIZE_MAX;

		for (size_t c = 1; c < FNG_LINE_CLASSES; c++)
			if (s->q_class[c] > s->q_class[most])
				most = c;
		if (s->q_class[l->cls % FNG_LINE_CLASSES] + 1 >= s->q_class[most])
			return false;
		for (size_t i = s->q_len; i-- > busy && victim == SIZE_MAX;)
			if (fng_sink_at(s, i)->cls % FNG_LINE_CLASSES == most)
				victim = i;
		if (victim == SIZE_MAX)
			return false;
		drop_at(s, victim);
	}
	return true;
}

bool fng_sink_push(struct fng_sink *s, struct fng_line *l)
{
	struct fng_line *f;

	if (s->closing || (full(s, l) && !make_room(s, l))) {
		count_drop(s, l);
		return false;
	}
	f = s->ops->frame ? s->ops->frame(s, l) : fng_line_ref(l);
	if (!f) {
		count_drop(s, l);
		return false;
	}
	f->own = l->own;
	f->cls = l->cls;
	s->q[(s->q_head + s->q_len) % FNG_SINK_QUEUE_LINES] = f;
	s->q_len++;
	s->q_bytes += f->len;
	s->q_class[f->cls % FNG_LINE_CLASSES]++;
	s->st.queued++;
	s->ops->kick(s);
	return true;
}

void fng_sink_pop(struct fng_sink *s, size_t n, bool delivered)
{
	if (n > s->q_len)
		n = s->q_len;
	for (size_t i = 0; i < n; i++) {
		struct fng_line *l = s->q[s->q_head];
		s->q[s->q_head] = NULL;
		s->q_head = (s->q_head + 1) % FNG_SINK_QUEUE_LINES;
		s->q_len--;
		s->q_bytes -= l->len;
		s->q_class[l->cls % FNG_LINE_CLASSES]--;
		if (delivered)
			s->st.delivered++;
		else
			count_drop(s, l);
		fng_line_unref(l);
	}
	if (n)
		s->owner.progress(s->owner.arg);
}

void fng_sink_drop_after(struct fng_sink *s, size_t keep)
{
	while (s->q_len > keep) {
		size_t i = (s->q_head + s->q_len - 1) % FNG_SINK_QUEUE_LINES;
		struct fng_line *l = s->q[i];
		s->q[i] = NULL;
		s->q_len--;
		s->q_bytes -= l->len;
		s->q_class[l->cls % FNG_LINE_CLASSES]--;
		count_drop(s, l);
		fng_line_unref(l);
	}
	s->owner.progress(s->owner.arg);
}

void fng_sink_drop_all(struct fng_sink *s)
{
	fng_sink_pop(s, s->q_len, false);
}

bool fng_sink_flushed(const struct fng_sink *s, uint64_t upto)
{
	return s->q_len == 0 || s->q[s->q_head]->seq > upto;
}

void fng_sink_fail(struct fng_sink *s, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (s->failing)
		return;
	s->failing = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	s->owner.report(s->owner.arg, s, "sink_error", msg);
}

void fng_sink_recovered(struct fng_sink *s)
{
	if (!s->failing)
		return;
	s->failing = false;
	s->owner.report(s->owner.arg, s, "sink_ok", "delivering again");
}

void fng_sink_closed(struct fng_sink *s)
{
	s->closed = true;
	s->owner.progress(s->owner.arg);
}
