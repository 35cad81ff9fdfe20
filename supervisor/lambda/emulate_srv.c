/* fnguard emulate's Runtime API server: one http-parser per connection,
 * the proxy's route and header code; hands the events out, records and
 * prints the answers (docs/cli.md, "fnguard emulate"). */
#include "supervisor/lambda/emulate_internal.h"
#include "common/clock.h"
#include "common/util.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static void conn_freed(uv_handle_t *h)
{
	struct emu_conn *c = h->data;

	free(c->body);
	free(c);
}

static void conn_close(struct emu_conn *c)
{
	if (c->closing)
		return;
	c->closing = true;
	*c->pprev = c->next;
	if (c->next)
		c->next->pprev = c->pprev;
	uv_close((uv_handle_t *)&c->h, conn_freed);
}

static void on_sent(uv_write_t *req, int status)
{
	(void)status;
	free(req);
}

static void reply(struct emu_conn *c, int code, const char *reason, const char *extra, const char *body, size_t n)
{
	char head[2048];
	int hn = snprintf(head, sizeof(head), "HTTP/1.1 %d %s\r\n%sContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
			  code, reason, extra ? extra : "", n);
	autofree uv_write_t *req = NULL;
	char *buf;
	uv_buf_t b;

	if (c->closing || hn <= 0 || (size_t)hn >= sizeof(head))
		return;
	req = malloc(sizeof(*req) + (size_t)hn + n);
	if (!req) {
		conn_close(c);
		return;
	}
	buf = (char *)(req + 1);
	memcpy(buf, head, (size_t)hn);
	memcpy(buf + hn, body, n);
	b = uv_buf_init(buf, (unsigned)((size_t)hn + n));
	if (uv_write(req, (uv_stream_t *)&c->h, &b, 1, on_sent) < 0) {
		conn_close(c);
		return;
	}
	fng_steal_ptr(&req); /* on_sent frees it */
}

static void reply_json(struct emu_conn *c, int code, const char *reason, const char *json)
{
	reply(c, code, reason, NULL, json, strlen(json));
}

static void hand_out(struct emu *e, struct emu_conn *c)
{
	size_t i = e->next++;
	struct emu_inv *v = &e->inv[i];
	char extra[1024];
	uint64_t now_ns = fng_now_ns();

	fng_emu_ids(v->id, sizeof(v->id), v->trace, sizeof(v->trace), now_ns / 1000000000u);
	snprintf(extra, sizeof(extra),
		 "Lambda-Runtime-Aws-Request-Id: %s\r\n"
		 "Lambda-Runtime-Deadline-Ms: %llu\r\n"
		 "Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:000000000000:function:fnguard-emulate\r\n"
		 "Lambda-Runtime-Trace-Id: %s\r\n",
		 v->id, (unsigned long long)(now_ns / 1000000u) + 900000ull,
		 v->trace);
	reply(c, 200, "OK", extra, e->events[i], e->event_len[i]);
}

static struct emu_inv *find_inv(struct emu *e, const char *id, size_t *index)
{
	for (size_t i = 0; i < e->next; i++) {
		if (strcmp(e->inv[i].id, id) == 0) {
			*index = i;
			return &e->inv[i];
		}
	}
	return NULL;
}

static void answered(struct emu_conn *c, const char *id, bool error)
{
	struct emu *e = c->e;
	struct fng_emu_result res = { 0 };
	struct emu_inv *v;
	size_t i;

	v = find_inv(e, id, &i);
	if (!v || v->answered) {
		reply_json(c, 400, "Bad Request",
			   "{\"errorMessage\":\"unknown or already answered request id\",\"errorType\":\"InvalidRequestID\"}");
		return;
	}
	v->answered = true;
	res.index = i;
	res.request_id = v->id;
	res.status = error ? "error" : "success";
	res.error_type = error ? (c->err_type[0] ? c->err_type : "Runtime.Unknown") : NULL;
	res.streamed = c->streaming;
	res.body = c->body ? c->body : "";
	res.len = c->body_len;
	fng_emu_print(stdout, &res);
	if (error)
		e->failed = true;
	e->answered++;
	reply_json(c, 202, "Accepted", "{\"status\":\"OK\"}");
	if (e->answered == e->n_events)
		emu_finish(e);
}

