# Event output formats (docs/events.md): UTF-8-valid lines, the text format
# and its terminal default, details.path for execs, Falco, Iron Function's
# api_endpoint, one object per HTTP request.

ALERT_ALL='{"outbound_connectivity":"alert","read_write_tmp":"alert","create_child_process":"alert","read_handler":"alert"}'
UTF8CHECK="$ROOT/test/lib/utf8check.py"

# A program whose file path, exec path and argv hold bytes that are not UTF-8.
badbytes_prog() {
	cp /bin/true "$TMPD/tr$(printf '\351')ue"
	cat >"$WORK/bad.py" <<PYEOF
import os, subprocess
d = os.fsencode("$TMPD")
with open(d + b"/f\xff\xfe.txt", "wb") as f:
    f.write(b"x")
subprocess.run([b"/bin/echo", b"\xff\x80arg"], stdout=subprocess.DEVNULL)
subprocess.run([d + b"/tr\xe9ue"])
PYEOF
}
BAD_WANT="66fffe2e747874 ff80617267 7472e97565"

# Every line of every format is valid UTF-8 (JSON ones valid JSON), and the
# exact bytes come back from the KEY_hex members / the \xNN escapes.
t_format_utf8_every_format() {
	local p fmt
	badbytes_prog
	p=$(policy "$ALERT_ALL")
	for fmt in fnguard ocsf falco; do
		rm -f "$EV"
		fng --policy "$p" --log-format "$fmt" -- $PY "$WORK/bad.py"
		assert_rc 0
		# shellcheck disable=SC2086
		$PY "$UTF8CHECK" json "$EV" $BAD_WANT >/dev/null || fail "$fmt: lines not valid UTF-8 JSON or bytes lost"
	done
	rm -f "$EV"
	fng --policy "$p" --log-format text -- $PY "$WORK/bad.py"
	assert_rc 0
	# shellcheck disable=SC2086
	$PY "$UTF8CHECK" text "$EV" $BAD_WANT || fail "text: not valid UTF-8 or bytes lost"
}

# A receiver that takes exactly one JSON object per POST (test/lib/onepost.py):
# URL in $URL, objects in $WORK/post.out, refusals in $WORK/post.bad.
onepost_receiver() {
	: >"$WORK/post.out"
	: >"$WORK/post.bad"
	$PY "$ROOT/test/lib/onepost.py" "$WORK/post.port" "$WORK/post.out" "$WORK/post.bad" &
	BG_PIDS="$BG_PIDS $!"
	wait_file "$WORK/post.port"
	URL="http://127.0.0.1:$(cat "$WORK/post.port")/events"
}

# Five opens under the temp root.
open_five_prog() {
	cat >"$WORK/open5.py" <<PYEOF
for i in range(5):
    open("$TMPD/f%d" % i, "w").close()
PYEOF
}

# --log-format falco to URL#batch=1: one Falco alert per request, every
# field falcosidekick reads, and Falco's field names in output_fields.
t_format_falco_one_object_per_post() {
	local p
	bg_trap
	onepost_receiver
	open_five_prog
	p=$(policy '{"read_write_tmp": "alert"}')
	fng --policy "$p" --log-format falco --log "$URL#batch=1" -- $PY "$WORK/open5.py"
	assert_rc 0
	[ ! -s "$WORK/post.bad" ] || fail "receiver refused: $(head -3 "$WORK/post.bad")"
	EV=$WORK/post.out $PY - "$TMPD" <<'PYEOF' || fail "falco objects wrong"
import json, os, re, sys
objs = [json.loads(l) for l in open(os.environ["EV"])]
opens = [o for o in objs if o["output_fields"].get("fd.name", "").startswith(sys.argv[1] + "/f")]
assert len(opens) == 5, (len(opens), objs[:2])
for o in objs:
    for k in ("output", "priority", "rule", "time", "source", "tags", "hostname", "output_fields"):
        assert k in o, (k, o)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z", o["time"]), o["time"]
    assert o["priority"] in ("Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Informational", "Debug")
    assert o["output_fields"] and isinstance(o["tags"], list) and o["hostname"]
o = opens[0]
f = o["output_fields"]
assert o["priority"] == "Notice" and o["rule"] == "fnguard read_write_tmp", o
for k in ("proc.name", "proc.cmdline", "proc.pid", "proc.exepath", "evt.type", "user.uid", "fnguard.rule", "fnguard.action"):
    assert k in f, (k, f)
assert f["proc.name"] == "python3" and f["fnguard.action"] == "alerted", f
assert "read_write_tmp" in o["output"] and sys.argv[1] + "/f" in o["output"], o["output"]
PYEOF
	# the receiver is strict: a body of two objects (NDJSON, as a plain URL
	# batches them) is refused
	$PY -c 'import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=b"{\"a\": 1}\n{\"b\": 2}\n", method="POST"))
except urllib.error.HTTPError as e:
    sys.exit(0 if e.code == 400 else 1)
sys.exit(1)' "$URL" || fail "a batch of two objects was not refused: the receiver checks nothing"
	[ -s "$WORK/post.bad" ] || fail "the refused batch was not recorded"
}

