/* Unit tests for tracer/filter.c, minijail style: build the filter, export it
 * as classic BPF, and run (arch, nr, args) through a small interpreter. No
 * filter is ever loaded into this process. Syscall numbers come from
 * libseccomp, never from hand-written tables. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <linux/sockios.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/userfaultfd.h>
#include <termios.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include "tracer/arch.h"
#include "tracer/filter.h"
#include "tracer/syscalls.h"

#define SUP_PID 4242
#define SUP_PGID 4240
#define SUP_TID2 4250
#define OTHER_PID 777

#define ALL_NEEDS                                                                                     \
	(FNG_NEED_TMP | FNG_NEED_HANDLER | FNG_NEED_CHILD | FNG_NEED_OUTBOUND | FNG_NEED_INIT_END | \
	 FNG_NEED_ALWAYS | FNG_NEED_DNS | FNG_NEED_ASYNC)

#define RET_ALLOW SECCOMP_RET_ALLOW
#define RET_TRACE(d) (SECCOMP_RET_TRACE | ((uint32_t)(d) & SECCOMP_RET_DATA))
#define RET_ERRNO(e) (SECCOMP_RET_ERRNO | ((uint32_t)(e) & SECCOMP_RET_DATA))
#define RET_DENY(e) RET_TRACE(FNG_TRACE_DENY_BIT | (uint32_t)(e))

struct prog {
	struct sock_filter *ins;
	size_t n;
};

/* ------------------------------------------------------------------ BPF */

static uint32_t run_bpf(const struct prog *p, const struct seccomp_data *d)
{
	uint32_t A = 0, X = 0, M[BPF_MEMWORDS] = { 0 };
	size_t pc = 0;

	for (unsigned steps = 0; steps < 1000000; steps++) {
		const struct sock_filter *f;
		uint32_t k;
		bool cond = false;

		if (pc >= p->n)
			fail_msg("BPF: pc %zu past the end (%zu instructions)", pc, p->n);
		f = &p->ins[pc++];
		k = f->k;
		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (k % 4 || k > sizeof(*d) - 4)
				fail_msg("BPF: bad load offset %u at %zu", k, pc - 1);
			memcpy(&A, (const char *)d + k, 4);
			continue;
		case BPF_LD | BPF_W | BPF_LEN:
			A = sizeof(*d);
			continue;
		case BPF_LDX | BPF_W | BPF_LEN:
			X = sizeof(*d);
			continue;
		case BPF_LD | BPF_IMM:
			A = k;
			continue;
		case BPF_LDX | BPF_IMM:
			X = k;
			continue;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
		case BPF_ST:
		case BPF_STX:
			if (k >= BPF_MEMWORDS)
				fail_msg("BPF: bad scratch slot %u at %zu", k, pc - 1);
			if (f->code == (BPF_LD | BPF_MEM))
				A = M[k];
			else if (f->code == (BPF_LDX | BPF_MEM))
				X = M[k];
			else if (f->code == BPF_ST)
				M[k] = A;
			else
				M[k] = X;
			continue;
		case BPF_ALU | BPF_AND | BPF_K:
			A &= k;
			continue;
		case BPF_ALU | BPF_OR | BPF_K:
			A |= k;
			continue;
		case BPF_ALU | BPF_AND | BPF_X:
			A &= X;
			continue;
		case BPF_ALU | BPF_OR | BPF_X:
			A |= X;
			continue;
		case BPF_ALU | BPF_ADD | BPF_K:
			A += k;
			continue;
		case BPF_ALU | BPF_SUB | BPF_K:
			A -= k;
			continue;
		case BPF_ALU | BPF_XOR | BPF_K:
			A ^= k;
			continue;
		case BPF_ALU | BPF_LSH | BPF_K:
			A <<= (k & 31);
			continue;
		case BPF_ALU | BPF_RSH | BPF_K:
			A >>= (k & 31);
			continue;
		case BPF_ALU | BPF_NEG:
			A = (uint32_t)-A;
			continue;
		case BPF_MISC | BPF_TAX:
			X = A;
			continue;
		case BPF_MISC | BPF_TXA:
			A = X;
			continue;
		case BPF_JMP | BPF_JA:
			pc += k;
			continue;
		case BPF_JMP | BPF_JEQ | BPF_K:
			cond = A == k;
			break;
		case BPF_JMP | BPF_JGT | BPF_K:
			cond = A > k;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			cond = A >= k;
			break;
		case BPF_JMP | BPF_JSET | BPF_K:
			cond = (A & k) != 0;
			break;
		case BPF_JMP | BPF_JEQ | BPF_X:
			cond = A == X;
			break;
		case BPF_JMP | BPF_JGT | BPF_X:
			cond = A > X;
			break;
		case BPF_JMP | BPF_JGE | BPF_X:
			cond = A >= X;
			break;
		case BPF_JMP | BPF_JSET | BPF_X:
			cond = (A & X) != 0;
			break;
		case BPF_RET | BPF_K:
			return k;
		case BPF_RET | BPF_A:
			return A;
		default:
			print_error("BPF: unknown opcode 0x%04x at %zu\n", f->code, pc - 1);
			fail();
		}
		pc += cond ? f->jt : f->jf;
	}
	fail_msg("BPF: did not terminate");
	return 0;
}

/* The program the runtime is given, exactly (fng_filter_program). */
static void build_fp(const struct fng_filter_params *fp, struct prog *out)
{
	struct sock_fprog sp = { 0 };
	int r;

	r = fng_filter_program(fp, &sp);
	if (r != 0)
		fail_msg("fng_filter_program: %d (%s)", r, strerror(-r));
	assert_non_null(sp.filter);
	out->n = sp.len;
	assert_true(out->n > 0 && out->n <= BPF_MAXINSNS);
	out->ins = sp.filter;
}

static void build(uint32_t needs, int deny_mount, struct prog *out)
{
	struct fng_filter_params fp = {
		.needs = needs,
		.sup_pid = SUP_PID,
		.sup_pgid = SUP_PGID,
		.sup_tids = { SUP_PID, SUP_TID2, 0, 0 },
		.deny_mount = deny_mount,
		/* a policy that watches something: every build but "always" */
		.enforces = (needs & ~(uint32_t)FNG_NEED_ALWAYS) != 0,
	};
	build_fp(&fp, out);
}

static uint32_t call_arch(const struct prog *p, uint32_t arch, int nr, uint64_t a0, uint64_t a1, uint64_t a2,
			  uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct seccomp_data d = {
		.nr = nr,
		.arch = arch,
		.instruction_pointer = 0x401000,
		.args = { a0, a1, a2, a3, a4, a5 },
	};
	return run_bpf(p, &d);
}

/* A call this architecture does not have (aarch64 has only the *at forms
 * of open, unlink, rename ...): libseccomp gives a negative pseudo number.
 * A row naming one is skipped: there is no such way in to watch. */
#define ABSENT 0xfffffffeu

static int NR(const char *name)
{
	int nr = seccomp_syscall_resolve_name(name);

	if (nr == __NR_SCMP_ERROR || (nr < 0 && FNG_AUDIT_ARCH == AUDIT_ARCH_X86_64))
		fail_msg("libseccomp cannot name %s", name);
	return nr;
}

static uint32_t call_named(const struct prog *p, const char *name, uint64_t a0, uint64_t a1, uint64_t a2,
			   uint64_t a3, uint64_t a4, uint64_t a5)
{
	int nr = NR(name);

	return nr < 0 ? ABSENT : call_arch(p, FNG_AUDIT_ARCH, nr, a0, a1, a2, a3, a4, a5);
}

