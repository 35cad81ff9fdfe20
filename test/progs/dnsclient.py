#!/usr/bin/env python3
"""Outbound connections by host name, the way Python functions make them.

  dnsclient.py tcp HOST[:PORT]...    socket.create_connection + an HTTP exchange
  dnsclient.py each HOST[:PORT]      getaddrinfo(AF_INET), then the exchange with every address
  dnsclient.py http HOST[:PORT]...   urllib.request.urlopen("http://HOST:PORT/")
  dnsclient.py udp HOST[:PORT]...    one datagram with sendto((HOST, PORT))
  dnsclient.py resolve HOST...       getaddrinfo(AF_INET): the sorted addresses
  dnsclient.py query SERVER NAME     a hand-built DNS query for NAME (type A) sent
                                     with sendto to SERVER:53, then its answers
Ports default to 8080 (TCP) and 5300 (UDP). One line per attempt:
  OK NAME [detail]         connected and got "hello" back / sent / resolved
  DENIED ERRNO NAME        an OSError with that errno (13 = EACCES)
  NORESOLVE CODE NAME      the name did not resolve (getaddrinfo's code)
  FAILED WHAT NAME         anything else
The exit status is 0 whatever the outcomes: the lines are the result.
"""
import random
import socket
import struct
import sys
import urllib.error
import urllib.request

REQUEST = b"GET / HTTP/1.0\r\nHost: test\r\n\r\n"


def split(target, default_port):
    if target.startswith("["):
        host, _, rest = target[1:].partition("]")
        return host, int(rest[1:]) if rest else default_port
    if target.count(":") == 1:
        host, port = target.split(":")
        return host, int(port)
    return target, default_port


def exchange(sock):
    sock.sendall(REQUEST)
    data = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            return data
        data += chunk


def outcome(name, fn):
    try:
        detail = fn()
    except socket.gaierror as e:
        print("NORESOLVE", e.errno, name)
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, socket.gaierror):
            print("NORESOLVE", reason.errno, name)
        elif isinstance(reason, OSError) and reason.errno:
            print("DENIED", reason.errno, name)
        else:
            print("FAILED", repr(reason).replace(" ", "_"), name)
    except OSError as e:
        if e.errno:
            print("DENIED", e.errno, name)
        else:
            print("FAILED", repr(e).replace(" ", "_"), name)
    else:
        if detail is None:
            print("FAILED no-hello", name)
        else:
            print("OK", name, detail) if detail else print("OK", name)
    sys.stdout.flush()


def tcp(target):
    def go():
        with socket.create_connection(split(target, 8080), timeout=10) as s:
            return "" if b"hello" in exchange(s) else None
    outcome(target, go)


def each(target):
    host, port = split(target, 8080)
    try:
        infos = socket.getaddrinfo(host, port, socket.AF_INET, socket.SOCK_STREAM)
    except socket.gaierror as e:
        print("NORESOLVE", e.errno, target)
        return
    for family, kind, proto, _, addr in infos:
        def go():
            with socket.socket(family, kind, proto) as s:
                s.settimeout(10)
                s.connect(addr)
                return "" if b"hello" in exchange(s) else None
        outcome(f"{target} {addr[0]}", go)


def http(target):
    host, port = split(target, 8080)
    url = f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def go():
        with opener.open(url, timeout=10) as r:
            return "" if r.read() == b"hello" else None
    outcome(target, go)


def udp(target):
    host, port = split(target, 5300)

    def go():
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_DGRAM) as s:
            s.sendto(b"x", (host, port))
        return ""
    outcome(target, go)


def resolve(name):
    def go():
        infos = socket.getaddrinfo(name, 0, socket.AF_INET, socket.SOCK_STREAM)
        return ",".join(sorted({i[4][0] for i in infos}))
    outcome(name, go)


def dns_query(name, qid):
    labels = b"".join(bytes([len(p)]) + p.encode() for p in name.split("."))
    return struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + labels + b"\0" + struct.pack(">HH", 1, 1)


def dns_answers(msg, qid):
    """The A records of a reply to query qid, or None when it is not one."""
    if len(msg) < 12:
        return None
    rid, flags, qd, an = struct.unpack(">HHHH", msg[:8])
    if rid != qid or not flags & 0x8000:
        return None
    pos = 12
    for _ in range(qd):
        while msg[pos] and msg[pos] < 0xC0:
            pos += msg[pos] + 1
        pos += (2 if msg[pos] >= 0xC0 else 1) + 4
    out = []
    for _ in range(an):
        pos += 2 if msg[pos] >= 0xC0 else msg.index(b"\0", pos) - pos + 1
        rtype, _, _, rdlen = struct.unpack(">HHIH", msg[pos:pos + 10])
        pos += 10
        if rtype == 1 and rdlen == 4:
            out.append(socket.inet_ntoa(msg[pos:pos + 4]))
        pos += rdlen
    return sorted(out)


def query(server, name):
    qid = random.randrange(1, 0xFFFF)

    def go():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(2)
            s.sendto(dns_query(name, qid), (server, 53))
            while True:
                answers = dns_answers(s.recv(4096), qid)
                if answers is not None:
                    return ",".join(answers) or "no-answer"
    outcome(name, go)


def main():
    mode, *args = sys.argv[1:]
    if mode == "query":
        query(*args)
        return
    fn = {"tcp": tcp, "each": each, "http": http, "udp": udp, "resolve": resolve}[mode]
    for a in args:
        fn(a)


main()
