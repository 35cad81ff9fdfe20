/* Unit tests for the allowlist (policy/allowlist.c, load_allow.c), the
 * collapsing rule (collapse.c), the recorder (recorder.c) and profiles
 * (profile.c): glob, decisions with add/remove and init-only entries, the
 * exact errors, collapse outputs, a round trip, merge and diff. */
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

#include "logging/event.h"
#include "logging/format/format.h"
#include "policy/allowlist.h"
#include "policy/baseline/collapse.h"
#include "policy/baseline/recorder.h"

#define NAME "t.json"

static int load(const char *text, struct fng_policy *p, struct fng_policy_error *err)
{
	return fng_policy_load_buffer(NAME, text, strlen(text), p, err);
}

static void v4(const char *s, uint8_t out[16])
{
	struct in_addr a;
	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	fng_addr_from_v4(out, &a);
}

static void glob_cases(void **state)
{
	(void)state;
	assert_true(fng_glob_match("/usr/lib/**", "/usr/lib/x/y.so"));
	assert_true(fng_glob_match("/usr/lib/**", "/usr/lib"));
	assert_false(fng_glob_match("/usr/lib/**", "/usr/lib64/x"));
	assert_true(fng_glob_match("/tmp/tmp*", "/tmp/tmpab12cd34"));
	assert_false(fng_glob_match("/tmp/tmp*", "/tmp/tmpab/c"));
	assert_true(fng_glob_match("/tmp/*", "/tmp/x"));
	assert_false(fng_glob_match("/tmp/*", "/tmp/x/y"));
	assert_true(fng_glob_match("/proc/*/status", "/proc/123/status"));
	assert_true(fng_glob_match("/a/**/b", "/a/b"));
	assert_true(fng_glob_match("/a/**/b", "/a/x/y/b"));
	assert_false(fng_glob_match("/a/**/b", "/a/x/y/c"));
	assert_true(fng_glob_match("/a/?.py", "/a/x.py"));
	assert_false(fng_glob_match("/a/?.py", "/a/xy.py"));
	assert_true(fng_glob_match("/etc/hosts", "/etc/hosts"));
	assert_false(fng_glob_match("/etc/hosts", "/etc/hosts2"));
	assert_false(fng_glob_match("/etc/ho*", "/etc"));
	/* "**" inside a component is two stars, not a tree */
	assert_false(fng_glob_match("/a/x**", "/a/xy/z"));
}

static const char *const policy_text =
	"{\"allowlist\": {\"mode\": \"block\",\n"
	" \"learned\": {\"files\": {\"read\": [\"/usr/lib/**\", \"/etc/ld.so.cache\"], \"write\": [\"/tmp/*\"]},\n"
	"   \"exec\": [\"/usr/bin/true\", {\"path\": \"/usr/bin/echo\", \"build_id\": \"abcd\"}],\n"
	"   \"hosts\": [\"api.example.com:443\", \"*.example.org\"], \"ips\": [\"127.0.0.1:8080\", \"10.0.0.0/8\"],\n"
	"   \"dns\": [\"api.example.com\"],\n"
	"   \"init\": {\"files\": {\"read\": [\"/var/task/**\"]}, \"ips\": [\"192.0.2.1:443\"]}},\n"
	" \"add\": {\"files\": {\"read\": [\"/etc/passwd\"]}, \"exec\": [\"/usr/bin/id\"]},\n"
	" \"remove\": {\"files\": {\"read\": [\"/usr/lib/secret/**\"], \"write\": [\"/tmp/keep\"]},\n"
	"   \"exec\": [\"/usr/bin/true\"], \"ips\": [\"10.9.0.0/16\"], \"hosts\": [\"bad.example.org\"]}}}";

