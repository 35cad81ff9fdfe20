# attack5 (outside pentest of fnguard 0.1.0): memory the kernel makes
# executable at exec, forged source addresses, kernel programs that change
# calls after the check, and input pushed into the operator's terminal.
# Each bypass class has a program in test/adversarial/ (adv_case, from
# adversarial.sh); validate-native.sh shows each gets through natively.

# adv_case (adversarial.sh) with a policy of the test's: program min-events policy-json
a5_case() {
	adv_setup
	fng --policy "$(policy "$3")" -- "$BUILD/test/adversarial/$1"
	if grep -q BYPASSED "$WORK/out" || grep -q ERROR "$WORK/out" || [ "$RC" -ne 0 ]; then
		cat "$WORK/out"
		fail "$1: $RC vector(s) got through"
	fi
	assert_events_valid
	[ "$(ev_count action=*)" -ge "$2" ] || fail "$1: expected the attempts to be reported"
	adv_tmp_untouched
}

XM_WX='details.reason=executable_memory: the new program has memory both writable and executable (a PT_LOAD with PF_W|PF_X, or an executable stack)'
XM_POLICY='{"policy":{"outbound_connectivity":"block","read_write_tmp":"block","create_child_process":"allow","read_handler":"block"},"executable_memory":"block"}'

t_attack5_exec_mapped_code() {
	a5_case exec_mapped_code 2 "$XM_POLICY"
	expect_events 2 action=killed syscall=execve "$XM_WX"
}

# The runtime's own first exec is checked too: fnguard execs it unseen otherwise.
t_attack5_exec_mapped_code_first_exec() {
	local p
	p=$(policy '{"executable_memory":"block"}')
	for v in xstack rwx; do
		fng --policy "$p" -- "$BUILD/test/adversarial/exec_mapped_code.$v"
		assert_rc 137
		expect_events 1 action=killed syscall=execve "$XM_WX"
		: >"$EV"
	done
}

# executable_memory "allow" (the default) changes nothing: the payload runs.
t_attack5_exec_mapped_code_allow() {
	fng --policy "$(policy "$ALLOW_ALL")" -- "$BUILD/test/adversarial/exec_mapped_code.xstack"
	assert_rc 42
}

t_attack5_source_forge() { adv_case source_forge 4; }

# Only while destinations are judged: with outbound allowed the options work.
t_attack5_source_forge_outbound_allow() {
	fng --policy "$(policy "$ALLOW_ALL")" -- "$BUILD/test/adversarial/source_forge"
	assert_rc 4
}

t_attack5_kernel_code() { adv_case kernel_code 2; }

# bpf is refused whenever a rule is on, alert included; not when all allow.
t_attack5_kernel_code_alert() {
	a5_case kernel_code 2 '{"policy":{"outbound_connectivity":"alert","read_write_tmp":"allow","create_child_process":"allow","read_handler":"allow"}}'
	expect_events 2 syscall=bpf action=blocked
}

t_attack5_kernel_code_all_allow() {
	fng --policy "$(policy "$ALLOW_ALL")" -- "$BUILD/test/adversarial/kernel_code"
	[ "$RC" -ge 2 ] || { cat "$WORK/out"; fail "bpf refused although every rule is allow"; }
}

t_attack5_tty_inject() {
	a5_case tty_inject 2 "$ALLOW_ALL"
}

# The attack as reported: an interactive shell on a terminal runs fnguard,
# whose function pushes a command line into that terminal with TIOCSTI; the
# shell would run it after fnguard exits. Natively (the control) it runs.
a5_tty_harness() { # marker cmd...: run "cmd" in bash -i on a pty, then an exit
	$PY - "$@" <<'PYEOF'
import os, pty, select, sys, time
marker, line = sys.argv[1], " ".join(sys.argv[2:]).encode() + b"\n"
pid, fd = pty.fork()
if pid == 0:
    os.execvp("bash", ["bash", "--norc", "--noprofile", "-i"])
out, t0, sent = b"", time.time(), False
while time.time() - t0 < 20:
    r, _, _ = select.select([fd], [], [], 0.2)
    if r:
        try:
            out += os.read(fd, 65536)
        except OSError:
            break
    if not sent and time.time() - t0 > 0.5:
        os.write(fd, line)
        sent = True
    if sent and b"A5-DONE" in out.split(b"\n", 1)[-1]:
        time.sleep(1.0)   # the shell reads what was pushed after the command
        break
os.write(fd, b"exit\n")
time.sleep(0.3)
os.kill(pid, 9)
os.waitpid(pid, 0)
PYEOF
}

t_attack5_tty_inject_shell() {
	[ "$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 1)" = 1 ] || { echo "skip: legacy_tiocsti=0"; return 0; }
	local inj=$WORK/inject.py
	cat >"$inj" <<PYEOF
import fcntl, termios
for ch in b"touch $WORK/injected\n":
    try:
        fcntl.ioctl(0, termios.TIOCSTI, bytes([ch]))
    except OSError as e:
        print("refused:", e); break
print("A5-DONE")
PYEOF
	a5_tty_harness "$WORK/injected" "$PY $inj" >/dev/null
	[ -e "$WORK/injected" ] || fail "control: the injected command did not run natively (harness broken)"
	rm -f "$WORK/injected"
	a5_tty_harness "$WORK/injected" "$FNGUARD run --log file:$EV --policy $(policy "$ALLOW_ALL") -- $PY $inj" >/dev/null
	assert_absent "$WORK/injected"
	expect_events 1 syscall=ioctl action=blocked
}

# Block with exceptions judges sources and raw sockets the same (F2's checks).
t_attack5_block_with_exceptions() {
	local p
	p=$(policy '{"policy":{"outbound_connectivity":{"action":"block","exceptions":["10.89.0.54","api.example.com"]}}}')
	adv_setup
	for prog in source_forge raw_socket; do
		fng_netns --policy "$p" -- "$BUILD/test/adversarial/$prog"
		if grep -q -e BYPASSED -e ERROR "$WORK/out" || [ "$RC" -ne 0 ]; then
			cat "$WORK/out"
			fail "$prog: $RC vector(s) got through under block with exceptions"
		fi
	done
}
