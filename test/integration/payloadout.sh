# Output inspection and the code check (docs/policy.md "output_inspection",
# "code_check"): real runtimes under fnguard emulate that answer with the
# function's own secret, an AWS key id, a card number or a private key, in
# one body and streamed across chunks; a task root whose code the rules
# refuse, with protectLambda's example rule in its own file format.

PO_SECRET='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
PO_KEYID='AKIAIOSFODNN7EXAMPLE'
PO_RULE='.*(call|check_output|system|popen|run|local|spawn).*\(.*'
PO_BASE='"read_handler":"allow","outbound_connectivity":"block","create_child_process":"block","read_write_tmp":"allow"'
# The code check's runs start a shell that touches a file.
CC_BASE='"read_handler":"allow","outbound_connectivity":"block","create_child_process":"allow","read_write_tmp":"allow"'

# The leaking handler, its secret in the environment fnguard starts with.
po_task() {
	lambda_task leak.py leak.handler
	export AWS_SECRET_ACCESS_KEY=$PO_SECRET
	unset AWS_SESSION_TOKEN
	write_events '{"say": "hello"}' '{"env": "AWS_SECRET_ACCESS_KEY"}' "{\"say\": \"id $PO_KEYID\"}" \
		'{"say": "card 4111 1111 1111 1111"}' '{"say": "-----BEGIN OPENSSH PRIVATE KEY-----"}' \
		"{\"raise\": \"$PO_KEYID\"}" '{"say": "ts 1733312345678 4111 1111 1111 1112"}'
}

# Block: each leaking answer became Function.SecurityViolation upstream,
# the clean ones went through; events name the detector, never the secret.
t_payloadout_block_builtins() {
	po_task
	emu --policy "$(policy "{$PO_BASE, \"output_inspection\": \"block\"}")" --events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_rc 1
	assert_response 0 '{"out": "hello"}'
	for i in 1 2 3 4 5; do
		assert_eq "$(out_get status "event=$i")" error "event $i status"
		assert_eq "$(out_get error_type "event=$i")" Function.SecurityViolation "event $i error type"
	done
	assert_response 6 '{"out": "ts 1733312345678 4111 1111 1111 1112"}'
	grep -qF "$PO_SECRET" "$WORK/out" && fail "the secret reached the Runtime API"
	grep -qF "$PO_KEYID" "$WORK/out" && fail "the key id reached the Runtime API"
	grep -qF "$PO_SECRET" "$EV" && fail "the secret is in an event"
	expect_events 5 policy=output_inspection action=blocked event_type=output function.request_id=*
	expect_events 1 policy=output_inspection details.match=aws_secret_access_key \
		function.request_id="$(out_get request_id event=1)"
	expect_events 2 policy=output_inspection details.match=aws_access_key_id
	expect_events 1 policy=output_inspection details.match=card_number
	expect_events 1 policy=output_inspection details.match=private_key
	assert_events_valid
}

# The secret and the session token JSON-encoded twice, as an API Gateway
# proxy answer carries a body PHP's json_encode ("\/" -> "\\/") or .NET's
# System.Text.Json ("+" -> "\\u002B", "/" -> "\\u002F") wrote: each
# answer is blocked; a look-alike (one letter off) goes through.
t_payloadout_block_escaped() {
	local secret='wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' token='FwoGZXIvYXdzEB+aDHk/Ex4mpleT0ken+Q=='
	lambda_task leak.py leak.handler
	export AWS_SECRET_ACCESS_KEY=$secret AWS_SESSION_TOKEN=$token
	write_events '{"env": "AWS_SECRET_ACCESS_KEY", "encode": "php"}' '{"env": "AWS_SECRET_ACCESS_KEY", "encode": "dotnet"}' \
		'{"env": "AWS_SESSION_TOKEN", "encode": "php"}' '{"env": "AWS_SESSION_TOKEN", "encode": "dotnet"}' \
		'{"say": "wJalrXUtnFEMI\\u002FK7MDENG\\u002BbPxRfiCYEXAMPLEKEX"}'
	emu --policy "$(policy "{$PO_BASE, \"output_inspection\": \"block\"}")" --events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	unset AWS_SESSION_TOKEN
	assert_rc 1
	assert_eq "$(for i in 0 1 2 3; do out_get error_type "event=$i"; done | sort -u)" Function.SecurityViolation \
		"error types of events 0 to 3"
	assert_response 4 '{"out": "wJalrXUtnFEMI\\u002FK7MDENG\\u002BbPxRfiCYEXAMPLEKEX"}'
	grep -qE 'EXAMPLEKEY|Ex4mpleT0ken' "$WORK/out" && fail "a secret reached the Runtime API"
	grep -qE 'EXAMPLEKEY|Ex4mpleT0ken' "$EV" && fail "a secret is in an event"
	expect_events 2 policy=output_inspection action=blocked details.match=aws_secret_access_key
	expect_events 2 policy=output_inspection action=blocked details.match=aws_session_token
	assert_events_valid
}

