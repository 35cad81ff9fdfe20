#!/usr/bin/env python3
"""A resolver that never answers, for the DNS harness (test/lib/dnsns.sh).

  silentdns.py ADDR READY STOP COUNT
Binds ADDR port 53 on UDP and TCP, touches READY, then reads every query and
drops it (TCP connections are accepted and left without an answer). Runs
until STOP exists, then writes COUNT: the number of UDP queries and TCP
connections it got.
"""
import os
import select
import socket
import sys


def main():
    addr, ready, stop, count_path = sys.argv[1:]
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind((addr, 53))
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind((addr, 53))
    tcp.listen(64)
    open(ready, "w").close()
    held, got = [], 0
    while not os.path.exists(stop):
        r, _, _ = select.select([udp, tcp], [], [], 0.05)
        if udp in r:
            udp.recvfrom(65535)
            got += 1
        if tcp in r:
            held.append(tcp.accept()[0])
            got += 1
    with open(count_path, "w") as f:
        f.write(f"{got}\n")


if __name__ == "__main__":
    main()