#define CALL(p, name, ...) call_named(p, name, __VA_ARGS__)
#define CALL0(p, name) CALL(p, name, 0, 0, 0, 0, 0, 0)

static unsigned idx(const char *name)
{
	for (unsigned i = 0; i < fng_syscalls_count; i++)
		if (strcmp(fng_syscalls[i].name, name) == 0)
			return i;
	fail_msg("%s not in fng_syscalls", name);
	return 0;
}

static const char *act_str(uint32_t a, char *buf, size_t n)
{
	switch (a & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW: snprintf(buf, n, "ALLOW"); break;
	case SECCOMP_RET_TRACE:
		if ((a & SECCOMP_RET_DATA) == FNG_TRACE_BADARCH)
			snprintf(buf, n, "TRACE(FNG_TRACE_BADARCH)");
		else if (a & FNG_TRACE_DENY_BIT)
			snprintf(buf, n, "TRACE(DENY|%s)", strerrorname_np((int)(a & 0x7fff)));
		else
			snprintf(buf, n, "TRACE(%u)", a & SECCOMP_RET_DATA);
		break;
	case SECCOMP_RET_ERRNO: snprintf(buf, n, "ERRNO(%s)", strerrorname_np((int)(a & SECCOMP_RET_DATA))); break;
	case SECCOMP_RET_KILL_PROCESS: snprintf(buf, n, "KILL_PROCESS"); break;
	case SECCOMP_RET_KILL_THREAD: snprintf(buf, n, "KILL_THREAD"); break;
	case SECCOMP_RET_TRAP: snprintf(buf, n, "TRAP"); break;
	case SECCOMP_RET_LOG: snprintf(buf, n, "LOG"); break;
	default: snprintf(buf, n, "0x%08x", a); break;
	}
	return buf;
}

#define EXPECT(got_expr, want_expr)                                                              \
	do {                                                                                     \
		uint32_t got_ = (got_expr), want_ = (want_expr);                                 \
		char gb_[64], wb_[64];                                                           \
		if (got_ != want_ && got_ != ABSENT)                                             \
			fail_msg("%s:%d: %s\n    got  %s (0x%08x)\n    want %s (0x%08x)", __FILE__, \
				 __LINE__, #got_expr, act_str(got_, gb_, sizeof(gb_)), got_,      \
				 act_str(want_, wb_, sizeof(wb_)), want_);                        \
	} while (0)

/* ---------------------------------------------------------------- state */

struct progs {
	struct prog all, always, all_nomount, outbound, child, tmp, init_end, execmem, proxy;
};

static int setup(void **state)
{
	struct progs *ps = calloc(1, sizeof(*ps));

	if (!ps)
		return -1;
	build(ALL_NEEDS, 1, &ps->all);
	build(FNG_NEED_ALWAYS, 0, &ps->always);
	build(ALL_NEEDS, 0, &ps->all_nomount);
	build(FNG_NEED_ALWAYS | FNG_NEED_OUTBOUND, 0, &ps->outbound);
	build(FNG_NEED_ALWAYS | FNG_NEED_CHILD, 0, &ps->child);
	build(FNG_NEED_ALWAYS | FNG_NEED_TMP, 1, &ps->tmp);
	build(FNG_NEED_ALWAYS | FNG_NEED_INIT_END, 0, &ps->init_end);
	build(FNG_NEED_ALWAYS | FNG_NEED_EXECMEM, 0, &ps->execmem);
	build(FNG_NEED_ALWAYS | FNG_NEED_INIT_END | FNG_NEED_FASTOPEN, 0, &ps->proxy);
	*state = ps;
	return 0;
}

static int teardown(void **state)
{
	struct progs *ps = *state;
	struct prog *all[] = { &ps->all, &ps->always, &ps->all_nomount, &ps->outbound,
			       &ps->child, &ps->tmp, &ps->init_end, &ps->execmem, &ps->proxy };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		free(all[i]->ins);
	free(ps);
	return 0;
}

#define PS ((struct progs *)*state)

/* --------------------------------------------------------------- tests */

static void sanity(void **state)
{
	(void)state;
	assert_int_equal(seccomp_arch_native(), FNG_AUDIT_ARCH);
	/* the interpreter is not a no-op: a hand-made program */
	{
		struct sock_filter ins[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 7, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		};
		struct prog p = { ins, 4 };
		EXPECT(call_arch(&p, FNG_AUDIT_ARCH, 7, 0, 0, 0, 0, 0, 0), RET_ERRNO(1));
		EXPECT(call_arch(&p, FNG_AUDIT_ARCH, 8, 0, 0, 0, 0, 0, 0), RET_ALLOW);
	}
}

static void openat_traced_with_index(void **state)
{
	EXPECT(CALL0(&PS->all, "openat"), RET_TRACE(idx("openat")));
	EXPECT(CALL0(&PS->all, "open"), RET_TRACE(idx("open")));
	EXPECT(CALL0(&PS->all, "execve"), RET_TRACE(idx("execve")));
	EXPECT(CALL0(&PS->all, "connect"), RET_TRACE(idx("connect")));
	EXPECT(CALL0(&PS->all, "getpid"), RET_ALLOW);
	EXPECT(CALL0(&PS->all, "read"), RET_ALLOW);
}

