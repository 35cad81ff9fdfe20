/* Writing a sink's queue to a socket or non-blocking fd (sink_sock.h). */
#include "logging/sinks/sink_sock.h"
#include "common/util.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/uio.h>

#define MAX_IOV 64
#define MAX_WRITE (256u * 1024u)

static void on_poll(uv_poll_t *p, int status, int events);

static void finish_if_closed(struct fng_sock *k)
{
	if (k->closing && k->open_handles == 0)
		fng_sink_closed(k->s);
}

void fng_sock_handle_closed(struct fng_sock *k)
{
	k->open_handles--;
	finish_if_closed(k);
}

static void on_handle_closed(uv_handle_t *h)
{
	fng_sock_handle_closed(h->data);
}

static void on_poll_closed(uv_handle_t *h)
{
	struct fng_sock *k = h->data;

	free(h);
	fng_sock_handle_closed(k);
}

void fng_sock_init(struct fng_sock *k, struct fng_sink *s, int socktype, void (*want_connect)(struct fng_sock *))
{
	memset(k, 0, sizeof(*k));
	k->s = s;
	k->fd = -1;
	k->socktype = socktype;
	k->is_socket = true;
	k->want_connect = want_connect;
}

static int set_poll(struct fng_sock *k, int events)
{
	int r;

	if (!k->poll) {
		autofree uv_poll_t *poll = NULL;

		if (events == 0)
			return 0;
		poll = malloc(sizeof(*poll));
		if (!poll)
			return -ENOMEM;
		r = uv_poll_init(k->s->loop, poll, k->fd);
		if (r < 0)
			return r;
		k->poll = fng_steal_ptr(&poll);
		k->poll->data = k;
		k->open_handles++;
		k->poll_events = 0;
	}
	if (events == k->poll_events)
		return 0;
	k->poll_events = events;
	return events ? uv_poll_start(k->poll, events, on_poll) : uv_poll_stop(k->poll);
}

static void drop_connection(struct fng_sock *k)
{
	if (k->poll) {
		uv_close((uv_handle_t *)k->poll, on_poll_closed);
		k->poll = NULL;
		k->poll_events = 0;
	}
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
	k->connected = k->connecting = false;
	k->off = 0;	/* a line cut by a broken connection is sent again whole */
}

static void on_retry(uv_timer_t *t)
{
	struct fng_sock *k = t->data;

	if (k->closing)
		return;
	k->s->st.retries++;
	k->want_connect(k);
}

void fng_sock_retry_later(struct fng_sock *k)
{
	if (k->closing || !k->retry_init)
		return;
	k->backoff_ms = fng_backoff_next(k->backoff_ms, FNG_RECONNECT_FIRST_MS, FNG_RECONNECT_MAX_MS);
	uv_timer_start(&k->retry, on_retry, k->backoff_ms, 0);
}

/* The connection is gone: report once, then reconnect (or give up on an adopted fd). */
static void lost(struct fng_sock *k, const char *msg)
{
	fng_sink_fail(k->s, "%s", msg);
	drop_connection(k);
	if (k->adopted) {
		k->dead = true;
		fng_sink_drop_all(k->s);
		return;
	}
	fng_sock_retry_later(k);
}

static void lost_errno(struct fng_sock *k, const char *what, int err)
{
	char msg[160];

	snprintf(msg, sizeof(msg), "%s: %s", what, strerror(err));
	lost(k, msg);
}

void fng_sock_failed(struct fng_sock *k, const char *what, int err)
{
	fng_sink_fail(k->s, "%s: %s", what, strerror(err));
	fng_sock_retry_later(k);
}

static int base_events(const struct fng_sock *k)
{
	/* A stream peer that goes away shows as readable (EOF): reconnect early. */
	return k->is_socket && k->socktype == SOCK_STREAM ? UV_READABLE | UV_DISCONNECT : 0;
}

static void connected(struct fng_sock *k)
{
	k->connecting = false;
	k->connected = true;
	k->backoff_ms = 0;
	fng_sink_recovered(k->s);
	if (set_poll(k, base_events(k)) < 0) {
		lost(k, "cannot poll the socket");
		return;
	}
	fng_sock_kick(k);
}

void fng_sock_connect(struct fng_sock *k, const struct sockaddr *sa, socklen_t len)
{
	int fd, e;

	if (k->closing)
		return;
	fd = socket(sa->sa_family, k->socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fng_sock_failed(k, "socket", errno);
		return;
	}
	k->fd = fd;
	if (connect(fd, sa, len) == 0) {
		connected(k);
		return;
	}
	e = errno;
	if (e == EPROTOTYPE && k->dgram_fallback && k->socktype == SOCK_STREAM) {
		/* unix: a datagram socket: settle on datagrams, at once. */
		drop_connection(k);
		k->socktype = SOCK_DGRAM;
		k->dgram_fallback = false;
		fng_sock_connect(k, sa, len);
		return;
	}
	if (e == EINPROGRESS) {
		k->connecting = true;
		if (set_poll(k, UV_WRITABLE) == 0)
			return;
	}
	drop_connection(k);
	fng_sock_failed(k, "connect", e);
}

