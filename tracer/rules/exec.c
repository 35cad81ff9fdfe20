/* create_child_process, and read_write_tmp for programs that live in the
 * temp root. The runtime's own first exec is the one exec that is allowed,
 * besides the policy's exceptions (paths and build-ids).
 *
 * Exec events say what ran: a refused exec is described at its seccomp stop
 * from the file at the resolved path; an alerted one is reported at its
 * exec stop, from /proc/TID/exe, the file the kernel really mapped (with
 * the stack captured at the seccomp stop, while it still existed). An exec
 * let through as an exception is checked again at its exec stop, because a
 * racing thread can change the path after the check.
 *
 * What the policy says about an exec is fng_decide_exec's (policy/decide.h);
 * this file gathers its facts and applies the verdict. */
#include "tracer/internal.h"
#include "tracer/arch.h"
#include "tracer/mem.h"
#include "common/util.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define AT_EXECFN_TYPE 31	/* auxv: the file name execve was given */

static void read_argv(pid_t tid, uint64_t argv_addr, struct fng_verdict *v)
{
	bool whole;
	unsigned argc;

	fng_mem_read_argv(tid, argv_addr, v->ev.argv, sizeof(v->ev.argv), &argc, &whole);
	v->ev.argc = argc;
}

/* execve's argv is its second argument, execveat's its third. */
static void read_call_argv(const struct fng_call *c, struct fng_verdict *v)
{
	read_argv(c->tc->tid, c->args[c->d->dirfd != FNG_NOARG ? 2 : 1], v);
}

/* The name the kernel gives the new image (bprm->filename, AT_EXECFN):
 * the path as passed, or /dev/fd/N[/path] for a descriptor-relative execveat. */
static void kernel_filename(const struct fng_call *c, const char *raw, char *out, size_t n)
{
	int dirfd = c->d->dirfd == FNG_NOARG ? AT_FDCWD : (int)c->args[c->d->dirfd];

	if (dirfd == AT_FDCWD || raw[0] == '/')
		fng_strlcpy(out, raw, n);
	else if (raw[0] == '\0')
		snprintf(out, n, "/dev/fd/%d", dirfd);
	else
		snprintf(out, n, "/dev/fd/%d/%s", dirfd, raw);
}

static struct fng_exec_pending *pending(struct fng_tracee *tc)
{
	fng_tracee_exec_free(tc->exec);
	tc->exec = calloc(1, sizeof(*tc->exec));
	return tc->exec;
}

/* The program an exec names, resolved in the tracee's context: 0, or the
 * resolver's -errno (path is then the name as passed). */
static int resolve_program(const struct fng_call *c, const char *raw, char *path, size_t n)
{
	const struct fng_syscall_desc *d = c->d;
	uint64_t flags = d->flags == FNG_NOARG ? 0 : c->args[d->flags];
	struct fng_path_req req = {
		.tid = c->tc->tid,
		.tgid = c->tc->tgid,
		.dirfd = d->dirfd == FNG_NOARG ? AT_FDCWD : (int)c->args[d->dirfd],
		.path = raw,
		.follow_last = !(flags & AT_SYMLINK_NOFOLLOW),
		.empty_path = d->empty_path_ok && (flags & AT_EMPTY_PATH),
		.root = c->t->root_path,
		.names = &c->t->names,
	};
	int r = fng_path_resolve(&req, path, n);

	if (r < 0)
		fng_strlcpy(path, raw, n);
	return r;
}

/* Is the program missing, as the kernel would find it: -ENOENT or
 * -ENOTDIR, else 0. path is resolved (symlinks followed, a missing part
 * appended as written); it is looked up in the tracee's own root. */
static int program_missing(pid_t tid, const char *path)
{
	char where[FNG_PATH_BUF + 32];
	struct stat st;

	if (path[0] != '/')
		return 0;
	snprintf(where, sizeof(where), "/proc/%d/root%s", tid, path);
	if (lstat(where, &st) == 0)
		return 0;
	return errno == ENOENT || errno == ENOTDIR ? -errno : 0;
}

