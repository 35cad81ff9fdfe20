/* Unit tests for policy/load/load.c and policy/model.c: the policy file formats
 * fnguard accepts and the exact "FILE:LINE:COL: message" of every error. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy/policy.h"

#define NAME "t.json"

static void assert_zeroed(const struct fng_policy *p)
{
	static const struct fng_policy zero;

	/* fng_policy_free leaves the struct all-zero: nothing left to free */
	assert_null(p->net_allow);
	assert_null(p->host_allow);
	assert_null(p->exec_allow_paths);
	assert_null(p->exec_allow_ids);
	assert_null(p->tmp_root);
	assert_null(p->handler_paths);
	assert_null(p->api_endpoint);
	assert_null(p->notices);
	assert_memory_equal(p, &zero, sizeof(zero));
}

static int load(const char *text, struct fng_policy *p, struct fng_policy_error *err)
{
	/* garbage in the output structs: the loader must not rely on them */
	memset(p, 0xa5, sizeof(*p));
	memset(err, 'Z', sizeof(*err));
	return fng_policy_load_buffer(NAME, text, strlen(text), p, err);
}

static void load_ok(const char *text, struct fng_policy *p)
{
	struct fng_policy_error err;
	int r = load(text, p, &err);

	if (r != 0)
		fail_msg("load failed (%d): %s", r, err.msg);
	assert_string_equal(err.msg, "");
}

/* Load text, expect -EINVAL and a message starting with want. */
static void expect_error_len(const char *text, size_t len, const char *want)
{
	struct fng_policy p;
	struct fng_policy_error err;
	int r;

	memset(&p, 0xa5, sizeof(p));
	memset(&err, 'Z', sizeof(err));
	r = fng_policy_load_buffer(NAME, text, len, &p, &err);
	if (r != -EINVAL) {
		if (r == 0)
			fng_policy_free(&p);
		fail_msg("want -EINVAL, got %d for:\n%s", r, text);
	}
	assert_non_null(memchr(err.msg, '\0', sizeof(err.msg)));
	if (strncmp(err.msg, want, strlen(want)) != 0)
		fail_msg("message\n  got:  %s\n  want: %s...", err.msg, want);
	assert_null(strchr(err.msg, '\n'));
	assert_zeroed(&p);
}

/* want == NULL: the text must load. */
static void expect_error(const char *text, const char *want)
{
	if (!want) {
		struct fng_policy p;
		load_ok(text, &p);
		fng_policy_free(&p);
		return;
	}
	expect_error_len(text, strlen(text), want);
}

static void v4rule(struct fng_netrule *r, const char *ip, unsigned plen, uint16_t port)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, ip, &a), 1);
	memset(r, 0, sizeof(*r));
	fng_addr_from_v4(r->addr, &a);
	r->prefix = (uint8_t)(96 + plen);
	r->port = port;
}

static void v6rule(struct fng_netrule *r, const char *ip, unsigned plen, uint16_t port)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(inet_pton(AF_INET6, ip, r->addr), 1);
	r->prefix = (uint8_t)plen;
	r->port = port;
}

static void assert_rule_eq(const struct fng_netrule *got, const struct fng_netrule *want)
{
	assert_memory_equal(got->addr, want->addr, 16);
	assert_int_equal(got->prefix, want->prefix);
	assert_int_equal(got->port, want->port);
}

/* ---------------------------------------------------------------- valid */

static void functionshield_seed(void **state)
{
	(void)state;
	struct fng_policy p;

	load_ok("{\"policy\": {\"outbound_connectivity\": \"block\", \"read_write_tmp\": \"alert\", "
		"\"create_child_process\": \"block\", \"read_handler\": \"block\"}, "
		"\"token\": \"abc\", \"disable_analytics\": true}",
		&p);
	assert_int_equal(p.mode[FNG_RULE_OUTBOUND], FNG_MODE_BLOCK);
	assert_int_equal(p.mode[FNG_RULE_TMP], FNG_MODE_ALERT);
	assert_int_equal(p.mode[FNG_RULE_CHILD], FNG_MODE_BLOCK);
	assert_int_equal(p.mode[FNG_RULE_HANDLER], FNG_MODE_BLOCK);
	assert_int_equal(p.n_notices, 2);
	assert_non_null(strstr(p.notices[0], "\"token\""));
	assert_non_null(strstr(p.notices[0], "ignored"));
	assert_non_null(strstr(p.notices[1], "\"disable_analytics\""));
	assert_int_equal(p.n_net_allow, 0);
	assert_int_equal(p.n_host_allow, 0);
	assert_string_equal(p.tmp_root, "/tmp");
	assert_null(p.api_endpoint);
	assert_int_equal(p.on_unsupported, FNG_UNSUPPORTED_FAIL);
	fng_policy_free(&p);
	assert_zeroed(&p);
}

static void iron_function_seed(void **state)
{
	(void)state;
	struct fng_policy p;
	struct fng_netrule want;

	load_ok("{\"outbound_connectivity\": {\"action\": \"block\", \"exceptions\": [\"aws\", \"yahoo.com\", "
		"\"37.130.156.31\"]}, \"read_write_tmp\": \"block\", \"create_child_process\": \"block\", "
		"\"read_handler\": \"block\", \"api_endpoint\": \"https://collector.example/events\"}",
		&p);
	for (int r = 0; r < FNG_RULE_ALLOWLIST; r++) /* the four; no allowlist */
		assert_int_equal(p.mode[r], FNG_MODE_BLOCK);
	assert_int_equal(p.n_net_allow, 1);
	v4rule(&want, "37.130.156.31", 32, 0);
	assert_rule_eq(&p.net_allow[0], &want);
	/* "aws" is the documented list of AWS service domains, as wildcards */
	assert_true(p.aws);
	assert_true(fng_policy_host_allowed(&p, "sqs.us-east-1.amazonaws.com", 443));
	assert_false(fng_policy_host_allowed(&p, "aws.attacker.example", 443));
	assert_true(fng_policy_host_allowed(&p, "yahoo.com", 80));
	assert_false(fng_policy_host_allowed(&p, "news.yahoo.com", 80));
	assert_string_equal(p.host_allow[p.n_host_allow - 1].name, "yahoo.com");
	assert_non_null(p.api_endpoint);
	assert_string_equal(p.api_endpoint, "https://collector.example/events");
	/* no notice: api_endpoint is an HTTP sink now */
	assert_int_equal(p.n_notices, 0);
	assert_string_equal(p.tmp_root, "/tmp");
	fng_policy_free(&p);
	assert_zeroed(&p);
}

