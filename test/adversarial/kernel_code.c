/* kernel_code — code loaded into the kernel that changes what a call does
 * after fnguard judged it (attack5 F3): a BPF_PROG_TYPE_CGROUP_SOCK_ADDR
 * program attached to the function's cgroup rewrites connect destinations
 * after the check (forbidden hosts, the real Runtime API past the proxy).
 * Loading the program is the bypass: attaching needs only the cgroup's
 * directory, which root has. Kernel modules and port I/O are the same class.
 *
 * A kernel without modules or iopl (ENOSYS) counts as defended there.
 *
 * Vectors (root needed natively):
 *   bpf_prog_load    bpf(BPF_PROG_LOAD) of "return 1" as a cgroup/connect4
 *                    program: a program descriptor is the bypass
 *   bpf_map_create   bpf(BPF_MAP_CREATE), an array map: bpf() answered
 *   finit_module     finit_module(-1): EBADF means the capability check
 *                    passed and the module loader read the descriptor
 *   iopl             iopl(3): port I/O granted (dropped again at once)
 * Env: none.
 */
#define _GNU_SOURCE
#include "adv.h"

#include <linux/bpf.h>
#include <stdint.h>

static long sys_bpf(int cmd, union bpf_attr *a)
{
	return syscall(SYS_bpf, cmd, a, sizeof(*a));
}

static void prog_load(void)
{
	struct bpf_insn code[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 1 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr a;
	long fd;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_CGROUP_SOCK_ADDR;
	a.expected_attach_type = BPF_CGROUP_INET4_CONNECT;
	a.insns = (uint64_t)(uintptr_t)code;
	a.insn_cnt = 2;
	a.license = (uint64_t)(uintptr_t)"GPL";
	fd = sys_bpf(BPF_PROG_LOAD, &a);
	if (fd >= 0) {
		report("bpf_prog_load", BYPASSED, "a cgroup/connect4 program was loaded (fd %ld): attached, it "
						  "rewrites connect destinations after the check", fd);
		close((int)fd);
	} else {
		setup_failed("bpf_prog_load", "bpf(BPF_PROG_LOAD)", errno);
	}
}

static void map_create(void)
{
	union bpf_attr a;
	long fd;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 4;
	a.max_entries = 1;
	fd = sys_bpf(BPF_MAP_CREATE, &a);
	if (fd >= 0) {
		report("bpf_map_create", BYPASSED, "bpf() created a map (fd %ld)", fd);
		close((int)fd);
	} else {
		setup_failed("bpf_map_create", "bpf(BPF_MAP_CREATE)", errno);
	}
}

static void module_load(void)
{
	if (syscall(SYS_finit_module, -1, "", 0) == 0 || errno == EBADF)
		report("finit_module", BYPASSED, "the module loader took the call (%s)", strerror(errno));
	else if (errno == ENOSYS)
		report("finit_module", DEFENDED, "this kernel has no module loader (ENOSYS)");
	else
		setup_failed("finit_module", "finit_module", errno);
}

static void port_io(void)
{
#if defined(__x86_64__)
	if (syscall(SYS_iopl, 3) == 0) {
		syscall(SYS_iopl, 0);
		report("iopl", BYPASSED, "iopl(3) granted port I/O");
	} else if (errno == ENOSYS) {
		report("iopl", DEFENDED, "this kernel has no iopl (ENOSYS)");
	} else {
		setup_failed("iopl", "iopl", errno);
	}
#else
	report("iopl", DEFENDED, "no port I/O on this architecture");
#endif
}

int main(void)
{
	adv_init();
	prog_load();
	map_create();
	module_load();
	port_io();
	return adv_exit_status();
}
