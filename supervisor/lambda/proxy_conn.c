/* One runtime connection to the proxy and its twin to the real Runtime API.
 * Bytes go through as they came (headers untouched, chunked bodies still
 * chunked); http-parser reads along to find where each request starts, ends
 * and what it is. Memory per connection is bounded: one 64 KiB read buffer,
 * a request head of at most 64 KiB, and at most ~1 MiB queued per direction
 * before the other side stops being read.
 *
 * Requests: the head is held until it is complete (so it can be replaced),
 * the body streams; the last segment of a response, an error or an init
 * error waits for the events committed so far to be flushed (at most
 * flush_ms), so the platform sees the invocation end only after its events
 * are out. Responses from the real API stream back untouched; the
 * request id and trace id of a `next` answer start an invocation. */
#include "supervisor/lambda/proxy_internal.h"
#include "common/clock.h"
#include "common/util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum { CB_NONE, CB_HEADERS, CB_MESSAGE };

struct px_write {
	uv_write_t req;
	struct px_conn *c;
	size_t n;
	bool to_up;
	unsigned gen;		/* c->up_gen when queued to the upstream */
	char data[];
};

static uint64_t mono_us(void)
{
	return fng_mono_ns() / 1000u;
}

void px_conn_unref(struct px_conn *c)
{
	struct fng_proxy *px = c->px;

	if (--c->refs)
		return;
	free(c->head);
	free(c->refusal);
	px_inputs_free(c);
	px_out_free(c);
	px_fw_free(c);
	free(c);
	px_release(px);
}

static void on_closed(uv_handle_t *h)
{
	px_conn_unref(h->data);
}

void px_conn_close(struct px_conn *c)
{
	if (c->closing)
		return;
	c->closing = true;
	*c->pprev = c->next;
	if (c->next)
		c->next->pprev = c->pprev;
	c->px->n_conns--;
	if (c->px->n_conns < PX_CONN_MAX)
		c->px->conn_cap_said = false;
	uv_close((uv_handle_t *)&c->down, on_closed);
	if (!uv_is_closing((uv_handle_t *)&c->up))
		uv_close((uv_handle_t *)&c->up, on_closed);
	/* else px_replace_up's close callback lets go of it */
}

void px_conn_close_all(struct fng_proxy *px)
{
	while (px->conns)
		px_conn_close(px->conns);
}

static void on_drained(uv_shutdown_t *req, int status)
{
	(void)status;
	px_conn_close(req->data);
}

/* One side ended: what is still queued for the other goes out first. */
void px_peer_ended(struct px_conn *c, bool up_ended)
{
	uv_stream_t *other = (uv_stream_t *)(up_ended ? &c->down : &c->up);
	size_t queued = up_ended ? c->down_queued : c->up_queued;

	if (c->refusing) {
		if (up_ended)
			px_refusal_due(c); /* everything before the refused request is answered */
		else
			px_conn_close(c);
		return;
	}
	if (c->draining)
		return;
	if (!queued || c->held) {
		px_conn_close(c); /* held: the runtime left before its response went through */
		return;
	}
	c->draining = true;
	uv_read_stop((uv_stream_t *)&c->down);
	uv_read_stop((uv_stream_t *)&c->up);
	c->sreq.data = c;
	if (uv_shutdown(&c->sreq, other, on_drained) < 0)
		px_conn_close(c);
}

static void on_read_down(uv_stream_t *s, ssize_t n, const uv_buf_t *buf);
static void alloc_down(uv_handle_t *h, size_t hint, uv_buf_t *buf);

/* Read the runtime only when its bytes have somewhere to go. */
static void update_reading(struct px_conn *c)
{
	if (c->closing || !c->up_ok || c->draining)
		return;
	if (c->held || c->down_bp || c->refusing)
		uv_read_stop((uv_stream_t *)&c->down);
	else
		uv_read_start((uv_stream_t *)&c->down, alloc_down, on_read_down);
	if (c->up_bp)
		uv_read_stop((uv_stream_t *)&c->up);
	else
		uv_read_start((uv_stream_t *)&c->up, px_alloc_up, px_on_read_up);
}

static void on_written(uv_write_t *req, int status)
{
	struct px_write *w = (struct px_write *)req;
	struct px_conn *c = w->c;

	if (w->to_up)
		c->up_queued -= w->n;
	else
		c->down_queued -= w->n;
	if (w->to_up && w->gen != c->up_gen)
		status = 0; /* a replaced twin's writes end cancelled */
	free(w);
	if (c->closing)
		return;
	if (status < 0) {
		px_conn_close(c);
		return;
	}
	if (c->down_bp && c->up_queued < PX_QUEUE_LOW) {
		c->down_bp = false;
		update_reading(c);
	}
	if (c->up_bp && c->down_queued < PX_QUEUE_LOW) {
		c->up_bp = false;
		update_reading(c);
	}
}

