/* "host:port" and "[v6]:port", the one parser for every place fnguard reads
 * an address with a port: --log destinations, the policy's sinks, and the
 * Runtime API address (AWS_LAMBDA_RUNTIME_API) that the proxy listens on,
 * connects to, and the tracer keeps reachable or off limits. Pure. */
#ifndef FNG_HOSTPORT_H
#define FNG_HOSTPORT_H

#include <stdint.h>
#include <sys/socket.h>

#define FNG_HOSTPORT_HOST_MAX 256

struct fng_hostport {
	char host[FNG_HOSTPORT_HOST_MAX];	/* without brackets */
	uint16_t port;				/* 1..65535 */
};

/* "name:port", "1.2.3.4:port" or "[v6]:port"; port all digits, 1 to 65535;
 * a bare IPv6 address (colons outside brackets) and an empty host refused.
 * 0 or -EINVAL. */
int fng_hostport_parse(const char *s, struct fng_hostport *out);

/* The Runtime API address: host:port whose host is an IP literal or
 * "localhost" (127.0.0.1), as AWS writes AWS_LAMBDA_RUNTIME_API. Fills a
 * socket address (sa, *salen) and/or the 16-byte form (IPv4 mapped,
 * ::ffff:a.b.c.d) and port; any output may be NULL. 0 or -EINVAL. */
int fng_hostport_ip(const char *s, struct sockaddr_storage *sa, socklen_t *salen, uint8_t addr16[16],
		    uint16_t *port);

#endif
