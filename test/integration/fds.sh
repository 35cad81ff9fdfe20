# Issue 21: fnguard's own descriptors and memory running out, descriptors
# handed in by whoever starts fnguard, and the real Runtime API reached
# through another local address.

# real_api_alias under a proxy whose upstream is 127.0.0.1:PORT, in a network
# namespace of the test's own with an interface address besides loopback
# (198.18.0.9, 2001:db8:89::9 on lo). outbound_connectivity allows all: the
# real API is off limits whatever the policy says.
t_adv_real_api_alias() {
	local port
	port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	set +e
	FNG_REAL_API=127.0.0.1:$port AWS_LAMBDA_RUNTIME_API=127.0.0.1:$port unshare -n sh -c \
		'ip link set lo up && ip addr add 198.18.0.9/32 dev lo && ip addr add 2001:db8:89::9/128 dev lo &&
		 exec "$@"' sh "$FNGUARD" run --log "file:$EV" --policy "$(policy "$ALLOW_ALL")" \
		-- "$BUILD/test/adversarial/real_api_alias" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	cat "$WORK/out"
	grep -q BYPASSED "$WORK/out" && fail "real_api_alias: a connect reached the real Runtime API"
	assert_rc 0
	[ "$(grep -c '^vector .*: defended' "$WORK/out")" -ge 14 ] || fail "expected 14 vectors defended"
	# one event per alias refused at connect (the race adds more)
	[ "$(ev_count policy=outbound_connectivity action=blocked details.port="$port")" -ge 13 ] ||
		fail "expected the refused connects to be reported"
	assert_events_valid
}
