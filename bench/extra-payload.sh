#!/usr/bin/env bash
# make bench, output inspection: what checking one response costs on the
# proxy's loop (bench/payload_cost.c, in-process, medians of PAYLOAD_N):
# a 4 KB API Gateway-style response fed whole and a 1 MB body streamed in
# 64 KiB chunks, with the built-in detectors (the function's credentials,
# AWS key ids, private keys, card numbers) and protectLambda's example rule;
# and compiling the rules at start; and 100 user rules, joined into
# alternations (policy/payload/regexset.c) and tried one by one, in the same
# run. Thread CPU time. Targets (issue 16): <= 50 us for 4 KB, <= 10 ms for
# 1 MB.
set -eu
: "${BUILD:?}"
N=${PAYLOAD_N:-200}
read -r compile small large many many1 join < <("$BUILD/bench/payload_cost" "$N")
echo "output inspection, built-ins + 1 rule (median of $N, in-process):"
printf '  %-40s %10s us\n' "compile the rules (once, at start)" "$compile"
printf '  %-40s %10s us\n' "4 KB response, one piece" "$small"
printf '  %-40s %10s us\n' "1 MB response, 64 KiB chunks" "$large"
printf '  %-40s %10s us\n' "4 KB response, built-ins + 100 rules" "$many"
printf '  %-40s %10s us\n' "  the same, rules one by one" "$many1"
printf '  %-40s %10s us\n' "  joining the 100 rules (once)" "$join"
if [ -n "${BENCH_OUT:-}" ] && [ -d "$BENCH_OUT" ]; then
	printf '{"compile_us": %s, "response_4k_us": %s, "response_1m_us": %s, "response_4k_100_rules_us": %s, "response_4k_100_rules_one_by_one_us": %s, "join_100_rules_us": %s, "n": %s}\n' \
		"$compile" "$small" "$large" "$many" "$many1" "$join" "$N" >"$BENCH_OUT/payload.json"
fi
