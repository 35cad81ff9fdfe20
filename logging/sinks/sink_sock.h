/* Non-blocking writing of a sink's queue to a socket or a non-blocking fd,
 * on the libuv loop: stream (partial writes, one line may span several
 * writes) or datagram (one line per datagram). Connected sockets are
 * reconnected with exponential backoff; an adopted fd (stdio) is not. */
#ifndef FNG_SINK_SOCK_H
#define FNG_SINK_SOCK_H

#include "logging/sinks/sink.h"

#include <sys/socket.h>

#define FNG_RECONNECT_FIRST_MS 100
#define FNG_RECONNECT_MAX_MS 5000

struct fng_sock {
	struct fng_sink *s;
	int fd;			/* -1: not connected */
	int socktype;		/* SOCK_STREAM or SOCK_DGRAM */
	bool is_socket;		/* send(MSG_DONTWAIT) rather than writev on an O_NONBLOCK fd */
	bool adopted;		/* not ours to reconnect */
	bool connecting, connected, dead;
	bool dgram_fallback;	/* unix: stream, or datagram on EPROTOTYPE */
	size_t off;		/* stream: bytes of the oldest line already written */
	uv_poll_t *poll;	/* per connection; closed asynchronously */
	int poll_events;
	uv_timer_t retry;
	bool retry_init;
	uint64_t backoff_ms;
	int open_handles;	/* handles not yet closed; close finishes at 0 */
	bool closing;
	/* Owner: called when a (re)connection is due. It calls fng_sock_connect
	 * (perhaps after resolving a name), or fng_sock_failed. */
	void (*want_connect)(struct fng_sock *k);
};

void fng_sock_init(struct fng_sock *k, struct fng_sink *s, int socktype, void (*want_connect)(struct fng_sock *));
/* Connect a new socket to sa (non-blocking). */
void fng_sock_connect(struct fng_sock *k, const struct sockaddr *sa, socklen_t len);
/* Write to an fd we did not connect (stdio): never reconnected. */
int fng_sock_adopt(struct fng_sock *k, int fd, bool is_socket);
/* A connection attempt failed before a socket existed (e.g. resolving). */
void fng_sock_failed(struct fng_sock *k, const char *what, int err);
/* Try want_connect again after the next backoff delay. */
void fng_sock_retry_later(struct fng_sock *k);
/* Start: connect now (want_connect). */
void fng_sock_start(struct fng_sock *k);
void fng_sock_kick(struct fng_sock *k);
bool fng_sock_ready(const struct fng_sock *k);
/* 1 while a line is half written on a stream, else 0. */
size_t fng_sock_inflight(const struct fng_sock *k);
/* Close everything; fng_sink_closed() once every handle is closed. An owner
 * with requests of its own counts them in open_handles and reports each
 * one's end with fng_sock_handle_closed(). */
void fng_sock_close(struct fng_sock *k);
void fng_sock_handle_closed(struct fng_sock *k);

#endif