int fng_sock_adopt(struct fng_sock *k, int fd, bool is_socket)
{
	k->fd = fd;
	k->adopted = true;
	k->is_socket = is_socket;
	k->connected = true;
	return 0;
}

void fng_sock_start(struct fng_sock *k)
{
	if (!k->retry_init) {
		uv_timer_init(k->s->loop, &k->retry);
		k->retry.data = k;
		k->retry_init = true;
		k->open_handles++;
	}
	if (!k->adopted)
		k->want_connect(k);
}

static void consume(struct fng_sock *k, size_t written)
{
	size_t done = 0;

	while (written) {
		struct fng_line *l = fng_sink_at(k->s, done);
		size_t rem = l->len - k->off;
		if (written < rem) {
			k->off += written;
			break;
		}
		written -= rem;
		k->off = 0;
		done++;
	}
	fng_sink_pop(k->s, done, true);
}

static int write_stream(struct fng_sock *k)
{
	for (;;) {
		struct iovec iov[MAX_IOV];
		size_t n = 0, total = 0;
		ssize_t w;

		for (struct fng_line *l; n < MAX_IOV && total < MAX_WRITE && (l = fng_sink_at(k->s, n)); n++) {
			size_t skip = n == 0 ? k->off : 0;
			iov[n].iov_base = l->data + skip;
			iov[n].iov_len = l->len - skip;
			total += iov[n].iov_len;
		}
		if (n == 0)
			return 0;
		if (k->is_socket) {
			struct msghdr mh = { .msg_iov = iov, .msg_iovlen = n };
			w = sendmsg(k->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
		} else {
			w = writev(k->fd, iov, (int)n);
		}
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN ? -EAGAIN : -errno;
		}
		consume(k, (size_t)w);
	}
}

static int write_dgram(struct fng_sock *k)
{
	struct fng_line *l;

	while ((l = fng_sink_at(k->s, 0))) {
		ssize_t w = send(k->fd, l->data, l->len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == ENOBUFS)
				return -EAGAIN;
			if (errno == EMSGSIZE) {
				/* Too large for this transport: drop this one, keep going. */
				fng_sink_fail(k->s, "an event of %u bytes is too large for a datagram; dropped", l->len);
				fng_sink_pop(k->s, 1, false);
				continue;
			}
			return -errno;
		}
		fng_sink_pop(k->s, 1, true);
	}
	return 0;
}

void fng_sock_kick(struct fng_sock *k)
{
	int r;

	if (k->dead) {
		fng_sink_drop_all(k->s);
		return;
	}
	if (!k->connected || k->closing)
		return;
	r = k->socktype == SOCK_DGRAM ? write_dgram(k) : write_stream(k);
	if (r == -EAGAIN)
		r = set_poll(k, base_events(k) | UV_WRITABLE);
	else if (r == 0)
		r = set_poll(k, base_events(k));
	else
		lost_errno(k, "write", -r);
}

/* Why the socket failed. libuv reports any POLLERR as UV_EBADF, which would
 * name the wrong thing ("Bad file descriptor" for a refused connection):
 * the socket's own pending error comes first. */
static int sock_error(const struct fng_sock *k, int status)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(k->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (!err && status < 0)
		err = -status;
	return err;
}

static void on_poll(uv_poll_t *p, int status, int events)
{
	struct fng_sock *k = p->data;

	if (k->closing || p != k->poll)
		return;
	if (k->connecting) {
		int err = sock_error(k, status);
		if (err) {
			drop_connection(k);
			fng_sock_failed(k, "connect", err);
			return;
		}
		connected(k);
		return;
	}
	if (status < 0) {
		lost_errno(k, "poll", sock_error(k, status));
		return;
	}
	if (events & (UV_READABLE | UV_DISCONNECT)) {
		char buf[512];
		ssize_t n = recv(k->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n == 0) {
			lost(k, "connection closed by the collector");
			return;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			lost_errno(k, "connection", errno);
			return;
		}
	}
	if (events & UV_WRITABLE)
		fng_sock_kick(k);
}

size_t fng_sock_inflight(const struct fng_sock *k)
{
	return k->off ? 1 : 0;
}

bool fng_sock_ready(const struct fng_sock *k)
{
	return k->connected && !k->dead;
}

void fng_sock_close(struct fng_sock *k)
{
	if (k->closing)
		return;
	k->closing = true;
	if (k->retry_init) {
		uv_timer_stop(&k->retry);
		uv_close((uv_handle_t *)&k->retry, on_handle_closed);
	}
	drop_connection(k);
	finish_if_closed(k);
}
