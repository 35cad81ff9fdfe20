# Learnt profiles and their diff (issue 21): writes are not widened by the
# read-side collapsing (a benign run's __pycache__ write must not let a later
# run plant a .pth), and `baseline diff` reports every change that grants
# more, comparing patterns by what they match and the whole policy.

# A Python library under a virtualenv-like tree: $SITE/mylib. Outside the
# temp folders ($WORK is under one), whose names collapse by another rule:
# this is where lib/python3.11 became a tree of writes.
learnt_site() {
	LEARNT_DIR=$(mktemp -d "$BUILD/learnt.XXXXXX")
	SITE="$LEARNT_DIR/venv/lib/python3.11/site-packages"
	mkdir -p "$SITE/mylib"
	printf 'X = 41\n' >"$SITE/mylib/__init__.py"
}

# Imports mylib (Python writes its __pycache__); with "evil", then plants a
# .pth file in site-packages and appends to the library's source.
LEARNT_FN='import os, sys
site = sys.argv[1]
sys.path.insert(0, site)
import mylib
print("LIB", mylib.X)
if sys.argv[2:] == ["evil"]:
    for path, text in ((os.path.join(site, "evil.pth"), "import os; os.system(\"id\")\n"),
                       (os.path.join(site, "mylib", "__init__.py"), "import os; os.system(\"id\")\n")):
        try:
            with open(path, "a") as f:
                f.write(text)
            print("WROTE", os.path.basename(path))
        except OSError as e:
            print("DENIED", os.path.basename(path), e.errno)'

t_learnt_pyc_write_not_widened() {
	learnt_site
	set +e
	env -u PYTHONDONTWRITEBYTECODE "$FNGUARD" baseline -o "$WORK/profile.json" -- \
		"$PY" -c "$LEARNT_FN" "$SITE" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 0
	assert_out "^LIB 41"
	ls "$SITE/mylib/__pycache__/"*.pyc >/dev/null 2>&1 || fail "Python wrote no .pyc: the scenario did not happen"
	# the write is learnt exactly, flagged; no write pattern spans a tree
	assert_err "notice: a write where code is loaded from, learnt exactly: $SITE/mylib/__pycache__/"
	$PY - "$WORK/profile.json" "$SITE" <<'PY' || fail "profile: $(cat "$WORK/profile.json")"
import json, sys
a = json.load(open(sys.argv[1]))["allowlist"]["learned"]
w = a.get("files", {}).get("write", []) + a.get("init", {}).get("files", {}).get("write", [])
assert w, "no write learnt"
assert not any("**" in p for p in w), w
assert any(p.startswith(sys.argv[2] + "/mylib/__pycache__/") and p.endswith(".pyc") for p in w), w
PY
	cp "$SITE/mylib/__init__.py" "$WORK/init.orig"
	# the malicious version under the learnt profile
	fng --policy "$WORK/profile.json" -- "$PY" -c "$LEARNT_FN" "$SITE" evil
	assert_out "^LIB 41"
	assert_out "^DENIED evil.pth 13"
	assert_out "^DENIED __init__.py 13"
	assert_absent "$SITE/evil.pth"
	cmp -s "$SITE/mylib/__init__.py" "$WORK/init.orig" || fail "the library was changed"
	expect_events 1 policy=allowlist action=blocked event_type=file details.path="$SITE/evil.pth"
	expect_events 1 policy=allowlist action=blocked event_type=file details.path="$SITE/mylib/__init__.py"
	rm -rf "$LEARNT_DIR"
}

# diff_case NAME OLD-JSON NEW-JSON RC [LINE]: baseline diff exits RC; with
# LINE, that line is among its output.
diff_case() {
	local old new
	old=$(policy "$2")
	new=$(policy "$3")
	set +e
	"$FNGUARD" baseline diff "$old" "$new" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	[ "$RC" = "$4" ] || fail "$1: exit $RC, want $4; out: $(cat "$WORK/out") err: $(cat "$WORK/err")"
	if [ -n "${5:-}" ]; then
		grep -qxF -- "$5" "$WORK/out" || fail "$1: no line \"$5\" in: $(cat "$WORK/out")"
	fi
	return 0
}

# A profile: the four rules as given (the others allow), an allowlist as given.
prof() {	# RULES-JSON-MEMBERS ALLOWLIST-JSON
	local m=$1 r
	for r in read_write_tmp create_child_process read_handler outbound_connectivity; do
		case $1 in *"\"$r\""*) ;; *) m="${m:+$m, }\"$r\": \"allow\"" ;; esac
	done
	printf '{"version": 1, %s, "allowlist": %s}' "$m" "$2"
}