static void decisions(void **state)
{
	struct fng_policy p;
	struct fng_policy_error err;
	uint8_t a[16];
	const uint8_t id[2] = { 0xab, 0xcd }, other[2] = { 0xab, 0xce };
	const struct fng_allowlist *al;

	(void)state;
	assert_int_equal(load(policy_text, &p, &err), 0);
	al = p.allow;
	assert_non_null(al);
	assert_int_equal(p.mode[FNG_RULE_ALLOWLIST], FNG_MODE_BLOCK);
	assert_int_equal(p.mode[FNG_RULE_OUTBOUND], FNG_MODE_ALLOW);
	/* files: learned, write implies read, add, remove wins */
	assert_true(fng_allow_file(al, "/usr/lib/x.so", false, false));
	assert_false(fng_allow_file(al, "/usr/lib/x.so", true, false));
	assert_true(fng_allow_file(al, "/tmp/abc", true, false));
	assert_true(fng_allow_file(al, "/tmp/abc", false, false));
	assert_false(fng_allow_file(al, "/tmp/keep", true, false));
	assert_true(fng_allow_file(al, "/tmp/keep", false, false));
	assert_false(fng_allow_file(al, "/etc/shadow", false, false));
	assert_true(fng_allow_file(al, "/etc/passwd", false, false));
	assert_false(fng_allow_file(al, "/usr/lib/secret/k", false, false));
	/* init-only entries */
	assert_true(fng_allow_file(al, "/var/task/app.py", false, true));
	assert_false(fng_allow_file(al, "/var/task/app.py", false, false));
	/* exec: remove wins over learned; build-id pins */
	assert_false(fng_allow_exec(al, "/usr/bin/true", NULL, 0, true));
	assert_true(fng_allow_exec(al, "/usr/bin/echo", id, 2, false));
	assert_false(fng_allow_exec(al, "/usr/bin/echo", other, 2, false));
	assert_true(fng_allow_exec(al, "/usr/bin/id", NULL, 0, false));
	assert_false(fng_allow_exec(al, "/usr/bin/ls", NULL, 0, true));
	/* network */
	v4("127.0.0.1", a);
	assert_true(fng_allow_net(al, a, 8080, NULL, false));
	assert_false(fng_allow_net(al, a, 8081, NULL, false));
	v4("10.1.2.3", a);
	assert_true(fng_allow_net(al, a, 22, NULL, false));
	v4("10.9.2.3", a);
	assert_false(fng_allow_net(al, a, 22, NULL, false));
	v4("198.51.100.7", a);
	assert_true(fng_allow_net(al, a, 443, "api.example.com", false));
	assert_false(fng_allow_net(al, a, 80, "api.example.com", false));
	assert_true(fng_allow_net(al, a, 80, "x.example.org", false));
	assert_false(fng_allow_net(al, a, 80, "bad.example.org", false));
	assert_false(fng_allow_net(al, a, 80, NULL, false));
	v4("192.0.2.1", a);
	assert_true(fng_allow_net(al, a, 443, NULL, true));
	assert_false(fng_allow_net(al, a, 443, NULL, false));
	fng_policy_free(&p);
}

static void expect_error(const char *text, const char *msg)
{
	struct fng_policy p;
	struct fng_policy_error err;

	assert_int_equal(load(text, &p, &err), -EINVAL);
	assert_string_equal(err.msg, msg);
	assert_null(p.allow);
}

static void load_errors(void **state)
{
	(void)state;
	expect_error("{\"allowlist\": {\"mode\": \"allow\"}}", NAME ":1:24: allowlist: mode: expected \"block\" or \"alert\"");
	expect_error("{\"allowlist\": {\"files\": {\"read\": [\"etc\"]}}}",
		     NAME ":1:35: allowlist: files.read: bad entry \"etc\": expected an absolute path or pattern");
	expect_error("{\"allowlist\": {\n \"learned\": {\"ips\": [\"10.0.0.0/99\"]}}}",
		     NAME ":2:22: allowlist: ips: bad entry \"10.0.0.0/99\": IPv4 prefix length must be 0 to 32");
	expect_error("{\"allowlist\": {\"remove\": {\"init\": {}}}}",
		     NAME ":1:27: allowlist: remove: no \"init\" here: a removal holds in every phase");
	expect_error("{\"allowlist\": {\"learned\": {\"init\": {\"init\": {}}}}}",
		     NAME ":1:37: allowlist: learned: \"init\" inside \"init\"");
	expect_error("{\"allowlist\": {\"exec\": [{\"path\": \"/bin/x\", \"build_id\": \"xyz\"}]}}",
		     NAME ":1:25: allowlist: exec: bad entry \"/bin/x\": a build_id is 2 to 64 hexadecimal digits, an even "
			  "number of them");
	expect_error("{\"allowlist\": {\"hosts\": [\"a b\"]}}",
		     NAME ":1:26: allowlist: hosts: bad entry \"a b\": host names may contain only letters, digits, '-', "
			  "'_' and '.' (a wildcard only as a leading \"*.\")");
	expect_error("{\"allowlist\": {\"learned\": {}, \"files\": {}}}",
		     NAME ":1:31: allowlist: give the learned entries either under \"learned\" or directly, not both");
	expect_error("{\"allowlist\": {\"bogus\": 1}}",
		     NAME ":1:16: allowlist: unknown key \"bogus\" (expected mode, learned, add, remove, or the keys of a "
			  "set: files, exec, hosts, ips, dns, init)");
	expect_error("{\"policy\": {\"allowlist\": \"block\"}}",
		     NAME ":1:13: policy: unknown rule \"allowlist\" (expected outbound_connectivity, read_write_tmp, "
			  "create_child_process or read_handler)");
}

