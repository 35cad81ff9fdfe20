/* Unit tests for policy/addr.c: network exceptions and address helpers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "policy/policy.h"

/* Any textual address (v4 or v6) to the 16-byte form. */
static void A(const char *s, uint8_t out[16])
{
	struct in_addr a4;
	struct in6_addr a6;

	if (inet_pton(AF_INET, s, &a4) == 1) {
		fng_addr_from_v4(out, &a4);
		return;
	}
	if (inet_pton(AF_INET6, s, &a6) != 1)
		fail_msg("bad test address %s", s);
	memcpy(out, &a6, 16);
}

static struct fng_netrule R(const char *s)
{
	struct fng_netrule r;
	const char *why = NULL;
	int rc = fng_netrule_parse(s, &r, &why);

	if (rc != 0)
		fail_msg("fng_netrule_parse(%s) = %d (%s)", s, rc, why ? why : "");
	return r;
}

static bool M(const char *rule, const char *addr, uint16_t port)
{
	struct fng_netrule r = R(rule);
	uint8_t a[16];

	A(addr, a);
	return fng_netrule_match(&r, a, port);
}

static void parse_forms(void **state)
{
	(void)state;
	struct fng_netrule r;
	uint8_t a[16];

	r = R("10.0.0.0/8");
	A("10.0.0.0", a);
	assert_memory_equal(r.addr, a, 16);
	assert_int_equal(r.prefix, 96 + 8);
	assert_int_equal(r.port, 0);

	r = R("192.0.2.7");
	assert_int_equal(r.prefix, 128);
	assert_int_equal(r.port, 0);

	r = R("192.0.2.7:443");
	A("192.0.2.7", a);
	assert_memory_equal(r.addr, a, 16);
	assert_int_equal(r.prefix, 128);
	assert_int_equal(r.port, 443);

	r = R("10.0.0.0/8:5432");
	assert_int_equal(r.prefix, 104);
	assert_int_equal(r.port, 5432);

	r = R("::1");
	A("::1", a);
	assert_memory_equal(r.addr, a, 16);
	assert_int_equal(r.prefix, 128);

	r = R("[2001:db8::1]:443");
	A("2001:db8::1", a);
	assert_memory_equal(r.addr, a, 16);
	assert_int_equal(r.prefix, 128);
	assert_int_equal(r.port, 443);

	r = R("2001:db8::/32");
	A("2001:db8::", a);
	assert_memory_equal(r.addr, a, 16);
	assert_int_equal(r.prefix, 32);
	assert_int_equal(r.port, 0);

	r = R("0.0.0.0/0");
	assert_int_equal(r.prefix, 96);
	r = R("::/0");
	assert_int_equal(r.prefix, 0);
}

static void parse_errors(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int rc;
		const char *why;
	} cases[] = {
		{ "10.0.0.0/33", -ERANGE, "IPv4 prefix length must be 0 to 32" },
		{ "2001:db8::/129", -ERANGE, "IPv6 prefix length must be 0 to 128" },
		{ "10.1.2.3/8", -ERANGE, "address has bits set beyond the prefix length" },
		{ "2001:db8::1/32", -ERANGE, "address has bits set beyond the prefix length" },
		{ "1.2.3", -ERANGE, "invalid IPv4 address" },
		{ "300.1.1.1", -ERANGE, "invalid IPv4 address" },
		{ "1.2.3.4:0", -ERANGE, "port must be a number from 1 to 65535" },
		{ "1.2.3.4:65536", -ERANGE, "port must be a number from 1 to 65535" },
		{ "1.2.3.4:http", -ERANGE, "port must be a number from 1 to 65535" },
		{ "10.0.0.0/x", -ERANGE, "prefix length must be a number" },
		{ "[2001:db8::1", -ERANGE, "missing ']' after IPv6 address" },
		{ "[2001:db8::1]443", -ERANGE, "expected ':PORT' after ']'" },
		{ "[zz::1]:443", -ERANGE, "invalid IPv6 address" },
		/* not addresses at all: host names, left to the caller */
		{ "example.com", -EINVAL, NULL },
		{ "example.com:443", -EINVAL, NULL },
		{ "aws", -EINVAL, NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fng_netrule r;
		const char *why = NULL;
		int rc = fng_netrule_parse(cases[i].s, &r, &why);

		if (rc != cases[i].rc)
			fail_msg("%s: rc %d, want %d", cases[i].s, rc, cases[i].rc);
		if (cases[i].why && (!why || strcmp(why, cases[i].why) != 0))
			fail_msg("%s: why \"%s\", want \"%s\"", cases[i].s, why ? why : "(null)", cases[i].why);
	}
}

