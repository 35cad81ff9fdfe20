# What exec events say was executed (details.executable: path, build-id,
# linkage, PT_INTERP, a script's #! line), and create_child_process
# exceptions by path and by build-id, including a thread or a symlink that
# changes the program between the check and the exec.

exec_build_id() { # file: what readelf -n prints
	readelf -n "$1" | awk '/Build ID:/ {print $3; exit}'
}

exec_ev() { # key [conditions...]: a field of the first process event
	local key=$1
	shift
	$PY "$EVENTS_PY" get "$EV" "$key" event_type=process "$@"
}

# Refused: nothing was mapped; the file at the resolved path is described.
t_exec_id_blocked_reads_resolved_file() {
	fng -- /bin/sh -c '/usr/bin/true'
	expect_events 1 policy=create_child_process action=blocked details.program=/usr/bin/true
	assert_eq "$(exec_ev details.executable.path)" /usr/bin/true "path"
	assert_eq "$(exec_ev details.executable.build_id)" "$(exec_build_id /usr/bin/true)" "build-id"
	assert_eq "$(exec_ev details.executable.linkage)" dynamic "linkage"
	assert_eq "$(exec_ev details.executable.interpreter)" "$(readelf -lW /usr/bin/true | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')" "PT_INTERP"
	assert_eq "$(exec_ev details.executable.source)" path "source"
	$PY "$ROOT/test/lib/frames.py" "$EV" event_type=process | grep -q '^libc.so.6 execve ' ||
		fail "the blocked exec has no stack of the shell that called execve"
}

# Alerted: reported at the exec stop, from what the kernel mapped: exec'ing
# the /usr/bin/python3 symlink maps the file it points to.
t_exec_id_alerted_reads_mapped_file() {
	local real
	real=$(readlink -f /usr/bin/python3)
	[ "$real" != /usr/bin/python3 ] || fail "/usr/bin/python3 is expected to be a symlink"
	fng --policy "$(policy '{"create_child_process": "alert"}')" -- /bin/sh -c '/usr/bin/python3 -c "print(42)"'
	assert_rc 0
	assert_out 42
	expect_events 1 policy=create_child_process action=alerted syscall=execve
	assert_eq "$(exec_ev details.executable.path)" "$real" "path"
	assert_eq "$(exec_ev details.executable.build_id)" "$(exec_build_id "$real")" "build-id"
	assert_eq "$(exec_ev details.executable.source)" exe "source"
	# the stack is the caller's, taken before its image was replaced
	$PY "$ROOT/test/lib/frames.py" "$EV" event_type=process | grep -q '^libc.so.6 execve ' ||
		fail "the alert has no stack of the shell that called execve"
}

t_exec_id_static_binary() {
	local prog=$BUILD/test/progs/stackprog-static
	fng --policy "$(policy '{"create_child_process": "alert"}')" -- /bin/sh -c "$prog nothing 1; true"
	expect_events 1 policy=create_child_process action=alerted
	assert_eq "$(exec_ev details.executable.linkage)" static "linkage"
	assert_eq "$(exec_ev details.executable.build_id)" "$(exec_build_id "$prog")" "build-id"
	[ "$(ev_count event_type=process details.executable.interpreter=*)" = 0 ] || fail "a static binary has no PT_INTERP"
}

# A thread that is not the leader execs: the new image takes the leader's
# tid, and the alert held for the exec goes with it.
t_exec_id_alert_from_thread() {
	fng --policy "$(policy '{"create_child_process": "alert"}')" -- "$BUILD/test/progs/stackprog" thread-exec /usr/bin/true
	assert_rc 0
	expect_events 1 policy=create_child_process action=alerted details.program=/usr/bin/true details.executable.source=exe
	$PY "$ROOT/test/lib/frames.py" "$EV" event_type=process | grep -q '^stackprog exec_thread ' ||
		fail "the alert lacks the exec'ing thread's stack"
}

