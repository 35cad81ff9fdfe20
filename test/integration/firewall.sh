# The input firewall (docs/policy.md "input_firewall"): a real Python
# runtime under fnguard emulate, its handler writing down every event it is
# given. Block: an attack's event never reaches it, the error goes upstream
# as Function.SecurityViolation and the next event is served to the same
# waiting request; alert: it reaches it, with the event; exceptions by
# path and per-class modes.

FW_BASE='"read_handler":"allow","outbound_connectivity":"block","create_child_process":"block","read_write_tmp":"allow"'

fw_task() {
	lambda_task record.py record.handler
	export FW_SEEN=$WORK/seen.jsonl
	: >"$FW_SEEN"
}

# seen_has TEXT: the handler saw an event containing TEXT.
seen_count() {
	grep -cF -- "$1" "$FW_SEEN" || true
}

t_firewall_block() {
	fw_task
	write_events '{"name": "O'"'"'Brien", "n": 1}' \
		'{"queryStringParameters": {"id": "1 UNION SELECT password FROM users"}, "httpMethod": "GET", "requestContext": {}, "marker": "sqli"}' \
		'{"Records": [{"body": "{\"file\": \"../../../etc/passwd\"}", "marker": "lfi"}]}' \
		'{"after": "the attacks", "n": 4}'
	emu --policy "$(policy "{$FW_BASE, \"input_firewall\": \"block\"}")" --events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_rc 1
	# the runtime saw the two clean events, in order, and none of the attacks
	assert_eq "$(wc -l <"$FW_SEEN")" 2 "events the runtime saw"
	assert_eq "$(sed -n 1p "$FW_SEEN")" '{"n": 1, "name": "O'"'"'Brien"}' "first event seen"
	assert_eq "$(sed -n 2p "$FW_SEEN")" '{"after": "the attacks", "n": 4}' "the event after the attacks"
	assert_eq "$(seen_count marker)" 0 "an attack reached the runtime"
	assert_response 0 '{"seen": {"name": "O'"'"'Brien", "n": 1}}'
	for i in 1 2; do
		assert_eq "$(out_get status "event=$i")" error "event $i status"
		assert_eq "$(out_get error_type "event=$i")" Function.SecurityViolation "event $i error type"
	done
	assert_response 3 '{"seen": {"after": "the attacks", "n": 4}}'
	expect_events 1 policy=input_firewall action=blocked event_type=input details.class=sql_injection \
		details.path='$.queryStringParameters.id' function.request_id="$(out_get request_id event=1)"
	expect_events 1 policy=input_firewall action=blocked details.class=local_file_inclusion \
		details.path='$.Records[0].body.file' function.request_id="$(out_get request_id event=2)"
	grep -qF 'password FROM users' "$EV" && fail "the event log holds the whole attack, not an excerpt"
	assert_events_valid
}

t_firewall_alert() {
	fw_task
	write_events '{"q": "<script>alert(1)</script>"}' '{"q": "fine"}'
	emu --policy "$(policy "{$FW_BASE, \"input_firewall\": \"alert\"}")" --events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_rc 0
	assert_eq "$(wc -l <"$FW_SEEN")" 2 "events the runtime saw"
	assert_eq "$(seen_count '<script>')" 1 "the alerted event reached the runtime"
	assert_eq "$(out_get status event=0)" success "alerted event status"
	expect_events 1 policy=input_firewall action=alerted details.class=xss details.path='$.q'
}

t_firewall_exceptions_and_classes() {
	fw_task
	# $.body.**.html is excepted; csv_injection only alerts; sql blocks
	write_events '{"body": {"page": {"html": "<img src=x onerror=alert(1)>"}}, "n": 1}' \
		'{"cell": "=HYPERLINK(\"http://x.example\")", "n": 2}' \
		'{"body": {"other": "<img src=x onerror=alert(1)>"}, "n": 3}' \
		'{"id": "1 OR 1=1", "n": 4}'
	emu --policy "$(policy "{$FW_BASE, \"input_firewall\": {\"action\": \"block\", \"classes\": {\"csv_injection\": \"alert\"}, \"exceptions\": [\"\$.body.**.html\"]}}")" \
		--events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_rc 1
	assert_eq "$(out_get status event=0)" success "excepted path"
	assert_eq "$(out_get status event=1)" success "alert-only class"
	assert_eq "$(out_get error_type event=2)" Function.SecurityViolation "same attack outside the exception"
	assert_eq "$(out_get error_type event=3)" Function.SecurityViolation "sql"
	assert_eq "$(wc -l <"$FW_SEEN")" 2 "events the runtime saw"
	expect_events 1 policy=input_firewall action=alerted details.class=csv_injection
	expect_events 2 policy=input_firewall action=blocked
	expect_events 0 policy=input_firewall details.path='$.body.page.html'
}

# protectLambda's in_protect.txt format, unchanged: one regex per line.
t_firewall_patterns_file() {
	fw_task
	printf '%s\n' '.*(call|check_output|system|popen|run|local|spawn).*\(.*' 'forbidden-word' >"$WORK/in_protect.txt"
	write_events '{"cmd": "subprocess.call(x)"}' '{"say": "a forbidden-word here"}' '{"say": "hello"}'
	emu --policy "$(policy "{$FW_BASE, \"input_firewall\": {\"action\": \"block\", \"classes\": {\"code_injection\": \"allow\"}, \"patterns_file\": \"$WORK/in_protect.txt\"}}")" \
		--events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_rc 1
	assert_eq "$(out_get error_type event=0)" Function.SecurityViolation "protectLambda example rule"
	assert_eq "$(out_get error_type event=1)" Function.SecurityViolation "second rule"
	assert_response 2 '{"seen": {"say": "hello"}}'
	expect_events 2 policy=input_firewall details.class=pattern
}

