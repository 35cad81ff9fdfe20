# read_handler covers all of the handler's code, not one file (docs/policy.md
# "read_handler", policy/handler.h): for each kind of runtime, a function
# that reads its own code after initialisation is refused (the file is
# unchanged, exactly one event), while a data file beside it stays readable.
# Without the proxy (--no-proxy): the first connect to the Runtime API ends
# initialisation.

HC_PROGS=$ROOT/test/progs/handler

hc_env() { # _HANDLER
	mkdir -p "$WORK/task"
	unset PYTHONDONTWRITEBYTECODE
	export LAMBDA_TASK_ROOT=$WORK/task AWS_LAMBDA_RUNTIME_API=127.0.0.1:9 _HANDLER=$1
	echo '{"greeting": "hello"}' >"$WORK/task/data.json"
}

# hc_expect CODE DATA SUM: CODE refused and unchanged (SUM: its sha256
# before), DATA read, exactly one event and it names CODE.
hc_expect() {
	assert_rc 0
	assert_out INIT-OK
	grep -q "^DENIED.* $1\$" "$WORK/out" || grep -q "^DENIED $1 " "$WORK/out" ||
		{ cat "$WORK/out" "$WORK/err"; fail "reading $1 after init was not refused"; }
	assert_out "^OK $2"
	assert_eq "$(sha256sum <"$1")" "$3" "$1 changed"
	expect_events 1 policy=read_handler action=blocked details.path="$1"
	expect_events 1 policy=*
}

# hc_py INIT CODE DATA: the Python reader as the runtime.
hc_py() {
	local p sum=
	p=$(policy '{"read_handler": "block"}')
	[ -e "$2" ] && sum=$(sha256sum <"$2")
	fng --no-proxy --policy "$p" -- "$PY" "$HC_PROGS/reader.py" "$1" "$WORK/task" "$2" "$3"
	CODE=$(sed -n 's/^INIT-OK //p' "$WORK/out")
	[ -n "$CODE" ] || { cat "$WORK/out" "$WORK/err"; fail "the reader did not initialise"; }
	[ -n "$sum" ] || sum=$(sha256sum <"$CODE")
	hc_expect "$CODE" "$3" "$sum"
}

# Python writes __pycache__/app.cpython-3X.pyc while it imports the handler
# (initialisation): that cache is the handler's code too.
t_handler_code_py_pyc_written_at_init() {
	hc_env app.handler
	echo 'SECRET = "s3cr3t"' >"$WORK/task/app.py"
	hc_py import:app "$WORK/task/__pycache__/app.*.pyc" "$WORK/task/data.json"
}

# A deployment package that ships its .pyc (compiled before the runtime starts).
t_handler_code_py_pyc_shipped() {
	hc_env app.handler
	echo 'SECRET = "s3cr3t"' >"$WORK/task/app.py"
	"$PY" -m py_compile "$WORK/task/app.py"
	hc_py import:app "$WORK/task/__pycache__/app.*.pyc" "$WORK/task/data.json"
}

# A package handler: _HANDLER=pkgapp.handler, its code in pkgapp/__init__.py
# and the modules beside it; a template in the package stays readable.
t_handler_code_py_package() {
	hc_env pkgapp.handler
	mkdir -p "$WORK/task/pkgapp"
	echo 'from . import helper' >"$WORK/task/pkgapp/__init__.py"
	echo 'SECRET = "s3cr3t"' >"$WORK/task/pkgapp/helper.py"
	echo '<p>{{ greeting }}</p>' >"$WORK/task/pkgapp/page.html"
	hc_py import:pkgapp "$WORK/task/pkgapp/__init__.py" "$WORK/task/pkgapp/page.html"
}

t_handler_code_py_package_module() {
	hc_env pkgapp.handler
	mkdir -p "$WORK/task/pkgapp"
	echo 'from . import helper' >"$WORK/task/pkgapp/__init__.py"
	echo 'SECRET = "s3cr3t"' >"$WORK/task/pkgapp/helper.py"
	hc_py import:pkgapp "$WORK/task/pkgapp/__pycache__/helper.*.pyc" "$WORK/task/data.json"
}

