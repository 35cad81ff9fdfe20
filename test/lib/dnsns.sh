# The DNS harness: a network namespace made by the test itself, with two real
# dnsmasq resolvers and the test hosts in it. Sourced by test/integration/dns.sh
# (after test/lib/lib.sh: uses fail, policy, $WORK, $EV, $PY).
#
#   dns_setup                  make the namespace fng-dns-$BASHPID, start everything,
#                              wait until it answers; torn down on the test's exit
#   dns_run POLICY-JSON -- CMD...   CMD under fnguard in the namespace (RC, $WORK/out, $WORK/err)
#   dns_native -- CMD...       CMD in the namespace without fnguard (same outputs)
#   dns_collect                stop the hosts and resolvers: counts and logs are final
#   dns_received PROTO ADDR... what reached those hosts (sum), after dns_collect
#   dns_queries LOG NAME       "query[A] NAME" lines in a dnsmasq log, after dns_collect
#   dns_silent                 make a resolver that never answers the only one in
#                              resolv.conf; dns_silent_count after dns_collect
#
# The namespace has one interface, its own lo, and every address below lives
# on it: traffic to a test address stays in the namespace, and anything else
# has no route (dns_setup checks that lo is the only link). The resolvers
# answer the .test names only, never forward (--no-resolv, --local=/test/),
# and /etc/netns/NAME/resolv.conf points `ip netns exec` at the first one.
#
#   10.89.0.53  dnsmasq, the resolver in resolv.conf (log $DNS_DIR/dnsmasq1.log)
#   10.89.0.54  a second dnsmasq nobody listed (log $DNS_DIR/dnsmasq2.log)
#   10.89.0.55  after dns_silent: a resolver that drops every query (test/lib/silentdns.py)
#   every host address: HTTP "hello" on TCP 8080, a UDP counter on 5300
#   (test/lib/testhosts.py), also on 127.0.0.1 (loop.test)

# shellcheck disable=SC2034 # globals (programs, RC) are used by the tests
DNS_RESOLVER=10.89.0.53
DNS_UNLISTED=10.89.0.54
DNS_SILENT=10.89.0.55
# name address (one line per record: allowed.test has three A and one AAAA)
DNS_RECORDS='allowed.test 10.89.1.1
allowed.test 10.89.1.2
allowed.test 10.89.1.3
allowed.test fd89::1:1
blocked.test 10.89.2.1
a.cdn.test 10.89.3.1
b.cdn.test 10.89.3.2
xcdn.test 10.89.3.3
cdn.test 10.89.3.4
aws.attacker.test 10.89.4.1
loop.test 127.0.0.1'
# What dns_setup asks both resolvers until they answer: not a test name, so
# their logs count only the tests' own queries of the names above.
DNS_PROBE='probe.test 10.89.9.9'
DNSCLIENT_PY="$ROOT/test/progs/dnsclient.py"
DNSCLIENT_JS="$ROOT/test/progs/dnsclient.js"
DNSCLIENT_GO="$BUILD/test/progs/dnsclient-go"
CURL_EACH="$ROOT/test/progs/curl-each.sh"
DNSMASQ=/usr/sbin/dnsmasq

# The tools the harness needs: missing ones fail the test (never a skip).
dns_require() {
	command -v ip >/dev/null || fail "ip (iproute2) is missing: run scripts/install-deps.sh"
	ip netns list >/dev/null 2>&1 || fail "'ip netns' does not work here (root and network namespaces are needed)"
	[ -x "$DNSMASQ" ] || fail "$DNSMASQ is missing: run scripts/install-deps.sh (dnsmasq-base)"
	local t
	for t in "$@"; do
		case $t in
		go) [ -x "$DNSCLIENT_GO" ] || fail "$DNSCLIENT_GO was not built: golang-go is missing (run scripts/install-deps.sh, then make)" ;;
		curl) command -v curl >/dev/null || fail "curl is missing: run scripts/install-deps.sh" ;;
		esac
	done
}

