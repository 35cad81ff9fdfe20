# The JVM's perf-data file (docs/policy.md, read_write_tmp "jvm_perfdata"):
# HotSpot keeps /tmp/hsperfdata_USER/PID for jps and jstat. A JVM makes,
# uses and removes its own file under the default policy with no event;
# nobody else gets anything there: a process that runs no JVM, a JVM
# opening another process's file, a path that leaves the directory (..),
# a symlink put in place of the JVM's file, and a racing thread steering
# an allowed call into the directory (which Landlock grants).

JVMPERF_ALERT='{"outbound_connectivity":"alert","read_write_tmp":"alert","create_child_process":"alert","read_handler":"alert"}'
JVMPERF_DIR=/tmp/hsperfdata_$(id -un)

jvmperf_java() {
	command -v javac >/dev/null || fail "javac not on PATH (scripts/install-deps.sh installs default-jdk-headless)"
	mkdir -p "$BUILD/java"
	[ "$BUILD/java/PerfData.class" -nt "$ROOT/test/progs/java/PerfData.java" ] ||
		javac -d "$BUILD/java" "$ROOT/test/progs/java/PerfData.java" || fail "javac failed"
	echo "/usr/bin/java -cp $BUILD/java PerfData"
}

# Its own file exists while it runs, under the default policy (Landlock),
# fnguard's fallback, and an all-alert policy; no event in any of them.
t_jvmperf_own_file() {
	local cmd
	cmd=$(jvmperf_java)
	assert_eq "$($cmd check)" "perfdata yes" "natively"
	# shellcheck disable=SC2086
	fng -- $cmd check
	assert_rc 0
	assert_eq "$(cat "$WORK/out")" "perfdata yes" "under the default policy"
	expect_events 0 action=*
	grep -q "but for the JVM's perf-data directory $JVMPERF_DIR" "$EV" || fail "no notice of the granted directory"
	EV=$WORK/ev-fallback.jsonl
	# shellcheck disable=SC2086
	FNGUARD_NO_LANDLOCK=1 fng -- $cmd check
	assert_eq "$(cat "$WORK/out")" "perfdata yes" "under the fallback"
	expect_events 0 action=*
	EV=$WORK/ev-alert.jsonl
	# shellcheck disable=SC2086
	fng --policy "$(policy "$JVMPERF_ALERT")" -- $cmd check
	assert_eq "$(cat "$WORK/out")" "perfdata yes" "under an all-alert policy"
	expect_events 0 action=*
}

# "jvm_perfdata": false: the rule as it is for any file (the JVM runs on
# without its file; its mkdir or opens are reported).
t_jvmperf_off() {
	local cmd
	cmd=$(jvmperf_java)
	# shellcheck disable=SC2086
	fng --policy "$(policy '{"read_write_tmp":{"action":"block","jvm_perfdata":false}}')" -- $cmd check
	assert_rc 0
	assert_eq "$(cat "$WORK/out")" "perfdata no" "with jvm_perfdata false"
	[ "$(ev_count action=blocked policy=read_write_tmp)" -ge 1 ] || fail "the JVM's perf-data calls were not reported"
	grep -q "but for the JVM's perf-data" "$EV" && fail "the directory was granted though jvm_perfdata is false"
	true
}

