/* Unit tests for `baseline diff` (policy/baseline/policydiff.c, profile.c):
 * a table of old and new policies and the exact lines the diff prints, one
 * per grant or weaker setting, none for what grants the same or less. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/allowlist.h"
#include "policy/baseline/policydiff.h"

/* A profile: the four rules allow (PROF_OUT: outbound as given; PROF4: each
 * as given), other members, an allowlist. */
#define PROF4(tmp, child, handler, outbound, members, al)                                                        \
	"{\"read_write_tmp\": " tmp ", \"create_child_process\": " child ", \"read_handler\": " handler           \
	", \"outbound_connectivity\": " outbound members ", \"allowlist\": " al "}"
#define OFF "\"allow\""
#define RULES_OFF "\"read_write_tmp\": \"allow\", \"create_child_process\": \"allow\", \"read_handler\": \"allow\""
#define PROF(members, al) PROF4(OFF, OFF, OFF, OFF, members, al)
#define PROF_OUT(outbound, members, al) PROF4(OFF, OFF, OFF, outbound, members, al)

struct diff_row {
	const char *name, *old_p, *new_p;
	const char *want;	/* the lines, each ending in '\n'; "" for none */
};

static const struct diff_row diff_rows[] = {
	{ "same", PROF("", "{\"files\": {\"read\": [\"/tmp/*\"]}}"), PROF("", "{\"files\": {\"read\": [\"/tmp/*\"]}}"), "" },
	{ "tree_for_star", PROF("", "{\"files\": {\"write\": [\"/var/task/*\"]}}"),
	  PROF("", "{\"files\": {\"write\": [\"/var/task/**\"]}}"), "+ files.write /var/task/**\n" },
	{ "tmp_tree", PROF("", "{\"files\": {\"read\": [\"/tmp/*\"]}}"), PROF("", "{\"files\": {\"read\": [\"/tmp/**\"]}}"),
	  "+ files.read /tmp/**\n" },
	{ "narrower", PROF("", "{\"files\": {\"read\": [\"/a/**\"]}}"),
	  PROF("", "{\"files\": {\"read\": [\"/a/b/*\", \"/a/**/c\", \"/a\"]}}"), "" },
	{ "sibling", PROF("", "{\"files\": {\"read\": [\"/a/**\"]}}"), PROF("", "{\"files\": {\"read\": [\"/ab/*\"]}}"),
	  "+ files.read /ab/*\n" },
	{ "read_under_write", PROF("", "{\"files\": {\"write\": [\"/w/**\"]}}"),
	  PROF("", "{\"files\": {\"read\": [\"/w/x/*\"]}}"), "" },
	{ "write_under_read", PROF("", "{\"files\": {\"read\": [\"/w/**\"]}}"),
	  PROF("", "{\"files\": {\"write\": [\"/w/x\"]}}"), "+ files.write /w/x\n" },
	{ "init_to_always", PROF("", "{\"init\": {\"exec\": [\"/bin/x\"]}}"), PROF("", "{\"exec\": [\"/bin/x\"]}"),
	  "+ exec /bin/x\n" },
	{ "always_to_init", PROF("", "{\"exec\": [\"/bin/*\"]}"), PROF("", "{\"init\": {\"exec\": [\"/bin/x\"]}}"), "" },
	{ "add_section", PROF("", "{\"learned\": {}}"), PROF("", "{\"learned\": {}, \"add\": {\"dns\": [\"x.example\"]}}"),
	  "+ dns x.example\n" },
	{ "build_id", PROF("", "{\"exec\": [{\"path\": \"/bin/x\", \"build_id\": \"aa\"}]}"),
	  PROF("", "{\"exec\": [{\"path\": \"/bin/x\", \"build_id\": \"bb\"}, {\"path\": \"/bin/x\", \"build_id\": \"aa\"}]}"),
	  "+ exec /bin/x build_id bb\n" },
	{ "pin_dropped", PROF("", "{\"exec\": [{\"path\": \"/bin/x\", \"build_id\": \"aa\"}]}"),
	  PROF("", "{\"exec\": [\"/bin/x\"]}"), "+ exec /bin/x\n" },
	{ "removal_dropped", PROF("", "{\"learned\": {\"files\": {\"read\": [\"/etc/**\"]}}, \"remove\": {\"files\": {\"read\": [\"/etc/shadow\"]}}}"),
	  PROF("", "{\"files\": {\"read\": [\"/etc/**\"]}}"), "+ unremoved files.read /etc/shadow\n" },
	{ "removal_dropped_unreached", PROF("", "{\"learned\": {\"files\": {\"read\": [\"/etc/**\"]}}, \"remove\": {\"files\": {\"read\": [\"/etc/shadow\"]}}}"),
	  PROF("", "{\"files\": {\"read\": [\"/etc/hosts\"]}}"), "" },
	{ "removal_narrowed", PROF("", "{\"learned\": {\"files\": {\"write\": [\"/d/**\"]}}, \"remove\": {\"files\": {\"write\": [\"/d/*.so\"]}}}"),
	  PROF("", "{\"learned\": {\"files\": {\"write\": [\"/d/**\"]}}, \"remove\": {\"files\": {\"read\": [\"/d/x.so\"]}}}"),
	  "+ unremoved files.write /d/*.so\n" },
	{ "removal_wider", PROF("", "{\"learned\": {\"files\": {\"write\": [\"/d/**\"]}}, \"remove\": {\"files\": {\"write\": [\"/d/*.so\"]}}}"),
	  PROF("", "{\"learned\": {\"files\": {\"write\": [\"/d/**\"]}}, \"remove\": {\"files\": {\"read\": [\"/d/*\"]}}}"), "" },
	{ "cidr", PROF("", "{\"ips\": [\"10.0.0.0/8\", \"[2001:db8::1]:443\"]}"),
	  PROF("", "{\"ips\": [\"10.9.0.0/16:22\", \"10.0.0.0/7\", \"2001:db8::1\"]}"), "+ ips 10.0.0.0/7\n+ ips 2001:db8::1\n" },
	{ "hosts", PROF("", "{\"hosts\": [\"*.example.com\", \"api.x.test:443\"]}"),
	  PROF("", "{\"hosts\": [\"*.a.example.com:80\", \"API.x.test:443\", \"example.com\", \"*.x.test:443\", \"api.x.test\"]}"),
	  "+ hosts example.com\n+ hosts *.x.test:443\n+ hosts api.x.test\n" },
	{ "mode", PROF("", "{\"mode\": \"block\"}"), PROF("", "{\"mode\": \"alert\"}"), "~ mode alert (was block)\n" },
	{ "rule_mode", PROF4(OFF, OFF, "\"block\"", OFF, "", "{}"), PROF4(OFF, OFF, "\"alert\"", OFF, "", "{}"),
	  "~ read_handler alert (was block)\n" },
	{ "resolvers", PROF("", "{}"), PROF_OUT("{\"action\": \"allow\", \"resolvers\": [\"192.0.2.53\", \"2001:db8::53\"]}", "", "{}"),
	  "+ outbound_connectivity.resolvers 192.0.2.53\n+ outbound_connectivity.resolvers 2001:db8::53\n" },
	{ "resolvers_dropped", PROF_OUT("{\"action\": \"allow\", \"resolvers\": [\"192.0.2.53\"]}", "", "{}"), PROF("", "{}"),
	  "~ outbound_connectivity.resolvers /etc/resolv.conf (was listed)\n" },
	{ "exceptions", PROF_OUT("{\"action\": \"block\", \"exceptions\": [\"10.0.0.0/8\", \"*.example.com\"]}", "", "{}"),
	  PROF_OUT("{\"action\": \"block\", \"exceptions\": [\"10.1.2.3:443\", \"x.example.com\", \"example.com\", \"0.0.0.0/0\"]}", "", "{}"),
	  "+ outbound_connectivity.exceptions 0.0.0.0/0\n+ outbound_connectivity.exceptions example.com\n" },
	{ "exceptions_rule_off", PROF("", "{}"),
	  PROF_OUT("{\"action\": \"allow\", \"exceptions\": [\"0.0.0.0/0\"]}", "", "{}"), "" },
	{ "settings", PROF(", \"lambda\": {\"on_block\": \"fail-invocation\"}", "{}"),
	  PROF(", \"on_unsupported\": \"run-unprotected\", \"lambda\": {\"proxy\": false, \"phases\": {\"allowlist\": \"init\"}}", "{}"),
	  "~ lambda.phases.allowlist init (was always)\n~ on_unsupported run-unprotected (was fail)\n"
	  "~ lambda.proxy false (was true)\n~ lambda.on_block fail-call (was fail-invocation)\n" },
	{ "stricter", PROF("", "{\"mode\": \"alert\"}"),
	  PROF4(OFF, OFF, "\"block\"", OFF, ", \"lambda\": {\"on_block\": \"kill\"}", "{\"mode\": \"block\"}"), "" },
	{ "child_exceptions", PROF4(OFF, "\"block\"", OFF, OFF, "", "{}"),
	  PROF4(OFF, "{\"action\": \"block\", \"exceptions\": [\"/bin/sh\", \"build-id:abcd\"]}", OFF, OFF, "", "{}"),
	  "+ create_child_process.exceptions /bin/sh\n+ create_child_process.exceptions build-id:abcd\n" },
	{ "tmp_root", PROF4("\"block\"", OFF, OFF, OFF, "", "{}"), PROF4("\"block\"", OFF, OFF, OFF, ", \"tmp_root\": \"/var/tmp\"", "{}"),
	  "~ tmp_root /var/tmp (was /tmp)\n" },
	{ "jvm_perfdata", PROF4("{\"action\": \"block\", \"jvm_perfdata\": false}", OFF, OFF, OFF, "", "{}"),
	  PROF4("\"block\"", OFF, OFF, OFF, "", "{}"), "~ read_write_tmp.jvm_perfdata true (was false)\n" },
	{ "tmp_root_rule_off", PROF("", "{}"), PROF(", \"tmp_root\": \"/\"", "{}"), "" },
	{ "handler", PROF4(OFF, OFF, "\"block\"", OFF, ", \"handler\": [\"/t/h.py\", \"/t/g.py\"]", "{}"),
	  PROF4(OFF, OFF, "\"block\"", OFF, ", \"handler\": \"/t/g.py\"", "{}"), "~ handler /t/h.py no longer protected\n" },
	{ "loopback", PROF_OUT("{\"action\": \"block\", \"loopback\": \"judge\"}", "", "{}"), PROF_OUT("\"block\"", "", "{}"),
	  "~ outbound_connectivity.loopback allow (was judge)\n" },
	{ "executable_memory", PROF(", \"executable_memory\": \"block\"", "{}"), PROF("", "{}"),
	  "~ executable_memory allow (was block)\n" },
	{ "executable_memory_stricter", PROF("", "{}"), PROF(", \"executable_memory\": \"block\"", "{}"), "" },
	/* attack round 7, finding 3: the payload checks and what is seen */
	{ "firewall_off", PROF(", \"input_firewall\": \"block\", \"confirmed_attacks\": \"block\"", "{}"), PROF("", "{}"),
	  "~ input_firewall allow (was block)\n~ confirmed_attacks allow (was block)\n" },
	{ "firewall_weaker", PROF(", \"input_firewall\": {\"action\": \"block\", \"classes\": {\"xss\": \"alert\"}, "
				  "\"exceptions\": [\"$.a\"], \"patterns\": [\"p1\", \"p2\"]}", "{}"),
	  PROF(", \"input_firewall\": {\"action\": \"block\", \"classes\": {\"xss\": \"allow\", \"xxe\": \"alert\"}, "
	       "\"exceptions\": [\"$.a\", \"$.**\"], \"patterns\": [\"p2\"]}", "{}"),
	  "~ input_firewall.classes.xss allow (was alert)\n~ input_firewall.classes.xxe alert (was block)\n"
	  "+ input_firewall.exceptions $.**\n~ input_firewall rule no longer checked: p1\n" },
	{ "firewall_action_alert", PROF(", \"input_firewall\": \"block\"", "{}"), PROF(", \"input_firewall\": \"alert\"", "{}"),
	  "~ input_firewall alert (was block)\n" },
	{ "firewall_stricter", PROF(", \"input_firewall\": {\"action\": \"alert\", \"exceptions\": [\"$.a\"]}", "{}"),
	  PROF(", \"input_firewall\": {\"action\": \"block\", \"patterns\": [\"p\"]}, \"confirmed_attacks\": \"alert\"", "{}"), "" },
	{ "firewall_was_off", PROF(", \"input_firewall\": \"allow\"", "{}"),
	  PROF(", \"input_firewall\": {\"action\": \"alert\", \"exceptions\": [\"$.**\"]}", "{}"), "" },
	{ "confirmed_alert", PROF(", \"confirmed_attacks\": \"block\"", "{}"), PROF(", \"confirmed_attacks\": \"alert\"", "{}"),
	  "~ confirmed_attacks alert (was block)\n" },
	{ "code_limits", PROF(", \"code_check\": {\"patterns\": [\"e\"], \"limits\": {\"max_files\": 10, \"max_ms\": 100}}", "{}"),
	  PROF(", \"code_check\": {\"patterns\": [\"e\"], \"limits\": {\"max_files\": 5, \"max_ms\": 200}}", "{}"),
	  "~ code_check.limits.max_ms 200 (was 100)\n" },
	{ "events_less", PROF(", \"api_endpoint\": \"http://127.0.0.1:9/e\", \"events\": {\"sinks\": [\"stderr\", \"file:/dev/null\"], "
			      "\"flush_timeout_ms\": 3000}", "{}"),
	  PROF(", \"events\": {\"sinks\": [\"file:/dev/null\", \"stdout\"], \"format\": \"text\"}", "{}"),
	  "~ events.sinks stderr no longer receives events\n~ events.format changed (its readers may no longer parse the events)\n"
	  "~ events.flush_timeout_ms 2000 (was 3000)\n~ api_endpoint none (was http://127.0.0.1:9/e)\n" },
	{ "events_more", PROF("", "{}"),
	  PROF(", \"api_endpoint\": \"http://127.0.0.1:9/e\", \"events\": {\"sinks\": [\"stderr\"], \"flush_timeout_ms\": 9000}", "{}"), "" },
	{ "log_dns", PROF_OUT("{\"action\": \"allow\", \"log_dns\": true}", "", "{}"), PROF("", "{}"),
	  "~ outbound_connectivity.log_dns false (was true)\n" },
	{ "allowlist_dropped", PROF("", "{}"), "{" RULES_OFF ", \"outbound_connectivity\": \"allow\"}",
	  "~ allowlist none (was block)\n" },
};

