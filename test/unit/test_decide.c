/* Unit tests for the decisions (policy/decide.c), minijail-style: tables of
 * facts, phase and policy in, the verdict expected out, for every rule
 * family (outbound_connectivity, read_write_tmp, read_handler,
 * create_child_process, the allowlist), every mode, and the phases. */
#if defined(__aarch64__)
#define FNG_TEST_LOADER "/lib/ld-linux-aarch64.so.1"
#else
#define FNG_TEST_LOADER "/lib64/ld-linux-x86-64.so.2"
#endif
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "policy/decide.h"

/* Policies the rows are decided against. */
enum pol {
	P_NONE,		/* {}: every rule allow */
	P_BLOCK,	/* the four, block */
	P_ALERT,	/* the four, alert */
	P_NET,		/* outbound block with exceptions by IP, CIDR, host, port */
	P_LOOP,		/* outbound alert, loopback judged, one loopback exception */
	P_EXEC,		/* create_child_process block, exceptions by path and build-id */
	P_PHASED,	/* child block in invoke only, tmp alert in init only */
	P_ALLOW,	/* an allowlist (block) with init-only entries */
	P_MIXED,	/* tmp block beside an allowlist in alert */
	P_COUNT,
};

static const char *const policy_text[P_COUNT] = {
	[P_NONE] = "{}",
	[P_BLOCK] = "{\"outbound_connectivity\": \"block\", \"read_write_tmp\": \"block\","
		    " \"create_child_process\": \"block\", \"read_handler\": \"block\"}",
	[P_ALERT] = "{\"outbound_connectivity\": \"alert\", \"read_write_tmp\": \"alert\","
		    " \"create_child_process\": \"alert\", \"read_handler\": \"alert\"}",
	[P_NET] = "{\"outbound_connectivity\": {\"action\": \"block\", \"exceptions\": [\"192.0.2.7\", \"10.0.0.0/8\","
		  " \"198.51.100.1:443\", \"api.example.com\", \"*.example.org:8443\"]}}",
	[P_LOOP] = "{\"outbound_connectivity\": {\"action\": \"alert\", \"loopback\": \"judge\","
		   " \"exceptions\": [\"127.0.0.1:5432\"]}}",
	[P_EXEC] = "{\"create_child_process\": {\"action\": \"block\", \"exceptions\": [\"/usr/bin/git\","
		   " \"build-id:abcd\"]}, \"read_write_tmp\": \"alert\"}",
	[P_PHASED] = "{\"create_child_process\": \"block\", \"read_write_tmp\": \"alert\","
		     " \"lambda\": {\"phases\": {\"create_child_process\": \"invoke\", \"read_write_tmp\": \"init\"}}}",
	[P_ALLOW] = "{\"allowlist\": {\"mode\": \"block\","
		    " \"files\": {\"read\": [\"/usr/lib/**\"], \"write\": [\"/tmp/*\"]},"
		    " \"exec\": [\"/usr/bin/true\", {\"path\": \"/usr/bin/echo\", \"build_id\": \"abcd\"}],"
		    " \"hosts\": [\"api.example.com:443\"], \"ips\": [\"10.0.0.0/8\"],"
		    " \"init\": {\"files\": {\"read\": [\"/var/task/**\"]}, \"ips\": [\"192.0.2.1:443\"],"
		    " \"exec\": [\"/bin/sh\"]}}}",
	[P_MIXED] = "{\"read_write_tmp\": \"block\", \"outbound_connectivity\": \"alert\","
		    " \"allowlist\": {\"mode\": \"alert\", \"files\": {\"read\": [\"/etc/**\"]}, \"ips\": [\"10.0.0.0/8\"]}}",
};

static struct fng_policy policies[P_COUNT];

/* The phases: no Runtime API (the init policy, for good), init, invoke. */
enum ph { PH_NONE, PH_INIT, PH_INVOKE };

static struct fng_decide_ctx ctx_of(enum pol pol, enum ph ph, struct fng_policy *scratch)
{
	fng_policy_for_phase(&policies[pol], ph == PH_INVOKE ? FNG_PHASE_INVOKE : FNG_PHASE_INIT, scratch);
	return (struct fng_decide_ctx){ .policy = scratch, .init_done = ph == PH_INVOKE };
}

