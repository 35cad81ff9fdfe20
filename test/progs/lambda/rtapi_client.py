"""Runtime API clients for the proxy's limit tests (test/integration/rtapi.sh),
talking to $AWS_LAMBDA_RUNTIME_API.

    rtapi_client.py conns N      open N connections at once, then ask one
                                 request on each: prints "served S closed C"
    rtapi_client.py many-next N  N pipelined `next` calls on one connection
                                 (N invocations in flight), an exec of
                                 /bin/true, then the response for the last
                                 one: prints its id and the answer's status
"""
import os
import socket
import sys

API = os.environ["AWS_LAMBDA_RUNTIME_API"]
HOST, PORT = API.rsplit(":", 1)


def connect():
    return socket.create_connection((HOST, int(PORT)), timeout=30)


def read_head(f):
    status = int(f.readline().split()[1])
    hdrs = {}
    while True:
        ln = f.readline()
        if ln in (b"\r\n", b""):
            break
        k, v = ln.split(b":", 1)
        hdrs[k.strip().lower()] = v.strip()
    f.read(int(hdrs.get(b"content-length", b"0")))
    return status, hdrs


def conns(n):
    socks = [connect() for _ in range(n)]
    served = closed = 0
    for s in socks:
        try:
            s.sendall(b"GET /2018-06-01/runtime/ping HTTP/1.1\r\nHost: x\r\n\r\n")
            read_head(s.makefile("rb"))
            served += 1
        except (OSError, IndexError, ValueError):
            closed += 1
    print("served %d closed %d" % (served, closed))


def many_next(n):
    s = connect()
    s.sendall(b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n" * n)
    f = s.makefile("rb")
    rid = None
    for _ in range(n):
        _, hdrs = read_head(f)
        rid = hdrs[b"lambda-runtime-aws-request-id"].decode()
    try:
        os.posix_spawn("/bin/true", ["true"], os.environ)
    except OSError:
        pass
    s.sendall(("POST /2018-06-01/runtime/invocation/%s/response HTTP/1.1\r\nHost: x\r\n"
               "Content-Length: 2\r\n\r\nok" % rid).encode())
    status, _ = read_head(f)
    print("%s %d" % (rid, status))


if __name__ == "__main__":
    {"conns": conns, "many-next": many_next}[sys.argv[1]](int(sys.argv[2]))
