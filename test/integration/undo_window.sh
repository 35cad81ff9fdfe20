# The undo window: where fnguard checks what an open opened at its exit
# stop (read_handler, an allowlist, the temp root without Landlock), the
# kernel installs the descriptor before that stop. undo_window races an
# open onto a forbidden file (a thread flips the path between a data file
# and a symlink to it) while a third thread reads every descriptor number:
# another task must not run between such an open and its check; then the
# same with a FIFO as the decoy (outside attack round 7). Run here
# with a small count; by hand with FNG_RACE_ATTEMPTS=20000 (docs/security.md).

# uw_case TARGET POLICY-JSON [fnguard run args...]: no read of TARGET's
# secret, at least one refusal reported.
uw_case() {
	local target=$1 pol=$2
	shift 2
	export FNG_WORKDIR=$WORK FNG_RACE_TARGET=$target FNG_RACE_ATTEMPTS=${FNG_RACE_ATTEMPTS:-1500}
	fng --policy "$(policy "$pol")" "$@" -- "$BUILD/test/adversarial/undo_window"
	if grep -q 'BYPASSED\|ERROR' "$WORK/out" || [ "$RC" -ne 0 ]; then
		cat "$WORK/out" "$WORK/err"
		fail "undo_window: $RC vector(s) got through"
	fi
	[ "$(grep -c '^vector .*: defended' "$WORK/out")" = 4 ] || fail "expected 4 defended vectors"
	assert_events_valid
	[ "$(ev_count action=blocked)" -ge 1 ] || fail "the refused opens were not reported"
	# the FIFO decoy (outside attack round 7): a blocking open of it is refused, saying why
	grep -q '"action":"blocked".*a FIFO that could wait for a peer' "$EV" ||
		fail "no blocking FIFO open was refused with its reason"
}

# read_handler, armed when initialisation ends (the connect, --no-proxy).
t_adv_undo_window_handler() {
	mkdir -p "$WORK/task"
	"$BUILD/test/adversarial/handler_code" --setup "$WORK/task" || fail "setup"
	export LAMBDA_TASK_ROOT=$WORK/task _HANDLER=pkgapp.app.handler AWS_LAMBDA_RUNTIME_API=127.0.0.1:9
	uw_case "$WORK/task/pkgapp/helper.py" '{"read_handler":"block","read_write_tmp":"block"}' --no-proxy
}

# The temp root held by fnguard's fallback (no Landlock).
t_adv_undo_window_tmp_fallback() {
	adv_setup
	FNGUARD_NO_LANDLOCK=1 uw_case "$FNG_SECRET" '{"read_write_tmp":"block","read_handler":"allow"}'
	adv_tmp_untouched
}

# An allowlist: the secret is outside files.read.
t_adv_undo_window_allowlist() {
	adv_setup
	uw_case "$FNG_SECRET" "{\"version\":1,\"policy\":$ALLOW_ALL,\"allowlist\":{\"mode\":\"block\",
		\"files\":{\"read\":[\"/etc/**\",\"/usr/**\",\"/lib/**\",\"/lib64/**\",\"/proc/**\",\"/sys/**\",\"/dev/**\"],
		\"write\":[\"$WORK/**\"]}}}"
	adv_tmp_untouched
}


# FIFOs a function uses for real, under an allowlist that checks every open
# at its exit stop: with a second thread, O_RDWR and O_NONBLOCK opens work
# (held) and a blocking one is refused with its reason; a lone task's
# blocking open works natively (nothing to race).
t_file_fifo_opens_beside_threads() {
	mkfifo "$WORK/f"
	local pol="{\"version\":1,\"policy\":$ALLOW_ALL,\"allowlist\":{\"mode\":\"block\",
		\"files\":{\"read\":[\"/**\"],\"write\":[\"$WORK/**\"]}}}"
	fng --policy "$(policy "$pol")" -- /usr/bin/python3 -c '
import os, sys, threading, time
t = threading.Thread(target=time.sleep, args=(3,)); t.start()
f = sys.argv[1]
fd = os.open(f, os.O_RDWR); os.write(fd, b"x"); print("rdwr", os.read(fd, 1).decode()); os.close(fd)
w = os.open(f, os.O_RDWR)
fd = os.open(f, os.O_RDONLY | os.O_NONBLOCK); print("nonblock ok"); os.close(fd); os.close(w)
try:
    os.open(f, os.O_RDONLY); print("blocking opened")
except PermissionError:
    print("blocking refused")
' "$WORK/f"
	assert_rc 0
	assert_out "rdwr x"
	assert_out "nonblock ok"
	assert_out "blocking refused"
	grep -q '"action":"blocked".*a FIFO that could wait for a peer' "$EV" || fail "no event says why"
	(sleep 0.5; echo hello >"$WORK/f") &
	fng --policy "$(policy "$pol")" -- /usr/bin/python3 -c '
import sys; print(open(sys.argv[1]).read().strip())' "$WORK/f"
	wait
	assert_rc 0
	assert_out hello
}
