# The command line as an strace user and a CI job meet it: help and option
# errors alike for every command, strace's short options meaning what strace
# means (or refused by name), bash completion, a refused syslog connection
# named as such, and baseline as a CI gate for a Lambda-style runtime.

# cli_try ARGS...: fnguard ARGS, stdout in $WORK/out, stderr in $WORK/err, RC.
cli_try() {
	set +e
	"$FNGUARD" "$@" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
}

# Every command and subcommand: help on stdout, exit 0; an unknown option is
# one line naming the command, exit 2.
t_cli_help_and_unknown_options() {
	local cmd line
	cli_try help
	assert_rc 0
	assert_out "fnguard trace"
	for cmd in run trace baseline emulate "policy check" "baseline diff" "baseline merge"; do
		# shellcheck disable=SC2086
		cli_try $cmd --help
		assert_rc 0
		assert_out "usage: fnguard ${cmd%% *}"
		[ -s "$WORK/err" ] && fail "$cmd --help wrote to stderr: $(cat "$WORK/err")"
		# shellcheck disable=SC2086
		cli_try help $cmd
		assert_rc 0
		assert_out "usage: fnguard ${cmd%% *}"
		# shellcheck disable=SC2086
		cli_try $cmd --bogus /bin/true
		assert_rc 2
		line="fnguard: $cmd: unknown option '--bogus' (see fnguard $cmd --help)"
		assert_eq "$(cat "$WORK/err")" "$line" "$cmd --bogus"
		[ -s "$WORK/out" ] && fail "$cmd --bogus wrote to stdout"
		true
	done
	cli_try trace -x /bin/true
	assert_rc 2
	assert_eq "$(cat "$WORK/err")" "fnguard: trace: unknown option '-x' (see fnguard trace --help)" "trace -x"
	cli_try run --policy
	assert_rc 2
	assert_eq "$(wc -l <"$WORK/err")" 1 "missing argument: lines"
	assert_err "run: option '--policy' needs an argument"
	cli_try bogus
	assert_rc 2
	assert_err "unknown command 'bogus'"
}

# -p is strace's attach, never --policy; -f is accepted, -ff refused saying why.
t_cli_strace_p_and_f() {
	local cmd
	for cmd in run trace baseline; do
		cli_try "$cmd" -p 1 -- /bin/true
		assert_rc 2
		assert_err "$cmd: -p: fnguard cannot attach to a running process"
		assert_eq "$(wc -l <"$WORK/err")" 1 "$cmd -p: lines"
	done
	cli_try trace -o "$WORK/t.txt" -f -- /bin/true
	assert_rc 0
	grep -q '^+++ exited with 0 +++$' "$WORK/t.txt" || fail "trace -f did not trace"
	cli_try trace -ff -- /bin/true
	assert_rc 2
	assert_err "trace: -ff: fnguard writes no file per process"
}

# -e sets add up; strace's trace=%class names map to fnguard's classes; a
# system call name is refused by name.
t_cli_strace_e_sets() {
	local t=$WORK/t.txt prog='echo x >"$TMPD/e"; /bin/true'
	for e in "-e file -e process" "-e trace=%file -e trace=%process" "-e trace=%file,%process" "-e file,process"; do
		# shellcheck disable=SC2086
		cli_try trace -o "$t" $e -- /bin/sh -c "$prog"
		assert_rc 0
		grep -qE "openat\(\"$TMPD/e\"" "$t" || fail "$e: no file line: $(cat "$t")"
		grep -qE 'execve\("/usr/bin/true"' "$t" || fail "$e: no process line: $(cat "$t")"
	done
	cli_try trace -o "$t" -e trace=%network -- /bin/sh -c "$prog"
	assert_rc 0
	grep -qE 'openat\(|execve\(' "$t" && fail "-e trace=%network shows files or execs"
	cli_try trace -e trace=open -- /bin/true
	assert_rc 2
	assert_err "'open' is not one: fnguard watches classes of calls"
	cli_try trace -e abbrev=none -- /bin/true
	assert_rc 2
	assert_err "no strace qualifier 'abbrev'"
}

# -c: the summary only; -o: the trace in the file; -tt / -ttt: wall-clock times.
t_cli_strace_c_o_t() {
	local t=$WORK/t.txt
	cli_try trace -c -o "$t" -- /bin/sh -c 'echo x >"$TMPD/c"; /bin/true'
	assert_rc 0
	grep -qE '^[0-9.:]+ \[pid' "$t" && fail "-c printed call lines: $(cat "$t")"
	grep -q "^--- \(start\|notice\)" "$t" && fail "-c printed the start and notice lines (strace -c shows the table only)"
	grep -qE '^process +0 +1 ' "$t" || fail "-c: no summary counting the exec: $(cat "$t")"
	grep -qE "^ +1  $TMPD/c$" "$t" || fail "-c: the files table lacks $TMPD/c"
	grep -q '\[pid' "$WORK/err" && fail "-o: lines went to stderr"
	cli_try trace -tt -o "$t" -- /bin/sh -c '/bin/true'
	assert_rc 0
	grep -qE '^[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\.[0-9]{6} \[pid +[0-9]+\] execve\(' "$t" ||
		fail "-tt: no HH:MM:SS.micro line: $(cat "$t")"
	cli_try trace -ttt -o "$t" -- /bin/sh -c '/bin/true'
	grep -qE '^1[0-9]{9}\.[0-9]{6} \[pid +[0-9]+\] execve\(' "$t" || fail "-ttt: no epoch line: $(cat "$t")"
	cli_try trace -c --json -- /bin/true
	assert_rc 2
}

