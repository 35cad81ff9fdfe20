# Every task the runtime starts is followed: forks, vforks, posix_spawn,
# threads, orphans; exit statuses and signals pass through unchanged.

TREE="$BUILD/test/progs/tree"
TMP_ONLY='{"read_write_tmp": "block"}'

tree_case() { # mode
	fng --policy "$(policy "$TMP_ONLY")" -- "$TREE" "$1"
	assert_rc 0
	assert_out "$1: DENIED 13"
	assert_absent "$TMPD/tree-$1"
	expect_events 1 policy=read_write_tmp action=blocked details.path="$TMPD/tree-$1"
}

t_tree_fork() { tree_case fork; }
t_tree_vfork() { tree_case vfork; }
t_tree_thread() { tree_case thread; }

t_tree_posix_spawn_child_blocked() {
	fng --policy "$(policy '{"create_child_process": "block"}')" -- "$TREE" spawn
	assert_rc 0
	assert_out "spawn: DENIED 13"
	assert_absent "$TMPD/tree-spawn"
	expect_events 1 policy=create_child_process details.program=/usr/bin/touch
}

t_tree_posix_spawn_tmp_blocked() {
	fng --policy "$(policy "$TMP_ONLY")" -- "$TREE" spawn
	assert_rc 0
	assert_out "spawn: DENIED 13"
	assert_absent "$TMPD/tree-spawn"
	# touch tries open, then utimensat: both are refused, both reported.
	expect_events 1 policy=read_write_tmp process.name=touch syscall=openat
	expect_events 1 policy=read_write_tmp process.name=touch syscall=utimensat
}

# 8 threads racing allowed and forbidden opens: every forbidden one is
# blocked, no allowed one is.
t_tree_multithreaded() {
	fng --policy "$(policy "$TMP_ONLY")" -- "$TREE" threads
	assert_rc 0
	assert_out "threads: denied 8 allowed_ok 400 allowed_failed 0"
	expect_events 8 policy=read_write_tmp action=blocked
}

t_tree_exit_code() {
	fng -- "$TREE" exit 3
	assert_rc 3
	expect_events 1 event_type=lifecycle details.phase=exit details.exit_code=3 details.status=3
}

t_tree_killed_by_sigkill() {
	fng -- "$TREE" signal 9
	assert_rc 137
	expect_events 1 event_type=lifecycle details.phase=exit details.signal=KILL details.status=137
}

t_tree_killed_by_sigsegv() {
	fng -- "$TREE" signal 11
	assert_rc 139
}

t_tree_orphan_terminated() {
	fng --policy "$(policy "$ALLOW_ALL")" -- "$TREE" orphan "$WORK/orphan-ran"
	assert_rc 0
	# The orphan got SIGTERM when the root exited (docs/cli.md "Lifetime"),
	# before its 300 ms were up; fnguard has reaped it.
	sleep 1
	assert_absent "$WORK/orphan-ran"
}

t_tree_shell_pipeline_allowed() {
	fng --policy "$(policy "$ALLOW_ALL")" -- /bin/sh -c 'echo hello | tr a-z A-Z; exit 4'
	assert_rc 4
	assert_out HELLO
}

t_tree_exec_chain_blocked_after_first() {
	fng -- /bin/sh -c 'exec /bin/true'
	[ "$RC" -ne 0 ] || fail "the second exec should have failed"
	expect_events 1 policy=create_child_process details.program=/usr/bin/true
}

t_tree_transparent_argv_env_cwd_stdin() {
	mkdir -p "$WORK/sub"
	cd "$WORK/sub"
	set +e
	printf 'from-stdin' | FNG_TEST_VAR='a b' "$FNGUARD" run --log "file:$EV" -- "$PY" -c '
import os, sys
print(sys.argv[1:], os.environ["FNG_TEST_VAR"], os.getcwd(), sys.stdin.read())
import resource; print(resource.getrlimit(resource.RLIMIT_NOFILE))
' 'x y' '' z >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 0
	assert_out "\['x y', '', 'z'\] a b $WORK/sub from-stdin"
	assert_out "$(python3 -c 'import resource; print(resource.getrlimit(resource.RLIMIT_NOFILE))')"
}

