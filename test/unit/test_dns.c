/* Host-name exceptions, "aws", ip-ranges.json, DNS answer parsing and the
 * address -> name table: pure pieces of DNS awareness. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy/policy.h"
#include "tracer/resolve/dns.h"

static void v4(uint8_t out[16], const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	fng_addr_from_v4(out, &a);
}

/* ---- host rules ---- */

static const struct {
	const char *rule, *host;
	uint16_t port;
	bool want;
} host_cases[] = {
	{ "example.com", "example.com", 443, true },
	{ "example.com", "EXAMPLE.com.", 443, true },
	{ "example.com", "a.example.com", 443, false },
	{ "example.com", "badexample.com", 443, false },
	{ "*.example.com", "a.example.com", 443, true },
	{ "*.example.com", "a.b.example.com", 443, true },
	{ "*.example.com", "example.com", 443, false },
	{ "*.example.com", "badexample.com", 443, false },
	{ "*.example.com", "example.com.attacker.test", 443, false },
	{ "*.example.com", ".example.com", 443, false },
	{ "api.example.com:443", "api.example.com", 443, true },
	{ "api.example.com:443", "api.example.com", 80, false },
	{ "*.cdn.test:8080", "a.cdn.test", 8080, true },
	{ "*.cdn.test:8080", "a.cdn.test", 8081, false },
	{ "Example.COM.", "example.com", 1, true },
};

static void host_rules_match_whole_labels(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(host_cases) / sizeof(host_cases[0]); i++) {
		struct fng_hostrule r;
		const char *why = NULL;

		assert_int_equal(fng_hostrule_parse(host_cases[i].rule, &r, &why), 0);
		if (fng_hostrule_match(&r, host_cases[i].host, host_cases[i].port) != host_cases[i].want)
			fail_msg("rule %s, host %s:%u: want %d", host_cases[i].rule, host_cases[i].host,
				 host_cases[i].port, host_cases[i].want);
		free(r.name);
	}
}

static void host_rules_reject_bad_entries(void **state)
{
	static const char *const bad[] = { "*.", "*", "host:99999", "host:0", "host:", "a..b", "-x.test!", "*.*.test",
					   "a.*.test", "" };
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fng_hostrule r = { 0 };
		const char *why = NULL;
		if (fng_hostrule_parse(bad[i], &r, &why) != -EINVAL)
			fail_msg("\"%s\" was accepted", bad[i]);
		assert_non_null(why);
		assert_null(r.name);
	}
}

static void aws_is_domains_not_substrings(void **state)
{
	struct fng_policy p;
	struct fng_policy_error err;
	const char *text = "{\"outbound_connectivity\": {\"action\": \"block\", \"exceptions\": [\"aws\"]}}";

	(void)state;
	assert_int_equal(fng_policy_load_buffer("t.json", text, strlen(text), &p, &err), 0);
	assert_true(fng_policy_host_allowed(&p, "s3.eu-west-1.amazonaws.com", 443));
	assert_true(fng_policy_host_allowed(&p, "dynamodb.us-east-1.api.aws", 443));
	assert_true(fng_policy_host_allowed(&p, "abc.lambda-url.us-east-1.on.aws", 443));
	assert_false(fng_policy_host_allowed(&p, "aws.attacker.test", 443));
	assert_false(fng_policy_host_allowed(&p, "amazonaws.com.attacker.test", 443));
	assert_false(fng_policy_host_allowed(&p, "notamazonaws.com", 443));
	assert_false(fng_policy_host_allowed(&p, "aws", 443));
	fng_policy_free(&p);
}

static const char ip_ranges[] =
	"{\"syncToken\": \"1\", \"prefixes\": ["
	"{\"ip_prefix\": \"52.94.0.0/22\", \"region\": \"us-east-1\", \"service\": \"AMAZON\"},"
	"{\"ip_prefix\": \"3.5.0.0/16\", \"region\": \"us-east-1\", \"service\": \"AMAZON\"},"
	"{\"ip_prefix\": \"3.5.140.0/22\", \"region\": \"us-east-1\", \"service\": \"EC2\"},"
	"{\"ip_prefix\": \"54.0.0.0/24\", \"region\": \"us-east-1\", \"service\": \"AMAZON\"},"
	"{\"ip_prefix\": \"54.0.0.0/16\", \"region\": \"us-east-1\", \"service\": \"EC2\"},"
	"{\"ip_prefix\": \"15.230.0.0/24\", \"region\": \"us-east-1\", \"service\": \"S3\"}],"
	"\"ipv6_prefixes\": [{\"ipv6_prefix\": \"2600:1f00::/40\", \"region\": \"x\", \"service\": \"AMAZON\"}]}";