#define NONE FNG_RULE_NONE
#define OUT FNG_RULE_OUTBOUND
#define TMP FNG_RULE_TMP
#define CHILD FNG_RULE_CHILD
#define HANDLER FNG_RULE_HANDLER
#define LIST FNG_RULE_ALLOWLIST
#define ALLOW FNG_MODE_ALLOW
#define ALERT FNG_MODE_ALERT
#define BLOCK FNG_MODE_BLOCK

/* What is expected: the rule (NONE: nothing to say), its mode, and a
 * reason ("" for none, NULL for do not care). */
#define R_TMP "a file in the temp root"
#define R_CHILD "runs another program after the runtime's launch"
#define R_OUT "a destination outside: not loopback, the Runtime API or an exception"
struct want {
	enum fng_rule rule;
	enum fng_mode mode;
	const char *reason;
};

static void check(const char *name, const struct fng_decision *v, const struct want *w)
{
	if (v->rule != w->rule || (w->rule != NONE && v->mode != w->mode) ||
	    (w->reason && strcmp(v->reason, w->reason) != 0)) {
		fprintf(stderr, "row \"%s\": got rule %d mode %d reason \"%s\", want rule %d mode %d reason \"%s\"\n",
			name, v->rule, v->mode, v->reason, w->rule, w->mode, w->reason ? w->reason : "(any)");
		fail();
	}
}

static int setup(void **state)
{
	struct fng_policy_error err;

	(void)state;
	for (int i = 0; i < P_COUNT; i++)
		if (fng_policy_load_buffer("t.json", policy_text[i], strlen(policy_text[i]), &policies[i], &err) < 0) {
			fprintf(stderr, "policy %d: %s\n", i, err.msg);
			return -1;
		}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < P_COUNT; i++)
		fng_policy_free(&policies[i]);
	return 0;
}

/* ---- files: read_write_tmp, read_handler, the allowlist ---- */

struct file_row {
	const char *name;
	enum pol pol;
	enum ph ph;
	struct fng_file_facts f;
	struct want w;
};

static const struct file_row file_rows[] = {
	{ "no rules: a temp file", P_NONE, PH_NONE, { .path = "/tmp/x", .in_tmp = true }, { NONE, ALLOW, "" } },
	{ "tmp block", P_BLOCK, PH_NONE, { .path = "/tmp/x", .in_tmp = true }, { TMP, BLOCK, R_TMP } },
	{ "tmp alert", P_ALERT, PH_NONE, { .path = "/tmp/x", .in_tmp = true, .write = true }, { TMP, ALERT, R_TMP } },
	{ "tmp block: outside the temp root", P_BLOCK, PH_INVOKE, { .path = "/etc/passwd" }, { NONE, ALLOW, "" } },
	{ "handler before init ends: not armed", P_BLOCK, PH_INIT, { .path = "/var/task/app.py", .handler = true },
	  { NONE, ALLOW, "" } },
	{ "handler without Runtime API: never armed", P_BLOCK, PH_NONE,
	  { .path = "/var/task/app.py", .handler = true }, { NONE, ALLOW, "" } },
	{ "handler block once invoking", P_BLOCK, PH_INVOKE, { .path = "/var/task/app.py", .handler = true },
	  { HANDLER, BLOCK, "the function's own code" } },
	{ "handler alert once invoking", P_ALERT, PH_INVOKE, { .path = "/var/task/app.py", .handler = true },
	  { HANDLER, ALERT, "the function's own code" } },
	{ "handler rule allow", P_NONE, PH_INVOKE, { .path = "/var/task/app.py", .handler = true },
	  { NONE, ALLOW, "" } },
	{ "tmp and handler block: the first stands, the handler says why", P_BLOCK, PH_INVOKE,
	  { .path = "/tmp/app.py", .in_tmp = true, .handler = true }, { TMP, BLOCK, "the function's own code" } },
	{ "phased tmp: applies in init", P_PHASED, PH_INIT, { .path = "/tmp/x", .in_tmp = true }, { TMP, ALERT, R_TMP } },
	{ "phased tmp: allow in invoke", P_PHASED, PH_INVOKE, { .path = "/tmp/x", .in_tmp = true },
	  { NONE, ALLOW, "" } },
	{ "allowlist: read listed", P_ALLOW, PH_INVOKE, { .path = "/usr/lib/libc.so" }, { NONE, ALLOW, "" } },
	{ "allowlist: write of a read entry", P_ALLOW, PH_INVOKE, { .path = "/usr/lib/libc.so", .write = true },
	  { LIST, BLOCK, "not in the allowlist (files.write)" } },
	{ "allowlist: write listed", P_ALLOW, PH_INVOKE, { .path = "/tmp/a", .write = true }, { NONE, ALLOW, "" } },
	{ "allowlist: unlisted read", P_ALLOW, PH_INVOKE, { .path = "/etc/shadow" },
	  { LIST, BLOCK, "not in the allowlist (files.read)" } },
	{ "allowlist: second path named", P_ALLOW, PH_INVOKE, { .path = "/etc/x", .write = true, .named = true },
	  { LIST, BLOCK, "/etc/x is not in the allowlist (files.write)" } },
	{ "allowlist: init-only entry during init", P_ALLOW, PH_INIT, { .path = "/var/task/app.py" },
	  { NONE, ALLOW, "" } },
	{ "allowlist: init-only entry without Runtime API", P_ALLOW, PH_NONE, { .path = "/var/task/app.py" },
	  { NONE, ALLOW, "" } },
	{ "allowlist: init-only entry once invoking", P_ALLOW, PH_INVOKE, { .path = "/var/task/app.py" },
	  { LIST, BLOCK, "not in the allowlist (files.read)" } },
	{ "allowlist: opened, deleted file cut", P_ALLOW, PH_INVOKE,
	  { .path = "/tmp/a (deleted)", .write = true, .opened = true }, { NONE, ALLOW, "" } },
	{ "allowlist: opened, deleted unlisted file named", P_ALLOW, PH_INVOKE,
	  { .path = "/etc/b (deleted)", .opened = true }, { LIST, BLOCK, "/etc/b is not in the allowlist (files.read)" } },
	{ "allowlist alert under tmp block: block stands", P_MIXED, PH_NONE, { .path = "/tmp/x", .in_tmp = true },
	  { TMP, BLOCK, R_TMP } },
	{ "allowlist alert alone", P_MIXED, PH_NONE, { .path = "/home/x" },
	  { LIST, ALERT, "not in the allowlist (files.read)" } },
	{ "allowlist alert: listed", P_MIXED, PH_NONE, { .path = "/etc/hosts" }, { NONE, ALLOW, "" } },
};

