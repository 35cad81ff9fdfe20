# outbound_connectivity with host names (issue 3): real runtimes (Python,
# Node, a pure-Go binary, curl) resolve .test names through a real dnsmasq in
# a network namespace each test makes for itself (test/lib/dnsns.sh), and
# connect; exceptions name hosts ("allowed.test", "*.cdn.test"). The
# t_dns_native_* and t_dns_allow_all tests prove the harness: without fnguard,
# or with an all-allow policy, every host (blocked ones included) is reached,
# so each "0 arrivals" assertion below can fail.
#
# The adversarial programs (test/adversarial/net_send_paths, sendto_race,
# raw_socket) make a network namespace of their own.

# shellcheck source=test/lib/dnsns.sh
. "$ROOT/test/lib/dnsns.sh"

P_HOSTS='{"outbound_connectivity": {"action": "block", "exceptions": ["allowed.test", "*.cdn.test"]}}'
P_HOSTS_DNS='{"outbound_connectivity": {"action": "block", "exceptions": ["allowed.test", "*.cdn.test"], "log_dns": true}}'
ALLOWED_ADDRS=(10.89.1.1 10.89.1.2 10.89.1.3 fd89::1:1)
ALLOWED_A="10.89.1.1,10.89.1.2,10.89.1.3"

# expect_blocked N HOST IP PORT PROTO [key=value...]: N blocked-connection events for it.
expect_blocked() {
	local n=$1 host=$2 ip=$3 port=$4 proto=$5
	shift 5
	expect_events "$n" event_type=network policy=outbound_connectivity mode=block action=blocked \
		details.host="$host" details.ip="$ip" details.port="$port" details.protocol="$proto" "$@"
}

# expect_events_min N key=value...: at least N matching events.
expect_events_min() {
	local want=$1 got
	shift
	got=$(ev_count "$@")
	[ "$got" -ge "$want" ] || fail "expected at least $want event(s) matching [$*], got $got"
}

# expect_dns_event N NAME QTYPE ANSWER...: N dns events for NAME/QTYPE whose answers hold every ANSWER.
expect_dns_event() {
	local n=$1 name=$2 qtype=$3 a conds=()
	shift 3
	for a in "$@"; do conds+=("details.answers[]=$a"); done
	expect_events "$n" event_type=dns details.name="$name" details.qtype="$qtype" "${conds[@]}"
}

sort_out() {
	sort "$WORK/out" >"$WORK/out.sorted" && mv "$WORK/out.sorted" "$WORK/out"
}

# ---------------------------------------------------------------- the harness itself

t_dns_native_python() {
	dns_setup
	dns_native -- "$PY" "$DNSCLIENT_PY" tcp allowed.test a.cdn.test b.cdn.test blocked.test 10.89.2.1 xcdn.test cdn.test aws.attacker.test loop.test
	assert_rc 0
	assert_stdout "OK allowed.test" "OK a.cdn.test" "OK b.cdn.test" "OK blocked.test" "OK 10.89.2.1" "OK xcdn.test" \
		"OK cdn.test" "OK aws.attacker.test" "OK loop.test"
	dns_native -- "$PY" "$DNSCLIENT_PY" each allowed.test
	sort_out
	assert_stdout "OK allowed.test 10.89.1.1" "OK allowed.test 10.89.1.2" "OK allowed.test 10.89.1.3"
	dns_native -- "$PY" "$DNSCLIENT_PY" http allowed.test blocked.test
	assert_stdout "OK allowed.test" "OK blocked.test"
	dns_native -- "$PY" "$DNSCLIENT_PY" udp blocked.test "[fd89::1:1]:5300"
	assert_stdout "OK blocked.test" "OK [fd89::1:1]:5300"
	dns_native -- "$PY" "$DNSCLIENT_PY" query "$DNS_UNLISTED" allowed.test
	assert_stdout "OK allowed.test $ALLOWED_A"
	dns_collect
	expect_received 5 tcp "${ALLOWED_ADDRS[@]}" # tcp, http (first address: glibc's choice) and each
	local a
	for a in 10.89.1.1 10.89.1.2 10.89.1.3; do
		[ "$(dns_received tcp "$a")" -ge 1 ] || fail "nothing reached $a"
	done
	expect_received 3 tcp 10.89.2.1
	expect_received 1 udp 10.89.2.1
	expect_received 1 udp fd89::1:1
	expect_received 1 tcp 10.89.3.3
	expect_received 1 tcp 10.89.4.1
	expect_received 1 tcp 127.0.0.1
	assert_eq "$(dns_queries "$DNS_DIR/dnsmasq2.log" allowed.test)" 1 "queries at the unlisted resolver"
}

