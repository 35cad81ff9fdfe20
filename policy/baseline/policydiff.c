/* What one whole policy lets through that another does not (`fnguard
 * baseline diff`, a gate before deploy): every rule's mode and phase, the
 * outbound exceptions (CIDR and host-name semantics), resolvers, the
 * create_child_process exceptions, tmp_root, handler, executable_memory, on_unsupported, the
 * lambda settings, output_inspection, code_check, input_firewall,
 * confirmed_attacks, what is seen (events, api_endpoint, log_dns), and the
 * allowlist (profile.c): every key the loader takes (docs/cli.md; the test
 * t_baseline_diff_every_key walks docs/policy.schema.json). Lines: "+ WHAT
 * ENTRY" for a grant, "~ SETTING NEW (was OLD)" for a weaker setting. When
 * unsure (a moved patterns_file, a moved temp root, a changed format) it
 * reports. Pure. */
#include "policy/baseline/policydiff.h"
#include "common/hex.h"
#include "policy/payload/firewall.h"
#include "policy/payload/payload.h"
#include "logging/sinks/dest.h"	/* FNG_FLUSH_TIMEOUT_DEFAULT_MS */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct pd_out {
	fng_diff_line_cb cb;
	void *arg;
	size_t n;
};

static void pd_line(struct pd_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void pd_line(struct pd_out *o, const char *fmt, ...)
{
	char line[1200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	o->cb(o->arg, line);
	o->n++;
}

static void pd_net_text(const struct fng_netrule *r, char *buf, size_t n)
{
	char a[64];
	bool v4 = fng_addr_is_v4mapped(r->addr) && r->prefix >= 96;
	unsigned prefix = v4 ? r->prefix - 96u : r->prefix, full = v4 ? 32 : 128;
	char pre[8] = "";

	fng_addr_format(r->addr, a, sizeof(a));
	if (prefix != full)
		snprintf(pre, sizeof(pre), "/%u", prefix);
	if (r->port)
		snprintf(buf, n, v4 ? "%s%s:%u" : "[%s%s]:%u", a, pre, r->port);
	else
		snprintf(buf, n, "%s%s", a, pre);
}

/* Rules: a weaker mode, a narrower phase. The allowlist's mode is its own. */
static void pd_rules(const struct fng_policy *o, const struct fng_policy *n, struct pd_out *out)
{
	for (int r = 0; r < FNG_RULE_ALLOWLIST; r++) {
		const char *name = fng_rule_name((enum fng_rule)r);
		if (n->mode[r] < o->mode[r])
			pd_line(out, "~ %s %s (was %s)", name, fng_mode_name(n->mode[r]), fng_mode_name(o->mode[r]));
	}
	for (int r = 0; r < FNG_RULE_COUNT; r++)
		if (n->phase[r] != o->phase[r] && n->phase[r] != FNG_PHASE_ALWAYS)
			pd_line(out, "~ lambda.phases.%s %s (was %s)", fng_rule_name((enum fng_rule)r),
				fng_phase_name((enum fng_phase)n->phase[r]), fng_phase_name((enum fng_phase)o->phase[r]));
}

/* Each network of nv no network of ov holds: "+ outbound_connectivity.WHAT NET". */
static void pd_nets(const struct fng_netrule *ov, size_t on, const struct fng_netrule *nv, size_t nn,
		    const char *what, struct pd_out *out)
{
	char buf[128];

	for (size_t i = 0; i < nn; i++) {
		bool have = false;
		for (size_t j = 0; j < on && !have; j++)
			have = fng_netrule_covers(&ov[j], &nv[i]);
		if (have)
			continue;
		pd_net_text(&nv[i], buf, sizeof(buf));
		pd_line(out, "+ outbound_connectivity.%s %s", what, buf);
	}
}

/* Exceptions count while the rule is on (a rule turned off is a line of
 * its own); resolvers always: the allowlist trusts them too. */
static void pd_outbound(const struct fng_policy *o, const struct fng_policy *n, struct pd_out *out)
{
	bool on = n->mode[FNG_RULE_OUTBOUND] != FNG_MODE_ALLOW;

	if (on)
		pd_nets(o->net_allow, o->n_net_allow, n->net_allow, n->n_net_allow, "exceptions", out);
	for (size_t i = 0; on && i < n->n_host_allow; i++) {
		const struct fng_hostrule *h = &n->host_allow[i];
		bool have = false;
		for (size_t j = 0; j < o->n_host_allow && !have; j++)
			have = fng_hostrule_covers(&o->host_allow[j], h);
		if (!have)
			pd_line(out, "+ outbound_connectivity.exceptions %s%s%s%.0u", h->wildcard ? "*." : "", h->name,
				h->port ? ":" : "", h->port);
	}
	if (on && o->judge_loopback && !n->judge_loopback)
		pd_line(out, "~ outbound_connectivity.loopback allow (was judge)");
	/* a resolver is trusted with every name lookup; none listed: resolv.conf's */
	pd_nets(o->resolvers, o->n_resolvers, n->resolvers, n->n_resolvers, "resolvers", out);
	if (o->n_resolvers && !n->n_resolvers)
		pd_line(out, "~ outbound_connectivity.resolvers /etc/resolv.conf (was listed)");
}

static bool pd_has_str(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

static void pd_exec(const struct fng_policy *o, const struct fng_policy *n, struct pd_out *out)
{
	char hex[2 * FNG_POLICY_BUILD_ID_MAX + 1];

	if (n->mode[FNG_RULE_CHILD] == FNG_MODE_ALLOW)
		return;
	for (size_t i = 0; i < n->n_exec_allow_paths; i++)
		if (!pd_has_str(o->exec_allow_paths, o->n_exec_allow_paths, n->exec_allow_paths[i]))
			pd_line(out, "+ create_child_process.exceptions %s", n->exec_allow_paths[i]);
	for (size_t i = 0; i < n->n_exec_allow_ids; i++) {
		const struct fng_build_id *id = &n->exec_allow_ids[i];
		bool have = false;
		for (size_t j = 0; j < o->n_exec_allow_ids && !have; j++)
			have = o->exec_allow_ids[j].len == id->len && memcmp(o->exec_allow_ids[j].id, id->id, id->len) == 0;
		if (have)
			continue;
		fng_hex(hex, id->id, id->len);
		pd_line(out, "+ create_child_process.exceptions build-id:%s", hex);
	}
}

static int pd_on_block_rank(enum fng_on_block b)
{
	return b == FNG_ON_BLOCK_KILL ? 2 : b == FNG_ON_BLOCK_FAIL_INVOCATION ? 1 : 0;
}

/* Settings: what the temp rule and the handler rule watch, what happens
 * when fnguard cannot protect, the proxy and what a block does. */
static void pd_settings(const struct fng_policy *o, const struct fng_policy *n, struct pd_out *out)
{
	const char *ot = o->tmp_root ? o->tmp_root : "/tmp", *nt = n->tmp_root ? n->tmp_root : "/tmp";

	if (n->mode[FNG_RULE_TMP] != FNG_MODE_ALLOW && strcmp(ot, nt) != 0)
		pd_line(out, "~ tmp_root %s (was %s)", nt, ot);
	if (n->mode[FNG_RULE_TMP] != FNG_MODE_ALLOW && o->no_jvm_perfdata && !n->no_jvm_perfdata)
		pd_line(out, "~ read_write_tmp.jvm_perfdata true (was false)");
	for (size_t i = 0; n->mode[FNG_RULE_HANDLER] != FNG_MODE_ALLOW && i < o->n_handler_paths; i++)
		if (!pd_has_str(n->handler_paths, n->n_handler_paths, o->handler_paths[i]))
			pd_line(out, "~ handler %s no longer protected", o->handler_paths[i]);
	if (n->mode[FNG_RULE_HANDLER] != FNG_MODE_ALLOW && !o->n_handler_paths && n->n_handler_paths)
		pd_line(out, "~ handler %s%s (was from _HANDLER)", n->handler_paths[0],
			n->n_handler_paths > 1 ? ", ..." : "");
	if (o->exec_mem_block && !n->exec_mem_block)
		pd_line(out, "~ executable_memory allow (was block)");
	if (o->on_unsupported == FNG_UNSUPPORTED_FAIL && n->on_unsupported != FNG_UNSUPPORTED_FAIL)
		pd_line(out, "~ on_unsupported run-unprotected (was fail)");
	if (!o->no_proxy && n->no_proxy)
		pd_line(out, "~ lambda.proxy false (was true)");
	if (pd_on_block_rank(n->on_block) < pd_on_block_rank(o->on_block))
		pd_line(out, "~ lambda.on_block %s (was %s)", fng_on_block_name(n->on_block), fng_on_block_name(o->on_block));
}

/* The rules of a payload check (key) weaker: a rule of the old one the new
 * one does not have (by its text), its patterns_file moved or gone (the
 * file is read again at each start: its rules cannot be vouched for). */
static void pd_pattern_rules(const char *key, const struct fng_payload_cfg *o, const struct fng_payload_cfg *n,
			     struct pd_out *out)
{
	for (size_t i = 0; i < o->rules.n; i++) {
		bool kept = false;
		for (size_t j = 0; j < n->rules.n && !kept; j++)
			kept = strcmp(o->rules.pats[i].src, n->rules.pats[j].src) == 0;
		if (!kept)
			pd_line(out, "~ %s rule no longer checked: %s", key, o->rules.pats[i].src);
	}
	if (o->patterns_file && (!n->patterns_file || strcmp(o->patterns_file, n->patterns_file) != 0))
		pd_line(out, "~ %s.patterns_file %s (was %s)", key, n->patterns_file ? n->patterns_file : "none",
			o->patterns_file);
}

/* A code_check bound raised: code the old policy refused to start (a bound
 * hit is a finding) the new one lets through. */
static void pd_code_limits(const struct fng_payload_cfg *o, const struct fng_payload_cfg *n, struct pd_out *out)
{
	if (n->max_bytes > o->max_bytes)
		pd_line(out, "~ code_check.limits.max_bytes %llu (was %llu)", (unsigned long long)n->max_bytes,
			(unsigned long long)o->max_bytes);
	if (n->max_files > o->max_files)
		pd_line(out, "~ code_check.limits.max_files %u (was %u)", n->max_files, o->max_files);
	if (n->max_ms > o->max_ms)
		pd_line(out, "~ code_check.limits.max_ms %u (was %u)", n->max_ms, o->max_ms);
}

/* A payload check weakened: its action, its built-ins, its rules, its
 * directory, its bounds. */
static void pd_payload(const char *key, const struct fng_payload_cfg *o, const struct fng_payload_cfg *n,
		       struct pd_out *out)
{
	enum fng_mode om = o ? o->action : FNG_MODE_ALLOW, nm = n ? n->action : FNG_MODE_ALLOW;

	if (nm < om)
		pd_line(out, "~ %s %s (was %s)", key, fng_mode_name(nm), fng_mode_name(om));
	if (om == FNG_MODE_ALLOW || nm == FNG_MODE_ALLOW)
		return;
	if (o->builtins && !n->builtins)
		pd_line(out, "~ %s.builtins false (was true)", key);
	pd_pattern_rules(key, o, n, out);
	if ((o->dir || n->dir) && (!o->dir || !n->dir || strcmp(o->dir, n->dir) != 0))
		pd_line(out, "~ %s.dir %s (was %s)", key, n->dir ? n->dir : "LAMBDA_TASK_ROOT", o->dir ? o->dir : "LAMBDA_TASK_ROOT");
	pd_code_limits(o, n, out);
}

/* The input firewall weakened: its action, a class's mode (a class that
 * follows the action in both is the action's line), an exception path
 * added, its rules. Absent is allow. */
static void pd_firewall(const struct fng_fw_cfg *o, const struct fng_fw_cfg *n, struct pd_out *out)
{
	enum fng_mode oa = o ? o->action : FNG_MODE_ALLOW, na = n ? n->action : FNG_MODE_ALLOW;

	if (!o || fng_fw_cfg_top(o) == FNG_MODE_ALLOW)
		return;
	if (na < oa)
		pd_line(out, "~ input_firewall %s (was %s)", fng_mode_name(na), fng_mode_name(oa));
	for (int k = 0; k < FNG_FW_NCLASS; k++) {
		enum fng_mode om = o->mode[k], nm = n ? n->mode[k] : FNG_MODE_ALLOW;
		if (nm < om && !(om == oa && nm == na))
			pd_line(out, "~ input_firewall.classes.%s %s (was %s)", fng_fw_class_name((enum fng_fw_class)k),
				fng_mode_name(nm), fng_mode_name(om));
	}
	if (!n || fng_fw_cfg_top(n) == FNG_MODE_ALLOW)
		return;
	for (size_t i = 0; i < n->n_exceptions; i++)
		if (!pd_has_str(o->exceptions, o->n_exceptions, n->exceptions[i]))
			pd_line(out, "+ input_firewall.exceptions %s", n->exceptions[i]);
	if (na != FNG_MODE_ALLOW) /* the rules run under the action */
		pd_pattern_rules("input_firewall", &o->rules, &n->rules, out);
}

/* What is seen of the function, less: a sink dropped, the format changed
 * (its readers may no longer parse it), a shorter flush wait (events cut
 * at an invocation's end), the remote collector moved or gone, DNS answers
 * no longer logged. None grants the function anything; each hides it. */
static void pd_events(const struct fng_policy *o, const struct fng_policy *n, struct pd_out *out)
{
	unsigned ot = o->has_flush_timeout ? o->flush_timeout_ms : FNG_FLUSH_TIMEOUT_DEFAULT_MS;
	unsigned nt = n->has_flush_timeout ? n->flush_timeout_ms : FNG_FLUSH_TIMEOUT_DEFAULT_MS;

	for (size_t i = 0; i < o->n_event_sinks; i++)
		if (!pd_has_str(n->event_sinks, n->n_event_sinks, o->event_sinks[i]))
			pd_line(out, "~ events.sinks %s no longer receives events", o->event_sinks[i]);
	if (o->event_format != n->event_format)
		pd_line(out, "~ events.format changed (its readers may no longer parse the events)");
	if (nt < ot)
		pd_line(out, "~ events.flush_timeout_ms %u (was %u)", nt, ot);
	if (o->api_endpoint && (!n->api_endpoint || strcmp(o->api_endpoint, n->api_endpoint) != 0))
		pd_line(out, "~ api_endpoint %s (was %s)", n->api_endpoint ? n->api_endpoint : "none", o->api_endpoint);
	if (o->log_dns && !n->log_dns)
		pd_line(out, "~ outbound_connectivity.log_dns false (was true)");
}

size_t fng_policy_diff(const struct fng_policy *old_p, const struct fng_policy *new_p, fng_diff_line_cb cb,
		       void *arg)
{
	struct pd_out out = { .cb = cb, .arg = arg };

	pd_rules(old_p, new_p, &out);
	pd_outbound(old_p, new_p, &out);
	pd_exec(old_p, new_p, &out);
	pd_settings(old_p, new_p, &out);
	pd_payload("output_inspection", old_p->output_inspection, new_p->output_inspection, &out);
	pd_payload("code_check", old_p->code_check, new_p->code_check, &out);
	pd_firewall(old_p->input_firewall, new_p->input_firewall, &out);
	if (new_p->confirmed < old_p->confirmed)
		pd_line(&out, "~ confirmed_attacks %s (was %s)", fng_mode_name(new_p->confirmed),
			fng_mode_name(old_p->confirmed));
	pd_events(old_p, new_p, &out);
	if (old_p->allow && new_p->allow)
		out.n += fng_allowlist_diff(old_p->allow, new_p->allow, cb, arg);
	else if (old_p->allow)
		pd_line(&out, "~ allowlist none (was %s)", fng_mode_name(old_p->allow->mode));
	return out.n;
}
