/* Filling events from the tracer side: the process section comes from
 * /proc, read only when there is something to report (on allowed calls only
 * in observe mode). */
#include "tracer/internal.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tracer/arch.h"
#include "common/procstatus.h"

static void fill_process(struct fng_event *ev, pid_t tid)
{
	struct fng_proc_status st;
	char path[64];
	ssize_t n;

	if (fng_proc_status(tid, &st) == 0) {
		ev->pid = st.tgid > 0 ? st.tgid : 0;
		ev->ppid = st.ppid > 0 ? st.ppid : 0;
		ev->uid = st.uid != (uid_t)-1 ? (int32_t)st.uid : 0;
		memcpy(ev->comm, st.name, sizeof(ev->comm));
	}
	if (!ev->pid)
		ev->pid = tid;
	snprintf(path, sizeof(path), "/proc/%d/exe", tid);
	n = readlink(path, ev->exe, sizeof(ev->exe) - 1);
	if (n > 0)
		ev->exe[n] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/cmdline", tid);
	n = fng_read_file(path, ev->cmdline, sizeof(ev->cmdline));
	for (ssize_t i = 0; i < n - 1; i++)
		if (ev->cmdline[i] == '\0')
			ev->cmdline[i] = ' ';
}

struct fng_event *fng_report_begin(struct fng_tracer *t, pid_t tid, enum fng_event_type type, const char *syscall)
{
	struct fng_event *ev = fng_logger_reserve(t->logger);

	if (!ev)
		return NULL;
	ev->type = (uint8_t)type;
	ev->fn_phase = fng_tracer_fn_phase(t);
	if (syscall)
		fng_strlcpy(ev->syscall, syscall, sizeof(ev->syscall));
	if (tid > 0)
		fill_process(ev, tid);
	if (t->lambda) {
		fng_init_over(t);
		fng_lambda_current(t->lambda, ev->request_id, sizeof(ev->request_id), ev->trace_id,
				   sizeof(ev->trace_id));
	}
	return ev;
}

struct fng_stack *fng_report_stack(struct fng_tracer *t, pid_t tid, uint8_t *end)
{
	struct fng_tracee *tc = tid > 0 ? fng_tracee_find(&t->tasks, tid) : NULL;
	struct fng_stack *st;

	*end = FNG_STACK_COMPLETE;
	if (!tc)
		return NULL;
	st = fng_stack_pool_take(&t->stacks);
	if (!st) {
		*end = FNG_STACK_NO_SLOT;
		return NULL;
	}
	fng_stack_capture(t->unwinder, &tc->mm->unwind, tid, st);
	*end = st->end;
	if (st->n == 0) {
		fng_stack_release(st);
		return NULL;
	}
	return st;
}

void fng_report_attach_stack(struct fng_tracer *t, struct fng_event *ev, pid_t tid)
{
	ev->stack = fng_report_stack(t, tid, &ev->stack_end);
}

void fng_report_end(struct fng_tracer *t)
{
	fng_logger_commit(t->logger);
}

static struct fng_event *begin_verdict(struct fng_tracer *t, pid_t tid, enum fng_event_type type,
				       const char *syscall, const struct fng_verdict *v, enum fng_action action)
{
	struct fng_event *ev;

	if (action == FNG_ACT_BLOCKED || action == FNG_ACT_KILLED)
		atomic_fetch_add(&t->counters->blocked, 1);
	else if (action == FNG_ACT_ALERTED)
		atomic_fetch_add(&t->counters->alerted, 1);
	ev = fng_report_begin(t, tid, type, syscall);
	if (!ev)
		return NULL;
	if (v->rule != FNG_RULE_NONE) {
		fng_strlcpy(ev->rule, fng_rule_name(v->rule), sizeof(ev->rule));
		fng_strlcpy(ev->mode, fng_mode_name(v->mode), sizeof(ev->mode));
	}
	ev->action = (uint8_t)action;
	if (action == FNG_ACT_BLOCKED)
		ev->error = v->err;
	fng_strlcpy(ev->path, v->path, sizeof(ev->path));
	fng_strlcpy(ev->path2, v->path2, sizeof(ev->path2));
	fng_strlcpy(ev->reason, v->reason, sizeof(ev->reason));
	fng_strlcpy(ev->host, v->host, sizeof(ev->host));
	fng_strlcpy(ev->ip, v->ip, sizeof(ev->ip));
	if (v->protocol)
		fng_strlcpy(ev->protocol, v->protocol, sizeof(ev->protocol));
	ev->port = v->port;
	ev->argc = v->argc;
	memcpy(ev->argv, v->argv, v->argc ? sizeof(ev->argv) : 0);
	ev->image = v->image;
	ev->access = v->access;
	return ev;
}

void fng_report_verdict(struct fng_tracer *t, pid_t tid, enum fng_event_type type, const char *syscall,
			const struct fng_verdict *v, enum fng_action action)
{
	struct fng_event *ev = begin_verdict(t, tid, type, syscall, v, action);

	if (!ev)
		return;
	fng_report_attach_stack(t, ev, tid);
	fng_report_end(t);
}