void px_send(struct px_conn *c, bool to_up, const char *p, size_t n)
{
	autofree struct px_write *w = NULL;
	uv_buf_t b;

	if (n == 0 || c->closing)
		return;
	w = malloc(sizeof(*w) + n);
	if (!w) {
		px_conn_close(c);
		return;
	}
	memcpy(w->data, p, n);
	w->c = c;
	w->n = n;
	w->to_up = to_up;
	w->gen = c->up_gen;
	b = uv_buf_init(w->data, (unsigned)n);
	if (uv_write(&w->req, (uv_stream_t *)(to_up ? &c->up : &c->down), &b, 1, on_written) < 0) {
		px_conn_close(c);
		return;
	}
	fng_steal_ptr(&w); /* on_written frees it */
	if (to_up) {
		c->up_queued += n;
		if (c->up_queued > PX_QUEUE_HIGH && !c->down_bp) {
			c->down_bp = true;
			update_reading(c);
		}
	} else {
		c->down_queued += n;
		if (c->down_queued > PX_QUEUE_HIGH && !c->up_bp) {
			c->up_bp = true;
			update_reading(c);
		}
	}
}

/* ---- requests: runtime -> real API ---- */

static int rq_begin(http_parser *p)
{
	struct px_conn *c = p->data;

	c->stage = ST_HEAD;
	c->url_len = 0;
	c->url_cut = false;
	c->route = FNG_RT_OTHER;
	c->refuse_why = NULL;
	c->id[0] = '\0';
	fng_rt_hdr_reset(&c->rqh);
	fng_rt_req_reset(&c->rqf);
	return 0;
}

static int rq_url(http_parser *p, const char *at, size_t len)
{
	struct px_conn *c = p->data;

	fng_rt_append(c->url, sizeof(c->url), &c->url_len, at, len, &c->url_cut);
	return 0;
}

static void rq_pair(const struct fng_rt_hdr *h, void *arg)
{
	struct px_conn *c = arg;

	fng_rt_req_field(&c->rqf, h);
}

static int rq_field(http_parser *p, const char *at, size_t len)
{
	struct px_conn *c = p->data;

	fng_rt_hdr_name(&c->rqh, at, len, rq_pair, c);
	return 0;
}

static int rq_value(http_parser *p, const char *at, size_t len)
{
	fng_rt_hdr_value(&((struct px_conn *)p->data)->rqh, at, len);
	return 0;
}

static int rq_headers_done(http_parser *p)
{
	struct px_conn *c = p->data;

	fng_rt_hdr_finish(&c->rqh, rq_pair, c);
	c->route = fng_rt_classify(http_method_str((enum http_method)p->method), p->http_major, p->http_minor, c->url,
				   c->url_len, c->url_cut, &c->rqf, c->id, sizeof(c->id), &c->refuse_why);
	c->last_cb = CB_HEADERS;
	http_parser_pause(p, 1);
	return 0;
}

static int rq_message_done(http_parser *p)
{
	struct px_conn *c = p->data;

	c->last_cb = CB_MESSAGE;
	px_out_end(c);
	http_parser_pause(p, 1);
	return 0;
}

static const http_parser_settings rq_settings = {
	.on_message_begin = rq_begin,
	.on_url = rq_url,
	.on_header_field = rq_field,
	.on_header_value = rq_value,
	.on_headers_complete = rq_headers_done,
	.on_body = px_out_body,
	.on_message_complete = rq_message_done,
};

void px_drain_down(struct px_conn *c)
{
	if (c->closing || c->draining)
		return;
	c->draining = true;
	uv_read_stop((uv_stream_t *)&c->down);
	uv_read_stop((uv_stream_t *)&c->up);
	c->sreq.data = c;
	if (uv_shutdown(&c->sreq, (uv_stream_t *)&c->down, on_drained) < 0)
		px_conn_close(c);
}

/* A response or an error: replaced by the SecurityViolation error when the
 * invocation saw a block (an error of the runtime's own choosing would
 * hide it). */
static bool ends_invocation(enum fng_rt_route r)
{
	return r == FNG_RT_RESPONSE || r == FNG_RT_ERROR;
}

/* The head is complete (last: its final byte, not yet taken): refuse it,
 * or start the invocation phase, or replace the request. */
