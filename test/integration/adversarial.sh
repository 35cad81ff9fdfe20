# Every bypass class in test/adversarial/ is tried under the default policy
# (all four rules block). Each program exits with the number of vectors that
# got through: 0 is required, and the attempts must have been reported.
# (validate-native.sh proves each program does get through without fnguard.)

adv_setup() {
	export FNG_TMPDIR=$TMPD FNG_WORKDIR=$WORK
	export FNG_SECRET=$TMPD/secret FNG_VICTIM=$TMPD/victim FNG_VICTIMDIR=$TMPD/victimdir FNG_TMPEXE=$TMPD/true-copy
	printf 'FNGUARD-SECRET\n' >"$FNG_SECRET"
	printf 'victim\n' >"$FNG_VICTIM"
	chmod 644 "$FNG_VICTIM"
	mkdir -p "$FNG_VICTIMDIR" # a test may run two cases (t_adv_jvm_perfdata)
	cp /bin/true "$FNG_TMPEXE"
	chmod 755 "$FNG_TMPEXE"
}

# The temp root must be exactly as the harness left it.
adv_tmp_untouched() {
	[ "$(cat "$FNG_SECRET")" = FNGUARD-SECRET ] || fail "secret changed"
	[ "$(cat "$FNG_VICTIM")" = victim ] || fail "victim changed"
	[ "$(stat -c %a "$FNG_VICTIM")" = 644 ] || fail "victim mode changed"
	[ -d "$FNG_VICTIMDIR" ] || fail "victimdir removed"
	cmp -s /bin/true "$FNG_TMPEXE" || fail "tmpexe changed"
	local extra
	extra=$(cd "$TMPD" && ls -A | grep -vxE 'secret|victim|victimdir|true-copy' || true)
	[ -z "$extra" ] || fail "new entries in the temp root: $extra"
}

adv_case() { # program [min-events]: ADV_NETNS=1 for a network namespace of the test's own
	adv_setup
	if [ -n "${ADV_NETNS:-}" ]; then
		fng_netns -- "$BUILD/test/adversarial/$1"
	else
		fng -- "$BUILD/test/adversarial/$1"
	fi
	if grep -q BYPASSED "$WORK/out" || grep -q ERROR "$WORK/out" || [ "$RC" -ne 0 ]; then
		cat "$WORK/out"
		fail "$1: $RC vector(s) got through"
	fi
	assert_events_valid
	local n
	n=$($PY "$EVENTS_PY" count "$EV" action=*)
	[ "$n" -ge "${2:-1}" ] || fail "$1: expected the attempts to be reported, got $n event(s)"
	adv_tmp_untouched
}