t_dns_native_node() {
	dns_setup
	dns_native -- "$NODE" "$DNSCLIENT_JS" net allowed.test blocked.test 10.89.2.1
	assert_rc 0
	assert_stdout "OK allowed.test" "OK blocked.test" "OK 10.89.2.1"
	dns_native -- "$NODE" "$DNSCLIENT_JS" http a.cdn.test blocked.test
	assert_stdout "OK a.cdn.test" "OK blocked.test"
	dns_native -- "$NODE" "$DNSCLIENT_JS" resolve4 allowed.test blocked.test
	assert_stdout "OK allowed.test $ALLOWED_A" "OK blocked.test 10.89.2.1"
	dns_native -- "$NODE" "$DNSCLIENT_JS" lookup allowed.test
	assert_stdout "OK allowed.test $ALLOWED_A"
	dns_native -- "$NODE" "$DNSCLIENT_JS" resolve4-at "$DNS_UNLISTED" allowed.test
	assert_stdout "OK allowed.test $ALLOWED_A"
	dns_collect
	expect_received 1 tcp "${ALLOWED_ADDRS[@]}"
	expect_received 3 tcp 10.89.2.1
	expect_received 1 tcp 10.89.3.1
	assert_eq "$(dns_queries "$DNS_DIR/dnsmasq2.log" allowed.test)" 1 "queries at the unlisted resolver"
}

t_dns_native_go_curl() {
	dns_setup go curl
	dns_native -- "$DNSCLIENT_GO" tcp allowed.test blocked.test 10.89.2.1
	assert_rc 0
	assert_stdout "OK allowed.test" "OK blocked.test" "OK 10.89.2.1"
	dns_native -- "$DNSCLIENT_GO" http b.cdn.test blocked.test
	assert_stdout "OK b.cdn.test" "OK blocked.test"
	dns_native -- "$DNSCLIENT_GO" resolve allowed.test
	assert_stdout "OK allowed.test $ALLOWED_A"
	dns_native -- "$CURL_EACH" allowed.test blocked.test
	assert_stdout "OK allowed.test" "OK blocked.test"
	dns_collect
	expect_received 4 tcp 10.89.2.1
	expect_received 1 tcp 10.89.3.2
}

# An all-allow policy changes nothing: every runtime reaches every host.
t_dns_allow_all() {
	dns_setup go curl
	local names=(allowed.test a.cdn.test blocked.test 10.89.2.1)
	dns_run '{}' -- "$PY" "$DNSCLIENT_PY" tcp "${names[@]}"
	assert_rc 0
	assert_stdout "OK allowed.test" "OK a.cdn.test" "OK blocked.test" "OK 10.89.2.1"
	dns_run '{}' -- "$NODE" "$DNSCLIENT_JS" net "${names[@]}"
	assert_stdout "OK allowed.test" "OK a.cdn.test" "OK blocked.test" "OK 10.89.2.1"
	dns_run '{}' -- "$DNSCLIENT_GO" tcp "${names[@]}"
	assert_stdout "OK allowed.test" "OK a.cdn.test" "OK blocked.test" "OK 10.89.2.1"
	dns_run '{}' -- "$CURL_EACH" "${names[@]}"
	assert_stdout "OK allowed.test" "OK a.cdn.test" "OK blocked.test" "OK 10.89.2.1"
	dns_collect
	expect_received 8 tcp 10.89.2.1
	expect_received 4 tcp 10.89.3.1
	assert_events_valid
	expect_events 0 policy=*
}

