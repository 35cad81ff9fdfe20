/* The input firewall in the Runtime API proxy (docs/policy.md,
 * "input_firewall"): every answer of the real API to `GET .../invocation/
 * next` is held whole (bounded: FNG_FW_MAX_EVENT, Lambda's 6 MB payload
 * limit) and inspected (policy/payload/firewall.c) before a byte of it
 * reaches the runtime. Allowed or alerted: the held answer goes on as it
 * came. Blocked: the runtime never sees it; the proxy posts
 * `/invocation/{id}/error` (Function.SecurityViolation) and a new `next` to
 * the real API on the same connection (on a new one when this one ends
 * after the answer: the runtime's `next` said `Connection: close`, as
 * Python's urllib does, or the answer did), swallows the answer to the error,
 * and the answer to the new `next` is what the runtime's waiting request
 * gets (inspected the same way). Other answers are relayed as they come.
 * An answer over the bound is a "limit" finding: blocked under block,
 * relayed with an event under alert. */
#include "supervisor/lambda/proxy_internal.h"
#include "common/clock.h"
#include "common/util.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum fw_mode { FW_HEAD = 0, FW_RELAY, FW_HOLD, FW_SWALLOW, FW_OVER };

struct px_fw {
	enum fw_mode mode;	/* of the answer being read */
	char *raw;		/* FW_HEAD / FW_HOLD: its bytes as they came */
	size_t raw_len, raw_cap;
	char *body;		/* FW_HOLD: its body, framing removed */
	size_t body_len, body_cap;
	unsigned swallow;	/* answers to the proxy's own error posts still to come */
	bool head_done, msg_done;	/* why the parser paused */
	bool body_over;		/* the body did not fit: a limit finding */
	bool refuse_pending;	/* the refusal waits for a new connection to the real API */
	char id[FNG_RT_ID_MAX], trace[FNG_TRACE_ID_MAX];
};

static int fw_headers_done(http_parser *p);
static int fw_body(http_parser *p, const char *at, size_t len);
static int fw_message_done(http_parser *p);

void px_fw_init(struct fng_proxy *px)
{
	const struct fng_fw_cfg *c = px->cfg.input_firewall;

	px->fw_on = c && fng_fw_cfg_top(c) != FNG_MODE_ALLOW;
	if (px->fw_on) { /* firewall.h: the heap kept between events (a failure costs time only) */
		mallopt(M_TRIM_THRESHOLD, FNG_FW_HEAP_KEEP);
		mallopt(M_MMAP_THRESHOLD, FNG_FW_HEAP_KEEP);
	}
	px->fw_settings = *px_rs_settings();
	px->fw_settings.on_headers_complete = fw_headers_done;
	px->fw_settings.on_body = fw_body;
	px->fw_settings.on_message_complete = fw_message_done;
}

void px_fw_free(struct px_conn *c)
{
	if (!c->fw)
		return;
	free(c->fw->raw);
	free(c->fw->body);
	free(c->fw);
	c->fw = NULL;
}

/* Append n bytes to a buffer bounded by FNG_FW_MAX_EVENT: -E2BIG past it. */
static int fw_append(char **b, size_t *len, size_t *cap, const char *p, size_t n)
{
	if (n > FNG_FW_MAX_EVENT - *len)
		return -E2BIG;
	if (*len + n > *cap) {
		size_t nc = *cap ? *cap : 16384;
		while (nc < *len + n)
			nc *= 2;
		if (nc > FNG_FW_MAX_EVENT)
			nc = FNG_FW_MAX_EVENT;
		char *t = realloc(*b, nc);
		if (!t)
			return -ENOMEM;
		*b = t;
		*cap = nc;
	}
	memcpy(*b + *len, p, n);
	*len += n;
	return 0;
}

static bool fw_blocks(const struct fng_proxy *px, enum fng_mode m)
{
	return m == FNG_MODE_BLOCK && !px->cfg.observe;
}

struct fw_emit {
	struct px_conn *c;
	bool block;		/* the event is refused */
};

