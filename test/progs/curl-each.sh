#!/bin/sh
# curl-each.sh HOST[:PORT]...: `curl http://HOST:PORT/` (port 8080 by default)
# for each target, the way a shell bootstrap calls it. One line per target:
#   OK NAME               curl got the body "hello"
#   DENIED 13 NAME        the connect failed with EACCES (curl -v prints
#                         "Permission denied")
#   NORESOLVE 6 NAME      curl could not resolve the name (exit 6)
#   FAILED rc=N NAME      anything else
# Exit status 0 whatever the outcomes. No temp files: the verbose trace and
# the body share one capture (the body is the only place "hello" appears).
for t in "$@"; do
	case $t in *:*) url=http://$t/ ;; *) url=http://$t:8080/ ;; esac
	res=$(curl -sv --noproxy '*' --max-time 10 "$url" 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && printf '%s\n' "$res" | grep -q hello; then
		echo "OK $t"
	elif [ $rc -eq 6 ]; then
		echo "NORESOLVE 6 $t"
	elif printf '%s\n' "$res" | grep -q 'Permission denied'; then
		echo "DENIED 13 $t"
	else
		echo "FAILED rc=$rc $t"
	fi
done
exit 0
