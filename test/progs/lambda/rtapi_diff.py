"""Differential test of fnguard's Runtime API proxy against other HTTP
stacks: test/progs/go/rtapi.go (Go net/http, what AWS's runtime interface
uses) and test/progs/lambda/rtapi_upstream.js (node's http, llhttp).

    rtapi_diff.py run FNGUARD GO_ADDR GO_LOG WORKDIR [NAME-REGEX]
    rtapi_diff.py send-env INDEX N     (runs under fnguard: one corpus item to
                                        $AWS_LAMBDA_RUNTIME_API, read N answers)

`run` sends every corpus request (well-formed and malformed) straight to the
upstream (called "Go" below, either one), and again through `fnguard run` with AWS_LAMBDA_RUNTIME_API
pointing at it, and compares what the Go server routed (route, method, id,
body length and hash: route and framing) and what the proxy counted. For
each item:
- relayed by the proxy (nothing refused): the Go server must log exactly what
  it logs for the item sent directly, and the proxy's counts per route must be
  the Go server's (a request the proxy relays and counts that Go rejects
  before routing is a disagreement too);
- refused (400 from fnguard, an event with policy "lambda"): the requests
  the Go server read whole through the proxy must be a prefix of those it
  read directly, and the proxy's counts (whole requests) must match them.
Items marked "refuse" must be refused, "relay" relayed. One line per item;
the exit status is the number of failures.
"""
import json
import os
import re
import socket
import subprocess
import sys

H = "Host: 127.0.0.1\r\n"
P = "/2018-06-01/runtime/"
ID80 = "x" * 80


def req(line, headers="", body=""):
    return (line + "\r\n" + headers + "\r\n" + body).encode()


def post(path, body, extra=""):
    return req("POST %s HTTP/1.1" % path, H + extra + "Content-Length: %d\r\n" % len(body), body)


NEXT = req("GET " + P + "invocation/next HTTP/1.1", H)
CHUNKED = "Transfer-Encoding: chunked\r\n"

