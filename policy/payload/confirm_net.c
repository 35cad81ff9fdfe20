/* Confirmed attacks at a connect (confirm.h): does an input value name the
 * address, or the host, connected to? Every value of the invocation, of any
 * length, is indexed by the host it names (fng_confirm_hosts_add), so a
 * connect is answered by a lookup, not a scan of the values. Pure. */
#include "policy/payload/confirm_internal.h"
#include "policy/policy.h"
#include "common/util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The host a value names: a URL's host, or the value itself when it reads
 * as host[:port] (with a dot or colon, or "localhost": a bare number is an
 * id far more often than an address). Copied into host (n bytes), brackets
 * and port removed; *port the port named (the scheme's for http/https),
 * 0 for none. */
static bool value_host(const char *v, char *host, size_t n, uint16_t *port)
{
	const char *p = strstr(v, "://"), *e, *colon = NULL;

	*port = 0;
	if (p && ((p - v == 4 && strncasecmp(v, "http", 4) == 0) || (p - v == 2 && strncasecmp(v, "ws", 2) == 0)))
		*port = 80;
	else if (p && ((p - v == 5 && strncasecmp(v, "https", 5) == 0) || (p - v == 3 && strncasecmp(v, "wss", 3) == 0)))
		*port = 443;
	p = p ? p + 3 : v;
	if (p == v && (strpbrk(v, "/ \t?#@") || (!strpbrk(v, ".:") && strcasecmp(v, "localhost") != 0)))
		return false;
	e = p + strcspn(p, "/?#\\");
	const char *at = memchr(p, '@', (size_t)(e - p));
	if (at)
		p = at + 1;
	if (*p == '[') {
		const char *rb = memchr(p, ']', (size_t)(e - p));
		if (!rb)
			return false;
		colon = rb + 1 < e && rb[1] == ':' ? rb + 1 : NULL;
		p++;
		e = rb;
	} else {
		colon = memchr(p, ':', (size_t)(e - p));
		if (colon && memchr(colon + 1, ':', (size_t)(e - colon - 1)))
			colon = NULL; /* a bare IPv6 address */
		else if (colon) {
			const char *end = e;
			e = colon;
			colon = end > colon + 1 ? colon : NULL;
		}
	}
	if (colon)
		*port = (uint16_t)strtoul(colon + 1, NULL, 10);
	if (e <= p || (size_t)(e - p) >= n)
		return false;
	memcpy(host, p, (size_t)(e - p));
	host[e - p] = '\0';
	return true;
}

/* As getaddrinfo reads a numeric host: inet_aton's forms (127.1,
 * 2130706433, 0x7f.0.0.1) or IPv6. */
static bool host_addr(const char *h, uint8_t out[16])
{
	struct in_addr a4;

	if (inet_aton(h, &a4)) {
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &a4, 4);
		return true;
	}
	return inet_pton(AF_INET6, h, out) == 1;
}

static bool same_name(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	while (la && a[la - 1] == '.')
		la--;
	while (lb && b[lb - 1] == '.')
		lb--;
	return la == lb && la && strncasecmp(a, b, la) == 0;
}

/* "localhost" and every name under it are loopback (RFC 6761), resolved
 * from /etc/hosts or by the resolver library without a DNS answer fnguard
 * could learn. */
static bool names_loopback(const char *h)
{
	size_t n = strlen(h);

	while (n && h[n - 1] == '.')
		n--;
	return (n == 9 && strncasecmp(h, "localhost", 9) == 0) ||
	       (n > 10 && strncasecmp(h + n - 10, ".localhost", 10) == 0);
}

/* The key a host is indexed by: kind 'a' an address (16 bytes), 'n' a name
 * (case and trailing dots off), 'l' any loopback name; the port the value
 * named (0: none, the web's). */
static uint64_t host_key(char kind, const char *h, size_t len, uint16_t port)
{
	char low[256];
	size_t n = 0;

	if (kind == 'n') {
		while (len && h[len - 1] == '.')
			len--;
		for (; n < len && n < sizeof(low); n++)
			low[n] = (char)tolower((unsigned char)h[n]);
		h = low;
		len = n;
	}
	return fng_cmap_hash(h, len, (uint64_t)(unsigned char)kind << 16 | port);
}

int fng_confirm_hosts_add(struct fng_confirm_set *s, uint32_t i)
{
	char host[256];
	uint8_t a[16];
	uint16_t named;

	if (!value_host(s->v[i].value, host, sizeof(host), &named))
		return 0;
	if (host_addr(host, a))
		return fng_cmap_add(&s->ix->hosts, host_key('a', (const char *)a, 16, named), i, &s->ix->mem);
	if (fng_cmap_add(&s->ix->hosts, host_key('n', host, strlen(host), named), i, &s->ix->mem) < 0)
		return -ENOMEM;
	if (names_loopback(host))
		return fng_cmap_add(&s->ix->hosts, host_key('l', "", 0, named), i, &s->ix->mem);
	return 0;
}

/* The value's own test, as each value was tested before the index. */
static bool value_hits(const struct fng_confirm_input *in, const uint8_t addr[16], uint16_t port, const char *name,
		       struct fng_confirm_finding *out)
{
	char host[256];
	uint8_t a[16];
	uint16_t named;

	if (!value_host(in->value, host, sizeof(host), &named))
		return false;
	/* a host without a port is reached on the web's ports ("http://" +
	 * host): a bare address in a ping tool's input must not make every
	 * later connect to that host (the Runtime API's, a sidecar's) an attack */
	if (named ? named != port : port != 80 && port != 443)
		return false;
	out->input_path = in->path;
	if (host_addr(host, a) && memcmp(a, addr, 16) == 0) {
		snprintf(out->why, sizeof(out->why), "the input value names %s, the address connected to", host);
		return true;
	}
	if (name && same_name(host, name)) {
		snprintf(out->why, sizeof(out->why), "the input value names %s, the host connected to", host);
		return true;
	}
	if (names_loopback(host) && fng_addr_is_loopback(addr)) {
		snprintf(out->why, sizeof(out->why), "the input value names %s, a loopback address", host);
		return true;
	}
	out->input_path = NULL;
	return false;
}

static bool lookup(const struct fng_confirm_set *s, uint64_t key, const uint8_t addr[16], uint16_t port,
		   const char *name, struct fng_confirm_finding *out)
{
	const struct fng_cmap *m = &s->ix->hosts;

	for (uint32_t at = fng_cmap_first(m, key); at; at = fng_cmap_next(m, at))
		if (value_hits(&s->v[m->e[at - 1].val], addr, port, name, out))
			return true;
	return false;
}

bool fng_confirm_connect(const struct fng_confirm_set *s, const uint8_t addr[16], uint16_t port, const char *name,
			 struct fng_confirm_finding *out)
{
	uint16_t ports[2] = { port, 0 };
	int np = port == 80 || port == 443 ? 2 : 1;

	if (s && s->incomplete) {
		out->input_path = NULL;
		snprintf(out->why, sizeof(out->why), "the invocation's input values are not all tracked (%s): refused",
			 s->why);
		return true;
	}
	if (!s || !s->ix)
		return false;
	for (int k = 0; k < np; k++) {
		if (lookup(s, host_key('a', (const char *)addr, 16, ports[k]), addr, port, name, out))
			return true;
		if (name && lookup(s, host_key('n', name, strlen(name), ports[k]), addr, port, name, out))
			return true;
		if (fng_addr_is_loopback(addr) && lookup(s, host_key('l', "", 0, ports[k]), addr, port, name, out))
			return true;
	}
	return false;
}
