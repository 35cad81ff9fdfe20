# Every key of docs/policy.schema.json, weakened, must make `fnguard
# baseline diff OLD NEW` exit 1 (attack round 7, finding 3: a deploy gate
# that missed input_firewall and confirmed_attacks). The keys are walked
# from the schema ($ref, oneOf, properties, propertyNames); each needs a row
# in WEAKEN below, so a key added to the schema without a row (and the diff
# support the row proves) fails this test. Rows marked None are keys with no
# effect on what is enforced or seen (version, FunctionShield's ignored
# settings): changing them must exit 0.
#
#   python3 diffkeys.py FNGUARD SCHEMA WORKDIR
# Prints "FAIL PATH: why" per failure, "checked N keys"; exit 1 on any failure.
import copy
import json
import os
import re
import subprocess
import sys

fnguard, schema_path, work = sys.argv[1:4]
S = json.load(open(schema_path))


def resolve(n):
    while "$ref" in n:
        t = S
        for part in n["$ref"][2:].split("/"):
            t = t[part]
        n = t
    return n


def walk(n, path, out):
    n = resolve(n)
    for alt in n.get("oneOf", []):
        walk(alt, path, out)
    for k, v in n.get("properties", {}).items():
        out.add(".".join(path + [k]))
        walk(v, path + [k], out)
    if isinstance(n.get("items"), dict):  # an array's entries: "[]"
        walk(n["items"], path[:-1] + [path[-1] + "[]"] if path else path, out)
    if "propertyNames" in n:
        for k in n["propertyNames"]["enum"]:
            out.add(".".join(path + [k]))
            walk(n.get("additionalProperties", {}), path + [k], out)


def wfile(name, text):
    p = os.path.join(work, name)
    with open(p, "w") as f:
        f.write(text)
    return p


RULES_A = wfile("rules_a.txt", "secret-[0-9]+\n")
RULES_B = wfile("rules_b.txt", "secret-[0-9]+\n")
RANGES_A = wfile("ranges_a.json", json.dumps({"prefixes": [{"ip_prefix": "3.5.140.0/22", "service": "AMAZON"}]}))
RANGES_B = wfile("ranges_b.json", json.dumps({"prefixes": [{"ip_prefix": "3.5.140.0/22", "service": "AMAZON"},
                                                           {"ip_prefix": "52.94.0.0/16", "service": "AMAZON"}]}))
CLASSES = ["sql_injection", "nosql_injection", "command_injection", "code_injection", "xss", "xxe",
           "local_file_inclusion", "csv_injection"]
RULES4 = ["outbound_connectivity", "read_write_tmp", "create_child_process", "read_handler"]

# The strongest policy: every check on, at block, with something to lose.
BASE = {
    "version": 1,
    "outbound_connectivity": {"action": "block", "exceptions": ["10.1.0.0/16", "api.example.com:443"],
                              "loopback": "judge", "resolvers": ["10.0.0.2"], "log_dns": True},
    "read_write_tmp": "block",
    "create_child_process": {"action": "block", "exceptions": ["/usr/bin/true"]},
    "read_handler": "block",
    "allowlist": {"mode": "block", "learned": {"files": {"read": ["/etc/hostname"], "write": ["/dev/null"]},
                                               "exec": ["/usr/bin/cat"], "hosts": ["a.example:443"],
                                               "ips": ["10.2.0.1:443"], "dns": ["a.example"]}},
    "tmp_root": "/tmp",
    "handler": ["/var/task/app.py"],
    "on_unsupported": "fail",
    "api_endpoint": "http://127.0.0.1:9/events",
    "executable_memory": "block",
    "confirmed_attacks": "block",
    "lambda": {"proxy": True, "on_block": "kill"},
    "events": {"sinks": ["file:/dev/null"], "format": "fnguard", "flush_timeout_ms": 2000},
    "output_inspection": {"action": "block", "builtins": True, "patterns": ["internal-[0-9]+"],
                          "patterns_file": RULES_A},
    "code_check": {"action": "block", "patterns": ["evil"], "patterns_file": RULES_A, "dir": "/var/task",
                   "limits": {"max_bytes": 1000, "max_files": 10, "max_ms": 100}},
    "input_firewall": {"action": "block", "classes": {c: "block" for c in CLASSES},
                       "exceptions": ["$.body.comment"], "patterns": ["forbidden-[0-9]+"], "patterns_file": RULES_A},
}