static void component(const char *in, bool tmp, const char *want)
{
	char out[256];
	fng_collapse_component(in, strlen(in), tmp, out, sizeof(out));
	assert_string_equal(out, want);
}

static void collapse_components(void **state)
{
	(void)state;
	component("12345", false, "*");
	component("status", false, "status");
	component("3fa85f64-5717-4562-b3fc-2c963f66afa6", false, "*");
	component("3fa85f64-5717-4562-b3fc-2c963f66afa6.json", false, "*.json");
	component("cache-3fa9c2e1", false, "cache-*");
	component("97bba1c1e5f34d7a9b0c1d2e3f405162738495a6b7c8d9e0f1a2b3c4d5e6f708", false, "*");
	component("97bba1c1e5f34d7a.scope", false, "*.scope");
	component("docker-97bba1c1e5f34d7a.scope", false, "docker-*.scope");
	component("97bba1c1e5f34d7", false, "97bba1c1e5f34d7");
	component("deadbeefcafebabedeadbeef", false, "deadbeefcafebabedeadbeef");
	component("log.1700000000", false, "log.*");
	component("python3.11", false, "python3.11");
	component("libc.so.6", false, "libc.so.6");
	component("tmpab12cd34", true, "tmp*");
	component("tmpab12cd34.txt", true, "tmp*.txt");
	component("fnbase-x1y2z3ab", true, "fnbase-*");
	component("a1b_c2de", true, "*");
	component("short", true, "short");
}

static struct fng_path_item *items(const char *const *paths, size_t n)
{
	struct fng_path_item *v = calloc(n, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		v[i].path = strdup(paths[i]);
		v[i].phases = FNG_SEEN_OTHER;
	}
	return v;
}

static void collapse_paths(void **state)
{
	static const char *const in[] = {
		"/usr/lib/python3.11/json/__init__.py", "/usr/lib/x86_64-linux-gnu/libc.so.6",
		"/opt/py/lib/python3.11/site-packages/requests/api.py", "/opt/py/lib/python3.11/os.py",
		"/srv/app/node_modules/a/index.js", "/proc/4242/status", "/proc/4242/fd", "/tmp/tmpab12cd34",
		"/tmp/tmpzz99yy88", "/etc/hosts", "/etc/ld.so.cache", "/data/d/1.txt", "/data/d/2.txt",
		"/data/d/a", "/data/d/b", "/data/d/c", "/data/d/d", "/data/d/e", "/data/d/f", "/data/d/g",
		"/data/x", "/etc/hosts",
	};
	static const char *const want[] = {
		"/data/d/**", "/data/x", "/etc/hosts", "/etc/ld.so.cache", "/opt/py/lib/python3.11/**",
		"/proc/*/**", "/srv/app/node_modules/**", "/tmp/tmp*", "/usr/lib/**",
	};
	size_t n = sizeof(in) / sizeof(in[0]);
	struct fng_path_item *v = items(in, n);

	(void)state;
	assert_int_equal(fng_collapse_paths(v, &n, FNG_COLLAPSE_THRESHOLD, NULL), 0);
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(v[i].path, want[i]);
		free(v[i].path);
	}
	free(v);
}