struct lines {
	char buf[4096];
};

static void collect(void *arg, const char *line)
{
	struct lines *l = arg;
	strncat(l->buf, line, sizeof(l->buf) - strlen(l->buf) - 2);
	strcat(l->buf, "\n");
}

static void load_row(const char *name, const char *text, struct fng_policy *p)
{
	struct fng_policy_error err;

	if (fng_policy_load_buffer(name, text, strlen(text), p, &err) < 0)
		fail_msg("%s: %s", name, err.msg);
}

static void diff_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(diff_rows) / sizeof(diff_rows[0]); i++) {
		const struct diff_row *r = &diff_rows[i];
		struct fng_policy o, n;
		struct lines l = { "" };
		size_t count = 0;

		load_row(r->name, r->old_p, &o);
		load_row(r->name, r->new_p, &n);
		size_t got = fng_policy_diff(&o, &n, collect, &l);
		for (const char *c = r->want; *c; c++)
			count += *c == '\n';
		if (strcmp(l.buf, r->want) != 0 || got != count)
			fail_msg("%s: got %zu lines:\n%swant:\n%s", r->name, got, l.buf, r->want);
		/* a policy never grants more than itself */
		memset(&l, 0, sizeof(l));
		assert_int_equal(fng_policy_diff(&n, &n, collect, &l), 0);
		fng_policy_free(&o);
		fng_policy_free(&n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(diff_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
