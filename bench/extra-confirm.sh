#!/usr/bin/env bash
# make bench, confirmed_attacks: what tracking every input value costs
# (bench/confirm_cost.c, in-process, medians of CONFIRM_N): the index of a
# 6 MB event built (walk included) and its size, and one exec (sh -c), open
# and connect check against it, for many small values, distinct values,
# values sharing the payload's prefix, and nested values that all occur in
# one argument (the shapes an attacker picks); long_*: a 100 KiB script and
# a 4000-byte path. Thread CPU time.
set -eu
: "${BUILD:?}"
N=${CONFIRM_N:-21}
echo "confirmed_attacks, 6 MB events (median of $N, in-process):"
"$BUILD/bench/confirm_cost" "$N" | column -t | sed 's/^/  /'
