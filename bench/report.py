"""Ratios, added costs, the benchmark issue's targets, and the markdown table
of make bench. analyse() adds to the result dict what the JSON carries;
markdown() renders it. Every figure comes from the one run in the dict."""

RSS_LIMIT_KIB = 16 * 1024
LABEL = {"native": "native", "fnguard": "fnguard", "fnguard-allow": "fnguard {}", "strace": "strace",
         "floor": "floor", "fnguard-fallback": "fnguard no-Landlock", "fnguard-alert": "fnguard tmp-alert"}


def _div(a, b):
    if a is None or b is None or b <= 0:
        return None
    return a / b


def _figures(c, stat):
    """ratio: variant/native; added: variant - native, in µs per iteration
    (loop cases) or ms per run (process cases); the two added-cost ratios.
    stat is "median" (the table) or "min" (the least-disturbed runs, a check
    on the verdicts when the machine is loaded)."""
    val = {v: s[stat] for v, s in c["variants"].items()}
    nat = val.get("native")
    per = 1e-3 if c["kind"] == "loop" else 1.0
    f = dict(ratio={v: _div(x, nat) for v, x in val.items() if v != "native"},
             added={v: (x - nat) * per for v, x in val.items() if v != "native" and nat is not None})
    f["fnguard_over_floor"] = _div(f["added"].get("fnguard"), f["added"].get("floor"))
    f["fnguard_over_strace"] = _div(f["added"].get("fnguard"), f["added"].get("strace"))
    return f


def _case_figures(c):
    c.update(_figures(c, "median"))
    c["by_min"] = _figures(c, "min")
    c["added_unit"] = "us/iter" if c["kind"] == "loop" else "ms/run"
    calls = c.get("traced_calls")
    if c["kind"] == "process" and calls and c["added"].get("fnguard") is not None:
        c["fnguard_added_us_per_traced_call"] = c["added"]["fnguard"] * 1000 / calls


def _ok(value, limit, cmp):
    return value <= limit if cmp == "le" else value < limit


def _target(name, value, limit, fmt, cmp="le", check=None):
    """A verdict from the medians, confirmed by the same figure computed from
    each variant's fastest run (check): when the two disagree the run cannot
    tell, and the target is "undecided" (met: None)."""
    if value is None:
        return dict(name=name, limit=limit, value=None, value_by_min=check, met=None, text="not measured")
    met = _ok(value, limit, cmp)
    text = fmt.format(value)
    if check is not None:
        text += "; from the fastest runs " + fmt.format(check)
        if _ok(check, limit, cmp) != met:
            return dict(name=name, limit=limit, value=value, value_by_min=check, met=None,
                        text=f"undecided, too noisy ({text})")
    return dict(name=name, limit=limit, value=value, value_by_min=check, met=met,
                text=f"{'met' if met else 'not met'} ({text})")


def _get(res, case, key, sub=None, by_min=False):
    c = res["cases"].get(case)
    if c is None:
        return None
    if by_min:
        c = c["by_min"]
    v = c.get(key)
    return v.get(sub) if sub and isinstance(v, dict) else v


def _case_target(res, label, case, key, limit, fmt, sub=None):
    return _target(label, _get(res, case, key, sub), limit, fmt,
                   check=_get(res, case, key, sub, by_min=True))


def _strace_targets(res):
    """Cases where something is traced: fnguard's added cost against strace's."""
    traced = {n: c for n, c in res["cases"].items() if n != "getppid" and c.get("fnguard_over_strace") is not None}
    out = []
    for label, names, limit, cmp in (
        ("fnguard-added < strace-added on every traced case", list(traced), 1.0, "lt"),
        ("fnguard-added <= 0.5 x strace-added on single-threaded cases",
         [n for n, c in traced.items() if not c["threaded"]], 0.5, "le"),
    ):
        per = {n: _target(n, traced[n]["fnguard_over_strace"], limit, "{:.2f}x", cmp,
                          traced[n]["by_min"]["fnguard_over_strace"]) for n in names}
        if not per:
            out.append(_target(label, None, limit, ""))
            continue
        failed = [n for n, t in per.items() if t["met"] is False]
        unsure = [n for n, t in per.items() if t["met"] is None]
        worst = max(names, key=lambda n: traced[n]["fnguard_over_strace"])
        if failed:
            met, text = False, "not met (" + ", ".join(f"{n} {traced[n]['fnguard_over_strace']:.2f}x" for n in failed)
        elif unsure:
            met, text = None, "undecided, too noisy (" + ", ".join(f"{n}: {per[n]['text']}" for n in unsure)
        else:
            met, text = True, f"met (worst {traced[worst]['fnguard_over_strace']:.2f}x, {worst}"
        if failed and unsure:
            text += "; undecided: " + ", ".join(unsure)
        out.append(dict(name=label, limit=limit, value=traced[worst]["fnguard_over_strace"], met=met,
                        text=text + ")", per_case={n: t["value"] for n, t in per.items()},
                        per_case_met={n: t["met"] for n, t in per.items()}))
    return out


def analyse(res):
    for c in res["cases"].values():
        _case_figures(c)
    rss = res.get("rss")
    res["targets"] = [
        _case_target(res, "untraced syscall (getppid): fnguard / native <= 1.05",
                     "getppid", "ratio", 1.05, "{:.3f}", "fnguard"),
        _case_target(res, "traced allowed call, single-threaded (open): fnguard-added <= 1.25 x floor-added",
                     "open", "fnguard_over_floor", 1.25, "{:.2f}x"),
        _case_target(res, "traced allowed call, 8 threads (open8): fnguard-added <= 1.3 x floor-added "
                     "(the kernel enforcing the temp root)", "open8", "fnguard_over_floor", 1.3, "{:.2f}x"),
        _case_target(res, "traced allowed call, 8 threads (open8): fnguard-added <= 0.6 x strace-added",
                     "open8", "fnguard_over_strace", 0.6, "{:.2f}x"),
        *_strace_targets(res),
        _case_target(res, "python3 startup: fnguard / native <= 1.15", "python", "ratio", 1.15, "{:.3f}", "fnguard"),
        _case_target(res, "node startup: fnguard / native <= 1.10", "node", "ratio", 1.10, "{:.3f}", "fnguard"),
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
    added = [v for v in ("fnguard", "fnguard-fallback", "fnguard-alert", "floor", "strace") if v in vs]
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
