/* Unit tests for the Lambda pieces that are pure: Runtime API routes and
 * headers (supervisor/lambda/rtapi.c), emulate's output helpers, the proxy's address
 * parsing, the invocation seqlock (tracer/lambda.c) and the "lambda" policy
 * section (policy/load/load_lambda.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "policy/policy.h"
#include "supervisor/lambda/emulate.h"
#include "supervisor/lambda/proxy.h"
#include "common/hostport.h"
#include "supervisor/lambda/rtapi.h"
#include "tracer/lambda.h"

static enum fng_rt_route R(const char *url, char *id)
{
	return fng_rt_route(url, strlen(url), id, FNG_RT_ID_MAX);
}

static void routes(void **state)
{
	char id[FNG_RT_ID_MAX];
	char longid[200];

	(void)state;
	assert_int_equal(R("/2018-06-01/runtime/invocation/next", id), FNG_RT_NEXT);
	assert_int_equal(R("/2018-06-01/runtime/invocation/next?x=1", id), FNG_RT_NEXT);
	assert_int_equal(R("/2018-06-01/runtime/init/error", id), FNG_RT_INIT_ERROR);
	assert_int_equal(R("/2018-06-01/runtime/invocation/abc-123/response", id), FNG_RT_RESPONSE);
	assert_string_equal(id, "abc-123");
	assert_int_equal(R("/2018-06-01/runtime/invocation/8f0e3bc9-4156-4cf6-b17f-59479c3d78b2/error", id),
			 FNG_RT_ERROR);
	assert_string_equal(id, "8f0e3bc9-4156-4cf6-b17f-59479c3d78b2");
	/* not routes */
	assert_int_equal(R("/2018-06-01/runtime/invocation//response", id), FNG_RT_OTHER);
	assert_string_equal(id, "");
	assert_int_equal(R("/2018-06-01/runtime/invocation/a/b/response", id), FNG_RT_OTHER);
	assert_int_equal(R("/2018-06-01/runtime/invocation/a/responses", id), FNG_RT_OTHER);
	assert_int_equal(R("/2018-06-01/runtime/invocation/nextx", id), FNG_RT_OTHER);
	assert_int_equal(R("/2020-01-01/runtime/invocation/next", id), FNG_RT_OTHER);
	assert_int_equal(R("/2018-06-01/runtime/invocation/a b/error", id), FNG_RT_OTHER);
	assert_int_equal(R("", id), FNG_RT_OTHER);
	snprintf(longid, sizeof(longid), "/2018-06-01/runtime/invocation/%070d/response", 1);
	assert_int_equal(R(longid, id), FNG_RT_OTHER);
	/* the length given is the whole target: no reading past it */
	assert_int_equal(fng_rt_route("/2018-06-01/runtime/invocation/nextGARBAGE", 35, id, sizeof(id)), FNG_RT_NEXT);
	assert_string_equal(fng_rt_route_name(FNG_RT_INIT_ERROR), "init-error");
}

/* The pairs the header gatherer handed over, the last one kept. */
struct pairs {
	int n;
	char name[64], value[256];
};

static void take_pair(const struct fng_rt_hdr *h, void *arg)
{
	struct pairs *got = arg;

	got->n++;
	snprintf(got->name, sizeof(got->name), "%s", h->name);
	snprintf(got->value, sizeof(got->value), "%s", h->value);
}

static void headers(void **state)
{
	struct fng_rt_hdr h = { 0 };
	struct pairs got = { 0 };

	(void)state;
	assert_true(fng_rt_header_is("lambda-runtime-aws-request-id", 29, "Lambda-Runtime-Aws-Request-Id"));
	assert_false(fng_rt_header_is("Lambda-Runtime-Aws-Request", 26, "Lambda-Runtime-Aws-Request-Id"));
	/* a name and a value in pieces, then the next name */
	fng_rt_hdr_name(&h, "Lambda-Runtime-", 15, take_pair, &got);
	fng_rt_hdr_name(&h, "Trace-Id", 8, take_pair, &got);
	assert_int_equal(got.n, 0);
	fng_rt_hdr_value(&h, "Root=1-", 7);
	fng_rt_hdr_value(&h, "abc", 3);
	fng_rt_hdr_name(&h, "Next", 4, take_pair, &got);
	assert_int_equal(got.n, 1);
	assert_string_equal(got.name, "Lambda-Runtime-Trace-Id");
	assert_string_equal(got.value, "Root=1-abc");
	assert_string_equal(h.name, "Next");
	/* a name without a value yet is not a pair; the last one comes at the end */
	fng_rt_hdr_finish(&h, take_pair, &got);
	assert_int_equal(got.n, 1);
	fng_rt_hdr_value(&h, "v", 1);
	fng_rt_hdr_finish(&h, take_pair, &got);
	assert_int_equal(got.n, 2);
	assert_string_equal(got.name, "Next");
	assert_string_equal(got.value, "v");
	/* over-long values are cut, not overrun */
	{
		char big[1000];
		memset(big, 'x', sizeof(big));
		fng_rt_hdr_value(&h, big, sizeof(big));
		assert_true(h.cut);
		assert_int_equal(strlen(h.value), sizeof(h.value) - 1);
	}
}

