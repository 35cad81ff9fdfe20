#!/usr/bin/env bash
# validate-native.sh [BUILD_DIR]
#
# Builds every adversarial program into BUILD_DIR (default /work/advbuild) and
# runs each one NATIVELY (without fnguard) in a fresh environment, to prove
# that every test is able to fail: each program must report at least one
# BYPASSED vector, exit non-zero (exit status == number of BYPASSED + ERROR
# lines), print only protocol lines on stdout, print no ERROR line, and leave
# the tmp dir as it found it (victim restored, no leftovers).
#
# Environment given to each program (fresh per program):
#   FNG_TMPDIR    mktemp -d /tmp/fng-adv.XXXX
#   FNG_SECRET    $FNG_TMPDIR/secret      "FNGUARD-SECRET\n"
#   FNG_VICTIM    $FNG_TMPDIR/victim      "victim\n", mode 644
#   FNG_VICTIMDIR $FNG_TMPDIR/victimdir   empty directory
#   FNG_TMPEXE    $FNG_TMPDIR/true-copy   copy of /bin/true, mode 755
#   FNG_WORKDIR   mktemp -d BUILD_DIR/work.XXXX
#   FNG_TARGET_PID (attack_supervisor) a sacrificial
#                 `sh -c 'trap "" TERM USR2; exec sleep 60'` process;
#                 (supervisor_threads) a sacrificial python3 process with 3
#                 extra threads, ignoring SIGTERM
#   FNG_TASK_ROOT (handler_code) mktemp -d BUILD_DIR/work.XXXX, laid out by
#                 `handler_code --setup`; AWS_LAMBDA_RUNTIME_API 127.0.0.1:9
#   FNG_ATTACK_IP (netns_dns_forge) 198.18.0.7: the program runs inside
#                 `unshare -n`, with that address and lo up, so its connect to
#                 the "attacker" stays in a namespace made for it
#   (dns_label)   inside `unshare -n`, with its own --resolver on
#                 127.0.0.53 and 198.18.0.11 to .16 on lo
set -u

SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD_DIR=${1:-/work/advbuild}
PROGRAMS=(path_alias unwatched_calls toctou_race clone_untraced io_uring_open seccomp_listener
          attack_supervisor raw_static child_bypass foreign_abi exec_tmp connect_race
          net_send_paths sendto_race raw_socket exec_exception_race lone_racer
          name_swap supervisor_threads route_options netns_dns_forge unix_bind_decoder
          event_forge bind_shell undo_close elf_loader rtapi_desync handler_code
          path_race undo_window connect_side_write)
PROGRAMS+=(real_api_alias inherited_fds fd_exhaust)
PROGRAMS+=(launch_ride)
PROGRAMS+=(exec_mapped_code source_forge kernel_code tty_inject)
# Programs written in Python: installed as they are, run like the others.
PY_PROGRAMS=(payload_inject)
PROGRAMS+=(jvm_perfdata)
PROGRAMS+=(dns_label)
CFLAGS=(-std=gnu11 -Wall -Wextra -Werror -O1 -g -pthread)
TIMEOUT=${FNG_ADV_TIMEOUT:-300}

mkdir -p "$BUILD_DIR" || exit 2
BUILD_DIR=$(cd "$BUILD_DIR" && pwd)

# ---------------------------------------------------------------- build
fail=0
echo "== building into $BUILD_DIR"
for p in "${PROGRAMS[@]}"; do
    extra=()
    [ "$p" = raw_static ] && extra=(-static)
    if ! cc "${CFLAGS[@]}" "${extra[@]}" "$SRC_DIR/$p.c" -o "$BUILD_DIR/$p"; then
        echo "BUILD FAILED: $p"
        fail=1
    fi
done
# elf_loader maps the static elf_payload beside it
if ! cc "${CFLAGS[@]}" -static "$SRC_DIR/elf_payload.c" -o "$BUILD_DIR/elf_payload"; then
    echo "BUILD FAILED: elf_payload"
    fail=1
