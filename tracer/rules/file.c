/* read_write_tmp, read_handler and the allowlist on calls that name files.
 * The path is read and resolved in the tracee's context at the seccomp stop,
 * where it lies is found out (places.c), and fng_decide_file (policy/decide.h)
 * says what that means. What an open really returned is checked again at its
 * exit stop and undone if it breaks the policy (the buffer or a symlink may
 * have changed in between). */
#include "tracer/internal.h"
#include "tracer/arch.h"
#include "tracer/mem.h"
#include "tracer/sock.h"
#include "common/util.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <signal.h>

static bool is_open_kind(enum fng_sc_kind k)
{
	return k == FNG_SC_OPEN || k == FNG_SC_CREAT || k == FNG_SC_OPENAT2;
}

/* details.access of an open with these flags (FNG_ACCESS_*). */
static uint8_t open_access(uint64_t flags)
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

static bool follows(enum fng_follow f, uint64_t flags, uint32_t bit)
{
	switch (f) {
	case FNG_FOLLOW: return true;
	case FNG_NOFOLLOW: return false;
	case FNG_FOLLOW_UNLESS_FLAG: return !(flags & bit);
	case FNG_NOFOLLOW_UNLESS_FLAG: return flags & bit;
	}
	return true;
}

/* Read and resolve one path argument. 0, or -errno the call fails with. */
static int resolve_arg(struct fng_call *c, int dirfd_idx, int path_idx, bool follow, bool empty_ok, bool in_root,
		       char *out, size_t outsz)
{
	char raw[FNG_PATH_BUF];
	struct fng_path_req req = {
		.tid = c->tc->tid,
		.tgid = c->tc->tgid,
		.dirfd = dirfd_idx == FNG_NOARG ? AT_FDCWD : (int)c->args[dirfd_idx],
		.path = raw,
		.follow_last = follow,
		.empty_path = empty_ok,
		.in_root = in_root,
		.root = c->t->root_path,
		.names = &c->t->names,
	};

	if (c->args[path_idx] == 0 && empty_ok) {
		raw[0] = '\0';
	} else {
		ssize_t n = fng_mem_read_str(c->tc->tid, c->args[path_idx], raw, sizeof(raw));
		if (n < 0)
			return (int)n;
	}
	return fng_path_resolve(&req, out, outsz);
}

static int open_flags(struct fng_call *c, uint64_t *flags, bool *in_root)
{
	*in_root = false;
	switch (c->d->kind) {
	case FNG_SC_OPEN:
		*flags = c->args[c->d->flags];
		return 0;
	case FNG_SC_CREAT:
		*flags = O_CREAT | O_WRONLY | O_TRUNC;
		return 0;
	case FNG_SC_OPENAT2: {
		struct open_how how;
		if (c->args[3] < sizeof(how))
			return -EINVAL;
		if (fng_mem_read(c->tc->tid, c->args[2], &how, sizeof(how)) < 0)
			return -EFAULT;
		*flags = how.flags;
		*in_root = how.resolve & RESOLVE_IN_ROOT;
		return 0;
	}
	default:
		*flags = c->d->flags == FNG_NOARG ? 0 : c->args[c->d->flags];
		return 0;
	}
}

/* The facts about one resolved path, as the policy needs them. */
static struct fng_file_facts path_facts(const struct fng_decide_ctx *x, struct fng_tracer *t, const char *path,
					bool open, bool write)
{
	struct fng_file_facts f = { .path = path, .write = write };

	f.in_tmp = x->policy->mode[FNG_RULE_TMP] != FNG_MODE_ALLOW && fng_place_in_tmp(t, path);
	f.handler = open && fng_decide_handler_armed(x) && fng_place_is_handler(t, path);
	return f;
}

/* An open that could wait for a peer: one of an existing FIFO, neither
 * O_NONBLOCK nor O_RDWR (Linux opens a FIFO for both without waiting). Held,
 * it might wait for ever for a peer that is held; let run unheld, another
 * task could flip its path after the check and use the descriptor before
 * the exit stop undoes it (outside attack round 7). So it is refused. */
static bool fifo_open_may_wait(struct fng_tracer *t, const char *path, uint64_t flags)
{
	struct stat st;

	if ((flags & (O_PATH | O_NONBLOCK)) || (flags & O_ACCMODE) == O_RDWR)
		return false;
	return fng_namecache_stat(&t->names, path, &st) == 0 && S_ISFIFO(st.st_mode);
}

