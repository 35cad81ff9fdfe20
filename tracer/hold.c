/* Holding the traced tree still while one task's path call is checked and
 * made (hold.h in internal.h): every other traced task is brought to a
 * ptrace stop (PTRACE_INTERRUPT) before the path is read, and stays there
 * until the call's exit stop. With nobody else running, nothing in the tree
 * can rewrite the path buffer or swap a symlink between fnguard's check and
 * the kernel's own lookup: what fnguard judged is what the kernel does.
 *
 * A stop a held task reports (the interrupt's, or one it was already in)
 * is kept and handled by the loop once the hold ends, as if it had just
 * arrived. Tasks that cannot run user code before they stop are not waited
 * for: a leader whose threads live on, a vfork parent waiting for its
 * child, an exec waiting for its other threads to go. */
#include "tracer/internal.h"
#include "common/array.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Calls Landlock decides itself (landlock.c): what removes, renames or
 * links names, and these; chmod, chown, utimes and xattrs it does not see. */
static bool landlock_decides(const struct fng_hold_facts *f)
{
	static const char *const covered[] = { "mkdir", "mkdirat", "symlink", "symlinkat", "truncate", "mknod", "mknodat" };

	if (f->kind == FNG_SC_UNNAME || f->kind == FNG_SC_TWO_PATHS)
		return true;
	for (size_t i = 0; i < FNG_ARRAY_LEN(covered); i++)
		if (!strcmp(f->name, covered[i]))
			return true;
	return false;
}

bool fng_hold_wanted(const struct fng_hold_facts *f)
{
	bool kernel = f->kernel_tmp && !f->allowlist;

	if (!f->racers)
		return false;
	if (f->open_checked && f->others)
		return true; /* no other task may read or write the descriptor before it is checked */
	if (!f->judged)
		return false;
	switch (f->kind) {
	case FNG_SC_OPEN:
		if (f->flags & O_PATH)
			return true; /* Landlock does not judge O_PATH; its descriptor acts before an undo */
		return !kernel && (f->flags & (O_CREAT | O_TRUNC));
	case FNG_SC_CREAT:
		return !kernel;
	case FNG_SC_OPENAT2:
		return true; /* flags in memory: the hold makes them the kernel's */
	case FNG_SC_MUTATE:
	case FNG_SC_UNNAME:
	case FNG_SC_TWO_PATHS:
		return !kernel || !landlock_decides(f);
	default:
		return false;
	}
}

static bool listed(const struct fng_hold *h, pid_t tid)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->stops[i].tid == tid)
			return true;
	return false;
}

static int keep(struct fng_hold *h, pid_t tid, int status)
{
	struct fng_held_stop *s = FNG_PUSH(h->stops, h->n);

	if (!s)
		return -ENOMEM;
	s->tid = tid;
	s->status = status;
	return 0;
}

