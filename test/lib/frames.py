#!/usr/bin/env python3
"""Print the native stack of the first event matching all conditions.

  frames.py FILE key=value ...   one line per frame: MODULE FUNCTION OFFSET BUILD_ID
                                 ("-" for a missing field), then "truncated: WHY"
                                 if the event says the stack is cut short.
Conditions as in events.py (dotted keys, "*" means present). Exit 1 if no
event matches.
"""
import json
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from events import load, matches  # noqa: E402


def main():
    path, *conds = sys.argv[1:]
    for ev in load(path):
        if not matches(ev, conds):
            continue
        for f in ev.get("stack", []):
            print(" ".join(str(f.get(k, "-")) for k in ("module", "function", "offset", "build_id")))
        if "stack_truncated" in ev:
            print("truncated:", ev["stack_truncated"])
        return 0
    return 1


sys.exit(main())
