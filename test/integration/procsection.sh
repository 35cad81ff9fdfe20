# The process section of an event (issue 19, alert mode's cost): read
# through descriptors each task keeps open, never cached, so that it is the
# kernel's answer at the stop whatever the task changed since its last
# event: its name (prctl PR_SET_NAME, a write to its comm file), its uid
# (setuid), its program and command line (exec), its parent (reparenting).
# The program names, in each alerted path, the value the event must carry:
# /tmp/fng-ps-<n>-<field>=<value>; the check compares every such event
# (exe and cmd: the file name of the program, of the command's first word).

# procsection_check EVENTS: one line per marked event ("ok ..." or
# "BAD ..."), then "folds=N" (marked lines carrying a count).
procsection_check() {
	$PY - "$1" <<'PYEOF'
import json, re, sys
folds = 0
for raw in open(sys.argv[1]):
    ev = json.loads(raw)
    path = (ev.get("details") or {}).get("path", "")
    m = re.match(r"^/tmp/fng-ps-\d+-(name|uid|exe|cmd|ppid)=(.*)$", path)
    if not m or ev.get("event_type") != "file":
        continue
    if "count" in ev:
        folds += 1
    field, want = m.group(1), m.group(2)
    proc = ev.get("process") or {}
    if field == "exe":      # the program's file name (a path cannot hold one)
        got = proc.get("exe", "").rsplit("/", 1)[-1]
    elif field == "cmd":    # the command line's first word, its file name
        got = proc.get("cmdline", "").split(" ")[0].rsplit("/", 1)[-1]
    else:
        got = str(proc.get(field))
    print(("ok" if got == want else "BAD"), field, "want", repr(want), "got", repr(got))
print(f"folds={folds}")
PYEOF
}

# procsection_run SCRIPT: SCRIPT (Python) under read_write_tmp: alert, every
# marked event checked; the results on stdout.
procsection_run() {
	local p
	p=$(policy '{"read_write_tmp": "alert"}')
	printf '%s\n' "$1" >"$WORK/ps.py"
	rm -f /tmp/fng-ps-*
	fng --policy "$p" -- "$PY" "$WORK/ps.py"
	rm -f /tmp/fng-ps-*
	assert_rc 0
	procsection_check "$EV"
}

PROCSECTION_PRELUDE='
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
n = [0]
def mark(field, value):
    n[0] += 1
    open(f"/tmp/fng-ps-{n[0]}-{field}={value}", "w").close()
'

# prctl(PR_SET_NAME) and a write to the task's comm file: the next event
# has the new name (a name cached at the first event would still say
# python3).
t_procsection_name_follows_prctl_and_comm() {
	local r
	r=$(procsection_run "$PROCSECTION_PRELUDE"'
mark("name", "python3")
libc.prctl(15, b"fng-renamed", 0, 0, 0)
mark("name", "fng-renamed")
with open(f"/proc/self/task/{os.getpid()}/comm", "w") as f:
    f.write("fng-viacomm")
mark("name", "fng-viacomm")
libc.prctl(15, b"fng-again", 0, 0, 0)
mark("name", "fng-again")
')
	echo "$r"
	[ "$(grep -c '^ok name' <<<"$r")" = 4 ] || fail "the name did not follow the task's changes"
	! grep -q '^BAD' <<<"$r" || fail "stale identity in an event"
}

# setuid: the events after it carry the new uid; the same read repeated
# before and after it (enough for folding) is two kinds: the uid is part of a
# fold's kind, or the calls after it would be counted under the old uid.
t_procsection_uid_follows_setuid() {
	[ "$(id -u)" = 0 ] || { echo "skipped: needs root to change uid"; return 0; }
	local r
	r=$(procsection_run "$PROCSECTION_PRELUDE"'
mark("uid", "0")
open("/tmp/fng-ps-same", "w").close()
for _ in range(20):
    open("/tmp/fng-ps-same").close()
os.setresgid(65534, 65534, 65534)
os.setresuid(65534, 65534, 65534)
mark("uid", "65534")
for _ in range(20):
    open("/tmp/fng-ps-same").close()
')
	echo "$r"
	[ "$(grep -c '^ok uid' <<<"$r")" = 2 ] || fail "not every uid event was reported"
	! grep -q '^BAD' <<<"$r" || fail "stale identity in an event"
	$PY - "$EV" <<'PYEOF' || fail "the reads after setuid were not reported under the new uid"
import json, sys
uids = {json.loads(l).get("process", {}).get("uid") for l in open(sys.argv[1])
        if '"/tmp/fng-ps-same"' in l and '"write"' not in l}
print("uids of /tmp/fng-ps-same reads:", sorted(uids))
sys.exit(0 if uids == {0, 65534} else 1)
PYEOF
}

# exec: the next event of the same process (same pid) names the new program
# and command line; a reparenting: the orphan's events name its new parent
# (the middle process exits while its child runs on).
t_procsection_exec_and_reparent() {
	local r sh
	sh=$(basename "$(readlink -f /bin/sh)")
	r=$(procsection_run "$PROCSECTION_PRELUDE"'
mark("exe", os.path.basename(os.path.realpath(sys.executable)))
mark("cmd", "python3")
mid = os.fork()
if mid == 0:
    if os.fork() == 0:
        parent = os.getppid()
        mark("ppid", parent)
        open("/tmp/fng-ps-go", "w").close()
        while os.getppid() == parent:
            time.sleep(0.01)
        mark("ppid", os.getppid())
        open("/tmp/fng-ps-done", "w").close()
        os._exit(0)
    while not os.path.exists("/tmp/fng-ps-go"):
        time.sleep(0.01)
    os._exit(0)
os.waitpid(mid, 0)
while not os.path.exists("/tmp/fng-ps-done"):
    time.sleep(0.01)
os.execv("/bin/sh", ["sh", "-c", "echo > /tmp/fng-ps-100-exe='"$sh"'; echo > /tmp/fng-ps-101-cmd=sh"])
')
	echo "$r"
	grep -q "^ok exe want '$sh'" <<<"$r" || fail "the event after exec does not name the new program"
	grep -q "^ok cmd want 'sh'" <<<"$r" || fail "the event after exec does not carry the new command line"
	[ "$(grep -c '^ok ppid' <<<"$r")" = 2 ] || fail "the orphan's events do not follow its parent"
	! grep -q '^BAD' <<<"$r" || fail "stale identity in an event"
}
