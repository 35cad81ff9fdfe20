# The benchmark harness itself (make bench): the floor really traces, and a
# tiny run of the driver produces the JSON and table the docs describe. No
# assertion is about time.

FLOOR="$BUILD/bench/floor"

# Under the floor the command runs filtered and traced, and a call the filter
# sends to the tracer (openat) still works: were nobody tracing, it would fail
# with ENOSYS.
t_bench_floor_traces() {
	echo "floor-read" >"$WORK/f"
	set +e
	"$FLOOR" -- /bin/sh -c 'grep -E "^(Seccomp|TracerPid):" /proc/self/status; cat "$1"' sh "$WORK/f" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 0
	assert_out "^Seccomp:[[:space:]]*2"
	grep -Eq "^TracerPid:[[:space:]]*[1-9]" "$WORK/out" || fail "not traced: $(cat "$WORK/out")"
	assert_out "floor-read"
}

t_bench_floor_exit_status() {
	set +e
	"$FLOOR" -- /bin/sh -c 'exit 7'
	RC=$?
	"$FLOOR" -- /bin/sh -c 'kill -TERM $$'
	local sig=$?
	"$FLOOR" -- "$WORK/no-such-program" 2>"$WORK/err"
	local missing=$?
	set -e
	assert_rc 7
	assert_eq "$sig" 143 "killed by SIGTERM"
	assert_eq "$missing" 127 "missing program"
}

# RUNS=1 at a tiny scale: every variant runs every chosen case, the JSON has
# the documented keys, fnguard's counter shows the open case was traced, and
# the table names every target.
t_bench_harness_smoke() {
	local out=$WORK/results
	set +e
	RUNS=1 SCALE=0.002 CASES=getppid,open,forkexec RSS_RUNS=0 BENCH_EXTRA=0 BENCH_OUT="$out" \
		BENCH_WORKROOT="$WORK" bash "$ROOT/bench/run.sh" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 0
	assert_exists "$out/latest.md"
	assert_out "## Targets"
	$PY - "$out/latest.json" <<'EOF' || fail "latest.json lacks what docs/bench.md promises"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["runs"] == 1 and r["machine"]["kernel"] and r["machine"]["cpu"], r["machine"]
assert set(r["cases"]) == {"getppid", "open", "forkexec"}, list(r["cases"])
want = {"native", "fnguard", "fnguard-allow", "floor"}
assert want <= set(r["variants"]), r["variants"]
for name, c in r["cases"].items():
    assert want <= set(c["variants"]), (name, c["variants"])
    for v, s in c["variants"].items():
        assert len(s["samples"]) == 1 and s["min"] <= s["median"] <= s["max"] and s["median"] > 0, (name, v, s)
    for k in ("ratio", "added", "by_min", "fnguard_over_floor", "fnguard_over_strace", "unit", "policy", "n"):
        assert k in c, (name, k)
    assert c["ratio"]["fnguard"] > 0, c["ratio"]
assert r["cases"]["open"]["traced_calls"] >= r["cases"]["open"]["n"], r["cases"]["open"]
assert "create_child_process allow" in r["cases"]["forkexec"]["policy"]
names = " ".join(t["name"] for t in r["targets"])
for word in ("getppid", "open8", "strace", "python3", "node", "RSS"):
    assert word in names, word
for t in r["targets"]:
    assert t["met"] in (True, False, None) and t["text"], t
EOF
	local left
	left=$(find "$WORK" -maxdepth 1 -name 'fng-bench.*')
	[ -z "$left" ] || fail "the harness left its work dir behind: $left"
}