/* One finding: an "input" event with policy "input_firewall". */
static void fw_event(const struct fng_fw_finding *f, void *arg)
{
	struct fw_emit *e = arg;
	struct fng_proxy *px = e->c->px;
	bool block = e->block && f->mode == FNG_MODE_BLOCK;
	bool would = !block && f->mode == FNG_MODE_BLOCK;
	struct fng_event *ev = px_payload_event(px, FNG_EV_INPUT, "input_firewall", block, would, e->c->fw->id);

	if (!ev)
		return;
	fng_strlcpy(ev->mode, f->mode == FNG_MODE_BLOCK ? "block" : "alert", sizeof(ev->mode));
	fng_strlcpy(ev->cls, f->cls, sizeof(ev->cls));
	fng_strlcpy(ev->path, f->path, sizeof(ev->path));
	fng_strlcpy(ev->match, f->match, sizeof(ev->match));
	fng_strlcpy(ev->excerpt, f->excerpt, sizeof(ev->excerpt));
	fng_strlcpy(ev->trace_id, e->c->fw->trace, sizeof(ev->trace_id));
	fng_logger_own_event(px->cfg.logger, ev);
	free(ev);
}

static int fw_headers_done(http_parser *p)
{
	struct px_conn *c = p->data;
	struct px_fw *f = c->fw;

	px_rs_settings()->on_headers_complete(p); /* the invocation starts (proxy_resp.c) */
	if (f->swallow) {
		f->mode = FW_SWALLOW;
	} else if (p->status_code == 200 && c->rs_id[0]) {
		f->mode = FW_HOLD;
		fng_strlcpy(f->id, c->rs_id, sizeof(f->id));
		fng_strlcpy(f->trace, c->rs_trace, sizeof(f->trace));
	} else {
		f->mode = FW_RELAY;
	}
	f->head_done = true;
	http_parser_pause(p, 1);
	return 0;
}

static int fw_body(http_parser *p, const char *at, size_t len)
{
	struct px_conn *c = p->data;
	struct px_fw *f = c->fw;

	if (f->mode == FW_HOLD && fw_append(&f->body, &f->body_len, &f->body_cap, at, len) < 0)
		f->body_over = true; /* the raw copy, a superset, is over too: fw_route acts */
	return px_rs_settings()->on_body(p, at, len); /* confirmed_attacks' copy (proxy_inputs.c) */
}

static int fw_message_done(http_parser *p)
{
	((struct px_conn *)p->data)->fw->msg_done = true;
	http_parser_pause(p, 1);
	return px_rs_settings()->on_message_complete(p); /* the values handed to the tracer */
}

/* The error for the refused event's id, then a new `next`, to the real
 * API; the runtime's request waits for that `next`'s answer. */
static void fw_post_refusal(struct px_conn *c)
{
	struct fng_proxy *px = c->px;
	char req[512];
	int n;

	px_post_violation(c, c->fw->id, "fnguard input firewall refused this event");
	n = snprintf(req, sizeof(req), "GET " FNG_RT_PREFIX "invocation/next HTTP/1.1\r\nHost: %s\r\n\r\n", px->cfg.upstream);
	if (n > 0 && (size_t)n < sizeof(req))
		px_send(c, true, req, (size_t)n);
	c->fw->swallow++;
}

/* Refuse the held event, on this connection to the real API if it stays
 * open after the answer, else on a new one (px_fw_replaced). */
static void fw_refuse(struct px_conn *c)
{
	struct fng_proxy *px = c->px;

	px->st.violations++;
	px_inv_end(px, c->fw->id);
	if (http_should_keep_alive(&c->rs) && http_should_keep_alive(&c->rq)) {
		fw_post_refusal(c);
		return;
	}
	c->fw->refuse_pending = true;
	px_replace_up(c);
}

bool px_fw_replaced(struct px_conn *c)
{
	if (!c->fw || !c->fw->refuse_pending)
		return false;
	c->fw->refuse_pending = false;
	fw_post_refusal(c);
	return true;
}

/* The held answer is complete (or over the bound): decide. */
static void fw_decide(struct px_conn *c)
{
	struct fng_proxy *px = c->px;
	struct px_fw *f = c->fw;
	const struct fng_fw_cfg *cfg = px->cfg.input_firewall;
	struct fw_emit e = { .c = c, .block = !px->cfg.observe };
	size_t nf = 0;
	int v;

	if (f->mode == FW_OVER || f->body_over) {
		struct fng_fw_finding lim = { .cls = "limit", .mode = fng_fw_cfg_top(cfg) };
		snprintf(lim.match, sizeof(lim.match), "the event is larger than %u bytes", FNG_FW_MAX_EVENT);
		fng_strlcpy(lim.path, "$", sizeof(lim.path));
		fw_event(&lim, &e);
		v = lim.mode;
	} else {
		v = fng_fw_inspect(cfg, f->body, f->body_len, fw_event, &e, &nf);
		if (v < 0) { /* out of memory: undecided, fail closed under block */
			struct fng_fw_finding lim = { .cls = "limit", .mode = fng_fw_cfg_top(cfg) };
			fng_strlcpy(lim.match, "out of memory inspecting the event", sizeof(lim.match));
			fng_strlcpy(lim.path, "$", sizeof(lim.path));
			fw_event(&lim, &e);
			v = lim.mode;
		}
	}
	if (fw_blocks(px, (enum fng_mode)v)) {
		fw_refuse(c);
	} else if (f->mode == FW_HOLD) {
		px_send(c, false, f->raw, f->raw_len);
	}
	f->raw_len = f->body_len = 0;
	f->body_over = false;
}

