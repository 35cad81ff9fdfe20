#!/usr/bin/env python3
"""A receiver that, like falcosidekick and Iron Function's api_endpoint
receivers, reads exactly one JSON object per POST body.

  onepost.py READY OUT BAD

Listens on 127.0.0.1 (the port written to READY). Each POST body must be
strict UTF-8 holding exactly one JSON object (json.loads fails on a second
one: "Extra data"); it is appended to OUT as one line and answered 200.
Anything else is answered 400 and described in BAD. Runs until killed.
"""
import http.server
import json
import os
import sys


def main():
    ready_path, out_path, bad_path = sys.argv[1:]
    out = open(out_path, "a", buffering=1)
    bad = open(bad_path, "a", buffering=1)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                obj = json.loads(body.decode("utf-8", errors="strict"))
                if not isinstance(obj, dict):
                    raise ValueError("not an object")
                out.write(json.dumps(obj) + "\n")
                code = 200
            except ValueError as e:
                bad.write("%s: %r\n" % (e, body[:200]))
                code = 400
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *a):
            pass

    srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    tmp = ready_path + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, ready_path)
    srv.serve_forever()


main()
