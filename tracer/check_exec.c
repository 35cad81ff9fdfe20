/* create_child_process, and read_write_tmp for programs that live in the
 * temp root. The runtime's own first exec is the one exec that is allowed. */
#include "tracer/internal.h"
#include "tracer/arch.h"
#include "tracer/mem.h"
#include "logging/util.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define ARGV_MAX_ENTRIES 64

static void read_argv(pid_t tid, uint64_t argv_addr, struct fng_verdict *v)
{
	size_t used = 0;

	v->argc = 0;
	for (unsigned i = 0; i < ARGV_MAX_ENTRIES && argv_addr; i++) {
		uint64_t p;
		ssize_t n;

		if (fng_mem_read(tid, argv_addr + i * sizeof(uint64_t), &p, sizeof(p)) < 0 || p == 0)
			break;
		if (used + 1 >= sizeof(v->argv))
			break;
		n = fng_mem_read_str(tid, p, v->argv + used, sizeof(v->argv) - used);
		if (n == -EFAULT)
			break;
		if (n < 0) /* truncated: keep what fits */
			n = (ssize_t)strlen(v->argv + used);
		used += (size_t)n + 1;
		v->argc++;
	}
}

enum fng_resume fng_check_exec(struct fng_call *c)
{
	struct fng_tracer *t = c->t;
	const struct fng_syscall_desc *d = c->d;
	const struct fng_policy *p = t->policy;
	struct fng_verdict v = { .rule = FNG_RULE_NONE };
	char raw[FNG_PATH_BUF];
	uint64_t flags = d->flags == FNG_NOARG ? 0 : c->args[d->flags];
	struct fng_path_req req = {
		.tid = c->tc->tid,
		.tgid = c->tc->tgid,
		.dirfd = d->dirfd == FNG_NOARG ? AT_FDCWD : (int)c->args[d->dirfd],
		.path = raw,
		.follow_last = !(flags & AT_SYMLINK_NOFOLLOW),
		.empty_path = d->empty_path_ok && (flags & AT_EMPTY_PATH),
		.root = t->root_path,
	};
	ssize_t n;
	int r;

	if (!t->runtime_started && c->tc->tgid == t->root)
		return FNG_RESUME_CONT; /* the runtime itself starting */

	n = fng_mem_read_str(c->tc->tid, c->args[d->path], raw, sizeof(raw));
	if (n < 0)
		return fng_fail_call(c, n);
	r = fng_path_resolve(&req, v.path, sizeof(v.path));
	if (r < 0)
		fng_strlcpy(v.path, raw, sizeof(v.path));

	if (p->mode[FNG_RULE_CHILD] != FNG_MODE_ALLOW)
		fng_verdict_take(&v, FNG_RULE_CHILD, p->mode[FNG_RULE_CHILD], NULL);
	if (p->mode[FNG_RULE_TMP] != FNG_MODE_ALLOW && r == 0 && fng_in_tmp(t, v.path)) {
		fng_verdict_take(&v, FNG_RULE_TMP, p->mode[FNG_RULE_TMP], NULL);
		snprintf(v.reason, sizeof(v.reason), "program lives in the temp root");
	}
	if (v.rule == FNG_RULE_NONE)
		return FNG_RESUME_CONT;
	read_argv(c->tc->tid, c->args[d->kind == FNG_SC_EXEC && d->dirfd != FNG_NOARG ? 2 : 1], &v);
	return fng_enforce(c, FNG_EV_PROCESS, &v);
}

/* At PTRACE_EVENT_EXEC: the new image is in place and has not run yet. What
 * the kernel really executed is checked here, so a path swapped by a racing
 * thread after the seccomp stop still cannot run a program from the temp root. */
void fng_verify_exec(struct fng_tracer *t, struct fng_tracee *tc)
{
	struct fng_verdict v = { .rule = FNG_RULE_NONE };
	enum fng_mode mode = t->policy->mode[FNG_RULE_TMP];
	char link[64];
	ssize_t n;

	if (!t->runtime_started) {
		if (tc->tgid == t->root)
			t->runtime_started = true;
		return;
	}
	if (mode == FNG_MODE_ALLOW)
		return;
	snprintf(link, sizeof(link), "/proc/%d/exe", tc->tid);
	n = readlink(link, v.path, sizeof(v.path) - 1);
	if (n <= 0)
		return;
	v.path[n] = '\0';
	if (!fng_in_tmp(t, v.path))
		return;
	v.rule = FNG_RULE_TMP;
	v.mode = mode;
	snprintf(v.reason, sizeof(v.reason), "executed a program from the temp root after the check (racing thread)");
	if (mode == FNG_MODE_ALERT) {
		fng_report_verdict(t, tc->tid, FNG_EV_PROCESS, "execve", &v, FNG_ACT_ALERTED);
		return;
	}
	kill(tc->tgid, SIGKILL);
	fng_report_verdict(t, tc->tid, FNG_EV_PROCESS, "execve", &v, FNG_ACT_KILLED);
}
