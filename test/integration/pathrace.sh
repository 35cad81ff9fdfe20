# Issue 22: every path-changing call is race-free. path_race makes each
# call while a thread rewrites the path buffer and while another process
# swaps a symlink component, and counts forbidden effects in the temp root
# (adversarial.sh's adv_setup/adv_tmp_untouched prepare and check it). Run
# here with a small count; by hand with FNG_RACE_ATTEMPTS=20000 (numbers in
# docs/security.md). Two modes: the kernel enforcing the temp root
# (Landlock), and fnguard's fallback (FNGUARD_NO_LANDLOCK=1), which holds
# the other tasks still during every path call it decides.

PATHRACE_POLICY='{"read_write_tmp":"block","create_child_process":"allow","outbound_connectivity":"allow","read_handler":"allow"}'

pathrace_case() { # mode-notice-regex [env...]
	local want=$1
	shift
	adv_setup
	$PY -c 'import os, sys; os.setxattr(sys.argv[1], "user.fng_race_keep", b"1")' "$FNG_VICTIM"
	set +e
	env FNG_RACE_ATTEMPTS="${FNG_RACE_ATTEMPTS:-150}" "$@" "$FNGUARD" run --log "file:$EV" \
		--policy "$(policy "$PATHRACE_POLICY")" -- "$BUILD/test/adversarial/path_race" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	if grep -q BYPASSED "$WORK/out" || grep -q ERROR "$WORK/out" || [ "$RC" -ne 0 ]; then
		cat "$WORK/out"
		fail "path_race: $RC vector(s) got through"
	fi
	[ "$(grep -c '^vector .*: defended' "$WORK/out")" = 40 ] || fail "expected 40 defended vectors"
	grep -q "$want" "$EV" || fail "no notice matching: $want"
	assert_events_valid
	[ "$($PY "$EVENTS_PY" count "$EV" action=blocked policy=read_write_tmp)" -ge 40 ] ||
		fail "the attempts were not reported"
	adv_tmp_untouched
}

t_pathrace_kernel() {
	need_landlock_abi 3
	pathrace_case 'the kernel enforces the temp root'
}

t_pathrace_fallback() {
	pathrace_case "the kernel does not enforce the temp root (FNGUARD_NO_LANDLOCK is set)" FNGUARD_NO_LANDLOCK=1
}

# With the kernel enforcing, the temp root's ancestors cannot be listed
# (Landlock grants beneath their other entries only); everything beside the
# temp root works as before, and the fallback lists them.
t_pathrace_kernel_ancestors() {
	local pol
	mkdir -p "$WORK/anc/tmproot" "$WORK/anc/side"
	echo side >"$WORK/anc/side/f"
	pol=$(policy "{\"read_write_tmp\":\"block\",\"tmp_root\":\"$WORK/anc/tmproot\"}")
	fng --policy "$pol" -- "$PY" -c '
import os, sys
w = sys.argv[1]
def t(name, f):
    try:
        f(); print(name, "ok")
    except OSError as e:
        print(name, "errno", e.errno)
t("list_parent", lambda: os.listdir(w + "/anc"))
t("read_side", lambda: open(w + "/anc/side/f").read())
t("write_side", lambda: open(w + "/anc/side/g", "w").write("x"))
t("create_in_parent", lambda: open(w + "/anc/new", "w").write("x"))
t("create_in_root", lambda: open(w + "/anc/tmproot/x", "w").write("x"))' "$WORK"
	assert_rc 0
	assert_out "^list_parent errno 13"
	assert_out "^read_side ok"
	assert_out "^write_side ok"
	assert_out "^create_in_parent errno 13"
	assert_out "^create_in_root errno 13"
	[ ! -e "$WORK/anc/tmproot/x" ] || fail "created in the temp root"
	FNGUARD_NO_LANDLOCK=1 fng --policy "$pol" -- "$PY" -c 'import os, sys; print(len(os.listdir(sys.argv[1])))' "$WORK/anc"
	assert_rc 0
	assert_out "^[0-9]"
}

