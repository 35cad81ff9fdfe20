# The Runtime API proxy against a second HTTP stack: a Go net/http upstream
# routed like AWS's Runtime API (test/progs/go/rtapi.go). A differential test
# of route and framing over a request corpus, and the adversarial program
# rtapi_desync (absolute-form targets, pipelining, head-first responses).

RTAPI_GO="$BUILD/test/progs/rtapi-go"
RTAPI_DIFF="$ROOT/test/progs/lambda/rtapi_diff.py"

# rtapi_start [node]: the Go upstream (or node's) on 127.0.0.1:ephemeral,
# logging to $WORK/rtapi.log. Sets RTAPI_ADDR; stopped when the test ends.
rtapi_start() {
	local i
	: >"$WORK/rtapi.log"
	if [ "${1:-}" = node ]; then
		/usr/bin/node "$ROOT/test/progs/lambda/rtapi_upstream.js" "$WORK/rtapi.log" "$WORK/rtapi.port" &
	else
		[ -x "$RTAPI_GO" ] || fail "$RTAPI_GO was not built: golang-go is missing (run scripts/install-deps.sh, then make)"
		"$RTAPI_GO" -log "$WORK/rtapi.log" -port-file "$WORK/rtapi.port" &
	fi
	RTAPI_PID=$!
	trap 'kill "$RTAPI_PID" 2>/dev/null; rm -rf "$TMPD" "$WORK"' EXIT
	for i in $(seq 1 200); do
		[ -s "$WORK/rtapi.port" ] && break
		kill -0 "$RTAPI_PID" 2>/dev/null || fail "the Runtime API upstream did not start"
		sleep 0.05
	done
	[ -s "$WORK/rtapi.port" ] || fail "the Runtime API upstream wrote no port"
	RTAPI_ADDR=127.0.0.1:$(cat "$WORK/rtapi.port")
}

# rtapi_differential: rtapi_diff.py over the whole corpus against RTAPI_ADDR.
rtapi_differential() {
	set +e
	/usr/bin/python3 "$RTAPI_DIFF" run "$FNGUARD" "$RTAPI_ADDR" "$WORK/rtapi.log" "$WORK" >"$WORK/diff.out" 2>&1
	RC=$?
	set -e
	cat "$WORK/diff.out"
	assert_rc 0
	[ "$(grep -c '^ok ' "$WORK/diff.out")" -ge 60 ] || fail "fewer corpus items than expected ran"
}

# Every corpus request, straight to Go and through the proxy: the same route
# and framing, or refused by the proxy with a 400 and an event.
t_lambda_rtapi_differential() {
	rtapi_start
	rtapi_differential
}

# The same corpus against node's http (llhttp), a third stack.
t_lambda_rtapi_differential_node() {
	rtapi_start node
	rtapi_differential
}

RTAPI_DESYNC="$BUILD/test/adversarial/rtapi_desync"
# create_child_process only once invocations run, and a block fails the invocation.
RTAPI_POLICY='{"outbound_connectivity":"allow","read_write_tmp":"allow","create_child_process":"block","read_handler":"allow","lambda":{"on_block":"fail-invocation","phases":{"create_child_process":"invoke"}}}'

# rtapi_desync run natively against the Go upstream: every vector gets through.
t_adv_rtapi_desync_native() {
	rtapi_start
	set +e
	AWS_LAMBDA_RUNTIME_API=$RTAPI_ADDR FNG_RTAPI_LOG=$WORK/rtapi.log "$RTAPI_DESYNC" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	cat "$WORK/out"
	assert_rc 6
	[ "$(grep -c ': BYPASSED' "$WORK/out")" = 6 ] || fail "expected 6 BYPASSED lines natively"
}

# Under fnguard's proxy: absolute-form targets refused (400 + event), the
# pipelined `next` tracked, a block between a response's head and its last
# byte fails the invocation (the Go server logs a SecurityViolation error).
t_adv_rtapi_desync() {
	local n
	rtapi_start
	set +e
	AWS_LAMBDA_RUNTIME_API=$RTAPI_ADDR FNG_RTAPI_LOG=$WORK/rtapi.log \
		"$FNGUARD" run --log "file:$EV" --policy "$(policy "$RTAPI_POLICY")" -- "$RTAPI_DESYNC" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	cat "$WORK/out"
	assert_rc 0
	[ "$(grep -c ': defended' "$WORK/out")" = 6 ] || fail "expected 6 defended vectors"
	expect_events 2 policy=lambda action=blocked details.protocol=http
	# pipeline_17, both head-first vectors and the error of the function's
	# choosing: the invocation failed at the real API as a SecurityViolation
	n=$(grep -c '"route":"error".*Function.SecurityViolation.*"ok":true' "$WORK/rtapi.log")
	[ "$n" = 4 ] || fail "expected 4 SecurityViolation errors at the real API, got $n"
	grep -q 'Function.Innocent' "$WORK/rtapi.log" && fail "an error of the function's choosing reached the real API"
	grep -q '"route":"response","method":"POST","path":"[^"]*","id":"inv-[0-9]*","len":2,"sha":"[0-9a-f]*","ok":true' \
		"$WORK/rtapi.log" && fail "a response reached the real API whole"
	true
}

RTAPI_CLIENT="$ROOT/test/progs/lambda/rtapi_client.py"

# A function holding many connections to the proxy (each costs fnguard two
# descriptors): past the cap they are closed at once, with one event.
t_lambda_rtapi_connection_cap() {
	rtapi_start
	set +e
	AWS_LAMBDA_RUNTIME_API=$RTAPI_ADDR "$FNGUARD" run --log "file:$EV" --policy "$(policy "$ALLOW_ALL")" -- \
		"$PY" "$RTAPI_CLIENT" conns 100 >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 0
	assert_eq "$(cat "$WORK/out")" "served 64 closed 36" "connections"
	expect_events 1 policy=lambda action=blocked 'details.reason=Runtime API proxy refused: a connection over the cap of 64 open at once'
	grep -q 'refused 36"' "$EV" || fail "the proxy summary does not count the 36 refused connections"
}

# More invocations in flight than the old fixed table held (4096): the last
# one is still tracked, and a block fails it.
t_lambda_rtapi_many_invocations() {
	local rid
	rtapi_start
	set +e
	AWS_LAMBDA_RUNTIME_API=$RTAPI_ADDR "$FNGUARD" run --log "file:$EV" --policy "$(policy "$RTAPI_POLICY")" -- \
		"$PY" "$RTAPI_CLIENT" many-next 4100 >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 0
	rid=$(cut -d' ' -f1 "$WORK/out")
	assert_eq "$rid" inv-4100 "last request id"
	grep -q "\"route\":\"error\",\"method\":\"POST\",\"path\":\"[^\"]*\",\"id\":\"$rid\".*Function.SecurityViolation" \
		"$WORK/rtapi.log" || fail "invocation $rid was not failed"
	grep -q "\"route\":\"response\",\"method\":\"POST\",\"path\":\"[^\"]*\",\"id\":\"$rid\"" "$WORK/rtapi.log" &&
		fail "the response of $rid reached the real API"
	true
}
