# Native stacks on alert and block events: the frames name the code that made
# the call (module, function, offset in the module, build-id), for programs
# with symbols, stripped, static, and Python; a deep or corrupt stack gives
# bounded output and fnguard carries on. Every connect goes to 192.0.2.1
# inside a network namespace of the test's own (unshare -n), and is blocked.

STACKPROG=$BUILD/test/progs/stackprog
FRAMES_PY="$ROOT/test/lib/frames.py"

# stack_run MODE-JSON PROGRAM ARGS...: run under fnguard in a fresh netns.
stack_run() {
	local p
	p=$(policy "{\"outbound_connectivity\": \"$1\"}")
	shift
	set +e
	unshare -n -- "$FNGUARD" run --policy "$p" --log "file:$EV" -- "$@" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 0
}

# stack_of PROGRAM MODE PORT [ARGS...]: a stackprog mode whose connect is
# blocked; the event's frames in $WORK/frames.
stack_of() {
	local prog=$1 mode=$2
	shift 2
	stack_run block "$prog" "$mode" "$@"
	assert_out "$mode: DENIED 13"
	frames >/dev/null
}

# The connect event's frames, one per line: MODULE FUNCTION OFFSET BUILD_ID.
frames() {
	$PY "$FRAMES_PY" "$EV" syscall=connect "$@" >"$WORK/frames" || fail "no connect event"
	cat "$WORK/frames"
}

build_id() { # file: what readelf -n prints
	readelf -n "$1" | awk '/Build ID:/ {print $3; exit}'
}

libc_of() { # program: the libc it loads
	ldd "$1" | awk '/libc\.so/ {print $3; exit}'
}

# Is some frame of module $1 at an offset inside function $3 of file $2
# (its address range from the symbol table, nm -S)? Frame lines on stdin.
offset_in() { # module file function
	local start size m off
	read -r start size < <(nm -S "$2" | awk -v f="$3" '$4 == f {print $1, $2; exit}')
	[ -n "$start" ] || fail "no symbol $3 in $2"
	while read -r m _ off _; do
		[ "$m" = "$1" ] || continue
		if ((off >= 0x$start && off < 0x$start + 0x$size)); then
			return 0
		fi
	done
	return 1
}

t_stack_names_leak_secrets() {
	stack_of "$STACKPROG" leak 4260
	expect_events 1 syscall=connect action=blocked details.host=192.0.2.1
	local libc
	libc=$(libc_of "$STACKPROG")
	# innermost: libc's connect, then the function that called it, then main
	head -1 "$WORK/frames" | grep -q "^libc.so.6 connect 0x[0-9a-f]* $(build_id "$libc")$" || fail "frame 0 is not libc's connect"
	sed -n 2p "$WORK/frames" | grep -q "^stackprog leak_secrets 0x[0-9a-f]* $(build_id "$STACKPROG")$" ||
		fail "frame 1 is not leak_secrets in stackprog"
	sed -n 3p "$WORK/frames" | grep -q "^stackprog main " || fail "frame 2 is not main"
	# the offset is an address in the module, as nm and addr2line count them
	offset_in stackprog "$STACKPROG" leak_secrets <"$WORK/frames" || fail "leak_secrets frame offset is outside leak_secrets"
	[ "$(ev_count syscall=connect stack_truncated=*)" = 0 ] || fail "a whole stack was marked truncated"
	assert_events_valid
}

t_stack_alert_has_stack() {
	stack_run alert "$STACKPROG" leak 4261
	expect_events 1 syscall=connect action=alerted
	frames | grep -q "^stackprog leak_secrets " || fail "alert event lacks the leak_secrets frame"
}