# An event over the bound is refused under block, never passed unread.
t_firewall_limit() {
	fw_task
	/usr/bin/python3 -c 'import json; v = "x"
for _ in range(80): v = [v]
print(json.dumps({"a": v}))' >"$WORK/in.jsonl"
	echo '{"ok": 1}' >>"$WORK/in.jsonl"
	emu --policy "$(policy "{$FW_BASE, \"input_firewall\": \"block\"}")" --events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_rc 1
	assert_eq "$(out_get error_type event=0)" Function.SecurityViolation "nested past the bound"
	assert_response 1 '{"seen": {"ok": 1}}'
	expect_events 1 policy=input_firewall details.class=limit
}

# Over the 6 MB bound: refused under block; under alert reported and
# relayed (the runtime gets the whole event, uninspected).
t_firewall_oversize() {
	fw_task
	/usr/bin/python3 -c 'import json; print(json.dumps({"big": "a" * (6 * 1024 * 1024 + 100000)}))' >"$WORK/in.jsonl"
	echo '{"ok": 2}' >>"$WORK/in.jsonl"
	emu --policy "$(policy "{$FW_BASE, \"input_firewall\": \"block\"}")" --events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_rc 1
	assert_eq "$(out_get error_type event=0)" Function.SecurityViolation "event over the bound, block"
	assert_response 1 '{"seen": {"ok": 2}}'
	assert_eq "$(seen_count '"big"')" 0 "the oversize event reached the runtime under block"
	expect_events 1 policy=input_firewall action=blocked details.class=limit
	: >"$FW_SEEN"
	emu --policy "$(policy "{$FW_BASE, \"input_firewall\": \"alert\"}")" --events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_eq "$(out_get status event=0)" success "event over the bound, alert"
	assert_eq "$(seen_count '"big"')" 1 "the oversize event under alert"
	expect_events 1 policy=input_firewall action=alerted details.class=limit
}

# A base64 body of JSON in UTF-16 or UTF-32 (outside attack rounds 8 and 9):
# Python's json.loads(bytes) reads it, so the firewall reads it the same way
# and the runtime never sees the injection; a clean one in UTF-16 is served.
t_firewall_utf16_utf32_bodies() {
	fw_task
	local b
	b=$("$PY" -c '
import base64, json
def ev(enc, bom=b"", extra=b""):
    body = bom + json.dumps({"q": "zed'"'"' OR '"'"'1'"'"'='"'"'1"}).encode(enc)[:-len("}".encode(enc))] + extra + "}".encode(enc)
    return json.dumps({"httpMethod": "POST", "requestContext": {}, "isBase64Encoded": True,
                       "body": base64.b64encode(body).decode(), "marker": "attack"})
print(ev("utf-16-le"))
print(ev("utf-32-be"))
print(ev("utf-32-le", b"\xff\xfe\x00\x00", ", \"z\": \"".encode("utf-32-le") + b"\x00\xd8\x00\x00" + "\"".encode("utf-32-le")))
print(json.dumps({"httpMethod": "POST", "requestContext": {}, "isBase64Encoded": True,
                  "body": base64.b64encode(json.dumps({"q": "fine"}).encode("utf-16")).decode()}))')
	printf '%s\n' "$b" >"$WORK/in.jsonl"
	emu --policy "$(policy "{$FW_BASE, \"input_firewall\": \"block\"}")" --events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_rc 1
	assert_eq "$(seen_count attack)" 0 "an attack reached the runtime"
	assert_eq "$(wc -l <"$FW_SEEN")" 1 "events the runtime saw"
	for i in 0 1 2; do
		assert_eq "$(out_get error_type "event=$i")" Function.SecurityViolation "event $i error type"
	done
	assert_eq "$(out_get status event=3)" success "the clean UTF-16 body"
	expect_events 3 policy=input_firewall action=blocked details.class=sql_injection details.path='$.body.q'
}

# Injections outside attack round 7 ran against real SQLite and sh handlers
# under block: an operand chain the query's quote closes, UNION VALUES, a
# builtin or bare redirection writing a file. None reaches the runtime.
t_firewall_round7_injections() {
	fw_task
	write_events '{"name": "x'"'"' OR true OR '"'"'a", "marker": "a1"}' \
		'{"name": "x'"'"' UNION VALUES(1,(SELECT 2))--", "marker": "a2"}' \
		'{"host": "x;printf %s \"$HOME\">/tmp/o", "marker": "a3"}' \
		'{"host": "x;>o", "marker": "a4"}' \
		'{"name": "Choose '"'"'red'"'"' or '"'"'blue'"'"' please", "n": 5}'
	emu --policy "$(policy "{$FW_BASE, \"input_firewall\": \"block\"}")" --events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_rc 1
	assert_eq "$(seen_count marker)" 0 "an attack reached the runtime"
	assert_eq "$(wc -l <"$FW_SEEN")" 1 "events the runtime saw"
	expect_events 2 policy=input_firewall action=blocked details.class=sql_injection
	expect_events 2 policy=input_firewall action=blocked details.class=command_injection
}
