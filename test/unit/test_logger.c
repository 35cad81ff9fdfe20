/* Unit tests for the logger's flush API (fng_logger_flush), log destination
 * parsing, the OCSF mapping, and a sink's queue on its own (no logger: what
 * it tells its owner goes through struct fng_sink_owner). The flush tests run
 * a real logging thread with a Unix datagram sink bound by the test. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/hostport.h"
#include "logging/logger.h"
#include "logging/format/ocsf.h"
#include "logging/sinks/sink.h"

struct waiter {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool done;
	int status;
	int received;	/* datagrams read from the socket when the callback ran */
	int sock;
	int count;	/* read so far (under mu) */
};

static int pending_datagrams(int sock)
{
	char buf[8192];
	int n = 0;

	while (recv(sock, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		n++;
	return n;
}

/* The collector: reads while the sink sends (a Unix datagram queue is short). */
static void *reader(void *arg)
{
	struct waiter *w = arg;
	bool done = false;

	while (!done) {
		pthread_mutex_lock(&w->mu);
		w->count += pending_datagrams(w->sock);
		done = w->done;
		pthread_mutex_unlock(&w->mu);
		usleep(1000);
	}
	return NULL;
}

static void on_flushed(void *arg, int status)
{
	struct waiter *w = arg;

	pthread_mutex_lock(&w->mu);
	w->status = status;
	w->received = w->count + pending_datagrams(w->sock);
	w->done = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static void wait_done(struct waiter *w)
{
	pthread_mutex_lock(&w->mu);
	while (!w->done)
		pthread_cond_wait(&w->cv, &w->mu);
	pthread_mutex_unlock(&w->mu);
}

static int bind_dgram(char *path, size_t n)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int big = 1 << 20;

	snprintf(path, n, "/var/tmp/fng-test-flush-%d.sock", getpid());
	unlink(path);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	setsockopt(s, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	return s;
}

static struct fng_logger *start(const char *dest, struct fng_sink_spec *spec)
{
	struct fng_logger *lg = NULL;
	const char *why = NULL;
	char err[256];
	struct fng_logger_config cfg = { .sinks = spec, .n_sinks = 1, .flush_timeout_ms = 100 };

	assert_int_equal(fng_sink_parse(dest, spec, &why), 0);
	assert_int_equal(fng_logger_start(&lg, &cfg, err, sizeof(err)), 0);
	return lg;
}

static void emit(struct fng_logger *lg, int n)
{
	for (int i = 0; i < n; i++) {
		struct fng_event *ev = fng_logger_reserve(lg);
		assert_non_null(ev);
		ev->type = FNG_EV_FILE;
		strcpy(ev->rule, "read_write_tmp");
		strcpy(ev->mode, "alert");
		ev->action = FNG_ACT_ALERTED;
		ev->pid = 1;
		snprintf(ev->path, sizeof(ev->path), "/tmp/f%d", i);
		fng_logger_commit(lg);
	}
}

/* Everything committed before the call has reached the socket when the
 * callback runs, with status 0. */
static void flush_delivers_everything_committed(void **state)
{
	(void)state;
	struct waiter w = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, 1, 0, -1, 0 };
	struct fng_sink_spec spec;
	char path[108], dest[128];
	struct fng_logger *lg;

	pthread_t rd;

	w.sock = bind_dgram(path, sizeof(path));
	snprintf(dest, sizeof(dest), "unix+dgram:%s", path);
	lg = start(dest, &spec);
	pthread_create(&rd, NULL, reader, &w);
	emit(lg, 300);
	assert_int_equal(fng_logger_flush(lg, 10000, on_flushed, &w), 0);
	wait_done(&w);
	pthread_join(rd, NULL);
	assert_int_equal(w.status, 0);
	assert_int_equal(w.received, 300);
	fng_logger_stop(lg, NULL);
	assert_int_equal(pending_datagrams(w.sock), 0);
	close(w.sock);
	unlink(path);
}

/* A sink that cannot deliver (nobody listens) makes the flush end at its
 * deadline with -ETIMEDOUT; stop() still returns (its own deadline). */
static void flush_times_out_on_a_dead_sink(void **state)
{
	(void)state;
	struct waiter w = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, 1, 0, -1, 0 };
	struct fng_sink_spec spec;
	struct fng_exit_info xi = { 0 };
	char dest[128];
	struct fng_logger *lg;
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	w.sock = sv[0];
	snprintf(dest, sizeof(dest), "unix+stream:/var/tmp/fng-test-nobody-%d.sock", getpid());
	lg = start(dest, &spec);
	emit(lg, 5);
	assert_int_equal(fng_logger_flush(lg, 50, on_flushed, &w), 0);
	wait_done(&w);
	assert_int_equal(w.status, -ETIMEDOUT);
	fng_logger_stop(lg, &xi);
	/* the five events and the sink_error report: all counted as dropped */
	assert_int_equal(xi.n_sinks, 1);
	assert_int_equal(xi.sinks[0].delivered, 0);
	assert_int_equal(xi.sinks[0].dropped, xi.emitted - xi.dropped);
	assert_true(xi.emitted >= 5);
	close(sv[0]);
	close(sv[1]);
}

/* Nothing committed: the flush completes at once, with status 0. */
static void flush_with_nothing_pending(void **state)
{
	(void)state;
	struct waiter w = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, 1, 0, -1, 0 };
	struct fng_sink_spec spec;
	struct fng_logger *lg = start("file:/dev/null", &spec);
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	w.sock = sv[0];
	assert_int_equal(fng_logger_flush(lg, 10000, on_flushed, &w), 0);
	wait_done(&w);
	assert_int_equal(w.status, 0);
	fng_logger_stop(lg, NULL);
	close(sv[0]);
	close(sv[1]);
}

