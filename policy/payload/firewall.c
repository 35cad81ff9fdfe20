/* The input firewall's inspection of one event (firewall.h). Pure. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "policy/payload/firewall.h"
#include "policy/payload/xmlenc.h"

void fng_fw_cfg_init(struct fng_fw_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->action = FNG_MODE_BLOCK;
	for (int i = 0; i < FNG_FW_NCLASS; i++)
		c->mode[i] = FNG_MODE_BLOCK;
	fng_rx_init(&c->rules.rules);
	c->lim = (struct fng_pwalk_limits){ FNG_PWALK_DEPTH, FNG_PWALK_LEAVES, FNG_PWALK_BYTES };
}

void fng_fw_cfg_free(struct fng_fw_cfg *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_exceptions; i++)
		free(c->exceptions[i]);
	free(c->exceptions);
	fng_payload_cfg_free(&c->rules);
}

enum fng_mode fng_fw_cfg_top(const struct fng_fw_cfg *c)
{
	enum fng_mode m = c->action;

	for (int k = 0; k < FNG_FW_NCLASS; k++)
		if (c->mode[k] > m)
			m = c->mode[k];
	return m;
}

/* The detectors' verdict on values seen earlier in the same event (the
 * same member names in every record, repeated values): a value and kind
 * found clean once is clean again (the detectors are pure). Open
 * addressing; an empty slot has leaf FW_MEMO_EMPTY. Values with a finding
 * are not kept (they are checked again, for their hits). */
struct fw_memo_slot {
	uint64_t h;
	uint32_t leaf;
};

#define FW_MEMO_EMPTY UINT32_MAX
#define FW_MEMO_MAXLEN 4096u	/* longer values are rarely repeated: not hashed */

struct fw_run {
	const struct fng_fw_cfg *c;
	fng_fw_finding_fn fn;
	void *arg;
	size_t n;
	enum fng_mode verdict;
	const struct fng_pwalk_list *l;
	struct fw_memo_slot *memo;	/* NULL: no memo (out of memory: every value is checked) */
	size_t memo_mask;
	size_t memo_used;
};

static void fw_report(struct fw_run *r, const char *cls, enum fng_mode mode, const char *path, const char *match,
		      const char *v, size_t len, size_t start, size_t end)
{
	struct fng_fw_finding f = { .cls = cls, .mode = mode };

	if (mode > r->verdict)
		r->verdict = mode;
	if (r->n++ >= FNG_FW_MAX_FINDINGS || !r->fn)
		return;
	fng_strlcpy(f.path, path, sizeof(f.path));
	fng_strlcpy(f.match, match, sizeof(f.match));
	if (v)
		fng_redact(v, len, start, end, false, f.excerpt, sizeof(f.excerpt));
	r->fn(&f, r->arg);
}

static bool fw_excepted(const struct fng_fw_cfg *c, const char *path)
{
	for (size_t i = 0; i < c->n_exceptions; i++)
		if (fng_pwalk_path_match(c->exceptions[i], path))
			return true;
	return false;
}

/* The memo starts small and doubles at half full: a large event's
 * distinct clean values are far fewer than its leaves (the same names in
 * every record), and a table sized by the leaves is mostly cache misses. */
#define FW_MEMO_START 256u

static size_t fw_memo_home(uint64_t h, size_t mask)
{
	uint64_t x = (h ^ h >> 33) * 0xff51afd7ed558ccdull; /* FNV's low bits barely mix: spread them */
	return (size_t)(x ^ x >> 33) & mask;
}

static struct fw_memo_slot *fw_memo_new(size_t cap)
{
	struct fw_memo_slot *m = malloc(cap * sizeof(*m));

	for (size_t i = 0; m && i < cap; i++)
		m[i].leaf = FW_MEMO_EMPTY;
	return m;
}

static void fw_memo_init(struct fw_run *r)
{
	r->memo = fw_memo_new(FW_MEMO_START);
	r->memo_mask = FW_MEMO_START - 1;
	r->memo_used = 0;
}

/* One more value remembered; at half full, the table doubled (out of
 * memory: the memo is dropped, every later value is checked). */
static void fw_memo_added(struct fw_run *r)
{
	size_t cap = r->memo_mask + 1;

	if (++r->memo_used * 2 <= cap)
		return;
	struct fw_memo_slot *m = fw_memo_new(cap * 2);
	for (size_t i = 0; m && i < cap; i++) {
		if (r->memo[i].leaf == FW_MEMO_EMPTY)
			continue;
		size_t k = fw_memo_home(r->memo[i].h, cap * 2 - 1);
		while (m[k].leaf != FW_MEMO_EMPTY)
			k = (k + 1) & (cap * 2 - 1);
		m[k] = r->memo[i];
	}
	free(r->memo);
	r->memo = m;
	r->memo_mask = cap * 2 - 1;
}

/* The slot of leaf i's value: one holding the same value and kind, or the
 * empty one where it goes; NULL when not memoised. */