static void aws_ip_ranges_minus_ec2(void **state)
{
	struct fng_netrule *rules = NULL;
	size_t n = 0;
	const char *why = NULL;
	uint8_t a[16];
	struct fng_policy p = { 0 };

	(void)state;
	assert_int_equal(fng_aws_ranges_parse(ip_ranges, sizeof(ip_ranges) - 1, &rules, &n, &why), 0);
	/* 52.94.0.0/22 and the IPv6 one; 3.5.0.0/16 contains EC2's 3.5.140.0/22,
	 * 54.0.0.0/24 sits inside EC2's 54.0.0.0/16; S3 alone is not AMAZON */
	assert_int_equal(n, 2);
	p.net_allow = rules;
	p.n_net_allow = n;
	v4(a, "52.94.1.2");
	assert_true(fng_policy_net_allowed(&p, a, 443));
	v4(a, "3.5.1.1");
	assert_false(fng_policy_net_allowed(&p, a, 443));
	v4(a, "54.0.0.1");
	assert_false(fng_policy_net_allowed(&p, a, 443));
	free(rules);

	rules = NULL;
	n = 0;
	assert_int_equal(fng_aws_ranges_parse("[1]", 3, &rules, &n, &why), -EINVAL);
	assert_non_null(strstr(why, "ip-ranges"));
	assert_int_equal(fng_aws_ranges_parse("{\"prefixes\": [{\"service\": \"AMAZON\", \"ip_prefix\": \"1.2.3.0/33\"}]}",
					      60, &rules, &n, &why), -EINVAL);
	free(rules);
}

static void aws_ip_ranges_from_policy(void **state)
{
	char dir[] = "/tmp/fng-unit-XXXXXX", path[128], pol[128];
	struct fng_policy p;
	struct fng_policy_error err;
	FILE *f;
	uint8_t a[16];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/ip-ranges.json", dir);
	snprintf(pol, sizeof(pol), "%s/policy.json", dir);
	f = fopen(path, "w");
	fputs(ip_ranges, f);
	fclose(f);
	{
		const char *text = "{\"outbound_connectivity\": {\"action\": \"block\", \"exceptions\": [\"aws\"], "
				   "\"aws_ip_ranges\": \"ip-ranges.json\"}}";
		f = fopen(pol, "w");
		fputs(text, f);
		fclose(f);
	}
	assert_int_equal(fng_policy_load_file(pol, &p, &err), 0);
	v4(a, "52.94.1.2");
	assert_true(fng_policy_net_allowed(&p, a, 443));
	assert_string_equal(p.aws_ip_ranges, path);
	fng_policy_free(&p);
	{
		const char *text = "{\"outbound_connectivity\": {\"action\": \"block\",\n \"aws_ip_ranges\": \"ip-ranges.json\"}}";
		assert_int_equal(fng_policy_load_buffer(pol, text, strlen(text), &p, &err), -EINVAL);
		assert_non_null(strstr(err.msg, "\"aws\" is not among the exceptions"));
		text = "{\"outbound_connectivity\": {\"action\": \"block\", \"exceptions\": [\"aws\"],\n \"aws_ip_ranges\": \"nope.json\"}}";
		assert_int_equal(fng_policy_load_buffer(pol, text, strlen(text), &p, &err), -EINVAL);
		assert_non_null(strstr(err.msg, ":2:19: aws_ip_ranges: cannot read"));
	}
	unlink(path);
	unlink(pol);
	rmdir(dir);
}

static void outbound_settings(void **state)
{
	struct fng_policy p;
	struct fng_policy_error err;
	const char *text = "{\"outbound_connectivity\": {\"action\": \"block\", \"loopback\": \"judge\", "
			   "\"resolvers\": [\"10.89.0.53\", \"fd00::53\"], \"log_dns\": true}}";

	(void)state;
	assert_int_equal(fng_policy_load_buffer("t.json", text, strlen(text), &p, &err), 0);
	assert_true(p.judge_loopback);
	assert_true(p.log_dns);
	assert_int_equal(p.n_resolvers, 2);
	fng_policy_free(&p);
	text = "{\"outbound_connectivity\": {\"action\": \"block\", \"resolvers\": [\"10.0.0.0/8\"]}}";
	assert_int_equal(fng_policy_load_buffer("t.json", text, strlen(text), &p, &err), -EINVAL);
	assert_string_equal(err.msg, "t.json:1:61: resolvers: \"10.0.0.0/8\" is not a single IP address");
	text = "{\"outbound_connectivity\": {\"action\": \"block\", \"loopback\": \"deny\"}}";
	assert_int_equal(fng_policy_load_buffer("t.json", text, strlen(text), &p, &err), -EINVAL);
	assert_string_equal(err.msg, "t.json:1:59: loopback: unknown value \"deny\" (expected allow or judge)");
	text = "{\"read_write_tmp\": {\"action\": \"block\", \"log_dns\": true}}";
	assert_int_equal(fng_policy_load_buffer("t.json", text, strlen(text), &p, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "unknown key \"log_dns\""));
}