# Alert: everything goes through as the function wrote it, with the events.
t_payloadout_alert_builtins() {
	po_task
	emu --policy "$(policy "{$PO_BASE, \"output_inspection\": {\"action\": \"alert\"}}")" --events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_rc 1 # event 5 raises: an error of the function's own
	assert_response 1 "{\"out\": \"$PO_SECRET\"}"
	assert_response 2 "{\"out\": \"id $PO_KEYID\"}"
	assert_eq "$(out_get error_type event=5)" Function.RuntimeError "the function's own error"
	expect_events 5 policy=output_inspection action=alerted
	grep -qF "$PO_SECRET" "$EV" && fail "the secret is in an event"
	true
}

# A streamed response: a key id split across two HTTP chunks is found; one
# after 300 KB already streamed cuts the stream and the error goes up; the
# connection serves the next invocation.
t_payloadout_stream_split() {
	lambda_task leak.py leak.handler
	write_events '{"chunks": ["ok ", "fine"]}' '{"chunks": ["key AKIAIOSF", "ODNN7EXAMPLE end"]}' \
		'{"pad": 300000, "chunks": ["x", "AKIAIOSFODNN7EXA", "MPLE", "tail"]}' '{"chunks": ["AKIAIOSFODNN7EXAMPL", "EX"]}' \
		'{"chunks": ["after"]}'
	emu --policy "$(policy "{$PO_BASE, \"output_inspection\": \"block\"}")" --events "$WORK/in.jsonl" -- "$PY" "$LAMBDA_PROGS/leak_stream.py"
	assert_rc 1
	assert_response 0 'ok fine'
	assert_eq "$(out_get error_type event=1)" Function.SecurityViolation "split key id"
	assert_eq "$(out_get error_type event=2)" Function.SecurityViolation "key id after 300 KB"
	# 21 characters across the boundary: not a key id, streamed as written.
	assert_response 3 'AKIAIOSFODNN7EXAMPLEX'
	assert_response 4 'after'
	assert_eq "$(out_get response event=1)$(out_get response event=2)" nullnull "responses of the blocked invocations"
	expect_events 2 policy=output_inspection action=blocked details.match=aws_access_key_id
}

# protectLambda's out_protect.txt format (CRLF, a blank line) as
# patterns_file, built-ins off: the rule's file and line in the event.
t_payloadout_patterns_file() {
	lambda_task leak.py leak.handler
	printf 'internal-[0-9]+\r\n\r\n%s\r\n' "$PO_RULE" >"$WORK/out_protect.txt"
	write_events '{"say": "host internal-42 down"}' "{\"say\": \"$PO_KEYID\"}"
	emu --policy "$(policy "{$PO_BASE, \"output_inspection\": {\"action\": \"block\", \"builtins\": false, \"patterns_file\": \"$WORK/out_protect.txt\"}}")" \
		--events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_rc 1
	assert_eq "$(out_get error_type event=0)" Function.SecurityViolation "rule match"
	assert_response 1 "{\"out\": \"$PO_KEYID\"}" # built-ins off
	expect_events 1 policy=output_inspection details.match="$WORK/out_protect.txt:1: internal-[0-9]+"
}

# A bad regex in a patterns file: policy check names the file and line.
t_payloadout_bad_patterns_file() {
	printf 'ok\n(unclosed\n' >"$WORK/rules.txt"
	set +e
	"$FNGUARD" policy check "$(policy "{\"code_check\": {\"action\": \"block\", \"patterns_file\": \"$WORK/rules.txt\"}}")" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 2
	assert_err "$WORK/rules.txt:2: bad regex at offset"
}

# The code check task: a Python handler calling subprocess.call(...), a
# clean module, and protectLambda's example rule in code_protect.txt.
cc_task() {
	mkdir -p "$WORK/task/lib"
	printf 'import subprocess\n\n\ndef handler(event, context):\n    return subprocess.call(["true"])\n' >"$WORK/task/app.py"
	printf 'def helper():\n    return 1\n' >"$WORK/task/lib/clean.py"
	printf '%s\n' "$PO_RULE" >"$WORK/code_protect.txt"
	export LAMBDA_TASK_ROOT=$WORK/task
}

