/*
 * dns_label.c - adversarial test for fnguard (class: DNS names that are not
 * host names teaching fnguard a name for an address)
 *
 * fnguard learns which host name an address stands for from the answers a
 * trusted resolver gives the function's own lookups.  The function can send
 * that resolver any query it likes, for a name in a zone the attacker owns:
 * an honest resolver forwards it and relays whatever the attacker's server
 * answers.  If fnguard turns the question into text that is not the name
 * that was asked (cut at a NUL, cut at its 256th byte), the attacker's
 * address is learnt under a name the policy's host exceptions allow.
 *
 * Vectors (vector i, from 1: a raw UDP query with id i to FNG_DNS_RESOLVER:53
 * for the name, then a TCP connect to the address answered, the resolver's
 * ANSWER_IP + i, port 5532, where a listener of the program's own waits;
 * BYPASSED when the connection was made. Each vector has an address of its
 * own, so none rides on a name an earlier one taught):
 *   nul_label_wildcard  labels x, example, com, "\0", attacker, test: read by
 *                       c-ares as "x.example.com." (matches *.example.com)
 *   nul_label_exact     api.example.com.\000.attacker.test (api.example.com)
 *   nul_label_aws       s3.amazonaws.com.\000.attacker.test ("aws")
 *   long_name_cut       a 271-character name whose first 255 characters
 *                       end in ".x.example.com" (cut to what fits 256 bytes)
 *   nul_in_label        api.example.com\000.attacker.test (a label "com\0")
 *   dot_in_label        one label "api.example.com", then attacker.test
 * Natively every vector connects (nothing judges it).
 *
 * The resolver: `dns_label --resolver ADDR ANSWER_IP` (run by the harness,
 * outside fnguard) answers every question on ADDR:53 with one A record,
 * ANSWER_IP plus the query id's low byte, echoing the question, as a
 * resolver relaying the attacker's zone would; it exits after 60 s without
 * a query.
 *
 * Env: FNG_DNS_RESOLVER (default 127.0.0.53). The resolver's ANSWER_IP
 * a.b.c.d, d <= 240: a.b.c.d+1 to +6 must be local (the harness puts them on
 * lo in a network namespace of its own).
 */
#define _GNU_SOURCE
#include "adv.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>

#define ATTACK_PORT 5532

static int resolver(const char *addr, const char *answer_ip)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(53) }, peer;
	uint8_t ans[4];
	struct timeval tv = { 60, 0 };
	int one = 1, s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (inet_pton(AF_INET, addr, &a.sin_addr) != 1 || inet_pton(AF_INET, answer_ip, ans) != 1 || ans[3] > 240)
		return 2;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) < 0) {
		perror("dns_label --resolver: bind");
		return 2;
	}
	for (;;) {
		unsigned char q[1024], out[1100];
		socklen_t pl = sizeof peer;
		ssize_t n = recvfrom(s, q, sizeof q, 0, (struct sockaddr *)&peer, &pl);
		size_t i = 12;
		if (n < 0)
			return 0; /* idle: done */
		while (i < (size_t)n && q[i] && (q[i] & 0xc0) == 0)
			i += 1 + q[i];
		if (i + 5 > (size_t)n)
			continue;
		i += 5; /* the zero label, QTYPE, QCLASS */
		memcpy(out, q, i);
		out[2] = 0x81, out[3] = 0x80, out[6] = 0, out[7] = 1; /* QR RD RA, ANCOUNT 1 */
		static const unsigned char rr[] = { 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4 };
		memcpy(out + i, rr, sizeof rr);
		memcpy(out + i + sizeof rr, ans, 4);
		out[i + sizeof rr + 3] = (unsigned char)(ans[3] + q[1]);
		sendto(s, out, i + sizeof rr + 4, 0, (struct sockaddr *)&peer, pl);
	}
}

