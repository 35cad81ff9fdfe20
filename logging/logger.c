#include "logging/logger.h"
#include "logging/ring.h"
#include "logging/util.h"
#include "policy/policy.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <uv.h>

#define MAX_SINKS 8

struct sink {
	int fd;
	bool failed;	/* reported once, then skipped */
};

struct fng_logger {
	struct fng_ring ring;
	struct fng_counters counters;
	struct fng_function_info fn;
	struct sink sinks[MAX_SINKS];
	size_t n_sinks;

	uv_loop_t loop;
	uv_async_t wake;
	uv_async_t stop;
	pthread_t thread;
	uv_sem_t started;
	_Atomic pid_t tid;	/* the logging thread's tid: the filter protects it */
	struct fng_exit_info *exit_info;	/* set before stop is sent */
};

int fng_sink_parse(const char *dest, struct fng_sink_spec *out, const char **why)
{
	if (strcmp(dest, "stderr") == 0) {
		out->kind = FNG_SINK_STDERR;
	} else if (strcmp(dest, "stdout") == 0) {
		out->kind = FNG_SINK_STDOUT;
	} else if (strncmp(dest, "file:", 5) == 0 || dest[0] == '/' || dest[0] == '.') {
		out->kind = FNG_SINK_FILE;
		out->path = strncmp(dest, "file:", 5) == 0 ? dest + 5 : dest;
		if (!*out->path) {
			*why = "file: needs a path";
			return -EINVAL;
		}
	} else {
		*why = "expected stderr, stdout, file:/path or a path";
		return -EINVAL;
	}
	return 0;
}

static void write_all(struct sink *s, const char *buf, size_t len)
{
	while (len && !s->failed) {
		ssize_t n = write(s->fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				struct pollfd p = { .fd = s->fd, .events = POLLOUT };
				if (poll(&p, 1, 1000) > 0)
					continue;
			}
			/* One line, once: a broken sink never crashes fnguard. */
			fprintf(stderr, "fnguard: log sink write failed: %s; further events to it are dropped\n",
				strerror(errno));
			s->failed = true;
			return;
		}
		buf += n;
		len -= (size_t)n;
	}
}

static void emit_line(struct fng_logger *lg, const char *line, size_t len)
{
	for (size_t i = 0; i < lg->n_sinks; i++)
		write_all(&lg->sinks[i], line, len);
}

static void drain(struct fng_logger *lg)
{
	const struct fng_event *ev;

	while ((ev = fng_ring_peek(&lg->ring))) {
		char *line = NULL;
		size_t len = 0;
		if (fng_format_event(ev, &lg->fn, &line, &len) == 0)
			emit_line(lg, line, len);
		else
			atomic_fetch_add(&lg->counters.dropped, 1);
		free(line);
		fng_stack_release(ev->stack); /* the slot belongs to the tracer's pool */
		fng_ring_release(&lg->ring);
	}
}

static void on_wake(uv_async_t *h)
{
	drain(h->data);
}

static void on_close(uv_handle_t *h)
{
	(void)h;
}

static void on_stop(uv_async_t *h)
{
	struct fng_logger *lg = h->data;

	drain(lg);
	if (lg->exit_info) {
		struct fng_exit_info *xi = lg->exit_info;
		char *line = NULL;
		size_t len = 0;

		xi->emitted = atomic_load(&lg->counters.emitted);
		xi->dropped = atomic_load(&lg->counters.dropped);
		xi->blocked = atomic_load(&lg->counters.blocked);
		xi->alerted = atomic_load(&lg->counters.alerted);
		xi->processes = atomic_load(&lg->counters.processes);
		xi->traced_calls = atomic_load(&lg->counters.traced_calls);
		if (fng_format_exit(xi, &lg->fn, &line, &len) == 0)
			emit_line(lg, line, len);
		free(line);
	}
	uv_close((uv_handle_t *)&lg->wake, on_close);
	uv_close((uv_handle_t *)&lg->stop, on_close);
}

static void *thread_main(void *arg)
{
	struct fng_logger *lg = arg;

	atomic_store(&lg->tid, gettid());
	uv_sem_post(&lg->started);
	uv_run(&lg->loop, UV_RUN_DEFAULT);
	return NULL;
}

