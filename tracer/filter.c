/* The filter follows docs/architecture.md "Tracer rules": trace only what the policy
 * needs, deny in the filter itself what would let the function escape the
 * tracer (io_uring, ptrace, seccomp listeners, CLONE_UNTRACED, clone3,
 * signals and ptrace aimed at the supervisor), and send foreign ABIs and
 * syscall numbers libseccomp cannot name to a place where they fail closed. */
#include "tracer/filter.h"
#include "tracer/arch.h"
#include "tracer/syscalls.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <linux/sockios.h>
#include <linux/userfaultfd.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <netinet/in.h>

/* x86_64's kernel table ends below 512 (512 and up are x32 numbers, reachable
 * only with __X32_SYSCALL_BIT, which the arch check sends away), aarch64's
 * below 470: above this the kernel itself answers ENOSYS, so the filter
 * checks no further. */
#define HIGHEST_SYSCALL_CHECKED 511
#define MAX_UNKNOWN_RANGES 32
#define LOW32 0xffffffffu

struct builder {
	scmp_filter_ctx ctx;
	int err;
};

static void add(struct builder *b, uint32_t action, const char *name, unsigned n, const struct scmp_arg_cmp *cmp)
{
	int nr = seccomp_syscall_resolve_name(name);
	int r;

	if (b->err)
		return;
	if (nr == __NR_SCMP_ERROR) {
		/* Unknown to this libseccomp: the unknown-number rule covers it. */
		return;
	}
	r = seccomp_rule_add_array(b->ctx, action, nr, n, cmp);
	if (r < 0 && r != -EEXIST)
		b->err = r;
}

/* Refused calls are traced, not just failed, so that each one is reported;
 * the tracer fails them with err (see FNG_TRACE_DENY_BIT). */
#define DENY(err) SCMP_ACT_TRACE(FNG_TRACE_DENY_BIT | (uint32_t)(err))

static void deny(struct builder *b, const char *name, int err)
{
	add(b, DENY(err), name, 0, NULL);
}

/* Deny name when its argument arg (compared on the low 32 bits, as the kernel
 * truncates an int) equals value. */
static void deny_if_eq32(struct builder *b, const char *name, unsigned arg, uint32_t value)
{
	struct scmp_arg_cmp c = { .arg = arg, .op = SCMP_CMP_MASKED_EQ, .datum_a = LOW32, .datum_b = value };
	add(b, DENY(EPERM), name, 1, &c);
}

/* Deny name when its argument arg has every bit of mask set. */
static void deny_if_eq32_mask(struct builder *b, const char *name, unsigned arg, uint32_t mask)
{
	struct scmp_arg_cmp c = { .arg = arg, .op = SCMP_CMP_MASKED_EQ, .datum_a = mask, .datum_b = mask };
	add(b, DENY(EPERM), name, 1, &c);
}

/* Every pid-like argument below is an int to the kernel, and every command
 * or op an unsigned int: compare the low 32 bits only, or a value with
 * garbage in the upper half would slip past a 64-bit comparison. */
static void deny_two_eq32(struct builder *b, const char *name, unsigned arg1, uint32_t v1, unsigned arg2, uint32_t v2)
{
	struct scmp_arg_cmp c[2] = {
		{ .arg = arg1, .op = SCMP_CMP_MASKED_EQ, .datum_a = LOW32, .datum_b = v1 },
		{ .arg = arg2, .op = SCMP_CMP_MASKED_EQ, .datum_a = LOW32, .datum_b = v2 },
	};
	add(b, DENY(EPERM), name, 2, c);
}

