/* The Runtime API proxy: listener, start and stop across threads, and the
 * table of invocations in flight that the tracer sees through
 * tracer/lambda.h. The relay itself is proxy_conn.c. */
#include "supervisor/lambda/proxy_internal.h"
#include "common/clock.h"
#include "common/hostport.h"
#include "common/util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void publish(struct fng_proxy *px)
{
	fng_lambda_publish(px->cfg.state, (uint32_t)px->n_inv, px->n_inv ? px->inv[0].id : NULL,
			   px->n_inv ? px->inv[0].trace : NULL);
}

static struct px_inv *inv_find(struct fng_proxy *px, const char *id)
{
	for (size_t i = 0; i < px->n_inv; i++)
		if (strcmp(px->inv[i].id, id) == 0)
			return &px->inv[i];
	return NULL;
}

/* The table grows as the real API hands out invocations; none is dropped.
 * If memory runs out the invocation is not tracked, and an untracked id
 * counts as violated (px_inv_violated): fail closed. */
void px_inv_start(struct fng_proxy *px, const char *id, const char *trace)
{
	struct px_inv *v = inv_find(px, id);

	if (!v) {
		if (px->n_inv == px->cap_inv) {
			size_t cap = px->cap_inv ? px->cap_inv * 2 : PX_INV_FIRST;
			struct px_inv *t = reallocarray(px->inv, cap, sizeof(*t));
			if (!t)
				return;
			px->inv = t;
			px->cap_inv = cap;
		}
		v = &px->inv[px->n_inv++];
		px->st.invocations++;
	}
	fng_strlcpy(v->id, id, sizeof(v->id));
	fng_strlcpy(v->trace, trace, sizeof(v->trace));
	v->blocked_at = atomic_load(&px->counters->blocked);
	publish(px);
}

void px_inv_end(struct fng_proxy *px, const char *id)
{
	struct px_inv *v = inv_find(px, id);

	if (!v)
		return;
	*v = px->inv[--px->n_inv];
	publish(px);
}

bool px_inv_violated(struct fng_proxy *px, const char *id)
{
	struct px_inv *v = inv_find(px, id);

	return !v || atomic_load(&px->counters->blocked) > v->blocked_at;
}

/* A network event with policy "lambda", action blocked, made on the logging
 * thread; it counts as a block, so the invocation in flight fails too. */
void px_refused_event(struct fng_proxy *px, const char *why, const char *target)
{
	struct fng_event *ev = calloc(1, sizeof(*ev));

	px->st.refused++;
	atomic_fetch_add(&px->counters->blocked, 1);
	if (!ev || !px->cfg.logger)
		goto out;
	ev->time_ns = fng_now_ns();
	ev->type = FNG_EV_NETWORK;
	ev->action = FNG_ACT_BLOCKED;
	fng_strlcpy(ev->rule, "lambda", sizeof(ev->rule));
	fng_strlcpy(ev->mode, "block", sizeof(ev->mode));
	fng_strlcpy(ev->protocol, "http", sizeof(ev->protocol));
	fng_strlcpy(ev->ip, "127.0.0.1", sizeof(ev->ip));
	snprintf(ev->reason, sizeof(ev->reason), "Runtime API proxy refused: %s", why);
	if (target)
		fng_strlcpy(ev->path, target, sizeof(ev->path));
	ev->fn_phase = atomic_load(&px->cfg.state->init_done) ? FNG_FN_PHASE_INVOKE : FNG_FN_PHASE_INIT;
	if (px->n_inv == 1) {
		fng_strlcpy(ev->request_id, px->inv[0].id, sizeof(ev->request_id));
		fng_strlcpy(ev->trace_id, px->inv[0].trace, sizeof(ev->trace_id));
	}
	fng_logger_own_event(px->cfg.logger, ev);
out:
	free(ev);
}

struct fng_event *px_payload_event(struct fng_proxy *px, uint8_t type, const char *rule, bool block, bool would,
				   const char *request_id)
{
	struct fng_event *ev;

	atomic_fetch_add(block ? &px->counters->blocked : &px->counters->alerted, 1);
	if (!px->cfg.logger)
		return NULL;
	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return NULL;
	ev->time_ns = fng_now_ns();
	ev->type = type;
	ev->action = block ? FNG_ACT_BLOCKED : would ? FNG_ACT_ALLOWED : FNG_ACT_ALERTED;
	ev->would = would ? FNG_ACT_BLOCKED : 0;
	fng_strlcpy(ev->rule, rule, sizeof(ev->rule));
	ev->fn_phase = FNG_FN_PHASE_INVOKE;
	fng_strlcpy(ev->request_id, request_id, sizeof(ev->request_id));
	return ev;
}

void px_release(struct fng_proxy *px)
{
	if (--px->busy == 0 && px->stopping)
		uv_sem_post(&px->sem);
}

