#!/usr/bin/env python3
"""Real work under alert mode (issue 19): CPython test modules nobody on the
project wrote, native / fnguard --policy {} / fnguard with every rule at
alert / the ptrace floor / strace, interleaved, RUNS rounds, ratios from
this one run, and the cost of one alerted call two ways: (all-alert - {}) /
alerted calls (fnguard's exit event; {} stops no call of the rules, so this
figure holds the stop too) and (all-alert - floor) / alerted calls, what an
alerted call costs beyond the ptrace stop itself (bench/floor.c stops at
every call of fnguard's filter and does nothing else; see docs/bench.md,
"Real work under alert mode").

Environment: FNGUARD; FNGUARD_BASE (another fnguard binary, e.g. main's:
its all-alert run becomes a variant too, "base all-alert", for before/after
figures from one run); BUILD (default build, for bench/floor); RUNS (default 7); CPYTHON_MODULES (default
test_pathlib; comma-separated, e.g. test_pathlib,test_os); BENCH_OUT
(writes cpython.md and cpython.json there); BENCH_WORKROOT (default
/var/tmp). Skips itself when /usr/bin/python3 cannot import a module it
would run (Debian: libpython3.X-testsuite, scripts/install-deps.sh bench).
"""
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

PY = "/usr/bin/python3"
HERE = os.path.dirname(os.path.abspath(__file__))
ALL_ALERT = {"outbound_connectivity": "alert", "read_write_tmp": "alert",
             "create_child_process": "alert", "read_handler": "alert"}
STRACE = ["strace", "-f", "--seccomp-bpf", "-e", "trace=%file,%network,%process", "-o", "/dev/null", "--"]


def cpu_of_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(cmd, cwd, cpu=None):
    """Wall seconds of one run; its CPU seconds (the tracer and every traced
    process: what a loaded machine does not inflate) appended to cpu."""
    c0 = cpu_of_children()
    t0 = time.perf_counter_ns()
    p = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, timeout=900)
    wall = (time.perf_counter_ns() - t0) / 1e9
    if cpu is not None:
        cpu.append(cpu_of_children() - c0)
    if p.returncode != 0:
        sys.exit(f"bench/cpython: {' '.join(cmd)} failed with {p.returncode}: "
                 f"{p.stderr.decode(errors='replace')[-400:]}")
    return wall


def exit_counters(path):
    last = None
    with open(path, encoding="utf-8", errors="replace") as f:    # a path may not be UTF-8
        for line in f:
            if '"phase":"exit"' in line:
                last = json.loads(line)
    return (last or {}).get("details", {}).get("counters", {})


def us(v):
    return f"{v:.1f}" if v is not None else "-"


