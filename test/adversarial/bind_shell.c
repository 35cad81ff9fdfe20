/*
 * bind_shell.c - adversarial test for fnguard (class: inbound connections,
 * a function that listens and accepts a peer, the way a bind shell does)
 *
 * outbound_connectivity judges connect() and sends; a function that binds,
 * listens and accepts talks to a remote peer without ever naming it.
 * Loopback peers are exempt from judgement, so a loopback accept counts as
 * defended; a non-loopback peer accepted and talked to is the bypass.
 *
 * Vectors (the port is FNG_LISTEN_PORT, or an ephemeral one, printed):
 *   loopback_v4        listen on 127.0.0.1, a forked child connects from
 *                      127.0.0.1, bytes both ways: "defended (loopback peer:
 *                      exempt)" when it worked
 *   loopback_v6        listen on [::], the child connects from [::1]
 *   external_peer      only with FNG_PEER_CMD or FNG_ACCEPT_WAIT_MS: listen on
 *                      0.0.0.0 (port on stderr) and run `/bin/sh -c
 *                      "$FNG_PEER_CMD"` with FNG_LISTEN_PORT set to the port,
 *                      so that it connects from a test-host address, sends a
 *                      line and reads the answer.  Under fnguard that command
 *                      is a child of the function (create_child_process blocks
 *                      it, and its connect would be outbound), so a harness
 *                      should rather set FNG_LISTEN_PORT and FNG_ACCEPT_WAIT_MS
 *                      (default 10000) and connect from outside.  BYPASSED if a
 *                      non-loopback peer was accepted and bytes exchanged.
 *                      Without either variable the line is left out.
 *   veth_test_host     the program makes a network namespace of its own
 *                      (unshare(CLONE_NEWNET) as root, else
 *                      CLONE_NEWUSER|CLONE_NEWNET) and in it a veth pair whose
 *                      other end is in a second namespace, the "test host"
 *                      198.18.0.2/24 (benchmark range, exists only there); the
 *                      program listens on 0.0.0.0 (198.18.0.1/24 on its end)
 *                      and the test host connects.  BYPASSED if the
 *                      non-loopback peer 198.18.0.2 was accepted and bytes
 *                      were exchanged.  Nothing is in the original namespace.
 *                      Under fnguard the test host is traced too, and its
 *                      connect is outbound: the line then names its errno.
 *
 * Env: FNG_LISTEN_PORT, FNG_PEER_CMD, FNG_ACCEPT_WAIT_MS (all optional).
 */
#define _GNU_SOURCE
#include "adv.h"

#include <stdint.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_link.h>
#include <linux/veth.h>

#define HOST_IP "198.18.0.2"
#define FN_IP "198.18.0.1"
#define WAIT_MS 3000

static int want_port;

/* a listener on addr (AF_INET or AF_INET6 text); -1 with errno */
static int listener(int family, const char *addr, int *port)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int one = 1, s = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	memset(&ss, 0, sizeof ss);
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)want_port);
		inet_pton(AF_INET, addr, &a->sin_addr);
		sl = sizeof *a;
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)want_port);
		inet_pton(AF_INET6, addr, &a->sin6_addr);
		sl = sizeof *a;
	}
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(s, (struct sockaddr *)&ss, sl) < 0 || listen(s, 4) < 0) {
		int e = errno;
		close(s);
		errno = e;
		return -1;
	}
	sl = sizeof ss;
	getsockname(s, (struct sockaddr *)&ss, &sl);
	*port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port : ((struct sockaddr_in6 *)&ss)->sin6_port);
	return s;
}

static int is_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
	const struct in6_addr *a = &((const struct sockaddr_in6 *)ss)->sin6_addr;
	if (IN6_IS_ADDR_LOOPBACK(a))
		return 1;
	return IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127;
}

