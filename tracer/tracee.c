/* The table of traced tasks (tracee.h). */
#include "tracer/internal.h"
#include "tracer/tracee.h"
#include "tracer/image/stack.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#define EMPTY NULL

static size_t slot_of(const struct fng_tracee_table *t, pid_t tid)
{
	return ((size_t)tid * 2654435761u) & (t->cap - 1);
}

int fng_tracees_init(struct fng_tracee_table *t)
{
	t->cap = 64;
	t->count = 0;
	t->slots = calloc(t->cap, sizeof(*t->slots));
	return t->slots ? 0 : -ENOMEM;
}

static void mm_put(struct fng_mm *mm)
{
	if (mm && --mm->users == 0) {
		fng_unwind_mm_free(mm->unwind);
		free(mm);
	}
}

void fng_tracee_exec_free(struct fng_exec_pending *p)
{
	if (!p)
		return;
	fng_stack_release(p->stack);
	free(p);
}

void fng_tracees_free(struct fng_tracee_table *t)
{
	for (size_t i = 0; i < t->cap; i++) {
		if (t->slots[i]) {
			fng_tracee_proc_close(t, t->slots[i]);
			mm_put(t->slots[i]->mm);
			free(t->slots[i]->saved_regs);
			fng_tracee_exec_free(t->slots[i]->exec);
			free(t->slots[i]);
		}
	}
	free(t->slots);
	t->slots = NULL;
}

struct fng_tracee *fng_tracee_find(struct fng_tracee_table *t, pid_t tid)
{
	for (size_t i = slot_of(t, tid), n = 0; n < t->cap; i = (i + 1) & (t->cap - 1), n++) {
		if (!t->slots[i])
			return NULL;
		if (t->slots[i]->tid == tid)
			return t->slots[i];
	}
	return NULL;
}

static void insert(struct fng_tracee_table *t, struct fng_tracee *tc)
{
	size_t i = slot_of(t, tc->tid);
	while (t->slots[i])
		i = (i + 1) & (t->cap - 1);
	t->slots[i] = tc;
}

static int grow(struct fng_tracee_table *t)
{
	struct fng_tracee **old = t->slots;
	size_t oldcap = t->cap;

	t->slots = calloc(oldcap * 2, sizeof(*t->slots));
	if (!t->slots) {
		t->slots = old;
		return -ENOMEM;
	}
	t->cap = oldcap * 2;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i])
			insert(t, old[i]);
	free(old);
	return 0;
}

struct fng_tracee *fng_tracee_add(struct fng_tracee_table *t, pid_t tid, pid_t tgid, struct fng_tracee *mm_of)
{
	autofree struct fng_tracee *tc = NULL;

	if ((t->count + 1) * 2 > t->cap && grow(t) < 0)
		return NULL;
	tc = calloc(1, sizeof(*tc));
	if (!tc)
		return NULL;
	tc->tid = tid;
	tc->tgid = tgid;
	if (mm_of && mm_of->mm) {
		tc->mm = mm_of->mm;
		tc->mm->users++;
	} else if (fng_tracee_new_mm(tc) < 0) {
		return NULL;
	}
	insert(t, tc);
	t->count++;
	return fng_steal_ptr(&tc);
}

int fng_tracee_new_mm(struct fng_tracee *tc)
{
	struct fng_mm *mm = calloc(1, sizeof(*mm));

	if (!mm)
		return -ENOMEM;
	mm->users = 1;
	mm_put(tc->mm);
	tc->mm = mm;
	return 0;
}

void fng_tracee_remove(struct fng_tracee_table *t, pid_t tid)
{
	size_t i = slot_of(t, tid), n = 0;

	for (; n < t->cap; i = (i + 1) & (t->cap - 1), n++) {
		if (!t->slots[i])
			return;
		if (t->slots[i]->tid == tid)
			break;
	}
	if (n == t->cap)
		return;
	fng_tracee_proc_close(t, t->slots[i]);
	mm_put(t->slots[i]->mm);
	free(t->slots[i]->saved_regs);
	fng_tracee_exec_free(t->slots[i]->exec);
	free(t->slots[i]);
	t->slots[i] = NULL;
	t->count--;
	/* Re-insert the rest of the cluster (linear probing deletion). */
	for (i = (i + 1) & (t->cap - 1); t->slots[i]; i = (i + 1) & (t->cap - 1)) {
		struct fng_tracee *moved = t->slots[i];
		t->slots[i] = NULL;
		insert(t, moved);
	}
}

bool fng_tracee_proc_open(struct fng_tracee_table *t, struct fng_tracee *tc)
{
	char path[64];
	autoclose int status = -1;

	if (tc->proc_fds)
		return true;
	if (t->proc_fd_tasks >= FNG_PROC_FD_TASKS)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/status", tc->tid);
	status = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/cmdline", tc->tid);
	tc->cmdline_fd = status < 0 ? -1 : open(path, O_RDONLY | O_CLOEXEC);
	if (tc->cmdline_fd < 0)
		return false;
	tc->status_fd = fng_steal_fd(&status);
	tc->proc_fds = true;
	t->proc_fd_tasks++;
	return true;
}

void fng_tracee_proc_close(struct fng_tracee_table *t, struct fng_tracee *tc)
{
	if (!tc->proc_fds)
		return;
	close(tc->status_fd);
	close(tc->cmdline_fd);
	tc->proc_fds = false;
	t->proc_fd_tasks--;
}

int fng_tracee_fd(pid_t tgid, int fd)
{
	autoclose int pidfd = (int)syscall(SYS_pidfd_open, tgid, 0);
	int dup;

	if (pidfd < 0)
		return -errno;
	dup = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	return dup < 0 ? -errno : dup;
}
