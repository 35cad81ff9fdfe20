/* The supervisor's own defences: calls the filter refuses outright are
 * reported before they fail, signals sent through a pidfd are checked for
 * their target, and calls through a foreign ABI end the process. */
#include "tracer/internal.h"
#include "tracer/arch.h"
#include "common/util.h"

#include <dirent.h>
#include <linux/audit.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	const char *name;
	const char *reason;
} deny_reasons[] = {
	{ "ptrace", "tracing is reserved to the supervisor" },
	{ "process_vm_writev", "writing another process's memory is refused" },
	{ "process_vm_readv", "reading the supervisor's memory is refused" },
	{ "io_uring_setup", "io_uring would bypass system call checks" },
	{ "io_uring_enter", "io_uring would bypass system call checks" },
	{ "io_uring_register", "io_uring would bypass system call checks" },
	{ "seccomp", "seccomp user-notification listeners would bypass the tracer" },
	{ "clone", "CLONE_UNTRACED would start a task the supervisor cannot see" },
	{ "unshare", "a new namespace would change what addresses, paths or task ids mean" },
	{ "setns", "joining another namespace would change what addresses, paths or task ids mean" },
	{ "setsockopt", "a socket option that sends packets elsewhere than their destination (routing header, "
			"source route, next hop) or from an address that is not the function's own (IP_TRANSPARENT, "
			"FREEBIND)" },
	{ "clone3", "clone3 is refused so that clone flags stay visible" },
	{ "userfaultfd", "userfaultfd: the function would serve the pages fnguard reads its arguments from" },
	{ "socket", "an address family or protocol whose destinations outbound_connectivity cannot judge (vsock, TIPC, "
		    "CAN, MPTCP, SCTP, DCCP: the kernel may connect elsewhere on its own)" },
	{ "personality", "executable_memory: READ_IMPLIES_EXEC would make readable memory executable" },
	{ "fanotify_init", "fanotify hands out descriptors of files others open: refused while file rules are active" },
	{ "kill", "signal aimed at the supervisor" },
	{ "tkill", "signal aimed at the supervisor" },
	{ "tgkill", "signal aimed at the supervisor" },
	{ "rt_sigqueueinfo", "signal aimed at the supervisor" },
	{ "rt_tgsigqueueinfo", "signal aimed at the supervisor" },
	{ "pidfd_open", "pidfd for the supervisor" },
	{ "fcntl", "signal ownership aimed at the supervisor or passed by pointer" },
	{ "ioctl", "signal ownership passed by pointer, a userfaultfd (USERFAULTFD_IOC_NEW), or input pushed into "
		   "a terminal (TIOCSTI, TIOCLINUX)" },
	{ "bpf", "a kernel program would change calls after fnguard judged them (cgroup connect rewrite)" },
	{ "init_module", "loading kernel code is refused while the policy enforces anything" },
	{ "finit_module", "loading kernel code is refused while the policy enforces anything" },
	{ "delete_module", "unloading kernel code is refused while the policy enforces anything" },
	{ "kexec_load", "loading a new kernel is refused while the policy enforces anything" },
	{ "kexec_file_load", "loading a new kernel is refused while the policy enforces anything" },
	{ "iopl", "port I/O is refused while the policy enforces anything" },
	{ "ioperm", "port I/O is refused while the policy enforces anything" },
	{ "pidfd_send_signal", "signal aimed at the supervisor" },
	{ "prlimit64", "resource limits of the supervisor, or the core-file limit while read_write_tmp blocks" },
	{ "setrlimit", "the core-file limit while read_write_tmp blocks (a core file is written unseen)" },
	{ "ioprio_set", "scheduling of the supervisor" },
	{ "perf_event_open", "sampling the supervisor" },
	{ "setpriority", "scheduling of the supervisor" },
	{ "sched_setaffinity", "scheduling of the supervisor" },
	{ "sched_setscheduler", "scheduling of the supervisor" },
	{ "sched_setparam", "scheduling of the supervisor" },
	{ "sched_setattr", "scheduling of the supervisor" },
};

/* Runtimes probe some calls at every start (libuv tries io_uring): report
 * those once per program image, not at every attempt. */
static bool once_per_image(struct fng_tracee *tc, const char *name)
{
	if (strncmp(name, "io_uring", 8) != 0)
		return false;
	if (tc->mm->reported & 1u)
		return true;
	tc->mm->reported |= 1u;
	return false;
}

static const char *reason_for(const char *name)
{
	for (size_t i = 0; i < FNG_ARRAY_LEN(deny_reasons); i++)
		if (strcmp(deny_reasons[i].name, name) == 0)
			return deny_reasons[i].reason;
	/* The rest of what the filter refuses: mount, chroot, setns, handles ... */
	return "mount, namespace or file-handle call refused while file rules are active";
}

