/* The event walker's output (walk.h, walk_internal.h): leaves appended to
 * a list whose paths and values live in an arena of blocks that never
 * move, and the JSON paths they carry. Pure. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "policy/payload/walk.h"
#include "policy/payload/walk_internal.h"
#include "policy/payload/xmlenc.h"


void fng_pwalk_limit(struct pwalk *w, const char *why)
{
	if (!w->out->limit) {
		w->out->limit = true;
		fng_strlcpy(w->out->why, why, sizeof(w->out->why));
	}
}


/* Paths and values live in blocks that never move (freed with the
 * list): one allocation per block, not two per value. */
#define PW_BLOCK (64u * 1024)

struct pw_block {
	struct pw_block *next;
	size_t used, cap;
	char data[];
};

static char *pw_alloc(struct pwalk *w, size_t n)
{
	struct pw_block *b = w->out->arena;

	if (!b || b->cap - b->used < n) {
		size_t cap = n > PW_BLOCK ? n : PW_BLOCK;
		struct pw_block *nb = malloc(sizeof(*nb) + cap);
		if (!nb) {
			w->err = -ENOMEM;
			return NULL;
		}
		nb->used = 0;
		nb->cap = cap;
		if (b && n > PW_BLOCK) { /* a big value: its own block, behind the current one */
			nb->next = b->next;
			b->next = nb;
			nb->used = n;
			return nb->data;
		}
		nb->next = b;
		w->out->arena = b = nb;
	}
	char *p = b->data + b->used;
	b->used += n;
	return p;
}

/* Leaf i, when it is an XML document in an encoding other than its bytes
 * show: its parser's reading as a leaf too (xmlenc.h); unreadable, it is
 * marked (the firewall's limit). */
static void pw_xml(struct pwalk *w, const char *path, size_t i)
{
	const struct fng_pwalk_leaf *leaf = &w->out->v[i];
	autofree char *u = NULL;
	size_t n = 0;
	int r = fng_xmlenc_read(leaf->value, leaf->len, &u, &n, NULL, 0);

	if (r == -ENOMEM)
		w->err = -ENOMEM;
	else if (r < 0)
		w->out->v[i].origin |= FNG_PWALK_UNREAD;
	else if (r == 1)
		fng_pwalk_emit(w, path, u, n, leaf->kind, leaf->origin | FNG_PWALK_XML);
}

void fng_pwalk_emit(struct pwalk *w, const char *path, const char *s, size_t len,
		    unsigned kind, unsigned origin)
{
	struct fng_pwalk_list *l = w->out;
	struct fng_pwalk_leaf *leaf;

	if (!fng_pwalk_go(w))
		return;
	if (l->n >= w->lim.max_leaves) {
		fng_pwalk_limit(w, "too many values");
		return;
	}
	if (len > w->lim.max_bytes - l->bytes) {
		fng_pwalk_limit(w, "too many bytes of values");
		return;
	}
	if (l->n == w->cap) { /* first sized from the event, then doubled: no copies */
		size_t cap = w->cap ? w->cap * 2 : w->hint;
		struct fng_pwalk_leaf *t = reallocarray(l->v, cap, sizeof(*t));
		if (!t) {
			w->err = -ENOMEM;
			return;
		}
		l->v = t;
		w->cap = cap;
	}
	size_t pl = strlen(path);
	char *p = pw_alloc(w, pl + 1 + len + 1);
	if (!p)
		return;
	leaf = &l->v[l->n++];
	memcpy(p, path, pl + 1);
	memcpy(p + pl + 1, s, len);
	p[pl + 1 + len] = '\0';
	leaf->path = p;
	leaf->value = p + pl + 1;
	leaf->len = len;
	leaf->kind = kind;
	leaf->origin = origin;
	l->bytes += len;
	if (!(origin & FNG_PWALK_XML) && fng_xmlenc_maybe(s, len))
		pw_xml(w, path, l->n - 1);
}

/* A name path components can write bare (.name). */
static bool pw_bare(const char *s, size_t len)
{
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* out = parent + one component (name, or index when name is NULL). out
 * holds FNG_PWALK_PATH_MAX bytes; a longer path ends in "...". */
void fng_pwalk_child(char *out, const char *parent, const char *name, size_t nlen, size_t idx)
{
	size_t o = strlen(parent);
	size_t cap = FNG_PWALK_PATH_MAX - 4;

	memcpy(out, parent, o + 1);
	if (o >= cap)
		return;
	if (!name) {
		char d[24];
		size_t n = 0;
		do /* the index's digits, reversed (snprintf was a tenth of the walk) */
			d[n++] = (char)('0' + idx % 10);
		while ((idx /= 10) != 0);
		out[o++] = '[';
		while (n && o < cap)
			out[o++] = d[--n];
		if (o < cap)
			out[o++] = ']';
	} else if (pw_bare(name, nlen)) {
		out[o++] = '.';
		for (size_t i = 0; i < nlen && o < cap; i++)
			out[o++] = name[i];
	} else {
		out[o++] = '[';
		out[o++] = '"';
		for (size_t i = 0; i < nlen && o < cap - 2; i++) {
			unsigned char c = (unsigned char)name[i];
			if (c == '"' || c == '\\')
				out[o++] = '\\';
			out[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
		}
		out[o++] = '"';
		out[o++] = ']';
	}
	if (o >= cap)
		memcpy(out + cap, "...", 4);
	else
		out[o] = '\0';
}

void fng_pwalk_free(struct fng_pwalk_list *l)
{
	for (struct pw_block *b = l->arena, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}