/* labels, each given with its length, into a query; its length */
static size_t query(unsigned char *q, unsigned id, const char *const *labels, const size_t *lens, size_t n)
{
	static const unsigned char hdr[] = { 0x4c, 0x41, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
	size_t o = sizeof hdr;
	memcpy(q, hdr, sizeof hdr);
	q[1] = (unsigned char)id;
	for (size_t i = 0; i < n; i++) {
		q[o++] = (unsigned char)lens[i];
		memcpy(q + o, labels[i], lens[i]);
		o += lens[i];
	}
	q[o++] = 0;
	memcpy(q + o, "\0\1\0\1", 4); /* A, IN */
	return o + 4;
}

/* asks the resolver (three tries: the harness's resolver may still be
 * starting); the answered address into ip. 0, or -1 with why. */
static int ask(const char *resolver_ip, const unsigned char *q, size_t qlen, char *ip, size_t ipsz, char *why,
	       size_t whysz)
{
	struct sockaddr_in r = { .sin_family = AF_INET, .sin_port = htons(53) }, from;
	socklen_t fl;
	struct timeval tv = { 1, 0 };
	unsigned char ans[1100];
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ssize_t n = -1;

	inet_pton(AF_INET, resolver_ip, &r.sin_addr);
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	for (int t = 0; t < 3 && n < 0; t++) {
		struct pollfd pf = { .fd = s, .events = POLLIN };
		if (sendto(s, q, qlen, 0, (struct sockaddr *)&r, sizeof r) < 0)
			break;
		/* wait for the answer, as resolver libraries do, so the
		 * recvfrom reads one that is there (fnguard peeks at it) */
		if (poll(&pf, 1, 1000) != 1)
			continue;
		fl = sizeof from; /* with an address, as glibc, musl and c-ares ask */
		n = recvfrom(s, ans, sizeof ans, 0, (struct sockaddr *)&from, &fl);
	}
	close(s);
	if (n < (ssize_t)qlen + 16) {
		snprintf(why, whysz, "no answer from %s:53: %s", resolver_ip, n < 0 ? strerror(errno) : "short");
		return -1;
	}
	inet_ntop(AF_INET, ans + n - 4, ip, (socklen_t)ipsz);
	return 0;
}

static void vector(const char *name, const char *resolver_ip, const char *const *labels, const size_t *lens,
		   size_t n)
{
	static unsigned id;
	unsigned char q[1024];
	char ip[32], why[200];
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(ATTACK_PORT) };
	int rx, s, r, e;

	id++;
	if (ask(resolver_ip, q, query(q, id, labels, lens, n), ip, sizeof ip, why, sizeof why) < 0) {
		report(name, ERRORED, "setup: %s", why);
		return;
	}
	rx = adv_receiver(SOCK_STREAM, ip, ATTACK_PORT);
	if (rx < 0) {
		report(name, ERRORED, "setup: listener on %s:%d: %s", ip, ATTACK_PORT, strerror(errno));
		return;
	}
	inet_pton(AF_INET, ip, &a.sin_addr);
	r = adv_connect_wait(&a, 1000, &s, &e);
	int got = adv_arrivals(rx, r == 0 ? 500 : 50);
	if (s >= 0)
		close(s);
	close(rx);
	/* the handshake done is the attacker reached (fnguard may refuse the
	 * accept on the listener's side, which is the program's own here) */
	if (got > 0 || r == 0)
		report(name, BYPASSED, "connected to the answer's %s:%d (%d accepted)", ip, ATTACK_PORT, got);
	else
		report(name, DEFENDED, "connect to %s:%d: %s; nothing accepted", ip, ATTACK_PORT, strerror(e));
}

#define V(name, ...)                                                                                  \
	do {                                                                                           \
		static const char *const l[] = { __VA_ARGS__ };                                        \
		size_t len[sizeof l / sizeof l[0]];                                                    \
		for (size_t i = 0; i < sizeof l / sizeof l[0]; i++)                                    \
			len[i] = l[i][0] ? strlen(l[i]) : 1; /* "" is the one-byte label "\0" */         \
		vector(name, res, l, len, sizeof l / sizeof l[0]);                          \
	} while (0)

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "--resolver") == 0)
		return resolver(argv[2], argv[3]);
	adv_init();
	const char *res = getenv("FNG_DNS_RESOLVER");
	if (!res || !*res)
		res = "127.0.0.53";
	struct in_addr tmp;
	if (inet_pton(AF_INET, res, &tmp) != 1)
		env_error("FNG_DNS_RESOLVER=%s is not an IPv4 address", res);

	V("nul_label_wildcard", "x", "example", "com", "", "attacker", "test");
	V("nul_label_exact", "api", "example", "com", "", "attacker", "test");
	V("nul_label_aws", "s3", "amazonaws", "com", "", "attacker", "test");
	{
		static const char a59[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
		V("long_name_cut", a59, a59, a59, a59, "a", "x", "example", "com", "attacker", "test");
	}
	{
		static const char *const l[] = { "api", "example", "com", "attacker", "test" };
		static const size_t len[] = { 3, 7, 4, 8, 4 }; /* "com\0" */
		vector("nul_in_label", res, l, len, 5);
	}
	V("dot_in_label", "api.example.com", "attacker", "test");
	return adv_exit_status();
}
