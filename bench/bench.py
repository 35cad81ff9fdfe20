#!/usr/bin/env python3
"""make bench: fnguard against native, the ptrace floor and strace.

Runs every case under every variant, interleaved (A B C D E A B C D E ...),
RUNS rounds, and writes OUT/latest.json and OUT/latest.md (bench/report.py
formats the table and judges the targets of the benchmark issue). All ratios
come from this one run. docs/bench.md says how to read the output.

Environment: FNGUARD, BUILD (set by the Makefile); RUNS (default 7); CASES
and VARIANTS (comma-separated subsets); SCALE (multiplies every iteration
count, e.g. 0.01 for a smoke run); BENCH_OUT (default build/bench-results,
ignored by git; `make bench-record` copies a run to bench/results);
BENCH_WORKROOT (default /var/tmp: the work dir must be outside /tmp);
RSS_RUNS (default 3; 0 skips the RSS measurement).
"""
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402

PYTHON = "/usr/bin/python3"
NODE = "/usr/bin/node"
STRACE = ["strace", "-f", "--seccomp-bpf", "-e", "trace=%file,%network,%process", "-o", "/dev/null", "--"]

# The default policy with create_child_process allowed: for the cases that
# must exec to succeed. Every other rule stays as strict as the default.
CHILD_ALLOW = {"outbound_connectivity": "block", "read_write_tmp": "block",
               "create_child_process": "allow", "read_handler": "block"}


def case_list(build, work):
    """Every case: name -> dict. kind "loop" cases print ns per iteration;
    kind "process" cases are timed from here, reps invocations per run."""
    b = os.path.join(build, "bench")
    allowed = os.path.join(work, "allowed.txt")
    here = os.path.dirname(os.path.abspath(__file__))
    return [
        dict(name="getppid", title="getppid loop (never traced)", kind="loop", n=300000,
             argv=[f"{b}/case_getppid", "{n}"], threaded=False),
        dict(name="open", title="open+close of an allowed file", kind="loop", n=10000,
             argv=[f"{b}/case_open", "{n}", allowed], threaded=False),
        dict(name="open8", title="open+close, 8 threads", kind="loop", n=1250, threads=8,
             argv=[f"{b}/case_open", "{n}", allowed, "8"], threaded=True),
        dict(name="connect", title="connect to a loopback listener", kind="loop", n=2000,
             argv=[f"{b}/case_connect", "{n}"], threaded=False),
        dict(name="forkexec", title="fork+exec of /bin/true", kind="loop", n=100,
             argv=[f"{b}/case_forkexec", "{n}", "/bin/true"], threaded=False, policy="child-allow"),
        dict(name="python", title="python3 import json, ssl, urllib.request, email", kind="process", reps=3,
             argv=[PYTHON, "-c", "import json, ssl, urllib.request, email"], threaded=False, need=PYTHON),
        dict(name="node", title="node -e require http, crypto", kind="process", reps=3,
             argv=[NODE, "-e", "require('http'); require('crypto')"], threaded=True, need=NODE),
        dict(name="shell200", title="sh script running 200 commands", kind="process", reps=1,
             argv=["/bin/sh", os.path.join(here, "shell200.sh")], threaded=False, policy="child-allow"),
    ]


def variant_list(fnguard, build, policies, strace_ok):
    """Variant name -> function(case) returning the argv prefix."""
    fng = [fnguard, "run", "--log", "file:/dev/null"]
    vs = {
        "native": lambda c: [],
        "fnguard": lambda c: fng + (["--policy", policies[c["policy"]]] if c.get("policy") else []) + ["--"],
        "fnguard-allow": lambda c: fng + ["--policy", policies["allow"], "--"],
        # Opt-in (VARIANTS=...): the temp root held by fnguard's fallback
        # instead of Landlock, and read_write_tmp at alert (no Landlock either).
        "fnguard-fallback": lambda c: ["env", "FNGUARD_NO_LANDLOCK=1"] + fng
        + (["--policy", policies[c["policy"]]] if c.get("policy") else []) + ["--"],
        "fnguard-alert": lambda c: fng + ["--policy", policies[(c.get("policy") or "default") + "-alert"], "--"],
        "strace": lambda c: STRACE,
        "floor": lambda c: [os.path.join(build, "bench", "floor"), "--"],
    }
    if not strace_ok:
        del vs["strace"]
    return vs


