#!/usr/bin/env bash
# The one test runner behind `make check`: cmocka unit tests, then the
# integration and adversarial tests (real programs under fnguard). Ends with
# "N passed, N failed" and exits non-zero on any failure.
set -u
cd "$(dirname "$0")/.."
: "${FNGUARD:?FNGUARD must point at the fnguard binary}"
: "${BUILD:?BUILD must point at the build directory}"
export FNGUARD BUILD
ROOT=$(pwd)
export ROOT

PASSED=0
FAILED=0
FAILED_NAMES=()
SKIPPED=()

if [ -n "${SANITIZE:-}" ]; then
	# LeakSanitizer needs ptrace of its own process, which fnguard's
	# non-dumpable supervisor and the tests' tracer do not allow.
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
fi

echo "== unit tests"
for t in "$BUILD"/test/unit/test_*; do
	[ -x "$t" ] || continue
	out=$("$t" 2>&1)
	rc=$?
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	p=${p:-0}
	f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 # crashed or failed outside a test case
	fi
	PASSED=$((PASSED + p))
	FAILED=$((FAILED + f))
	if [ "$f" -ne 0 ]; then
		FAILED_NAMES+=("$(basename "$t")")
		printf '%s\n' "$out" | grep -E 'FAILED|ERROR|error|Assert|BUG' | head -20 | sed 's/^/    /'
	fi
	printf '  %-28s %3d passed, %d failed\n' "$(basename "$t")" "$p" "$f"
done

# shellcheck source=test/lib/lib.sh
. test/lib/lib.sh
for f in test/integration/*.sh; do
	# shellcheck disable=SC1090
	. "$f"
done

echo "== integration and adversarial tests"
only=${TESTS:-}
for t in $(declare -F | awk '{print $3}' | grep '^t_' | sort); do
	if [ -n "$only" ] && ! [[ $t =~ $only ]]; then
		continue
	fi
	fng_run_test "$t"
	rc=$?
	if [ $rc -eq 0 ]; then
		PASSED=$((PASSED + 1))
	elif [ $rc -eq 77 ]; then
		SKIPPED+=("$t")
	else
		FAILED=$((FAILED + 1))
		FAILED_NAMES+=("$t")
	fi
done

if [ ${#FAILED_NAMES[@]} -gt 0 ]; then
	echo "failed: ${FAILED_NAMES[*]}"
fi
if [ ${#SKIPPED[@]} -gt 0 ]; then
	echo "skipped: ${SKIPPED[*]}"
fi
echo "$PASSED passed, $FAILED failed, ${#SKIPPED[@]} skipped"
[ "$FAILED" -eq 0 ]
