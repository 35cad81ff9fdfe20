/* The ptrace event loop: one waitpid(__WALL) loop on the thread that seized
 * the runtime. Each stop is sorted (seccomp, syscall exit, new task, exec,
 * group-stop, signal) and the tracee is resumed exactly once. */
#include "tracer/internal.h"
#include "tracer/arch.h"
#include "common/procstatus.h"
#include "common/util.h"

#include <errno.h>
#include <linux/kcmp.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define X32_SYSCALL_BIT 0x40000000u

int fng_tracer_seize(pid_t root)
{
	long opts = PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
		    PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD;

	return ptrace(PTRACE_SEIZE, root, NULL, (void *)opts) < 0 ? -errno : 0;
}

static void resume(struct fng_tracee *tc, pid_t tid, enum fng_resume how, int sig)
{
	enum __ptrace_request req = PTRACE_CONT;

	if (how == FNG_RESUME_SYSCALL || (tc && tc->pending != FNG_PENDING_NONE))
		req = PTRACE_SYSCALL;
	/* ESRCH: the task was killed meanwhile; its exit is reported next. */
	ptrace(req, tid, NULL, (void *)(long)sig);
}

/* Tgid and PPid of a task, from one read of /proc/TID/status (-1 if gone). */
static void task_ids(pid_t tid, pid_t *tgid, pid_t *ppid)
{
	struct fng_proc_status st;

	fng_proc_status(tid, &st);
	*tgid = st.tgid;
	*ppid = st.ppid;
}

/* Place a task we have not seen before: which process it belongs to and
 * whether it shares its address space with another traced task. Called at
 * every stop, so a known task costs one table lookup and nothing more. */
static struct fng_tracee *adopt(struct fng_tracer *t, pid_t tid, pid_t parent_hint)
{
	struct fng_tracee *tc = fng_tracee_find(&t->tasks, tid), *share = NULL;
	pid_t tgid, ppid;

	if (tc)
		return tc;
	struct fng_tracee *parent = NULL;

	task_ids(tid, &tgid, &ppid);
	if (tgid <= 0)
		tgid = tid;
	if (tgid != tid) {
		share = parent = fng_tracee_find(&t->tasks, tgid);
	} else {
		if (parent_hint > 0)
			ppid = parent_hint;
		parent = ppid > 0 ? fng_tracee_find(&t->tasks, ppid) : NULL;
		/* CLONE_VM without CLONE_THREAD (vfork, posix_spawn): same memory. */
		if (parent && syscall(SYS_kcmp, parent->tid, tid, KCMP_VM, 0, 0) == 0)
			share = parent;
	}
	tc = fng_tracee_add(&t->tasks, tid, tgid, share);
	if (tc) {
		atomic_fetch_add(&t->counters->processes, 1);
		if (parent)
			fng_launch_fork(t, parent, tc, tgid != tid);
	}
	return tc;
}

/* The task a fork, vfork or clone just made, placed from the call's flags
 * at its creator's event stop: no /proc read. If the child's own first stop
 * came first, it was placed from /proc then (adopt). */
static struct fng_tracee *adopt_child(struct fng_tracer *t, struct fng_tracee *parent, pid_t child)
{
	struct fng_tracee *tc = fng_tracee_find(&t->tasks, child);
	unsigned long flags;

	if (tc)
		return tc;
	if (fng_arch_clone_flags(parent->tid, &flags) < 0)
		return adopt(t, child, parent->tid);
	/* CLONE_THREAD implies CLONE_VM; CLONE_VM alone (vfork, posix_spawn)
	 * is a process that shares its creator's memory. */
	tc = fng_tracee_add(&t->tasks, child, (flags & CLONE_THREAD) ? parent->tgid : child,
			    (flags & CLONE_VM) ? parent : NULL);
	if (tc) {
		atomic_fetch_add(&t->counters->processes, 1);
		fng_launch_fork(t, parent, tc, flags & CLONE_THREAD);
	}
	return tc;
}

static enum fng_resume dispatch(struct fng_call *c)
{
	enum fng_resume cr;

