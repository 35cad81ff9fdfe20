# A deliberately vulnerable handler for the confirmed-attack tests
# (test/integration/confirmed.sh): a command built by concatenation, a path
# joined under a fixed directory, a URL taken from the event.
import base64
import json
import os
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


def handler(event, context):
    out = {}
    if "requestContext" in event:            # API Gateway: the body and query string hold the inputs
        body = event.get("body") or "{}"
        if event.get("isBase64Encoded"):
            body = base64.b64decode(body).decode()
        event = dict(json.loads(body), **(event.get("queryStringParameters") or {}))
    if "host" in event:
        out["rc"] = os.system("ping -c1 -W1 " + event["host"] + " >/dev/null 2>&1; true")
    if "file" in event:
        try:
            with open(HERE + "/data/" + event["file"]) as f:
                out["read"] = len(f.read())
        except OSError as e:
            out["read"] = "denied %d" % e.errno
    if "url" in event:
        try:
            out["fetched"] = urllib.request.urlopen(event["url"], timeout=5).read().decode()
        except OSError as e:
            out["fetched"] = "denied %s" % getattr(e, "reason", e)
    if "path" in event:
        try:
            out["fetched"] = urllib.request.urlopen(
                "http://127.0.0.1:%d/%s" % (event["port"], event["path"]), timeout=5).read().decode()
        except OSError as e:
            out["fetched"] = "denied %s" % getattr(e, "reason", e)
    return out
