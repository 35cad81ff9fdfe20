# A Lambda runtime that keeps one HTTP/1.1 connection to the Runtime API for
# every request (http.client, no "Connection: close"): the keep-alive twin of
# examples/runtimes/python/bootstrap (urllib, which asks to close), for
# test/integration/fw_close.sh. Handler: _HANDLER in LAMBDA_TASK_ROOT.
import http.client
import importlib.util
import json
import os
import sys

host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].rsplit(":", 1)
API = "/2018-06-01/runtime/"
module, _, fn = os.environ["_HANDLER"].rpartition(".")
spec = importlib.util.spec_from_file_location(module, os.path.join(os.environ["LAMBDA_TASK_ROOT"], module + ".py"))
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
handler = getattr(mod, fn)
conn = http.client.HTTPConnection(host, int(port))
while True:
    conn.request("GET", API + "invocation/next")
    r = conn.getresponse()
    event = r.read()
    if r.status != 200 or r.getheader("Connection", "").lower() == "close":
        sys.exit(0 if r.status == 410 else 1)
    rid = r.getheader("Lambda-Runtime-Aws-Request-Id")
    body = json.dumps(handler(json.loads(event), {"aws_request_id": rid})).encode()
    conn.request("POST", API + "invocation/%s/response" % rid, body)
    conn.getresponse().read()