static void headers_complete(struct px_conn *c, char last)
{
	struct fng_proxy *px = c->px;
	const char *why = c->refuse_why ? c->refuse_why : fng_rt_head_check(c->head, c->head_len, last);

	if (why) {
		px_refuse(c, why);
		return;
	}
	c->stage = ST_BODY;
	c->chunked = c->rqf.n_te == 1;
	fng_rt_chunked_reset(&c->ck);
	if (c->route == FNG_RT_NEXT && !atomic_load(&px->cfg.state->init_done))
		atomic_store_explicit(&px->cfg.state->init_done, true, memory_order_release);
	c->swallow = ends_invocation(c->route) && px->cfg.fail_invocation && px_inv_violated(px, c->id);
	if (c->swallow) {
		px->st.violations++;
		if (c->rqf.expect_continue) {
			static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
			px_send(c, false, cont, sizeof(cont) - 1);
		}
	} else {
		px_send(c, true, c->head, c->head_len);
	}
	c->head_len = 0;
	px_out_begin(c);
}

static void segment(struct px_conn *c, const char *p, size_t n)
{
	if (c->stage == ST_HEAD) {
		if (n > PX_HEAD_MAX - c->head_len) {
			px_refuse(c, "request head over 64 KiB"); /* no Runtime API request has one */
			return;
		}
		memcpy(c->head + c->head_len, p, n);
		c->head_len += n;
	} else if (!c->swallow && !px_out_cut(c)) {
		px_send(c, true, p, n);
	}
}

static bool flushes(enum fng_rt_route r)
{
	return r == FNG_RT_RESPONSE || r == FNG_RT_ERROR || r == FNG_RT_INIT_ERROR;
}

static void process_down(struct px_conn *c);

/* The invocation's events are out (or the deadline passed): let its end through. */
static void on_flushed(void *arg, int status)
{
	struct px_conn *c = arg;
	struct fng_proxy *px = c->px;
	uint64_t us = mono_us() - c->flush_start;

	px->st.flushes++;
	px->st.flush_us_total += us;
	if (us > px->st.flush_us_max)
		px->st.flush_us_max = us;
	if (status == -ETIMEDOUT)
		px->st.flush_timeouts++;
	if (!c->closing) {
		/* The verdict again, now that the last bytes are here: a block
		 * since the head went out fails the invocation all the same. */
		bool late = !c->swallow && ((ends_invocation(c->route) && px->cfg.fail_invocation &&
					     px_inv_violated(px, c->id)) ||
					    px_out_blocked(c));
		if (px_out_was_cut(c)) {
			/* the error went on the new twin (proxy_out.c) */
		} else if (c->swallow) {
			px_send_violation(c);
		} else if (late) {
			px->st.violations++;
			px_replace_up(c); /* the request never completes; the error goes on a new twin */
		} else {
			segment(c, c->in + c->in_off, c->held_n);
		}
		if (ends_invocation(c->route))
			px_inv_end(px, c->id);
		c->in_off += c->held_n;
		c->held = false;
		c->stage = ST_HEAD;
		c->swallow = false;
		process_down(c);
		update_reading(c);
	}
	px_conn_unref(c);
}

static void hold_for_flush(struct px_conn *c, size_t n)
{
	c->held = true;
	c->held_n = n;
	c->flush_start = mono_us();
	c->refs++;
	update_reading(c);
	if (fng_logger_flush(c->px->cfg.logger, c->px->cfg.flush_ms, on_flushed, c) < 0)
		on_flushed(c, -ESHUTDOWN);
}

/* Bytes of a body: strict chunked framing (http-parser lets some bad
 * framing by that Go's reader rejects), then a whole request is counted. */
static bool body_ok(struct px_conn *c, const char *p, size_t n)
{
	const char *why = NULL;

	if (c->stage != ST_BODY)
		return true;
	if (c->chunked) {
		why = fng_rt_chunked_feed(&c->ck, p, n);
		if (!why && c->last_cb == CB_MESSAGE && !fng_rt_chunked_done(&c->ck))
			why = "chunked body ended early";
	}
	if (why) {
		px_refuse(c, why); /* the real API's request stays incomplete */
		return false;
	}
	if (c->last_cb == CB_MESSAGE)
		c->px->st.routes[c->route]++;
	return true;
}

