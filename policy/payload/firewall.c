/* The input firewall's inspection of one event (firewall.h). Pure. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "policy/payload/firewall.h"

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

struct fw_run {
	const struct fng_fw_cfg *c;
	fng_fw_finding_fn fn;
	void *arg;
	size_t n;
	enum fng_mode verdict;
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

static void fw_leaf(struct fw_run *r, const struct fng_pwalk_leaf *l)
{
	const struct fng_fw_cfg *c = r->c;
	struct fng_fw_hit hits[FNG_FW_NCLASS];
	unsigned m = fng_fw_detect(l->value, l->len, l->kind, hits);

	if (m & FNG_FW_UNDECIDED)
		fw_report(r, "limit", fng_fw_cfg_top(c), l->path, "out of memory: the value could not be inspected",
			  l->value, l->len, 0, 0);
	for (int k = 0; k < FNG_FW_NCLASS; k++)
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
	for (size_t i = 0; i < l.n; i++)
		if (!fw_excepted(c, l.v[i].path))
			fw_leaf(&r, &l.v[i]);
	if (l.limit)
		fw_report(&r, "limit", fng_fw_cfg_top(c), "$", l.why, NULL, 0, 0, 0);
	fng_pwalk_free(&l);
	*n_findings = r.n;
	return (int)r.verdict;
}