/* The start of /proc/TID/FILE in buf; -errno (-ENOENT: the task is gone). */
static int proc_read(pid_t tid, const char *file, char *buf, size_t n)
{
	char path[64];
	autoclose int fd = -1;
	ssize_t r;

	snprintf(path, sizeof(path), "/proc/%d/%s", tid, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = read(fd, buf, n - 1);
	if (r < 0)
		return -errno;
	buf[r] = '\0';
	return 0;
}

/* The state letter of /proc/TID/stat ('X' when gone, '?' unreadable). */
static char task_state(pid_t tid)
{
	char buf[512], *paren;
	int r = proc_read(tid, "stat", buf, sizeof(buf));

	if (r < 0)
		return r == -ENOENT ? 'X' : '?';
	paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' ? paren[2] : '?';
}

/* The call a task is blocked in (-1 when not known). */
static long blocked_in(pid_t tid)
{
	char buf[64];

	if (proc_read(tid, "syscall", buf, sizeof(buf)) < 0)
		return -1;
	return strtol(buf, NULL, 10);
}

/* Can task o not run user code before it stops, though no stop came? */
static bool cannot_run(const struct fng_tracee *o)
{
	char s = task_state(o->tid);
	long nr;

	if (s == 'X' || s == 't' || s == 'T')
		return true; /* gone, or stopped without a status left to report */
	/* A leader whose threads live on reports its exit only after them;
	 * another thread's exit is ours to reap (waitpid, above): an exec in
	 * its thread group waits for that. */
	if (s == 'Z')
		return o->tid == o->tgid;
	if (s != 'D')
		return false;
	/* Waiting uninterruptibly in the kernel, and stopping before any
	 * instruction of its own: a vfork parent waiting for its child (the
	 * caller or a held task), an exec waiting for its siblings to go (its
	 * exec stop comes before the new image runs). */
	nr = blocked_in(o->tid);
#ifdef SYS_vfork
	if (nr == SYS_vfork)
		return true;
#endif
	return nr == SYS_clone || nr == SYS_execve || nr == SYS_execveat;
}

/* Wait until every interrupted task has stopped (its status kept) or is
 * known not to run. 0, or -errno (the caller fails closed). */
static int settle(struct fng_tracer *t, pid_t *want, size_t n)
{
	size_t left = n;

	for (unsigned round = 0; left; round++) {
		for (size_t i = 0; i < n; i++) {
			int status;
			pid_t r;

			if (!want[i])
				continue;
			r = waitpid(want[i], &status, WNOHANG | __WALL);
			if (r == want[i]) {
				if (keep(&t->hold, r, status) < 0)
					return -ENOMEM;
			} else if (!(r < 0 && errno == ECHILD)) {
				struct fng_tracee *o = fng_tracee_find(&t->tasks, want[i]);
				if (round < 2 || (o && !cannot_run(o)))
					continue;
			}
			want[i] = 0;
			left--;
		}
		if (left && round >= 2)
			nanosleep(&(struct timespec){ 0, 20000 }, NULL);
	}
	return 0;
}

int fng_hold_begin(struct fng_tracer *t, struct fng_tracee *caller)
{
	struct fng_tracee_table *tt = &t->tasks;
	autofree pid_t *want = calloc(tt->count ? tt->count : 1, sizeof(*want));
	size_t n = 0;
	int r;

	if (!want)
		return -ENOMEM;
	for (size_t i = 0; i < tt->cap && n < tt->count; i++) {
		struct fng_tracee *o = tt->slots[i];
		if (!o || o == caller || listed(&t->hold, o->tid))
			continue;
		if (ptrace(PTRACE_INTERRUPT, o->tid, NULL, NULL) < 0)
			continue; /* gone: its exit is reported to the loop */
		want[n++] = o->tid;
	}
	t->hold.by = caller->tid;
	r = settle(t, want, n);
	return r;
}

void fng_hold_end(struct fng_tracer *t)
{
	t->hold.by = 0;
}

bool fng_hold_take(struct fng_tracer *t, pid_t tid, int status)
{
	if (!t->hold.by || tid == t->hold.by)
		return false;
	if (keep(&t->hold, tid, status) == 0)
		return true;
	/* No room to keep it: let it go to the loop. The task that stopped is
	 * resumed, so the hold no longer holds: end the caller's process. */
	kill(t->hold.by, SIGKILL);
	return false;
}

bool fng_hold_next(struct fng_tracer *t, pid_t *tid, int *status)
{
	struct fng_hold *h = &t->hold;

	if (h->by || !h->n)
		return false;
	*tid = h->stops[0].tid;
	*status = h->stops[0].status;
	memmove(h->stops, h->stops + 1, (h->n - 1) * sizeof(*h->stops));
	h->n--;
	return true;
}

void fng_hold_forget(struct fng_tracer *t, pid_t tid)
{
	struct fng_hold *h = &t->hold;
	size_t j = 0;

	for (size_t i = 0; i < h->n; i++)
		if (h->stops[i].tid != tid)
			h->stops[j++] = h->stops[i];
	h->n = j;
}

void fng_hold_free(struct fng_hold *h)
{
	free(h->stops);
	h->stops = NULL;
	h->n = 0;
}
