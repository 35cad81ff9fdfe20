#!/bin/sh
# baseline_plant.sh - adversarial test for fnguard (class: a learned profile
# that trusts a program by how the shell found it, not by what it is)
#
# A profile is learned with `fnguard baseline` while a command `prog` is
# found LATE on PATH (the earlier PATH directories exist but hold no `prog`).
# Then a different program (a copy of /bin/id) is planted as `prog` where the
# shell looks first, and `fnguard run --policy PROFILE` runs the same
# command.  If the profile allowed "prog" rather than the exact file (path and
# build-id) it saw, the planted program runs.
#
# Vectors (one protocol line each, as in README.md):
#   baseline_record            the learning run itself: ERROR if fnguard baseline
#                              failed or wrote no profile, else defended (setup)
#   plant_earlier_path_copy    /bin/id copied to EARLY/prog
#   plant_earlier_path_symlink EARLY/prog a symlink to /bin/id
#   plant_replace_in_place     LATE/prog (the learned file) replaced by /bin/id
#   plant_exec_builtin         the same copy as the first, run as `sh -c "exec prog"`
#   plant_forged_build_id      LATE/prog replaced by a copy of /bin/id whose GNU
#                              build-id note was overwritten with the learned
#                              program's build-id (same path, same build-id,
#                              other code); needs python3, else left out
# BYPASSED when the planted id ran (its "uid=" output appeared); defended
# when it did not (fnguard refused the exec).  Exit status: BYPASSED + ERROR.
#
# Env: FNGUARD (required, the fnguard binary); FNG_WORKDIR (optional: where
# the scratch directory goes; default $TMPDIR or /tmp).
set -u

bad=0
report() {	# name kind detail
    printf 'vector %s: %s (%s)\n' "$1" "$2" "$3"
    [ "$2" = defended ] || bad=$((bad + 1))
}

if [ -z "${FNGUARD:-}" ] || [ ! -x "$FNGUARD" ]; then
    echo "vector environment: ERROR (FNGUARD is not set to an executable fnguard)"
    exit 1
fi
W=$(mktemp -d "${FNG_WORKDIR:-${TMPDIR:-/tmp}}/baseline_plant.XXXXXX") || {
    echo "vector environment: ERROR (mktemp failed)"; exit 1; }
trap 'rm -rf -- "$W"' EXIT
mkdir "$W/early" "$W/late" || exit 1
cp /bin/true "$W/late/prog" && chmod 755 "$W/late/prog" || exit 1
P="$W/early:$W/late:/usr/bin:/bin"

if ! PATH=$P "$FNGUARD" baseline -o "$W/profile.json" -- sh -c prog 2> "$W/baseline.err" || [ ! -s "$W/profile.json" ]; then
    report baseline_record ERROR "fnguard baseline failed: $(tail -n 1 "$W/baseline.err" | cut -c1-200)"
    exit $bad
fi
execs=$(tr ',' '\n' < "$W/profile.json" | grep -c prog)
report baseline_record defended "setup: profile written, $execs mention(s) of prog"
echo "baseline_plant: profile: $(tr -d '\n' < "$W/profile.json" | cut -c1-600)" >&2

# run CMD under the profile; BYPASSED if /bin/id ran
judge() {	# name what cmd
    out=$(PATH=$P "$FNGUARD" run --policy "$W/profile.json" -- sh -c "$3" 2> "$W/run.err")
    rc=$?
    if printf '%s' "$out" | grep -q 'uid='; then
        report "$1" BYPASSED "$2; the planted /bin/id ran under the learned profile: $(printf '%s' "$out" | head -n 1 | cut -c1-80)"
    else
        blk=$(grep -c '"action":"blocked"' "$W/run.err")
        report "$1" defended "$2; the planted program did not run (exit $rc, $blk blocked event(s))"
    fi
}
restore() {
    rm -f "$W/early/prog"
    cp /bin/true "$W/late/prog" && chmod 755 "$W/late/prog"
}

cp /bin/id "$W/early/prog"
judge plant_earlier_path_copy "copy of /bin/id at an earlier PATH dir" prog
restore
ln -s /bin/id "$W/early/prog"
judge plant_earlier_path_symlink "symlink to /bin/id at an earlier PATH dir" prog
restore
cp /bin/id "$W/late/prog"
judge plant_replace_in_place "the learned file replaced by /bin/id" prog
restore
cp /bin/id "$W/early/prog"
judge plant_exec_builtin "copy at an earlier PATH dir, sh -c 'exec prog'" "exec prog"
restore

# copy SRC to DST with its NT_GNU_BUILD_ID note's bytes set to HEX (ELF64 little-endian)
forge_build_id() {	# src dst hex
    python3 - "$1" "$2" "$3" <<'PY'
import struct, sys
src, dst, want = sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3])
b = bytearray(open(src, 'rb').read())
phoff, = struct.unpack_from('<Q', b, 0x20)
phentsize, phnum = struct.unpack_from('<HH', b, 0x36)
done = False
for i in range(phnum):
    ptype, _, off, _, _, filesz = struct.unpack_from('<IIQQQQ', b, phoff + i * phentsize)
    if ptype != 4:          # PT_NOTE
        continue
    o = off
    while o + 12 <= off + filesz:
        namesz, descsz, ntype = struct.unpack_from('<III', b, o)
        name_o = o + 12
        desc_o = name_o + ((namesz + 3) & ~3)
        if ntype == 3 and b[name_o:name_o + 3] == b'GNU' and descsz == len(want):
            b[desc_o:desc_o + descsz] = want
            done = True
        o = desc_o + ((descsz + 3) & ~3)
if not done:
    sys.exit(1)
open(dst, 'wb').write(b)
PY
}
learned=$(tr -d ' \n' < "$W/profile.json" | sed -n 's/.*"build_id":"\([0-9a-f]*\)".*/\1/p')
if ! command -v python3 > /dev/null; then
    echo "baseline_plant: no python3: plant_forged_build_id not tried" >&2
elif [ -z "$learned" ]; then
    report plant_forged_build_id ERROR "no build_id in the learned profile"
elif ! forge_build_id /bin/id "$W/late/prog.new" "$learned"; then
    report plant_forged_build_id ERROR "could not rewrite the build-id note of a copy of /bin/id"
else
    chmod 755 "$W/late/prog.new" && mv -f "$W/late/prog.new" "$W/late/prog"
    judge plant_forged_build_id "the learned file replaced by /bin/id carrying the learned build-id $learned" prog
fi
restore
exit $bad