	fng_init_over(c->t); /* the phase the policy applies in (one relaxed load) */
	if (c->d->kind != FNG_SC_EXEC)
		c->tc->exec_memo = false; /* a PATH search is execs one after another */
	if (fng_confirm_call(c, &cr))
		return cr;
	switch (c->d->kind) {
	case FNG_SC_OPEN:
	case FNG_SC_CREAT:
	case FNG_SC_OPENAT2:
	case FNG_SC_MUTATE:
	case FNG_SC_UNNAME:
	case FNG_SC_TWO_PATHS:
		return fng_check_file(c);
	case FNG_SC_EXEC:
		return fng_check_exec(c);
	case FNG_SC_ACCEPT:
		return fng_check_accept(c);
	case FNG_SC_BIND:
		return fng_check_bind(c);
	case FNG_SC_CONNECT:
	case FNG_SC_SENDTO:
	case FNG_SC_SENDMSG:
	case FNG_SC_SENDMMSG:
	case FNG_SC_SOCKET:
		return fng_check_net(c);
	case FNG_SC_RECVFROM:
		return fng_check_dns_answer(c);
	case FNG_SC_TARGET:
		return fng_check_target(c);
	case FNG_SC_PIDFD_SIGNAL:
		return fng_check_pidfd_signal(c);
	case FNG_SC_EXEC_MEM:
		return fng_check_exec_mem(c);
	case FNG_SC_ASYNC_WRITER: {
		/* mmap and shmat are also traced for executable memory */
		enum fng_resume r = fng_check_exec_mem(c);
		if (r == FNG_RESUME_SKIP || r == FNG_RESUME_KILL)
			return r;
		if (strcmp(c->d->name, "mmap") == 0) {
			if (c->args[3] & MAP_SHARED)
				fng_check_shared_map(c); /* only ever lets it run */
			return r;
		}
		c->t->async_writers = true; /* for the rest of the run */
		/* perf_event_open(attr, pid, ...) on a supervisor thread would
		 * sample its registers and stack (root has CAP_PERFMON) */
		if (strcmp(c->d->name, "perf_event_open") == 0 &&
		    fng_place_supervisor_task(c->t, (pid_t)(int32_t)c->args[1]))
			return fng_check_denied(c, EPERM, "aimed at one of the supervisor's threads");
		return FNG_RESUME_CONT;
	}
	}
	return FNG_RESUME_CONT;
}

/* Did the injected close close the descriptor? Its result and the
 * descriptor table say so; a filter of the task's own can fake the first. */
