/* Pattern inclusion for the allowlist's path glob: each pattern becomes a
 * small automaton that reads a path byte by byte, built to follow
 * fng_glob_match (allowlist.c) rule by rule:
 *   c        the byte c            ?   one byte, not '/'
 *   *        (runs of) any bytes but '/'
 *   "**" as a whole component, at the end: any bytes; followed by '/': either
 *            nothing or any bytes ending in '/'
 *   "/" + "**" at the end: also nothing (the directory itself).
 * Paths are non-empty and start with '/' (as every allowlist pattern does).
 * L(b) is inside L(a) when no path drives b's automaton to its end while
 * a's (run as a set of states) is not at its end. The search walks pairs
 * (state of b, set of states of a) over a finite alphabet: '/', every
 * literal byte of either pattern, and one byte neither names (all others
 * behave alike). Exact, not a heuristic; too big a search says so. Pure. */
#include "policy/baseline/globrel.h"
#include "common/util.h"
#include "policy/allowlist.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define GR_MAX_TOK 2048		/* tokens per pattern */
#define GR_MAX_PAIRS 4096	/* pairs searched */
#define GR_MAX_WORK 20000000	/* token visits in all: a bound on time */

enum gr_kind { GR_LIT, GR_ONE, GR_STAR, GR_ANY, GR_SKIP };

struct gr_tok {
	uint8_t kind;
	uint8_t c;	/* GR_LIT */
	uint8_t skip;	/* GR_SKIP: also go to this + skip */
};

struct gr_nfa {
	struct gr_tok t[GR_MAX_TOK];
	size_t n;	/* state n accepts */
};

static int gr_emit(struct gr_nfa *a, uint8_t kind, uint8_t c, uint8_t skip)
{
	if (a->n >= GR_MAX_TOK)
		return -E2BIG;
	a->t[a->n++] = (struct gr_tok){ .kind = kind, .c = c, .skip = skip };
	return 0;
}

static int gr_compile(const char *p, struct gr_nfa *a)
{
	bool at_start = true;
	int r = 0;

	a->n = 0;
	while (*p && r == 0) {
		if (at_start && p[0] == '*' && p[1] == '*' && (p[2] == '/' || p[2] == '\0')) {
			if (p[2] == '\0')
				return gr_emit(a, GR_ANY, 0, 0);
			/* nothing, or any bytes up to and with a '/' */
			if ((r = gr_emit(a, GR_SKIP, 0, 3)) == 0 && (r = gr_emit(a, GR_ANY, 0, 0)) == 0)
				r = gr_emit(a, GR_LIT, '/', 0);
			p += 3;
			continue;
		}
		if (p[0] == '/' && p[1] == '*' && p[2] == '*' && p[3] == '\0') {
			if ((r = gr_emit(a, GR_SKIP, 0, 3)) == 0 && (r = gr_emit(a, GR_LIT, '/', 0)) == 0)
				r = gr_emit(a, GR_ANY, 0, 0);
			return r;
		}
		if (*p == '*') {
			while (*p == '*')
				p++;
			r = gr_emit(a, GR_STAR, 0, 0);
			at_start = false;
			continue;
		}
		r = *p == '?' ? gr_emit(a, GR_ONE, 0, 0) : gr_emit(a, GR_LIT, (uint8_t)*p, 0);
		at_start = *p == '/';
		p++;
	}
	return r;
}

/* A set of states: one bit per state 0..n. */
#define GR_WORDS ((GR_MAX_TOK + 1 + 63) / 64)
struct gr_set {
	uint64_t w[GR_WORDS];
};

static void gr_put(struct gr_set *s, size_t i)
{
	s->w[i / 64] |= 1ull << (i % 64);
}

static bool gr_has(const struct gr_set *s, size_t i)
{
	return s->w[i / 64] >> (i % 64) & 1;
}

/* Add state i and what it reaches without reading. */
static void gr_close(const struct gr_nfa *a, struct gr_set *s, size_t i)
{
	while (!gr_has(s, i)) {
		gr_put(s, i);
		if (i == a->n)
			return;
		if (a->t[i].kind == GR_SKIP)
			gr_close(a, s, i + a->t[i].skip);
		else if (a->t[i].kind != GR_STAR && a->t[i].kind != GR_ANY)
			return;
		i++;
	}
}

static bool gr_reads(const struct gr_tok *t, uint8_t c)
{
	switch (t->kind) {
	case GR_LIT:
		return t->c == c;
	case GR_ONE:
	case GR_STAR:
		return c != '/';
	case GR_ANY:
		return true;
	default:
		return false;
	}
}

/* Where the states of s go on byte c (closed). */
static void gr_step(const struct gr_nfa *a, const struct gr_set *s, uint8_t c, struct gr_set *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < a->n; i++) {
		if (!gr_has(s, i) || !gr_reads(&a->t[i], c))
			continue;
		gr_close(a, out, a->t[i].kind == GR_STAR || a->t[i].kind == GR_ANY ? i : i + 1);
	}
}

struct gr_pair {
	size_t b;		/* one state of b (closed on the fly) */
	struct gr_set a;	/* a's states */
};

struct gr_search {
	const struct gr_nfa *a, *b;
	uint8_t sym[258];
	size_t nsym;
	struct gr_pair **seen;	/* also the work list: [done, n) is to do */
	size_t n, cap;
	size_t work;		/* token visits so far */
};

static bool gr_known(const struct gr_search *g, const struct gr_pair *p)
{
	for (size_t i = 0; i < g->n; i++)
		if ((*g->seen)[i].b == p->b && memcmp(&(*g->seen)[i].a, &p->a, sizeof(p->a)) == 0)
			return true;
	return false;
}

