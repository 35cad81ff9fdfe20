/* Confirmed attacks (confirm.h): an input value found in a system call's
 * argument, and the change it makes to that argument's structure. Every
 * value of the invocation is kept and indexed (confirm_index.c); an
 * argument is read once by the automaton, which gives at each byte the
 * longest value ending there, and once by its lexer, which marks the bytes
 * that add syntax: a value holding a marked byte changes the structure.
 * Memory is the one bound: over it the set is incomplete, never partial.
 * Connects are in confirm_net.c. Pure. */
#include "policy/payload/confirm_internal.h"
#include "policy/payload/walk.h"
#include "common/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool usable(const char *v, size_t len)
{
	/* ".." is shorter than the bound and still climbs a directory */
	return (len >= FNG_CONFIRM_MIN_LEN || strcmp(v, "..") == 0) && strlen(v) == len;
}

/* JSON's literals and numbers come from booleans and counts far more often
 * than from a user naming a command ("; true" ends many scripts): they
 * are not taken for command words or programs. */
static bool names_can_be_words(const char *v, size_t len)
{
	if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0 || strcmp(v, "null") == 0)
		return false;
	return strspn(v, "0123456789.-+eE") != len;
}

void fng_confirm_set_free(struct fng_confirm_set *s)
{
	if (!s)
		return;
	if (s->ix) {
		fng_confirm_ac_free(&s->ix->ac);
		fng_cmap_free(&s->ix->tails);
		fng_cmap_free(&s->ix->hosts);
		free(s->ix->tail_at);
		free(s->ix->tail);
		free(s->ix->arena);
		free(s->ix);
	}
	free(s->v);
	free(s);
}

struct fng_confirm_set *fng_confirm_set_untracked(const char *request_id, const char *why)
{
	struct fng_confirm_set *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	fng_strlcpy(s->request_id, request_id ? request_id : "", sizeof(s->request_id));
	s->incomplete = true;
	fng_strlcpy(s->why, why, sizeof(s->why));
	return s;
}

uint64_t fng_confirm_tail_hash(uint64_t h_after, uint8_t c)
{
	return h_after * 0x100000001b3ull + c + 1;
}

static uint64_t tail_key(uint64_t h)
{
	return fng_cmap_hash(&h, sizeof(h), 0x7a11);
}

/* A relative value that climbs ("../creds.txt", "a/../../x"), as a
 * function that resolves it first (Node's path.resolve and path.join,
 * Python's os.path.normpath) passes it on: the name it reaches, lexically
 * normalised with its leading ".." taken off ("creds.txt"), into buf (the
 * value's length + 3 bytes). NULL for a value that does not climb. */
static const char *climb_tail(const struct fng_confirm_input *in, char *buf, size_t n)
{
	const char *t = buf;

	if (in->len == 0 || in->value[0] == '/' || fng_confirm_norm(in->value, in->len, buf, n) < 0 ||
	    strncmp(buf, "../", 3) != 0)
		return NULL;
	while (strncmp(t, "../", 3) == 0)
		t += 3;
	return *t && strcmp(t, "..") != 0 ? t : NULL;
}

static int tail_add(struct fng_confirm_set *s, uint32_t i, char *buf, size_t n)
{
	struct fng_confirm_ix *x = s->ix;
	const char *t = climb_tail(&s->v[i], buf, n);
	size_t tl;
	uint64_t h = 0;

	if (!t)
		return 0;
	tl = strlen(t);
	if (x->tail_len + tl + 1 > x->tail_cap) {
		size_t cap = x->tail_cap ? x->tail_cap : 4096;
		while (cap < x->tail_len + tl + 1)
			cap *= 2;
		if (x->mem - x->tail_cap + cap > FNG_CONFIRM_MEM_MAX)
			return -ENOMEM;
		char *nt = realloc(x->tail, cap);
		if (!nt)
			return -ENOMEM;
		x->mem = x->mem - x->tail_cap + cap;
		x->tail = nt;
		x->tail_cap = cap;
	}
	memcpy(x->tail + x->tail_len, t, tl + 1);
	x->tail_at[i] = (uint32_t)x->tail_len + 1;
	x->tail_len += tl + 1;
	for (size_t k = tl; k-- > 0;)
		h = fng_confirm_tail_hash(h, (uint8_t)t[k]);
	return fng_cmap_add(&x->tails, tail_key(h), i, &x->mem);
}

