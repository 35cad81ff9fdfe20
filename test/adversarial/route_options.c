/*
 * route_options.c - adversarial test for fnguard (class: socket options and
 * control messages that change where a packet goes)
 *
 * The address given to connect()/sendto() is loopback ([::1] or 127.0.0.1),
 * which fnguard exempts from outbound judgement, but a routing option makes
 * the kernel send the packet to another host first:
 *   - an IPv6 routing header (IPV6_RTHDR): fl6_update_dst() routes to the
 *     header's next segment, and the packet leaves with that segment as its
 *     destination address and the loopback address as the last segment;
 *   - an IPv4 loose/strict source route (IP_OPTIONS, or the IP_RETOPTS control
 *     message): udp_sendmsg() routes to the option's first hop (faddr).
 *
 * Each vector first tries the option on a socket in the ORIGINAL network
 * namespace, as the calling user (acceptance only; nothing is sent there).
 * Then the program makes a network namespace of its own (unshare(CLONE_NEWNET)
 * as root, else CLONE_NEWUSER|CLONE_NEWNET), puts the "remote" hosts
 * 2001:db8:89::1 and 198.18.0.1 on its lo, and sends with the option to
 * loopback.  A packet capture on lo (AF_PACKET, where allowed) and a receiver
 * bound to the remote address show where the packet really went.
 *
 * BYPASSED: the option was accepted in the original namespace and, in the
 * program's own namespace, the call addressed to loopback succeeded and a
 * packet to the remote address carrying the header was captured (or reached
 * the remote receiver).  Where no namespace of its own can be made, the
 * option's acceptance in the original namespace is the bypass (nothing is
 * sent then).  defended: the option was refused (the errno is given), or the
 * packet still went to loopback.
 *
 * Vectors:
 *   rthdr4_sockopt_udp      type-4 (segment routing) header, setsockopt, UDP sendto [::1]
 *   rthdr4_cmsg_udp         the same header as an IPV6_RTHDR sendmsg control message
 *   rthdr2_sockopt_udp      type-2 (mobile IPv6) header, setsockopt, UDP
 *   rthdr0_sockopt_udp      type-0 header (removed from Linux: expected EINVAL)
 *   rthdr4_tcp_connect      TCP connect([::1]) on a socket with the type-4 header
 *   rthdr4_tcp_fastopen     sendto(MSG_FASTOPEN, [::1]) with the type-4 header
 *   ip_lsrr_sockopt_udp     IP_OPTIONS loose source route, UDP sendto 127.0.0.1
 *   ip_ssrr_sockopt_udp     IP_OPTIONS strict source route
 *   ip_lsrr_retopts_cmsg    the loose source route as an IP_RETOPTS control message
 *   ip_lsrr_tcp_connect     TCP connect(127.0.0.1) with IP_OPTIONS loose source route
 *   rthdr4_via_remote_udp   a two-segment type-4 header [::1, remote]: the packet goes
 *                           to the remote host, which sends it on to [::1], where a
 *                           receiver with IPV6_RECVRTHDR sees the header naming the
 *                           remote host (proof without a capture socket)
 *   ipv6_nexthop_cmsg       an IPV6_NEXTHOP control message naming the remote host
 *                           (CAP_NET_RAW; there is no IPV6_NEXTHOP setsockopt):
 *                           does it take a [::1] packet elsewhere?
 *
 * Control messages are tried in the original namespace by a send to an
 * unused loopback port with the hop replaced by loopback (safe), so their
 * acceptance there is known too.
 *
 * Env: none besides the usual (FNG_WORKDIR is checked).
 */
#define _GNU_SOURCE
#include "adv.h"

#include <stdint.h>
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <netinet/tcp.h>

#ifndef IPV6_RTHDR
#define IPV6_RTHDR 57
#endif
#ifndef IPV6_NEXTHOP
#define IPV6_NEXTHOP 9
#endif

#define REMOTE6 "2001:db8:89::1"
#define REMOTE4 "198.18.0.1"
#define PORT 5501
#define WAIT_MS 200