static void dest_forms(void **state)
{
	(void)state;
	struct fng_sink_spec s;
	const char *why = NULL;
	struct fng_hostport hp;

	assert_int_equal(fng_sink_parse("syslog+tcp://[::1]:6514", &s, &why), 0);
	assert_int_equal(s.kind, FNG_SINK_SYSLOG_TCP);
	assert_int_equal(fng_hostport_parse(s.target, &hp), 0);
	assert_string_equal(hp.host, "::1");
	assert_int_equal(hp.port, 6514);
	assert_int_equal(fng_sink_parse("syslog:", &s, &why), 0);
	assert_string_equal(s.target, "/dev/log");
	assert_int_equal(fng_sink_parse("unix:/run/a.sock", &s, &why), 0);
	assert_int_equal(s.sock, FNG_SOCK_AUTO);
	assert_int_equal(fng_sink_parse("unix+dgram:/run/a.sock", &s, &why), 0);
	assert_int_equal(s.sock, FNG_SOCK_DGRAM);
	assert_int_equal(fng_sink_parse("./rel.jsonl", &s, &why), 0);
	assert_int_equal(s.kind, FNG_SINK_FILE);
	assert_int_equal(fng_sink_parse("https://h/x", &s, &why), 0);
	assert_int_equal(s.kind, FNG_SINK_HTTP);
	assert_int_equal(fng_sink_parse("syslog+udp://h:0", &s, &why), -EINVAL);
	assert_int_equal(fng_sink_parse("syslog+udp://h:70000", &s, &why), -EINVAL);
	assert_int_equal(fng_sink_parse("syslog+udp://::1:514", &s, &why), -EINVAL);
	assert_int_equal(fng_sink_parse("http://", &s, &why), -EINVAL);
	assert_int_equal(fng_sink_parse("file:", &s, &why), -EINVAL);
	assert_int_equal(fng_sink_parse("syslog:dev/log", &s, &why), -EINVAL);
}

static json_object *ocsf(const struct fng_event *ev)
{
	struct fng_function_info fi = { 0 };
	struct fng_ocsf_ctx c;
	char *text = NULL;
	size_t len = 0;
	json_object *o;

	fng_ocsf_ctx_init(&c);
	assert_int_equal(fng_ocsf_event(ev, &fi, &c, &text, &len), 0);
	assert_int_equal(text[len - 1], '\n');
	o = json_tokener_parse(text);
	assert_non_null(o);
	free(text);
	return o;
}

static int64_t geti(json_object *o, const char *dotted)
{
	char buf[128], *save = NULL;
	json_object *cur = o;

	snprintf(buf, sizeof(buf), "%s", dotted);
	for (char *k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save))
		assert_true(json_object_object_get_ex(cur, k, &cur));
	return json_object_get_int64(cur);
}

static void check_class(const struct fng_event *ev, int cls, int cat, int act, int sev)
{
	json_object *o = ocsf(ev);

	assert_int_equal(geti(o, "class_uid"), cls);
	assert_int_equal(geti(o, "category_uid"), cat);
	assert_int_equal(geti(o, "activity_id"), act);
	assert_int_equal(geti(o, "type_uid"), cls * 100 + act);
	assert_int_equal(geti(o, "severity_id"), sev);
	assert_true(geti(o, "time") > 0);
	json_object_put(o);
}

