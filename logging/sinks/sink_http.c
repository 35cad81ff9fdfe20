/* http:// and https:// sinks: batched NDJSON POSTs (or one JSON object per
 * POST: URL#batch=1, and Iron Function's api_endpoint) through libcurl's multi
 * interface, driven by the logging thread's libuv loop (uv_poll for curl's
 * sockets, a uv_timer for its timeouts). One request in flight at a time, so
 * the collector sees events in order; while it is in flight the next batch
 * gathers in the queue. A failed request (no connection, timeout, 5xx, 408,
 * 429) is retried with exponential backoff; after the last retry its events
 * are dropped and counted. TLS certificates and host names are verified. */
#include "logging/sinks/sink.h"
#include "common/util.h"

#include "logging/sinks/curl_dl.h"
#include <stdio.h>

#ifndef FNG_VERSION
#define FNG_VERSION "0.0.0"
#endif

#define BATCH_LINES 500
#define BATCH_BYTES (1u << 20)
#define MAX_RETRIES 3		/* so at most 4 attempts per batch */
#define BACKOFF_FIRST_MS 250
#define BACKOFF_MAX_MS 8000
#define CONNECT_TIMEOUT_MS 3000
#define REQUEST_TIMEOUT_MS 10000

struct http_poll {
	uv_poll_t poll;
	curl_socket_t fd;
	struct fng_sink *s;
	struct http_poll *next;
};

struct http_sink {
	const struct fng_curl *cu;	/* the owner's libcurl */
	CURLM *multi;
	CURL *easy;
	struct curl_slist *headers;
	uv_timer_t timer;	/* curl's timeout */
	uv_timer_t backoff;	/* delay before the next attempt */
	struct http_poll *polls;
	char *body;
	size_t body_len, batch_lines;
	bool in_flight, waiting;
	unsigned attempt;
	uint64_t backoff_ms;
	int open_handles;
	bool closing;
	char errbuf[CURL_ERROR_SIZE];
};

static void send_batch(struct fng_sink *s);
static void http_kick(struct fng_sink *s);

static void handle_closed(struct fng_sink *s)
{
	struct http_sink *h = s->priv;

	if (--h->open_handles == 0 && h->closing)
		fng_sink_closed(s);
}

static void on_timer_closed(uv_handle_t *hd)
{
	handle_closed(hd->data);
}

static void on_poll_closed(uv_handle_t *hd)
{
	struct http_poll *p = hd->data;
	struct fng_sink *s = p->s;

	free(p);
	handle_closed(s);
}

static void close_poll(struct http_sink *h, struct http_poll *p)
{
	for (struct http_poll **pp = &h->polls; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	uv_poll_stop(&p->poll);
	uv_close((uv_handle_t *)&p->poll, on_poll_closed);
}

static size_t discard(char *ptr, size_t size, size_t n, void *arg)
{
	(void)ptr;
	(void)arg;
	return size * n;
}

static bool retryable(CURLcode rc, long status)
{
	if (rc != CURLE_OK)
		return true;	/* no connection, timeout, TLS handshake, reset ... */
	return status >= 500 || status == 408 || status == 429;
}

static void on_backoff(uv_timer_t *t)
{
	struct fng_sink *s = t->data;
	struct http_sink *h = s->priv;

	h->waiting = false;
	if (h->batch_lines)
		send_batch(s);
	else
		http_kick(s);
}

static void wait_backoff(struct fng_sink *s)
{
	struct http_sink *h = s->priv;

	h->backoff_ms = fng_backoff_next(h->backoff_ms, BACKOFF_FIRST_MS, BACKOFF_MAX_MS);
	h->waiting = true;
	uv_timer_start(&h->backoff, on_backoff, h->backoff_ms, 0);
}

static void finished(struct fng_sink *s, CURLcode rc)
{
	struct http_sink *h = s->priv;
	long status = 0;

	h->cu->easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &status);
	h->cu->multi_remove_handle(h->multi, h->easy);
	h->in_flight = false;
	if (rc == CURLE_OK && status >= 200 && status < 300) {
		fng_sink_pop(s, h->batch_lines, true);
		h->batch_lines = 0;
		h->backoff_ms = 0;
		fng_sink_recovered(s);
		http_kick(s);
		return;
	}
	if (rc != CURLE_OK)
		fng_sink_fail(s, "%s", h->errbuf[0] ? h->errbuf : h->cu->easy_strerror(rc));
	else
		fng_sink_fail(s, "the collector answered HTTP %ld", status);
	if (retryable(rc, status) && h->attempt <= MAX_RETRIES) {
		s->st.retries++;
		h->attempt++;
		wait_backoff(s);
		return;
	}
	/* Out of retries, or a refusal that retrying cannot fix: drop, counted. */
	fng_sink_pop(s, h->batch_lines, false);
	h->batch_lines = 0;
	if (retryable(rc, status))
		wait_backoff(s);	/* do not hammer a dead collector with the next batch */
	else
		http_kick(s);
}

