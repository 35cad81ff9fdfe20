/* host:port parsing (hostport.h). */
#include "common/hostport.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

int fng_hostport_parse(const char *s, struct fng_hostport *out)
{
	const char *colon, *h = s;
	size_t hlen;
	char *end;
	unsigned long p;

	memset(out, 0, sizeof(*out));
	if (!s)
		return -EINVAL;
	if (*s == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':')
			return -EINVAL;
		h = s + 1;
		hlen = (size_t)(close - h);
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon || memchr(s, ':', (size_t)(colon - s)))
			return -EINVAL;	/* no port, or a bare IPv6 address */
		hlen = (size_t)(colon - s);
	}
	if (hlen == 0 || hlen >= sizeof(out->host) || !colon[1] || strspn(colon + 1, "0123456789") != strlen(colon + 1))
		return -EINVAL;
	errno = 0;
	p = strtoul(colon + 1, &end, 10);
	if (errno || *end || p < 1 || p > 65535)
		return -EINVAL;
	memcpy(out->host, h, hlen);
	out->host[hlen] = '\0';
	out->port = (uint16_t)p;
	return 0;
}

int fng_hostport_ip(const char *s, struct sockaddr_storage *sa, socklen_t *salen, uint8_t addr16[16],
		    uint16_t *port)
{
	struct fng_hostport hp;
	struct in_addr a4;
	struct in6_addr a6;
	uint8_t a[16];
	bool v6 = false;

	if (fng_hostport_parse(s, &hp) < 0)
		return -EINVAL;
	if (strcmp(hp.host, "localhost") == 0)
		strcpy(hp.host, "127.0.0.1");
	if (s[0] != '[' && inet_pton(AF_INET, hp.host, &a4) == 1) {
		memset(a, 0, 10);
		a[10] = a[11] = 0xff;
		memcpy(a + 12, &a4, 4);
	} else if (s[0] == '[' && inet_pton(AF_INET6, hp.host, &a6) == 1) {
		memcpy(a, &a6, 16);
		v6 = true;
	} else {
		return -EINVAL;
	}
	if (sa) {
		memset(sa, 0, sizeof(*sa));
		if (v6) {
			struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)sa;
			in6->sin6_family = AF_INET6;
			in6->sin6_port = htons(hp.port);
			in6->sin6_addr = a6;
			if (salen)
				*salen = sizeof(*in6);
		} else {
			struct sockaddr_in *in4 = (struct sockaddr_in *)sa;
			in4->sin_family = AF_INET;
			in4->sin_port = htons(hp.port);
			in4->sin_addr = a4;
			if (salen)
				*salen = sizeof(*in4);
		}
	}
	if (addr16)
		memcpy(addr16, a, 16);
	if (port)
		*port = hp.port;
	return 0;
}
