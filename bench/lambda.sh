#!/usr/bin/env bash
# make bench, Lambda invocation loop: the per-invocation cost of fnguard on a
# real custom runtime (examples/runtimes/python/bootstrap, an echo handler)
# fed by `fnguard emulate`: the runtime alone (--direct), under fnguard run
# without the Runtime API proxy, and with it (the default). Per invocation =
# (wall(N) - wall(1)) / (N - 1), so start-up is left out; the median of RUNS
# rounds, variants interleaved. Also the proxy's own event-flush times (from
# its summary notice). Ratios come from the same run; the machine is shared.
set -eu
: "${FNGUARD:?}"
N=${LAMBDA_N:-1000}
RUNS=${RUNS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=/usr/bin/python3
W=$(mktemp -d "${FNG_TEST_WORKROOT:-/var/tmp}/fng-bench-lambda.XXXXXX")
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/task"
cp "$ROOT/test/progs/lambda/app.py" "$W/task/"
export LAMBDA_TASK_ROOT=$W/task _HANDLER=app.handler
unset AWS_LAMBDA_RUNTIME_API
echo '{"read_handler":"block","outbound_connectivity":"block","create_child_process":"block","read_write_tmp":"allow"}' >"$W/policy.json"
for i in $(seq "$N"); do echo "{\"i\": $i}"; done >"$W/n.jsonl"
echo '{"i": 0}' >"$W/1.jsonl"

# wall FILE VARIANT: seconds for emulate to serve FILE's events
wall() {
	local args=()
	case $2 in
	direct) args=(--direct) ;;
	noproxy) args=(--no-proxy --policy "$W/policy.json" --log "file:$W/ev-$2.jsonl") ;;
	proxy) args=(--policy "$W/policy.json" --log "file:$W/ev-$2.jsonl") ;;
	esac
	local t0 t1
	t0=$(date +%s.%N)
	"$FNGUARD" emulate "${args[@]}" --events "$1" -- "$PY" "$ROOT/examples/runtimes/python/bootstrap" >"$W/out" 2>"$W/err" ||
		{ echo "emulate ($2) failed:" >&2; tail -5 "$W/err" >&2; exit 1; }
	t1=$(date +%s.%N)
	[ "$(grep -c '"status":"success"' "$W/out")" = "$(wc -l <"$1")" ] || { echo "emulate ($2): not every invocation succeeded" >&2; exit 1; }
	awk "BEGIN{print $t1 - $t0}"
}

median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }

echo "Lambda invocation loop: $N invocations of a Python custom runtime through fnguard emulate (median of $RUNS)"
declare -A per
for v in direct noproxy proxy; do : >"$W/per-$v"; done
for _ in $(seq "$RUNS"); do
	for v in direct noproxy proxy; do
		one=$(wall "$W/1.jsonl" "$v")
		many=$(wall "$W/n.jsonl" "$v")
		awk "BEGIN{print ($many - $one) / ($N - 1) * 1e6}" >>"$W/per-$v"
	done
done
for v in direct noproxy proxy; do per[$v]=$(median <"$W/per-$v"); done
printf '  %-34s %8.0f us/invocation\n' "runtime alone (emulate --direct)" "${per[direct]}"
printf '  %-34s %8.0f us/invocation  (+%.0f us, x%.2f)\n' "fnguard run --no-proxy" "${per[noproxy]}" \
	"$(awk "BEGIN{print ${per[noproxy]} - ${per[direct]}}")" "$(awk "BEGIN{print ${per[noproxy]} / ${per[direct]}}")"
printf '  %-34s %8.0f us/invocation  (+%.0f us, x%.2f; the proxy alone +%.0f us)\n' "fnguard run, Runtime API proxy" \
	"${per[proxy]}" "$(awk "BEGIN{print ${per[proxy]} - ${per[direct]}}")" \
	"$(awk "BEGIN{print ${per[proxy]} / ${per[direct]}}")" "$(awk "BEGIN{print ${per[proxy]} - ${per[noproxy]}}")"
sed -n 's/.*"message":"Runtime API proxy: \([0-9]* invocations\).*event flushes (\([^)]*\)).*/  proxy event flush before each response (last run): \2/p' "$W/ev-proxy.jsonl" | tail -1