# Ruby (lambda_function.rb): no Ruby here, so the reader stands in for the
# runtime: it reads the .rb while initialising, as ruby loads it.
t_handler_code_ruby() {
	hc_env lambda_function.lambda_handler
	echo 'def lambda_handler(event:, context:) = "s3cr3t"' >"$WORK/task/lambda_function.rb"
	hc_py read "$WORK/task/lambda_function.rb" "$WORK/task/data.json"
}

# Node: a directory module whose package.json "main" names the code.
t_handler_code_node_dir_module() {
	local p sum
	hc_env app.handler
	mkdir -p "$WORK/task/app/lib"
	echo '{"main": "lib/main.js"}' >"$WORK/task/app/package.json"
	echo 'exports.handler = async () => "s3cr3t";' >"$WORK/task/app/lib/main.js"
	echo '{"k": 1}' >"$WORK/task/app/config.json"
	sum=$(sha256sum <"$WORK/task/app/lib/main.js")
	p=$(policy '{"read_handler": "block"}')
	fng --no-proxy --policy "$p" -- "$NODE" "$HC_PROGS/reader.js" "$WORK/task/app" "$WORK/task/app/lib/main.js" \
		"$WORK/task/app/config.json"
	hc_expect "$WORK/task/app/lib/main.js" "$WORK/task/app/config.json" "$sum"
}