# A syslog collector that is down: the connection was refused, said so.
t_cli_syslog_tcp_refused() {
	local port
	port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	cli_try run --flush-timeout 300 --log "syslog+tcp://127.0.0.1:$port" -- /bin/sh -c 'cat /etc/hostname >/dev/null; /bin/true'
	grep -q "syslog+tcp://127.0.0.1:$port: connect: Connection refused" "$WORK/err" ||
		fail "no 'Connection refused': $(cat "$WORK/err")"
	grep -q "Bad file descriptor" "$WORK/err" && fail "says Bad file descriptor"
	true
}

# The completion offers commands, each command's options (every option its
# --help names) and --log's destination kinds.
t_cli_bash_completion() {
	local got opt cmd
	comp() { # words...: the completions of the last word
		bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _fnguard; printf "%s\n" "${COMPREPLY[@]}"' \
			comp "$ROOT/scripts/completion/fnguard.bash" "$@"
	}
	assert_eq "$(comp fnguard tr | tr '\n' ' ')" "trace " "commands"
	assert_eq "$(comp fnguard trace --po | tr '\n' ' ')" "--policy " "trace options"
	assert_eq "$(comp fnguard run --log sys | sort | tr '\n' ' ')" "syslog+tcp:// syslog+udp:// syslog: " "log destinations"
	assert_eq "$(comp fnguard baseline d | tr '\n' ' ')" "diff " "baseline subcommands"
	assert_eq "$(comp fnguard run --log-format o | tr '\n' ' ')" "ocsf " "log formats"
	assert_eq "$(comp fnguard run --log-format "" | tr '\n' ' ')" "fnguard ocsf falco text " "every log format"
	for cmd in run trace baseline emulate; do
		for opt in $("$FNGUARD" "$cmd" --help | grep -oE '(^|[ [,])--?[a-z][a-z-]*' | sed 's/^[ [,]//' | sort -u); do
			[ "$opt" = -p ] && continue # named as refused
			comp fnguard "$cmd" "$opt" | grep -qx -- "$opt" || fail "completion of $cmd lacks $opt"
		done
	done
}

# make install puts the completion under PREFIX, inside DESTDIR.
t_cli_install_completion() {
	make -s -C "$ROOT" install DESTDIR="$WORK/dest" PREFIX=/opt/fng >"$WORK/out" 2>&1 || fail "make install: $(cat "$WORK/out")"
	assert_exists "$WORK/dest/opt/fng/share/bash-completion/completions/fnguard"
	assert_exists "$WORK/dest/opt/fng/bin/fnguard"
}

# Baseline as a CI gate for a Lambda-style runtime, with the natural command
# (baseline --event): two identical runs learn the same profile, and nothing
# of fnguard's own (its Runtime API proxy) is in it.
t_cli_baseline_lambda_gate() {
	local i
	mkdir -p "$WORK/task"
	cp "$ROOT/test/progs/lambda/app.py" "$WORK/task/"
	export LAMBDA_TASK_ROOT=$WORK/task _HANDLER=app.handler
	unset AWS_LAMBDA_RUNTIME_API
	printf '{"a": 1}\n' >"$WORK/e.json"
	for i in 1 2; do
		cli_try baseline -o "$WORK/p$i.json" --event "$WORK/e.json" -- "$PY" "$ROOT/examples/runtimes/python/bootstrap"
		assert_rc 0
		assert_out '"status":"success"'
		assert_err "allowlist entries written to"
	done
	grep -q '127\.0\.0\.1' "$WORK/p1.json" && fail "the profile learnt a loopback address: $(cat "$WORK/p1.json")"
	cli_try baseline diff "$WORK/p1.json" "$WORK/p2.json"
	assert_rc 0
	# trace takes --event too: the runtime answers, the trace shows its calls
	cli_try trace -e process --event "$WORK/e.json" -- "$PY" "$ROOT/examples/runtimes/python/bootstrap"
	assert_rc 0
	assert_out '"response":"{\\"a\\": 1}"'
	assert_err '^+++ '
	# and emulate around fnguard itself runs it directly (not under a second tracer)
	cli_try emulate --event "$WORK/e.json" -- "$FNGUARD" baseline -o "$WORK/p3.json" -- "$PY" "$ROOT/examples/runtimes/python/bootstrap"
	assert_rc 0
	cli_try baseline diff "$WORK/p1.json" "$WORK/p3.json"
	assert_rc 0
}
