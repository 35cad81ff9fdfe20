# A JSON HTTP server on 127.0.0.1 for the baseline tests. Binds a free port
# (or the one given), writes it to the file named by argv[1], serves forever.
import http.server
import sys


class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        data = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *a):
        pass


srv = http.server.HTTPServer(("127.0.0.1", 0), H)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
import os  # noqa: E402
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
srv.serve_forever()
