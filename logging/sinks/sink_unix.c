/* unix:/path — JSON lines to a local socket: a stream connection, or one
 * event per datagram. unix: tries stream first and settles on datagram when
 * the socket says so (EPROTOTYPE); unix+stream: and unix+dgram: fix it. */
#include "logging/sinks/sink_sock.h"
#include "common/util.h"

#include <sys/un.h>

struct unix_sink {
	struct fng_sock k;
	struct sockaddr_un addr;
};

static void unix_connect(struct fng_sock *k)
{
	struct unix_sink *u = k->s->priv;

	fng_sock_connect(k, (const struct sockaddr *)&u->addr, sizeof(u->addr));
}

static int unix_start(struct fng_sink *s, char *err, size_t errn)
{
	struct unix_sink *u = s->priv;

	(void)err;
	(void)errn;
	fng_sock_init(&u->k, s, s->spec.sock == FNG_SOCK_DGRAM ? SOCK_DGRAM : SOCK_STREAM, unix_connect);
	u->k.dgram_fallback = s->spec.sock == FNG_SOCK_AUTO;
	u->addr.sun_family = AF_UNIX;
	fng_strlcpy(u->addr.sun_path, s->spec.target, sizeof(u->addr.sun_path));
	fng_sock_start(&u->k);
	return 0;
}

static void unix_kick(struct fng_sink *s)
{
	fng_sock_kick(&((struct unix_sink *)s->priv)->k);
}

static bool unix_ready(struct fng_sink *s)
{
	return fng_sock_ready(&((struct unix_sink *)s->priv)->k);
}

static size_t unix_inflight(struct fng_sink *s)
{
	return fng_sock_inflight(&((struct unix_sink *)s->priv)->k);
}

static void unix_close(struct fng_sink *s)
{
	fng_sock_close(&((struct unix_sink *)s->priv)->k);
}

const struct fng_sink_ops fng_sink_unix_ops = {
	.priv_size = sizeof(struct unix_sink),
	.start = unix_start,
	.kick = unix_kick,
	.ready = unix_ready,
	.inflight = unix_inflight,
	.close = unix_close,
};
