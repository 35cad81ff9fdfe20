/* Output inspection in the Runtime API proxy (docs/policy.md,
 * "output_inspection"): the body of each response and error the runtime
 * posts is fed, as http-parser decodes it (chunked framing removed), to the
 * detectors of policy/payload/outscan.c, chunk by chunk, never held whole.
 * A finding is an event; under block the request never completes upstream:
 * found before any body byte went out, or in the last bytes, the twin is
 * replaced at the end (proxy_conn.c's late path); found mid-stream, the
 * twin is replaced at once, the rest of the body is swallowed, and the
 * Function.SecurityViolation error goes on the new twin (proxy_resp.c).
 * The function's own credentials are read from fnguard's environment at
 * start and never written into an event. */
#include "supervisor/lambda/proxy_internal.h"
#include "common/clock.h"
#include "common/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct px_out {
	struct fng_outscan scan;
	bool active;		/* this request's body is inspected */
	bool block_pending;	/* a finding under block: the request must not complete */
	bool cut;		/* the twin was replaced mid-body: the error is already on its way */
};

static const char *const secret_env[2] = { "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN" };
static const char *const secret_names[2] = { "aws_secret_access_key", "aws_session_token" };

int px_out_init(struct fng_proxy *px)
{
	struct fng_out_secrets sec = { 0 };

	if (!px->cfg.output_inspection || px->cfg.output_inspection->action == FNG_MODE_ALLOW)
		return 0;
	for (size_t i = 0; i < FNG_OUT_SECRETS; i++) {
		const char *v = getenv(secret_env[i]);
		sec.name[i] = secret_names[i];
		if (v && *v && !(px->out_secret[i] = strdup(v)))
			return -ENOMEM;
		sec.value[i] = px->out_secret[i];
		sec.len[i] = px->out_secret[i] ? strlen(px->out_secret[i]) : 0;
	}
	if (fng_outscan_rules_init(&px->out_rules, px->cfg.output_inspection, &sec) < 0)
		return -ENOMEM;
	px->out_on = true;
	return 0;
}

void px_out_fini(struct fng_proxy *px)
{
	if (px->out_on)
		fng_outscan_rules_free(&px->out_rules);
	for (size_t i = 0; i < FNG_OUT_SECRETS; i++) {
		fng_free_secret(px->out_secret[i]);
		px->out_secret[i] = NULL;
	}
	px->out_on = false;
}

void px_out_free(struct px_conn *c)
{
	if (!c->out)
		return;
	fng_outscan_end(&c->out->scan);
	free(c->out);
	c->out = NULL;
}

/* The head of a request is complete: inspect its body if it is a
 * response, an invocation's error or an init error the proxy relays (not
 * one already being replaced): credentials in an init error leave as
 * surely as in a response. */
void px_out_begin(struct px_conn *c)
{
	struct fng_proxy *px = c->px;

	if (c->out) {
		fng_outscan_end(&c->out->scan);
		memset(c->out, 0, sizeof(*c->out));
	}
	if (!px->out_on || c->swallow || 
	    (c->route != FNG_RT_RESPONSE && c->route != FNG_RT_ERROR && c->route != FNG_RT_INIT_ERROR))
		return;
	if (!c->out && !(c->out = calloc(1, sizeof(*c->out)))) {
		px_refuse(c, "output inspection: out of memory"); /* fail closed: nothing unread goes out */
		return;
	}
	fng_outscan_begin(&c->out->scan, &px->out_rules);
	c->out->active = true;
}

/* Does a finding block (not under trace's observe mode)? */
static bool out_blocks(const struct fng_proxy *px)
{
	return px->cfg.output_inspection->action == FNG_MODE_BLOCK && !px->cfg.observe;
}

static void out_event(struct px_conn *c, const struct fng_out_finding *f, const char *why)
{
	struct fng_proxy *px = c->px;
	bool block = out_blocks(px), would = !block && px->cfg.output_inspection->action == FNG_MODE_BLOCK;
	struct fng_event *ev = px_payload_event(px, FNG_EV_OUTPUT, "output_inspection", block, would, c->id);

	if (!ev)
		return;
	fng_strlcpy(ev->mode, block || would ? "block" : "alert", sizeof(ev->mode));
	if (c->route == FNG_RT_INIT_ERROR)
		ev->fn_phase = FNG_FN_PHASE_INIT;
	if (f) {
		snprintf(ev->reason, sizeof(ev->reason), "%s body %s %s at byte %llu",
			 c->route == FNG_RT_ERROR ? "error" : c->route == FNG_RT_INIT_ERROR ? "init error" : "response",
			 f->limit ? "undecided: a rule hit its match limit," : "contains", f->limit ? f->match : "data the policy forbids",
			 (unsigned long long)f->offset);
		fng_strlcpy(ev->match, f->match, sizeof(ev->match));
		fng_strlcpy(ev->excerpt, f->excerpt, sizeof(ev->excerpt));
	} else {
		snprintf(ev->reason, sizeof(ev->reason), "output inspection failed: %s", why);
	}
	fng_logger_own_event(px->cfg.logger, ev);
	free(ev);
}

static void verdict(struct px_conn *c, int r, const struct fng_out_finding *f)
{
	if (r == 0)
		return;
	c->out->active = false;
	out_event(c, r > 0 ? f : NULL, "out of memory");
	if (out_blocks(c->px))
		c->out->block_pending = true;
}

/* http-parser's decoded body bytes of the request being read. */
int px_out_body(http_parser *p, const char *at, size_t len)
{
	struct px_conn *c = p->data;
	struct fng_out_finding f;

	if (c->out && c->out->active)
		verdict(c, fng_outscan_feed(&c->out->scan, at, len, &f), &f);
	return 0;
}

void px_out_end(struct px_conn *c)
{
	struct fng_out_finding f;

	if (c->out && c->out->active)
		verdict(c, fng_outscan_finish(&c->out->scan, &f), &f);
}

bool px_out_cut(struct px_conn *c)
{
	if (!c->out || !c->out->block_pending)
		return false;
	if (!c->out->cut) {
		c->out->cut = true;
		c->swallow = true;
		c->px->st.violations++;
		px_replace_up(c);
		/* No more of the body until the new twin is up (its connect
		 * callback reads again): a full read buffer would end the
		 * connection. */
		uv_read_stop((uv_stream_t *)&c->down);
	}
	return true;
}

bool px_out_blocked(const struct px_conn *c)
{
	return c->out && c->out->block_pending;
}

bool px_out_was_cut(const struct px_conn *c)
{
	return c->out && c->out->cut;
}