enum how { SOCKOPT, CMSG, CMSG4 };
enum send { UDP_SENDTO, TCP_CONNECT, TCP_FASTOPEN_SEND };

struct rvec {
	const char *name;
	int family, level, opt;	/* the option */
	enum how how;
	enum send send;
	unsigned char hdr[64];
	size_t len;
};

static int have_ns, cap_fd = -1;
static char ns_note[200];

/* ------------------------------------------------------------------ headers */
static size_t rthdr4(unsigned char *h)	/* SRH: one segment, segments_left 0 */
{
	memset(h, 0, 24);
	h[0] = IPPROTO_UDP;	/* nexthdr: the kernel overwrites it */
	h[1] = 2;		/* hdrlen: (24 - 8) / 8 */
	h[2] = 4;		/* type 4: segment routing */
	h[3] = 0;		/* segments_left */
	h[4] = 0;		/* first_segment (last entry) */
	inet_pton(AF_INET6, REMOTE6, h + 8);
	return 24;
}

static size_t rthdr2(unsigned char *h)	/* type 2: hdrlen 2, segments_left 1, one address */
{
	memset(h, 0, 24);
	h[1] = 2;
	h[2] = 2;
	h[3] = 1;
	inet_pton(AF_INET6, REMOTE6, h + 8);
	return 24;
}

static size_t rthdr0(unsigned char *h)
{
	size_t n = rthdr2(h);
	h[2] = 0;
	return n;
}

static size_t srr4(unsigned char *h, unsigned char kind)	/* LSRR 0x83 / SSRR 0x89, first hop REMOTE4 */
{
	h[0] = kind;
	h[1] = 7;
	h[2] = 4;
	inet_pton(AF_INET, REMOTE4, h + 3);
	h[7] = 1;	/* NOP: pad to 8 */
	return 8;
}

/* ------------------------------------------------------------------ sending */
static int set_opt(int s, const struct rvec *v)
{
	return setsockopt(s, v->level, v->opt, v->hdr, (socklen_t)v->len);
}

