"""A small Lambda-style Python function that, once invoked, does the four
things FunctionShield's policies are about. Under fnguard's default policy
each attempt fails and is reported; the handler itself keeps running."""
import os
import socket
import subprocess


def attempt(results, what, fn):
    try:
        fn()
        results[what] = "done"
    except OSError as e:
        results[what] = f"refused ({e.strerror})"


def write_tmp():                                   # read_write_tmp
    with open("/tmp/fnguard-demo-cache.txt", "w") as f:
        f.write("cached")


def run_child():                                   # create_child_process
    subprocess.run(["/usr/bin/id"], check=True, capture_output=True)


def connect_out():                                 # outbound_connectivity
    with socket.socket() as s:
        s.settimeout(1)
        s.connect(("192.0.2.10", 443))             # TEST-NET-1


def read_own_source():                             # read_handler
    with open(__file__) as f:
        f.read()


def handler(event, context=None):
    results = {}
    attempt(results, "write /tmp", write_tmp)
    attempt(results, "run id", run_child)
    if os.environ.get("FNGUARD_DEMO_NO_NET"):
        results["connect 192.0.2.10:443"] = "skipped (no network namespace)"
    else:
        attempt(results, "connect 192.0.2.10:443", connect_out)
    attempt(results, "read own source", read_own_source)
    return results


if __name__ == "__main__":
    # Stand-in for the runtime: the first call to the Runtime API ends
    # initialisation, which arms read_handler.
    api = os.environ.get("AWS_LAMBDA_RUNTIME_API")
    if api:
        host, port = api.rsplit(":", 1)
        try:
            socket.create_connection((host, int(port)), timeout=1).close()
        except OSError:
            pass
    for k, v in handler({}).items():
        print(f"  python: {k:26} {v}")
