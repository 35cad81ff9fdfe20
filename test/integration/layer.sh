# The Lambda layer (`make layer`, docs/deploy.md): dist/fnguard-layer-x86_64.zip
# unpacked as Lambda would under /opt, its binary checked for Amazon Linux
# 2023's glibc (2.34), its wrapper and bootstrap run with real functions:
# default policy blocks, FNGUARD_POLICY / IRON_FUNCTION_POLICY are honoured in
# that order, a missing policy is one line and status 2.

LAYER_ZIP="$ROOT/dist/fnguard-layer-x86_64.zip"
LAYER_FILES="bin/fnguard bin/fnguard-wrapper bootstrap etc/fnguard/default.json"
WRITE_TMP='import sys; open(sys.argv[1], "w").write("x"); print("wrote")'

# unpack_layer: the zip into $WORK/opt (modes from the archive), as $L.
unpack_layer() {
	[ -f "$LAYER_ZIP" ] || fail "$LAYER_ZIP missing: make layer (make check builds it)"
	L=$WORK/opt
	$PY - "$LAYER_ZIP" "$L" <<'PY' || fail "cannot unpack $LAYER_ZIP"
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for i in z.infolist():
        p = z.extract(i, sys.argv[2])
        os.chmod(p, (i.external_attr >> 16) & 0o7777)
PY
}

# outcome CMD...: run CMD; RC, stdout in $WORK/out, stderr in $WORK/err and
# its JSON lines (the events, on stderr by default) in $EV.
outcome() {
	set +e
	"$@" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	# An event line may follow the function's own unfinished stderr line.
	grep -o '{"time":.*' "$WORK/err" >"$EV" || true
}

# wrapper ENV... -- CMD...: the layer's exec wrapper with only ENV set (no
# FNGUARD_POLICY / IRON_FUNCTION_POLICY from the caller).
wrapper() {
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	outcome env -u FNGUARD_POLICY -u IRON_FUNCTION_POLICY "${envs[@]}" "$L/bin/fnguard-wrapper" "$@"
}

t_layer_zip_lists_exactly_the_documented_files() {
	local got
	[ -f "$LAYER_ZIP" ] || fail "$LAYER_ZIP missing"
	got=$($PY -c 'import sys, zipfile; print(" ".join(sorted(zipfile.ZipFile(sys.argv[1]).namelist())))' "$LAYER_ZIP")
	assert_eq "$got" "$LAYER_FILES" "layer contents"
	unpack_layer
	for f in bin/fnguard bin/fnguard-wrapper bootstrap; do
		[ -x "$L/$f" ] || fail "$f is not executable once unpacked"
	done
	cmp -s "$L/etc/fnguard/default.json" "$ROOT/examples/policies/default.json" || fail "default policy differs"
	"$L/bin/fnguard" policy check "$L/etc/fnguard/default.json" >/dev/null || fail "default policy does not load"
}

t_layer_binary_glibc_and_libraries() {
	local needed
	unpack_layer
	sh "$ROOT/scripts/layer/check-glibc.sh" "$L/bin/fnguard" 2.34 >"$WORK/out" 2>"$WORK/err" ||
		{ cat "$WORK/err"; fail "layer binary needs glibc > 2.34"; }
	# The same check refuses a program that needs glibc 2.36, naming the symbol.
	outcome sh "$ROOT/scripts/layer/check-glibc.sh" "$BUILD/test/progs/glibc_new" 2.34
	assert_rc 1
	assert_err "needs GLIBC_2.36 (glibc > 2.34): arc4random"
	# Only glibc is shared: every other library is linked in; libcurl is
	# loaded at run time for HTTP sinks only.
	needed=$(readelf -d "$L/bin/fnguard" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' ')
	assert_eq "$needed" "ld-linux-x86-64.so.2 libc.so.6 " "shared libraries"
}

t_layer_binary_version() {
	unpack_layer
	assert_eq "$("$L/bin/fnguard" --version)" "$("$FNGUARD" --version)" "--version"
}

# AWS_LAMBDA_EXEC_WRAPPER semantics: the runtime's command line as "$@".
t_layer_wrapper_default_policy_blocks() {
	unpack_layer
	wrapper -- "$PY" -c "$WRITE_TMP" "$TMPD/w"
	assert_rc 1
	assert_err PermissionError
	assert_absent "$TMPD/w"
	expect_events 1 policy=read_write_tmp action=blocked "details.path=$TMPD/w"
	expect_events 1 event_type=lifecycle details.phase=start \
		"details.message=outbound_connectivity=block read_write_tmp=block create_child_process=block read_handler=block"
	# That default is the layer's file, not the embedded one: edited, it rules.
	printf '{"read_write_tmp": "alert"}\n' >"$L/etc/fnguard/default.json"
	wrapper -- "$PY" -c "$WRITE_TMP" "$TMPD/w"
	assert_rc 0
	assert_exists "$TMPD/w"
	expect_events 1 policy=read_write_tmp action=alerted
}

t_layer_wrapper_fnguard_policy() {
	unpack_layer
	wrapper "FNGUARD_POLICY=$(policy '{"read_write_tmp": "alert"}')" -- "$PY" -c "$WRITE_TMP" "$TMPD/w"
	assert_rc 0
	assert_out wrote
	assert_exists "$TMPD/w"
	expect_events 1 policy=read_write_tmp action=alerted
}

t_layer_wrapper_iron_function_policy() {
	unpack_layer
	wrapper "IRON_FUNCTION_POLICY=$(policy '{"read_write_tmp": "allow", "create_child_process": "block"}')" \
		-- "$PY" -c "$WRITE_TMP" "$TMPD/w"
	assert_rc 0
	assert_exists "$TMPD/w"
	expect_events 0 policy=read_write_tmp
}