/* socket + option (unless it travels as a control message); -errno on failure */
static int open_sock(const struct rvec *v, int *fd)
{
	int s = socket(v->family, v->send == UDP_SENDTO ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (s < 0)
		return -errno;
	if (v->how == SOCKOPT && set_opt(s, v) < 0) {
		int e = errno;
		close(s);
		return -e;
	}
	*fd = s;
	return 0;
}

static socklen_t loopback(int family, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons(PORT);
		a->sin6_addr = in6addr_loopback;
		return sizeof *a;
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;
	a->sin_family = AF_INET;
	a->sin_port = htons(PORT);
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sizeof *a;
}

/* the send addressed to loopback; 0 or -errno */
static int do_send(const struct rvec *v, int s)
{
	struct sockaddr_storage ss;
	socklen_t sl = loopback(v->family, &ss);
	long r;

	if (v->send == TCP_CONNECT) {
		int fl = fcntl(s, F_GETFL);
		fcntl(s, F_SETFL, fl | O_NONBLOCK);	/* the SYN is what matters */
		r = connect(s, (struct sockaddr *)&ss, sl);
		if (r < 0 && errno == EINPROGRESS)
			r = 0;
	} else if (v->send == TCP_FASTOPEN_SEND) {
		int fl = fcntl(s, F_GETFL);
		fcntl(s, F_SETFL, fl | O_NONBLOCK);
		r = sendto(s, "x", 1, MSG_FASTOPEN, (struct sockaddr *)&ss, sl);
		if (r < 0 && errno == EINPROGRESS)
			r = 0;
	} else if (v->how == SOCKOPT) {
		r = sendto(s, "x", 1, 0, (struct sockaddr *)&ss, sl);
	} else {
		char cbuf[CMSG_SPACE(64)];
		struct iovec iov = { (void *)"x", 1 };
		struct msghdr m = { .msg_name = &ss, .msg_namelen = sl, .msg_iov = &iov, .msg_iovlen = 1,
				    .msg_control = cbuf, .msg_controllen = CMSG_SPACE(v->len) };
		memset(cbuf, 0, sizeof cbuf);
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = v->level;
		c->cmsg_type = v->opt;
		c->cmsg_len = CMSG_LEN(v->len);
		memcpy(CMSG_DATA(c), v->hdr, v->len);
		r = sendmsg(s, &m, 0);
	}
	return r < 0 ? -errno : 0;
}

/* ------------------------------------------------------------------ observing */
/* captured packets on lo to the remote address: with the header (*hdr), and any at all */
static void captured(int family, int *to_remote, int *with_hdr, int *to_loop)
{
	unsigned char p[2048], r6[16], r4[4];
	inet_pton(AF_INET6, REMOTE6, r6);
	inet_pton(AF_INET, REMOTE4, r4);
	*to_remote = *with_hdr = *to_loop = 0;
	if (cap_fd < 0)
		return;
	struct pollfd pf = { .fd = cap_fd, .events = POLLIN };
	poll(&pf, 1, WAIT_MS);
	for (;;) {
		ssize_t n = recv(cap_fd, p, sizeof p, MSG_DONTWAIT);
		if (n < 0)
			break;
		if (family == AF_INET6 && n >= 40 && (p[0] >> 4) == 6) {
			if (memcmp(p + 24, r6, 16) == 0) {
				(*to_remote)++;
				*with_hdr += p[6] == 43;	/* next header: routing */
			} else if (memcmp(p + 24, &in6addr_loopback, 16) == 0)
				(*to_loop)++;
		} else if (family == AF_INET && n >= 20 && (p[0] >> 4) == 4) {
			if (memcmp(p + 16, r4, 4) == 0) {
				(*to_remote)++;
				for (int i = 20; i < (p[0] & 15) * 4 && i < n; i++)
					if (p[i] == 0x83 || p[i] == 0x89) {
						(*with_hdr)++;
						break;
					}
			} else if (p[16] == 127)
				(*to_loop)++;
		}
	}
}

static int remote_receiver(const struct rvec *v)
{
	int type = v->send == UDP_SENDTO ? SOCK_DGRAM : SOCK_STREAM;
	if (v->family == AF_INET)
		return adv_receiver(type, REMOTE4, PORT);
	int one = 1, s = socket(AF_INET6, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(PORT) };
	if (s < 0)
		return -1;
	inet_pton(AF_INET6, REMOTE6, &a.sin6_addr);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || (type == SOCK_STREAM && listen(s, 16) < 0)) {
		close(s);
		return -1;
	}
	return s;
}

/* ------------------------------------------------------------------ namespace */
static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? -1 : 0;
}

static int add_addr6(const char *addr)
{
	struct { struct in6_addr a; uint32_t prefixlen; int ifindex; } r;	/* struct in6_ifreq */
	int s = socket(AF_INET6, SOCK_DGRAM, 0), rc;
	if (s < 0)
		return -1;
	memset(&r, 0, sizeof r);
	inet_pton(AF_INET6, addr, &r.a);
	r.prefixlen = 128;
	r.ifindex = (int)if_nametoindex("lo");
	rc = ioctl(s, SIOCSIFADDR, &r);
	close(s);
	return rc;
}