static int open_sink(const struct fng_sink_spec *spec, int *fd)
{
	switch (spec->kind) {
	case FNG_SINK_STDERR:
		*fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
		break;
	case FNG_SINK_STDOUT:
		*fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
		break;
	case FNG_SINK_FILE:
		*fd = open(spec->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
		break;
	}
	return *fd < 0 ? -errno : 0;
}

static void logger_free(struct fng_logger *lg)
{
	for (size_t i = 0; i < lg->n_sinks; i++)
		close(lg->sinks[i].fd);
	fng_ring_destroy(&lg->ring);
	fng_function_info_free(&lg->fn);
	free(lg);
}

int fng_logger_start(struct fng_logger **out, const struct fng_sink_spec *specs, size_t n, char *err, size_t errn)
{
	struct fng_logger *lg = calloc(1, sizeof(*lg));
	sigset_t all, old;
	int r;

	if (!lg)
		return -ENOMEM;
	if (n > MAX_SINKS) {
		snprintf(err, errn, "at most %d log destinations", MAX_SINKS);
		free(lg);
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		r = open_sink(&specs[i], &lg->sinks[i].fd);
		if (r < 0) {
			snprintf(err, errn, "cannot open log destination %s: %s",
				 specs[i].kind == FNG_SINK_FILE ? specs[i].path : "stdio", strerror(-r));
			logger_free(lg);
			return r;
		}
		lg->n_sinks++;
	}
	r = fng_ring_init(&lg->ring, FNG_RING_CAPACITY);
	if (r < 0) {
		snprintf(err, errn, "cannot allocate the event ring: %s", strerror(-r));
		logger_free(lg);
		return r;
	}
	fng_function_info_from_env(&lg->fn);
	r = uv_loop_init(&lg->loop);
	if (r == 0)
		r = uv_async_init(&lg->loop, &lg->wake, on_wake);
	if (r == 0)
		r = uv_async_init(&lg->loop, &lg->stop, on_stop);
	if (r < 0) {
		snprintf(err, errn, "cannot start the event loop: %s", uv_strerror(r));
		logger_free(lg);
		return -EIO;
	}
	lg->wake.data = lg;
	lg->stop.data = lg;

	if (uv_sem_init(&lg->started, 0) < 0) {
		snprintf(err, errn, "cannot start the logging thread");
		logger_free(lg);
		return -EIO;
	}
	/* The logging thread takes no signals: they belong to the tracer thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r = pthread_create(&lg->thread, NULL, thread_main, lg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r != 0) {
		snprintf(err, errn, "cannot start the logging thread: %s", strerror(r));
		uv_close((uv_handle_t *)&lg->wake, NULL);
		uv_close((uv_handle_t *)&lg->stop, NULL);
		uv_run(&lg->loop, UV_RUN_DEFAULT);
		uv_loop_close(&lg->loop);
		logger_free(lg);
		return -r;
	}
	uv_sem_wait(&lg->started);
	uv_sem_destroy(&lg->started);
	*out = lg;
	return 0;
}

pid_t fng_logger_tid(struct fng_logger *lg)
{
	return atomic_load(&lg->tid);
}

struct fng_event *fng_logger_reserve(struct fng_logger *lg)
{
	struct fng_event *ev = fng_ring_reserve(&lg->ring);

	if (!ev) {
		atomic_fetch_add_explicit(&lg->counters.dropped, 1, memory_order_relaxed);
		return NULL;
	}
	memset(ev, 0, sizeof(*ev));
	ev->time_ns = fng_now_ns();
	return ev;
}

void fng_logger_commit(struct fng_logger *lg)
{
	fng_ring_commit(&lg->ring);
	atomic_fetch_add_explicit(&lg->counters.emitted, 1, memory_order_relaxed);
	uv_async_send(&lg->wake);
}

void fng_logger_lifecycle(struct fng_logger *lg, const char *phase, const char *fmt, ...)
{
	struct fng_event *ev = fng_logger_reserve(lg);
	va_list ap;

	if (!ev)
		return;
	ev->type = FNG_EV_LIFECYCLE;
	ev->rule = FNG_RULE_NONE;
	fng_strlcpy(ev->phase, phase, sizeof(ev->phase));
	va_start(ap, fmt);
	vsnprintf(ev->message, sizeof(ev->message), fmt, ap);
	va_end(ap);
	fng_logger_commit(lg);
}

struct fng_counters *fng_logger_counters(struct fng_logger *lg)
{
	return &lg->counters;
}

void fng_logger_stop(struct fng_logger *lg, struct fng_exit_info *xi)
{
	if (!lg)
		return;
	lg->exit_info = xi;
	uv_async_send(&lg->stop);
	pthread_join(lg->thread, NULL);
	uv_loop_close(&lg->loop);
	logger_free(lg);
}