static void ocsf_classes(void **state)
{
	(void)state;
	struct fng_event *ev = calloc(1, sizeof(*ev));

	ev->time_ns = 1700000000123000000ull;
	ev->pid = 42;
	ev->rule[0] = '\0';
	ev->action = FNG_ACT_ALLOWED;

	ev->type = FNG_EV_FILE;
	strcpy(ev->syscall, "openat");
	strcpy(ev->path, "/tmp/a");
	check_class(ev, 1001, 1, 14, 1);
	strcpy(ev->syscall, "unlinkat");
	check_class(ev, 1001, 1, 4, 1);
	ev->type = FNG_EV_PROCESS;
	strcpy(ev->syscall, "execve");
	check_class(ev, 1007, 1, 1, 1);
	ev->type = FNG_EV_NETWORK;
	strcpy(ev->syscall, "connect");
	strcpy(ev->host, "192.0.2.1");
	ev->port = 443;
	check_class(ev, 4001, 4, 1, 1);
	ev->type = FNG_EV_DNS;
	strcpy(ev->syscall, "sendto");
	strcpy(ev->host, "example.com");
	check_class(ev, 4003, 4, 1, 1);

	/* blocked, alerted, killed: Detection Findings */
	ev->type = FNG_EV_NETWORK;
	strcpy(ev->rule, "outbound_connectivity");
	strcpy(ev->mode, "block");
	ev->action = FNG_ACT_BLOCKED;
	strcpy(ev->host, "192.0.2.1");
	check_class(ev, 2004, 2, 1, 3);
	{
		json_object *o = ocsf(ev), *e, *evd;
		assert_int_equal(geti(o, "action_id"), 2);
		assert_int_equal(geti(o, "disposition_id"), 2);
		assert_true(json_object_object_get_ex(o, "evidences", &e));
		evd = json_object_array_get_idx(e, 0);
		assert_int_equal(geti(evd, "dst_endpoint.port"), 443);
		assert_int_equal(geti(evd, "actor.process.pid"), 42);
		assert_true(json_object_object_get_ex(o, "finding_info", &e));
		assert_true(json_object_object_get_ex(e, "uid", &e));
		json_object_put(o);
	}
	ev->action = FNG_ACT_ALERTED;
	check_class(ev, 2004, 2, 1, 2);
	ev->action = FNG_ACT_KILLED;
	check_class(ev, 2004, 2, 1, 4);

	/* fnguard's own lifecycle */
	memset(ev, 0, sizeof(*ev));
	ev->time_ns = 1700000000123000000ull;
	ev->type = FNG_EV_LIFECYCLE;
	ev->rule[0] = '\0';
	strcpy(ev->phase, "start");
	check_class(ev, 6002, 6, 3, 1);
	strcpy(ev->phase, "unprotected");
	check_class(ev, 6002, 6, 99, 4);
	free(ev);
}

/* The owner side of a sink, counting what the sink tells it. */
struct owner_log {
	int dropped, progress, errors, oks;
	char last_msg[256];
};

static void owner_dropped(void *arg)
{
	((struct owner_log *)arg)->dropped++;
}

static void owner_progress(void *arg)
{
	((struct owner_log *)arg)->progress++;
}

static void owner_report(void *arg, struct fng_sink *s, const char *phase, const char *msg)
{
	struct owner_log *o = arg;

	(void)s;
	if (strcmp(phase, "sink_error") == 0)
		o->errors++;
	else if (strcmp(phase, "sink_ok") == 0)
		o->oks++;
	snprintf(o->last_msg, sizeof(o->last_msg), "%s", msg);
}

static void quiet_kick(struct fng_sink *s)
{
	(void)s;	/* no I/O: lines stay queued */
}

static const struct fng_sink_ops quiet_ops = { .priv_size = 1, .kick = quiet_kick };

static void push_line(struct fng_sink *s, const char *text, bool own, bool want)
{
	struct fng_line *l = fng_line_new(text, strlen(text));

	assert_non_null(l);
	l->own = own;
	assert_int_equal(fng_sink_push(s, l), want);
	fng_line_unref(l);
}

/* A sink of quiet_ops named "test" telling o (ops NULL: what fng_sink_new says). */
static int test_sink(struct fng_sink **s, const struct fng_sink_ops *ops, struct owner_log *o)
{
	struct fng_sink_owner owner = {
		.arg = o, .dropped = owner_dropped, .progress = owner_progress, .report = owner_report,
	};
	struct fng_sink_spec spec = { .kind = FNG_SINK_STDERR, .dest = "test" };

	return fng_sink_new(s, ops, &owner, &spec);
}