/* Every row of the table, with all needs, traces with its own index. */
static void every_table_row_traced(void **state)
{
	for (unsigned i = 0; i < fng_syscalls_count; i++) {
		const char *name = fng_syscalls[i].name;
		int nr = seccomp_syscall_resolve_name(name);
		uint32_t got;

		if (nr == __NR_SCMP_ERROR || nr < 0) {
			/* unknown to this libseccomp, or not a call of this
			 * architecture; its kernel number (if any) falls to the
			 * unknown-number rule */
			print_message("note: libseccomp %u.%u.%u cannot name %s\n", seccomp_version()->major,
				      seccomp_version()->minor, seccomp_version()->micro, name);
			continue;
		}
		/* sendto/recvfrom need an address; socket a packet family; a
		 * call naming a task names another one (ioprio_set:
		 * IOPRIO_WHO_PROCESS) */
		if (fng_syscalls[i].kind == FNG_SC_TARGET) {
			uint64_t a[6] = { 0, 0, 0, 0, 1, 0 };
			for (unsigned k = 0; k < 6; k++)
				if (fng_syscalls[i].targets & (1u << k))
					a[k] = OTHER_PID;
			if (strcmp(name, "ioprio_set") == 0)
				a[0] = 1;
			got = call_arch(&PS->all, FNG_AUDIT_ARCH, nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		} else if (strcmp(name, "mmap") == 0) {
			got = call_arch(&PS->all, FNG_AUDIT_ARCH, nr, 0, 4096, PROT_READ, MAP_SHARED, 3, 0);
		} else if (fng_syscalls[i].kind == FNG_SC_EXEC_MEM) {
			got = call_arch(&PS->execmem, FNG_AUDIT_ARCH, nr, 0, 4096, PROT_READ | PROT_EXEC, 0, 0, 0);
		} else {
			got = call_arch(&PS->all, FNG_AUDIT_ARCH, nr, fng_syscalls[i].kind == FNG_SC_SOCKET ? AF_PACKET : 0,
					0, 0, 0, 1, 0);
		}
		EXPECT(got, RET_TRACE(i));
	}
}

static void all_allow_policy_traces_nothing(void **state)
{
	EXPECT(CALL0(&PS->always, "openat"), RET_ALLOW);
	EXPECT(CALL0(&PS->always, "open"), RET_ALLOW);
	EXPECT(CALL0(&PS->always, "execve"), RET_ALLOW);
	EXPECT(CALL0(&PS->always, "execveat"), RET_ALLOW);
	EXPECT(CALL0(&PS->always, "connect"), RET_ALLOW);
	EXPECT(CALL(&PS->always, "sendto", 3, 0, 0, 0, 0x7fff0000, 16), RET_ALLOW);
	EXPECT(CALL0(&PS->always, "unlink"), RET_ALLOW);
	EXPECT(CALL0(&PS->always, "getpid"), RET_ALLOW);
	/* FNG_NEED_ALWAYS rows stay traced */
	EXPECT(CALL0(&PS->always, "pidfd_send_signal"), RET_TRACE(idx("pidfd_send_signal")));
}

static void single_needs(void **state)
{
	EXPECT(CALL0(&PS->outbound, "connect"), RET_TRACE(idx("connect")));
	EXPECT(CALL0(&PS->outbound, "sendmsg"), RET_TRACE(idx("sendmsg")));
	EXPECT(CALL0(&PS->outbound, "openat"), RET_ALLOW);
	EXPECT(CALL0(&PS->outbound, "execve"), RET_ALLOW);

	EXPECT(CALL0(&PS->child, "execve"), RET_TRACE(idx("execve")));
	EXPECT(CALL0(&PS->child, "execveat"), RET_TRACE(idx("execveat")));
	EXPECT(CALL0(&PS->child, "openat"), RET_ALLOW);
	EXPECT(CALL0(&PS->child, "connect"), RET_ALLOW);
	EXPECT(CALL0(&PS->child, "unlink"), RET_ALLOW);

	EXPECT(CALL0(&PS->tmp, "unlink"), RET_TRACE(idx("unlink")));
	EXPECT(CALL0(&PS->tmp, "openat"), RET_TRACE(idx("openat")));
	EXPECT(CALL0(&PS->tmp, "execve"), RET_TRACE(idx("execve")));
	EXPECT(CALL0(&PS->tmp, "connect"), RET_ALLOW);

	EXPECT(CALL0(&PS->init_end, "connect"), RET_TRACE(idx("connect")));
	EXPECT(CALL0(&PS->init_end, "sendto"), RET_ALLOW);
}

static void getpid_always_allowed(void **state)
{
	EXPECT(CALL0(&PS->all, "getpid"), RET_ALLOW);
	EXPECT(CALL0(&PS->always, "getpid"), RET_ALLOW);
	EXPECT(CALL0(&PS->outbound, "getpid"), RET_ALLOW);
	EXPECT(CALL(&PS->all, "getpid", ~0ull, ~0ull, ~0ull, ~0ull, ~0ull, ~0ull), RET_ALLOW);
}

static void escape_hatches_denied(void **state)
{
	const struct prog *ps[] = { &PS->all, &PS->always };

	for (size_t i = 0; i < 2; i++) {
		const struct prog *p = ps[i];
		EXPECT(CALL0(p, "io_uring_setup"), RET_DENY(ENOSYS));
		EXPECT(CALL0(p, "io_uring_enter"), RET_DENY(ENOSYS));
		EXPECT(CALL0(p, "io_uring_register"), RET_DENY(ENOSYS));
		EXPECT(CALL0(p, "ptrace"), RET_DENY(EPERM));
		EXPECT(CALL(p, "ptrace", 0 /* PTRACE_TRACEME */, 0, 0, 0, 0, 0), RET_DENY(EPERM));
		EXPECT(CALL0(p, "process_vm_writev"), RET_DENY(EPERM));
		EXPECT(CALL0(p, "clone3"), RET_ERRNO(ENOSYS));
	}
}

static void clone_flags(void **state)
{
	const uint64_t thread = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
				CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;

	EXPECT(CALL(&PS->all, "clone", CLONE_UNTRACED, 0, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "clone", CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "clone", thread | CLONE_UNTRACED, 0, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "clone", thread, 0, 0, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->always, "clone", thread, 0, 0, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->all, "clone", SIGCHLD, 0, 0, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->all, "clone", 0xffffffff00000000ull | SIGCHLD, 0, 0, 0, 0, 0), RET_ALLOW);
	/* every flag but CLONE_UNTRACED: new namespaces among them */
	EXPECT(CALL(&PS->all, "clone", ~(uint64_t)CLONE_UNTRACED, 0, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->always, "clone", ~(uint64_t)CLONE_UNTRACED, 0, 0, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL0(&PS->all, "fork"), RET_ALLOW);
	EXPECT(CALL0(&PS->all, "vfork"), RET_ALLOW);
}

static void seccomp_listener(void **state)
{
	EXPECT(CALL(&PS->all, "seccomp", SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, 0x1000, 0, 0, 0),
	       RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "seccomp", SECCOMP_SET_MODE_FILTER,
		    SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_TSYNC_ESRCH, 0x1000, 0, 0, 0),
	       RET_DENY(EPERM));
	EXPECT(CALL(&PS->always, "seccomp", SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, 0, 0, 0, 0),
	       RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "seccomp", SECCOMP_SET_MODE_FILTER, 0, 0x1000, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->all, "seccomp", SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, 0x1000, 0, 0, 0),
	       RET_ALLOW);
	EXPECT(CALL(&PS->all, "seccomp", SECCOMP_GET_ACTION_AVAIL, 0, 0x1000, 0, 0, 0), RET_ALLOW);
}

/* The kernel's seccomp(unsigned int op, unsigned int flags, void *) truncates
 * op to 32 bits; the filter sees the full register. */
static void seccomp_listener_op_upper_bits(void **state)
{
	/* Regression: was a BUG (arg0 compared with SCMP_CMP_EQ on 64 bits, so
	 * op = 0xdeadbeef00000001 got a NEW_LISTENER filter past), fixed in
	 * e8f26a5. */
	EXPECT(CALL(&PS->all, "seccomp", 0xdeadbeef00000000ull | SECCOMP_SET_MODE_FILTER,
		    SECCOMP_FILTER_FLAG_NEW_LISTENER, 0x1000, 0, 0, 0),
	       RET_DENY(EPERM));
}

static void kill_supervisor(void **state)
{
	EXPECT(CALL(&PS->all, "kill", SUP_PID, 9, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->always, "kill", SUP_PID, 15, 0, 0, 0, 0), RET_DENY(EPERM));
	/* the kernel truncates pid_t: upper garbage still means the supervisor */
	EXPECT(CALL(&PS->all, "kill", 0xdeadbeef00000000ull | SUP_PID, 9, 0, 0, 0, 0), RET_DENY(EPERM));
	/* kill(-1): everything we may signal, the supervisor included */
	EXPECT(CALL(&PS->all, "kill", (uint64_t)-1, 9, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "kill", 0xffffffffull, 9, 0, 0, 0, 0), RET_DENY(EPERM));
	/* kill(-pgid): the supervisor's process group */
	EXPECT(CALL(&PS->all, "kill", (uint64_t)(int64_t)-SUP_PGID, 9, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "kill", (uint32_t)-SUP_PGID, 9, 0, 0, 0, 0), RET_DENY(EPERM));
	/* others go to the tracer, which refuses any supervisor thread, also
	 * one started after the filter was built (rules/guard.c) */
	EXPECT(CALL(&PS->all, "kill", OTHER_PID, 9, 0, 0, 0, 0), RET_TRACE(idx("kill")));
	EXPECT(CALL(&PS->all, "kill", SUP_PID + 1, 9, 0, 0, 0, 0), RET_TRACE(idx("kill")));
	EXPECT(CALL(&PS->all, "kill", 0, 9, 0, 0, 0, 0), RET_ALLOW); /* own group: not the supervisor's */
	EXPECT(CALL(&PS->all, "kill", (uint64_t)(int64_t)-OTHER_PID, 9, 0, 0, 0, 0), RET_TRACE(idx("kill")));
	EXPECT(CALL(&PS->all, "kill", (uint64_t)SUP_PID << 32, 9, 0, 0, 0, 0), RET_TRACE(idx("kill"))); /* low half 0: the tracer reads it as itself */
}