CORPUS = [
    ("next", "relay", NEXT),
    ("next_query", "relay", req("GET " + P + "invocation/next?x=1&y=%41 HTTP/1.1", H)),
    ("response_cl", "relay", post(P + "invocation/inv-1/response", "ok")),
    ("response_chunked", "relay", req("POST " + P + "invocation/inv-1/response HTTP/1.1", H + CHUNKED, "2\r\nok\r\n0\r\n\r\n")),
    ("response_chunk_ext", "relay", req("POST " + P + "invocation/inv-1/response HTTP/1.1", H + CHUNKED, "2;a=b\r\nok\r\n0\r\n\r\n")),
    ("response_chunk_zeros", "relay", req("POST " + P + "invocation/inv-1/response HTTP/1.1", H + CHUNKED, "002\r\nok\r\n00\r\n\r\n")),
    ("response_trailer", "relay", req("POST " + P + "invocation/inv-1/response HTTP/1.1", H + CHUNKED, "2\r\nok\r\n0\r\nX-T: 1\r\n\r\n")),
    ("response_te_case", "relay", req("POST " + P + "invocation/inv-1/response HTTP/1.1", H + "Transfer-Encoding: Chunked\r\n", "2\r\nok\r\n0\r\n\r\n")),
    ("response_cl_zeros", "relay", req("POST " + P + "invocation/inv-1/response HTTP/1.1", H + "Content-Length: 002\r\n", "ok")),
    ("response_expect", "relay", post(P + "invocation/inv-1/response", "ok", "Expect: 100-continue\r\n")),
    ("response_expect_empty", "refuse", post(P + "invocation/inv-1/response", "ok", "Expect:\r\n")),
    ("error", "relay", post(P + "invocation/inv-1/error", "{}", "Lambda-Runtime-Function-Error-Type: Runtime.X\r\n")),
    ("init_error", "relay", post(P + "init/error", "{}", "Lambda-Runtime-Function-Error-Type: Runtime.X\r\n")),
    ("other_path", "relay", req("GET " + P + "foo HTTP/1.1", H)),
    ("extension_path", "relay", req("GET /2020-01-01/extension/event/next HTTP/1.1", H)),
    ("next_post", "relay", post(P + "invocation/next", "")),
    ("response_get", "relay", req("GET " + P + "invocation/inv-1/response HTTP/1.1", H)),
    ("response_put", "relay", req("PUT " + P + "invocation/inv-1/response HTTP/1.1", H + "Content-Length: 2\r\n", "ok")),
    ("next_trailing_slash", "relay", req("GET " + P + "invocation/next/ HTTP/1.1", H)),
    ("http10_next", "relay", req("GET " + P + "invocation/next HTTP/1.0", "")),
    ("pipelined", "relay", NEXT + post(P + "invocation/inv-1/response", "ok") + NEXT),
    ("pipelined_17", "relay", req("GET " + P + "foo HTTP/1.1", H) * 16 + NEXT),
    ("absolute_next", "refuse", req("GET http://127.0.0.1:9001" + P + "invocation/next HTTP/1.1", H)),
    ("absolute_response", "refuse", req("POST http://x" + P + "invocation/inv-1/response HTTP/1.1", H + "Content-Length: 2\r\n", "ok")),
    ("pct_next", "refuse", req("GET " + P + "invocation/%6eext HTTP/1.1", H)),
    ("pct_slash", "refuse", req("GET " + P + "invocation%2Fnext HTTP/1.1", H)),
    ("dotdot", "refuse", req("GET " + P + "x/../invocation/next HTTP/1.1", H)),
    ("dot", "refuse", req("GET " + P + "./invocation/next HTTP/1.1", H)),
    ("double_slash", "refuse", req("GET /" + P + "invocation/next HTTP/1.1", H)),
    ("fragment", "refuse", req("GET " + P + "invocation/next#x HTTP/1.1", H)),
    ("long_id", "refuse", post(P + "invocation/" + ID80 + "/response", "ok")),
    ("dup_cl", "refuse", req("POST " + P + "invocation/inv-1/response HTTP/1.1", H + "Content-Length: 2\r\nContent-Length: 2\r\n", "ok")),
    ("conflict_cl", "refuse", req("POST " + P + "invocation/inv-1/response HTTP/1.1", H + "Content-Length: 2\r\nContent-Length: 3\r\n", "ok")),
    ("cl_list", "refuse", req("POST " + P + "invocation/inv-1/response HTTP/1.1", H + "Content-Length: 2, 2\r\n", "ok")),
    ("cl_plus", "refuse", req("POST " + P + "invocation/inv-1/response HTTP/1.1", H + "Content-Length: +2\r\n", "ok")),
    ("cl_te", "refuse", req("POST " + P + "invocation/inv-1/response HTTP/1.1", H + "Content-Length: 2\r\n" + CHUNKED, "2\r\nok\r\n0\r\n\r\n")),
    ("te_gzip_chunked", "refuse", req("POST " + P + "invocation/inv-1/response HTTP/1.1", H + "Transfer-Encoding: gzip, chunked\r\n", "2\r\nok\r\n0\r\n\r\n")),
    ("te_twice", "refuse", req("POST " + P + "invocation/inv-1/response HTTP/1.1", H + CHUNKED + CHUNKED, "2\r\nok\r\n0\r\n\r\n")),
    ("http10_te", "refuse", req("POST " + P + "invocation/inv-1/response HTTP/1.0", CHUNKED, "2\r\nok\r\n0\r\n\r\n")),
    ("http12", "refuse", req("GET " + P + "invocation/next HTTP/1.2", H)),
    ("head_next", "refuse", req("HEAD " + P + "invocation/next HTTP/1.1", H)),
    ("delete", "refuse", req("DELETE " + P + "invocation/next HTTP/1.1", H)),
    ("options_star", "refuse", req("OPTIONS * HTTP/1.1", H)),
    ("bare_lf", "refuse", ("GET " + P + "invocation/next HTTP/1.1\nHost: x\n\n").encode()),
    ("obs_fold", "refuse", req("GET " + P + "invocation/next HTTP/1.1", H + "X-A: b\r\n c\r\n")),
    ("space_before_colon", "refuse", req("POST " + P + "invocation/inv-1/response HTTP/1.1", H + "Content-Length : 2\r\n", "ok")),
    ("no_host", "refuse", req("GET " + P + "invocation/next HTTP/1.1", "")),
    ("two_hosts", "refuse", req("GET " + P + "invocation/next HTTP/1.1", H + H)),
    ("upgrade", "refuse", req("GET " + P + "invocation/next HTTP/1.1", H + "Connection: Upgrade\r\nUpgrade: h2c\r\n")),
    ("expect_other", "refuse", req("POST " + P + "invocation/inv-1/response HTTP/1.1", H + "Expect: 200-ok\r\nContent-Length: 2\r\n", "ok")),
    ("leading_crlf", "refuse", b"\r\n" + NEXT),
    ("double_space", "refuse", req("GET  " + P + "invocation/next HTTP/1.1", H)),
    ("chunk_bare_lf", "any", req("POST " + P + "invocation/inv-1/response HTTP/1.1", H + CHUNKED, "2\nok\r\n0\r\n\r\n")),
    ("chunk_no_crlf_after_data", "any", req("POST " + P + "invocation/inv-1/response HTTP/1.1", H + CHUNKED, "2\r\nokXY0\r\n\r\n")),
    ("chunk_size_overflow", "any", req("POST " + P + "invocation/inv-1/response HTTP/1.1", H + CHUNKED, "ffffffffffffffffff\r\nok\r\n0\r\n\r\n")),
    ("chunk_0x", "any", req("POST " + P + "invocation/inv-1/response HTTP/1.1", H + CHUNKED, "0x2\r\nok\r\n0\r\n\r\n")),
    ("chunk_space_ext", "any", req("POST " + P + "invocation/inv-1/response HTTP/1.1", H + CHUNKED, "2 \r\nok\r\n0\r\n\r\n")),
    ("cl_20_digits", "refuse", req("POST " + P + "invocation/inv-1/response HTTP/1.1", H + "Content-Length: 00000000000000000002\r\n", "ok")),
    ("body_then_garbage", "any", post(P + "invocation/inv-1/response", "ok") + b"XYZ\r\n\r\n"),
    ("smuggle_in_body", "relay", post(P + "invocation/inv-1/response", NEXT.decode())),
    ("head_over_64k", "refuse", req("GET " + P + "invocation/next HTTP/1.1", H + "X-Pad: " + "a" * 70000 + "\r\n")),
    ("valid_then_absolute", "refuse", NEXT + req("GET http://x" + P + "invocation/next HTTP/1.1", H)),
]


