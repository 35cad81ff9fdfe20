# Helpers for integration tests. Each test is a function t_NAME run in its own
# subshell with fresh directories: $TMPD under the temp root (/tmp), $WORK
# outside it (/var/tmp, or $FNG_TEST_WORKROOT). A helper that finds a problem calls fail, which ends the test.

PY=/usr/bin/python3
NODE=/usr/bin/node
EVENTS_PY="$ROOT/test/lib/events.py"

fail() {
	echo "FAIL: $*" >&2
	if [ -n "${EV:-}" ] && [ -s "$EV" ]; then
		echo "--- events (last 20):" >&2
		tail -20 "$EV" | cut -c1-400 >&2
		echo "FAIL: $*" >&2
	fi
	exit 1
}

# skip REASON: the test cannot run here (the kernel or machine lacks what it
# tests); the runner counts and prints it apart, with the reason. Never for
# something the test's own setup got wrong: that is a failure.
skip() {
	echo "SKIP: $*" >&2
	exit 77
}

# need_landlock_abi N: skip unless the kernel's Landlock ABI is at least N
# (asked of the kernel itself, landlock_create_ruleset's version query, 444
# on every architecture: not of fnguard, whose own failure must still fail).
need_landlock_abi() {
	local abi
	abi=$($PY -c 'import ctypes; l = ctypes.CDLL(None, use_errno=True); print(l.syscall(444, None, ctypes.c_size_t(0), ctypes.c_uint32(1)))')
	[ "$abi" -ge "$1" ] || skip "the kernel's Landlock ABI is $abi (-1: none), under $1: it cannot enforce the temp root"
}

fng_run_test() {
	local t=$1 log rc
	log=$(mktemp "$BUILD/test-log.XXXXXX")
	(
		TMPD=$(mktemp -d /tmp/fng-test.XXXXXX)
		# Outside the temp root, wherever the checkout lives (CI may clone under /tmp).
		WORK=$(mktemp -d "${FNG_TEST_WORKROOT:-/var/tmp}/fng-work.XXXXXX")
		case $(realpath "$WORK") in /tmp | /tmp/*) echo "work dir $WORK is under /tmp; set FNG_TEST_WORKROOT" >&2; exit 1 ;; esac
		EV=$WORK/events.jsonl
		export TMPD WORK EV
		trap 'rm -rf "$TMPD" "$WORK"' EXIT
		cd "$WORK" || exit 1
		"$t"
	) >"$log" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		printf '  ok   %s\n' "$t"
	elif [ $rc -eq 77 ] && grep -q '^SKIP: ' "$log"; then
		printf '  skip %s: %s\n' "$t" "$(sed -n 's/^SKIP: //p' "$log" | tail -1)"
	else
		printf '  FAIL %s\n' "$t"
		sed 's/^/       /' "$log" | tail -40
		[ $rc -ne 77 ] || rc=1 # a command's 77, not skip: a failure
	fi
	rm -f "$log"
	return $rc
}

# fng [fnguard run options...] -- CMD...: run under fnguard, events to $EV.
# Sets RC; stdout in $WORK/out, stderr in $WORK/err.
fng() {
	set +e
	"$FNGUARD" run --log "file:$EV" "$@" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
}

# fng_netns: the same, in a network namespace of the test's own (the
# adversarial programs that build test hosts find it: FNG_NETNS_GIVEN).
# The harness brings lo up and puts the programs' test-host addresses on it
# (FNG_NETNS_ADDRS): a runtime has no CAP_NET_ADMIN while destinations are
# judged, so the programs cannot configure it themselves.
fng_netns() {
	set +e
	FNG_NETNS_GIVEN=1 unshare -n sh -c 'ip link set lo up || exit 99
		for a in ${FNG_NETNS_ADDRS:-192.0.2.1 10.89.2.1 10.89.0.54}; do ip addr add "$a/32" dev lo || exit 99; done
		exec "$@"' sh "$FNGUARD" run --log "file:$EV" "$@" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
}

# A policy file from JSON text: path printed.
policy() {
	local f
	f=$(mktemp "$WORK/policy.XXXXXX.json")
	printf '%s\n' "$1" >"$f"
	echo "$f"
}

ALLOW_ALL='{"outbound_connectivity":"allow","read_write_tmp":"allow","create_child_process":"allow","read_handler":"allow"}'

# ev_count key=value...: number of events matching every condition.
# Keys are dotted paths (details.path); value "*" means present.
ev_count() {
	$PY "$EVENTS_PY" count "$EV" "$@"
}

# expect_events N key=value...
expect_events() {
	local want=$1 got
	shift
	got=$(ev_count "$@")
	[ "$got" = "$want" ] || fail "expected $want event(s) matching [$*], got $got"
}

assert_eq() {
	[ "$1" = "$2" ] || fail "${3:-values differ}: expected '$2', got '$1'"
}

assert_rc() {
	[ "$RC" = "$1" ] || { echo "--- stdout:"; cat "$WORK/out"; echo "--- stderr:"; cat "$WORK/err"; fail "exit status: expected $1, got $RC"; } >&2
}

assert_exists() {
	[ -e "$1" ] || fail "expected $1 to exist"
}

assert_absent() {
	[ ! -e "$1" ] || fail "expected $1 to be absent"
}

assert_out() {
	grep -q -- "$1" "$WORK/out" || { echo "--- stdout:"; cat "$WORK/out"; echo "--- stderr:"; cat "$WORK/err"; fail "stdout lacks '$1'"; } >&2
}

assert_err() {
	grep -q -- "$1" "$WORK/err" || { echo "--- stderr:"; cat "$WORK/err"; fail "stderr lacks '$1'"; } >&2
}

# The events file must hold only valid JSON objects, one per line.
assert_events_valid() {
	$PY "$EVENTS_PY" valid "$EV" || fail "events file is not valid JSON lines"
}
