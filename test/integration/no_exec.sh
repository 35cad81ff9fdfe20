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

# executable_memory: "block": the loader cannot make memory executable
# (mprotect), nor map a memfd; mapping the payload file itself (there before
# the run, outside the temp root) is allowed, and the program it runs is
# still refused the secret. The refusals are reported.
t_no_exec_elf_loader_executable_memory_block() {
	local p
	adv_setup
	p=$(policy '{"outbound_connectivity":"block","read_write_tmp":"block","create_child_process":"block","read_handler":"block","executable_memory":"block"}')
	fng --policy "$p" -- "$BUILD/test/adversarial/elf_loader"
	cat "$WORK/out"
	assert_rc 0
	grep -q "vector anon_copy_read_secret: defended (setup: mapping" "$WORK/out" || fail "anonymous code ran"
	grep -q "vector anon_copy_exec: defended (setup: mapping" "$WORK/out" || fail "anonymous code ran"
	grep -q "vector memfd_map_read_secret: defended (setup: mapping" "$WORK/out" || fail "memfd code ran"
	grep -q "vector file_map_read_secret: defended (the loaded program's read was refused)" "$WORK/out" ||
		fail "the payload file's mapping was refused, or its read not"
	[ "$(ev_count action=blocked syscall=mprotect)" -ge 1 ] || fail "no event for the refused mprotect"
	[ "$(ev_count action=blocked syscall=mmap)" -ge 1 ] || fail "no event for the refused memfd mapping"
	assert_events_valid
	adv_tmp_untouched
}

# A file written during the run, outside the temp root, is refused as code.
t_no_exec_executable_memory_written_file() {
	local p
	adv_setup
	p=$(policy '{"read_write_tmp":"block","create_child_process":"allow","executable_memory":"block"}')
	fng --policy "$p" -- /bin/sh -c "cp '$BUILD/test/adversarial/elf_payload' '$WORK/copy' && FNG_ELF_PAYLOAD='$WORK/copy' '$BUILD/test/adversarial/elf_loader'"
	cat "$WORK/out"
	grep -q "vector file_map_read_secret: defended (setup: mapping" "$WORK/out" ||
		fail "a file written in the run was mapped executable"
}

# READ_IMPLIES_EXEC makes every readable mapping executable with no
# PROT_EXEC asked (outside attack review): under "block" the runtime cannot
# set it, and does not inherit it from whoever started fnguard (setarch -X).
# Natively both hold it.
t_no_exec_read_implies_exec() {
	local p code
	p=$(policy '{"executable_memory":"block"}')
	code='import ctypes; libc = ctypes.CDLL(None); libc.personality.restype = ctypes.c_int
print("set", libc.personality(0x0400000)); print("now", hex(libc.personality(0xffffffff)))'
	[ "$(setarch -X "$PY" -c "$code" | tail -1)" = "now 0x400000" ] || fail "natively the persona is not set"
	fng --policy "$p" -- "$PY" -c "$code"
	assert_rc 0
	assert_out '^set -1$'
	assert_out '^now 0x0$'
	set +e
	setarch -X "$FNGUARD" run --log "file:$EV" --policy "$p" -- "$PY" -c 'import ctypes; libc = ctypes.CDLL(None); print("now", hex(libc.personality(0xffffffff)))' >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	assert_rc 0
	assert_out '^now 0x0$'
}

# Writing over one's own code through /proc/self/mem needs no executable
# mapping at all (outside attack session): under "block", opening a
# process's memory file for writing is refused, reported; reading it works.
# Natively the write goes over the code.
t_no_exec_proc_self_mem() {
	local code='import ctypes, os
libc = ctypes.CDLL(None)
addr = ctypes.cast(libc.getpid, ctypes.c_void_p).value
fd = os.open("/proc/self/mem", os.O_RDONLY); print("read", len(os.pread(fd, 1, addr))); os.close(fd)
try:
    fd = os.open("/proc/self/mem", os.O_RDWR)
    os.pwrite(fd, os.pread(fd, 1, addr), addr); print("wrote over code")
except OSError as e:
    print("write refused", e.errno)'
	"$PY" -c "$code" | grep -q '^wrote over code$' || fail "natively the write did not happen: the test cannot tell"
	fng --policy "$(policy '{"executable_memory": "block"}')" -- "$PY" -c "$code"
	assert_rc 0
	assert_out '^read 1$'
	assert_out '^write refused 13$'
	[ "$(ev_count action=blocked details.reason="executable_memory: writing a process's memory through /proc/PID/mem")" -ge 1 ] ||
		fail "the refusal was not reported"
	fng --policy "$(policy '{"executable_memory": "allow"}')" -- "$PY" -c "$code"
	assert_out '^wrote over code$'
}
