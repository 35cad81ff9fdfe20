#!/usr/bin/env python3
# A runtime with AWS_LAMBDA_MAX_CONCURRENCY workers, each its own
# next/response loop on its own connection. The handler makes every worker
# wait until all hold an invocation, so that many are in flight at once when
# it reads its handler file (an event with no single request id to name).
import json
import os
import threading
import urllib.request

API = "http://%s/2018-06-01/runtime/invocation/" % os.environ["AWS_LAMBDA_RUNTIME_API"]
N = int(os.environ["AWS_LAMBDA_MAX_CONCURRENCY"])
HANDLER = os.path.join(os.environ["LAMBDA_TASK_ROOT"], "app.py")
together = threading.Barrier(N)
open(HANDLER).read()  # initialisation: allowed


def worker():
    while True:
        with urllib.request.urlopen(API + "next") as r:
            rid = r.headers["Lambda-Runtime-Aws-Request-Id"]
            event = json.loads(r.read())
        together.wait()
        try:
            open(HANDLER).read()
            event["self"] = "readable"
        except OSError as e:
            event["self"] = "denied %d" % e.errno
        together.wait()  # every read is done before any response goes out
        urllib.request.urlopen(urllib.request.Request(API + rid + "/response", data=json.dumps(event).encode(),
                                                      method="POST")).read()


for _ in range(N):
    threading.Thread(target=worker).start()
