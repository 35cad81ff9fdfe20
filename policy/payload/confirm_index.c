/* The index behind confirmed attacks (confirm_internal.h): every input value
 * of an invocation in one Aho-Corasick automaton, so a system call's argument
 * is matched in one pass over its own bytes whatever the number of values or
 * the prefixes they share; and a hash multimap for lookups by key (a
 * climbing value's tail, a host). Every allocation is counted against
 * FNG_CONFIRM_MEM_MAX: over it, -ENOMEM, and the set says its values are
 * not tracked (confirm.c). Pure. */
#include "policy/payload/confirm_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* realloc counted against the budget: the block grows from old to new bytes. */
static void *grow(void *p, size_t old, size_t new, size_t *mem)
{
	if (*mem - old + new > FNG_CONFIRM_MEM_MAX)
		return NULL;
	void *q = realloc(p, new);
	if (q)
		*mem = *mem - old + new;
	return q;
}

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

uint64_t fng_cmap_hash(const void *p, size_t len, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ull ^ seed;

	for (size_t i = 0; i < len; i++)
		h = (h ^ s[i]) * 0x100000001b3ull;
	return mix(h);
}

static int cmap_rehash(struct fng_cmap *m, size_t cap, size_t *mem)
{
	uint32_t *h = grow(NULL, 0, cap * sizeof(*h), mem);

	if (!h)
		return -ENOMEM;
	memset(h, 0, cap * sizeof(*h));
	for (size_t i = 0; i < m->n; i++) {
		size_t b = m->e[i].key & (cap - 1);
		m->e[i].next = h[b];
		h[b] = (uint32_t)(i + 1);
	}
	*mem -= m->cap * sizeof(*m->head);
	free(m->head);
	m->head = h;
	m->cap = cap;
	return 0;
}

int fng_cmap_add(struct fng_cmap *m, uint64_t key, uint32_t val, size_t *mem)
{
	if (m->n == m->ecap) {
		size_t ne = m->ecap ? m->ecap * 2 : 64;
		struct fng_cmap_e *e = grow(m->e, m->ecap * sizeof(*e), ne * sizeof(*e), mem);
		if (!e)
			return -ENOMEM;
		m->e = e;
		m->ecap = ne;
	}
	if (m->n + 1 > m->cap && cmap_rehash(m, m->cap ? m->cap * 2 : 64, mem) < 0)
		return -ENOMEM;
	size_t b = key & (m->cap - 1);
	m->e[m->n] = (struct fng_cmap_e){ .key = key, .val = val, .next = m->head[b] };
	m->head[b] = (uint32_t)++m->n;
	return 0;
}

static uint32_t cmap_from(const struct fng_cmap *m, uint64_t key, uint32_t at)
{
	while (at && m->e[at - 1].key != key)
		at = m->e[at - 1].next;
	return at;
}

uint32_t fng_cmap_first(const struct fng_cmap *m, uint64_t key)
{
	return m->cap ? cmap_from(m, key, m->head[key & (m->cap - 1)]) : 0;
}

uint32_t fng_cmap_next(const struct fng_cmap *m, uint32_t at)
{
	return cmap_from(m, m->e[at - 1].key, m->e[at - 1].next);
}

void fng_cmap_free(struct fng_cmap *m)
{
	free(m->head);
	free(m->e);
	memset(m, 0, sizeof(*m));
}

/* The edge table: slot i holds key + 1 (key = node << 8 | byte) and child. */
static size_t edge_slot(const struct fng_confirm_ac *ac, uint32_t key)
{
	size_t i = mix(key) & (ac->ecap - 1);

	while (ac->edge[2 * i] && ac->edge[2 * i] != key + 1)
		i = (i + 1) & (ac->ecap - 1);
	return i;
}

static int edge_grow(struct fng_confirm_ac *ac)
{
	size_t old = ac->ecap, cap = old ? old * 2 : 1024;
	uint32_t *prev = ac->edge;

	ac->edge = grow(NULL, 0, cap * 2 * sizeof(uint32_t), ac->mem);
	if (!ac->edge) {
		ac->edge = prev;
		return -ENOMEM;
	}
	memset(ac->edge, 0, cap * 2 * sizeof(uint32_t));
	ac->ecap = cap;
	for (size_t i = 0; i < old; i++) {
		if (!prev[2 * i])
			continue;
		size_t j = edge_slot(ac, prev[2 * i] - 1);
		ac->edge[2 * j] = prev[2 * i];
		ac->edge[2 * j + 1] = prev[2 * i + 1];
	}
	*ac->mem -= old * 2 * sizeof(uint32_t);
	free(prev);
	return 0;
}

