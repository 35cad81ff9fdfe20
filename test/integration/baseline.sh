# fnguard baseline: learn a real Python function's behaviour, enforce the
# profile with run (it works, no events; each new behaviour is blocked with
# exactly one event), the size and round trip of the profile, rules and
# exclusions (add, remove), and baseline merge / diff as a CI gate.

BASELINE_FN="$ROOT/test/progs/baseline_fn.py"

# Start the test's HTTP server on loopback; sets HTTP_PORT.
httpd_start() {
	$PY "$ROOT/test/lib/httpd.py" "$WORK/port" &
	HTTPD_PID=$!
	for _ in $(seq 100); do
		[ -s "$WORK/port" ] && break
		sleep 0.05
	done
	HTTP_PORT=$(cat "$WORK/port") || fail "the HTTP server did not start"
	trap 'kill $HTTPD_PID 2>/dev/null; rm -rf "$TMPD" "$WORK"' EXIT
}

# Learn the function's profile into $WORK/profile.json (extra options first).
learn() {
	set +e
	"$FNGUARD" baseline -o "$WORK/profile.json" "$@" -- "$PY" "$BASELINE_FN" "$HTTP_PORT" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 0
	assert_out "^DONE True"
	assert_err "allowlist entries written to"
}

# Entries in a profile's allowlist (learned, add and remove).
profile_entries() {
	$PY - "$1" <<'EOF'
import json, sys
a = json.load(open(sys.argv[1]))["allowlist"]
def count(s):
    n = 0
    for k, v in s.items():
        if k == "files":
            n += sum(len(x) for x in v.values())
        elif k == "init":
            n += count(v)
        else:
            n += len(v)
    return n
print(sum(count(a.get(k, {})) for k in ("learned", "add", "remove")))
EOF
}

# Edit the profile: python code with `a` bound to its allowlist.
profile_edit() {
	$PY - "$WORK/profile.json" "$1" <<'EOF'
import json, os, sys
p = json.load(open(sys.argv[1]))
a = p["allowlist"]
exec(sys.argv[2])
json.dump(p, open(sys.argv[1], "w"), indent=1)
EOF
}

# run the function under the profile, with an optional extra step.
run_fn() {
	fng --policy "$WORK/profile.json" -- "$PY" "$BASELINE_FN" "$HTTP_PORT" "$@"
	assert_rc 0
	assert_events_valid
}

t_baseline_python_function() {
	httpd_start
	learn
	# a valid policy in allowlist form, the four rules off
	"$FNGUARD" policy check "$WORK/profile.json" >"$WORK/check" || fail "the profile does not pass policy check"
	grep -q "allowlist=block" "$WORK/check" || fail "policy check: $(cat "$WORK/check")"
	grep -q '"read_write_tmp": "allow"' "$WORK/profile.json" || fail "the four rules are not off"
	grep -q "\"127.0.0.1:$HTTP_PORT\"" "$WORK/profile.json" || fail "the server's address was not learned"
	grep -q '"/usr/bin/true"' "$WORK/profile.json" || fail "the helper program was not learned"
	grep -q '"build_id"' "$WORK/profile.json" || fail "the helper's build-id was not learned"
	grep -q '"/tmp/\*"\|"/tmp/fnbase-\*"' "$WORK/profile.json" || fail "the temp file did not collapse to a pattern"
	if grep -q 'fnbase-[a-z0-9_]\{8\}"' "$WORK/profile.json"; then fail "a random temp name is in the profile"; fi
	# small
	local n
	n=$(profile_entries "$WORK/profile.json")
	[ "$n" -le 40 ] || fail "the profile has $n entries (want at most 40)"
	[ "$n" -ge 5 ] || fail "the profile has only $n entries"
	# enforced: works, no events
	run_fn
	assert_out "^DONE True"
	expect_events 0 action=blocked
	expect_events 0 action=alerted
}

t_baseline_new_behaviour_blocked() {
	httpd_start
	learn
	run_fn shadow
	assert_out "^DENIED 13"
	expect_events 1 action=blocked
	expect_events 1 policy=allowlist mode=block action=blocked event_type=file details.path=/etc/shadow
	: >"$EV"
	run_fn host $((HTTP_PORT == 65535 ? HTTP_PORT - 1 : HTTP_PORT + 1))
	assert_out "^DENIED 13"
	expect_events 1 action=blocked
	expect_events 1 policy=allowlist action=blocked event_type=network details.ip=127.0.0.1
	: >"$EV"
	run_fn exec
	assert_out "^DENIED 13"
	expect_events 1 action=blocked
	expect_events 1 policy=allowlist action=blocked event_type=process details.program=/usr/bin/echo
}

