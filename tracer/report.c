/* Filling events from the tracer side: the process section comes from
 * /proc, read only when there is something to report (on allowed calls only
 * in observe mode), through descriptors each task keeps open. */
#include "tracer/internal.h"
#include "common/util.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/procstatus.h"

/* The status and command line, through the task's kept descriptors when
 * it has them (tracee.h), else by path. 0, or < 0 when the kept ones
 * failed (then closed: the next event opens them again). */
static int read_status_cmdline(struct fng_tracer *t, pid_t tid, struct fng_proc_status *st, char *cmd,
			       size_t size, ssize_t *n)
{
	struct fng_tracee *tc = fng_tracee_find(&t->tasks, tid);
	char path[64];

	if (!tc || !fng_tracee_proc_open(&t->tasks, tc)) {
		if (fng_proc_status(tid, st) < 0)
			return -1;
		snprintf(path, sizeof(path), "/proc/%d/cmdline", tid);
		*n = fng_read_file(path, cmd, size);
		return 0;
	}
	if (fng_proc_status_fd(tc->status_fd, st) < 0 || (*n = pread(tc->cmdline_fd, cmd, size - 1, 0)) < 0) {
		fng_tracee_proc_close(&t->tasks, tc);
		return -1;
	}
	cmd[*n] = '\0';
	return 0;
}

/* The process section, read at every event (folds too: the process is
 * part of a fold's kind), never cached: uid, name, parent, program and
 * command line are the kernel's at this stop, whatever the task did since
 * (setuid, prctl, a write to its comm, an exec, a reparenting). */
static void fill_process(struct fng_tracer *t, struct fng_event *ev, pid_t tid)
{
	struct fng_proc_status st;
	char path[64];
	ssize_t n = -1;

	if (read_status_cmdline(t, tid, &st, ev->cmdline, sizeof(ev->cmdline), &n) < 0 &&
	    fng_proc_status(tid, &st) == 0) { /* the kept descriptors failed: by path */
		snprintf(path, sizeof(path), "/proc/%d/cmdline", tid);
		n = fng_read_file(path, ev->cmdline, sizeof(ev->cmdline));
	}
	if (st.tgid != -1 || st.ppid != -1 || st.name[0]) {
		ev->pid = st.tgid > 0 ? st.tgid : 0;
		ev->ppid = st.ppid > 0 ? st.ppid : 0;
		ev->uid = st.uid != (uid_t)-1 ? (int32_t)st.uid : 0;
		memcpy(ev->comm, st.name, sizeof(ev->comm));
	}
	if (!ev->pid)
		ev->pid = tid;
	snprintf(path, sizeof(path), "/proc/%d/exe", tid);
	n = n < 0 ? 0 : n;
	for (ssize_t i = 0; i < n - 1; i++)
		if (ev->cmdline[i] == '\0')
			ev->cmdline[i] = ' ';
	n = readlink(path, ev->exe, sizeof(ev->exe) - 1);
	if (n > 0)
		ev->exe[n] = '\0';
}

/* What every event of the tracer says first: its type, the phase, the call,
 * the process and the invocation. */
static void fill_header(struct fng_tracer *t, struct fng_event *ev, pid_t tid, enum fng_event_type type,
			const char *syscall)
{
	ev->type = (uint8_t)type;
	ev->fn_phase = fng_tracer_fn_phase(t);
	if (syscall)
		fng_strlcpy(ev->syscall, syscall, sizeof(ev->syscall));
	if (tid > 0)
		fill_process(t, ev, tid);
	if (t->lambda) {
		fng_init_over(t);
		fng_lambda_current(t->lambda, ev->request_id, sizeof(ev->request_id), ev->trace_id,
				   sizeof(ev->trace_id));
	}
}

struct fng_event *fng_report_begin(struct fng_tracer *t, pid_t tid, enum fng_event_type type, const char *syscall)
{
	struct fng_event *ev = fng_logger_reserve(t->logger);

	if (ev)
		fill_header(t, ev, tid, type, syscall);
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
	atomic_fetch_add(&t->counters->stacks, 1);
	*end = st->end;
	if (st->n == 0) {
		fng_stack_release(st);
		return NULL;
	}
	return st;
}

/* A repeat of an event emitted whole is folded into its kind here, before
 * the stack is captured: a fold carries no stack, so its capture would be
 * thrown away (most of what an alerted call cost). */
void fng_report_attach_stack(struct fng_tracer *t, struct fng_event *ev, pid_t tid)
{
	if (fng_logger_fold(t->logger))
		return;
	ev->stack = fng_report_stack(t, tid, &ev->stack_end);
}

void fng_report_end(struct fng_tracer *t)
{
	fng_logger_commit(t->logger);
}

struct fng_event *fng_report_begin_verdict(struct fng_tracer *t, pid_t tid, enum fng_event_type type,
					   const char *syscall, const struct fng_verdict *v, enum fng_action action)
{
	struct fng_event *ev;
	uint64_t when;

	if (action == FNG_ACT_BLOCKED || action == FNG_ACT_KILLED)
		atomic_fetch_add(&t->counters->blocked, 1);
	else if (action == FNG_ACT_ALERTED)
		atomic_fetch_add(&t->counters->alerted, 1);
	ev = fng_logger_reserve(t->logger);
	if (!ev)
		return NULL;
	/* The facts as one: v->ev holds the details and nothing else. */
	when = ev->time_ns;
	*ev = v->ev;
	ev->time_ns = when;
	fill_header(t, ev, tid, type, syscall);
	if (v->d.rule != FNG_RULE_NONE) {
		fng_strlcpy(ev->rule, fng_rule_name(v->d.rule), sizeof(ev->rule));
		fng_strlcpy(ev->mode, fng_mode_name(v->d.mode), sizeof(ev->mode));
	}
	ev->action = (uint8_t)action;
	if (action == FNG_ACT_BLOCKED)
		ev->error = v->d.err;
	fng_strlcpy(ev->path, v->path, sizeof(ev->path));
	fng_strlcpy(ev->reason, v->d.reason, sizeof(ev->reason));
	if (!ev->reason[0] && v->d.rule != FNG_RULE_NONE) /* every verdict says why */
		fng_strlcpy(ev->reason, fng_decide_rule_reason(v->d.rule), sizeof(ev->reason));
	return ev;
}

void fng_report_verdict(struct fng_tracer *t, pid_t tid, enum fng_event_type type, const char *syscall,
			const struct fng_verdict *v, enum fng_action action)
{
	struct fng_event *ev = fng_report_begin_verdict(t, tid, type, syscall, v, action);

	if (!ev)
		return;
	fng_report_attach_stack(t, ev, tid);
	fng_report_end(t);
}

void fng_report_verdict_stack(struct fng_tracer *t, pid_t tid, enum fng_event_type type, const char *syscall,
			      const struct fng_verdict *v, enum fng_action action, struct fng_stack *st,
			      uint8_t stack_end)
{
	struct fng_event *ev = fng_report_begin_verdict(t, tid, type, syscall, v, action);

	if (!ev) {
		fng_stack_release(st);
		return;
	}
	ev->stack = st;
	ev->stack_end = stack_end;
	fng_report_end(t);
}

void fng_report_killed(struct fng_tracer *t, pid_t tid, const char *syscall, const char *reason)
{
	struct fng_event *ev = fng_report_begin(t, tid, FNG_EV_PROCESS, syscall);

	if (!ev)
		return;
	ev->action = FNG_ACT_KILLED;
	fng_strlcpy(ev->reason, reason, sizeof(ev->reason));
	fng_report_end(t);
}
