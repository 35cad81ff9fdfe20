/* The proxy's responses, real Runtime API -> runtime: relayed as they come;
 * http-parser reads along for the request id and trace id of each `next`
 * answer, which start an invocation (proxy.c) before the runtime can read it. */
#include "supervisor/lambda/proxy_internal.h"
#include "common/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int rs_begin(http_parser *p)
{
	struct px_conn *c = p->data;

	fng_rt_hdr_reset(&c->rsh);
	c->rs_id[0] = c->rs_trace[0] = '\0';
	return 0;
}

static void rs_pair(const struct fng_rt_hdr *h, void *arg)
{
	struct px_conn *c = arg;

	if (fng_rt_header_is(h->name, h->nlen, "Lambda-Runtime-Aws-Request-Id"))
		fng_strlcpy(c->rs_id, h->value, sizeof(c->rs_id));
	else if (fng_rt_header_is(h->name, h->nlen, "Lambda-Runtime-Trace-Id"))
		fng_strlcpy(c->rs_trace, h->value, sizeof(c->rs_trace));
}

static int rs_field(http_parser *p, const char *at, size_t len)
{
	struct px_conn *c = p->data;

	fng_rt_hdr_name(&c->rsh, at, len, rs_pair, c);
	return 0;
}

static int rs_value(http_parser *p, const char *at, size_t len)
{
	fng_rt_hdr_value(&((struct px_conn *)p->data)->rsh, at, len);
	return 0;
}

static int rs_headers_done(http_parser *p)
{
	struct px_conn *c = p->data;

	fng_rt_hdr_finish(&c->rsh, rs_pair, c);
	/* Only the answer to a `next` carries a request id: no queue of the
	 * requests in flight is needed to know which answer is one. */
	if (p->status_code == 200 && c->rs_id[0])
		px_inv_start(c->px, c->rs_id, c->rs_trace);
	px_inputs_begin(c, p->status_code == 200 && c->rs_id[0]);
	return 0;
}

static int rs_body(http_parser *p, const char *at, size_t len)
{
	px_inputs_body(p->data, at, len);
	return 0;
}

static int rs_done(http_parser *p)
{
	px_inputs_end(p->data);
	return 0;
}

static const http_parser_settings rs_settings = {
	.on_message_begin = rs_begin,
	.on_header_field = rs_field,
	.on_header_value = rs_value,
	.on_headers_complete = rs_headers_done,
	.on_body = rs_body,
	.on_message_complete = rs_done,
};

const http_parser_settings *px_rs_settings(void)
{
	return &rs_settings;
}

/* The error in place of the request being replaced: an init error's
 * (output inspection blocked it) goes to init/error. */
void px_send_violation(struct px_conn *c)
{
	if (c->route == FNG_RT_INIT_ERROR)
		px_post_violation(c, NULL, "fnguard blocked this init error: its body holds data the policy forbids");
	else
		px_post_violation(c, c->id, "fnguard blocked an action of this invocation");
}

void px_post_violation(struct px_conn *c, const char *id, const char *message)
{
	char req[1024], body[256], path[FNG_RT_ID_MAX + 32];
	int bn, n;

	if (id)
		snprintf(path, sizeof(path), "invocation/%s/error", id);
	else
		fng_strlcpy(path, "init/error", sizeof(path));

	bn = snprintf(body, sizeof(body),
		      "{\"errorMessage\":\"%s\","
		      "\"errorType\":\"Function.SecurityViolation\"}", message);
	n = snprintf(req, sizeof(req),
		     "POST " FNG_RT_PREFIX "%s HTTP/1.1\r\n"
		     "Host: %s\r\n"
		     "Lambda-Runtime-Function-Error-Type: Function.SecurityViolation\r\n"
		     "Content-Type: application/json\r\n"
		     "Content-Length: %d\r\n\r\n%s",
		     path, c->px->cfg.upstream, bn, body);
	if (n > 0 && (size_t)n < sizeof(req))
		px_send(c, true, req, (size_t)n);
}

static void on_up_replaced(uv_handle_t *h)
{
	struct px_conn *c = h->data;

	if (c->closing) {
		px_conn_unref(c); /* px_conn_close left this handle to us */
		return;
	}
	uv_tcp_init(c->px->loop, &c->up);
	c->up.data = c;
	http_parser_init(&c->rs, HTTP_RESPONSE);
	c->rs.data = c;
	c->rs_broken = false;
	c->creq.data = c;
	if (uv_tcp_connect(&c->creq, &c->up, (const struct sockaddr *)&c->px->up_addr, px_on_up_connected) < 0)
		px_conn_close(c);
}

void px_replace_up(struct px_conn *c)
{
	c->up_ok = false;
	c->up_bp = false;
	c->up_replacing = true;
	c->up_gen++;
	uv_read_stop((uv_stream_t *)&c->up);
	uv_close((uv_handle_t *)&c->up, on_up_replaced);
}

static void on_up_shut(uv_shutdown_t *req, int status)
{
	(void)req;
	(void)status;
}

/* Answer 400 and end the connection; nothing of the request reaches the
 * real API. A request refused at its head waits for the answers to the
 * requests before it (the real API's side is shut for writing and read to
 * its end: pipelined answers keep their order); one refused in its body
 * (the real API holds part of it) ends the connection at once. */
void px_refuse(struct px_conn *c, const char *why)
{
	char resp[512];
	int bn = (int)strlen("fnguard: Runtime API request refused: \n") + (int)strlen(why);
	int n = snprintf(resp, sizeof(resp),
			 "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
			 "Connection: close\r\n\r\nfnguard: Runtime API request refused: %s\n",
			 bn, why);

	px_refused_event(c->px, why, c->stage == ST_HEAD ? c->url : NULL);
	if (n <= 0 || (size_t)n >= sizeof(resp)) {
		px_conn_close(c);
		return;
	}
	if (c->stage == ST_HEAD && c->up_ok && !c->up_replacing && !c->closing && !c->draining && !c->refusing) {
		c->refusal = strdup(resp);
		c->up_sreq.data = c;
		if (c->refusal && uv_shutdown(&c->up_sreq, (uv_stream_t *)&c->up, on_up_shut) == 0) {
			c->refusing = true;
			uv_read_stop((uv_stream_t *)&c->down);
			return;
		}
	}
	px_send(c, false, resp, (size_t)n);
	px_drain_down(c);
}

void px_refusal_due(struct px_conn *c)
{
	c->refusing = false;
	if (c->refusal)
		px_send(c, false, c->refusal, strlen(c->refusal));
	px_drain_down(c);
}

void px_alloc_up(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	(void)h;
	(void)hint;
	buf->base = malloc(PX_IN_SIZE);
	buf->len = buf->base ? PX_IN_SIZE : 0;
}

void px_on_read_up(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct px_conn *c = s->data;
	autofree char *base = buf->base;

	if (n < 0) {
		if (n == UV_EOF)
			px_peer_ended(c, true);
		else
			px_conn_close(c);
		return;
	}
	if (c->px->fw_on) {
		px_fw_read_up(c, base, (size_t)n);
		return;
	}
	/* Bookkeeping first: the invocation is published before the runtime
	 * can read its event. A parse error stops the bookkeeping, not the relay. */
	if (n > 0 && !c->rs_broken) {
		http_parser_execute(&c->rs, &rs_settings, base, (size_t)n);
		if (HTTP_PARSER_ERRNO(&c->rs) != HPE_OK)
			c->rs_broken = true;
	}
	px_send(c, false, base, (size_t)n);
}
