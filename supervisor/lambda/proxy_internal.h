/* The proxy's insides, shared by proxy.c (listener, invocations, start and
 * stop) and proxy_conn.c (one runtime connection and its upstream twin).
 * Everything here belongs to the logging thread's loop. */
#ifndef FNG_PROXY_INTERNAL_H
#define FNG_PROXY_INTERNAL_H

#include "supervisor/lambda/proxy.h"
#include "supervisor/lambda/rtapi.h"

#include <http_parser.h>
#include <sys/socket.h>
#include <uv.h>

#define PX_IN_SIZE (64 * 1024)		/* one read from the runtime */
#define PX_HEAD_MAX (64 * 1024)		/* a request head, held until it is complete */
#define PX_QUEUE_HIGH (1024 * 1024)	/* stop reading a side while its peer has this much queued */
#define PX_QUEUE_LOW (256 * 1024)	/* ... and read again below this */
#define PX_CONN_MAX 64			/* runtime connections at once (two descriptors each) */
#define PX_INV_FIRST 16			/* invocation table: first size, doubled as needed */

struct px_inv {
	char id[FNG_RT_ID_MAX];
	char trace[FNG_TRACE_ID_MAX];
	uint64_t blocked_at;		/* counters->blocked when it started */
};

struct px_conn;

struct fng_proxy {
	struct fng_proxy_config cfg;
	struct sockaddr_storage up_addr;
	struct fng_counters *counters;
	int listen_fd;
	uv_loop_t *loop;
	uv_tcp_t listener;
	uv_async_t stop_async;
	uv_sem_t sem;
	int start_result;
	unsigned busy;			/* open handles and live connections */
	bool stopping;
	struct px_conn *conns;
	unsigned n_conns;
	bool conn_cap_said;		/* the connection cap event of this burst was emitted */
	struct px_inv *inv;
	size_t n_inv, cap_inv;
	struct fng_proxy_stats st;
	struct fng_outscan_rules out_rules;	/* output inspection (proxy_out.c), when out_on */
	bool out_on;
	char *out_secret[FNG_OUT_SECRETS];
	bool fw_on;				/* input firewall (proxy_fw.c) */
	http_parser_settings fw_settings;
};

/* proxy.c: invocations in flight */
void px_inv_start(struct fng_proxy *px, const char *id, const char *trace);
void px_inv_end(struct fng_proxy *px, const char *id);
/* Did a block happen while invocation id was in flight? An id the proxy
 * does not track (never seen in a next answer) counts as violated. */
bool px_inv_violated(struct fng_proxy *px, const char *id);
/* The event for a request or connection the proxy refused (a block). */
void px_refused_event(struct fng_proxy *px, const char *why, const char *target);
/* A connection or handle let go: post the stop semaphore when the last one has. */
void px_release(struct fng_proxy *px);

enum px_stage { ST_HEAD, ST_BODY };

/* One runtime connection and its twin to the real API (proxy_conn.c). */
struct px_conn {
	struct fng_proxy *px;
	struct px_conn *next, **pprev;
	uv_tcp_t down, up;
	uv_connect_t creq;
	uv_shutdown_t sreq;
	unsigned refs;			/* the two handles and a pending flush */
	bool closing, up_ok, held, down_bp, up_bp, draining;
	bool up_replacing;		/* the upstream twin is being closed and connected again */
	bool refusing;			/* a request was refused: waiting for the answers before it */
	char *refusal;			/* ... then this 400 goes to the runtime */
	uv_shutdown_t up_sreq;
	unsigned up_gen;		/* which upstream twin a write went to */

	/* runtime -> API */
	http_parser rq;
	enum px_stage stage;
	int last_cb;
	struct fng_rt_hdr rqh;
	struct fng_rt_req rqf;
	struct fng_rt_chunked ck;	/* strict framing of a chunked body */
	bool chunked;
	bool url_cut;
	const char *refuse_why;
	char url[512];
	size_t url_len;
	enum fng_rt_route route;
	char id[FNG_RT_ID_MAX];
	bool swallow;			/* replaced by a Function.SecurityViolation error */
	char *head;
	size_t head_len;
	size_t held_n;			/* bytes at in_off waiting for the flush */
	uint64_t flush_start;
	char in[PX_IN_SIZE];
	size_t in_len, in_off;
	size_t up_queued;