#define FIFO_WAIT_REASON \
	"an open of a FIFO that could wait for a peer while other tasks run cannot be checked race-free (open it O_RDWR or O_NONBLOCK)"

/* Refuse such an open, in the name of the rule that would undo it
 * (open_may_undo; the temp root's when it names none). */
static enum fng_resume refuse_fifo_wait(struct fng_call *c, enum fng_rule rule, struct fng_verdict *v)
{
	v->d.rule = rule == FNG_RULE_NONE ? FNG_RULE_TMP : rule;
	v->d.mode = FNG_MODE_BLOCK;
	v->d.err = EACCES;
	fng_strlcpy(v->d.reason, FIFO_WAIT_REASON, sizeof(v->d.reason));
	return fng_enforce(c, FNG_EV_FILE, v);
}

/* Writes no rule names but fnguard refuses: a process's memory
 * (executable_memory: block) and, for a root runtime, the kernel's settings.
 * Does this policy watch them at all? */
static bool watches_writes(const struct fng_tracer *t)
{
	return t->written->exec_mem_block || t->root_runtime;
}

/* The reason when path (fd_link: what a descriptor opened) is such a place. */
static const char *forbidden_write(const struct fng_tracer *t, pid_t tid, const char *path, const char *fd_link)
{
	if (t->written->exec_mem_block && fng_place_proc_mem(tid, path, fd_link))
		return FNG_PROCMEM_REASON;
	if (t->root_runtime && fng_place_kernel_config(tid, path, fd_link))
		return FNG_KCONFIG_REASON;
	return NULL;
}

/* Must what an open returned be checked at its exit stop (when a racer is
 * possible)? Not for the temp root while the kernel enforces it (Landlock
 * decides on the object it opened), except O_PATH, which Landlock does not
 * judge; still for the handler and the allowlist, which it does not know. */
static bool open_needs_exit(const struct fng_tracer *t, const struct fng_decide_ctx *x, uint64_t flags)
{
	if (fng_decide_handler_armed(x) || x->policy->allow)
		return true;
	if (watches_writes(t) && fng_decide_open_writes(flags))
		return true; /* /proc/PID/mem, the kernel's settings */
	if (x->policy->mode[FNG_RULE_TMP] == FNG_MODE_ALLOW)
		return false;
	return !t->kernel_tmp || (flags & O_PATH);
}

/* Would a refused open be undone at its exit stop (a rule that checks it
 * there blocks)? Then no other task may run between the open and that check:
 * the kernel installs the descriptor before the stop (undo_window). The rule
 * that would undo it, FNG_RULE_NONE for a forbidden write (/proc/PID/mem, a
 * kernel setting through a sibling's descriptor), which names no rule; false
 * when nothing would. */
static bool open_may_undo(const struct fng_tracer *t, const struct fng_decide_ctx *x, uint64_t flags,
			  enum fng_rule *rule)
{
	const struct fng_policy *p = x->policy;

	*rule = FNG_RULE_NONE;
	if (fng_decide_handler_armed(x) && p->mode[FNG_RULE_HANDLER] == FNG_MODE_BLOCK)
		*rule = FNG_RULE_HANDLER;
	else if (p->allow && p->mode[FNG_RULE_ALLOWLIST] == FNG_MODE_BLOCK)
		*rule = FNG_RULE_ALLOWLIST;
	else if (watches_writes(t) && fng_decide_open_writes(flags))
		return true;
	else if (p->mode[FNG_RULE_TMP] == FNG_MODE_BLOCK && (!t->kernel_tmp || (flags & O_PATH)))
		*rule = FNG_RULE_TMP;
	return *rule != FNG_RULE_NONE;
}

static enum fng_resume judge_file(struct fng_call *c, bool held)
{
	const struct fng_syscall_desc *d = c->d;
	struct fng_tracer *t = c->t;
	struct fng_decide_ctx x = fng_tracer_ctx(t);
	struct fng_verdict v = FNG_VERDICT_NONE;
	struct fng_file_facts f;
	bool in_root, follow, empty, write, open = is_open_kind(d->kind);
	enum fng_rule undo;
	const char *why;
	uint64_t flags;
	int r;