static void protect_supervisor(struct builder *b, const struct fng_filter_params *fp)
{
	deny_if_eq32(b, "kill", 0, (uint32_t)-1);
	deny_if_eq32(b, "kill", 0, (uint32_t)-fp->sup_pgid);
	deny_two_eq32(b, "fcntl", 1, F_SETOWN, 2, (uint32_t)-fp->sup_pgid);
	/* joining its process group would make kill(0, sig) reach it */
	deny_if_eq32(b, "setpgid", 1, (uint32_t)fp->sup_pgid);
	/* Any of the supervisor's tids names the whole supervisor to kill(),
	 * pidfd_open() and friends, not just its main thread. */
	pid_t tids[1 + sizeof(fp->sup_tids) / sizeof(fp->sup_tids[0])];
	unsigned n = 0;

	tids[n++] = fp->sup_pid;
	for (unsigned i = 0; i < sizeof(fp->sup_tids) / sizeof(fp->sup_tids[0]) && fp->sup_tids[i]; i++)
		if (fp->sup_tids[i] != fp->sup_pid)
			tids[n++] = fp->sup_tids[i];
	for (unsigned i = 0; i < n; i++) {
		uint32_t tid = (uint32_t)tids[i];
		static const char *const by_pid[] = {
			"kill", "tkill", "rt_sigqueueinfo", "pidfd_open", "process_vm_readv", "tgkill",
			"rt_tgsigqueueinfo", "sched_setaffinity", "sched_setscheduler", "sched_setparam",
			"sched_setattr",
		};
		for (unsigned k = 0; k < sizeof(by_pid) / sizeof(by_pid[0]); k++)
			deny_if_eq32(b, by_pid[k], 0, tid);
		deny_if_eq32(b, "tgkill", 1, tid);
		deny_if_eq32(b, "rt_tgsigqueueinfo", 1, tid);
		/* SIGIO/SIGURG routed to the supervisor. */
		deny_two_eq32(b, "fcntl", 1, F_SETOWN, 2, tid);
		/* prlimit64(sup, RLIMIT_CPU, {1,1}) would kill it with SIGXCPU;
		 * its limits are not the function's to read either. */
		deny_if_eq32(b, "prlimit64", 0, tid);
		deny_two_eq32(b, "setpriority", 0, PRIO_PROCESS, 1, tid);
		deny_two_eq32(b, "ioprio_set", 0, 1 /* IOPRIO_WHO_PROCESS */, 1, tid);
		deny_if_eq32(b, "perf_event_open", 1, tid); /* samples its registers and stack */
	}
	/* F_SETOWN_EX / FIOSETOWN / SIOCSPGRP pass the owner by pointer, which a
	 * filter cannot read: refused outright. */
	deny_if_eq32(b, "fcntl", 1, F_SETOWN_EX);
	deny_if_eq32(b, "ioctl", 1, FIOSETOWN);
	deny_if_eq32(b, "ioctl", 1, SIOCSPGRP);
}

/* New namespaces change what an address, a path or a task id means: a
 * network namespace of its own answers the function's DNS from its own
 * 127.0.0.1:53, a mount namespace has other files at the same paths. While
 * destinations or files are judged, unshare and clone may create none of
 * these, and setns may join none (clone3 already fails: ENOSYS). IPC
 * namespaces change nothing fnguard decides on. */
static void deny_namespaces(struct builder *b)
{
	static const uint32_t kinds[] = {
		CLONE_NEWUSER, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWPID, CLONE_NEWCGROUP,
	};

	for (unsigned i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct scmp_arg_cmp c = { .arg = 0, .op = SCMP_CMP_MASKED_EQ, .datum_a = kinds[i], .datum_b = kinds[i] };
		add(b, DENY(EPERM), "unshare", 1, &c);
		add(b, DENY(EPERM), "clone", 1, &c);
	}
	/* CLONE_NEWTIME shares clone()'s exit-signal byte: unshare only */
	deny_if_eq32_mask(b, "unshare", 0, CLONE_NEWTIME);
	deny(b, "setns", EPERM);
}

/* Socket options that send a packet somewhere other than its destination
 * address: IPv6 routing headers (a segment list: unprivileged), the next
 * hop, the RFC 2292 sticky options (a routing header among them), IPv4
 * source routes. Refused while destinations are judged; as control
 * messages of a send they are refused by the tracer (rules/net.c). */
