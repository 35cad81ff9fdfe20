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

#define N_CASES(a) (sizeof(a) / sizeof((a)[0]))

/* How a rule parses. addr NULL: address not checked; port -1: port not checked. */
static const struct {
	const char *rule;
	const char *addr;
	int prefix;
	int port;
} parse_cases[] = {
	{ "10.0.0.0/8", "10.0.0.0", 96 + 8, 0 },
	{ "192.0.2.7", NULL, 128, 0 },
	{ "192.0.2.7:443", "192.0.2.7", 128, 443 },
	{ "10.0.0.0/8:5432", NULL, 104, 5432 },
	{ "::1", "::1", 128, -1 },
	{ "[2001:db8::1]:443", "2001:db8::1", 128, 443 },
	{ "2001:db8::/32", "2001:db8::", 32, 0 },
	{ "0.0.0.0/0", NULL, 96, -1 },
	{ "::/0", NULL, 0, -1 },
};

static void parse_forms(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_CASES(parse_cases); i++) {
		const char *s = parse_cases[i].rule;
		struct fng_netrule r = R(s);
		uint8_t a[16];

		if (parse_cases[i].addr) {
			A(parse_cases[i].addr, a);
			if (memcmp(r.addr, a, 16) != 0)
				fail_msg("%s: address is not %s", s, parse_cases[i].addr);
		}
		if (r.prefix != parse_cases[i].prefix)
			fail_msg("%s: prefix %d, want %d", s, r.prefix, parse_cases[i].prefix);
		if (parse_cases[i].port >= 0 && r.port != parse_cases[i].port)
			fail_msg("%s: port %d, want %d", s, r.port, parse_cases[i].port);
	}
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

	for (size_t i = 0; i < N_CASES(cases); i++) {
		struct fng_netrule r;
		const char *why = NULL;
		int rc = fng_netrule_parse(cases[i].s, &r, &why);

		if (rc != cases[i].rc)
			fail_msg("%s: rc %d, want %d", cases[i].s, rc, cases[i].rc);
		if (cases[i].why && (!why || strcmp(why, cases[i].why) != 0))
			fail_msg("%s: why \"%s\", want \"%s\"", cases[i].s, why ? why : "(null)", cases[i].why);
	}
}

/* Does rule match addr:port? */
static const struct {
	const char *rule;
	const char *addr;
	uint16_t port;
	bool want;
} match_cases[] = {
	/* IPv4 /8 boundaries */
	{ "10.0.0.0/8", "10.0.0.0", 80, true },
	{ "10.0.0.0/8", "10.255.255.255", 80, true },
	{ "10.0.0.0/8", "10.1.2.3", 1, true },
	{ "10.0.0.0/8", "9.255.255.255", 80, false },
	{ "10.0.0.0/8", "11.0.0.0", 80, false },
	/* a non-byte-aligned prefix: 172.16.0.0/12 is 172.16.0.0 - 172.31.255.255 */
	{ "172.16.0.0/12", "172.16.0.0", 1, true },
	{ "172.16.0.0/12", "172.31.255.255", 1, true },
	{ "172.16.0.0/12", "172.32.0.0", 1, false },
	{ "172.16.0.0/12", "172.15.255.255", 1, false },
	/* an IPv4 rule never matches a plain IPv6 address */
	{ "10.0.0.0/8", "a00::1", 1, false },

	/* IPv4 /0 */
	{ "0.0.0.0/0", "0.0.0.0", 1, true },
	{ "0.0.0.0/0", "255.255.255.255", 65535, true },
	{ "0.0.0.0/0", "37.130.156.31", 443, true },
	/* 0.0.0.0/0 is "all of IPv4", not IPv6 */
	{ "0.0.0.0/0", "2001:db8::1", 443, false },
	/* IPv4 /32, written or implied */
	{ "37.130.156.31", "37.130.156.31", 443, true },
	{ "37.130.156.31/32", "37.130.156.31", 443, true },
	{ "37.130.156.31/32", "37.130.156.30", 443, false },
	{ "37.130.156.31/32", "37.130.156.32", 443, false },
	{ "37.130.156.31/32", "38.130.156.31", 443, false },

	/* IPv6 */
	{ "2001:db8::/32", "2001:db8::1", 443, true },
	{ "2001:db8::/32", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 1, true },
	{ "2001:db8::/32", "2001:db9::", 443, false },
	{ "2001:db8::/32", "2001:db7:ffff::", 443, false },
	{ "::/0", "::1", 1, true },
	{ "::/0", "10.0.0.1", 1, true }, /* all of IPv6 includes mapped IPv4 */
	{ "::1", "::1", 22, true },
	{ "::1", "::2", 22, false },

	/* ports */
	{ "192.0.2.7:443", "192.0.2.7", 443, true },
	{ "192.0.2.7:443", "192.0.2.7", 80, false },
	{ "192.0.2.7:443", "192.0.2.8", 443, false },
	{ "10.0.0.0/8:5432", "10.9.9.9", 5432, true },
	{ "10.0.0.0/8:5432", "10.9.9.9", 5433, false },
	{ "[2001:db8::1]:443", "2001:db8::1", 443, true },
	{ "[2001:db8::1]:443", "2001:db8::1", 444, false },
	/* no port in the rule: any port */
	{ "192.0.2.7", "192.0.2.7", 1, true },
	{ "192.0.2.7", "192.0.2.7", 65535, true },

	/* a rule written in the IPv4-mapped form matches a plain IPv4 address */
	{ "::ffff:10.0.0.0/104", "10.200.0.1", 1, true },
};