static void file_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(file_rows) / sizeof(file_rows[0]); i++) {
		const struct file_row *r = &file_rows[i];
		struct fng_policy scratch;
		struct fng_decide_ctx c = ctx_of(r->pol, r->ph, &scratch);
		struct fng_decision v = { .rule = NONE };

		fng_decide_file(&c, &r->f, &v);
		check(r->name, &v, &r->w);
	}
}

/* ---- exec: create_child_process, read_write_tmp, the allowlist ---- */

static const struct fng_exec_allow exec_allow[] = {
	{ .path = "/usr/bin/git", .real = "/usr/lib/git-core/git", .obj = { 1, 100 }, .have_obj = true },
};

struct exec_row {
	const char *name;
	enum pol pol;
	enum ph ph;
	const char *path;	/* resolved */
	bool resolved, in_tmp;
	const char *elf;	/* the ELF that runs it (NULL: the program) */
	uint8_t bid_len, bid[2];
	unsigned prog_ino, elf_ino;	/* on device 1; 0: no such file */
	struct want w;
	bool excepted;
	const char *interp;	/* the ELF's PT_INTERP (NULL: none) */
};

static const struct exec_row exec_rows[] = {
	{ "child rule allow", P_NONE, PH_NONE, "/bin/ls", true, false, NULL, 0, {0}, 5, 5, { NONE, ALLOW, "" }, false, NULL },
	{ "child block", P_BLOCK, PH_NONE, "/bin/ls", true, false, NULL, 0, {0}, 5, 5, { CHILD, BLOCK, R_CHILD }, false, NULL },
	{ "child alert", P_ALERT, PH_INVOKE, "/bin/ls", true, false, NULL, 0, {0}, 5, 5, { CHILD, ALERT, R_CHILD }, false, NULL },
	{ "child block, program in tmp: tmp says why", P_BLOCK, PH_NONE, "/tmp/evil", true, true, NULL, 0, {0}, 6, 6,
	  { CHILD, BLOCK, "program lives in the temp root" }, false, NULL },
	{ "tmp alert alone on a temp program", P_PHASED, PH_INIT, "/tmp/evil", true, true, NULL, 0, {0}, 6, 6,
	  { TMP, ALERT, "program lives in the temp root" }, false, NULL },
	{ "unresolved temp path: no tmp finding", P_PHASED, PH_INIT, "/tmp/nothere", false, true, NULL, 0, {0}, 0, 0,
	  { NONE, ALLOW, "" }, false, NULL },
	{ "phased child: allow in init", P_PHASED, PH_INIT, "/bin/ls", true, false, NULL, 0, {0}, 5, 5,
	  { NONE, ALLOW, "" }, false, NULL },
	{ "phased child: block in invoke", P_PHASED, PH_INVOKE, "/bin/ls", true, false, NULL, 0, {0}, 5, 5,
	  { CHILD, BLOCK, R_CHILD }, false, NULL },
	{ "exception by path", P_EXEC, PH_NONE, "/usr/bin/git", true, false, NULL, 0, {0}, 7, 7,
	  { NONE, ALLOW, "" }, true, NULL },
	{ "exception by canonical path", P_EXEC, PH_NONE, "/usr/lib/git-core/git", true, false, NULL, 0, {0}, 7, 7,
	  { NONE, ALLOW, "" }, true, NULL },
	{ "exception by object (a hard link)", P_EXEC, PH_NONE, "/opt/g", true, false, NULL, 0, {0}, 100, 100,
	  { NONE, ALLOW, "" }, true, NULL },
	{ "exception by build-id", P_EXEC, PH_NONE, "/opt/tool", true, false, NULL, 2, { 0xab, 0xcd }, 8, 8,
	  { NONE, ALLOW, "" }, true, NULL },
	{ "other build-id: refused", P_EXEC, PH_NONE, "/opt/tool", true, false, NULL, 2, { 0xab, 0xce }, 8, 8,
	  { CHILD, BLOCK, R_CHILD }, false, NULL },
	{ "build-id, the system's loader", P_EXEC, PH_NONE, "/opt/tool", true, false, NULL, 2, { 0xab, 0xcd }, 8, 8,
	  { NONE, ALLOW, "" }, true, FNG_TEST_LOADER },
	{ "build-id, another interpreter: refused", P_EXEC, PH_NONE, "/opt/tool", true, false, NULL, 2, { 0xab, 0xcd },
	  8, 8, { CHILD, BLOCK, R_CHILD }, false, "/work/attack2/evil_ld______" },
	{ "script run by an excepted interpreter", P_EXEC, PH_NONE, "/var/task/run.sh", true, false, "/usr/bin/git", 0,
	  {0}, 9, 10, { NONE, ALLOW, "" }, true, NULL },
	{ "exception, but unresolved: refused", P_EXEC, PH_NONE, "/usr/bin/git", false, false, NULL, 0, {0}, 7, 7,
	  { CHILD, BLOCK, R_CHILD }, false, NULL },
	{ "exception in tmp: excepted, tmp alerts", P_EXEC, PH_NONE, "/usr/bin/git", true, true, NULL, 0, {0}, 7, 7,
	  { TMP, ALERT, "program lives in the temp root" }, true, NULL },
	{ "allowlist: listed program", P_ALLOW, PH_INVOKE, "/usr/bin/true", true, false, NULL, 0, {0}, 5, 5,
	  { NONE, ALLOW, "" }, false, NULL },
	{ "allowlist: unlisted program", P_ALLOW, PH_INVOKE, "/bin/ls", true, false, NULL, 0, {0}, 5, 5,
	  { LIST, BLOCK, "not in the allowlist (exec)" }, false, NULL },
	{ "allowlist: pinned build-id matches", P_ALLOW, PH_INVOKE, "/usr/bin/echo", true, false, NULL, 2,
	  { 0xab, 0xcd }, 5, 5, { NONE, ALLOW, "" }, false, NULL },
	{ "allowlist: pinned build-id differs", P_ALLOW, PH_INVOKE, "/usr/bin/echo", true, false, NULL, 2,
	  { 0xab, 0xce }, 5, 5, { LIST, BLOCK, "not in the allowlist (exec)" }, false, NULL },
	{ "allowlist: init-only program during init", P_ALLOW, PH_INIT, "/bin/sh", true, false, NULL, 0, {0}, 5, 5,
	  { NONE, ALLOW, "" }, false, NULL },
	{ "allowlist: init-only program once invoking", P_ALLOW, PH_INVOKE, "/bin/sh", true, false, NULL, 0, {0}, 5,
	  5, { LIST, BLOCK, "not in the allowlist (exec)" }, false, NULL },
};

