# Version managers' shims as a runtime's launch (docs/policy.md,
# create_child_process): Debian's rbenv (its shim, rbenv, rbenv-exec and
# the helpers they run: head, cut, readlink), an nvm-style script (nvm-exec
# sourcing an nvm.sh whose `nvm use` lists versions with ls, grep, sed,
# sort, awk and tr, then exec "$@"), and pyenv's shim starting a Lambda
# custom runtime under `fnguard emulate` (the bootstrap's #!/usr/bin/env
# python3 finds the shim first on PATH). Under the default policy each
# starts with no event, and what the runtime then execs is refused.

SHIM_PATH=/usr/bin:/bin

shim_blocked_execs() {
	ev_count policy=create_child_process action=blocked
}

# rbenv as Debian ships it (scripts/install-deps.sh), with one version: a
# link to the system's ruby.
rbenv_root() {
	[ -x /usr/lib/rbenv/libexec/rbenv ] || fail "rbenv not installed (scripts/install-deps.sh installs it)"
	export RBENV_ROOT=$WORK/rbenv
	mkdir -p "$RBENV_ROOT/versions/3/bin"
	ln -s /usr/bin/ruby "$RBENV_ROOT/versions/3/bin/ruby"
	PATH=/usr/lib/rbenv/libexec:$SHIM_PATH rbenv rehash
	echo 3 >"$RBENV_ROOT/version"
	[ -x "$RBENV_ROOT/shims/ruby" ] || fail "rbenv made no ruby shim"
}

t_launch_rbenv_shim() {
	rbenv_root
	assert_eq "$(PATH=$RBENV_ROOT/shims:$SHIM_PATH ruby -e 'puts 6 * 7')" 42 "natively"
	PATH=$RBENV_ROOT/shims:$SHIM_PATH fng -- ruby -e 'puts 6 * 7'
	assert_rc 0
	assert_out '^42$'
	expect_events 0 action=*
	# ... and the ruby it started is the function: its exec is a child.
	EV=$WORK/ev-child.jsonl
	PATH=$RBENV_ROOT/shims:$SHIM_PATH fng -- ruby -e 'puts(system("/bin/true").nil? ? "refused" : "ran")'
	assert_out '^refused$'
	expect_events 1 policy=create_child_process action=blocked details.program=/usr/bin/true
}

# An nvm-style tree: nvm-exec (#!/usr/bin/env bash) sources nvm.sh, whose
# nvm use picks the version from a listing and puts its bin first on PATH.
nvm_tree() {
	export NVM_DIR=$WORK/nvm
	mkdir -p "$NVM_DIR/versions/node/v18.19.0/bin" "$NVM_DIR/versions/node/v16.20.2/bin"
	ln -s "$NODE" "$NVM_DIR/versions/node/v18.19.0/bin/node"
	ln -s /bin/false "$NVM_DIR/versions/node/v16.20.2/bin/node"
	cat >"$NVM_DIR/nvm.sh" <<-'SH'
	nvm_ls() { # versions matching $1, oldest first
		command ls -1 "$NVM_DIR/versions/node" | command grep "^v$1" | command sed 's/^v//' |
			command sort -t. -k1,1n -k2,2n -k3,3n | command tr -d '\r'
	}
	nvm_version() {
		nvm_ls "$1" | command awk 'END { if (NR) print "v" $0 }'
	}
	nvm() {
		[ "$1" = use ] || return 1
		local v
		v=$(nvm_version "$2")
		[ -n "$v" ] || { echo "N/A: version $2 is not installed" >&2; return 3; }
		PATH="$NVM_DIR/versions/node/$v/bin:$PATH"
		export PATH NVM_BIN="$NVM_DIR/versions/node/$v/bin"
	}
	SH
	cat >"$NVM_DIR/nvm-exec" <<-'SH'
	#!/usr/bin/env bash
	DIR="$(command cd "$(dirname "${BASH_SOURCE[0]}")" && command pwd)"
	\. "$DIR/nvm.sh"
	nvm use "${NODE_VERSION:-18}" >/dev/null || exit 127
	exec "$@"
	SH
	chmod 755 "$NVM_DIR/nvm-exec"
}