def at(d, path, create=True):
    """The object holding the last component of dotted path in d."""
    parts = path.split(".")
    for p in parts[:-1]:
        if p not in d or not isinstance(d[p], dict):
            d[p] = {}
        d = d[p]
    return d, parts[-1]


def setv(path, value):
    def f(old, new):
        d, k = at(new, path)
        d[k] = value
    return f


def delv(path):
    def f(old, new):
        d, k = at(new, path)
        d.pop(k, None)
    return f


def both(path, old_value, new_value):
    def f(old, new):
        d, k = at(old, path)
        d[k] = copy.deepcopy(old_value)
        d, k = at(new, path)
        d[k] = copy.deepcopy(new_value)
    return f


def seq(*fs):
    def f(old, new):
        for g in fs:
            g(old, new)
    return f


def rule_form(rule, form):
    """The rule written FunctionShield's way (form "policy") or as {"mode": M}."""
    def f(old, new):
        for d, m in ((old, "block"), (new, "allow")):
            d.pop(rule, None)
            if form == "policy":
                d.setdefault("policy", {})[rule] = m
            else:
                d[rule] = {form: m}
    return f


def phase(rule):
    return both("lambda.phases." + rule, "always", "init")


WEAKEN = {
    "version": None,
    "token": None,
    "disable_analytics": None,
    "policy": rule_form("read_write_tmp", "policy"),
    "outbound_connectivity": setv("outbound_connectivity", "allow"),
    "outbound_connectivity.action": setv("outbound_connectivity.action", "alert"),
    "outbound_connectivity.mode": rule_form("outbound_connectivity", "mode"),
    "outbound_connectivity.exceptions": setv("outbound_connectivity.exceptions", ["10.0.0.0/8"]),
    "outbound_connectivity.allow": seq(delv("outbound_connectivity.exceptions"),
                                       both("outbound_connectivity.allow", ["10.1.0.0/16"], ["0.0.0.0/0"])),
    "outbound_connectivity.loopback": setv("outbound_connectivity.loopback", "allow"),
    "outbound_connectivity.resolvers": setv("outbound_connectivity.resolvers", ["10.0.0.2", "8.8.8.8"]),
    "outbound_connectivity.log_dns": setv("outbound_connectivity.log_dns", False),
    "outbound_connectivity.aws_ip_ranges": seq(
        both("outbound_connectivity.exceptions", ["aws"], ["aws"]),
        both("outbound_connectivity.aws_ip_ranges", RANGES_A, RANGES_B)),
    "read_write_tmp": setv("read_write_tmp", "alert"),
    "read_write_tmp.action": both("read_write_tmp", {"action": "block"}, {"action": "allow"}),
    "read_write_tmp.mode": rule_form("read_write_tmp", "mode"),
    "read_write_tmp.jvm_perfdata": both("read_write_tmp", {"action": "block", "jvm_perfdata": False},
                                        {"action": "block", "jvm_perfdata": True}),
    "read_handler": setv("read_handler", "allow"),
    "read_handler.action": both("read_handler", {"action": "block"}, {"action": "alert"}),
    "read_handler.mode": rule_form("read_handler", "mode"),
    "create_child_process": setv("create_child_process", "allow"),
    "create_child_process.action": setv("create_child_process.action", "alert"),
    "create_child_process.mode": rule_form("create_child_process", "mode"),
    "create_child_process.exceptions": setv("create_child_process.exceptions", ["/usr/bin/true", "/bin/sh"]),
    "create_child_process.allow": seq(delv("create_child_process.exceptions"),
                                      both("create_child_process.allow", [], ["/bin/sh"])),
    "allowlist": setv("allowlist.learned.files.read", ["/etc/hostname", "/**"]),  # none at all: exit 2
    "allowlist.mode": setv("allowlist.mode", "alert"),
    "tmp_root": setv("tmp_root", "/var/tmp"),
    "handler": setv("handler", ["/var/task/other.py"]),
    "on_unsupported": setv("on_unsupported", "run-unprotected"),
    "api_endpoint": setv("api_endpoint", "http://127.0.0.1:9/elsewhere"),
    "executable_memory": setv("executable_memory", "allow"),
    "confirmed_attacks": setv("confirmed_attacks", "allow"),
    "lambda": delv("lambda"),
    "lambda.proxy": setv("lambda.proxy", False),
    "lambda.on_block": setv("lambda.on_block", "fail-call"),
    "lambda.phases": setv("lambda.phases", {"read_handler": "invoke"}),
    "events": delv("events"),
    "events.sinks": setv("events.sinks", []),
    "events.format": setv("events.format", "text"),
    "events.flush_timeout_ms": setv("events.flush_timeout_ms", 10),
    "output_inspection": delv("output_inspection"),
    "output_inspection.action": setv("output_inspection.action", "alert"),
    "output_inspection.builtins": setv("output_inspection.builtins", False),
    "output_inspection.patterns": setv("output_inspection.patterns", []),
    "output_inspection.patterns_file": setv("output_inspection.patterns_file", RULES_B),
    "code_check": delv("code_check"),
    "code_check.action": setv("code_check.action", "alert"),
    "code_check.patterns": setv("code_check.patterns", []),
    "code_check.patterns_file": delv("code_check.patterns_file"),
    "code_check.dir": setv("code_check.dir", "/opt"),
    "code_check.limits": delv("code_check.limits"),
    "code_check.limits.max_bytes": setv("code_check.limits.max_bytes", 100000),
    "code_check.limits.max_files": setv("code_check.limits.max_files", 1000),
    "code_check.limits.max_ms": setv("code_check.limits.max_ms", 10000),
    "input_firewall": delv("input_firewall"),
    "input_firewall.action": setv("input_firewall.action", "alert"),
    "input_firewall.classes": setv("input_firewall.classes", {"xss": "allow"}),
    "input_firewall.exceptions": setv("input_firewall.exceptions", ["$.body.comment", "$.**"]),
    "input_firewall.patterns": setv("input_firewall.patterns", []),
    "input_firewall.patterns_file": setv("input_firewall.patterns_file", RULES_B),
}
for r in RULES4:
    WEAKEN["policy." + r] = rule_form(r, "policy")
    WEAKEN["lambda.phases." + r] = phase(r)
