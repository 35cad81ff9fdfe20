# The shell handler the Lambda tests source from examples/shell/runtime-bootstrap.
handler() {
	case "$1" in
	*read_self*)
		if { read -r _line <"$LAMBDA_TASK_ROOT/handler.sh"; } 2>/dev/null; then
			echo '{"self":"readable"}'
		else
			echo '{"self":"denied"}'
		fi ;;
	*) echo "$1" ;;
	esac
}
