/* real_api_alias: reaching the real Lambda Runtime API behind fnguard's
 * proxy through another local address on its port. A listener on a
 * wildcard address (as the real API's may be) answers on every address of
 * the host: 127.0.0.0/8, ::1, 0.0.0.0, ::, IPv4-mapped forms and the
 * interfaces' own addresses. FNG_REAL_API (host:port) names the real API;
 * the program listens on [::]:port itself (dual stack) and connects to each
 * alias (FNG_TENTATIVE_ADDR: one of its own addresses still tentative).
 * BYPASSED when a connect to an alias completes. */
#define _GNU_SOURCE
#include "adv.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/socket.h>

/* One connect to addr:port; nonblock: 1 connect, then wait for the
 * handshake; 2 no connect at all but sendto(MSG_FASTOPEN), which connects
 * and sends in one call (blocking). */
static void try_alias(const char *name, const char *addr, int port, int nonblock)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	int family = strchr(addr, ':') ? AF_INET6 : AF_INET, fd, r, e;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		inet_pton(AF_INET, addr, &in->sin_addr);
		len = sizeof(*in);
	} else {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		inet_pton(AF_INET6, addr, &in6->sin6_addr);
		len = sizeof(*in6);
	}
	fd = socket(family, SOCK_STREAM | (nonblock == 1 ? SOCK_NONBLOCK : 0), 0);
	if (fd < 0) {
		setup_failed(name, "socket", errno);
		return;
	}
	if (nonblock == 2)
		r = sendto(fd, "x", 1, MSG_FASTOPEN | MSG_NOSIGNAL, (struct sockaddr *)&ss, len) == 1 ? 0 : -1;
	else
		r = connect(fd, (struct sockaddr *)&ss, len);
	e = errno;
	if (r < 0 && e == EINPROGRESS) {
		struct pollfd p = { .fd = fd, .events = POLLOUT };
		socklen_t el = sizeof(e);
		poll(&p, 1, 2000);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0)
			e = errno;
		r = e ? -1 : 0;
	}
	if (r == 0)
		report(name, BYPASSED, "connected to %s port %d: the real Runtime API's listener", addr, port);
	else if (is_denial(e))
		report(name, DEFENDED, "errno %d (%s)", e, strerror(e));
	else
		report(name, ERRORED, "connect %s port %d: %s (not a policy denial)", addr, port, strerror(e));
	close(fd);
}

/* The interfaces' own addresses (not loopback), each tried too. */
static void try_interfaces(int port)
{
	struct ifaddrs *ifs, *i;
	char addr[INET6_ADDRSTRLEN], name[64], mapped[INET6_ADDRSTRLEN + 8];
	int n = 0;

	if (getifaddrs(&ifs) < 0) {
		setup_failed("own_interface", "getifaddrs", errno);
		return;
	}
	for (i = ifs; i && n < 4; i = i->ifa_next) {
		if (!i->ifa_addr)
			continue;
		if (i->ifa_addr->sa_family == AF_INET) {
			inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, addr, sizeof(addr));
			if (strncmp(addr, "127.", 4) == 0)
				continue;
			snprintf(name, sizeof(name), "own_interface_v4_%d", n);
			try_alias(name, addr, port, 0);
			snprintf(mapped, sizeof(mapped), "::ffff:%s", addr);
			snprintf(name, sizeof(name), "own_interface_mapped_%d", n++);
			try_alias(name, mapped, port, 0);
		} else if (i->ifa_addr->sa_family == AF_INET6) {
			struct in6_addr *a6 = &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
			if (IN6_IS_ADDR_LOOPBACK(a6) || IN6_IS_ADDR_LINKLOCAL(a6))
				continue;
			inet_ntop(AF_INET6, a6, addr, sizeof(addr));
			snprintf(name, sizeof(name), "own_interface_v6_%d", n++);
			try_alias(name, addr, port, 0);
		}
	}
	freeifaddrs(ifs);
	if (n == 0)
		fprintf(stderr, "real_api_alias: no address besides loopback here: own_interface vectors left out\n");
}

/* tentative_v6: an IPv6 address of this host whose duplicate address
 * detection is still running (FNG_TENTATIVE_ADDR; the test makes it last
 * 20 s). A bind to it fails, yet a blocking connect begun now reaches the
 * listener when the detection ends and the SYN is sent again. Run first,
 * while the address is surely tentative; an ERROR if it is not. */