t_baseline_alert_mode() {
	httpd_start
	learn --mode alert
	grep -q '"mode": "alert"' "$WORK/profile.json" || fail "--mode alert not written"
	run_fn exec
	assert_out "^DONE True"
	expect_events 0 action=blocked
	expect_events 1 policy=allowlist mode=alert action=alerted event_type=process
}

# Rules and exclusions on top of the learned part: add lets a blocked action
# through, remove blocks a learned one; the learned part is not edited.
t_baseline_add_remove() {
	httpd_start
	learn
	profile_edit 'a["add"] = {"exec": ["/usr/bin/echo"]}'
	run_fn exec
	assert_out "^DONE True"
	expect_events 0 action=blocked
	: >"$EV"
	HTTP_PORT=$HTTP_PORT profile_edit 'a["remove"] = {"ips": ["127.0.0.1:" + os.environ["HTTP_PORT"]]}'
	grep -q '"remove"' "$WORK/profile.json" || fail "remove not added"
	fng --policy "$WORK/profile.json" -- "$PY" "$BASELINE_FN" "$HTTP_PORT"
	[ "$RC" != 0 ] || fail "the function reached a removed address"
	expect_events 1 action=blocked
	expect_events 1 policy=allowlist event_type=network details.port="$HTTP_PORT"
	# a bad entry is an error with its position
	profile_edit 'a["add"] = {"files": {"read": ["relative/path"]}}'
	set +e
	"$FNGUARD" policy check "$WORK/profile.json" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 2
	assert_err 'profile.json:[0-9]*:[0-9]*: allowlist: files.read: bad entry "relative/path"'
}

t_baseline_merge_diff() {
	local a b out
	a=$(policy '{"allowlist": {"learned": {"files": {"read": ["/usr/lib/**", "/etc/hosts"]}, "ips": ["127.0.0.1:80"]}}}')
	b=$(policy '{"allowlist": {"learned": {"files": {"read": ["/usr/lib/x/y.so", "/etc/passwd"]}, "exec": ["/usr/bin/true"], "hosts": ["api.example.com:443"]}}}')
	out=$WORK/merged.json
	# diff: same -> 0, grown -> 1 with one line per new entry, bad input -> 2
	set +e
	"$FNGUARD" baseline diff "$a" "$a" >"$WORK/out"; RC=$?
	set -e
	assert_rc 0
	[ ! -s "$WORK/out" ] || fail "diff of a profile with itself printed: $(cat "$WORK/out")"
	set +e
	"$FNGUARD" baseline diff "$a" "$b" >"$WORK/out"; RC=$?
	set -e
	assert_rc 1
	assert_eq "$(cat "$WORK/out")" "+ files.read /etc/passwd
+ exec /usr/bin/true
+ hosts api.example.com:443" "diff lines"
	set +e
	"$FNGUARD" baseline diff "$b" "$a" >"$WORK/out"; RC=$?
	set -e
	assert_rc 1
	assert_eq "$(cat "$WORK/out")" "+ files.read /usr/lib/**
+ files.read /etc/hosts
+ ips 127.0.0.1:80" "reverse diff lines"
	# merge is the union: nothing in either is new against it
	"$FNGUARD" baseline merge "$a" "$b" -o "$out" || fail "merge failed"
	"$FNGUARD" policy check "$out" >/dev/null || fail "the merged profile does not pass policy check"
	for f in "$a" "$b"; do
		set +e
		"$FNGUARD" baseline diff "$out" "$f" >"$WORK/out"; RC=$?
		set -e
		assert_rc 0
	done
	set +e
	"$FNGUARD" baseline diff "$a" "$out" >"$WORK/out"; RC=$?
	set -e
	assert_rc 1
	# bad input
	printf '{"allowlist": {"ips": ["300.1.1.1"]}}\n' >"$WORK/bad.json"
	set +e
	"$FNGUARD" baseline diff "$a" "$WORK/bad.json" >"$WORK/out" 2>"$WORK/err"; RC=$?
	set -e
	assert_rc 2
	assert_err "bad.json:1:"
	set +e
	"$FNGUARD" baseline diff "$a" "$(policy "$ALLOW_ALL")" >"$WORK/out" 2>"$WORK/err"; RC=$?
	set -e
	assert_rc 2
	assert_err "not a profile"
	set +e
	"$FNGUARD" baseline diff "$a" >"$WORK/out" 2>"$WORK/err"; RC=$?
	set -e
	assert_rc 2
}