/* kill(2) accepts any thread id and signals that thread's whole process. */
static void kill_supervisor_thread(void **state)
{
	/* Regression: was a BUG (kill/rt_sigqueueinfo/pidfd_open/
	 * process_vm_readv checked only sup_pid, so kill(<logger tid>, SIGKILL)
	 * killed the supervisor), fixed in e8f26a5. */
	EXPECT(CALL(&PS->all, "kill", SUP_TID2, 9, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "rt_sigqueueinfo", SUP_TID2, 9, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "pidfd_open", SUP_TID2, 0, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "process_vm_readv", SUP_TID2, 0, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "rt_tgsigqueueinfo", OTHER_PID, SUP_TID2, 9, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "fcntl", 3, F_SETOWN, SUP_TID2, 0, 0, 0), RET_DENY(EPERM));
}

/* fng_filter_params.sup_pid is "never a signal or ptrace target" on its own,
 * whether or not the caller also lists it in sup_tids[]. */
static struct prog extra; /* freed by free_extra even when a test fails */

static int free_extra(void **state)
{
	(void)state;
	free(extra.ins);
	extra.ins = NULL;
	return 0;
}

static void sup_pid_without_tids(void **state)
{
	(void)state;
	struct fng_filter_params fp = { .needs = FNG_NEED_ALWAYS, .sup_pid = SUP_PID, .sup_pgid = SUP_PGID };
	struct prog *pp = &extra, p;

	/* Regression: was a BUG (latent): protect_supervisor() no longer
	 * uses fp->sup_pid at all, only the sup_tids[] loop. run.c happens to put
	 * getpid() in sup_tids[0], but any caller that does not (as filter.h
	 * allows) gets kill/tgkill/tkill/pidfd_open/F_SETOWN(sup_pid) ALLOWed.
	 * Fix: run the per-tid denials for fp->sup_pid too (e.g. before the loop,
	 * skipping tids equal to sup_pid). */

	build_fp(&fp, pp);
	p = *pp;
	EXPECT(CALL(&p, "kill", SUP_PID, 9, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&p, "tgkill", SUP_PID, SUP_PID, 9, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&p, "tkill", SUP_PID, 9, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&p, "pidfd_open", SUP_PID, 0, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&p, "rt_sigqueueinfo", SUP_PID, 9, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&p, "process_vm_readv", SUP_PID, 0, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&p, "fcntl", 3, F_SETOWN, SUP_PID, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&p, "kill", (uint32_t)-1, 9, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&p, "kill", OTHER_PID, 9, 0, 0, 0, 0), RET_TRACE(idx("kill")));
}

static void thread_signals(void **state)
{
	EXPECT(CALL(&PS->all, "tgkill", SUP_PID, SUP_PID, 9, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "tgkill", SUP_PID, OTHER_PID, 9, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "tgkill", OTHER_PID, SUP_TID2, 9, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "tgkill", 0xabcd000000000000ull | SUP_PID, 1, 9, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "tgkill", OTHER_PID, OTHER_PID + 1, 9, 0, 0, 0), RET_TRACE(idx("tgkill")));
	EXPECT(CALL(&PS->all, "tkill", SUP_TID2, 9, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "tkill", 0x100000000ull | SUP_TID2, 9, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "tkill", SUP_PID, 9, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "tkill", OTHER_PID, 9, 0, 0, 0, 0), RET_TRACE(idx("tkill")));
	EXPECT(CALL(&PS->all, "rt_sigqueueinfo", SUP_PID, 9, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "rt_sigqueueinfo", OTHER_PID, 9, 0, 0, 0, 0), RET_TRACE(idx("rt_sigqueueinfo")));
	EXPECT(CALL(&PS->all, "rt_tgsigqueueinfo", SUP_PID, SUP_PID, 9, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "rt_tgsigqueueinfo", OTHER_PID, OTHER_PID, 9, 0, 0, 0), RET_TRACE(idx("rt_tgsigqueueinfo")));
	EXPECT(CALL(&PS->all, "pidfd_open", SUP_PID, 0, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "pidfd_open", OTHER_PID, 0, 0, 0, 0, 0), RET_TRACE(idx("pidfd_open")));
	EXPECT(CALL(&PS->all, "process_vm_readv", SUP_PID, 0, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "process_vm_readv", OTHER_PID, 0, 0, 0, 0, 0), RET_ALLOW);
}

/* prlimit64(pid, RLIMIT_CPU, {1, 1}) on a same-uid process needs no ptrace
 * access (non-dumpable does not help): the kernel then kills it with
 * SIGXCPU/SIGKILL. A signal aimed at the supervisor by other means. */
static void prlimit_supervisor(void **state)
{
	EXPECT(CALL(&PS->all, "prlimit64", 0, RLIMIT_CPU, 0x1000, 0, 0, 0), RET_ALLOW);	     /* self */
	EXPECT(CALL(&PS->all, "prlimit64", OTHER_PID, RLIMIT_CPU, 0x1000, 0, 0, 0), RET_TRACE(idx("prlimit64"))); /* others */
	EXPECT(CALL(&PS->all, "prlimit64", SUP_PID, RLIMIT_CPU, 0, 0x1000, 0, 0), RET_DENY(EPERM)); /* read only: not its to read */
	EXPECT(CALL(&PS->all, "prlimit64", OTHER_PID, RLIMIT_CPU, 0, 0x1000, 0, 0), RET_TRACE(idx("prlimit64")));
	EXPECT(CALL(&PS->all, "prlimit64", 0, RLIMIT_CPU, 0, 0x1000, 0, 0), RET_ALLOW); /* getrlimit */
	EXPECT(CALL(&PS->all, "ioprio_set", 1, SUP_TID2, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "ioprio_set", 1, OTHER_PID, 0, 0, 0, 0), RET_TRACE(idx("ioprio_set")));
	EXPECT(CALL(&PS->all, "ioprio_set", 2, SUP_PID, 0, 0, 0, 0), RET_ALLOW); /* a process group */
	EXPECT(CALL(&PS->always, "perf_event_open", 0, SUP_TID2, 0, 0, 0, 0), RET_DENY(EPERM));
	/* traced whenever the rules watch it (an async writer): the tracer
	 * refuses a supervisor thread there (loop.c) */
	EXPECT(CALL(&PS->all, "perf_event_open", 0, SUP_TID2, 0, 0, 0, 0), RET_TRACE(idx("perf_event_open")));
	/* Regression: was a BUG: protect_supervisor() did not cover prlimit64:
	 * prlimit64(sup_pid or any sup tid, RLIMIT_CPU, &{1,1}, NULL) succeeds
	 * for a same-uid tracee (check_prlimit_permission has no dumpable
	 * check) and the supervisor dies of SIGXCPU/SIGKILL; PTRACE_O_EXITKILL
	 * then kills the function, and alert-mode events still in the ring are
	 * lost. Fix: for each supervisor tid, deny prlimit64 when arg0 (low 32
	 * bits) == tid and arg2 (new_limit) != 0. */
	EXPECT(CALL(&PS->all, "prlimit64", SUP_PID, RLIMIT_CPU, 0x1000, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "prlimit64", SUP_TID2, RLIMIT_CPU, 0x1000, 0, 0, 0), RET_DENY(EPERM));
}

