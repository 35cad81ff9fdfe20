#!/usr/bin/python3
# payload_inject: the payload checks (input_firewall, confirmed_attacks,
# output_inspection) against a deliberately vulnerable Lambda handler, in
# Python and in Node. The handler is a whole custom runtime (its own
# Runtime API loop) that passes event fields to `sh -c`, to open(), to a
# URL fetch, and echoes an environment variable (the function's secret
# key) in its response, in an error, and in an init error.
#
# The program is the harness of its own vectors: it runs a Runtime API
# upstream (http.server, recording every body the runtime posts) and a
# loopback HTTP listener (the SSRF target) in threads, writes the handler
# into FNG_WORKDIR, starts the runtime (natively, or under the command in
# FNG_PAYLOAD_WRAP, e.g. `fnguard run --policy P --`), serves one event per
# vector, and judges each vector by its effect:
#   cmd_*   a marker file the injected command creates exists
#   lfi_*   the upstream got the secret file's content in the response
#   ssrf_*  the loopback listener got the vector's request
#   leak_*  the upstream got the function's secret key (response, error,
#           init/error body)
# Protocol lines as test/adversarial/README.md says; exit status = BYPASSED
# + ERROR. Environment: FNG_SECRET, FNG_WORKDIR; optional FNG_PAYLOAD_WRAP,
# FNG_PAYLOAD_RUNTIMES ("python node"), FNG_PAYLOAD_ONLY (run only vectors
# whose name contains it).
import http.server
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time

SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
PREFIX = "/2018-06-01/runtime/"
WAIT = 60

PY_HANDLER = r'''
import json, os, subprocess, sys, urllib.request
API = "http://%s/2018-06-01/runtime" % os.environ["AWS_LAMBDA_RUNTIME_API"]
HERE = os.path.dirname(os.path.abspath(__file__))
NOPROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))

def post(path, body, hdr=None):
    NOPROXY.open(urllib.request.Request(API + path, data=body, method="POST", headers=hdr or {})).read()

def handler(ev):
    out = {}
    if "host" in ev:    # command injection: the field inside a sh -c script
        out["rc"] = subprocess.run(["/bin/sh", "-c", "echo pinging " + ev["host"] + " >/dev/null"]).returncode
    if "file" in ev:    # path traversal: the field joined under data/
        with open(os.path.join(HERE, "data", ev["file"])) as f:
            out["read"] = f.read()
    if "url" in ev:     # SSRF: the field fetched
        out["fetched"] = NOPROXY.open(ev["url"], timeout=5).read().decode()
    if "env" in ev:     # a debug echo of the configuration
        out["debug"] = os.environ.get(ev["env"], "")
    if "fail_env" in ev:
        raise RuntimeError("bad configuration " + os.environ.get(ev["fail_env"], ""))
    return out

if os.environ.get("PAYLOAD_INIT_LEAK"):
    post("/init/error", json.dumps({"errorMessage": "cannot sign with " + os.environ["AWS_SECRET_ACCESS_KEY"],
                                    "errorType": "Runtime.InitError"}).encode(),
         {"Lambda-Runtime-Function-Error-Type": "Runtime.InitError"})
    sys.exit(1)
while True:
    with NOPROXY.open(API + "/invocation/next") as r:
        rid = r.headers["Lambda-Runtime-Aws-Request-Id"]
        event = json.loads(r.read())
    try:
        post("/invocation/%s/response" % rid, json.dumps(handler(event)).encode())
    except Exception as e:
        post("/invocation/%s/error" % rid, json.dumps({"errorMessage": str(e), "errorType": type(e).__name__}).encode(),
             {"Lambda-Runtime-Function-Error-Type": "Function." + type(e).__name__})
'''