static void make_ns(void)
{
	int flags = geteuid() == 0 ? CLONE_NEWNET : CLONE_NEWUSER | CLONE_NEWNET;
	if (unshare(flags) < 0) {
		snprintf(ns_note, sizeof ns_note, "no namespace of its own (unshare: %s), nothing sent", strerror(errno));
		return;
	}
	if (adv_if_up("lo", NULL) < 0 || adv_if_up("lo:1", REMOTE4) < 0 || add_addr6(REMOTE6) < 0) {
		snprintf(ns_note, sizeof ns_note, "own namespace, but addresses failed (%s), nothing sent",
			 strerror(errno));
		return;
	}
	/* let the remote host take what arrives: SRH with segments_left 0, source routes */
	write_file("/proc/sys/net/ipv6/conf/all/seg6_enabled", "1");
	write_file("/proc/sys/net/ipv6/conf/lo/seg6_enabled", "1");
	write_file("/proc/sys/net/ipv4/conf/all/accept_source_route", "1");
	write_file("/proc/sys/net/ipv4/conf/lo/accept_source_route", "1");
	have_ns = 1;
	cap_fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (cap_fd >= 0) {
		struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
					  .sll_ifindex = (int)if_nametoindex("lo") };
		if (bind(cap_fd, (struct sockaddr *)&ll, sizeof ll) < 0) {
			close(cap_fd);
			cap_fd = -1;
		}
	}
	snprintf(ns_note, sizeof ns_note, "own namespace%s", cap_fd >= 0 ? ", capture on lo" : ", no capture");
}

/* ------------------------------------------------------------------ vectors */
#define NV 11
static struct rvec vecs[NV];
static int accepted[NV];	/* 0: accepted in the original namespace, else the errno */

static void build(void)
{
	int i = 0;
	vecs[i] = (struct rvec){ "rthdr4_sockopt_udp", AF_INET6, IPPROTO_IPV6, IPV6_RTHDR, SOCKOPT, UDP_SENDTO, {0}, 0 };
	vecs[i].len = rthdr4(vecs[i].hdr), i++;
	vecs[i] = (struct rvec){ "rthdr4_cmsg_udp", AF_INET6, IPPROTO_IPV6, IPV6_RTHDR, CMSG, UDP_SENDTO, {0}, 0 };
	vecs[i].len = rthdr4(vecs[i].hdr), i++;
	vecs[i] = (struct rvec){ "rthdr2_sockopt_udp", AF_INET6, IPPROTO_IPV6, IPV6_RTHDR, SOCKOPT, UDP_SENDTO, {0}, 0 };
	vecs[i].len = rthdr2(vecs[i].hdr), i++;
	vecs[i] = (struct rvec){ "rthdr0_sockopt_udp", AF_INET6, IPPROTO_IPV6, IPV6_RTHDR, SOCKOPT, UDP_SENDTO, {0}, 0 };
	vecs[i].len = rthdr0(vecs[i].hdr), i++;
	vecs[i] = (struct rvec){ "rthdr4_tcp_connect", AF_INET6, IPPROTO_IPV6, IPV6_RTHDR, SOCKOPT, TCP_CONNECT, {0}, 0 };
	vecs[i].len = rthdr4(vecs[i].hdr), i++;
	vecs[i] = (struct rvec){ "rthdr4_tcp_fastopen", AF_INET6, IPPROTO_IPV6, IPV6_RTHDR, SOCKOPT, TCP_FASTOPEN_SEND, {0}, 0 };
	vecs[i].len = rthdr4(vecs[i].hdr), i++;
	vecs[i] = (struct rvec){ "ip_lsrr_sockopt_udp", AF_INET, IPPROTO_IP, IP_OPTIONS, SOCKOPT, UDP_SENDTO, {0}, 0 };
	vecs[i].len = srr4(vecs[i].hdr, 0x83), i++;
	vecs[i] = (struct rvec){ "ip_ssrr_sockopt_udp", AF_INET, IPPROTO_IP, IP_OPTIONS, SOCKOPT, UDP_SENDTO, {0}, 0 };
	vecs[i].len = srr4(vecs[i].hdr, 0x89), i++;
	vecs[i] = (struct rvec){ "ip_lsrr_retopts_cmsg", AF_INET, IPPROTO_IP, IP_RETOPTS, CMSG4, UDP_SENDTO, {0}, 0 };
	vecs[i].len = srr4(vecs[i].hdr, 0x83), i++;
	vecs[i] = (struct rvec){ "ip_lsrr_tcp_connect", AF_INET, IPPROTO_IP, IP_OPTIONS, SOCKOPT, TCP_CONNECT, {0}, 0 };
	vecs[i].len = srr4(vecs[i].hdr, 0x83), i++;
	vecs[i] = (struct rvec){ "ipv6_nexthop_cmsg", AF_INET6, IPPROTO_IPV6, IPV6_NEXTHOP, CMSG, UDP_SENDTO, {0}, 0 };
	struct sockaddr_in6 nh = { .sin6_family = AF_INET6 };
	inet_pton(AF_INET6, REMOTE6, &nh.sin6_addr);
	memcpy(vecs[i].hdr, &nh, sizeof nh);
	vecs[i].len = sizeof nh, i++;
}