/* Alerted, or let through as an exception or by the allowlist: the rest
 * happens at the exec stop, or at the exit stop if the exec fails. */
static enum fng_resume hold(struct fng_call *c, struct fng_verdict *v, const struct fng_exec_target *x,
			    const char *raw, bool excepted, bool verify_allow)
{
	struct fng_exec_pending *pend = pending(c->tc);

	if (!pend)
		return fng_enforce_unknown(c, FNG_EV_PROCESS, FNG_RULE_CHILD, -ENOMEM, "the program");
	if (v->d.rule != FNG_RULE_NONE) {
		v->ev.image = x->image;
		read_call_argv(c, v);
		pend->alert = true;
		pend->v = *v;
		pend->syscall = c->d->name;
		pend->stack = fng_report_stack(c->t, c->tc->tid, &pend->stack_end);
	}
	if (excepted || verify_allow) {
		pend->verify = excepted;
		pend->verify_allow = verify_allow;
		pend->script = x->script && x->have_elf;
		pend->interp = x->elf;
		kernel_filename(c, raw, pend->filename, sizeof(pend->filename));
	}
	c->tc->pending = FNG_PENDING_EXEC;
	return FNG_RESUME_SYSCALL;
}

/* Apply what was decided on an exec: observe, refuse, or hold for the exec stop. */
static enum fng_resume act(struct fng_call *c, struct fng_verdict *v, const struct fng_exec_target *x,
			   const char *raw, bool excepted, bool verify_allow)
{
	if (v->d.rule == FNG_RULE_NONE) { /* allowed, or an exception: observe mode says so */
		if (c->t->observe) {
			v->ev.image = x->image;
			if (excepted)
				snprintf(v->d.reason, sizeof(v->d.reason), "an exception of create_child_process");
			read_call_argv(c, v);
			fng_observe(c, FNG_EV_PROCESS, v);
		}
		if (!excepted && !verify_allow)
			return FNG_RESUME_CONT;
	}
	if (v->d.rule != FNG_RULE_NONE && v->d.mode != FNG_MODE_ALERT) {
		v->ev.image = x->image;
		read_call_argv(c, v);
		return fng_enforce(c, FNG_EV_PROCESS, v);
	}
	return hold(c, v, x, raw, excepted, verify_allow);
}

/* A hash of the exec's basename and argv: consecutive refused execs of one
 * task with the same one are a PATH search (execvp trying each directory),
 * reported once. Only the event is spared: each exec is still refused. */
static uint64_t search_hash(const struct fng_call *c, const char *raw)
{
	char argv[FNG_EV_ARGV_MAX];
	const char *base = strrchr(raw, '/');
	unsigned argc;
	bool whole;
	size_t n = fng_mem_read_argv(c->tc->tid, c->args[c->d->dirfd != FNG_NOARG ? 2 : 1], argv, sizeof(argv),
				      &argc, &whole);
	uint64_t h = fng_hash64(FNG_HASH64_INIT, base ? base + 1 : raw, strlen(base ? base + 1 : raw) + 1);

	h = fng_hash64(h, argv, n);
	h = fng_hash64(h, &argc, sizeof(argc));
	return fng_hash64(h, &whole, sizeof(whole));
}

/* The root's first exec starts the runtime: what it names is kept for the
 * launch (a #! script, and its interpreter). */
static enum fng_resume runtime_start(struct fng_call *c)
{
	struct fng_exec_target x;
	char raw[FNG_PATH_BUF], path[FNG_PATH_BUF];

	c->tc->launch_script = false;
	if (fng_mem_read_str(c->tc->tid, c->args[c->d->path], raw, sizeof(raw)) >= 0 &&
	    resolve_program(c, raw, path, sizeof(path)) == 0) {
		fng_exec_target_of_path(c->t, c->tc->tid, path, &x);
		fng_launch_check(c, &x);
	}
	return FNG_RESUME_CONT;
}

