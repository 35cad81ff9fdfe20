# A Runtime API upstream that keeps HTTP's connection semantics as the real
# one (Go's net/http) does: HTTP/1.1 keep-alive, and "Connection: close"
# honoured (the answer says so and the connection ends after it). It serves
# the events of a JSON-lines file in order, as req-0, req-1, ...; once they
# are all given out, `next` answers 410 and the runtime stops. Each request
# it receives is one line of LOG: "ROUTE ID ERROR-TYPE BODY" (ROUTE next,
# response, error, init-error or other; "-" for what is not there).
#
#   python3 rtapi_events.py EVENTS.jsonl LOG PORT_FILE
import http.server
import os
import sys

events_path, log_path, port_file = sys.argv[1:4]
with open(events_path, "rb") as f:
    EVENTS = [line.rstrip(b"\n") for line in f if line.strip()]
PREFIX = "/2018-06-01/runtime/"
state = {"next": 0}


def log(route, rid, etype, body):
    with open(log_path, "a") as f:
        f.write("%s %s %s %s\n" % (route, rid or "-", etype or "-", body.decode(errors="replace") or "-"))


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self, status, body, headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path != PREFIX + "invocation/next":
            log("other", None, None, b"")
            self.answer(404, b"{}")
            return
        i = state["next"]
        state["next"] += 1
        log("next", "req-%d" % i, None, b"")
        if i >= len(EVENTS):
            self.answer(410, b'{"errorMessage": "no more events"}')
            return
        self.answer(200, EVENTS[i], [("Lambda-Runtime-Aws-Request-Id", "req-%d" % i),
                                     ("Lambda-Runtime-Deadline-Ms", "9999999999999"),
                                     ("Lambda-Runtime-Trace-Id", "Root=1-0-%d" % i),
                                     ("Content-Type", "application/json")])

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        rest = self.path[len(PREFIX):] if self.path.startswith(PREFIX) else ""
        parts = rest.split("/")
        etype = self.headers.get("Lambda-Runtime-Function-Error-Type")
        if rest == "init/error":
            log("init-error", None, etype, body)
        elif len(parts) == 3 and parts[0] == "invocation" and parts[2] in ("response", "error"):
            log(parts[2], parts[1], etype, body)
        else:
            log("other", None, etype, body)
        self.answer(202, b'{"status": "OK"}')

    def log_message(self, *a):
        pass


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
with open(port_file + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(port_file + ".tmp", port_file)
srv.serve_forever()
