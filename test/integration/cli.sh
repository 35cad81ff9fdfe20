# The command line: policy errors with file:line:col and exit 2, missing or
# non-executable commands (127, 126), refused ptrace (125), policy check.

bad_policy_case() { # json expected-stderr-regex
	local p
	p=$(policy "$1")
	fng --policy "$p" -- /bin/true
	assert_rc 2
	grep -Eq "^fnguard: $p:$2" "$WORK/err" || { cat "$WORK/err"; fail "stderr does not match '$p:$2'"; }
	[ "$(wc -l <"$WORK/err")" -eq 1 ] || fail "expected exactly one line on stderr"
	[ ! -s "$EV" ] || fail "no events expected when the policy is refused"
}

t_cli_policy_malformed_json() { bad_policy_case '{"read_write_tmp": "block",' '2:1: invalid JSON: unexpected end of input'; }
t_cli_policy_unknown_mode() {
	bad_policy_case '{
  "policy": {
    "read_write_tmp": "blok"
  }
}' '3:23: read_write_tmp: unknown mode "blok"'
}
t_cli_policy_wrong_type() { bad_policy_case '{"create_child_process": 1}' '1:26: create_child_process: expected a mode string or an object, got a number'; }
t_cli_policy_unknown_key() { bad_policy_case '{"read_write_temp": "block"}' '1:2: unknown key "read_write_temp"'; }
t_cli_policy_duplicate_key() { bad_policy_case '{"read_write_tmp": "block", "read_write_tmp": "allow"}' '1:29: duplicate key'; }
t_cli_policy_bad_cidr() { bad_policy_case '{"outbound_connectivity": {"action": "block", "exceptions": ["10.0.0.0/33"]}}' '1:62: outbound_connectivity: bad exception "10.0.0.0/33"'; }
t_cli_policy_bad_port() { bad_policy_case '{"outbound_connectivity": {"action": "block", "exceptions": ["host:99999"]}}' '1:62: .*port'; }

t_cli_policy_missing_file() {
	fng --policy "$WORK/nope.json" -- /bin/true
	assert_rc 2
	assert_err "nope.json: cannot read policy: No such file or directory"
}

t_cli_policy_check_seed_formats() {
	local fs iron
	fs=$(policy '{"policy": {"outbound_connectivity": "block", "read_write_tmp": "alert", "create_child_process": "block", "read_handler": "block"}, "token": "abc", "disable_analytics": true}')
	iron=$(policy '{"outbound_connectivity": {"action": "block", "exceptions": ["aws", "yahoo.com", "37.130.156.31"]}, "read_write_tmp": "block", "create_child_process": "block", "read_handler": "block", "api_endpoint": "https://collector.example/events"}')
	set +e
	"$FNGUARD" policy check "$fs" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 0
	assert_out "ok: outbound_connectivity=block read_write_tmp=alert create_child_process=block read_handler=block"
	assert_err "notice: \"token\""
	set +e
	"$FNGUARD" policy check "$iron" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 0
	assert_out "ok: outbound_connectivity=block read_write_tmp=block"
}

t_cli_command_not_found() {
	fng -- "$WORK/does-not-exist"
	assert_rc 127
	assert_err "does-not-exist: command not found"
	fng -- no-such-command-fnguard
	assert_rc 127
}

t_cli_command_not_executable() {
	printf 'data\n' >"$WORK/not-exec"
	chmod 0644 "$WORK/not-exec"
	fng -- "$WORK/not-exec"
	assert_rc 126
	assert_err "not-exec: Permission denied"
}

t_cli_usage() {
	set +e
	"$FNGUARD" run >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 2
	assert_err "run: no command given"
	set +e
	"$FNGUARD" frobnicate >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 2
	"$FNGUARD" --version | grep -q '^fnguard [0-9]' || fail "--version"
}

# fnguard under fnguard: the outer filter refuses ptrace, so the inner one
# meets exactly what it meets on AWS's managed Lambda.
t_cli_ptrace_refused_fails_closed() {
	fng --policy "$(policy "$ALLOW_ALL")" -- "$FNGUARD" run --log "file:$WORK/inner.jsonl" -- /bin/echo should-not-run
	assert_rc 125
	assert_err "^fnguard: ptrace refused: PTRACE_SEIZE: Operation not permitted"
	grep -q should-not-run "$WORK/out" && fail "the command ran unprotected"
	# The outer supervisor reported the refused ptrace.
	expect_events 1 syscall=ptrace action=blocked
}

t_cli_ptrace_refused_run_unprotected() {
	local inner
	inner=$(policy '{"read_write_tmp": "block", "on_unsupported": "run-unprotected"}')
	fng --policy "$(policy "$ALLOW_ALL")" -- "$FNGUARD" run --policy "$inner" --log "file:$WORK/inner.jsonl" -- /bin/echo ran-unprotected
	assert_rc 0
	assert_out ran-unprotected
	assert_err "UNPROTECTED"
	EV=$WORK/inner.jsonl expect_events 1 event_type=lifecycle details.phase=unprotected
}

t_cli_log_destinations() {
	set +e
	"$FNGUARD" run --log stdout --log "file:$WORK/second.jsonl" -- "$PY" -c 'open("/tmp/x-denied", "w")' >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 1
	EV=$WORK/out expect_events 1 policy=read_write_tmp
	EV=$WORK/second.jsonl expect_events 1 policy=read_write_tmp
	fng --log "bogus://x" -- /bin/true
	assert_rc 2
	assert_err "expected stderr, stdout, file:/path, unix:/path, syslog:"
	fng --log "file:$WORK/no/such/dir/x.jsonl" -- /bin/true
	assert_rc 2
	assert_err "cannot open log destination"
}

t_cli_events_valid_json_with_function_section() {
	AWS_LAMBDA_FUNCTION_NAME=my-fn AWS_REGION=eu-west-1 AWS_LAMBDA_FUNCTION_VERSION=7 fng -- "$PY" -c 'open("/tmp/x-denied", "w")'
	assert_events_valid
	expect_events 1 policy=read_write_tmp function.name=my-fn function.region=eu-west-1 function.version=7 time=* process.pid=* process.exe=/usr/bin/python3.11
	expect_events 1 event_type=lifecycle details.phase=start
	expect_events 1 event_type=lifecycle details.phase=exit details.counters.events_dropped=0 details.counters.blocked=1
}