enum fng_resume fng_check_exec(struct fng_call *c)
{
	struct fng_tracer *t = c->t;
	struct fng_verdict v = FNG_VERDICT_NONE;
	struct fng_decide_ctx dc;
	struct fng_exec_target x;
	struct fng_exec_facts f;
	char raw[FNG_PATH_BUF];
	bool excepted, have_x, verify_allow = false, memo = c->tc->exec_memo;
	uint64_t hash;
	ssize_t n;
	int r;

	c->tc->exec_memo = false; /* kept only by a missing program or a refusal */

	if (!t->runtime_started && c->tc->tgid == t->root)
		return runtime_start(c); /* the runtime itself starting */
	n = fng_mem_read_str(c->tc->tid, c->args[c->d->path], raw, sizeof(raw));
	if (n < 0)
		return fng_fail_call(c, n);
	r = resolve_program(c, raw, v.path, sizeof(v.path));

	dc = fng_tracer_ctx(t);
	have_x = fng_decide_exec_needs_target(dc.policy) || c->tc->launch != FNG_LAUNCH_NONE;
	if (have_x)
		fng_exec_target_of_path(t, c->tc->tid, v.path, &x);
	f = (struct fng_exec_facts){ .path = v.path, .resolved = r == 0, .target = have_x ? &x : NULL,
				     .allow = t->exec_allow, .n_allow = t->n_exec_allow };
	f.in_tmp = dc.policy->mode[FNG_RULE_TMP] != FNG_MODE_ALLOW && r == 0 && fng_place_in_tmp(t, v.path);
	c->tc->launch_reexec = false;
	f.launch = have_x && r == 0 && fng_launch_check(c, &x);
	fng_decide_exec(&dc, &f, &v.d, &excepted);
	/* No such program: the call fails as the kernel would fail it, and
	 * never runs (a file made meanwhile is not executed unseen). */
	if (v.d.rule != FNG_RULE_NONE && !t->observe) {
		int missing = r == -ENOENT || r == -ENOTDIR ? r : r == 0 ? program_missing(c->tc->tid, v.path) : 0;
		if (missing) {
			c->tc->exec_memo = memo; /* one step of a PATH search */
			return fng_fail_call(c, missing);
		}
	}
	/* what the allowlist let through is checked again at the exec stop
	 * whenever a racer could have swapped the path meanwhile */
	if (dc.policy->allow)
		verify_allow = v.d.rule == FNG_RULE_NONE && r == 0 && fng_enforcing(t) && fng_racers_possible(t);

	if (v.d.rule == FNG_RULE_NONE && !excepted && !verify_allow && !t->observe)
		return FNG_RESUME_CONT;
	if (!have_x)
		fng_exec_target_of_path(t, c->tc->tid, v.path, &x);
	if (r < 0 && t->observe)
		snprintf(v.d.reason, sizeof(v.d.reason), "no such program: the call fails with %s",
			 strerrorname_np(-r) ? strerrorname_np(-r) : "an error");
	if (v.d.rule != FNG_RULE_NONE && v.d.mode != FNG_MODE_ALERT && !t->observe) {
		/* the same refused exec again: execvp trying the next directory */
		uint64_t prev = c->tc->exec_memo_hash;

		hash = search_hash(c, raw);
		c->tc->exec_memo = true;
		c->tc->exec_memo_hash = hash;
		if (memo && hash == prev)
			return fng_fail_call(c, -(v.d.err ? v.d.err : EACCES));
	}
	return act(c, &v, &x, raw, excepted, verify_allow);
}

/* Report an exec alert held since the seccomp stop. */
static void report_alert(struct fng_tracer *t, pid_t tid, struct fng_exec_pending *pend)
{
	if (!pend->alert)
		return;
	fng_report_verdict_stack(t, tid, FNG_EV_PROCESS, pend->syscall, &pend->v, FNG_ACT_ALERTED, pend->stack,
				 pend->stack_end);
	pend->stack = NULL;
	pend->alert = false;
}