static void missing_key_means_allow(void **state)
{
	(void)state;
	struct fng_policy p;

	load_ok("{\"read_write_tmp\": \"block\"}", &p);
	assert_int_equal(p.mode[FNG_RULE_OUTBOUND], FNG_MODE_ALLOW);
	assert_int_equal(p.mode[FNG_RULE_TMP], FNG_MODE_BLOCK);
	assert_int_equal(p.mode[FNG_RULE_CHILD], FNG_MODE_ALLOW);
	assert_int_equal(p.mode[FNG_RULE_HANDLER], FNG_MODE_ALLOW);
	assert_int_equal(p.n_notices, 0);
	fng_policy_free(&p);

	load_ok("{\"policy\": {\"create_child_process\": \"alert\"}}", &p);
	assert_int_equal(p.mode[FNG_RULE_OUTBOUND], FNG_MODE_ALLOW);
	assert_int_equal(p.mode[FNG_RULE_TMP], FNG_MODE_ALLOW);
	assert_int_equal(p.mode[FNG_RULE_CHILD], FNG_MODE_ALERT);
	assert_int_equal(p.mode[FNG_RULE_HANDLER], FNG_MODE_ALLOW);
	fng_policy_free(&p);
}

static void empty_object_all_allow(void **state)
{
	(void)state;
	struct fng_policy p;

	load_ok(" \n{ }\n\n", &p);
	for (int r = 0; r < FNG_RULE_ALLOWLIST; r++) /* the four; no allowlist */
		assert_int_equal(p.mode[r], FNG_MODE_ALLOW);
	assert_string_equal(p.tmp_root, "/tmp");
	/* {} watches nothing, and says so (no --policy at all would block) */
	assert_int_equal(p.n_notices, 1);
	assert_non_null(strstr(p.notices[0], "no rule is set"));
	assert_int_equal(p.n_net_allow, 0);
	assert_int_equal(p.n_host_allow, 0);
	assert_int_equal(p.n_handler_paths, 0);
	assert_int_equal(p.on_unsupported, FNG_UNSUPPORTED_FAIL);
	assert_false(fng_policy_watches_files(&p));
	fng_policy_free(&p);
}

static void default_policy(void **state)
{
	(void)state;
	struct fng_policy p;
	char sum[256];

	memset(&p, 0xa5, sizeof(p));
	assert_int_equal(fng_policy_default(&p), 0);
	for (int r = 0; r < FNG_RULE_ALLOWLIST; r++) /* the four; no allowlist */
		assert_int_equal(p.mode[r], FNG_MODE_BLOCK);
	assert_int_equal(p.mode[FNG_RULE_ALLOWLIST], FNG_MODE_ALLOW);
	assert_null(p.allow);
	assert_string_equal(p.tmp_root, "/tmp");
	assert_int_equal(p.n_net_allow, 0);
	assert_null(p.net_allow);
	assert_int_equal(p.n_host_allow, 0);
	assert_int_equal(p.n_notices, 0);
	assert_null(p.api_endpoint);
	assert_int_equal(p.on_unsupported, FNG_UNSUPPORTED_FAIL);
	assert_true(fng_policy_watches_files(&p));
	fng_policy_summary(&p, sum, sizeof(sum));
	assert_string_equal(sum, "outbound_connectivity=block read_write_tmp=block create_child_process=block "
				 "read_handler=block");
	fng_policy_free(&p);
	assert_zeroed(&p);
}

static void rule_object_forms(void **state)
{
	(void)state;
	struct fng_policy p;

	load_ok("{\"read_handler\": {\"mode\": \"alert\"}, \"policy\": {\"read_write_tmp\": {\"action\": \"allow\"}}}",
		&p);
	assert_int_equal(p.mode[FNG_RULE_HANDLER], FNG_MODE_ALERT);
	assert_int_equal(p.mode[FNG_RULE_TMP], FNG_MODE_ALLOW);
	fng_policy_free(&p);

	/* "allow" is a synonym of "exceptions"; no host names: no notice */
	load_ok("{\"outbound_connectivity\": {\"allow\": [\"10.0.0.0/8\"], \"action\": \"alert\"}}", &p);
	assert_int_equal(p.mode[FNG_RULE_OUTBOUND], FNG_MODE_ALERT);
	assert_int_equal(p.n_net_allow, 1);
	assert_int_equal(p.n_notices, 0);
	fng_policy_free(&p);
}