static void handle(struct emu_conn *c)
{
	struct emu *e = c->e;
	char id[FNG_RT_ID_MAX];
	enum fng_rt_route r = c->url_cut ? FNG_RT_OTHER : fng_rt_route(c->url, c->url_len, id, sizeof(id));

	if (c->too_big) {
		reply_json(c, 413, "Payload Too Large", "{\"errorMessage\":\"body too large\",\"errorType\":\"RequestEntityTooLarge\"}");
		return;
	}
	switch (r) {
	case FNG_RT_NEXT:
		if (e->finishing)
			return; /* closed with everything else */
		if (e->next < e->n_events)
			hand_out(e, c);
		/* else: no more events, the request waits, as Lambda's does */
		return;
	case FNG_RT_RESPONSE:
		answered(c, id, false);
		return;
	case FNG_RT_ERROR:
		answered(c, id, true);
		return;
	case FNG_RT_INIT_ERROR: {
		struct fng_emu_result res = { .index = 0, .status = "init_error",
					      .error_type = c->err_type[0] ? c->err_type : "Runtime.Unknown",
					      .body = c->body ? c->body : "", .len = c->body_len };
		fng_emu_print(stdout, &res);
		e->init_failed = true;
		reply_json(c, 202, "Accepted", "{\"status\":\"OK\"}");
		emu_finish(e);
		return;
	}
	default:
		reply_json(c, 404, "Not Found", "{\"errorMessage\":\"not a Runtime API route\",\"errorType\":\"NotFound\"}");
	}
}

static int on_begin(http_parser *p)
{
	struct emu_conn *c = p->data;

	c->url_len = 0;
	c->url_cut = c->streaming = c->too_big = false;
	c->err_type[0] = '\0';
	c->body_len = 0;
	fng_rt_hdr_reset(&c->hdr);
	return 0;
}

static int on_url(http_parser *p, const char *at, size_t len)
{
	struct emu_conn *c = p->data;

	fng_rt_append(c->url, sizeof(c->url), &c->url_len, at, len, &c->url_cut);
	return 0;
}

static void pair(const struct fng_rt_hdr *h, void *arg)
{
	struct emu_conn *c = arg;

	if (fng_rt_header_is(h->name, h->nlen, "Lambda-Runtime-Function-Error-Type"))
		fng_strlcpy(c->err_type, h->value, sizeof(c->err_type));
	else if (fng_rt_header_is(h->name, h->nlen, "Lambda-Runtime-Function-Response-Mode"))
		c->streaming = strcasecmp(h->value, "streaming") == 0;
}

static int on_field(http_parser *p, const char *at, size_t len)
{
	struct emu_conn *c = p->data;

	fng_rt_hdr_name(&c->hdr, at, len, pair, c);
	return 0;
}

static int on_value(http_parser *p, const char *at, size_t len)
{
	fng_rt_hdr_value(&((struct emu_conn *)p->data)->hdr, at, len);
	return 0;
}

static int on_headers(http_parser *p)
{
	struct emu_conn *c = p->data;

	fng_rt_hdr_finish(&c->hdr, pair, c);
	return 0;
}

static int on_body(http_parser *p, const char *at, size_t len)
{
	struct emu_conn *c = p->data;

	if (c->too_big || len > EMU_BODY_MAX - c->body_len) {
		c->too_big = true;
		return 0;
	}
	if (c->body_len + len > c->body_cap) {
		size_t cap = c->body_cap ? c->body_cap : 4096;
		char *b;
		while (cap < c->body_len + len)
			cap *= 2;
		b = realloc(c->body, cap + 1);
		if (!b) {
			c->too_big = true;
			return 0;
		}
		c->body = b;
		c->body_cap = cap;
	}
	memcpy(c->body + c->body_len, at, len);
	c->body_len += len;
	return 0;
}

static int on_complete(http_parser *p)
{
	handle(p->data);
	return 0;
}

static const http_parser_settings emu_settings = {
	.on_message_begin = on_begin,
	.on_url = on_url,
	.on_header_field = on_field,
	.on_header_value = on_value,
	.on_headers_complete = on_headers,
	.on_body = on_body,
	.on_message_complete = on_complete,
};

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	(void)h;
	(void)hint;
	buf->base = malloc(64 * 1024);
	buf->len = buf->base ? 64 * 1024 : 0;
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct emu_conn *c = s->data;

	if (n < 0) {
		conn_close(c);
	} else if (n > 0) {
		size_t done = http_parser_execute(&c->p, &emu_settings, buf->base, (size_t)n);
		if (!c->closing && (done != (size_t)n || HTTP_PARSER_ERRNO(&c->p) != HPE_OK))
			conn_close(c);
	}
	free(buf->base);
}

void emu_on_connection(uv_stream_t *server, int status)
{
	struct emu *e = server->data;
	struct emu_conn *c;

	if (status < 0 || e->finishing)
		return;
	c = calloc(1, sizeof(*c));
	if (!c)
		return;
	c->e = e;
	uv_tcp_init(&e->loop, &c->h);
	c->h.data = c;
	c->next = e->conns;
	if (c->next)
		c->next->pprev = &c->next;
	c->pprev = &e->conns;
	e->conns = c;
	http_parser_init(&c->p, HTTP_REQUEST);
	c->p.data = c;
	if (uv_accept(server, (uv_stream_t *)&c->h) < 0) {
		conn_close(c);
		return;
	}
	uv_tcp_nodelay(&c->h, 1);
	uv_read_start((uv_stream_t *)&c->h, on_alloc, on_read);
}

/* ---- the runtime ---- */

void emu_close_conns(struct emu *e)
{
	while (e->conns)
		conn_close(e->conns);
}