# api_endpoint of an Iron Function policy: one object per event per POST,
# in Iron Function's schema (docs/events.md, "Iron Function").
t_format_iron_function_api_endpoint() {
	local p
	bg_trap
	onepost_receiver
	open_five_prog
	p=$(policy "{\"outbound_connectivity\": {\"action\": \"block\", \"exceptions\": [\"127.0.0.1\"]},
		\"read_write_tmp\": \"block\", \"create_child_process\": \"block\", \"read_handler\": \"block\",
		\"api_endpoint\": \"$URL\"}")
	AWS_REGION=eu-west-1 AWS_LAMBDA_FUNCTION_NAME=fn1 AWS_LAMBDA_FUNCTION_MEMORY_SIZE=512 \
		fng --policy "$p" -- $PY -c "
try:
    open('$TMPD/x', 'w')
except PermissionError:
    print('refused')"
	assert_rc 0
	assert_out refused
	[ ! -s "$WORK/post.bad" ] || fail "receiver refused: $(head -3 "$WORK/post.bad")"
	EV=$WORK/post.out $PY - "$TMPD/x" <<'PYEOF' || fail "Iron Function objects wrong"
import json, os, sys
objs = [json.loads(l) for l in open(os.environ["EV"])]
assert len(objs) >= 1, objs
keys = {"aws_function_info", "event_type", "action", "what", "message", "time", "process_id", "process_name",
        "process_command", "user_id", "user_name"}
for o in objs:
    assert set(o) == keys, set(o) ^ keys
    assert all(isinstance(o[k], str) for k in keys - {"aws_function_info"}), o
    assert all(isinstance(v, str) for v in o["aws_function_info"].values()), o
o = [o for o in objs if o["what"] == sys.argv[1]][0]
assert o["event_type"] == "read_write_tmp" and o["action"] == "block", o
assert o["process_name"] == "python3" and int(o["process_id"]) > 0 and o["user_id"] == str(os.getuid()), o
fi = o["aws_function_info"]
assert fi["region"] == "eu-west-1" and fi["lambda_function_name"] == "fn1" and fi["memory_size"] == "512", fi
assert fi["log_group"] == "none", fi
assert len(o["time"]) == 19 and o["time"][10] == "T", o["time"]
PYEOF
	# and fnguard's own lines still go to --log
	expect_events 1 event_type=file action=blocked "details.path=$TMPD/x"
}

# Exec events carry details.path (FunctionShield's filters) and details.program.
t_format_exec_details_path() {
	local p
	p=$(policy '{"create_child_process": "alert"}')
	fng --policy "$p" -- $PY -c 'import subprocess; subprocess.run(["/bin/echo", "hi"])'
	assert_rc 0
	expect_events 1 event_type=process "details.path=$(realpath /bin/echo)" "details.program=$(realpath /bin/echo)"
}

# On a terminal, fnguard run writes text lines and a summary; to a file, JSON.
t_format_text_on_terminal() {
	local p
	open_five_prog
	p=$(policy '{"read_write_tmp": "alert"}')
	script -qec "$FNGUARD run --policy $p -- $PY $WORK/open5.py" /dev/null >"$WORK/tty.out" 2>&1 </dev/null ||
		fail "script: $(cat "$WORK/tty.out")"
	grep -q "\[pid *[0-9]* python3\] openat(\"$TMPD/f0\").*alert: read_write_tmp" "$WORK/tty.out" || { cat "$WORK/tty.out"; fail "no text line for the open"; }
	grep -q ' at [^ ]*!' "$WORK/tty.out" || { cat "$WORK/tty.out"; fail "no innermost frames on the line"; }
	grep -q 'not allowed, by rule and target:' "$WORK/tty.out" || { cat "$WORK/tty.out"; fail "no summary"; }
	grep -q "alerted read_write_tmp $TMPD/f0" "$WORK/tty.out" || { cat "$WORK/tty.out"; fail "summary lacks the rule and target"; }
	! grep -q '"event_type"' "$WORK/tty.out" || fail "JSON on a terminal"
	# --log-format asked: JSON on the terminal too
	script -qec "$FNGUARD run --log-format fnguard --policy $p -- $PY $WORK/open5.py" /dev/null >"$WORK/tty2.out" 2>&1 </dev/null
	grep -q '"event_type":"file"' "$WORK/tty2.out" || fail "--log-format fnguard ignored on a terminal"
	# not a terminal: JSON
	"$FNGUARD" run --policy "$p" -- $PY "$WORK/open5.py" 2>"$WORK/file.err"
	grep -q '"event_type":"file"' "$WORK/file.err" || fail "no JSON when stderr is a file"
}
