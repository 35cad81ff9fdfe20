/* raw_socket — sockets that bypass connect()/sendto() address checks: a raw
 * IP socket writes its own transport header, a packet socket its own IP
 * header, so the supervisor can only refuse the socket itself (EACCES at
 * socket() under outbound block).
 *
 * The program makes a network namespace of its own (unshare(CLONE_NEWNET))
 * and puts 10.89.2.1 (the blocked host) on its lo, so no packet can leave
 * it. Creating the socket is the bypass; where the program can, it also
 * sends a hand-built UDP datagram to a receiver on 10.89.2.1 and says
 * whether it arrived.
 *
 * Vectors:
 *   raw_inet_udp   socket(AF_INET, SOCK_RAW, IPPROTO_UDP), a UDP header + "x"
 *                  to 10.89.2.1:5406
 *   raw_inet6_udp  socket(AF_INET6, SOCK_RAW, IPPROTO_UDP) (created is enough)
 *   packet_raw     socket(AF_PACKET, SOCK_RAW, 0), an Ethernet + IPv4 + UDP
 *                  frame on lo to 10.89.2.1:5407
 *   packet_dgram   socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP)) (created is enough)
 *   xdp_socket     socket(AF_XDP, SOCK_RAW, 0): frames straight to a NIC queue (created is enough)
 * Env: none besides the usual (only FNG_WORKDIR is checked to be set).
 */
#define _GNU_SOURCE
#include "adv.h"

#include <linux/if_ether.h>
#include <linux/if_packet.h>

#define BLOCKED "10.89.2.1"
#define WAIT_MS 250

static uint16_t ip_checksum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* A UDP header (checksum 0: none, allowed over IPv4) and a 1-byte payload. */
static size_t udp_datagram(uint8_t *out, int port)
{
	uint16_t h[4] = { htons(40000), htons((uint16_t)port), htons(9), 0 };
	memcpy(out, h, 8);
	out[8] = 'x';
	return 9;
}

/* An IPv4 header 10.89.9.9 -> 10.89.2.1 around a UDP datagram (a local
 * source address would be dropped as a martian on input). */
static size_t ip_packet(uint8_t *out, int port)
{
	size_t n = udp_datagram(out + 20, port);
	struct in_addr src, dst;
	uint16_t len = htons((uint16_t)(20 + n)), sum;

	inet_pton(AF_INET, "10.89.9.9", &src);
	inet_pton(AF_INET, BLOCKED, &dst);
	memset(out, 0, 20);
	out[0] = 0x45;
	memcpy(out + 2, &len, 2);
	out[8] = 64;
	out[9] = IPPROTO_UDP;
	memcpy(out + 12, &src, 4);
	memcpy(out + 16, &dst, 4);
	sum = htons(ip_checksum(out, 20));
	memcpy(out + 10, &sum, 2);
	return 20 + n;
}

static void raw_inet_udp(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	uint8_t pkt[64];
	size_t n = udp_datagram(pkt, port);
	int s = socket(AF_INET, SOCK_RAW, IPPROTO_UDP), rx;

	if (s < 0) {
		setup_failed("raw_inet_udp", "socket(AF_INET, SOCK_RAW, IPPROTO_UDP)", errno);
		return;
	}
	rx = adv_receiver(SOCK_DGRAM, BLOCKED, port);
	inet_pton(AF_INET, BLOCKED, &a.sin_addr);
	if (rx < 0 || sendto(s, pkt, n, 0, (struct sockaddr *)&a, sizeof(a)) < 0)
		report("raw_inet_udp", BYPASSED, "raw socket created (sending failed: %s)", strerror(errno));
	else
		report("raw_inet_udp", BYPASSED, "raw socket created; %d hand-built datagram(s) reached %s:%d",
		       adv_arrivals(rx, WAIT_MS), BLOCKED, port);
	if (rx >= 0)
		close(rx);
	close(s);
}

static void packet_raw(int port)
{
	struct sockaddr_ll a = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP), .sll_halen = 6 };
	uint8_t frame[128] = { 0 }; /* lo: zero MAC addresses */
	size_t n = 14 + ip_packet(frame + 14, port);
	int s = socket(AF_PACKET, SOCK_RAW, 0), rx;

	if (s < 0) {
		setup_failed("packet_raw", "socket(AF_PACKET, SOCK_RAW, 0)", errno);
		return;
	}
	frame[12] = ETH_P_IP >> 8;
	frame[13] = ETH_P_IP & 0xff;
	a.sll_ifindex = (int)if_nametoindex("lo");
	rx = adv_receiver(SOCK_DGRAM, BLOCKED, port);
	if (rx < 0 || sendto(s, frame, n, 0, (struct sockaddr *)&a, sizeof(a)) < 0)
		report("packet_raw", BYPASSED, "packet socket created (sending failed: %s)", strerror(errno));
	else
		report("packet_raw", BYPASSED, "packet socket created; %d hand-built frame(s) reached %s:%d",
		       adv_arrivals(rx, WAIT_MS), BLOCKED, port);
	if (rx >= 0)
		close(rx);
	close(s);
}

/* Creating the socket is the bypass. */
static void create_only(const char *name, const char *what, int domain, int type, int proto)
{
	int s = socket(domain, type, proto);

	if (s < 0) {
		setup_failed(name, what, errno);
		return;
	}
	report(name, BYPASSED, "%s created", what);
	close(s);
}

int main(void)
{
	static const char *const addrs[] = { BLOCKED };

	adv_init();
	need_env("FNG_WORKDIR");
	adv_own_netns(addrs, 1);
	raw_inet_udp(5406);
	create_only("raw_inet6_udp", "socket(AF_INET6, SOCK_RAW, IPPROTO_UDP)", AF_INET6, SOCK_RAW, IPPROTO_UDP);
	packet_raw(5407);
	create_only("packet_dgram", "socket(AF_PACKET, SOCK_DGRAM, ETH_P_IP)", AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
#ifndef AF_XDP
#define AF_XDP 44
#endif
	create_only("xdp_socket", "socket(AF_XDP, SOCK_RAW, 0)", AF_XDP, SOCK_RAW, 0);
	return adv_exit_status();
}