# A script runs as its #! interpreter: that ELF is described, with the line.
t_exec_id_script_shebang() {
	printf '#!/bin/sh -e\necho script-ran\n' >"$WORK/s.sh"
	chmod +x "$WORK/s.sh"
	fng --policy "$(policy '{"create_child_process": "alert"}')" -- /bin/sh -c "$WORK/s.sh"
	assert_out script-ran
	expect_events 1 action=alerted details.program="$WORK/s.sh"
	assert_eq "$(exec_ev details.executable.shebang)" "/bin/sh -e" "shebang"
	assert_eq "$(exec_ev details.executable.path)" "$(readlink -f /bin/sh)" "path"
	assert_eq "$(exec_ev details.executable.build_id)" "$(exec_build_id "$(readlink -f /bin/sh)")" "build-id"
}

# An alerted exec that fails is still reported, when its exit says so.
t_exec_id_alerted_exec_that_fails() {
	# A file that is there but cannot run: the kernel refuses it (EACCES).
	printf 'not a program\n' >"$WORK/notexec"
	chmod 644 "$WORK/notexec"
	fng --policy "$(policy '{"create_child_process": "alert"}')" -- /bin/sh -c "$WORK/notexec; exit 0"
	assert_rc 0
	expect_events 1 action=alerted details.program="$WORK/notexec" details.reason="the exec failed: EACCES"
	# A program that does not exist fails with ENOENT, and no event.
	EV=$WORK/events-missing.jsonl
	fng --policy "$(policy '{"create_child_process": "alert"}')" -- /bin/sh -c "$WORK/nonexistent; exit 0"
	assert_rc 0
	assert_err 'not found'
	expect_events 0 event_type=process
}

t_exec_exception_by_path() {
	fng --policy "$(policy '{"create_child_process": {"action": "block", "exceptions": ["/usr/bin/true"]}}')" -- \
		/bin/sh -c '/usr/bin/true && echo true-ran; /usr/bin/false || echo false-refused'
	assert_rc 0
	assert_out true-ran
	assert_out false-refused
	expect_events 1 policy=create_child_process action=blocked
	expect_events 1 action=blocked details.program=/usr/bin/false
}

# A symlink to an exception is the exception (objects, not strings).
t_exec_exception_by_object() {
	fng --policy "$(policy '{"create_child_process": {"action": "block", "exceptions": ["/usr/bin/python3"]}}')" -- \
		/bin/sh -c "$(readlink -f /usr/bin/python3) -c 'print(\"py-ran\")'"
	assert_rc 0
	assert_out py-ran
	expect_events 0 policy=create_child_process
}

t_exec_exception_by_build_id() {
	local id
	id=$(exec_build_id /usr/bin/false)
	[ -n "$id" ] || fail "/usr/bin/false has no build-id"
	fng --policy "$(policy "{\"create_child_process\": {\"action\": \"block\", \"exceptions\": [\"build-id:$id\"]}}")" -- \
		/bin/sh -c '/usr/bin/false || echo false-ran; /usr/bin/true && echo true-ran'
	assert_out false-ran
	grep -q true-ran "$WORK/out" && fail "/usr/bin/true is not an exception"
	expect_events 1 policy=create_child_process action=blocked details.executable.path=/usr/bin/true
}

t_exec_exception_script_by_path() {
	printf '#!/bin/sh\necho ok-ran\n' >"$WORK/ok.sh"
	printf '#!/bin/sh\necho other-ran\n' >"$WORK/other.sh"
	chmod +x "$WORK/ok.sh" "$WORK/other.sh"
	fng --policy "$(policy "{\"create_child_process\": {\"action\": \"block\", \"exceptions\": [\"$WORK/ok.sh\"]}}")" -- \
		/bin/sh -c "$WORK/ok.sh; $WORK/other.sh; exit 0"
	assert_rc 0
	assert_out ok-ran
	grep -q other-ran "$WORK/out" && fail "other.sh is not an exception"
	expect_events 1 policy=create_child_process action=blocked details.program="$WORK/other.sh"
}

t_exec_exception_bad_build_id_refused() {
	local p
	p=$(policy '{"create_child_process": {"action": "block", "exceptions": ["build-id:xyz"]}}')
	set +e
	"$FNGUARD" policy check "$p" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 2
	assert_err "$p:1:61: create_child_process: bad exception \"build-id:xyz\""
}

