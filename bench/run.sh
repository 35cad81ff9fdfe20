#!/usr/bin/env bash
# make bench: cost of a traced, allowed openat under fnguard vs native,
# interleaved runs, median of RUNS, ratios from the same run.
# (The full benchmark suite is its own issue; this is the seed.)
set -eu
: "${FNGUARD:?}" "${BUILD:?}"
RUNS=${RUNS:-7}
N=${N:-20000}
loop=$BUILD/bench/openat_loop
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
native=() traced=() allow=()
allow_policy=$(mktemp)
trap 'rm -f "$allow_policy"' EXIT
echo '{}' >"$allow_policy"
for _ in $(seq "$RUNS"); do
	native+=("$("$loop" "$N")")
	traced+=("$("$FNGUARD" run --log file:/dev/null -- "$loop" "$N")")
	allow+=("$("$FNGUARD" run --policy "$allow_policy" --log file:/dev/null -- "$loop" "$N")")
done
n=$(printf '%s\n' "${native[@]}" | median)
t=$(printf '%s\n' "${traced[@]}" | median)
a=$(printf '%s\n' "${allow[@]}" | median)
echo "kernel $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "open+close of an allowed file, ns per iteration (median of $RUNS interleaved runs, N=$N):"
echo "  native                        $n"
echo "  fnguard, all-allow policy     $a   (ratio $(awk "BEGIN{printf \"%.2f\", $a/$n}"))"
echo "  fnguard, default policy       $t   (ratio $(awk "BEGIN{printf \"%.2f\", $t/$n}"); +$(awk "BEGIN{printf \"%.1f\", ($t-$n)/1000}") us per traced openat)"
bash "$(dirname "$0")/events.sh" # event pipeline (issue 4)
