/* Unit tests for output inspection's detectors and the code check's scan
 * (policy/payload/outscan.c, codescan.c): Luhn rows; bodies -> findings,
 * fed whole and split at every byte; excerpts never holding a secret;
 * a scratch task root -> file:line findings and bound hits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy/payload/payload.h"
#include "policy/baseline/policydiff.h"

#define SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
/* A session token's characters: '+' and '=' too. */
#define TOKEN "FwoGZXIvYXdzEB+aDHk/Ex4mpleT0ken+Q=="

static void luhn_table(void **state)
{
	static const struct {
		const char *s;
		bool ok;
	} rows[] = {
		{ "4111111111111111", true }, { "4111 1111 1111 1111", true }, { "4111-1111-1111-1111", true },
		{ "4111111111111112", false }, { "378282246310005", true },	{ "6011111111111117", true },
		{ "411111111111", false },	/* 12 digits */
		{ "41111111111111111111", false }, /* 20 digits */
		{ "4111x1111", false },
		{ "4111111111111111111111", false }, /* 22 digits */
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (fng_luhn_ok(rows[i].s, strlen(rows[i].s)) != rows[i].ok)
			fail_msg("%s: want %d", rows[i].s, rows[i].ok);
}

struct rig {
	struct fng_payload_cfg cfg;
	struct fng_outscan_rules rules;
};

static void rig_init(struct rig *g, const char *user_rx)
{
	struct fng_out_secrets sec = { .name = { "aws_secret_access_key", "aws_session_token" } };
	char err[256];

	memset(g, 0, sizeof(*g));
	g->cfg.action = FNG_MODE_BLOCK;
	g->cfg.builtins = true;
	fng_rx_init(&g->cfg.rules);
	if (user_rx)
		assert_int_equal(fng_rx_add(&g->cfg.rules, user_rx, strlen(user_rx), "out.txt:1", err, sizeof(err)), 0);
	sec.value[0] = SECRET;
	sec.len[0] = strlen(SECRET);
	sec.value[1] = TOKEN;
	sec.len[1] = strlen(TOKEN);
	assert_int_equal(fng_outscan_rules_init(&g->rules, &g->cfg, &sec), 0);
}

static void rig_free(struct rig *g)
{
	fng_outscan_rules_free(&g->rules);
	fng_rx_free(&g->cfg.rules);
}

/* 8 bytes in a row of the secret anywhere in s? */
static bool holds_part(const char *s)
{
	for (size_t k = 0; k + 8 <= strlen(s); k++)
		if (memmem(SECRET, strlen(SECRET), s + k, 8) || memmem(TOKEN, strlen(TOKEN), s + k, 8))
			return true;
	return false;
}

/* Feed body in pieces of `step` bytes (0: whole): the finding, or "". */
static const char *scan(struct rig *g, const char *body, size_t step, struct fng_out_finding *f)
{
	struct fng_outscan s;
	size_t n = strlen(body);
	int r = 0;

	fng_outscan_begin(&s, &g->rules);
	if (!step)
		step = n ? n : 1;
	for (size_t off = 0; off < n && r == 0; off += step)
		r = fng_outscan_feed(&s, body + off, off + step > n ? n - off : step, f);
	if (r == 0)
		r = fng_outscan_finish(&s, f);
	fng_outscan_end(&s);
	assert_true(r >= 0);
	return r ? f->match : "";
}

static void body_table(void **state)
{
	static const struct {
		const char *body;
		const char *want; /* "" for none */
	} rows[] = {
		{ "{\"ok\": true}", "" },
		{ "{\"k\": \"" SECRET "\"}", "aws_secret_access_key" },
		{ "{\"k\": \"wJalrXUtnFEMI\\/K7MDENG\\/bPxRfiCYEXAMPLEKEY\"}", "aws_secret_access_key" },
		/* JSON escaping, 1 to 3 levels (each doubles the backslashes). */
		{ "{\"k\": \"wJalrXUtnFEMI\\u002fK7MDENG\\u002fbPxRfiCYEXAMPLEKEY\"}", "aws_secret_access_key" },
		{ "{\"k\": \"wJalrXUtnFEMI\\u002FK7MDENG\\u002FbPxRfiCYEXAMPLEKEY\"}", "aws_secret_access_key" },
		{ "\"{\\\"k\\\": \\\"wJalrXUtnFEMI\\\\\\/K7MDENG\\\\\\/bPxRfiCYEXAMPLEKEY\\\"}\"", "aws_secret_access_key" },
		{ "wJalrXUtnFEMI\\\\u002fK7MDENG\\\\u002FbPxRfiCYEXAMPLEKEY", "aws_secret_access_key" },
		{ "wJalrXUtnFEMI\\\\\\\\u002fK7MDENG\\\\\\\\\\\\\\/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key" },
		/* Mixed: each character its own way, letters as \u00HH too. */
		{ "\\u0077JalrXUtnFEMI\\/K7MDENG\\\\u002FbPxRfiCYEXAMPLE\\u004bEY", "aws_secret_access_key" },
		{ "t FwoGZXIvYXdzEB\\u002BaDHk\\/Ex4mpleT0ken\\u002bQ\\u003d=", "aws_session_token" },
		{ "t FwoGZXIvYXdzEB\\\\u002BaDHk\\\\\\/Ex4mpleT0ken+Q\\\\u003D\\\\u003d", "aws_session_token" },
		{ "t " TOKEN, "aws_session_token" },
		/* Look-alikes: not JSON's escapes, or not the secret. */
		{ "wJalrXUtnFEMI\\x2fK7MDENG\\x2fbPxRfiCYEXAMPLEKEY", "" },
		{ "wJalrXUtnFEMIu002fK7MDENGu002fbPxRfiCYEXAMPLEKEY", "" },
		{ "wJalrXUtnFEMI\\u002eK7MDENG\\u002ebPxRfiCYEXAMPLEKEY", "" },
		{ "wJalrXUtnFEMI\\U002fK7MDENG\\U002fbPxRfiCYEXAMPLEKEY", "" },
		{ "wJalrXUtnFEMI\\u002fK7MDENG\\u002fbPxRfiCYEXAMPLEKE", "" },
		{ "wJalrXUtnFEMI\\u002fK7MDENG\\u002fbPxRfiCYEXAMPLEKEX", "" },
		{ "FwoGZXIvYXdzEB\\u002CaDHk/Ex4mpleT0ken+Q==", "" },
		{ "id AKIAIOSFODNN7EXAMPLE.", "aws_access_key_id" },
		{ "xbPxRfiCYEXAMPLEKEY AKIAIOSFODNN7EXAMPLE", "aws_access_key_id" }, /* part of the secret before it */
		{ "id ASIAIOSFODNN7EXAMPLE", "aws_access_key_id" },
		{ "id AKIAIOSFODNN7EXAMPLEX", "" }, /* 17 after the prefix: not a key id */
		{ "-----BEGIN RSA PRIVATE KEY-----", "private_key" },
		{ "-----BEGIN PRIVATE KEY-----", "private_key" },
		{ "-----BEGIN PUBLIC KEY-----", "" },
		{ "pay 4111 1111 1111 1111 now", "card_number" },
		{ "pay 4111-1111-1111-1111", "card_number" },
		{ "pay 4111111111111111 12 25", "card_number" },
		{ "ts 1733312345678 and 17333123456789012", "" }, /* timestamps: no issuer digit */
		{ "n 4111111111111112", "" },			  /* fails Luhn */
		{ "n 41111111111111110000", "" },		  /* 20 digits */
		{ "n 4111111111111111111111111111111111111111", "" }, /* a long number */
		{ "1 4111 1111 1111 1111", "card_number" },	  /* after another number */
		{ "amex 3782 822463 10005", "card_number" },	  /* 4-6-5 */
		{ "mixed 4111-1111 1111-1111", "" },		  /* one separator kind */
		{ "scores 5 3 2 6 4 1 2 3 4 5 6 7 8 9 1 2", "" }, /* digits in a row are no card */
		{ "x 4111 11111 111 1111", "" },		  /* not a card's grouping */
		{ "x = os.system(cmd)", "out.txt:1: system\\(" },
	};
	struct rig g;
	(void)state;
	rig_init(&g, "system\\(");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		for (size_t step = 0; step <= 7; step++) {
			struct fng_out_finding f;
			const char *got = scan(&g, rows[i].body, step, &f);
			if (strcmp(got, rows[i].want) != 0)
				fail_msg("row %zu step %zu (%s): got '%s', want '%s'", i, step, rows[i].body, got, rows[i].want);
			if (*got && holds_part(f.excerpt))
				fail_msg("row %zu: excerpt holds part of the secret: %s", i, f.excerpt);
		}
	}
	rig_free(&g);
}