	/* An argument fnguard cannot read or resolve is a deny, never an allow;
	 * the kernel would have failed the same way. */
	r = open_flags(c, &flags, &in_root);
	if (r < 0)
		return fng_fail_or_refuse(c, FNG_EV_FILE, FNG_RULE_TMP, r, "the path");
	if (open)
		follow = !(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL));
	else
		follow = follows(d->follow, flags, d->flag_bit);
	empty = d->empty_path_ok && ((flags & AT_EMPTY_PATH) || c->args[d->path] == 0);

	r = resolve_arg(c, d->dirfd, d->path, follow, empty, in_root, v.path, sizeof(v.path));
	if (r < 0)
		return fng_fail_or_refuse(c, FNG_EV_FILE, FNG_RULE_TMP, r, "the path");
	if (fng_place_guarded(t, v.path))
		return fng_check_denied(c, EACCES, FNG_GUARD_PROC_REASON);
	/* The allowlist: opens by their flags; everything else changes the file. */
	write = !open || fng_decide_open_writes(flags);
	if (open && write && (why = forbidden_write(t, c->tc->tid, v.path, NULL)))
		return fng_check_denied(c, EACCES, why);
	f = path_facts(&x, t, v.path, open, write);
	fng_decide_file(&x, &f, &v.d);
	if (v.d.rule == FNG_RULE_TMP && d->kind != FNG_SC_TWO_PATHS) {
		/* The JVM's perf-data file (policy/jvmperf.h). */
		enum fng_jvmperf_verdict jv = fng_jvmperf_check(c, v.path, flags);
		if (jv == FNG_JVMPERF_QUIET && fng_enforcing(t))
			return fng_fail_call(c, -EACCES);
		/* its own file made fresh: O_TRUNC added in the flags register
		 * (openat2's flags are in memory: the rule applies) */
		if (jv == FNG_JVMPERF_FRESH &&
		    (d->kind == FNG_SC_OPENAT2 || d->flags == FNG_NOARG ||
		     fng_arch_set_arg(c->tc->tid, d->flags, flags | O_TRUNC) < 0))
			jv = FNG_JVMPERF_RULE;
		if (jv != FNG_JVMPERF_RULE)
			v.d = (struct fng_decision){ .rule = FNG_RULE_NONE };
	}
	if (d->kind == FNG_SC_TWO_PATHS) {
		char second[FNG_PATH_BUF];
		r = resolve_arg(c, d->dirfd2, d->path2, follows(d->follow2, flags, d->flag_bit), false, false, second,
				sizeof(second));
		if (r < 0)
			return fng_fail_or_refuse(c, FNG_EV_FILE, FNG_RULE_TMP, r, "the path");
		fng_strlcpy(v.ev.path2, second, sizeof(v.ev.path2));
		f = path_facts(&x, t, second, false, true);
		f.named = true;
		fng_decide_file(&x, &f, &v.d);
	}
	if (t->observe && open)
		v.ev.access = open_access(flags);
	if (v.d.rule != FNG_RULE_NONE)
		return fng_enforce(c, FNG_EV_FILE, &v);
	fng_observe(c, FNG_EV_FILE, &v);

	/* What an open really opened is checked at its exit stop whenever
	 * something could race this check: the path buffer may sit in memory
	 * another task writes (a thread, MAP_SHARED, a file mapping), or a
	 * symlink may be swapped on disk after it. Observing without enforcing,
	 * there is nothing to undo. */
	if (held && open && fifo_open_may_wait(t, v.path, flags)) {
		(void)open_may_undo(t, &x, flags, &undo);
		return refuse_fifo_wait(c, undo, &v);
	}
	if (open && open_needs_exit(t, &x, flags) && fng_enforcing(t) && fng_racers_possible(t)) {
		c->tc->pending_write = write;
		c->tc->pending_desc = (uint16_t)c->desc_index;
		if (held) { /* checked at the exit stop, the others still held (loop.c) */
			c->tc->held_open = FNG_HELD_VERIFY;
			return FNG_RESUME_CONT;
		}
		c->tc->pending = FNG_PENDING_OPEN;
		return FNG_RESUME_SYSCALL;
	}
	return FNG_RESUME_CONT;
}

/* Must the other tasks be held while this call is checked and made?
 * (fng_hold_wanted, hold.c) */
static bool needs_hold(struct fng_call *c)
{
	const struct fng_policy *p = c->t->policy;
	struct fng_decide_ctx x = fng_tracer_ctx(c->t);
	uint64_t flags = c->d->flags == FNG_NOARG ? 0 : c->args[c->d->flags];
	enum fng_rule undo;
	struct fng_hold_facts f = {
		.kind = c->d->kind,
		.name = c->d->name,
		.flags = flags,
		.judged = p->mode[FNG_RULE_TMP] != FNG_MODE_ALLOW || p->allow,
		.allowlist = p->allow != NULL,
		.kernel_tmp = c->t->kernel_tmp,
		.racers = fng_enforcing(c->t) && fng_racers_possible(c->t),
		.open_checked = is_open_kind(c->d->kind) && open_may_undo(c->t, &x, flags, &undo),
		.others = c->t->tasks.count > 1,
	};

	return fng_hold_wanted(&f);
}