static void report_guard(struct fng_tracer *t, pid_t tid, const char *syscall, enum fng_action action, int err,
			 const char *reason)
{
	struct fng_event *ev;

	atomic_fetch_add(&t->counters->blocked, 1);
	ev = fng_report_begin(t, tid, FNG_EV_PROCESS, syscall);
	if (!ev)
		return;
	ev->action = (uint8_t)action;
	ev->error = err;
	fng_strlcpy(ev->reason, reason, sizeof(ev->reason));
	fng_report_attach_stack(t, ev, tid);
	fng_report_end(t);
}

enum fng_resume fng_check_denied(struct fng_call *c, int err, const char *reason)
{
	autofree char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, c->nr);
	const char *shown = name ? name : "?";

	if (!reason)
		reason = strcmp(shown, "clone") == 0 && !(c->args[0] & CLONE_UNTRACED) ? reason_for("unshare")
										     : reason_for(shown);
	if (fng_arch_skip_syscall(c->tc->tid, -err) < 0) {
		report_guard(c->t, c->tc->tid, shown, FNG_ACT_KILLED, 0, reason);
		kill(c->tc->tgid, SIGKILL);
		return FNG_RESUME_KILL;
	}
	if (!once_per_image(c->tc, shown))
		report_guard(c->t, c->tc->tid, shown, FNG_ACT_BLOCKED, err, reason);
	return FNG_RESUME_SKIP;
}

static bool same_object(const struct stat *a, const char *path)
{
	struct stat b;
	return stat(path, &b) == 0 && a->st_dev == b.st_dev && a->st_ino == b.st_ino;
}

/* Does the pidfd (or /proc/PID directory fd) dup name the supervisor or
 * one of its threads (a PIDFD_THREAD pidfd)? */
static bool targets_supervisor(struct fng_tracer *t, int dup)
{
	char path[300], info[512];
	struct stat st;
	DIR *dir;
	bool hit = false;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", dup);
	if (fng_read_file(path, info, sizeof(info)) > 0) {
		char *pid = strstr(info, "\nPid:");
		if (pid)
			return fng_place_supervisor_task(t, atoi(pid + 5));
	}
	if (fstat(dup, &st) < 0)
		return true; /* cannot tell: refuse */
	snprintf(path, sizeof(path), "/proc/%d/task", t->sup_pid);
	dir = opendir(path);
	if (!dir)
		return true;
	for (struct dirent *de; !hit && (de = readdir(dir));) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%s", de->d_name);
		hit = same_object(&st, path);
	}
	closedir(dir);
	return hit;
}

enum fng_resume fng_check_pidfd_signal(struct fng_call *c)
{
	autoclose int dup = fng_tracee_fd(c->tc->tgid, (int)c->args[0]);

	if (dup == -EBADF)
		return fng_fail_call(c, -EBADF); /* the kernel's answer, with no window to open one */
	if (dup >= 0 && !targets_supervisor(c->t, dup))
		return FNG_RESUME_CONT;
	return fng_check_denied(c, EPERM, dup < 0 ? "the pidfd could not be examined: refused" : NULL);
}

/* A call naming tasks by id (syscalls.c, FNG_SC_TARGET): refused when one
 * of them is a supervisor thread, including threads started after the
 * filter was built (its own rules name those that existed then). */
enum fng_resume fng_check_target(struct fng_call *c)
{
	for (unsigned i = 0; i < 6; i++) {
		if (!(c->d->targets & (1u << i)))
			continue;
		if (fng_place_supervisor_task(c->t, (pid_t)(int32_t)c->args[i]))
			return fng_check_denied(c, EPERM, "aimed at one of the supervisor's threads");
	}
	return FNG_RESUME_CONT;
}

enum fng_resume fng_check_badarch(struct fng_tracer *t, struct fng_tracee *tc, const struct __ptrace_syscall_info *si)
{
	const char *abi = si->arch == AUDIT_ARCH_I386 ? "i386 int 0x80"
			: si->arch == AUDIT_ARCH_ARM  ? "AArch32"
			: si->arch == FNG_AUDIT_ARCH  ? "x32"
						      : "unknown architecture";
	char reason[160];

	snprintf(reason, sizeof(reason), "system call %llu through a foreign ABI (%s): the process is ended",
		 (unsigned long long)si->seccomp.nr, abi);
	report_guard(t, tc->tid, "", FNG_ACT_KILLED, 0, reason);
	kill(tc->tgid, SIGKILL);
	return FNG_RESUME_KILL;
}