# exec_race_case WHAT POLICY RULE REASON: run exec_exception_race under
# POLICY (with FNG_WORKDIR, and FNG_FORBIDDEN when set); no vector may get
# through, and at least one exec must have been killed at the exec stop
# under RULE with REASON, or the race was never hit.
exec_race_case() {
	local what=$1 pol=$2 rule=$3 reason=$4 killed
	FNG_WORKDIR=$WORK fng --policy "$(policy "$pol")" -- "$BUILD/test/adversarial/exec_exception_race"
	if grep -q BYPASSED "$WORK/out" || grep -q ERROR "$WORK/out" || [ "$RC" -ne 0 ]; then
		cat "$WORK/out"
		fail "exec_exception_race $what: $RC vector(s) bypassed or errored"
	fi
	assert_absent "$WORK/marker"
	assert_events_valid
	killed=$(ev_count policy="$rule" action=killed details.reason="$reason")
	[ "$killed" -ge 1 ] || { cat "$WORK/out"; fail "no exec was caught at the exec stop: the race was never hit"; }
}

# A thread rewrites the path, or a symlink is swapped, between the check and
# the exec: what the kernel really ran is checked at the exec stop and killed
# if it is not an exception. Races are hit often enough in 100 attempts per
# vector that at least one kill is expected.
t_exec_exception_race() {
	exec_race_case "against exceptions" \
		"{\"create_child_process\": {\"action\": \"block\", \"exceptions\": [\"/usr/bin/true\", \"$WORK/a.sh\"]}}" \
		create_child_process "executed a program that is not an exception, after the check (racing thread)"
}

# The same races where child processes are allowed and the forbidden program
# is a copy of touch in the temp root: with nothing pending for the exec, the
# exec stop still reads /proc/PID/exe and kills a program from the temp root
# (tracer/rules/exec.c, fng_verify_exec). With the kernel enforcing the temp
# root no such exec starts at all (t_pathrace_exec_tmp_kernel): this tests
# the fallback.
t_exec_tmp_race() {
	cp /usr/bin/touch "$TMPD/touch"
	FNGUARD_NO_LANDLOCK=1 FNG_FORBIDDEN=$TMPD/touch exec_race_case "against the temp root" \
		'{"read_write_tmp": "block", "create_child_process": "allow"}' \
		read_write_tmp "executed a program from the temp root after the check (racing thread)"
}

# The same races against an allowlist that lets through exactly /usr/bin/true
# and a.sh: what the allowlist let through at the call is checked again at
# the exec stop, and a swapped program is killed (tracer/rules/exec.c).
t_exec_allowlist_race() {
	exec_race_case "under an allowlist" \
		"{\"allowlist\": {\"mode\": \"block\", \"files\": {\"read\": [\"/**\"], \"write\": [\"/**\"]},
		\"exec\": [\"/usr/bin/true\", \"$WORK/a.sh\"]}}" \
		allowlist "executed a program not in the allowlist, after the check (racing thread)"
}

# A build-id is no content hash: a copy written during the run may carry
# the excepted build-id over other code (outside attack session: /usr/bin/true
# copied and its entry code patched). A copy made in the run is refused;
# the original still runs.
t_exec_exception_build_id_copy_in_run() {
	local id
	id=$(exec_build_id /usr/bin/false)
	[ -n "$id" ] || fail "/usr/bin/false has no build-id"
	fng --policy "$(policy "{\"create_child_process\": {\"action\": \"block\", \"exceptions\": [\"build-id:$id\", \"/usr/bin/cp\", \"$(readlink -f /usr/bin/cp)\"]}}")" -- \
		/bin/sh -c "/usr/bin/false; echo false-rc=\$?; cp /usr/bin/false '$WORK/f2' && '$WORK/f2'; echo copy-rc=\$?; exit 0"
	assert_rc 0
	assert_out '^false-rc=1$'
	assert_out '^copy-rc=126$'
	expect_events 1 policy=create_child_process action=blocked details.executable.path="$WORK/f2"
}