static void match_v4_slash8_boundaries(void **state)
{
	(void)state;
	assert_true(M("10.0.0.0/8", "10.0.0.0", 80));
	assert_true(M("10.0.0.0/8", "10.255.255.255", 80));
	assert_true(M("10.0.0.0/8", "10.1.2.3", 1));
	assert_false(M("10.0.0.0/8", "9.255.255.255", 80));
	assert_false(M("10.0.0.0/8", "11.0.0.0", 80));
	/* a non-byte-aligned prefix: 172.16.0.0/12 is 172.16.0.0 - 172.31.255.255 */
	assert_true(M("172.16.0.0/12", "172.16.0.0", 1));
	assert_true(M("172.16.0.0/12", "172.31.255.255", 1));
	assert_false(M("172.16.0.0/12", "172.32.0.0", 1));
	assert_false(M("172.16.0.0/12", "172.15.255.255", 1));
	/* an IPv4 rule never matches a plain IPv6 address */
	assert_false(M("10.0.0.0/8", "a00::1", 1));
}

static void match_v4_slash0_and_slash32(void **state)
{
	(void)state;
	assert_true(M("0.0.0.0/0", "0.0.0.0", 1));
	assert_true(M("0.0.0.0/0", "255.255.255.255", 65535));
	assert_true(M("0.0.0.0/0", "37.130.156.31", 443));
	/* 0.0.0.0/0 is "all of IPv4", not IPv6 */
	assert_false(M("0.0.0.0/0", "2001:db8::1", 443));

	assert_true(M("37.130.156.31", "37.130.156.31", 443));
	assert_true(M("37.130.156.31/32", "37.130.156.31", 443));
	assert_false(M("37.130.156.31/32", "37.130.156.30", 443));
	assert_false(M("37.130.156.31/32", "37.130.156.32", 443));
	assert_false(M("37.130.156.31/32", "38.130.156.31", 443));
}

static void match_v6(void **state)
{
	(void)state;
	assert_true(M("2001:db8::/32", "2001:db8::1", 443));
	assert_true(M("2001:db8::/32", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 1));
	assert_false(M("2001:db8::/32", "2001:db9::", 443));
	assert_false(M("2001:db8::/32", "2001:db7:ffff::", 443));
	assert_true(M("::/0", "::1", 1));
	assert_true(M("::/0", "10.0.0.1", 1)); /* all of IPv6 includes mapped IPv4 */
	assert_true(M("::1", "::1", 22));
	assert_false(M("::1", "::2", 22));
}

static void match_port(void **state)
{
	(void)state;
	assert_true(M("192.0.2.7:443", "192.0.2.7", 443));
	assert_false(M("192.0.2.7:443", "192.0.2.7", 80));
	assert_false(M("192.0.2.7:443", "192.0.2.8", 443));
	assert_true(M("10.0.0.0/8:5432", "10.9.9.9", 5432));
	assert_false(M("10.0.0.0/8:5432", "10.9.9.9", 5433));
	assert_true(M("[2001:db8::1]:443", "2001:db8::1", 443));
	assert_false(M("[2001:db8::1]:443", "2001:db8::1", 444));
	/* no port in the rule: any port */
	assert_true(M("192.0.2.7", "192.0.2.7", 1));
	assert_true(M("192.0.2.7", "192.0.2.7", 65535));
}

