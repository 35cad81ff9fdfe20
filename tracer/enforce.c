/* Applying verdicts at a seccomp stop: a call let through is reported in
 * observe mode, an alert is reported, a block fails the call (or kills the
 * process when the call cannot be failed: fail closed), and without
 * enforcement a block is reported as what the policy would do. */
#include "tracer/internal.h"
#include "tracer/arch.h"

#include "common/util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

void fng_observe(struct fng_call *c, enum fng_event_type type, const struct fng_verdict *v)
{
	struct fng_event *ev;

	if (!c->t->observe)
		return;
	ev = fng_report_begin_verdict(c->t, c->tc->tid, type, c->d->name, v, FNG_ACT_ALLOWED);
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
	ev = fng_report_begin_verdict(t, tid, type, syscall, v, FNG_ACT_ALLOWED);
	if (!ev)
		return true;
	ev->would = FNG_ACT_BLOCKED;
	fng_report_attach_stack(t, ev, tid);
	fng_report_end(t);
	return true;
}

enum fng_resume fng_fail_call(struct fng_call *c, long ret)
{
	if (fng_arch_skip_syscall(c->tc->tid, ret) == 0)
		return FNG_RESUME_SKIP;
	/* The call can be neither failed nor answered: it must not run as it
	 * is (fail closed). Usually the task is gone already. */
	fng_report_killed(c->t, c->tc->tid, c->d->name, "fnguard could not fail or answer this call: the process is ended");
	kill(c->tc->tgid, SIGKILL);
	return FNG_RESUME_KILL;
}

enum fng_resume fng_enforce_unknown(struct fng_call *c, enum fng_event_type type, enum fng_rule rule, int err,
				    const char *what)
{
	struct fng_verdict v = FNG_VERDICT_NONE;
	const char *name = strerrorname_np(-err);

	if (err == -EBADF)
		return fng_fail_call(c, -EBADF);
	v.d.rule = rule;
	v.d.mode = c->t->policy->mode[rule] == FNG_MODE_ALERT ? FNG_MODE_ALERT : FNG_MODE_BLOCK;
	v.d.err = EACCES;
	snprintf(v.d.reason, sizeof(v.d.reason), "fnguard could not examine %s (%s): refused", what,
		 name ? name : "an error");
	return fng_enforce(c, type, &v);
}

enum fng_resume fng_fail_or_refuse(struct fng_call *c, enum fng_event_type type, enum fng_rule rule, int err,
				   const char *what)
{
	/* fnguard's own shortage, not the kernel's answer: said in an event */
	if (err == -ENOMEM || err == -EMFILE || err == -ENFILE)
		return fng_enforce_unknown(c, type, rule, err, what);
	return fng_fail_call(c, err);
}

enum fng_resume fng_enforce(struct fng_call *c, enum fng_event_type type, struct fng_verdict *v)
{
	if (v->d.rule == FNG_RULE_NONE) {
		fng_observe(c, type, v);
		return FNG_RESUME_CONT;
	}
	if (v->d.mode == FNG_MODE_ALERT) {
		fng_report_verdict(c->t, c->tc->tid, type, c->d->name, v, FNG_ACT_ALERTED);
		return FNG_RESUME_CONT;
	}
	if (fng_would_block(c->t, c->tc->tid, type, c->d->name, v))
		return FNG_RESUME_CONT;
	if (!v->d.err)
		v->d.err = EACCES;
	if (c->t->policy->on_block == FNG_ON_BLOCK_KILL) {
		/* "on_block": "kill": the runtime ends, as FunctionShield's block did. */
		fng_report_verdict(c->t, c->tc->tid, type, c->d->name, v, FNG_ACT_KILLED);
		kill(c->tc->tgid, SIGKILL);
		if (c->t->root > 0 && !c->t->root_done)
			kill(c->t->root, SIGKILL);
		return FNG_RESUME_KILL;
	}
	if (fng_arch_skip_syscall(c->tc->tid, -v->d.err) < 0) {
		/* Cannot fail the call: fail closed by killing the process
		 * (after the report: the stack must still be there to read). */
		fng_report_verdict(c->t, c->tc->tid, type, c->d->name, v, FNG_ACT_KILLED);
		kill(c->tc->tgid, SIGKILL);
		return FNG_RESUME_KILL;
	}
	fng_report_verdict(c->t, c->tc->tid, type, c->d->name, v, FNG_ACT_BLOCKED);
	return FNG_RESUME_SKIP;
}

enum fng_resume fng_undo_by_close(struct fng_tracer *t, struct fng_tracee *tc, int fd, enum fng_event_type type,
				  const char *syscall, struct fng_verdict *v)
{
	if (fng_arch_inject_close(tc->tid, fd, &tc->saved_regs) < 0) {
		kill(tc->tgid, SIGKILL);
		fng_report_verdict(t, tc->tid, type, syscall, v, FNG_ACT_KILLED);
		return FNG_RESUME_KILL;
	}
	tc->pending = FNG_PENDING_INJECT_ENTRY;
	tc->inject_fd = fd;
	tc->inject_ret = -v->d.err;
	fng_report_verdict(t, tc->tid, type, syscall, v, FNG_ACT_BLOCKED);
	return FNG_RESUME_SYSCALL;
}