/* accept one peer within wait_ms, read its line, answer; fills peer text; 1 if bytes went both ways */
static int serve(int ls, int wait_ms, char *peer, size_t psz, int *loop, char *err, size_t esz)
{
	struct pollfd pf = { .fd = ls, .events = POLLIN };
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	char buf[64], host[INET6_ADDRSTRLEN] = "?";
	*loop = 0;
	snprintf(peer, psz, "none");
	if (poll(&pf, 1, wait_ms) != 1) {
		snprintf(err, esz, "no peer within %d ms", wait_ms);
		return 0;
	}
	int c = accept4(ls, (struct sockaddr *)&ss, &sl, SOCK_CLOEXEC);
	if (c < 0) {
		snprintf(err, esz, "accept: %s", strerror(errno));
		return 0;
	}
	if (ss.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof host);
	else
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof host);
	snprintf(peer, psz, "%s", host);
	*loop = is_loopback(&ss);
	struct timeval tv = { 2, 0 };
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	ssize_t n = recv(c, buf, sizeof buf, 0);
	int ok = n > 0 && send(c, "pong\n", 5, MSG_NOSIGNAL) == 5;
	if (!ok)
		snprintf(err, esz, "accepted, but %s", n > 0 ? strerror(errno) : n == 0 ? "the peer sent nothing" : strerror(errno));
	close(c);
	return ok;
}

/* the peer side: connect to addr:port from the current namespace, send a line, read the answer */
static int peer_talk(int family, const char *addr, int port)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	char buf[16];
	memset(&ss, 0, sizeof ss);
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		a->sin_family = AF_INET, a->sin_port = htons((uint16_t)port);
		inet_pton(AF_INET, addr, &a->sin_addr);
		sl = sizeof *a;
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		a->sin6_family = AF_INET6, a->sin6_port = htons((uint16_t)port);
		inet_pton(AF_INET6, addr, &a->sin6_addr);
		sl = sizeof *a;
	}
	int s = socket(family, SOCK_STREAM, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&ss, sl) < 0 || send(s, "ping\n", 5, MSG_NOSIGNAL) != 5)
		return errno && errno < 256 ? errno : EIO;
	struct timeval tv = { 2, 0 };
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	return recv(s, buf, sizeof buf, 0) > 0 ? 0 : (errno && errno < 256 ? errno : EIO);
}

static void vec_loopback(const char *name, int family, const char *laddr, const char *caddr)
{
	int port, ls = listener(family, laddr, &port);
	if (ls < 0) {
		setup_failed(name, "listen", errno);
		return;
	}
	pid_t pid = fork();
	if (pid < 0) {
		close(ls);
		setup_failed(name, "fork", errno);
		return;
	}
	if (pid == 0)
		_exit(peer_talk(family, caddr, port));
	char peer[64], err[200] = "";
	int loop, ok = serve(ls, WAIT_MS, peer, sizeof peer, &loop, err, sizeof err);
	close(ls);
	waitpid(pid, NULL, 0);
	if (ok && loop)
		report(name, DEFENDED, "loopback peer: exempt; listened on %s port %d, accepted %s, bytes exchanged", laddr,
		       port, peer);
	else if (ok)
		report(name, BYPASSED, "listened on %s port %d, accepted non-loopback peer %s, bytes exchanged", laddr, port, peer);
	else
		report(name, DEFENDED, "listened on %s port %d: %s", laddr, port, err);
}

static void vec_external_peer(void)
{
	const char *cmd = getenv("FNG_PEER_CMD"), *w = getenv("FNG_ACCEPT_WAIT_MS");
	int wait_ms = w && *w ? atoi(w) : 10000;
	if ((!cmd || !*cmd) && (!w || !*w)) {
		fprintf(stderr, "bind_shell: FNG_PEER_CMD and FNG_ACCEPT_WAIT_MS unset: external_peer not tried\n");
		return;
	}
	int port, ls = listener(AF_INET, "0.0.0.0", &port);
	if (ls < 0) {
		setup_failed("external_peer", "listen on 0.0.0.0", errno);
		return;
	}
	fprintf(stderr, "bind_shell: listening on 0.0.0.0 port %d\n", port);
	pid_t pid = cmd && *cmd ? fork() : -1;
	if (pid == 0) {
		char p[16];
		snprintf(p, sizeof p, "%d", port);
		setenv("FNG_LISTEN_PORT", p, 1);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	char peer[64], err[200] = "";
	int loop, ok = serve(ls, wait_ms, peer, sizeof peer, &loop, err, sizeof err);
	close(ls);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	if (ok && !loop)
		report("external_peer", BYPASSED, "listened on 0.0.0.0 port %d, accepted non-loopback peer %s, bytes exchanged",
		       port, peer);
	else if (ok)
		report("external_peer", DEFENDED, "loopback peer: exempt (%s, port %d)", peer, port);
	else
		report("external_peer", DEFENDED, "listened on 0.0.0.0 port %d: %s", port, err);
}

/* ------------------------------------------------------------------ veth test host */
static void nla(struct nlmsghdr *h, int type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));
	a->nla_type = (uint16_t)type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	memcpy((char *)a + NLA_HDRLEN, data, len);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static struct nlattr *nest(struct nlmsghdr *h, int type)
{
	struct nlattr *a = (struct nlattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));
	a->nla_type = (uint16_t)type;
	a->nla_len = NLA_HDRLEN;
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + NLA_HDRLEN;
	return a;
}

