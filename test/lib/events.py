#!/usr/bin/env python3
"""Query fnguard's JSON-lines events for tests.

  events.py count FILE key=value ...   number of events matching all conditions (an
                                       aggregate line of repeats counts as its "count")
  events.py valid FILE                 exit 1 unless every line is a JSON object
  events.py get FILE key [key=value...] print the key of the first match
Keys are dotted paths (details.path, process.pid); a value of * means present;
key[]=value means the key holds a list with that element (details.answers[]=10.0.0.1).
"""
import json
import sys


def load(path):
    try:
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []


def lookup(ev, key):
    cur = ev
    for part in key.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


def matches(ev, conds):
    for cond in conds:
        key, _, want = cond.partition("=")
        member = key.endswith("[]")
        got = lookup(ev, key[:-2] if member else key)
        if got is None:
            return False
        if member:
            if not isinstance(got, list) or want not in [str(x) for x in got]:
                return False
            continue
        if want == "*":
            continue
        if isinstance(got, bool):
            got = "true" if got else "false"
        if str(got) != want:
            return False
    return True


def main():
    cmd, path, *conds = sys.argv[1:]
    if cmd == "valid":
        with open(path) as f:
            for n, line in enumerate(f, 1):
                try:
                    if not isinstance(json.loads(line), dict):
                        raise ValueError("not an object")
                except ValueError as e:
                    print(f"{path}:{n}: {e}", file=sys.stderr)
                    return 1
        return 0
    events = load(path)
    if cmd == "count":
        print(sum(ev.get("count", 1) for ev in events if matches(ev, conds)))
        return 0
    if cmd == "get":
        key, *rest = conds
        for ev in events:
            if matches(ev, rest):
                print(json.dumps(lookup(ev, key)) if not isinstance(lookup(ev, key), str) else lookup(ev, key))
                return 0
        return 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