NODE_HANDLER = r'''
'use strict';
const http = require('http'), fs = require('fs'), path = require('path'), cp = require('child_process');
const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
function api(method, p, body, headers) {
  return new Promise((resolve, reject) => {
    const h = Object.assign({}, headers || {}, body ? { 'Content-Length': Buffer.byteLength(body) } : {});
    const req = http.request({ host, port: Number(port), method, path: '/2018-06-01/runtime' + p, headers: h }, (res) => {
      const c = []; res.on('data', (d) => c.push(d)); res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(c) }));
    });
    req.on('error', reject); if (body) req.write(body); req.end();
  });
}
function fetch(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: 5000 }, (res) => {
      const c = []; res.on('data', (d) => c.push(d)); res.on('end', () => resolve(Buffer.concat(c).toString()));
    });
    req.on('error', reject); req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}
async function handler(ev) {
  const out = {};
  if ('host' in ev) out.rc = cp.spawnSync('/bin/sh', ['-c', 'echo pinging ' + ev.host + ' >/dev/null']).status;
  if ('file' in ev) out.read = fs.readFileSync(path.resolve(__dirname, 'data', ev.file), 'utf8');
  if ('url' in ev) out.fetched = await fetch(ev.url);
  if ('env' in ev) out.debug = process.env[ev.env] || '';
  if ('fail_env' in ev) throw new Error('bad configuration ' + (process.env[ev.fail_env] || ''));
  return out;
}
async function main() {
  if (process.env.PAYLOAD_INIT_LEAK) {
    await api('POST', '/init/error', JSON.stringify({ errorMessage: 'cannot sign with ' + process.env.AWS_SECRET_ACCESS_KEY,
                                                       errorType: 'Runtime.InitError' }),
              { 'Lambda-Runtime-Function-Error-Type': 'Runtime.InitError' });
    process.exit(1);
  }
  for (;;) {
    const next = await api('GET', '/invocation/next');
    const id = next.headers['lambda-runtime-aws-request-id'];
    try {
      await api('POST', `/invocation/${id}/response`, JSON.stringify(await handler(JSON.parse(next.body.toString()))));
    } catch (e) {
      await api('POST', `/invocation/${id}/error`, JSON.stringify({ errorMessage: String(e.message), errorType: e.name }),
                { 'Lambda-Runtime-Function-Error-Type': 'Function.' + e.name });
    }
  }
}
main();
'''

RUNTIMES = {
    "python": ("py", "handler.py", PY_HANDLER, ["/usr/bin/python3"]),
    "node": ("node", "handler.js", NODE_HANDLER, ["/usr/bin/node"]),
}


def report(name, status, why):
    print("vector %s: %s (%s)" % (name, status, why), flush=True)
    return 1 if status != "defended" else 0


class Upstream(http.server.ThreadingHTTPServer):
    """The Runtime API: one queued event per GET next; every POST recorded."""
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), UpstreamHandler)
        self.lock = threading.Condition()
        self.queue = []
        self.posts = {}  # request id or "init" -> (error type or "", body)
        self.served = set()  # request ids handed out
        self.stopping = False

    def handle_error(self, request, client_address):
        pass  # a runtime killed at the end resets its connection


class UpstreamHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def answer(self, code, body, headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        srv = self.server
        if self.path != PREFIX + "invocation/next":
            return self.answer(404, b"{}")
        with srv.lock:
            while not srv.queue and not srv.stopping:
                srv.lock.wait(1)
            if not srv.queue:
                self.close_connection = True
                return self.answer(500, b"{}")
            rid, event = srv.queue.pop(0)
            srv.served.add(rid)
        self.answer(200, event, [("Lambda-Runtime-Aws-Request-Id", rid), ("Lambda-Runtime-Trace-Id", "Root=1-" + rid),
                                 ("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 60000))])

    def do_POST(self):
        srv = self.server
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n)
        if len(raw) < n:  # cut before its end: the request never completed (as Go's server sees it)
            self.close_connection = True
            return
        body = raw.decode("utf-8", "replace")
        etype = self.headers.get("Lambda-Runtime-Function-Error-Type") or ""
        path = self.path[len(PREFIX):] if self.path.startswith(PREFIX) else ""
        if path == "init/error":
            key = "init"
        elif path.startswith("invocation/") and path.count("/") == 2:
            key = path.split("/")[1]
            etype = etype or ("" if path.endswith("/response") else "Unknown")
        else:
            return self.answer(404, b"{}")
        with srv.lock:
            srv.posts[key] = (etype, body)
            srv.lock.notify_all()
        self.answer(202, b'{"status":"OK"}')


class Listener(http.server.ThreadingHTTPServer):
    """The SSRF target on loopback: what it was asked for."""
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), ListenerHandler)
        self.hits = []

    def handle_error(self, request, client_address):
        pass


class ListenerHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_GET(self):
        self.server.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "13")
        self.end_headers()
        self.wfile.write(b"internal-data")