static void valid_exceptions(void **state)
{
	(void)state;
	struct fng_policy p;
	struct fng_netrule want;

	load_ok("{\"outbound_connectivity\": {\"action\": \"block\", \"exceptions\": [\"*.example.com\", "
		"\"api.example.com:443\", \"10.0.0.0/8:5432\", \"[2001:db8::1]:443\", \"2001:db8::/32\"]}}",
		&p);
	assert_int_equal(p.n_host_allow, 2);
	assert_string_equal(p.host_allow[0].name, "example.com");
	assert_true(p.host_allow[0].wildcard);
	assert_int_equal(p.host_allow[0].port, 0);
	assert_string_equal(p.host_allow[1].name, "api.example.com");
	assert_false(p.host_allow[1].wildcard);
	assert_int_equal(p.host_allow[1].port, 443);
	assert_int_equal(p.n_net_allow, 3);
	v4rule(&want, "10.0.0.0", 8, 5432);
	assert_rule_eq(&p.net_allow[0], &want);
	v6rule(&want, "2001:db8::1", 128, 443);
	assert_rule_eq(&p.net_allow[1], &want);
	v6rule(&want, "2001:db8::", 32, 0);
	assert_rule_eq(&p.net_allow[2], &want);
	assert_int_equal(p.n_notices, 0);
	fng_policy_free(&p);
}

static void valid_exec_exceptions(void **state)
{
	(void)state;
	struct fng_policy p;
	static const uint8_t id[20] = { 0x57, 0x1d, 0x98, 0xe0, 0x10, 0x96, 0xd5, 0xc1, 0xc3, 0x24,
					0x20, 0xd2, 0x29, 0xa6, 0x73, 0x1a, 0x0a, 0x50, 0xd2, 0xa0 };

	load_ok("{\"create_child_process\": {\"action\": \"block\", \"exceptions\": [\"/usr/bin/git\", "
		"\"build-id:571D98e01096d5c1c32420d229a6731a0a50d2a0\", \"build-id:00ff\"]}}",
		&p);
	assert_int_equal(p.mode[FNG_RULE_CHILD], FNG_MODE_BLOCK);
	assert_int_equal(p.n_exec_allow_paths, 1);
	assert_string_equal(p.exec_allow_paths[0], "/usr/bin/git");
	assert_int_equal(p.n_exec_allow_ids, 2);
	assert_int_equal(p.exec_allow_ids[0].len, 20);
	assert_memory_equal(p.exec_allow_ids[0].id, id, 20);
	assert_true(fng_policy_exec_id_allowed(&p, id, 20));
	assert_false(fng_policy_exec_id_allowed(&p, id, 19)); /* a prefix is not the id */
	assert_true(fng_policy_exec_id_allowed(&p, (const uint8_t *)"\x00\xff", 2));
	assert_false(fng_policy_exec_id_allowed(&p, (const uint8_t *)"\x00\xfe", 2));
	assert_false(fng_policy_exec_id_allowed(&p, id, 0));
	assert_int_equal(p.n_net_allow + p.n_host_allow, 0); /* not network exceptions */
	assert_int_equal(p.n_notices, 0);
	fng_policy_free(&p);
	/* "allow" is the other spelling, as for outbound_connectivity */
	load_ok("{\"policy\": {\"create_child_process\": {\"allow\": [\"/bin/sh\"], \"action\": \"alert\"}}}", &p);
	assert_int_equal(p.n_exec_allow_paths, 1);
	assert_int_equal(p.mode[FNG_RULE_CHILD], FNG_MODE_ALERT);
	fng_policy_free(&p);
}

static void build_id_parse(void **state)
{
	(void)state;
	struct fng_build_id id;

	assert_int_equal(fng_build_id_parse("build-id:aB09", &id), 0);
	assert_int_equal(id.len, 2);
	assert_int_equal(id.id[0], 0xab);
	assert_int_equal(id.id[1], 0x09);
	assert_int_equal(fng_build_id_parse("build-id:", &id), -EINVAL);
	assert_int_equal(fng_build_id_parse("build-id:a", &id), -EINVAL);
	assert_int_equal(fng_build_id_parse("build-id:abc", &id), -EINVAL);
	assert_int_equal(fng_build_id_parse("build-id:zz", &id), -EINVAL);
	assert_int_equal(fng_build_id_parse("build-id: ab", &id), -EINVAL);
	assert_int_equal(fng_build_id_parse("buildid:ab", &id), -EINVAL);
	assert_int_equal(fng_build_id_parse("build-id:"
					    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
					    &id),
			 0);
	assert_int_equal(id.len, 32);
	assert_int_equal(fng_build_id_parse("build-id:"
					    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef00",
					    &id),
			 -EINVAL);
}

static void settings(void **state)
{
	(void)state;
	struct fng_policy p;

	load_ok("{\"version\": 1, \"tmp_root\": \"/var/tmp//\", \"on_unsupported\": \"run-unprotected\", "
		"\"handler\": [\"/var/task/index.js\", \"/var/task/lib.js\"]}",
		&p);
	assert_string_equal(p.tmp_root, "/var/tmp");
	assert_int_equal(p.on_unsupported, FNG_UNSUPPORTED_RUN);
	assert_int_equal(p.n_handler_paths, 2);
	assert_string_equal(p.handler_paths[0], "/var/task/index.js");
	assert_string_equal(p.handler_paths[1], "/var/task/lib.js");
	fng_policy_free(&p);

	load_ok("{\"tmp_root\": \"/\", \"handler\": \"/var/task/h.py\", \"on_unsupported\": \"fail\"}", &p);
	assert_string_equal(p.tmp_root, "/");
	assert_int_equal(p.n_handler_paths, 1);
	assert_int_equal(p.on_unsupported, FNG_UNSUPPORTED_FAIL);
	fng_policy_free(&p);
}

