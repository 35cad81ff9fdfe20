#!/usr/bin/env bash
# Run one outbound-connectivity scenario inside a network namespace of its
# own (unshare -n): 192.0.2.1 (TEST-NET-1) is an address of that namespace's
# own lo (not 127/8, so fnguard judges it like any remote address), so
# "outbound" traffic never leaves this namespace.
#   netns.sh PROTO PORT -- fnguard run ... : prints "received N" last
set -eu
proto=$1 port=$2
shift 3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
ip link set lo up
ip addr add 192.0.2.1/32 dev lo
python3 "$(dirname "$0")/listener.py" "$proto" 192.0.2.1 "$port" "$dir/ready" "$dir/stop" "$dir/count" &
lpid=$!
for _ in $(seq 100); do [ -e "$dir/ready" ] && break; sleep 0.05; done
set +e
"$@"
rc=$?
set -e
touch "$dir/stop"
wait "$lpid"
echo "received $(cat "$dir/count")"
exit $rc