static void exec_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(exec_rows) / sizeof(exec_rows[0]); i++) {
		const struct exec_row *r = &exec_rows[i];
		struct fng_policy scratch;
		struct fng_decide_ctx c = ctx_of(r->pol, r->ph, &scratch);
		struct fng_decision v = { .rule = NONE };
		struct fng_exec_target x = { .have_prog = r->prog_ino != 0, .have_elf = r->elf_ino != 0,
					     .script = r->elf != NULL };
		struct fng_exec_facts f = { .path = r->path, .resolved = r->resolved, .in_tmp = r->in_tmp,
					    .allow = exec_allow, .n_allow = 1 };
		bool excepted;

		snprintf(x.path, sizeof(x.path), "%s", r->path);
		snprintf(x.image.path, sizeof(x.image.path), "%s", r->elf ? r->elf : r->path);
		x.prog = (struct fng_object){ 1, r->prog_ino };
		x.elf = (struct fng_object){ 1, r->elf_ino };
		x.image.build_id_len = r->bid_len;
		memcpy(x.image.build_id, r->bid, r->bid_len);
		snprintf(x.image.interp, sizeof(x.image.interp), "%s", r->interp ? r->interp : "");
		f.target = fng_decide_exec_needs_target(c.policy) ? &x : NULL;
		fng_decide_exec(&c, &f, &v, &excepted);
		check(r->name, &v, &r->w);
		if (excepted != r->excepted) {
			fprintf(stderr, "row \"%s\": excepted %d, want %d\n", r->name, excepted, r->excepted);
			fail();
		}
	}
}

