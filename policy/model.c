/* Names, the embedded default policy, freeing and summaries. Pure.
 * Build-ids are in buildid.c, which the allowlist uses too. */
#include "policy/policy.h"
#include "policy/allowlist.h"
#include "policy/payload/payload.h"
#include "policy/payload/firewall.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const mode_names[] = {
	[FNG_MODE_ALLOW] = "allow",
	[FNG_MODE_ALERT] = "alert",
	[FNG_MODE_BLOCK] = "block",
};

static const char *const rule_names[] = {
	[FNG_RULE_OUTBOUND] = "outbound_connectivity",
	[FNG_RULE_TMP] = "read_write_tmp",
	[FNG_RULE_CHILD] = "create_child_process",
	[FNG_RULE_HANDLER] = "read_handler",
	[FNG_RULE_ALLOWLIST] = "allowlist",
};

const char *fng_mode_name(enum fng_mode m)
{
	return (unsigned)m < 3 ? mode_names[m] : "?";
}

const char *fng_rule_name(enum fng_rule r)
{
	return (unsigned)r < FNG_RULE_COUNT ? rule_names[r] : "";
}

int fng_mode_parse(const char *s, enum fng_mode *out)
{
	for (int m = 0; m < 3; m++) {
		if (strcmp(s, mode_names[m]) == 0) {
			*out = (enum fng_mode)m;
			return 0;
		}
	}
	return -EINVAL;
}

int fng_policy_default(struct fng_policy *p)
{
	memset(p, 0, sizeof(*p));
	for (int r = 0; r < FNG_RULE_ALLOWLIST; r++)
		p->mode[r] = FNG_MODE_BLOCK;
	p->tmp_root = strdup("/tmp");
	return p->tmp_root ? 0 : -ENOMEM;
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void fng_policy_free(struct fng_policy *p)
{
	fng_allowlist_free(p->allow);
	free(p->net_allow);
	fng_hostrules_free(p->host_allow, p->n_host_allow);
	free(p->aws_ip_ranges);
	free(p->resolvers);
	free_strv(p->exec_allow_paths, p->n_exec_allow_paths);
	free(p->exec_allow_ids);
	free(p->tmp_root);
	free_strv(p->handler_paths, p->n_handler_paths);
	free(p->api_endpoint);
	free_strv(p->event_sinks, p->n_event_sinks);
	free_strv(p->notices, p->n_notices);
	fng_payload_policy_free(p);
	fng_fw_cfg_free(p->input_firewall);
	free(p->input_firewall);
	memset(p, 0, sizeof(*p));
}

/* " KEY=MODE(N rules[ + built-ins])" for a payload check that is on. */
static int payload_summary(const char *key, const struct fng_payload_cfg *c, char *buf, size_t n)
{
	if (!c || c->action == FNG_MODE_ALLOW || n == 0)
		return 0;
	return snprintf(buf, n, " %s=%s(%zu rules%s)", key, fng_mode_name(c->action), c->rules.n,
			c->builtins ? " + built-ins" : "");
}

void fng_policy_summary(const struct fng_policy *p, char *buf, size_t n)
{
	int w = snprintf(buf, n, "outbound_connectivity=%s read_write_tmp=%s create_child_process=%s read_handler=%s%s%s%s",
		 fng_mode_name(p->mode[FNG_RULE_OUTBOUND]), fng_mode_name(p->mode[FNG_RULE_TMP]),
		 fng_mode_name(p->mode[FNG_RULE_CHILD]), fng_mode_name(p->mode[FNG_RULE_HANDLER]),
		 p->allow ? " allowlist=" : "", p->allow ? fng_mode_name(p->mode[FNG_RULE_ALLOWLIST]) : "",
		 p->exec_mem_block ? " executable_memory=block" : "");
	if (w < 0 || (size_t)w >= n)
		return;
	w += payload_summary("output_inspection", p->output_inspection, buf + w, n - (size_t)w);
	if (w < 0 || (size_t)w >= n)
		return;
	w += payload_summary("code_check", p->code_check, buf + w, n - (size_t)w);
	if (w < 0 || (size_t)w >= n || !p->input_firewall || fng_fw_cfg_top(p->input_firewall) == FNG_MODE_ALLOW)
		return;
	snprintf(buf + w, n - (size_t)w, " input_firewall=%s(%zu rules)", fng_mode_name(fng_fw_cfg_top(p->input_firewall)),
		 p->input_firewall->rules.rules.n);
}
