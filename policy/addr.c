/* IP addresses, CIDRs and ports for outbound exceptions. Pure. */
#include "policy/policy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t v4mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

void fng_addr_from_v4(uint8_t out[16], const void *in_addr4)
{
	memcpy(out, v4mapped_prefix, 12);
	memcpy(out + 12, in_addr4, 4);
}

bool fng_addr_is_v4mapped(const uint8_t a[16])
{
	return memcmp(a, v4mapped_prefix, 12) == 0;
}

bool fng_addr_is_loopback(const uint8_t a[16])
{
	static const uint8_t v6lo[16] = { [15] = 1 };

	if (fng_addr_is_v4mapped(a))
		return a[12] == 127;
	return memcmp(a, v6lo, 16) == 0;
}

void fng_addr_format(const uint8_t a[16], char *buf, size_t n)
{
	if (fng_addr_is_v4mapped(a)) {
		if (!inet_ntop(AF_INET, a + 12, buf, (socklen_t)n))
			buf[0] = '\0';
	} else if (!inet_ntop(AF_INET6, a, buf, (socklen_t)n)) {
		buf[0] = '\0';
	}
}

void fng_netrule_format(const struct fng_netrule *r, char *buf, size_t n)
{
	bool v4 = fng_addr_is_v4mapped(r->addr);
	unsigned prefix = v4 ? r->prefix - 96u : r->prefix;
	char a[INET6_ADDRSTRLEN], pfx[8] = "";

	fng_addr_format(r->addr, a, sizeof(a));
	if (r->prefix != 128)
		snprintf(pfx, sizeof(pfx), "/%u", prefix);
	if (!r->port)
		snprintf(buf, n, "%s%s", a, pfx);
	else if (v4)
		snprintf(buf, n, "%s%s:%u", a, pfx, r->port);
	else
		snprintf(buf, n, "[%s]%s:%u", a, pfx, r->port);
}

static int parse_port(const char *s, uint16_t *port, const char **why)
{
	char *end;
	long v;

	if (!*s || strspn(s, "0123456789") != strlen(s)) {
		*why = "port must be a number from 1 to 65535";
		return -ERANGE;
	}
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || v < 1 || v > 65535) {
		*why = "port must be a number from 1 to 65535";
		return -ERANGE;
	}
	*port = (uint16_t)v;
	return 0;
}

static int parse_prefix(const char *s, int max, uint8_t *out, const char **why)
{
	char *end;
	long v;

	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 3) {
		*why = "prefix length must be a number";
		return -ERANGE;
	}
	v = strtol(s, &end, 10);
	if (v < 0 || v > max) {
		*why = max == 32 ? "IPv4 prefix length must be 0 to 32" : "IPv6 prefix length must be 0 to 128";
		return -ERANGE;
	}
	*out = (uint8_t)v;
	return 0;
}

int fng_netrule_parse(const char *s, struct fng_netrule *out, const char **why)
{
	char buf[128];
	char *addr = buf, *prefix = NULL, *port = NULL;
	struct in_addr a4;
	struct in6_addr a6;
	uint8_t plen;
	bool bracketed = false;

	*why = "not an address";
	memset(out, 0, sizeof(*out));
	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);

	if (buf[0] == '[') {
		char *close = strchr(buf, ']');
		if (!close) {
			*why = "missing ']' after IPv6 address";
			return -ERANGE;
		}
		*close = '\0';
		addr = buf + 1;
		bracketed = true;
		if (close[1] == ':')
			port = close + 2;
		else if (close[1] != '\0') {
			*why = "expected ':PORT' after ']'";
			return -ERANGE;
		}
	} else if (strchr(buf, ':') && strchr(buf, ':') == strrchr(buf, ':')) {
		/* exactly one colon: IPv4 (or host) with a port */
		port = strchr(buf, ':');
		*port++ = '\0';
	}
	prefix = strchr(addr, '/');
	if (prefix)
		*prefix++ = '\0';

	if (inet_pton(AF_INET, addr, &a4) == 1 && !bracketed) {
		fng_addr_from_v4(out->addr, &a4);
		plen = 32;
		if (prefix && parse_prefix(prefix, 32, &plen, why) < 0)
			return -ERANGE;
		out->prefix = (uint8_t)(plen + 96);
	} else if (inet_pton(AF_INET6, addr, &a6) == 1) {
		memcpy(out->addr, &a6, 16);
		plen = 128;
		if (prefix && parse_prefix(prefix, 128, &plen, why) < 0)
			return -ERANGE;
		out->prefix = plen;
	} else {
		/* Looks numeric but is not an address: a typo, not a host name. */
		if (strspn(addr, "0123456789./") == strlen(addr) && *addr) {
			*why = "invalid IPv4 address";
			return -ERANGE;
		}
		if (bracketed) {
			*why = "invalid IPv6 address";
			return -ERANGE;
		}
		return -EINVAL;
	}
	if (port && parse_port(port, &out->port, why) < 0)
		return -ERANGE;
	/* Host bits set below the prefix are almost always a typo (10.1.2.3/8). */
	for (int bit = out->prefix; bit < 128; bit++) {
		if (out->addr[bit / 8] & (0x80 >> (bit % 8))) {
			*why = "address has bits set beyond the prefix length";
			return -ERANGE;
		}
	}
	return 0;
}

bool fng_netrule_match(const struct fng_netrule *r, const uint8_t a[16], uint16_t port)
{
	int full = r->prefix / 8, rest = r->prefix % 8;

	if (r->port && r->port != port)
		return false;
	if (memcmp(r->addr, a, (size_t)full) != 0)
		return false;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));
		if ((r->addr[full] & mask) != (a[full] & mask))
			return false;
	}
	return true;
}

bool fng_netrule_covers(const struct fng_netrule *outer, const struct fng_netrule *inner)
{
	if (outer->prefix > inner->prefix || (outer->port && outer->port != inner->port))
		return false;
	return fng_netrule_match(outer, inner->addr, outer->port ? outer->port : inner->port);
}

bool fng_policy_net_allowed(const struct fng_policy *p, const uint8_t a[16], uint16_t port)
{
	for (size_t i = 0; i < p->n_net_allow; i++)
		if (fng_netrule_match(&p->net_allow[i], a, port))
			return true;
	return false;
}
