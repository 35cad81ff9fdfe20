"""A function that waits while the harness starves fnguard (issue 21;
test/integration/fds.sh), then tries what the policy forbids (the proxy
flood is test/adversarial/fd_exhaust.c). Usage: fd_exhaust.py MODE TMPDIR FILE
  wait FILE   say "ready" (create FILE.ready), wait for FILE to exist (the
              harness starves fnguard meanwhile), then try
  mem FILE    the same, then also a 1 MiB UDP sendto to loopback (allowed;
              fnguard reads the payload into a buffer of its own)
What it tries: a TCP connect to 10.89.2.1:5499 (a blocked host the harness
listens on) and creating a file in TMPDIR. One line each: "NAME ok" or
"NAME errno N"."""
import os
import socket
import sys
import time

mode, tmp, arg = sys.argv[1], sys.argv[2], sys.argv[3]
open(arg + ".ready", "w").close()
while not os.path.exists(arg):
    time.sleep(0.02)


def blocked_connect():
    socket.create_connection(("10.89.2.1", 5499), timeout=3).close()


def tmp_create():
    open(os.path.join(tmp, "created"), "w").close()


def big_sendto():
    # loopback is allowed: fnguard sends it itself, reading 1 MiB first
    # (the kernel then says EMSGSIZE)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"x" * (1 << 20), ("127.0.0.1", 9))


tries = [("blocked_connect", blocked_connect), ("tmp_create", tmp_create)]
if mode == "mem":
    tries.insert(0, ("big_sendto", big_sendto))
for name, fn in tries:
    try:
        fn()
        print(name, "ok", flush=True)
    except OSError as e:
        print(name, "errno", e.errno, flush=True)
