# Issue 21: fnguard's own descriptors and memory running out, descriptors
# handed in by whoever starts fnguard, and the real Runtime API reached
# through another local address.

# real_api_alias under a proxy whose upstream is 127.0.0.1:PORT, in a network
# namespace of the test's own with an interface address besides loopback
# (198.18.0.9, 2001:db8:89::9 on lo; 2001:db8:8a::9, tentative, on a veth).
# outbound_connectivity allows all: the
# real API is off limits whatever the policy says.
t_adv_real_api_alias() {
	local port
	port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	set +e
	# 2001:db8:8a::9 on a veth whose duplicate address detection lasts 20 s:
	# tentative while the program runs (bind refuses it). A connect to it
	# sends its SYN out of the veth (the neighbour entry spares the failed
	# lookup) and again after the detection ends: then it reaches the listener.
	FNG_REAL_API=127.0.0.1:$port AWS_LAMBDA_RUNTIME_API=127.0.0.1:$port FNG_TENTATIVE_ADDR=2001:db8:8a::9 \
		unshare -n sh -c 'ip link set lo up && ip addr add 198.18.0.9/32 dev lo && ip addr add 2001:db8:89::9/128 dev lo &&
		 ip link add fngt0 type veth peer name fngt1 address 02:00:00:00:8a:09 &&
		 echo 20 >/proc/sys/net/ipv6/conf/fngt0/dad_transmits && ip link set fngt0 up && ip link set fngt1 up &&
		 ip addr add 2001:db8:8a::9/64 dev fngt0 &&
		 ip -6 neigh add 2001:db8:8a::9 lladdr 02:00:00:00:8a:09 dev fngt0 nud permanent &&
		 exec "$@"' sh "$FNGUARD" run --log "file:$EV" --policy "$(policy "$ALLOW_ALL")" \
		-- "$BUILD/test/adversarial/real_api_alias" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	cat "$WORK/out"
	grep -q BYPASSED "$WORK/out" && fail "real_api_alias: a connect reached the real Runtime API"
	assert_rc 0
	grep -q '^vector tentative_v6: defended' "$WORK/out" || fail "tentative_v6 did not run"
	[ "$(grep -c '^vector .*: defended' "$WORK/out")" -ge 18 ] || fail "expected 18 vectors defended"
	# one event per alias refused at connect (the race adds more)
	[ "$(ev_count policy=outbound_connectivity action=blocked details.port="$port")" -ge 17 ] ||
		fail "expected the refused connects to be reported"
	assert_events_valid
}

# Descriptors the invoking shell opened (3<secret 4<temp root 5<>victim) are
# closed before the runtime starts: nothing read, listed or changed.
t_adv_inherited_fds() {
	adv_setup
	fng -- "$BUILD/test/adversarial/inherited_fds" 3<"$FNG_SECRET" 4<"$TMPD" 5<>"$FNG_VICTIM"
	cat "$WORK/out"
	grep -q 'BYPASSED\|ERROR' "$WORK/out" && fail "inherited_fds: a descriptor was used"
	assert_rc 0
	adv_tmp_untouched
}

# fnguard started the way sd_listen_fds(3) expects (LISTEN_PID is fnguard's
# pid): the wrapper execs fnguard with LISTEN_PID set to its own pid.
LISTEN_WRAP='import os, socket, sys
n = int(sys.argv[1])
if sys.argv[2] == "socket":
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    if s.fileno() != 3:
        os.dup2(s.fileno(), 3)
    os.set_inheritable(3, True)
os.environ["LISTEN_PID"] = str(os.getpid())
os.environ["LISTEN_FDS"] = str(n)
os.execv(sys.argv[3], sys.argv[3:])'

# Socket activation keeps working: the socket is the runtime's fd 3, and
# LISTEN_PID names the runtime; a descriptor past LISTEN_FDS is closed.
t_fds_listen_socket_kept() {
	local check='import os, stat, sys
print("sock", stat.S_ISSOCK(os.fstat(3).st_mode), os.environ.get("LISTEN_PID") == str(os.getpid()), os.environ.get("LISTEN_FDS"))
try:
    os.fstat(4)
    print("fd4 open")
except OSError:
    print("fd4 closed")'
	set +e
	$PY -c "$LISTEN_WRAP" 1 socket "$FNGUARD" run --log "file:$EV" -- "$PY" -c "$check" >"$WORK/out" 2>"$WORK/err" 4</dev/null
	RC=$?
	set -e
	assert_rc 0
	assert_out "sock True True 1"
	assert_out "fd4 closed"
}

# A LISTEN_FDS descriptor that is a file in the temp root: fnguard refuses to
# start (status 2, one line), the runtime never runs.
t_fds_listen_file_in_tmp_refused() {
	printf 'FNGUARD-SECRET\n' >"$TMPD/secret"
	set +e
	$PY -c "$LISTEN_WRAP" 1 file "$FNGUARD" run --log "file:$EV" -- /bin/sh -c 'echo ran; cat <&3' \
		>"$WORK/out" 2>"$WORK/err" 3<"$TMPD/secret"
	RC=$?
	set -e
	assert_rc 2
	assert_err "descriptor 3 (LISTEN_FDS) is $TMPD/secret, in the temp root"
	grep -q 'ran\|FNGUARD-SECRET' "$WORK/out" && fail "the runtime ran"
	[ "$(wc -l <"$WORK/err")" = 1 ] || fail "expected one line on stderr"
}