def vectors(workdir, secret, lport):
    """(name, event, kind, what) for every vector."""
    mk = lambda n: os.path.join(workdir, "mk_" + n)  # noqa: E731
    up = "../" * 24 + secret.lstrip("/")
    pad = {"f%d" % i: "value %d" % i for i in range(600)}
    return [
        # caught by the input firewall's patterns (and confirmed)
        ("cmd_separator", {"host": "127.0.0.1; touch " + mk("cmd_separator")}, "cmd", None),
        ("cmd_substitution", {"host": "$(touch " + mk("cmd_substitution") + ")"}, "cmd", None),
        ("lfi_traversal", {"file": up}, "lfi", None),
        # evade the patterns: only confirmed_attacks sees them
        ("cmd_redirect", {"host": "127.0.0.1 >" + mk("cmd_redirect")}, "cmd", None),
        ("lfi_absolute", {"file": secret}, "lfi", None),
        ("lfi_one_up", {"file": "../creds.txt"}, "lfi", None),
        ("ssrf_loopback", {"url": "http://127.0.0.1:%d/ssrf_loopback" % lport}, "ssrf", None),
        ("ssrf_decimal", {"url": "http://2130706433:%d/ssrf_decimal" % lport}, "ssrf", None),
        ("ssrf_localhost", {"url": "http://localhost:%d/ssrf_localhost" % lport}, "ssrf", None),
        # the evasive ones again, with the input shaped to hit a bound of the
        # index confirmed_attacks keeps (attack round 10, confirm_pad): 600
        # ordinary fields first, a value over 4 KiB, an event over 1 MiB
        ("pad_cmd_fields", dict(pad, host="127.0.0.1 >" + mk("pad_cmd_fields")), "cmd", None),
        ("pad_cmd_long", {"host": "127.0.0.1 >" + mk("pad_cmd_long") + " #" + "A" * 8000}, "cmd", None),
        ("pad_lfi_fields", dict(pad, file="../creds.txt"), "lfi", None),
        ("pad_lfi_big", {"pad": "x" * (2 << 20), "file": "../creds.txt"}, "lfi", None),
        ("pad_ssrf_long", {"url": "http://127.0.0.1:%d/pad_ssrf_long?%s" % (lport, "A" * 5000)}, "ssrf", None),
        # the function's own credential on the way out
        ("leak_response", {"env": "AWS_SECRET_ACCESS_KEY"}, "leak", None),
        ("leak_error", {"fail_env": "AWS_SECRET_ACCESS_KEY"}, "leak", None),
    ]


def start_runtime(cmd, env):
    return subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=sys.stderr, start_new_session=True)


def stop_runtime(proc):
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        if proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
        except subprocess.TimeoutExpired:
            pass


def wait_posts(up, keys, proc):
    end = time.time() + WAIT
    with up.lock:
        while not all(k in up.posts for k in keys) and time.time() < end:
            if proc.poll() is not None and not up.queue:
                break
            up.lock.wait(0.2)


