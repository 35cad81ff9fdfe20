/* The code check before the runtime starts (docs/policy.md, "code_check"):
 * the function's code scanned with the policy's rules (policy/payload/
 * codescan.c). Alert: an event per finding, then the runtime starts. Block:
 * the first finding (or a bound hit, or no directory to scan) is an event
 * and one line, and the runtime never starts (FNG_EXIT_CODE_CHECK). */
#include "supervisor/code_check.h"
#include "common/clock.h"
#include "common/util.h"
#include "policy/payload/payload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cc_run {
	struct fng_logger *lg;
	const struct fng_payload_cfg *cfg;
	bool block;
	char *line;
	size_t n;
	bool refused;
	bool would;	/* observe mode: what block would have done */
};

static void cc_event(struct cc_run *r, const char *file, const char *match, const char *reason)
{
	struct fng_event *ev = fng_logger_reserve(r->lg);

	atomic_fetch_add(r->block ? &fng_logger_counters(r->lg)->blocked : &fng_logger_counters(r->lg)->alerted, 1);
	if (!ev)
		return; /* the ring counted the drop */
	ev->time_ns = fng_now_ns();
	ev->type = FNG_EV_FILE;
	ev->action = r->block ? FNG_ACT_BLOCKED : r->would ? FNG_ACT_ALLOWED : FNG_ACT_ALERTED;
	fng_strlcpy(ev->rule, "code_check", sizeof(ev->rule));
	fng_strlcpy(ev->mode, r->block || r->would ? "block" : "alert", sizeof(ev->mode));
	ev->would = r->would ? FNG_ACT_BLOCKED : 0;
	fng_strlcpy(ev->path, file, sizeof(ev->path));
	fng_strlcpy(ev->match, match, sizeof(ev->match));
	fng_strlcpy(ev->reason, reason, sizeof(ev->reason));
	fng_logger_commit(r->lg);
}

static bool on_finding(const struct fng_code_finding *f, void *arg)
{
	struct cc_run *r = arg;
	char reason[160], match[160];

	if (f->rule == FNG_CODE_NO_RULE) {
		snprintf(reason, sizeof(reason), "code check incomplete: %s (code_check.limits)", f->match);
		fng_strlcpy(match, "limit", sizeof(match));
		snprintf(r->line, r->n, "code check: %s: %s", f->file, reason);
	} else if (f->limit) {
		const struct fng_rx_pattern *p = &r->cfg->rules.pats[f->rule];
		snprintf(reason, sizeof(reason), "code check incomplete: rule %s hit its match limit", p->origin);
		snprintf(match, sizeof(match), "%s: %s", p->origin, p->src);
		snprintf(r->line, r->n, "code check: %s: %s", f->file, reason);
	} else {
		const struct fng_rx_pattern *p = &r->cfg->rules.pats[f->rule];
		snprintf(reason, sizeof(reason), "Code Rule violation for %s at line %u", p->src, f->line);
		snprintf(match, sizeof(match), "%s: %s", p->origin, p->src);
		snprintf(r->line, r->n, "code check: %s:%u: Code Rule violation for %s (%s)", f->file, f->line, p->src,
			 p->origin);
	}
	cc_event(r, f->file, match, reason);
	if (r->block)
		r->refused = true;
	return !r->block; /* a bound stops the scan itself (codescan.c) */
}

int fng_code_check_run(const struct fng_policy *p, struct fng_logger *lg, bool observe, char *line, size_t n)
{
	const struct fng_payload_cfg *cfg = p->code_check;
	struct cc_run r = { .lg = lg, .cfg = cfg, .line = line, .n = n };
	const char *dir;
	int found;

	line[0] = '\0';
	if (!cfg || cfg->action == FNG_MODE_ALLOW)
		return 0;
	r.block = cfg->action == FNG_MODE_BLOCK && !observe;
	r.would = cfg->action == FNG_MODE_BLOCK && observe;
	dir = cfg->dir ? cfg->dir : getenv("LAMBDA_TASK_ROOT");
	if (!dir || !*dir) {
		cc_event(&r, "", "limit", "code check: no directory (LAMBDA_TASK_ROOT unset, no code_check.dir)");
		snprintf(line, n, "code check: no directory to scan (LAMBDA_TASK_ROOT unset, no code_check.dir)");
		return r.block ? 1 : 0;
	}
	found = fng_code_scan(cfg, dir, on_finding, &r);
	if (found < 0) {
		cc_event(&r, dir, "limit", "code check failed: out of memory");
		snprintf(line, n, "code check: %s: out of memory", dir);
		return r.block ? 1 : 0;
	}
	if (!r.block && found)
		fng_logger_lifecycle(lg, "notice", "code check: %d finding(s) in %s (the runtime starts)", found, dir);
	return r.refused ? 1 : 0;
}
