# Every common runtime under fnguard: a static and a dynamic Go binary, Java,
# Ruby and a custom runtime written in C (test/progs: goroutines or
# threads, a loopback TCP echo, an exec of /bin/true). Each runs under the
# default policy (starts, works, its exec refused and nothing else
# reported), under an all-alert policy (output identical to a native run),
# and as a Lambda custom runtime behind a #!/bin/sh bootstrap under
# `fnguard emulate`.

ALL_ALERT='{"outbound_connectivity":"alert","read_write_tmp":"alert","create_child_process":"alert","read_handler":"alert"}'
# The JVM keeps its perf-data file (for jps, jstat) under /tmp: its own
# file is allowed (docs/policy.md, read_write_tmp; test/integration/jvmperf.sh),
# so Java runs as it is. t_runtime_java_noperfdata turns the file off.
JAVA_OPTS=${JAVA_OPTS:-}

# The java runtime, compiled into the build dir at test time.
java_classes() {
	command -v javac >/dev/null || fail "javac not on PATH (scripts/install-deps.sh installs default-jdk-headless)"
	mkdir -p "$BUILD/java"
	[ "$BUILD/java/FnRuntime.class" -nt "$ROOT/test/progs/java/FnRuntime.java" ] ||
		javac -d "$BUILD/java" "$ROOT/test/progs/java/FnRuntime.java" || fail "javac failed"
}

# runtime_cmd NAME: the command that runs runtime NAME (its words, one a line).
runtime_cmd() {
	case $1 in
	go-static | go-dynamic)
		[ -x "$BUILD/test/progs/runtime-$1" ] || fail "runtime-$1 not built (go on PATH?)"
		echo "$BUILD/test/progs/runtime-$1" ;;
	java) java_classes; echo "/usr/bin/java ${JAVA_OPTS:+$JAVA_OPTS }-cp $BUILD/java FnRuntime" ;;
	ruby) echo "/usr/bin/ruby $ROOT/test/progs/runtime.rb" ;;
	c) echo "$BUILD/test/progs/runtime_c" ;;
	esac
}

# runtime_check NAME: the three runs.
runtime_check() {
	local cmd native
	cmd=$(runtime_cmd "$1")
	native=$($cmd) || fail "$1 fails natively"
	assert_eq "$native" "$(printf '%s\n' "threads 4950" "echo hello" "exec ok" | sed "s/^threads/$(case $1 in go-*) echo goroutines ;; *) echo threads ;; esac)/")" "$1 natively"

	# Default policy: it runs; its exec is the one thing refused.
	# shellcheck disable=SC2086
	fng -- $cmd
	assert_rc 0
	assert_eq "$(cat "$WORK/out")" "$(printf '%s\n' "$native" | sed 's/^exec ok$/exec refused/')" "$1 under the default policy"
	expect_events 1 action=blocked
	expect_events 1 action=blocked policy=create_child_process
	expect_events 0 action=alerted
	assert_events_valid

	# All alert: output identical to native.
	EV=$WORK/events-alert.jsonl
	# shellcheck disable=SC2086
	fng --policy "$(policy "$ALL_ALERT")" -- $cmd
	assert_rc 0
	assert_eq "$(cat "$WORK/out")" "$native" "$1 under an all-alert policy"
	expect_events 0 action=blocked
	[ "$(ev_count action=alerted policy=create_child_process)" -ge 1 ] || fail "$1: its exec was not reported"
	expect_events 0 action=alerted policy=read_write_tmp
	expect_events 0 action=alerted policy=outbound_connectivity

	# A Lambda custom runtime: a #!/bin/sh bootstrap that execs it.
	EV=$WORK/events-lambda.jsonl
	printf '#!/bin/sh\nexec %s lambda\n' "$cmd" >"$WORK/bootstrap"
	chmod 755 "$WORK/bootstrap"
	printf '%s\n' '{"a":1}' '{"b":2}' >"$WORK/in.jsonl"
	set +e
	"$FNGUARD" emulate --log "file:$EV" --events "$WORK/in.jsonl" -- "$WORK/bootstrap" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 0
	[ "$(grep -c '"status":"success"' "$WORK/out")" = 2 ] || { cat "$WORK/out" "$WORK/err"; fail "$1: two invocations expected"; }
	grep -q 'echo hello' "$WORK/out" || fail "$1: no loopback echo in the response"
	grep -q '4950' "$WORK/out" || fail "$1: no thread sum in the response"
	expect_events 0 action=blocked
	expect_events 0 action=alerted
}

t_runtime_go_static() { runtime_check go-static; }
t_runtime_go_dynamic() { runtime_check go-dynamic; }
t_runtime_java() { runtime_check java; }
t_runtime_java_noperfdata() { JAVA_OPTS=-XX:-UsePerfData runtime_check java; }
t_runtime_ruby() { runtime_check ruby; }
t_runtime_c() { runtime_check c; }
