# confirmed_attacks: under `fnguard emulate`, a Python handler with a command
# injection, a path traversal and an SSRF (test/progs/lambda/inject.py). The
# attack inputs are confirmed (the value changed the call's structure) and
# blocked or alerted; the same handler with benign inputs raises nothing.
# Helpers (lambda_task, emu, write_events, out_get) are lambda.sh's.

# Everything else allowed: only confirmed_attacks can refuse.
confirmed_policy() { # mode
	policy "{\"outbound_connectivity\":\"allow\",\"read_write_tmp\":\"allow\",\"create_child_process\":\"allow\",\"read_handler\":\"allow\",\"confirmed_attacks\":\"$1\"}"
}

# A loopback listener answering "secret" to each GET; port in $LPORT, hits counted in $WORK/hits.
confirmed_listener() {
	: >"$WORK/hits"
	$PY - "$WORK/hits" "$WORK/lport" <<'PYEOF' &
import http.server, sys
hits, portfile = sys.argv[1], sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        open(hits, "a").write(self.path + "\n")
        self.send_response(200); self.send_header("Content-Length", "6"); self.end_headers()
        self.wfile.write(b"secret")
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(portfile + ".tmp", "w").write(str(s.server_port))
import os; os.rename(portfile + ".tmp", portfile)
s.timeout = 30
for _ in range(20): s.handle_request()
PYEOF
	LPID=$!
	for _ in $(seq 100); do [ -s "$WORK/lport" ] && break; sleep 0.05; done
	LPORT=$(cat "$WORK/lport")
}

confirmed_task() {
	lambda_task inject.py inject.handler
	mkdir -p "$WORK/task/data"
	echo hello >"$WORK/task/data/report.txt"
	# the canary outside data/ the traversal climbs to
	echo canary >"$WORK/task/canary.txt"
}

# 0: command injection, 1: traversal, 2: SSRF to the loopback listener.
confirmed_attacks_events() {
	write_events '{"host": "127.0.0.1; touch pwned"}' '{"file": "../canary.txt"}' \
		"{\"url\": \"http://127.0.0.1:$LPORT/latest/meta-data/\"}"
}

# confirmed_run MODE: the handler served $WORK/in.jsonl under confirmed_attacks MODE.
confirmed_run() {
	cd "$WORK/task"
	emu --policy "$(confirmed_policy "$1")" --events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	cd - >/dev/null
	[ -z "${LPID:-}" ] || kill "$LPID" 2>/dev/null || true
	assert_rc 0
}

t_confirmed_block() {
	confirmed_task
	confirmed_listener
	confirmed_attacks_events
	confirmed_run block
	# the effects did not happen
	[ ! -e "$WORK/task/pwned" ] || fail "the injected command ran"
	assert_response 1 '{"read": "denied 13"}'
	case "$(out_get response event=2)" in *secret*) fail "the SSRF reached the listener" ;; esac
	[ ! -s "$WORK/hits" ] || fail "the listener was reached: $(cat "$WORK/hits")"
	# one confirmed event each, with the input's path and the call
	expect_events 1 policy=confirmed_attacks action=blocked details.confirmed=true details.input_path='$.host' syscall=execve
	expect_events 1 policy=confirmed_attacks action=blocked details.confirmed=true details.input_path='$.file' syscall=openat
	expect_events 1 policy=confirmed_attacks action=blocked details.confirmed=true details.input_path='$.url' syscall=connect
	rid=$(out_get request_id event=1)
	expect_events 1 policy=confirmed_attacks function.request_id="$rid"
	assert_events_valid
}

t_confirmed_alert() {
	confirmed_task
	confirmed_listener
	confirmed_attacks_events
	confirmed_run alert
	[ -e "$WORK/task/pwned" ] || fail "alert: the command should have run"
	assert_response 1 '{"read": 7}'
	expect_events 1 policy=confirmed_attacks action=alerted details.input_path='$.host' details.confirmed=true
	expect_events 1 policy=confirmed_attacks action=alerted details.input_path='$.file'
	expect_events 1 policy=confirmed_attacks action=alerted details.input_path='$.url'
	expect_events 0 action=blocked
}

# The same calls with benign inputs: a plain host, a file under data/, a
# URL path fetched from a fixed host, a quoted-looking value never in a call.
t_confirmed_benign() {
	confirmed_task
	confirmed_listener
	write_events '{"host": "127.0.0.1"}' '{"file": "report.txt"}' \
		"{\"path\": \"latest/index.html\", \"port\": $LPORT}" '{"note": "a; b | c"}'
	confirmed_run block
	assert_response 1 '{"read": 6}'
	assert_response 2 '{"fetched": "secret"}'
	expect_events 0 policy=confirmed_attacks
	expect_events 0 details.confirmed=true
}

# examples/confirmed runs as its docstring says: the benign doc is read, the
# three attacks are refused, each with its input path.
t_confirmed_example() {
	local ex=$ROOT/examples/confirmed
	export LAMBDA_TASK_ROOT=$ex _HANDLER=app.handler
	unset AWS_LAMBDA_RUNTIME_API
	cd "$ex"
	emu --policy "$ex/policy.json" --events "$ex/events.jsonl" -- "$PY" "$PY_RUNTIME"
	cd - >/dev/null
	assert_rc 0
	assert_response 0 '{"doc": "fnguard confirmed_attacks example\n"}'
	expect_events 3 policy=confirmed_attacks action=blocked details.confirmed=true
	expect_events 1 policy=confirmed_attacks details.input_path='$.doc'
	expect_events 1 policy=confirmed_attacks details.input_path='$.host'
	expect_events 1 policy=confirmed_attacks details.input_path='$.webhook' details.ip=169.254.169.254
}

