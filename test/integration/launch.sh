# The runtime's launch under the default policy (docs/policy.md,
# create_child_process): shim chains, env and bootstrap scripts start the
# runtime; the function's own execs, and a bootstrap's fork + exec, are
# still child processes. Missing programs fail with ENOENT and no event; a
# PATH search is one event; default-rule events say why.

LAUNCH_PATH=/usr/bin:/bin

# blocked_execs: how many create_child_process blocks were reported.
blocked_execs() {
	ev_count policy=create_child_process action=blocked
}

# A #!/bin/sh bootstrap in $WORK that execs its arguments' command.
bootstrap() { # name command...
	local f=$WORK/$1
	shift
	printf '#!/bin/sh\n%s\n' "$*" >"$f"
	chmod 755 "$f"
	echo "$f"
}

t_launch_pyenv_shim() {
	local shim=${PYENV_ROOT:-$HOME/.pyenv}/shims/python3
	[ -x "$shim" ] || { echo "no pyenv shim on this machine: skipped"; return 0; }
	PATH=$(dirname "$shim"):$PATH fng -- python3 -c 'print(6 * 7)'
	assert_rc 0
	assert_out '^42$'
	assert_eq "$(blocked_execs)" 0 "blocked execs of pyenv's shim chain"
	# ... and the python it started is the function: its exec is a child.
	EV=$WORK/ev-child.jsonl
	PATH=$(dirname "$shim"):$PATH fng -- python3 -c 'import subprocess
try: subprocess.run(["/bin/true"]); print("ran")
except PermissionError: print("refused")'
	assert_out '^refused$'
	expect_events 1 policy=create_child_process action=blocked details.program=/usr/bin/true
}

# An asdf/rbenv-style shim: #!/usr/bin/env bash, subshells running helper
# scripts and readlink/dirname, then exec of the real interpreter.
t_launch_asdf_style_shim() {
	mkdir -p "$WORK/asdf/shims" "$WORK/asdf/bin" "$WORK/asdf/libexec"
	cat >"$WORK/asdf/shims/python3" <<-SH
	#!/usr/bin/env bash
	exec "$WORK/asdf/bin/asdf" exec python3 "\$@"
	SH
	cat >"$WORK/asdf/bin/asdf" <<-'SH'
	#!/usr/bin/env bash
	set -e
	root=$(dirname "$(dirname "$(readlink -f "$0")")")
	version=$("$root/libexec/asdf-version")
	shift; tool=$1; shift
	[ "$version" = 3.11 ] || exit 9
	exec /usr/bin/$tool "$@"
	SH
	printf '#!/bin/sh\necho 3.11\n' >"$WORK/asdf/libexec/asdf-version"
	chmod 755 "$WORK/asdf/shims/python3" "$WORK/asdf/bin/asdf" "$WORK/asdf/libexec/asdf-version"
	PATH=$WORK/asdf/shims:$LAUNCH_PATH fng -- python3 -c 'print("asdf ok")'
	assert_rc 0
	assert_out '^asdf ok$'
	assert_eq "$(blocked_execs)" 0 "blocked execs of the shim chain"
}

t_launch_env() {
	printf 'print("env ok")\n' >"$WORK/app.py"
	PATH=$LAUNCH_PATH fng -- env python3 app.py
	assert_rc 0
	assert_out '^env ok$'
	assert_eq "$(blocked_execs)" 0 "blocked execs of env python3"
	# env running a shell that runs a program: the shell is the runtime.
	EV=$WORK/ev-sh.jsonl
	PATH=$LAUNCH_PATH fng -- env sh -c 'id -u >/dev/null && echo ran; echo after'
	assert_out '^after$'
	grep -q '^ran$' "$WORK/out" && fail "sh's child ran"
	expect_events 1 policy=create_child_process action=blocked details.program=/usr/bin/id
}

t_launch_bootstrap_exec_python() {
	fng -- "$(bootstrap boot "exec $PY -c 'print(\"py ok\")'")"
	assert_rc 0
	assert_out '^py ok$'
	assert_eq "$(blocked_execs)" 0 "blocked execs"
}

t_launch_bootstrap_exec_node() {
	fng -- "$(bootstrap boot "exec $NODE -e 'console.log(\"node ok\")'")"
	assert_rc 0
	assert_out '^node ok$'
	assert_eq "$(blocked_execs)" 0 "blocked execs"
}

t_launch_bootstrap_exec_go() {
	[ -x "$BUILD/test/progs/runtime-go-static" ] || fail "runtime-go-static not built (go on PATH?)"
	fng -- "$(bootstrap boot "exec $BUILD/test/progs/runtime-go-static goroutines")"
	assert_rc 0
	assert_out '^goroutines 4950$'
	assert_eq "$(blocked_execs)" 0 "blocked execs"
}