static void deny_route_options(struct builder *b)
{
	static const uint32_t v6[] = { IPV6_RTHDR, IPV6_2292RTHDR, IPV6_NEXTHOP, IPV6_2292PKTOPTIONS, IPV6_UNICAST_IF };

	for (unsigned i = 0; i < sizeof(v6) / sizeof(v6[0]); i++)
		deny_two_eq32(b, "setsockopt", 1, IPPROTO_IPV6, 2, v6[i]);
	deny_two_eq32(b, "setsockopt", 1, IPPROTO_IP, 2, IP_OPTIONS);
	/* An interface of its own sends a packet addressed to loopback out of
	 * that interface, to the next hop: the loopback exemption would be a
	 * way out (SO_BINDTODEVICE needs no privilege since Linux 5.7). */
	deny_two_eq32(b, "setsockopt", 1, IPPROTO_IP, 2, IP_UNICAST_IF);
	deny_two_eq32(b, "setsockopt", 1, SOL_SOCKET, 2, SO_BINDTODEVICE);
	deny_two_eq32(b, "setsockopt", 1, SOL_SOCKET, 2, SO_BINDTOIFINDEX);
	/* A source address that is not the function's own: with
	 * IP_TRANSPARENT (CAP_NET_RAW) a socket binds and sends as any
	 * address (a DNS answer "from" the resolver, learnt as true); an
	 * IPv6 socket with FREEBIND may name a foreign source in
	 * IPV6_PKTINFO, IPv4 ones only with IP_TRANSPARENT. */
	deny_two_eq32(b, "setsockopt", 1, IPPROTO_IP, 2, IP_TRANSPARENT);
	deny_two_eq32(b, "setsockopt", 1, IPPROTO_IP, 2, IP_FREEBIND);
	deny_two_eq32(b, "setsockopt", 1, IPPROTO_IPV6, 2, IPV6_TRANSPARENT);
	deny_two_eq32(b, "setsockopt", 1, IPPROTO_IPV6, 2, IPV6_FREEBIND);
	/* The sticky IPV6_PKTINFO: every later send from a source address of
	 * the function's choosing, any local one (outside attack round 11). */
	deny_two_eq32(b, "setsockopt", 1, IPPROTO_IPV6, 2, IPV6_PKTINFO);
}

/* Address families whose destinations fnguard cannot judge: AF_VSOCK (the
 * hypervisor's host), TIPC, RDS, CAN, Bluetooth, ... refused while
 * destinations are judged (EAFNOSUPPORT, as on a kernel without them). Left:
 * local ones (AF_UNIX, AF_NETLINK, AF_ALG), IP, and the packet families,
 * which are traced (add_socket_rules). */
/* IP protocols whose kernel connects on its own to addresses the peer
 * names (MPTCP subflows to an ADD_ADDR, SCTP multi-homing) or that no rule
 * reads (DCCP): refused while destinations are judged, EPROTONOSUPPORT as on
 * a kernel without them (callers fall back to TCP). */
static void deny_other_protocols(struct builder *b)
{
	static const uint32_t families[] = { AF_INET, AF_INET6 };
	static const uint32_t protos[] = { 262 /* IPPROTO_MPTCP */, IPPROTO_SCTP, IPPROTO_DCCP };

	for (unsigned f = 0; f < 2; f++)
		for (unsigned p = 0; p < sizeof(protos) / sizeof(protos[0]); p++) {
			struct scmp_arg_cmp c[2] = {
				{ .arg = 0, .op = SCMP_CMP_MASKED_EQ, .datum_a = LOW32, .datum_b = families[f] },
				{ .arg = 2, .op = SCMP_CMP_MASKED_EQ, .datum_a = LOW32, .datum_b = protos[p] },
			};
			add(b, DENY(EPROTONOSUPPORT), "socket", 2, c);
		}
}

static void deny_other_families(struct builder *b)
{
	for (uint32_t f = 1; f < 64; f++) {
		if (f == AF_UNIX || f == AF_INET || f == AF_INET6 || f == AF_NETLINK || f == AF_PACKET || f == AF_ALG ||
		    f == AF_XDP)
			continue;
		struct scmp_arg_cmp c = { .arg = 0, .op = SCMP_CMP_MASKED_EQ, .datum_a = LOW32, .datum_b = f };
		add(b, DENY(EAFNOSUPPORT), "socket", 1, &c);
	}
}

/* Code that runs in the kernel and changes a call after fnguard judged it:
 * BPF programs (a cgroup connect4 program rewrites the destination; a
 * socket filter or perf program needs a program from bpf() first), kernel
 * modules, a new kernel (kexec), port I/O. Refused whenever the policy
 * enforces anything. */