static void sigio_owner(void **state)
{
	EXPECT(CALL(&PS->all, "fcntl", 3, F_SETOWN, SUP_PID, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "fcntl", 3, F_SETOWN, 0x5500000000000000ull | SUP_PID, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "fcntl", 3, F_SETOWN, (uint64_t)(int64_t)-SUP_PGID, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "fcntl", 3, F_SETOWN, OTHER_PID, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->all, "fcntl", 3, F_SETOWN_EX, 0x1000, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "fcntl", 3, F_GETFL, 0, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->all, "fcntl", 3, F_SETFL, SUP_PID, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->all, "ioctl", 3, FIOSETOWN, 0x1000, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "ioctl", 3, SIOCSPGRP, 0x1000, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "ioctl", 3, 0xffffffff00000000ull | FIOSETOWN, 0x1000, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "ioctl", 3, FIONREAD, 0x1000, 0, 0, 0), RET_ALLOW);
}

/* fcntl(unsigned int fd, unsigned int cmd, unsigned long arg): cmd is truncated. */
static void sigio_owner_cmd_upper_bits(void **state)
{
	/* Regression: was a BUG (fcntl's cmd compared on 64 bits, so
	 * 0x100000000|F_SETOWN passed), fixed in e8f26a5. */
	EXPECT(CALL(&PS->all, "fcntl", 3, 0x100000000ull | F_SETOWN, SUP_PID, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "fcntl", 3, 0x100000000ull | F_SETOWN_EX, 0x1000, 0, 0, 0), RET_DENY(EPERM));
}

static void sendto_needs_address(void **state)
{
	EXPECT(CALL(&PS->all, "sendto", 3, 0x1000, 10, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->all, "sendto", 3, 0x1000, 10, 0, 0x7ffd0000, 16), RET_TRACE(idx("sendto")));
	EXPECT(CALL(&PS->all, "sendto", 3, 0x1000, 10, 0, 0x100000000ull, 16), RET_TRACE(idx("sendto")));
	EXPECT(CALL(&PS->outbound, "sendto", 3, 0x1000, 10, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->outbound, "sendto", 3, 0x1000, 10, 0, 1, 16), RET_TRACE(idx("sendto")));
	EXPECT(CALL(&PS->always, "sendto", 3, 0x1000, 10, 0, 1, 16), RET_ALLOW);
	EXPECT(CALL(&PS->child, "sendto", 3, 0x1000, 10, 0, 1, 16), RET_ALLOW);
}

/* The proxy on, sends not judged: only sends that connect (MSG_FASTOPEN,
 * in sendto's and sendmmsg's 4th argument, sendmsg's 3rd) are traced, for
 * the real Runtime API; with sends judged, the usual rules. */
static void fastopen_sends_with_proxy(void **state)
{
	EXPECT(CALL(&PS->proxy, "sendto", 3, 0x1000, 10, MSG_FASTOPEN, 0x7ffd0000, 16), RET_TRACE(idx("sendto")));
	EXPECT(CALL(&PS->proxy, "sendto", 3, 0x1000, 10, MSG_FASTOPEN | MSG_NOSIGNAL, 0, 0), RET_TRACE(idx("sendto")));
	EXPECT(CALL(&PS->proxy, "sendto", 3, 0x1000, 10, MSG_NOSIGNAL, 0x7ffd0000, 16), RET_ALLOW);
	EXPECT(CALL(&PS->proxy, "sendmsg", 3, 0x1000, MSG_FASTOPEN, 0, 0, 0), RET_TRACE(idx("sendmsg")));
	EXPECT(CALL(&PS->proxy, "sendmsg", 3, 0x1000, 0, MSG_FASTOPEN, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->proxy, "sendmmsg", 3, 0x1000, 2, MSG_FASTOPEN, 0, 0), RET_TRACE(idx("sendmmsg")));
	EXPECT(CALL(&PS->proxy, "sendmmsg", 3, 0x1000, 2, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL0(&PS->proxy, "connect"), RET_TRACE(idx("connect")));
	EXPECT(CALL(&PS->all, "sendmsg", 3, 0x1000, 0, 0, 0, 0), RET_TRACE(idx("sendmsg")));
}

/* executable_memory alone: only opens that may write are traced (for
 * /proc/PID/mem), and mount is refused (no second procfs). */
static void procmem_write_opens(void **state)
{
	struct prog p;

	(void)state;
	build(FNG_NEED_ALWAYS | FNG_NEED_PROCMEM, 0, &p);
	EXPECT(CALL(&p, "openat", (uint32_t)AT_FDCWD, 0x1000, O_RDONLY, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&p, "openat", (uint32_t)AT_FDCWD, 0x1000, O_RDWR | O_CLOEXEC, 0, 0, 0), RET_TRACE(idx("openat")));
	EXPECT(CALL(&p, "openat", (uint32_t)AT_FDCWD, 0x1000, O_WRONLY, 0, 0, 0), RET_TRACE(idx("openat")));
	EXPECT(CALL(&p, "open", 0x1000, O_RDONLY | O_CLOEXEC, 0, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&p, "open", 0x1000, O_RDWR, 0, 0, 0, 0), RET_TRACE(idx("open")));
	EXPECT(CALL(&p, "openat2", (uint32_t)AT_FDCWD, 0x1000, 0x2000, 24, 0, 0), RET_TRACE(idx("openat2")));
	free(p.ins);
}

/* userfaultfd, by the call or the device, is refused whatever the rules. */
static void userfaultfd_refused(void **state)
{
	EXPECT(CALL0(&PS->always, "userfaultfd"), RET_DENY(EPERM));
	EXPECT(CALL(&PS->always, "ioctl", 3, USERFAULTFD_IOC_NEW, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->always, "ioctl", 3, 0x100000000ull | USERFAULTFD_IOC_NEW, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->always, "ioctl", 3, TCGETS, 0, 0, 0, 0), RET_ALLOW);
}

/* Input pushed into a terminal: refused whatever the policy, on the low 32
 * bits of the command (attack5 F4). */
static void tty_input_refused(void **state)
{
	EXPECT(CALL(&PS->always, "ioctl", 0, TIOCSTI, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->always, "ioctl", 0, 0xffffffff00000000ull | TIOCSTI, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->always, "ioctl", 0, TIOCLINUX, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "ioctl", 0, TIOCSTI, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "ioctl", 0, 0x100000000ull | TIOCLINUX, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->always, "ioctl", 0, TIOCGWINSZ, 0, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->always, "ioctl", 0, TIOCSCTTY, 0, 0, 0, 0), RET_ALLOW);
}

/* Code loaded into the kernel (BPF, modules, kexec, port I/O) changes calls
 * after they were judged: refused whenever the policy enforces anything
 * (attack5 F3), left alone when every rule is allow. */
static void kernel_code_refused(void **state)
{
	static const char *const calls[] = { "bpf", "init_module", "finit_module", "delete_module",
					     "kexec_load", "kexec_file_load", "iopl", "ioperm" };

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		int nr = seccomp_syscall_resolve_name(calls[i]);

		if (nr < 0)
			continue;	/* not on this architecture (iopl on aarch64) */
		EXPECT(CALL0(&PS->all, calls[i]), RET_DENY(EPERM));
		EXPECT(CALL0(&PS->outbound, calls[i]), RET_DENY(EPERM));
		EXPECT(CALL0(&PS->execmem, calls[i]), RET_DENY(EPERM));
		EXPECT(CALL0(&PS->tmp, calls[i]), RET_DENY(EPERM));
		EXPECT(CALL0(&PS->always, calls[i]), RET_ALLOW);
	}
}

