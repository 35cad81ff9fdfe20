# fnguard trace: one line per watched call with what the policy would decide,
# nothing blocked unless --enforce, -e, --json, --stack, the summary, and
# golden output for a Python and a shell program (test/integration/golden/,
# compared after test/lib/trace_norm.py; FNG_UPDATE_GOLDEN=1 rewrites them).

TRACE_OUT=
GOLDEN="$ROOT/test/integration/golden"

# trace_run [trace options...] -- CMD...: the trace in $TRACE_OUT (-o), RC.
trace_run() {
	TRACE_OUT=$WORK/trace.txt
	set +e
	"$FNGUARD" trace -o "$TRACE_OUT" "$@" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
}

# Lines of calls (not lifecycle, exit or summary lines) matching a regex.
trace_lines() {
	grep -cE "^[0-9]+\.[0-9]{6} \[pid +[0-9?]+\] ${1:-}" "$TRACE_OUT" || true
}

# The summary's count for a class and column (allowed, would-block, alerted,
# blocked, killed, total).
summary_count() {
	awk -v c="$1" -v col="$2" '
		$1 == "class" { for (i = 2; i <= NF; i++) idx[$i] = i; on = 1; next }
		on && $1 == c { print $idx[col]; exit }' "$TRACE_OUT"
}

# golden NAME: compare the normalised trace with golden/NAME.txt.
golden() {
	local want="$GOLDEN/$1.txt" got="$WORK/$1.norm"
	TMPD=$TMPD WORK=$WORK BUILD=$BUILD ROOT=$ROOT $PY "$ROOT/test/lib/trace_norm.py" "$TRACE_OUT" >"$got"
	if [ -n "${FNG_UPDATE_GOLDEN:-}" ]; then
		cp "$got" "$want"
	fi
	# The golden file itself must show the decisions this test is about.
	grep -q "would block: read_write_tmp" "$want" || fail "$want has no would-block line"
	grep -q "would block: create_child_process" "$want" || fail "$want has no would-block exec line"
	grep -q "connect(192.0.2.1:.*would block: outbound_connectivity" "$want" || fail "$want has no connect line"
	diff -u "$want" "$got" >&2 || fail "trace output differs from $want"
}

# The traced programs run from $WORK, never from the checkout: a clone under
# /tmp would sit in the temp root and change the decisions (and the order of
# equal counts in the summary, which sorts by name).
golden_progs() {
	mkdir -p "$WORK/prog"
	cp "$GOLDEN/trace_prog.py" "$BUILD/test/progs/tcp_connect" "$WORK/prog/"
}

t_trace_golden_python() {
	export LC_ALL=C
	golden_progs
	set +e
	unshare -n -- "$ROOT/test/lib/netns.sh" tcp 4270 -- "$FNGUARD" trace -o "$WORK/trace.txt" -- \
		"$PY" -I -S "$WORK/prog/trace_prog.py" 4270 >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	TRACE_OUT=$WORK/trace.txt
	assert_rc 0
	assert_out "^done"
	assert_out "received 1"
	assert_exists "$TMPD/data.txt"
	golden trace_python
}

t_trace_golden_shell() {
	export LC_ALL=C
	golden_progs
	set +e
	unshare -n -- "$ROOT/test/lib/netns.sh" tcp 4271 -- "$FNGUARD" trace -o "$WORK/trace.txt" -- \
		/bin/sh -c 'echo hi >"$TMPD/note.txt"; /bin/cat "$TMPD/note.txt"; "$WORK/prog/tcp_connect" 192.0.2.1 4271' \
		>"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	TRACE_OUT=$WORK/trace.txt
	assert_rc 0
	assert_out "^hi"
	assert_out "connect: OK"
	assert_out "received 1"
	golden trace_shell
}

