# The event pipeline end to end: a busy function (test/progs/open_loop, one
# read_write_tmp alert per open) under fnguard, its events delivered to a real
# rsyslogd (TCP, UDP, local socket), an HTTP collector and Unix socket
# listeners; every event exactly once, parsed, in order per process; a dead or
# stalled collector changes nothing for the function and its loss is counted.

EVCHECK="$ROOT/test/lib/evcheck.py"
COLLECTOR="$ROOT/test/lib/collector.py"
OPEN_LOOP="$BUILD/test/progs/open_loop"
ALERT_TMP='{"read_write_tmp": "alert"}'

# Background helpers die with the test: kill_bg runs on exit.
BG_PIDS=""
bg_trap() {
	trap 'for p in $BG_PIDS; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$TMPD" "$WORK"' EXIT
}

wait_file() {
	local i
	for i in $(seq 1200); do
		[ -e "$1" ] && return 0
		sleep 0.05
	done
	fail "timed out waiting for $1"
}

free_port() { # tcp|udp
	$PY -c "import socket,sys; s=socket.socket(type=socket.SOCK_STREAM if sys.argv[1]=='tcp' else socket.SOCK_DGRAM); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])" "$1"
}

# collector KIND ARGS...: start test/lib/collector.py in the background; COLL_PID.
collector() {
	$PY "$COLLECTOR" "$@" &
	COLL_PID=$!
	BG_PIDS="$BG_PIDS $COLL_PID"
}

http_collector() { # [FAIL_FIRST]: URL in $URL, received lines in $WORK/http.out
	collector http "$WORK/http.port" "$WORK/http.out" "${1:-0}"
	wait_file "$WORK/http.port"
	URL="http://127.0.0.1:$(cat "$WORK/http.port")/events"
}

# A real rsyslogd with its own configuration: TCP and UDP on loopback ports,
# a local datagram socket; each input to its own file under $WORK with the
# template "APP-NAME PROCID MSGID MSG". No system-wide configuration is read.
start_rsyslog() {
	TPORT=$(free_port tcp)
	UPORT=$(free_port udp)
	mkdir -p "$WORK/rsyslog"
	cat >"$WORK/rsyslog.conf" <<EOF
global(workDirectory="$WORK/rsyslog" maxMessageSize="64k")
module(load="imtcp")
module(load="imudp")
module(load="imuxsock" SysSock.Use="off")
template(name="fng" type="string" string="%app-name% %procid% %msgid% %msg%\n")
ruleset(name="tcp") { action(type="omfile" file="$WORK/syslog-tcp.log" template="fng") }
ruleset(name="udp") { action(type="omfile" file="$WORK/syslog-udp.log" template="fng") }
ruleset(name="local") { action(type="omfile" file="$WORK/syslog-local.log" template="fng") }
input(type="imtcp" address="127.0.0.1" port="$TPORT" ruleset="tcp")
input(type="imudp" address="127.0.0.1" port="$UPORT" ruleset="udp")
input(type="imuxsock" Socket="$WORK/log.sock" ruleset="local")
EOF
	/usr/sbin/rsyslogd -n -f "$WORK/rsyslog.conf" -i "$WORK/rsyslog.pid" >"$WORK/rsyslog.out" 2>&1 &
	RSYSLOG_PID=$!
	BG_PIDS="$BG_PIDS $RSYSLOG_PID"
	wait_file "$WORK/log.sock"
	local i
	for i in $(seq 600); do
		if $PY -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1)" "$TPORT" 2>/dev/null &&
			ss -Hlun "sport = :$UPORT" | grep -q .; then
			return 0
		fi
		sleep 0.05
	done
	cat "$WORK/rsyslog.out"
	fail "rsyslogd did not start"
}

stop_rsyslog() { # flushes its files
	kill -TERM "$RSYSLOG_PID"
	wait "$RSYSLOG_PID" 2>/dev/null || true
}

# run_loop N PROCS [fnguard options...]: open_loop under an alert policy, events
# also to $EV; the function's exit status (7) and output must be unchanged.
run_loop() {
	local n=$1 procs=$2 p flush=()
	shift 2
	p=$(policy "$ALERT_TMP")
	# Exactly-once checks must not depend on how fast this machine is: a
	# generous exit flush deadline unless the test sets its own.
	[[ " $* " == *" --flush-timeout "* ]] || flush=(--flush-timeout 120000)
	fng --policy "$p" "${flush[@]}" "$@" -- "$OPEN_LOOP" "$n" "$procs" 7 ${SYNC:+"$SYNC"}
	assert_rc 7
	assert_out "done $n"
}

