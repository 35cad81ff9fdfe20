# outbound_connectivity beyond a plain TCP connect: UDP sendto/sendmsg,
# IPv4-mapped IPv6, exceptions, and the Runtime API address. Every case runs in
# a network namespace of its own (test/lib/netns.sh): 192.0.2.1 is an address
# on that namespace's lo, so nothing leaves it.

net_run_cmd() { # proto port policy-json -- CMD...
	local proto=$1 port=$2 p
	p=$(policy "$3")
	shift 4
	set +e
	unshare -n -- "$ROOT/test/lib/netns.sh" "$proto" "$port" -- "$FNGUARD" run --policy "$p" --log "file:$EV" -- "$@" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 0
}

net_run() { # proto port policy-json python-code
	net_run_cmd "$1" "$2" "$3" -- "$PY" -c "$4"
}

UDP_SENDTO='
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    s.sendto(b"x", ("192.0.2.1", 4243)); print("OK")
except OSError as e:
    print("DENIED", e.errno)'

t_net_udp_sendto_blocked() {
	net_run udp 4243 '{"outbound_connectivity": "block"}' "$UDP_SENDTO"
	assert_out "DENIED 13"
	assert_out "received 0"
	expect_events 1 policy=outbound_connectivity syscall=sendto details.host=192.0.2.1 details.port=4243
}

t_net_udp_sendmsg_blocked() {
	net_run udp 4244 '{"outbound_connectivity": "block"}' '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    s.sendmsg([b"x"], [], 0, ("192.0.2.1", 4244)); print("OK")
except OSError as e:
    print("DENIED", e.errno)'
	assert_out "DENIED 13"
	assert_out "received 0"
	expect_events 1 policy=outbound_connectivity syscall=sendmsg
}

# A connected UDP socket sends without an address: connect is where it is judged.
t_net_udp_connect_then_send_blocked() {
	net_run udp 4245 '{"outbound_connectivity": "block"}' '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    s.connect(("192.0.2.1", 4245)); s.send(b"x"); print("OK")
except OSError as e:
    print("DENIED", e.errno)'
	assert_out "DENIED 13"
	assert_out "received 0"
	expect_events 1 policy=outbound_connectivity syscall=connect
}

t_net_ipv4_mapped_ipv6_blocked() {
	net_run tcp 4246 '{"outbound_connectivity": "block"}' '
import socket
s = socket.socket(socket.AF_INET6)
try:
    s.connect(("::ffff:192.0.2.1", 4246)); print("OK")
except OSError as e:
    print("DENIED", e.errno)'
	assert_out "DENIED 13"
	assert_out "received 0"
	expect_events 1 policy=outbound_connectivity details.host=192.0.2.1
}

TCP_CONNECT='
import socket
s = socket.socket()
try:
    s.connect(("192.0.2.1", 4247)); print("OK")
except OSError as e:
    print("DENIED", e.errno)'

t_net_exception_cidr_allows() {
	net_run tcp 4247 '{"outbound_connectivity": {"action": "block", "exceptions": ["192.0.2.0/24"]}}' "$TCP_CONNECT"
	assert_out "^OK"
	assert_out "received 1"
	expect_events 0 policy=*
}

t_net_exception_port_mismatch_blocks() {
	net_run tcp 4247 '{"outbound_connectivity": {"action": "block", "exceptions": ["192.0.2.1:443"]}}' "$TCP_CONNECT"
	assert_out "DENIED 13"
	assert_out "received 0"
}

t_net_runtime_api_always_reachable() {
	export AWS_LAMBDA_RUNTIME_API=192.0.2.1:4247
	net_run tcp 4247 '{"outbound_connectivity": "block", "lambda": {"proxy": false}}' "$TCP_CONNECT"
	assert_out "^OK"
	assert_out "received 1"
	expect_events 0 policy=*
}

t_net_loopback_always_reachable() {
	net_run tcp 4248 '{"outbound_connectivity": "block"}' '
import socket
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
c = socket.socket(); c.connect(srv.getsockname()); print("OK")'
	assert_out "^OK"
	expect_events 0 policy=*
}

# A custom temp root replaces /tmp.
t_tmp_root_configurable() {
	mkdir -p "$WORK/scratch"
	fng --policy "$(policy "{\"read_write_tmp\": \"block\", \"tmp_root\": \"$WORK/scratch\"}")" -- "$PY" -c '
import sys
for p in sys.argv[1:]:
    try:
        open(p, "w").write("x"); print("OK", p)
    except OSError as e:
        print("DENIED", e.errno, p)' "$WORK/scratch/f" "$TMPD/f"
	assert_rc 0
	assert_out "DENIED 13 $WORK/scratch/f"
	assert_out "OK $TMPD/f"
	expect_events 1 policy=read_write_tmp details.path="$WORK/scratch/f"
}

# An all-allow policy traces nothing but bookkeeping.
t_allow_all_traces_nothing() {
	fng --policy "$(policy "$ALLOW_ALL")" -- "$PY" -c 'import json, os; open("/tmp/x-allowed-" + str(os.getpid()), "w"); os.unlink("/tmp/x-allowed-" + str(os.getpid()))'
	assert_rc 0
	expect_events 1 event_type=lifecycle details.phase=exit details.counters.traced_calls=0
}

