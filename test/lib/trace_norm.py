#!/usr/bin/env python3
"""Normalise fnguard trace output for golden comparisons.

  trace_norm.py FILE
Replaces the time column with T, pids with P1, P2 ... in order of first
appearance, and the values of $TMPD, $WORK, $BUILD and $ROOT with their
names. Everything else is kept exactly.
"""
import os
import re
import sys

subst = sorted(((os.environ[k], "$" + k) for k in ("TMPD", "WORK", "BUILD", "ROOT") if os.environ.get(k)),
               key=lambda kv: -len(kv[0]))
pids = {}
line_re = re.compile(r"^\d+\.\d{6} \[pid +(\d+|\?)\] ")


def pid_name(m):
    p = m.group(1)
    if p not in pids:
        pids[p] = "P%d" % (len(pids) + 1)
    return "T [pid %s] " % pids[p]


with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
    for line in f:
        line = line_re.sub(pid_name, line)
        for value, name in subst:
            line = line.replace(value, name)
        sys.stdout.write(line)
