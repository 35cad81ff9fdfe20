# Process lifetime, job control and hang-up (docs/cli.md "Signals and job
# control", "Lifetime"): fnguard seen from outside behaves like a shell
# wrapping the runtime. The terminal cases drive an interactive bash in a
# real pty (a tmux server of the test's own), with and without a policy.
# `timeout -k` only keeps a broken fnguard from hanging the suite; nothing
# asserts on time.

LT_EMPTY='{}'

# --- the runtime's main process exits while others live

# sh's background job outlives it: the caller gets 4, and the job is gone
# by then (it would have written its marker 3 s later).
t_lifetime_orphan_status_and_killed() {
	set +e
	timeout -k 1 60 "$FNGUARD" run --log "file:$EV" --policy "$(policy "$LT_EMPTY")" -- \
		sh -c '(sleep 3; touch "$1") & echo $! >"$2"; exit 4' sh "$WORK/late" "$WORK/pid" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 4
	kill -0 "$(cat "$WORK/pid")" 2>/dev/null && fail "the orphan still runs after fnguard returned"
	sleep 4
	assert_absent "$WORK/late"
	# the subshell, and its sleep when it has forked it already
	grep -Eq "the runtime's main process exited with (1 other process|2 other processes) still running: sent SIGTERM, SIGKILL after 2000 ms" "$EV" ||
		fail "no notice of the processes left running"
}

# A daemon (double fork, setsid, SIGHUP ignored) is killed when the main
# process exits, and the main process's status is fnguard's.
t_lifetime_double_forked_daemon_killed() {
	set +e
	timeout -k 1 60 "$FNGUARD" run --log "file:$EV" -- "$PY" -c '
import os, signal, sys, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        open(sys.argv[1] + ".tmp", "w").write(str(os.getpid()))
        os.rename(sys.argv[1] + ".tmp", sys.argv[1])
        time.sleep(3)
        open(sys.argv[2], "w").write("still alive")
        os._exit(0)
    os._exit(0)
while not os.path.exists(sys.argv[1]):
    time.sleep(0.01)
sys.exit(0)
' "$WORK/daemon.pid" "$WORK/late" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 0
	kill -0 "$(cat "$WORK/daemon.pid")" 2>/dev/null && fail "the daemon still runs after fnguard returned"
	sleep 4
	assert_absent "$WORK/late"
}

# lt_pool EXTRA_ARGS...: a ProcessPoolExecutor whose workers ignore
# SIGTERM and write their pids to $WORK/workers; the parent os._exit(3)s.
LT_POOL='
import concurrent.futures, os, signal, sys
def init(path):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    with open(path, "a") as f:
        f.write("%d\n" % os.getpid())
ex = concurrent.futures.ProcessPoolExecutor(2, initializer=init, initargs=(sys.argv[1],))
print(sorted(ex.map(abs, [-1, -2, -3, -4])), flush=True)
open(sys.argv[2], "w").write(str(os.getpid()))
os._exit(3)
'

lt_workers_gone() {
	local pid
	[ -s "$WORK/workers" ] || fail "no worker started"
	while read -r pid; do
		kill -0 "$pid" 2>/dev/null && fail "worker $pid still runs after fnguard returned"
	done <"$WORK/workers"
	return 0
}

# The workers ignore SIGTERM: they are killed when the grace period ends.
t_lifetime_process_pool_parent_exits() {
	set +e
	timeout -k 1 60 "$FNGUARD" run --log "file:$EV" --grace 500 -- "$PY" -c "$LT_POOL" "$WORK/workers" "$WORK/root" \
		>"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 3
	assert_out "[1, 2, 3, 4]"
	lt_workers_gone
}

# lt_grace_signal SIG: the pool's parent has exited, its workers ignore
# SIGTERM, the grace period is an hour: SIG to fnguard ends it at once.
lt_grace_signal() {
	local pid root
	set +e
	timeout -k 1 60 "$FNGUARD" run --log "file:$EV" --grace 3600000 -- "$PY" -c "$LT_POOL" "$WORK/workers" "$WORK/root" \
		>"$WORK/out" 2>"$WORK/err" &
	pid=$!
	for _ in $(seq 400); do [ -s "$WORK/root" ] && break; sleep 0.05; done
	root=$(cat "$WORK/root")
	# Reaped by fnguard: the grace period has begun.
	for _ in $(seq 400); do kill -0 "$root" 2>/dev/null || break; sleep 0.05; done
	kill -"$1" "$pid"
	wait "$pid"
	RC=$?
	set -e
	assert_rc 3
	lt_workers_gone
}

t_lifetime_sigterm_ends_grace() { lt_grace_signal TERM; }
t_lifetime_sigint_ends_grace() { lt_grace_signal INT; }
t_lifetime_sighup_ends_grace() { lt_grace_signal HUP; }

t_lifetime_grace_option_checked() {
	set +e
	"$FNGUARD" run --grace soon -- true >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 2
	assert_err "--grace soon: expected milliseconds"
}

# --- job control in a real terminal

# The tmux server's socket name, set by lt_term_start: one per test ($$ is
# the runner's pid in every test's subshell; a killed server exits late).
lt_tmux() { tmux -L "$LT_SOCK" "$@"; }

# Start an interactive bash in a pty of its own, prompt "PROMPT> ".
lt_term_start() {
	command -v tmux >/dev/null || fail "tmux is not installed (scripts/install-deps.sh)"
	LT_SOCK=fng-lt-$BASHPID
	trap 'lt_tmux kill-server 2>/dev/null; rm -f "/tmp/tmux-$(id -u)/$LT_SOCK"; rm -rf "$TMPD" "$WORK"' EXIT
	lt_tmux -f /dev/null new-session -d -x 160 -y 50 \
		"env -i PATH=$PATH HOME=$WORK TERM=xterm PS1='PROMPT> ' bash --norc --noprofile -i"
	lt_wait 'PROMPT>'
}