/* Eight entries stay, nine collapse; the top level never does. */
static void collapse_threshold(void **state)
{
	static const char *const in[] = { "/a/b/f1", "/a/b/f2", "/a/b/f3", "/a/b/f4", "/a/b/f5", "/a/b/f6", "/a/b/f7",
					  "/a/b/f8", "/etc/a", "/etc/b", "/etc/c", "/etc/d", "/etc/e", "/etc/f",
					  "/etc/g", "/etc/h", "/etc/i" };
	size_t n = sizeof(in) / sizeof(in[0]);
	struct fng_path_item *v = items(in, n);

	(void)state;
	assert_int_equal(fng_collapse_paths(v, &n, FNG_COLLAPSE_THRESHOLD, NULL), 0);
	assert_int_equal(n, 17);
	for (size_t i = 0; i < n; i++)
		free(v[i].path);
	free(v);
	n = 10;
	v = items((const char *const[]){ "/a/b/f1", "/a/b/f2", "/a/b/f3", "/a/b/f4", "/a/b/f5", "/a/b/f6", "/a/b/f7",
					 "/a/b/f8", "/a/b/f9", "/a/c" }, n);
	assert_int_equal(fng_collapse_paths(v, &n, FNG_COLLAPSE_THRESHOLD, NULL), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].path, "/a/b/**");
	assert_string_equal(v[1].path, "/a/c");
	free(v[0].path);
	free(v[1].path);
	free(v);
}

/* Writes: no known trees, a crowded folder becomes folder/'*' (never "**"),
 * and writes where code loads from stay exactly as seen (issue 21: a
 * __pycache__ write widened to all of lib/python3.11). */
static void collapse_writes(void **state)
{
	static const char *const in[] = {
		"/v/lib/python3.11/site-packages/mylib/__pycache__/m.cpython-311.pyc",
		"/v/lib/python3.11/site-packages/mylib/__pycache__/m.cpython-311.pyc.140203",
		"/srv/app/node_modules/a/cache-3fa9c2e1", "/tmp/tmpab12cd34", "/tmp/tmpzz99yy88", "/tmp/tmpq.py",
		"/data/d/1.txt", "/data/d/2.txt", "/data/d/a", "/data/d/b", "/data/d/c", "/data/d/d", "/data/d/e",
		"/data/d/f", "/data/d/g", "/data/d/sub/x", "/data/d/h.so", "/opt/layer/cache-3fa9c2e1",
		"/w/sitecustomize.py", "/w/pp/cache-123456", "/w/pp/cache-654321", "/home/u/.cache/cache-123456",
	};
	static const char *const want[] = {
		"/data/d/*", "/data/d/sub/x", "/home/u/.cache/cache-*", "/opt/layer/cache-3fa9c2e1",
		"/srv/app/node_modules/a/cache-3fa9c2e1",
		"/tmp/tmp*", /* covers the exact /tmp/tmpq.py: /tmp is no code root */
		"/v/lib/python3.11/site-packages/mylib/__pycache__/m.cpython-311.pyc",
		"/v/lib/python3.11/site-packages/mylib/__pycache__/m.cpython-311.pyc.140203",
		"/w/pp/cache-123456", "/w/pp/cache-654321", "/w/sitecustomize.py",
	};
	const char *dirs[] = { "/w/pp", "relative" };
	struct fng_code_roots code = { dirs, 2 };
	size_t n = sizeof(in) / sizeof(in[0]);
	struct fng_path_item *v = items(in, n);

	(void)state;
	assert_int_equal(fng_collapse_paths(v, &n, FNG_COLLAPSE_THRESHOLD, &code), 0);
	for (size_t i = 0; i < n && i < sizeof(want) / sizeof(want[0]); i++)
		assert_string_equal(v[i].path, want[i]);
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n; i++) {
		assert_null(strstr(v[i].path, "**"));
		free(v[i].path);
	}
	free(v);
}

/* A crowded folder holding a root of code below it is not collapsed to
 * folder/'*' for writes: that grant would let the function rename the
 * root's top folder away and put its own there (outside attack session). */
