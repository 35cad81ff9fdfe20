#!/usr/bin/env bash
# make bench: fnguard against native, the ptrace floor (bench/floor.c) and
# strace, interleaved runs, median and range, ratios from the same run.
# bench/bench.py does the measuring and writes $BENCH_OUT/latest.{md,json};
# docs/bench.md says how to read them. Environment: see bench/bench.py
# (RUNS, CASES, VARIANTS, SCALE, BENCH_OUT, BENCH_WORKROOT, RSS_RUNS).
set -eu
: "${FNGUARD:?FNGUARD must point at the fnguard binary}" "${BUILD:?BUILD must point at the build directory}"
export FNGUARD BUILD
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
# Results go to an ignored place: a run leaves the checkout clean. Recording
# them (bench/results/) is a deliberate step: make bench-record.
export BENCH_OUT="${BENCH_OUT:-$BUILD/bench-results}"

"$PY" bench/bench.py

# ---- extra benchmark scripts -----------------------------------------------
# Benchmarks of their own (event pipeline, Lambda invocation loop ...) hook in
# here: list them in EXTRA_SCRIPTS, or name them bench/extra-*.sh. Each runs
# with FNGUARD, BUILD, RUNS and BENCH_OUT in its environment and should write
# its results next to latest.md in $BENCH_OUT. BENCH_EXTRA=0 skips them all.
EXTRA_SCRIPTS=(
	bench/events.sh # event pipeline (issue 4)
	bench/stack.sh  # stack capture and symbolisation (issue 5)
	bench/lambda.sh # Lambda invocation loop through emulate and the proxy (issue 7)
	bench/cpython.sh # CPython test modules under alert mode (issue 19)
)
if [ "${BENCH_EXTRA:-1}" != 0 ]; then
	export RUNS="${RUNS:-7}"
	for x in "${EXTRA_SCRIPTS[@]}" bench/extra-*.sh; do
		[ -f "$x" ] || continue
		echo "== $x"
		bash "$x"
	done
fi
# ---- end of extra benchmark scripts ----------------------------------------
