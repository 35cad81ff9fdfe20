# A small "function" for the baseline tests: imports json/urllib/ssl, calls
# the test's HTTP server on loopback, writes a temp file with a random name,
# runs a helper program. An optional second argument adds one thing it did
# not do while the baseline was taken: read /etc/shadow, reach another port,
# or run another program (echo). Prints DONE, or DENIED <errno> for the extra step.
import json
import ssl  # noqa: F401  (imported like a real function would)
import subprocess
import sys
import tempfile
import urllib.request

port = int(sys.argv[1])
extra = sys.argv[2] if len(sys.argv) > 2 else ""
with urllib.request.urlopen("http://127.0.0.1:%d/item" % port, timeout=10) as r:
    body = json.loads(r.read())
with tempfile.NamedTemporaryFile(prefix="fnbase-") as f:
    f.write(json.dumps(body).encode())
    f.flush()
subprocess.run(["/usr/bin/true"], check=True)
try:
    if extra == "shadow":
        open("/etc/shadow").read()
    elif extra == "host":
        import socket
        socket.create_connection(("127.0.0.1", int(sys.argv[3])), timeout=5).close()
    elif extra == "exec":
        subprocess.run(["/usr/bin/echo", "hello"], check=True)
except OSError as e:
    print("DENIED", e.errno)
    sys.exit(0)
print("DONE", body["ok"])