/* The secret, as written and in each escaped form, split at every byte
 * across two chunks after more than the overlap of filler, is found at its
 * offset, the excerpt showing none of it. */
static void split_everywhere(void **state)
{
	static const char *const forms[] = {
		SECRET,
		"wJalrXUtnFEMI\\u002fK7MDENG\\u002FbPxRfiCYEXAMPLEKEY",
		"wJalrXUtnFEMI\\\\\\/K7MDENG\\\\\\/bPxRfiCYEXAMPLEKEY",
		"wJalrXUtnFEMI\\\\u002fK7MDENG\\\\\\\\u002fbPxRfiCYEXAMPLE\\\\\\\\u004BEY",
	};
	struct rig g;
	static char body[8192 + 128];
	(void)state;
	rig_init(&g, NULL);
	memset(body, '.', 8192);
	for (size_t k = 0; k < sizeof(forms) / sizeof(forms[0]); k++) {
		strcpy(body + 8192, forms[k]);
		for (size_t cut = 8192; cut < 8192 + strlen(forms[k]); cut++) {
			struct fng_outscan s;
			struct fng_out_finding f;
			fng_outscan_begin(&s, &g.rules);
			assert_int_equal(fng_outscan_feed(&s, body, cut, &f), 0);
			if (fng_outscan_feed(&s, body + cut, strlen(body) - cut, &f) != 1)
				fail_msg("form %zu cut %zu: not found", k, cut - 8192);
			assert_string_equal(f.match, "aws_secret_access_key");
			assert_int_equal(f.offset, 8192);
			assert_int_equal(strncmp(f.excerpt, "............[redacted ", 22), 0);
			fng_outscan_end(&s);
		}
	}
	rig_free(&g);
}