static void load_file(void **state)
{
	(void)state;
	char path[] = "/tmp/fng-policy-XXXXXX";
	const char *text = "{\n  \"read_handler\": \"alert\"\n}\n";
	struct fng_policy p;
	struct fng_policy_error err;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(fng_policy_load_file(path, &p, &err), 0);
	assert_int_equal(p.mode[FNG_RULE_HANDLER], FNG_MODE_ALERT);
	fng_policy_free(&p);

	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "{\n\n  \"x\": 1}", 12), 12);
	close(fd);
	assert_int_equal(fng_policy_load_file(path, &p, &err), -EINVAL);
	{
		char want[128];
		snprintf(want, sizeof(want), "%s:3:3: unknown key \"x\"", path);
		assert_string_equal(err.msg, want);
	}
	assert_zeroed(&p);
	unlink(path);

	assert_int_equal(fng_policy_load_file(path, &p, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "cannot read policy"));
}

/* ---------------------------------------------------------------- errors */

static void err_malformed_missing_brace(void **state)
{
	(void)state;
	expect_error("{\"read_handler\": \"block\"", NAME ":1:25: invalid JSON: unexpected end of input");
	expect_error("{\n  \"policy\": {\n    \"read_handler\": \"block\"\n}\n",
		     NAME ":5:1: invalid JSON: unexpected end of input");
	expect_error("", NAME ":1:1: invalid JSON: unexpected end of input");
}

static void err_malformed_trailing_comma(void **state)
{
	(void)state;
	/* the error is at the '}' after the comma */
	expect_error("{\"read_handler\": \"block\",}", NAME ":1:26: invalid JSON: ");
	expect_error("{\n  \"read_handler\": \"block\",\n}", NAME ":3:1: invalid JSON: ");
	expect_error("{\"outbound_connectivity\": {\"action\": \"block\", \"exceptions\": [\"aws\",]}}",
		     NAME ":1:68: invalid JSON: ");
}

static void err_trailing_garbage(void **state)
{
	(void)state;
	/* json-c's strict mode reports these itself ("unexpected character"),
	 * at the first trailing character */
	expect_error("{\"read_handler\": \"block\"} x", NAME ":1:27: invalid JSON: ");
	expect_error("{}\n\n  {}", NAME ":3:3: invalid JSON: ");
	expect_error("{}\n\t\r\n", NULL);
}

static void err_unknown_mode(void **state)
{
	(void)state;
	expect_error("{\n"
		     "  \"outbound_connectivity\": \"block\",\n"
		     "  \"read_write_tmp\": \"blok\"\n"
		     "}\n",
		     NAME ":3:21: read_write_tmp: unknown mode \"blok\" (expected block, alert or allow)");
	/* inside an object, under "policy" */
	expect_error("{\"policy\": {\"read_handler\": {\"action\": \"Block\"}}}",
		     NAME ":1:40: read_handler: unknown mode \"Block\"");
}

static void err_wrong_type(void **state)
{
	(void)state;
	expect_error("{\"read_handler\": 2}",
		     NAME ":1:18: read_handler: expected a mode string or an object, got a number");
	expect_error("{\"read_handler\": {\"action\": 2}}",
		     NAME ":1:29: read_handler: expected a mode string (block, alert or allow), got a number");
	expect_error("{\"read_handler\": true}", NAME ":1:18: read_handler: expected a mode string or an object, got a boolean");
	expect_error("{\"tmp_root\": [\"/tmp\"]}", NAME ":1:14: tmp_root: expected a string, got an array");
	expect_error("{\"policy\": [1]}", NAME ":1:12: policy: expected an object, got an array");
	expect_error("{\"version\": 2}", NAME ":1:13: version: only version 1 is known");
	expect_error("{\"outbound_connectivity\": {\"action\": \"block\", \"exceptions\": \"aws\"}}",
		     NAME ":1:61: outbound_connectivity: exceptions must be an array of strings, got a string");
	expect_error("{\"outbound_connectivity\": {\"action\": \"block\", \"exceptions\": [\"aws\", 5]}}",
		     NAME ":1:69: outbound_connectivity: exception must be a string, got a number");
}

static void err_unknown_top_level_key(void **state)
{
	(void)state;
	/* reported at the key itself */
	expect_error("{\"read_handler\": \"block\", \"colour\": \"blue\"}", NAME ":1:27: unknown key \"colour\"");
	expect_error("{\n\t\"tokn\": \"abc\"\n}", NAME ":2:2: unknown key \"tokn\"");
	/* a key that is also the name of a value elsewhere */
	expect_error("{\"read_handler\": \"block\", \"token\": \"block\", \"block\": 1}", NAME ":1:45: unknown key \"block\"");
}

static void err_unknown_rule_in_policy(void **state)
{
	(void)state;
	expect_error("{\"policy\": {\"read_tmp\": \"block\"}}",
		     NAME ":1:13: policy: unknown rule \"read_tmp\" (expected outbound_connectivity, read_write_tmp, "
			  "create_child_process or read_handler)");
	/* a known setting is not a rule either */
	expect_error("{\"policy\": {\n  \"read_handler\": \"block\",\n  \"token\": \"x\"}}",
		     NAME ":3:3: policy: unknown rule \"token\"");
}

static void err_unknown_key_in_rule(void **state)
{
	(void)state;
	expect_error("{\"read_handler\": {\"action\": \"block\", \"except\": []}}",
		     NAME ":1:38: read_handler: unknown key \"except\" (expected action, mode, exceptions or allow)");
	expect_error("{\"read_handler\": {}}", NAME ":1:18: read_handler: missing \"action\" (block, alert or allow)");
	expect_error("{\"read_handler\": {\"action\": \"block\", \"mode\": \"allow\"}}",
		     NAME ":1:46: read_handler: give either \"action\" or \"mode\", not both");
}