static struct fw_memo_slot *fw_memo_find(const struct fw_run *r, size_t i, uint64_t *hash)
{
	const struct fng_pwalk_leaf *l = &r->l->v[i];

	if (!r->memo || l->len > FW_MEMO_MAXLEN)
		return NULL;
	uint64_t h = *hash = fng_hash64(FNG_HASH64_INIT ^ l->kind, l->value, l->len);

	for (size_t k = fw_memo_home(h, r->memo_mask);; k = (k + 1) & r->memo_mask) {
		struct fw_memo_slot *e = &r->memo[k];
		if (e->leaf == FW_MEMO_EMPTY)
			return e;
		const struct fng_pwalk_leaf *o = &r->l->v[e->leaf];
		if (e->h == h && o->kind == l->kind && o->len == l->len && !memcmp(o->value, l->value, l->len))
			return e;
	}
}

/* An XML document fnguard cannot read as its parser would (walk.h): a
 * limit, under the strongest mode, with fng_xmlenc_read's reason. */
static void fw_unread(struct fw_run *r, const struct fng_pwalk_leaf *l)
{
	char why[160];
	autofree char *u = NULL;
	size_t n;

	if (fng_xmlenc_read(l->value, l->len, &u, &n, why, sizeof(why)) != -EILSEQ)
		fng_strlcpy(why, "an XML document that could not be read as its parser reads it", sizeof(why));
	fw_report(r, "limit", fng_fw_cfg_top(r->c), l->path, why, l->value, l->len, 0, 0);
}

static void fw_leaf(struct fw_run *r, size_t i)
{
	const struct fng_fw_cfg *c = r->c;
	const struct fng_pwalk_leaf *l = &r->l->v[i];
	struct fng_fw_hit hits[FNG_FW_NCLASS];
	uint64_t hash = 0;
	struct fw_memo_slot *e = fw_memo_find(r, i, &hash);
	unsigned m = 0;

	if (!e || e->leaf == FW_MEMO_EMPTY) {
		m = fng_fw_detect(l->value, l->len, l->kind, hits);
		bool inert = (m & (1u << FNG_FW_NOSQL)) && i + 1 < r->l->n && fng_fw_key_inert(l, &r->l->v[i + 1]);
		m &= inert ? ~(1u << FNG_FW_NOSQL) : ~0u;
		if (e && !m && !inert) { /* clean: remembered (not a key its value decided) */
			*e = (struct fw_memo_slot){ hash, (uint32_t)i };
			fw_memo_added(r);
		}
	}

	if (l->origin & FNG_PWALK_UNREAD)
		fw_unread(r, l);
	if (m & FNG_FW_UNDECIDED)
		fw_report(r, "limit", fng_fw_cfg_top(c), l->path, "out of memory: the value could not be inspected",
			  l->value, l->len, 0, 0);
	for (int k = 0; m && k < FNG_FW_NCLASS; k++)
		if ((m & (1u << k)) && c->mode[k] != FNG_MODE_ALLOW)
			fw_report(r, fng_fw_class_name(k), c->mode[k], l->path, hits[k].why, l->value, l->len,
				  hits[k].start, hits[k].end);
	for (size_t first = 0; first < c->rules.rules.n;) {
		struct fng_rx_hit h;
		if (c->action == FNG_MODE_ALLOW)
			break;
		enum fng_rx_result x = fng_rx_match_from(&c->rules.rules, first, l->value, l->len, &h);
		char match[160];
		if (x == FNG_RX_NONE)
			break;
		const struct fng_rx_pattern *p = &c->rules.rules.pats[h.pattern];
		snprintf(match, sizeof(match), "%s%s: %s", x == FNG_RX_MATCH ? "" : "match limit in ", p->origin, p->src);
		fw_report(r, x == FNG_RX_MATCH ? "pattern" : "limit", c->action, l->path, match, l->value, l->len,
			  x == FNG_RX_MATCH ? h.start : 0, x == FNG_RX_MATCH ? h.end : 0);
		first = h.pattern + 1;
	}
}

int fng_fw_inspect(const struct fng_fw_cfg *c, const char *body, size_t len, fng_fw_finding_fn fn, void *arg,
		   size_t *n_findings)
{
	struct fw_run r = { .c = c, .fn = fn, .arg = arg, .verdict = FNG_MODE_ALLOW };
	struct fng_pwalk_list l;
	int rc;

	*n_findings = 0;
	if (fng_fw_cfg_top(c) == FNG_MODE_ALLOW)
		return FNG_MODE_ALLOW;
	rc = fng_pwalk(body, len, &c->lim, &l);
	if (rc < 0)
		return rc;
	r.l = &l;
	fw_memo_init(&r);
	for (size_t i = 0; i < l.n; i++)
		if (!fw_excepted(c, l.v[i].path))
			fw_leaf(&r, i);
	free(r.memo);
	if (l.limit)
		fw_report(&r, "limit", fng_fw_cfg_top(c), "$", l.why, NULL, 0, 0, 0);
	fng_pwalk_free(&l);
	*n_findings = r.n;
	return (int)r.verdict;
}