/* ---- network: outbound_connectivity, the allowlist ---- */

struct net_row {
	const char *name;
	enum pol pol;
	enum ph ph;
	const char *ip;
	uint16_t port;
	const char *host;	/* the name the function's lookups gave it */
	bool runtime_api, real_api, resolver, names_complete;
	bool ask;		/* the decision asks for fnguard's own lookup first */
	struct want w;
	bool offends;
};

static const struct net_row net_rows[] = {
	{ "outbound allow", P_NONE, PH_NONE, "203.0.113.5", 443, NULL, false, false, false, false, false,
	  { NONE, ALLOW, "" }, false },
	{ "outbound block", P_BLOCK, PH_NONE, "203.0.113.5", 443, NULL, false, false, false, false, false,
	  { OUT, BLOCK, R_OUT }, true },
	{ "outbound alert", P_ALERT, PH_INVOKE, "203.0.113.5", 443, NULL, false, false, false, false, false,
	  { OUT, ALERT, R_OUT }, true },
	{ "loopback exempt", P_BLOCK, PH_NONE, "127.0.0.1", 80, NULL, false, false, false, false, false,
	  { NONE, ALLOW, "" }, false },
	{ "::1 exempt", P_BLOCK, PH_NONE, "::1", 80, NULL, false, false, false, false, false, { NONE, ALLOW, "" },
	  false },
	{ "0.0.0.0 reaches the local host", P_BLOCK, PH_NONE, "0.0.0.0", 80, NULL, false, false, false, false, false,
	  { NONE, ALLOW, "" }, false },
	{ "loopback judged", P_LOOP, PH_NONE, "127.0.0.1", 80, NULL, false, false, false, false, false,
	  { OUT, ALERT, R_OUT }, true },
	{ "loopback judged: exception by address and port", P_LOOP, PH_NONE, "127.0.0.1", 5432, NULL, false, false,
	  false, false, false, { NONE, ALLOW, "" }, false },
	{ "Runtime API always reachable", P_BLOCK, PH_INIT, "169.254.100.1", 9001, NULL, true, false, false, false,
	  false, { NONE, ALLOW, "" }, false },
	{ "real Runtime API past the proxy", P_BLOCK, PH_INIT, "169.254.100.1", 9001, NULL, false, true, false, false,
	  false, { OUT, BLOCK, R_OUT }, true },
	{ "lookup to a trusted resolver", P_BLOCK, PH_NONE, "10.0.0.2", 53, NULL, false, false, true, false, false,
	  { NONE, ALLOW, "" }, false },
	{ "a trusted resolver on another port", P_BLOCK, PH_NONE, "198.51.100.53", 80, NULL, false, false, true, false,
	  false, { OUT, BLOCK, R_OUT }, true },
	{ "exception by IP", P_NET, PH_NONE, "192.0.2.7", 80, NULL, false, false, false, false, false,
	  { NONE, ALLOW, "" }, false },
	{ "exception by CIDR", P_NET, PH_NONE, "10.20.30.40", 22, NULL, false, false, false, false, false,
	  { NONE, ALLOW, "" }, false },
	{ "exception by IP and port", P_NET, PH_NONE, "198.51.100.1", 443, NULL, false, false, false, false, false,
	  { NONE, ALLOW, "" }, false },
	{ "exception by IP, other port", P_NET, PH_NONE, "198.51.100.1", 80, "x.invalid", false, false, false, true,
	  false, { OUT, BLOCK, R_OUT }, true },
	{ "exception by host", P_NET, PH_NONE, "203.0.113.9", 443, "api.example.com", false, false, false, false,
	  false, { NONE, ALLOW, "" }, false },
	{ "exception by wildcard host and port", P_NET, PH_NONE, "203.0.113.9", 8443, "a.example.org", false, false,
	  false, false, false, { NONE, ALLOW, "" }, false },
	{ "wildcard host, other port", P_NET, PH_NONE, "203.0.113.9", 443, "a.example.org", false, false, false, true,
	  false, { OUT, BLOCK, R_OUT }, true },
	{ "wildcard is not the bare domain", P_NET, PH_NONE, "203.0.113.9", 8443, "example.org", false, false, false,
	  true, false, { OUT, BLOCK, R_OUT }, true },
	{ "unnamed address: ask for exact names", P_NET, PH_NONE, "203.0.113.9", 443, NULL, false, false, false, false,
	  true, { NONE, ALLOW, "" }, false },
	{ "unnamed after asking: refused", P_NET, PH_NONE, "203.0.113.9", 443, NULL, false, false, false, true, false,
	  { OUT, BLOCK, R_OUT }, true },
	{ "allowlist: listed CIDR", P_ALLOW, PH_INVOKE, "10.1.2.3", 22, NULL, false, false, false, false, false,
	  { NONE, ALLOW, "" }, false },
	{ "allowlist: listed host and port", P_ALLOW, PH_INVOKE, "203.0.113.9", 443, "api.example.com", false, false,
	  false, false, false, { NONE, ALLOW, "" }, false },
	{ "allowlist: unlisted", P_ALLOW, PH_INVOKE, "203.0.113.9", 80, "api.example.com", false, false, false, false,
	  false, { LIST, BLOCK, "not in the allowlist (hosts, ips)" }, true },
	{ "allowlist judges loopback", P_ALLOW, PH_INVOKE, "127.0.0.1", 80, NULL, false, false, false, false, false,
	  { LIST, BLOCK, "not in the allowlist (hosts, ips)" }, true },
	{ "allowlist: not the Runtime API", P_ALLOW, PH_INVOKE, "169.254.100.1", 9001, NULL, true, false, false, false,
	  false, { NONE, ALLOW, "" }, false },
	{ "allowlist: not a lookup to a trusted resolver", P_ALLOW, PH_INVOKE, "10.0.0.2", 53, NULL, false, false,
	  true, false, false, { NONE, ALLOW, "" }, false },
	{ "allowlist: init-only address during init", P_ALLOW, PH_INIT, "192.0.2.1", 443, NULL, false, false, false,
	  false, false, { NONE, ALLOW, "" }, false },
	{ "allowlist: init-only address once invoking", P_ALLOW, PH_INVOKE, "192.0.2.1", 443, NULL, false, false,
	  false, false, false, { LIST, BLOCK, "not in the allowlist (hosts, ips)" }, true },
	{ "outbound alert, allowlist alert on a listed address", P_MIXED, PH_NONE, "10.9.9.9", 80, NULL, false,
	  false, false, false, false, { OUT, ALERT, R_OUT }, true },
	{ "outbound alert first: the allowlist adds nothing", P_MIXED, PH_NONE, "203.0.113.9", 80, NULL, false,
	  false, false, false, false, { OUT, ALERT, R_OUT }, true },
};

