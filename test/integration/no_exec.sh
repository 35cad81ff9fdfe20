# Code that runs without exec (issue 21): test/adversarial/elf_loader maps a
# static program into its own memory and jumps to it. create_child_process
# sees no exec; the loaded code runs as the function, and each of its calls is
# judged by every rule (docs/security.md, "Code loaded without exec").

# Under the default policy: the loaded program's read of the secret and its
# exec are refused, whichever way it was mapped.
t_no_exec_elf_loader() {
	adv_case elf_loader 4
	grep -c "defended (the loaded program's" "$WORK/out" | grep -qx 4 ||
		fail "the loaded program did not run in every vector"
}