fi
# exec_mapped_code runs its payloads from beside it
if ! cc "${CFLAGS[@]}" -DADV_PAYLOAD_STACK -z execstack "$SRC_DIR/exec_mapped_code.c" -o "$BUILD_DIR/exec_mapped_code.xstack" ||
   ! cc "${CFLAGS[@]}" -DADV_PAYLOAD_RWX -Wl,--no-warn-rwx-segments "$SRC_DIR/exec_mapped_code.c" -o "$BUILD_DIR/exec_mapped_code.rwx"; then
    echo "BUILD FAILED: exec_mapped_code payloads"
    fail=1
fi
# raw_static must also build as an ordinary dynamic binary
if ! cc "${CFLAGS[@]}" "$SRC_DIR/raw_static.c" -o "$BUILD_DIR/raw_static.dynamic"; then
    echo "BUILD FAILED: raw_static (dynamic)"
    fail=1
fi
# rtapi_desync's Runtime API upstream (Go net/http), as the Makefile builds it
if command -v go >/dev/null; then
    (cd "$SRC_DIR/../progs/go" && CGO_ENABLED=0 GO111MODULE=off GOPROXY=off GOFLAGS= \
        GOCACHE="$BUILD_DIR/go/cache" GOPATH="$BUILD_DIR/go/path" go build -o "$BUILD_DIR/rtapi-go" rtapi.go) ||
        { echo "BUILD FAILED: rtapi-go"; fail=1; }
else
    echo "BUILD FAILED: rtapi-go (go not on PATH: scripts/install-deps.sh installs golang-go)"
    fail=1
fi
for p in "${PY_PROGRAMS[@]}"; do
    install -m 755 "$SRC_DIR/$p.py" "$BUILD_DIR/$p" || { echo "INSTALL FAILED: $p"; fail=1; }
done
PROGRAMS+=("${PY_PROGRAMS[@]}")
[ $fail -eq 0 ] || exit 1

# ---------------------------------------------------------------- helpers
TMPDIRS=()
SLEEP_PID=
SLEEP_COMM=
# kills the sacrificial target if it is still the process we started
stop_target() {
    if [ -n "$SLEEP_PID" ] && [ "$(cat /proc/$SLEEP_PID/comm 2>/dev/null)" = "$SLEEP_COMM" ]; then
        kill -KILL "$SLEEP_PID" 2>/dev/null
    fi
}
# start_target CMD...: a sacrificial target process, exported as FNG_TARGET_PID
start_target() {
    "$@" &
    SLEEP_PID=$!
    sleep 0.5
    SLEEP_COMM=$(cat /proc/$SLEEP_PID/comm 2>/dev/null)
    export FNG_TARGET_PID=$SLEEP_PID
}
PY3=/usr/bin/python3
[ -x "$PY3" ] || PY3=python3
MT_TARGET='import signal, threading, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
for _ in range(3):
    threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
time.sleep(60)'
cleanup() {
    stop_target
    for d in "${TMPDIRS[@]}"; do
        case "$d" in
            /tmp/fng-adv.*|"$BUILD_DIR"/work.*) rm -rf -- "$d" ;;
        esac
    done
}
trap cleanup EXIT

setup_env() {
    FNG_TMPDIR=$(mktemp -d /tmp/fng-adv.XXXX) || return 1
    FNG_WORKDIR=$(mktemp -d "$BUILD_DIR/work.XXXX") || return 1
    TMPDIRS+=("$FNG_TMPDIR" "$FNG_WORKDIR")
    FNG_SECRET=$FNG_TMPDIR/secret
    FNG_VICTIM=$FNG_TMPDIR/victim
    FNG_VICTIMDIR=$FNG_TMPDIR/victimdir
    FNG_TMPEXE=$FNG_TMPDIR/true-copy
    printf 'FNGUARD-SECRET\n' > "$FNG_SECRET" || return 1
    printf 'victim\n' > "$FNG_VICTIM" && chmod 644 "$FNG_VICTIM" || return 1
    mkdir "$FNG_VICTIMDIR" || return 1
    cp /bin/true "$FNG_TMPEXE" && chmod 755 "$FNG_TMPEXE" || return 1
    export FNG_TMPDIR FNG_WORKDIR FNG_SECRET FNG_VICTIM FNG_VICTIMDIR FNG_TMPEXE
}