/* A call that removes or replaces names (unlink, rmdir, rename, link) is
 * about to run: what the name cache knows may stop being true. Calls that
 * only create a name fail if it exists, so nothing known goes stale. A lone
 * task's call is over before its next one; beside other tasks, nothing is
 * learnt until its exit stop. */
static enum fng_resume names_change(struct fng_call *c)
{
	struct fng_namecache *nc = &c->t->names;

	if (!nc->enabled)
		return FNG_RESUME_CONT;
	if (!fng_racers_possible(c->t)) {
		fng_namecache_forget(nc);
		return FNG_RESUME_CONT;
	}
	fng_namecache_begin_change(nc);
	c->tc->pending = FNG_PENDING_NAMES;
	return FNG_RESUME_SYSCALL;
}

/* The call runs while every other task is held: checked with nobody able
 * to change its path, made before anybody can. */
static enum fng_resume check_held(struct fng_call *c, enum fng_resume (*judge)(struct fng_call *, bool))
{
	enum fng_resume how;

	if (fng_hold_begin(c->t, c->tc) < 0) {
		fng_hold_end(c->t);
		return fng_enforce_unknown(c, FNG_EV_FILE, FNG_RULE_TMP, -ENOMEM, "the other tasks (hold)");
	}
	how = judge(c, true);
	if (how != FNG_RESUME_CONT || !c->t->hold.by) {
		fng_hold_end(c->t); /* refused */
		return how;
	}
	if (c->d->kind == FNG_SC_UNNAME || c->d->kind == FNG_SC_TWO_PATHS)
		fng_namecache_forget(&c->t->names); /* nobody else walks until it is over */
	c->tc->pending = FNG_PENDING_HOLD;
	return FNG_RESUME_SYSCALL;
}

enum fng_resume fng_check_file(struct fng_call *c)
{
	enum fng_resume how;

	if (needs_hold(c))
		return check_held(c, judge_file);
	how = judge_file(c, false);

	if (how == FNG_RESUME_CONT && (c->d->kind == FNG_SC_UNNAME || c->d->kind == FNG_SC_TWO_PATHS))
		return names_change(c);
	return how;
}

/* What an open returned breaks the policy: said (alert), or undone. */
static enum fng_resume refuse_opened(struct fng_tracer *t, struct fng_tracee *tc, long ret, const char *syscall,
				     struct fng_verdict *v)
{
	if (v->d.mode == FNG_MODE_ALERT) {
		fng_report_verdict(t, tc->tid, FNG_EV_FILE, syscall, v, FNG_ACT_ALERTED);
		return FNG_RESUME_CONT;
	}
	v->d.err = EACCES;
	return fng_undo_by_close(t, tc, (int)ret, FNG_EV_FILE, syscall, v);
}

enum fng_resume fng_verify_open(struct fng_tracer *t, struct fng_tracee *tc, long ret)
{
	const struct fng_syscall_desc *d = &fng_syscalls[tc->pending_desc];
	struct fng_verdict v = FNG_VERDICT_NONE;
	struct fng_decide_ctx x;
	struct fng_file_facts f;
	char link[64];
	const char *why;
	struct stat st;
	bool guard;
	int r;

