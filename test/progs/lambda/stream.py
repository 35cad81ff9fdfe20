#!/usr/bin/env python3
# A runtime that streams its response: a chunked body with
# Lambda-Runtime-Function-Response-Mode set to streaming, one keep-alive
# connection (http.client). The event says how many lines to send; line i is
# "%08d\n" % i, so the test knows the bytes that must come out.
import http.client
import json
import os

host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
conn = http.client.HTTPConnection(host, int(port))
base = "/2018-06-01/runtime/invocation/"
while True:
    conn.request("GET", base + "next")
    r = conn.getresponse()
    rid = r.getheader("Lambda-Runtime-Aws-Request-Id")
    lines = json.loads(r.read())["lines"]

    def body():
        for start in range(0, lines, 4096):
            yield b"".join(b"%08d\n" % i for i in range(start, min(lines, start + 4096)))

    conn.request("POST", base + rid + "/response", body=body(), encode_chunked=True,
                 headers={"Lambda-Runtime-Function-Response-Mode": "streaming", "Transfer-Encoding": "chunked"})
    conn.getresponse().read()