/* A source address that is not the function's own (attack5 F2): refused
 * while destinations are judged. */
static void source_options(void **state)
{
	EXPECT(CALL(&PS->outbound, "setsockopt", 3, IPPROTO_IP, IP_TRANSPARENT, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->outbound, "setsockopt", 3, 0xffffffff00000000ull | IPPROTO_IP, IP_TRANSPARENT, 0, 0, 0),
	       RET_DENY(EPERM));
	EXPECT(CALL(&PS->outbound, "setsockopt", 3, IPPROTO_IP, 0x100000000ull | IP_TRANSPARENT, 0, 0, 0),
	       RET_DENY(EPERM));
	EXPECT(CALL(&PS->outbound, "setsockopt", 3, IPPROTO_IP, IP_FREEBIND, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->outbound, "setsockopt", 3, IPPROTO_IPV6, IPV6_TRANSPARENT, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->outbound, "setsockopt", 3, IPPROTO_IPV6, IPV6_FREEBIND, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "setsockopt", 3, IPPROTO_IPV6, IPV6_FREEBIND, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->outbound, "setsockopt", 3, IPPROTO_IP, IP_PKTINFO, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->outbound, "setsockopt", 3, IPPROTO_IPV6, IPV6_RECVPKTINFO, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->always, "setsockopt", 3, IPPROTO_IP, IP_TRANSPARENT, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->tmp, "setsockopt", 3, IPPROTO_IPV6, IPV6_FREEBIND, 0, 0, 0), RET_ALLOW);
}

/* While destinations are judged, families it cannot judge are refused. */
static void other_families_refused(void **state)
{
	EXPECT(CALL(&PS->outbound, "socket", AF_VSOCK, SOCK_STREAM, 0, 0, 0, 0), RET_DENY(EAFNOSUPPORT));
	EXPECT(CALL(&PS->outbound, "socket", AF_TIPC, SOCK_DGRAM, 0, 0, 0, 0), RET_DENY(EAFNOSUPPORT));
	EXPECT(CALL(&PS->outbound, "socket", 0x100000000ull | AF_VSOCK, SOCK_STREAM, 0, 0, 0, 0), RET_DENY(EAFNOSUPPORT));
	EXPECT(CALL(&PS->outbound, "socket", AF_INET, SOCK_STREAM, 0, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->outbound, "socket", AF_UNIX, SOCK_STREAM, 0, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->outbound, "socket", AF_NETLINK, SOCK_RAW, 0, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->outbound, "socket", AF_ALG, SOCK_SEQPACKET, 0, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->outbound, "socket", AF_INET, SOCK_STREAM, 262, 0, 0, 0), RET_DENY(EPROTONOSUPPORT));
	EXPECT(CALL(&PS->outbound, "socket", AF_INET6, SOCK_STREAM, IPPROTO_SCTP, 0, 0, 0), RET_DENY(EPROTONOSUPPORT));
	EXPECT(CALL(&PS->outbound, "socket", AF_INET, SOCK_DCCP, IPPROTO_DCCP, 0, 0, 0), RET_DENY(EPROTONOSUPPORT));
	EXPECT(CALL(&PS->outbound, "socket", AF_INET, SOCK_STREAM, IPPROTO_TCP, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->outbound, "socket", AF_INET6, SOCK_DGRAM, IPPROTO_UDP, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->always, "socket", AF_INET, SOCK_STREAM, 262, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->always, "socket", AF_VSOCK, SOCK_STREAM, 0, 0, 0, 0), RET_ALLOW);
}

/* Only raw and packet sockets are traced: every other socket() is free. */
static void socket_raw_and_packet_only(void **state)
{
	uint32_t t = RET_TRACE(idx("socket"));

	EXPECT(CALL(&PS->outbound, "socket", AF_PACKET, SOCK_RAW, 0, 0, 0, 0), t);
	EXPECT(CALL(&PS->outbound, "socket", AF_PACKET, SOCK_DGRAM, 0, 0, 0, 0), t);
	EXPECT(CALL(&PS->outbound, "socket", AF_INET, SOCK_RAW, IPPROTO_UDP, 0, 0, 0), t);
	EXPECT(CALL(&PS->outbound, "socket", AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6, 0, 0, 0), t);
	EXPECT(CALL(&PS->outbound, "socket", AF_INET, SOCK_PACKET, 0, 0, 0, 0), t);
	/* the kernel reads int arguments: garbage in the upper half changes nothing */
	EXPECT(CALL(&PS->outbound, "socket", 0x100000000ull | AF_PACKET, SOCK_RAW, 0, 0, 0, 0), t);
	EXPECT(CALL(&PS->outbound, "socket", AF_INET, 0x100000000ull | SOCK_RAW, 0, 0, 0, 0), t);
	EXPECT(CALL(&PS->outbound, "socket", AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->outbound, "socket", AF_INET6, SOCK_DGRAM, 0, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->outbound, "socket", AF_NETLINK, SOCK_RAW, 0, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->outbound, "socket", AF_UNIX, SOCK_STREAM, 0, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->child, "socket", AF_PACKET, SOCK_RAW, 0, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->outbound, "socket", AF_XDP, SOCK_RAW, 0, 0, 0, 0), t);
}

/* What lets the kernel write a task's memory beside it is watched whenever a
 * check relies on it not happening (tracer/internal.h, fng_racers_possible). */
static void async_writers_watched(void **state)
{
	EXPECT(CALL0(&PS->all, "io_setup"), RET_TRACE(idx("io_setup")));
	EXPECT(CALL0(&PS->all, "perf_event_open"), RET_TRACE(idx("perf_event_open")));
	EXPECT(CALL(&PS->all, "socket", AF_XDP, SOCK_RAW, 0, 0, 0, 0), RET_TRACE(idx("socket")));
	EXPECT(CALL(&PS->all, "socket", AF_INET, SOCK_DGRAM, 0, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL0(&PS->always, "io_setup"), RET_ALLOW);
	EXPECT(CALL0(&PS->child, "perf_event_open"), RET_ALLOW);
}

/* recvfrom is watched only for DNS awareness, and only with an address. */
static void recvfrom_for_dns_only(void **state)
{
	EXPECT(CALL(&PS->all, "recvfrom", 3, 0x1000, 512, 0, 0x7ffd0000, 0x7ffd0100), RET_TRACE(idx("recvfrom")));
	EXPECT(CALL(&PS->all, "recvfrom", 3, 0x1000, 512, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->outbound, "recvfrom", 3, 0x1000, 512, 0, 0x7ffd0000, 0x7ffd0100), RET_ALLOW);
	EXPECT(CALL(&PS->all, "read", 3, 0x1000, 512, 0, 0, 0), RET_ALLOW);
}

static void foreign_arch_i386(void **state)
{
	char buf[64];
	uint32_t got = call_arch(&PS->all, AUDIT_ARCH_I386, 5 /* i386 open */, 0, 0, 0, 0, 0, 0);

	print_message("AUDIT_ARCH_I386 -> %s\n", act_str(got, buf, sizeof(buf)));
	EXPECT(got, RET_TRACE(FNG_TRACE_BADARCH));
	/* any call, any filter */
	EXPECT(call_arch(&PS->always, AUDIT_ARCH_I386, 20 /* i386 getpid */, 0, 0, 0, 0, 0, 0),
	       RET_TRACE(FNG_TRACE_BADARCH));
	/* the other 64-bit architecture, and AArch32 */
	EXPECT(call_arch(&PS->all, FNG_AUDIT_ARCH == AUDIT_ARCH_AARCH64 ? AUDIT_ARCH_X86_64 : AUDIT_ARCH_AARCH64, 56, 0, 0,
			 0, 0, 0, 0),
	       RET_TRACE(FNG_TRACE_BADARCH));
	EXPECT(call_arch(&PS->all, AUDIT_ARCH_ARM, 5 /* arm open */, 0, 0, 0, 0, 0, 0), RET_TRACE(FNG_TRACE_BADARCH));
}

#if defined(__x86_64__)
static void foreign_abi_x32(void **state)
{
	char buf[64];
	int nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X32, "openat");
	uint32_t got;

	/* libseccomp's x32 numbers carry __X32_SYSCALL_BIT */
	assert_int_equal(nr, 0x40000000 | NR("openat"));
	got = call_arch(&PS->all, FNG_AUDIT_ARCH, nr, 0, 0, 0, 0, 0, 0);
	print_message("x32 openat (0x%x) on AUDIT_ARCH_X86_64 -> %s (0x%08x)\n", (unsigned)nr,
		      act_str(got, buf, sizeof(buf)), got);
	assert_int_not_equal(got & SECCOMP_RET_ACTION_FULL, SECCOMP_RET_ALLOW);
	EXPECT(got, RET_TRACE(FNG_TRACE_BADARCH));
	/* also with nothing traced, and for an x32 getpid */
	EXPECT(call_arch(&PS->always, FNG_AUDIT_ARCH, nr, 0, 0, 0, 0, 0, 0), RET_TRACE(FNG_TRACE_BADARCH));
	EXPECT(call_arch(&PS->always, FNG_AUDIT_ARCH, seccomp_syscall_resolve_name_arch(SCMP_ARCH_X32, "getpid"), 0,
			 0, 0, 0, 0, 0),
	       RET_TRACE(FNG_TRACE_BADARCH));
}

