# The Runtime API proxy's blocks when the runtime asks for "Connection:
# close" (python's urllib does, docs' own runtime): against an upstream
# that honours it as the real API does (test/progs/lambda/rtapi_events.py),
# not fnguard emulate. A blocked event's error must reach the upstream, the
# runtime's waiting `next` must get the next event, and that event must be
# served (attack round 7, finding 4). Likewise output inspection's block
# and init/error.

# fwc_run POLICY-JSON EVENT...: the events served by the upstream to the
# python runtime ($FWC_RUNTIME, default docs' urllib one) under fnguard run;
# the upstream's log in $FWC_UP.
fwc_run() {
	local pol=$1 up
	shift
	printf '%s\n' "$@" >"$WORK/in.jsonl"
	FWC_UP=$WORK/up.log
	: >"$FWC_UP"
	rm -f "$WORK/up.port"
	"$PY" "$LAMBDA_PROGS/rtapi_events.py" "$WORK/in.jsonl" "$FWC_UP" "$WORK/up.port" 2>"$WORK/up.err" &
	up=$!
	for _ in $(seq 100); do [ -s "$WORK/up.port" ] && break; sleep 0.1; done
	[ -s "$WORK/up.port" ] || fail "the upstream did not start"
	set +e
	AWS_LAMBDA_RUNTIME_API=127.0.0.1:$(cat "$WORK/up.port") timeout 60 "$FNGUARD" run --log "file:$EV" \
		--policy "$(policy "$pol")" -- "$PY" "${FWC_RUNTIME:-$PY_RUNTIME}" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	kill "$up" 2>/dev/null || true
	wait "$up" 2>/dev/null || true
}

# fwc_has LINE-PREFIX: the upstream received a request logged so.
fwc_count() {
	grep -c -- "^$1" "$FWC_UP" || true
}

t_fw_close_block_serves_next() {
	fw_task
	fwc_run "{$FW_BASE, \"input_firewall\": \"block\"}" '{"n": 0}' \
		'{"queryStringParameters": {"id": "1 UNION SELECT password FROM users"}, "marker": "sqli"}' '{"n": 2}'
	[ "$RC" -ne 124 ] || fail "fnguard run hung"
	assert_eq "$(fwc_count 'response req-0 - ')" 1 "response for the clean first event"
	assert_eq "$(fwc_count 'error req-1 Function.SecurityViolation ')" 1 "the blocked event's error upstream"
	assert_eq "$(fwc_count 'response req-1 - ')" 0 "a response for the blocked event"
	assert_eq "$(fwc_count 'response req-2 - {"seen": {"n": 2}}')" 1 "the event after the block served"
	assert_eq "$(fwc_count 'next req-3')" 1 "the runtime asked for more after it"
	assert_eq "$(seen_count marker)" 0 "the attack reached the runtime"
	assert_eq "$(wc -l <"$FW_SEEN")" 2 "events the runtime saw"
	expect_events 1 policy=input_firewall action=blocked details.class=sql_injection function.request_id=req-1
}

# Two blocked in a row: each refusal goes on a fresh connection.
t_fw_close_two_blocks() {
	fw_task
	fwc_run "{$FW_BASE, \"input_firewall\": \"block\"}" '{"n": 0}' \
		'{"q": "1 UNION SELECT password FROM users"}' '{"f": "../../../etc/passwd"}' '{"n": 3}'
	[ "$RC" -ne 124 ] || fail "fnguard run hung"
	assert_eq "$(fwc_count 'error req-1 Function.SecurityViolation ')" 1 "first blocked event's error"
	assert_eq "$(fwc_count 'error req-2 Function.SecurityViolation ')" 1 "second blocked event's error"
	assert_eq "$(fwc_count 'response req-3 - {"seen": {"n": 3}}')" 1 "the event after the blocks served"
	assert_eq "$(wc -l <"$FW_SEEN")" 2 "events the runtime saw"
}

t_fw_close_output_block() {
	fw_task
	fwc_run "{$FW_BASE, \"output_inspection\": {\"action\": \"block\", \"builtins\": false, \"patterns\": [\"internal-[0-9]+\"]}}" \
		'{"n": 0}' '{"leak": "internal-4242"}' '{"n": 2}'
	[ "$RC" -ne 124 ] || fail "fnguard run hung"
	assert_eq "$(fwc_count 'error req-1 Function.SecurityViolation ')" 1 "the blocked response's error upstream"
	assert_eq "$(grep -c internal-4242 "$FWC_UP" || true)" 0 "the secret reached the upstream"
	assert_eq "$(fwc_count 'response req-2 - {"seen": {"n": 2}}')" 1 "the event after the block served"
	assert_eq "$(fwc_count 'next req-3')" 1 "the runtime asked for more after it"
}

t_fw_close_init_error() {
	fw_task
	export _HANDLER=missing.handler
	fwc_run "{$FW_BASE, \"input_firewall\": \"block\"}" '{"n": 0}'
	assert_eq "$(fwc_count 'init-error - Runtime.InitError ')" 1 "init/error reached the upstream"
	assert_eq "$(fwc_count next)" 0 "a next after the init error"
}

# The control: a runtime that keeps its connection; the refusal and the
# next `next` go on the same connection and the runtime serves what follows.
t_fw_close_keepalive_control() {
	fw_task
	FWC_RUNTIME=$LAMBDA_PROGS/ka_runtime.py fwc_run "{$FW_BASE, \"input_firewall\": \"block\"}" '{"n": 0}' \
		'{"q": "1 UNION SELECT password FROM users"}' '{"n": 2}'
	assert_rc 0
	assert_eq "$(fwc_count 'error req-1 Function.SecurityViolation ')" 1 "the blocked event's error upstream"
	assert_eq "$(fwc_count 'response req-2 - {"seen": {"n": 2}}')" 1 "the event after the block served"
	assert_eq "$(wc -l <"$FW_SEEN")" 2 "events the runtime saw"
}

# An init error that would carry what output inspection blocks, from the
# same runtime: the violation error reaches init/error, the secret does not.
t_fw_close_init_error_blocked() {
	fw_task
	printf 'raise RuntimeError("internal-4242")\n' >"$WORK/task/boom.py"
	export _HANDLER=boom.handler
	fwc_run "{$FW_BASE, \"output_inspection\": {\"action\": \"block\", \"builtins\": false, \"patterns\": [\"internal-[0-9]+\"]}}" '{"n": 0}'
	[ "$RC" -ne 124 ] || fail "fnguard run hung"
	assert_eq "$(fwc_count 'init-error - Function.SecurityViolation ')" 1 "the violation error at init/error"
	assert_eq "$(grep -c internal-4242 "$FWC_UP" || true)" 0 "the secret reached the upstream"
	assert_eq "$(fwc_count next)" 0 "a next after the init error"
}