/* Copies the usable values, then indexes each. 0 or -ENOMEM. */
static int index_values(struct fng_confirm_set *s, const char *const *paths, const char *const *values,
			const size_t *lens, size_t n)
{
	struct fng_confirm_ix *x = s->ix;
	size_t keep = 0, bytes = 0, maxlen = 0;

	for (size_t i = 0; i < n; i++) {
		if (!usable(values[i], lens[i]))
			continue;
		keep++;
		bytes += lens[i] + strlen(paths[i]) + 2;
		maxlen = lens[i] > maxlen ? lens[i] : maxlen;
	}
	if (keep >= (1u << 31) || bytes + keep * (sizeof(*s->v) + 5) > FNG_CONFIRM_MEM_MAX)
		return -ENOMEM;
	x->mem = bytes + keep * (sizeof(*s->v) + 5) + maxlen + 3;
	x->arena = malloc(bytes + 1);
	s->v = calloc(keep + 1, sizeof(*s->v));
	x->tail_at = calloc(keep + 1, sizeof(*x->tail_at));
	autofree bool *words = calloc(keep + 1, sizeof(*words));
	autofree char *buf = malloc(maxlen + 3);
	if (!x->arena || !s->v || !x->tail_at || !words || !buf)
		return -ENOMEM;
	char *w = x->arena;
	for (size_t i = 0; i < n; i++) {
		if (!usable(values[i], lens[i]))
			continue;
		struct fng_confirm_input *in = &s->v[s->n];
		in->len = lens[i];
		in->value = memcpy(w, values[i], lens[i] + 1);
		w += lens[i] + 1;
		in->path = memcpy(w, paths[i], strlen(paths[i]) + 1);
		w += strlen(paths[i]) + 1;
		words[s->n] = names_can_be_words(in->value, in->len);
		uint32_t k = (uint32_t)s->n++;
		/* a longer value is in no argument whole; it may still name a host */
		if (in->len < FNG_CONFIRM_ARG_MAX && fng_confirm_ac_add(&x->ac, in->value, in->len, k) < 0)
			return -ENOMEM;
		if (tail_add(s, k, buf, maxlen + 3) < 0 || fng_confirm_hosts_add(s, k) < 0)
			return -ENOMEM;
	}
	return fng_confirm_ac_finish(&x->ac, words);
}

static struct fng_confirm_set *build(const char *const *paths, const char *const *values, const size_t *lens,
				     size_t n, const char *request_id)
{
	struct fng_confirm_set *s = fng_confirm_set_untracked(request_id, "");

	if (!s)
		return NULL;
	s->incomplete = false;
	s->ix = calloc(1, sizeof(*s->ix));
	if (s->ix) {
		s->ix->ac.mem = &s->ix->mem;
		if (index_values(s, paths, values, lens, n) == 0)
			return s;
	}
	/* nothing partial: an incomplete set holds no values */
	fng_confirm_set_free(s);
	return fng_confirm_set_untracked(request_id, "the values exceed fnguard's memory bound for them");
}

struct fng_confirm_set *fng_confirm_set_build(const struct fng_pwalk_list *l, const char *request_id)
{
	autofree const char **paths = calloc(l->n + 1, sizeof(*paths));
	autofree const char **values = calloc(l->n + 1, sizeof(*values));
	autofree size_t *lens = calloc(l->n + 1, sizeof(*lens));
	char why[128];

	if (l->limit) {
		snprintf(why, sizeof(why), "the event was not read whole (%s)", l->why);
		return fng_confirm_set_untracked(request_id, why);
	}
	if (!paths || !values || !lens)
		return fng_confirm_set_untracked(request_id, "no memory for the values");
	for (size_t i = 0; i < l->n; i++) {
		paths[i] = l->v[i].path;
		values[i] = l->v[i].value;
		lens[i] = l->v[i].len;
	}
	return build(paths, values, lens, l->n, request_id);
}

struct fng_confirm_set *fng_confirm_set_of(const char *const *pairs, size_t n_pairs, const char *request_id)
{
	autofree const char **paths = calloc(n_pairs + 1, sizeof(*paths));
	autofree const char **values = calloc(n_pairs + 1, sizeof(*values));
	autofree size_t *lens = calloc(n_pairs + 1, sizeof(*lens));