# Stripped: no function names for the program's own code, but the frames
# are there, with module, build-id and the same offsets as with symbols.
t_stack_stripped_binary() {
	local prog=$STACKPROG-stripped
	[ -z "$(nm "$prog" 2>/dev/null)" ] || fail "$prog still has a symbol table"
	stack_of "$prog" leak 4262
	sed -n 2p "$WORK/frames" | grep -q "^stackprog-stripped - 0x[0-9a-f]* $(build_id "$prog")$" ||
		fail "frame 1 should be an unnamed stackprog-stripped frame with its build-id"
	offset_in stackprog-stripped "$STACKPROG" leak_secrets <"$WORK/frames" ||
		fail "no stripped frame at leak_secrets' address"
}

# Static: no .eh_frame_hdr (gcc passes --eh-frame-hdr only to dynamic links):
# the unwinder still gets past connect into the program's own frames.
t_stack_static_binary() {
	local prog=$STACKPROG-static
	readelf -lW "$prog" | grep -q INTERP && fail "$prog is not static"
	readelf -lW "$prog" | grep -q GNU_EH_FRAME && fail "$prog has .eh_frame_hdr: the test would not test the fallback"
	stack_of "$prog" leak 4263
	sed -n 2p "$WORK/frames" | grep -q "^stackprog-static leak_secrets 0x[0-9a-f]* $(build_id "$prog")$" ||
		fail "frame 1 is not leak_secrets in stackprog-static"
	grep -q "^stackprog-static main " "$WORK/frames" || fail "no main frame"
}

# 10,000 nested calls: the innermost 32 frames, marked as cut at the limit.
t_stack_deep_recursion_bounded() {
	stack_of "$STACKPROG" deep 4264 10000
	[ "$(grep -c '^stackprog' "$WORK/frames")" = 31 ] || fail "expected 31 stackprog frames under libc's connect"
	[ "$(grep -c '^stackprog recurse ' "$WORK/frames")" = 30 ] || fail "expected 30 recurse frames"
	assert_eq "$(tail -1 "$WORK/frames")" "truncated: frame limit" "marker"
	expect_events 1 event_type=lifecycle details.phase=exit details.status=0
}

# rsp and rbp point at unmapped memory at the call: the one frame that can
# be read (the pc), a marker, and fnguard goes on normally.
t_stack_smashed_stack_pointer() {
	stack_of "$STACKPROG" smashed 4265
	assert_eq "$(head -1 "$WORK/frames" | cut -d' ' -f1-2)" "stackprog smash_thread" "frame 0"
	assert_eq "$(grep -vc '^truncated' "$WORK/frames")" 1 "frames"
	assert_eq "$(tail -1 "$WORK/frames")" "truncated: unreadable frame" "marker"
	expect_events 1 event_type=lifecycle details.phase=exit details.status=0
}

# rsp points at a buffer of frames that repeat for ever: bounded.
t_stack_endless_fake_frames() {
	stack_of "$STACKPROG" fake 4266
	assert_eq "$(grep -c '^stackprog flat ' "$WORK/frames")" 31 "repeated frames"
	assert_eq "$(tail -1 "$WORK/frames")" "truncated: frame limit" "marker"
}

# Python's socket.connect: libc's connect under the interpreter's own frames
# (Debian links libpython and _socket into python3.X; its exported functions
# are named, its static ones, like sock_connect, are not: it is stripped).
t_stack_python_socket_connect() {
	local py
	py=$(readlink -f "$PY")
	stack_run block "$PY" -c '
import socket
s = socket.socket()
try:
    s.connect(("192.0.2.1", 4267)); print("OK")
except OSError as e:
    print("DENIED", e.errno)'
	assert_out "DENIED 13"
	frames >/dev/null
	head -1 "$WORK/frames" | grep -q "^libc.so.6 connect " || fail "frame 0 is not libc's connect"
	sed -n 2p "$WORK/frames" | grep -q "^$(basename "$py") " || fail "frame 1 is not in the interpreter (socket module)"
	grep -q "^$(basename "$py") _PyEval_EvalFrameDefault 0x[0-9a-f]* $(build_id "$py")$" "$WORK/frames" ||
		fail "no interpreter loop frame with the interpreter's build-id"
	grep -q "^$(basename "$py") Py_BytesMain " "$WORK/frames" || fail "the stack does not reach Py_BytesMain"
}