# Block: the runtime never starts; one line names file:line and the rule;
# exit status 3.
t_payloadout_code_check_block() {
	cc_task
	fng --policy "$(policy "{$CC_BASE, \"code_check\": {\"action\": \"block\", \"patterns_file\": \"$WORK/code_protect.txt\"}}")" \
		-- /bin/sh -c "touch '$WORK/started'"
	assert_rc 3
	assert_absent "$WORK/started"
	assert_eq "$(wc -l <"$WORK/err")" 1 "lines on stderr"
	grep -qF "fnguard: code check: $WORK/task/app.py:5: Code Rule violation for $PO_RULE" "$WORK/err" ||
		fail "stderr lacks the file:line and rule line: $(cat "$WORK/err")"
	expect_events 1 policy=code_check action=blocked details.path="$WORK/task/app.py"
}

# Alert: an event per finding, and the runtime starts.
t_payloadout_code_check_alert() {
	cc_task
	printf '#!/bin/sh\nos.system (x)\n' >"$WORK/task/bootstrap"
	printf 'spawn(1)\n' >"$WORK/task/notes.txt" # not code: neither extension nor #!
	fng --policy "$(policy "{$CC_BASE, \"code_check\": {\"action\": \"alert\", \"patterns\": [\"$(printf '%s' "$PO_RULE" | sed 's/\\/\\\\/g')\"]}}")" \
		-- /bin/sh -c "touch '$WORK/started'"
	assert_rc 0
	assert_exists "$WORK/started"
	expect_events 2 policy=code_check action=alerted
	expect_events 1 policy=code_check details.path="$WORK/task/bootstrap"
	expect_events 0 policy=code_check details.path="$WORK/task/notes.txt"
}

# A bound hit under block refuses to start: a partial scan is no pass.
t_payloadout_code_check_limit() {
	cc_task
	printf 'x = 1\n' >"$WORK/task/app.py"
	fng --policy "$(policy "{$CC_BASE, \"code_check\": {\"action\": \"block\", \"patterns\": [\"nothing-matches\"], \"limits\": {\"max_files\": 1}}}")" \
		-- /bin/sh -c "touch '$WORK/started'"
	assert_rc 3
	assert_absent "$WORK/started"
	assert_err "more than 1 code files (code_check.limits)"
}

# fnguard trace blocks nothing: a block finding is "would block" and the
# runtime starts.
t_payloadout_code_check_trace_observes() {
	cc_task
	set +e
	"$FNGUARD" trace -o "$WORK/trace.txt" --policy "$(policy "{$CC_BASE, \"code_check\": {\"action\": \"block\", \"patterns_file\": \"$WORK/code_protect.txt\"}}")" \
		-- /bin/sh -c "touch '$WORK/started'" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 0
	assert_exists "$WORK/started"
	grep -q "app.py.*would block: code_check" "$WORK/trace.txt" || fail "no would-block line: $(cat "$WORK/trace.txt")"
}

# With the proxy turned off the responses would go unchecked: fnguard
# refuses to start rather than run without the inspection asked for.
t_payloadout_needs_proxy() {
	po_task
	emu --no-proxy --policy "$(policy "{$PO_BASE, \"output_inspection\": \"block\"}")" --events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_rc 2
	assert_err "output_inspection needs the Runtime API proxy"
}

# A Content-Length body of 300 KB with the key id in its middle: the request
# is cut once the key is seen (bytes before it may have gone up, the end
# never does), the error goes up instead, and the next invocation runs.
t_payloadout_large_body_cut() {
	po_task
	$PY -c 'import json; print(json.dumps({"say": "." * 200000 + " AKIAIOSFODNN7EXAMPLE " + "." * 100000})); print(json.dumps({"say": "next"}))' >"$WORK/in.jsonl"
	emu --policy "$(policy "{$PO_BASE, \"output_inspection\": \"block\"}")" --events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_rc 1
	assert_eq "$(out_get error_type event=0)" Function.SecurityViolation "large body"
	assert_response 1 '{"out": "next"}'
	expect_events 1 policy=output_inspection action=blocked details.match=aws_access_key_id
	grep -q '1 responses replaced by Function.SecurityViolation' "$EV" || fail "expected one replaced response"
}