# ---------------------------------------------------------------- host names per runtime

t_dns_python_socket() {
	dns_setup
	dns_run "$P_HOSTS" -- "$PY" "$DNSCLIENT_PY" tcp allowed.test a.cdn.test b.cdn.test blocked.test 10.89.2.1
	assert_rc 0
	assert_stdout "OK allowed.test" "OK a.cdn.test" "OK b.cdn.test" "DENIED 13 blocked.test" "DENIED 13 10.89.2.1"
	dns_collect
	expect_received 1 tcp "${ALLOWED_ADDRS[@]}"
	expect_received 1 tcp 10.89.3.1
	expect_received 1 tcp 10.89.3.2
	expect_received 0 tcp 10.89.2.1
	assert_events_valid
	# The literal 10.89.2.1 was looked up as blocked.test earlier in the run:
	# its event carries that name too (docs/events.md).
	expect_blocked 2 blocked.test 10.89.2.1 8080 tcp syscall=connect
	expect_events 2 action=blocked
	expect_events 0 event_type=dns # log_dns not asked for
}

# Round-robin: every address the name resolves to is allowed.
t_dns_python_round_robin() {
	dns_setup
	dns_run "$P_HOSTS" -- "$PY" "$DNSCLIENT_PY" each allowed.test
	assert_rc 0
	sort_out
	assert_stdout "OK allowed.test 10.89.1.1" "OK allowed.test 10.89.1.2" "OK allowed.test 10.89.1.3"
	dns_collect
	expect_received 1 tcp 10.89.1.1
	expect_received 1 tcp 10.89.1.2
	expect_received 1 tcp 10.89.1.3
	expect_events 0 action=blocked
}

# One client program reaching allowed.test, one CDN name and the blocked
# host (by name, then as a literal): runtime script mode cdn-host cdn-addr
# [further conditions on the blocked events...].
dns_client_case() {
	local runtime=$1 script=$2 mode=$3 cdn=$4 cdn_addr=$5
	shift 5
	dns_setup
	dns_run "$P_HOSTS" -- "$runtime" "$script" "$mode" allowed.test "$cdn" blocked.test 10.89.2.1
	assert_rc 0
	assert_stdout "OK allowed.test" "OK $cdn" "DENIED 13 blocked.test" "DENIED 13 10.89.2.1"
	dns_collect
	expect_received 1 tcp "${ALLOWED_ADDRS[@]}"
	expect_received 1 tcp "$cdn_addr"
	expect_received 0 tcp 10.89.2.1
	# The literal 10.89.2.1 was looked up as blocked.test earlier in the run:
	# its event carries that name too (docs/events.md).
	expect_blocked 2 blocked.test 10.89.2.1 8080 tcp "$@"
	expect_events 2 action=blocked
}

t_dns_python_urllib() { dns_client_case "$PY" "$DNSCLIENT_PY" http b.cdn.test 10.89.3.2 syscall=connect; }
t_dns_node_net() {
	dns_client_case "$NODE" "$DNSCLIENT_JS" net a.cdn.test 10.89.3.1 syscall=connect process.name=node
}
t_dns_node_http() { dns_client_case "$NODE" "$DNSCLIENT_JS" http b.cdn.test 10.89.3.2; }

