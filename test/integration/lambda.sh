# The Lambda Runtime API proxy and `fnguard emulate`: real custom runtimes
# (examples/runtimes/, examples/shell/runtime-bootstrap) served events by
# emulate, through fnguard run's proxy, with the handlers of test/progs/lambda/.

LAMBDA_PROGS="$ROOT/test/progs/lambda"
PY_RUNTIME="$ROOT/examples/runtimes/python/bootstrap"
NODE_RUNTIME="$ROOT/examples/runtimes/node/bootstrap.js"
SH_RUNTIME="$ROOT/examples/shell/runtime-bootstrap"
# The handler rule on, the rest quiet enough for an interpreter to start.
LAMBDA_POLICY='{"read_handler":"block","outbound_connectivity":"block","create_child_process":"block","read_write_tmp":"allow"'

lambda_task() { # handler-file _HANDLER
	mkdir -p "$WORK/task"
	cp "$LAMBDA_PROGS/$1" "$WORK/task/"
	export LAMBDA_TASK_ROOT=$WORK/task _HANDLER=$2
	unset AWS_LAMBDA_RUNTIME_API
}

# emu [emulate options] -- CMD...: events to $EV, results in $WORK/out. Sets RC.
emu() {
	set +e
	"$FNGUARD" emulate --log "file:$EV" "$@" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
}

# out_get KEY [key=value...]: a field of the first result line matching.
out_get() {
	local key=$1
	shift
	$PY "$EVENTS_PY" get "$WORK/out" "$key" "$@"
}

# assert_response N TEXT: event N came back as exactly TEXT.
assert_response() {
	local got
	got=$(out_get response "event=$1")
	[ "$got" = "$2" ] || fail "event $1: expected response '$2', got '$got'"
}

# Events raised during an invocation carry its request id, and only it.
assert_blocked_in() { # event-index policy
	local rid
	rid=$(out_get request_id "event=$1")
	[ -n "$rid" ] || fail "no request id for event $1"
	expect_events 1 policy="$2" action=blocked function.request_id="$rid" function.trace_id=*
}

write_events() { # line...
	printf '%s\n' "$@" >"$WORK/in.jsonl"
}

t_lambda_python_runtime() {
	lambda_task app.py app.handler
	write_events '{"a": 1}' '{"read_self": true}' '{"b": "x"}'
	emu --policy "$(policy "$LAMBDA_POLICY}")" --events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_rc 0
	assert_eq "$(wc -l <"$WORK/out")" 3 "result lines"
	assert_response 0 '{"a": 1}'
	assert_response 1 '{"read_self": true, "self": "denied 13"}'
	assert_response 2 '{"b": "x"}'
	# The handler file was read during init (the import): no event for it then.
	expect_events 1 policy=read_handler
	assert_blocked_in 1 read_handler
	grep -q '"Runtime API proxy: 3 invocations' "$EV" || fail "proxy summary missing"
	assert_events_valid
}

t_lambda_node_runtime() {
	lambda_task index.js index.handler
	write_events '{"n": 1}' '{"read_self": true}' '{"n": 3}'
	emu --policy "$(policy "$LAMBDA_POLICY}")" --events "$WORK/in.jsonl" -- "$NODE" "$NODE_RUNTIME"
	assert_rc 0
	assert_response 0 '{"n":1}'
	assert_response 1 '{"read_self":true,"self":"denied EACCES"}'
	assert_response 2 '{"n":3}'
	expect_events 1 policy=read_handler
	assert_blocked_in 1 read_handler
	# One keep-alive connection carried every request.
	grep -q '"Runtime API proxy: 3 invocations, 1 connections' "$EV" || fail "expected one kept-alive connection"
}