static void try_tentative(int port)
{
	const char *addr = getenv("FNG_TENTATIVE_ADDR");
	struct sockaddr_in6 b = { .sin6_family = AF_INET6 };
	int fd, r;

	if (!addr || !*addr) {
		fprintf(stderr, "real_api_alias: no FNG_TENTATIVE_ADDR: tentative_v6 left out\n");
		return;
	}
	if (inet_pton(AF_INET6, addr, &b.sin6_addr) != 1)
		env_error("FNG_TENTATIVE_ADDR must be an IPv6 address, got %s", addr);
	fd = socket(AF_INET6, SOCK_STREAM, 0);
	r = fd < 0 ? -1 : bind(fd, (struct sockaddr *)&b, sizeof(b));
	if (r == 0 || errno != EADDRNOTAVAIL) {
		report("tentative_v6", ERRORED, "%s is not tentative (bind: %s): the vector did not run", addr,
		       r == 0 ? "it worked" : strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	try_alias("tentative_v6", addr, port, 0);
}

/* race_flip: a thread flips the sockaddr between a benign local port and
 * 127.0.0.2 on the API's port while connects run (checked, then rewritten).
 * One store per turn of the loop: with the four stores in one loop body, a
 * thread preempted only at its loop's head (qemu's TCG interrupts between
 * translated blocks) always left the API's address, and a single-CPU arm64
 * guest saw no benign connect: the race never ran. The flipper gives up the
 * CPU every FLIPS_PER_YIELD stores (not a multiple of four: the state it
 * leaves goes round all four), so that on one CPU it also runs between a
 * check and the kernel's use. Every CONNECTS_PER_WAIT-th connect waits for
 * the flipper to have moved since the last such wait (turns): a flipper
 * short of CPU (a loaded host) otherwise left one state in place for
 * hundreds of connects, and a few such stretches could all miss the benign
 * state (seen natively). Waiting before every connect instead kept the two
 * threads in step: too tame a race to catch a supervisor that connects
 * without its own copy of the address. */
#define FLIPS_PER_YIELD 1025
#define CONNECTS_PER_WAIT 16

struct flip {
	struct sockaddr_in sa;
	atomic_int stop;
	atomic_uint turns;
	int api_port, benign_port;
};

static void *flipper(void *arg)
{
	struct flip *f = arg;
	volatile uint32_t *a = (volatile uint32_t *)&f->sa.sin_addr.s_addr;
	volatile uint16_t *p = (volatile uint16_t *)&f->sa.sin_port;

	for (unsigned i = 0; !atomic_load(&f->stop); i++) {
		switch (i % 4) {
		case 0:
			*a = htonl(0x7f000001);
			break;
		case 1:
			*p = htons((uint16_t)f->benign_port);
			break;
		case 2:
			*a = htonl(0x7f000002);
			break;
		default:
			*p = htons((uint16_t)f->api_port);
			break;
		}
		atomic_store_explicit(&f->turns, i, memory_order_relaxed);
		if (i % FLIPS_PER_YIELD == FLIPS_PER_YIELD - 1)
			sched_yield();
	}
	return NULL;
}

static void try_race(int port)
{
	struct flip f = { .sa = { .sin_family = AF_INET }, .api_port = port };
	struct sockaddr_in b = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001) };
	socklen_t bl = sizeof(b);
	int bfd = socket(AF_INET, SOCK_STREAM, 0), api = 0, benign = 0, denied = 0;
	unsigned seen = 0;
	pthread_t th;

	if (bfd < 0 || bind(bfd, (struct sockaddr *)&b, sizeof(b)) < 0 || listen(bfd, 4096) < 0 ||
	    getsockname(bfd, (struct sockaddr *)&b, &bl) < 0) {
		setup_failed("race_flip", "benign listener", errno);
		return;
	}
	f.benign_port = ntohs(b.sin_port);
	errno = pthread_create(&th, NULL, flipper, &f);
	if (errno) {
		setup_failed("race_flip", "pthread_create", errno);
		close(bfd);
		return;
	}
	for (int i = 0; i < 2000; i++) {
		struct sockaddr_in peer;
		socklen_t pl = sizeof(peer);
		int fd;

		if (i % CONNECTS_PER_WAIT == 0) {
			while (atomic_load(&f.turns) == seen)
				sched_yield();
			seen = atomic_load(&f.turns);
		}
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0)
			break;
		if (connect(fd, (struct sockaddr *)&f.sa, sizeof(f.sa)) == 0 &&
		    getpeername(fd, (struct sockaddr *)&peer, &pl) == 0) {
			if (ntohs(peer.sin_port) == port) {
				api++;
				close(fd);
				break; /* one is enough (natively) */
			}
			benign++;
		} else if (is_denial(errno)) {
			denied++;
		}
		close(fd);
	}
	atomic_store(&f.stop, 1);
	pthread_join(th, NULL);
	close(bfd);
	if (api)
		report("race_flip", BYPASSED, "a connect reached the API's port (after %d benign, %d denied)", benign,
		       denied);
	else if (!benign)
		report("race_flip", ERRORED, "no benign connect succeeded: the race did not run (%d denied)", denied);
	else
		report("race_flip", DEFENDED, "0 reached the API's port (%d benign, %d denied)", benign, denied);
}

int main(void)
{
	const char *api = need_env("FNG_REAL_API");
	const char *colon = strrchr(api, ':');
	struct sockaddr_in6 any = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT };
	int port = colon ? atoi(colon + 1) : 0, zero = 0, one = 1, lfd;

	adv_init();
	if (port <= 0 || port > 65535)
		env_error("FNG_REAL_API must be host:port, got %s", api);
	/* The real API's listener, on a wildcard address: [::] with IPv4 too. */
	lfd = socket(AF_INET6, SOCK_STREAM, 0);
	any.sin6_port = htons((uint16_t)port);
	if (lfd < 0 || setsockopt(lfd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) < 0 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(lfd, (struct sockaddr *)&any, sizeof(any)) < 0 || listen(lfd, 4096) < 0)
		env_error("listening on [::]:%d: %s", port, strerror(errno));

	try_tentative(port);
	try_alias("exact_address", "127.0.0.1", port, 0);
	try_alias("v4_loopback_other", "127.0.0.2", port, 0);
	try_alias("v4_loopback_other_nonblock", "127.0.0.2", port, 1);
	try_alias("v4_loopback_last", "127.255.255.254", port, 0);
	try_alias("v4_any", "0.0.0.0", port, 0);
	try_alias("v6_loopback", "::1", port, 0);
	try_alias("v6_loopback_nonblock", "::1", port, 1);
	try_alias("v6_any", "::", port, 0);
	try_alias("v6_mapped_loopback_other", "::ffff:127.0.0.2", port, 0);
	try_alias("v6_mapped_any", "::ffff:0.0.0.0", port, 0);
	try_alias("fastopen_exact_address", "127.0.0.1", port, 2);
	try_alias("fastopen_v6_loopback", "::1", port, 2);
	try_interfaces(port);
	try_race(port);
	close(lfd);
	return adv_exit_status();
}