static void addr_of(const char *s, uint8_t out[16])
{
	struct in_addr a4;

	if (inet_pton(AF_INET, s, &a4) == 1)
		fng_addr_from_v4(out, &a4);
	else
		assert_int_equal(inet_pton(AF_INET6, s, out), 1);
}

static void net_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(net_rows) / sizeof(net_rows[0]); i++) {
		const struct net_row *r = &net_rows[i];
		struct fng_policy scratch;
		struct fng_decide_ctx c = ctx_of(r->pol, r->ph, &scratch);
		struct fng_decision v = { .rule = NONE };
		uint8_t addr[16];
		struct fng_net_facts f = { .inet = true, .addr = addr, .port = r->port, .runtime_api = r->runtime_api,
					   .real_api = r->real_api, .resolver = r->resolver, .name = r->host,
					   .names_complete = r->names_complete };
		bool offends, decided;

		addr_of(r->ip, addr);
		decided = fng_decide_net(&c, &f, &v, &offends);
		if (decided == r->ask || offends != r->offends) {
			fprintf(stderr, "row \"%s\": decided %d offends %d\n", r->name, decided, offends);
			fail();
		}
		check(r->name, &v, &r->w);
	}
}

/* The first offending destination stays the verdict's; a local socket's
 * destination is no one's business. */
