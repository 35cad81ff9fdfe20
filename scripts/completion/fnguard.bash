# Bash completion for fnguard: commands, each command's options, and the
# values of --log (destination kinds), --log-format, --mode, --on-block.
# Installed by `make install` as $(PREFIX)/share/bash-completion/completions/fnguard.
# The option lists follow each command's --help (test/integration/cli_strace.sh
# checks that every option --help shows is offered).

_fnguard_opts() {
	case $1 in
	run) echo "--policy --log --log-format --log-key --flush-timeout --no-proxy --on-block --grace --help -f" ;;
	trace) echo "--policy -o --output --json -e -c -C -r -t -tt -ttt -k --stack -f --enforce --event --help" ;;
	baseline) echo "-o --output --mode --merge --log --event -f --help merge diff" ;;
	emulate) echo "--event --events --port --policy --log --no-proxy --on-block --direct --help" ;;
	policy) echo "check --help" ;;
	check) echo "--handler --task-root --help" ;;
	merge) echo "-o --output --help" ;;
	diff) echo "--help" ;;
	esac
}

_fnguard() {
	local cur prev cmd i w
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()

	# The command (and subcommand): the first words that are not options.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		[ "$w" = "--" ] && { COMPREPLY=($(compgen -c -- "$cur")); return; }
		case $w in
		run | trace | emulate | policy | help) [ -z "$cmd" ] && cmd=$w ;;
		baseline) [ -z "$cmd" ] && cmd=$w ;;
		merge | diff) [ "$cmd" = baseline ] && cmd=$w ;;
		check) [ "$cmd" = policy ] && cmd=$w ;;
		esac
	done
	if [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "run trace baseline emulate policy help --version --help" -- "$cur"))
		return
	fi
	if [ "$cmd" = help ]; then
		COMPREPLY=($(compgen -W "run trace baseline emulate policy" -- "$cur"))
		return
	fi
	case $prev in
	--log)
		COMPREPLY=($(compgen -W "stderr stdout file: unix: syslog: syslog+udp:// syslog+tcp:// http:// https://" -- "$cur"))
		compopt -o nospace 2>/dev/null
		return ;;
	--log-format) COMPREPLY=($(compgen -W "fnguard ocsf falco text" -- "$cur")); return ;;
	--mode) COMPREPLY=($(compgen -W "block alert" -- "$cur")); return ;;
	--on-block) COMPREPLY=($(compgen -W "fail-call fail-invocation kill" -- "$cur")); return ;;
	-e) COMPREPLY=($(compgen -W "file net process dns trace=%file trace=%network trace=%process" -- "$cur")); return ;;
	--policy | -o | --output | --merge | --event | --events | --log-key | --task-root)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--port | --flush-timeout | --handler) return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_fnguard_opts "$cmd")" -- "$cur"))
		return
	fi
	case $cmd in
	baseline | policy) COMPREPLY=($(compgen -W "$(_fnguard_opts "$cmd" | tr ' ' '\n' | grep -v '^-')" -- "$cur")) ;;
	esac
	[ ${#COMPREPLY[@]} -eq 0 ] && COMPREPLY=($(compgen -f -- "$cur"))
}

complete -F _fnguard fnguard
