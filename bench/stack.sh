#!/usr/bin/env bash
# Cost of one native stack (capture + symbolisation) on the tracer thread,
# for a small C program, Python and Node, in three cache states (see
# bench/stack_cost.c). Only alert and block events pay it; allowed calls
# never do. Medians of STACK_N (200) captures, measured in-process.
set -eu
: "${BUILD:?}"
N=${STACK_N:-200}
cost=$BUILD/bench/stack_cost
py=$(readlink -f /usr/bin/python3)

row() { # label, then the program (none: stack_cost itself)
	local label=$1
	shift
	read -r frames cold fresh warm pages < <("$cost" "$N" "$@")
	printf '  %-28s %6s %10s %11s %9s %12s\n' "$label" "$frames" "$cold" "$fresh" "$warm" "$pages"
}

echo "kernel $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "one stack capture + symbolisation, us (median of $N):"
printf '  %-28s %6s %10s %11s %9s %12s\n' program frames cold "new image" warm "pages read"
row "C, 8 calls deep"
row "python3 ($(basename "$py")), 5 calls" "$py" -c '
import os, signal
def f(n):
    if n:
        return f(n - 1)
    os.kill(os.getpid(), signal.SIGSTOP)
f(5)'
if [ -x /usr/bin/node ]; then
	row "node, startup stack" /usr/bin/node -e "process.kill(process.pid, 'SIGSTOP')"
fi
echo "cold: no file read yet; new image: files cached, new address space; warm: same call site again"