static void error_types(void **state)
{
	(void)state;
	assert_true(fng_rt_error_type_ok("Function.SecurityViolation"));
	assert_true(fng_rt_error_type_ok("Runtime.InitError"));
	assert_false(fng_rt_error_type_ok("Function.securityViolation"));
	assert_false(fng_rt_error_type_ok("Handler.Error"));
	assert_false(fng_rt_error_type_ok("Function."));
	assert_false(fng_rt_error_type_ok("Function.Bad-Name"));
}

static void output_helpers(void **state)
{
	char *b;

	(void)state;
	assert_true(fng_emu_utf8_ok((const unsigned char *)"h\xc3\xa9llo \xe2\x82\xac", 10));
	assert_false(fng_emu_utf8_ok((const unsigned char *)"\xc3", 1));		/* cut short */
	assert_false(fng_emu_utf8_ok((const unsigned char *)"\xc0\xaf", 2));	/* overlong */
	assert_false(fng_emu_utf8_ok((const unsigned char *)"\xed\xa0\x80", 3));	/* surrogate */
	assert_false(fng_emu_utf8_ok((const unsigned char *)"a\0b", 3));
	assert_false(fng_emu_utf8_ok((const unsigned char *)"\xff", 1));
	b = fng_emu_base64((const unsigned char *)"fnguard", 7);
	assert_string_equal(b, "Zm5ndWFyZA==");
	free(b);
	b = fng_emu_base64((const unsigned char *)"", 0);
	assert_string_equal(b, "");
	free(b);
	{
		char rid[FNG_RT_ID_MAX], tid[FNG_TRACE_ID_MAX];
		fng_emu_ids(rid, sizeof(rid), tid, sizeof(tid), 0x5f000000);
		assert_int_equal(strlen(rid), 36);
		assert_int_equal(rid[14], '4');
		assert_int_equal(strncmp(tid, "Root=1-5f000000-", 16), 0);
		assert_non_null(strstr(tid, ";Parent="));
	}
}

static void proxy_addresses(void **state)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

	(void)state;
	assert_int_equal(fng_hostport_ip("127.0.0.1:9001", &ss, NULL, NULL, NULL), 0);
	assert_int_equal(in4->sin_family, AF_INET);
	assert_int_equal(ntohs(in4->sin_port), 9001);
	assert_int_equal(fng_hostport_ip("localhost:80", &ss, NULL, NULL, NULL), 0);
	assert_int_equal(ntohl(in4->sin_addr.s_addr), INADDR_LOOPBACK);
	assert_int_equal(fng_hostport_ip("[::1]:9001", &ss, NULL, NULL, NULL), 0);
	assert_int_equal(in6->sin6_family, AF_INET6);
	assert_int_equal(fng_hostport_ip("127.0.0.1", &ss, NULL, NULL, NULL), -EINVAL);
	assert_int_equal(fng_hostport_ip("127.0.0.1:0", &ss, NULL, NULL, NULL), -EINVAL);
	assert_int_equal(fng_hostport_ip("127.0.0.1:65536", &ss, NULL, NULL, NULL), -EINVAL);
	assert_int_equal(fng_hostport_ip("example.com:9001", &ss, NULL, NULL, NULL), -EINVAL);
	assert_int_equal(fng_hostport_ip("[::1:9001", &ss, NULL, NULL, NULL), -EINVAL);
	assert_int_equal(fng_hostport_ip("", &ss, NULL, NULL, NULL), -EINVAL);
}

