#!/usr/bin/env python3
# A runtime that streams each event's "chunks" as separate HTTP chunks of a
# chunked response (streaming mode), "pad" bytes of filler first, so a test
# can split a secret across chunk boundaries and send a lot before it.
import http.client
import json
import os

host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
base = "/2018-06-01/runtime/invocation/"
while True:
    conn = http.client.HTTPConnection(host, int(port))
    conn.request("GET", base + "next")
    r = conn.getresponse()
    rid = r.getheader("Lambda-Runtime-Aws-Request-Id")
    ev = json.loads(r.read())

    def body():
        if ev.get("pad"):
            yield b"." * ev["pad"]
        for c in ev["chunks"]:
            yield c.encode()

    try:
        conn.request("POST", base + rid + "/response", body=body(), encode_chunked=True,
                     headers={"Lambda-Runtime-Function-Response-Mode": "streaming", "Transfer-Encoding": "chunked"})
        conn.getresponse().read()
    except (ConnectionError, http.client.HTTPException):
        pass
    conn.close()