	tc->pending = FNG_PENDING_NONE;
	if (ret < 0)
		return FNG_RESUME_CONT;
	r = fng_path_of_fd(tc->tid, (int)ret, v.path, sizeof(v.path));
	if (r == -ENOENT)
		return FNG_RESUME_CONT; /* fd already gone: closed by another thread */
	if (r < 0) {
		/* Fail closed: what was opened cannot be named (too long, no memory). */
		const char *e = strerrorname_np(-r);
		v.d.rule = FNG_RULE_TMP;
		v.d.mode = t->policy->mode[FNG_RULE_TMP] == FNG_MODE_ALERT ? FNG_MODE_ALERT : FNG_MODE_BLOCK;
		snprintf(v.d.reason, sizeof(v.d.reason), "fnguard could not examine what was opened (%s): refused",
			 e ? e : "an error");
		return refuse_opened(t, tc, ret, d->name, &v);
	}
	guard = fng_place_guarded(t, v.path);
	snprintf(link, sizeof(link), "/proc/%d/fd/%ld", tc->tid, ret);
	if (tc->pending_write && (why = forbidden_write(t, tc->tid, v.path, link))) {
		v.d.rule = FNG_RULE_NONE;
		v.d.mode = FNG_MODE_BLOCK;
		snprintf(v.d.reason, sizeof(v.d.reason), "%s", why);
		return refuse_opened(t, tc, ret, d->name, &v);
	}
	x = fng_tracer_ctx(t);
	f = (struct fng_file_facts){ .path = v.path, .write = tc->pending_write, .opened = true };
	f.in_tmp = x.policy->mode[FNG_RULE_TMP] != FNG_MODE_ALLOW && fng_place_in_tmp(t, v.path);
	/* What cannot be stat'ed (but is still open) counts as the handler. */
	f.handler = fng_decide_handler_armed(&x) &&
		    (stat(link, &st) == 0 ? fng_place_handler_object(t, &st, v.path) : errno != ENOENT);
	fng_decide_file(&x, &f, &v.d);
	if (v.d.rule == FNG_RULE_TMP && fng_jvmperf_opened(t, tc, v.path))
		v.d = (struct fng_decision){ .rule = FNG_RULE_NONE }; /* the JVM's perf-data file */
	if (guard) {
		v.d.rule = FNG_RULE_NONE;
		v.d.mode = FNG_MODE_BLOCK;
		snprintf(v.d.reason, sizeof(v.d.reason), "%s", FNG_GUARD_PROC_REASON);
	} else if (v.d.rule == FNG_RULE_NONE) {
		return FNG_RESUME_CONT;
	} else {
		snprintf(v.d.reason, sizeof(v.d.reason), "what was opened differs from what was checked (racing writer)");
	}
	return refuse_opened(t, tc, ret, d->name, &v);
}

static int read_unix_path(pid_t tid, uint64_t addr, uint64_t len, char path[FNG_UNIX_PATH_BUF])
{
	struct sockaddr_un sun;

	path[0] = '\0';
	if (len < offsetof(struct sockaddr_un, sun_path) || len > sizeof(sun))
		return -EINVAL;
	if (fng_mem_read(tid, addr, &sun, len) < 0)
		return -EFAULT;
	return fng_sock_unix_path(&sun, (size_t)len, path);
}

/* An AF_UNIX bind creates a file: read_write_tmp judges where. What cannot
 * be read or resolved fails the call, as the kernel would, with no window
 * for another thread to change what the kernel then reads. */
static enum fng_resume judge_bind(struct fng_call *c, bool held)
{
	char path[FNG_UNIX_PATH_BUF];
	struct fng_verdict v = FNG_VERDICT_NONE;
	struct fng_decide_ctx x = fng_tracer_ctx(c->t);
	struct fng_path_req req = { .tid = c->tc->tid, .tgid = c->tc->tgid, .dirfd = AT_FDCWD, .root = c->t->root_path,
				    .names = &c->t->names, .path = path };
	autosock struct fng_sock s = { .fd = -1 };
	int r = fng_sock_get(c->tc->tgid, (int)c->args[0], &s);

	if (r < 0)
		return fng_enforce_unknown(c, FNG_EV_FILE, FNG_RULE_TMP, r, "the socket");
	if (s.domain != AF_UNIX)
		return FNG_RESUME_CONT; /* an IP bind makes no file */
	r = read_unix_path(c->tc->tid, c->args[1], c->args[2], path);
	if (r < 0)
		return fng_fail_or_refuse(c, FNG_EV_FILE, FNG_RULE_TMP, r, "the path");
	if (!path[0])
		return FNG_RESUME_CONT;
	r = fng_path_resolve(&req, v.path, sizeof(v.path));
	if (r < 0)
		return fng_fail_or_refuse(c, FNG_EV_FILE, FNG_RULE_TMP, r, "the path");
	if (!fng_place_in_tmp(c->t, v.path))
		return FNG_RESUME_CONT;
	(void)held;
	fng_decide_bind(&x, &v.d);
	return fng_enforce(c, FNG_EV_FILE, &v);
}

/* The socket file's path is read by the kernel from the sockaddr again:
 * held like the other path calls unless Landlock refuses the temp root. */
enum fng_resume fng_check_bind(struct fng_call *c)
{
	struct fng_tracer *t = c->t;

	if (!t->kernel_tmp && fng_enforcing(t) && fng_racers_possible(t))
		return check_held(c, judge_bind);
	return judge_bind(c, false);
}
