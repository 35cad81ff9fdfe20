# read_handler: the function may load its own code during initialisation;
# once the runtime asks the Runtime API for work, reading it is the rule.
# These run without the Runtime API proxy (--no-proxy): the first connect to
# the Runtime API address ends initialisation; test/integration/lambda.sh
# covers the proxy, where the first GET .../invocation/next does.

handler_env() {
	mkdir -p "$WORK/task"
	export LAMBDA_TASK_ROOT=$WORK/task AWS_LAMBDA_RUNTIME_API=127.0.0.1:9
}

write_py_handler() {
	cat >"$WORK/task/app.py" <<'PY'
import os, socket, sys
open(__file__).read()                      # initialisation: allowed
print("INIT-READ-OK")
s = socket.socket()
try:
    s.connect(("127.0.0.1", int(os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")[1])))
except OSError:
    pass                                   # nobody listens: the attempt ends init
for path in [__file__] + sys.argv[1:]:
    try:
        open(path).read(); print("OK", path)
    except OSError as e:
        print("DENIED", e.errno, path)
PY
}

# expect_handler_outcome MODE DENIED-LINE OK-LINE PATH
expect_handler_outcome() {
	case $1 in
	block)
		assert_out "$2"
		expect_events 1 policy=read_handler action=blocked details.path="$4" ;;
	alert)
		assert_out "$3"
		expect_events 1 policy=read_handler action=alerted ;;
	allow)
		assert_out "$3"
		expect_events 0 policy=* ;;
	esac
	[ "$1" = allow ] || expect_events 1 policy=*
}

handler_case_py() { # mode
	local p
	handler_env
	write_py_handler
	export _HANDLER=app.handler
	p=$(policy "{\"read_handler\": \"$1\"}")
	fng --no-proxy --policy "$p" -- "$PY" "$WORK/task/app.py"
	assert_rc 0
	assert_out INIT-READ-OK
	expect_handler_outcome "$1" "DENIED 13 $WORK/task/app.py" "OK $WORK/task/app.py" "$WORK/task/app.py"
}

t_handler_block_py() { handler_case_py block; }
t_handler_alert_py() { handler_case_py alert; }
t_handler_allow_py() { handler_case_py allow; }

# The rule protects the object, not the name: symlinks and hard links to
# the handler are the handler.
t_handler_aliases_py() {
	local p
	handler_env
	write_py_handler
	export _HANDLER=app.handler
	ln -s "$WORK/task/app.py" "$WORK/alias-symlink.py"
	ln "$WORK/task/app.py" "$WORK/alias-hardlink.py"
	p=$(policy '{"read_handler": "block"}')
	fng --no-proxy --policy "$p" -- "$PY" "$WORK/task/app.py" "$WORK/alias-symlink.py" "$WORK/alias-hardlink.py" /proc/self/cwd/task/app.py
	assert_rc 0
	assert_out "DENIED 13 $WORK/alias-symlink.py"
	assert_out "DENIED 13 $WORK/alias-hardlink.py"
	assert_out "DENIED 13 /proc/self/cwd/task/app.py"
	expect_events 4 policy=read_handler action=blocked
}

handler_case_node() { # mode
	local p
	handler_env
	export _HANDLER=index.handler
	cat >"$WORK/task/index.js" <<'JS'
const fs = require('fs'), net = require('net');
fs.readFileSync(__filename);               // initialisation: allowed
console.log('INIT-READ-OK');
const s = net.connect(Number(process.env.AWS_LAMBDA_RUNTIME_API.split(':')[1]), '127.0.0.1');
s.on('error', () => {
  try { fs.readFileSync(__filename); console.log('OK'); }
  catch (e) { console.log('DENIED', e.code); }
});
JS
	p=$(policy "{\"read_handler\": \"$1\"}")
	fng --no-proxy --policy "$p" -- "$NODE" "$WORK/task/index.js"
	assert_rc 0
	assert_out INIT-READ-OK
	expect_handler_outcome "$1" "DENIED EACCES" "^OK" "$WORK/task/index.js"
}

t_handler_block_node() { handler_case_node block; }
t_handler_alert_node() { handler_case_node alert; }
t_handler_allow_node() { handler_case_node allow; }

# Without AWS_LAMBDA_RUNTIME_API initialisation never ends: fnguard says so.
t_handler_notice_without_runtime_api() {
	handler_env
	unset AWS_LAMBDA_RUNTIME_API
	write_py_handler
	export _HANDLER=app.handler
	fng -- "$PY" -c 'print(1)'
	assert_rc 0
	# one about the handler (another says who holds the temp root)
	[ "$(grep -c '"phase":"notice","message":"read_handler:' "$EV")" = 1 ] || fail "expected one read_handler notice"
}
