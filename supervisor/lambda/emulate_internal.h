/* fnguard emulate's insides, shared by emulate.c (command line, events,
 * the runtime's process) and emulate_srv.c (the Runtime API server). */
#ifndef FNG_EMULATE_INTERNAL_H
#define FNG_EMULATE_INTERNAL_H

#include "supervisor/lambda/emulate.h"
#include "supervisor/lambda/rtapi.h"
#include "tracer/lambda.h"

#include <http_parser.h>
#include <uv.h>

#define EMU_BODY_MAX (32u * 1024 * 1024)	/* Lambda's own limits: 6 MB buffered, 20 MB streamed */
#define EMU_MAX_ARGS 40
#define EMU_KILL_AFTER_MS 5000

struct emu_inv {
	char id[FNG_RT_ID_MAX];
	char trace[FNG_TRACE_ID_MAX];
	bool answered;
};

struct emu_conn;

struct emu {
	uv_loop_t loop;
	uv_tcp_t server;
	uv_process_t child;
	uv_timer_t kill_timer;
	bool child_running, finishing, closed;
	int64_t child_status;
	int child_signal;
	char **events;
	size_t *event_len;
	size_t n_events, next, answered;
	struct emu_inv *inv;
	bool failed, init_failed;
	struct emu_conn *conns;
};

struct emu_conn {
	struct emu *e;
	struct emu_conn *next, **pprev;
	uv_tcp_t h;
	http_parser p;
	char url[512];
	size_t url_len;
	bool url_cut, streaming, closing;
	struct fng_rt_hdr hdr;
	char err_type[128];
	char *body;
	size_t body_len, body_cap;
	bool too_big;
};

/* emulate_srv.c: accept a runtime connection; close every connection. */
void emu_on_connection(uv_stream_t *server, int status);
void emu_close_conns(struct emu *e);
/* emulate.c: every event answered, or init failed: stop the runtime. */
void emu_finish(struct emu *e);

#endif
