/* DNS awareness (dns.h): answers peeked at, addresses remembered with the names they came from. */
#include "tracer/resolve/dns.h"
#include "common/util.h"

#include <ares.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DNS_HEADER 12
#define QTYPE_A 1
#define QTYPE_AAAA 28

static void add_resolver(struct fng_dns *d, const struct fng_netrule *r)
{
	if (d->n_resolvers < FNG_DNS_MAX_RESOLVERS)
		d->resolvers[d->n_resolvers++] = *r;
}

/* "nameserver ADDR" lines, as glibc and musl read them. */
static void read_resolv_conf(struct fng_dns *d, const char *path)
{
	char buf[8192];
	ssize_t n = fng_read_file(path, buf, sizeof(buf));

	if (n <= 0)
		return;
	for (char *line = buf; line && *line;) {
		char *next = strchr(line, '\n');
		char addr[64];
		struct fng_netrule r;
		const char *why;

		if (next)
			*next++ = '\0';
		if (sscanf(line, " nameserver %63s", addr) == 1) {
			char *pct = strchr(addr, '%'); /* fe80::1%eth0 */
			if (pct)
				*pct = '\0';
			if (fng_netrule_parse(addr, &r, &why) == 0 && !r.port)
				add_resolver(d, &r);
		}
		line = next;
	}
}

int fng_dns_init(struct fng_dns *d, const struct fng_policy *p, const char *resolv_conf)
{
	memset(d, 0, sizeof(*d));
	d->slots = calloc(FNG_DNS_SLOTS, sizeof(*d->slots));
	d->buf = malloc(FNG_DNS_MSG_MAX);
	if (!d->slots || !d->buf) {
		fng_dns_free(d);
		return -ENOMEM;
	}
	for (size_t i = 0; i < FNG_DNS_SOCKS; i++)
		d->socks[i].fd = -1;
	if (p->n_resolvers) {
		for (size_t i = 0; i < p->n_resolvers; i++)
			add_resolver(d, &p->resolvers[i]);
	} else {
		read_resolv_conf(d, resolv_conf);
	}
	return 0;
}

void fng_dns_free(struct fng_dns *d)
{
	/* Nothing was ever learnt (clock 0): no names to free, and no reason to
	 * fault in 128 KiB of untouched slots to find that out. */
	if (d->slots && d->clock)
		for (size_t i = 0; i < FNG_DNS_SLOTS; i++)
			free(d->slots[i].name);
	free(d->slots);
	free(d->buf);
	memset(d, 0, sizeof(*d));
}

bool fng_dns_is_resolver(const struct fng_dns *d, const uint8_t addr[16])
{
	for (size_t i = 0; i < d->n_resolvers; i++)
		if (fng_netrule_match(&d->resolvers[i], addr, 0))
			return true;
	return false;
}

static size_t slot_of(const uint8_t addr[16])
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */

	for (int i = 0; i < 16; i++)
		h = (h ^ addr[i]) * 1099511628211ull;
	return (size_t)(h & (FNG_DNS_SLOTS - 1));
}

void fng_dns_remember(struct fng_dns *d, const uint8_t addr[16], const char *name)
{
	size_t base = slot_of(addr), victim = base;
	char *copy;

	for (size_t i = 0; i < FNG_DNS_PROBE; i++) {
		struct fng_dns_slot *s = &d->slots[(base + i) & (FNG_DNS_SLOTS - 1)];
		if (s->stamp && memcmp(s->addr, addr, 16) == 0 && strcmp(s->name, name) == 0) {
			s->stamp = ++d->clock;
			return;
		}
		/* else the free slot, or the least recently learned one */
		if (s->stamp < d->slots[victim].stamp)
			victim = (base + i) & (FNG_DNS_SLOTS - 1);
	}
	copy = strdup(name);
	if (!copy)
		return; /* not remembered: the address is judged without a name */
	free(d->slots[victim].name);
	d->slots[victim].name = copy;
	memcpy(d->slots[victim].addr, addr, 16);
	d->slots[victim].stamp = ++d->clock;
}

