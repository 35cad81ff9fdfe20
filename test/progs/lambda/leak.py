# The output-inspection tests' handler (test/integration/payloadout.sh): it
# answers with what the event names, so a test decides what leaves.
#   {"say": TEXT}      -> {"out": TEXT}
#   {"env": NAME}      -> {"out": the value of that environment variable}
#   {"raise": TEXT}    -> an error whose message is TEXT
#   {"env": NAME, "encode": "php" | "dotnet"}
#                      -> an API Gateway proxy answer whose body is
#                         {"k": value} as PHP's json_encode ("\/") or .NET's
#                         System.Text.Json ("\u002B", "\u002F") write it, so
#                         the answer holds it JSON-encoded twice
import json
import os

ENCODERS = {
    "php": lambda v: json.dumps(v).replace("/", "\\/"),
    "dotnet": lambda v: json.dumps(v).replace("+", "\\u002B").replace("/", "\\u002F"),
}


def handler(event, context):
    if "raise" in event:
        raise RuntimeError(event["raise"])
    if "env" in event and "encode" in event:
        body = ENCODERS[event["encode"]]({"k": os.environ.get(event["env"], "")})
        return {"statusCode": 200, "body": body}
    if "env" in event:
        return {"out": os.environ.get(event["env"], "")}
    return {"out": event.get("say", "")}