static void collapse_keeps_code_root_parent(void **state)
{
	static const char *const in[] = {
		"/srv/st/1700000001", "/srv/st/1700000002", "/srv/st/1700000003", "/srv/st/1700000004",
		"/srv/st/1700000005", "/srv/st/1700000006", "/srv/st/1700000007", "/srv/st/1700000008",
		"/srv/st/1700000009", "/srv/st/1700000010",
	};
	const char *dirs[] = { "/srv/st/lib" }, *none[] = { "/elsewhere" };
	struct fng_code_roots code = { dirs, 1 }, other = { none, 1 };
	size_t n = sizeof(in) / sizeof(in[0]);
	struct fng_path_item *v = items(in, n);

	(void)state;
	assert_int_equal(fng_collapse_paths(v, &n, FNG_COLLAPSE_THRESHOLD, &code), 0);
	assert_int_equal(n, sizeof(in) / sizeof(in[0])); /* exact, as recorded */
	for (size_t i = 0; i < n; i++)
		free(v[i].path);
	free(v);
	n = sizeof(in) / sizeof(in[0]);
	v = items(in, n);
	assert_int_equal(fng_collapse_paths(v, &n, FNG_COLLAPSE_THRESHOLD, &other), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].path, "/srv/st/*");
	free(v[0].path);
	free(v);
}

static const struct {
	const char *path;
	bool code;
} code_rows[] = {
	{ "/v/lib/python3.11/site-packages/x.pth", true }, { "/v/lib/python3.11/os.py", true },
	{ "/v/lib/python3.11/foo", true }, { "/v/lib64/python3.9/foo", true }, { "/v/python3.11/foo", false },
	{ "/usr/local/lib/node_modules/x/y", true }, { "/a/node_modules/x", true }, { "/opt/ext/bin", true },
	{ "/var/task/app.json", true }, { "/w/pp/data", true }, { "/w/ppx/data", false },
	{ "/tmp/x.so", true }, { "/tmp/libz.so.1.2", true }, { "/tmp/x.js", true }, { "/tmp/x.mjs", true },
	{ "/tmp/sitecustomize", true }, { "/tmp/usercustomize.pyc", true }, { "/tmp/x.json", false },
	{ "/tmp/out.txt", false }, { "/tmp/pyc", false }, { "/etc/ld.so.preload", true }, { "/tmp/a/__pycache__/z", true },
	{ "/lib/x", true }, { "/libx", false }, { "/optx/a", false },
};

static void code_places(void **state)
{
	const char *dirs[] = { "/w/pp" };
	struct fng_code_roots code = { dirs, 1 };

	(void)state;
	for (size_t i = 0; i < sizeof(code_rows) / sizeof(code_rows[0]); i++)
		if (fng_collapse_code_place(code_rows[i].path, &code) != code_rows[i].code)
			fail_msg("%s: want %d", code_rows[i].path, code_rows[i].code);
}

/* A recorded name holding '*' or '?' is no pattern: a file named with two
 * stars must not become the tree, a program named '*' every one there. */
static void recorder_metachars(void **state)
{
	struct fng_recorder *r;
	struct fng_allowlist *a;

	(void)state;
	assert_int_equal(fng_recorder_new(&r), 0);
	assert_int_equal(fng_recorder_add(r, FNG_AL_WRITE, "/data/**", FNG_FN_PHASE_INVOKE, NULL, 0), 0);
	assert_int_equal(fng_recorder_add(r, FNG_AL_READ, "/etc/x*", FNG_FN_PHASE_INVOKE, NULL, 0), 0);
	assert_int_equal(fng_recorder_add(r, FNG_AL_EXEC, "/srv/*", FNG_FN_PHASE_INVOKE, NULL, 0), 0);
	assert_int_equal(fng_recorder_build(r, FNG_MODE_BLOCK, NULL, &a), 0);
	assert_string_equal(a->learned.k[FNG_AL_WRITE].v[0].text, "/data/??");
	assert_string_equal(a->learned.k[FNG_AL_READ].v[0].text, "/etc/x?");
	assert_string_equal(a->learned.k[FNG_AL_EXEC].v[0].text, "/srv/?");
	assert_false(fng_allow_file(a, "/data/sub/file", true, false));
	assert_true(fng_allow_file(a, "/data/**", true, false));
	assert_false(fng_allow_exec(a, "/srv/evil", NULL, 0, false));
	fng_allowlist_free(a);
	fng_recorder_free(r);
}

static struct fng_allowlist *record_sample(void)
{
	struct fng_recorder *r;
	struct fng_allowlist *a;
	const uint8_t id[3] = { 1, 2, 3 };