# Node's two resolvers: c-ares (dns.resolve4) and getaddrinfo (dns.lookup).
# Resolving a name is not connecting to it: blocked.test resolves too.
t_dns_node_dns_events() {
	dns_setup
	dns_run "$P_HOSTS_DNS" -- "$NODE" "$DNSCLIENT_JS" resolve4 allowed.test blocked.test
	assert_rc 0
	assert_stdout "OK allowed.test $ALLOWED_A" "OK blocked.test 10.89.2.1"
	dns_run "$P_HOSTS_DNS" -- "$NODE" "$DNSCLIENT_JS" lookup allowed.test
	assert_rc 0
	assert_stdout "OK allowed.test $ALLOWED_A"
	assert_events_valid
	expect_dns_event 2 allowed.test A 10.89.1.1 10.89.1.2 10.89.1.3
	expect_dns_event 1 blocked.test A 10.89.2.1
	expect_events 0 action=blocked
}

# Go's pure-Go resolver reads answers with read(2), which fnguard does not
# watch: exact names work through fnguard's own lookup of them; wildcards have
# no such fallback and fail closed (docs/policy.md, "Exceptions").
t_dns_go() {
	dns_setup go
	dns_run "$P_HOSTS" -- "$DNSCLIENT_GO" tcp allowed.test a.cdn.test blocked.test 10.89.2.1
	assert_rc 0
	assert_stdout "OK allowed.test" "DENIED 13 a.cdn.test" "DENIED 13 blocked.test" "DENIED 13 10.89.2.1"
	dns_run "$P_HOSTS" -- "$DNSCLIENT_GO" http allowed.test blocked.test
	assert_rc 0
	assert_stdout "OK allowed.test" "DENIED 13 blocked.test"
	dns_collect
	expect_received 2 tcp "${ALLOWED_ADDRS[@]}"
	expect_received 0 tcp 10.89.3.1
	expect_received 0 tcp 10.89.2.1
	# names fnguard never saw looked up: the event names the address
	expect_blocked 1 10.89.3.1 10.89.3.1 8080 tcp syscall=connect
	expect_blocked 3 10.89.2.1 10.89.2.1 8080 tcp syscall=connect
	expect_events 4 action=blocked
}

t_dns_curl() {
	dns_setup curl
	dns_run "$P_HOSTS" -- "$CURL_EACH" allowed.test a.cdn.test blocked.test 10.89.2.1
	assert_rc 0
	assert_stdout "OK allowed.test" "OK a.cdn.test" "DENIED 13 blocked.test" "DENIED 13 10.89.2.1"
	dns_collect
	expect_received 1 tcp 10.89.3.1
	expect_received 0 tcp 10.89.2.1
	# The literal 10.89.2.1 was looked up as blocked.test earlier in the run:
	# its event carries that name too (docs/events.md).
	expect_blocked 2 blocked.test 10.89.2.1 8080 tcp syscall=connect process.name=curl
	expect_events 2 action=blocked
}

# fnguard's own lookup of the exact names never holds up the traced tree
# (tracer/resolve/hostres.h): with a resolver that never answers, each
# connect to an address nobody looked up is judged at once on what is known
# (blocked, unless an address exception allows it), not after the
# resolver's timeout. Eight exact names: a lookup on the tracer thread
# spent ~10 s on each (glibc: 5 s, 2 attempts) before judging the first
# connect, and again once they were 30 s old. A hang is what fails here
# (DNS_TIMEOUT), never an elapsed time.
t_dns_silent_resolver() {
	dns_setup
	dns_silent
	local p='{"outbound_connectivity": {"action": "block", "exceptions": ["allowed.test", "h1.test", "h2.test",
		"h3.test", "h4.test", "h5.test", "h6.test", "h7.test", "10.89.3.0/24"]}}'
	local targets=() want=() i
	for i in $(seq 10); do
		targets+=(10.89.1.1 10.89.2.1 10.89.3.1)
		want+=("DENIED 13 10.89.1.1" "DENIED 13 10.89.2.1" "OK 10.89.3.1")
	done
	DNS_TIMEOUT=60 dns_run "$p" -- "$PY" "$DNSCLIENT_PY" tcp "${targets[@]}"
	case $RC in 124 | 137) fail "the run hung on fnguard's own lookups (stopped after 60 s)" ;; esac
	assert_rc 0
	assert_stdout "${want[@]}"
	dns_collect
	[ "$(dns_silent_count)" -ge 1 ] || fail "fnguard never asked the resolver: the test tests nothing"
	expect_received 10 tcp 10.89.3.1
	expect_received 0 tcp 10.89.1.1 10.89.2.1
	expect_blocked 10 10.89.1.1 10.89.1.1 8080 tcp syscall=connect
	expect_blocked 10 10.89.2.1 10.89.2.1 8080 tcp syscall=connect
	expect_events 20 action=blocked
	# The start waited a bounded time for the lookups, and says so.
	expect_events 1 event_type=lifecycle details.phase=notice \
		details.message="outbound_connectivity: fnguard's own lookup of the exact host names did not finish within 3000 ms; their addresses the function's own lookups did not show are blocked until it does"
}