exact() { # FILE N PROCS [syslog]
	$PY "$EVCHECK" exact "$@" || fail "$1: events not exactly once and in order"
}

sink() { $PY "$EVCHECK" sink "$EV" "$1" "$2"; }
counter() { $PY "$EVCHECK" counter "$EV" "$1"; }

# Per sink, everything produced is delivered or counted as dropped.
assert_accounted() { # DEST
	local events ring delivered dropped
	events=$(counter events)
	ring=$(counter events_dropped)
	delivered=$(sink "$1" delivered)
	dropped=$(sink "$1" dropped)
	[ $((delivered + dropped + ring)) -eq "$events" ] ||
		fail "$1: delivered $delivered + dropped $dropped + ring $ring != events $events"
}

t_events_rsyslog_tcp_udp_local() {
	bg_trap
	start_rsyslog
	run_loop 2000 2 --log "syslog+tcp://127.0.0.1:$TPORT"
	run_loop 300 2 --log "syslog+udp://127.0.0.1:$UPORT" --log "file:$WORK/udp-run.jsonl"
	EV=$WORK/udp-run.jsonl assert_accounted "syslog+udp://127.0.0.1:$UPORT"
	EV=$WORK/local-run.jsonl run_loop 300 1 --log "syslog:$WORK/log.sock"
	stop_rsyslog
	exact "$WORK/syslog-tcp.log" 2000 2 syslog
	exact "$WORK/syslog-udp.log" 300 2 syslog
	exact "$WORK/syslog-local.log" 300 1 syslog
	assert_accounted "syslog+tcp://127.0.0.1:$TPORT"
	assert_eq "$(sink "syslog+tcp://127.0.0.1:$TPORT" dropped)" 0 "tcp drops"
	# the start event arrived too, as a lifecycle message
	grep -q '^fnguard [0-9]* lifecycle .*"phase":"start"' "$WORK/syslog-tcp.log" || fail "no start event via TCP"
}

t_events_http_collector() {
	bg_trap
	http_collector
	run_loop 2000 2 --log "$URL"
	exact "$WORK/http.out" 2000 2
	assert_accounted "$URL"
	assert_eq "$(sink "$URL" dropped)" 0 "http drops"
	assert_eq "$(sink "$URL" retries)" 0 "http retries"
	# the collector got every line the sink counted as delivered, and the
	# exit event (which cannot count itself)
	assert_eq "$(grep -vc '"phase":"exit"' "$WORK/http.out")" "$(sink "$URL" delivered)" "lines received"
	assert_eq "$(grep -c '"phase":"exit"' "$WORK/http.out")" 1 "exit events received"
}

# A policy's HTTP sink is a sink next to --log, and retries. (api_endpoint
# gets Iron Function's schema instead: t_format_iron_function_api_endpoint.)
t_events_http_api_endpoint_and_retries() {
	local p
	bg_trap
	http_collector 2 # the first two POSTs get 503
	p=$(policy "{\"read_write_tmp\": \"alert\", \"events\": {\"sinks\": [\"$URL\"]}}")
	fng --policy "$p" -- "$OPEN_LOOP" 50 1 7
	assert_rc 7
	exact "$WORK/http.out" 50 1
	assert_eq "$(sink "$URL" retries)" 2 "retries: one per refused request"
	assert_eq "$(sink "$URL" dropped)" 0 "drops"
	assert_accounted "$URL"
	expect_events 1 event_type=lifecycle details.phase=sink_error
	expect_events 1 event_type=lifecycle details.phase=sink_ok
}

t_events_unix_stream_and_dgram() {
	bg_trap
	collector unix-stream "$WORK/s.sock" "$WORK/stream.out" "$WORK/s.ready"
	collector unix-dgram "$WORK/d.sock" "$WORK/dgram.out" "$WORK/d.ready"
	wait_file "$WORK/s.ready"
	wait_file "$WORK/d.ready"
	# unix: finds out by itself that d.sock is a datagram socket
	run_loop 1000 2 --log "unix:$WORK/s.sock" --log "unix:$WORK/d.sock"
	exact "$WORK/stream.out" 1000 2
	exact "$WORK/dgram.out" 1000 2
	assert_accounted "unix:$WORK/s.sock"
	assert_accounted "unix:$WORK/d.sock"
	assert_eq "$(sink "unix:$WORK/d.sock" dropped)" 0 "dgram drops"
}