t_adv_path_alias() { adv_case path_alias 10; }
t_adv_unwatched_calls() { adv_case unwatched_calls 30; }
t_adv_toctou_race() { adv_case toctou_race 1; }
t_adv_clone_untraced() { adv_case clone_untraced 1; }
t_adv_io_uring_open() { adv_case io_uring_open 1; }
t_adv_seccomp_listener() { adv_case seccomp_listener 1; }
t_adv_attack_supervisor() { adv_case attack_supervisor 5; }
t_adv_raw_static() { adv_case raw_static 2; }
t_adv_child_bypass() { adv_case child_bypass 4; }
t_adv_foreign_abi() {
	[ "$(uname -m)" = x86_64 ] || skip "i386 and x32 are x86_64's foreign ABIs (arm64's: t_aarch32_task_killed)"
	adv_case foreign_abi 1
}
t_adv_exec_tmp() { adv_case exec_tmp 5; }
t_adv_connect_race() { ADV_NETNS=1 adv_case connect_race 1; }
t_adv_lone_racer() { adv_case lone_racer 1; }
t_adv_name_swap() {
	adv_case name_swap 8
	# not vacuous: the vectors ran with the name cache answering lookups
	local hits
	hits=$($PY -c 'import json,sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e.get("event_type") == "lifecycle" and e["details"].get("phase") == "exit":
        print(e["details"]["counters"]["path_cache_hits"])' "$EV")
	[ "${hits:-0}" -gt 0 ] || fail "the name cache answered nothing (path_cache_hits=${hits:-none})"
}

# Issue 20's classes (each program reports BYPASSED natively: validate-native.sh).
t_adv_supervisor_threads() { adv_case supervisor_threads 6; }
t_adv_unix_bind_decoder() { adv_case unix_bind_decoder 5; }
t_adv_route_options() { adv_case route_options 10; }
t_adv_netns_dns_forge() { ADV_NETNS=1 adv_case netns_dns_forge 10; }
t_adv_undo_close() { adv_case undo_close 2; }

# event_forge writes to the standard error fnguard's events share: an
# unfinished line before a blocked call, reading the events back (a file
# here) and a forged exit event reusing their run id and sequence number,
# then an unfinished last line. The harness judges: every event starts a
# line of its own, and under a key only the forged line fails to verify.
t_adv_event_forge() {
	local out rc
	adv_setup
	printf 'a key of thirty-two bytes, secret' >"$WORK/key"
	set +e
	FNGUARD_LOG_KEY='a key of thirty-two bytes, secret' "$FNGUARD" run -- \
		"$BUILD/test/adversarial/event_forge" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	out=$($PY "$ROOT/scripts/verify-seal.py" --key "$WORK/key" "$WORK/err")
	rc=$?
	set -e
	[ "$RC" = 0 ] || fail "event_forge: $RC vector(s) got through: $(cat "$WORK/out")"
	[ "$rc" = 1 ] || fail "verify-seal accepted everything (rc $rc): $out"
	[ "$(echo "$out" | grep -c 'mac does not verify')" = 1 ] || fail "verify-seal: $out"
	echo "$out" | grep -q 'sequence numbers missing' && fail "fnguard's own lines have a gap: $out"
	$PY - "$WORK/err" <<'PY' || fail "stderr: $(cat "$WORK/err")"
import json, sys
exits = [json.loads(l) for l in open(sys.argv[1], "rb")
         if l.startswith(b"{") and b'"phase":"exit"' in l and b'"mac"' in l]
real = [e for e in exits if e["details"].get("counters", {}).get("blocked", 0) >= 1]
assert real, exits  # the real exit event parses, and counts the block
PY
}

# dns_label asks the trusted resolver (the program itself in --resolver mode,
# outside fnguard, in the test's network namespace) for names in the
# attacker's zone that are not host names, each answered with an address of
# its own (198.18.0.11 to .16, where the program listens): labels "\0",
# "com\0", "api.example.com", a name over 255 octets. None may teach fnguard
# a name (c-ares read the first as "x.example.com.", and the long one was cut
# to its first 255 characters): each connect is judged as to an unnamed
# address, under host exceptions and under an allowlist's hosts, and
# log_dns shows no alias.
dns_label_run() { # policy-json
	local pol i
	pol=$(policy "$1")
	adv_setup
	: >"$EV"
	export FNG_DNS_RESOLVER=127.0.0.53
	set +e
	unshare -n sh -c 'ip link set lo up || exit 99
		for i in 11 12 13 14 15 16; do ip addr add 198.18.0.$i/32 dev lo || exit 99; done
		"$0" --resolver 127.0.0.53 198.18.0.10 & r=$!
		"$@"; rc=$?; kill $r; exit $rc' "$BUILD/test/adversarial/dns_label" \
		"$FNGUARD" run --policy "$pol" --log "file:$EV" -- "$BUILD/test/adversarial/dns_label" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	if grep -q BYPASSED "$WORK/out" || grep -q ERROR "$WORK/out" || [ "$RC" -ne 0 ]; then
		cat "$WORK/out" "$WORK/err"
		fail "dns_label: $RC vector(s) got through"
	fi
	[ "$(grep -c '^vector .*: defended' "$WORK/out")" = 6 ] || fail "dns_label: $(cat "$WORK/out")"
	assert_events_valid
	for i in 11 12 13 14 15 16; do
		expect_events 1 event_type=network action=blocked details.host=198.18.0.$i details.ip=198.18.0.$i
	done
	expect_events 6 event_type=network action=blocked details.port=5532
	expect_events 0 event_type=dns
	adv_tmp_untouched
}

t_adv_dns_label() {
	dns_label_run '{"outbound_connectivity": {"action": "block", "resolvers": ["127.0.0.53"], "log_dns": true,
		"exceptions": ["*.example.com", "api.example.com", "aws"]},
		"read_write_tmp": "block", "create_child_process": "block", "read_handler": "block"}'
	dns_label_run '{"allowlist": {"mode": "block", "hosts": ["*.example.com:5532", "api.example.com:5532", "*.amazonaws.com"],
		"files": {"read": ["/**"]}, "exec": []},
		"outbound_connectivity": {"action": "allow", "resolvers": ["127.0.0.53"], "log_dns": true}}'
}