	assert_int_equal(fng_recorder_new(&r), 0);
	for (int i = 0; i < 500; i++) {
		char p[64];
		snprintf(p, sizeof(p), "/usr/lib/python3.11/m%d.py", i);
		assert_int_equal(fng_recorder_add(r, FNG_AL_READ, p, FNG_FN_PHASE_INIT, NULL, 0), 0);
	}
	assert_int_equal(fng_recorder_add(r, FNG_AL_READ, "/var/task/app.py", FNG_FN_PHASE_INIT, NULL, 0), 0);
	assert_int_equal(fng_recorder_add(r, FNG_AL_READ, "/etc/hosts", FNG_FN_PHASE_INVOKE, NULL, 0), 0);
	assert_int_equal(fng_recorder_add(r, FNG_AL_READ, "/tmp/tmpab12cd34", FNG_FN_PHASE_INVOKE, NULL, 0), 0);
	assert_int_equal(fng_recorder_add(r, FNG_AL_WRITE, "/tmp/tmpab12cd34", FNG_FN_PHASE_INVOKE, NULL, 0), 0);
	assert_int_equal(fng_recorder_add(r, FNG_AL_EXEC, "/usr/bin/true", FNG_FN_PHASE_INVOKE, id, 3), 0);
	assert_int_equal(fng_recorder_add(r, FNG_AL_EXEC, "/usr/bin/true", FNG_FN_PHASE_INVOKE, id, 3), 0);
	assert_int_equal(fng_recorder_add(r, FNG_AL_IP, "127.0.0.1:8080", FNG_FN_PHASE_INVOKE, NULL, 0), 0);
	assert_int_equal(fng_recorder_add(r, FNG_AL_HOST, "api.example.com:443", FNG_FN_PHASE_INIT, NULL, 0), 0);
	assert_int_equal(fng_recorder_add(r, FNG_AL_DNS, "api.example.com", FNG_FN_PHASE_INIT, NULL, 0), 0);
	assert_int_equal(fng_recorder_count(r), 508); /* the exec twice is one */
	assert_int_equal(fng_recorder_build(r, FNG_MODE_BLOCK, NULL, &a), 0);
	fng_recorder_free(r);
	return a;
}

static void recorder_round_trip(void **state)
{
	struct fng_allowlist *a = record_sample();
	struct fng_policy p;
	struct fng_policy_error err;
	char *text = NULL;
	const uint8_t id[3] = { 1, 2, 3 };

	(void)state;
	/* usr/lib tree, app.py (init), hosts; tmp write covers the read */
	assert_int_equal(a->learned.k[FNG_AL_READ].n, 3);
	assert_int_equal(a->learned.k[FNG_AL_WRITE].n, 1);
	assert_string_equal(a->learned.k[FNG_AL_WRITE].v[0].text, "/tmp/tmp*");
	assert_int_equal(fng_allowlist_entries(a), 8);
	assert_int_equal(fng_profile_format(a, &text), 0);
	assert_non_null(strstr(text, "\"init\""));
	assert_non_null(strstr(text, "\"build_id\": \"010203\""));
	assert_int_equal(load(text, &p, &err), 0);
	assert_int_equal(fng_allowlist_entries(p.allow), 8);
	assert_true(fng_allow_file(p.allow, "/usr/lib/python3.11/m7.py", false, true));
	assert_false(fng_allow_file(p.allow, "/usr/lib/python3.11/m7.py", false, false)); /* init only */
	assert_true(fng_allow_file(p.allow, "/var/task/app.py", false, true));
	assert_false(fng_allow_file(p.allow, "/var/task/app.py", false, false));
	assert_true(fng_allow_file(p.allow, "/tmp/tmpxyzxyz12", true, false));
	assert_true(fng_allow_exec(p.allow, "/usr/bin/true", id, 3, false));
	assert_int_equal(p.mode[FNG_RULE_TMP], FNG_MODE_ALLOW);
	fng_policy_free(&p);
	free(text);
	fng_allowlist_free(a);
}

struct lines {
	char buf[4096];
	size_t n;
};

static void collect(void *arg, const char *line)
{
	struct lines *l = arg;
	strcat(l->buf, line);
	strcat(l->buf, "\n");
	l->n++;
}

