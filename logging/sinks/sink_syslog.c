/* Syslog sinks. syslog+udp:// and syslog+tcp:// send RFC 5424 messages
 * (TCP with RFC 6587 octet-counted framing); syslog: sends to the local
 * daemon's datagram socket (/dev/log) in the traditional format glibc's
 * syslog() uses, which rsyslog and journald both read. Facility user; the
 * severity follows the event (docs/events.md). MSG is the JSON event. */
#include "logging/sinks/sink_sock.h"
#include "common/hostport.h"
#include "common/util.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <sys/un.h>
#include <time.h>

#define FACILITY_USER 1

struct syslog_sink {
	struct fng_sock k;
	char host[256];
	char port[8];
	char hostname[256];	/* ours, for the HOSTNAME field */
	pid_t pid;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	bool have_addr;		/* numeric host or local path */
	uv_getaddrinfo_t gai;
	bool resolving;
};

static void on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
	struct syslog_sink *y = req->data;
	struct fng_sock *k = &y->k;

	y->resolving = false;
	if (k->closing || status < 0) {
		if (!k->closing) {
			fng_sink_fail(k->s, "cannot resolve %s: %s", y->host, uv_strerror(status));
			fng_sock_retry_later(k);
		}
		uv_freeaddrinfo(res);
		fng_sock_handle_closed(k);
		return;
	}
	fng_sock_handle_closed(k);
	fng_sock_connect(k, res->ai_addr, res->ai_addrlen);
	uv_freeaddrinfo(res);
}

static void syslog_connect(struct fng_sock *k)
{
	struct syslog_sink *y = k->s->priv;
	struct addrinfo hints = { .ai_socktype = k->socktype };
	int r;

	if (y->have_addr) {
		fng_sock_connect(k, (const struct sockaddr *)&y->addr, y->addrlen);
		return;
	}
	if (y->resolving)
		return;
	y->gai.data = y;
	r = uv_getaddrinfo(k->s->loop, &y->gai, on_resolved, y->host, y->port, &hints);
	if (r < 0) {
		fng_sink_fail(k->s, "cannot resolve %s: %s", y->host, uv_strerror(r));
		fng_sock_retry_later(k);
		return;
	}
	y->resolving = true;
	k->open_handles++;
}

static int syslog_start(struct fng_sink *s, char *err, size_t errn)
{
	struct syslog_sink *y = s->priv;
	int socktype = s->spec.kind == FNG_SINK_SYSLOG_TCP ? SOCK_STREAM : SOCK_DGRAM;

	fng_sock_init(&y->k, s, socktype, syslog_connect);
	y->pid = getpid();
	if (gethostname(y->hostname, sizeof(y->hostname)) < 0 || !y->hostname[0] || strpbrk(y->hostname, " \t\r\n"))
		strcpy(y->hostname, "-");
	y->hostname[sizeof(y->hostname) - 1] = '\0';
	if (s->spec.kind == FNG_SINK_SYSLOG_LOCAL) {
		struct sockaddr_un *un = (struct sockaddr_un *)&y->addr;
		un->sun_family = AF_UNIX;
		fng_strlcpy(un->sun_path, s->spec.target, sizeof(un->sun_path));
		y->addrlen = sizeof(*un);
		y->have_addr = true;
	} else {
		struct sockaddr_in *in4 = (struct sockaddr_in *)&y->addr;
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&y->addr;
		struct fng_hostport hp;

		if (fng_hostport_parse(s->spec.target, &hp) < 0) {
			snprintf(err, errn, "%s: expected host:port", s->name);
			return -EINVAL;
		}
		memcpy(y->host, hp.host, sizeof(y->host));
		snprintf(y->port, sizeof(y->port), "%u", hp.port);
		if (inet_pton(AF_INET, y->host, &in4->sin_addr) == 1) {
			in4->sin_family = AF_INET;
			in4->sin_port = htons(hp.port);
			y->addrlen = sizeof(*in4);
			y->have_addr = true;
		} else if (inet_pton(AF_INET6, y->host, &in6->sin6_addr) == 1) {
			in6->sin6_family = AF_INET6;
			in6->sin6_port = htons(hp.port);
			y->addrlen = sizeof(*in6);
			y->have_addr = true;
		}
	}
	fng_sock_start(&y->k);
	return 0;
}

/* The JSON without its final newline. */
static int msg_len(const struct fng_line *l)
{
	return (int)(l->len && l->data[l->len - 1] == '\n' ? l->len - 1 : l->len);
}

static struct fng_line *syslog_frame(struct fng_sink *s, struct fng_line *l)
{
	struct syslog_sink *y = s->priv;
	int pri = FACILITY_USER * 8 + (l->severity & 7);
	time_t secs = (time_t)(l->time_ns / 1000000000u);
	const char *msgid = l->msgid[0] ? l->msgid : "-";
	struct fng_line *f;
	char head[512], ts[40], count[24] = "";
	struct tm tm;
	int hlen, clen = 0;
	size_t total;

	if (s->spec.kind == FNG_SINK_SYSLOG_LOCAL) {
		localtime_r(&secs, &tm);
		strftime(ts, sizeof(ts), "%b %e %H:%M:%S", &tm);
		hlen = snprintf(head, sizeof(head), "<%d>%s fnguard[%d]: ", pri, ts, (int)y->pid);
	} else {
		gmtime_r(&secs, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
		hlen = snprintf(head, sizeof(head), "<%d>1 %s.%03uZ %s fnguard %d %s - ", pri, ts,
				(unsigned)((l->time_ns / 1000000u) % 1000u), y->hostname, (int)y->pid, msgid);
	}
	if (hlen < 0 || (size_t)hlen >= sizeof(head))
		return NULL;
	total = (size_t)hlen + (size_t)msg_len(l);
	/* TCP: RFC 6587 octet counting, "LEN SP SYSLOG-MSG". */
	if (s->spec.kind == FNG_SINK_SYSLOG_TCP)
		clen = snprintf(count, sizeof(count), "%zu ", total);
	f = fng_line_alloc((size_t)clen + total);
	if (!f)
		return NULL;
	memcpy(f->data, count, (size_t)clen);
	memcpy(f->data + clen, head, (size_t)hlen);
	memcpy(f->data + clen + hlen, l->data, (size_t)msg_len(l));
	f->seq = l->seq;
	f->time_ns = l->time_ns;
	return f;
}

static void syslog_kick(struct fng_sink *s)
{
	fng_sock_kick(&((struct syslog_sink *)s->priv)->k);
}

static bool syslog_ready(struct fng_sink *s)
{
	return fng_sock_ready(&((struct syslog_sink *)s->priv)->k);
}

static size_t syslog_inflight(struct fng_sink *s)
{
	return fng_sock_inflight(&((struct syslog_sink *)s->priv)->k);
}

static void syslog_close(struct fng_sink *s)
{
	struct syslog_sink *y = s->priv;

	if (y->resolving)
		uv_cancel((uv_req_t *)&y->gai);
	fng_sock_close(&y->k);
}

const struct fng_sink_ops fng_sink_syslog_ops = {
	.priv_size = sizeof(struct syslog_sink),
	.start = syslog_start,
	.kick = syslog_kick,
	.ready = syslog_ready,
	.inflight = syslog_inflight,
	.close = syslog_close,
	.frame = syslog_frame,
};