	/* API -> runtime */
	http_parser rs;
	bool rs_broken;
	struct fng_rt_hdr rsh;
	char rs_id[FNG_RT_ID_MAX];
	char rs_trace[FNG_TRACE_ID_MAX];
	size_t down_queued;
	struct px_inputs *inputs;	/* confirmed attacks: the `next` body gathered (proxy_inputs.c) */
	struct px_out *out;		/* output inspection of the request's body (proxy_out.c) */
	struct px_fw *fw;		/* input firewall: the answer being held (proxy_fw.c) */
};

/* proxy_inputs.c: a response begins (a `next` answer or not), its body, its end. */
void px_inputs_begin(struct px_conn *c, bool next_answer);
void px_inputs_body(struct px_conn *c, const char *at, size_t n);
void px_inputs_end(struct px_conn *c);
void px_inputs_free(struct px_conn *c);

/* proxy_conn.c */
void px_conn_accept(struct fng_proxy *px);
void px_conn_close_all(struct fng_proxy *px);
void px_conn_close(struct px_conn *c);
/* A handle of c let go (c is freed with the last). */
void px_conn_unref(struct px_conn *c);
/* Queue bytes to the real API (to_up) or the runtime, with back-pressure. */
void px_send(struct px_conn *c, bool to_up, const char *p, size_t n);
/* One side ended: the other's queued bytes go out first, then both close. */
void px_peer_ended(struct px_conn *c, bool up_ended);
/* Replace the upstream twin: close it (its request never completes) and
 * send the violation error for c->id on a new connection (proxy_resp.c). */
void px_replace_up(struct px_conn *c);
/* Queue the Function.SecurityViolation error for c->id to the real API. */
void px_send_violation(struct px_conn *c);
void px_on_up_connected(uv_connect_t *req, int status);
/* Stop reading both sides; close once what is queued for the runtime is out. */
void px_drain_down(struct px_conn *c);
/* Refuse the request being read (400 and a lambda event), proxy_resp.c. */
void px_refuse(struct px_conn *c, const char *why);
/* The real API ended after a refusal: the 400 goes out, then the end. */
void px_refusal_due(struct px_conn *c);
/* proxy_resp.c: reading the real API's side */
void px_alloc_up(uv_handle_t *h, size_t hint, uv_buf_t *buf);
void px_on_read_up(uv_stream_t *s, ssize_t n, const uv_buf_t *buf);

/* proxy_resp.c: the bookkeeping callbacks of the real API's answers;
 * the violation error for id (NULL: the init error; message in errorMessage) to the real API. */
const http_parser_settings *px_rs_settings(void);
void px_post_violation(struct px_conn *c, const char *id, const char *message);

/* A payload check's event (input_firewall, output_inspection), counted as
 * blocked or alerted: the fields every such event has filled; NULL when
 * there is no logger or no memory (the count is kept). The caller fills the
 * rest and hands it to fng_logger_own_event. */
struct fng_event *px_payload_event(struct fng_proxy *px, uint8_t type, const char *rule, bool block, bool would,
				   const char *request_id);

/* proxy_fw.c: the input firewall on the real API's answers. */
void px_fw_init(struct fng_proxy *px);
void px_fw_free(struct px_conn *c);
void px_fw_read_up(struct px_conn *c, const char *base, size_t n);
/* A new connection to the real API is up: post a refusal that waited for it (true), or nothing. */
bool px_fw_replaced(struct px_conn *c);

/* proxy_out.c: output inspection of response and error bodies. */
int px_out_init(struct fng_proxy *px);
void px_out_fini(struct fng_proxy *px);
void px_out_free(struct px_conn *c);
void px_out_begin(struct px_conn *c);
int px_out_body(http_parser *p, const char *at, size_t len);
/* The body is complete: what waited for more bytes is decided. */
void px_out_end(struct px_conn *c);
/* A finding under block in this body: replace the twin now (once); true
 * while the rest of the body is to be swallowed. */
bool px_out_cut(struct px_conn *c);
bool px_out_blocked(const struct px_conn *c);
bool px_out_was_cut(const struct px_conn *c);

#endif