#endif

static void unknown_numbers(void **state)
{
	char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, 500);

	assert_null(name);
	EXPECT(call_arch(&PS->all, FNG_AUDIT_ARCH, 500, 0, 0, 0, 0, 0, 0), RET_ERRNO(ENOSYS));
	EXPECT(call_arch(&PS->always, FNG_AUDIT_ARCH, 500, 0, 0, 0, 0, 0, 0), RET_ERRNO(ENOSYS));
	name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, 511);
	assert_null(name);
	EXPECT(call_arch(&PS->always, FNG_AUDIT_ARCH, 511, 0, 0, 0, 0, 0, 0), RET_ERRNO(ENOSYS));
	/* past x86_64's table (512 and up are x32 numbers, which need the x32
	 * bit) the kernel answers ENOSYS itself: the filter spends no rule */
	EXPECT(call_arch(&PS->always, FNG_AUDIT_ARCH, 1023, 0, 0, 0, 0, 0, 0), RET_ALLOW);
	/* every number libseccomp cannot name below 512, and none it can */
	for (int nr = 0; nr <= 511; nr++) {
		name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		if (!name) {
			EXPECT(call_arch(&PS->all, FNG_AUDIT_ARCH, nr, 0, 0, 0, 0, 0, 0), RET_ERRNO(ENOSYS));
			EXPECT(call_arch(&PS->always, FNG_AUDIT_ARCH, nr, 0, 0, 0, 0, 0, 0), RET_ERRNO(ENOSYS));
		} else if (strcmp(name, "clone3") != 0) {
			uint32_t got = call_arch(&PS->always, FNG_AUDIT_ARCH, nr, 0, 0, 0, 0, 0, 0);
			if (got == RET_ERRNO(ENOSYS))
				fail_msg("%s (%d) gets ENOSYS", name, nr);
		}
		free(name);
	}
	/* i386 numbers are another ABI: the arch check, not the number ranges */
	EXPECT(call_arch(&PS->always, AUDIT_ARCH_I386, 400, 0, 0, 0, 0, 0, 0), RET_TRACE(FNG_TRACE_BADARCH));
	/* the highest number libseccomp can name is not caught by this rule */
	for (int nr = 1023; nr >= 0; nr--) {
		name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		if (!name)
			continue;
		if (strcmp(name, "openat") != 0 && strcmp(name, "kill") != 0) {
			uint32_t got = call_arch(&PS->always, FNG_AUDIT_ARCH, nr, 0, 0, 0, 0, 0, 0);
			if ((got & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO)
				fail_msg("%s (%d) gets ERRNO", name, nr);
		}
		free(name);
		break;
	}
}

/* Namespaces change what addresses, paths and task ids mean: none is made
 * or joined while destinations or files are judged (issue 20, class 3). */
static void namespaces(void **state)
{
	static const uint64_t kinds[] = { CLONE_NEWUSER, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWPID,
					  CLONE_NEWCGROUP };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		EXPECT(CALL(&PS->all, "unshare", kinds[i], 0, 0, 0, 0, 0), RET_DENY(EPERM));
		EXPECT(CALL(&PS->outbound, "unshare", kinds[i] | CLONE_NEWIPC, 0, 0, 0, 0, 0), RET_DENY(EPERM));
		EXPECT(CALL(&PS->tmp, "unshare", kinds[i], 0, 0, 0, 0, 0), RET_DENY(EPERM));
		EXPECT(CALL(&PS->always, "unshare", kinds[i], 0, 0, 0, 0, 0), RET_ALLOW);
		EXPECT(CALL(&PS->all, "clone", kinds[i] | SIGCHLD, 0, 0, 0, 0, 0), RET_DENY(EPERM));
		EXPECT(CALL(&PS->always, "clone", kinds[i] | SIGCHLD, 0, 0, 0, 0, 0), RET_ALLOW);
	}
	EXPECT(CALL(&PS->all, "unshare", CLONE_NEWUSER | CLONE_NEWNET, 0, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "unshare", 0xffffffff00000000ull | CLONE_NEWNET, 0, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "unshare", CLONE_NEWTIME, 0, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->all, "unshare", CLONE_NEWIPC, 0, 0, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->all, "unshare", CLONE_FILES | CLONE_FS, 0, 0, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->all, "clone", SIGCHLD, 0, 0, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL0(&PS->all, "setns"), RET_DENY(EPERM));
	EXPECT(CALL0(&PS->outbound, "setns"), RET_DENY(EPERM));
	EXPECT(CALL0(&PS->tmp, "setns"), RET_DENY(EPERM));
	EXPECT(CALL0(&PS->always, "setns"), RET_ALLOW);
}

/* Options that send a packet elsewhere than its destination address, while
 * destinations are judged (issue 20, class 2). */
