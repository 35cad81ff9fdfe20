/* `fnguard policy check`'s listing of what a loaded policy says beyond the
 * one-line summary: each rule's exceptions, the allowlist's size, the lambda
 * and events settings (docs/cli.md, "fnguard policy check"). Reads the model
 * only; prints to the stream it is given. */
#include "supervisor/cli/policy_show.h"
#include "policy/allowlist.h"
#include "policy/payload/payload.h"

#include <stdio.h>
#include <string.h>

static void show_net_exceptions(const struct fng_policy *p, FILE *out)
{
	char buf[96];

	if (!p->n_net_allow && !p->n_host_allow && !p->aws)
		return;
	fputs("  exceptions:", out);
	for (size_t i = 0; i < p->n_net_allow; i++) {
		fng_netrule_format(&p->net_allow[i], buf, sizeof(buf));
		fprintf(out, " %s", buf);
	}
	for (size_t i = 0; i < p->n_host_allow; i++) {
		const struct fng_hostrule *h = &p->host_allow[i];

		fprintf(out, " %s%s", h->wildcard ? "*." : "", h->name);
		if (h->port)
			fprintf(out, ":%u", h->port);
	}
	fputs("\n", out);
	if (p->aws)
		fprintf(out, "  aws: AWS's service domains are exceptions%s%s\n",
			p->aws_ip_ranges ? ", and the ranges of " : "", p->aws_ip_ranges ? p->aws_ip_ranges : "");
}

static void show_outbound(const struct fng_policy *p, FILE *out)
{
	char buf[96];

	fprintf(out, "outbound_connectivity: %s\n", fng_mode_name(p->mode[FNG_RULE_OUTBOUND]));
	show_net_exceptions(p, out);
	if (p->judge_loopback)
		fputs("  loopback: judged like any address\n", out);
	if (p->n_resolvers) {
		fputs("  resolvers:", out);
		for (size_t i = 0; i < p->n_resolvers; i++) {
			fng_netrule_format(&p->resolvers[i], buf, sizeof(buf));
			fprintf(out, " %s", buf);
		}
		fputs("\n", out);
	}
	if (p->log_dns)
		fputs("  log_dns: an event per answer\n", out);
}

static void show_child(const struct fng_policy *p, FILE *out)
{
	fprintf(out, "create_child_process: %s\n", fng_mode_name(p->mode[FNG_RULE_CHILD]));
	if (!p->n_exec_allow_paths && !p->n_exec_allow_ids)
		return;
	fputs("  exceptions:", out);
	for (size_t i = 0; i < p->n_exec_allow_paths; i++)
		fprintf(out, " %s", p->exec_allow_paths[i]);
	for (size_t i = 0; i < p->n_exec_allow_ids; i++) {
		fputs(" build-id:", out);
		for (size_t j = 0; j < p->exec_allow_ids[i].len; j++)
			fprintf(out, "%02x", p->exec_allow_ids[i].id[j]);
	}
	fputs("\n", out);
}

static size_t set_size(const struct fng_al_set *s)
{
	size_t n = 0;

	for (int k = 0; k < FNG_AL_KINDS; k++)
		n += s->k[k].n;
	return n;
}

static void show_set(const char *what, const struct fng_al_set *s, FILE *out)
{
	if (!set_size(s))
		return;
	fprintf(out, "  %s:", what);
	for (int k = 0; k < FNG_AL_KINDS; k++)
		if (s->k[k].n)
			fprintf(out, " %zu %s", s->k[k].n, fng_al_kind_name((enum fng_al_kind)k));
	fputs("\n", out);
}

static void show_allowlist(const struct fng_policy *p, FILE *out)
{
	if (!p->allow)
		return;
	fprintf(out, "allowlist: %s\n", fng_mode_name(p->mode[FNG_RULE_ALLOWLIST]));
	show_set("learned", &p->allow->learned, out);
	show_set("add", &p->allow->add, out);
	show_set("remove", &p->allow->remove, out);
}

static void show_lambda(const struct fng_policy *p, FILE *out)
{
	bool phases = false;

	fprintf(out, "lambda: proxy %s, on_block %s", p->no_proxy ? "off" : "on (under a Runtime API)",
		fng_on_block_name(p->on_block));
	for (int r = 0; r < FNG_RULE_COUNT; r++) {
		if (p->phase[r] == FNG_PHASE_ALWAYS)
			continue;
		fprintf(out, "%s%s=%s", phases ? " " : ", phases: ", fng_rule_name((enum fng_rule)r),
			fng_phase_name((enum fng_phase)p->phase[r]));
		phases = true;
	}
	fputs("\n", out);
}

static void show_events(const struct fng_policy *p, FILE *out)
{
	if (!p->n_event_sinks && !p->event_format && !p->has_flush_timeout && !p->api_endpoint)
		return;
	fputs("events:", out);
	for (size_t i = 0; i < p->n_event_sinks; i++)
		fprintf(out, " --log %s", p->event_sinks[i]);
	if (p->api_endpoint)
		fprintf(out, " api_endpoint %s", p->api_endpoint);
	if (p->event_format)
		fprintf(out, " format %s", p->event_format == 2 ? "ocsf" : "fnguard");
	if (p->has_flush_timeout)
		fprintf(out, " flush_timeout %u ms", p->flush_timeout_ms);
	fputs("\n", out);
}

static void show_payload(const char *key, const struct fng_payload_cfg *c, FILE *out)
{
	if (!c)
		return;
	fprintf(out, "%s: %s, %zu rule(s)", key, fng_mode_name(c->action), c->rules.n);
	if (c->patterns_file)
		fprintf(out, " (patterns_file %s)", c->patterns_file);
	if (strcmp(key, "output_inspection") == 0)
		fprintf(out, ", built-in detectors %s", c->builtins ? "on" : "off");
	else
		fprintf(out, ", dir %s", c->dir ? c->dir : "$LAMBDA_TASK_ROOT");
	fputs("\n", out);
}

void fng_cli_show_policy(const struct fng_policy *p, FILE *out)
{
	show_outbound(p, out);
	fprintf(out, "read_write_tmp: %s (temp root %s)\n", fng_mode_name(p->mode[FNG_RULE_TMP]),
		p->tmp_root ? p->tmp_root : "/tmp");
	if (p->mode[FNG_RULE_TMP] != FNG_MODE_ALLOW && p->no_jvm_perfdata)
		fputs("  jvm_perfdata: off (the JVM's perf-data file is judged like any other)\n", out);
	show_child(p, out);
	fprintf(out, "read_handler: %s\n", fng_mode_name(p->mode[FNG_RULE_HANDLER]));
	for (size_t i = 0; i < p->n_handler_paths; i++)
		fprintf(out, "  handler: %s\n", p->handler_paths[i]);
	fprintf(out, "executable_memory: %s\n", p->exec_mem_block ? "block" : "allow");
	show_allowlist(p, out);
	show_payload("output_inspection", p->output_inspection, out);
	show_payload("code_check", p->code_check, out);
	show_lambda(p, out);
	show_events(p, out);
}