/* A long token, every byte written as 3 levels of \u00HH escaping (10
 * bytes each, longer than the default overlap), fed in pieces of several
 * sizes behind filler: the overlap covers its longest form. */
static void long_token_overlap(void **state)
{
	static char tok[1001], body[20000 + 12 * 1000 + 1];
	struct fng_out_secrets sec = { .name = { "aws_session_token" }, .value = { tok }, .len = { 1000 } };
	struct fng_payload_cfg cfg = { .action = FNG_MODE_BLOCK, .builtins = true };
	struct fng_outscan_rules rules;
	size_t n = 0;
	(void)state;
	for (size_t i = 0; i < 1000; i++)
		tok[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[(i * 7 + i / 64) % 64];
	fng_rx_init(&cfg.rules);
	assert_int_equal(fng_outscan_rules_init(&rules, &cfg, &sec), 0);
	memset(body, ' ', 10000);
	n = 10000;
	for (size_t i = 0; i < 1000; i++)
		n += (size_t)sprintf(body + n, "\\\\\\\\u00%02X", (unsigned char)tok[i]);
	memset(body + n, ' ', 10000);
	n += 10000;
	for (size_t step = 1000; step <= 9000; step += 1337) {
		struct fng_outscan s;
		struct fng_out_finding f;
		int r = 0;
		fng_outscan_begin(&s, &rules);
		for (size_t off = 0; off < n && r == 0; off += step)
			r = fng_outscan_feed(&s, body + off, off + step > n ? n - off : step, &f);
		if (r == 0)
			r = fng_outscan_finish(&s, &f);
		if (r != 1)
			fail_msg("%zu-byte pieces: %d", step, r);
		assert_string_equal(f.match, "aws_session_token");
		assert_int_equal(f.offset, 10000);
		fng_outscan_end(&s);
	}
	/* One byte of the token changed: no finding, no limit hit. */
	body[10000 + 10 * 500 + 9] = body[10000 + 10 * 500 + 9] == '0' ? '1' : '0';
	{
		struct fng_outscan s;
		struct fng_out_finding f;
		fng_outscan_begin(&s, &rules);
		assert_int_equal(fng_outscan_feed(&s, body, n, &f), 0);
		assert_int_equal(fng_outscan_finish(&s, &f), 0);
		fng_outscan_end(&s);
	}
	fng_outscan_rules_free(&rules);
}

/* An escaped part of the secret just before it is no excerpt either. */
static void excerpt_escaped_part(void **state)
{
	struct rig g;
	struct fng_out_finding f;
	(void)state;
	rig_init(&g, NULL);
	assert_string_equal(scan(&g, "tnFEMI\\/K7MD" SECRET, 0, &f), "aws_secret_access_key");
	assert_string_equal(f.excerpt, "[redacted: near part of aws_secret_access_key]");
	rig_free(&g);
}

/* Bodies built from fragments of what the built-ins look for (digits,
 * separators, key-id pieces, key headers, the secret in parts) give the
 * same verdict whole and fed in random pieces: a chunk boundary never
 * hides nor invents a finding. Fixed seed: the same bodies each run. */
static void split_property(void **state)
{
	static const char *const frags[] = {
		"4111", " ", "-", "1111", "0", "9", "AKIA", "ASIA", "IOSFODNN7EXAMPLE", "X", "x", "\"", "{",
		"-----BEGIN ", "RSA ", "PRIVATE KEY-----", "wJalrXUtnFEMI/", "K7MDENG/bPxRfiCYEXAMPLEKEY", "\\/", "5",
		"wJalrXUtnFEMI\\u002f", "K7MDENG\\\\\\/bPxRfiCYEXAMPLEKEY", "\\u002F", "\\\\", "u002f", "FwoGZXIvYXdzEB",
		"\\u002BaDHk\\/Ex4mpleT0ken+Q==",
		"378282246310005", "6011", "17333123456", ".",
	};
	unsigned seed = 12345;
	struct rig g;
	char body[600];
	(void)state;
	rig_init(&g, NULL);
	for (int round = 0; round < 4000; round++) {
		size_t n = 0;
		struct fng_out_finding f;
		char whole[160];
		while (n < 400) {
			const char *fr = frags[rand_r(&seed) % (sizeof(frags) / sizeof(frags[0]))];
			size_t l = strlen(fr);
			if (n + l >= sizeof(body))
				break;
			memcpy(body + n, fr, l);
			n += l;
			if (rand_r(&seed) % 7 == 0)
				break;
		}
		body[n] = '\0';
		snprintf(whole, sizeof(whole), "%s", scan(&g, body, 0, &f));
		for (size_t step = 1; step <= 23; step += 1 + rand_r(&seed) % 5) {
			const char *got = scan(&g, body, step, &f);
			if (strcmp(got, whole) != 0 && !(*got && *whole))
				fail_msg("'%s': whole '%s', in %zu-byte pieces '%s'", body, whole, step, got);
		}
	}
	rig_free(&g);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

struct seen {
	char what[8][600];
	size_t n;
};

static bool collect(const struct fng_code_finding *f, void *arg)
{
	struct seen *s = arg;
	const char *base = strrchr(f->file, '/');
	if (s->n < 8)
		snprintf(s->what[s->n++], sizeof(s->what[0]), "%s:%u:%s", base ? base + 1 : f->file, f->line,
			 f->limit ? "limit" : "rule");
	return true;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void code_scan(void **state)
{
	char dir[] = "/tmp/fng-code-XXXXXX", p[512], err[256];
	struct fng_payload_cfg cfg = { .action = FNG_MODE_BLOCK, .max_bytes = 1 << 20, .max_files = 100, .max_ms = 60000 };
	static const char rule[] = ".*(call|check_output|system|popen|run|local|spawn).*\\(.*";
	struct seen s = { 0 };
	(void)state;
	assert_non_null(mkdtemp(dir));
	fng_rx_init(&cfg.rules);
	assert_int_equal(fng_rx_add(&cfg.rules, rule, strlen(rule), "code.txt:1", err, sizeof(err)), 0);
	snprintf(p, sizeof(p), "%s/app.py", dir);
	write_file(p, "import subprocess\n\n\ndef handler(e, c):\n    return subprocess.call(['ls'])\n");
	snprintf(p, sizeof(p), "%s/bootstrap", dir);
	write_file(p, "#!/bin/sh\nset -e\nsystem (x)\n");
	snprintf(p, sizeof(p), "%s/notes.txt", dir); /* not code */
	write_file(p, "call(me)\n");
	snprintf(p, sizeof(p), "%s/sub", dir);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/sub/clean.js", dir);
	write_file(p, "exports.handler = async () => 1;\n");
	assert_int_equal(fng_code_scan(&cfg, dir, collect, &s), 2);
	qsort(s.what, s.n, sizeof(s.what[0]), cmp);
	assert_string_equal(s.what[0], "app.py:5:rule");
	assert_string_equal(s.what[1], "bootstrap:3:rule");
	/* One file allowed: the second code file is a bound hit, not a pass. */
	cfg.max_files = 1;
	memset(&s, 0, sizeof(s));
	assert_true(fng_code_scan(&cfg, dir, collect, &s) >= 1);
	assert_non_null(strstr(s.what[s.n - 1], ":limit"));
	/* Too few bytes for the code there is: a bound hit. */
	cfg.max_files = 100;
	cfg.max_bytes = 10;
	memset(&s, 0, sizeof(s));
	assert_int_equal(fng_code_scan(&cfg, dir, collect, &s), 1);
	assert_non_null(strstr(s.what[0], ":limit"));
	fng_rx_free(&cfg.rules);
	snprintf(p, sizeof(p), "rm -rf '%s'", dir);
	assert_int_equal(system(p), 0);
}

/* The two policy keys: forms that load, and each wrong value's message. */
static void policy_keys(void **state)
{
	static const struct {
		const char *json;
		const char *err; /* NULL: loads */
	} rows[] = {
		{ "{\"output_inspection\": \"block\"}", NULL },
		{ "{\"output_inspection\": \"allow\"}", NULL },
		{ "{\"output_inspection\": {\"action\": \"alert\", \"patterns\": [\"a+b\"], \"builtins\": false}}", NULL },
		{ "{\"output_inspection\": {\"builtins\": false}}", "output_inspection: no rules" },
		{ "{\"output_inspection\": \"deny\"}", "p.json:1:23: output_inspection: expected" },
		{ "{\"output_inspection\": {\"patterns\": [\"(\"]}}", "output_inspection.patterns[0]: bad regex" },
		{ "{\"output_inspection\": {\"patterns\": \"x\"}}", "expected an array" },
		{ "{\"output_inspection\": {\"dir\": \"/x\"}}", "unknown key \"dir\"" },
		{ "{\"output_inspection\": {\"patterns_file\": \"/nonexistent/out.txt\"}}", "cannot read" },
		{ "{\"code_check\": {\"patterns\": [\"system\\\\(\"], \"dir\": \"/task\"}}", NULL },
		{ "{\"code_check\": \"block\"}", "code_check: no rules" },
		{ "{\"code_check\": \"allow\"}", NULL },
		{ "{\"code_check\": {\"patterns\": [\"x\"], \"dir\": \"task\"}}", "must be an absolute path" },
		{ "{\"code_check\": {\"patterns\": [\"x\"], \"limits\": {\"max_files\": 0}}}", "max_files: expected a number" },
		{ "{\"code_check\": {\"patterns\": [\"x\"], \"limits\": {\"max_ms\": 10, \"max_bytes\": 100}}}", NULL },
		{ "{\"code_check\": {\"patterns\": [\"x\"], \"limits\": {\"depth\": 3}}}", "unknown key \"depth\"" },
		{ "{\"code_check\": {\"patterns\": [\"x\"], \"builtins\": true}}", "unknown key \"builtins\"" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct fng_policy p;
		struct fng_policy_error err;
		int r = fng_policy_load_buffer("p.json", rows[i].json, strlen(rows[i].json), &p, &err);
		if (rows[i].err == NULL && r < 0)
			fail_msg("row %zu (%s): %s", i, rows[i].json, err.msg);
		if (rows[i].err && (r == 0 || !strstr(err.msg, rows[i].err)))
			fail_msg("row %zu (%s): '%s', want '%s'", i, rows[i].json, r == 0 ? "loaded" : err.msg, rows[i].err);
		if (r == 0)
			fng_policy_free(&p);
	}
}

static void diff_line(void *arg, const char *line)
{
	char *all = arg;
	strncat(all, line, 2047 - strlen(all));
	strncat(all, "\n", 2047 - strlen(all));
}

/* baseline diff, the deploy gate: a payload check weakened is reported. */
static void policy_diff(void **state)
{
	static const struct {
		const char *old_json, *new_json;
		const char *want; /* "" for no line */
	} rows[] = {
		{ "{\"output_inspection\": \"block\"}", "{\"output_inspection\": \"block\"}", "" },
		{ "{\"output_inspection\": \"block\"}", "{}", "~ output_inspection allow (was block)\n" },
		{ "{\"output_inspection\": \"alert\"}", "{\"output_inspection\": \"block\"}", "" },
		{ "{\"output_inspection\": \"block\"}", "{\"output_inspection\": {\"builtins\": false, \"patterns\": [\"x\"]}}",
		  "~ output_inspection.builtins false (was true)\n" },
		{ "{\"code_check\": {\"patterns\": [\"a\", \"b\"]}}", "{\"code_check\": {\"patterns\": [\"b\", \"c\"]}}",
		  "~ code_check rule no longer checked: a\n" },
		{ "{\"code_check\": {\"patterns\": [\"a\"]}}", "{\"code_check\": {\"patterns\": [\"a\"], \"dir\": \"/opt\"}}",
		  "~ code_check.dir /opt (was LAMBDA_TASK_ROOT)\n" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct fng_policy o, n;
		struct fng_policy_error err;
		char all[2048] = "";
		assert_int_equal(fng_policy_load_buffer("o.json", rows[i].old_json, strlen(rows[i].old_json), &o, &err), 0);
		assert_int_equal(fng_policy_load_buffer("n.json", rows[i].new_json, strlen(rows[i].new_json), &n, &err), 0);
		fng_policy_diff(&o, &n, diff_line, all);
		if (strcmp(all, rows[i].want) != 0)
			fail_msg("row %zu: got '%s', want '%s'", i, all, rows[i].want);
		fng_policy_free(&o);
		fng_policy_free(&n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(luhn_table),
		cmocka_unit_test(body_table),
		cmocka_unit_test(split_everywhere),
		cmocka_unit_test(long_token_overlap),
		cmocka_unit_test(excerpt_escaped_part),
		cmocka_unit_test(split_property),
		cmocka_unit_test(code_scan),
		cmocka_unit_test(policy_keys),
		cmocka_unit_test(policy_diff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
