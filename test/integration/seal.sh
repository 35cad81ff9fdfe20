# Events on a stream the function shares (issue 20, class 5): on stderr each
# JSON event starts a line of its own even after the function's unfinished
# line; every line carries the run's id and a sequence number without gaps;
# with a key (--log-key FILE or $FNGUARD_LOG_KEY, which the runtime never
# sees) each carries an HMAC-SHA256 that scripts/verify-seal.py checks, and
# a line the function prints in fnguard's shape does not verify.

VERIFY_SEAL="$ROOT/scripts/verify-seal.py"

# The function: an unfinished stderr line, a blocked open, then (argv[1] ==
# forge) a line shaped like fnguard's exit event, at the start of a line.
SEAL_FN='import os, sys
sys.stderr.write("unfinished"); sys.stderr.flush()
try:
    open(os.path.join(os.environ["FNG_TMPDIR"], "x"), "w")
except OSError as e:
    print("open:", e.errno)
print("key:", os.environ.get("FNGUARD_LOG_KEY"))
try:
    print("supervisor environ has key:", b"FNGUARD_LOG_KEY" in open("/proc/%d/environ" % os.getppid(), "rb").read())
except OSError as e:
    print("supervisor environ:", e.errno)
if sys.argv[1:] == ["forge"]:
    sys.stderr.write("\n{\"time\":\"2026-01-01T00:00:00.000Z\",\"event_type\":\"lifecycle\",\"details\":{\"phase\":\"exit\",\"counters\":{\"blocked\":0}},\"seq\":99,\"run\":\"00\",\"mac\":\"%s\"}\n" % ("0" * 64))'

# run fnguard with events on stderr only; extra options first
seal_run() {
	set +e
	FNG_TMPDIR=$TMPD "$FNGUARD" run "$@" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
}

t_seal_event_starts_its_own_line() {
	seal_run -- "$PY" -c "$SEAL_FN"
	assert_rc 0
	assert_out "^open: 13"
	$PY - "$WORK/err" "$TMPD/x" <<'PY' || fail "stderr: $(cat "$WORK/err")"
import json, sys
found = 0
for line in open(sys.argv[1], "rb"):
    if line.startswith(b"{"):
        ev = json.loads(line)
        found += ev.get("details", {}).get("path") == sys.argv[2] and ev["action"] == "blocked"
assert found == 1, found
PY
	grep -q '^unfinished' "$WORK/err" || fail "the function's text is gone: $(cat "$WORK/err")"
}

t_seal_sequence_without_gaps() {
	seal_run -- "$PY" -c "$SEAL_FN"
	assert_rc 0
	out=$($PY "$VERIFY_SEAL" "$WORK/err") || fail "verify-seal: $out"
	echo "$out" | grep -Eq '^run [0-9a-f]{32}: [0-9]+ events, last seq [0-9]+$' || fail "verify-seal: $out"
	# the exit event is the run's last line and names the count
	$PY - "$WORK/err" <<'PY' || fail "stderr: $(cat "$WORK/err")"
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1], "rb") if l.startswith(b"{")]
assert [e["seq"] for e in evs] == list(range(1, len(evs) + 1)), [e["seq"] for e in evs]
assert len({e["run"] for e in evs}) == 1
assert evs[-1]["details"]["phase"] == "exit"
PY
}

t_seal_mac_key_from_file() {
	printf 'a key of thirty-two bytes, secret\n' >"$WORK/key"
	seal_run --log-key "$WORK/key" -- "$PY" -c "$SEAL_FN" forge
	assert_rc 0
	assert_out "^key: None"
	set +e
	out=$($PY "$VERIFY_SEAL" --key "$WORK/key" "$WORK/err")
	rc=$?
	set -e
	[ "$rc" = 1 ] || fail "verify-seal accepted a forged line (rc $rc): $out"
	[ "$(echo "$out" | grep -c 'mac does not verify')" = 1 ] || fail "verify-seal: $out"
	echo "$out" | grep -q 'seq 99 of run 00: mac does not verify' || fail "verify-seal: $out"
	# fnguard's own lines all verify, without a gap, and fail under another key
	grep -v '"run":"00"' "$WORK/err" >"$WORK/err.own"
	$PY "$VERIFY_SEAL" --key "$WORK/key" "$WORK/err.own" >/dev/null || fail "fnguard's lines do not verify"
	printf 'another key of thirty-two bytes!\n' >"$WORK/key2"
	! $PY "$VERIFY_SEAL" --key "$WORK/key2" "$WORK/err.own" >/dev/null || fail "lines verify under any key"
}

