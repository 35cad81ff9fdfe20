# The Python handler the Lambda tests run under examples/runtimes/python/bootstrap.
# What it does is chosen by the event: echo it back, read its own file,
# connect to a port, run a child process.
import os
import socket

# Initialisation: a child process here is judged as an init-phase call.
INIT_RC = os.system("true") if os.environ.get("INIT_EXEC") else None


def handler(event, context):
    if event.get("read_self"):
        try:
            with open(__file__) as f:
                f.read()
            event["self"] = "readable"
        except OSError as e:
            event["self"] = "denied %d" % e.errno
    if "connect" in event:
        try:
            socket.create_connection(("127.0.0.1", event["connect"]), timeout=5).close()
            event["connected"] = "ok"
        except OSError as e:
            event["connected"] = "denied %d" % e.errno
    if event.get("exec"):
        event["init_rc"] = INIT_RC
        event["invoke_rc"] = os.system("true")
    return event
