# Outside attack round 10's firewall misses (test/adversarial/fw_misses.py):
# a handler whose login query and numeric id are pasted into SQLite SQL,
# whose "calculator" eval()s a parameter and whose file name goes into
# `sh -c`. Natively every vector works (a login without the password, a
# column read blind, the table and the environment dumped, cp/rm/mv/touch/
# tee/python3/cat run); under input_firewall "block" alone (child processes
# allowed: no other layer) each event is refused before the runtime sees
# it, with one event naming its class.

FWM_PROG=$ROOT/test/adversarial/fw_misses.py

FWM_POLICY='{"read_handler":"allow","outbound_connectivity":"block","create_child_process":"allow","read_write_tmp":"allow","input_firewall":"block"}'

# fwm_run native|POLICY-JSON [node]: the events served to the Python runtime
# with fw_misses.py as its handler (node: the Node runtime, fw_misses.js);
# the judge's lines in $WORK/judged, RC its status.
fwm_run() {
	local rt=("$PY" "$PY_RUNTIME")
	mkdir -p "$WORK/task"
	cp "$FWM_PROG" "${FWM_PROG%.py}.js" "$WORK/task/"
	export LAMBDA_TASK_ROOT=$WORK/task _HANDLER=fw_misses.handler FWM_CANARY=1
	unset AWS_LAMBDA_RUNTIME_API
	[ "${2:-}" != node ] || rt=("$NODE" "$NODE_RUNTIME")
	rm -rf "$WORK/fwm"
	"$PY" "$FWM_PROG" events "$WORK/fwm" ${2:-} >"$WORK/in.jsonl"
	if [ "$1" = native ]; then
		emu --direct --events "$WORK/in.jsonl" -- "${rt[@]}"
	else
		emu --policy "$(policy "$1")" --events "$WORK/in.jsonl" -- "${rt[@]}"
	fi
	set +e
	"$PY" "$FWM_PROG" judge "$WORK/out" "$WORK/fwm" ${2:-} >"$WORK/judged"
	RC=$?
	set -e
}

# The program can fail: natively every vector gets through.
t_adv_fw_misses_native() {
	fwm_run native
	[ "$RC" = 18 ] || fail "native judge status $RC, expected 18: $(cat "$WORK/judged" "$WORK/err")"
	! grep -v ': BYPASSED (' "$WORK/judged" || fail "a vector did not get through natively"
}

t_adv_fw_misses() {
	fwm_run "$FWM_POLICY"
	[ "$RC" = 0 ] || fail "judge status $RC: $(grep -v ': defended (' "$WORK/judged")"
	assert_eq "$(grep -c ': defended (Function.SecurityViolation)' "$WORK/judged")" 18 "vectors refused by the firewall"
	expect_events 5 policy=input_firewall action=blocked details.class=sql_injection
	expect_events 5 policy=input_firewall action=blocked details.class=code_injection
	expect_events 8 policy=input_firewall action=blocked details.class=command_injection
	assert_events_valid
}

# Node's eval(): the environment and a module-level map read.
t_adv_fw_misses_node_native() {
	fwm_run native node
	[ "$RC" = 3 ] || fail "native judge status $RC, expected 3: $(cat "$WORK/judged" "$WORK/err")"
}

t_adv_fw_misses_node() {
	fwm_run "$FWM_POLICY" node
	[ "$RC" = 0 ] || fail "judge status $RC: $(grep -v ': defended (' "$WORK/judged")"
	assert_eq "$(grep -c ': defended (Function.SecurityViolation)' "$WORK/judged")" 3 "vectors refused by the firewall"
	expect_events 3 policy=input_firewall action=blocked details.class=code_injection
}
