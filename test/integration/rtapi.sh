# The Runtime API proxy against a second HTTP stack: a Go net/http upstream
# routed like AWS's Runtime API (test/progs/go/rtapi.go). A differential test
# of route and framing over a request corpus, and the adversarial program
# rtapi_desync (absolute-form targets, pipelining, head-first responses).

RTAPI_GO="$BUILD/test/progs/rtapi-go"
RTAPI_DIFF="$ROOT/test/progs/lambda/rtapi_diff.py"

# rtapi_start: the Go upstream on 127.0.0.1:ephemeral, logging to
# $WORK/rtapi.log. Sets RTAPI_ADDR; stopped when the test ends.
rtapi_start() {
	local i
	[ -x "$RTAPI_GO" ] || fail "$RTAPI_GO was not built: golang-go is missing (run scripts/install-deps.sh, then make)"
	: >"$WORK/rtapi.log"
	"$RTAPI_GO" -log "$WORK/rtapi.log" -port-file "$WORK/rtapi.port" &
	RTAPI_PID=$!
	trap 'kill "$RTAPI_PID" 2>/dev/null; rm -rf "$TMPD" "$WORK"' EXIT
	for i in $(seq 1 200); do
		[ -s "$WORK/rtapi.port" ] && break
		kill -0 "$RTAPI_PID" 2>/dev/null || fail "the Go Runtime API server did not start"
		sleep 0.05
	done
	[ -s "$WORK/rtapi.port" ] || fail "the Go Runtime API server wrote no port"
	RTAPI_ADDR=127.0.0.1:$(cat "$WORK/rtapi.port")
}

# Every corpus request, straight to Go and through the proxy: the same route
# and framing, or refused by the proxy with a 400 and an event.
t_lambda_rtapi_differential() {
	rtapi_start
	set +e
	/usr/bin/python3 "$RTAPI_DIFF" run "$FNGUARD" "$RTAPI_ADDR" "$WORK/rtapi.log" "$WORK" >"$WORK/diff.out" 2>&1
	RC=$?
	set -e
	cat "$WORK/diff.out"
	assert_rc 0
	[ "$(grep -c '^ok ' "$WORK/diff.out")" -ge 50 ] || fail "fewer corpus items than expected ran"
}
