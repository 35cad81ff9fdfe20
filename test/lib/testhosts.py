#!/usr/bin/env python3
"""The test hosts of the DNS harness (test/lib/dnsns.sh), in one process.

  testhosts.py READY STOP COUNTS ADDR...
For every ADDR: an HTTP responder on TCP 8080 (reads a request up to its
blank line, answers "hello", closes) and a UDP counter on 5300. Touches READY
once every socket is bound; runs until STOP exists, then writes COUNTS, one
line per socket: "ADDR tcp|udp PORT N" (N = accepted connections or received
datagrams).
"""
import os
import select
import socket
import sys

HTTP_PORT, UDP_PORT = 8080, 5300
REPLY = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"


def bind(addr, kind, port):
    s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    if kind == socket.SOCK_STREAM:
        s.listen(64)
    s.setblocking(False)
    return s


def main():
    ready, stop, counts_path, *addrs = sys.argv[1:]
    servers = {}  # socket -> [addr, proto, port, count]
    for a in addrs:
        servers[bind(a, socket.SOCK_STREAM, HTTP_PORT)] = [a, "tcp", HTTP_PORT, 0]
        servers[bind(a, socket.SOCK_DGRAM, UDP_PORT)] = [a, "udp", UDP_PORT, 0]
    open(ready, "w").close()
    clients = {}  # connection -> request bytes so far
    while True:
        r, _, _ = select.select(list(servers) + list(clients), [], [], 0.05)
        for s in r:
            if s in servers:
                entry = servers[s]
                try:
                    if entry[1] == "tcp":
                        c, _ = s.accept()
                        c.setblocking(False)
                        clients[c] = b""
                    else:
                        s.recvfrom(65536)
                except BlockingIOError:
                    continue
                entry[3] += 1
                continue
            try:
                data = s.recv(4096)
            except (BlockingIOError, ConnectionError):
                data = b""
            clients[s] += data
            if not data or b"\r\n\r\n" in clients[s]:
                try:
                    if data:
                        s.setblocking(True)
                        s.settimeout(2)
                        s.sendall(REPLY)
                except OSError:
                    pass
                s.close()
                del clients[s]
        if not r and os.path.exists(stop):
            break
    with open(counts_path, "w") as f:
        for addr, proto, port, n in servers.values():
            f.write(f"{addr} {proto} {port} {n}\n")


main()