WEAKEN["lambda.phases.allowlist"] = phase("allowlist")
for c in CLASSES:
    WEAKEN["input_firewall.classes." + c] = setv("input_firewall.classes." + c, "allow")

# The allowlist's sets, in each place they can be written: a grant added
# (learned, add, the short form, init-only or not), an exclusion dropped.
GRANT = {"files.read": "/etc/shadow", "files.write": "/etc/passwd", "exec": "/bin/sh", "hosts": "evil.example:443",
         "ips": "10.9.9.9:443", "dns": "evil.example"}
WIDE = {"files.read": ("/etc/**", "/etc/shadow"), "files.write": ("/var/**", "/var/x"),
        "exec": ("/usr/bin/**", "/usr/bin/sudo"), "hosts": ("*.example:443", "bad.example:443"),
        "ips": ("10.0.0.0/8:443", "10.6.6.6:443"), "dns": ("*.example", "bad.example")}
SET_RE = re.compile(r"^allowlist(\.(learned|add|remove))?(\.init)?(\.(files(\.read|\.write)?|exec|hosts|ips|dns))?"
                    r"(\[\]\.(path|build_id))?$")


def short_form(d):
    """The allowlist's "learned" written in the short form (its keys at the top)."""
    for k, v in d["allowlist"].pop("learned").items():
        d["allowlist"][k] = v


