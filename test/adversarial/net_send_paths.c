/* net_send_paths — ways to reach a blocked host other than a plain IPv4
 * connect(): the destination spelled differently, or carried by a send call.
 *
 * The program makes a network namespace of its own (unshare(CLONE_NEWNET))
 * with 10.89.2.1 (the blocked host) and 10.89.0.54 (a DNS resolver nobody
 * listed) on its lo, so no packet can leave it. Each vector has its own
 * receiver on its own port, and is BYPASSED when something reached it.
 *
 * Vectors (receiver):
 *   mapped_v6_connect   AF_INET6 connect to ::ffff:10.89.2.1      (tcp 10.89.2.1:5401)
 *   udp_sendto          sendto 10.89.2.1 on an AF_INET UDP socket  (udp 10.89.2.1:5402)
 *   udp_sendto_unspec   sendto with sa_family = AF_UNSPEC and IPv4 bytes: the
 *                       kernel takes it as AF_INET for UDP        (udp 10.89.2.1:5403)
 *   tcp_fastopen        sendto(MSG_FASTOPEN) on a TCP socket: connect + data
 *                                                                  (tcp 10.89.2.1:5404)
 *   dns_unlisted_resolver  a DNS query for allowed.test (type A) sent with
 *                       sendto to 10.89.0.54:53                    (udp 10.89.0.54:53)
 * A defended line says what the call returned ("errno 13 (Permission denied)")
 * and that 0 arrived. Env: none besides the usual (FNG_WORKDIR is checked).
 */
#define _GNU_SOURCE
#include "adv.h"

#include <netinet/tcp.h>

#define BLOCKED "10.89.2.1"
#define RESOLVER "10.89.0.54"
#define WAIT_MS 250

struct vec {
	const char *name, *addr;
	int type, port;
	/* the attempt: 0 or -errno */
	int (*send)(const struct vec *v);
};

static struct sockaddr_in v4(const char *addr, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, addr, &a.sin_addr);
	return a;
}

static int result(int r, int s)
{
	int e = errno;
	close(s);
	return r < 0 ? -e : 0;
}

static int mapped_v6_connect(const struct vec *v)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)v->port) };
	char mapped[64];
	int s = socket(AF_INET6, SOCK_STREAM, 0);

	if (s < 0)
		return -errno;
	snprintf(mapped, sizeof(mapped), "::ffff:%s", v->addr);
	inet_pton(AF_INET6, mapped, &a.sin6_addr);
	return result(connect(s, (struct sockaddr *)&a, sizeof(a)), s);
}

static int udp_sendto(const struct vec *v)
{
	struct sockaddr_in a = v4(v->addr, v->port);
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (s < 0)
		return -errno;
	return result((int)sendto(s, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)), s);
}

static int udp_sendto_unspec(const struct vec *v)
{
	struct sockaddr_in a = v4(v->addr, v->port);
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (s < 0)
		return -errno;
	a.sin_family = AF_UNSPEC;
	return result((int)sendto(s, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)), s);
}

static int tcp_fastopen(const struct vec *v)
{
	struct sockaddr_in a = v4(v->addr, v->port);
	int s = socket(AF_INET, SOCK_STREAM, 0);

	if (s < 0)
		return -errno;
	return result((int)sendto(s, "x", 1, MSG_FASTOPEN, (struct sockaddr *)&a, sizeof(a)), s);
}

static int dns_unlisted_resolver(const struct vec *v)
{
	/* id 0x4242, RD, one question: allowed.test IN A */
	static const char q[] = "\x42\x42\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
				"\x07" "allowed" "\x04" "test" "\x00" "\x00\x01\x00\x01";
	struct sockaddr_in a = v4(v->addr, v->port);
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (s < 0)
		return -errno;
	return result((int)sendto(s, q, sizeof(q) - 1, 0, (struct sockaddr *)&a, sizeof(a)), s);
}

static void run(const struct vec *v)
{
	int rx = adv_receiver(v->type, v->addr, v->port), r, got;
	const char *what = v->type == SOCK_STREAM ? "connection(s)" : "datagram(s)";

	if (rx < 0) {
		report(v->name, ERRORED, "setup: receiver %s:%d: %s", v->addr, v->port, strerror(errno));
		return;
	}
	r = v->send(v);
	got = adv_arrivals(rx, WAIT_MS);
	close(rx);
	if (got > 0)
		report(v->name, BYPASSED, "%s; %d %s reached %s:%d", r < 0 ? strerror(-r) : "the call succeeded", got,
		       what, v->addr, v->port);
	else if (r < 0)
		report(v->name, DEFENDED, "errno %d (%s); 0 %s reached %s:%d", -r, strerror(-r), what, v->addr, v->port);
	else
		report(v->name, DEFENDED, "the call returned success; 0 %s reached %s:%d", what, v->addr, v->port);
}

int main(void)
{
	static const char *const addrs[] = { BLOCKED, RESOLVER };
	static const struct vec vecs[] = {
		{ "mapped_v6_connect", BLOCKED, SOCK_STREAM, 5401, mapped_v6_connect },
		{ "udp_sendto", BLOCKED, SOCK_DGRAM, 5402, udp_sendto },
		{ "udp_sendto_unspec", BLOCKED, SOCK_DGRAM, 5403, udp_sendto_unspec },
		{ "tcp_fastopen", BLOCKED, SOCK_STREAM, 5404, tcp_fastopen },
		{ "dns_unlisted_resolver", RESOLVER, SOCK_DGRAM, 53, dns_unlisted_resolver },
	};

	adv_init();
	need_env("FNG_WORKDIR");
	adv_own_netns(addrs, 2);
	for (size_t i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++)
		run(&vecs[i]);
	return adv_exit_status();
}
