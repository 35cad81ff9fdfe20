# arm64's foreign ABI: a 32-bit ARM (AArch32) task makes its calls with
# other numbers under audit arch ARM, which the filter's numbers do not
# cover (as i386 and x32 on x86_64: t_adv_foreign_abi). Entering AArch32
# takes an exec of a 32-bit program (test/aarch32/open_secret.c), so child
# processes are allowed here and the file it reads lies outside every
# rule: the only defence is that the task is ended at its first call.
t_aarch32_task_killed() {
	local prog=$BUILD/test/aarch32/open_secret
	[ "$(uname -m)" = aarch64 ] || skip "AArch32 is the foreign ABI of aarch64 kernels only"
	[ -x "$prog" ] || fail "$prog was not built (arm-linux-gnueabihf-gcc: scripts/install-deps.sh arm64)"
	printf 'AARCH32-SECRET\n' >"$WORK/secret"
	set +e
	"$prog" "$WORK/secret" >"$WORK/native" 2>&1
	local rc=$?
	set -e
	if [ $rc -eq 126 ] || grep -q 'Exec format error' "$WORK/native"; then
		skip "the kernel runs no AArch32 programs (no COMPAT, or a CPU without AArch32 EL0)"
	fi
	grep -q AARCH32-SECRET "$WORK/native" || fail "natively the AArch32 program did not read the file (status $rc)"
	fng --policy "$(policy '{"create_child_process": "allow"}')" -- /bin/sh -c "\"$prog\" \"$WORK/secret\"; echo sh-went-on \$?"
	! grep -q AARCH32-SECRET "$WORK/out" || fail "the AArch32 task read the file"
	assert_out '^sh-went-on 137$'
	assert_events_valid
	[ "$(ev_count action=killed)" -ge 1 ] || fail "the AArch32 task's end was not reported"
	grep -q 'through a foreign ABI (AArch32)' "$EV" || fail "the event does not name AArch32"
}
