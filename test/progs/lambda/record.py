# The input firewall tests' handler: it appends every event it is given to
# the file $FW_SEEN (what the runtime saw) and answers with the event.
import json
import os


def handler(event, context):
    with open(os.environ["FW_SEEN"], "a") as f:
        f.write(json.dumps(event, sort_keys=True) + "\n")
    return {"seen": event}
