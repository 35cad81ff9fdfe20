#!/usr/bin/python3
# xml_encoding.py - XML documents whose bytes are not the text their parser
# reads, in an API Gateway base64 body (attack round 10, xxe_encoding). The
# handler parses the body's bytes with lxml (libxml2, external entities
# resolved) or with xml.etree (expat) and answers with what it read; the
# xml.etree handler also opens the file an element names. Each vector is
# one event, judged by its effect: the secret file's content in the
# response. Natively the lxml vectors read the secret; under fnguard
# (input_firewall block) each is refused, read as its parser reads it.
#
# Vectors: the declared encoding under an alias of a documented one (UTF7,
# utf_7), EBCDIC by the first bytes (cp037), an encoding that starts after
# the declaration's quote (where libxml2 switches: cp037, UTF-16LE),
# UTF-16/UTF-32 by their first bytes (lxml) and by expat's `<` NUL rule
# (xml.etree, a path in an element). Protocol lines as
# test/adversarial/README.md says; exit status = BYPASSED + ERROR.
# Environment: FNG_SECRET (the secret file), FNG_WORKDIR, FNG_EMULATE (the
# command before `--events`: `fnguard emulate --direct` natively, or
# `fnguard emulate --policy P --log file:EV`).
import base64
import json
import os
import shlex
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNTIME = os.path.join(ROOT, "examples", "runtimes", "python", "bootstrap")

HANDLER = r'''
import base64
import xml.etree.ElementTree as ET
from lxml import etree

def handler(event, context):
    data = base64.b64decode(event["body"])
    try:
        if event["path"] == "/lxml":
            doc = etree.fromstring(data, etree.XMLParser(resolve_entities=True))
            return {"statusCode": 200, "body": etree.tostring(doc).decode(errors="replace")}
        doc = ET.fromstring(data)
        with open(doc.findtext("file")) as f:
            return {"statusCode": 200, "body": f.read()}
    except Exception as e:
        return {"statusCode": 400, "body": repr(e)}
'''


def u7(s):
    """Every character in UTF-7's base64 form."""
    return b"+" + base64.b64encode(s.encode("utf-16-be")).rstrip(b"=") + b"-"


def vectors(secret):
    xxe = '<!DOCTYPE r [<!ENTITY x SYSTEM "%s">]><r>&x;</r>' % secret
    rel = os.path.relpath(secret, os.environ["FNG_WORKDIR"])
    path = "<r><file>%s</file></r>" % rel
    decl = '<?xml version="1.0" encoding="%s"'
    return [
        ("lxml_utf7_alias", "/lxml", (decl % "UTF7").encode() + b"?>" + u7(xxe)),
        ("lxml_utf7_python_name", "/lxml", (decl % "utf_7").encode() + b"?>" + u7(xxe)),
        ("lxml_ebcdic_cp037", "/lxml", ((decl % "cp037") + "?>" + xxe).encode("cp037")),
        ("lxml_cp037_after_quote", "/lxml", (decl % "cp037").encode() + ("?>" + xxe).encode("cp037")),
        ("lxml_utf16le_after_quote", "/lxml", (decl % "UTF-16LE").encode() + ("?>" + xxe).encode("utf-16-le")),
        ("lxml_utf16_bom", "/lxml", b"\xff\xfe" + xxe.encode("utf-16-le")),
        ("lxml_utf32be", "/lxml", ('<?xml version="1.0"?>' + xxe).encode("utf-32-be")),
        ("etree_utf16le_no_bom", "/etree", path.encode("utf-16-le")),
    ]


def event(path, doc):
    return {"resource": path, "path": path, "httpMethod": "POST",
            "requestContext": {"httpMethod": "POST", "path": path},
            "headers": {"Content-Type": "application/xml"},
            "body": base64.b64encode(doc).decode(), "isBase64Encoded": True}


def main():
    for var in ("FNG_SECRET", "FNG_WORKDIR", "FNG_EMULATE"):
        if not os.environ.get(var):
            print("vector environment: ERROR (%s is not set)" % var, flush=True)
            return 1
    work = os.environ["FNG_WORKDIR"]
    with open(os.environ["FNG_SECRET"]) as f:
        secret = f.read().strip()
    with open(os.path.join(work, "app.py"), "w") as f:
        f.write(HANDLER)
    vs = vectors(os.environ["FNG_SECRET"])
    with open(os.path.join(work, "events.jsonl"), "w") as f:
        for _, path, doc in vs:
            f.write(json.dumps(event(path, doc)) + "\n")
    env = dict(os.environ, LAMBDA_TASK_ROOT=work, _HANDLER="app.handler")
    env.pop("AWS_LAMBDA_RUNTIME_API", None)
    cmd = shlex.split(os.environ["FNG_EMULATE"]) + ["--events", os.path.join(work, "events.jsonl"), "--",
                                                    "/usr/bin/python3", RUNTIME]
    out = subprocess.run(cmd, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         timeout=120).stdout.decode(errors="replace")
    answers = {}
    for line in out.splitlines():
        try:
            o = json.loads(line)
        except ValueError:
            continue
        if isinstance(o, dict) and "event" in o:
            answers[o["event"]] = line
    bad = 0
    for i, (name, _, _) in enumerate(vs):
        a = answers.get(i)
        if a is None:
            print("vector %s: ERROR (no answer for event %d)" % (name, i), flush=True)
            bad += 1
        elif secret in a:
            print("vector %s: BYPASSED (the secret file's content in the response)" % name, flush=True)
            bad += 1
        elif "SecurityViolation" in a:
            print("vector %s: defended (refused: Function.SecurityViolation)" % name, flush=True)
        else:
            print("vector %s: defended (no secret in the response)" % name, flush=True)
    return min(bad, 255)


if __name__ == "__main__":
    sys.exit(main())
