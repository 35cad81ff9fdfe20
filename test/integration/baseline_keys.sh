# `fnguard baseline diff` compares every key of the policy (docs/cli.md):
# test/lib/diffkeys.py walks docs/policy.schema.json and weakens each key in
# turn; each must exit 1 (a key the schema gains without a row there, and
# the diff support the row proves, fails here). Attack round 7, finding 3.

t_baseline_diff_every_key() {
	mkdir -p "$WORK/dk"
	"$PY" "$ROOT/test/lib/diffkeys.py" "$FNGUARD" "$ROOT/docs/policy.schema.json" "$WORK/dk" >"$WORK/dk.out" 2>&1 ||
		fail "baseline diff misses a weakening: $(grep -c FAIL "$WORK/dk.out") keys: $(head -c 2000 "$WORK/dk.out")"
	grep -q '^checked [0-9]* keys' "$WORK/dk.out" || fail "diffkeys.py did not run: $(head -c 500 "$WORK/dk.out")"
}

# The attacker's gate: the firewall and confirmed attacks turned off between
# two otherwise equal policies is a widening, each named.
t_baseline_diff_payload_off() {
	local old new
	old=$(policy '{"allowlist": {"mode": "block", "learned": {"files": {"read": ["/etc/hostname"]}}},
		"input_firewall": {"action": "block", "patterns": ["forbidden-[0-9]+"]}, "confirmed_attacks": "block"}')
	new=$(policy '{"allowlist": {"mode": "block", "learned": {"files": {"read": ["/etc/hostname"]}}},
		"input_firewall": {"action": "block", "classes": {"sql_injection": "allow"}, "exceptions": ["$.**"]}}')
	set +e
	"$FNGUARD" baseline diff "$old" "$new" >"$WORK/out" 2>&1
	RC=$?
	set -e
	assert_rc 1
	assert_eq "$(cat "$WORK/out")" '~ input_firewall.classes.sql_injection allow (was block)
+ input_firewall.exceptions $.**
~ input_firewall rule no longer checked: forbidden-[0-9]+
~ confirmed_attacks allow (was block)' "diff lines"
}