/* In the original namespace, as the calling user: is the option accepted?
 * A control message is only judged by a send, so it is sent with the
 * remote hop replaced by loopback (127.0.0.1 / ::1) to an unused loopback
 * port: the packet cannot leave the machine. */
static int accept_orig(const struct rvec *v)
{
	int s = -1;
	struct rvec c = *v;
	if (v->how == SOCKOPT) {
		int r = open_sock(v, &s);
		if (r < 0)
			return -r;
		close(s);
		return 0;
	}
	if (v->opt == IPV6_NEXTHOP)
		memcpy(((struct sockaddr_in6 *)c.hdr)->sin6_addr.s6_addr, &in6addr_loopback, 16);
	else if (v->family == AF_INET6)
		memcpy(c.hdr + 8, &in6addr_loopback, 16);
	else
		inet_pton(AF_INET, "127.0.0.1", c.hdr + 3);
	int r = open_sock(&c, &s);
	if (r < 0)
		return -r;
	r = do_send(&c, s);
	close(s);
	return r < 0 ? -r : 0;
}

static void run(int i)
{
	const struct rvec *v = &vecs[i];
	const char *acc = accepted[i] == 0 ? "accepted in the original namespace" : NULL;
	char accbuf[120];
	if (!acc) {
		snprintf(accbuf, sizeof accbuf, "refused in the original namespace: %s", strerror(accepted[i]));
		acc = accbuf;
	}
	if (!have_ns) {
		report(v->name, accepted[i] == 0 ? BYPASSED : DEFENDED, "option %s; %s", acc, ns_note);
		return;
	}
	if (accepted[i] != 0) {
		report(v->name, DEFENDED, "option %s", acc);
		return;
	}
	int to_r, hdr, to_l, s = -1, rx = remote_receiver(v);
	captured(v->family, &to_r, &hdr, &to_l);	/* drain */
	int r = open_sock(v, &s);
	if (r < 0) {
		if (rx >= 0)
			close(rx);
		report(v->name, DEFENDED, "option %s, but refused in the own namespace: %s", acc, strerror(-r));
		return;
	}
	r = do_send(v, s);
	int got = rx >= 0 ? adv_arrivals(rx, WAIT_MS) : 0;
	captured(v->family, &to_r, &hdr, &to_l);
	close(s);
	if (rx >= 0)
		close(rx);
	const char *dst = v->family == AF_INET6 ? REMOTE6 : REMOTE4;
	char obs[600];
	snprintf(obs, sizeof obs, "%s; captured %d packet(s) to %s (%d with the header), %d to loopback; "
		 "%d reached the receiver on %s:%d", ns_note, to_r, dst, hdr, to_l, got, dst, PORT);
	if (r < 0 && !to_r && !got)
		report(v->name, DEFENDED, "option %s; the send to loopback failed: %s; %s", acc, strerror(-r), obs);
	else if (to_r || got)
		report(v->name, BYPASSED, "option %s; the call addressed to loopback %s; %s", acc,
		       r < 0 ? strerror(-r) : "succeeded", obs);
	else if (cap_fd < 0 && r == 0 && accepted[i] == 0)
		report(v->name, BYPASSED, "option %s and the send succeeded (no capture to see where it went); %s",
		       acc, obs);
	else
		report(v->name, DEFENDED, "option %s and the call %s, but the packet did not go to %s; %s", acc,
		       r < 0 ? strerror(-r) : "succeeded", dst, obs);
}

