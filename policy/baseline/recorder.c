/* What a baseline capture saw, deduplicated as it arrives (the logging
 * thread feeds it, one event at a time), then turned into an allowlist:
 * paths collapsed (collapse.c), reads a write entry covers dropped, and
 * what was only seen while initialising made init-only. Pure. */
#include "policy/baseline/recorder.h"
#include "common/hex.h"
#include "common/util.h"
#include "policy/baseline/collapse.h"
#include "policy/baseline/globrel.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rec_item {
	char *text;
	uint8_t kind, phases;
	uint8_t idlen;
	uint8_t id[FNG_POLICY_BUILD_ID_MAX];
};

struct fng_recorder {
	struct rec_item *v;
	size_t n, cap;
	size_t *slots;		/* hash index: item index + 1, 0 = empty */
	size_t nslots;
};

static uint64_t hash_of(uint8_t kind, const char *text, const uint8_t *id, size_t idlen)
{
	uint64_t h = 1469598103934665603ull ^ kind;

	for (const char *c = text; *c; c++)
		h = (h ^ (uint8_t)*c) * 1099511628211ull;
	for (size_t i = 0; i < idlen; i++)
		h = (h ^ id[i]) * 1099511628211ull;
	return h;
}

static int rehash(struct fng_recorder *r, size_t nslots)
{
	size_t *s = calloc(nslots, sizeof(*s));

	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < r->n; i++) {
		const struct rec_item *it = &r->v[i];
		size_t h = hash_of(it->kind, it->text, it->id, it->idlen) & (nslots - 1);
		while (s[h])
			h = (h + 1) & (nslots - 1);
		s[h] = i + 1;
	}
	free(r->slots);
	r->slots = s;
	r->nslots = nslots;
	return 0;
}

int fng_recorder_new(struct fng_recorder **out)
{
	autofree struct fng_recorder *r = calloc(1, sizeof(*r));

	if (!r || rehash(r, 256) < 0)
		return -ENOMEM;
	*out = fng_steal_ptr(&r);
	return 0;
}

void fng_recorder_free(struct fng_recorder *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].text);
	free(r->v);
	free(r->slots);
	free(r);
}

size_t fng_recorder_count(const struct fng_recorder *r)
{
	return r->n;
}

/* A path is written as a pattern, and patterns have no escapes: a name
 * holding '*' or '?' (a file named with two stars is a tree) would match far
 * more than itself. Each such byte becomes '?': one byte, in one component. */
static const char *literal_path(enum fng_al_kind k, const char *text, char **copy)
{
	*copy = NULL;
	if ((k != FNG_AL_READ && k != FNG_AL_WRITE && k != FNG_AL_EXEC) || !strpbrk(text, "*?"))
		return text;
	*copy = strdup(text);
	if (!*copy)
		return NULL;
	for (char *c = *copy; (c = strchr(c, '*')); c++)
		*c = '?';
	return *copy;
}