def main():
    fnguard = os.environ["FNGUARD"]
    runs = int(os.environ.get("RUNS", "7"))
    mods = [m for m in os.environ.get("CPYTHON_MODULES", "test_pathlib").split(",") if m]
    out_dir = os.environ.get("BENCH_OUT") or os.path.join(os.getcwd(), "build", "bench-results")
    # Debian's stdlib has test.libregrtest without the test modules: import
    # the modules that are run.
    for mod in mods:
        if subprocess.run([PY, "-c", f"import test.{mod}"], capture_output=True).returncode != 0:
            print(f"cpython: skipped (/usr/bin/python3 cannot import test.{mod}: Debian's "
                  "libpython3.X-testsuite, scripts/install-deps.sh bench)")
            return
    floor = os.path.join(os.environ.get("BUILD") or os.path.join(os.getcwd(), "build"), "bench", "floor")
    work = tempfile.mkdtemp(prefix="fng-bench-cpython.", dir=os.environ.get("BENCH_WORKROOT", "/var/tmp"))
    alert_pol = os.path.join(work, "all-alert.json")
    with open(alert_pol, "w") as f:
        json.dump(ALL_ALERT, f)
    evlog = os.path.join(work, "events.jsonl")
    variants = {
        "native": [],
        "fnguard {}": [fnguard, "run", "--log", "file:/dev/null", "--policy", os.path.join(work, "empty.json"), "--"],
        "fnguard all-alert": [fnguard, "run", "--log", "file:" + evlog, "--policy", alert_pol, "--"],
    }
    with open(os.path.join(work, "empty.json"), "w") as f:
        f.write("{}")
    base = os.environ.get("FNGUARD_BASE")
    if base:
        variants["base all-alert"] = [base, "run", "--log", "file:" + evlog + ".base", "--policy", alert_pol, "--"]
    if os.access(floor, os.X_OK):
        variants["floor"] = [floor, "--"]
    if shutil.which("strace"):
        variants["strace"] = STRACE
    results = {}
    try:
        for mod in mods:
            argv = [PY, "-m", "test", "-q", mod]
            samples = {v: [] for v in variants}
            cpu = {v: [] for v in variants}
            alerted = events = aggregated = stacks = 0
            for v, pre in variants.items():     # untimed round: every variant succeeds
                run(pre + argv, work)
            for _ in range(runs):
                for v, pre in variants.items():
                    samples[v].append(run(pre + argv, work, cpu[v]))
            c = exit_counters(evlog)
            alerted, events = c.get("alerted", 0), c.get("events", 0)
            aggregated, stacks = c.get("events_aggregated", 0), c.get("stacks", 0)
            med = {v: statistics.median(s) for v, s in samples.items()}
            cmed = {v: statistics.median(s) for v, s in cpu.items()}
            per_call = ((med["fnguard all-alert"] - med["fnguard {}"]) / alerted * 1e6) if alerted else None
            per_call_cpu = ((cmed["fnguard all-alert"] - cmed["fnguard {}"]) / alerted * 1e6) if alerted else None
            beyond = beyond_cpu = None
            if alerted and "floor" in med:
                beyond = (med["fnguard all-alert"] - med["floor"]) / alerted * 1e6
                beyond_cpu = (cmed["fnguard all-alert"] - cmed["floor"]) / alerted * 1e6
            base_beyond = None
            if alerted and "floor" in med and "base all-alert" in med:
                base_beyond = ((med["base all-alert"] - med["floor"]) / alerted * 1e6,
                               (cmed["base all-alert"] - cmed["floor"]) / alerted * 1e6)
            results[mod] = dict(samples=samples, median=med, cpu=cpu, cpu_median=cmed, alerted=alerted,
                                events=events, aggregated=aggregated, stacks=stacks,
                                per_alerted_call_us=per_call, per_alerted_call_cpu_us=per_call_cpu,
                                beyond_floor_us=beyond, beyond_floor_cpu_us=beyond_cpu,
                                base_beyond_floor_us=base_beyond)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = [f"CPython test modules under alert mode: median of {runs} interleaved runs, seconds "
             f"[fastest, slowest]; ratios to native from this run", ""]
    lines.append("| module | " + " | ".join(variants) + " | " +
                 " | ".join(f"{v} / native" for v in variants if v != "native") +
                 " | alerted calls | lines | folded | stacks | µs per alerted call, stop included"
                 " | µs per alerted call beyond the floor |")
    lines.append("|---" * (2 * len(variants) + 6) + "|")
    for mod, r in results.items():
        med = r["median"]
        cells = [f"{med[v]:.2f} [{min(r['samples'][v]):.2f}, {max(r['samples'][v]):.2f}]" for v in variants]
        ratios = [f"{med[v] / med['native']:.2f}" for v in variants if v != "native"]
        lines.append(f"| {mod} | " + " | ".join(cells) + " | " + " | ".join(ratios) +
                     f" | {r['alerted']} | {r['events']} | {r['aggregated']} | {r['stacks']}"
                     f" | {us(r['per_alerted_call_us'])} | {us(r['beyond_floor_us'])} |")
    lines += ["", "CPU seconds (user + system of the tracer and every traced process; a loaded machine "
              "inflates wall time, much less this):", "",
              "| module | " + " | ".join(variants) + " | " +
              " | ".join(f"{v} / native" for v in variants if v != "native") +
              " | CPU µs per alerted call, stop included | CPU µs per alerted call beyond the floor |",
              "|---" * (2 * len(variants) + 2) + "|"]
    for mod, r in results.items():
        cm = r["cpu_median"]
        lines.append(f"| {mod} | " + " | ".join(f"{cm[v]:.2f}" for v in variants) + " | " +
                     " | ".join(f"{cm[v] / cm['native']:.2f}" for v in variants if v != "native") +
                     f" | {us(r['per_alerted_call_cpu_us'])} | {us(r['beyond_floor_cpu_us'])} |")
    for mod, r in results.items():
        if r.get("base_beyond_floor_us"):
            bw, bc = r["base_beyond_floor_us"]
            lines += ["", f"{mod}: µs per alerted call beyond the floor, FNGUARD_BASE {bw:.1f} wall / {bc:.1f} CPU, "
                      f"this build {us(r['beyond_floor_us'])} wall / {us(r['beyond_floor_cpu_us'])} CPU"]
    target = results.get("test_pathlib")
    if target:
        ratio = target["median"]["fnguard all-alert"] / target["median"]["native"]
        best = min(target["samples"]["fnguard all-alert"]) / min(target["samples"]["native"])
        nat = target["samples"]["native"]
        # native slower than a traced variant, or spread over 20 %: the machine, not fnguard
        noisy = max(nat) > 1.2 * min(nat) or ratio < 0.95 or best < 0.95
        verdict = "undecided, too noisy" if noisy else "met" if ratio <= 1.5 and best <= 1.5 else (
            "not met" if ratio > 1.5 and best > 1.5 else "undecided, too noisy")
        lines += ["", f"Target (issue 19): test_pathlib under all-alert <= 1.5x native: {verdict} "
                  f"({ratio:.2f}x median, {best:.2f}x fastest runs)"]
    text = "\n".join(lines) + "\n"
    print(text)
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "cpython.md"), "w") as f:
        f.write(text)
    with open(os.path.join(out_dir, "cpython.json"), "w") as f:
        json.dump(dict(runs=runs, variants=list(variants), results=results), f, indent=1)


if __name__ == "__main__":
    main()