lt_screen() { lt_tmux capture-pane -p -S -200; }

# The screen to stderr without its trailing blank rows (the harness shows
# the last 40 lines of a failure; a 50-row pane would show only blanks).
lt_screen_dump() { lt_screen | awk 'NF { for (; n > 0; n--) print ""; print; next } { n++ }' >&2; }

# lt_wait REGEX: until the screen shows it (bounded).
lt_wait() {
	for _ in $(seq 300); do
		lt_screen | grep -Eq -- "$1" && return 0
		sleep 0.05
	done
	lt_screen_dump
	fail "the terminal never showed /$1/"
}

lt_type() { lt_tmux send-keys -l -- "$1"; lt_tmux send-keys Enter; }

# The command line for fnguard in the terminal; $1: policy JSON or "" (default policy).
lt_fng() {
	if [ -n "$1" ]; then
		printf '%s run --log file:%s --policy %s --' "$FNGUARD" "$EV" "$(policy "$1")"
	else
		printf '%s run --log file:%s --' "$FNGUARD" "$EV"
	fi
}

LT_READ="$PY -c 'import os, sys; open(sys.argv[1], \"w\").write(\"%d %d\" % (os.getpid(), os.getppid())); print(\"READ\" + \"Y\", flush=True); print(\"got:\", sys.stdin.readline().strip())'"

# Ctrl-Z stops the job and gives the prompt back; jobs says Stopped; fg
# resumes it and it completes.
# lt_suspended POLICY: the reading program under fnguard in the terminal,
# then Ctrl-Z until the shell says the job stopped.
lt_suspended() {
	lt_term_start
	lt_type "$(lt_fng "$1") $LT_READ $WORK/pids"
	lt_wait 'READY'
	lt_tmux send-keys C-z
	lt_wait 'Stopped'
}

# lt_runtime_owns_terminal: until the runtime's process group is the
# terminal's foreground group (bounded), as fnguard hands it over on fg.
lt_runtime_owns_terminal() {
	local pid st pgrp tpgid
	pid=$(cut -d' ' -f1 "$WORK/pids")
	for _ in $(seq 300); do
		st=$(cat "/proc/$pid/stat" 2>/dev/null) || break
		# after "comm) ": state ppid pgrp session tty_nr tpgid ...
		read -r _ _ pgrp _ _ tpgid _ <<<"${st##*) }"
		[ "$pgrp" = "$tpgid" ] && return 0
		sleep 0.05
	done
	ps -o pid,pgid,tpgid,stat,cmd -p "$pid" >&2
	lt_screen_dump
	fail "after fg the terminal never went to the runtime's process group"
}

# lt_fg_reads WORD: fg, type WORD: the program reads it and exits 0.
# WORD is typed only once the runtime owns the terminal: typed while bash's
# readline still holds it (raw modes, before bash has read "fg"), it would
# not be echoed and its Enter would stay a CR (no ICRNL), so the program's
# canonical read would never see the end of its line.
lt_fg_reads() {
	lt_type 'fg'
	lt_runtime_owns_terminal
	lt_type "$1"
	lt_wait "^got: $1"
	lt_type 'echo rc=$?'
	lt_wait '^rc=0'
}

lt_ctrl_z_fg() {
	lt_suspended "$1"
	lt_type 'jobs; echo jobs-listed'
	lt_wait '^\[1\]\+ +Stopped.*jobs-listed|^jobs-listed'
	lt_screen | grep -Eq '^\[1\]\+ +Stopped' || fail "jobs does not list the job as Stopped"
	lt_fg_reads hello
}

t_lifetime_ctrl_z_fg_no_policy() { lt_ctrl_z_fg "$LT_EMPTY"; }
t_lifetime_ctrl_z_fg_default_policy() { lt_ctrl_z_fg ""; }

# A background read stops the job (SIGTTIN); fg resumes it and it reads.
lt_background_read() {
	lt_term_start
	lt_type "$(lt_fng "$1") $LT_READ $WORK/pids &"
	lt_wait 'READY'
	for _ in $(seq 100); do
		lt_type 'jobs'
		lt_screen | grep -Eq '^\[1\]\+ +Stopped' && break
		sleep 0.1
	done
	lt_screen | grep -Eq '^\[1\]\+ +Stopped' || { lt_screen >&2; fail "the background read did not stop the job"; }
	lt_fg_reads world
}

t_lifetime_background_read_no_policy() { lt_background_read "$LT_EMPTY"; }
t_lifetime_background_read_default_policy() { lt_background_read ""; }

# A stopped job ends when its terminal goes away, fnguard with it.
lt_hangup() {
	local pids alive p
	lt_suspended "$1"
	pids=$(cat "$WORK/pids")
	lt_tmux kill-server
	for _ in $(seq 200); do
		alive=0
		for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
		[ "$alive" = 0 ] && break
		sleep 0.05
	done
	for p in $pids; do
		kill -0 "$p" 2>/dev/null && { ps -o pid,stat,cmd -p "$p" >&2; fail "process $p survived the hang-up"; }
	done
	return 0
}

t_lifetime_hangup_ends_stopped_job_no_policy() { lt_hangup "$LT_EMPTY"; }
t_lifetime_hangup_ends_stopped_job_default_policy() { lt_hangup ""; }