static void net_first_offender_and_local(void **state)
{
	struct fng_policy scratch;
	struct fng_decide_ctx c = ctx_of(P_BLOCK, PH_NONE, &scratch);
	struct fng_decision v = { .rule = OUT, .mode = ALERT };
	uint8_t addr[16] = { 0 };
	struct fng_net_facts f = { .inet = true, .addr = addr, .port = 80 };
	bool offends;

	(void)state;
	addr_of("203.0.113.5", addr);
	assert_true(fng_decide_net(&c, &f, &v, &offends));
	assert_false(offends);
	assert_int_equal(v.mode, ALERT);
	f.inet = false;
	assert_int_equal(fng_decide_dest(c.policy, &f), FNG_DEST_ALLOWED);
}

/* ---- raw sockets, socket files, the real Runtime API ---- */

static void other_calls(void **state)
{
	static const struct {
		const char *name;
		enum pol pol;
		int domain, type;
		struct want w;
	} rows[] = {
		{ "raw socket, outbound allow", P_NONE, AF_INET, SOCK_RAW, { NONE, ALLOW, NULL } },
		{ "raw socket, block", P_BLOCK, AF_INET, SOCK_RAW,
		  { OUT, BLOCK, "raw socket (AF_INET, type 3): sends packets to any address" } },
		{ "packet socket, alert", P_ALERT, AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC,
		  { OUT, ALERT, "packet socket (AF_PACKET, type 2): sends packets to any address" } },
		{ "raw socket, allowlist", P_ALLOW, AF_INET6, SOCK_RAW,
		  { LIST, BLOCK, "raw socket (AF_INET6, type 3): sends packets to any address" } },
		{ "raw socket, outbound alert, allowlist alert", P_MIXED, AF_INET, SOCK_RAW, { OUT, ALERT, NULL } },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct fng_policy scratch;
		struct fng_decide_ctx c = ctx_of(rows[i].pol, PH_NONE, &scratch);
		struct fng_decision v = { .rule = NONE };

		fng_decide_raw_socket(&c, rows[i].domain, rows[i].type, &v);
		check(rows[i].name, &v, &rows[i].w);
	}
	{
		struct fng_policy scratch;
		struct fng_decide_ctx c = ctx_of(P_ALERT, PH_NONE, &scratch);
		struct fng_decision v = { .rule = NONE };
		const struct want bind_alert = { TMP, ALERT, "creates a socket file" };
		const struct want api = { OUT, BLOCK, "the real Runtime API: only fnguard's proxy may talk to it" };

		fng_decide_bind(&c, &v);
		check("socket file in tmp, alert", &v, &bind_alert);
		c = ctx_of(P_NONE, PH_NONE, &scratch);
		v = (struct fng_decision){ .rule = NONE };
		fng_decide_bind(&c, &v);
		assert_int_equal(v.rule, NONE);
		v = (struct fng_decision){ .rule = NONE };
		fng_decide_real_api(&v);
		check("real Runtime API, whatever the policy", &v, &api);
		assert_int_equal(v.err, EACCES);
	}
}

/* ---- phases, strictness, flags ---- */

