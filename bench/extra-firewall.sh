#!/usr/bin/env bash
# make bench, input firewall: what inspecting one invocation event adds on
# the proxy's loop (bench/input_cost.c, in-process, medians): the `next`
# answer held and inspected (the reader pjson.c and the walk, then the
# eight detectors, a value found clean remembered for the rest of the
# event) for a 4 KB API Gateway event and a 1 MB one; without inspection
# the proxy relays the answer as it comes, so all of it is added cost.
# Targets (issue 16): <= 50 us for 4 KB, <= 10 ms for 1 MB; measured
# (docs/policy.md, "Cost") 44 us and 12 ms of CPU at load 14.8, 4.1x and
# 4.6x under the json-c walker's. FNG_BENCH_STAGES=1 on input_cost prints the walk
# alone too. No rules to compile (the detectors are code); a
# patterns_file compiles as output inspection's does.
set -eu
: "${BUILD:?}"
N=${INPUT_N:-200}
read -r small large small_cpu large_cpu < <("$BUILD/bench/input_cost" "$N")
echo "input firewall, 8 classes (median, in-process; wall clock, and CPU time of the thread):"
printf '  %-40s %10s us wall %10s us cpu\n' "4 KB API Gateway event" "$small" "$small_cpu"
printf '  %-40s %10s us wall %10s us cpu\n' "1 MB API Gateway event" "$large" "$large_cpu"
if [ -n "${BENCH_OUT:-}" ] && [ -d "$BENCH_OUT" ]; then
	printf '{"event_4k_us": %s, "event_1m_us": %s, "event_4k_cpu_us": %s, "event_1m_cpu_us": %s, "n": %s}\n' \
		"$small" "$large" "$small_cpu" "$large_cpu" "$N" >"$BENCH_OUT/input_firewall.json"
fi