# checks that the tmp dir is exactly as created; prints problems
check_tmpdir() {
    local problems=()
    [ "$(cat "$FNG_SECRET" 2>/dev/null)" = FNGUARD-SECRET ] || problems+=("secret changed")
    [ "$(cat "$FNG_VICTIM" 2>/dev/null)" = victim ] || problems+=("victim content changed/missing")
    [ -f "$FNG_VICTIM" ] && [ "$(stat -c %a "$FNG_VICTIM")" = 644 ] || problems+=("victim mode changed")
    [ -d "$FNG_VICTIMDIR" ] || problems+=("victimdir missing")
    cmp -s /bin/true "$FNG_TMPEXE" || problems+=("tmpexe changed")
    local extra
    extra=$(cd "$FNG_TMPDIR" && ls -A | grep -vxE 'secret|victim|victimdir|true-copy' | tr '\n' ' ')
    [ -z "$extra" ] || problems+=("leftovers in tmp dir: $extra")
    extra=$(cd "$FNG_WORKDIR" && ls -A | tr '\n' ' ')
    [ -z "$extra" ] || problems+=("leftovers in work dir: $extra")
    [ ${#problems[@]} -eq 0 ] || printf '%s; ' "${problems[@]}"
}

# ---------------------------------------------------------------- run
declare -A R_BYP R_TOT R_EXIT R_STATUS
echo "== running natively (no fnguard)"
for p in "${PROGRAMS[@]}"; do
    echo
    echo "---- $p"
    if ! setup_env; then
        echo "setup failed"
        R_STATUS[$p]="SETUP-FAILED"; R_BYP[$p]=0; R_TOT[$p]=0; R_EXIT[$p]=-; fail=1
        continue
    fi
    unset FNG_TARGET_PID FNG_ATTACK_IP FNG_REAL_API AWS_LAMBDA_RUNTIME_API FNG_RTAPI_LOG FNG_TASK_ROOT FNG_RACE_TARGET FNG_CSW_COUNT
    wrap=()
    case $p in
        attack_supervisor) start_target sh -c 'trap "" TERM USR2; exec sleep 60' ;;
        supervisor_threads) start_target "$PY3" -c "$MT_TARGET" ;;
        fd_exhaust)
            export FNG_REAL_API=127.0.0.1:9124 AWS_LAMBDA_RUNTIME_API=127.0.0.1:9124
            wrap=(unshare -n sh -c 'ip link set lo up && ip addr add 10.89.2.1/32 dev lo && ulimit -n 1024 && exec "$0"')
            ;;
        inherited_fds)
            wrap=(sh -c 'exec "$0" 3<"$FNG_SECRET" 4<"$FNG_TMPDIR" 5<>"$FNG_VICTIM"')
            ;;
        real_api_alias)
            export FNG_REAL_API=127.0.0.1:9123
            wrap=(unshare -n sh -c 'ip link set lo up && ip addr add 198.18.0.9/32 dev lo && exec "$0"')
            ;;
        rtapi_desync)
            # the Go Runtime API upstream, stopped like a target
            rt_dir=$(mktemp -d "$BUILD_DIR/work.rtapi.XXXX") && TMPDIRS+=("$rt_dir")
            start_target "$BUILD_DIR/rtapi-go" -log "$rt_dir/log" -port-file "$rt_dir/port"
            export AWS_LAMBDA_RUNTIME_API=127.0.0.1:$(cat "$rt_dir/port" 2>/dev/null) FNG_RTAPI_LOG=$rt_dir/log
            ;;
        handler_code)
            # a task root of its own (removed with the work dirs)
            FNG_TASK_ROOT=$(mktemp -d "$BUILD_DIR/work.XXXX") && TMPDIRS+=("$FNG_TASK_ROOT")
            "$BUILD_DIR/$p" --setup "$FNG_TASK_ROOT"
            export FNG_TASK_ROOT AWS_LAMBDA_RUNTIME_API=127.0.0.1:9
            ;;
        undo_window)
            export FNG_RACE_TARGET=$FNG_SECRET
            ;;
        netns_dns_forge)
            export FNG_ATTACK_IP=198.18.0.7
            wrap=(unshare -n sh -c 'ip link set lo up && ip addr add "$FNG_ATTACK_IP/32" dev lo && exec "$0"')
            ;;
        dns_label)
            # its own resolver on 127.0.0.53 answers 198.18.0.11 to .16, put on lo
            wrap=(unshare -n sh -c 'ip link set lo up || exit 99
                for i in 11 12 13 14 15 16; do ip addr add 198.18.0.$i/32 dev lo || exit 99; done
                "$0" --resolver 127.0.0.53 198.18.0.10 & r=$!
                "$0"; rc=$?; kill $r; exit $rc')
            ;;
    esac
    out=$(cd "$FNG_WORKDIR" && timeout -k 5 "$TIMEOUT" "${wrap[@]}" "$BUILD_DIR/$p" 2> "$BUILD_DIR/$p.stderr")
    rc=$?
    printf '%s\n' "$out"
    if [ -s "$BUILD_DIR/$p.stderr" ]; then sed 's/^/  [stderr] /' "$BUILD_DIR/$p.stderr"; fi
    if [ -n "$SLEEP_PID" ]; then
        stop_target
        wait "$SLEEP_PID" 2>/dev/null
        SLEEP_PID=
        unset FNG_TARGET_PID
    fi

    byp=$(printf '%s\n' "$out" | grep -c '^vector [^ ]*: BYPASSED (')
    err=$(printf '%s\n' "$out" | grep -c '^vector [^ ]*: ERROR (')
    tot=$(printf '%s\n' "$out" | grep -c '^vector [^ ]*: \(defended\|BYPASSED\|ERROR\) (.*)$')
    bad_lines=$(printf '%s\n' "$out" | grep -v '^vector [A-Za-z0-9_]*: \(defended\|BYPASSED\|ERROR\) (.*)$' | grep -c .)
    expect=$(( byp + err > 255 ? 255 : byp + err ))
    status=ok
    problems=""
    [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ] && problems+="timed out; "
    [ "$byp" -ge 1 ] || problems+="no BYPASSED vector natively; "
    [ "$rc" -ne 0 ] || problems+="exit status 0; "
    [ "$rc" -eq "$expect" ] || problems+="exit status $rc != BYPASSED+ERROR $expect; "
    [ "$err" -eq 0 ] || problems+="$err ERROR line(s); "
    [ "$bad_lines" -eq 0 ] || problems+="$bad_lines non-protocol stdout line(s); "
    problems+=$(check_tmpdir)
    if [ -n "$problems" ]; then
        status="FAIL: $problems"
        fail=1
    fi
    R_BYP[$p]=$byp; R_TOT[$p]=$tot; R_EXIT[$p]=$rc; R_STATUS[$p]=$status
done

# ---------------------------------------------------------------- table
echo
echo "== native results (every program must be able to fail)"
printf '%-20s %-16s %-5s %s\n' program bypassed/total exit status
for p in "${PROGRAMS[@]}"; do
    printf '%-20s %-16s %-5s %s\n' "$p" "${R_BYP[$p]}/${R_TOT[$p]}" "${R_EXIT[$p]}" "${R_STATUS[$p]}"
done
if [ $fail -ne 0 ]; then
    echo "VALIDATION FAILED"
    exit 1
fi
echo "VALIDATION OK"
exit 0