# A launcher that re-execs itself (java's launcher does, for its library
# path): once, the same file and argv, before any thread.
t_launch_self_reexec() {
	fng -- "$BUILD/test/progs/reexec" a b
	assert_rc 0
	assert_out '^reexec ok after 1$'
	assert_eq "$(blocked_execs)" 0 "blocked execs"
	EV=$WORK/ev-twice.jsonl
	fng -- "$BUILD/test/progs/reexec" --twice
	assert_out '^reexec refused: Permission denied$'
	expect_events 1 policy=create_child_process action=blocked
	EV=$WORK/ev-thread.jsonl
	fng -- "$BUILD/test/progs/reexec" --thread
	assert_out '^reexec refused: Permission denied$'
	expect_events 1 policy=create_child_process action=blocked
	# And through a bootstrap: the runtime it execs may re-exec itself.
	EV=$WORK/ev-boot.jsonl
	fng -- "$(bootstrap boot "exec $BUILD/test/progs/reexec x")"
	assert_out '^reexec ok after 1$'
	assert_eq "$(blocked_execs)" 0 "blocked execs"
}

t_launch_function_subprocess_blocked() {
	fng -- "$(bootstrap boot "exec $PY -c 'import subprocess
try: subprocess.run([\"/bin/true\"]); print(\"ran\")
except PermissionError: print(\"refused\")'")"
	assert_out '^refused$'
	expect_events 1 policy=create_child_process action=blocked details.program=/usr/bin/true
}

t_launch_node_child_process_blocked() {
	fng -- "$(bootstrap boot "exec $NODE -e 'require(\"child_process\").exec(\"id\", (e, o) => console.log(e ? \"refused\" : o))'")"
	assert_out '^refused$'
	expect_events 1 policy=create_child_process action=blocked details.program=/usr/bin/dash
}

t_launch_bootstrap_curl_blocked() {
	fng -- "$(bootstrap boot "curl -s -o /dev/null http://127.0.0.1:9/ ; echo curl=\$?
exec $PY -c 'print(\"py ok\")'")"
	assert_rc 0
	assert_out '^curl=126$'
	assert_out '^py ok$'
	expect_events 1 policy=create_child_process action=blocked details.program=/usr/bin/curl
}

t_launch_python_execv_blocked() {
	fng -- "$(bootstrap boot "exec $PY -c 'import os
try: os.execv(\"/bin/sh\", [\"sh\", \"-c\", \"echo replaced\"])
except PermissionError: print(\"refused\")'")"
	assert_out '^refused$'
	grep -q replaced "$WORK/out" && fail "python replaced itself with sh"
	expect_events 1 policy=create_child_process action=blocked details.program=/usr/bin/dash
}

# The launch is the root's: a child forked by the bootstrap cannot run a
# program, nor a python the launch started run a #! script.
t_launch_python_runs_script_blocked() {
	printf '#!/bin/sh\necho script ran\n' >"$WORK/s.sh"
	chmod 755 "$WORK/s.sh"
	fng -- "$(bootstrap boot "exec $PY -c 'import os
try: os.execv(\"$WORK/s.sh\", [\"s.sh\"])
except PermissionError: print(\"refused\")'")"
	assert_out '^refused$'
	expect_events 1 policy=create_child_process action=blocked
}

t_adv_launch_ride() {
	adv_case launch_ride 5
	# ... and after a real launch (a #!/usr/bin/env sh bootstrap).
	EV=$WORK/ev-boot.jsonl
	printf '#!/usr/bin/env sh\nexec %s\n' "$BUILD/test/adversarial/launch_ride" >"$WORK/boot"
	chmod 755 "$WORK/boot"
	fng -- "$WORK/boot"
	if grep -q BYPASSED "$WORK/out" || grep -q ERROR "$WORK/out" || [ "$RC" -ne 0 ]; then
		cat "$WORK/out"
		fail "launch_ride after a bootstrap: $RC vector(s) got through"
	fi
}

# A program that does not exist: ENOENT, as natively, and no event.
t_launch_missing_program() {
	fng -- sh -c '/nonexist/x; echo rc=$?'
	assert_out '^rc=127$'
	assert_err 'not found'
	expect_events 0 policy=create_child_process
	EV=$WORK/ev-execv.jsonl
	fng -- "$PY" -c 'import os
try: os.execv("/nonexist/x", ["x"])
except OSError as e: print(e.errno == 2)'
	assert_out '^True$'
	expect_events 0 action=blocked
}

# A PATH search (every directory tried in turn) is one event, and the
# existing program is still refused.
t_launch_path_search_one_event() {
	PATH=$WORK/none:/usr/bin:/bin:/usr/bin:$WORK/none2:/bin fng -- "$PY" -c 'import subprocess
try: subprocess.run(["id"]); print("ran")
except PermissionError: print("refused")'
	assert_out '^refused$'
	expect_events 1 policy=create_child_process action=blocked
	expect_events 1 action=blocked
}

# Every event of a default rule says why (details.reason).
t_launch_reason_default_rules() {
	fng -- "$PY" -c 'import socket, subprocess
try: open("/tmp/fng-reason-x", "w")
except PermissionError: pass
s = socket.socket(); s.settimeout(1)
try: s.connect(("192.0.2.1", 80))
except OSError: pass
try: subprocess.run(["/bin/true"])
except PermissionError: pass'
	expect_events 3 action=blocked
	for rule in read_write_tmp outbound_connectivity create_child_process; do
		[ "$(ev_count policy=$rule action=blocked details.reason=*)" = 1 ] || fail "$rule event has no reason"
	done
}