# A process that runs no JVM gets nothing there, even the JVM's own calls
# for a file named after itself.
jvmperf_nonjvm_case() {
	local code='import os, sys
p = "%s/%d" % (sys.argv[1], os.getpid())
try:
    fd = os.open(p, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    os.write(fd, b"data"); os.close(fd); os.unlink(p)
    print("open ok")
except OSError as e:
    print("open refused", e.errno)'
	assert_eq "$($PY -c "$code" "$JVMPERF_DIR")" "open ok" "natively"
	fng "$@" -- "$PY" -c "$code" "$JVMPERF_DIR"
	assert_rc 0
	assert_eq "$(cat "$WORK/out")" "open refused 13" "a non-JVM process"
	expect_events 1 action=blocked policy=read_write_tmp
}
t_jvmperf_nonjvm() { jvmperf_nonjvm_case; }
t_jvmperf_nonjvm_fallback() { FNGUARD_NO_LANDLOCK=1 jvmperf_nonjvm_case; }

# A JVM opening (creating, with O_NOFOLLOW as HotSpot does) another
# process's file, or a path through the directory that leaves it.
t_jvmperf_other_pid() {
	local cmd mode
	cmd=$(jvmperf_java)
	for mode in kernel fallback; do
		EV=$WORK/ev-$mode.jsonl
		# shellcheck disable=SC2086
		if [ $mode = fallback ]; then FNGUARD_NO_LANDLOCK=1 fng -- $cmd other; else fng -- $cmd other; fi
		assert_rc 0
		assert_eq "$(cat "$WORK/out")" "open refused: AccessDeniedException" "another process's file ($mode)"
		expect_events 1 action=blocked policy=read_write_tmp
	done
}
t_jvmperf_dotdot() {
	local cmd mode
	cmd=$(jvmperf_java)
	for mode in kernel fallback; do
		EV=$WORK/ev-$mode.jsonl
		# shellcheck disable=SC2086
		if [ $mode = fallback ]; then FNGUARD_NO_LANDLOCK=1 fng -- $cmd open "$JVMPERF_DIR/../${TMPD#/tmp/}/x"
		else fng -- $cmd open "$JVMPERF_DIR/../${TMPD#/tmp/}/x"; fi
		assert_rc 0
		assert_eq "$(cat "$WORK/out")" "open refused: AccessDeniedException" "a path leaving the directory ($mode)"
		assert_absent "$TMPD/x"
		expect_events 1 action=blocked policy=read_write_tmp details.path="$TMPD/x"
	done
}

# A symlink put in place of the JVM's own file (by someone outside, while
# it runs) leads where the rule applies: opening it is refused.
jvmperf_symlink_case() {
	local cmd pid i
	cmd=$(jvmperf_java)
	: >"$WORK/out" # before the poll below reads it: the job's redirection may come later
	set +e
	# shellcheck disable=SC2086
	"$FNGUARD" run --log "file:$EV" -- $cmd waitlink >"$WORK/out" 2>"$WORK/err" &
	local bg=$!
	set -e
	for i in $(seq 200); do
		pid=$(sed -n 's/^pid //p' "$WORK/out")
		[ -n "$pid" ] && break
		sleep 0.1
	done
	[ -n "$pid" ] || { kill "$bg"; fail "the JVM did not start"; }
	[ -f "$JVMPERF_DIR/$pid" ] || { kill "$bg"; fail "no perf-data file for $pid"; }
	ln -sfn "$TMPD/stash" "$JVMPERF_DIR/$pid.new"
	mv -T "$JVMPERF_DIR/$pid.new" "$JVMPERF_DIR/$pid"
	wait "$bg" || true
	assert_eq "$(sed -n 2p "$WORK/out")" "open refused: AccessDeniedException" "through a symlink"
	assert_absent "$TMPD/stash"
	expect_events 1 action=blocked policy=read_write_tmp details.path="$TMPD/stash"
}
t_jvmperf_symlink() { jvmperf_symlink_case; }
t_jvmperf_symlink_fallback() { FNGUARD_NO_LANDLOCK=1 jvmperf_symlink_case; }

# The directory is granted to the Landlock domain of a run whose command
# is java: a racing thread or a swapped symlink could steer a call fnguard
# allowed into it. path_race runs inside the JVM (a JVM agent, so the
# command is java's launcher and the directory is granted); its 40 vectors,
# aimed at a directory inside the granted one, are all held and refused.
t_jvmperf_race() {
	local d agent=$BUILD/test/jvmperf/librace_agent.so
	mkdir -p "$BUILD/test/jvmperf"
	[ "$agent" -nt "$ROOT/test/adversarial/path_race.c" ] && [ "$agent" -nt "$ROOT/test/progs/java/race_agent.c" ] ||
		cc -shared -fPIC -O1 -g -pthread -std=gnu11 -Wall -Wextra -Werror -Dmain=fng_adv_main \
			"$ROOT/test/adversarial/path_race.c" "$ROOT/test/progs/java/race_agent.c" -o "$agent" || fail "cc failed"
	mkdir -p "$JVMPERF_DIR"
	d=$(mktemp -d "$JVMPERF_DIR/fng-race.XXXXXX")
	rmdir "$TMPD"
	TMPD=$d # removed when the test ends
	adv_setup
	$PY -c 'import os, sys; os.setxattr(sys.argv[1], "user.fng_race_keep", b"1")' "$FNG_VICTIM"
	set +e
	FNG_RACE_ATTEMPTS="${FNG_RACE_ATTEMPTS:-150}" "$FNGUARD" run --log "file:$EV" \
		--policy "$(policy "$PATHRACE_POLICY")" -- /usr/bin/java -agentpath:"$agent" -version >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	if grep -q BYPASSED "$WORK/out" || grep -q ERROR "$WORK/out" || [ "$RC" -ne 0 ]; then
		cat "$WORK/out" "$WORK/err"
		fail "path_race in a JVM: $RC vector(s) got through"
	fi
	[ "$(grep -c '^vector .*: defended' "$WORK/out")" = 40 ] || fail "expected 40 defended vectors"
	grep -q "but for the JVM's perf-data directory" "$EV" || fail "the directory was not granted"
	[ "$(ev_count action=blocked policy=read_write_tmp)" -ge 40 ] || fail "the attempts were not reported"
	adv_tmp_untouched
}

# Only a run whose command is java's launcher gets the directory granted:
# others keep the whole temp root refused by the kernel (and a JVM started
# by a script runs without its file, with no event).
t_jvmperf_grant_only_for_java() {
	local cmd
	cmd=$(jvmperf_java)
	fng -- "$PY" -c 'print(1)'
	grep -q "but for the JVM's perf-data" "$EV" && fail "granted for python"
	grep -q "the kernel enforces the temp root" "$EV" || fail "no kernel notice"
	EV=$WORK/ev-script.jsonl
	printf '#!/bin/sh\nexec %s check\n' "$cmd" >"$WORK/boot"
	chmod 755 "$WORK/boot"
	fng -- "$WORK/boot"
	assert_rc 0
	assert_eq "$(cat "$WORK/out")" "perfdata no" "a JVM started by a script"
	expect_events 0 action=*
}

# test/adversarial/jvm_perfdata: a process that runs no JVM makes HotSpot's
# calls for a file named after itself (kernel enforcing, and the fallback).
t_adv_jvm_perfdata() {
	mkdir -p "$JVMPERF_DIR"
	adv_case jvm_perfdata 3
	EV=$WORK/ev-fallback.jsonl
	FNGUARD_NO_LANDLOCK=1 adv_case jvm_perfdata 3
}

# Files there named after a process that is gone are removed at the start
# and the end of a run, as HotSpot's start-up removes them natively: what a
# process of the function left there (content, size, mode) does not outlive
# the run (outside attack round 9 kept bytes in the sizes of files it left
# and read them with stat in a later run). A live process's file stays.
t_jvmperf_stale_files_swept() {
	local dead
	mkdir -p "$JVMPERF_DIR"
	dead=$(sh -c 'echo $$')
	while kill -0 "$dead" 2>/dev/null; do dead=$((dead + 1)); done
	printf 'x' >"$JVMPERF_DIR/$dead"
	truncate -s 4242 "$JVMPERF_DIR/$dead"
	sleep 60 &
	local live=$!
	printf 'y' >"$JVMPERF_DIR/$live"
	fng -- "$PY" -c 'print(1)'
	assert_rc 0
	assert_absent "$JVMPERF_DIR/$dead"
	[ -f "$JVMPERF_DIR/$live" ] || { kill "$live"; fail "a live process's file was removed"; }
	kill "$live"
	rm -f "$JVMPERF_DIR/$live"
}