static void match_v4_mapped_v6(void **state)
{
	(void)state;
	uint8_t a[16];
	struct fng_netrule r = R("10.0.0.0/8");

	A("::ffff:10.1.2.3", a);
	assert_true(fng_addr_is_v4mapped(a));
	assert_true(fng_netrule_match(&r, a, 443));
	A("::ffff:11.1.2.3", a);
	assert_false(fng_netrule_match(&r, a, 443));
	/* IPv4-compatible (deprecated, not mapped) ::10.1.2.3 is not IPv4 */
	A("::10.1.2.3", a);
	assert_false(fng_addr_is_v4mapped(a));
	assert_false(fng_netrule_match(&r, a, 443));
	/* a rule written in the mapped form matches a plain IPv4 address */
	assert_true(M("::ffff:10.0.0.0/104", "10.200.0.1", 1));
}

static void loopback(void **state)
{
	(void)state;
	uint8_t a[16];

	A("127.0.0.1", a);
	assert_true(fng_addr_is_loopback(a));
	A("127.255.255.254", a);
	assert_true(fng_addr_is_loopback(a));
	A("127.0.0.0", a);
	assert_true(fng_addr_is_loopback(a));
	A("::1", a);
	assert_true(fng_addr_is_loopback(a));
	A("::ffff:127.0.0.1", a);
	assert_true(fng_addr_is_loopback(a));

	A("128.0.0.1", a);
	assert_false(fng_addr_is_loopback(a));
	A("126.255.255.255", a);
	assert_false(fng_addr_is_loopback(a));
	A("::2", a);
	assert_false(fng_addr_is_loopback(a));
	A("::", a);
	assert_false(fng_addr_is_loopback(a));
	A("::127.0.0.1", a); /* not mapped: not loopback */
	assert_false(fng_addr_is_loopback(a));
	A("1::1", a);
	assert_false(fng_addr_is_loopback(a));
}

static void format_round_trip(void **state)
{
	(void)state;
	static const char *const in[] = {
		"192.0.2.1", "0.0.0.0", "255.255.255.255", "127.0.0.1", "37.130.156.31",
		"2001:db8::1", "::1", "::", "fe80::1:2", "2001:db8:0:1:2:3:4:5",
	};
	char buf[64];
	uint8_t a[16], b[16];

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		A(in[i], a);
		memset(buf, 'X', sizeof(buf));
		fng_addr_format(a, buf, sizeof(buf));
		assert_string_equal(buf, in[i]);
		A(buf, b);
		assert_memory_equal(a, b, 16);
	}
	/* a mapped address prints as plain IPv4 */
	A("::ffff:10.1.2.3", a);
	fng_addr_format(a, buf, sizeof(buf));
	assert_string_equal(buf, "10.1.2.3");
	/* too small a buffer: empty string, not garbage */
	A("2001:db8::1", a);
	fng_addr_format(a, buf, 4);
	assert_string_equal(buf, "");
}

static void from_v4(void **state)
{
	(void)state;
	const uint8_t v4[4] = { 192, 0, 2, 1 };
	const uint8_t want[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1 };
	uint8_t a[16];

	fng_addr_from_v4(a, v4);
	assert_memory_equal(a, want, 16);
	assert_true(fng_addr_is_v4mapped(a));
}

static void policy_net_allowed(void **state)
{
	(void)state;
	struct fng_netrule rules[2] = { R("10.0.0.0/8:5432"), R("2001:db8::/32") };
	struct fng_policy p = { .net_allow = rules, .n_net_allow = 2 };
	uint8_t a[16];

	A("10.2.3.4", a);
	assert_true(fng_policy_net_allowed(&p, a, 5432));
	assert_false(fng_policy_net_allowed(&p, a, 80));
	A("2001:db8::9", a);
	assert_true(fng_policy_net_allowed(&p, a, 80));
	A("8.8.8.8", a);
	assert_false(fng_policy_net_allowed(&p, a, 5432));
	p.n_net_allow = 0;
	A("10.2.3.4", a);
	assert_false(fng_policy_net_allowed(&p, a, 5432));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_forms),
		cmocka_unit_test(parse_errors),
		cmocka_unit_test(match_v4_slash8_boundaries),
		cmocka_unit_test(match_v4_slash0_and_slash32),
		cmocka_unit_test(match_v6),
		cmocka_unit_test(match_port),
		cmocka_unit_test(match_v4_mapped_v6),
		cmocka_unit_test(loopback),
		cmocka_unit_test(format_round_trip),
		cmocka_unit_test(from_v4),
		cmocka_unit_test(policy_net_allowed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
