# A blocking TCP connect whose address a thread flips onto a blocked host,
# while another thread writes to the socket: before, fnguard verified the
# peer at the exit stop and tore the connection down, but the writer's
# bytes had reached the host by then. The connect is now started by fnguard
# with the address it checked; the tracee's call only waits for it. The
# receiver runs beside fnguard, untraced (its accepts would be judged).
t_adv_connect_side_write() {
	adv_setup
	local prog=$BUILD/test/adversarial/connect_side_write
	set +e
	FNG_NETNS_GIVEN=1 FNG_CSW_COUNT=$WORK/count FNG_RACE_ATTEMPTS=${FNG_RACE_ATTEMPTS:-2000} unshare -n sh -c '
		ip link set lo up && ip addr add 192.0.2.1/32 dev lo || exit 99
		"$1" --receive "$2" & r=$!
		while [ ! -s "$2" ]; do sleep 0.05; done
		"$3" run --log "file:$4" -- "$1"; rc=$?
		kill $r; wait $r
		exit $rc' sh "$prog" "$WORK/count" "$FNGUARD" "$EV" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	if grep -q 'BYPASSED\|ERROR' "$WORK/out" || [ "$RC" -ne 0 ]; then
		cat "$WORK/out" "$WORK/err"
		fail "connect_side_write: bytes reached the blocked host (or the race did not run)"
	fi
	assert_out 'defended (0 bytes reached 192.0.2.1'
	assert_events_valid
	[ "$(ev_count policy=outbound_connectivity action=blocked details.ip=192.0.2.1)" -ge 1 ] ||
		fail "the refused connects were not reported"
}