	if (!paths || !values || !lens)
		return fng_confirm_set_untracked(request_id, "no memory for the values");
	for (size_t i = 0; i < n_pairs; i++) {
		paths[i] = pairs[2 * i];
		values[i] = pairs[2 * i + 1];
		lens[i] = strlen(values[i]);
	}
	return build(paths, values, lens, n_pairs, request_id);
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

int fng_confirm_code_kind(const char *argv0)
{
	static const char *const shells[] = { "sh", "bash", "dash", "zsh", "ksh", "ash", "mksh", "busybox" };
	static const char *const interps[] = { "python", "perl", "ruby", "node", "nodejs", "php", "lua" };
	const char *b = base_name(argv0);

	for (size_t i = 0; i < sizeof(shells) / sizeof(shells[0]); i++)
		if (strcmp(b, shells[i]) == 0)
			return 1;
	for (size_t i = 0; i < sizeof(interps) / sizeof(interps[0]); i++)
		if (strncmp(b, interps[i], strlen(interps[i])) == 0)
			return 2;
	return 0;
}

bool fng_confirm_code_opt(int kind, const char *a)
{
	if (!kind || a[0] != '-' || a[1] == '-')
		return false;
	return strchr(a + 1, 'c') || (kind == 2 && (strchr(a + 1, 'e') || strchr(a + 1, 'r')));
}

/* sh -c SCRIPT: 1; python -c / perl -e ... CODE: 2; else 0. *script set. */
static int code_arg(const char *const *argv, size_t argc, const char **script)
{
	int kind = argc ? fng_confirm_code_kind(argv[0]) : 0;

	for (size_t i = 1; kind && i + 1 < argc; i++) {
		if (fng_confirm_code_opt(kind, argv[i])) {
			*script = argv[i + 1];
			return kind;
		}
	}
	return 0;
}

/* Every call is refused while the invocation's values are not all tracked. */
static bool untracked(const struct fng_confirm_set *s, struct fng_confirm_finding *out)
{
	out->input_path = NULL;
	snprintf(out->why, sizeof(out->why), "the invocation's input values are not all tracked (%s): refused", s->why);
	return true;
}

static const struct fng_confirm_input *value_of(const struct fng_confirm_set *s, uint32_t node)
{
	return &s->v[s->ix->ac.val[node] - 1];
}

/* The automaton's state after each byte of hay: st[b] for hay[0, b). */
static uint32_t *states(const struct fng_confirm_set *s, const char *hay, size_t len)
{
	uint32_t *st = malloc((len + 1) * sizeof(*st));

	if (!st)
		return NULL;
	st[0] = 0;
	for (size_t b = 1; b <= len; b++)
		st[b] = s->ix->ac.n ? fng_confirm_ac_step(&s->ix->ac, st[b - 1], (uint8_t)hay[b - 1]) : 0;
	return st;
}

static bool word_ends_at(const char *s, size_t len, size_t b)
{
	return b >= len || s[b] == ' ' || s[b] == '\t' || (s[b] && strchr(";&|<>()\n", s[b]));
}

/* A value [a, b) holding a byte marked with bit: the longest value ending
 * at b holds every byte a shorter one does. words: b must end a word, and
 * only values that can name a command count. */
static const struct fng_confirm_input *marked(const struct fng_confirm_set *s, const char *hay, size_t len,
					      const uint8_t *marks, const uint32_t *st, bool words)
{
	unsigned bit = words ? FNG_CONFIRM_MARK_CMD : FNG_CONFIRM_MARK_SYN;
	size_t last = SIZE_MAX; /* the last marked byte before b */

	for (size_t b = 1; b <= len && s->ix->ac.n; b++) {
		if (marks[b - 1] & bit)
			last = b - 1;
		if (last == SIZE_MAX || (words && !word_ends_at(hay, len, b)))
			continue;
		uint32_t t = words ? s->ix->ac.outw[st[b]] : s->ix->ac.out[st[b]];
		if (t && last >= b - value_of(s, t)->len)
			return value_of(s, t);
	}
	return NULL;
}

/* The value is the program, or its last component. */
static const struct fng_confirm_input *program(const struct fng_confirm_set *s, const char *p)
{
	size_t len = strlen(p), base = (size_t)(base_name(p) - p);
	uint32_t st = 0;

	for (size_t i = 0; i < len && s->ix->ac.n; i++)
		st = fng_confirm_ac_step(&s->ix->ac, st, (uint8_t)p[i]);
	uint32_t t = s->ix->ac.n ? s->ix->ac.outw[st] : 0;
	return t && len - value_of(s, t)->len <= base ? value_of(s, t) : NULL;
}

static bool found(struct fng_confirm_finding *out, const struct fng_confirm_input *in, const char *what)
{
	out->input_path = in ? in->path : NULL;
	snprintf(out->why, sizeof(out->why), in ? "the input value %s" : "%s", what);
	return true;
}

bool fng_confirm_exec(const struct fng_confirm_set *s, const char *prog, const char *const *argv, size_t argc,
		      struct fng_confirm_finding *out)
{
	const char *script = NULL;
	int kind;
	const struct fng_confirm_input *in;