/* ---- DNS messages ---- */

struct msg {
	uint8_t b[512];
	size_t n;
};

static void put(struct msg *m, const void *p, size_t n)
{
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void put16(struct msg *m, unsigned v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	put(m, x, 2);
}

static void put_name(struct msg *m, const char *name)
{
	while (*name) {
		size_t l = strcspn(name, ".");
		uint8_t len = (uint8_t)l;
		put(m, &len, 1);
		put(m, name, l);
		name += l + (name[l] == '.');
	}
	put(m, "", 1);
}

static void header(struct msg *m, unsigned flags, unsigned an)
{
	m->n = 0;
	put16(m, 0x1234);
	put16(m, flags);
	put16(m, 1);
	put16(m, an);
	put16(m, 0);
	put16(m, 0);
}

static void question(struct msg *m, const char *name, unsigned type)
{
	put_name(m, name);
	put16(m, type);
	put16(m, 1);
}

static void rr_a(struct msg *m, const char *owner, const char *addr)
{
	struct in_addr a;

	put_name(m, owner);
	put16(m, 1);
	put16(m, 1);
	put16(m, 0);
	put16(m, 60);
	put16(m, 4);
	inet_pton(AF_INET, addr, &a);
	put(m, &a, 4);
}

static void rr_cname(struct msg *m, const char *owner, const char *target)
{
	struct msg t = { .n = 0 };

	put_name(&t, target);
	put_name(m, owner);
	put16(m, 5);
	put16(m, 1);
	put16(m, 0);
	put16(m, 60);
	put16(m, (unsigned)t.n);
	put(m, t.b, t.n);
}

static void parse_round_robin(void **state)
{
	struct msg m;
	struct fng_dns_answer a;
	uint8_t want[16];

	(void)state;
	header(&m, 0x8180, 3);
	question(&m, "allowed.test", 1);
	rr_a(&m, "allowed.test", "10.89.1.1");
	rr_a(&m, "allowed.test", "10.89.1.2");
	rr_a(&m, "allowed.test", "10.89.1.3");
	assert_int_equal(fng_dns_parse(m.b, m.n, &a), 0);
	assert_string_equal(a.name, "allowed.test");
	assert_string_equal(a.qtype, "A");
	assert_int_equal(a.n_addrs, 3);
	v4(want, "10.89.1.3");
	assert_memory_equal(a.addrs[2], want, 16);
}

/* Only records on the question's CNAME chain count: an attacker's name
 * server cannot slip in an address for somebody else's name. */
static void parse_follows_cname_chain_only(void **state)
{
	struct msg m;
	struct fng_dns_answer a;
	uint8_t want[16];

	(void)state;
	header(&m, 0x8180, 3);
	question(&m, "www.example.test", 1);
	rr_cname(&m, "www.example.test", "edge.cdn.test");
	rr_a(&m, "edge.cdn.test", "10.89.3.7");
	rr_a(&m, "allowed.test", "6.6.6.6");
	assert_int_equal(fng_dns_parse(m.b, m.n, &a), 0);
	assert_string_equal(a.name, "www.example.test");
	assert_int_equal(a.n_addrs, 1);
	v4(want, "10.89.3.7");
	assert_memory_equal(a.addrs[0], want, 16);
}

static void parse_rejects_non_answers(void **state)
{
	struct msg m;
	struct fng_dns_answer a;

	(void)state;
	header(&m, 0x0100, 0); /* a query, QR clear */
	question(&m, "allowed.test", 1);
	assert_int_equal(fng_dns_parse(m.b, m.n, &a), -EINVAL);
	header(&m, 0x8180, 1);
	question(&m, "allowed.test", 1);
	rr_a(&m, "allowed.test", "10.89.1.1");
	assert_int_equal(fng_dns_parse(m.b, 11, &a), -EINVAL);	 /* shorter than a header */
	assert_int_equal(fng_dns_parse(m.b, 20, &a), -EINVAL);	 /* question cut short */
	assert_int_equal(fng_dns_parse(m.b, m.n - 2, &a), 0); /* answer cut short: no addresses */
	assert_int_equal(a.n_addrs, 0);
	header(&m, 0x8183, 0); /* NXDOMAIN */
	question(&m, "nope.test", 28);
	assert_int_equal(fng_dns_parse(m.b, m.n, &a), 0);
	assert_string_equal(a.qtype, "AAAA");
	assert_int_equal(a.n_addrs, 0);
}

/* A question given as raw wire octets (labels and their lengths as sent),
 * answered with an A record whose owner points at it. */
static void raw_question(struct msg *m, const void *name, size_t n)
{
	static const uint8_t rr[] = { 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 89, 2, 1 };

	header(m, 0x8180, 1);
	put(m, name, n);
	put16(m, 1);
	put16(m, 1);
	put(m, rr, sizeof(rr));
}

#define RAW(s) { s, sizeof(s) - 1 }

/* Names no resolver library (glibc, c-ares, Go, Java) takes as a host name
 * teach nothing, never a cut or escaped alias: c-ares' text of the first
 * one was "x.example.com." (the one-byte label "\0" ended the string). */
static void parse_refuses_names_that_are_not_host_names(void **state)
{
	static const struct {
		const char *b;
		size_t n;
	} bad[] = {
		RAW("\x01x\x07" "example\x03" "com\x01\x00\x08" "attacker\x04" "test\x00"),  /* label "\0" */
		RAW("\x03" "api\x07" "example\x04" "com\x00\x08" "attacker\x04" "test\x00"), /* "com\0" */
		RAW("\x0b" "example.com\x08" "attacker\x04" "test\x00"),		     /* a dot in a label */
		RAW("\x01\x01\x04" "test\x00"),						     /* a control byte */
		RAW("\x03" "a b\x04" "test\x00"),					     /* a space */
		RAW("\x03" "a\\b\x04" "test\x00"),					     /* a backslash */
		RAW("\x03\xc3\xa9" "a\x04" "test\x00"),					     /* non-ASCII */
		RAW("\x00"),								     /* the root alone */
		RAW("\x41x\x04" "test\x00"),						     /* label type 0x40 */
		RAW("\x01x\xc0\x0c"),							     /* a pointer loop */
		RAW("\x01x\xc0\x20"),							     /* a pointer forward */
	};
	struct msg m;
	struct fng_dns_answer a;
	uint8_t big[300];
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		raw_question(&m, bad[i].b, bad[i].n);
		if (fng_dns_parse(m.b, m.n, &a) != -EINVAL || a.name[0] || a.n_addrs)
			fail_msg("case %zu: learnt \"%s\" (%zu addresses)", i, a.name, a.n_addrs);
	}
	/* over 255 octets: the first 255 characters of its text (all that fit
	 * the 256 bytes of a name) would be "aaa...a.a.x.example.com" */
	for (int i = 0; i < 4; i++) {
		big[n++] = 59;
		memset(big + n, 'a', 59);
		n += 59;
	}
	memcpy(big + n, "\x01" "a\x01x\x07" "example\x03" "com\x08" "attacker\x04" "test", 31);
	raw_question(&m, big, n + 31);
	assert_int_equal(fng_dns_parse(m.b, m.n, &a), -EINVAL);
	assert_string_equal(a.name, "");
	/* 255 octets is still a name (253 characters); 256 is not */
	big[n] = 13;
	memset(big + n + 1, 'a', 14);
	big[n + 14] = 0;
	raw_question(&m, big, n + 15);
	assert_int_equal(fng_dns_parse(m.b, m.n, &a), 0);
	assert_int_equal(strlen(a.name), 253);
	big[n] = 14;
	big[n + 15] = 0;
	raw_question(&m, big, n + 16);
	assert_int_equal(fng_dns_parse(m.b, m.n, &a), -EINVAL);
}

