# An API Gateway handler that builds SQL by hand: the kind of code the
# input firewall stands in front of. It looks a user up by the `name` query
# parameter and echoes the posted comment (rendered as HTML by its caller).
import json


def handler(event, context):
    params = event.get("queryStringParameters") or {}
    name = params.get("name", "")
    query = "SELECT id FROM users WHERE name = '%s'" % name  # injectable on purpose
    body = json.loads(event.get("body") or "{}")
    return {"statusCode": 200, "body": json.dumps({"query": query, "comment": body.get("comment", "")})}
