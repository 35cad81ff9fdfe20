# The payload checks against an attacker's inputs (test/adversarial/
# payload_inject.py): a vulnerable handler in Python and in Node whose
# event fields reach `sh -c`, open() and a URL fetch, and whose secret key
# reaches its response, its error and its init error. Judged by effect
# (a marker file, the secret file's content or the key at the Runtime API
# upstream the program runs, a request at its loopback listener). Natively
# every vector gets through; under fnguard the input firewall stops what
# its patterns know, confirmed_attacks what evades them, and output
# inspection the key on its way out, init errors included.

PI_PROG=$ROOT/test/adversarial/payload_inject.py
PI_BASE='"outbound_connectivity":"allow","read_write_tmp":"allow","create_child_process":"allow","read_handler":"allow"'
# The vectors the input firewall's patterns catch; the others evade them.
PI_PATTERNED='cmd_separator|cmd_substitution|lfi_traversal'

# pi_run POLICY-JSON|native [ONLY]: the program, natively or under
# fnguard run with that policy; its lines in $WORK/out, RC its status.
pi_run() {
	local wrap=
	mkdir -p "$WORK/pi_secret" "$WORK/pi_work"
	printf 'FNGUARD-SECRET\n' >"$WORK/pi_secret/secret"
	[ "$1" = native ] || wrap="$FNGUARD run --log file:$EV --policy $(policy "$1") --"
	set +e
	FNG_SECRET=$WORK/pi_secret/secret FNG_WORKDIR=$WORK/pi_work FNG_PAYLOAD_WRAP=$wrap FNG_PAYLOAD_ONLY=${2:-} \
		"$PY" "$PI_PROG" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
}

# pi_expect STATUS REGEX: every vector whose name matches has STATUS.
pi_expect() {
	local bad
	grep -qE "^vector ($2): " "$WORK/out" || fail "no vector matches $2: $(cat "$WORK/out")"
	bad=$(grep -E "^vector ($2): " "$WORK/out" | grep -v "^vector [a-z_]*: $1 (" || true)
	[ -z "$bad" ] || fail "expected $1: $bad"
}

# Every invocation was answered at the upstream (a blocked one with
# Function.SecurityViolation): the runtime went on after each block.
pi_all_answered() {
	! grep -q "upstream got nothing" "$WORK/out" || fail "invocations without an answer upstream: $(grep 'upstream got nothing' "$WORK/out")"
}

# The program can fail: natively every vector gets through.
t_adv_payload_inject_native() {
	pi_run native
	[ "$RC" = 34 ] || fail "native exit status $RC, expected 34: $(cat "$WORK/out" "$WORK/err")"
	pi_expect BYPASSED '[a-z_]+'
}

# All three checks on (block): every vector is defended by its effect.
t_adv_payload_inject() {
	pi_run "{$PI_BASE, \"input_firewall\":\"block\", \"confirmed_attacks\":\"block\", \"output_inspection\":\"block\"}"
	pi_expect defended '[a-z_]+'
	pi_all_answered
	assert_rc 0
	expect_events 0 policy=confirmed_attacks details.input_path='$.env'
	assert_events_valid
}

# The layers: the input firewall alone stops the patterned payloads and
# lets the evasive ones through; confirmed_attacks alone stops both kinds.
t_adv_payload_inject_layers() {
	pi_run "{$PI_BASE, \"input_firewall\":\"block\"}" cmd_
	pi_expect defended "[a-z]+_(cmd_separator|cmd_substitution)"
	pi_expect BYPASSED "[a-z]+_cmd_redirect"
	pi_all_answered
	pi_run "{$PI_BASE, \"input_firewall\":\"block\"}" lfi_
	pi_expect defended "[a-z]+_lfi_traversal"
	pi_expect BYPASSED "[a-z]+_lfi_(absolute|one_up)"
	pi_run "{$PI_BASE, \"confirmed_attacks\":\"block\"}" _
	pi_expect defended "[a-z]+_(cmd|lfi|ssrf)_[a-z_]+"
	pi_expect BYPASSED "[a-z]+_leak_[a-z_]+"
	expect_events 10 policy=confirmed_attacks action=blocked details.confirmed=true details.input_path='$.host' syscall=execve
}

# Attack round 10 (confirm_pad): the evasive payloads behind 600 ordinary
# fields, in a value over 4 KiB, or in an event over 1 MiB passed
# confirmed_attacks silently (it kept 512 values of at most 4 KiB, and
# walked bodies of at most 1 MiB). Every value is tracked now: each is
# refused and confirmed, with its input's path.
t_adv_payload_inject_padded() {
	pi_run "{$PI_BASE, \"confirmed_attacks\":\"block\"}" pad_
	pi_expect defended '[a-z]+_pad_[a-z_]+'
	pi_all_answered
	assert_rc 0
	expect_events 4 policy=confirmed_attacks action=blocked details.confirmed=true details.input_path='$.host' syscall=execve
	expect_events 4 policy=confirmed_attacks action=blocked details.confirmed=true details.input_path='$.file' syscall=openat
	expect_events 2 policy=confirmed_attacks action=blocked details.confirmed=true details.input_path='$.url' syscall=connect
	assert_events_valid
}

# Issue 16: an init error carrying the function's key was relayed unread.
# Now it is inspected: the upstream gets Function.SecurityViolation at
# init/error, one event in the init phase, without the key.
t_payadv_init_error_blocked() {
	pi_run "{$PI_BASE, \"output_inspection\":\"block\"}" leak_init_error
	assert_rc 0
	pi_expect defended "[a-z]+_leak_init_error"
	grep -c "upstream got error Function.SecurityViolation" "$WORK/out" | grep -qx 2 ||
		fail "init/error was not replaced by the violation: $(cat "$WORK/out")"
	expect_events 2 policy=output_inspection action=blocked details.match=aws_secret_access_key function.phase=init
	grep -qF EXAMPLEKEY "$EV" && fail "the key is in an event"
	true
}

# Alert: the init error goes through as written, with the event.
t_payadv_init_error_alert() {
	pi_run "{$PI_BASE, \"output_inspection\":\"alert\"}" leak_init_error
	pi_expect BYPASSED "[a-z]+_leak_init_error"
	expect_events 2 policy=output_inspection action=alerted details.match=aws_secret_access_key function.phase=init
}