static void invocation_seqlock(void **state)
{
	struct fng_lambda_state s = { 0 };
	char rid[FNG_REQUEST_ID_MAX], tid[FNG_TRACE_ID_MAX];
	char longid[300];

	(void)state;
	fng_lambda_current(&s, rid, sizeof(rid), tid, sizeof(tid));
	assert_string_equal(rid, "");
	fng_lambda_publish(&s, 1, "req-1", "Root=1-a");
	fng_lambda_current(&s, rid, sizeof(rid), tid, sizeof(tid));
	assert_string_equal(rid, "req-1");
	assert_string_equal(tid, "Root=1-a");
	assert_int_equal(atomic_load(&s.seq) % 2, 0);
	/* two in flight: a call cannot be tied to one, so none is named */
	fng_lambda_publish(&s, 2, "req-1", "Root=1-a");
	fng_lambda_current(&s, rid, sizeof(rid), tid, sizeof(tid));
	assert_string_equal(rid, "");
	assert_string_equal(tid, "");
	/* too long: cut, still terminated */
	memset(longid, 'r', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	fng_lambda_publish(&s, 1, longid, longid);
	fng_lambda_current(&s, rid, sizeof(rid), tid, sizeof(tid));
	assert_int_equal(strlen(rid), FNG_REQUEST_ID_MAX - 1);
	assert_int_equal(strlen(tid), FNG_TRACE_ID_MAX - 1);
}

static int load(const char *text, struct fng_policy *p, struct fng_policy_error *err)
{
	return fng_policy_load_buffer("t.json", text, strlen(text), p, err);
}

static void lambda_section(void **state)
{
	struct fng_policy p, ph;
	struct fng_policy_error err;

	(void)state;
	assert_int_equal(load("{\"read_handler\":\"block\",\"create_child_process\":\"alert\","
			      "\"lambda\":{\"proxy\":false,\"on_block\":\"fail-invocation\","
			      "\"phases\":{\"create_child_process\":\"invoke\",\"read_handler\":\"always\"}}}",
			      &p, &err),
			 0);
	assert_true(p.no_proxy);
	assert_int_equal(p.on_block, FNG_ON_BLOCK_FAIL_INVOCATION);
	assert_int_equal(p.phase[FNG_RULE_CHILD], FNG_PHASE_INVOKE);
	fng_policy_for_phase(&p, FNG_PHASE_INIT, &ph);
	assert_int_equal(ph.mode[FNG_RULE_CHILD], FNG_MODE_ALLOW);
	assert_int_equal(ph.mode[FNG_RULE_HANDLER], FNG_MODE_BLOCK);
	fng_policy_for_phase(&p, FNG_PHASE_INVOKE, &ph);
	assert_int_equal(ph.mode[FNG_RULE_CHILD], FNG_MODE_ALERT);
	fng_policy_free(&p);

	assert_int_equal(load("{\"lambda\":{\"on_block\":\"kill\"}}", &p, &err), 0);
	assert_int_equal(p.on_block, FNG_ON_BLOCK_KILL);
	assert_false(p.no_proxy);
	fng_policy_free(&p);

	assert_int_equal(load("{\"lambda\":{\"on_block\":\"explode\"}}", &p, &err), -EINVAL);
	assert_string_equal(err.msg,
			    "t.json:1:23: lambda.on_block: expected \"fail-call\", \"fail-invocation\" or \"kill\"");
	assert_int_equal(load("{\"lambda\":{\"phases\":{\"read_handler\":\"later\"}}}", &p, &err), -EINVAL);
	assert_string_equal(err.msg, "t.json:1:37: lambda.phases.read_handler: expected \"init\", \"invoke\" or \"always\"");
	assert_int_equal(load("{\"lambda\":{\"phases\":{\"nope\":\"init\"}}}", &p, &err), -EINVAL);
	assert_string_equal(err.msg, "t.json:1:22: lambda.phases: unknown rule \"nope\"");
	assert_int_equal(load("{\"lambda\":{\"proxy\":\"no\"}}", &p, &err), -EINVAL);
	assert_string_equal(err.msg, "t.json:1:20: lambda.proxy: expected true or false");
	assert_int_equal(load("{\"lambda\":{\"flush\":1}}", &p, &err), -EINVAL);
	assert_string_equal(err.msg, "t.json:1:12: lambda: unknown key \"flush\" (expected proxy, on_block or phases)");
	assert_int_equal(load("{\"lambda\":[]}", &p, &err), -EINVAL);
	assert_string_equal(err.msg, "t.json:1:11: lambda: expected an object");
}

static void req_pair(const struct fng_rt_hdr *h, void *arg)
{
	fng_rt_req_field(arg, h);
}

/* A whole head through the pure classification: fields split as
 * http-parser hands them over, the raw-head check, then the route. */
static enum fng_rt_route classify_head(const char *method, unsigned minor, const char *url, const char *const *fields,
				       const char **why)
{
	struct fng_rt_req q;
	struct fng_rt_hdr h;
	char id[FNG_RT_ID_MAX];

	fng_rt_req_reset(&q);
	fng_rt_hdr_reset(&h);
	for (size_t i = 0; fields && fields[i]; i += 2) {
		fng_rt_hdr_name(&h, fields[i], strlen(fields[i]), req_pair, &q);
		fng_rt_hdr_value(&h, fields[i + 1], strlen(fields[i + 1]));
	}
	fng_rt_hdr_finish(&h, req_pair, &q);
	return fng_rt_classify(method, 1, minor, url, strlen(url), false, &q, id, sizeof(id), why);
}

#define NX "/2018-06-01/runtime/invocation/next"
#define RS "/2018-06-01/runtime/invocation/abc/response"

static void classification(void **state)
{
	static const char *const host[] = { "Host", "x", NULL };
	static const char *const cl[] = { "Host", "x", "Content-Length", " 2 ", NULL };
	static const char *const te[] = { "Host", "x", "Transfer-Encoding", "chunked", NULL };
	static const char *const cl2[] = { "Host", "x", "Content-Length", "2", "content-length", "2", NULL };
	static const char *const clte[] = { "Host", "x", "Content-Length", "2", "Transfer-Encoding", "chunked", NULL };
	static const char *const tegz[] = { "Host", "x", "Transfer-Encoding", "gzip, chunked", NULL };
	static const char *const clplus[] = { "Host", "x", "Content-Length", "+2", NULL };
	static const char *const clsp[] = { "Host", "x", "Content-Length ", "2", NULL };
	static const char *const hosts[] = { "Host", "x", "Host", "y", NULL };
	static const char *const upg[] = { "Host", "x", "Upgrade", "h2c", NULL };
	static const char *const exp[] = { "Host", "x", "Expect", "100-continue", NULL };
	static const char *const expbad[] = { "Host", "x", "Expect", "x", NULL };
	static const char *const expempty[] = { "Host", "x", "Expect", "", "Content-Length", "2", NULL };
	static const struct {
		const char *method;
		unsigned minor;
		const char *url;
		const char *const *fields;
		enum fng_rt_route want;
	} cases[] = {
		{ "GET", 1, NX, host, FNG_RT_NEXT },
		{ "GET", 1, NX "?a=%41", host, FNG_RT_NEXT },
		{ "GET", 0, NX, NULL, FNG_RT_NEXT },
		{ "POST", 1, RS, cl, FNG_RT_RESPONSE },
		{ "POST", 1, RS, te, FNG_RT_RESPONSE },
		{ "POST", 1, RS, exp, FNG_RT_RESPONSE },
		{ "POST", 1, RS, expempty, FNG_RT_REFUSED },
		{ "POST", 1, NX, cl, FNG_RT_OTHER },
		{ "GET", 1, RS, host, FNG_RT_OTHER },
		{ "PUT", 1, "/2022-07-01/telemetry", cl, FNG_RT_OTHER },
		{ "GET", 1, "http://127.0.0.1:9001" NX, host, FNG_RT_REFUSED },
		{ "GET", 1, "/2018-06-01/runtime/invocation/%6eext", host, FNG_RT_REFUSED },
		{ "GET", 1, "/2018-06-01/runtime/x/../invocation/next", host, FNG_RT_REFUSED },
		{ "GET", 1, "/2018-06-01/runtime/./invocation/next", host, FNG_RT_REFUSED },
		{ "GET", 1, "/2018-06-01/runtime/invocation/next/..", host, FNG_RT_REFUSED },
		{ "GET", 1, "//2018-06-01/runtime/invocation/next", host, FNG_RT_REFUSED },
		{ "GET", 1, NX "#x", host, FNG_RT_REFUSED },
		{ "GET", 1, "*", host, FNG_RT_REFUSED },
		{ "HEAD", 1, NX, host, FNG_RT_REFUSED },
		{ "DELETE", 1, NX, host, FNG_RT_REFUSED },
		{ "GET", 2, NX, host, FNG_RT_REFUSED },
		{ "GET", 1, NX, NULL, FNG_RT_REFUSED },
		{ "GET", 1, NX, hosts, FNG_RT_REFUSED },
		{ "POST", 1, RS, cl2, FNG_RT_REFUSED },
		{ "POST", 1, RS, clte, FNG_RT_REFUSED },
		{ "POST", 1, RS, tegz, FNG_RT_REFUSED },
		{ "POST", 0, RS, te, FNG_RT_REFUSED },
		{ "POST", 1, RS, clplus, FNG_RT_REFUSED },
		{ "POST", 1, RS, clsp, FNG_RT_REFUSED },
		{ "GET", 1, NX, upg, FNG_RT_REFUSED },
		{ "POST", 1, RS, expbad, FNG_RT_REFUSED },
		{ "POST", 1, "/2018-06-01/runtime/invocation/"
			     "0123456789012345678901234567890123456789012345678901234567890123456789/response",
		  cl, FNG_RT_REFUSED },
	};
	const char *why;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum fng_rt_route got = classify_head(cases[i].method, cases[i].minor, cases[i].url, cases[i].fields, &why);
		if (got != cases[i].want)
			fail_msg("case %zu (%s %s): got %s, want %s (%s)", i, cases[i].method, cases[i].url,
				 fng_rt_route_name(got), fng_rt_route_name(cases[i].want), why ? why : "-");
		assert_true((got == FNG_RT_REFUSED) == (why != NULL));
	}
}