def exec_entry_row(where, init, entry):
    if where == "remove":  # the exclusion of a pinned program moved or gone: the grant reaches it again
        old_rm = [{"path": "/usr/bin/sudo", "build_id": "aa"}]
        new_rm = [{"path": "/usr/bin/sudo", "build_id": "bb"}] if entry == "build_id" else [{"path": "/usr/bin/other"}]

        def r(old, new):
            for d in (old, new):
                d["allowlist"]["learned"]["exec"] = ["/usr/bin/**"]
            old["allowlist"]["remove"] = {"exec": old_rm}
            new["allowlist"]["remove"] = {"exec": new_rm}
        return r
    pinned = {"path": "/opt/p/x", "build_id": "aa"}
    looser = "/opt/p/x" if entry == "build_id" else {"path": "/opt/p/y", "build_id": "aa"}

    def f(old, new):
        if not where:
            short_form(old)
            short_form(new)
        for d, e in ((old, pinned), (new, looser)):
            dd, k = at(d, "allowlist." + (where + "." if where else "") + ("init." if init else "") + "exec")
            dd[k] = dd.get(k, []) + [e]
    return f


def allowlist_row(path):
    m = SET_RE.match(path)
    if not m or path in ("allowlist",):
        return "missing"
    where, init, kind, entry = m.group(2), m.group(3), (m.group(4) or "")[1:], m.group(8)
    if kind in ("", "files"):
        kind = "files.read"
    if entry:  # an exec entry's build_id dropped (any program by that path), its path moved
        return exec_entry_row(where, init, entry)
    if where == "remove":
        if init:
            return "missing"
        wide, narrow = WIDE[kind]

        def f(old, new):
            for d in (old, new):
                dd, k = at(d, "allowlist.learned." + kind)
                dd[k] = dd.get(k, []) + [wide]
            d, k = at(old, "allowlist.remove." + kind)
            d[k] = [narrow]
        return f
    prefix = "allowlist." + (where + "." if where else "") + ("init." if init else "")

    def g(old, new):
        if not where:  # the short form stands for "learned"
            short_form(old)
            short_form(new)
        d, k = at(new, prefix + kind)
        d[k] = d.get(k, []) + [GRANT[kind]]
    return g


def run_diff(old, new, name):
    a = wfile(name + ".old.json", json.dumps(old))
    b = wfile(name + ".new.json", json.dumps(new))
    r = subprocess.run([fnguard, "baseline", "diff", a, b], capture_output=True, text=True)
    return r.returncode, (r.stdout + r.stderr).strip().replace("\n", " | ")


keys = set()
walk(S, [], keys)
fails = []
# Every key name the loader compares (policy/load/*.c) is somewhere in the
# schema, so the walk above reaches what the loader accepts.
root = os.path.dirname(os.path.dirname(os.path.abspath(schema_path)))
names = {c.strip("[]") for k in keys for c in k.split(".")}
for f in sorted(os.listdir(os.path.join(root, "policy/load"))):
    if f.endswith(".c"):
        src = open(os.path.join(root, "policy/load", f)).read()
        for name in re.findall(r'strcmp\(key, "([A-Za-z0-9_]+)"\)|\{ "([a-z_]+)", FNG_AL_', src):
            name = name[0] or name[1]
            if name not in names:
                fails.append("FAIL policy/load/%s: key \"%s\" the loader accepts is not in %s" % (f, name, schema_path))
rc, out = run_diff(BASE, BASE, "same")
if rc != 0:
    fails.append("FAIL (the same policy twice): exit %d: %s" % (rc, out))
for path in sorted(keys):
    row = WEAKEN[path] if path in WEAKEN else allowlist_row(path) if path.startswith("allowlist") else "missing"
    if row == "missing":
        fails.append("FAIL %s: no row in test/lib/diffkeys.py: add one, and the baseline diff support it needs" % path)
        continue
    old, new = copy.deepcopy(BASE), copy.deepcopy(BASE)
    if row is None:
        new[path] = "changed" if path != "version" else 1
        want = 0
    else:
        row(old, new)
        want = 1
    rc, out = run_diff(old, new, path)
    if rc != want:
        fails.append("FAIL %s: baseline diff exit %d, want %d: %s" % (path, rc, want, out[:300]))
print("\n".join(fails))
print("checked %d keys" % len(keys))
sys.exit(1 if fails else 0)
