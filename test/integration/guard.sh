# The supervisor protects itself, and says so in the events.

t_guard_supervisor_proc_and_signals() {
	fng -- "$PY" -c '
import os, signal
sup = os.getppid()
for f in ("environ", "maps", "mem"):
    try:
        open(f"/proc/{sup}/{f}", "rb").read(1); print("READ", f)
    except OSError as e:
        print("DENIED", e.errno, f)
for sig in (signal.SIGSTOP, signal.SIGKILL):
    try:
        os.kill(sup, sig); print("SIGNALLED", sig)
    except OSError as e:
        print("DENIED", e.errno, int(sig))
print("still here")'
	assert_rc 0
	assert_out "DENIED 13 environ"
	assert_out "DENIED 13 maps"
	assert_out "DENIED 13 mem"
	assert_out "DENIED 1 19"
	assert_out "DENIED 1 9"
	assert_out "still here"
	expect_events 3 event_type=process action=blocked "details.reason=the supervisor's /proc entries are off limits"
	expect_events 2 event_type=process action=blocked syscall=kill "details.reason=signal aimed at the supervisor"
}

# io_uring is refused (libuv falls back); node still works and the refusal is
# reported once per program image, not at every probe.
t_guard_io_uring_reported_once_per_image() {
	fng --policy "$(policy "$ALLOW_ALL")" -- "$NODE" -e 'require("fs").readFileSync("/etc/hostname"); console.log("node ok")'
	assert_rc 0
	assert_out "node ok"
	local n
	n=$(ev_count syscall=io_uring_setup)
	[ "$n" -le 1 ] || fail "io_uring_setup reported $n times"
}