static void check_done(struct fng_sink *s)
{
	struct http_sink *h = s->priv;
	CURLMsg *m;
	int left;

	while ((m = h->cu->multi_info_read(h->multi, &left))) {
		if (m->msg == CURLMSG_DONE && m->easy_handle == h->easy)
			finished(s, m->data.result);
	}
}

static void on_poll(uv_poll_t *hd, int status, int events)
{
	struct http_poll *p = hd->data;
	struct http_sink *h = p->s->priv;
	int flags = 0, running;

	if (status < 0)
		flags = CURL_CSELECT_ERR;
	if (events & UV_READABLE)
		flags |= CURL_CSELECT_IN;
	if (events & UV_WRITABLE)
		flags |= CURL_CSELECT_OUT;
	h->cu->multi_socket_action(h->multi, p->fd, flags, &running);
	check_done(p->s);
}

static int on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct fng_sink *s = userp;
	struct http_sink *h = s->priv;
	struct http_poll *p = socketp;
	int events = 0;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (p) {
			close_poll(h, p);
			h->cu->multi_assign(h->multi, fd, NULL);
		}
		return 0;
	}
	if (!p) {
		autofree struct http_poll *np = calloc(1, sizeof(*np));

		if (!np || uv_poll_init_socket(s->loop, &np->poll, fd) < 0)
			return -1;
		p = fng_steal_ptr(&np);
		p->fd = fd;
		p->s = s;
		p->poll.data = p;
		p->next = h->polls;
		h->polls = p;
		h->open_handles++;
		h->cu->multi_assign(h->multi, fd, p);
	}
	if (what & CURL_POLL_IN)
		events |= UV_READABLE;
	if (what & CURL_POLL_OUT)
		events |= UV_WRITABLE;
	uv_poll_start(&p->poll, events, on_poll);
	return 0;
}

static void on_curl_timeout(uv_timer_t *t)
{
	struct fng_sink *s = t->data;
	struct http_sink *h = s->priv;
	int running;

	h->cu->multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(s);
}

static int on_timer(CURLM *multi, long timeout_ms, void *userp)
{
	struct fng_sink *s = userp;
	struct http_sink *h = s->priv;

	(void)multi;
	if (timeout_ms < 0)
		uv_timer_stop(&h->timer);
	else
		uv_timer_start(&h->timer, on_curl_timeout, (uint64_t)timeout_ms, 0);
	return 0;
}

static void send_batch(struct fng_sink *s)
{
	struct http_sink *h = s->priv;
	CURLMcode mc;

	h->errbuf[0] = '\0';
	h->cu->easy_setopt(h->easy, CURLOPT_POSTFIELDS, h->body);
	h->cu->easy_setopt(h->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)h->body_len);
	mc = h->cu->multi_add_handle(h->multi, h->easy);
	if (mc != CURLM_OK) {
		fng_sink_fail(s, "cannot start a request: %s", h->cu->multi_strerror(mc));
		fng_sink_pop(s, h->batch_lines, false);
		h->batch_lines = 0;
		wait_backoff(s);
		return;
	}
	h->in_flight = true;
}

static void http_kick(struct fng_sink *s)
{
	struct http_sink *h = s->priv;
	size_t n = 0, bytes = 0, max = s->spec.one_per_request ? 1 : BATCH_LINES;
	char *body;

	if (h->in_flight || h->waiting || h->closing || h->batch_lines || s->q_len == 0)
		return;
	for (struct fng_line *l; n < max && (l = fng_sink_at(s, n)) && (n == 0 || bytes + l->len <= BATCH_BYTES); n++)
		bytes += l->len;
	body = realloc(h->body, bytes + 1);
	if (!body) {
		fng_sink_pop(s, n, false);
		return;
	}
	h->body = body;
	h->body_len = 0;
	for (size_t i = 0; i < n; i++) {
		struct fng_line *l = fng_sink_at(s, i);
		memcpy(h->body + h->body_len, l->data, l->len);
		h->body_len += l->len;
	}
	h->batch_lines = n;
	h->attempt = 1;
	send_batch(s);
}

