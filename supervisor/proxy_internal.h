/* The proxy's insides, shared by proxy.c (listener, invocations, start and
 * stop) and proxy_conn.c (one runtime connection and its upstream twin).
 * Everything here belongs to the logging thread's loop. */
#ifndef FNG_PROXY_INTERNAL_H
#define FNG_PROXY_INTERNAL_H

#include "supervisor/proxy.h"
#include "supervisor/rtapi.h"

#include <http_parser.h>
#include <sys/socket.h>
#include <uv.h>

#define PX_IN_SIZE (64 * 1024)		/* one read from the runtime */
#define PX_HEAD_MAX (64 * 1024)		/* a request head, held until it is complete */
#define PX_QUEUE_HIGH (1024 * 1024)	/* stop reading a side while its peer has this much queued */
#define PX_QUEUE_LOW (256 * 1024)	/* ... and read again below this */
#define PX_PEND_MAX 16			/* pipelined requests awaiting their response */
#define PX_INV_MAX 4096			/* invocations in flight at once */

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
	struct px_inv *inv;
	size_t n_inv;
	struct fng_proxy_stats st;
};

/* proxy.c: invocations in flight */
void px_inv_start(struct fng_proxy *px, const char *id, const char *trace);
void px_inv_end(struct fng_proxy *px, const char *id);
/* Did a block happen while invocation id was in flight? */
bool px_inv_violated(struct fng_proxy *px, const char *id);
/* A connection or handle let go: post the stop semaphore when the last one has. */
void px_release(struct fng_proxy *px);

/* proxy_conn.c */
void px_conn_accept(struct fng_proxy *px);
void px_conn_close_all(struct fng_proxy *px);

#endif