dns_teardown() {
	local p
	[ -n "${DNS_DIR:-}" ] && touch "$DNS_DIR/stop"
	for p in ${DNS_PIDS:-}; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	DNS_PIDS=
	if [ -n "${DNS_NS:-}" ]; then
		ip netns del "$DNS_NS" 2>/dev/null || true
		rm -rf "/etc/netns/$DNS_NS"
	fi
}

# The test's own EXIT trap (lib.sh's cleanup) still runs, after dns_teardown.
dns_trap() {
	local prev words
	prev=$(trap -p EXIT) # trap -- 'CMD' EXIT
	eval "words=($prev)"
	# shellcheck disable=SC2064 # the old command is expanded now, on purpose
	trap "dns_teardown; ${words[2]:-}" EXIT
}

dns_setup() {
	dns_require "$@"
	DNS_NS=fng-dns-$BASHPID
	DNS_DIR=$WORK/dns
	DNS_PIDS=
	mkdir -p "$DNS_DIR"
	dns_trap
	ip netns add "$DNS_NS" || fail "ip netns add $DNS_NS failed"
	ip -n "$DNS_NS" link set lo up
	local addrs a
	addrs=$(printf '%s\n' "$DNS_RECORDS" | awk '$2 != "127.0.0.1" {print $2}' | sort -u)
	for a in $DNS_RESOLVER $DNS_UNLISTED $addrs; do
		case $a in
		*:*) ip -n "$DNS_NS" -6 addr add "$a/128" dev lo nodad ;;
		*) ip -n "$DNS_NS" addr add "$a/32" dev lo ;;
		esac || fail "cannot put $a on lo in $DNS_NS"
	done
	[ "$(ip -n "$DNS_NS" -o link show | wc -l)" = 1 ] || fail "$DNS_NS has links besides lo: traffic could leave it"
	mkdir -p "/etc/netns/$DNS_NS"
	echo "nameserver $DNS_RESOLVER" >"/etc/netns/$DNS_NS/resolv.conf"
	printf '%s\n%s\n' "$DNS_RECORDS" "$DNS_PROBE" | awk '{print $2, $1}' >"$DNS_DIR/hosts"
	dns_start_dnsmasq "$DNS_RESOLVER" "$DNS_DIR/dnsmasq1.log"
	dns_start_dnsmasq "$DNS_UNLISTED" "$DNS_DIR/dnsmasq2.log"
	# shellcheck disable=SC2086 # one argument per address
	ip netns exec "$DNS_NS" "$PY" "$ROOT/test/lib/testhosts.py" "$DNS_DIR/ready" "$DNS_DIR/stop" "$DNS_DIR/counts" \
		$addrs 127.0.0.1 2>"$DNS_DIR/testhosts.err" &
	DNS_PIDS="$DNS_PIDS $!"
	dns_wait_ready
}

dns_start_dnsmasq() { # address log
	ip netns exec "$DNS_NS" "$DNSMASQ" --keep-in-foreground --conf-file=/dev/null --pid-file= --user=root \
		--no-resolv --no-hosts --local=/test/ --addn-hosts="$DNS_DIR/hosts" \
		--listen-address="$1" --bind-interfaces --port=53 --log-queries --log-facility="$2" 2>>"$2.err" &
	DNS_PIDS="$DNS_PIDS $!"
}

# Bounded polling: the hosts' ready file, then one real query to each resolver.
dns_wait_ready() {
	local r want
	want="OK ${DNS_PROBE% *} ${DNS_PROBE#* }"
	for _ in $(seq 100); do
		[ -e "$DNS_DIR/ready" ] && break
		sleep 0.05
	done
	[ -e "$DNS_DIR/ready" ] || fail "test hosts did not start: $(cat "$DNS_DIR/testhosts.err")"
	for r in $DNS_RESOLVER $DNS_UNLISTED; do
		for _ in $(seq 50); do
			[ "$(ip netns exec "$DNS_NS" "$PY" "$DNSCLIENT_PY" query "$r" "${DNS_PROBE% *}")" = "$want" ] && continue 2
			sleep 0.1
		done
		fail "dnsmasq on $r does not answer ${DNS_PROBE% *}: $(cat "$DNS_DIR"/dnsmasq*.err "$DNS_DIR"/dnsmasq*.log 2>/dev/null | tail -5)"
	done
}