static void process_down(struct px_conn *c)
{
	while (!c->held && !c->closing && !c->draining && !c->refusing && !c->up_replacing &&
	       c->in_off < c->in_len) {
		const char *p = c->in + c->in_off;
		size_t len = c->in_len - c->in_off, n;
		enum http_errno e;

		c->last_cb = CB_NONE;
		n = http_parser_execute(&c->rq, &rq_settings, p, len);
		e = HTTP_PARSER_ERRNO(&c->rq);
		if (e != HPE_OK && e != HPE_PAUSED) {
			px_refuse(c, http_errno_description(e)); /* not HTTP as http-parser reads it */
			return;
		}
		if (e == HPE_PAUSED)
			http_parser_pause(&c->rq, 0);
		if (!body_ok(c, p, n))
			return;
		if (c->last_cb == CB_MESSAGE && flushes(c->route)) {
			hold_for_flush(c, n);
			return;
		}
		segment(c, p, n);
		if (c->closing || c->draining || c->refusing)
			return;
		c->in_off += n;
		if (c->last_cb == CB_HEADERS)
			headers_complete(c, c->in_off < c->in_len ? c->in[c->in_off] : '\0');
		else if (c->last_cb == CB_MESSAGE)
			c->stage = ST_HEAD;
		else if (n == 0)
			break;
	}
	if (c->in_off == c->in_len)
		c->in_off = c->in_len = 0;
}

static void alloc_down(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	struct px_conn *c = h->data;

	(void)hint;
	/* Reading is stopped while bytes wait (held), so the buffer is free. */
	*buf = uv_buf_init(c->in + c->in_len, (unsigned)(sizeof(c->in) - c->in_len));
}

static void on_read_down(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct px_conn *c = s->data;

	(void)buf;
	if (n == UV_EOF) {
		px_peer_ended(c, false);
		return;
	}
	if (n < 0) {
		px_conn_close(c);
		return;
	}
	c->in_len += (size_t)n;
	process_down(c);
}


/* ---- setting up ---- */

void px_on_up_connected(uv_connect_t *req, int status)
{
	struct px_conn *c = req->data;

	if (c->closing)
		return;
	if (status < 0) {
		px_conn_close(c);
		return;
	}
	c->up_ok = true;
	uv_tcp_nodelay(&c->up, 1);
	if (c->up_replacing) {
		c->up_replacing = false;
		if (!px_fw_replaced(c))
			px_send_violation(c);
		process_down(c);
	}
	update_reading(c);
}

/* A new connection joins the proxy's list, which owns it from here: it
 * ends through px_conn_close. */
static void conn_start(struct fng_proxy *px, struct px_conn *c)
{
	c->px = px;
	c->refs = 2;
	uv_tcp_init(px->loop, &c->down);
	uv_tcp_init(px->loop, &c->up);
	c->down.data = c->up.data = c;
	px->busy++;
	px->n_conns++;
	c->next = px->conns;
	if (c->next)
		c->next->pprev = &c->next;
	c->pprev = &px->conns;
	px->conns = c;
	px->st.connections++;
	http_parser_init(&c->rq, HTTP_REQUEST);
	http_parser_init(&c->rs, HTTP_RESPONSE);
	c->rq.data = c->rs.data = c;
	if (uv_accept((uv_stream_t *)&px->listener, (uv_stream_t *)&c->down) < 0) {
		px_conn_close(c);
		return;
	}
	uv_tcp_nodelay(&c->down, 1);
	c->creq.data = c;
	if (uv_tcp_connect(&c->creq, &c->up, (const struct sockaddr *)&px->up_addr, px_on_up_connected) < 0)
		px_conn_close(c);
}

static void on_rejected_closed(uv_handle_t *h)
{
	struct fng_proxy *px = h->data;

	free(h);
	px_release(px);
}

/* Over the cap: accept and close at once (the runtime sees the connection
 * end), said once per burst. */
static void reject_conn(struct fng_proxy *px)
{
	uv_tcp_t *t = malloc(sizeof(*t));

	if (!t || uv_tcp_init(px->loop, t) < 0) {
		free(t);
		return;
	}
	t->data = px;
	px->busy++;
	if (uv_accept((uv_stream_t *)&px->listener, (uv_stream_t *)t) == 0) {
		if (!px->conn_cap_said) {
			char why[96];
			snprintf(why, sizeof(why), "a connection over the cap of %d open at once", PX_CONN_MAX);
			px->conn_cap_said = true;
			px_refused_event(px, why, NULL);
		} else {
			px->st.refused++;
		}
	}
	uv_close((uv_handle_t *)t, on_rejected_closed);
}

void px_conn_accept(struct fng_proxy *px)
{
	autofree struct px_conn *c = NULL;

	if (px->stopping)
		return;
	if (px->n_conns >= PX_CONN_MAX) {
		reject_conn(px);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return;
	c->head = malloc(PX_HEAD_MAX);
	if (!c->head)
		return;
	conn_start(px, fng_steal_ptr(&c));
}