OPT_IN = ("fnguard-fallback", "fnguard-alert")


def pick(all_names, env, what):
    want = [x for x in os.environ.get(env, "").split(",") if x]
    if not want:
        return [x for x in all_names if x not in OPT_IN]
    bad = [x for x in want if x not in all_names]
    if bad:
        sys.exit(f"bench: unknown {what} {', '.join(bad)} (known: {', '.join(all_names)})")
    return [x for x in all_names if x in want]


def argv_of(case, scale):
    n = max(1, int(case.get("n", 1) * scale))
    return [a.replace("{n}", str(n)) for a in case["argv"]], n


def run_once(cmd, case, variant, cwd):
    """One invocation: ns per iteration (loop) or wall ns (process)."""
    t0 = time.perf_counter_ns()
    p = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)
    wall = time.perf_counter_ns() - t0
    if p.returncode != 0:
        tail = (p.stderr or "").strip().splitlines()[-3:]
        sys.exit(f"bench: {case['name']} under {variant} failed with status {p.returncode}: "
                 f"{' | '.join(tail)}\n  command: {' '.join(cmd)}")
    if case["kind"] == "process":
        return float(wall)
    try:
        return float(p.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        sys.exit(f"bench: {case['name']} under {variant} printed no figure: {p.stdout!r}")


def measure(case, variants, scale, runs, cwd):
    """RUNS rounds of every variant in turn: medians, ranges, samples."""
    argv, n = argv_of(case, scale)
    reps = case.get("reps", 1)
    samples = {v: [] for v in variants}
    for _ in range(runs):
        # A process case's reps are interleaved too (A B C A B C within the
        # run), and the run's figure is their median: one stall is not it.
        got = {v: [] for v in variants}
        for _ in range(reps):
            for v, prefix in variants.items():
                got[v].append(run_once(prefix(case) + argv, case, v, cwd))
        for v in variants:
            samples[v].append(statistics.median(got[v]))
    return n, samples


def traced_calls(fnguard, policies, case, scale, cwd):
    """fnguard's own count of traced calls and tasks for one run of the case
    (default-policy variant), read from its exit event."""
    with tempfile.NamedTemporaryFile("r", suffix=".jsonl", dir=cwd) as log:
        argv, _ = argv_of(case, scale)
        pol = ["--policy", policies[case["policy"]]] if case.get("policy") else []
        subprocess.run([fnguard, "run", "--log", "file:" + log.name] + pol + ["--"] + argv, cwd=cwd,
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=600)
        for line in log:
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            d = ev.get("details", {})
            if ev.get("event_type") == "lifecycle" and d.get("phase") == "exit":
                c = d.get("counters", {})
                return c.get("traced_calls"), c.get("tasks")
    return None, None


def fnguard_rss(fnguard, case, runs, cwd):
    """Peak resident set (VmHWM) of the fnguard process itself while it traces
    the case. Polled from /proc: wait4's ru_maxrss would be the largest of
    fnguard and the runtime it reaped, i.e. python's, not fnguard's."""
    peaks = []
    for _ in range(runs):
        p = subprocess.Popen([fnguard, "run", "--log", "file:/dev/null", "--"] + case["argv"], cwd=cwd,
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak = 0
        while p.poll() is None:
            try:
                with open(f"/proc/{p.pid}/status") as f:
                    for line in f:
                        if line.startswith("VmHWM:"):
                            peak = max(peak, int(line.split()[1]))
            except (OSError, ValueError):
                pass
            time.sleep(0.001)
        if p.returncode != 0:
            sys.exit(f"bench: {case['name']} under fnguard failed with status {p.returncode} (RSS run)")
        peaks.append(peak)
    return {"case": case["name"], "runs": runs, "max_kib": max(peaks), "samples_kib": peaks}


def machine():
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"kernel": platform.release(), "cpu": cpu, "cpus": os.cpu_count(),
            "load_at_start": os.getloadavg()[0]}


def summarise(case, n, samples):
    out = dict(title=case["title"], kind=case["kind"], n=n, reps=case.get("reps", 1),
               threaded=case["threaded"],
               policy="default + create_child_process allow" if case.get("policy") == "child-allow" else "default",
               unit="ns/iter" if case["kind"] == "loop" else "ms/run", variants={})
    scale = 1.0 if case["kind"] == "loop" else 1e-6
    for v, xs in samples.items():
        xs = [x * scale for x in xs]
        out["variants"][v] = dict(median=statistics.median(xs), min=min(xs), max=max(xs), samples=xs)
    return out


def main():
    fnguard = os.path.abspath(os.environ["FNGUARD"])
    build = os.path.abspath(os.environ["BUILD"])
    runs = int(os.environ.get("RUNS", "7"))
    scale = float(os.environ.get("SCALE", "1"))
    rss_runs = int(os.environ.get("RSS_RUNS", "3"))
    out_dir = os.environ.get("BENCH_OUT") or os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                                          "build", "bench-results")
    root = os.environ.get("BENCH_WORKROOT", "/var/tmp")
    work = tempfile.mkdtemp(prefix="fng-bench.", dir=root)
    if os.path.realpath(work) == "/tmp" or os.path.realpath(work).startswith("/tmp/"):
        sys.exit(f"bench: work dir {work} is under /tmp, where the default policy blocks; set BENCH_WORKROOT")
    try:
        with open(os.path.join(work, "allowed.txt"), "w") as f:
            f.write("an allowed file, outside the temp root\n")
        policies = {}
        default_alert = dict(CHILD_ALLOW, create_child_process="block", read_write_tmp="alert")
        child_alert = dict(CHILD_ALLOW, read_write_tmp="alert")
        for name, pol in (("allow", {}), ("child-allow", CHILD_ALLOW), ("default-alert", default_alert),
                          ("child-allow-alert", child_alert)):
            policies[name] = os.path.join(work, name + ".json")
            with open(policies[name], "w") as f:
                json.dump(pol, f)
        notes = []
        strace_ok = shutil.which("strace") is not None
        if not strace_ok:
            notes.append("strace is not installed: no strace variant (scripts/install-deps.sh installs it)")
        variants = variant_list(fnguard, build, policies, strace_ok)
        variants = {v: variants[v] for v in pick(list(variants), "VARIANTS", "variant")}
        cases = []
        for c in case_list(build, work):
            if c.get("need") and not os.access(c["need"], os.X_OK):
                notes.append(f"{c['need']} is missing: no {c['name']} case")
                continue
            cases.append(c)
        names = pick([c["name"] for c in cases], "CASES", "case")
        cases = [c for c in cases if c["name"] in names]

        res = dict(machine=machine(), runs=runs, scale=scale, variants=list(variants),
                   date=time.strftime("%Y-%m-%dT%H:%M:%S%z"), notes=notes, cases={})
        print(f"bench: {len(cases)} cases x {len(variants)} variants x {runs} runs "
              f"on {res['machine']['kernel']}, {res['machine']['cpu']}", file=sys.stderr)
        for c in cases:
            # One untimed round first: checks that every variant succeeds and warms caches.
            measure(c, variants, scale, 1, work)
            n, samples = measure(c, variants, scale, runs, work)
            res["cases"][c["name"]] = summarise(c, n, samples)
            if "fnguard" in variants:
                calls, tasks = traced_calls(fnguard, policies, c, scale, work)
                res["cases"][c["name"]].update(traced_calls=calls, tasks=tasks)
            print(f"bench: {c['name']} done", file=sys.stderr)
        py = next((c for c in cases if c["name"] == "python"), None)
        res["rss"] = fnguard_rss(fnguard, py, rss_runs, work) if py and rss_runs > 0 else None
        report.analyse(res)
        os.makedirs(out_dir, exist_ok=True)
        with open(os.path.join(out_dir, "latest.json"), "w") as f:
            json.dump(res, f, indent=1)
            f.write("\n")
        md = report.markdown(res)
        with open(os.path.join(out_dir, "latest.md"), "w") as f:
            f.write(md)
        print(md)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
