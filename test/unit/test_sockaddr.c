/* Socket address decoders (tracer/sock.c) at the kernel's boundaries:
 * AF_UNIX paths (lengths, missing NUL, abstract and autobind names) and IP
 * destinations (short lengths, families a socket takes, mapped addresses),
 * each row what net/unix/af_unix.c and net/ipv4, net/ipv6 do with it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "tracer/sock.h"

#define SUN_OFF offsetof(struct sockaddr_un, sun_path)

static void unix_paths(void **state)
{
	char full[108], out[FNG_UNIX_PATH_BUF];
	struct sockaddr_un sun;

	(void)state;
	memset(full, 'a', sizeof(full));
	full[0] = '/';
	static const struct {
		const char *what;
		const char *path;	/* sun_path's bytes (NULL: the 108-byte one) */
		size_t plen;		/* bytes of path copied */
		size_t len;		/* addrlen */
		int rc;
		size_t want_len;	/* strlen of the path the kernel uses */
	} rows[] = {
		{ "shorter than the family", "", 0, 1, -EINVAL, 0 },
		{ "autobind: the family alone", "", 0, SUN_OFF, 0, 0 },
		{ "abstract name", "\0abc", 4, SUN_OFF + 4, 0, 0 },
		{ "path with its NUL", "/tmp/s", 7, SUN_OFF + 7, 0, 6 },
		{ "path without a NUL", "/tmp/s", 6, SUN_OFF + 6, 0, 6 },
		{ "addrlen cuts the path", "/tmp/socket", 11, SUN_OFF + 5, 0, 5 },
		{ "NUL before addrlen", "/tmp\0xyz", 8, SUN_OFF + 8, 0, 4 },
		{ "108 bytes, no NUL: all of them", NULL, 108, sizeof(struct sockaddr_un), 0, 108 },
		{ "longer than sockaddr_un", NULL, 108, sizeof(struct sockaddr_un) + 1, -EINVAL, 0 },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int rc;

		memset(&sun, 0x7f, sizeof(sun));
		sun.sun_family = AF_UNIX;
		memcpy(sun.sun_path, rows[i].path ? rows[i].path : full, rows[i].plen);
		rc = fng_sock_unix_path(&sun, rows[i].len, out);
		if (rc != rows[i].rc)
			fail_msg("%s: %d, expected %d", rows[i].what, rc, rows[i].rc);
		if (rc == 0 && strlen(out) != rows[i].want_len)
			fail_msg("%s: path of %zu bytes, expected %zu", rows[i].what, strlen(out), rows[i].want_len);
	}
	/* the last byte of a full path is kept: ".../L/..F" stays "..F" */
	memcpy(sun.sun_path, full, sizeof(full));
	memcpy(sun.sun_path + 104, "/..F", 4);
	assert_int_equal(fng_sock_unix_path(&sun, sizeof(sun), out), 0);
	assert_string_equal(out + 104, "/..F");
	sun.sun_family = AF_INET;
	assert_int_equal(fng_sock_unix_path(&sun, sizeof(sun), out), -EINVAL);
}

static void ip_destinations(void **state)
{
	struct fng_sock v4 = { .fd = -1, .domain = AF_INET, .type = SOCK_DGRAM };
	struct fng_sock v6 = { .fd = -1, .domain = AF_INET6, .type = SOCK_DGRAM };
	struct sockaddr_storage ss;
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	struct fng_dest d;
	uint8_t want[16];

	(void)state;
	memset(&ss, 0, sizeof(ss));
	in->sin_family = AF_INET;
	in->sin_port = htons(443);
	inet_pton(AF_INET, "192.0.2.7", &in->sin_addr);
	inet_pton(AF_INET6, "::ffff:192.0.2.7", want);
	fng_sock_decode(&v4, &ss, sizeof(*in), &d);
	assert_true(d.inet);
	assert_memory_equal(d.addr, want, 16);
	assert_int_equal(d.port, 443);
	fng_sock_decode(&v4, &ss, sizeof(*in) - 1, &d);	/* the kernel: EINVAL */
	assert_false(d.inet);
	fng_sock_decode(&v6, &ss, sizeof(*in), &d);	/* an IPv6 socket's IPv4 path */
	assert_true(d.inet);
	assert_memory_equal(d.addr, want, 16);
	in->sin_family = AF_UNSPEC;			/* sendto on IPv4: read as AF_INET */
	fng_sock_decode(&v4, &ss, sizeof(*in), &d);
	assert_true(d.inet);
	fng_sock_decode(&v6, &ss, sizeof(*in), &d);	/* on IPv6: no address (connected peer) */
	assert_false(d.inet);
	memset(&ss, 0, sizeof(ss));
	in6->sin6_family = AF_INET6;
	in6->sin6_port = htons(53);
	inet_pton(AF_INET6, "::ffff:192.0.2.7", &in6->sin6_addr);
	fng_sock_decode(&v6, &ss, 24, &d);		/* SIN6_LEN_RFC2133: no scope id */
	assert_true(d.inet);
	assert_memory_equal(d.addr, want, 16);	/* a mapped address is the IPv4 one */
	fng_sock_decode(&v6, &ss, 23, &d);
	assert_false(d.inet);
	fng_sock_decode(&v4, &ss, sizeof(*in6), &d);	/* AF_INET6 on an IPv4 socket: refused */
	assert_false(d.inet);
}

/* Which addresses are this host's own, as the kernel answers a bind (the
 * real Runtime API's port is refused on all of them). Loopback is up in
 * every namespace the tests run in; TEST-NET and documentation addresses
 * are never configured. */
static void local_addresses(void **state)
{
	static const struct {
		const char *addr;	/* IPv4 as written, or IPv6 */
		bool local;
	} rows[] = {
		{ "127.0.0.1", true },	{ "127.0.0.2", true },	 { "127.255.255.254", true },
		{ "0.0.0.0", true },	{ "::", true },		 { "::ffff:127.0.0.9", true },
		{ "192.0.2.1", false }, { "2001:db8::1", false }, { "::ffff:192.0.2.1", false },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint8_t a[16] = { [10] = 0xff, [11] = 0xff };
		struct in_addr v4;

		if (inet_pton(AF_INET, rows[i].addr, &v4) == 1)
			memcpy(a + 12, &v4, 4);
		else
			assert_int_equal(inet_pton(AF_INET6, rows[i].addr, a), 1);
		if (fng_sock_addr_local(a) != rows[i].local)
			fail_msg("%s: local %d, expected %d", rows[i].addr, !rows[i].local, rows[i].local);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unix_paths),
		cmocka_unit_test(ip_destinations),
		cmocka_unit_test(local_addresses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
