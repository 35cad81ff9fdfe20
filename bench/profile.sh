#!/usr/bin/env bash
# bench/profile.sh [CASE [N]]: where fnguard's tracer spends its time on one
# benchmark case (default: open, 3000 iterations), for optimisation work.
# `make profile` runs it. Three views, each skipped with a reason when its
# tool is missing or cannot work here:
#
#  1. syscalls: the tracer's own system calls per traced call (strace -c on
#     the fnguard process only, not on the runtime), beside the floor's. Exact
#     and repeatable, unlike time on a shared machine: the count to drive down.
#  2. perf: CPU samples of the fnguard process (cpu-clock, DWARF call graphs),
#     top functions by inclusive time; instruction counts when the CPU exposes
#     them (virtual machines often do not).
#  3. callgrind: instruction counts per function. valgrind must run the
#     supervisor, which installs the seccomp filter: valgrind versions that do
#     not implement the seccomp system call make fnguard exit 125 ("seccomp
#     refused"); the script says so and the other two views stand in.
#
# Environment: FNGUARD, BUILD (default ./build), POLICY (a policy file; default
# policy otherwise), TOP (rows per table, default 25), PROFILE_TOOLS (any of
# "syscalls perf callgrind", default all).
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-$PWD/build}
FNGUARD=${FNGUARD:-$BUILD/fnguard}
TOP=${TOP:-25}
TOOLS=${PROFILE_TOOLS:-syscalls perf callgrind}
CASE=${1:-open}
N=${2:-3000}

WORK=$(mktemp -d "${BENCH_WORKROOT:-/var/tmp}/fng-profile.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
echo "an allowed file" >"$WORK/allowed.txt"
case $CASE in
getppid) CMD=("$BUILD/bench/case_getppid" "$N") ;;
open) CMD=("$BUILD/bench/case_open" "$N" "$WORK/allowed.txt") ;;
open8) CMD=("$BUILD/bench/case_open" "$N" "$WORK/allowed.txt" 8) ;;
connect) CMD=("$BUILD/bench/case_connect" "$N") ;;
forkexec) CMD=("$BUILD/bench/case_forkexec" "$N") ;;
shell200) CMD=(/bin/sh "$PWD/bench/shell200.sh") ;;
*) echo "profile.sh: unknown case $CASE (getppid open open8 connect forkexec shell200)" >&2; exit 2 ;;
esac
for f in "$FNGUARD" "${CMD[0]}" "$BUILD/bench/floor"; do
	[ -x "$f" ] || { echo "profile.sh: $f is not built: run make bench first" >&2; exit 2; }
done
POL=()
if [ -n "${POLICY:-}" ]; then
	POL=(--policy "$POLICY")
elif [ "$CASE" = forkexec ] || [ "$CASE" = shell200 ]; then
	echo '{"outbound_connectivity":"block","read_write_tmp":"block","create_child_process":"allow","read_handler":"block"}' >"$WORK/policy.json"
	POL=(--policy "$WORK/policy.json")
fi
FNG=("$FNGUARD" run "${POL[@]}" --log "file:$WORK/events.jsonl" --)
cd "$WORK"

want() { [[ " $TOOLS " == *" $1 "* ]]; }
need() { # tool package
	command -v "$1" >/dev/null && return 0
	echo "  skipped: $1 is not installed (apt-get install $2)"
	return 1
}
traced_calls() {
	/usr/bin/python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    d = json.loads(line).get("details", {})
    if d.get("phase") == "exit":
        n = d["counters"]["traced_calls"]
print(n)' "$WORK/events.jsonl"
}

# strace -c table (file $1) divided by $2 traced calls: "calls/traced syscall".
per_call() {
	awk -v n="$2" -v top="$TOP" '
		/^-/ || /^%/ || / total$/ { next }
		NF >= 5 { c = $4; name = $NF; if (c / n >= 0.01) printf "  %8.2f  %s\n", c / n, name }' "$1" |
		sort -rn | head -"$TOP"
}

echo "== profile of fnguard on case $CASE, N=$N: ${CMD[*]}"
if want syscalls; then
	echo
	echo "== 1. tracer system calls per traced call (strace -c, the tracer only; exact)"
	if need strace strace; then
		rm -f "$WORK/events.jsonl"
		strace -c -o "$WORK/fng.sc" "${FNG[@]}" "${CMD[@]}" >/dev/null
		calls=$(traced_calls)
		echo "fnguard: $calls traced calls"
		per_call "$WORK/fng.sc" "$calls"
		echo "floor (same traced calls, PTRACE_CONT only):"
		strace -c -o "$WORK/floor.sc" "$BUILD/bench/floor" -- "${CMD[@]}" >/dev/null
		per_call "$WORK/floor.sc" "$calls"
	fi
fi

if want perf; then
	echo
	echo "== 2. perf: the fnguard process's CPU time"
	if need perf linux-perf; then
		if perf stat -x, -e instructions:u -o "$WORK/probe" true 2>/dev/null && ! grep -q "not supported" "$WORK/probe"; then
			perf stat --no-inherit -e instructions:u,instructions:k -o "$WORK/stat" "${FNG[@]}" "${CMD[@]}" >/dev/null
			echo "instructions of the tracer thread (not the runtime's):"
			grep instructions "$WORK/stat"
		else
			echo "  (no hardware instruction counter here: CPU-time samples only)"
		fi
		if perf record -q -e cpu-clock -F 5000 --call-graph dwarf,16384 -o "$WORK/perf.data" \
			"${FNG[@]}" "${CMD[@]}" >/dev/null 2>"$WORK/perf.err"; then
			echo "top functions of fnguard by inclusive share of its samples (children, self):"
			perf report -i "$WORK/perf.data" --comm fnguard --children --sort sym --stdio -g none 2>/dev/null |
				grep '\[\.\]' | grep -v ' 0x' | head -"$TOP"
			echo "top kernel symbols (self):"
			perf report -i "$WORK/perf.data" --comm fnguard --no-children --sort sym --stdio -g none 2>/dev/null |
				grep '\[k\]' | head -10
		else
			echo "  skipped: perf record failed: $(tail -1 "$WORK/perf.err")"
		fi
	fi
fi

if want callgrind; then
	echo
	echo "== 3. callgrind: instructions per function of the supervisor"
	if need valgrind valgrind; then
		set +e
		valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" "${FNG[@]}" "${CMD[@]}" >/dev/null 2>"$WORK/cg.err"
		rc=$?
		set -e
		if [ "$rc" -ne 0 ]; then
			echo "  callgrind cannot run fnguard here (exit $rc):"
			grep -E "unhandled .* syscall|fnguard:" "$WORK/cg.err" | sed 's/^/    /' | head -3
			if grep -q "unhandled amd64-linux syscall: 317" "$WORK/cg.err"; then
				echo "  valgrind $(valgrind --version | sed 's/valgrind-//') does not implement seccomp(2), which fnguard"
				echo "  needs to probe for and install its filter: use views 1 and 2."
			fi
		else
			callgrind_annotate --inclusive=yes "$WORK/cg.out" 2>/dev/null | sed -n '/Ir/,$p' | head -$((TOP + 3))
		fi
	fi
fi
