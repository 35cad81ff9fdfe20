"""A Lambda-style Python function with two mistakes fnguard's payload
checks are for: a debug branch that answers with the whole environment (the
function's AWS credentials with it), and a shell-out in its code. See
README.md in this directory."""
import os
import subprocess


def handler(event, context):
    if event.get("debug"):
        # The mistake output_inspection catches: AWS_SECRET_ACCESS_KEY and
        # AWS_SESSION_TOKEN are in the environment of every Lambda function.
        return {"env": dict(os.environ)}
    if event.get("version"):
        # The line code_check's rules find before the runtime starts.
        return {"git": subprocess.check_output(["git", "--version"], text=True)}
    return {"hello": event.get("name", "world")}
