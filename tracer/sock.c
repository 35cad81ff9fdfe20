/* Sockets seen from the supervisor, and sends made on the tracee's behalf:
 * the destination that was checked is the one the kernel uses, because the
 * kernel reads it from the supervisor's memory, not the tracee's. */
#include "tracer/sock.h"
#include "tracer/internal.h"
#include "tracer/mem.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/un.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/sockios.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define IOV_MAX_TRACEE 1024


int fng_sock_get(pid_t tgid, int tfd, struct fng_sock *s)
{
	socklen_t l = sizeof(int);
	int fl;

	s->fd = fng_tracee_fd(tgid, tfd);
	s->domain = -1;
	s->type = 0;
	s->nonblock = false;
	if (s->fd < 0)
		return s->fd;
	if (getsockopt(s->fd, SOL_SOCKET, SO_DOMAIN, &s->domain, &l) < 0)
		s->domain = -1;
	l = sizeof(int);
	if (getsockopt(s->fd, SOL_SOCKET, SO_TYPE, &s->type, &l) < 0)
		s->type = 0;
	l = sizeof(int);
	if (getsockopt(s->fd, SOL_SOCKET, SO_PROTOCOL, &s->protocol, &l) < 0)
		s->protocol = -1;
	fl = fcntl(s->fd, F_GETFL);
	s->nonblock = fl >= 0 && (fl & O_NONBLOCK);
	return 0;
}

bool fng_sock_connect_sticks(const struct fng_sock *s)
{
	return fng_sock_inet(s) && s->type == SOCK_STREAM && s->protocol == IPPROTO_TCP;
}

