#!/usr/bin/env bash
# `make demo`: example functions trip each rule of the default policy.
# The outbound attempt targets 192.0.2.10 (TEST-NET-1, reserved for examples)
# and runs in a network namespace of its own, so no packet can leave this
# machine even if a rule were off; without namespaces the attempt is skipped.
set -u
FNGUARD=${1:-./fnguard}
here=$(cd "$(dirname "$0")" && pwd -P)
events=$(mktemp)
copy=""
trap 'rm -f "$events"; [ -z "$copy" ] || rm -rf "$copy"' EXIT
case $here in
/tmp | /tmp/*)
	# A checkout under /tmp: the functions' own files would be inside the
	# temp root the default policy guards. Run copies from elsewhere.
	copy=$(mktemp -d /var/tmp/fnguard-demo.XXXXXX)
	cp -r "$here"/. "$copy"
	here=$copy ;;
esac
export AWS_LAMBDA_RUNTIME_API=127.0.0.1:9   # nothing listens: the call just ends init
export AWS_LAMBDA_FUNCTION_NAME=fnguard-demo

isolate=()
if unshare -n true 2>/dev/null; then
	isolate=(unshare -n --)
else
	export FNGUARD_DEMO_NO_NET=1
fi

run() {
	echo
	echo "\$ fnguard run -- $*"
	"${isolate[@]}" "$FNGUARD" run --no-proxy --log "file:$events" -- "$@"
	echo "  (exit status $?)"
}

echo "fnguard demo: the default policy (outbound_connectivity, read_write_tmp,"
echo "create_child_process, read_handler: all block) around three small functions."
LAMBDA_TASK_ROOT=$here/python _HANDLER=app.handler run /usr/bin/python3 "$here/python/app.py"
LAMBDA_TASK_ROOT=$here/node _HANDLER=index.handler run /usr/bin/node "$here/node/index.js"
run "$here/shell/bootstrap"

echo
echo "Events (JSON lines; this is what reaches the function's log):"
grep -v '"event_type":"lifecycle"' "$events" | while IFS= read -r line; do
	printf '%s\n' "$line" | python3 -c 'import json,sys; e=json.load(sys.stdin); d=e.get("details",{}); print("  %-8s %-22s %-8s %-10s %s" % (e["event_type"], e.get("policy","-"), e.get("action",""), e.get("syscall",""), d.get("path") or d.get("program") or "%s:%s" % (d.get("host"), d.get("port"))))'
done
echo
echo "Full event example:"
grep '"policy":"read_write_tmp"' "$events" | head -1 | python3 -m json.tool | sed 's/^/  /'