# "loopback": "judge" takes loopback's exemption away; an exception brings one port back.
t_net_loopback_judged_when_asked() {
	net_run tcp 4249 '{"outbound_connectivity": {"action": "block", "loopback": "judge", "exceptions": ["127.0.0.1:4250"]}}' '
import socket
for port in (4250, 4251):
    srv = socket.socket(); srv.bind(("127.0.0.1", port)); srv.listen(1)
    c = socket.socket()
    try:
        c.connect(("127.0.0.1", port)); print("OK", port)
    except OSError as e:
        print("DENIED", e.errno, port)'
	assert_out "^OK 4250"
	assert_out "^DENIED 13 4251"
	expect_events 1 policy=outbound_connectivity details.ip=127.0.0.1 details.port=4251 details.protocol=tcp
}

# Datagrams to an allowed address are sent by fnguard itself (the checked
# address is the one used): every one arrives, whole, with the right result.
t_net_datagrams_sent_on_behalf_arrive() {
	net_run_cmd udp 4252 '{"outbound_connectivity": {"action": "block", "exceptions": ["192.0.2.1"]}}' -- "$NODE" -e '
const s = require("dgram").createSocket("udp4"); let n = 0;
for (let i = 0; i < 5; i++) s.send("hello" + i, 4252, "192.0.2.1", (e) => { if (e) console.log("ERR", e.code); if (++n == 5) { console.log("sent", n); s.close(); } });'
	assert_out "^sent 5"
	assert_out "received 5"
	net_run udp 4253 '{"outbound_connectivity": {"action": "block", "exceptions": ["192.0.2.1:4253"]}}' '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
print("sendmsg", s.sendmsg([b"ab", b"cde"], [], 0, ("192.0.2.1", 4253)))
print("sendto", s.sendto(b"xyz", ("192.0.2.1", 4253)))'
	assert_out "^sendmsg 5"
	assert_out "^sendto 3"
	assert_out "received 2"
	expect_events 0 policy=*
}