# SSRF by name: the event names blocked.test, the function resolves it
# through the netns's dnsmasq (test/lib/dnsns.sh) and connects to
# 10.89.2.1:8080; the name the tracer learnt from that answer ties the
# address to the input. allowed.test, fetched by a fixed URL, is not the
# input's: reached, no event.
t_confirmed_ssrf_by_name() {
	dns_setup
	confirmed_task
	write_events '{"url": "http://blocked.test:8080/x"}' '{"url": "http://10.89.2.1:8080/y"}' \
		'{"path": "z", "port": 8080, "note": "allowed.test is fine"}'
	sed -i 's|http://127.0.0.1:%d/%s|http://allowed.test:%d/%s|' "$WORK/task/inject.py"
	export LAMBDA_TASK_ROOT=$WORK/task
	dns_exec "$FNGUARD" emulate --policy "$(confirmed_policy block)" --log "file:$EV" --events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_rc 0
	dns_collect
	expect_received 0 tcp 10.89.2.1
	expect_received 1 tcp 10.89.1.1 10.89.1.2 10.89.1.3 fd89::1:1
	# both carry the name the lookup gave 10.89.2.1 (docs/events.md)
	expect_events 1 policy=confirmed_attacks action=blocked details.host=blocked.test details.ip=10.89.2.1 \
		details.input_path='$.url' syscall=connect details.reason='the input value names blocked.test, the host connected to'
	expect_events 1 policy=confirmed_attacks action=blocked details.ip=10.89.2.1 details.port=8080 \
		details.reason='the input value names 10.89.2.1, the address connected to'
	expect_events 2 policy=confirmed_attacks
}

# lambda.on_block fail-invocation: a confirmed block fails that invocation
# (Function.SecurityViolation), the benign one before it succeeds.
t_confirmed_fail_invocation() {
	confirmed_task
	write_events '{"file": "report.txt"}' '{"file": "../canary.txt"}'
	cd "$WORK/task"
	emu --policy "$(policy '{"confirmed_attacks":"block","read_handler":"allow","lambda":{"on_block":"fail-invocation"}}')" \
		--events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	cd - >/dev/null
	assert_rc 1 # emulate: an invocation failed
	assert_eq "$(out_get status event=0)" success "benign invocation"
	assert_eq "$(out_get error_type event=1)" Function.SecurityViolation "attacked invocation"
	expect_events 1 policy=confirmed_attacks action=blocked details.input_path='$.file'
}

# Values that reach the function encoded: an API Gateway v2 event whose body
# is base64 JSON (the injection) and whose query string carries the
# traversal (API Gateway hands the handler queryStringParameters decoded;
# rawQueryString keeps %2e%2e). The walker's decoding finds both, with the
# paths the function read them from.
t_confirmed_encoded_inputs() {
	confirmed_task
	local b64
	b64=$(printf '{"host": "127.0.0.1; touch pwned"}' | base64 -w0)
	write_events "{\"version\":\"2.0\",\"routeKey\":\"POST /ping\",\"rawPath\":\"/ping\",\"rawQueryString\":\"file=%2e%2e%2fcanary.txt\",\"queryStringParameters\":{\"file\":\"../canary.txt\"},\"requestContext\":{\"http\":{\"method\":\"POST\"}},\"isBase64Encoded\":true,\"body\":\"$b64\"}"
	confirmed_run block
	[ ! -e "$WORK/task/pwned" ] || fail "the injected command ran"
	expect_events 1 policy=confirmed_attacks action=blocked details.input_path='$.body.host' syscall=execve
	expect_events 1 policy=confirmed_attacks action=blocked syscall=openat
	case "$(out_get response event=0)" in *'denied 13'*) ;; *) fail "the traversal was not refused: $(out_get response event=0)" ;; esac
}

# With the input firewall on (alert: it reports, the event goes through), the
# proxy's firewall parser still hands the values over: confirmed as without it.
t_confirmed_with_input_firewall() {
	confirmed_task
	write_events '{"file": "../canary.txt"}'
	cd "$WORK/task"
	emu --policy "$(policy '{"confirmed_attacks":"block","read_handler":"allow","input_firewall":"alert"}')" \
		--events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	cd - >/dev/null
	assert_rc 0
	assert_response 0 '{"read": "denied 13"}'
	expect_events 1 policy=confirmed_attacks action=blocked details.input_path='$.file' details.confirmed=true
}

# An event the check cannot track whole (nested deeper than the walk's 64
# levels): no value is matched, so every call the check inspects in that
# invocation is refused, saying why, the runtime's own included (here its
# lazy imports: the runtime fails); never passed unexamined.
t_confirmed_untracked_refuses() {
	confirmed_task
	local deep
	deep=$($PY -c 'print("[" * 70 + "1" + "]" * 70)')
	write_events "{\"deep\": $deep, \"file\": \"report.txt\"}"
	cd "$WORK/task"
	emu --policy "$(confirmed_policy block)" --events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	cd - >/dev/null
	case "$(out_get response event=0)" in *'"read": 6'*) fail "the file was read: $(cat "$WORK/out")" ;; esac
	expect_events 1 policy=confirmed_attacks action=blocked syscall=openat details.path="$WORK/task/data/report.txt" \
		details.reason="the invocation's input values are not all tracked (the event was not read whole (JSON nested too deep)): refused"
	expect_events 0 policy=confirmed_attacks details.confirmed=true
	assert_events_valid
}