t_launch_nvm_style_shim() {
	nvm_tree
	assert_eq "$(PATH=$SHIM_PATH NODE_VERSION=18 "$NVM_DIR/nvm-exec" node -e 'console.log(process.argv0, "nvm ok")')" "node nvm ok" "natively"
	PATH=$SHIM_PATH NODE_VERSION=18 fng -- "$NVM_DIR/nvm-exec" node -e 'console.log(process.argv0, "nvm ok")'
	assert_rc 0
	assert_out '^node nvm ok$'
	expect_events 0 action=*
	# ... and node's child_process is a child process.
	EV=$WORK/ev-child.jsonl
	PATH=$SHIM_PATH NODE_VERSION=18 fng -- "$NVM_DIR/nvm-exec" node -e \
		'require("child_process").exec("id", (e, o) => console.log(e ? "refused" : o))'
	assert_out '^refused$'
	expect_events 1 policy=create_child_process action=blocked details.program=/usr/bin/dash
}

# pyenv's shim (when this machine has pyenv), else a pyenv-style one: a
# #!/usr/bin/env bash shim that execs a #!/usr/bin/env bash pyenv, which
# reads the version through a helper script and execs the interpreter.
pyenv_shims() {
	local shim=${PYENV_ROOT:-$HOME/.pyenv}/shims/python3
	if [ -x "$shim" ]; then
		dirname "$shim"
		return
	fi
	mkdir -p "$WORK/pyenv/shims" "$WORK/pyenv/libexec" "$WORK/pyenv/versions/3/bin"
	ln -s "$PY" "$WORK/pyenv/versions/3/bin/python3"
	printf '#!/usr/bin/env bash\nset -e\nexec "%s/pyenv/libexec/pyenv" exec "${0##*/}" "$@"\n' "$WORK" >"$WORK/pyenv/shims/python3"
	printf '#!/usr/bin/env bash\nset -e\nroot=$(dirname "$(dirname "$(readlink -f "$0")")")\nv=$("$root/libexec/pyenv-version-name")\nshift; p=$1; shift\nexec "$root/versions/$v/bin/$p" "$@"\n' >"$WORK/pyenv/libexec/pyenv"
	printf '#!/bin/sh\necho 3\n' >"$WORK/pyenv/libexec/pyenv-version-name"
	chmod 755 "$WORK/pyenv/shims/python3" "$WORK/pyenv/libexec/pyenv" "$WORK/pyenv/libexec/pyenv-version-name"
	echo "$WORK/pyenv/shims"
}

# A Lambda custom runtime whose #!/usr/bin/env python3 finds the shim:
# under emulate and the default policy it serves every event, its handler
# is the function (its exec in an invocation refused, and nothing else).
t_launch_pyenv_shim_emulate() {
	local shims
	shims=$(pyenv_shims)
	mkdir -p "$WORK/task"
	cp "$ROOT/test/progs/lambda/app.py" "$WORK/task/"
	cp "$ROOT/examples/runtimes/python/bootstrap" "$WORK/bootstrap"
	chmod 755 "$WORK/bootstrap"
	printf '%s\n' '{"a": 1}' '{"exec": true}' '{"b": 2}' >"$WORK/in.jsonl"
	set +e
	LAMBDA_TASK_ROOT=$WORK/task _HANDLER=app.handler PATH=$shims:$SHIM_PATH \
		"$FNGUARD" emulate --log "file:$EV" --events "$WORK/in.jsonl" -- "$WORK/bootstrap" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 0
	[ "$(grep -c '"status":"success"' "$WORK/out")" = 3 ] || { cat "$WORK/out" "$WORK/err"; fail "three invocations expected"; }
	# os.system's sh could not start: 127, as a wait status
	assert_eq "$($PY "$EVENTS_PY" get "$WORK/out" response event=1)" '{"exec": true, "init_rc": null, "invoke_rc": 32512}' \
		"the handler's exec"
	expect_events 1 action=blocked
	expect_events 1 action=blocked policy=create_child_process
	expect_events 0 action=alerted
}