# FNGUARD_POLICY wins over IRON_FUNCTION_POLICY; --policy over both.
t_layer_policy_precedence() {
	local allow block
	unpack_layer
	allow=$(policy '{"read_write_tmp": "allow"}')
	block=$(policy '{"read_write_tmp": "block"}')
	wrapper "FNGUARD_POLICY=$block" "IRON_FUNCTION_POLICY=$allow" -- "$PY" -c "$WRITE_TMP" "$TMPD/w"
	assert_rc 1
	assert_absent "$TMPD/w"
	expect_events 1 policy=read_write_tmp action=blocked
	outcome env FNGUARD_POLICY="$WORK/nope.json" IRON_FUNCTION_POLICY="$WORK/nope.json" \
		"$L/bin/fnguard" run --policy "$allow" -- "$PY" -c "$WRITE_TMP" "$TMPD/w"
	assert_rc 0
	assert_exists "$TMPD/w"
	# An empty variable counts as unset: the next one applies.
	rm -f "$TMPD/w"
	wrapper "FNGUARD_POLICY=" "IRON_FUNCTION_POLICY=$allow" -- "$PY" -c "$WRITE_TMP" "$TMPD/w"
	assert_rc 0
	assert_exists "$TMPD/w"
}

t_layer_missing_policy_one_line() {
	unpack_layer
	wrapper "FNGUARD_POLICY=$WORK/nope.json" -- "$PY" -c 'print("ran")'
	assert_rc 2
	assert_eq "$(cat "$WORK/err")" \
		"fnguard: $WORK/nope.json: cannot read policy: No such file or directory (from FNGUARD_POLICY)" "stderr"
	[ -s "$WORK/out" ] && fail "the function ran without its policy"
	wrapper "IRON_FUNCTION_POLICY=$WORK/nope.json" -- "$PY" -c 'print("ran")'
	assert_rc 2
	assert_eq "$(wc -l <"$WORK/err")" 1 "stderr lines"
	assert_err "(from IRON_FUNCTION_POLICY)$"
	[ -s "$WORK/out" ] && fail "the function ran without its policy"
	wrapper -- # no runtime command
	assert_rc 2
	assert_err "^fnguard-wrapper: no runtime command given"
}

# The custom-runtime bootstrap starts $LAMBDA_TASK_ROOT/bootstrap.real, or
# FNGUARD_BOOTSTRAP, under fnguard.
t_layer_bootstrap() {
	unpack_layer
	mkdir -p "$WORK/task"
	printf '#!/bin/sh\necho "real bootstrap $0"\necho x >"%s/b" || echo "write failed"\n' "$TMPD" >"$WORK/task/bootstrap.real"
	chmod +x "$WORK/task/bootstrap.real"
	outcome env -u FNGUARD_POLICY -u IRON_FUNCTION_POLICY LAMBDA_TASK_ROOT="$WORK/task" "$L/bootstrap"
	assert_rc 0
	assert_out "real bootstrap $WORK/task/bootstrap.real"
	assert_out "write failed"
	assert_absent "$TMPD/b"
	expect_events 1 policy=read_write_tmp action=blocked
	cp "$WORK/task/bootstrap.real" "$WORK/other"
	outcome env FNGUARD_BOOTSTRAP="$WORK/other" FNGUARD_POLICY="$(policy "$ALLOW_ALL")" "$L/bootstrap"
	assert_rc 0
	assert_out "real bootstrap $WORK/other"
	assert_exists "$TMPD/b"
	outcome env -u FNGUARD_BOOTSTRAP LAMBDA_TASK_ROOT="$WORK/empty" "$L/bootstrap"
	assert_rc 127
	assert_eq "$(wc -l <"$WORK/err")" 1 "stderr lines"
	assert_err "^fnguard bootstrap: $WORK/empty/bootstrap.real: not found"
}

# Where ptrace is refused (AWS's managed Lambda; here: the layer's wrapper
# under an outer fnguard, whose filter denies ptrace): one line, status 125,
# the function does not run; with on_unsupported run-unprotected it runs.
t_layer_ptrace_refused() {
	unpack_layer
	outcome env -u FNGUARD_POLICY -u IRON_FUNCTION_POLICY "$FNGUARD" run --policy "$(policy "$ALLOW_ALL")" \
		-- "$L/bin/fnguard-wrapper" /bin/echo should-not-run
	assert_rc 125
	assert_err "^fnguard: ptrace refused: PTRACE_SEIZE: Operation not permitted (a seccomp profile, Yama ptrace_scope, or a managed runtime such as AWS Lambda forbids tracing)$"
	grep -q should-not-run "$WORK/out" && fail "the command ran unprotected"
	expect_events 1 syscall=ptrace action=blocked
	outcome env FNGUARD_POLICY="$(policy '{"on_unsupported": "run-unprotected"}')" "$FNGUARD" run \
		--policy "$(policy "$ALLOW_ALL")" -- "$L/bin/fnguard-wrapper" /bin/echo ran-unprotected
	assert_rc 0
	assert_out ran-unprotected
	assert_err "UNPROTECTED"
	expect_events 1 event_type=lifecycle details.phase=unprotected
}

# The layer's binary loads the host's libcurl for an HTTP sink (Iron
# Function's api_endpoint): events reach a collector on loopback.
t_layer_http_sink() {
	bg_trap
	unpack_layer
	http_collector
	wrapper "FNGUARD_POLICY=$(policy "{\"read_write_tmp\": \"block\", \"events\": {\"sinks\": [\"$URL\"]}}")" \
		-- "$PY" -c "$WRITE_TMP" "$TMPD/w"
	assert_rc 1
	EV=$WORK/http.out expect_events 1 policy=read_write_tmp action=blocked
}