static void match(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_CASES(match_cases); i++) {
		bool got = M(match_cases[i].rule, match_cases[i].addr, match_cases[i].port);

		if (got != match_cases[i].want)
			fail_msg("rule %s, %s port %u: match %d, want %d", match_cases[i].rule, match_cases[i].addr,
				 match_cases[i].port, got, match_cases[i].want);
	}
}

/* IPv4-mapped IPv6 addresses: is addr mapped, and does the IPv4 rule 10.0.0.0/8 match it? */
static const struct {
	const char *addr;
	bool mapped;
	bool match_10_slash8;
} mapped_cases[] = {
	{ "::ffff:10.1.2.3", true, true },
	{ "::ffff:11.1.2.3", true, false },
	/* IPv4-compatible (deprecated, not mapped) ::10.1.2.3 is not IPv4 */
	{ "::10.1.2.3", false, false },
};

static void match_v4_mapped_v6(void **state)
{
	(void)state;
	struct fng_netrule r = R("10.0.0.0/8");

	for (size_t i = 0; i < N_CASES(mapped_cases); i++) {
		uint8_t a[16];

		A(mapped_cases[i].addr, a);
		if (fng_addr_is_v4mapped(a) != mapped_cases[i].mapped)
			fail_msg("%s: v4mapped %d, want %d", mapped_cases[i].addr, !mapped_cases[i].mapped,
				 mapped_cases[i].mapped);
		if (fng_netrule_match(&r, a, 443) != mapped_cases[i].match_10_slash8)
			fail_msg("%s: 10.0.0.0/8 match %d, want %d", mapped_cases[i].addr,
				 !mapped_cases[i].match_10_slash8, mapped_cases[i].match_10_slash8);
	}
}

/* Is addr a loopback address? */
static const struct {
	const char *addr;
	bool want;
} loopback_cases[] = {
	{ "127.0.0.1", true },
	{ "127.255.255.254", true },
	{ "127.0.0.0", true },
	{ "::1", true },
	{ "::ffff:127.0.0.1", true },

	{ "128.0.0.1", false },
	{ "126.255.255.255", false },
	{ "::2", false },
	{ "::", false },
	{ "::127.0.0.1", false }, /* not mapped: not loopback */
	{ "1::1", false },
};

static void loopback(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_CASES(loopback_cases); i++) {
		uint8_t a[16];

		A(loopback_cases[i].addr, a);
		if (fng_addr_is_loopback(a) != loopback_cases[i].want)
			fail_msg("%s: loopback %d, want %d", loopback_cases[i].addr, !loopback_cases[i].want,
				 loopback_cases[i].want);
	}
}

/* fng_addr_format(in) into a buffer of size bytes gives want; a non-empty result parses back to in. */
static const struct {
	const char *in;
	size_t size;
	const char *want;
} format_cases[] = {
	{ "192.0.2.1", 64, "192.0.2.1" },
	{ "0.0.0.0", 64, "0.0.0.0" },
	{ "255.255.255.255", 64, "255.255.255.255" },
	{ "127.0.0.1", 64, "127.0.0.1" },
	{ "37.130.156.31", 64, "37.130.156.31" },
	{ "2001:db8::1", 64, "2001:db8::1" },
	{ "::1", 64, "::1" },
	{ "::", 64, "::" },
	{ "fe80::1:2", 64, "fe80::1:2" },
	{ "2001:db8:0:1:2:3:4:5", 64, "2001:db8:0:1:2:3:4:5" },
	/* a mapped address prints as plain IPv4 */
	{ "::ffff:10.1.2.3", 64, "10.1.2.3" },
	/* too small a buffer: empty string, not garbage */
	{ "2001:db8::1", 4, "" },
};

static void format_round_trip(void **state)
{
	(void)state;
	char buf[64];
	uint8_t a[16], b[16];

	for (size_t i = 0; i < N_CASES(format_cases); i++) {
		A(format_cases[i].in, a);
		memset(buf, 'X', sizeof(buf));
		fng_addr_format(a, buf, format_cases[i].size);
		assert_string_equal(buf, format_cases[i].want);
		if (buf[0]) {
			A(buf, b);
			assert_memory_equal(a, b, 16);
		}
	}
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

/* fng_policy_net_allowed with the first n_rules of { 10.0.0.0/8:5432, 2001:db8::/32 } */
static const struct {
	size_t n_rules;
	const char *addr;
	uint16_t port;
	bool want;
} policy_cases[] = {
	{ 2, "10.2.3.4", 5432, true },
	{ 2, "10.2.3.4", 80, false },
	{ 2, "2001:db8::9", 80, true },
	{ 2, "8.8.8.8", 5432, false },
	/* no exceptions: nothing is allowed */
	{ 0, "10.2.3.4", 5432, false },
};

static void policy_net_allowed(void **state)
{
	(void)state;
	struct fng_netrule rules[2] = { R("10.0.0.0/8:5432"), R("2001:db8::/32") };

	for (size_t i = 0; i < N_CASES(policy_cases); i++) {
		struct fng_policy p = { .net_allow = rules, .n_net_allow = policy_cases[i].n_rules };
		uint8_t a[16];

		A(policy_cases[i].addr, a);
		if (fng_policy_net_allowed(&p, a, policy_cases[i].port) != policy_cases[i].want)
			fail_msg("%zu rule(s), %s port %u: allowed %d, want %d", policy_cases[i].n_rules,
				 policy_cases[i].addr, policy_cases[i].port, !policy_cases[i].want,
				 policy_cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_forms),
		cmocka_unit_test(parse_errors),
		cmocka_unit_test(match),
		cmocka_unit_test(match_v4_mapped_v6),
		cmocka_unit_test(loopback),
		cmocka_unit_test(format_round_trip),
		cmocka_unit_test(from_v4),
		cmocka_unit_test(policy_net_allowed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