static void deny_kernel_code(struct builder *b)
{
	static const char *const calls[] = { "bpf", "init_module", "finit_module", "delete_module",
					     "kexec_load", "kexec_file_load", "iopl", "ioperm" };

	for (unsigned i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		deny(b, calls[i], EPERM);
}

/* Input pushed into a terminal (TIOCSTI) or pasted from the console's
 * selection (TIOCLINUX) is read by whoever reads that terminal next: the
 * shell that started fnguard runs it, untraced, once fnguard is gone.
 * Refused whatever the policy, as bubblewrap does; the command is an
 * unsigned int to the kernel: low 32 bits. */
static void deny_tty_input(struct builder *b)
{
	deny_if_eq32(b, "ioctl", 1, TIOCSTI);
	deny_if_eq32(b, "ioctl", 1, TIOCLINUX);
}

static void harden(struct builder *b, const struct fng_filter_params *fp)
{
	deny_tty_input(b);
	if (fp->enforces)
		deny_kernel_code(b);
	/* ENOSYS so libraries fall back to plain system calls we can see. */
	deny(b, "io_uring_setup", ENOSYS);
	deny(b, "io_uring_enter", ENOSYS);
	deny(b, "io_uring_register", ENOSYS);
	/* glibc tries clone3 for every thread and falls back: not worth an event. */
	add(b, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0, NULL);
	deny(b, "ptrace", EPERM);
	deny(b, "process_vm_writev", EPERM);
	/* userfaultfd: a page the tracer reads (a path, a sockaddr) would be
	 * served by a thread of the function, which could answer fnguard's
	 * read and the kernel's differently, or, held, never answer at all. */
	deny(b, "userfaultfd", EPERM);
	deny_if_eq32(b, "ioctl", 1, USERFAULTFD_IOC_NEW);
	{
		struct scmp_arg_cmp c[2] = {
			{ .arg = 0, .op = SCMP_CMP_MASKED_EQ, .datum_a = LOW32, .datum_b = SECCOMP_SET_MODE_FILTER },
			{ .arg = 1, .op = SCMP_CMP_MASKED_EQ, .datum_a = SECCOMP_FILTER_FLAG_NEW_LISTENER,
			  .datum_b = SECCOMP_FILTER_FLAG_NEW_LISTENER },
		};
		add(b, DENY(EPERM), "seccomp", 2, c);
	}
	{
		struct scmp_arg_cmp c = { .arg = 0, .op = SCMP_CMP_MASKED_EQ, .datum_a = CLONE_UNTRACED,
					  .datum_b = CLONE_UNTRACED };
		add(b, DENY(EPERM), "clone", 1, &c);
	}
	if (fp->deny_mount) {
		static const char *const fs_games[] = {
			"mount", "umount2", "pivot_root", "chroot", "open_by_handle_at", "move_mount",
			"open_tree", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr", "acct",
			"swapon", "swapoff",
			/* fanotify (root) hands out descriptors of files others
			 * open, without an open of the function's own */
			"fanotify_init",
		};
		for (unsigned i = 0; i < sizeof(fs_games) / sizeof(fs_games[0]); i++)
			deny(b, fs_games[i], EPERM);
	}
	if (fp->deny_mount || (fp->needs & FNG_NEED_OUTBOUND))
		deny_namespaces(b);
	if (fp->needs & FNG_NEED_OUTBOUND) {
		deny_route_options(b);
		deny_other_families(b);
		deny_other_protocols(b);
	}
	if (fp->deny_core) {
		/* A core file is written by the kernel, unseen: without Landlock
		 * fnguard starts the runtime with RLIMIT_CORE 0 (supervisor/spawn.c),
		 * and nobody raises it again (root could raise the hard limit). */
		struct scmp_arg_cmp set = { .arg = 0, .op = SCMP_CMP_MASKED_EQ, .datum_a = LOW32, .datum_b = RLIMIT_CORE };
		struct scmp_arg_cmp pl[2] = {
			{ .arg = 1, .op = SCMP_CMP_MASKED_EQ, .datum_a = LOW32, .datum_b = RLIMIT_CORE },
			{ .arg = 2, .op = SCMP_CMP_NE, .datum_a = 0 },
		};
		add(b, DENY(EPERM), "setrlimit", 1, &set);
		add(b, DENY(EPERM), "prlimit64", 2, pl);
	}
	if (fp->needs & FNG_NEED_EXECMEM) {
		/* READ_IMPLIES_EXEC makes every readable mapping executable
		 * without PROT_EXEC; bit 31 set is the query 0xffffffff. */
		struct scmp_arg_cmp c = { .arg = 0, .op = SCMP_CMP_MASKED_EQ, .datum_a = READ_IMPLIES_EXEC | 0x80000000u,
					  .datum_b = READ_IMPLIES_EXEC };
		add(b, DENY(EPERM), "personality", 1, &c);
	}
	protect_supervisor(b, fp);
}

/* Only the sockets that bypass connect/sendto: packet sockets, and raw or
 * SOCK_PACKET ones in the IP families (raw netlink is how glibc lists
 * interfaces, and is local). Domain and type are ints: low 32 bits. */
static void add_socket_rules(struct builder *b, unsigned row)
{
	static const uint32_t ip_families[] = { AF_INET, AF_INET6 };
	static const uint32_t frame_families[] = { AF_PACKET, AF_XDP };

	/* packet and XDP sockets: frames to anywhere, and rings the kernel
	 * fills beside the task */
	for (unsigned f = 0; f < 2; f++) {
		struct scmp_arg_cmp c = { .arg = 0, .op = SCMP_CMP_MASKED_EQ, .datum_a = LOW32, .datum_b = frame_families[f] };
		add(b, SCMP_ACT_TRACE(row), "socket", 1, &c);
	}
	for (unsigned f = 0; f < 2; f++) {
		static const uint32_t types[] = { SOCK_RAW, SOCK_PACKET };
		for (unsigned k = 0; k < 2; k++) {
			struct scmp_arg_cmp c[2] = {
				{ .arg = 0, .op = SCMP_CMP_MASKED_EQ, .datum_a = LOW32, .datum_b = ip_families[f] },
				{ .arg = 1, .op = SCMP_CMP_MASKED_EQ, .datum_a = 0xf, .datum_b = types[k] },
			};
			add(b, SCMP_ACT_TRACE(row), "socket", 2, c);
		}
	}
}

/* Calls naming a task by id: traced when they name another one (an id that
 * is not 0); setpriority and ioprio_set only on a process (PRIO_PROCESS,
 * IOPRIO_WHO_PROCESS). The tracer refuses them when the task is one of the
 * supervisor's threads (rules/guard.c); the supervisor's threads known now
 * are also refused outright (protect_supervisor). */
static void add_target_rules(struct builder *b, unsigned row, const struct fng_syscall_desc *d)
{
	int arg = __builtin_ctz(d->targets);
	struct scmp_arg_cmp c[2] = { { .arg = (unsigned)arg, .op = SCMP_CMP_NE, .datum_a = 0 } };
	unsigned n = 1;

	if (strcmp(d->name, "setpriority") == 0) {
		c[n++] = (struct scmp_arg_cmp){ .arg = 0, .op = SCMP_CMP_MASKED_EQ, .datum_a = LOW32, .datum_b = PRIO_PROCESS };
	} else if (strcmp(d->name, "ioprio_set") == 0) {
		c[n++] = (struct scmp_arg_cmp){ .arg = 0, .op = SCMP_CMP_MASKED_EQ, .datum_a = LOW32, .datum_b = 1 /* IOPRIO_WHO_PROCESS */ };
	}
	add(b, SCMP_ACT_TRACE(row), d->name, n, c);
}

/* executable_memory: block: the calls that ask for executable memory, only
 * when they do (PROT_EXEC, SHM_EXEC); mmap's shared mappings stay traced
 * for the async-writer check when that is on. */
static void add_execmem_rules(struct builder *b, unsigned i, const struct fng_syscall_desc *d, uint32_t needs)
{
	bool shm = strcmp(d->name, "shmat") == 0;
	struct scmp_arg_cmp c = { .arg = 2, .op = SCMP_CMP_MASKED_EQ };

	c.datum_a = c.datum_b = shm ? SHM_EXEC : PROT_EXEC;
	add(b, SCMP_ACT_TRACE(i), d->name, 1, &c);
	if (shm && (needs & FNG_NEED_ASYNC))
		add(b, SCMP_ACT_TRACE(i), d->name, 0, NULL);
	if (strcmp(d->name, "mmap") == 0 && (needs & FNG_NEED_ASYNC)) {
		struct scmp_arg_cmp m = { .arg = 3, .op = SCMP_CMP_MASKED_EQ, .datum_a = MAP_SHARED, .datum_b = MAP_SHARED };
		add(b, SCMP_ACT_TRACE(i), d->name, 1, &m);
	}
}

/* With the proxy and sends not judged: only the sends that connect a stream
 * socket (MSG_FASTOPEN), which could reach the real Runtime API. */
static void add_fastopen_rule(struct builder *b, unsigned i, const struct fng_syscall_desc *d)
{
	struct scmp_arg_cmp c = { .arg = d->kind == FNG_SC_SENDMSG ? 2 : 3, .op = SCMP_CMP_MASKED_EQ,
				  .datum_a = MSG_FASTOPEN, .datum_b = MSG_FASTOPEN };

	add(b, SCMP_ACT_TRACE(i), d->name, 1, &c);
}

/* executable_memory: block alone: the opens that may write (a process's
 * memory through /proc/PID/mem writes over its code). */
static void add_procmem_rules(struct builder *b, unsigned i, const struct fng_syscall_desc *d)
{
	static const uint32_t modes[] = { O_WRONLY, O_RDWR };

	if (d->kind != FNG_SC_OPEN) { /* creat writes; openat2's flags are in memory */
		add(b, SCMP_ACT_TRACE(i), d->name, 0, NULL);
		return;
	}
	for (unsigned k = 0; k < 2; k++) {
		struct scmp_arg_cmp c = { .arg = (unsigned)d->flags, .op = SCMP_CMP_MASKED_EQ, .datum_a = modes[k],
					  .datum_b = modes[k] };
		add(b, SCMP_ACT_TRACE(i), d->name, 1, &c);
	}
}

static void add_traced(struct builder *b, uint32_t needs)
{
	for (unsigned i = 0; i < fng_syscalls_count; i++) {
		const struct fng_syscall_desc *d = &fng_syscalls[i];

		if (!(d->needs & needs))
			continue;
		if ((d->needs & needs) == FNG_NEED_PROCMEM) {
			add_procmem_rules(b, i, d);
			continue;
		}
		if ((d->needs & needs & FNG_NEED_FASTOPEN) && !(needs & FNG_NEED_OUTBOUND)) {
			add_fastopen_rule(b, i, d);
			if (!(d->needs & needs & ~FNG_NEED_FASTOPEN))
				continue;
		}
		if (d->needs & needs & FNG_NEED_EXECMEM) {
			add_execmem_rules(b, i, d, needs);
		} else if (d->kind == FNG_SC_ASYNC_WRITER && strcmp(d->name, "mmap") == 0) {
			/* a shared mapping: other writers of the file (or of the
			 * memory) change it beside the task */
			struct scmp_arg_cmp c = { .arg = 3, .op = SCMP_CMP_MASKED_EQ, .datum_a = MAP_SHARED, .datum_b = MAP_SHARED };
			add(b, SCMP_ACT_TRACE(i), d->name, 1, &c);
		} else if (d->kind == FNG_SC_SENDTO || d->kind == FNG_SC_RECVFROM) {
			/* sendto on a connected socket (no address) is not a new
			 * destination; recvfrom without one is not a resolver's
			 * answer being read (glibc, musl and c-ares all ask for it). */
			struct scmp_arg_cmp c = { .arg = 4, .op = SCMP_CMP_NE, .datum_a = 0 };
			add(b, SCMP_ACT_TRACE(i), d->name, 1, &c);
		} else if (d->kind == FNG_SC_SOCKET) {
			add_socket_rules(b, i);
		} else if (d->kind == FNG_SC_TARGET) {
			add_target_rules(b, i, d);
		} else {
			add(b, SCMP_ACT_TRACE(i), d->name, 0, NULL);
		}
	}
}

struct nr_range {
	uint32_t lo, hi;
};

/* Numbers this libseccomp cannot name are newer than fnguard's view of the
 * world (uretprobe, setxattrat, file_setattr, ...), as runs of numbers. */
static ssize_t unknown_ranges(struct nr_range *out, size_t max)
{
	size_t n = 0;

	for (uint32_t nr = 0; nr <= HIGHEST_SYSCALL_CHECKED; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, (int)nr);
		if (name) {
			free(name);
			continue;
		}
		if (n > 0 && out[n - 1].hi == nr - 1)
			out[n - 1].hi = nr;
		else if (n < max)
			out[n++] = (struct nr_range){ nr, nr };
		else
			return -1; /* more holes than the prefix holds: not with today's tables */
	}
	return (ssize_t)n;
}