	if (s && s->incomplete)
		return untracked(s, out);
	if (!s || !s->ix)
		return false;
	kind = code_arg(argv, argc, &script);
	if (kind) {
		size_t len = strlen(script);
		autofree uint8_t *marks = malloc(len + 1);
		autofree uint32_t *st = states(s, script, len);
		if (!marks || !st)
			return found(out, NULL, "fnguard could not examine the arguments for input values: refused");
		(kind == 1 ? fng_confirm_sh_marks : fng_confirm_code_marks)(script, len, marks);
		/* syntax first: the stronger finding */
		if ((in = marked(s, script, len, marks, st, false)))
			return found(out, in, kind == 1 ? "adds shell syntax" : "changes the interpreter's code");
		if (kind == 1 && (in = marked(s, script, len, marks, st, true)))
			return found(out, in, "names the command");
	}
	if ((prog && (in = program(s, prog))) || (argc && (in = program(s, argv[0]))))
		return found(out, in, "names the program");
	return false;
}

/* Does the whole path (normalised: full) leave the directory the bytes
 * before d name? A prefix too long to normalise is one the check cannot clear. */
static bool climbs_from(const char *path, size_t d, const char *full)
{
	char dir[4096];

	return !full || fng_confirm_norm(path, d, dir, sizeof(dir)) < 0 || !fng_confirm_under(dir, full);
}

/* The path ends with the name a climbing value reaches, and the value is
 * not in it as written (then the occurrence was judged): the function
 * joined and resolved it. Values are found by the name, each suffix of the
 * path after a '/' hashed once; past 8 values of one name all written in
 * the path, the next is taken as resolved (the check does not read on). */
static bool resolved(const struct fng_confirm_set *s, const char *path, struct fng_confirm_finding *out)
{
	const struct fng_confirm_ix *x = s->ix;
	char p[4096];
	uint64_t h = 0;
	size_t pl;

	if (fng_confirm_norm(path, strlen(path), p, sizeof(p)) < 0)
		return false;
	pl = strlen(p);
	for (size_t i = pl; i-- > 1;) {
		h = fng_confirm_tail_hash(h, (uint8_t)p[i]);
		if (p[i - 1] != '/')
			continue;
		unsigned tried = 0;
		for (uint32_t at = fng_cmap_first(&x->tails, tail_key(h)); at; at = fng_cmap_next(&x->tails, at)) {
			uint32_t k = x->tails.e[at - 1].val;
			if (strcmp(x->tail + x->tail_at[k] - 1, p + i) != 0)
				continue;
			if (++tried > 8 || !strstr(path, s->v[k].value))
				return found(out, &s->v[k],
					     "climbs out of the directory it was joined to (resolved before the call)");
		}
	}
	return false;
}

/* Every value found in the path, by where it starts: at 0 of an absolute
 * path it replaces it; else the component it starts in must hold the
 * whole path under the directory before it (judged once per component). */
bool fng_confirm_path(const struct fng_confirm_set *s, const char *path, struct fng_confirm_finding *out)
{
	size_t len = strlen(path), steps = 0;
	char full[4096];

	if (s && s->incomplete)
		return untracked(s, out);
	if (!s || !s->ix)
		return false;
	const char *fp = fng_confirm_norm(path, len, full, sizeof(full)) == 0 ? full : NULL;
	const struct fng_confirm_ac *ac = &s->ix->ac;
	autofree uint32_t *st = states(s, path, len);
	autofree uint32_t *cstart = malloc((len + 1) * sizeof(*cstart));
	autofree uint8_t *comp = calloc(len + 1, 1); /* 0 not judged, 1 stays, 2 climbs */
	if (!st || !cstart || !comp || len >= UINT32_MAX)
		return found(out, NULL, "fnguard could not examine the path for input values: refused");
	for (size_t i = 0; i < len; i++)
		cstart[i] = i == 0 || path[i - 1] == '/' ? (uint32_t)i : cstart[i - 1];
	for (size_t b = 1; b <= len && ac->n; b++) {
		for (uint32_t t = ac->out[st[b]]; t; t = ac->out[ac->fail[t]]) {
			const struct fng_confirm_input *in = value_of(s, t);
			size_t a = b - in->len;
			if (++steps > FNG_CONFIRM_PATH_STEPS)
				return found(out, NULL, "too many input values occur in the path to examine: refused");
			if (a == 0 && path[0] == '/')
				return found(out, in, "is an absolute path");
			if (!comp[cstart[a]])
				comp[cstart[a]] = climbs_from(path, cstart[a], fp) ? 2 : 1;
			if (comp[cstart[a]] == 2)
				return found(out, in, "leads out of the directory the rest of the path names");
		}
	}
	return resolved(s, path, out);
}