static int gr_push(struct gr_search *g, const struct gr_pair *p)
{
	if (gr_known(g, p))
		return 0;
	if (g->n >= GR_MAX_PAIRS)
		return -E2BIG;
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 32;
		struct gr_pair *nv = realloc(*g->seen, cap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		*g->seen = nv;
		g->cap = cap;
	}
	(*g->seen)[g->n++] = *p;
	return 0;
}

static void gr_alphabet(struct gr_search *g)
{
	bool named[256] = { ['/'] = true };
	const struct gr_nfa *both[] = { g->a, g->b };

	g->nsym = 0;
	g->sym[g->nsym++] = '/';
	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; i < both[k]->n; i++)
			if (both[k]->t[i].kind == GR_LIT && !named[both[k]->t[i].c]) {
				named[both[k]->t[i].c] = true;
				g->sym[g->nsym++] = both[k]->t[i].c;
			}
	for (int c = 1; c < 256; c++)
		if (!named[c]) {
			g->sym[g->nsym++] = (uint8_t)c; /* one stands for all unnamed bytes */
			break;
		}
}

/* Expand pair i: every state b's closure holds, every byte. */
static int gr_expand(struct gr_search *g, size_t i, bool *includes, bool *meets)
{
	struct gr_pair p = (*g->seen)[i], next;
	struct gr_set bs = { 0 };
	int r = 0;

	gr_close(g->b, &bs, p.b);
	if (gr_has(&bs, g->b->n)) {
		if (gr_has(&p.a, g->a->n))
			*meets = true;
		else
			*includes = false;
	}
	for (size_t j = 0; j < g->b->n && r == 0; j++) {
		const struct gr_tok *t = &g->b->t[j];
		if (!gr_has(&bs, j) || t->kind == GR_SKIP)
			continue;
		for (size_t s = 0; s < g->nsym && r == 0; s++) {
			if (!gr_reads(t, g->sym[s]))
				continue;
			g->work += g->a->n + g->b->n;
			if (g->work > GR_MAX_WORK)
				return -E2BIG;
			next.b = t->kind == GR_STAR || t->kind == GR_ANY ? j : j + 1;
			gr_step(g->a, &p.a, g->sym[s], &next.a);
			r = gr_push(g, &next);
		}
	}
	return r;
}

/* The literal text every path p matches starts with: up to the first '*'
 * or '?', less a '/' that a trailing slash-"**" lets go unmatched. */
static size_t gr_head(const char *p)
{
	size_t n = strcspn(p, "*?");

	return n > 0 && p[n - 1] == '/' && strcmp(p + n, "**") == 0 ? n - 1 : n;
}

/* ... and ends with: after the last '*' or '?'. */
static size_t gr_tail(const char *p, size_t len)
{
	size_t n = 0;

	while (n < len && p[len - n - 1] != '*' && p[len - n - 1] != '?')
		n++;
	return n;
}

/* Do two patterns' fixed head or tail already tell them apart? (A quick
 * answer for the many unrelated pairs a profile holds.) */
static bool gr_apart(const char *a, const char *b)
{
	size_t ha = gr_head(a), hb = gr_head(b), la = strlen(a), lb = strlen(b);
	size_t ta = gr_tail(a, la), tb = gr_tail(b, lb);

	return memcmp(a, b, ha < hb ? ha : hb) != 0 ||
	       memcmp(a + la - (ta < tb ? ta : tb), b + lb - (ta < tb ? ta : tb), ta < tb ? ta : tb) != 0;
}

/* The search itself. */
static int gr_relate(const char *a, const char *b, bool *includes, bool *meets)
{
	autofree struct gr_nfa *na = malloc(sizeof(*na));
	autofree struct gr_nfa *nb = malloc(sizeof(*nb));
	autofree struct gr_pair *seen = NULL;
	struct gr_search g = { .a = na, .b = nb, .seen = &seen };
	struct gr_pair start = { .b = 0 }, first = { .b = 0 };
	struct gr_set bs = { 0 };
	int r;

	*includes = true;
	*meets = false;
	if (!na || !nb)
		return -ENOMEM;
	if ((r = gr_compile(a, na)) < 0 || (r = gr_compile(b, nb)) < 0)
		return r;
	gr_alphabet(&g);
	/* paths start with '/': the search starts after it */
	gr_close(na, &start.a, 0);
	gr_close(nb, &bs, 0);
	gr_step(na, &start.a, '/', &first.a);
	for (size_t j = 0; j < nb->n && r == 0; j++) {
		if (!gr_has(&bs, j) || !gr_reads(&nb->t[j], '/'))
			continue;
		first.b = nb->t[j].kind == GR_STAR || nb->t[j].kind == GR_ANY ? j : j + 1;
		r = gr_push(&g, &first);
	}
	for (size_t i = 0; i < g.n && r == 0; i++)
		r = gr_expand(&g, i, includes, meets);
	return r;
}

int fng_glob_relate(const char *a, const char *b, bool *includes, bool *meets)
{
	if (!strpbrk(b, "*?")) {
		/* b is one path */
		*includes = *meets = fng_glob_match(a, b);
		return 0;
	}
	if (gr_apart(a, b)) {
		*includes = *meets = false;
		return 0;
	}
	return gr_relate(a, b, includes, meets);
}

bool fng_glob_includes(const char *a, const char *b)
{
	bool inc, meets;

	return fng_glob_relate(a, b, &inc, &meets) == 0 && inc;
}

bool fng_glob_meets(const char *a, const char *b)
{
	bool inc, meets;

	return fng_glob_relate(a, b, &inc, &meets) < 0 || meets;
}