/*
 * rthdr4_via_remote_udp: a two-segment header [::1 (filled in by the kernel),
 * REMOTE6], segments_left 1: the packet goes to REMOTE6 first, which (with
 * seg6_enabled in the own namespace) moves it on to ::1, where a receiver
 * with IPV6_RECVRTHDR sees the header that names REMOTE6.  This needs no
 * capture socket: proof that the packet was routed through the remote host
 * even where AF_PACKET is refused.
 */
static void vec_rthdr4_via(void)
{
	const char *name = "rthdr4_via_remote_udp";
	unsigned char h[40], r6[16];
	memset(h, 0, sizeof h);
	h[0] = IPPROTO_UDP;
	h[1] = 4;	/* (40 - 8) / 8 */
	h[2] = 4;
	h[3] = 1;	/* segments_left */
	h[4] = 1;	/* first_segment */
	inet_pton(AF_INET6, REMOTE6, r6);
	memcpy(h + 24, r6, 16);	/* segments[1] = REMOTE6, visited first */
	int s = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		setup_failed(name, "socket", errno);
		return;
	}
	if (setsockopt(s, IPPROTO_IPV6, IPV6_RTHDR, h, sizeof h) < 0) {
		report(name, DEFENDED, "setsockopt(IPV6_RTHDR, 2 segments): %s", strerror(errno));
		close(s);
		return;
	}
	if (!have_ns) {
		report(name, BYPASSED, "two-segment header accepted in the original namespace; %s", ns_note);
		close(s);
		return;
	}
	close(s);	/* it was made in the original namespace: send from the own one */
	s = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rx = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), one = 1;
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(PORT + 1), .sin6_addr = in6addr_loopback };
	if (s < 0 || rx < 0 || setsockopt(s, IPPROTO_IPV6, IPV6_RTHDR, h, sizeof h) < 0 ||
	    setsockopt(rx, IPPROTO_IPV6, IPV6_RECVRTHDR, &one, sizeof one) < 0 || bind(rx, (struct sockaddr *)&a, sizeof a) < 0) {
		report(name, ERRORED, "setup in the own namespace: %s", strerror(errno));
		if (s >= 0)
			close(s);
		if (rx >= 0)
			close(rx);
		return;
	}
	int to_r, hdr, to_l;
	captured(AF_INET6, &to_r, &hdr, &to_l);	/* drain */
	int r = (int)sendto(s, "x", 1, 0, (struct sockaddr *)&a, sizeof a), e = errno;
	struct pollfd pf = { .fd = rx, .events = POLLIN };
	poll(&pf, 1, WAIT_MS);
	char data[16], cbuf[512];
	struct iovec iov = { data, sizeof data };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
	int got = recvmsg(rx, &m, MSG_DONTWAIT) > 0, via = 0;
	for (struct cmsghdr *c = got ? CMSG_FIRSTHDR(&m) : NULL; c; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RTHDR)
			for (size_t i = 0; i + 16 <= c->cmsg_len - CMSG_LEN(0); i++)
				via |= memcmp(CMSG_DATA(c) + i, r6, 16) == 0;
	captured(AF_INET6, &to_r, &hdr, &to_l);
	close(s);
	close(rx);
	if (via || to_r)
		report(name, BYPASSED, "sendto [::1]:%d %s; the datagram %s with a routing header naming %s; captured %d packet(s) to %s",
		       PORT + 1, r < 0 ? strerror(e) : "succeeded", got ? "reached [::1]" : "was captured", REMOTE6, to_r, REMOTE6);
	else
		report(name, DEFENDED, "sendto [::1]:%d %s; %s; no sign of %s",
		       PORT + 1, r < 0 ? strerror(e) : "succeeded", got ? "arrived without the routing header" : "nothing arrived", REMOTE6);
}

int main(void)
{
	adv_init();
	need_env("FNG_WORKDIR");
	build();
	for (int i = 0; i < NV; i++)
		accepted[i] = accept_orig(&vecs[i]);
	make_ns();
	for (int i = 0; i < NV; i++)
		run(i);
	vec_rthdr4_via();
	return adv_exit_status();
}