# In a network namespace of the test's own: lo up, 10.89.2.1 on it (the
# blocked host), a listener there that writes what arrives to $WORK/arrivals,
# and the real Runtime API's stand-in on 127.0.0.1:9500 (a listener that never
# answers: the proxy's upstream connections wait in its backlog). Then CMD.
EXHAUST_NET='import socket, sys
up = socket.socket(); up.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
up.bind(("127.0.0.1", 9500)); up.listen(4096)
b = socket.socket(); b.bind(("10.89.2.1", 5499)); b.listen(64); b.settimeout(60)
open(sys.argv[1] + ".up", "w").close()
try:
    c, a = b.accept()
    open(sys.argv[1], "a").write("arrived %s\n" % (a,))
except OSError:
    pass'

exhaust_netns() { # CMD...: the runtime's results in $WORK/out, RC
	set +e
	unshare -n sh -c '
		ip link set lo up && ip addr add 10.89.2.1/32 dev lo || exit 99
		"$0" -c "$1" "$2" & l=$!
		while [ ! -e "$2.up" ]; do sleep 0.02; done
		shift 2; "$@"; rc=$?
		kill $l; exit $rc' "$PY" "$EXHAUST_NET" "$WORK/arrivals" "$@" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	cat "$WORK/out"
}

EXHAUST_POLICY='{"outbound_connectivity":"block","read_write_tmp":"block","create_child_process":"block","read_handler":"allow"}'

# Lambda's `ulimit -n 1024`: fd_exhaust holds 600 connections to the proxy
# (1200 of fnguard's descriptors). Every one is still let through (the
# tracer keeps a table of its own), the blocked host and the temp root are
# refused by the policy's own reason, and nothing arrives. On main the
# tracer ran out: the 517th to 550th proxy connection was refused "could not
# examine the socket (EMFILE)".
t_adv_fd_exhaust() {
	local port
	adv_setup
	port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	set +e
	FNG_REAL_API=127.0.0.1:$port AWS_LAMBDA_RUNTIME_API=127.0.0.1:$port unshare -n sh -c \
		'ip link set lo up && ip addr add 10.89.2.1/32 dev lo && ulimit -n 1024 && exec "$@"' sh \
		"$FNGUARD" run --policy "$(policy "$EXHAUST_POLICY")" --log "file:$EV" \
		-- "$BUILD/test/adversarial/fd_exhaust" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	cat "$WORK/out"
	grep -q 'BYPASSED\|ERROR' "$WORK/out" && fail "fd_exhaust: $RC vector(s) got through or fnguard ran out"
	assert_rc 0
	expect_events 1 policy=outbound_connectivity action=blocked details.ip=10.89.2.1
	expect_events 1 policy=read_write_tmp action=blocked
	grep -q 'could not examine' "$EV" && fail "the tracer ran out of descriptors"
	assert_events_valid
	adv_tmp_untouched
}

# starved_run LIMIT MODE: fd_exhaust.py MODE under fnguard; once it is ready,
# the running supervisor's LIMIT is lowered (nofile: under every descriptor
# number it holds; as: its address space capped at what it uses).
starved_run() {
	local pol
	pol=$(policy "$EXHAUST_POLICY")
	export GO=$WORK/go LIMIT=$1
	# shellcheck disable=SC2016
	exhaust_netns sh -c '
		"$@" & f=$!
		while [ ! -e "$GO.ready" ]; do sleep 0.02; done
		vm=$(awk "/^VmSize:/ { print \$2 * 1024 }" /proc/$f/status)
		if [ "$LIMIT" = as ]; then prlimit --pid "$f" --as="$vm:$vm"; else prlimit --pid "$f" --nofile=3:3; fi || exit 98
		touch "$GO"; wait $f' sh \
		"$FNGUARD" run --policy "$pol" --log "file:$EV" -- "$PY" "$ROOT/test/progs/fd_exhaust.py" "$2" "$TMPD" "$GO"
	assert_rc 0
	assert_out "blocked_connect errno 13"
	assert_out "tmp_create errno 13"
	[ ! -s "$WORK/arrivals" ] || fail "reached the blocked host: $(cat "$WORK/arrivals")"
	assert_absent "$TMPD/created"
	assert_events_valid
}

# fnguard itself starved of descriptors: neither thread can get one. The
# connect to the blocked host is refused because its socket cannot be
# examined, and said so; the temp root stays shut; nothing arrives.
t_fds_supervisor_starved() {
	starved_run nofile wait
	grep -q '"reason":"fnguard could not examine the socket (EMFILE): refused"' "$EV" ||
		fail "no event saying the socket could not be examined"
	expect_events 1 policy=read_write_tmp action=blocked
}

# fnguard under a memory limit, then a 1 MiB datagram to loopback (allowed:
# fnguard sends it itself, after reading it into a buffer of its own).
# Refused and said why; the other refusals hold too. On main it failed with
# ENOMEM and no event.
t_fds_supervisor_memory_capped() {
	if [ -n "${SANITIZE:-}" ]; then
		echo "skipped: AddressSanitizer's own allocator cannot work under an address-space cap"
		return 0
	fi
	starved_run as mem
	assert_out "big_sendto errno 13"
	grep -q '"reason":"fnguard could not examine the payload (ENOMEM): refused"' "$EV" ||
		fail "no event saying the payload could not be examined"
}

# LISTEN_FDS naming a descriptor that is not open: fnguard's own would take
# that number and reach the runtime in its place. Refused at start.
t_fds_listen_missing_refused() {
	set +e
	$PY -c "$LISTEN_WRAP" 2 file "$FNGUARD" run --log "file:$EV" -- /bin/sh -c 'echo ran' \
		>"$WORK/out" 2>"$WORK/err" 3</dev/null 4<&-
	RC=$?
	set -e
	assert_rc 2
	assert_err "LISTEN_FDS=2 names descriptor 4, which is not open"
	grep -q ran "$WORK/out" && fail "the runtime ran"
	true
}