int fng_sock_connect_nowait(const struct fng_sock *s, const struct sockaddr *a, socklen_t len)
{
	int fl = fcntl(s->fd, F_GETFL), r, e;

	if (fl < 0)
		return -errno;
	if (!(fl & O_NONBLOCK) && fcntl(s->fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	r = connect(s->fd, a, len);
	e = errno;
	if (!(fl & O_NONBLOCK))
		(void)fcntl(s->fd, F_SETFL, fl); /* as it was; the connect's fate does not depend on it */
	return r < 0 ? -e : 0;
}

void fng_sock_put(struct fng_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

/* The kernel's reading (net/ipv4/udp.c, net/ipv6/udp.c, af_inet.c): an IPv4
 * socket takes AF_INET, and AF_UNSPEC as AF_INET for sendto; an IPv6 socket
 * takes AF_INET6 and AF_INET (its IPv4 path). Anything else it refuses or
 * treats as "no address" (connect's AF_UNSPEC disconnects). */
void fng_sock_decode(const struct fng_sock *s, const struct sockaddr_storage *ss, socklen_t len,
		     struct fng_dest *out)
{
	memset(out, 0, sizeof(*out));
	if (!fng_sock_inet(s))
		return;
	if ((ss->ss_family == AF_INET || (ss->ss_family == AF_UNSPEC && s->domain == AF_INET)) &&
	    len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const void *)ss;
		fng_addr_from_v4(out->addr, &in->sin_addr);
		out->port = ntohs(in->sin_port);
		out->inet = true;
	} else if (ss->ss_family == AF_INET6 && s->domain == AF_INET6 && len >= 24) {
		const struct sockaddr_in6 *in6 = (const void *)ss;
		memcpy(out->addr, &in6->sin6_addr, 16);
		out->port = ntohs(in6->sin6_port);
		out->inet = true;
	}
}

const char *fng_sock_protocol(const struct fng_sock *s)
{
	if (s->domain == AF_PACKET)
		return "packet";
	switch (s->type) {
	case SOCK_STREAM:
		return "tcp";
	case SOCK_DGRAM:
		return "udp";
	case SOCK_RAW:
		return "raw";
	default:
		return "ip";
	}
}

/* The payload, gathered from the tracee into one buffer. */
static long gather(pid_t tid, const struct fng_out_msg *m, char **out, size_t *outlen)
{
	autofree struct iovec *iov = NULL;
	autofree char *buf = NULL;
	size_t total = 0, n = m->iov ? m->iovlen : 1;

	*out = NULL;
	*outlen = 0;
	if (n > IOV_MAX_TRACEE)
		return -EMSGSIZE;
	iov = calloc(n ? n : 1, sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	if (m->iov) {
		if (fng_mem_read(tid, m->iov, iov, n * sizeof(*iov)) < 0)
			return -EFAULT;
	} else {
		iov[0].iov_base = (void *)(uintptr_t)m->buf;
		iov[0].iov_len = m->len;
	}
	for (size_t i = 0; i < n; i++) {
		if (iov[i].iov_len > FNG_SEND_MAX || total + iov[i].iov_len > FNG_SEND_MAX)
			return -EMSGSIZE;
		total += iov[i].iov_len;
	}
	buf = malloc(total ? total : 1);
	if (!buf)
		return -ENOMEM;
	for (size_t i = 0, off = 0; i < n; i++) {
		if (fng_mem_read(tid, (uint64_t)(uintptr_t)iov[i].iov_base, buf + off, iov[i].iov_len) < 0)
			return -EFAULT;
		off += iov[i].iov_len;
	}
	*out = fng_steal_ptr(&buf);
	*outlen = total;
	return 0;
}

long fng_sock_send(pid_t tid, const struct fng_sock *s, const struct fng_out_msg *m)
{
	autofree char *data = NULL;
	autofree char *control = NULL;
	size_t len = 0;
	struct iovec one;
	struct msghdr mh = { 0 };
	bool may_block = !s->nonblock && !(m->flags & MSG_DONTWAIT);
	long r = gather(tid, m, &data, &len);
	int waited = 0;

	if (r < 0)
		return r;
	if (m->control && m->controllen) {
		if (m->controllen > FNG_CONTROL_MAX)
			return -ENOBUFS;
		control = malloc(m->controllen);
		if (!control)
			return -ENOMEM;
		if (fng_mem_read(tid, m->control, control, m->controllen) < 0)
			return -EFAULT;
		/* what is sent is what was read here: checked here */
		r = fng_sock_control_reroutes(control, m->controllen);
		if (r != 0)
			return r < 0 ? r : -EPERM;
		mh.msg_control = control;
		mh.msg_controllen = m->controllen;
	}
	one.iov_base = data;
	one.iov_len = len;
	mh.msg_iov = &one;
	mh.msg_iovlen = 1;
	mh.msg_name = (void *)m->name;
	mh.msg_namelen = m->name ? m->namelen : 0;
	for (;;) {
		r = sendmsg(s->fd, &mh, m->flags | MSG_DONTWAIT | MSG_NOSIGNAL);
		if (r >= 0)
			break;
		r = -errno;
		if (r != -EAGAIN || !may_block || waited >= FNG_SEND_WAIT_MS)
			break;
		/* A blocking socket with a full send buffer: wait a little here
		 * (the tracer is stalled meanwhile, so bounded; docs/security.md). */
		{
			struct pollfd p = { .fd = s->fd, .events = POLLOUT };
			poll(&p, 1, 50);
			waited += 50;
		}
	}
	if (r == -EPIPE && !(m->flags & MSG_NOSIGNAL))
		syscall(SYS_tkill, tid, SIGPIPE); /* what the kernel would have done */
	return r;
}

int fng_sock_unix_path(const struct sockaddr_un *sun, size_t len, char out[FNG_UNIX_PATH_BUF])
{
	size_t plen;

	out[0] = '\0';
	if (len < offsetof(struct sockaddr_un, sun_path) || len > sizeof(*sun) || sun->sun_family != AF_UNIX)
		return -EINVAL;
	if (len == offsetof(struct sockaddr_un, sun_path) || sun->sun_path[0] == '\0')
		return 0; /* autobind, or an abstract name */
	plen = strnlen(sun->sun_path, len - offsetof(struct sockaddr_un, sun_path));
	memcpy(out, sun->sun_path, plen);
	out[plen] = '\0';
	return 0;
}

/* IP_PKTINFO / IPV6_PKTINFO naming an interface (a packet to loopback goes
 * out of it) or a source address (ip_cmsg_send takes ipi_spec_dst,
 * ip6_datagram_send_ctl ipi6_addr): any local address is accepted, all of
 * 127/8 among them, so a datagram "from" a local resolver could answer the
 * function's own query (outside attack round 11). A short one the kernel
 * refuses: counted as steering (refused either way). */
static bool pktinfo_steers(const char *p, const struct cmsghdr *h)
{
	size_t data = h->cmsg_len - CMSG_LEN(0);

	if (h->cmsg_level == IPPROTO_IP && h->cmsg_type == IP_PKTINFO) {
		struct in_pktinfo pi;
		if (data < sizeof(pi))
			return true;
		memcpy(&pi, p + CMSG_LEN(0), sizeof(pi));
		return pi.ipi_ifindex != 0 || pi.ipi_spec_dst.s_addr != 0;
	}
	if (h->cmsg_level == IPPROTO_IPV6 && (h->cmsg_type == IPV6_PKTINFO || h->cmsg_type == IPV6_2292PKTINFO)) {
		struct in6_pktinfo pi;
		if (data < sizeof(pi))
			return true;
		memcpy(&pi, p + CMSG_LEN(0), sizeof(pi));
		return pi.ipi6_ifindex != 0 || !IN6_IS_ADDR_UNSPECIFIED(&pi.ipi6_addr);
	}
	return false;
}

int fng_sock_control_reroutes(const void *control, size_t len)
{
	const char *p = control, *end = p + len;

	while ((size_t)(end - p) >= sizeof(struct cmsghdr)) {
		struct cmsghdr h;

		memcpy(&h, p, sizeof(h));
		if (h.cmsg_len < sizeof(struct cmsghdr) || h.cmsg_len > (size_t)(end - p))
			return -EINVAL; /* the kernel's CMSG_OK */
		if ((h.cmsg_level == IPPROTO_IP && (h.cmsg_type == IP_RETOPTS || h.cmsg_type == IP_OPTIONS)) ||
		    (h.cmsg_level == IPPROTO_IPV6 && (h.cmsg_type == IPV6_RTHDR || h.cmsg_type == IPV6_2292RTHDR)))
			return 1;
		if (pktinfo_steers(p, &h))
			return 1;
		if (CMSG_ALIGN(h.cmsg_len) >= (size_t)(end - p))
			break;
		p += CMSG_ALIGN(h.cmsg_len);
	}
	return 0;
}

static bool has_option(int fd, int level, int name)
{
	char buf[512];
	socklen_t len = sizeof(buf);

	if (getsockopt(fd, level, name, buf, &len) < 0)
		return errno != ENOPROTOOPT && errno != EOPNOTSUPP && errno != EINVAL;
	return len > 0;
}

/* An int option that is set (not 0). Unsure: yes. */
static bool int_option(int fd, int level, int name)
{
	int v = 0;
	socklen_t len = sizeof(v);

	if (getsockopt(fd, level, name, &v, &len) < 0)
		return errno != ENOPROTOOPT && errno != EOPNOTSUPP && errno != EINVAL;
	return v != 0;
}

bool fng_sock_reroutes(const struct fng_sock *s)
{
	if (s->domain == AF_INET6 &&
	    (has_option(s->fd, IPPROTO_IPV6, IPV6_RTHDR) || int_option(s->fd, IPPROTO_IPV6, IPV6_UNICAST_IF)))
		return true;
	return has_option(s->fd, IPPROTO_IP, IP_OPTIONS) || int_option(s->fd, IPPROTO_IP, IP_UNICAST_IF) ||
	       int_option(s->fd, SOL_SOCKET, SO_BINDTOIFINDEX);
}

bool fng_sock_in_netns(const struct fng_sock *s, dev_t netns_dev, ino_t netns_ino)
{
	autoclose int ns = ioctl(s->fd, SIOCGSKNS);
	struct stat st;

	return ns >= 0 && fstat(ns, &st) == 0 && st.st_dev == netns_dev && st.st_ino == netns_ino;
}

int fng_sock_peer(const struct fng_sock *s, struct sockaddr_storage *ss, socklen_t *len)
{
	/* SO_PEERNAME wants exactly the family's size (larger is EINVAL). */
	*len = s->domain == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	memset(ss, 0, sizeof(*ss));
	if (getsockopt(s->fd, SOL_SOCKET, SO_PEERNAME, ss, len) == 0)
		return 0;
	*len = sizeof(*ss);
	return getpeername(s->fd, (struct sockaddr *)ss, len) < 0 ? -errno : 0;
}

/* Is the address on one of this host's interfaces, in any state? The
 * interfaces' list (netlink) also holds the IPv6 addresses whose duplicate
 * address detection is still running ("tentative"): a bind to one fails
 * with EADDRNOTAVAIL, yet a connect begun then reaches a local listener once
 * the detection ends (its SYN is sent again). Unsure (no list): yes. */
static bool on_an_interface(const uint8_t addr[16], bool v4)
{
	struct ifaddrs *ifs, *i;
	bool found = false;

	if (getifaddrs(&ifs) < 0)
		return true;
	for (i = ifs; i && !found; i = i->ifa_next) {
		if (!i->ifa_addr)
			continue;
		if (v4 && i->ifa_addr->sa_family == AF_INET)
			found = memcmp(&((const struct sockaddr_in *)(const void *)i->ifa_addr)->sin_addr, addr + 12, 4) == 0;
		else if (!v4 && i->ifa_addr->sa_family == AF_INET6)
			found = memcmp(&((const struct sockaddr_in6 *)(const void *)i->ifa_addr)->sin6_addr, addr, 16) == 0;
	}
	freeifaddrs(ifs);
	return found;
}

bool fng_sock_addr_local(const uint8_t addr[16])
{
	struct sockaddr_in in = { .sin_family = AF_INET };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6 };
	bool v4 = fng_addr_is_v4mapped(addr);
	autoclose int fd = socket(v4 ? AF_INET : AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int r;

	if (fd < 0)
		return true;
	if (v4) {
		memcpy(&in.sin_addr, addr + 12, 4);
		r = bind(fd, (const struct sockaddr *)&in, sizeof(in));
	} else {
		memcpy(&in6.sin6_addr, addr, 16);
		r = bind(fd, (const struct sockaddr *)&in6, sizeof(in6));
	}
	/* Port 0 takes any free port: only a foreign address fails, or one
	 * of ours still being checked for duplicates. */
	return r == 0 || errno != EADDRNOTAVAIL || on_an_interface(addr, v4);
}
