# Floods (issue 21): a function makes 30,000 read_write_tmp alerts, then one
# distinctive event (an alert on another name, a refused exec), while the
# stderr log destination is stalled (its reader starts only once the function
# is done). The distinctive events must reach stderr, and the counts must add
# up: repeats are folded into aggregate events (count, first, last) before the
# ring, and a full sink queue drops from its most crowded class, never the
# rarer line (docs/events.md, "Repeated events" and "Delivery").

FLOOD="$BUILD/test/progs/flood"
FLOOD_POLICY='{"read_write_tmp": "alert", "create_child_process": "block"}'

# flood_run MODE: the flood under fnguard, stderr (a sink) into a FIFO nobody
# reads until the function made $WORK/done; what stderr got in $WORK/stderr.out.
flood_run() {
	local p fifo reader
	p=$(policy "$FLOOD_POLICY")
	fifo=$WORK/stderr.fifo
	mkfifo "$fifo"
	(
		exec 3<"$fifo"
		for _ in $(seq 2400); do [ -e "$WORK/done" ] && break; sleep 0.05; done
		cat <&3 >"$WORK/stderr.out"
	) &
	reader=$!
	set +e
	"$FNGUARD" run --policy "$p" --log stderr --log "file:$EV" --flush-timeout 120000 \
		-- "$FLOOD" 30000 "$1" "$WORK/done" >"$WORK/out" 2>"$fifo"
	RC=$?
	set -e
	wait "$reader"
	assert_rc 0
	assert_out "exec refused"
}

# flood_check FILE MODE: prints what FILE holds, as "KEY=VALUE" lines.
flood_check() {
	$PY - "$1" "$2" <<'PYEOF'
import json, re, sys
path, mode = sys.argv[1], sys.argv[2]
flood = re.compile(r"^/tmp/fng-flood-same$" if mode == "same" else r"^/tmp/fng-flood-\d{8}$")
repeats = lines = distinct = exec_blocked = aggregates = 0
with open(path) as f:
    for raw in f:
        if not raw.startswith("{"):
            continue
        ev = json.loads(raw)
        d = ev.get("details") or {}
        if ev.get("event_type") == "file" and flood.match(d.get("path", "")):
            lines += 1
            repeats += ev.get("count", 1)
            if "count" in ev:
                aggregates += 1
                assert ev["first"] <= ev["last"] == ev["time"], ev
        elif d.get("path") == "/tmp/fng-flood-distinct" and ev.get("action") == "alerted":
            distinct += 1
        elif ev.get("event_type") == "process" and ev.get("action") == "blocked" and \
                ev.get("policy") == "create_child_process":
            exec_blocked += 1
print(f"lines={lines}\nrepeats={repeats}\naggregates={aggregates}\ndistinct={distinct}\nexec_blocked={exec_blocked}")
PYEOF
}

# The issue's scenario: 30,000 identical alerts, one distinctive alert and one
# refused exec; stderr stalled. Both distinctive events reach stderr; the flood
# is a handful of lines whose counts add up to 30,000, on stderr and in the file.
t_floods_identical_events_aggregate() {
	flood_run same
	local f
	f=$(flood_check "$WORK/stderr.out" same)
	echo "$f"
	grep -qx "distinct=1" <<<"$f" || fail "the distinctive alert is not on stderr"
	grep -qx "exec_blocked=1" <<<"$f" || fail "the refused exec is not on stderr"
	grep -qx "repeats=30000" <<<"$f" || fail "stderr's flood lines do not add up to 30000"
	f=$(flood_check "$EV" same)
	grep -qx "repeats=30000" <<<"$f" || fail "the file's flood lines do not add up to 30000"
	grep -q "^aggregates=[1-9]" <<<"$f" || fail "no aggregate event"
	# the exit event's counters: every alert counted, the folded ones said
	assert_eq "$($PY "$ROOT/test/lib/evcheck.py" counter "$EV" alerted)" 30001 "alerted counter"
	[ "$($PY "$ROOT/test/lib/evcheck.py" counter "$EV" events_aggregated)" -gt 29000 ] ||
		fail "events_aggregated counter"
	assert_eq "$($PY "$ROOT/test/lib/evcheck.py" sink "$EV" stderr dropped)" 0 "stderr drops"
	assert_events_valid
}

# The flood defeats folding (every name differs by a byte): stderr's queue
# fills and drops, but only flood lines; the refused exec (another class)
# reaches it, and per sink delivered + dropped account for every event.
t_floods_varying_events_keep_the_rare_one() {
	flood_run vary
	local f events ring delivered dropped
	f=$(flood_check "$WORK/stderr.out" vary)
	echo "$f"
	grep -qx "exec_blocked=1" <<<"$f" || fail "the refused exec is not on stderr"
	grep -qx "aggregates=0" <<<"$f" || fail "distinct names were folded"
	events=$($PY "$ROOT/test/lib/evcheck.py" counter "$EV" events)
	ring=$($PY "$ROOT/test/lib/evcheck.py" counter "$EV" events_dropped)
	delivered=$($PY "$ROOT/test/lib/evcheck.py" sink "$EV" stderr delivered)
	dropped=$($PY "$ROOT/test/lib/evcheck.py" sink "$EV" stderr dropped)
	[ "$dropped" -gt 0 ] || fail "stderr dropped nothing: the test did not stall it"
	assert_eq $((delivered + dropped + ring)) "$events" "stderr: delivered + dropped + ring drops"
	# the file sink keeps up: it has the refused exec, and every flood event
	# or a count of it (the ring drops a flood's own events when the logging
	# thread falls behind, never the rare one's)
	f=$(flood_check "$EV" vary)
	grep -qx "exec_blocked=1" <<<"$f" || fail "the refused exec is not in the file"
	local lines fdrop
	lines=$(sed -n 's/^lines=//p' <<<"$f")
	fdrop=$($PY "$ROOT/test/lib/evcheck.py" sink "$EV" "file:$EV" dropped)
	[ $((lines + ring + fdrop)) -ge 30000 ] && [ "$lines" -le 30000 ] ||
		fail "file: $lines flood lines + $ring ring drops + $fdrop file drops do not account for 30000"
}
