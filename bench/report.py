"""Ratios, added costs, the benchmark issue's targets, and the markdown table
of make bench. analyse() adds to the result dict what the JSON carries;
markdown() renders it. Every figure comes from the one run in the dict."""

RSS_LIMIT_KIB = 16 * 1024
LABEL = {"native": "native", "fnguard": "fnguard", "fnguard-allow": "fnguard {}", "strace": "strace",
         "floor": "floor"}


def _div(a, b):
    if a is None or b is None or b <= 0:
        return None
    return a / b


def _case_figures(c):
    """ratio: variant/native; added: variant - native, in µs per iteration
    (loop cases) or ms per run (process cases); the two added-cost ratios."""
    med = {v: s["median"] for v, s in c["variants"].items()}
    nat = med.get("native")
    per = 1e-3 if c["kind"] == "loop" else 1.0
    c["ratio"] = {v: _div(m, nat) for v, m in med.items() if v != "native"}
    c["added"] = {v: (m - nat) * per for v, m in med.items() if v != "native" and nat is not None}
    c["added_unit"] = "us/iter" if c["kind"] == "loop" else "ms/run"
    add = c["added"]
    c["fnguard_over_floor"] = _div(add.get("fnguard"), add.get("floor"))
    c["fnguard_over_strace"] = _div(add.get("fnguard"), add.get("strace"))
    calls = c.get("traced_calls")
    if c["kind"] == "process" and calls and add.get("fnguard") is not None:
        c["fnguard_added_us_per_traced_call"] = add["fnguard"] * 1000 / calls


def _target(name, value, limit, fmt, cmp="le"):
    if value is None:
        return dict(name=name, limit=limit, value=None, met=None, text="not measured")
    met = value <= limit if cmp == "le" else value < limit
    return dict(name=name, limit=limit, value=value, met=met,
                text=f"{'met' if met else 'not met'} ({fmt.format(value)})")


def _get(res, case, key, sub=None):
    c = res["cases"].get(case)
    if c is None:
        return None
    v = c.get(key)
    return v.get(sub) if sub and isinstance(v, dict) else v


def _strace_targets(res):
    """Cases where something is traced: fnguard's added cost against strace's."""
    traced = {n: c for n, c in res["cases"].items() if n != "getppid" and c.get("fnguard_over_strace") is not None}
    out = []
    for label, names, limit, cmp in (
        ("fnguard-added < strace-added on every traced case", list(traced), 1.0, "lt"),
        ("fnguard-added <= 0.5 x strace-added on single-threaded cases",
         [n for n, c in traced.items() if not c["threaded"]], 0.5, "le"),
    ):
        if not names:
            out.append(_target(label, None, limit, ""))
            continue
        worst = max(names, key=lambda n: traced[n]["fnguard_over_strace"])
        t = _target(label, traced[worst]["fnguard_over_strace"], limit, "worst {:.2f}x, " + worst, cmp)
        t["per_case"] = {n: traced[n]["fnguard_over_strace"] for n in names}
        if t["met"] is False:
            bad = [f"{n} {traced[n]['fnguard_over_strace']:.2f}x" for n in names
                   if not (traced[n]["fnguard_over_strace"] < limit if cmp == "lt"
                           else traced[n]["fnguard_over_strace"] <= limit)]
            t["text"] = f"not met ({', '.join(bad)})"
        out.append(t)
    return out


