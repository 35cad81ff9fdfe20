# The test runner itself (test/lib/lib.sh fng_run_test): a skip is reported
# apart with its reason, and a 77 that is not a skip is a failure, never a
# quiet pass.
harness_skips() { skip "the machine lacks the thing tested"; }
harness_stray_77() { (exit 77); }

t_harness_skip_is_not_a_pass() {
	local rc
	set +e
	fng_run_test harness_skips >"$WORK/out" 2>&1
	rc=$?
	set -e
	assert_eq "$rc" 77 "a skip's status"
	assert_out '^  skip harness_skips: the machine lacks the thing tested$'
	set +e
	fng_run_test harness_stray_77 >"$WORK/out" 2>&1
	rc=$?
	set -e
	assert_eq "$rc" 1 "a command's 77 without skip"
	assert_out '^  FAIL harness_stray_77$'
}
