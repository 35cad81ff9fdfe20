/* `fnguard emulate`: a local Lambda Runtime API on 127.0.0.1 (libuv and
 * http-parser, the proxy's route and header code) that hands the events out
 * to CMD running under `fnguard run` (proxy included), prints each response
 * or error as one JSON line on stdout, and exits 0 when every invocation
 * succeeded, 1 when one failed. The runtime's own stdout goes to stderr, so
 * stdout carries nothing but the results. */
#include "supervisor/emulate.h"
#include "supervisor/exit.h"
#include "supervisor/proxy.h"
#include "supervisor/rtapi.h"
#include "logging/util.h"

#include <errno.h>
#include <getopt.h>
#include <http_parser.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
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

static void usage_emulate(FILE *f)
{
	fputs("usage: fnguard emulate [--event FILE | --events FILE.jsonl] [--port N] [--policy FILE]\n"
	      "                       [--log DEST]... [--no-proxy] [--on-block WHAT] [--direct] [--] CMD [ARGS...]\n"
	      "  --event FILE         one event: the file's content (default: {})\n"
	      "  --events FILE.jsonl  one event per non-empty line\n"
	      "  --port N             serve the Runtime API on 127.0.0.1:N (default: any free port)\n"
	      "  --policy, --log, --no-proxy, --on-block   passed to fnguard run\n"
	      "  --direct             run CMD itself, without fnguard run (for comparisons)\n"
	      "Prints one JSON line per invocation; exit 0 if all succeeded, 1 if any failed.\n",
	      f);
}

/* ---- events ---- */

static int add_event(struct emu *e, const char *s, size_t n)
{
	char **ev = realloc(e->events, (e->n_events + 1) * sizeof(*ev));
	size_t *len;

	if (!ev)
		return -ENOMEM;
	e->events = ev;
	len = realloc(e->event_len, (e->n_events + 1) * sizeof(*len));
	if (!len)
		return -ENOMEM;
	e->event_len = len;
	ev[e->n_events] = malloc(n + 1);
	if (!ev[e->n_events])
		return -ENOMEM;
	memcpy(ev[e->n_events], s, n);
	ev[e->n_events][n] = '\0';
	len[e->n_events++] = n;
	return 0;
}

static void load_events(struct emu *e, const char *file, bool lines)
{
	char *text = NULL;
	size_t len = 0;
	int r = 0;

	if (!file) {
		r = add_event(e, "{}", 2);
	} else if ((r = fng_slurp(file, &text, &len)) < 0) {
		fng_die(FNG_EXIT_USAGE, "%s: %s", file, strerror(-r));
	} else if (!lines) {
		r = add_event(e, text, len);
	} else {
		for (char *p = text, *end = text + len; p < end && r == 0;) {
			char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
			size_t m = n;
			while (m && (p[m - 1] == '\r' || p[m - 1] == ' ' || p[m - 1] == '\t'))
				m--;
			if (m)
				r = add_event(e, p, m);
			p += n + 1;
		}
		if (r == 0 && e->n_events == 0)
			fng_die(FNG_EXIT_USAGE, "%s: no events (one JSON document per line)", file);
	}
	free(text);
	if (r < 0)
		fng_die(FNG_EXIT_UNSUPPORTED, "out of memory");
	e->inv = calloc(e->n_events, sizeof(*e->inv));
	if (!e->inv)
		fng_die(FNG_EXIT_UNSUPPORTED, "out of memory");
}

/* ---- connections ---- */

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
	uv_write_t *req;
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
		free(req);
		conn_close(c);
	}
}

static void reply_json(struct emu_conn *c, int code, const char *reason, const char *json)
{
	reply(c, code, reason, NULL, json, strlen(json));
}

static void finish(struct emu *e);

