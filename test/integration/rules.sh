# The four FunctionShield rules, each in block / alert / allow mode, tried by
# a Python and a Node program. Each case asserts the call's result, the side
# effect on disk or on the wire, and exactly the events expected.

# What each language does to try a rule; prints OK or DENIED <errno>.
py_try() { # rule target
	case $1 in
	read_write_tmp) echo "
import sys
try:
    open(sys.argv[1], 'w').write('x'); print('OK')
except OSError as e:
    print('DENIED', e.errno)" ;;
	create_child_process) echo "
import subprocess, sys
try:
    subprocess.run(['/usr/bin/touch', sys.argv[1]], check=True); print('OK')
except OSError as e:
    print('DENIED', e.errno)" ;;
	outbound_connectivity) echo "
import socket, sys
s = socket.socket()
try:
    s.connect(('192.0.2.1', int(sys.argv[1]))); print('OK')
except OSError as e:
    print('DENIED', e.errno)" ;;
	esac
}

node_try() { # rule
	case $1 in
	read_write_tmp) echo "
const fs = require('fs');
try { fs.writeFileSync(process.argv[1], 'x'); console.log('OK'); }
catch (e) { console.log('DENIED', e.code); }" ;;
	create_child_process) echo "
const cp = require('child_process');
try { cp.execFileSync('/usr/bin/touch', [process.argv[1]]); console.log('OK'); }
catch (e) { console.log('DENIED', e.code); }" ;;
	outbound_connectivity) echo "
const net = require('net');
const s = net.connect(Number(process.argv[1]), '192.0.2.1');
s.on('connect', () => { console.log('OK'); s.destroy(); });
s.on('error', (e) => console.log('DENIED', e.code));" ;;
	esac
}

# rule_case RULE MODE LANG: run the attempt and check everything.
rule_case() {
	local rule=$1 mode=$2 lang=$3 target code p denied
	p=$(policy "{\"$rule\": \"$mode\"}")
	case $lang in
	py) code=$(py_try "$rule") ;;
	node) code=$(node_try "$rule") ;;
	esac
	case $rule in
	read_write_tmp) target=$TMPD/written ;;
	create_child_process) target=$WORK/child-ran ;;
	outbound_connectivity) target=4242 ;;
	esac
	local runner=()
	[ "$rule" = outbound_connectivity ] && runner=("$ROOT/test/lib/netns.sh" tcp "$target" --)
	local cmd=()
	case $lang in
	py) cmd=("$PY" -c "$code" "$target") ;;
	node) cmd=("$NODE" -e "$code" "$target") ;;
	esac
	set +e
	unshare_wrap "${runner[@]}" "$FNGUARD" run --policy "$p" --log "file:$EV" -- "${cmd[@]}" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 0
	assert_events_valid
	if [ "$mode" = block ]; then
		assert_out "DENIED"
		case $lang in py) assert_out "DENIED 13" ;; node) assert_out "DENIED EACCES" ;; esac
		expect_events 1 policy="$rule" mode=block action=blocked
	else
		assert_out "^OK"
		if [ "$mode" = alert ]; then
			expect_events 1 policy="$rule" mode=alert action=alerted
		fi
	fi
	[ "$mode" = allow ] && expect_events 0 policy=*
	# Exactly one policy event in total for block and alert.
	[ "$mode" != allow ] && expect_events 1 policy=*
	case $rule in
	read_write_tmp)
		if [ "$mode" = block ]; then assert_absent "$target"; else assert_exists "$target"; fi
		[ "$mode" = allow ] || expect_events 1 policy="$rule" details.path="$target" syscall=openat ;;
	create_child_process)
		if [ "$mode" = block ]; then assert_absent "$target"; else assert_exists "$target"; fi
		[ "$mode" = allow ] || expect_events 1 policy="$rule" details.program=/usr/bin/touch details.argv=* ;;
	outbound_connectivity)
		if [ "$mode" = block ]; then assert_out "received 0"; else assert_out "received 1"; fi
		[ "$mode" = allow ] || expect_events 1 policy="$rule" details.host=192.0.2.1 details.port="$target" syscall=connect ;;
	esac
	expect_events 1 event_type=lifecycle details.phase=exit
}

