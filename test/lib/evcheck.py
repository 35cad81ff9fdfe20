#!/usr/bin/env python3
"""Checks for what reached a sink in the event pipeline tests.

  evcheck.py exact FILE N PROCS [syslog]  exit 0 iff FILE holds exactly N file events
      for /tmp/fng-ev-P-I (open_loop), each once, every line parses, and the
      order of I is kept per process; else prints what is wrong. With syslog,
      lines are "APP-NAME PROCID MSGID MSG" (the tests' rsyslog template) and
      APP-NAME and MSGID are checked too.
  evcheck.py count FILE [syslog]          number of open_loop file events
  evcheck.py sink FILE DEST KEY            the exit event's sinks[DEST].KEY
  evcheck.py counter FILE KEY              the exit event's counters.KEY
  evcheck.py loss FILE DEST                "REPORTS DROPPED": loss reports naming DEST and their sum
"""
import json
import re
import sys

PATH = re.compile(r"^/tmp/fng-ev-(\d+)-(\d+)$")


def events(path, syslog):
    bad = []
    out = []
    with open(path, "rb") as f:
        for n, raw in enumerate(f, 1):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if not line.strip():
                continue
            try:
                if syslog:
                    app, _procid, msgid, msg = line.split(" ", 3)
                    ev = json.loads(msg.strip())
                    # RFC 5424 carries the event type as MSGID; the local (RFC 3164) form has none
                    if app != "fnguard" or msgid not in (ev.get("event_type"), "-"):
                        raise ValueError(f"syslog header app={app} msgid={msgid}")
                else:
                    ev = json.loads(line)
                if not isinstance(ev, dict):
                    raise ValueError("not an object")
                out.append(ev)
            except ValueError as e:
                bad.append(f"{path}:{n}: {e}: {line[:200]}")
    return out, bad


def file_events(evs):
    for ev in evs:
        p = (ev.get("details") or {}).get("path", "")
        m = PATH.match(p)
        if ev.get("event_type") == "file" and m:
            yield ev, int(m.group(1)), int(m.group(2))


def exact(path, n, procs, syslog):
    evs, bad = events(path, syslog)
    if bad:
        print("\n".join(bad[:5]))
        return 1
    seen = {}
    last = {}
    problems = []
    for ev, p, i in file_events(evs):
        pid = ev["process"]["pid"]
        if (p, i) in seen:
            problems.append(f"duplicate event for process {p} open {i}")
        seen[(p, i)] = True
        if pid in last and last[pid] >= i:
            problems.append(f"order broken in pid {pid}: {i} after {last[pid]}")
        last[pid] = i
    per = n // procs
    want = {(p, i) for p in range(procs) for i in range(per if p else n - per * (procs - 1))}
    missing = want - set(seen)
    # Events the tracer could not put in its ring (the machine too busy for
    # the logging thread) are dropped by design and counted in the exit
    # event: those may be absent, any other loss may not.
    ring = 0
    for ev in evs:
        d = ev.get("details") or {}
        if ev.get("event_type") == "lifecycle" and d.get("phase") == "exit":
            ring = (d.get("counters") or {}).get("events_dropped", 0)
    if len(missing) > ring:
        problems.append(f"{len(missing)} missing (ring drops counted: {ring}), e.g. {sorted(missing)[:3]}")
    if len(seen) + ring < n or len(seen) > n:
        problems.append(f"{len(seen)} distinct events, want {n} (ring drops counted: {ring})")
    if problems:
        print("\n".join(problems[:10]))
        return 1
    return 0


def exit_event(path):
    evs, _ = events(path, False)
    for ev in evs:
        d = ev.get("details") or {}
        if ev.get("event_type") == "lifecycle" and d.get("phase") == "exit":
            return d
    sys.exit("no exit event in " + path)


def main():
    cmd = sys.argv[1]
    if cmd == "exact":
        return exact(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), len(sys.argv) > 5)
    if cmd == "count":
        evs, _ = events(sys.argv[2], len(sys.argv) > 3)
        print(sum(1 for _ in file_events(evs)))
        return 0
    if cmd == "sink":
        for s in exit_event(sys.argv[2]).get("sinks", []):
            if s["dest"] == sys.argv[3]:
                print(s[sys.argv[4]])
                return 0
        sys.exit("no sink " + sys.argv[3])
    if cmd == "loss":
        evs, _ = events(sys.argv[2], False)
        got = [((ev.get("details") or {}).get("dropped") or {}).get("sinks", {}).get(sys.argv[3], 0)
               for ev in evs if (ev.get("details") or {}).get("phase") == "loss"]
        got = [g for g in got if g]
        print(len(got), sum(got))
        return 0
    if cmd == "counter":
        print(exit_event(sys.argv[2])["counters"][sys.argv[3]])
        return 0
    return 2


sys.exit(main())
