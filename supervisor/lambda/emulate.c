/* `fnguard emulate`: a local Lambda Runtime API on 127.0.0.1 (libuv and
 * http-parser, the proxy's route and header code) that hands the events out
 * to CMD running under `fnguard run` (proxy included), prints each response
 * or error as one JSON line on stdout, and exits 0 when every invocation
 * succeeded, 1 when one failed. The runtime's own stdout goes to stderr, so
 * stdout carries nothing but the results. */
#include "supervisor/lambda/emulate_internal.h"
#include "supervisor/exit.h"
#include "supervisor/cli/cli_opt.h"
#include "common/util.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

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
	autofree char *text = NULL;
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
	if (r < 0)
		fng_die(FNG_EXIT_UNSUPPORTED, "out of memory");
	e->inv = calloc(e->n_events, sizeof(*e->inv));
	if (!e->inv)
		fng_die(FNG_EXIT_UNSUPPORTED, "out of memory");
}

/* ---- connections ---- */


static void close_all(struct emu *e)
{
	if (e->closed)
		return;
	e->closed = true;
	emu_close_conns(e);
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
void emu_finish(struct emu *e)
{
	if (e->finishing)
		return;
	e->finishing = true;
	emu_close_conns(e);
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
	for (size_t i = 0; cmd[i]; i++)
		args[k++] = cmd[i];
	args[k] = NULL;
}

/* CMD is fnguard itself (emulate -- fnguard trace ...): the same file as
 * ours, found as exec finds it. It supervises the runtime itself; under
 * fnguard run it would be a second tracer and fail (exit 125). */
static bool cmd_is_self(const char *cmd0)
{
	struct stat self, st;
	char path[PATH_MAX];
	const char *dirs = getenv("PATH");

	if (stat("/proc/self/exe", &self) < 0)
		return false;
	if (strchr(cmd0, '/'))
		return stat(cmd0, &st) == 0 && st.st_dev == self.st_dev && st.st_ino == self.st_ino;
	for (const char *d = dirs ? dirs : "/usr/bin:/bin"; *d;) {
		size_t n = strcspn(d, ":");
		snprintf(path, sizeof(path), "%.*s/%s", (int)n, n ? d : ".", cmd0);
		if (access(path, X_OK) == 0 && stat(path, &st) == 0)
			return st.st_dev == self.st_dev && st.st_ino == self.st_ino;
		d += n + (d[n] == ':');
	}
	return false;
}

/* The environment of CMD: emulate's own, plus the sealing key, which
 * emulate itself does not keep (fng_cmd_emulate took it out): only the
 * child's environment ever holds it, and fnguard run takes it out of its
 * own (log_key.c). */
static char **child_env(const char *key)
{
	size_t n = 0;
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 2, sizeof(*env));
	if (!env)
		return NULL;
	memcpy(env, environ, n * sizeof(*env));
	env[n] = (char *)key;
	return env;
}

static int spawn_runtime(struct emu *e, char **run_opts, size_t n_run, char **cmd, bool direct, const char *key)
{
	char self[PATH_MAX];
	size_t n_cmd = 0;
	autofree char **args = NULL;
	autofree char **env = NULL;
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
	while (cmd[n_cmd])
		n_cmd++;
	args = calloc(n_run + n_cmd + 4, sizeof(*args)); /* self, run, --, NULL */
	if (!args)
		return UV_ENOMEM;
	build_args(args, self, run_opts, n_run, cmd);
	if (key && !(env = child_env(key)))
		return UV_ENOMEM;
	po.env = env;
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
			return (int)e->child_status; /* fnguard run's own: 2, 3, 125, 126, 127 */
		return 1;
	}
	return 0;
}

/* What the command line asks for, up to CMD. */
struct emu_opts {
	const char *event_file;
	bool lines, direct;
	long port;
	char *run_opts[EMU_MAX_ARGS];	/* passed on to fnguard run */
	size_t n_run;
};

/* Read the options; CMD starts at argv[optind]. -1 to go on, or the status
 * to exit with (--help, a bad option). */