# exec_exception_race against the temp root with the kernel enforcing it:
# the racing thread and the symlink swap never get the temp root's program
# started (Landlock refuses to execute there), so nothing is left for the
# exec stop to kill (t_exec_tmp_race tests the fallback's exec stop).
t_pathrace_exec_tmp_kernel() {
	need_landlock_abi 3
	cp /usr/bin/touch "$TMPD/touch"
	FNG_FORBIDDEN=$TMPD/touch FNG_WORKDIR=$WORK fng --policy \
		"$(policy '{"read_write_tmp": "block", "create_child_process": "allow"}')" -- \
		"$BUILD/test/adversarial/exec_exception_race"
	if grep -q BYPASSED "$WORK/out" || grep -q ERROR "$WORK/out" || [ "$RC" -ne 0 ]; then
		cat "$WORK/out"
		fail "exec_exception_race against the temp root: $RC vector(s) got through"
	fi
	assert_absent "$WORK/marker"
	assert_events_valid
	[ "$(ev_count policy=read_write_tmp action=killed)" = 0 ] || fail "an exec from the temp root started"
	grep -q 'the kernel enforces the temp root' "$EV" || fail "the kernel did not enforce the temp root"
}

# A program outside the temp root whose ELF interpreter (PT_INTERP) lies in
# it: the kernel loads the interpreter without an open fnguard sees (outside
# attack session). With the kernel enforcing the temp root, Landlock refuses
# to execute it; in the fallback the exec stop finds it mapped and ends the
# program before it runs. Natively the program runs through the copied loader.
t_pathrace_exec_tmp_interp() {
	local ld=$TMPD/ld-copy.so prog=$WORK/interp_prog
	cp "$(readlink -f /lib64/ld-linux-x86-64.so.2)" "$ld"
	printf '#include <stdio.h>\nint main(void) { puts("INTERP-PROG-RAN"); return 0; }\n' >"$WORK/p.c"
	cc -o "$prog" -Wl,--dynamic-linker="$ld" "$WORK/p.c" || fail "cannot build the test program"
	"$prog" | grep -q INTERP-PROG-RAN || fail "natively the program did not run"
	local pol
	pol=$(policy '{"read_write_tmp": "block", "create_child_process": "allow", "read_handler": "allow", "outbound_connectivity": "allow"}')
	for mode in kernel fallback; do
		if [ "$mode" = fallback ]; then export FNGUARD_NO_LANDLOCK=1; fi
		fng --policy "$pol" -- /bin/sh -c "$prog; echo sh-went-on"
		unset FNGUARD_NO_LANDLOCK
		assert_out sh-went-on
		! grep -q INTERP-PROG-RAN "$WORK/out" || fail "$mode: the program ran through a loader in the temp root"
		assert_events_valid
	done
	[ "$(ev_count policy=read_write_tmp action=killed)" -ge 1 ] || fail "fallback: the exec was not reported"
}

# A core file is written by the kernel, with no call fnguard sees: with the
# cwd in the temp root, a crash would create one there (outside attack
# session: the fallback; Landlock refuses it). Without Landlock the runtime
# starts with RLIMIT_CORE 0 and cannot raise it; with Landlock its limit is
# left alone but cannot be changed either while read_write_tmp blocks.
t_pathrace_core_file_fallback() {
	local code='import os, resource, signal
os.chdir(os.environ["FNG_TMPDIR"])
print("limit", resource.getrlimit(resource.RLIMIT_CORE)[0])
try:
    resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY)); print("raised")
except (OSError, ValueError) as e:
    print("raise refused", e)
pid = os.fork()
if pid == 0:
    os.kill(os.getpid(), signal.SIGSEGV)
os.waitpid(pid, 0)
print("done")'
	adv_setup
	if [ "$(cat /proc/sys/kernel/core_pattern)" = core ]; then
		(ulimit -c unlimited; "$PY" -c "$code") >/dev/null 2>&1
		ls "$TMPD" | grep -q '^core' || fail "natively no core file in the temp root: the test cannot tell"
		rm -f "$TMPD"/core*
	fi
	FNGUARD_NO_LANDLOCK=1 fng --policy "$(policy '{"read_write_tmp": "block"}')" -- sh -c "ulimit -c unlimited 2>/dev/null; exec \"$PY\" -c '$code'"
	assert_rc 0
	assert_out '^limit 0$'
	assert_out '^raise refused'
	assert_out '^done$'
	adv_tmp_untouched
	[ "$(ev_count syscall=prlimit64 action=blocked)" -ge 1 ] || [ "$(ev_count syscall=setrlimit action=blocked)" -ge 1 ] ||
		fail "the refused limit change was not reported"
}