/* The held answer outgrew the bound with n more bytes at p: under block
 * it is dropped and refused at its end; otherwise the limit is reported
 * and the answer relayed uninspected from here on. */
static void fw_overflow(struct px_conn *c, const char *p, size_t n)
{
	struct fng_proxy *px = c->px;
	struct px_fw *f = c->fw;
	enum fng_mode top = fng_fw_cfg_top(px->cfg.input_firewall);

	if (fw_blocks(px, top)) {
		f->mode = FW_OVER;
		return;
	}
	struct fw_emit e = { .c = c, .block = false };
	struct fng_fw_finding lim = { .cls = "limit", .mode = top };
	snprintf(lim.match, sizeof(lim.match), "the event is larger than %u bytes: relayed uninspected", FNG_FW_MAX_EVENT);
	fng_strlcpy(lim.path, "$", sizeof(lim.path));
	fw_event(&lim, &e);
	px_send(c, false, f->raw, f->raw_len);
	px_send(c, false, p, n);
	f->raw_len = f->body_len = 0;
	f->body_over = false;
	f->mode = FW_RELAY;
}

/* Bytes of the current answer, by its mode. */
static void fw_route(struct px_conn *c, const char *p, size_t n)
{
	struct px_fw *f = c->fw;

	if (f->mode == FW_RELAY) {
		px_send(c, false, p, n);
	} else if (f->mode == FW_HEAD || f->mode == FW_HOLD) {
		if (fw_append(&f->raw, &f->raw_len, &f->raw_cap, p, n) < 0) {
			if (f->mode == FW_HEAD) {
				px_conn_close(c); /* a head past 6 MB: nothing sane to relay */
				return;
			}
			fw_overflow(c, p, n);
		}
	}
	/* FW_SWALLOW, FW_OVER: dropped */
}

/* A pause: the head's end (its bytes were the head's: raw until the mode
 * says where they go) or the answer's end (decide a held one). */
static void fw_paused(struct px_conn *c, const char *p, size_t n)
{
	struct px_fw *f = c->fw;

	if (f->head_done) {
		enum fw_mode m = f->mode;
		f->head_done = false;
		f->mode = FW_HEAD;
		fw_route(c, p, n);
		if (c->closing)
			return;
		f->mode = m;
		if (m == FW_RELAY)
			px_send(c, false, f->raw, f->raw_len);
		if (m != FW_HOLD)
			f->raw_len = 0;
		return;
	}
	fw_route(c, p, n);
	if (!f->msg_done || c->closing)
		return;
	f->msg_done = false;
	if (f->mode == FW_HOLD || f->mode == FW_OVER)
		fw_decide(c);
	else if (f->mode == FW_SWALLOW && f->swallow)
		f->swallow--;
	f->mode = FW_HEAD;
	f->raw_len = f->body_len = 0;
}

/* The real API's bytes on connection c, when the firewall is on. */
void px_fw_read_up(struct px_conn *c, const char *base, size_t n)
{
	size_t off = 0;

	if (!c->fw && !(c->fw = calloc(1, sizeof(*c->fw)))) {
		px_conn_close(c); /* fail closed: no event goes through uninspected */
		return;
	}
	while (off < n && !c->closing && !c->up_replacing) {
		size_t used = http_parser_execute(&c->rs, &c->px->fw_settings, base + off, n - off);
		enum http_errno err = HTTP_PARSER_ERRNO(&c->rs);
		if (err != HPE_OK && err != HPE_PAUSED) {
			px_conn_close(c); /* not HTTP the proxy can frame: fail closed */
			return;
		}
		if (err == HPE_PAUSED) {
			http_parser_pause(&c->rs, 0);
			fw_paused(c, base + off, used);
		} else {
			fw_route(c, base + off, used);
		}
		off += used;
	}
}