static uint32_t edge_get(const struct fng_confirm_ac *ac, uint32_t s, uint8_t c)
{
	if (!ac->ecap)
		return 0;
	size_t i = edge_slot(ac, s << 8 | c);
	return ac->edge[2 * i] ? ac->edge[2 * i + 1] : 0;
}

/* Node arrays grown together; n < 2^24 so that node << 8 | byte fits. */
static int node_new(struct fng_confirm_ac *ac, uint32_t parent, uint8_t c, uint32_t *out)
{
	uint32_t **arr[] = { &ac->pb, &ac->fail, &ac->out, &ac->outw, &ac->val };

	if (ac->n == ac->cap) {
		size_t cap = ac->cap ? (size_t)ac->cap * 2 : 1024;
		if (cap > (1u << 24))
			return -ENOMEM;
		for (size_t k = 0; k < sizeof(arr) / sizeof(arr[0]); k++) {
			uint32_t *p = grow(*arr[k], ac->cap * sizeof(uint32_t), cap * sizeof(uint32_t), ac->mem);
			if (!p)
				return -ENOMEM;
			*arr[k] = p;
		}
		ac->cap = (uint32_t)cap;
	}
	ac->pb[ac->n] = parent << 8 | c;
	ac->val[ac->n] = 0;
	*out = ac->n++;
	return 0;
}

int fng_confirm_ac_add(struct fng_confirm_ac *ac, const char *v, size_t len, uint32_t idx)
{
	uint32_t s = 0;

	if (!ac->n && node_new(ac, 0, 0, &s) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < len; i++) {
		uint8_t c = (uint8_t)v[i];
		uint32_t t = edge_get(ac, s, c);
		if (!t) {
			if ((ac->en + 1) * 10 > ac->ecap * 7 && edge_grow(ac) < 0)
				return -ENOMEM;
			if (node_new(ac, s, c, &t) < 0)
				return -ENOMEM;
			size_t j = edge_slot(ac, s << 8 | c);
			ac->edge[2 * j] = (s << 8 | c) + 1;
			ac->edge[2 * j + 1] = t;
			ac->en++;
		}
		s = t;
	}
	if (!ac->val[s])
		ac->val[s] = idx + 1;
	return 0;
}

uint32_t fng_confirm_ac_step(const struct fng_confirm_ac *ac, uint32_t s, uint8_t c)
{
	for (;;) {
		uint32_t t = edge_get(ac, s, c);
		if (t || !s)
			return t;
		s = ac->fail[s];
	}
}

/* Nodes in order of depth (a parent before its children), then each
 * node's links from its parent's: the fail link's depth is smaller. */
int fng_confirm_ac_finish(struct fng_confirm_ac *ac, const bool *words)
{
	uint32_t *depth, *order, *count;
	size_t bytes = (size_t)ac->n * 2 * sizeof(uint32_t), maxd = 0;

	if (!ac->n)
		return 0;
	if (!(depth = grow(NULL, 0, bytes, ac->mem)))
		return -ENOMEM;
	order = depth + ac->n;
	depth[0] = 0;
	/* a child is created after its parent: one pass gives every depth */
	for (uint32_t u = 1; u < ac->n; u++) {
		depth[u] = depth[ac->pb[u] >> 8] + 1;
		maxd = depth[u] > maxd ? depth[u] : maxd;
	}
	count = calloc(maxd + 2, sizeof(*count));
	if (!count) {
		free(depth);
		*ac->mem -= bytes;
		return -ENOMEM;
	}
	for (uint32_t u = 0; u < ac->n; u++)
		count[depth[u] + 1]++;
	for (size_t d = 1; d <= maxd + 1; d++)
		count[d] += count[d - 1];
	for (uint32_t u = 0; u < ac->n; u++)
		order[count[depth[u]]++] = u;
	free(count);
	for (uint32_t k = 0; k < ac->n; k++) {
		uint32_t u = order[k], p = ac->pb[u] >> 8;
		ac->fail[u] = u == 0 || p == 0 ? 0 : fng_confirm_ac_step(ac, ac->fail[p], (uint8_t)ac->pb[u]);
		ac->out[u] = ac->val[u] ? u : u ? ac->out[ac->fail[u]] : 0;
		ac->outw[u] = ac->val[u] && words[ac->val[u] - 1] ? u : u ? ac->outw[ac->fail[u]] : 0;
	}
	free(depth);
	*ac->mem -= bytes;
	return 0;
}

void fng_confirm_ac_free(struct fng_confirm_ac *ac)
{
	free(ac->pb);
	free(ac->fail);
	free(ac->out);
	free(ac->outw);
	free(ac->val);
	free(ac->edge);
	ac->pb = ac->fail = ac->out = ac->outw = ac->val = ac->edge = NULL;
	ac->n = ac->cap = 0;
	ac->en = ac->ecap = 0;
}
