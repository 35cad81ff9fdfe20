/* connect_race — a racing thread rewrites the sockaddr of connect() between
 * the supervisor's check and the kernel's use of it, flipping between an
 * allowed loopback listener and a "remote" one (192.0.2.1, TEST-NET-1).
 *
 * The program makes a network namespace of its own (unshare(CLONE_NEWNET))
 * and puts 192.0.2.1 on its lo, so no packet can leave it. A connect that
 * ends up connected to 192.0.2.1 is a bypass.
 *
 * Vectors:
 *   connect_race_blocking     - blocking sockets (fnguard: peer verified at exit)
 *   connect_race_nonblocking  - non-blocking sockets (fnguard: connects itself)
 * Env: none besides the usual (only FNG_WORKDIR is checked to be set).
 */
#define _GNU_SOURCE
#include "adv.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>

#define ATTEMPTS 5000
#define PORT 4299

static struct sockaddr_in g_addr; /* the shared buffer the racer flips */
static atomic_int g_stop;

static void *racer(void *arg)
{
	(void)arg;
	struct in_addr lo, remote;
	inet_pton(AF_INET, "127.0.0.1", &lo);
	inet_pton(AF_INET, "192.0.2.1", &remote);
	/* volatile: each value must really sit in memory for a while, or the
	 * compiler drops the first store as dead. */
	volatile uint32_t *a = &g_addr.sin_addr.s_addr;
	while (!atomic_load_explicit(&g_stop, memory_order_relaxed)) {
		*a = remote.s_addr;
		for (volatile int k = 0; k < 200; k++)
			;
		*a = lo.s_addr;
		for (volatile int k = 0; k < 200; k++)
			;
	}
	return NULL;
}

/* Drain both listeners so their queues never fill. */
static void drain(int l1, int l2)
{
	adv_arrivals(l1, 0);
	adv_arrivals(l2, 0);
}

static void race(const char *name, int nonblocking, int l_lo, int l_remote)
{
	pthread_t t;
	int bypass = 0, ok = 0, denied = 0, other = 0;

	g_addr.sin_family = AF_INET;
	g_addr.sin_port = htons(PORT);
	inet_pton(AF_INET, "127.0.0.1", &g_addr.sin_addr);
	atomic_store(&g_stop, 0);
	pthread_create(&t, NULL, racer, NULL);
	for (int i = 0; i < ATTEMPTS; i++) {
		int s = socket(AF_INET, SOCK_STREAM | (nonblocking ? SOCK_NONBLOCK : 0), 0);
		int r = connect(s, (struct sockaddr *)&g_addr, sizeof(g_addr));
		if (r < 0 && errno == EINPROGRESS) {
			struct pollfd p = { .fd = s, .events = POLLOUT };
			int err = 0;
			socklen_t len = sizeof(err);
			poll(&p, 1, 1000);
			getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len);
			r = err ? -1 : 0;
			errno = err;
		}
		if (r == 0) {
			struct sockaddr_in peer;
			socklen_t len = sizeof(peer);
			if (getpeername(s, (struct sockaddr *)&peer, &len) == 0 &&
			    peer.sin_addr.s_addr == htonl(0xc0000201)) /* 192.0.2.1 */
				bypass++;
			else
				ok++;
		} else if (is_denial(errno)) {
			denied++;
		} else {
			other++;
		}
		close(s);
		if (i % 32 == 0)
			drain(l_lo, l_remote);
	}
	atomic_store(&g_stop, 1);
	pthread_join(t, NULL);
	if (ok == 0)
		report(name, ERRORED, "no connect to the allowed listener succeeded: the race did not run (denied=%d other=%d)",
		       denied, other);
	else if (bypass)
		report(name, BYPASSED, "%d/%d connects reached 192.0.2.1 (allowed ok=%d, denied=%d, other=%d)", bypass,
		       ATTEMPTS, ok, denied, other);
	else
		report(name, DEFENDED, "0/%d connects reached 192.0.2.1 (allowed ok=%d, denied=%d, other=%d)", ATTEMPTS,
		       ok, denied, other);
}

int main(void)
{
	static const char *const remote[] = { "192.0.2.1" };
	int l_lo, l_remote;

	adv_init();
	need_env("FNG_WORKDIR");
	adv_own_netns(remote, 1);
	l_lo = adv_receiver(SOCK_STREAM, "127.0.0.1", PORT);
	l_remote = adv_receiver(SOCK_STREAM, "192.0.2.1", PORT);
	if (l_lo < 0 || l_remote < 0)
		env_error("cannot listen: %s", strerror(errno));
	race("connect_race_blocking", 0, l_lo, l_remote);
	race("connect_race_nonblocking", 1, l_lo, l_remote);
	return adv_exit_status();
}
