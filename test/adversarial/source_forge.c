/* source_forge — datagrams whose source address is not the function's own.
 * fnguard learns names from DNS answers that come from the resolver's
 * address; an answer sent "from" the resolver over loopback to the
 * function's own query socket teaches it a wrong name -> address mapping
 * (attack5 F2). A root runtime (CAP_NET_RAW) can do it with IP_TRANSPARENT;
 * any IPv6 socket with IPV6_FREEBIND may name a foreign source in
 * IPV6_PKTINFO.
 *
 * Each vector sends one datagram to a receiver on loopback and reads the
 * source address it arrived with: the forged one is BYPASSED.
 *   transparent_v4   IP_TRANSPARENT, bind 10.89.5.53:53, send to 127.0.0.1
 *   transparent_v6   IPV6_TRANSPARENT, bind [fd00:89:5::53]:53, send to ::1
 *   freebind_pktinfo_v6  IPV6_FREEBIND, IPV6_PKTINFO source fd00:89:5::53
 *   pktinfo_loopback_v4  no option at all: IP_PKTINFO source 127.0.0.53, a
 *                    local address (all of 127/8 is), as a local resolver's
 *                    answer to a query socket on 127.0.0.1 (outside attack
 *                    round 11; unprivileged)
 * Needs root (CAP_NET_RAW) for the transparent vectors natively.
 * Env: none.
 */
#define _GNU_SOURCE
#include "adv.h"

#include <stdbool.h>

#define FORGED4 "10.89.5.53"
#define FORGED6 "fd00:89:5::53"

/* The source a datagram reached fd with, as text, or "" when none came. */
static void arrival_source(int fd, int family, char *out, size_t n)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[64];

	out[0] = '\0';
	if (poll(&p, 1, 500) <= 0 || recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&ss, &sl) < 0)
		return;
	if (family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, out, (socklen_t)n);
	else
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, out, (socklen_t)n);
}

/* A receiver on the loopback address of family: its fd and port in *to. */
static int loop_receiver(int family, struct sockaddr_storage *to, socklen_t *tl)
{
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	memset(to, 0, sizeof(*to));
	to->ss_family = (sa_family_t)family;
	if (family == AF_INET) {
		((struct sockaddr_in *)to)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		*tl = sizeof(struct sockaddr_in);
	} else {
		((struct sockaddr_in6 *)to)->sin6_addr = in6addr_loopback;
		*tl = sizeof(struct sockaddr_in6);
	}
	if (fd < 0 || bind(fd, (struct sockaddr *)to, *tl) < 0 || getsockname(fd, (struct sockaddr *)to, tl) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static void judge(const char *name, int rx, int family, const char *forged)
{
	char src[INET6_ADDRSTRLEN];

	arrival_source(rx, family, src, sizeof(src));
	if (strcmp(src, forged) == 0)
		report(name, BYPASSED, "a datagram arrived from %s, an address that is not ours", forged);
	else if (src[0])
		report(name, DEFENDED, "arrived from %s, not the forged source", src);
	else
		report(name, DEFENDED, "nothing arrived");
}

static void transparent(const char *name, int family, int level, int opt, const char *forged)
{
	struct sockaddr_storage to, from = { .ss_family = (sa_family_t)family };
	socklen_t tl;
	int one = 1, rx = loop_receiver(family, &to, &tl), s;

	if (rx < 0) {
		report(name, ERRORED, "loopback receiver: %s", strerror(errno));
		return;
	}
	s = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (family == AF_INET) {
		((struct sockaddr_in *)&from)->sin_port = htons(53);
		inet_pton(AF_INET, forged, &((struct sockaddr_in *)&from)->sin_addr);
	} else {
		((struct sockaddr_in6 *)&from)->sin6_port = htons(53);
		inet_pton(AF_INET6, forged, &((struct sockaddr_in6 *)&from)->sin6_addr);
	}
	if (s < 0 || setsockopt(s, level, opt, &one, sizeof(one)) < 0)
		setup_failed(name, "setsockopt", errno);
	else if (bind(s, (struct sockaddr *)&from, tl) < 0)
		setup_failed(name, "bind to the forged address", errno);
	else if (sendto(s, "answer", 6, 0, (struct sockaddr *)&to, tl) < 0)
		setup_failed(name, "sendto", errno);
	else
		judge(name, rx, family, forged);
	if (s >= 0)
		close(s);
	close(rx);
}

/* One datagram to a loopback receiver with a *_PKTINFO source of forged;
 * freebind: IPV6_FREEBIND first (a source no interface has). */
static void pktinfo_send(const char *name, int family, bool freebind, const char *forged)
{
	struct sockaddr_storage to;
	socklen_t tl;
	int one = 1, rx = loop_receiver(family, &to, &tl), s;
	union {
		struct in_pktinfo v4;
		struct in6_pktinfo v6;
	} pi = { 0 };
	size_t pl = family == AF_INET ? sizeof(pi.v4) : sizeof(pi.v6);
	char cbuf[CMSG_SPACE(sizeof(pi))] = { 0 };
	struct iovec iov = { .iov_base = "answer", .iov_len = 6 };
	struct msghdr m = { .msg_name = &to, .msg_namelen = tl, .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = CMSG_SPACE(pl) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);

	if (rx < 0) {
		report(name, ERRORED, "loopback receiver: %s", strerror(errno));
		return;
	}
	cm->cmsg_level = family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
	cm->cmsg_type = family == AF_INET ? IP_PKTINFO : IPV6_PKTINFO;
	cm->cmsg_len = CMSG_LEN(pl);
	if (family == AF_INET)
		inet_pton(AF_INET, forged, &pi.v4.ipi_spec_dst);
	else
		inet_pton(AF_INET6, forged, &pi.v6.ipi6_addr);
	memcpy(CMSG_DATA(cm), &pi, pl);
	s = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0 || (freebind && setsockopt(s, IPPROTO_IPV6, IPV6_FREEBIND, &one, sizeof(one)) < 0))
		setup_failed(name, freebind ? "setsockopt IPV6_FREEBIND" : "socket", errno);
	else if (sendmsg(s, &m, 0) < 0)
		setup_failed(name, "sendmsg with a PKTINFO source", errno);
	else
		judge(name, rx, family, forged);
	if (s >= 0)
		close(s);
	close(rx);
}

int main(void)
{
	adv_init();
	transparent("transparent_v4", AF_INET, IPPROTO_IP, IP_TRANSPARENT, FORGED4);
	transparent("transparent_v6", AF_INET6, IPPROTO_IPV6, IPV6_TRANSPARENT, FORGED6);
	pktinfo_send("freebind_pktinfo_v6", AF_INET6, true, FORGED6);
	pktinfo_send("pktinfo_loopback_v4", AF_INET, false, "127.0.0.53");
	return adv_exit_status();
}
