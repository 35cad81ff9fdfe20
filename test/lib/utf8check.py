#!/usr/bin/env python3
"""Check fnguard's output for the UTF-8 rule (docs/events.md, "Bytes that are
not UTF-8").

  utf8check.py json FILE WANT...   every line decodes as strict UTF-8 and parses
                                   as one JSON object; each WANT (hex of raw
                                   bytes) is recovered from some KEY_hex member
  utf8check.py text FILE WANT...   the file is strict UTF-8; each WANT appears as
                                   \\xNN escapes
"""
import json
import sys


def recovered(obj, out):
    """Every raw string a KEY_hex member gives back, recursively."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k.endswith("_hex"):
                for h in (v if isinstance(v, list) else [v]):
                    if h is not None:
                        out.add(bytes.fromhex(h))
            recovered(v, out)
    elif isinstance(obj, list):
        for v in obj:
            recovered(v, out)


def main():
    mode, path, *wants = sys.argv[1:]
    data = open(path, "rb").read()
    text = data.decode("utf-8", errors="strict")  # raises on any invalid byte
    if mode == "text":
        for w in wants:
            esc = "".join("\\x%02x" % b if b >= 0x80 else chr(b) for b in bytes.fromhex(w))
            if esc not in text:
                sys.exit("text lacks %r" % esc)
        return
    got = set()
    n = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        obj = json.loads(line)
        if not isinstance(obj, dict):
            sys.exit("not an object: %s" % line[:200])
        n += 1
        recovered(obj, got)
    for w in wants:
        raw = bytes.fromhex(w)
        if not any(raw in g for g in got):
            sys.exit("bytes %r not recoverable from any *_hex member" % raw)
    print(n)


main()