t_lambda_shell_runtime() {
	lambda_task handler.sh handler.handler
	write_events '{"s":1}' '{"read_self":true}' '{"s":3}'
	emu --policy "$(policy "{\"read_handler\":\"block\",\"create_child_process\":\"allow\",\"outbound_connectivity\":\"block\",\"read_write_tmp\":\"allow\",\"handler\":[\"$WORK/task/handler.sh\"]}")" \
		--events "$WORK/in.jsonl" -- "$SH_RUNTIME"
	assert_rc 0
	assert_response 0 '{"s":1}'
	assert_response 1 '{"self":"denied"}'
	assert_response 2 '{"s":3}'
	assert_blocked_in 1 read_handler
}

# on_block fail-invocation: the invocation that hit a block is reported
# failed with Function.SecurityViolation; the others go through.
t_lambda_security_violation() {
	lambda_task app.py app.handler
	write_events '{"a": 1}' '{"read_self": true}' '{"b": 2}'
	emu --policy "$(policy "$LAMBDA_POLICY, \"lambda\": {\"on_block\": \"fail-invocation\"}}")" \
		--events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_rc 1
	assert_eq "$(out_get status event=0)" success
	assert_eq "$(out_get status event=1)" error
	assert_eq "$(out_get error_type event=1)" Function.SecurityViolation
	assert_eq "$(out_get status event=2)" success
	assert_response 2 '{"b": 2}'
	assert_blocked_in 1 read_handler
}

# The same from the command line, and without it the function's own response goes through.
t_lambda_security_violation_cli() {
	lambda_task app.py app.handler
	write_events '{"read_self": true}'
	emu --policy "$(policy "$LAMBDA_POLICY}")" --on-block fail-invocation --event "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_rc 1
	assert_eq "$(out_get error_type event=0)" Function.SecurityViolation
	emu --policy "$(policy "$LAMBDA_POLICY}")" --event "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_rc 0
	assert_response 0 '{"read_self": true, "self": "denied 13"}'
}

# on_block kill: the runtime ends at the blocked call, as FunctionShield's did.
t_lambda_kill_on_block() {
	lambda_task app.py app.handler
	write_events '{"a": 1}' '{"read_self": true}' '{"b": 2}'
	emu --policy "$(policy "$LAMBDA_POLICY, \"lambda\": {\"on_block\": \"kill\"}}")" \
		--events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_rc 137
	assert_response 0 '{"a": 1}'
	assert_eq "$(wc -l <"$WORK/out")" 1 "result lines"
	assert_err "2 of 3 events unanswered"
	expect_events 1 policy=read_handler action=killed
}

# A 6 MB event in and the same 6 MB out, byte for byte.
t_lambda_large_payload() {
	local want got
	lambda_task app.py app.handler
	$PY -c 'import json; print(json.dumps({"data": "".join(chr(97 + i % 26) for i in range(6 * 1024 * 1024))}))' >"$WORK/big.json"
	want=$(head -c -1 "$WORK/big.json" | sha256sum | cut -d' ' -f1)
	emu --policy "$(policy "$LAMBDA_POLICY}")" --event "$WORK/big.json" -- "$PY" "$PY_RUNTIME"
	assert_rc 0
	got=$($PY -c 'import hashlib, json, sys; print(hashlib.sha256(json.loads(open(sys.argv[1]).readline())["response"].encode()).hexdigest())' "$WORK/out")
	assert_eq "$got" "$want" "6 MB response hash"
	assert_eq "$(out_get bytes event=0)" $((6 * 1024 * 1024 + 12)) "response size"
}

# A streamed (chunked) response passes through unchanged, on one connection.
t_lambda_streamed_response() {
	local want got
	lambda_task app.py app.handler
	write_events '{"lines": 400000}' '{"lines": 3}'
	want=$($PY -c 'import hashlib; print(hashlib.sha256(b"".join(b"%08d\n" % i for i in range(400000))).hexdigest())')
	emu --policy "$(policy "$LAMBDA_POLICY}")" --events "$WORK/in.jsonl" -- "$PY" "$LAMBDA_PROGS/stream.py"
	assert_rc 0
	got=$($PY -c 'import hashlib, json, sys; print(hashlib.sha256(json.loads(open(sys.argv[1]).readline())["response"].encode()).hexdigest())' "$WORK/out")
	assert_eq "$got" "$want" "streamed response hash"
	assert_eq "$(out_get streamed event=0)" true
	assert_response 1 "$(printf '00000000\n00000001\n00000002')"
	grep -q '"Runtime API proxy: 2 invocations, 1 connections' "$EV" || fail "expected one kept-alive connection"
}