static void hand_out(struct emu *e, struct emu_conn *c)
{
	size_t i = e->next++;
	struct emu_inv *v = &e->inv[i];
	char extra[1024];
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	fng_emu_ids(v->id, sizeof(v->id), v->trace, sizeof(v->trace), (uint64_t)now.tv_sec);
	snprintf(extra, sizeof(extra),
		 "Lambda-Runtime-Aws-Request-Id: %s\r\n"
		 "Lambda-Runtime-Deadline-Ms: %llu\r\n"
		 "Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:000000000000:function:fnguard-emulate\r\n"
		 "Lambda-Runtime-Trace-Id: %s\r\n",
		 v->id, (unsigned long long)now.tv_sec * 1000ull + (unsigned long long)now.tv_nsec / 1000000ull + 900000ull,
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
		finish(e);
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
		finish(e);
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

	if (len > sizeof(c->url) - 1 - c->url_len) {
		c->url_cut = true;
		len = sizeof(c->url) - 1 - c->url_len;
	}
	memcpy(c->url + c->url_len, at, len);
	c->url_len += len;
	return 0;
}

static void pair(struct emu_conn *c)
{
	if (fng_rt_header_is(c->hdr.name, c->hdr.nlen, "Lambda-Runtime-Function-Error-Type"))
		fng_strlcpy(c->err_type, c->hdr.value, sizeof(c->err_type));
	else if (fng_rt_header_is(c->hdr.name, c->hdr.nlen, "Lambda-Runtime-Function-Response-Mode"))
		c->streaming = strcasecmp(c->hdr.value, "streaming") == 0;
	fng_rt_hdr_reset(&c->hdr);
}

static int on_field(http_parser *p, const char *at, size_t len)
{
	struct emu_conn *c = p->data;

	if (fng_rt_hdr_name(&c->hdr, at, len)) {
		pair(c);
		fng_rt_hdr_name(&c->hdr, at, len);
	}
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

	if (fng_rt_hdr_done(&c->hdr))
		pair(c);
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

static void on_connection(uv_stream_t *server, int status)
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

static void close_all(struct emu *e)
{
	if (e->closed)
		return;
	e->closed = true;
	while (e->conns)
		conn_close(e->conns);
	uv_close((uv_handle_t *)&e->server, NULL);
	uv_close((uv_handle_t *)&e->kill_timer, NULL);
}

static void on_kill_timer(uv_timer_t *t)
{
	struct emu *e = t->data;

	if (e->child_running)
		uv_process_kill(&e->child, SIGKILL);
}

/* Every event answered (or init failed): the runtime's waiting `next` gets
 * its connection closed and the runtime is told to stop. */
static void finish(struct emu *e)
{
	if (e->finishing)
		return;
	e->finishing = true;
	while (e->conns)
		conn_close(e->conns);
	if (e->child_running) {
		uv_process_kill(&e->child, SIGTERM);
		uv_timer_start(&e->kill_timer, on_kill_timer, EMU_KILL_AFTER_MS, 0);
	} else {
		close_all(e);
	}
}

static void on_child_exit(uv_process_t *p, int64_t status, int sig)
{
	struct emu *e = p->data;

	e->child_running = false;
	e->child_status = status;
	e->child_signal = sig;
	uv_close((uv_handle_t *)p, NULL);
	close_all(e);
}

static void build_args(char **args, const char *self, char **run_opts, size_t n_run, char **cmd)
{
	size_t k = 0;

	args[k++] = (char *)self;
	args[k++] = (char *)"run";
	for (size_t i = 0; i < n_run; i++)
		args[k++] = run_opts[i];
	args[k++] = (char *)"--";
	for (size_t i = 0; cmd[i] && k < EMU_MAX_ARGS + 64 - 1; i++)
		args[k++] = cmd[i];
	args[k] = NULL;
}

static int spawn_runtime(struct emu *e, char **run_opts, size_t n_run, char **cmd, bool direct)
{
	char self[PATH_MAX];
	char *args[EMU_MAX_ARGS + 64];
	uv_stdio_container_t stdio[3] = {
		{ .flags = UV_INHERIT_FD, .data.fd = 0 },
		{ .flags = UV_INHERIT_FD, .data.fd = 2 },
		{ .flags = UV_INHERIT_FD, .data.fd = 2 },
	};
	uv_process_options_t po = { 0 };
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		return -errno;
	self[n] = '\0';
	build_args(args, self, run_opts, n_run, cmd);
	po.file = direct ? cmd[0] : self;
	po.args = direct ? cmd : args;
	po.exit_cb = on_child_exit;
	po.stdio = stdio;
	po.stdio_count = 3;
	e->child.data = e;
	return uv_spawn(&e->loop, &e->child, &po);
}

static int exit_status(const struct emu *e)
{
	if (e->failed || e->init_failed)
		return 1;
	if (e->answered < e->n_events) {
		fprintf(stderr, "fnguard: emulate: the runtime ended (%s %lld) with %zu of %zu events unanswered\n",
			e->child_signal ? "signal" : "status", (long long)(e->child_signal ? e->child_signal : e->child_status),
			e->n_events - e->answered, e->n_events);
		if (!e->child_signal && e->child_status > 1)
			return (int)e->child_status; /* fnguard run's own: 2, 125, 126, 127 */
		return 1;
	}
	return 0;
}

int fng_cmd_emulate(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "event", required_argument, NULL, 'e' },
		{ "events", required_argument, NULL, 'E' },
		{ "port", required_argument, NULL, 'p' },
		{ "policy", required_argument, NULL, 'P' },
		{ "log", required_argument, NULL, 'l' },
		{ "no-proxy", no_argument, NULL, 'N' },
		{ "on-block", required_argument, NULL, 'B' },
		{ "direct", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct emu e = { 0 };
	bool direct = false;
	const char *event_file = NULL;
	bool lines = false;
	long port = 0;
	char *run_opts[EMU_MAX_ARGS];
	size_t n_run = 0;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int namelen = sizeof(sin), c, r, status;
	char addr[64];

	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'e':
		case 'E':
			if (event_file)
				fng_die(FNG_EXIT_USAGE, "emulate: give --event or --events once");
			event_file = optarg;
			lines = c == 'E';
			break;
		case 'p':
			errno = 0;
			port = strtol(optarg, &end, 10);
			if (errno || *end || !*optarg || port < 0 || port > 65535)
				fng_die(FNG_EXIT_USAGE, "--port %s: expected a port number from 0 to 65535", optarg);
			break;
		case 'P':
		case 'l':
		case 'B':
			if (n_run + 2 > EMU_MAX_ARGS)
				fng_die(FNG_EXIT_USAGE, "emulate: too many options");
			run_opts[n_run++] = (char *)(c == 'P' ? "--policy" : c == 'l' ? "--log" : "--on-block");
			run_opts[n_run++] = optarg;
			break;
		case 'N':
			if (n_run + 1 > EMU_MAX_ARGS)
				fng_die(FNG_EXIT_USAGE, "emulate: too many options");
			run_opts[n_run++] = (char *)"--no-proxy";
			break;
		case 'D':
			direct = true;
			break;
		case 'h':
			usage_emulate(stdout);
			return 0;
		default:
			usage_emulate(stderr);
			return FNG_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage_emulate(stderr);
		fng_die(FNG_EXIT_USAGE, "emulate: no command given");
	}
	load_events(&e, event_file, lines);

	if (uv_loop_init(&e.loop) < 0)
		fng_die(FNG_EXIT_UNSUPPORTED, "emulate: cannot start an event loop");
	uv_tcp_init(&e.loop, &e.server);
	e.server.data = &e;
	uv_timer_init(&e.loop, &e.kill_timer);
	e.kill_timer.data = &e;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((uint16_t)port);
	r = uv_tcp_bind(&e.server, (const struct sockaddr *)&sin, 0);
	if (r == 0)
		r = uv_listen((uv_stream_t *)&e.server, 128, on_connection);
	if (r == 0)
		r = uv_tcp_getsockname(&e.server, (struct sockaddr *)&sin, &namelen);
	if (r < 0)
		fng_die(FNG_EXIT_USAGE, "emulate: cannot listen on 127.0.0.1:%ld: %s", port, uv_strerror(r));
	snprintf(addr, sizeof(addr), "127.0.0.1:%u", ntohs(sin.sin_port));
	setenv("AWS_LAMBDA_RUNTIME_API", addr, 1);

	r = spawn_runtime(&e, run_opts, n_run, argv + optind, direct);
	if (r < 0)
		fng_die(FNG_EXIT_UNSUPPORTED, "emulate: cannot start fnguard run: %s", uv_strerror(r));
	e.child_running = true;
	uv_run(&e.loop, UV_RUN_DEFAULT);
	uv_loop_close(&e.loop);
	status = exit_status(&e);
	for (size_t i = 0; i < e.n_events; i++)
		free(e.events[i]);
	free(e.events);
	free(e.event_len);
	free(e.inv);
	return status;
}
