#!/usr/bin/env bash
# make bench, event pipeline: events per second formatted and delivered per
# sink kind; the tracer-side cost of one event (reserve+commit, from
# bench/event_enqueue); the function's wall time and fnguard's peak RSS with a
# stalled sink (a listener that never reads) against a sink that keeps up.
# Ratios come from the same run; the machine is shared, so they are noisy.
set -eu
: "${FNGUARD:?}" "${BUILD:?}"
N=${EVENTS_N:-20000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=/usr/bin/python3
LOOP=$BUILD/test/progs/open_loop
W=$(mktemp -d "${FNG_TEST_WORKROOT:-/var/tmp}/fng-bench-events.XXXXXX")
PIDS=""
trap 'for p in $PIDS; do kill -9 "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$W"' EXIT
echo '{"read_write_tmp": "alert"}' >"$W/policy.json"

wait_file() { for _ in $(seq 600); do [ -e "$1" ] && return 0; sleep 0.05; done; echo "timed out: $1" >&2; exit 1; }
bg() { "$@" & PIDS="$PIDS $!"; }

bg $PY "$ROOT/test/lib/collector.py" http "$W/http.port" /dev/null
bg $PY "$ROOT/test/lib/collector.py" unix-stream "$W/s.sock" /dev/null "$W/s.ready"
bg $PY "$ROOT/test/lib/collector.py" stall "$W/stall.sock" - "$W/stall.ready"
wait_file "$W/http.port"
wait_file "$W/s.ready"
wait_file "$W/stall.ready"
url="http://127.0.0.1:$(cat "$W/http.port")/events"

# run DEST...: wall seconds and peak RSS (KiB) of fnguard for N events
run() {
	local args=() d
	for d in "$@"; do args+=(--log "$d"); done
	/usr/bin/time -f "%e %M" -o "$W/time" "$FNGUARD" run --policy "$W/policy.json" "${args[@]}" --flush-timeout 2000 \
		-- "$LOOP" "$N" 1 0 >/dev/null 2>"$W/err"
	echo "$(cat "$W/time") $(sed -n 's/^open_loop: [0-9]* opens in \([0-9.]*\) s$/\1/p' "$W/err")"
}

echo "event pipeline: $N events (one traced, alerted openat each): wall time, events/s delivered, fnguard's peak RSS"
echo "  (function: the traced program's own run time; fnguard: until it exits, flush included)"
read -r base_s base_rss base_fn < <(run "file:/dev/null")
printf '  %-14s fnguard %6.2f s %8.0f ev/s %7d KiB  function %6.2f s\n' "file:/dev/null" "$base_s" \
	"$(awk "BEGIN{print $N/$base_s}")" "$base_rss" "$base_fn"
for dest in "file:$W/events.jsonl" "unix:$W/s.sock" "$url" "syslog+tcp-like:stall"; do
	label=${dest%%:*}
	[ "$dest" = "syslog+tcp-like:stall" ] && dest="unix+stream:$W/stall.sock" label="stalled sink"
	read -r s rss fn < <(run "$dest")
	printf '  %-14s fnguard %6.2f s %8.0f ev/s %7d KiB  function %6.2f s (x%.2f of file:/dev/null)\n' \
		"$label" "$s" "$(awk "BEGIN{print $N/$s}")" "$rss" "$fn" "$(awk "BEGIN{print $fn/$base_fn}")"
done
size=$("$BUILD/bench/event_enqueue" size)
echo "  documented bound: ring 1024 x $size B = $((1024 * size / 1024)) KiB, plus 4 MiB per sink queue (docs/events.md)"
"$BUILD/bench/event_enqueue" 1000000