static void sink_tells_its_owner(void **state)
{
	struct owner_log o = { 0 };
	struct fng_sink *s;
	size_t i;

	(void)state;
	assert_int_equal(test_sink(&s, NULL, &o), -EINVAL);
	assert_ptr_equal(fng_sink_kind_ops(FNG_SINK_FILE), &fng_sink_fd_ops);
	assert_ptr_equal(fng_sink_kind_ops(FNG_SINK_SYSLOG_TCP), &fng_sink_syslog_ops);
	assert_ptr_equal(fng_sink_kind_ops(FNG_SINK_HTTP), &fng_sink_http_ops);
	assert_int_equal(test_sink(&s, &quiet_ops, &o), 0);
	assert_string_equal(s->name, "test");

	for (i = 0; i < FNG_SINK_QUEUE_LINES; i++)
		push_line(s, "x\n", false, true);
	assert_int_equal(o.dropped, 0);
	push_line(s, "lost\n", false, false);	/* full: dropped, and the owner hears of it */
	push_line(s, "own\n", true, false);	/* the owner's own line: counted, not reported */
	assert_int_equal(o.dropped, 1);
	assert_int_equal(s->st.dropped, 2);
	assert_int_equal(s->dropped_reported, 1);
	assert_int_equal(s->st.queued, FNG_SINK_QUEUE_LINES);

	fng_sink_pop(s, 10, true);
	assert_int_equal(s->st.delivered, 10);
	assert_int_equal(o.progress, 1);
	fng_sink_drop_after(s, 5);
	assert_int_equal(s->q_len, 5);
	assert_int_equal(o.dropped, 1 + FNG_SINK_QUEUE_LINES - 15);
	assert_int_equal(o.progress, 2);

	fng_sink_fail(s, "down: %d", 42);
	fng_sink_fail(s, "still down");		/* one report per burst */
	assert_int_equal(o.errors, 1);
	assert_string_equal(o.last_msg, "down: 42");
	fng_sink_recovered(s);
	fng_sink_recovered(s);
	assert_int_equal(o.oks, 1);

	fng_sink_closed(s);
	assert_true(s->closed);
	assert_int_equal(o.progress, 3);
	fng_sink_free(s);	/* what is left is dropped, and told */
	assert_int_equal(o.dropped, 1 + FNG_SINK_QUEUE_LINES - 10);
}

/* A full queue drops the newest line of its most crowded class for a line
 * of a rarer class (a flood cannot push the rare event out). */
static void full_queue_keeps_the_rare_class(void **state)
{
	struct owner_log o = { 0 };
	struct fng_sink *s;
	struct fng_line *l;

	(void)state;
	assert_int_equal(test_sink(&s, &quiet_ops, &o), 0);
	for (size_t i = 0; i < FNG_SINK_QUEUE_LINES; i++) {
		l = fng_line_new(i + 1 == FNG_SINK_QUEUE_LINES ? "last\n" : "x\n", i + 1 == FNG_SINK_QUEUE_LINES ? 5 : 2);
		l->cls = 1;
		assert_true(fng_sink_push(s, l));
		fng_line_unref(l);
	}
	l = fng_line_new("rare\n", 5);
	l->cls = 2;
	assert_true(fng_sink_push(s, l));	/* in, and the newest flood line out */
	fng_line_unref(l);
	assert_int_equal(s->st.dropped, 1);
	assert_int_equal(s->q_class[1], FNG_SINK_QUEUE_LINES - 1);
	assert_int_equal(s->q_class[2], 1);
	assert_memory_equal(fng_sink_at(s, s->q_len - 1)->data, "rare\n", 5);
	assert_memory_equal(fng_sink_at(s, s->q_len - 2)->data, "x\n", 2);
	l = fng_line_new("flood\n", 6);
	l->cls = 1;
	assert_false(fng_sink_push(s, l));	/* its own class is the crowded one */
	fng_line_unref(l);
	assert_int_equal(s->st.dropped, 2);
	fng_sink_closed(s);
	fng_sink_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flush_delivers_everything_committed),
		cmocka_unit_test(flush_times_out_on_a_dead_sink),
		cmocka_unit_test(flush_with_nothing_pending),
		cmocka_unit_test(dest_forms),
		cmocka_unit_test(ocsf_classes),
		cmocka_unit_test(sink_tells_its_owner),
		cmocka_unit_test(full_queue_keeps_the_rare_class),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