static int parse_options(int argc, char **argv, struct emu_opts *o)
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
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'e':
		case 'E':
			if (o->event_file)
				fng_die(FNG_EXIT_USAGE, "emulate: give --event or --events once");
			o->event_file = optarg;
			o->lines = c == 'E';
			break;
		case 'p':
			errno = 0;
			o->port = strtol(optarg, &end, 10);
			if (errno || *end || !*optarg || o->port < 0 || o->port > 65535)
				fng_die(FNG_EXIT_USAGE, "--port %s: expected a port number from 0 to 65535", optarg);
			break;
		case 'P':
		case 'l':
		case 'B':
			if (o->n_run + 2 > EMU_MAX_ARGS)
				fng_die(FNG_EXIT_USAGE, "emulate: too many options");
			o->run_opts[o->n_run++] = (char *)(c == 'P' ? "--policy" : c == 'l' ? "--log" : "--on-block");
			o->run_opts[o->n_run++] = optarg;
			break;
		case 'N':
			if (o->n_run + 1 > EMU_MAX_ARGS)
				fng_die(FNG_EXIT_USAGE, "emulate: too many options");
			o->run_opts[o->n_run++] = (char *)"--no-proxy";
			break;
		case 'D':
			o->direct = true;
			break;
		case 'h':
			usage_emulate(stdout);
			return 0;
		default:
			fng_cli_bad_option("emulate", c, argc, argv);
		}
	}
	if (optind >= argc)
		fng_die(FNG_EXIT_USAGE, "emulate: no command given (see fnguard emulate --help)");
	return -1;
}

/* The loop, the server on 127.0.0.1:port (0: any free port) and the kill
 * timer; the runtime is given the server's address. */
static void start_server(struct emu *e, long port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int namelen = sizeof(sin), r;
	char addr[64];

	if (uv_loop_init(&e->loop) < 0)
		fng_die(FNG_EXIT_UNSUPPORTED, "emulate: cannot start an event loop");
	uv_tcp_init(&e->loop, &e->server);
	e->server.data = e;
	uv_timer_init(&e->loop, &e->kill_timer);
	e->kill_timer.data = e;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((uint16_t)port);
	r = uv_tcp_bind(&e->server, (const struct sockaddr *)&sin, 0);
	if (r == 0)
		r = uv_listen((uv_stream_t *)&e->server, 128, emu_on_connection);
	if (r == 0)
		r = uv_tcp_getsockname(&e->server, (struct sockaddr *)&sin, &namelen);
	if (r < 0)
		fng_die(FNG_EXIT_USAGE, "emulate: cannot listen on 127.0.0.1:%ld: %s", port, uv_strerror(r));
	snprintf(addr, sizeof(addr), "127.0.0.1:%u", ntohs(sin.sin_port));
	setenv("AWS_LAMBDA_RUNTIME_API", addr, 1);
}

static void free_events(struct emu *e)
{
	for (size_t i = 0; i < e->n_events; i++)
		free(e->events[i]);
	free(e->events);
	free(e->event_len);
	free(e->inv);
}

int fng_cmd_emulate(int argc, char **argv)
{
	struct emu_opts o = { 0 };
	struct emu e = { 0 };
	char *key;
	int r, status;

	r = parse_options(argc, argv, &o);
	if (r >= 0)
		return r;
	/* The function may read this process's /proc/PID/environ (and a root
	 * one its memory): the key is held only until the child has it. */
	if (fng_env_take("FNGUARD_LOG_KEY", &key) < 0)
		fng_die(FNG_EXIT_UNSUPPORTED, "emulate: $FNGUARD_LOG_KEY: out of memory");
	/* --direct runs CMD without fnguard: it gets no key (the key is for
	 * the fnguard run or fnguard CMD that emulate starts). */
	bool self = false;
	if (!o.direct && cmd_is_self(argv[optind])) {
		self = true;
		if (o.n_run)
			fng_die(FNG_EXIT_USAGE, "emulate: CMD is fnguard itself: give --policy, --log, --no-proxy and "
				"--on-block to it, not to emulate");
		o.direct = true;
	}
	load_events(&e, o.event_file, o.lines);
	start_server(&e, o.port);

	r = spawn_runtime(&e, o.run_opts, o.n_run, argv + optind, o.direct, o.direct && !self ? NULL : key);
	fng_free_secret(key); /* uv_spawn returns once the child has run exec */
	if (r < 0)
		fng_die(FNG_EXIT_UNSUPPORTED, "emulate: cannot start fnguard run: %s", uv_strerror(r));
	e.child_running = true;
	uv_run(&e.loop, UV_RUN_DEFAULT);
	uv_loop_close(&e.loop);
	status = exit_status(&e);
	free_events(&e);
	return status;
}