/* read_write_tmp's "jvm_perfdata": on unless false (policy/jvmperf.h). */
static void jvm_perfdata_key(void **state)
{
	struct fng_policy p;

	(void)state;
	load_ok("{\"read_write_tmp\": \"block\"}", &p);
	assert_false(p.no_jvm_perfdata);
	fng_policy_free(&p);
	load_ok("{\"read_write_tmp\": {\"action\": \"block\", \"jvm_perfdata\": false}}", &p);
	assert_true(p.no_jvm_perfdata);
	assert_int_equal(p.mode[FNG_RULE_TMP], FNG_MODE_BLOCK);
	fng_policy_free(&p);
	load_ok("{\"policy\": {\"read_write_tmp\": {\"action\": \"alert\", \"jvm_perfdata\": true}}}", &p);
	assert_false(p.no_jvm_perfdata);
	fng_policy_free(&p);
	expect_error("{\"read_write_tmp\": {\"action\": \"block\", \"jvm_perfdata\": \"no\"}}",
		     NAME ":1:56: jvm_perfdata: expected true or false, got a string");
	expect_error("{\"read_handler\": {\"action\": \"block\", \"jvm_perfdata\": false}}",
		     NAME ":1:38: read_handler: unknown key \"jvm_perfdata\" (expected action, mode, exceptions or allow)");
	expect_error("{\"read_write_tmp\": {\"action\": \"block\", \"jvm\": false}}",
		     NAME ":1:40: read_write_tmp: unknown key \"jvm\" (expected action, mode, exceptions or allow, "
			  "jvm_perfdata)");
}

static void err_duplicate_key(void **state)
{
	(void)state;
	expect_error("{\"read_handler\": \"block\", \"read_handler\": \"allow\"}",
		     NAME ":1:27: duplicate key (a later value would silently replace the first)");
	expect_error("{\n"
		     "  \"policy\": {\n"
		     "    \"read_handler\": \"block\",\n"
		     "      \"read_handler\": \"allow\"\n"
		     "  }\n"
		     "}",
		     NAME ":4:7: duplicate key");
	/* same key in two different objects is fine */
	{
		struct fng_policy p;
		load_ok("{\"read_handler\": {\"action\": \"block\"}, \"read_write_tmp\": {\"action\": \"alert\"}}", &p);
		fng_policy_free(&p);
	}
}

/* json-c decodes "\u0072" to "r", so the second key below *is* "read_handler"
 * and json-c keeps only the last value. The loader must refuse it like any
 * duplicate, not quietly turn a block into an allow. */
static void err_duplicate_key_via_escape(void **state)
{
	(void)state;
	/* Regression: was a BUG (jsonpos compared raw key spans, json-c kept
	 * only the last value: read_handler=allow), fixed in c769149. */
	expect_error("{\"read_handler\": \"block\", \"read_handle\\u0072\": \"allow\"}",
		     NAME ":1:27: duplicate key");
	expect_error("{\"policy\": {\"read_handler\": \"block\"}, \"p\\u006flicy\": {\"read_handler\": \"allow\"}}",
		     NAME ":1:39: duplicate key");
}

/* json-c keeps keys as C strings: "read_handler\u0000x" *is* read_handler. */
static void err_duplicate_key_via_nul_escape(void **state)
{
	(void)state;
	/* Regression: was a BUG (the policy loaded as read_handler=allow). A
	 * \u0000 is now refused as not strict JSON, at the escape itself. */
	expect_error("{\"read_handler\": \"block\", \"read_handler\\u0000x\": \"allow\"}",
		     NAME ":1:40: invalid JSON: not strict JSON");
}

/* json-c 0.16 accepts single-quoted object keys even with
 * JSON_TOKENER_STRICT (only single-quoted values are refused). jsonpos's
 * scanner does not, so fng_json_find_duplicate_key() returns -EINVAL. */
static void err_single_quoted_key(void **state)
{
	(void)state;
	/* Regression: was a BUG: load.c only acted on fng_json_find_duplicate_key() == -EEXIST and
	 * ignores -EINVAL, so {"read_handler": "block", 'read_handler': "allow"}
	 * loads with read_handler=allow (json-c keeps the last value) and
	 * {'read_handler': "alert"} loads although it is not JSON. Fix: treat any
	 * error from fng_json_find_duplicate_key() as "invalid JSON" at the
	 * scanner's offset (or reject '\'' keys in a pre-scan). */
	expect_error("{\"read_handler\": \"block\", 'read_handler': \"allow\"}", NAME ":1:27: ");
	expect_error("{'read_handler': \"alert\"}", NAME ":1:2: ");
}

/* Other things strict JSON forbids that json-c lets through. */
static void err_not_strict_json(void **state)
{
	(void)state;
	/* Regression: was a BUG (minor): json-c's JSON_TOKENER_STRICT still accepts NaN/Infinity
	 * and raw control characters inside strings; the loader passes them on
	 * ("disable_analytics": NaN loads; a TAB inside a mode string reaches the
	 * mode check). Reject them (e.g. a strict pass in jsonpos's scanner). */
	expect_error("{\"disable_analytics\": NaN}", NAME ":1:23: invalid JSON");
	expect_error("{\"token\": \"a\tb\"}", NAME ":1:13: invalid JSON");
}

/* A key json-c decodes differently than jsonpos (a lone surrogate). */
static void err_position_lone_surrogate_key(void **state)
{
	(void)state;
	/* Regression: was a BUG (minor, position only): json-c turns a lone surrogate \ud800 into
	 * U+FFFD, jsonpos's unescape() encodes the surrogate itself (ED A0 80),
	 * so fail_key() cannot find the key and reports 1:1. Emit U+FFFD for
	 * unpaired surrogates in unescape(). */
	expect_error("{\"read_handler\": \"block\", \"\\ud800\": 1}", NAME ":1:27: unknown key");
}

