#!/bin/sh
# baseline_widen.sh - adversarial test for fnguard (class: a learnt profile
# that grants more than the benign run did, and a diff gate that misses it;
# issue 21)
#
# A profile is learnt with `fnguard baseline` from a benign Python function
# that imports a library from a site-packages tree (Python writes the
# library's __pycache__/*.pyc). Then a malicious version of the function
# runs under that profile and tries to change what code runs at the next
# start. If the learnt write entry was widened (to lib/python3.X/**, as the
# read-side collapsing does), the plants succeed.
#
# Vectors (one protocol line each, as in README.md):
#   baseline_record      the learning run: ERROR if it failed, else defended (setup)
#   plant_pth            a .pth file written into site-packages
#   plant_sitecustomize  sitecustomize.py written into site-packages
#   trojan_module        the library's source appended to
#   plant_pyc_sibling    another module's .pyc written next to the learnt one
#   diff_tree            `baseline diff` of /var/task/* -> /var/task/** exits 0
#   diff_tmp_tree        `baseline diff` of /tmp/* -> /tmp/** exits 0
#   diff_resolvers       `baseline diff` with an added resolver exits 0
#   diff_on_unsupported  `baseline diff` with on_unsupported run-unprotected exits 0
# A plant is BYPASSED when the file is on disk afterwards (or changed); a
# diff vector is BYPASSED when the gate passed the widening (exit 0).
# With FNG_ADV_NATIVE=1 the malicious run has no fnguard (every plant must
# get through: the vectors can fail) and the diff vectors are left out.
# Exit status: BYPASSED + ERROR.
#
# Env: FNGUARD (required unless native), FNG_WORKDIR (optional scratch
# parent; default $TMPDIR or /tmp). Give one outside the temp folders (/tmp,
# /var/tmp, /dev/shm), whose names collapse by a rule of their own: the
# site-packages tree must keep its names for the widening to show.
set -u

bad=0
report() {	# name kind detail
    printf 'vector %s: %s (%s)\n' "$1" "$2" "$3"
    [ "$2" = defended ] || bad=$((bad + 1))
}
PY=/usr/bin/python3
native=${FNG_ADV_NATIVE:-}
if [ -z "$native" ] && { [ -z "${FNGUARD:-}" ] || [ ! -x "$FNGUARD" ]; }; then
    echo "vector environment: ERROR (FNGUARD is not set to an executable fnguard)"
    exit 1
fi
W=$(mktemp -d "${FNG_WORKDIR:-${TMPDIR:-/tmp}}/baseline_widen.XXXXXX") || {
    echo "vector environment: ERROR (mktemp failed)"; exit 1; }
trap 'rm -rf -- "$W"' EXIT
SITE="$W/venv/lib/python3.11/site-packages"
mkdir -p "$SITE/mylib" "$SITE/other" && printf 'X = 41\n' > "$SITE/mylib/__init__.py" || exit 1
cp "$SITE/mylib/__init__.py" "$W/orig.py"

FN='import os, sys
site = sys.argv[1]
sys.path.insert(0, site)
import mylib
if sys.argv[2:] == ["evil"]:
    tag = sys.implementation.cache_tag
    for path in (os.path.join(site, "evil.pth"), os.path.join(site, "sitecustomize.py"),
                 os.path.join(site, "mylib", "__init__.py"),
                 os.path.join(site, "mylib", "__pycache__", "other.%s.pyc" % tag)):
        try:
            with open(path, "a") as f:
                f.write("import os; os.system(\"id\")\n")
        except OSError as e:
            print("denied", path, e.errno, file=sys.stderr)'

if [ -n "$native" ]; then
    env -u PYTHONDONTWRITEBYTECODE "$PY" -c "$FN" "$SITE" > /dev/null
    report baseline_record defended "setup: the benign run, natively"
elif ! env -u PYTHONDONTWRITEBYTECODE "$FNGUARD" baseline -o "$W/profile.json" -- "$PY" -c "$FN" "$SITE" \
        > /dev/null 2> "$W/baseline.err" || [ ! -s "$W/profile.json" ]; then
    report baseline_record ERROR "fnguard baseline failed: $(tail -n 1 "$W/baseline.err" | cut -c1-200)"
    exit $bad
else
    report baseline_record defended "setup: profile written, $(grep -c 'learnt exactly' "$W/baseline.err") code write(s) flagged"
fi

if [ -n "$native" ]; then
    "$PY" -c "$FN" "$SITE" evil 2> "$W/run.err"
else
    "$FNGUARD" run --policy "$W/profile.json" -- "$PY" -c "$FN" "$SITE" evil 2> "$W/run.err"
fi
blk=$(grep -c '"action":"blocked"' "$W/run.err")
planted() {	# name file what
    if [ -e "$2" ]; then
        report "$1" BYPASSED "$3 is on disk under the learnt profile"
    else
        report "$1" defended "$3 was not written ($blk blocked event(s))"
    fi
}
planted plant_pth "$SITE/evil.pth" "site-packages/evil.pth"
planted plant_sitecustomize "$SITE/sitecustomize.py" "site-packages/sitecustomize.py"
if cmp -s "$SITE/mylib/__init__.py" "$W/orig.py"; then
    report trojan_module defended "mylib/__init__.py unchanged ($blk blocked event(s))"
else
    report trojan_module BYPASSED "mylib/__init__.py was appended to"
fi
set -- "$SITE"/mylib/__pycache__/other.*.pyc
planted plant_pyc_sibling "$1" "mylib/__pycache__/other.*.pyc"
[ -n "$native" ] && exit $bad

# The gate: each NEW grants more than OLD; exit 0 lets it through.
prof() {	# extra-members allowlist
    printf '{"version": 1, "read_write_tmp": "allow", "create_child_process": "allow", "read_handler": "allow", "outbound_connectivity": %s, "allowlist": %s}\n' "$1" "$2"
}
gate() {	# name what old new
    printf '%s' "$3" > "$W/old.json"
    printf '%s' "$4" > "$W/new.json"
    out=$("$FNGUARD" baseline diff "$W/old.json" "$W/new.json" 2>&1)
    rc=$?
    if [ "$rc" = 0 ]; then
        report "$1" BYPASSED "$2: baseline diff exited 0"
    else
        report "$1" defended "$2: exit $rc: $(printf '%s' "$out" | head -n 1 | cut -c1-100)"
    fi
}
al='{"files": {"read": ["/tmp/*"], "write": ["/var/task/*"]}}'
gate diff_tree "/var/task/* widened to /var/task/**" "$(prof '"allow"' "$al")" \
    "$(prof '"allow"' '{"files": {"read": ["/tmp/*"], "write": ["/var/task/**"]}}')"
gate diff_tmp_tree "/tmp/* widened to /tmp/**" "$(prof '"allow"' "$al")" \
    "$(prof '"allow"' '{"files": {"read": ["/tmp/**"], "write": ["/var/task/*"]}}')"
gate diff_resolvers "a resolver added" "$(prof '"allow"' "$al")" \
    "$(prof '{"action": "allow", "resolvers": ["192.0.2.53"]}' "$al")"
gate diff_on_unsupported "on_unsupported run-unprotected" "$(prof '"allow"' "$al")" \
    "$(prof '"allow", "on_unsupported": "run-unprotected"' "$al")"
exit $bad