static void nest_end(struct nlmsghdr *h, struct nlattr *a)
{
	a->nla_len = (uint16_t)((char *)h + h->nlmsg_len - (char *)a);
}

/* veth fngv0 here, its peer fngv1 in the network namespace of process peer_pid; 0 or -errno */
static int make_veth(pid_t peer_pid)
{
	static char buf[1024] __attribute__((aligned(4)));
	memset(buf, 0, sizeof buf);
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	h->nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	h->nlmsg_type = RTM_NEWLINK;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;
	nla(h, IFLA_IFNAME, "fngv0", 6);
	struct nlattr *li = nest(h, IFLA_LINKINFO);
	nla(h, IFLA_INFO_KIND, "veth", 5);
	struct nlattr *data = nest(h, IFLA_INFO_DATA);
	struct nlattr *peer = nest(h, VETH_INFO_PEER);
	h->nlmsg_len += (uint32_t)sizeof(struct ifinfomsg);	/* the peer's ifinfomsg, zeroed */
	nla(h, IFLA_IFNAME, "fngv1", 6);
	uint32_t pid = (uint32_t)peer_pid;
	nla(h, IFLA_NET_NS_PID, &pid, sizeof pid);
	nest_end(h, peer);
	nest_end(h, data);
	nest_end(h, li);
	int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (s < 0)
		return -errno;
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	if (sendto(s, buf, h->nlmsg_len, 0, (struct sockaddr *)&k, sizeof k) < 0) {
		int e = errno;
		close(s);
		return -e;
	}
	char ack[1024];
	ssize_t n = recv(s, ack, sizeof ack, 0);
	close(s);
	if (n < (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)))
		return -EIO;
	struct nlmsgerr *e = NLMSG_DATA((struct nlmsghdr *)ack);
	return e->error;
}

static int if_addr(const char *ifn, const char *addr)
{
	struct ifreq r;
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0)
		return -1;
	memset(&r, 0, sizeof r);
	snprintf(r.ifr_name, sizeof r.ifr_name, "%s", ifn);
	struct sockaddr_in *a = (struct sockaddr_in *)&r.ifr_addr;
	a->sin_family = AF_INET;
	inet_pton(AF_INET, "255.255.255.0", &a->sin_addr);
	int rc = 0;
	close(s);
	rc = adv_if_up(ifn, addr);
	if (rc == 0) {
		s = socket(AF_INET, SOCK_DGRAM, 0);
		rc = ioctl(s, SIOCSIFNETMASK, &r);
		close(s);
	}
	return rc;
}