static void raw_heads(void **state)
{
	static const struct {
		const char *head; /* without its last byte */
		char last;
		bool ok;
	} cases[] = {
		{ "GET / HTTP/1.1\r\nHost: x\r\n\r", '\n', true },
		{ "GET / HTTP/1.0\r\n\r", '\n', true },
		{ "GET / HTTP/1.1\r\nHost: x\r\n\r", 'x', false },
		{ "GET / HTTP/1.1\nHost: x\r\n\r", '\n', false },
		{ "GET / HTTP/1.1\r\nHost: x\rY: z\r\n\r", '\n', false },
		{ "GET / HTTP/1.1\r\nA: b\r\n c\r\n\r", '\n', false },
		{ "GET / HTTP/1.1\r\nA: b\r\n\tc\r\n\r", '\n', false },
		{ "GET  / HTTP/1.1\r\n\r", '\n', false },
		{ "GET / HTTP/1.1 \r\n\r", '\n', false },
		{ "GET\t/ HTTP/1.1\r\n\r", '\n', false },
		{ "\r\nGET / HTTP/1.1\r\n\r", '\n', false },
		{ "GET / HTTP/2.0\r\n\r", '\n', false },
		{ "GET / HTTP/1.1\r\nA: b\x01\r\n\r", '\n', false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = fng_rt_head_check(cases[i].head, strlen(cases[i].head), cases[i].last);
		if ((why == NULL) != cases[i].ok)
			fail_msg("head %zu: %s", i, why ? why : "accepted");
	}
}

static void chunked_bodies(void **state)
{
	static const struct {
		const char *body; /* after the head's last LF */
		bool ok, done;
	} cases[] = {
		{ "2\r\nok\r\n0\r\n\r\n", true, true },
		{ "2;a=b\r\nok\r\n0\r\n\r\n", true, true },
		{ "02\r\nok\r\n00\r\nX-T: 1\r\n\r\n", true, true },
		{ "2\r\nok\r\n", true, false },
		{ "2\r\nokXY0\r\n\r\n", false, false },
		{ "2\nok\r\n0\r\n\r\n", false, false },
		{ "2 \r\nok\r\n0\r\n\r\n", false, false },
		{ "0x2\r\nok\r\n0\r\n\r\n", false, false },
		{ "ffffffffffffffffff\r\nok\r\n0\r\n\r\n", false, false },
		{ "\r\nok\r\n0\r\n\r\n", false, false },
		{ "0\r\n X: 1\r\n\r\n", false, false },
		{ "0\r\n\r\nG", false, false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fng_rt_chunked k;
		const char *why;
		fng_rt_chunked_reset(&k);
		why = fng_rt_chunked_feed(&k, "\n", 1);
		/* byte by byte, as the pieces may arrive */
		for (const char *b = cases[i].body; !why && *b; b++)
			why = fng_rt_chunked_feed(&k, b, 1);
		if ((why == NULL) != cases[i].ok || (cases[i].ok && fng_rt_chunked_done(&k) != cases[i].done))
			fail_msg("chunked %zu: %s", i, why ? why : "accepted");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(routes),
		cmocka_unit_test(classification),
		cmocka_unit_test(raw_heads),
		cmocka_unit_test(chunked_bodies),
		cmocka_unit_test(headers),
		cmocka_unit_test(error_types),
		cmocka_unit_test(output_helpers),
		cmocka_unit_test(proxy_addresses),
		cmocka_unit_test(invocation_seqlock),
		cmocka_unit_test(lambda_section),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
