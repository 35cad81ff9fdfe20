# Alert mode's cost (issue 19): a repeated alert is folded into its kind
# before its stack is captured, and folding still counts every occurrence;
# distinct alerts are each reported whole, with their stacks
# (docs/events.md, "Repeated events").

ALERT_FLOOD="$BUILD/test/progs/flood"

# alertcost_check FILE PATTERN: "KEY=VALUE" lines on the file events whose
# path matches PATTERN: lines, whole (no count), with_stack, total (whole
# lines + the counts of aggregates), paths (distinct).
alertcost_check() {
	$PY - "$1" "$2" <<'PYEOF'
import json, re, sys
path, pat = sys.argv[1], re.compile(sys.argv[2])
lines = whole = with_stack = total = 0
paths = set()
for raw in open(path):
    ev = json.loads(raw)
    d = ev.get("details") or {}
    if ev.get("event_type") != "file" or ev.get("action") != "alerted" or not pat.match(d.get("path", "")):
        continue
    lines += 1
    paths.add(d["path"])
    total += ev.get("count", 1)
    if "count" not in ev:
        whole += 1
        with_stack += 1 if ev.get("stack") else 0
print(f"lines={lines}\nwhole={whole}\nwith_stack={with_stack}\ntotal={total}\npaths={len(paths)}")
PYEOF
}

# alertcost_run N same|vary PATTERN: the flood program's N alerted opens
# under read_write_tmp: alert; prints alertcost_check's lines for PATTERN.
alertcost_run() {
	local p
	p=$(policy '{"read_write_tmp": "alert"}')
	fng --policy "$p" -- "$ALERT_FLOOD" "$1" "$2" "$WORK/done"
	assert_rc 0
	alertcost_check "$EV" "$3"
}

# 1,000 alerted opens of one name: every one counted (the whole lines plus the
# aggregates' counts make 1,000, and the alerted counter says 1,000 + 1), the
# whole ones carry their stacks, and only they were unwound: the exit
# event's `stacks` is far below 1,000 (on main every repeat was unwound, and
# the capture thrown away when it folded).
t_alertcost_repeats_counted_not_unwound() {
	local f stacks
	f=$(alertcost_run 1000 same '^/tmp/fng-flood-same$')
	echo "$f"
	grep -qx "total=1000" <<<"$f" || fail "the repeated alert's lines do not count 1000"
	grep -qx "paths=1" <<<"$f" || fail "unexpected paths"
	local whole with_stack
	whole=$(sed -n 's/^whole=//p' <<<"$f")
	with_stack=$(sed -n 's/^with_stack=//p' <<<"$f")
	[ "$whole" -ge 1 ] && [ "$whole" -lt 1000 ] || fail "nothing was folded ($whole whole lines)"
	assert_eq "$with_stack" "$whole" "whole lines with a stack"
	f=$(alertcost_check "$EV" '^/tmp/fng-flood-distinct$')
	grep -qx "total=1" <<<"$f" || fail "the distinct alert is missing"
	assert_eq "$($PY "$ROOT/test/lib/evcheck.py" counter "$EV" alerted)" 1001 "alerted counter"
	stacks=$($PY "$ROOT/test/lib/evcheck.py" counter "$EV" stacks)
	[ -n "$stacks" ] && [ "$stacks" -le $((whole + 10)) ] ||
		fail "stacks captured: ${stacks:-none} for $whole whole lines (repeats were unwound)"
	assert_events_valid
}

# 200 alerts on 200 different names: none folded, every one reported whole
# with its stack.
t_alertcost_distinct_alerts_all_reported() {
	local f
	f=$(alertcost_run 200 vary '^/tmp/fng-flood-[0-9]{8}$')
	echo "$f"
	grep -qx "lines=200" <<<"$f" || fail "not 200 lines"
	grep -qx "whole=200" <<<"$f" || fail "distinct alerts were folded"
	grep -qx "with_stack=200" <<<"$f" || fail "a distinct alert lost its stack"
	grep -qx "paths=200" <<<"$f" || fail "not 200 distinct paths"
	assert_eq "$($PY "$ROOT/test/lib/evcheck.py" counter "$EV" events_aggregated)" 0 "events_aggregated"
}