class Reader:
    def __init__(self, sock):
        self.sock, self.buf = sock, b""

    def fill(self):
        d = self.sock.recv(65536)
        if not d:
            raise EOFError
        self.buf += d

    def line(self):
        while b"\r\n" not in self.buf:
            self.fill()
        ln, self.buf = self.buf.split(b"\r\n", 1)
        return ln

    def take(self, n):
        while len(self.buf) < n:
            self.fill()
        d, self.buf = self.buf[:n], self.buf[n:]
        return d

    def response(self):
        """One final response: (status, body). 1xx answers are skipped."""
        while True:
            status = int(self.line().split(b" ")[1])
            hdrs = {}
            while True:
                ln = self.line()
                if not ln:
                    break
                k, v = ln.split(b":", 1)
                hdrs[k.strip().lower()] = v.strip()
            if status < 200:
                continue
            if hdrs.get(b"transfer-encoding", b"").lower() == b"chunked":
                body = b""
                while True:
                    n = int(self.line().split(b";")[0], 16)
                    if n == 0:
                        while self.line():
                            pass
                        return status, body
                    body += self.take(n)
                    self.take(2)
            return status, self.take(int(hdrs.get(b"content-length", b"0")))


def exchange(addr, data, want=None):
    """Send data; read answers until EOF (want None: half-close first) or want of them."""
    host, port = addr.rsplit(":", 1)
    s = socket.create_connection((host, int(port)), timeout=20)
    s.sendall(data)
    if want is None:
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the proxy refused and closed first: its answer is still there to read
    r, out = Reader(s), []
    try:
        while want is None or len(out) < want:
            out.append(r.response())
    except (EOFError, ConnectionError, ValueError, IndexError):
        pass
    s.close()
    return out


SYNC = b"GET /fng-sync HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"