# The function cannot go around the proxy to the real Runtime API, even
# with outbound traffic allowed; the proxy's own address keeps working.
t_lambda_real_api_blocked() {
	local port
	lambda_task app.py app.handler
	port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	write_events "{\"connect\": $port}"
	emu --port "$port" --policy "$(policy '{"outbound_connectivity":"allow","read_write_tmp":"allow","create_child_process":"allow","read_handler":"allow"}')" \
		--events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_rc 0
	assert_response 0 "{\"connect\": $port, \"connected\": \"denied 13\"}"
	expect_events 1 policy=outbound_connectivity action=blocked details.port="$port" details.ip=127.0.0.1
	assert_blocked_in 0 outbound_connectivity
}

# Without the proxy the runtime talks to the real API itself, and may.
t_lambda_no_proxy() {
	local port
	lambda_task app.py app.handler
	port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	write_events "{\"connect\": $port}"
	emu --port "$port" --no-proxy --policy "$(policy "$ALLOW_ALL")" --events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_rc 0
	assert_response 0 "{\"connect\": $port, \"connected\": \"ok\"}"
	expect_events 0 policy=*
	grep -q 'Runtime API proxy' "$EV" && fail "the proxy ran with --no-proxy"
	true
}

# "phases": a rule scoped to invoke lets init do what invocations may not.
t_lambda_phase_scoped_rule() {
	lambda_task app.py app.handler
	export INIT_EXEC=1
	write_events '{"exec": true}'
	emu --policy "$(policy "$LAMBDA_POLICY, \"lambda\": {\"phases\": {\"create_child_process\": \"invoke\"}}}")" \
		--events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_rc 0
	assert_eq "$(out_get response event=0 | $PY -c 'import json, sys; r = json.load(sys.stdin); print(r["init_rc"], r["invoke_rc"] != 0)')" "0 True"
	expect_events 1 policy=create_child_process action=blocked
	assert_blocked_in 0 create_child_process
}

# An init error reaches the Runtime API and emulate says the run failed.
t_lambda_init_error() {
	lambda_task app.py app.handler
	echo 'raise RuntimeError("broken at import")' >"$WORK/task/app.py"
	emu --policy "$(policy "$LAMBDA_POLICY}")" -- "$PY" "$PY_RUNTIME"
	assert_rc 1
	assert_eq "$(out_get status)" init_error
	assert_eq "$(out_get error_type)" Runtime.InitError
	assert_out "broken at import"
}

t_lambda_emulate_usage() {
	emu -- 
	assert_rc 2
	emu --events /nonexistent -- true
	assert_rc 2
	assert_err "/nonexistent"
	emu --port 70000 -- true
	assert_rc 2
}

# AWS_LAMBDA_MAX_CONCURRENCY: several next calls at once go through the proxy;
# a call made while several invocations are in flight names none of them.
t_lambda_concurrent_invocations() {
	lambda_task app.py app.handler
	export AWS_LAMBDA_MAX_CONCURRENCY=3
	write_events '{"w": 1}' '{"w": 2}' '{"w": 3}'
	emu --policy "$(policy "$LAMBDA_POLICY}")" --events "$WORK/in.jsonl" -- "$PY" "$LAMBDA_PROGS/concurrent.py"
	assert_rc 0
	assert_response 0 '{"w": 1, "self": "denied 13"}'
	assert_response 1 '{"w": 2, "self": "denied 13"}'
	assert_response 2 '{"w": 3, "self": "denied 13"}'
	expect_events 3 policy=read_handler action=blocked
	expect_events 0 policy=read_handler function.request_id=*
	grep -q '"Runtime API proxy: 3 invocations' "$EV" || fail "proxy summary missing"
}