# bind(AF_UNIX) with a 108-byte sun_path and no NUL (issue 20, class 4): the
# kernel uses all 108 bytes. The path ends in L/..F, L a symlink to the temp
# root: a decoder that drops the last byte judges L/.., outside the root,
# while the kernel creates ..F inside it.
t_net_unix_bind_full_length_path() {
	local pol base pad path
	pol=$(policy "{\"read_write_tmp\":\"block\",\"tmp_root\":\"$TMPD\"}")
	base="$WORK/p/"
	pad=$(printf '%*s' $((108 - ${#base} - 6)) '' | tr ' ' d)
	mkdir -p "$base$pad"
	ln -s "$TMPD" "$base$pad/L"
	path="$base$pad/L/..F"
	[ ${#path} = 108 ] || fail "path of ${#path} bytes"
	# Python refuses a 108-byte path itself: libc's bind, through ctypes
	fng --policy "$pol" -- "$PY" -c '
import ctypes, socket, sys
libc = ctypes.CDLL(None, use_errno=True)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
path = sys.argv[1].encode()
addr = (ctypes.c_ubyte * 110)(socket.AF_UNIX, 0, *path)
if libc.bind(s.fileno(), addr, 110) == 0:
    print("bound")
else:
    print("refused", ctypes.get_errno())' "$path"
	assert_rc 0
	assert_out "^refused 13"
	[ ! -e "$TMPD/..F" ] || fail "the socket file was created in the temp root"
	expect_events 1 action=blocked policy=read_write_tmp syscall=bind "details.path=$TMPD/..F"
}

# Inbound connections are judged (issue 20, class 6): a function that
# listens on every address accepts a peer at a test address (not allowed:
# torn down, the accept fails with ECONNABORTED, one event) and a loopback
# peer (exempt: served). Both peers are the test's, in a network namespace
# of its own.
t_net_inbound_peer_judged() {
	cat >"$WORK/srv.py" <<'PY'
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 7777)); s.listen(8)
open(sys.argv[1], "w").close()
for _ in range(2):
    try:
        c, peer = s.accept()
        c.sendall(b"pong"); print("accepted", peer[0], flush=True); c.close()
    except OSError as e:
        print("accept", e.errno, flush=True)
PY
	cat >"$WORK/inbound.sh" <<'SH'
set -e
ip link set lo up
ip addr add 198.18.0.1/32 dev lo
ip addr add 198.18.0.2/32 dev lo
"$FNGUARD" run --log "file:$EV" -- "$PY" "$WORK/srv.py" "$WORK/ready" >"$WORK/out" 2>"$WORK/err" &
for _ in $(seq 500); do [ -e "$WORK/ready" ] && break; sleep 0.01; done
"$PY" -c '
import socket
for src, dst in (("198.18.0.2", "198.18.0.1"), ("127.0.0.1", "127.0.0.1")):
    c = socket.socket(); c.bind((src, 0)); c.settimeout(10); c.connect((dst, 7777))
    try:
        print(src, "got", c.recv(10).decode() or "nothing")
    except OSError as e:
        print(src, "got nothing:", e)' >"$WORK/clients"
wait
SH
	FNGUARD=$FNGUARD EV=$EV PY=$PY WORK=$WORK unshare -n bash "$WORK/inbound.sh" || fail "the namespace run failed"
	grep -q '^198.18.0.2 got nothing' "$WORK/clients" || fail "the test host was served: $(cat "$WORK/clients")"
	grep -q '^127.0.0.1 got pong' "$WORK/clients" || fail "the loopback peer was not served: $(cat "$WORK/clients")"
	assert_out "^accept 103"
	assert_out "^accepted 127.0.0.1"
	expect_events 1 action=blocked policy=outbound_connectivity details.ip=198.18.0.2 details.error=ECONNABORTED
}

# An interface of the socket's own sends a packet addressed to loopback out
# of that interface (issue 20, class 2, found by the outside attack): the
# options are refused, and so is IP_PKTINFO naming an interface, with an
# event each; a plain datagram to loopback still goes.
t_net_interface_binding_refused() {
	fng -- "$PY" -c '
import socket, struct
def attempt(name, f):
    try:
        f(); print(name, "ok")
    except OSError as e:
        print(name, e.errno)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
attempt("bindtodevice", lambda: s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"lo"))
attempt("unicast_if", lambda: s.setsockopt(socket.IPPROTO_IP, 50, struct.pack("!I", 1)))
pktinfo = struct.pack("=I4s4s", 1, bytes(4), bytes(4))
attempt("pktinfo", lambda: s.sendmsg([b"x"], [(socket.IPPROTO_IP, 8, pktinfo)], 0, ("127.0.0.1", 9)))  # IP_PKTINFO
attempt("plain", lambda: s.sendto(b"x", ("127.0.0.1", 9)))'
	assert_rc 0
	assert_out "^bindtodevice 1$"
	assert_out "^unicast_if 1$"
	assert_out "^pktinfo 1$"
	assert_out "^plain ok$"
	expect_events 2 action=blocked syscall=setsockopt
	expect_events 1 action=blocked syscall=sendmsg policy=outbound_connectivity
}

# Address families outbound_connectivity cannot judge (AF_VSOCK reaches the
# hypervisor's host; the outside attack session found it open), and IP
# protocols whose kernel connects elsewhere on its own (MPTCP joins a
# subflow to any address the peer announces: the second session) are
# refused while destinations are judged, with an event; IP and local ones
# are not.
t_net_other_families_refused() {
	local code='import socket
for fam, name in ((socket.AF_VSOCK, "vsock"), (socket.AF_INET6, "inet6"), (socket.AF_UNIX, "unix"), (socket.AF_NETLINK, "netlink")):
    try:
        socket.socket(fam, socket.SOCK_DGRAM if fam == socket.AF_NETLINK else socket.SOCK_STREAM).close(); print(name, "ok")
    except OSError as e:
        print(name, e.errno)
try:
    socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262).close(); print("mptcp ok")
except OSError as e:
    print("mptcp", e.errno)'
	[ "$("$PY" -c "$code" | head -1)" = "vsock ok" ] || fail "natively no vsock socket: the test cannot tell"
	"$PY" -c "$code" | grep -q '^mptcp ok$' || fail "natively no MPTCP socket: the test cannot tell"
	fng -- "$PY" -c "$code"
	assert_rc 0
	assert_out '^vsock 97$'
	assert_out '^inet6 ok$'
	assert_out '^unix ok$'
	assert_out '^netlink ok$'
	assert_out '^mptcp 93$'
	expect_events 1 syscall=socket action=blocked details.error=EAFNOSUPPORT
	expect_events 1 syscall=socket action=blocked details.error=EPROTONOSUPPORT
	fng --policy "$(policy "$ALLOW_ALL")" -- "$PY" -c "$code"
	assert_out '^vsock ok$'
}

# A root runtime changing routes sent a loopback-addressed packet out of
# the host (second outside attack session: 127.0.0.5 routed via another
# host, the loopback exemption then let it through). While destinations are
# judged the runtime has no CAP_NET_ADMIN: no route, address, packet filter
# or mark changes. Each run in a network namespace of the test's own.
t_net_root_no_net_admin() {
	[ "$(id -u)" = 0 ] || { echo "skipped: needs root"; return 0; }
	unshare -n sh -c 'ip link set lo up && ip route add 127.0.0.5/32 dev lo' || fail "natively the route cannot be added"
	set +e
	unshare -n "$FNGUARD" run --log "file:$EV" --policy "$(policy '{"create_child_process": "allow", "outbound_connectivity": "block"}')" -- \
		sh -c 'ip link set lo up; ip route add 127.0.0.5/32 dev lo' >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	[ "$RC" -ne 0 ] || fail "a route was added while destinations are judged"
	assert_err 'Operation not permitted'
	set +e
	unshare -n "$FNGUARD" run --log "file:$EV" --policy "$(policy "$ALLOW_ALL")" -- sh -c 'ip link set lo up && ip route add 127.0.0.5/32 dev lo' >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 0
}