t_learnt_diff_patterns() {
	local base='{"learned": {"files": {"read": ["/tmp/*"], "write": ["/var/task/*"]}}}'
	diff_case same "$(prof '' "$base")" "$(prof '' "$base")" 0
	diff_case task_tree "$(prof '' "$base")" \
		"$(prof '' '{"learned": {"files": {"read": ["/tmp/*"], "write": ["/var/task/**"]}}}')" 1 \
		"+ files.write /var/task/**"
	diff_case tmp_tree "$(prof '' "$base")" \
		"$(prof '' '{"learned": {"files": {"read": ["/tmp/**"], "write": ["/var/task/*"]}}}')" 1 \
		"+ files.read /tmp/**"
	# narrower is no grant
	diff_case narrower "$(prof '' '{"files": {"read": ["/a/**"]}}')" "$(prof '' '{"files": {"read": ["/a/b/*", "/a/c?"]}}')" 0
	diff_case star_in_name "$(prof '' '{"files": {"read": ["/tmp/tmp*"]}}')" "$(prof '' '{"files": {"read": ["/tmp/*"]}}')" 1 \
		"+ files.read /tmp/*"
	# a read grant is covered by a write grant, not the reverse
	diff_case read_by_write "$(prof '' '{"files": {"write": ["/w/*"]}}')" "$(prof '' '{"files": {"read": ["/w/x"]}}')" 0
	diff_case write_by_read "$(prof '' '{"files": {"read": ["/w/*"]}}')" "$(prof '' '{"files": {"write": ["/w/x"]}}')" 1 \
		"+ files.write /w/x"
	# init-only does not cover always
	diff_case init "$(prof '' '{"init": {"files": {"read": ["/opt/x/**"]}}}')" "$(prof '' '{"files": {"read": ["/opt/x/**"]}}')" 1 \
		"+ files.read /opt/x/**"
	# an exclusion dropped or narrowed
	diff_case unremoved "$(prof '' '{"learned": {"files": {"read": ["/etc/**"]}}, "remove": {"files": {"read": ["/etc/s*"]}}}')" \
		"$(prof '' '{"learned": {"files": {"read": ["/etc/**"]}}, "remove": {"files": {"read": ["/etc/shadow"]}}}')" 1 \
		"+ unremoved files.read /etc/s*"
	# exec: pattern and build-id
	diff_case exec_id "$(prof '' '{"exec": [{"path": "/usr/bin/true", "build_id": "aabb"}]}')" \
		"$(prof '' '{"exec": [{"path": "/usr/bin/true", "build_id": "ccdd"}]}')" 1 "+ exec /usr/bin/true build_id ccdd"
	diff_case exec_unpinned "$(prof '' '{"exec": [{"path": "/usr/bin/true", "build_id": "aabb"}]}')" \
		"$(prof '' '{"exec": ["/usr/bin/true"]}')" 1 "+ exec /usr/bin/true"
}

t_learnt_diff_network() {
	diff_case cidr_inside "$(prof '' '{"ips": ["10.0.0.0/8"]}')" "$(prof '' '{"ips": ["10.1.0.0/16:5432", "10.2.3.4"]}')" 0
	diff_case cidr_wider "$(prof '' '{"ips": ["10.0.0.0/16"]}')" "$(prof '' '{"ips": ["10.0.0.0/8"]}')" 1 "+ ips 10.0.0.0/8"
	diff_case port_any "$(prof '' '{"ips": ["10.0.0.1:443"]}')" "$(prof '' '{"ips": ["10.0.0.1"]}')" 1 "+ ips 10.0.0.1"
	diff_case host_wild "$(prof '' '{"hosts": ["api.example.com:443"]}')" "$(prof '' '{"hosts": ["*.example.com:443"]}')" 1 \
		"+ hosts *.example.com:443"
	diff_case host_sub "$(prof '' '{"hosts": ["*.example.com"]}')" "$(prof '' '{"hosts": ["*.a.example.com:443", "b.example.com"]}')" 0
	diff_case host_bare "$(prof '' '{"hosts": ["*.example.com"]}')" "$(prof '' '{"hosts": ["example.com"]}')" 1 "+ hosts example.com"
	diff_case dns "$(prof '' '{"dns": ["a.example.com"]}')" "$(prof '' '{"dns": ["b.example.com"]}')" 1 "+ dns b.example.com"
}

# Outside the allowlist: every setting that lets more through.
t_learnt_diff_whole_policy() {
	local al='{"files": {"read": ["/etc/hosts"]}}'
	diff_case resolvers "$(prof '' "$al")" \
		"$(prof '"outbound_connectivity": {"action": "allow", "resolvers": ["192.0.2.53"]}' "$al")" 1 \
		"+ outbound_connectivity.resolvers 192.0.2.53"
	diff_case on_unsupported "$(prof '' "$al")" "$(prof '"on_unsupported": "run-unprotected"' "$al")" 1 \
		"~ on_unsupported run-unprotected (was fail)"
	diff_case rule_mode "$(prof '"read_handler": "block"' "$al")" "$(prof '"read_handler": "alert"' "$al")" 1 \
		"~ read_handler alert (was block)"
	diff_case allowlist_mode "$(prof '' '{"mode": "block", "files": {"read": ["/etc/hosts"]}}')" \
		"$(prof '' '{"mode": "alert", "files": {"read": ["/etc/hosts"]}}')" 1 "~ mode alert (was block)"
	diff_case phases "$(prof '' "$al")" "$(prof '"lambda": {"phases": {"allowlist": "init"}}' "$al")" 1 \
		"~ lambda.phases.allowlist init (was always)"
	diff_case on_block "$(prof '"lambda": {"on_block": "kill"}' "$al")" "$(prof '' "$al")" 1 \
		"~ lambda.on_block fail-call (was kill)"
	diff_case proxy "$(prof '' "$al")" "$(prof '"lambda": {"proxy": false}' "$al")" 1 "~ lambda.proxy false (was true)"
	diff_case tmp_root "$(prof '"read_write_tmp": "block"' "$al")" "$(prof '"read_write_tmp": "block", "tmp_root": "/var/tmp"' "$al")" 1 \
		"~ tmp_root /var/tmp (was /tmp)"
	diff_case handler "$(prof '"read_handler": "block", "handler": ["/var/task/h.py", "/var/task/g.py"]' "$al")" \
		"$(prof '"read_handler": "block", "handler": "/var/task/g.py"' "$al")" 1 "~ handler /var/task/h.py no longer protected"
	diff_case outbound_exc "$(prof '"outbound_connectivity": {"action": "block", "exceptions": ["10.0.0.0/8", "*.example.com"]}' "$al")" \
		"$(prof '"outbound_connectivity": {"action": "block", "exceptions": ["10.2.0.0/16", "0.0.0.0/0:443", "x.example.com"]}' "$al")" 1 \
		"+ outbound_connectivity.exceptions 0.0.0.0/0:443"
	grep -c . "$WORK/out" | grep -qx 1 || fail "outbound_exc: more than one line: $(cat "$WORK/out")"
	diff_case child_exc "$(prof '"create_child_process": "block"' "$al")" \
		"$(prof '"create_child_process": {"action": "block", "exceptions": ["/bin/sh"]}' "$al")" 1 \
		"+ create_child_process.exceptions /bin/sh"
	diff_case loopback "$(prof '"outbound_connectivity": {"action": "block", "loopback": "judge"}' "$al")" \
		"$(prof '"outbound_connectivity": "block"' "$al")" 1 "~ outbound_connectivity.loopback allow (was judge)"
	# stricter settings are no grant
	diff_case stricter "$(prof '' "$al")" \
		"$(prof '"read_handler": "block", "lambda": {"on_block": "kill"}, "outbound_connectivity": "block"' "$al")" 0
}

# The adversarial scripts of learnt profiles (test/adversarial/README.md).
# baseline_widen: every vector defended under fnguard; natively (no fnguard
# on the malicious run) every plant gets through, so the vectors can fail.
t_adv_baseline_widen() {
	local dir
	dir=$(mktemp -d "$BUILD/learnt.XXXXXX")
	set +e
	FNG_WORKDIR=$dir sh "$ROOT/test/adversarial/baseline_widen.sh" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 0
	[ "$(grep -c ': defended (' "$WORK/out")" = 9 ] || fail "not 9 defended vectors: $(cat "$WORK/out")"
	set +e
	FNG_ADV_NATIVE=1 FNG_WORKDIR=$dir sh "$ROOT/test/adversarial/baseline_widen.sh" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	rm -rf "$dir"
	assert_rc 4
	[ "$(grep -c ': BYPASSED (' "$WORK/out")" = 4 ] || fail "natively, not 4 plants through: $(cat "$WORK/out")"
}

# baseline_plant: every vector defended but the known limit docs/security.md
# names (a program rewritten in place with the learnt build-id).
t_adv_baseline_plant() {
	set +e
	FNG_WORKDIR=$WORK sh "$ROOT/test/adversarial/baseline_plant.sh" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	[ "$(grep -c ': defended (' "$WORK/out")" = 5 ] || fail "not 5 defended vectors: $(cat "$WORK/out")"
	grep -q '^vector plant_forged_build_id: BYPASSED' "$WORK/out" || fail "the known limit changed: $(cat "$WORK/out")"
	assert_rc 1
}

# A file whose name is a pattern ("**", "*") is learnt as that one name, not
# as the tree or folder the name would mean in a pattern.
META_FN='import sys
d = sys.argv[1]
for name in (["**", "*"] if sys.argv[2:] != ["evil"] else ["evil", "x"]):
    try:
        with open(d + "/" + name, "w") as f:
            f.write("x")
        print("WROTE", name)
    except OSError as e:
        print("DENIED", name, e.errno)'
t_learnt_pattern_names_literal() {
	mkdir -p "$WORK/d"
	set +e
	"$FNGUARD" baseline -o "$WORK/profile.json" -- "$PY" -c "$META_FN" "$WORK/d" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 0
	assert_out "^WROTE \*\*"
	fng --policy "$WORK/profile.json" -- "$PY" -c "$META_FN" "$WORK/d" evil
	assert_out "^DENIED evil 13"
	assert_out "^WROTE x"	# one byte, like "*": the '?' it became
	assert_absent "$WORK/d/evil"
	expect_events 1 policy=allowlist action=blocked details.path="$WORK/d/evil"
}
