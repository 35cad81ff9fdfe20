/* A compiled list of regexes (regexset.h): PCRE2 in byte mode (no UTF
 * checks, so no byte sequence is a barrier a match cannot cross), JIT
 * compiled when available, matched with PCRE2's match and depth limits so
 * a pathological pattern or subject costs a bounded time and says so.
 * Many patterns: those that keep their meaning inside "(?:...)|(?:...)"
 * are also joined into alternations (up to FNG_RX_COMB_MAX each), built at
 * the first match. An alternation that finds nothing proves that none of
 * its patterns matches; one that matches, or hits a limit, sends its
 * patterns back to being tried one by one, in order, so every answer is
 * the one-by-one answer. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "policy/payload/regexset.h"
#include "common/array.h"
#include "common/util.h"

#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The joined patterns: alternation k covers the patterns whose group[i]
 * is k (RX_SOLO: tried alone), the highest of them top[k]. */
#define RX_SOLO UINT16_MAX
#define RX_CLEAR 1
#define RX_TRY 2

struct rx_comb {
	size_t n;		/* alternations */
	pcre2_code **code;
	size_t *top;
	uint16_t *group;	/* per pattern */
};

static void rx_comb_free(void *p)
{
	struct rx_comb *c = p;

	if (!c)
		return;
	for (size_t k = 0; k < c->n; k++)
		pcre2_code_free(c->code[k]);
	free(c->code);
	free(c->top);
	free(c->group);
	free(c);
}

void fng_rx_init(struct fng_rx_set *s)
{
	memset(s, 0, sizeof(*s));
	s->match_limit = FNG_RX_MATCH_LIMIT;
	s->depth_limit = FNG_RX_DEPTH_LIMIT;
}

void fng_rx_set_limits(struct fng_rx_set *s, uint32_t match_limit, uint32_t depth_limit)
{
	if (match_limit)
		s->match_limit = match_limit;
	if (depth_limit)
		s->depth_limit = depth_limit;
}

static int rx_add_bounded(struct fng_rx_set *s, const char *pat, size_t len, size_t max, const char *origin, char *err,
			  size_t errsz)
{
	struct fng_rx_pattern *p;
	pcre2_code *code;
	int ec;
	PCRE2_SIZE off;
	autofree char *src = NULL;

	if (s->n >= FNG_RX_MAX_PATTERNS) {
		snprintf(err, errsz, "%s: more than %d patterns", origin, FNG_RX_MAX_PATTERNS);
		return -E2BIG;
	}
	if (len > max) {
		snprintf(err, errsz, "%s: pattern longer than %zu bytes", origin, max);
		return -E2BIG;
	}
	src = strndup(pat, len);
	if (!src)
		return -ENOMEM;
	code = pcre2_compile((PCRE2_SPTR)pat, len, 0, &ec, &off, NULL);
	if (!code) {
		PCRE2_UCHAR msg[160];
		pcre2_get_error_message(ec, msg, sizeof(msg));
		snprintf(err, errsz, "%s: bad regex at offset %zu: %s", origin, (size_t)off, (char *)msg);
		return -EINVAL;
	}
	/* No JIT on this CPU or under this memory policy: the interpreter
	 * gives the same answers, slower. */
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	rx_comb_free(s->comb); /* joined again at the next match */
	s->comb = NULL;
	p = FNG_PUSH(s->pats, s->n);
	if (!p) {
		pcre2_code_free(code);
		return -ENOMEM;
	}
	p->src = fng_steal_ptr(&src);
	p->code = code;
	p->alone = memchr(pat, '\0', len) != NULL; /* src stops short of it */
	fng_strlcpy(p->origin, origin, sizeof(p->origin));
	return 0;
}

int fng_rx_add(struct fng_rx_set *s, const char *pat, size_t len, const char *origin, char *err, size_t errsz)
{
	return rx_add_bounded(s, pat, len, FNG_RX_MAX_PATTERN, origin, err, errsz);
}

int fng_rx_add_built(struct fng_rx_set *s, const char *pat, size_t len, const char *origin, char *err, size_t errsz)
{
	return rx_add_bounded(s, pat, len, FNG_RX_MAX_BUILT, origin, err, errsz);
}

static bool is_strip_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