# A shell handler (AWS's custom-runtime tutorial): bootstrap sources
# function.sh; bash reads files with a builtin and connects through /dev/tcp.
t_handler_code_shell() {
	local p sum
	hc_env function.handler
	cat >"$WORK/task/function.sh" <<'SH'
handler() { echo "s3cr3t"; }
SH
	cat >"$WORK/task/bootstrap" <<'SH'
#!/bin/bash
source "$LAMBDA_TASK_ROOT/$(echo "$_HANDLER" | cut -d. -f1).sh"
echo INIT-OK
exec 3<>/dev/tcp/127.0.0.1/${AWS_LAMBDA_RUNTIME_API##*:} 2>/dev/null
for f in "$LAMBDA_TASK_ROOT/function.sh" "$LAMBDA_TASK_ROOT/data.json"; do
	if x=$(<"$f") 2>/dev/null; then echo "OK $f"; else echo "DENIED $f"; fi
done
SH
	chmod +x "$WORK/task/bootstrap"
	sum=$(sha256sum <"$WORK/task/function.sh")
	p=$(policy '{"read_handler": "block", "create_child_process": "allow"}')
	fng --no-proxy --policy "$p" -- "$WORK/task/bootstrap"
	hc_expect "$WORK/task/function.sh" "$WORK/task/data.json" "$sum"
}

# Java: the classes and jars the task root ships.
hc_java() { # CODE-relative-to-task
	local p sum
	command -v javac >/dev/null || fail "javac not on PATH (default-jdk-headless)"
	hc_env example.Hello::handleRequest
	mkdir -p "$WORK/task/lib" "$WORK/jsrc/example"
	cp "$HC_PROGS/Hello.java" "$WORK/jsrc/example/"
	javac -d "$WORK/task" "$WORK/jsrc/example/Hello.java"
	echo 'dep' >"$WORK/jsrc/dep.txt"
	(cd "$WORK/jsrc" && jar cf "$WORK/task/lib/dep.jar" dep.txt)
	sum=$(sha256sum <"$WORK/task/$1")
	p=$(policy '{"read_handler": "block"}')
	fng --no-proxy --policy "$p" -- java -Xshare:auto -cp "$WORK/task:$WORK/task/lib/*" example.Hello \
		"$WORK/task/$1" "$WORK/task/data.json"
	echo INIT-OK >>"$WORK/out"
	hc_expect "$WORK/task/$1" "$WORK/task/data.json" "$sum"
}

t_handler_code_java_class() { hc_java example/Hello.class; }
t_handler_code_java_jar() { hc_java lib/dep.jar; }

# A custom runtime whose bootstrap is a Go binary: the binary is the handler.
t_handler_code_go_bootstrap() {
	local p sum
	command -v go >/dev/null || fail "go not on PATH (scripts/install-deps.sh installs golang-go)"
	hc_env main.handler
	(cd "$HC_PROGS/go" && CGO_ENABLED=0 GO111MODULE=off GOPROXY=off GOFLAGS= GOCACHE="$BUILD/go/cache" \
		GOPATH="$BUILD/go/path" go build -o "$WORK/task/bootstrap" bootstrap.go) || fail "go build"
	sum=$(sha256sum <"$WORK/task/bootstrap")
	p=$(policy '{"read_handler": "block"}')
	fng --no-proxy --policy "$p" -- "$WORK/task/bootstrap" "$WORK/task/data.json"
	echo INIT-OK >>"$WORK/out"
	hc_expect "$WORK/task/bootstrap" "$WORK/task/data.json" "$sum"
}

# Nothing found: the notice names what was looked for.
t_handler_code_notice_names_candidates() {
	hc_env missing.handler
	fng --no-proxy -- "$PY" -c 'print(1)'
	assert_rc 0
	# one read_handler notice (the temp root's mode has a notice of its own)
	assert_eq "$(grep -c '"phase":"notice","message":"read_handler:' "$EV")" 1 "read_handler notices"
	grep -q "looked for $WORK/task/missing{.py" "$EV" || fail "the notice does not name what was looked for"
}

# policy check shows what a run would protect.
t_handler_code_policy_check() {
	local p
	hc_env app.handler
	mkdir -p "$WORK/task/pkgapp/__pycache__"
	touch "$WORK/task/pkgapp/__init__.py" "$WORK/task/pkgapp/__pycache__/__init__.cpython-311.pyc" \
		"$WORK/task/pkgapp/page.html"
	p=$(policy '{"read_handler": "block"}')
	set +e
	"$FNGUARD" policy check --handler pkgapp.handler --task-root "$WORK/task" "$p" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 0
	assert_out "code: $WORK/task/pkgapp/__init__.py"
	assert_out "code: $WORK/task/pkgapp/__pycache__/__init__.cpython-311.pyc"
	! grep -q 'page.html\|data.json' "$WORK/out" || fail "data files listed as code"
}

# The bypass class (test/adversarial/handler_code.c): every code file of a
# package handler, caches written during init, and aliases made afterwards.
t_adv_handler_code() {
	adv_setup
	mkdir -p "$WORK/task"
	"$BUILD/test/adversarial/handler_code" --setup "$WORK/task" || fail "setup"
	export FNG_TASK_ROOT=$WORK/task LAMBDA_TASK_ROOT=$WORK/task _HANDLER=pkgapp.app.handler \
		AWS_LAMBDA_RUNTIME_API=127.0.0.1:9
	fng --no-proxy -- "$BUILD/test/adversarial/handler_code"
	if grep -q 'BYPASSED\|ERROR' "$WORK/out" || [ "$RC" -ne 0 ]; then
		cat "$WORK/out"
		fail "handler_code: $RC vector(s) got through"
	fi
	assert_events_valid
	expect_events 13 policy=read_handler action=blocked
	# The data file in the package stays readable after all that.
	[ "$(cat "$WORK/task/pkgapp/page.html")" = '<p>data</p>' ] || fail "data file changed"
	adv_tmp_untouched
}

# With the Runtime API proxy (fnguard emulate, the Python example runtime):
# the runtime's import writes __pycache__/app.*.pyc during initialisation;
# an invocation reading it is refused, one reading data.json is not.
t_handler_code_proxy_pyc() {
	hc_env app.handler
	unset AWS_LAMBDA_RUNTIME_API
	cat >"$WORK/task/app.py" <<'PY'
import glob, os
SECRET = "s3cr3t"
def handler(event, context):
    path = (glob.glob(os.path.join(os.path.dirname(__file__), event["read"])) or ["missing"])[0]
    try:
        open(path, "rb").read()
        return {"read": event["read"], "result": "readable"}
    except OSError as e:
        return {"read": event["read"], "result": "denied %d" % e.errno}
PY
	write_events '{"read": "__pycache__/app.*.pyc"}' '{"read": "data.json"}'
	emu --policy "$(policy "$LAMBDA_POLICY}")" --events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_rc 0
	assert_response 0 '{"read": "__pycache__/app.*.pyc", "result": "denied 13"}'
	assert_response 1 '{"read": "data.json", "result": "readable"}'
	expect_events 1 policy=read_handler action=blocked
	expect_events 1 policy=*
	assert_blocked_in 0 read_handler
}