# unshare_wrap [netns.sh ARGS -- ] CMD: network cases run in their own namespace.
unshare_wrap() {
	if [ "$1" = "$ROOT/test/lib/netns.sh" ]; then
		unshare -n -- "$@"
	else
		"$@"
	fi
}

for rule in read_write_tmp create_child_process outbound_connectivity; do
	for mode in block alert allow; do
		for lang in py node; do
			eval "t_rule_${rule}_${mode}_${lang}() { rule_case $rule $mode $lang; }"
		done
	done
done

# A root runtime writing the kernel's settings makes the kernel start
# programs fnguard does not trace (outside attack session: a core_pattern
# pipe helper ran a program that read the temp root). Opening them for
# writing is refused, reported; reading works. The test writes back the
# value that is there (natively a no-op).
t_rules_root_kernel_settings() {
	[ "$(id -u)" = 0 ] || { echo "skipped: needs root"; return 0; }
	local code='import os
v = open("/proc/sys/kernel/core_pattern").read()
print("read ok")
for p in ("/proc/sys/kernel/core_pattern", "/sys/kernel/uevent_helper"):
    try:
        fd = os.open(p, os.O_WRONLY)
        if p.endswith("core_pattern"): os.write(fd, v.encode())
        os.close(fd); print("opened", p)
    except OSError as e:
        print("refused", p, e.errno)'
	"$PY" -c "$code" | grep -q '^opened /proc/sys/kernel/core_pattern$' || fail "natively not writable: the test cannot tell"
	fng -- "$PY" -c "$code"
	assert_rc 0
	assert_out '^read ok$'
	assert_out '^refused /proc/sys/kernel/core_pattern 13$'
	if [ -e /sys/kernel/uevent_helper ]; then assert_out '^refused /sys/kernel/uevent_helper 13$'; fi
	[ "$(ev_count action=blocked details.reason="writing the kernel's settings (/proc/sys, /sys, ...): the kernel would start programs fnguard does not trace")" -ge 1 ] ||
		fail "the refusal was not reported"
}

# userfaultfd lets a thread of the function serve the pages fnguard reads a
# call's arguments from: it could answer fnguard's read and the kernel's
# differently, or, while the others are held, never (third outside attack
# session: the tracer hung in handle_userfault, SIGTERM unanswered). The
# syscall and /dev/userfaultfd's USERFAULTFD_IOC_NEW are refused, reported.
t_rules_userfaultfd_refused() {
	local code='import ctypes, fcntl, os
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.syscall({"x86_64": 323, "aarch64": 282}[os.uname().machine], os.O_CLOEXEC)
print("syscall", "ok" if fd >= 0 else ctypes.get_errno())
try:
    d = os.open("/dev/userfaultfd", os.O_RDWR | os.O_CLOEXEC)
    try:
        fcntl.ioctl(d, 0xaa00, os.O_CLOEXEC); print("ioctl ok")
    except OSError as e:
        print("ioctl", e.errno)
except OSError as e:
    print("device", e.errno)'
	"$PY" -c "$code" >"$WORK/native"
	# ENOSYS (38 on both): a kernel built without userfaultfd; anything else
	# natively is the test's or the machine's problem.
	if grep -q '^syscall 38$' "$WORK/native"; then skip "natively no userfaultfd (ENOSYS): the kernel lacks it, the test cannot tell"; fi
	grep -q '^syscall ok$' "$WORK/native" || fail "natively no userfaultfd: the test cannot tell ($(cat "$WORK/native"))"
	fng -- "$PY" -c "$code"
	assert_rc 0
	assert_out '^syscall 1$'
	if [ -e /dev/userfaultfd ]; then assert_out '^ioctl 1$'; fi
	[ "$(ev_count syscall=userfaultfd action=blocked)" -ge 1 ] || fail "the refusal was not reported"
}
