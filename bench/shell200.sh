#!/bin/sh
# The shell case of make bench: a script that runs 200 external commands, as a
# custom-runtime bootstrap doing its housekeeping would. Absolute paths, so no
# builtin stands in for a command (true and echo are builtins in sh).
i=0
while [ $i -lt 40 ]; do
	/bin/true
	/bin/echo "$i" >/dev/null
	/bin/cat "$0" >/dev/null
	/bin/ls / >/dev/null
	/usr/bin/basename "$0" >/dev/null
	i=$((i + 1))
done