static int http_start(struct fng_sink *s, char *err, size_t errn)
{
	struct http_sink *h = s->priv;

	h->cu = s->owner.curl;
	h->multi = h->cu->multi_init();
	h->easy = h->cu->easy_init();
	/* One object per request (#batch=1, Iron Function's api_endpoint) is
	 * plain JSON, as falcosidekick and Iron Function's receivers read it. */
	h->headers = h->cu->slist_append(NULL, s->spec.one_per_request ? "Content-Type: application/json"
								       : "Content-Type: application/x-ndjson");
	if (h->headers)
		h->headers = h->cu->slist_append(h->headers, "Expect:");
	if (!h->multi || !h->easy || !h->headers) {
		snprintf(err, errn, "%s: cannot set up libcurl", s->name);
		return -ENOMEM;
	}
	h->cu->multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	h->cu->multi_setopt(h->multi, CURLMOPT_SOCKETDATA, s);
	h->cu->multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	h->cu->multi_setopt(h->multi, CURLMOPT_TIMERDATA, s);
	if (h->cu->easy_setopt(h->easy, CURLOPT_URL, s->spec.target) != CURLE_OK ||
	    h->cu->easy_setopt(h->easy, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK) {
		snprintf(err, errn, "%s: libcurl does not accept this URL", s->name);
		return -EINVAL;
	}
	h->cu->easy_setopt(h->easy, CURLOPT_POST, 1L);
	h->cu->easy_setopt(h->easy, CURLOPT_HTTPHEADER, h->headers);
	h->cu->easy_setopt(h->easy, CURLOPT_USERAGENT, "fnguard/" FNG_VERSION);
	h->cu->easy_setopt(h->easy, CURLOPT_NOSIGNAL, 1L);
	h->cu->easy_setopt(h->easy, CURLOPT_CONNECTTIMEOUT_MS, (long)CONNECT_TIMEOUT_MS);
	h->cu->easy_setopt(h->easy, CURLOPT_TIMEOUT_MS, (long)REQUEST_TIMEOUT_MS);
	h->cu->easy_setopt(h->easy, CURLOPT_SSL_VERIFYPEER, 1L);
	h->cu->easy_setopt(h->easy, CURLOPT_SSL_VERIFYHOST, 2L);
	h->cu->easy_setopt(h->easy, CURLOPT_WRITEFUNCTION, discard);
	h->cu->easy_setopt(h->easy, CURLOPT_ERRORBUFFER, h->errbuf);
	uv_timer_init(s->loop, &h->timer);
	uv_timer_init(s->loop, &h->backoff);
	h->timer.data = h->backoff.data = s;
	h->open_handles = 2;
	return 0;
}

static bool http_ready(struct fng_sink *s)
{
	struct http_sink *h = s->priv;

	return !s->failing && !h->waiting;
}

static size_t http_inflight(struct fng_sink *s)
{
	return ((struct http_sink *)s->priv)->batch_lines;
}

static void http_close(struct fng_sink *s)
{
	struct http_sink *h = s->priv;

	if (h->closing)
		return;
	h->closing = true;
	if (h->in_flight)
		h->cu->multi_remove_handle(h->multi, h->easy);	/* its lines stay queued */
	h->in_flight = false;
	h->batch_lines = 0;
	h->cu->easy_cleanup(h->easy);
	h->cu->multi_cleanup(h->multi);
	h->cu->slist_free_all(h->headers);
	free(h->body);
	h->easy = NULL;
	h->multi = NULL;
	while (h->polls)
		close_poll(h, h->polls);
	uv_timer_stop(&h->timer);
	uv_timer_stop(&h->backoff);
	uv_close((uv_handle_t *)&h->timer, on_timer_closed);
	uv_close((uv_handle_t *)&h->backoff, on_timer_closed);
}



const struct fng_sink_ops fng_sink_http_ops = {
	.priv_size = sizeof(struct http_sink),
	.start = http_start,
	.kick = http_kick,
	.ready = http_ready,
	.inflight = http_inflight,
	.close = http_close,
};
