# fnguard trace's golden Python program: a temp file, a helper program, and
# a TCP connect to the listener of the test's network namespace.
import os
import socket
import subprocess
import sys

path = os.path.join(os.environ["TMPD"], "data.txt")
with open(path, "w") as f:
    f.write("x")
subprocess.run(["/bin/true"], check=True)
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(("192.0.2.1", int(sys.argv[1])))
s.close()
print("done")