int fng_recorder_add(struct fng_recorder *r, enum fng_al_kind k, const char *text, uint8_t fn_phase,
		     const uint8_t *id, size_t idlen)
{
	uint8_t phase = fn_phase == FNG_FN_PHASE_INIT ? FNG_SEEN_INIT : FNG_SEEN_OTHER;
	size_t h;
	struct rec_item *it;
	autofree char *copy = NULL;

	if (!text || !*text || (unsigned)k >= FNG_AL_KINDS)
		return -EINVAL;
	text = literal_path(k, text, &copy);
	if (!text)
		return -ENOMEM;
	if (k != FNG_AL_EXEC || idlen > FNG_POLICY_BUILD_ID_MAX)
		idlen = 0;
	h = hash_of((uint8_t)k, text, id, idlen) & (r->nslots - 1);
	for (; r->slots[h]; h = (h + 1) & (r->nslots - 1)) {
		it = &r->v[r->slots[h] - 1];
		if (it->kind == k && it->idlen == idlen && (!idlen || memcmp(it->id, id, idlen) == 0) &&
		    strcmp(it->text, text) == 0) {
			it->phases |= phase;
			return 0;
		}
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct rec_item *nv = realloc(r->v, cap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		r->v = nv;
		r->cap = cap;
	}
	it = &r->v[r->n];
	memset(it, 0, sizeof(*it));
	it->text = strdup(text);
	if (!it->text)
		return -ENOMEM;
	it->kind = (uint8_t)k;
	it->phases = phase;
	it->idlen = (uint8_t)idlen;
	if (idlen)
		memcpy(it->id, id, idlen);
	r->slots[h] = ++r->n;
	if (r->n * 2 > r->nslots)
		return rehash(r, r->nslots * 2);
	return 0;
}

static void free_items(struct fng_path_item *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

/* The collapsed paths of one kind. */
static int paths_of(const struct fng_recorder *r, enum fng_al_kind k, const struct fng_code_roots *code,
		    struct fng_path_item **out, size_t *n)
{
	struct fng_path_item *v = calloc(r->n ? r->n : 1, sizeof(*v));

	*n = 0;
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < r->n; i++) {
		if (r->v[i].kind != k)
			continue;
		v[*n].path = strdup(r->v[i].text);
		v[*n].phases = r->v[i].phases;
		if (!v[(*n)++].path) {
			free_items(v, *n);
			return -ENOMEM;
		}
	}
	*out = v;
	return fng_collapse_paths(v, n, FNG_COLLAPSE_THRESHOLD, code);
}

static bool write_covers(const struct fng_path_item *w, size_t nw, const struct fng_path_item *rd)
{
	for (size_t i = 0; i < nw; i++)
		if ((w[i].phases & FNG_SEEN_OTHER || rd->phases == FNG_SEEN_INIT) && fng_glob_includes(w[i].path, rd->path))
			return true;
	return false;
}

static int add_files(const struct fng_recorder *r, const struct fng_code_roots *code, struct fng_al_set *s)
{
	static const struct fng_code_roots none = { 0 };
	struct fng_path_item *rd = NULL, *wr = NULL;
	size_t nrd = 0, nwr = 0;
	const char *why = NULL;
	int e = paths_of(r, FNG_AL_READ, NULL, &rd, &nrd);

	if (e == 0)
		e = paths_of(r, FNG_AL_WRITE, code ? code : &none, &wr, &nwr);
	for (size_t i = 0; e == 0 && i < nwr; i++)
		e = fng_al_list_add(&s->k[FNG_AL_WRITE], FNG_AL_WRITE, wr[i].path, wr[i].phases == FNG_SEEN_INIT, NULL, &why);
	for (size_t i = 0; e == 0 && i < nrd; i++)
		if (!write_covers(wr, nwr, &rd[i]))
			e = fng_al_list_add(&s->k[FNG_AL_READ], FNG_AL_READ, rd[i].path, rd[i].phases == FNG_SEEN_INIT,
					    NULL, &why);
	free_items(rd, nrd);
	free_items(wr, nwr);
	return e;
}

/* exec: one entry per program; pinned to its build-id when every run of
 * it had the same one. Other kinds: as recorded. */
static int add_others(const struct fng_recorder *r, struct fng_al_set *s)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct rec_item *it = &r->v[i];
		uint8_t phases = it->phases;
		bool one_id = it->idlen > 0, first = true;
		const char *why = NULL;
		char hex[2 * FNG_POLICY_BUILD_ID_MAX + 1];
		int e;

		if (it->kind == FNG_AL_READ || it->kind == FNG_AL_WRITE)
			continue;
		for (size_t j = 0; it->kind == FNG_AL_EXEC && j < r->n; j++) {
			const struct rec_item *o = &r->v[j];
			if (j == i || o->kind != FNG_AL_EXEC || strcmp(o->text, it->text) != 0)
				continue;
			first = first && j > i;
			phases |= o->phases;
			one_id = one_id && o->idlen == it->idlen && memcmp(o->id, it->id, it->idlen) == 0;
		}
		if (!first)
			continue; /* the program's first record speaks for all */
		fng_hex(hex, it->id, it->idlen);
		e = fng_al_list_add(&s->k[it->kind], it->kind, it->text, phases == FNG_SEEN_INIT, one_id ? hex : NULL,
				    &why);
		if (e == -EINVAL)
			continue; /* not representable (a name the parser refuses): left out */
		if (e < 0)
			return e;
	}
	return 0;
}

int fng_recorder_build(const struct fng_recorder *r, enum fng_mode mode, const struct fng_code_roots *code,
		       struct fng_allowlist **out)
{
	struct fng_allowlist *a = calloc(1, sizeof(*a));
	int e;

	if (!a)
		return -ENOMEM;
	a->mode = mode;
	e = add_files(r, code, &a->learned);
	if (e == 0)
		e = add_others(r, &a->learned);
	if (e < 0) {
		fng_allowlist_free(a);
		return e;
	}
	*out = a;
	return 0;
}

size_t fng_recorder_code_writes(const struct fng_recorder *r, const struct fng_code_roots *code,
				void (*cb)(void *arg, const char *path), void *arg)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n; i++) {
		if (r->v[i].kind != FNG_AL_WRITE || !fng_collapse_code_place(r->v[i].text, code))
			continue;
		cb(arg, r->v[i].text);
		n++;
	}
	return n;
}