# A resolver that never answers becomes resolv.conf's only nameserver: the
# function's lookups and fnguard's own ones get no answer.
dns_silent() {
	ip -n "$DNS_NS" addr add "$DNS_SILENT/32" dev lo || fail "cannot put $DNS_SILENT on lo in $DNS_NS"
	ip netns exec "$DNS_NS" "$PY" "$ROOT/test/lib/silentdns.py" "$DNS_SILENT" "$DNS_DIR/silent.ready" "$DNS_DIR/stop" \
		"$DNS_DIR/silent.count" 2>"$DNS_DIR/silent.err" &
	DNS_PIDS="$DNS_PIDS $!"
	for _ in $(seq 100); do
		[ -e "$DNS_DIR/silent.ready" ] && break
		sleep 0.05
	done
	[ -e "$DNS_DIR/silent.ready" ] || fail "the silent resolver did not start: $(cat "$DNS_DIR/silent.err")"
	echo "nameserver $DNS_SILENT" >"/etc/netns/$DNS_NS/resolv.conf"
}

dns_silent_count() { # queries (and TCP connections) the silent resolver got, after dns_collect
	cat "$DNS_DIR/silent.count" 2>/dev/null || echo 0
}

# Outputs like fng (lib.sh): RC, $WORK/out, $WORK/err. A run longer than
# DNS_TIMEOUT seconds (120 unless set) is stopped (RC 124) rather than
# hanging make check.
dns_exec() {
	set +e
	timeout -k 5 "${DNS_TIMEOUT:-120}" ip netns exec "$DNS_NS" "$@" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
}

dns_run() { # policy-json -- cmd...
	local p
	p=$(policy "$1")
	shift 2
	dns_exec "$FNGUARD" run --policy "$p" --log "file:$EV" -- "$@"
}

dns_native() { # -- cmd...
	shift
	dns_exec "$@"
}

dns_collect() {
	local p
	touch "$DNS_DIR/stop"
	for p in $DNS_PIDS; do
		kill -0 "$p" 2>/dev/null || continue
		# testhosts.py stops on its own once the stop file exists; dnsmasq on SIGTERM
		if [ "$(cat "/proc/$p/comm" 2>/dev/null)" = dnsmasq ]; then kill "$p"; fi
		wait "$p" 2>/dev/null || true
	done
	DNS_PIDS=
	[ -s "$DNS_DIR/counts" ] || fail "test hosts wrote no counts: $(cat "$DNS_DIR/testhosts.err")"
}

dns_received() { # proto addr...: total connections (tcp 8080) or datagrams (udp 5300)
	local proto=$1
	shift
	awk -v proto="$proto" -v want=" $* " '$2 == proto && index(want, " " $1 " ") {n += $4} END {print n + 0}' "$DNS_DIR/counts"
}

# expect_received N proto addr...
expect_received() {
	local want=$1 got
	shift
	got=$(dns_received "$@")
	[ "$got" = "$want" ] || fail "expected $want $1 arrival(s) at ${*:2}, got $got"
}

dns_queries() { # log name
	grep -c "query\[A\] $2 " "$1" || true
}

# The program's whole stdout, line for line (order kept).
assert_stdout() {
	local want
	want=$(printf '%s\n' "$@")
	[ "$(cat "$WORK/out")" = "$want" ] || {
		echo "--- expected stdout:"
		printf '%s\n' "$want"
		echo "--- stdout:"
		cat "$WORK/out"
		echo "--- stderr:"
		tail -20 "$WORK/err"
		fail "stdout differs"
	} >&2
}