# The collector dies halfway: the function neither notices nor waits; what
# the collector acknowledged is exactly what the sink counts as delivered, the
# rest is counted as dropped, the file sink gets everything.
t_events_collector_killed_midrun() {
	local half delivered
	bg_trap
	http_collector
	SYNC=$WORK/sync
	mkdir -p "$SYNC"
	(
		wait_file "$SYNC/half"
		# wait until the collector has stored the first half, then kill it
		for _ in $(seq 1200); do
			[ "$($PY "$EVCHECK" count "$WORK/http.out")" -ge 200 ] && break
			sleep 0.05
		done
		kill -9 "$COLL_PID"
		touch "$SYNC/go"
	) &
	run_loop 400 1 --log "$URL" --flush-timeout 1000
	wait
	half=$($PY "$EVCHECK" count "$WORK/http.out")
	assert_eq "$half" 200 "events the collector stored before it died"
	exact "$EV" 400 1
	delivered=$(sink "$URL" delivered)
	assert_eq "$(wc -l <"$WORK/http.out")" "$delivered" "delivered = stored by the collector"
	[ "$(sink "$URL" dropped)" -ge 200 ] || fail "the second half must be counted as dropped"
	[ "$(sink "$URL" retries)" -ge 1 ] || fail "the dead collector must have been retried"
	assert_accounted "$URL"
	assert_accounted "file:$EV"
	assert_eq "$(sink "file:$EV" dropped)" 0 "file sink drops"
	expect_events 1 event_type=lifecycle details.phase=sink_error
}

# 100,000 events: the file sink gets every one the ring took; a stalled sink
# (a listener that never reads) drops, counts and reports, starving nobody.
t_events_100k_with_stalled_sink() {
	local file ring events stall reports reported fdrop
	bg_trap
	collector stall "$WORK/stall.sock" - "$WORK/stall.ready"
	wait_file "$WORK/stall.ready"
	stall="unix+stream:$WORK/stall.sock"
	run_loop 100000 2 --log "$stall" --flush-timeout 300
	file=$($PY "$EVCHECK" count "$EV")
	ring=$(counter events_dropped)
	events=$(counter events)
	assert_eq "$(counter alerted)" 100000 "alerts"
	# every open is in the file, or was counted as dropped: at the full ring,
	# or by the file sink (whose drops may also be lifecycle reports)
	fdrop=$(sink "file:$EV" dropped)
	if [ "$fdrop" -eq 0 ]; then
		assert_eq "$((file + ring))" 100000 "file events + ring drops"
	else
		[ $((file + ring)) -le 100000 ] && [ $((file + ring + fdrop)) -ge 100000 ] ||
			fail "file $file + ring $ring + file sink drops $fdrop do not account for 100000"
	fi
	assert_eq "$(grep -vc '"phase":"exit"' "$EV")" "$(sink "file:$EV" delivered)" "lines in the file"
	assert_accounted "file:$EV"
	assert_accounted "$stall"
	[ "$(sink "$stall" dropped)" -gt 0 ] || fail "the stalled sink must drop"
	[ "$events" -gt 100000 ] || fail "events counter $events"
	# reported in loss events (once per burst, not per event), naming the sink
	read -r reports reported < <($PY "$EVCHECK" loss "$EV" "$stall")
	[ "$reports" -ge 1 ] || fail "no loss report for the stalled sink"
	[ "$reports" -lt 100 ] || fail "$reports loss reports: one per burst, not per event"
	[ "$reported" -le "$(sink "$stall" dropped)" ] || fail "loss reports say $reported, the exit event less"
	# complete and in order, unless the ring or the file sink dropped (counted above)
	$PY "$EVCHECK" exact "$EV" 100000 2 >/dev/null || [ "$ring" -gt 0 ] || [ "$fdrop" -gt 0 ] ||
		fail "order or duplicates in the file sink"
}

t_events_sighup_reopens_file() {
	local pid
	bg_trap
	SYNC=$WORK/sync
	mkdir -p "$SYNC"
	"$FNGUARD" run --policy "$(policy "$ALERT_TMP")" --log "file:$EV" -- "$OPEN_LOOP" 4 1 0 "$SYNC" >"$WORK/out" 2>"$WORK/err" &
	pid=$!
	wait_file "$SYNC/half"
	mv "$EV" "$EV.1"
	kill -HUP "$pid"
	wait_file "$EV" # reopened
	touch "$SYNC/go"
	wait "$pid" || fail "fnguard exited with $?"
	EV=$EV.1 expect_events 2 event_type=file
	expect_events 2 event_type=file
	expect_events 1 event_type=lifecycle details.phase=exit
}

