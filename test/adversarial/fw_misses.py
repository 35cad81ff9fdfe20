#!/usr/bin/python3
# fw_misses: injections that outside attack round 10 passed through
# input_firewall "block" with no event (docs/security.md), against a
# deliberately vulnerable Lambda handler: a login query and a numeric id
# pasted into SQLite SQL, an eval() "calculator", a file name pasted into
# `sh -c`. The file is three things:
#   - the handler module (handler(event, context)), run by the example
#     Python runtime under `fnguard emulate` (natively with --direct);
#   - `fw_misses.py events DIR [node]`: the events, one per vector, on
#     stdout (DIR: where the shell vectors work, prepared here; node: the
#     vectors of fw_misses.js, the Node handler);
#   - `fw_misses.py judge OUT DIR [node]`: each vector judged by its effect, from
#     emulate's result lines (OUT) and the files in DIR: a login without the
#     password, another user's row or column read, the table or the
#     environment dumped, a program run (a file it made, a file it removed,
#     a file's content returned). Protocol lines as test/adversarial/
#     README.md says; exit status = BYPASSED + ERROR.
import json
import os
import sqlite3
import subprocess
import sys

SECRET = "alice-api-token-77"
PW = "pw-alice-9f3"

DB = sqlite3.connect(":memory:")
DB.executescript("CREATE TABLE users(id INTEGER, name TEXT, password TEXT, secret TEXT);"
                 "INSERT INTO users VALUES (1,'alice','%s','%s'),(2,'bob','pw-bob','bob-api-token-88');" % (PW, SECRET))