static void on_handle_closed(uv_handle_t *h)
{
	px_release(h->data);
}

static void on_connection(uv_stream_t *server, int status)
{
	if (status == 0)
		px_conn_accept(server->data);
}

static void on_stop(uv_async_t *a)
{
	struct fng_proxy *px = a->data;

	px->stopping = true;
	px->busy++; /* held while closing, so the semaphore is posted once */
	uv_close((uv_handle_t *)&px->listener, on_handle_closed);
	uv_close((uv_handle_t *)&px->stop_async, on_handle_closed);
	px_conn_close_all(px);
	px_release(px);
}

/* Runs on the logging thread (a flush request's callback is the way onto
 * its loop): take the listening socket into libuv. */
static void on_loop(void *arg, int status)
{
	struct fng_proxy *px = arg;
	int r;

	(void)status;
	px->loop = px->cfg.logger ? (uv_loop_t *)fng_logger_loop(px->cfg.logger) : NULL;
	r = uv_tcp_init(px->loop, &px->listener);
	if (r == 0) {
		px->listener.data = px;
		px->busy++;
		r = uv_tcp_open(&px->listener, px->listen_fd);
		if (r == 0)
			px->listen_fd = -1; /* libuv owns it now */
		if (r == 0)
			r = uv_listen((uv_stream_t *)&px->listener, 128, on_connection);
		if (r == 0)
			r = uv_async_init(px->loop, &px->stop_async, on_stop);
		if (r == 0) {
			px->stop_async.data = px;
			px->busy++;
		} else {
			px->stopping = true;
			px->busy++;
			uv_close((uv_handle_t *)&px->listener, on_handle_closed);
			px->start_result = r;
			px_release(px); /* posts the semaphore when the listener is closed */
			return;
		}
	}
	px->start_result = r;
	uv_sem_post(&px->sem);
}

static int listen_loopback(int *fd_out, uint16_t *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);
	autoclose int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(fd, 128) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) < 0)
		return -errno;
	*port = ntohs(sin.sin_port);
	*fd_out = fng_steal_fd(&fd);
	return 0;
}

/* Frees a proxy that is not (or no longer) running on the loop. */
static void px_free(struct fng_proxy *px)
{
	if (!px)
		return;
	fng_closep(&px->listen_fd);
	px_out_fini(px);
	free(px->inv);
	free(px);
}

static void px_freep(struct fng_proxy **px)
{
	px_free(*px);
}

int fng_proxy_start(struct fng_proxy **out, const struct fng_proxy_config *cfg, char *addr, size_t addrn, char *err,
		    size_t errn)
{
	__attribute__((cleanup(px_freep))) struct fng_proxy *px = calloc(1, sizeof(*px));
	uint16_t port = 0;
	int r;

	if (!px)
		return -ENOMEM;
	px->cfg = *cfg;
	px->listen_fd = -1;
	px->counters = fng_logger_counters(cfg->logger);
	if (fng_hostport_ip(cfg->upstream, &px->up_addr, NULL, NULL, NULL) < 0) {
		snprintf(err, errn, "AWS_LAMBDA_RUNTIME_API=%s: expected an address and port (127.0.0.1:9001)", cfg->upstream);
		return -EINVAL;
	}
	px_fw_init(px);
	if (px_out_init(px) < 0) {
		snprintf(err, errn, "Runtime API proxy: output inspection: out of memory");
		return -ENOMEM;
	}
	r = listen_loopback(&px->listen_fd, &port);
	if (r < 0) {
		snprintf(err, errn, "Runtime API proxy: cannot listen on 127.0.0.1: %s", strerror(-r));
		return r;
	}
	r = uv_sem_init(&px->sem, 0);
	if (r < 0) {
		snprintf(err, errn, "Runtime API proxy: %s", uv_strerror(r));
		return r;
	}
	r = fng_logger_flush(cfg->logger, 0, on_loop, px);
	if (r == 0) {
		uv_sem_wait(&px->sem);
		r = px->start_result;
	}
	if (r < 0) {
		snprintf(err, errn, "Runtime API proxy: cannot start: %s", strerror(-r));
		uv_sem_destroy(&px->sem);
		return r;
	}
	snprintf(addr, addrn, "127.0.0.1:%u", port);
	*out = fng_steal_ptr(&px);
	return 0;
}

void fng_proxy_stop(struct fng_proxy *px, struct fng_proxy_stats *stats)
{
	if (!px)
		return;
	uv_async_send(&px->stop_async);
	uv_sem_wait(&px->sem);
	uv_sem_destroy(&px->sem);
	if (stats)
		*stats = px->st;
	fng_lambda_publish(px->cfg.state, 0, NULL, NULL);
	px_free(px);
}
