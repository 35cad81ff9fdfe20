/* The proxy's responses, real Runtime API -> runtime: relayed as they come;
 * http-parser reads along for the request id and trace id of each `next`
 * answer, which start an invocation (proxy.c) before the runtime can read it. */
#include "supervisor/lambda/proxy_internal.h"
#include "common/util.h"

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
	if (p->status_code >= 200 && c->pend_n && c->pend[0] == FNG_RT_NEXT && p->status_code == 200 && c->rs_id[0])
		px_inv_start(c->px, c->rs_id, c->rs_trace);
	return 0;
}

static int rs_message_done(http_parser *p)
{
	struct px_conn *c = p->data;

	if (p->status_code >= 200 && c->pend_n) {
		memmove(c->pend, c->pend + 1, (c->pend_n - 1) * sizeof(c->pend[0]));
		c->pend_n--;
	}
	return 0;
}

static const http_parser_settings rs_settings = {
	.on_message_begin = rs_begin,
	.on_header_field = rs_field,
	.on_header_value = rs_value,
	.on_headers_complete = rs_headers_done,
	.on_message_complete = rs_message_done,
};

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
	/* Bookkeeping first: the invocation is published before the runtime
	 * can read its event. A parse error stops the bookkeeping, not the relay. */
	if (n > 0 && !c->rs_broken) {
		http_parser_execute(&c->rs, &rs_settings, base, (size_t)n);
		if (HTTP_PARSER_ERRNO(&c->rs) != HPE_OK)
			c->rs_broken = true;
	}
	px_send(c, false, base, (size_t)n);
}
