#!/usr/bin/env python3
"""Collectors for the event pipeline tests; each appends what it receives to OUT.

  collector.py http READY OUT [FAIL_FIRST]   HTTP on 127.0.0.1, a free port written to READY;
                                             answers 503 to the first FAIL_FIRST POSTs (not stored)
  collector.py unix-stream PATH OUT READY    accepts connections, appends every byte
  collector.py unix-dgram PATH OUT READY     appends every datagram
  collector.py stall PATH - READY            accepts one stream connection and never reads
Runs until killed; every write reaches OUT before the next read.
"""
import http.server
import os
import select
import socket
import sys


def ready(path, text=""):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, path)


def http_collector(ready_path, out_path, fail_first):
    out = open(out_path, "ab", buffering=0)
    state = {"failed": 0, "requests": 0}

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            state["requests"] += 1
            if state["failed"] < fail_first:
                state["failed"] += 1
                code = 503
            else:
                if self.headers.get("Content-Type") != "application/x-ndjson":
                    code = 415
                else:
                    out.write(body)  # stored before the answer: answered means stored
                    code = 200
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    ready(ready_path, str(srv.server_address[1]))
    srv.serve_forever()


def unix_collector(kind, path, out_path, ready_path):
    out = open(out_path, "ab", buffering=0) if out_path != "-" else None
    stype = socket.SOCK_DGRAM if kind == "unix-dgram" else socket.SOCK_STREAM
    s = socket.socket(socket.AF_UNIX, stype)
    if stype == socket.SOCK_DGRAM:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    s.bind(path)
    if stype == socket.SOCK_DGRAM:
        ready(ready_path)
        while True:
            out.write(s.recv(1 << 20))
    s.listen(16)
    ready(ready_path)
    if kind == "stall":
        held = []
        while True:
            c, _ = s.accept()
            held.append(c)  # never read: the sender's buffer fills and stays full
    conns = [s]
    while True:
        r, _, _ = select.select(conns, [], [])
        for c in r:
            if c is s:
                conns.append(s.accept()[0])
                continue
            data = c.recv(1 << 16)
            if not data:
                conns.remove(c)
                c.close()
            else:
                out.write(data)


def main():
    kind = sys.argv[1]
    if kind == "http":
        http_collector(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 0)
    else:
        unix_collector(kind, sys.argv[2], sys.argv[3], sys.argv[4])


main()