# ---------------------------------------------------------------- matching

# "*.cdn.test" matches whole labels: a.cdn.test, never xcdn.test or cdn.test.
t_dns_wildcard_whole_labels() {
	dns_setup
	dns_run "$P_HOSTS" -- "$PY" "$DNSCLIENT_PY" tcp a.cdn.test xcdn.test cdn.test
	assert_rc 0
	assert_stdout "OK a.cdn.test" "DENIED 13 xcdn.test" "DENIED 13 cdn.test"
	dns_collect
	expect_received 1 tcp 10.89.3.1
	expect_received 0 tcp 10.89.3.3 10.89.3.4
	expect_blocked 1 xcdn.test 10.89.3.3 8080 tcp
	expect_blocked 1 cdn.test 10.89.3.4 8080 tcp
	expect_events 2 action=blocked
}

# A host-name exception with a port allows that port only.
t_dns_exception_name_port() {
	dns_setup
	local p='{"outbound_connectivity": {"action": "block", "exceptions": ["allowed.test:8080"]}}'
	dns_run "$p" -- "$PY" "$DNSCLIENT_PY" tcp allowed.test
	assert_rc 0
	assert_stdout "OK allowed.test"
	dns_run "$p" -- "$PY" "$DNSCLIENT_PY" udp allowed.test:5300
	assert_rc 0
	assert_stdout "DENIED 13 allowed.test:5300"
	dns_collect
	expect_received 1 tcp "${ALLOWED_ADDRS[@]}"
	expect_received 0 udp "${ALLOWED_ADDRS[@]}"
	expect_events 1 event_type=network action=blocked syscall=sendto details.host=allowed.test details.port=5300 details.protocol=udp
	expect_events 1 action=blocked
}

# Address exceptions with ports: a CIDR and a bracketed IPv6 address.
t_dns_exception_address_ports() {
	dns_setup
	local p='{"outbound_connectivity": {"action": "block", "exceptions": ["10.89.1.0/24:8080", "[fd89::1:1]:8080"]}}'
	dns_run "$p" -- "$PY" "$DNSCLIENT_PY" tcp 10.89.1.2 "[fd89::1:1]:8080" 10.89.2.1
	assert_rc 0
	assert_stdout "OK 10.89.1.2" "OK [fd89::1:1]:8080" "DENIED 13 10.89.2.1"
	dns_run "$p" -- "$PY" "$DNSCLIENT_PY" udp 10.89.1.2 "[fd89::1:1]:5300"
	assert_rc 0
	assert_stdout "DENIED 13 10.89.1.2" "DENIED 13 [fd89::1:1]:5300"
	dns_collect
	expect_received 1 tcp 10.89.1.2
	expect_received 1 tcp fd89::1:1
	expect_received 0 tcp 10.89.2.1
	expect_received 0 udp 10.89.1.2 fd89::1:1
	expect_blocked 1 10.89.2.1 10.89.2.1 8080 tcp syscall=connect
	expect_blocked 1 10.89.1.2 10.89.1.2 5300 udp syscall=sendto
	expect_blocked 1 fd89::1:1 fd89::1:1 5300 udp syscall=sendto
	expect_events 3 action=blocked
}