def analyse(res):
    for c in res["cases"].values():
        _case_figures(c)
    rss = res.get("rss")
    res["targets"] = [
        _target("untraced syscall (getppid): fnguard / native <= 1.05",
                _get(res, "getppid", "ratio", "fnguard"), 1.05, "{:.3f}"),
        _target("traced allowed call, single-threaded (open): fnguard-added <= 1.25 x floor-added",
                _get(res, "open", "fnguard_over_floor"), 1.25, "{:.2f}x"),
        _target("traced allowed call, 8 threads (open8): fnguard-added <= 2.5 x floor-added",
                _get(res, "open8", "fnguard_over_floor"), 2.5, "{:.2f}x"),
        *_strace_targets(res),
        _target("python3 startup: fnguard / native <= 1.15", _get(res, "python", "ratio", "fnguard"), 1.15, "{:.3f}"),
        _target("node startup: fnguard / native <= 1.10", _get(res, "node", "ratio", "fnguard"), 1.10, "{:.3f}"),
        _target("fnguard RSS while tracing python <= 16 MiB",
                rss["max_kib"] / 1024 if rss else None, RSS_LIMIT_KIB / 1024, "{:.1f} MiB"),
    ]


def _num(x, nd=None):
    if x is None:
        return "n/a"
    if nd is None:
        nd = 0 if abs(x) >= 100 else 1 if abs(x) >= 10 else 2
    return f"{x:.{nd}f}"


def markdown(res):
    m = res["machine"]
    vs = res["variants"]
    L = [
        "# fnguard benchmark: latest run",
        "",
        f"- kernel {m['kernel']}, CPU {m['cpu']} ({m['cpus']} CPUs), load average {m['load_at_start']:.2f} at start",
        f"- {res['date']}; {res['runs']} interleaved runs per case and variant (scale {res['scale']:g}); "
        "median (min-max)",
        "- the machine may be shared: compare variants within this run only, never with an older run",
    ]
    L += [f"- note: {n}" for n in res.get("notes", [])]
    L += ["", "## Times", "",
          "| case | unit | fnguard policy | " + " | ".join(LABEL[v] for v in vs) + " |",
          "|---|---|---|" + "---|" * len(vs)]
    for name, c in res["cases"].items():
        cells = []
        for v in vs:
            s = c["variants"][v]
            cells.append(f"{_num(s['median'])} ({_num(s['min'])}-{_num(s['max'])})")
        L.append(f"| {name}: {c['title']} | {c['unit']} | {c['policy']} | " + " | ".join(cells) + " |")
    others = [v for v in vs if v != "native"]
    added = [v for v in ("fnguard", "floor", "strace") if v in vs]
    L += ["", "## Ratios and added cost", "",
          "Added cost is the variant's median minus native's: µs per iteration for the loop cases "
          "(one traced call per iteration, except getppid: none), ms per run for the process cases.",
          "",
          "| case | " + " | ".join(f"{LABEL[v]} / native" for v in others) + " | "
          + " | ".join(f"{LABEL[v]} added" for v in added)
          + " | fnguard-added / floor-added | fnguard-added / strace-added | traced calls (fnguard) |",
          "|---|" + "---|" * (len(others) + len(added) + 3)]
    for name, c in res["cases"].items():
        row = [_num(c["ratio"].get(v), 3) for v in others]
        row += [f"{_num(c['added'].get(v))} {c['added_unit']}" for v in added]
        row += [_num(c["fnguard_over_floor"]), _num(c["fnguard_over_strace"])]
        calls = c.get("traced_calls")
        per = c.get("fnguard_added_us_per_traced_call")
        calls_txt = "n/a" if calls is None else f"{calls}" + (f" ({per:.0f} µs each)" if per else "")
        L.append(f"| {name} | " + " | ".join(row) + f" | {calls_txt} |")
    rss = res.get("rss")
    if rss:
        L += ["", "## fnguard memory", "",
              f"Peak RSS (VmHWM) of the fnguard process while tracing the {rss['case']} case: "
              f"{rss['max_kib'] / 1024:.1f} MiB (max of {rss['runs']} runs: "
              + ", ".join(f"{k / 1024:.1f}" for k in rss["samples_kib"]) + " MiB)."]
    L += ["", "## Targets", ""]
    for t in res["targets"]:
        L.append(f"- {t['name']}: **{t['text']}**")
    return "\n".join(L) + "\n"