/* Errors under a key written with an escape must still point at the value. */
static void err_position_under_escaped_key(void **state)
{
	(void)state;
	/* Regression: was a BUG (fng_json_locate compared raw key text with
	 * json-c's decoded key and fail() fell back to 1:1), fixed in c769149. */
	expect_error("{\"re\\u0061d_handler\": \"blok\"}", NAME ":1:23: read_handler: unknown mode \"blok\"");
}

static void err_rule_twice(void **state)
{
	(void)state;
	expect_error("{\"read_write_tmp\": \"block\", \"policy\": {\"read_write_tmp\": \"allow\"}}",
		     NAME ":1:58: read_write_tmp: rule given twice (at top level and under \"policy\")");
	/* the other order: reported at the top-level one, which comes second */
	expect_error("{\"policy\": {\"read_write_tmp\": \"allow\"},\n \"read_write_tmp\": {\"action\": \"block\"}}",
		     NAME ":2:20: read_write_tmp: rule given twice");
}

static void err_exceptions_on_other_rule(void **state)
{
	(void)state;
	expect_error("{\"read_write_tmp\": {\"action\": \"block\", \"exceptions\": [\"/tmp/x\"]}}",
		     NAME ":1:54: read_write_tmp: \"exceptions\" is only supported for outbound_connectivity and "
			  "create_child_process");
	expect_error("{\"policy\": {\"read_handler\": {\"allow\": [], \"action\": \"block\"}}}",
		     NAME ":1:39: read_handler: \"allow\" is only supported for outbound_connectivity and "
			  "create_child_process");
}

#define EXEC_DOC(e)                          \
	"{\"create_child_process\": {\n"    \
	"  \"action\": \"block\",\n"         \
	"  \"exceptions\": [\n"              \
	"    \"/usr/bin/git\",\n"             \
	"    " e "\n"                         \
	"  ]\n"                              \
	"}}\n"

static void err_bad_exec_exceptions(void **state)
{
	(void)state;
	expect_error(EXEC_DOC("\"git\""),
		     NAME ":5:5: create_child_process: bad exception \"git\": expected an absolute path or build-id:HEX");
	expect_error(EXEC_DOC("\"build-id:abc\""),
		     NAME ":5:5: create_child_process: bad exception \"build-id:abc\": a build-id is 2 to 64 "
			  "hexadecimal digits, an even number of them");
	expect_error(EXEC_DOC("\"build-id:xyzw\""), NAME ":5:5: create_child_process: bad exception \"build-id:xyzw\"");
	expect_error(EXEC_DOC("\"build-id:\""), NAME ":5:5: create_child_process: bad exception \"build-id:\"");
	expect_error(EXEC_DOC("\"\""), NAME ":5:5: create_child_process: bad exception \"\": expected an absolute path");
	expect_error(EXEC_DOC("7"), NAME ":5:5: create_child_process: exception must be a string, got a number");
	expect_error("{\"create_child_process\": {\"action\": \"block\", \"exceptions\": \"/usr/bin/git\"}}",
		     NAME ":1:60: create_child_process: exceptions must be an array of strings, got a string");
}

#define EXC_DOC(e)                          \
	"{\"outbound_connectivity\": {\n"   \
	"  \"action\": \"block\",\n"        \
	"  \"exceptions\": [\n"             \
	"    \"1.1.1.1\",\n"                \
	"    \"" e "\"\n"                   \
	"  ]\n"                             \
	"}}\n"

static void err_bad_exceptions(void **state)
{
	(void)state;
	expect_error(EXC_DOC("10.0.0.0/33"),
		     NAME ":5:5: outbound_connectivity: bad exception \"10.0.0.0/33\": IPv4 prefix length must be 0 to 32");
	expect_error(EXC_DOC("*."),
		     NAME ":5:5: outbound_connectivity: bad exception \"*.\": a wildcard needs a domain after \"*.\"");
	expect_error(EXC_DOC("host:99999"),
		     NAME ":5:5: outbound_connectivity: bad exception \"host:99999\": port must be a number from 1 to 65535");
	expect_error(EXC_DOC("10.1.2.3/8"),
		     NAME ":5:5: outbound_connectivity: bad exception \"10.1.2.3/8\": address has bits set beyond the prefix length");
	expect_error(EXC_DOC("1.2.3"),
		     NAME ":5:5: outbound_connectivity: bad exception \"1.2.3\": invalid IPv4 address");
	expect_error(EXC_DOC("2001:db8::/129"),
		     NAME ":5:5: outbound_connectivity: bad exception \"2001:db8::/129\": IPv6 prefix length must be 0 to 128");
	expect_error(EXC_DOC("*.exa mple.com"), NAME ":5:5: outbound_connectivity: bad exception \"*.exa mple.com\": host names may contain only");
	expect_error(EXC_DOC("a..b"), NAME ":5:5: outbound_connectivity: bad exception \"a..b\": each DNS label must be 1 to 63 characters");
	expect_error(EXC_DOC("foo.*.com"), NAME ":5:5: outbound_connectivity: bad exception \"foo.*.com\": host names may contain only");
	expect_error(EXC_DOC(""), NAME ":5:5: outbound_connectivity: bad exception \"\": host name is empty");
	expect_error(EXC_DOC("host:0"), NAME ":5:5: outbound_connectivity: bad exception \"host:0\": port must be a number from 1 to 65535");
}

/* A malformed port must be refused whatever its length. */
static void err_bad_host_port_long(void **state)
{
	(void)state;
	/* Regression: was a BUG (check_host_pattern checked the port through a
	 * 16-byte "0.0.0.0:%s" probe that truncated it), fixed in c769149. */
	expect_error(EXC_DOC("example.com:0000443xyz"),
		     NAME ":5:5: outbound_connectivity: bad exception \"example.com:0000443xyz\": port must be a number");
}