# DNS events on request: name, type, answers (A and AAAA from glibc).
t_dns_events_log_dns() {
	dns_setup
	dns_run "$P_HOSTS_DNS" -- "$PY" "$DNSCLIENT_PY" resolve allowed.test
	assert_rc 0
	assert_stdout "OK allowed.test $ALLOWED_A"
	assert_events_valid
	expect_dns_event 1 allowed.test A 10.89.1.1 10.89.1.2 10.89.1.3
	: >"$EV"
	dns_run "$P_HOSTS_DNS" -- "$PY" "$DNSCLIENT_PY" tcp allowed.test # getaddrinfo(AF_UNSPEC): A and AAAA
	assert_rc 0
	assert_stdout "OK allowed.test"
	expect_dns_event 1 allowed.test A 10.89.1.1
	expect_dns_event 1 allowed.test AAAA fd89::1:1
	expect_events 0 action=blocked
}

# The loopback stays reachable, also through a name.
t_dns_loopback_name() {
	dns_setup
	dns_run "$P_HOSTS" -- "$PY" "$DNSCLIENT_PY" tcp loop.test
	assert_rc 0
	assert_stdout "OK loop.test"
	dns_collect
	expect_received 1 tcp 127.0.0.1
	expect_events 0 action=blocked
}

# ---------------------------------------------------------------- adversarial

# DNS to a resolver that resolv.conf does not list is outbound traffic:
# a hand-built query (Python sendto) and Node's c-ares pointed at it. The
# listed resolver still answers the same hand-built query.
t_dns_adv_unlisted_resolver() {
	dns_setup
	dns_run "$P_HOSTS" -- "$PY" "$DNSCLIENT_PY" query "$DNS_UNLISTED" allowed.test
	assert_rc 0
	assert_stdout "DENIED 13 allowed.test"
	dns_run "$P_HOSTS" -- "$PY" "$DNSCLIENT_PY" query "$DNS_RESOLVER" allowed.test
	assert_rc 0
	assert_stdout "OK allowed.test $ALLOWED_A"
	dns_run "$P_HOSTS" -- "$NODE" "$DNSCLIENT_JS" resolve4-at "$DNS_UNLISTED" allowed.test
	assert_rc 0
	grep -qx 'NORESOLVE [A-Z_]* allowed.test' "$WORK/out" || fail "node reached the unlisted resolver: $(cat "$WORK/out")"
	dns_collect
	assert_eq "$(dns_queries "$DNS_DIR/dnsmasq2.log" allowed.test)" 0 "queries at the unlisted resolver"
	expect_blocked 1 10.89.0.54 10.89.0.54 53 udp syscall=sendto process.name=python3
	expect_events_min 1 event_type=network action=blocked details.ip=10.89.0.54 details.port=53 process.name=node
}

# Iron Function matched "aws" as a substring; fnguard matches whole labels
# of its AWS domain list, so aws.attacker.test is just another host.
t_dns_adv_substring_aws() {
	dns_setup
	dns_run '{"outbound_connectivity": {"action": "block", "exceptions": ["aws"]}}' -- "$PY" "$DNSCLIENT_PY" tcp aws.attacker.test
	assert_rc 0
	assert_stdout "DENIED 13 aws.attacker.test"
	dns_collect
	expect_received 0 tcp 10.89.4.1
	expect_blocked 1 aws.attacker.test 10.89.4.1 8080 tcp syscall=connect
	expect_events 1 action=blocked
}