static void route_options(void **state)
{
	static const uint32_t v6[] = { IPV6_RTHDR, IPV6_2292RTHDR, IPV6_NEXTHOP, IPV6_2292PKTOPTIONS };

	for (size_t i = 0; i < sizeof(v6) / sizeof(v6[0]); i++) {
		EXPECT(CALL(&PS->outbound, "setsockopt", 3, IPPROTO_IPV6, v6[i], 0, 0, 0), RET_DENY(EPERM));
		EXPECT(CALL(&PS->all, "setsockopt", 3, 0xffffffff00000000ull | IPPROTO_IPV6, v6[i], 0, 0, 0),
		       RET_DENY(EPERM));
		EXPECT(CALL(&PS->always, "setsockopt", 3, IPPROTO_IPV6, v6[i], 0, 0, 0), RET_ALLOW);
		EXPECT(CALL(&PS->tmp, "setsockopt", 3, IPPROTO_IPV6, v6[i], 0, 0, 0), RET_ALLOW);
	}
	EXPECT(CALL(&PS->outbound, "setsockopt", 3, IPPROTO_IP, IP_OPTIONS, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->outbound, "setsockopt", 3, IPPROTO_IP, IP_TOS, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->outbound, "setsockopt", 3, IPPROTO_IPV6, IPV6_V6ONLY, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->outbound, "setsockopt", 3, SOL_SOCKET, IP_OPTIONS, 0, 0, 0), RET_ALLOW);
	/* an interface of its own: a packet to loopback leaves by it */
	EXPECT(CALL(&PS->outbound, "setsockopt", 3, SOL_SOCKET, SO_BINDTODEVICE, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->outbound, "setsockopt", 3, SOL_SOCKET, SO_BINDTOIFINDEX, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->outbound, "setsockopt", 3, IPPROTO_IP, IP_UNICAST_IF, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->outbound, "setsockopt", 3, IPPROTO_IPV6, IPV6_UNICAST_IF, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->always, "setsockopt", 3, SOL_SOCKET, SO_BINDTODEVICE, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->outbound, "setsockopt", 3, SOL_SOCKET, SO_REUSEADDR, 0, 0, 0), RET_ALLOW);
}

/* Shared mappings are written beside the task (other writers of the file):
 * traced when the rules rely on nobody else writing the task's memory. */
static void shared_mappings(void **state)
{
	EXPECT(CALL(&PS->all, "mmap", 0, 4096, PROT_READ, MAP_SHARED, 3, 0), RET_TRACE(idx("mmap")));
	EXPECT(CALL(&PS->all, "mmap", 0, 4096, PROT_READ, MAP_SHARED_VALIDATE, 3, 0), RET_TRACE(idx("mmap")));
	EXPECT(CALL(&PS->all, "mmap", 0, 4096, PROT_READ, MAP_PRIVATE, 3, 0), RET_ALLOW);
	EXPECT(CALL(&PS->all, "mmap", 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), RET_ALLOW);
	EXPECT(CALL(&PS->always, "mmap", 0, 4096, PROT_READ, MAP_SHARED, 3, 0), RET_ALLOW);
	EXPECT(CALL0(&PS->all, "shmat"), RET_TRACE(idx("shmat")));
}

/* executable_memory: block traces the calls that ask for executable memory, only those. */
static void executable_memory(void **state)
{
	const struct prog *x = &PS->execmem;

	EXPECT(CALL(x, "mmap", 0, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, 3, 0), RET_TRACE(idx("mmap")));
	EXPECT(CALL(x, "mmap", 0, 4096, PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), RET_TRACE(idx("mmap")));
	EXPECT(CALL(x, "mmap", 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), RET_ALLOW);
	EXPECT(CALL(x, "mmap", 0, 4096, PROT_READ, MAP_SHARED, 3, 0), RET_ALLOW);
	EXPECT(CALL(x, "mprotect", 0, 4096, PROT_READ | PROT_EXEC, 0, 0, 0), RET_TRACE(idx("mprotect")));
	EXPECT(CALL(x, "mprotect", 0, 4096, PROT_READ, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(x, "pkey_mprotect", 0, 4096, PROT_EXEC, 1, 0, 0), RET_TRACE(idx("pkey_mprotect")));
	EXPECT(CALL(x, "shmat", 1, 0, SHM_EXEC, 0, 0, 0), RET_TRACE(idx("shmat")));
	EXPECT(CALL(x, "shmat", 1, 0, SHM_RDONLY, 0, 0, 0), RET_ALLOW);
	/* off by default: nothing of it in the other policies */
	EXPECT(CALL(&PS->all, "mprotect", 0, 4096, PROT_READ | PROT_EXEC, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->all, "mmap", 0, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, 3, 0), RET_ALLOW);
}

/* Joining the supervisor's process group would let kill(0, sig) reach it. */
static void process_group(void **state)
{
	EXPECT(CALL(&PS->always, "setpgid", 0, SUP_PGID, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->always, "setpgid", 0, 0xffffffff00000000ull | SUP_PGID, 0, 0, 0, 0), RET_DENY(EPERM));
	EXPECT(CALL(&PS->always, "setpgid", 0, 0, 0, 0, 0, 0), RET_ALLOW);
	EXPECT(CALL(&PS->always, "setpgid", 0, OTHER_PID, 0, 0, 0, 0), RET_ALLOW);
}

static void mount_games(void **state)
{
	static const char *const games[] = {
		"mount", "umount2", "pivot_root", "chroot", "open_by_handle_at", "move_mount", "open_tree",
		"fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr", "acct", "swapon", "swapoff",
		"fanotify_init",
	};

	for (size_t i = 0; i < sizeof(games) / sizeof(games[0]); i++) {
		if (seccomp_syscall_resolve_name(games[i]) == __NR_SCMP_ERROR)
			continue;
		EXPECT(CALL0(&PS->all, games[i]), RET_DENY(EPERM));
		EXPECT(CALL0(&PS->tmp, games[i]), RET_DENY(EPERM));
		EXPECT(CALL0(&PS->all_nomount, games[i]), RET_ALLOW);
		EXPECT(CALL0(&PS->always, games[i]), RET_ALLOW);
	}
}

static void build_errors(void **state)
{
	(void)state;
	struct fng_filter_params fp = { .needs = ALL_NEEDS, .sup_pid = 1, .sup_pgid = 1 };
	scmp_filter_ctx ctx = NULL;

	/* no tids at all is valid */
	assert_int_equal(fng_filter_build(&fp, &ctx), 0);
	assert_non_null(ctx);
	seccomp_release(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sanity),
		cmocka_unit_test(openat_traced_with_index),
		cmocka_unit_test(every_table_row_traced),
		cmocka_unit_test(executable_memory),
		cmocka_unit_test(all_allow_policy_traces_nothing),
		cmocka_unit_test(single_needs),
		cmocka_unit_test(getpid_always_allowed),
		cmocka_unit_test(escape_hatches_denied),
		cmocka_unit_test(clone_flags),
		cmocka_unit_test(seccomp_listener),
		cmocka_unit_test(seccomp_listener_op_upper_bits),
		cmocka_unit_test(kill_supervisor),
		cmocka_unit_test(kill_supervisor_thread),
		cmocka_unit_test_teardown(sup_pid_without_tids, free_extra),
		cmocka_unit_test(thread_signals),
		cmocka_unit_test(prlimit_supervisor),
		cmocka_unit_test(sigio_owner),
		cmocka_unit_test(sigio_owner_cmd_upper_bits),
		cmocka_unit_test(sendto_needs_address),
		cmocka_unit_test(fastopen_sends_with_proxy),
		cmocka_unit_test(other_families_refused),
		cmocka_unit_test(userfaultfd_refused),
		cmocka_unit_test(tty_input_refused),
		cmocka_unit_test(kernel_code_refused),
		cmocka_unit_test(source_options),
		cmocka_unit_test(procmem_write_opens),
		cmocka_unit_test(socket_raw_and_packet_only),
		cmocka_unit_test(async_writers_watched),
		cmocka_unit_test(recvfrom_for_dns_only),
		cmocka_unit_test(foreign_arch_i386),
#if defined(__x86_64__)
		cmocka_unit_test(foreign_abi_x32),
#endif
		cmocka_unit_test(unknown_numbers),
		cmocka_unit_test(mount_games),
		cmocka_unit_test(namespaces),
		cmocka_unit_test(route_options),
		cmocka_unit_test(shared_mappings),
		cmocka_unit_test(process_group),
		cmocka_unit_test(build_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