/* The chain is followed octet by octet (any case): a CNAME target that is not
 * a host name gives no address (glibc refuses such an answer too). */
static void parse_chain_by_octets(void **state)
{
	static const uint8_t cname[] = { 0xc0, 0x0c, 0, 5, 0, 1, 0, 0, 0, 60, 0, 8, 1, 'a', 1, 0, 1, 'x', 0xc0, 0x18 };
	static const uint8_t a_rr[] = { 0xc0, 0x2e, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 89, 2, 1 };
	struct msg m;
	struct fng_dns_answer a;

	(void)state;
	header(&m, 0x8180, 2);
	question(&m, "www.example.test", 1);
	rr_a(&m, "WWW.Example.TEST", "10.89.1.1");
	rr_a(&m, "www.example.test.x", "10.89.1.2");
	assert_int_equal(fng_dns_parse(m.b, m.n, &a), 0);
	assert_int_equal(a.n_addrs, 1);
	/* www.example.test CNAME a.\000.x.test (0x18 is "test"), then its A */
	header(&m, 0x8180, 2);
	question(&m, "www.example.test", 1);
	put(&m, cname, sizeof(cname));
	put(&m, a_rr, sizeof(a_rr));
	assert_int_equal(m.b[0x18], 4);
	assert_int_equal(fng_dns_parse(m.b, m.n, &a), 0);
	assert_string_equal(a.name, "www.example.test");
	assert_int_equal(a.n_addrs, 0);
	m.b[0x31] = 'b'; /* a.b.x.test: a host name, and its address counts */
	assert_int_equal(fng_dns_parse(m.b, m.n, &a), 0);
	assert_int_equal(a.n_addrs, 1);
}

