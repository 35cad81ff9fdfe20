/* DNS awareness (dns.h): answers peeked at, addresses remembered with the names they came from. */
#include "tracer/resolve/dns.h"
#include "common/ascii.h"
#include "common/util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DNS_HEADER 12
#define QTYPE_A 1
#define QTYPE_AAAA 28
#define TYPE_CNAME 5
#define CLASS_IN 1
#define DNS_NAME_MAX 255

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

/* A name in wire form, uncompressed: length-prefixed labels, the root's 0
 * last; never more than the 255 octets RFC 1035 allows. */
struct wire_name {
	uint8_t b[DNS_NAME_MAX];
	size_t n;
};

/* The name at *off of msg, its compression pointers followed; *off moves
 * past it (past its first pointer). Every pointer must point before where
 * the labels it ends began, as compressors write them (to a name written
 * earlier), so the walk only goes back and never loops; labels of 1 to 63
 * octets (0x40 and 0x80 label types are refused); 255 octets at most. This
 * reads bytes, never text: c-ares' ares_expand_name turns a one-byte label
 * "\0" into a NUL that cut the text short ("x.example.com.\000.attacker.test"
 * read as "x.example.com."). 0 or -EINVAL. */
static int read_name(const uint8_t *msg, size_t len, size_t *off, struct wire_name *out)
{
	size_t pos = *off, after = 0, began = *off;

	out->n = 0;
	for (;;) {
		uint8_t l;
		if (pos >= len)
			return -EINVAL;
		l = msg[pos];
		if ((l & 0xc0) == 0xc0) {
			size_t to;
			if (pos + 1 >= len)
				return -EINVAL;
			to = (size_t)(l & 0x3f) << 8 | msg[pos + 1];
			if (to >= began)
				return -EINVAL;
			if (!after)
				after = pos + 2;
			pos = began = to;
			continue;
		}
		if ((l & 0xc0) || out->n + 1 + l > DNS_NAME_MAX || pos + 1 + l > len)
			return -EINVAL;
		memcpy(out->b + out->n, msg + pos, 1 + (size_t)l);
		out->n += 1 + (size_t)l;
		pos += 1 + (size_t)l;
		if (!l)
			break;
	}
	*off = after ? after : pos;
	return 0;
}

/* The name as a host name ("api.example.com"), or -EINVAL when it is not
 * one: a label holding any byte no resolver library puts in a host name
 * (NUL, other controls, '.', '\\', space, non-ASCII...: fng_ishostchar), or
 * the root alone. Nothing is escaped and nothing is cut: such a name
 * teaches fnguard no name at all. out holds 256 bytes (a wire name of 255
 * octets is at most 253 characters). */
static int name_text(const struct wire_name *w, char out[256])
{
	size_t o = 0;

	for (size_t i = 0; i < w->n && w->b[i]; i += 1 + (size_t)w->b[i]) {
		for (size_t k = 1; k <= w->b[i]; k++)
			if (!fng_ishostchar(w->b[i + k]))
				return -EINVAL;
		if (o)
			out[o++] = '.';
		memcpy(out + o, w->b + i + 1, w->b[i]);
		o += w->b[i];
	}
	out[o] = '\0';
	return o ? 0 : -EINVAL;
}

/* DNS names compare without regard to ASCII case (RFC 4343), octet by octet. */
static bool same_name(const struct wire_name *a, const struct wire_name *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (fng_tolower(a->b[i]) != fng_tolower(b->b[i]))
			return false;
	return true;
}

static unsigned get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* The A or AAAA records (rtype, rsize octets) on the CNAME chain from q,
 * walking the answer section from off in order. A chain whose CNAME target
 * is not a host name (glibc refuses such an answer too), or an answer
 * section that cannot be read whole, gives no address. */
static void read_answers(const uint8_t *msg, size_t len, size_t off, const struct wire_name *q, unsigned rtype,
			 size_t rsize, struct fng_dns_answer *out)
{
	struct wire_name chain = *q, owner;
	unsigned an = get16(msg + 6);
	char text[256];

	for (unsigned i = 0; i < an; i++) {
		size_t rdata, rdlen, target;
		unsigned type;
		if (read_name(msg, len, &off, &owner) < 0 || off + 10 > len)
			goto unreadable;
		type = get16(msg + off);
		rdlen = get16(msg + off + 8);
		rdata = off + 10;
		if (rdata + rdlen > len)
			goto unreadable;
		off = rdata + rdlen;
		if (get16(msg + rdata - 8) != CLASS_IN || !same_name(&owner, &chain))
			continue;
		if (type == TYPE_CNAME) {
			target = rdata;
			if (read_name(msg, len, &target, &chain) < 0 || target != rdata + rdlen ||
			    name_text(&chain, text) < 0)
				goto unreadable;
		} else if (type == rtype) {
			if (rdlen != rsize)
				goto unreadable;
			if (out->n_addrs < FNG_DNS_MAX_ANSWERS && rsize == 4)
				fng_addr_from_v4(out->addrs[out->n_addrs++], msg + rdata);
			else if (out->n_addrs < FNG_DNS_MAX_ANSWERS)
				memcpy(out->addrs[out->n_addrs++], msg + rdata, 16);
		}
	}
	return;
unreadable:
	out->n_addrs = 0;
}

int fng_dns_parse(const uint8_t *msg, size_t len, struct fng_dns_answer *out)
{
	struct wire_name q;
	size_t off = DNS_HEADER;
	unsigned qtype;

	memset(out, 0, sizeof(*out));
	if (len < DNS_HEADER || len > 65535 || !(msg[2] & 0x80) || get16(msg + 4) != 1)
		return -EINVAL; /* not a response with exactly one question */
	if (read_name(msg, len, &off, &q) < 0 || off + 4 > len)
		return -EINVAL;
	/* A question that is not a host name teaches nothing: the address
	 * stays unnamed and is judged as such. */
	if (name_text(&q, out->name) < 0) {
		out->name[0] = '\0';
		return -EINVAL;
	}
	qtype = get16(msg + off);
	off += 4;
	if (qtype == QTYPE_A) {
		snprintf(out->qtype, sizeof(out->qtype), "A");
		read_answers(msg, len, off, &q, QTYPE_A, 4, out);
	} else if (qtype == QTYPE_AAAA) {
		snprintf(out->qtype, sizeof(out->qtype), "AAAA");
		read_answers(msg, len, off, &q, QTYPE_AAAA, 16, out);
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