int fng_rx_load_buf(struct fng_rx_set *s, const char *buf, size_t len, const char *name, char *err, size_t errsz)
{
	size_t pos = 0, line = 0;
	int added = 0;

	if (len > FNG_RX_MAX_FILE) {
		snprintf(err, errsz, "%s: larger than %u bytes", name, FNG_RX_MAX_FILE);
		return -EFBIG;
	}
	if (memchr(buf, '\0', len)) {
		snprintf(err, errsz, "%s: contains a NUL byte (not a pattern file)", name);
		return -EINVAL;
	}
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len, a = pos, b = end;
		char origin[128];
		int r;

		line++;
		pos = end + 1;
		while (a < b && is_strip_space(buf[a]))
			a++;
		while (b > a && is_strip_space(buf[b - 1]))
			b--;
		if (a == b)
			continue;
		snprintf(origin, sizeof(origin), "%s:%zu", name, line);
		r = fng_rx_add(s, buf + a, b - a, origin, err, errsz);
		if (r < 0)
			return r;
		added++;
	}
	return added;
}

int fng_rx_load_file(struct fng_rx_set *s, const char *path, char *err, size_t errsz)
{
	autofree char *buf = NULL;
	size_t len = 0;
	struct stat st;
	int r;

	/* A FIFO or a device would block or never end the read. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		snprintf(err, errsz, "%s: not a regular file", path);
		return -EINVAL;
	}
	if (stat(path, &st) == 0 && (uint64_t)st.st_size > FNG_RX_MAX_FILE) {
		snprintf(err, errsz, "%s: larger than %u bytes", path, FNG_RX_MAX_FILE);
		return -EFBIG;
	}
	r = fng_slurp(path, &buf, &len);
	if (r < 0) {
		snprintf(err, errsz, "%s: cannot read: %s", path, strerror(-r));
		return r;
	}
	return fng_rx_load_buf(s, buf, len, path, err, errsz);
}

/* Does src mean the same inside "(?:src)" beside other patterns? Not
 * when it refers to groups by number or name (back-references, subroutine
 * calls, recursion, conditions: numbers shift, names clash), uses a verb
 * or callout that acts on the whole match ((*COMMIT) would stop the other
 * alternatives) or an option verb ((*UTF)), or \Q (it could quote the
 * closing parenthesis). Inline options ((?i)) end with the group. A
 * look-alike inside a character class counts too: it only costs speed.
 * What else would change the structure ((?x) with a "#" comment) fails
 * to compile joined, and then its group is tried one by one. Pure. */
static bool rx_joinable(const struct fng_rx_pattern *pat)
{
	if (pat->alone)
		return false;
	for (const char *p = pat->src; *p; p++) {
		if (p[0] == '\\') {
			if (p[1] && strchr("123456789gkQ", p[1]))
				return false;
			if (p[1])
				p++;
			continue;
		}
		if (p[0] == '(' && p[1] == '*')
			return false;
		if (p[0] == '(' && p[1] == '?' && p[2]) {
			char c = p[2], d = p[3];
			if (strchr("P&R(C'", c) || (c >= '0' && c <= '9') ||
			    ((c == '+' || c == '-') && d >= '0' && d <= '9') || (c == '<' && d != '=' && d != '!'))
				return false;
		}
	}
	return true;
}

/* Join the m patterns idx[] into alternation c->n; left alone if it does
 * not compile (they stay RX_SOLO). */
static void rx_comb_join(const struct fng_rx_set *s, struct rx_comb *c, const size_t *idx, size_t m)
{
	size_t total = 1, k = 0;
	autofree char *src = NULL;
	pcre2_code *code;
	int ec;
	PCRE2_SIZE off;

	for (size_t j = 0; j < m; j++)
		total += strlen(s->pats[idx[j]].src) + 5;
	if (!(src = malloc(total)))
		return;
	for (size_t j = 0; j < m; j++)
		k += (size_t)snprintf(src + k, total - k, "%s(?:%s)", j ? "|" : "", s->pats[idx[j]].src);
	code = pcre2_compile((PCRE2_SPTR)src, k, 0, &ec, &off, NULL);
	explicit_bzero(src, k); /* a built pattern can hold a secret */
	if (!code)
		return;
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	c->code[c->n] = code;
	c->top[c->n] = idx[m - 1];
	for (size_t j = 0; j < m; j++)
		c->group[idx[j]] = (uint16_t)c->n;
	c->n++;
}

/* The joined patterns of s, in runs of up to FNG_RX_COMB_MAX joinable
 * ones (at least 2). NULL when memory ran out. */
static struct rx_comb *rx_comb_build(const struct fng_rx_set *s)
{
	struct rx_comb *c = calloc(1, sizeof(*c));
	size_t idx[FNG_RX_COMB_MAX];

	if (!c)
		return NULL;
	c->group = malloc(s->n * sizeof(*c->group));
	c->code = calloc(s->n / 2 + 1, sizeof(*c->code));
	c->top = calloc(s->n / 2 + 1, sizeof(*c->top));
	if (!c->group || !c->code || !c->top) {
		rx_comb_free(c);
		return NULL;
	}
	for (size_t i = 0; i < s->n; i++)
		c->group[i] = RX_SOLO;
	for (size_t i = 0; i < s->n;) {
		size_t m = 0;
		for (; i < s->n && m < FNG_RX_COMB_MAX; i++)
			if (rx_joinable(&s->pats[i]))
				idx[m++] = i;
		if (m >= 2)
			rx_comb_join(s, c, idx, m);
	}
	return c;
}

/* s's joined patterns, built by the first match that needs them (the set
 * is not changed otherwise: a cache, published once). NULL: one by one. */
static const struct rx_comb *rx_comb_get(const struct fng_rx_set *s)
{
	struct fng_rx_set *w = (struct fng_rx_set *)s;
	struct rx_comb *c = __atomic_load_n(&w->comb, __ATOMIC_ACQUIRE);
	void *expect = NULL;

	if (c || s->no_combine || s->n < 2)
		return c;
	if (!(c = rx_comb_build(s)))
		return NULL;
	if (!__atomic_compare_exchange_n(&w->comb, &expect, c, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		rx_comb_free(c); /* another thread's is there */
		c = expect;
	}
	return c;
}

static void free_match_data(pcre2_match_data **md)
{
	pcre2_match_data_free(*md);
}

static void free_match_ctx(pcre2_match_context **mc)
{
	pcre2_match_context_free(*mc);
}

enum fng_rx_result fng_rx_match(const struct fng_rx_set *s, const char *buf, size_t len, struct fng_rx_hit *hit)
{
	return fng_rx_match_from(s, 0, buf, len, hit);
}

enum fng_rx_result fng_rx_match_from(const struct fng_rx_set *s, size_t first, const char *buf, size_t len,
				     struct fng_rx_hit *hit)
{
	__attribute__((cleanup(free_match_data))) pcre2_match_data *md = NULL;
	__attribute__((cleanup(free_match_ctx))) pcre2_match_context *mc = NULL;
	const struct rx_comb *comb;
	uint8_t state[FNG_RX_MAX_PATTERNS / 2 + 1]; /* per alternation: RX_CLEAR, RX_TRY or 0 (not run) */

	if (first >= s->n)
		return FNG_RX_NONE;
	md = pcre2_match_data_create(1, NULL);
	mc = pcre2_match_context_create(NULL);
	if (!md || !mc)
		return FNG_RX_ERROR;
	pcre2_set_match_limit(mc, s->match_limit);
	pcre2_set_depth_limit(mc, s->depth_limit);
	if (!buf)
		buf = "";
	comb = rx_comb_get(s);
	if (comb)
		memset(state, 0, comb->n);
	for (size_t i = first; i < s->n; i++) {
		int rc;
		PCRE2_SIZE *ov;

		if (comb && comb->group[i] != RX_SOLO) {
			uint16_t g = comb->group[i];
			if (!state[g]) /* the alternation once: none of its patterns matches, or try each */
				state[g] = pcre2_match(comb->code[g], (PCRE2_SPTR)buf, len, 0, 0, md, mc) ==
							   PCRE2_ERROR_NOMATCH ? RX_CLEAR : RX_TRY;
			if (state[g] == RX_CLEAR)
				continue;
		}
		rc = pcre2_match(s->pats[i].code, (PCRE2_SPTR)buf, len, 0, 0, md, mc);

		if (rc == PCRE2_ERROR_NOMATCH)
			continue;
		hit->pattern = i;
		hit->start = hit->end = 0;
		if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT ||
		    rc == PCRE2_ERROR_JIT_STACKLIMIT)
			return FNG_RX_LIMIT;
		if (rc < 0)
			return FNG_RX_ERROR;
		ov = pcre2_get_ovector_pointer(md);
		hit->start = ov[0];
		hit->end = ov[1];
		return FNG_RX_MATCH;
	}
	return FNG_RX_NONE;
}

void fng_rx_free(struct fng_rx_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		pcre2_code_free(s->pats[i].code);
		explicit_bzero(s->pats[i].src, strlen(s->pats[i].src));
		free(s->pats[i].src);
	}
	free(s->pats);
	rx_comb_free(s->comb);
	s->comb = NULL;
	s->pats = NULL;
	s->n = 0;
}