# --merge: a second run's profile is the union with the first, whose rules
# and exclusions are kept.
t_baseline_merge_option() {
	httpd_start
	learn
	profile_edit 'a["remove"] = {"files": {"read": ["/nonexistent/secret"]}}'
	cp "$WORK/profile.json" "$WORK/old.json"
	set +e
	"$FNGUARD" baseline -o "$WORK/profile.json" --merge "$WORK/old.json" -- "$PY" "$BASELINE_FN" "$HTTP_PORT" exec \
		>"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 0
	grep -q '"/usr/bin/echo"' "$WORK/profile.json" || fail "the new program is not in the merged profile"
	grep -q '"/nonexistent/secret"' "$WORK/profile.json" || fail "the old profile's removal was lost"
	set +e
	"$FNGUARD" baseline diff "$WORK/old.json" "$WORK/profile.json" >"$WORK/out"; RC=$?
	set -e
	assert_rc 1
	grep -qx '+ exec /usr/bin/echo build_id [0-9a-f]*' "$WORK/out" && [ "$(grep -c . "$WORK/out")" = 1 ] ||
		fail "what the second run added: $(cat "$WORK/out")"
	set +e
	"$FNGUARD" baseline diff "$WORK/profile.json" "$WORK/old.json" >"$WORK/out"; RC=$?
	set -e
	assert_rc 0
}

# A PATH search's misses are not learnt (issue 20, class 7): a profile that
# saw `sh -c prog` find prog in the second PATH folder does not let a binary
# planted in the first one run, and its entry for prog is pinned to the
# build-id of what ran. Python's subprocess tries each PATH folder with
# execve (dash looks first and execs only what it found).
PROG_BY_PATH='import subprocess
try:
    print("rc=%d" % subprocess.run(["prog"]).returncode)
except OSError as e:
    print("err=%d" % e.errno)'
t_baseline_path_misses_not_learnt() {
	mkdir -p "$WORK/early" "$WORK/late"
	cp /bin/true "$WORK/late/prog"
	set +e
	PATH="$WORK/early:$WORK/late:/usr/bin:/bin" "$FNGUARD" baseline -o "$WORK/profile.json" -- \
		"$PY" -c "$PROG_BY_PATH" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 0
	assert_out "^rc=0"
	$PY - "$WORK/profile.json" "$WORK" <<'PY' || fail "profile: $(cat "$WORK/profile.json")"
import json, sys
a = json.load(open(sys.argv[1]))["allowlist"]
def execs(s):
    out = list(s.get("exec", []))
    out += execs(s["init"]) if "init" in s else []
    return out
e = execs(a.get("learned", {}))
paths = [x if isinstance(x, str) else x["path"] for x in e]
work = sys.argv[2]
assert work + "/late/prog" in paths, paths
assert not any(p.startswith(work + "/early") for p in paths), paths
pinned = [x for x in e if not isinstance(x, str) and x["path"] == work + "/late/prog"]
assert pinned and pinned[0].get("build_id"), e
PY
	# the learnt program goes; a different one is planted where the search missed
	rm "$WORK/late/prog"
	cp /usr/bin/id "$WORK/early/prog"
	set +e
	PATH="$WORK/early:$WORK/late:/usr/bin:/bin" "$FNGUARD" run --policy "$WORK/profile.json" \
		--log "file:$WORK/events.jsonl" -- "$PY" -c "$PROG_BY_PATH" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	grep -q '^uid=' "$WORK/out" && fail "the planted program ran: $(cat "$WORK/out")"
	assert_out "^err=13"
	EV="$WORK/events.jsonl"
	[ "$($PY "$EVENTS_PY" count "$EV" action=blocked policy=allowlist)" -ge 1 ] ||
		fail "no blocked allowlist event: $(cat "$EV")"
}