dns_adv() { # program: run it under $P_HOSTS, in a network namespace of the test's own
	FNG_WORKDIR=$WORK fng_netns --policy "$(policy "$P_HOSTS")" -- "$BUILD/test/adversarial/$1"
	assert_events_valid
	if [ "$RC" -ne 0 ] || grep -q 'BYPASSED\|ERROR' "$WORK/out"; then
		cat "$WORK/out"
		[ "$(wc -l <"$EV")" -le 30 ] || EV= # a race leaves hundreds of events: keep the verdict in view
		fail "$1: $RC vector(s) got through"
	fi
}

t_dns_adv_send_paths() {
	dns_adv net_send_paths
	assert_stdout \
		"vector mapped_v6_connect: defended (errno 13 (Permission denied); 0 connection(s) reached 10.89.2.1:5401)" \
		"vector udp_sendto: defended (errno 13 (Permission denied); 0 datagram(s) reached 10.89.2.1:5402)" \
		"$(grep '^vector udp_sendto_unspec: defended (.*; 0 datagram(s) reached 10.89.2.1:5403)$' "$WORK/out")" \
		"vector tcp_fastopen: defended (errno 13 (Permission denied); 0 connection(s) reached 10.89.2.1:5404)" \
		"vector dns_unlisted_resolver: defended (errno 13 (Permission denied); 0 datagram(s) reached 10.89.0.54:53)"
	expect_blocked 1 10.89.2.1 10.89.2.1 5401 tcp syscall=connect
	expect_blocked 1 10.89.2.1 10.89.2.1 5402 udp syscall=sendto
	expect_blocked 1 10.89.2.1 10.89.2.1 5403 udp syscall=sendto
	expect_blocked 1 10.89.2.1 10.89.2.1 5404 tcp syscall=sendto
	expect_blocked 1 10.89.0.54 10.89.0.54 53 udp syscall=sendto
	expect_events 5 action=blocked
}

t_dns_adv_sendto_race() {
	dns_adv sendto_race
	grep -q '^vector sendto_race: defended (0/5000 datagrams reached 10.89.2.1' "$WORK/out" || fail "$(cat "$WORK/out")"
	expect_events_min 1 event_type=network action=blocked syscall=sendto details.ip=10.89.2.1 details.port=5405
}

t_dns_adv_raw_sockets() {
	dns_adv raw_socket
	assert_stdout \
		"vector raw_inet_udp: defended (setup: socket(AF_INET, SOCK_RAW, IPPROTO_UDP): Permission denied)" \
		"vector raw_inet6_udp: defended (setup: socket(AF_INET6, SOCK_RAW, IPPROTO_UDP): Permission denied)" \
		"vector packet_raw: defended (setup: socket(AF_PACKET, SOCK_RAW, 0): Permission denied)" \
		"vector packet_dgram: defended (setup: socket(AF_PACKET, SOCK_DGRAM, ETH_P_IP): Permission denied)" \
		"vector xdp_socket: defended (setup: socket(AF_XDP, SOCK_RAW, 0): Permission denied)"
	expect_events 5 event_type=network policy=outbound_connectivity mode=block action=blocked syscall=socket
	expect_events 1 details.reason="packet socket (AF_XDP, type 3): sends packets to any address"
	expect_events 5 action=blocked
}

# musl's own resolver (static, no glibc): unconnected sendto to the
# nameserver and recvfrom; wildcards work because its answers are seen.
t_dns_musl() {
	dns_setup
	dns_run "$P_HOSTS" -- "$BUILD/test/progs/musl/dial" allowed.test a.cdn.test blocked.test
	assert_rc 0
	assert_stdout "OK allowed.test" "OK a.cdn.test" "DENIED 13 blocked.test"
	dns_collect
	expect_received 1 tcp "${ALLOWED_ADDRS[@]}"
	expect_received 1 tcp 10.89.3.1
	expect_received 0 tcp 10.89.2.1
	expect_blocked 1 blocked.test 10.89.2.1 8080 tcp syscall=connect process.name=dial
	expect_events 1 action=blocked
}