/* Does the new image's AT_EXECFN name what was checked? Read before the
 * image has run a single instruction: only the kernel has written it. */
static bool execfn_is(pid_t tid, const char *want)
{
	char path[64], name[FNG_PATH_BUF];
	uint64_t auxv[128];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/auxv", tid);
	n = fng_read_file(path, (char *)auxv, sizeof(auxv));
	for (ssize_t i = 0; i + 1 < n / 8; i += 2) {
		if (auxv[i] != AT_EXECFN_TYPE)
			continue;
		return fng_mem_read_str(tid, auxv[i + 1], name, sizeof(name)) >= 0 && strcmp(name, want) == 0;
	}
	return false;
}

/* A script allowed by its own path runs as its interpreter: did the kernel
 * run that interpreter, given that very name? */
static bool ran_checked_script(pid_t tid, const struct fng_exec_pending *pend, const struct fng_exec_target *x)
{
	return pend->script && x->have_elf && x->elf.dev == pend->interp.dev && x->elf.ino == pend->interp.ino &&
	       execfn_is(tid, pend->filename);
}

/* An exception checked at the seccomp stop: is it what the kernel ran? */
static bool still_excepted(const struct fng_tracer *t, pid_t tid, const struct fng_exec_pending *pend,
			   const struct fng_exec_target *x)
{
	return fng_exec_excepted(t, x) || ran_checked_script(tid, pend, x);
}

/* The allowlist let this exec through at the seccomp stop: does it allow
 * what the kernel ran (the same script, as the interpreter checked)? */
static bool still_allowlisted(struct fng_tracer *t, pid_t tid, const struct fng_exec_pending *pend,
			      const struct fng_exec_target *x)
{
	struct fng_decide_ctx dc = fng_tracer_ctx(t);
	struct fng_decision v = { .rule = FNG_RULE_NONE };

	fng_decide_exec_allowlist(&dc, x->path, &x->image, &v);
	return v.rule == FNG_RULE_NONE || ran_checked_script(tid, pend, x);
}

/* What ran is not what the policy allows: end it (block) or say so (alert). */
static bool violation(struct fng_tracer *t, struct fng_tracee *tc, enum fng_rule rule, const struct fng_exec_target *x,
		      const char *reason)
{
	struct fng_verdict v = { .d = { .rule = rule, .mode = t->policy->mode[rule] } };

	if (!fng_enforcing(t))
		return false; /* what ran was reported at the call, with what the policy would do */
	fng_strlcpy(v.path, x->path, sizeof(v.path));
	fng_strlcpy(v.d.reason, reason, sizeof(v.d.reason));
	v.ev.image = x->image;
	if (v.d.mode == FNG_MODE_ALERT) {
		fng_report_verdict(t, tc->tid, FNG_EV_PROCESS, "execve", &v, FNG_ACT_ALERTED);
		return false;
	}
	/* The report first: the stack must still be there to read. */
	fng_report_verdict(t, tc->tid, FNG_EV_PROCESS, "execve", &v, FNG_ACT_KILLED);
	kill(tc->tgid, SIGKILL);
	return true;
}

/* Without Landlock, the kernel opens an ELF interpreter (PT_INTERP) or a
 * script's #! interpreter unseen: any file the new image maps from the temp
 * root (its path into path) ends it. true when one is, or when the maps
 * cannot be read (fail closed). */
struct tmp_map_search {
	struct fng_tracer *t;
	char *path;
	size_t n;
};

static int map_in_tmp(const struct fng_map *m, void *arg)
{
	struct tmp_map_search *q = arg;
	size_t len = strlen(m->path);

	if (m->path[0] != '/')
		return 0;
	if (len > 10 && strcmp(m->path + len - 10, " (deleted)") == 0)
		len -= 10;
	if (len >= q->n)
		return -ENAMETOOLONG;
	memcpy(q->path, m->path, len);
	q->path[len] = '\0';
	return fng_place_in_tmp(q->t, q->path) ? 1 : 0;
}

