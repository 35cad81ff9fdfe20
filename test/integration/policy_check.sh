# `fnguard policy check`: what it lists beyond the summary, the notice for a
# policy that sets no rule, and the size and NUL-byte refusals (docs/cli.md).

pc_run() { # policy-file
	set +e
	"$FNGUARD" policy check "$1" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
}

t_policy_check_empty_says_nothing_is_watched() {
	local p
	p=$(policy '{}')
	pc_run "$p"
	assert_rc 0
	assert_err "notice: no rule is set, so nothing is watched or refused"
	# A policy with one rule set is not inert: no such notice.
	p=$(policy '{"read_write_tmp": "alert"}')
	pc_run "$p"
	assert_rc 0
	! grep -q 'no rule is set' "$WORK/err" || fail "notice for a policy that sets a rule"
}

t_policy_check_lists_exceptions_and_settings() {
	local p
	p=$(policy '{"outbound_connectivity": {"action": "block", "exceptions": ["aws", "10.0.0.0/8:5432", "[2001:db8::1]:443", "*.example.com"]},
 "create_child_process": {"action": "alert", "exceptions": ["/usr/bin/git", "build-id:571d98e01096d5c1c32420d229a6731a0a50d2a0"]},
 "lambda": {"on_block": "fail-invocation", "phases": {"read_handler": "invoke"}}, "read_handler": "block",
 "api_endpoint": "https://collector.example/events"}')
	pc_run "$p"
	assert_rc 0
	assert_out '^  exceptions: 10\.0\.0\.0/8:5432 \[2001:db8::1\]:443 .*\*\.amazonaws\.com.* \*\.example\.com$'
	assert_out '^  exceptions: /usr/bin/git build-id:571d98e01096d5c1c32420d229a6731a0a50d2a0$'
	assert_out '^lambda: proxy on .*on_block fail-invocation, phases: read_handler=invoke$'
	assert_out '^events: api_endpoint https://collector.example/events$'
	# Each listed exception is one the policy accepts again as written.
	grep '^  exceptions:' "$WORK/out" | head -1 | sed 's/^  exceptions: //' | tr ' ' '\n' |
		grep -v '^\*\.' | while read -r x; do
			q=$(policy "{\"outbound_connectivity\": {\"action\": \"block\", \"exceptions\": [\"$x\"]}}")
			"$FNGUARD" policy check "$q" >/dev/null 2>&1 || fail "listed exception '$x' does not load"
		done
}

t_policy_check_lists_allowlist() {
	local p
	p=$(policy '{"allowlist": {"mode": "block", "learned": {"files": {"read": ["/etc/**", "/usr/**"]}, "exec": ["/usr/bin/python3"]}}}')
	pc_run "$p"
	assert_rc 0
	assert_out '^allowlist: block$'
	assert_out '^  learned: 2 files.read 1 exec$'
}

t_policy_too_large_says_so() {
	local p=$WORK/big.json
	head -c 5000000 /dev/zero | tr '\0' ' ' >"$p"
	pc_run "$p"
	assert_rc 2
	assert_err "^fnguard: $p: policy too large: 5000000 bytes (at most 4 MiB)$"
	[ "$(wc -l <"$WORK/err")" -eq 1 ] || fail "expected one line"
}

t_policy_nul_byte_says_where() {
	local p=$WORK/nul.json
	printf '{\n "read_write_tmp": "block",\0 }' >"$p"
	pc_run "$p"
	assert_rc 2
	assert_err "^fnguard: $p:2:28: policy contains a NUL byte$"
}

t_policy_check_lists_payload_rules() {
	pc_run "$ROOT/examples/payload/policy.json"
	assert_rc 0
	assert_out '^output_inspection: block, 2 rule(s) (patterns_file .*out_protect.txt), built-in detectors on$'
	assert_out '^code_check: alert, 3 rule(s) (patterns_file .*code_protect.txt), dir \$LAMBDA_TASK_ROOT$'
}
