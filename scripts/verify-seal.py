#!/usr/bin/env python3
"""Check fnguard's sealed event lines (docs/events.md, "Sealed lines").

usage: verify-seal.py [--key FILE] [LOG...]   (standard input without LOG)

Reads a log that fnguard's JSON events share with other output (a function's
stderr, say) and sorts its lines: fnguard's (an object with "seq" and "run",
and, with --key, a "mac" that verifies under the key) and everything else.
Per run it checks that the sequence numbers have no gap and that the run's
exit event is there (a log cut short loses no number in between). Prints one summary
line per run and one line per problem; exit 0 when every line claiming to be
fnguard's verifies and no run has a gap, 1 otherwise, 2 on bad usage.
The key file is read as `fnguard run --log-key` reads it: its bytes, without
trailing newlines.
"""
import hashlib
import hmac
import json
import re
import sys

MAC = re.compile(rb'(\{.*),"mac":"([0-9a-f]{64})"\}')


def check(lines, key):
    runs, problems, other, ended = {}, [], 0, set()
    for n, raw in enumerate(lines, 1):
        line = raw.rstrip(b'\r\n')
        if not line.startswith(b'{'):
            other += 1
            continue
        try:
            ev = json.loads(line)
        except ValueError:
            problems.append(f'line {n}: starts like an event but is not JSON')
            continue
        if not isinstance(ev, dict) or 'seq' not in ev or 'run' not in ev:
            other += 1
            continue
        if key is not None:
            m = MAC.fullmatch(line)
            good = m and hmac.compare_digest(
                hmac.new(key, m.group(1) + b'}', hashlib.sha256).hexdigest().encode(), m.group(2))
            if not good:
                problems.append(f'line {n}: seq {ev.get("seq")} of run {ev.get("run")}: mac does not verify')
                continue
        runs.setdefault(ev['run'], []).append(ev['seq'])
        if ev.get('event_type') == 'lifecycle' and isinstance(ev.get('details'), dict) \
                and ev['details'].get('phase') == 'exit':
            ended.add(ev['run'])
    for run, seqs in runs.items():
        want = list(range(1, max(seqs) + 1))
        missing = sorted(set(want) - set(seqs))
        print(f'run {run}: {len(seqs)} events, last seq {max(seqs)}'
              + (f', missing {missing[:10]}' if missing else ''))
        if missing:
            problems.append(f'run {run}: {len(missing)} sequence numbers missing')
        if run not in ended:
            problems.append(f'run {run}: no exit event (the log was cut short, or the run has not ended)')
    print(f'other lines: {other}')
    for p in problems:
        print(p)
    return 1 if problems else 0


def main(argv):
    key, files = None, []
    args = iter(argv[1:])
    for a in args:
        if a == '--key':
            path = next(args, None)
            if path is None:
                print('verify-seal: --key needs a file', file=sys.stderr)
                return 2
            with open(path, 'rb') as f:
                key = f.read().rstrip(b'\r\n')
        else:
            files.append(a)
    lines = []
    for path in files or ['-']:
        with (sys.stdin.buffer if path == '-' else open(path, 'rb')) as f:
            lines += f.readlines()
    return check(lines, key)


if __name__ == '__main__':
    sys.exit(main(sys.argv))