static void err_tmp_root_relative(void **state)
{
	(void)state;
	expect_error("{\"tmp_root\": \"tmp\"}", NAME ":1:14: tmp_root: must be an absolute path, got \"tmp\"");
	expect_error("{\"tmp_root\": \"\"}", NAME ":1:14: tmp_root: must be an absolute path, got \"\"");
	expect_error("{\"handler\": [\"/ok\", \"rel.js\"]}", NAME ":1:21: handler: each entry must be an absolute path");
}

static void err_on_unsupported(void **state)
{
	(void)state;
	expect_error("{\"on_unsupported\": \"ignore\"}",
		     NAME ":1:20: on_unsupported: unknown value \"ignore\" (expected fail or run-unprotected)");
	expect_error("{\"on_unsupported\": false}", NAME ":1:20: on_unsupported: expected a string, got a boolean");
	expect_error("{\"api_endpoint\": \"ftp://x\"}", NAME ":1:18: api_endpoint: expected an http:// or https:// URL");
	expect_error("{\"executable_memory\": \"alert\"}",
		     NAME ":1:23: executable_memory: unknown value \"alert\" (expected allow or block)");
	expect_error("{\"executable_memory\": true}", NAME ":1:23: executable_memory: expected a string, got a boolean");
}

static void executable_memory_key(void **state)
{
	struct fng_policy p;
	(void)state;

	load_ok("{\"read_write_tmp\": \"block\"}", &p);
	assert_false(p.exec_mem_block);
	fng_policy_free(&p);
	load_ok("{\"executable_memory\": \"block\"}", &p);
	assert_true(p.exec_mem_block);
	fng_policy_free(&p);
	load_ok("{\"executable_memory\": \"allow\"}", &p);
	assert_false(p.exec_mem_block);
	fng_policy_free(&p);
}

static void err_nul_byte(void **state)
{
	(void)state;
	static const char text[] = "{\"read_handler\": \"bl\0ock\"}";

	/* The loader names where the NUL byte is (a policy too large has a
	 * message of its own). */
	expect_error_len(text, sizeof(text) - 1, NAME ":1:21: policy contains a NUL byte");
}

static void err_root_not_object(void **state)
{
	(void)state;
	expect_error("[\"block\"]", NAME ":1:1: a policy must be a JSON object, got an array");
	expect_error("\n  \"block\"", NAME ":2:3: a policy must be a JSON object, got a string");
	expect_error("42\n", NAME ":1:1: a policy must be a JSON object, got a number");
	expect_error("true ", NAME ":1:1: a policy must be a JSON object, got a boolean");
}

/* The same, for a scalar that ends exactly at the end of the buffer. */
static void err_root_scalar_at_eof(void **state)
{
	(void)state;
	/* Regression: was a BUG (json_tokener_parse_ex got exactly len bytes, so
	 * "42"/"null" at EOF were "unexpected end of input"), fixed in c769149. */
	expect_error("42", NAME ":1:1: a policy must be a JSON object, got a number");
	expect_error("null", NAME ":1:1: a policy must be a JSON object, got null");
}

/* After an error in the middle of a policy that had already allocated
 * (notices, host names, net rules, api_endpoint, tmp_root, handler paths),
 * the struct is freed and zeroed; ASan's leak checker sees the rest. */
static void err_after_allocations_frees(void **state)
{
	(void)state;
	expect_error("{\"token\": \"t\", \"api_endpoint\": \"http://x\", \"tmp_root\": \"/t\", \"handler\": [\"/h\"],\n"
		     " \"outbound_connectivity\": {\"action\": \"block\", \"exceptions\": [\"aws\", \"1.2.3.4\"]},\n"
		     " \"read_handler\": \"nope\"}",
		     NAME ":3:18: read_handler: unknown mode \"nope\"");
	/* failing inside the exception list itself */
	expect_error("{\"token\": \"t\", \"outbound_connectivity\": {\"action\": \"block\", \"exceptions\": [\"aws\", \"1.2.3.4\", \"1.2.3\"]}}",
		     NAME ":1:94: outbound_connectivity: bad exception \"1.2.3\"");
}

static void events_section(void **state)
{
	(void)state;
	struct fng_policy p;

	load_ok("{\"events\": {\"sinks\": [\"stderr\", \"syslog+tcp://127.0.0.1:514\", \"unix:/run/x.sock\", "
		"\"https://c.example/in\"], \"format\": \"ocsf\", \"flush_timeout_ms\": 500}}", &p);
	assert_int_equal(p.n_event_sinks, 4);
	assert_string_equal(p.event_sinks[1], "syslog+tcp://127.0.0.1:514");
	assert_string_equal(p.event_sinks[3], "https://c.example/in");
	assert_int_equal(p.event_format, 2);
	assert_true(p.has_flush_timeout);
	assert_int_equal(p.flush_timeout_ms, 500);
	fng_policy_free(&p);
	assert_zeroed(&p);

	/* nothing said: nothing set, the command line and defaults decide */
	load_ok("{\"events\": {}}", &p);
	assert_int_equal(p.n_event_sinks, 0);
	assert_int_equal(p.event_format, 0);
	assert_false(p.has_flush_timeout);
	fng_policy_free(&p);
	load_ok("{\"events\": {\"format\": \"fnguard\", \"flush_timeout_ms\": 0}}", &p);
	assert_int_equal(p.event_format, 1);
	assert_true(p.has_flush_timeout);
	assert_int_equal(p.flush_timeout_ms, 0);
	fng_policy_free(&p);
}