void fng_report_verdict_stack(struct fng_tracer *t, pid_t tid, enum fng_event_type type, const char *syscall,
			      const struct fng_verdict *v, enum fng_action action, struct fng_stack *st,
			      uint8_t stack_end)
{
	struct fng_event *ev = begin_verdict(t, tid, type, syscall, v, action);

	if (!ev) {
		fng_stack_release(st);
		return;
	}
	ev->stack = st;
	ev->stack_end = stack_end;
	fng_report_end(t);
}

uint8_t fng_open_access(uint64_t flags)
{
	uint8_t a = (flags & O_ACCMODE) == O_RDONLY ? FNG_ACCESS_READ
		  : (flags & O_ACCMODE) == O_WRONLY ? FNG_ACCESS_WRITE
		  : FNG_ACCESS_READ | FNG_ACCESS_WRITE;

	if (flags & O_TRUNC)
		a |= FNG_ACCESS_WRITE;
	if (flags & O_CREAT)
		a |= FNG_ACCESS_CREATE;
	return a;
}

void fng_observe(struct fng_call *c, enum fng_event_type type, const struct fng_verdict *v)
{
	struct fng_event *ev;

	if (!c->t->observe)
		return;
	ev = begin_verdict(c->t, c->tc->tid, type, c->d->name, v, FNG_ACT_ALLOWED);
	if (!ev)
		return;
	if (c->t->stack_all)
		fng_report_attach_stack(c->t, ev, c->tc->tid);
	fng_report_end(c->t);
}

bool fng_would_block(struct fng_tracer *t, pid_t tid, enum fng_event_type type, const char *syscall,
		     const struct fng_verdict *v)
{
	struct fng_event *ev;

	if (fng_enforcing(t))
		return false;
	ev = begin_verdict(t, tid, type, syscall, v, FNG_ACT_ALLOWED);
	if (!ev)
		return true;
	ev->would = FNG_ACT_BLOCKED;
	fng_report_attach_stack(t, ev, tid);
	fng_report_end(t);
	return true;
}

/* Keep the strictest finding: block over alert over allow. */
void fng_verdict_take(struct fng_verdict *v, enum fng_rule rule, enum fng_mode mode, const char *path)
{
	if (mode == FNG_MODE_ALLOW)
		return;
	if (v->rule != FNG_RULE_NONE && v->mode >= mode)
		return;
	v->rule = rule;
	v->mode = mode;
	if (path && path != v->path)
		fng_strlcpy(v->path, path, sizeof(v->path));
}

enum fng_resume fng_fail_call(struct fng_call *c, long ret)
{
	return fng_arch_skip_syscall(c->tc->tid, ret) < 0 ? FNG_RESUME_CONT : FNG_RESUME_SKIP;
}

int fng_tracee_fd(pid_t tgid, int fd)
{
	int pidfd = (int)syscall(SYS_pidfd_open, tgid, 0);
	int dup;

	if (pidfd < 0)
		return -errno;
	dup = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	if (dup < 0)
		dup = -errno;
	close(pidfd);
	return dup;
}

enum fng_resume fng_enforce(struct fng_call *c, enum fng_event_type type, struct fng_verdict *v)
{
	if (v->rule == FNG_RULE_NONE) {
		fng_observe(c, type, v);
		return FNG_RESUME_CONT;
	}
	if (v->mode == FNG_MODE_ALERT) {
		fng_report_verdict(c->t, c->tc->tid, type, c->d->name, v, FNG_ACT_ALERTED);
		return FNG_RESUME_CONT;
	}
	if (fng_would_block(c->t, c->tc->tid, type, c->d->name, v))
		return FNG_RESUME_CONT;
	if (!v->err)
		v->err = EACCES;
	if (c->t->policy->on_block == FNG_ON_BLOCK_KILL) {
		/* "on_block": "kill": the runtime ends, as FunctionShield's block did. */
		fng_report_verdict(c->t, c->tc->tid, type, c->d->name, v, FNG_ACT_KILLED);
		kill(c->tc->tgid, SIGKILL);
		if (c->t->root > 0 && !c->t->root_done)
			kill(c->t->root, SIGKILL);
		return FNG_RESUME_KILL;
	}
	if (fng_arch_skip_syscall(c->tc->tid, -v->err) < 0) {
		/* Cannot fail the call: fail closed by killing the process
		 * (after the report: the stack must still be there to read). */
		fng_report_verdict(c->t, c->tc->tid, type, c->d->name, v, FNG_ACT_KILLED);
		kill(c->tc->tgid, SIGKILL);
		return FNG_RESUME_KILL;
	}
	fng_report_verdict(c->t, c->tc->tid, type, c->d->name, v, FNG_ACT_BLOCKED);
	return FNG_RESUME_SKIP;
}
