#!/usr/bin/env python3
"""A test listener that counts what reaches it.

  listener.py tcp|udp ADDR PORT READY STOP COUNT
Binds ADDR:PORT, touches READY, counts accepted connections (tcp) or
datagrams (udp) until STOP exists, then writes the count to COUNT.
"""
import os
import select
import socket
import sys

proto, addr, port, ready, stop, count = sys.argv[1:]
family = socket.AF_INET6 if ":" in addr else socket.AF_INET
kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
s = socket.socket(family, kind)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, int(port)))
if proto == "tcp":
    s.listen(64)
open(ready, "w").close()
n = 0
while True:
    r, _, _ = select.select([s], [], [], 0.05)
    if r:
        if proto == "tcp":
            c, _ = s.accept()
            c.close()
        else:
            s.recvfrom(65536)
        n += 1
        continue
    if os.path.exists(stop):
        break
with open(count, "w") as f:
    f.write(str(n))