/* the whole vector runs in a child that owns the namespaces */
static int veth_vector(char *msg, size_t msz)
{
	int flags = geteuid() == 0 ? CLONE_NEWNET : CLONE_NEWUSER | CLONE_NEWNET;
	if (unshare(flags) < 0) {
		int e = errno;
		snprintf(msg, msz, "setup: unshare(%s): %s", flags & CLONE_NEWUSER ? "NEWUSER|NEWNET" : "NEWNET", strerror(e));
		return is_denial(e) ? DEFENDED : ERRORED;
	}
	adv_if_up("lo", NULL);
	int go[2], ready[2];
	if (pipe(go) < 0 || pipe(ready) < 0) {
		snprintf(msg, msz, "pipe: %s", strerror(errno));
		return ERRORED;
	}
	int port, ls = -1;
	pid_t host = fork();
	if (host < 0) {
		snprintf(msg, msz, "setup: fork: %s", strerror(errno));
		return is_denial(errno) ? DEFENDED : ERRORED;
	}
	if (host == 0) {	/* the test host: its own namespace, then wait for the veth end and the port */
		close(go[1]);
		close(ready[0]);
		char c = unshare(CLONE_NEWNET) == 0 ? 'y' : 'n';
		if (write(ready[1], &c, 1) != 1 || c != 'y')
			_exit(2);
		if (read(go[0], &port, sizeof port) != (ssize_t)sizeof port)
			_exit(3);
		adv_if_up("lo", NULL);
		if (if_addr("fngv1", HOST_IP) < 0)
			_exit(4);
		int e = 0;
		for (int i = 0; i < 20; i++) {	/* the link may take a moment */
			if ((e = peer_talk(AF_INET, FN_IP, port)) == 0 || is_denial(e))
				_exit(e);
			usleep(100 * 1000);
		}
		_exit(e);
	}
	close(go[0]);
	close(ready[1]);
	char c = 0;
	int r;
	if (read(ready[0], &c, 1) != 1 || c != 'y') {
		snprintf(msg, msz, "setup: the test host could not make its namespace");
		r = ERRORED;
		goto out;
	}
	int e = make_veth(host);
	if (e < 0) {
		snprintf(msg, msz, "setup: veth pair (rtnetlink): %s", strerror(-e));
		r = is_denial(-e) ? DEFENDED : ERRORED;
		goto out;
	}
	if (if_addr("fngv0", FN_IP) < 0) {
		snprintf(msg, msz, "setup: %s on fngv0: %s", FN_IP, strerror(errno));
		r = ERRORED;
		goto out;
	}
	ls = listener(AF_INET, "0.0.0.0", &port);
	if (ls < 0) {
		e = errno;
		snprintf(msg, msz, "setup: listen on 0.0.0.0: %s", strerror(e));
		r = is_denial(e) ? DEFENDED : ERRORED;
		goto out;
	}
	if (write(go[1], &port, sizeof port) != (ssize_t)sizeof port) {
		snprintf(msg, msz, "setup: could not tell the test host the port");
		r = ERRORED;
		goto out;
	}
	char peer[64], err[200] = "";
	int loop, ok = serve(ls, 5000, peer, sizeof peer, &loop, err, sizeof err);
	if (ok && !loop) {
		snprintf(msg, msz, "listened on 0.0.0.0 port %d in its own namespace; accepted the test host %s over a veth "
			 "pair, bytes exchanged", port, peer);
		r = BYPASSED;
	} else if (ok) {
		snprintf(msg, msz, "loopback peer: exempt (%s)", peer);
		r = DEFENDED;
	} else {
		int st = 0;
		if (waitpid(host, &st, WNOHANG) == host && WIFEXITED(st) && WEXITSTATUS(st)) {
			/* the test host is a process of the function's tree too: its connect is outbound */
			snprintf(msg, msz, "listened on 0.0.0.0 port %d: %s; the test host's connect failed: %s", port, err,
				 strerror(WEXITSTATUS(st)));
			host = -1;
		} else
			snprintf(msg, msz, "listened on 0.0.0.0 port %d: %s", port, err);
		r = DEFENDED;
	}
out:
	if (ls >= 0)
		close(ls);
	close(go[1]);
	if (host > 0) {
		kill(host, SIGKILL);
		waitpid(host, NULL, 0);
	}
	return r;
}

int main(void)
{
	adv_init();
	const char *p = getenv("FNG_LISTEN_PORT");
	want_port = p && *p ? atoi(p) : 0;
	if (want_port < 0 || want_port > 65535)
		env_error("FNG_LISTEN_PORT=%s is not a port", p);
	vec_loopback("loopback_v4", AF_INET, "127.0.0.1", "127.0.0.1");
	vec_loopback("loopback_v6", AF_INET6, "::", "::1");
	vec_external_peer();
	run_in_child("veth_test_host", veth_vector, 20);
	return adv_exit_status();
}