# The default policy blocks writes under /tmp: trace shows it, and blocks nothing.
t_trace_never_blocks_without_enforce() {
	trace_run -- /bin/sh -c 'echo x >"$TMPD/kept"'
	assert_rc 0
	assert_exists "$TMPD/kept"
	[ "$(trace_lines "openat\\(\"$TMPD/kept\", write\\|create\\) would block: read_write_tmp \\(a file in the temp root\\)$")" = 1 ] ||
		fail "no would-block line for $TMPD/kept: $(cat "$TRACE_OUT")"
	[ "$(trace_lines '.* blocked: ')" = 0 ] || fail "something was blocked"
}

t_trace_enforce_blocks() {
	trace_run --enforce -- /bin/sh -c 'echo x >"$TMPD/gone"'
	assert_rc 2
	assert_absent "$TMPD/gone"
	[ "$(trace_lines "openat\\(\"$TMPD/gone\", write\\|create\\) = -1 EACCES blocked: read_write_tmp \\(a file in the temp root\\)$")" = 1 ] ||
		fail "expected one blocked line: $(cat "$TRACE_OUT")"
	[ "$(trace_lines '.*would block')" = 0 ] || fail "a would-block line under --enforce"
	[ "$(summary_count file blocked)" = 1 ] || fail "summary: file blocked is not 1"
}

# An all-allow policy traces nothing in run, everything in trace.
t_trace_all_allow_sees_everything() {
	local p
	p=$(policy "$ALLOW_ALL")
	trace_run --policy "$p" -- /bin/sh -c 'echo x >"$TMPD/a"; /bin/cat "$TMPD/a" >/dev/null'
	assert_rc 0
	[ "$(trace_lines "openat\\(\"$TMPD/a\", write\\|create\\) allowed$")" = 1 ] || fail "no allowed open of $TMPD/a"
	[ "$(trace_lines "execve\\(\"/usr/bin/cat\", \\[\"/bin/cat\", \"$TMPD/a\"\\]\\) allowed$")" = 1 ] ||
		fail "no allowed exec of cat: $(cat "$TRACE_OUT")"
	[ "$(trace_lines '.*would block')" = 0 ] || fail "would-block under an all-allow policy"
}

t_trace_classes_filter() {
	trace_run -e process -- /bin/sh -c 'echo x >"$TMPD/f"; /bin/true'
	assert_rc 0
	[ "$(trace_lines 'execve\(')" = 1 ] || fail "expected one execve line: $(cat "$TRACE_OUT")"
	[ "$(trace_lines)" = 1 ] || fail "-e process shows other classes: $(cat "$TRACE_OUT")"
	[ "$(summary_count file total)" = 0 ] || fail "summary counts filtered-out files"
	trace_run -e file,dns -- /bin/sh -c 'echo x >"$TMPD/f"; /bin/true'
	[ "$(trace_lines 'execve\(')" = 0 ] || fail "-e file,dns shows execs"
	[ "$(trace_lines "openat\\(\"$TMPD/f\"")" = 1 ] || fail "-e file,dns lost the open"
}

t_trace_json() {
	trace_run --json -- /bin/sh -c 'echo x >"$TMPD/j"; /bin/true'
	assert_rc 0
	EV=$TRACE_OUT
	assert_events_valid
	expect_events 1 event_type=file action=allowed would=block policy=read_write_tmp "details.path=$TMPD/j"
	expect_events 1 event_type=process action=allowed would=block policy=create_child_process details.program=/usr/bin/true
	[ "$(ev_count event_type=file action=allowed details.access=*)" -gt 1 ] || fail "no allowed file opens in --json"
	expect_events 1 event_type=lifecycle details.phase=exit
	grep -q '^[0-9]' "$TRACE_OUT" && fail "--json output has text lines"
	true
}

# Every line the summary counts is on screen, per class and decision.
t_trace_summary_counts_lines() {
	local p
	p=$(policy '{"read_write_tmp": "alert", "create_child_process": "block"}')
	trace_run --policy "$p" -- /bin/sh -c 'echo x >"$TMPD/s"; /bin/cat "$TMPD/s" >/dev/null; /bin/true'
	assert_rc 0
	[ "$(summary_count net total)" = 0 ] || fail "net lines counted"
	[ "$(summary_count file total)" = "$(($(trace_lines) - $(trace_lines 'execve\(')))" ] ||
		fail "file total differs from the file lines"
	[ "$(summary_count process total)" = "$(trace_lines 'execve\(')" ] || fail "process total differs"
	[ "$(summary_count process would-block)" = 2 ] || fail "expected 2 would-block execs"
	[ "$(summary_count file alerted)" = "$(trace_lines '.* alert: read_write_tmp \(a file in the temp root\)$')" ] || fail "alerted count differs"
	[ "$(summary_count file alerted)" = 2 ] || fail "expected 2 alerted opens of $TMPD/s"
	[ "$(summary_count total total)" = "$(trace_lines)" ] || fail "total differs from the number of lines"
	grep -q '^files:$' "$TRACE_OUT" || fail "no files table"
	grep -qE "^ +2  $TMPD/s$" "$TRACE_OUT" || fail "files table lacks $TMPD/s twice"
	grep -qE '^ +1  /usr/bin/cat$' "$TRACE_OUT" || fail "programs table lacks cat"
}

# Threads and forked children: every call is there, each on a line of its own.
t_trace_threads_and_forks() {
	trace_run -e file -- "$PY" -I -S -c '
import os, threading
d = os.environ["TMPD"]
def w(i):
    open("%s/thr-%d" % (d, i), "w").close()
ts = [threading.Thread(target=w, args=(i,)) for i in range(8)]
[t.start() for t in ts]
[t.join() for t in ts]
pids = []
for i in range(4):
    p = os.fork()
    if p == 0:
        for k in range(5):
            open("%s/fork-%d-%d" % (d, i, k), "w").close()
        os._exit(0)
    pids.append(p)
for p in pids:
    os.waitpid(p, 0)'
	assert_rc 0
	[ "$(trace_lines "openat\\(\"$TMPD/thr-[0-7]\", write\\|create\\) would block: read_write_tmp \\(a file in the temp root\\)$")" = 8 ] ||
		fail "expected 8 thread lines: $(cat "$TRACE_OUT")"
	[ "$(trace_lines "openat\\(\"$TMPD/fork-[0-3]-[0-4]\", write\\|create\\) would block: read_write_tmp \\(a file in the temp root\\)$")" = 20 ] ||
		fail "expected 20 fork lines"
	[ "$(grep -E '^[0-9.]+ \[pid +[0-9]+\] openat\(".*/fork-[0-3]-' "$TRACE_OUT" | sed -E 's/.*\[pid +([0-9]+)\].*/\1/' | sort -u | wc -l)" = 4 ] ||
		fail "expected the fork lines from 4 pids"
	[ "$(find "$TMPD" -name 'thr-*' -o -name 'fork-*' | wc -l)" = 28 ] || fail "files missing on disk"
	# Nothing but whole lines: calls, lifecycle, exit and summary.
	grep -vE '^([0-9]+\.[0-9]{6} \[pid +[0-9?]+\] [a-z0-9_]+\(.*\) (allowed|would block: [a-z_]+|alert: [a-z_]+|= -1 [A-Z]+ blocked: [a-z_]+)( \(.*\))?|--- .* ---|\+\+\+ .* \+\+\+|class .*|(file|net|process|dns|total) +[0-9 ]+|files:|hosts:|programs:| +[0-9]+  .*)$' \
		"$TRACE_OUT" >&2 && fail "lines above are not whole trace lines"
	true
}

t_trace_stack() {
	trace_run --stack -e file -- /bin/sh -c 'echo x >"$TMPD/st"'
	assert_rc 0
	grep -A1 "openat(\"$TMPD/st\"" "$TRACE_OUT" | grep -qE '^    #0  libc\.so\.6 ' ||
		fail "no stack under the would-block line: $(cat "$TRACE_OUT")"
	[ "$(grep -cE '^    #0  ' "$TRACE_OUT")" = "$(trace_lines)" ] || fail "not every line has a stack with --stack"
}

t_trace_exit_status_and_usage() {
	trace_run -- /bin/sh -c 'exit 3'
	assert_rc 3
	trace_run --bogus -- true
	assert_rc 2
	[ "$(wc -l <"$WORK/err")" = 1 ] || fail "usage error is not one line"
	assert_err "unknown option '--bogus'"
	trace_run -e files -- true
	assert_rc 2
	assert_err "expected classes from file, net, process, dns"
	set +e
	"$FNGUARD" trace >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 2
	assert_err "no command given"
	trace_run -- /nonexistent/cmd
	assert_rc 127
}

# A burst far larger than the event ring (1024) and a sink queue (4096):
# trace makes the program wait rather than lose a line.
t_trace_loses_nothing() {
	trace_run -e file -- "$PY" -I -S -c '
import os
for i in range(12000):
    os.close(os.open("/etc/hostname", os.O_RDONLY))'
	assert_rc 0
	[ "$(trace_lines 'openat\("/etc/hostname", read\) allowed$')" = 12000 ] || fail "lines were lost"
	grep -qE '^ +12000  /etc/hostname$' "$TRACE_OUT" || fail "summary does not count 12000"
	grep -q 'dropped' "$TRACE_OUT" && fail "drops reported"
	true
}

# The same through a pipe read slowly: the sink's queue and the ring are full
# when the program exits, and the exit still writes every line.
t_trace_loses_nothing_slow_reader() {
	set +e
	"$FNGUARD" trace -e file -- "$PY" -I -S -c '
import os
for i in range(12000):
    os.close(os.open("/etc/hostname", os.O_RDONLY))' 2>&1 >/dev/null | "$PY" -c '
import sys, time
time.sleep(1)
with open(sys.argv[1], "wb") as out:
    while True:
        b = sys.stdin.buffer.read1(8192)
        if not b:
            break
        out.write(b)
        time.sleep(0.01)
' "$WORK/trace.txt"
	set -e
	TRACE_OUT=$WORK/trace.txt
	[ "$(trace_lines 'openat\("/etc/hostname", read\) allowed$')" = 12000 ] ||
		fail "lines were lost: $(trace_lines 'openat\("/etc/hostname", read\) allowed$'); $(grep dropped "$TRACE_OUT")"
	grep -q 'dropped' "$TRACE_OUT" && fail "drops reported"
	true
}

# Colours on a terminal (script(1) gives fnguard one), never in a file.
t_trace_colour_only_on_tty() {
	command -v script >/dev/null || fail "script(1) is missing (util-linux)"
	script -qec "$FNGUARD trace -e file -- /bin/sh -c 'echo x >$TMPD/c'" /dev/null >"$WORK/tty.txt" 2>&1 ||
		fail "trace under script(1) failed: $(cat "$WORK/tty.txt")"
	grep -q $'\033\\[33mwould block: read_write_tmp\033\\[0m' "$WORK/tty.txt" || fail "no colour on a terminal: $(cat -v "$WORK/tty.txt")"
	trace_run -e file -- /bin/sh -c "echo x >$TMPD/c"
	grep -q $'\033' "$TRACE_OUT" && fail "colour codes in -o FILE"
	true
}
