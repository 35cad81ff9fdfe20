#!/bin/sh
# check-glibc.sh BINARY [MAX]: does BINARY run on a glibc as old as MAX
# (default 2.34, Amazon Linux 2023's)? Reads the version requirements the
# dynamic linker checks (readelf -V) and the symbols that carry them
# (objdump -T). Prints each requirement newer than MAX with its symbols and
# exits 1; prints "BINARY: glibc <= MAX: ok (highest: GLIBC_x.y)" and exits 0
# otherwise. Exit 2: usage or unreadable binary.
set -eu
if [ "$#" -lt 1 ] || [ "$#" -gt 2 ]; then
	echo "usage: check-glibc.sh BINARY [MAX]" >&2
	exit 2
fi
bin=$1
max=${2:-2.34}
vneed=$(readelf -V -W "$bin" 2>/dev/null) || { echo "check-glibc: $bin: cannot read ELF version sections" >&2; exit 2; }
syms=$(${OBJDUMP:-objdump} -T "$bin" 2>/dev/null) || { echo "check-glibc: $bin: ${OBJDUMP:-objdump} -T failed" >&2; exit 2; }
# Every GLIBC_* version the binary needs: too new if GLIBC_2.N with N above
# MAX's minor, or any other GLIBC_ name (GLIBC_ABI_DT_RELR came with 2.36,
# GLIBC_PRIVATE is never a stable interface).
bad=$(printf '%s\n' "$vneed" | awk -v max="$max" '
	{ for (i = 1; i <= NF; i++) if ($i ~ /^GLIBC_/) print $i }' | sort -u | awk -v max="$max" '
	BEGIN { split(max, m, ".") }
	/^GLIBC_2\.[0-9]+(\.[0-9]+)?$/ {
		split(substr($0, 7), v, ".")
		if (v[1] + 0 > m[1] + 0 || (v[1] + 0 == m[1] + 0 && v[2] + 0 > m[2] + 0) ||
		    (v[1] + 0 == m[1] + 0 && v[2] + 0 == m[2] + 0 && v[3] + 0 > m[3] + 0)) print
		next
	}
	{ print }')
if [ -n "$bad" ]; then
	for v in $bad; do
		users=$(printf '%s\n' "$syms" | awk -v v="($v)" '$0 ~ /\*UND\*/ && index($0, v) { printf "%s%s", sep, $NF; sep = " " }')
		echo "check-glibc: $bin needs $v (glibc > $max): ${users:-no symbol named, a version-need entry}" >&2
	done
	exit 1
fi
high=$(printf '%s\n' "$vneed" | grep -o 'GLIBC_2\.[0-9.]*' | sort -uV | tail -1)
echo "$bin: glibc <= $max: ok (highest: ${high:-none})"