static void err_events(void **state)
{
	(void)state;
	expect_error("{\"events\": []}", NAME ":1:12: events: expected an object, got an array");
	expect_error("{\"events\": {\"sinks\": \"stderr\"}}",
		     NAME ":1:22: events.sinks: expected an array of log destinations, got a string");
	expect_error("{\"events\": {\"sinks\": [\"stderr\", 3]}}",
		     NAME ":1:33: events.sinks: each destination must be a string, got a number");
	expect_error("{\"events\": {\"sinks\": [\"stderr\",\n  \"syslog+udp://host\"]}}",
		     NAME ":2:3: events.sinks: bad destination \"syslog+udp://host\": expected host:port with a port "
		     "from 1 to 65535 (IPv6 as [addr]:port)");
	expect_error("{\"events\": {\"sinks\": [\"unix:relative\"]}}",
		     NAME ":1:23: events.sinks: bad destination \"unix:relative\": unix: needs an absolute socket path "
		     "shorter than 108 bytes");
	expect_error("{\"events\": {\"sinks\": [\"kafka://x\"]}}", NAME ":1:23: events.sinks: bad destination \"kafka://x\": "
		     "expected stderr, stdout, file:/path, unix:/path, syslog:, syslog+udp://host:port, "
		     "syslog+tcp://host:port, http://... or https://...");
	expect_error("{\"events\": {\"format\": \"cef\"}}", NAME ":1:23: events.format: expected \"fnguard\", \"ocsf\", \"falco\" or \"text\"");
	expect_error("{\"events\": {\"flush_timeout_ms\": -1}}",
		     NAME ":1:33: events.flush_timeout_ms: expected milliseconds from 0 to 600000");
	expect_error("{\"events\": {\"flush_timeout_ms\": \"2s\"}}",
		     NAME ":1:33: events.flush_timeout_ms: expected milliseconds from 0 to 600000");
	expect_error("{\"events\": {\"flush_timeout_ms\": 600001}}",
		     NAME ":1:33: events.flush_timeout_ms: expected milliseconds from 0 to 600000");
	expect_error("{\"events\": {\"sink\": []}}",
		     NAME ":1:13: events: unknown key \"sink\" (expected sinks, format or flush_timeout_ms)");
	/* an error after sinks were collected frees them (ASan's leak checker) */
	expect_error("{\"events\": {\"sinks\": [\"stdout\", \"file:/x\"], \"format\": 1}}",
		     NAME ":1:55: events.format: expected \"fnguard\", \"ocsf\", \"falco\" or \"text\"");
	expect_error("{\"api_endpoint\": \"http://\"}", NAME ":1:18: api_endpoint: expected an http:// or https:// URL");
}

static void names(void **state)
{
	(void)state;
	enum fng_mode m;

	assert_string_equal(fng_mode_name(FNG_MODE_ALLOW), "allow");
	assert_string_equal(fng_mode_name(FNG_MODE_ALERT), "alert");
	assert_string_equal(fng_mode_name(FNG_MODE_BLOCK), "block");
	assert_string_equal(fng_mode_name((enum fng_mode)7), "?");
	assert_string_equal(fng_rule_name(FNG_RULE_OUTBOUND), "outbound_connectivity");
	assert_string_equal(fng_rule_name(FNG_RULE_HANDLER), "read_handler");
	assert_string_equal(fng_rule_name(FNG_RULE_NONE), "");
	assert_int_equal(fng_mode_parse("alert", &m), 0);
	assert_int_equal(m, FNG_MODE_ALERT);
	assert_int_equal(fng_mode_parse("BLOCK", &m), -EINVAL);
	assert_int_equal(fng_mode_parse("", &m), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(functionshield_seed),
		cmocka_unit_test(iron_function_seed),
		cmocka_unit_test(missing_key_means_allow),
		cmocka_unit_test(empty_object_all_allow),
		cmocka_unit_test(default_policy),
		cmocka_unit_test(rule_object_forms),
		cmocka_unit_test(valid_exceptions),
		cmocka_unit_test(valid_exec_exceptions),
		cmocka_unit_test(build_id_parse),
		cmocka_unit_test(settings),
		cmocka_unit_test(load_file),
		cmocka_unit_test(err_malformed_missing_brace),
		cmocka_unit_test(err_malformed_trailing_comma),
		cmocka_unit_test(err_trailing_garbage),
		cmocka_unit_test(err_unknown_mode),
		cmocka_unit_test(err_wrong_type),
		cmocka_unit_test(err_unknown_top_level_key),
		cmocka_unit_test(err_unknown_rule_in_policy),
		cmocka_unit_test(err_unknown_key_in_rule),
		cmocka_unit_test(err_duplicate_key),
		cmocka_unit_test(jvm_perfdata_key),
		cmocka_unit_test(err_duplicate_key_via_escape),
		cmocka_unit_test(err_position_under_escaped_key),
		cmocka_unit_test(err_duplicate_key_via_nul_escape),
		cmocka_unit_test(err_position_lone_surrogate_key),
		cmocka_unit_test(err_single_quoted_key),
		cmocka_unit_test(err_not_strict_json),
		cmocka_unit_test(err_rule_twice),
		cmocka_unit_test(err_exceptions_on_other_rule),
		cmocka_unit_test(err_bad_exceptions),
		cmocka_unit_test(err_bad_exec_exceptions),
		cmocka_unit_test(err_bad_host_port_long),
		cmocka_unit_test(err_tmp_root_relative),
		cmocka_unit_test(err_on_unsupported),
		cmocka_unit_test(executable_memory_key),
		cmocka_unit_test(err_nul_byte),
		cmocka_unit_test(err_root_not_object),
		cmocka_unit_test(err_root_scalar_at_eof),
		cmocka_unit_test(err_after_allocations_frees),
		cmocka_unit_test(events_section),
		cmocka_unit_test(err_events),
		cmocka_unit_test(names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