/* The unknown numbers fail with ENOSYS, so libc falls back. They are
 * checked ahead of libseccomp's program, a range in two instructions: as
 * libseccomp rules, one per number, they were most of its compile time. */
static size_t unknown_prefix_len(size_t n)
{
	return 2 * n + 5;
}

static void unknown_prefix(struct sock_filter *out, const struct nr_range *r, size_t n)
{
	size_t k = 0;

	out[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	/* another ABI: libseccomp's arch check deals with it */
	out[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, FNG_AUDIT_ARCH, 0, (uint8_t)(2 * n + 3));
	out[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	for (size_t i = 0; i < n; i++) {
		out[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, r[i].lo, 0, 1);
		out[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, r[i].hi, 0,
							(uint8_t)(2 * (n - 1 - i) + 1));
	}
	out[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA | BPF_K, 1, 0, 0);
	out[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
}

int fng_filter_add_traced(scmp_filter_ctx ctx, uint32_t needs)
{
	struct builder b = { .ctx = ctx };

	add_traced(&b, needs);
	return b.err;
}

int fng_filter_build(const struct fng_filter_params *fp, scmp_filter_ctx *out)
{
	struct builder b = { 0 };

	b.ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!b.ctx)
		return -ENOMEM;
	b.err = seccomp_attr_set(b.ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_TRACE(FNG_TRACE_BADARCH));
	if (!b.err)
		b.err = seccomp_attr_set(b.ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	/* The supervisor decides about privileges; the child sets NO_NEW_PRIVS itself. */
	if (!b.err)
		b.err = seccomp_attr_set(b.ctx, SCMP_FLTATR_CTL_NNP, 0);
	harden(&b, fp);
	add_traced(&b, fp->needs);
	if (b.err) {
		seccomp_release(b.ctx);
		return b.err;
	}
	*out = b.ctx;
	return 0;
}

/* libseccomp's program, exported into a memfd and read back after head
 * empty instructions. */
static int export_after(scmp_filter_ctx ctx, size_t head, struct sock_fprog *out)
{
	autoclose int fd = memfd_create("fnguard-filter", MFD_CLOEXEC);
	autofree struct sock_filter *ins = NULL;
	size_t n;
	off_t size;
	int r;

	if (fd < 0)
		return -errno;
	r = seccomp_export_bpf(ctx, fd);
	if (r < 0)
		return r;
	size = lseek(fd, 0, SEEK_END);
	if (size <= 0 || size % (off_t)sizeof(struct sock_filter) != 0)
		return -EINVAL;
	n = head + (size_t)size / sizeof(struct sock_filter);
	if (n > BPF_MAXINSNS)
		return -E2BIG;
	ins = calloc(n, sizeof(*ins));
	if (!ins)
		return -ENOMEM;
	if (pread(fd, ins + head, (size_t)size, 0) != size)
		return -EIO;
	out->filter = fng_steal_ptr(&ins);
	out->len = (unsigned short)n;
	return 0;
}

int fng_filter_program(const struct fng_filter_params *fp, struct sock_fprog *out)
{
	struct nr_range ranges[MAX_UNKNOWN_RANGES];
	ssize_t n_ranges = unknown_ranges(ranges, MAX_UNKNOWN_RANGES);
	scmp_filter_ctx ctx;
	int r;

	if (n_ranges < 0)
		return -ERANGE;
	r = fng_filter_build(fp, &ctx);
	if (r < 0)
		return r;
	r = export_after(ctx, unknown_prefix_len((size_t)n_ranges), out);
	seccomp_release(ctx);
	if (r == 0)
		unknown_prefix(out->filter, ranges, (size_t)n_ranges);
	return r;
}