t_events_ocsf_format() {
	EV=$WORK/blocked.jsonl fng --log-format ocsf -- "$PY" -c 'open("/tmp/x-denied", "w")'
	assert_rc 1
	EV=$WORK/blocked.jsonl
	assert_events_valid
	expect_events 1 class_uid=2004 category_uid=2 activity_id=1 type_uid=200401 severity_id=3 \
		action_id=2 disposition_id=2 metadata.version=1.1.0 metadata.product.name=fnguard \
		finding_info.uid=* finding_info.analytic.name=read_write_tmp unmapped.policy=read_write_tmp unmapped.mode=block
	expect_events 1 class_uid=6002 activity_id=3 type_uid=600203 app.name=fnguard
	expect_events 1 class_uid=6002 activity_id=4 type_uid=600204 unmapped.details.counters.blocked=1
	EV=$WORK/alerted.jsonl
	fng --policy "$(policy "$ALERT_TMP")" --log-format ocsf -- "$OPEN_LOOP" 3 1 0
	expect_events 3 class_uid=2004 action_id=1 disposition_id=19 severity_id=2 is_alert=true
	# the policy can ask for OCSF too; the command line wins
	EV=$WORK/policy-ocsf.jsonl
	fng --policy "$(policy '{"events": {"format": "ocsf"}}')" -- /bin/true
	# start and stop (a policy without rules also gets a notice: activity 99)
	expect_events 1 class_uid=6002 activity_id=3
	expect_events 1 class_uid=6002 activity_id=4
	EV=$WORK/cli-wins.jsonl
	fng --policy "$(policy '{"events": {"format": "ocsf"}}')" --log-format fnguard -- /bin/true
	expect_events 0 class_uid=6002
	expect_events 1 event_type=lifecycle details.phase=exit
}

t_events_policy_sinks_and_cli_errors() {
	local p
	p=$(policy "{\"events\": {\"sinks\": [\"file:$WORK/a.jsonl\", \"file:$WORK/b.jsonl\"], \"flush_timeout_ms\": 100}}")
	fng --policy "$p" -- /bin/true
	assert_rc 0
	EV=$WORK/a.jsonl expect_events 1 event_type=lifecycle details.phase=exit
	EV=$WORK/b.jsonl expect_events 1 event_type=lifecycle details.phase=exit
	expect_events 1 event_type=lifecycle details.phase=exit # --log from fng() as well
	fng --log-format cef -- /bin/true
	assert_rc 2
	assert_err "--log-format cef: expected fnguard, ocsf, falco or text"
	fng --flush-timeout -5 -- /bin/true
	assert_rc 2
	assert_err "--flush-timeout -5: expected milliseconds from 0 to 600000"
	fng --log "syslog+tcp://127.0.0.1" -- /bin/true
	assert_rc 2
	assert_err "expected host:port"
}

# libcurl is loaded only for HTTP sinks (logging/sinks/curl_dl.h): without an HTTP
# sink fnguard runs where libcurl is unusable; with one it says why and exits 2.
t_events_libcurl_only_for_http_sinks() {
	local lib
	lib=$(ldconfig -p | awk '$1 == "libcurl.so.4" && /x86-64/ {print $NF; exit}')
	[ -n "$lib" ] || fail "libcurl.so.4 not in the loader cache"
	ldd "$FNGUARD" | grep -q libcurl && fail "fnguard is linked against libcurl"
	: >"$WORK/empty.so"
	unshare -m sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' sh "$WORK/empty.so" "$lib" \
		"$FNGUARD" run --log "file:$EV" -- /bin/echo ran >"$WORK/out" 2>"$WORK/err" && RC=0 || RC=$?
	assert_rc 0
	grep -qx ran "$WORK/out" || fail "the function did not run without libcurl"
	expect_events 1 event_type=lifecycle details.phase=exit
	unshare -m sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' sh "$WORK/empty.so" "$lib" \
		"$FNGUARD" run --log http://127.0.0.1:9/events -- /bin/echo ran >"$WORK/out" 2>"$WORK/err" && RC=0 || RC=$?
	assert_rc 2
	assert_err "http:// and https:// sinks need libcurl (libcurl.so.4)"
	[ ! -s "$WORK/out" ] || fail "the function ran although its HTTP sink could not start"
}
