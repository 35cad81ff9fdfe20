#!/usr/bin/python3
"""The second, independent input-firewall corpus, in test_fwcorpus's format.

gen.py and benign.py were written by an independent evaluator (corpus7,
December 2026) from fnguard's documentation and binary only, never from its
detectors; they are kept here unchanged. This script runs them in OUTDIR and
merges each event with its meta line into one JSON line
({"class", "payload", "shape", "half", "event"}) as test/unit/test_fwcorpus.c
reads them. "half" splits the corpus by distinct payload (benign: distinct
value) in order of appearance: even index "dev" (looked at while tuning the
detectors), odd index "held" (only measured).

Usage: mkcorpus.py OUTDIR
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def merge(outdir, name, label):
    seen = {}
    with open(os.path.join(outdir, name + ".jsonl")) as ev, open(os.path.join(outdir, name + ".meta.jsonl")) as meta, \
            open(os.path.join(outdir, name + ".tmp"), "w") as out:
        for line, mline in zip(ev, meta):
            m = json.loads(mline)
            payload = m.get("payload", m.get("value"))
            key = (m.get("class", "benign"), payload)
            if key not in seen:
                seen[key] = len(seen)
            rec = {"class": m.get("class", label), "payload": payload, "shape": m["shape"],
                   "half": "dev" if seen[key] % 2 == 0 else "held", "event": json.loads(line)}
            out.write(json.dumps(rec) + "\n")
    os.replace(os.path.join(outdir, name + ".tmp"), os.path.join(outdir, name + ".jsonl"))
    os.unlink(os.path.join(outdir, name + ".meta.jsonl"))


def main():
    outdir = os.path.abspath(sys.argv[1])
    os.makedirs(outdir, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=HERE, PYTHONDONTWRITEBYTECODE="1")
    subprocess.run(["/usr/bin/python3", os.path.join(HERE, "gen.py")], cwd=outdir, env=env, check=True,
                   stderr=subprocess.DEVNULL)
    merge(outdir, "attacks", None)
    merge(outdir, "benign", "benign")


if __name__ == "__main__":
    main()