static bool image_from_tmp(struct fng_tracer *t, pid_t tid, char *path, size_t n)
{
	struct tmp_map_search q = { t, path, n };
	int r = fng_maps_each(tid, map_in_tmp, &q);

	if (r < 0)
		snprintf(path, n, "/proc/%d/maps (unreadable: %s)", tid, strerror(-r));
	return r != 0;
}

/* At PTRACE_EVENT_EXEC: the new image is in place and has not run yet. What
 * the kernel really executed is checked here, so a path swapped by a racing
 * thread after the seccomp stop still cannot run a program from the temp
 * root, nor one that is not an exception. */
void fng_verify_exec(struct fng_tracer *t, struct fng_tracee *tc)
{
	autoexec struct fng_exec_pending *pend = tc->exec;
	struct fng_exec_target x;
	char exe[FNG_PATH_BUF], path[FNG_PATH_BUF];
	bool tmp = t->policy->mode[FNG_RULE_TMP] != FNG_MODE_ALLOW, exe_in_tmp = false;

	tc->exec = NULL;
	/* Every exec, the runtime's first too: the kernel maps it unseen. */
	if (fng_verify_exec_mem(t, tc))
		return;
	fng_launch_exec_stop(t, tc);
	if (!t->runtime_started) {
		if (tc->tgid == t->root)
			t->runtime_started = true;
		return;
	}
	if (tmp) {
		fng_exec_path_of_exe(tc->tid, exe, sizeof(exe));
		exe_in_tmp = exe[0] && fng_place_in_tmp(t, exe);
	}
	/* The program itself from the temp root is said below, as such. */
	if (tmp && !t->kernel_tmp && !exe_in_tmp && image_from_tmp(t, tc->tid, path, sizeof(path))) {
		fng_exec_target_of_exe(t, tc->tid, &x);
		fng_strlcpy(x.path, path, sizeof(x.path));
		if (violation(t, tc, FNG_RULE_TMP, &x, "the new program maps code from the temp root "
						       "(its ELF or #! interpreter)"))
			return;
	}
	/* Nothing was pending for this exec: only where the program lies
	 * matters, and its identity is read only to report it. */
	if (!pend && !exe_in_tmp)
		return;
	fng_exec_target_of_exe(t, tc->tid, &x);
	if (pend && pend->alert) {
		if (pend->v.ev.image.shebang[0]) /* the script's #! line, read at the check */
			memcpy(x.image.shebang, pend->v.ev.image.shebang, sizeof(x.image.shebang));
		pend->v.ev.image = x.image;
		report_alert(t, tc->tid, pend);
	}
	if (pend && pend->verify && !still_excepted(t, tc->tid, pend, &x) &&
	    violation(t, tc, FNG_RULE_CHILD, &x, "executed a program that is not an exception, after the check (racing thread)"))
		return;
	if (pend && pend->verify_allow && !still_allowlisted(t, tc->tid, pend, &x) &&
	    violation(t, tc, FNG_RULE_ALLOWLIST, &x, "executed a program not in the allowlist, after the check (racing thread)"))
		return;
	if (tmp && x.path[0] && fng_place_in_tmp(t, x.path))
		violation(t, tc, FNG_RULE_TMP, &x, "executed a program from the temp root after the check (racing thread)");
}

void fng_exec_failed(struct fng_tracer *t, struct fng_tracee *tc, long ret)
{
	autoexec struct fng_exec_pending *pend = tc->exec;

	tc->exec = NULL;
	if (pend && pend->alert && ret < 0)
		snprintf(pend->v.d.reason, sizeof(pend->v.d.reason), "the exec failed: %s",
			 strerrorname_np((int)-ret) ? strerrorname_np((int)-ret) : "?");
	if (pend)
		report_alert(t, tc->tid, pend);
}

void fng_exec_gone(struct fng_tracer *t, struct fng_tracee *tc)
{
	autoexec struct fng_exec_pending *pend = tc->exec;

	tc->exec = NULL;
	if (pend)
		report_alert(t, 0, pend); /* no process section: the task is gone */
}