/* ---- the table ---- */

static void table_names_per_address(void **state)
{
	struct fng_policy p = { 0 };
	struct fng_hostrule rule;
	struct fng_dns d;
	uint8_t a[16], b[16];
	const char *why, *name;
	bool allowed;

	(void)state;
	assert_int_equal(fng_hostrule_parse("allowed.test", &rule, &why), 0);
	p.host_allow = &rule;
	p.n_host_allow = 1;
	assert_int_equal(fng_dns_init(&d, &p, "/nonexistent"), 0);
	v4(a, "10.89.1.1");
	v4(b, "10.89.1.2");
	assert_null(fng_dns_lookup(&d, a, &p, 80, &allowed));
	/* two names share a CDN address: the allowed one wins, whatever the order */
	fng_dns_remember(&d, a, "allowed.test");
	fng_dns_remember(&d, a, "blocked.test");
	name = fng_dns_lookup(&d, a, &p, 80, &allowed);
	assert_true(allowed);
	assert_string_equal(name, "allowed.test");
	fng_dns_remember(&d, b, "blocked.test");
	name = fng_dns_lookup(&d, b, &p, 80, &allowed);
	assert_false(allowed);
	assert_string_equal(name, "blocked.test");
	/* bounded: many more addresses than slots never grows the table */
	for (unsigned i = 0; i < 3 * FNG_DNS_SLOTS; i++) {
		uint8_t x[16] = { 0 };
		memcpy(x + 12, &i, 4);
		fng_dns_remember(&d, x, "many.test");
	}
	fng_dns_free(&d);
	free(rule.name);
}

static void resolvers_from_resolv_conf(void **state)
{
	char path[] = "/tmp/fng-resolv-XXXXXX";
	int fd = mkstemp(path);
	struct fng_policy p = { 0 };
	struct fng_dns d;
	uint8_t a[16];
	const char *text = "# comment\nsearch example.test\nnameserver 10.89.0.53\nnameserver fe80::1%eth0\noptions ndots:1\n";

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(fng_dns_init(&d, &p, path), 0);
	assert_int_equal(d.n_resolvers, 2);
	v4(a, "10.89.0.53");
	assert_true(fng_dns_is_resolver(&d, a));
	v4(a, "10.89.0.54");
	assert_false(fng_dns_is_resolver(&d, a));
	fng_dns_watch(&d, 100, 5);
	assert_true(fng_dns_watched(&d, 100, 5));
	assert_false(fng_dns_watched(&d, 101, 5));
	assert_false(fng_dns_watched(&d, 100, 6));
	fng_dns_free(&d);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(host_rules_match_whole_labels),
		cmocka_unit_test(host_rules_reject_bad_entries),
		cmocka_unit_test(aws_is_domains_not_substrings),
		cmocka_unit_test(aws_ip_ranges_minus_ec2),
		cmocka_unit_test(aws_ip_ranges_from_policy),
		cmocka_unit_test(outbound_settings),
		cmocka_unit_test(parse_round_robin),
		cmocka_unit_test(parse_follows_cname_chain_only),
		cmocka_unit_test(parse_rejects_non_answers),
		cmocka_unit_test(parse_refuses_names_that_are_not_host_names),
		cmocka_unit_test(parse_chain_by_octets),
		cmocka_unit_test(table_names_per_address),
		cmocka_unit_test(resolvers_from_resolv_conf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