def judge(pre, name, kind, got, workdir, listener, secret_content):
    etype, body = got if got else (None, "")
    said = "upstream got %s" % ("nothing" if got is None else ("error " + etype if etype else "a response"))
    if kind == "cmd":
        marker = os.path.join(workdir, "mk_" + name)
        if os.path.lexists(marker):
            os.unlink(marker)
            return report(pre + name, "BYPASSED", "the injected command created its marker; " + said)
        return report(pre + name, "defended", "no marker; " + said)
    if kind == "lfi":
        if secret_content in body:
            return report(pre + name, "BYPASSED", "the secret file's content reached the upstream")
        return report(pre + name, "defended", "no secret content upstream; " + said)
    if kind == "ssrf":
        hits = [h for h in listener.hits if h.startswith("/" + name)]
        if hits:
            return report(pre + name, "BYPASSED", "the loopback listener got %s" % hits[0])
        return report(pre + name, "defended", "the listener got nothing; " + said)
    if SECRET_KEY in body:
        return report(pre + name, "BYPASSED", "the secret key reached the upstream (%s)" % said)
    return report(pre + name, "defended", "no secret key upstream; " + said)


def run_runtime(rt, wrap, workdir, secret, only):
    pre, fname, source, interp = RUNTIMES[rt]
    task = os.path.join(workdir, "task_" + pre)
    os.makedirs(os.path.join(task, "data"))
    with open(os.path.join(task, fname), "w") as f:
        f.write(source)
    with open(os.path.join(task, "data", "report.txt"), "w") as f:
        f.write("report\n")
    with open(secret) as f:
        secret_content = f.read()
    with open(os.path.join(task, "creds.txt"), "w") as f:
        f.write(secret_content)
    secret_content = secret_content.strip()  # as JSON writes it, without the newline
    up, listener = Upstream(), Listener()
    for s in (up, listener):
        threading.Thread(target=s.serve_forever, daemon=True).start()
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update(AWS_LAMBDA_RUNTIME_API="127.0.0.1:%d" % up.server_port, AWS_SECRET_ACCESS_KEY=SECRET_KEY,
               LAMBDA_TASK_ROOT=task, _HANDLER="handler.handler")
    env.pop("AWS_SESSION_TOKEN", None)
    cmd = wrap + interp + [os.path.join(task, fname)]
    bad = 0
    vs = [v for v in vectors(workdir, secret, listener.server_port) if only in v[0]]
    if vs:
        with up.lock:
            up.queue = [("inv-" + n, json.dumps(e).encode()) for n, e, _, _ in vs]
        proc = start_runtime(cmd, env)
        wait_posts(up, ["inv-" + v[0] for v in vs], proc)
        stop_runtime(proc)
        for n, _, kind, _ in vs:
            if "inv-" + n not in up.served:  # the runtime stopped asking: nothing was tried
                bad += report(pre + "_" + n, "ERROR", "the runtime never asked for this event")
                continue
            bad += judge(pre + "_", n, kind, up.posts.get("inv-" + n), workdir, listener, secret_content)
    if only in "leak_init_error":
        up.posts.pop("init", None)
        proc = start_runtime(cmd, dict(env, PAYLOAD_INIT_LEAK="1"))
        wait_posts(up, ["init"], proc)
        stop_runtime(proc)
        bad += judge(pre + "_", "leak_init_error", "leak", up.posts.get("init"), workdir, listener, secret_content)
    with up.lock:
        up.stopping = True
        up.lock.notify_all()
    for s in (up, listener):
        s.shutdown()
        s.server_close()
    shutil.rmtree(task, ignore_errors=True)
    return bad


def main():
    secret, workdir = os.environ.get("FNG_SECRET"), os.environ.get("FNG_WORKDIR")
    if not secret or not workdir or not os.path.isfile(secret):
        print("vector environment: ERROR (FNG_SECRET and FNG_WORKDIR are required)", flush=True)
        return 1
    wrap = shlex.split(os.environ.get("FNG_PAYLOAD_WRAP", ""))
    only = os.environ.get("FNG_PAYLOAD_ONLY", "")
    bad = 0
    for rt in os.environ.get("FNG_PAYLOAD_RUNTIMES", "python node").split():
        if rt not in RUNTIMES or not os.access(RUNTIMES[rt][3][0], os.X_OK):
            bad += report(rt + "_runtime", "ERROR", "no such runtime or interpreter")
            continue
        bad += run_runtime(rt, wrap, workdir, secret, only)
    return min(bad, 255)


if __name__ == "__main__":
    sys.exit(main())