t_seal_mac_key_from_environment() {
	printf 'a key of thirty-two bytes, secret' >"$WORK/key"
	set +e
	FNGUARD_LOG_KEY='a key of thirty-two bytes, secret' FNG_TMPDIR=$TMPD "$FNGUARD" run -- "$PY" -c "$SEAL_FN" \
		>"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 0
	assert_out "^key: None"
	grep -q '^supervisor environ has key: True' "$WORK/out" && fail "the key is in the supervisor's environ"
	$PY "$VERIFY_SEAL" --key "$WORK/key" "$WORK/err" >/dev/null || fail "lines do not verify: $(cat "$WORK/err")"
	grep -q '"mac":"[0-9a-f]\{64\}"}$' "$WORK/err" || fail "no mac: $(cat "$WORK/err")"
}

t_seal_bad_key() {
	printf 'short' >"$WORK/key"
	seal_run --log-key "$WORK/key" -- true
	assert_rc 2
	[ "$(wc -l <"$WORK/err")" = 1 ] || fail "expected one line: $(cat "$WORK/err")"
	assert_err "the key must be 16 to 256 bytes, got 5"
	seal_run --log-key "$WORK/missing" -- true
	assert_rc 2
	assert_err "missing: No such file or directory"
}

# A log cut short (the function truncated a shared file, or swapped a sink
# for a copy) has no gap but no exit event either: it does not verify.
t_seal_cut_log_does_not_verify() {
	printf 'a key of thirty-two bytes, secret' >"$WORK/key"
	seal_run --log-key "$WORK/key" -- true
	assert_rc 0
	$PY "$VERIFY_SEAL" --key "$WORK/key" "$WORK/err" >/dev/null || fail "the whole log does not verify"
	grep -v '"phase":"exit"' "$WORK/err" >"$WORK/cut"
	set +e
	out=$($PY "$VERIFY_SEAL" --key "$WORK/key" "$WORK/cut")
	rc=$?
	set -e
	[ "$rc" = 1 ] || fail "a log without its exit event verified: $out"
	echo "$out" | grep -q 'no exit event' || fail "verify-seal: $out"
}

# fnguard emulate starts fnguard run with the key in its environment; the
# function scans every /proc/PID/environ it can read (emulate's, a sibling's
# or an ancestor's, same uid) for the key's value (outside attack round 10:
# emulate kept it, and the function sealed a forged exit line with it).
# Only the child's environment ever held it, and fnguard run wiped it.
KEY_SCAN='import os
found = []
for d in os.listdir("/proc"):
    if d.isdigit() and int(d) != os.getpid():
        try:
            env = open("/proc/%s/environ" % d, "rb").read().split(b"\0")
        except OSError:
            continue
        found += [d for e in env if e.startswith(b"FNGUARD_LOG_KEY=") and len(e) > 16]
print("key found in:", " ".join(found) or "none", flush=True)'

t_seal_key_not_readable_under_emulate() {
	printf 'a key of thirty-two bytes, secret' >"$WORK/key"
	set +e
	FNGUARD_LOG_KEY='a key of thirty-two bytes, secret' "$FNGUARD" emulate -- "$PY" -c "$KEY_SCAN" \
		>"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	grep -q '^key found in: none$' "$WORK/err" "$WORK/out" ||
		fail "the function found the key: $(cat "$WORK/out" "$WORK/err")"
	# the run was sealed with it all the same
	grep '^{' "$WORK/err" >"$WORK/err.events"
	$PY "$VERIFY_SEAL" --key "$WORK/key" "$WORK/err.events" >/dev/null || fail "lines do not verify: $(cat "$WORK/err")"
	# --direct runs CMD without fnguard: it does not get the key (round 11)
	FNGUARD_LOG_KEY='a key of thirty-two bytes, secret' "$FNGUARD" emulate --direct -- "$PY" -c \
		'import os; print("key:", os.environ.get("FNGUARD_LOG_KEY"), flush=True)' >"$WORK/out" 2>"$WORK/err" || true
	grep -q '^key: None$' "$WORK/out" "$WORK/err" || fail "--direct handed the key to CMD: $(cat "$WORK/out" "$WORK/err")"
}

# trace and baseline do not seal: the program they run does not inherit the
# key either (it did: only run took it out).
t_seal_key_not_inherited_under_trace_baseline() {
	local cmd
	for cmd in trace "baseline -o $WORK/profile.json"; do
		# shellcheck disable=SC2086
		FNGUARD_LOG_KEY='a key of thirty-two bytes, secret' "$FNGUARD" $cmd -- "$PY" -c \
			'import os; print("key:", os.environ.get("FNGUARD_LOG_KEY"))' >"$WORK/out" 2>"$WORK/err" ||
			fail "$cmd: $(cat "$WORK/err")"
		grep -q '^key: None$' "$WORK/out" || fail "$cmd: the program inherited the key: $(cat "$WORK/out")"
	done
}
