# The output-inspection tests' handler (test/integration/payloadout.sh): it
# answers with what the event names, so a test decides what leaves.
#   {"say": TEXT}      -> {"out": TEXT}
#   {"env": NAME}      -> {"out": the value of that environment variable}
#   {"raise": TEXT}    -> an error whose message is TEXT
import os


def handler(event, context):
    if "raise" in event:
        raise RuntimeError(event["raise"])
    if "env" in event:
        return {"out": os.environ.get(event["env"], "")}
    return {"out": event.get("say", "")}