# A handler compiled into an extension module (Cython, mypyc):
# app.cpython-311-x86_64-linux-gnu.so is the handler's code (outside attack
# session: it was read after initialisation). A stand-in file: Python is not
# asked to load it.
t_handler_code_py_extension_module() {
	hc_env app.handler
	printf 'ELF-ish COMPILED_HANDLER_SECRET\n' >"$WORK/task/app.cpython-311-x86_64-linux-gnu.so"
	hc_py read "$WORK/task/app.cpython-311-x86_64-linux-gnu.so" "$WORK/task/data.json"
}

# PYTHONPYCACHEPREFIX moves every cache out of __pycache__, under the prefix
# followed by the source folder's absolute path (outside attack session: the
# handler's .pyc there was read after initialisation). The prefix folder does
# not exist before the run.
t_handler_code_py_pycache_prefix() {
	hc_env app.handler
	echo 'SECRET = "s3cr3t"' >"$WORK/task/app.py"
	export PYTHONPYCACHEPREFIX=$WORK/pycache
	hc_py import:app "$WORK/pycache$WORK/task/app.*.pyc" "$WORK/task/data.json"
	unset PYTHONPYCACHEPREFIX
}

# The other ways a cache lands under a prefix (second outside attack
# session): -X pycache_prefix on the command line, a relative
# PYTHONPYCACHEPREFIX, and a task root named through a symlink (Python names
# the cache folder after the path as found, not resolved). Each is matched
# by name wherever the prefix is: the module's folder followed by its cache.
hc_prefix_case() { # TASK-AS-NAMED CACHE-GLOB [python options...]
	local task=$1 cache=$2 p sum
	shift 2
	p=$(policy '{"read_handler": "block"}')
	export LAMBDA_TASK_ROOT=$task
	fng --no-proxy --policy "$p" -- "$PY" "$@" "$HC_PROGS/reader.py" import:app "$task" "$cache" "$WORK/task/data.json"
	CODE=$(sed -n 's/^INIT-OK //p' "$WORK/out")
	[ -e "$CODE" ] || { cat "$WORK/out" "$WORK/err"; fail "no cache was written at $cache"; }
	grep -q "^DENIED.* $CODE\$" "$WORK/out" || { cat "$WORK/out"; fail "the cache $CODE was read after init"; }
	[ "$(ev_count policy=read_handler action=blocked)" -ge 1 ] || fail "the refusal was not reported"
}

t_handler_code_py_pycache_prefix_option() {
	hc_env app.handler
	echo 'SECRET = "s3cr3t"' >"$WORK/task/app.py"
	hc_prefix_case "$WORK/task" "$WORK/pcx$WORK/task/app.*.pyc" -X pycache_prefix="$WORK/pcx"
}

t_handler_code_py_pycache_prefix_relative() {
	hc_env app.handler
	echo 'SECRET = "s3cr3t"' >"$WORK/task/app.py"
	cd "$WORK"
	PYTHONPYCACHEPREFIX=rel hc_prefix_case "$WORK/task" "$WORK/rel$WORK/task/app.*.pyc"
	cd - >/dev/null
}

t_handler_code_py_pycache_prefix_task_symlink() {
	hc_env app.handler
	echo 'SECRET = "s3cr3t"' >"$WORK/task/app.py"
	ln -s task "$WORK/tasklink"
	PYTHONPYCACHEPREFIX=$WORK/pc4 hc_prefix_case "$WORK/tasklink" "$WORK/pc4$WORK/tasklink/app.*.pyc"
}