# The runtime starts with the signal mask and dispositions fnguard was
# started with, not fnguard's own (its forwarding handlers, SIGPIPE ignored):
# a blocked SIGUSR1, an ignored SIGTERM (which fnguard forwards) and SIGUSR2,
# and an ignored signal 33, libc's own (SIGSETXID), on which starting
# fnguard's threads puts a handler (GNU make runs recipes with it ignored);
# compared with the same program started without fnguard; and the same when
# ptrace is refused and fnguard runs the command itself (run-unprotected).
t_tree_signal_state_inherited() {
	printf '%s\n' "$ALLOW_ALL" >"$WORK/outer.json"
	printf '{"on_unsupported": "run-unprotected"}\n' >"$WORK/inner.json"
	"$PY" - "$FNGUARD" "$EV" "$WORK" >"$WORK/out" 2>&1 <<'EOF' || { cat "$WORK/out"; fail "signal state differs"; }
import ctypes, signal, subprocess, sys
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1, signal.SIGWINCH})
signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGUSR2, signal.SIG_IGN)
class KSigaction(ctypes.Structure):
    _fields_ = [("handler", ctypes.c_void_p), ("flags", ctypes.c_ulong), ("restorer", ctypes.c_void_p), ("mask", ctypes.c_uint64)]
ign = KSigaction(1, 0, None, 0)  # SIG_IGN; libc refuses signal 33, so rt_sigaction (13 on x86-64) directly
assert ctypes.CDLL(None).syscall(13, 33, ctypes.byref(ign), None, 8) == 0
def state(prefix):
    out = subprocess.run(prefix + ["/bin/cat", "/proc/self/status"], capture_output=True, text=True).stdout
    return [l for l in out.splitlines() if l.startswith(("SigBlk", "SigIgn", "SigCgt"))]
native = state([])
under = state([sys.argv[1], "run", "--log", "file:" + sys.argv[2], "--"])
w = sys.argv[3]
unprotected = state([sys.argv[1], "run", "--policy", w + "/outer.json", "--log", "file:" + w + "/outer.jsonl", "--",
                     sys.argv[1], "run", "--policy", w + "/inner.json", "--log", "file:" + w + "/inner.jsonl", "--"])
print("native:", native)
print("fnguard:", under)
print("unprotected:", unprotected)
blk = int(native[0].split()[1], 16)
assert blk & (1 << (signal.SIGUSR1 - 1)), "the native run did not inherit the mask"
assert int(native[1].split()[1], 16) & (1 << 32), "the native run did not inherit signal 33 ignored"
sys.exit(0 if native == under == unprotected else 1)
EOF
}

# signal_fnguard SIG CMD...: run CMD under fnguard in the background, wait
# until it prints READY, send SIG to fnguard itself, and collect the status.
signal_fnguard() {
	local sig=$1 pid
	shift
	set +e
	"$FNGUARD" run --log "file:$EV" -- "$@" >"$WORK/out" 2>"$WORK/err" &
	pid=$!
	for _ in $(seq 200); do grep -q READY "$WORK/out" 2>/dev/null && break; sleep 0.05; done
	kill -"$sig" "$pid"
	wait "$pid"
	RC=$?
	set -e
}

t_tree_sigterm_forwarded() {
	signal_fnguard TERM "$PY" -c '
import signal, sys, time
def on_term(sig, frame):
    open(sys.argv[1], "w").write("got TERM")
    sys.exit(0)
signal.signal(signal.SIGTERM, on_term)
print("READY", flush=True)
time.sleep(30)
sys.exit(5)
' "$WORK/term-marker"
	assert_rc 0
	assert_exists "$WORK/term-marker"
}

t_tree_sigusr1_forwarded_default_action() {
	signal_fnguard USR1 "$PY" -c '
import time
print("READY", flush=True)
time.sleep(30)
'
	assert_rc 138 # 128 + SIGUSR1: the runtime died of it, fnguard reports it like a shell
}

# Group-stop works as if untraced: the real parent sees its child stop and
# continue, and the child then finishes normally.
t_tree_sigstop_sigcont() {
	fng --policy "$(policy "$ALLOW_ALL")" -- "$PY" -c '
import os, signal
pid = os.fork()
if pid == 0:
    os.kill(os.getpid(), signal.SIGSTOP)
    os._exit(7)
_, st = os.waitpid(pid, os.WUNTRACED)
print("stopped", os.WIFSTOPPED(st), os.WSTOPSIG(st))
os.kill(pid, signal.SIGCONT)
_, st = os.waitpid(pid, 0)
print("exited", os.WEXITSTATUS(st))
'
	assert_rc 0
	assert_out "stopped True 19"
	assert_out "exited 7"
}

# A signal sent between traced processes arrives (signal-delivery-stop re-injection).
t_tree_signal_between_tracees() {
	fng --policy "$(policy "$ALLOW_ALL")" -- "$PY" -c '
import os, signal, time
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    signal.signal(signal.SIGUSR2, lambda s, f: os._exit(42))
    os.write(w, b"x")
    time.sleep(30)
    os._exit(1)
os.read(r, 1)
os.kill(pid, signal.SIGUSR2)
_, st = os.waitpid(pid, 0)
print("child", os.WEXITSTATUS(st))
'
	assert_rc 0
	assert_out "child 42"
}