static void merge_and_diff(void **state)
{
	struct fng_policy old_p, new_p;
	struct fng_policy_error err;
	struct lines l = { .n = 0 };

	(void)state;
	assert_int_equal(load("{\"allowlist\": {\"files\": {\"read\": [\"/usr/lib/**\", \"/etc/hosts\"]},"
			      " \"ips\": [\"127.0.0.1:80\"], \"init\": {\"exec\": [\"/bin/x\"]},"
			      " \"remove\": {\"files\": {\"read\": [\"/etc/shadow\"]}}}}",
			      &old_p, &err), 0);
	assert_int_equal(load("{\"allowlist\": {\"mode\": \"alert\", \"files\": {\"read\": [\"/usr/lib/x/y.so\", \"/etc/passwd\"],"
			      " \"write\": [\"/etc/hosts\"]}, \"ips\": [\"127.0.0.1:80\", \"127.0.0.1:81\"],"
			      " \"exec\": [\"/bin/x\"]}}",
			      &new_p, &err), 0);
	/* same as itself: nothing new */
	assert_int_equal(fng_allowlist_diff(old_p.allow, old_p.allow, collect, &l), 0);
	assert_int_equal(fng_allowlist_diff(old_p.allow, new_p.allow, collect, &l), 5);
	assert_string_equal(l.buf, "~ mode alert (was block)\n"
				   "+ files.read /etc/passwd\n"
				   "+ files.write /etc/hosts\n"
				   "+ exec /bin/x\n"
				   "+ ips 127.0.0.1:81\n");
	/* the union covers both: no growth against it */
	assert_int_equal(fng_allowlist_merge(old_p.allow, new_p.allow), 0);
	memset(&l, 0, sizeof(l));
	assert_int_equal(fng_allowlist_diff(old_p.allow, new_p.allow, collect, &l), 0);
	assert_true(fng_allow_exec(old_p.allow, "/bin/x", NULL, 0, false));
	assert_false(fng_allow_file(old_p.allow, "/etc/shadow", false, true));
	/* a removal dropped where the new profile grants the file: growth */
	fng_policy_free(&new_p);
	assert_int_equal(load("{\"allowlist\": {\"files\": {\"read\": [\"/etc/**\"]}}}", &new_p, &err), 0);
	memset(&l, 0, sizeof(l));
	assert_int_equal(fng_allowlist_diff(old_p.allow, new_p.allow, collect, &l), 2);
	assert_string_equal(l.buf, "+ files.read /etc/**\n+ unremoved files.read /etc/shadow\n");
	fng_policy_free(&old_p);
	fng_policy_free(&new_p);
}

/* An allowlist event: policy "allowlist"; function.phase from fn_phase. */
static void event_format(void **state)
{
	struct fng_event *ev = calloc(1, sizeof(*ev));
	struct fng_function_info fi = { 0 };
	char *out = NULL;
	size_t len = 0;

	(void)state;
	ev->type = FNG_EV_FILE;
	strcpy(ev->rule, fng_rule_name(FNG_RULE_ALLOWLIST));
	strcpy(ev->mode, fng_mode_name(FNG_MODE_BLOCK));
	ev->action = FNG_ACT_BLOCKED;
	ev->fn_phase = FNG_FN_PHASE_INVOKE;
	strcpy(ev->path, "/etc/shadow");
	assert_int_equal(fng_format_event(ev, &fi, &out, &len), 0);
	assert_non_null(strstr(out, "\"policy\":\"allowlist\",\"mode\":\"block\""));
	assert_non_null(strstr(out, "\"function\":{\"phase\":\"invoke\"}"));
	free(out);
	ev->fn_phase = FNG_FN_PHASE_NONE;
	assert_int_equal(fng_format_event(ev, &fi, &out, &len), 0);
	assert_null(strstr(out, "\"function\""));
	free(out);
	free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(glob_cases),
		cmocka_unit_test(decisions),
		cmocka_unit_test(load_errors),
		cmocka_unit_test(collapse_components),
		cmocka_unit_test(collapse_paths),
		cmocka_unit_test(collapse_threshold),
		cmocka_unit_test(collapse_writes),
		cmocka_unit_test(code_places),
		cmocka_unit_test(collapse_keeps_code_root_parent),
		cmocka_unit_test(recorder_round_trip),
		cmocka_unit_test(recorder_metachars),
		cmocka_unit_test(merge_and_diff),
		cmocka_unit_test(event_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