const char *fng_dns_lookup(const struct fng_dns *d, const uint8_t addr[16], const struct fng_policy *p,
			   uint16_t port, bool *allowed)
{
	const struct fng_dns_slot *latest = NULL;
	size_t base = slot_of(addr);

	*allowed = false;
	if (!d->slots)
		return NULL;
	for (size_t i = 0; i < FNG_DNS_PROBE; i++) {
		const struct fng_dns_slot *s = &d->slots[(base + i) & (FNG_DNS_SLOTS - 1)];
		if (!s->stamp || memcmp(s->addr, addr, 16) != 0)
			continue;
		if (fng_policy_host_allowed(p, s->name, port)) {
			*allowed = true;
			return s->name;
		}
		if (!latest || s->stamp > latest->stamp)
			latest = s;
	}
	return latest ? latest->name : NULL;
}

void fng_dns_watch(struct fng_dns *d, pid_t tgid, int fd)
{
	if (fng_dns_watched(d, tgid, fd))
		return;
	d->socks[d->next_sock].tgid = tgid;
	d->socks[d->next_sock].fd = fd;
	d->next_sock = (d->next_sock + 1) % FNG_DNS_SOCKS;
}

bool fng_dns_watched(const struct fng_dns *d, pid_t tgid, int fd)
{
	for (size_t i = 0; i < FNG_DNS_SOCKS; i++)
		if (d->socks[i].fd == fd && d->socks[i].tgid == tgid)
			return true;
	return false;
}

int fng_dns_parse(const uint8_t *msg, size_t len, struct fng_dns_answer *out)
{
	char *qname = NULL;
	long enclen = 0;
	unsigned qtype;
	int n = FNG_DNS_MAX_ANSWERS;

	memset(out, 0, sizeof(*out));
	if (len < DNS_HEADER || len > 65535 || !(msg[2] & 0x80) || msg[4] != 0 || msg[5] != 1)
		return -EINVAL; /* not a response with exactly one question */
	if (ares_expand_name(msg + DNS_HEADER, msg, (int)len, &qname, &enclen) != ARES_SUCCESS)
		return -EINVAL;
	fng_strlcpy(out->name, qname, sizeof(out->name));
	ares_free_string(qname);
	if (DNS_HEADER + (size_t)enclen + 4 > len)
		return -EINVAL;
	qtype = (unsigned)msg[DNS_HEADER + enclen] << 8 | msg[DNS_HEADER + enclen + 1];
	if (qtype == QTYPE_A) {
		struct ares_addrttl a[FNG_DNS_MAX_ANSWERS];
		snprintf(out->qtype, sizeof(out->qtype), "A");
		if (ares_parse_a_reply(msg, (int)len, NULL, a, &n) == ARES_SUCCESS)
			for (int i = 0; i < n; i++)
				fng_addr_from_v4(out->addrs[out->n_addrs++], &a[i].ipaddr);
	} else if (qtype == QTYPE_AAAA) {
		struct ares_addr6ttl a[FNG_DNS_MAX_ANSWERS];
		snprintf(out->qtype, sizeof(out->qtype), "AAAA");
		if (ares_parse_aaaa_reply(msg, (int)len, NULL, a, &n) == ARES_SUCCESS)
			for (int i = 0; i < n; i++)
				memcpy(out->addrs[out->n_addrs++], &a[i].ip6addr, 16);
	} else {
		snprintf(out->qtype, sizeof(out->qtype), "%u", qtype);
	}
	return 0;
}

void fng_dns_learn(struct fng_dns *d, const struct fng_dns_answer *a)
{
	for (size_t i = 0; i < a->n_addrs; i++)
		fng_dns_remember(d, a->addrs[i], a->name);
}