static void phases_and_strictness(void **state)
{
	struct fng_decision v = { .rule = NONE };
	struct fng_policy scratch;
	struct fng_decide_ctx c;

	(void)state;
	assert_int_equal(fng_decide_fn_phase(false, false), FNG_FN_PHASE_NONE);
	assert_int_equal(fng_decide_fn_phase(false, true), FNG_FN_PHASE_NONE);
	assert_int_equal(fng_decide_fn_phase(true, false), FNG_FN_PHASE_INIT);
	assert_int_equal(fng_decide_fn_phase(true, true), FNG_FN_PHASE_INVOKE);
	c = ctx_of(P_BLOCK, PH_INIT, &scratch);
	assert_false(fng_decide_handler_armed(&c));
	c = ctx_of(P_BLOCK, PH_INVOKE, &scratch);
	assert_true(fng_decide_handler_armed(&c));
	c = ctx_of(P_NONE, PH_INVOKE, &scratch);
	assert_false(fng_decide_handler_armed(&c));

	/* block over alert over allow; the first of equals stays */
	fng_decide_take(&v, TMP, ALLOW);
	assert_int_equal(v.rule, NONE);
	fng_decide_take(&v, TMP, ALERT);
	assert_int_equal(v.rule, TMP);
	fng_decide_take(&v, CHILD, ALERT);
	assert_int_equal(v.rule, TMP);
	fng_decide_take(&v, CHILD, BLOCK);
	assert_int_equal(v.rule, CHILD);
	fng_decide_take(&v, LIST, ALERT);
	assert_int_equal(v.rule, CHILD);
	assert_int_equal(v.mode, BLOCK);

	assert_false(fng_decide_open_writes(O_RDONLY));
	assert_true(fng_decide_open_writes(O_WRONLY));
	assert_true(fng_decide_open_writes(O_RDWR));
	assert_true(fng_decide_open_writes(O_RDONLY | O_CREAT));
	assert_true(fng_decide_open_writes(O_RDONLY | O_TRUNC));

	assert_false(fng_decide_exec_needs_target(&policies[P_BLOCK]));
	assert_true(fng_decide_exec_needs_target(&policies[P_EXEC]));
	assert_true(fng_decide_exec_needs_target(&policies[P_ALLOW]));
}

/* executable_memory: block (fng_decide_execmem): NULL = allowed. */
static void execmem_table(void **state)
{
	static const struct { const char *name; struct fng_execmem_facts f; bool allowed; } rows[] = {
		{ "no PROT_EXEC", { .call = FNG_EXECMEM_MMAP, .anonymous = true, .write = true }, true },
		{ "a library", { .call = FNG_EXECMEM_MMAP, .exec = true, .file_known = true, .regular = true }, true },
		{ "anonymous", { .call = FNG_EXECMEM_MMAP, .exec = true, .anonymous = true }, false },
		{ "W+X file", { .call = FNG_EXECMEM_MMAP, .exec = true, .write = true, .file_known = true, .regular = true }, false },
		{ "mprotect", { .call = FNG_EXECMEM_MPROTECT, .exec = true }, false },
		{ "mprotect without exec", { .call = FNG_EXECMEM_MPROTECT }, true },
		{ "shmat SHM_EXEC", { .call = FNG_EXECMEM_SHMAT, .exec = true }, false },
		{ "file unknown", { .call = FNG_EXECMEM_MMAP, .exec = true }, false },
		{ "a device", { .call = FNG_EXECMEM_MMAP, .exec = true, .file_known = true }, false },
		{ "temp root", { .call = FNG_EXECMEM_MMAP, .exec = true, .file_known = true, .regular = true, .in_tmp = true }, false },
		{ "memfd", { .call = FNG_EXECMEM_MMAP, .exec = true, .file_known = true, .regular = true, .unlinked = true, .changed = true }, false },
		{ "written during the run", { .call = FNG_EXECMEM_MMAP, .exec = true, .file_known = true, .regular = true, .changed = true }, false },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *why = fng_decide_execmem(&rows[i].f);
		if ((why == NULL) != rows[i].allowed)
			fail_msg("%s: %s", rows[i].name, why ? why : "allowed");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(file_table),
		cmocka_unit_test(exec_table),
		cmocka_unit_test(net_table),
		cmocka_unit_test(net_first_offender_and_local),
		cmocka_unit_test(other_calls),
		cmocka_unit_test(phases_and_strictness),
		cmocka_unit_test(execmem_table),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