def log_lines(path, start, addr):
    """What the upstream logged since line start. A request of its own on a
    new connection first, answered only after the upstream has logged what
    came before (a server may log a request after closing its connection)."""
    exchange(addr, SYNC, 1)
    with open(path) as f:
        lines = f.read().splitlines()
    entries = [json.loads(x) for x in lines[start:]]
    return [e for e in entries if e["path"] != "/fng-sync"], len(lines)


def norm(entries):
    out = []
    for e in entries:
        e = dict(e)
        if e["route"] == "next":
            e["id"] = "*"  # handed out by the server: its counter
        out.append(e)
    return out


def proxy_counts(ev_path):
    counts, refused_events = None, 0
    with open(ev_path) as f:
        for line in f:
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            msg = ev.get("details", {}).get("message", "")
            m = re.match(r"Runtime API proxy requests: next (\d+), response (\d+), error (\d+), "
                         r"init-error (\d+), other (\d+); refused (\d+)", msg)
            if m:
                v = [int(x) for x in m.groups()]
                counts = dict(zip(["next", "response", "error", "init-error", "other", "refused"], v))
            if ev.get("policy") == "lambda" and ev.get("action") == "blocked":
                refused_events += 1
    return counts, refused_events


def route_counts(entries):
    c = dict.fromkeys(["next", "response", "error", "init-error", "other"], 0)
    for e in entries:
        if e["ok"]:
            c[e["route"]] += 1
    return c


def run(fnguard, addr, log, work, pattern):
    failures, start = 0, log_lines(log, 0, addr)[1]
    policy = os.path.join(work, "diff-policy.json")
    with open(policy, "w") as f:
        f.write('{"outbound_connectivity":"allow","read_write_tmp":"allow",'
                '"create_child_process":"allow","read_handler":"allow"}\n')
    for i, (name, expect, data) in enumerate(CORPUS):
        if pattern and not re.search(pattern, name):
            continue
        answers = exchange(addr, data)
        direct, start = log_lines(log, start, addr)
        ev = os.path.join(work, "diff-%s.ev" % name)
        env = dict(os.environ, AWS_LAMBDA_RUNTIME_API=addr)
        env.pop("_HANDLER", None)
        p = subprocess.run([fnguard, "run", "--log", "file:" + ev, "--policy", policy, "--",
                            sys.executable, os.path.abspath(__file__), "send-env", str(i), str(len(answers))],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        proxied, start = log_lines(log, start, addr)
        counts, refused_events = proxy_counts(ev)
        why = []
        if p.returncode != 0:
            why.append("fnguard run exited %d: %s" % (p.returncode, p.stderr.decode()[-300:]))
        if counts is None:
            why.append("no proxy summary")
            counts = {}
        refused = counts.get("refused", 0)
        d, q = norm(direct), norm(proxied)
        if refused:
            # what the refusal cut short (ok false) is not a routed request
            q = [e for e in q if e["ok"]]
            if q != [e for e in d if e["ok"]][:len(q)]:
                why.append("went through the proxy as %s, directly %s" % (q, d))
            if refused_events < 1:
                why.append("refused without an event")
        elif q != d:
            why.append("routed through the proxy as %s, directly as %s" % (q, d))
        seen = {k: counts.get(k, -1) for k in ["next", "response", "error", "init-error", "other"]}
        if seen != route_counts(proxied):
            why.append("proxy classified %s, the Go server routed %s" % (seen, route_counts(proxied)))
        if expect == "refuse" and not refused:
            why.append("expected a refusal")
        if expect == "relay" and refused:
            why.append("refused a request the proxy must relay")
        if why:
            failures += 1
            print("FAIL %s: %s" % (name, "; ".join(why)))
        else:
            print("ok   %s (%s; Go: %s)" % (name, "refused" if refused else "relayed",
                                           ",".join(e["route"] for e in direct) or "-"))
    return failures


def main():
    if sys.argv[1] == "send-env":
        exchange(os.environ["AWS_LAMBDA_RUNTIME_API"], CORPUS[int(sys.argv[2])][2], int(sys.argv[3]))
        return 0
    return min(run(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6] if len(sys.argv) > 6 else ""), 255)


if __name__ == "__main__":
    sys.exit(main())