static bool injected_close_done(const struct fng_tracee *tc, long ret)
{
	char path[64];
	struct stat st;

	if (ret != 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", tc->tid, tc->inject_fd);
	return lstat(path, &st) < 0 && errno == ENOENT;
}

static int on_seccomp(struct fng_tracer *t, struct fng_tracee *tc)
{
	struct __ptrace_syscall_info si;
	struct fng_call c = { .t = t, .tc = tc };
	enum fng_resume how;
	uint32_t data;

	memset(&si, 0, sizeof(si));
	if (ptrace(PTRACE_GET_SYSCALL_INFO, tc->tid, (void *)sizeof(si), &si) <= 0) {
		if (errno == ESRCH)
			return 0;
		return -errno;
	}
	if (si.op != PTRACE_SYSCALL_INFO_SECCOMP) {
		resume(tc, tc->tid, FNG_RESUME_CONT, 0);
		return 0;
	}
	atomic_fetch_add_explicit(&t->counters->traced_calls, 1, memory_order_relaxed);
	data = si.seccomp.ret_data;
	if (data == FNG_TRACE_BADARCH || si.arch != seccomp_arch_native() || (si.seccomp.nr & X32_SYSCALL_BIT)) {
		how = fng_check_badarch(t, tc, &si);
		resume(tc, tc->tid, how, 0);
		return 0;
	}
	c.nr = (int)si.seccomp.nr;
	memcpy(c.args, si.seccomp.args, sizeof(c.args));
	if (data & FNG_TRACE_DENY_BIT) {
		how = fng_check_denied(&c, (int)(data & ~FNG_TRACE_DENY_BIT), NULL);
	} else if (data < fng_syscalls_count) {
		c.desc_index = data;
		c.d = &fng_syscalls[data];
		how = dispatch(&c);
	} else {
		how = FNG_RESUME_CONT;
	}
	resume(tc, tc->tid, how, 0);
	return 0;
}

/* The name-changing call tc was making is over (its exit stop, or the task
 * is gone): the name cache may learn again (tracer/resolve/namecache.h). */
static void end_names_change(struct fng_tracer *t, struct fng_tracee *tc)
{
	if (tc->pending == FNG_PENDING_NAMES) {
		tc->pending = FNG_PENDING_NONE;
		fng_namecache_end_change(&t->names);
	}
}

/* The exit stop of a call made while the others were held. An open is
 * checked first, and when it must be undone the others stay held until the
 * injected close is over: none of them can use the descriptor meanwhile. */
static enum fng_resume end_held_call(struct fng_tracer *t, struct fng_tracee *tc, long rval)
{
	enum fng_resume how = FNG_RESUME_CONT;

	if (tc->held_open == FNG_HELD_VERIFY) {
		how = fng_verify_open(t, tc, rval);
		if (tc->pending == FNG_PENDING_INJECT_ENTRY) {
			tc->held_open = FNG_HELD_UNDO;
			return how;
		}
	}
	tc->held_open = FNG_HELD_NONE;
	fng_hold_end(t);
	return how;
}

static void on_syscall_stop(struct fng_tracer *t, struct fng_tracee *tc)
{
	struct __ptrace_syscall_info si;
	enum fng_resume how = FNG_RESUME_CONT;

	memset(&si, 0, sizeof(si));
	if (ptrace(PTRACE_GET_SYSCALL_INFO, tc->tid, (void *)sizeof(si), &si) <= 0)
		return;
	if (si.op == PTRACE_SYSCALL_INFO_ENTRY) {
		if (tc->pending == FNG_PENDING_INJECT_ENTRY)
			tc->pending = FNG_PENDING_INJECT_EXIT;
		resume(tc, tc->tid, FNG_RESUME_SYSCALL, 0);
		return;
	}
	if (si.op != PTRACE_SYSCALL_INFO_EXIT) {
		resume(tc, tc->tid, how, 0);
		return;
	}
	switch (tc->pending) {
	case FNG_PENDING_OPEN:
		how = fng_verify_open(t, tc, (long)si.exit.rval);
		break;
	case FNG_PENDING_CONNECT:
		how = fng_verify_connect(t, tc, (long)si.exit.rval);
		break;
	case FNG_PENDING_ACCEPT:
		how = fng_verify_accept(t, tc, (long)si.exit.rval);
		break;
	case FNG_PENDING_EXEC: /* no exec stop came first: the exec failed */
		tc->pending = FNG_PENDING_NONE;
		fng_exec_failed(t, tc, (long)si.exit.rval);
		break;
	case FNG_PENDING_NAMES:
		end_names_change(t, tc);
		break;
	case FNG_PENDING_MAP:
		how = fng_verify_map(t, tc, (long)si.exit.rval);
		break;
	case FNG_PENDING_HOLD: /* the held call is over: the others may run */
		tc->pending = FNG_PENDING_NONE;
		how = end_held_call(t, tc, (long)si.exit.rval);
		break;
	case FNG_PENDING_INJECT_EXIT:
		tc->pending = FNG_PENDING_NONE;
		if (!injected_close_done(tc, (long)si.exit.rval)) {
			/* The task's own seccomp filter (or anything else) kept
			 * the descriptor open: it must not keep what was undone. */
			fng_report_killed(t, tc->tid, "close", "the undo of a refused call did not close its descriptor");
			kill(tc->tgid, SIGKILL);
			how = FNG_RESUME_KILL;
			break;
		}
		fng_arch_restore(tc->tid, tc->saved_regs, tc->inject_ret);
		free(tc->saved_regs);
		tc->saved_regs = NULL;
		if (tc->held_open == FNG_HELD_UNDO) { /* undone: now the others may run */
			tc->held_open = FNG_HELD_NONE;
			fng_hold_end(t);
		}
		break;
	default:
		tc->pending = FNG_PENDING_NONE;
		break;
	}
	resume(tc, tc->tid, how, 0);
}

/* A task leaves without its exit stop: what it had pending ends here. */
static void drop_task(struct fng_tracer *t, pid_t tid)
{
	struct fng_tracee *tc = fng_tracee_find(&t->tasks, tid);

	if (tc)
		end_names_change(t, tc);
	if (tc && (tc->pending == FNG_PENDING_HOLD || tc->held_open != FNG_HELD_NONE))
		fng_hold_end(t);
	fng_hold_forget(t, tid);
	fng_tracee_remove(&t->tasks, tid);
}

static void on_exec(struct fng_tracer *t, struct fng_tracee *tc)
{
	unsigned long former = 0;

	ptrace(PTRACE_GETEVENTMSG, tc->tid, NULL, &former);
	if ((pid_t)former != tc->tid && former > 0) {
		/* A thread other than the leader exec'd: it goes on under the
		 * leader's tid, with what was pending for its exec. */
		struct fng_tracee *old = fng_tracee_find(&t->tasks, (pid_t)former);
		if (old && old->exec) {
			fng_tracee_exec_free(tc->exec);
			tc->exec = old->exec;
			old->exec = NULL;
		}
		drop_task(t, (pid_t)former);
	}
	fng_tracee_new_mm(tc);
	/* The leader's tid now names the thread that exec'd: the leader's own
	 * pending call ended with it. */
	end_names_change(t, tc);
	tc->pending = FNG_PENDING_NONE;
	fng_verify_exec(t, tc);
	resume(tc, tc->tid, FNG_RESUME_CONT, 0);
}

static void on_task_exit(struct fng_tracer *t, pid_t tid, int status)
{
	if (tid == t->root) {
		t->root_done = true;
		if (t->on_root_exit)
			t->on_root_exit();
		if (WIFEXITED(status)) {
			t->result.exit_code = WEXITSTATUS(status);
			t->result.signal = 0;
		} else {
			t->result.exit_code = -1;
			t->result.signal = WTERMSIG(status);
		}
	}
	{
		struct fng_tracee *tc = fng_tracee_find(&t->tasks, tid);
		if (tc && tc->exec)
			fng_exec_gone(t, tc);
	}
	drop_task(t, tid);
	if (tid == t->root)
		fng_lifetime_root_exited(t); /* the rest get SIGTERM */
}

static int on_stop(struct fng_tracer *t, pid_t tid, int status)
{
	int sig = WSTOPSIG(status);
	int event = status >> 16;
	struct fng_tracee *tc = adopt(t, tid, 0);

	if (!tc)
		return -ENOMEM;
	fng_lifetime_seen(t, tid);
	if (tid == t->root && event != PTRACE_EVENT_STOP)
		fng_lifetime_root_running(t);
	switch (event) {
	case PTRACE_EVENT_SECCOMP:
		return on_seccomp(t, tc);
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE: {
		unsigned long child = 0;
		if (ptrace(PTRACE_GETEVENTMSG, tid, NULL, &child) == 0 && child > 0 && !adopt_child(t, tc, (pid_t)child))
			return -ENOMEM;
		resume(tc, tid, FNG_RESUME_CONT, 0);
		return 0;
	}
	case PTRACE_EVENT_EXEC:
		on_exec(t, tc);
		return 0;
	case PTRACE_EVENT_STOP:
		fng_lifetime_stop(t, tid, sig); /* a group-stop stays stopped until SIGCONT */
		if (sig != SIGSTOP && sig != SIGTSTP && sig != SIGTTIN && sig != SIGTTOU)
			resume(tc, tid, FNG_RESUME_CONT, 0);
		return 0;
	case 0:
		if (sig == (SIGTRAP | 0x80)) {
			on_syscall_stop(t, tc);
			return 0;
		}
		/* Signal-delivery-stop: deliver the signal as if untraced. */
		resume(tc, tid, FNG_RESUME_CONT, sig);
		return 0;
	default:
		resume(tc, tid, FNG_RESUME_CONT, 0);
		return 0;
	}
}

/* fnguard's own lookup of the exact host names (hostres.h), on the logging
 * thread's loop: started, and waited for (bounded), while the root is still
 * stopped. Not started: addresses the function's lookups did not show are
 * blocked (fail closed), and a notice says why. */
static void start_hostres(struct fng_tracer *t)
{
	const struct fng_policy *p = t->written;
	char err[160];

	if (p->mode[FNG_RULE_OUTBOUND] == FNG_MODE_ALLOW)
		return; /* destinations are never judged: nothing to look up */
	if (fng_hostres_start(&t->hostres, t->logger, p, NULL, err, sizeof(err)) < 0)
		fng_logger_lifecycle(t->logger, "notice",
				     "outbound_connectivity: cannot resolve the exact host names itself (%s); addresses "
				     "the function's own lookups did not show are blocked",
				     err);
	else if (!fng_hostres_wait(t->hostres, FNG_HOSTRES_START_WAIT_MS))
		fng_logger_lifecycle(t->logger, "notice",
				     "outbound_connectivity: fnguard's own lookup of the exact host names did not "
				     "finish within %u ms; their addresses the function's own lookups did not show are "
				     "blocked until it does",
				     FNG_HOSTRES_START_WAIT_MS);
}

int fng_tracer_run(struct fng_tracer *t, pid_t root, struct fng_run_result *res)
{
	int r = 0;

	t->root = root;
	t->result.exit_code = -1;
	start_hostres(t);
	if (!adopt(t, root, 0)) {
		fng_hostres_stop(t->hostres);
		t->hostres = NULL;
		return -ENOMEM;
	}
	for (;;) {
		int status;
		pid_t tid;

		/* Stops that arrived while a call ran with the others held come
		 * first, once no hold runs (hold.c). */
		if (!fng_hold_next(t, &tid, &status)) {
			tid = fng_lifetime_wait(t, &status);
			if (tid < 0) {
				if (errno == EINTR)
					continue;
				if (errno == ECHILD)
					break;
				r = -errno;
				break;
			}
			if (WIFSTOPPED(status) && fng_hold_take(t, tid, status))
				continue;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			on_task_exit(t, tid, status);
			continue;
		}
		if (WIFSTOPPED(status)) {
			r = on_stop(t, tid, status);
			if (r < 0)
				break;
		}
	}
	if (r < 0) {
		/* The tracer cannot go on: fail closed, take the tree down. */
		kill(root, SIGKILL);
		while (waitpid(-1, NULL, __WALL) > 0 || errno == EINTR)
			;
	}
	fng_lifetime_end(t);
	fng_hostres_stop(t->hostres);
	t->hostres = NULL;
	atomic_store(&t->counters->path_cache_hits, t->names.hits);
	res->exit_code = t->result.exit_code;
	res->signal = t->result.signal;
	res->exec_failed = !t->runtime_started;
	return r;
}
