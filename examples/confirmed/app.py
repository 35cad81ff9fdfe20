"""A "diagnostics" function with the three classic input bugs: a shell
command built by concatenation, a file name joined under a fixed
directory, and a URL taken from the event. Under fnguard with
examples/confirmed/policy.json ("confirmed_attacks": "block"), benign
inputs work and the attacks in events.jsonl fail with EACCES, each reported
with details.confirmed and the input's JSON path:

  cd examples/confirmed
  LAMBDA_TASK_ROOT=$PWD _HANDLER=app.handler fnguard emulate \
      --policy policy.json --events events.jsonl -- \
      /usr/bin/python3 ../runtimes/python/bootstrap
"""
import os
import urllib.request

DOCS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "docs")


def handler(event, context):
    out = {}
    if "host" in event:                       # command injection
        out["ping"] = os.system("ping -c1 -W1 " + event["host"] + " >/dev/null 2>&1")
    if "doc" in event:                        # path traversal
        try:
            with open(DOCS + "/" + event["doc"]) as f:
                out["doc"] = f.read()
        except OSError as e:
            out["doc"] = "error: " + e.strerror
    if "webhook" in event:                    # SSRF
        try:
            urllib.request.urlopen(event["webhook"], timeout=3).close()
            out["webhook"] = "sent"
        except OSError as e:
            out["webhook"] = "error: %s" % getattr(e, "reason", e)
    return out