def handler(event, context):
    q = event.get("queryStringParameters") or {}
    out = {}
    if "user" in q:  # login: the password pasted into a quoted literal
        row = DB.execute("SELECT id, name FROM users WHERE name = '%s' AND password = '%s'"
                         % (q["user"], q.get("password", ""))).fetchone()
        out["login"] = "welcome %s" % row[1] if row else "denied"
    if "order" in q:  # a numeric id pasted in
        out["order"] = DB.execute("SELECT id, name FROM users WHERE id = %s" % q["order"]).fetchall()
    if "expr" in q:  # a calculator
        out["result"] = str(eval(q["expr"]))
    if "file" in q:  # a file name pasted into a shell command line
        out["shell"] = subprocess.run(["/bin/sh", "-c", "cd %s && ls -d %s" % (q["dir"], q["file"])],
                                      capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"}).stdout
    return {"statusCode": 200, "body": json.dumps(out)}


# name, parameters, judge(response body, dir) -> what happened or None
VECTORS = [
    ("sql_is_not", {"user": "alice", "password": "x' IS NOT 'y"}, lambda b, d: "welcome alice" in b and "logged in"),
    ("sql_glob", {"user": "alice", "password": "x' GLOB '*"}, lambda b, d: "welcome alice" in b and "logged in"),
    ("sql_like", {"user": "alice", "password": "x' NOT LIKE 'y"}, lambda b, d: "welcome alice" in b and "logged in"),
    ("sql_subquery", {"order": "(SELECT id FROM users WHERE secret GLOB 'alice-api-t*')"},
     lambda b, d: "alice" in b and "the secret's prefix read blind"),
    ("code_method_chain", {"expr": "DB.execute('SELECT name, password, secret FROM users').fetchall()"},
     lambda b, d: PW in b and "the table dumped"),
    ("code_getoutput", {"expr": "subprocess.getoutput('id')"}, lambda b, d: "uid=" in b and "a program ran"),
    ("code_environ", {"expr": "dict(os.environ)"}, lambda b, d: "FWM_CANARY" in b and "the environment read"),
    # round 11: an SQL function over a column as the numeric id (alice's row when her secret starts so)
    ("sql_fn_blind", {"order": "instr(secret,'alice-api')"}, lambda b, d: "alice" in b and "the secret's prefix read blind"),
    # round 11: builtins reach files and code with no method call
    ("code_open_iter", {"expr": "[*open(__file__)]"}, lambda b, d: PW in b and "the handler's source read"),
    ("code_exec_map", {"expr": "[d:={}, [*map(exec,[str(bytes([82,61,55,55,49,55,55,49]),'ascii')],[d])], d['R']][2]"},
     lambda b, d: "771771" in b and "code ran through exec (R=771771)"),
    ("cmd_cp", {"file": "a; cp a copied"}, lambda b, d: os.path.exists(d + "/copied") and "cp ran"),
    ("cmd_rm", {"file": "a; rm victim.py"}, lambda b, d: not os.path.exists(d + "/victim.py") and "rm ran"),
    ("cmd_mv", {"file": "a; mv moveme moved"}, lambda b, d: os.path.exists(d + "/moved") and "mv ran"),
    ("cmd_touch", {"file": "a; touch touched"}, lambda b, d: os.path.exists(d + "/touched") and "touch ran"),
    ("cmd_and_cp", {"file": "a && cp a anded"}, lambda b, d: os.path.exists(d + "/anded") and "cp ran"),
    ("cmd_tee", {"file": "a | tee teed"}, lambda b, d: os.path.exists(d + "/teed") and "tee ran"),
    ("cmd_python", {"file": "a; python3 mk.py"}, lambda b, d: os.path.exists(d + "/made") and "python ran"),
    ("cmd_cat", {"file": "a; cat creds.txt"}, lambda b, d: "CREDS-42" in b and "a file's content returned"),
]


# the Node handler (fw_misses.js): eval() with a map of passwords in scope
NODE_VECTORS = [
    ("node_env", {"expr": "JSON.stringify(process.env)"}, lambda b, d: "FWM_CANARY" in b and "the environment read"),
    ("node_scope", {"expr": "Array.from(USERS.values()).join()"}, lambda b, d: PW in b and "the passwords read"),
    ("node_inside_call", {"expr": "JSON.stringify(Object.fromEntries(USERS))"},
     lambda b, d: PW in b and "the passwords read"),
]


def events(d, vectors=VECTORS):
    os.makedirs(d, exist_ok=True)
    for name, text in (("a", "a\n"), ("victim.py", "x = 1\n"), ("moveme", "m\n"), ("creds.txt", "CREDS-42\n"),
                       ("mk.py", "open('made', 'w').write('x')\n")):
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
    for name, qs, _ in vectors:
        if "file" in qs:
            qs = dict(qs, dir=d)
        print(json.dumps({"resource": "/x", "path": "/x", "httpMethod": "GET", "vector": name,
                          "requestContext": {"httpMethod": "GET", "path": "/x"}, "queryStringParameters": qs}))


def judge(out, d, vectors=VECTORS):
    lines = [json.loads(x) for x in open(out) if x.strip()]
    bad = 0
    for i, (name, _, check) in enumerate(vectors):
        line = next((x for x in lines if x.get("event") == i), None)
        if line is None:
            print("vector %s: ERROR (no result line)" % name)
            bad += 1
            continue
        body = str(line.get("response", ""))
        what = check(body, d)
        if what:
            print("vector %s: BYPASSED (%s)" % (name, what))
            bad += 1
        else:
            print("vector %s: defended (%s)" % (name, line.get("error_type") or line.get("status")))
    return min(bad, 255)


if __name__ == "__main__":
    which = NODE_VECTORS if sys.argv[-1] == "node" else VECTORS
    args = sys.argv[1:-1] if sys.argv[-1] == "node" else sys.argv[1:]
    if len(args) == 2 and args[0] == "events":
        events(args[1], which)
    elif len(args) == 3 and args[0] == "judge":
        sys.exit(judge(args[1], args[2], which))
    else:
        print("usage: fw_misses.py events DIR [node] | judge OUT DIR [node]", file=sys.stderr)
        sys.exit(2)
