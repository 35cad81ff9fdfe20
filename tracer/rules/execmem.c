/* executable_memory: "block" (docs/policy.md): no memory becomes executable
 * except by mapping, read-only, a regular file that was there before the run
 * and lies outside the temp root (the runtime's own libraries). mprotect and
 * pkey_mprotect with PROT_EXEC, shmat with SHM_EXEC, anonymous and
 * writable-and-executable mappings, and files written during the run (ctime
 * after fnguard started: memfds, files in /dev/shm, copies) are refused.
 * The file a mapping names is checked at the seccomp stop and, when another
 * task could swap the descriptor, verified at the exit stop against what
 * /proc/PID/maps says was mapped: a different file kills the process.
 * What the kernel maps at exec (an executable stack, a writable and
 * executable PT_LOAD) is read from /proc/PID/maps at the exec stop. */
#include "tracer/internal.h"
#include "common/util.h"

#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* The facts of the file behind descriptor fd of the tracee. */
static void file_facts(struct fng_call *c, int fd, struct fng_execmem_facts *f, struct stat *st)
{
	autoclose int dup = fng_tracee_fd(c->tc->tgid, fd);
	char link[64], path[FNG_PATH_BUF];
	ssize_t n;

	if (dup < 0 || fstat(dup, st) < 0)
		return;	/* file_known stays false: refused */
	f->file_known = true;
	f->regular = S_ISREG(st->st_mode);
	f->unlinked = st->st_nlink == 0;
	f->changed = fng_changed_in_run(c->t, st);
	f->in_tmp = c->t->tmp_is_mount && st->st_dev == c->t->tmp_dev;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", dup);
	n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0) {
		f->file_known = false;
		return;
	}
	path[n] = '\0';
	f->in_tmp |= fng_place_in_tmp(c->t, path);
}

/* An executable file mapping beside other tasks: they are held before the
 * descriptor is looked at, so none can put another file at that number
 * before the kernel maps it, nor run code from the mapping before this
 * check. False (with the call refused) when they could not all be held. */
static bool hold_for_map(struct fng_call *c, enum fng_resume *how)
{
	if (c->t->tasks.count < 2 || !fng_enforcing(c->t))
		return false;
	if (fng_hold_begin(c->t, c->tc) == 0)
		return true;
	fng_hold_end(c->t);
	*how = fng_check_denied(c, EACCES, "executable_memory: fnguard could not hold the other tasks: refused");
	return false;
}

enum fng_resume fng_check_exec_mem(struct fng_call *c)
{
	struct fng_execmem_facts f = { 0 };
	enum fng_resume how = FNG_RESUME_CONT;
	struct stat st;
	const char *why;
	bool held = false;
	int prot = (int)c->args[2];

	if (!c->t->written->exec_mem_block)
		return FNG_RESUME_CONT;
	if (strcmp(c->d->name, "shmat") == 0) {
		f.call = FNG_EXECMEM_SHMAT;
		f.exec = c->args[2] & SHM_EXEC;
	} else if (strcmp(c->d->name, "mmap") == 0) {
		f.call = FNG_EXECMEM_MMAP;
		f.exec = prot & PROT_EXEC;
		f.write = prot & PROT_WRITE;
		f.anonymous = (c->args[3] & MAP_ANONYMOUS) || (int)c->args[4] < 0;
		if (f.exec && !f.write && !f.anonymous) {
			held = hold_for_map(c, &how);
			if (how != FNG_RESUME_CONT)
				return how;
			file_facts(c, (int)c->args[4], &f, &st);
		}
	} else if (c->d->kind == FNG_SC_EXEC_MEM) {
		f.call = FNG_EXECMEM_MPROTECT;
		f.exec = prot & PROT_EXEC;
	} else {
		return FNG_RESUME_CONT;	/* io_setup, perf_event_open: not about executable memory */
	}
	why = fng_decide_execmem(&f);
	if (held && why)
		fng_hold_end(c->t);
	if (why)
		return fng_check_denied(c, EACCES, why);
	if (held) { /* mapped with nobody else running; they run again at its exit stop */
		c->tc->pending = FNG_PENDING_HOLD;
		return FNG_RESUME_SYSCALL;
	}
	if (f.call != FNG_EXECMEM_MMAP || !f.exec || !fng_racers_possible(c->t))
		return FNG_RESUME_CONT;
	/* Another task could put another file at that descriptor before the
	 * kernel maps it: see what was mapped. */
	c->tc->pending = FNG_PENDING_MAP;
	c->tc->pending_desc = (uint16_t)c->desc_index;
	c->tc->pending_dev = st.st_dev;
	c->tc->pending_ino = st.st_ino;
	return FNG_RESUME_SYSCALL;
}

/* Is the maps line holding addr the file checked (device and inode as maps
 * prints them, or, where a stacked filesystem such as overlayfs shows the
 * file beneath, its path as the tracee names it)? */
struct mapped_query {
	pid_t tgid;
	uint64_t addr, ino;
	dev_t dev;
};

/* 1: the line that maps the address maps the file; -1: another; 0: not it. */
static int mapped_line_is(const struct fng_map *m, void *arg)
{
	const struct mapped_query *q = arg;
	char name[FNG_PATH_BUF + 64];
	struct stat st;

	if (q->addr < m->start || q->addr >= m->end)
		return 0;
	if (m->dev == q->dev && m->ino == q->ino)
		return 1;
	if (m->path[0] == '/' && snprintf(name, sizeof(name), "/proc/%d/root%s", q->tgid, m->path) < (int)sizeof(name) &&
	    stat(name, &st) == 0 && st.st_dev == q->dev && st.st_ino == q->ino)
		return 1;
	return -1;
}

static bool mapped_is(pid_t tgid, uint64_t addr, dev_t dev, uint64_t ino)
{
	struct mapped_query q = { .tgid = tgid, .addr = addr, .ino = ino, .dev = dev };

	return fng_maps_each(tgid, mapped_line_is, &q) == 1;
}

enum fng_resume fng_verify_map(struct fng_tracer *t, struct fng_tracee *tc, long ret)
{
	tc->pending = FNG_PENDING_NONE;
	if (ret < 0 && ret > -4096)
		return FNG_RESUME_CONT;	/* nothing was mapped */
	if (mapped_is(tc->tgid, (uint64_t)ret, (dev_t)tc->pending_dev, tc->pending_ino))
		return FNG_RESUME_CONT;
	fng_report_killed(t, tc->tid, "mmap", "executable_memory: the file mapped is not the one checked");
	kill(tc->tgid, SIGKILL);
	return FNG_RESUME_KILL;
}

/* The file behind an executable maps line, named by path (as the tracee sees
 * it) with device maj:min and inode ino as maps prints them: NULL when it is
 * a regular file that predates the run and lies outside the temp root, else
 * why not. A path whose object is not the one mapped counts as unknown,
 * except on overlayfs, where maps shows the file beneath the overlay. */
static const char *image_file_why(struct fng_tracer *t, pid_t tid, const char *path, unsigned maj, unsigned min,
				  uint64_t ino)
{
	char name[FNG_PATH_BUF + 64];
	struct statfs sf;
	struct stat st;
	size_t len = strlen(path);

	if (len > 10 && strcmp(path + len - 10, " (deleted)") == 0)
		return "executable_memory: the new program maps code from a deleted file";
	if (snprintf(name, sizeof(name), "/proc/%d/root%s", tid, path) >= (int)sizeof(name) || stat(name, &st) < 0)
		return "executable_memory: the new program maps code from a file fnguard cannot examine";
	if ((major(st.st_dev) != maj || minor(st.st_dev) != min || st.st_ino != ino) &&
	    (statfs(name, &sf) < 0 || sf.f_type != OVERLAYFS_SUPER_MAGIC))
		return "executable_memory: the new program maps code from a file that is not the one its path names";
	if (!S_ISREG(st.st_mode))
		return "executable_memory: the new program maps code from something that is not a regular file";
	if (fng_changed_in_run(t, &st))
		return "executable_memory: the new program maps code from a file written during the run";
	if ((t->tmp_is_mount && st.st_dev == t->tmp_dev) || fng_place_in_tmp(t, path))
		return "executable_memory: the new program maps code from the temp root";
	return NULL;
}

/* One line of /proc/PID/maps of an image that has not run yet: NULL when
 * fine, else why it breaks executable_memory. The kernel's own pages
 * ([vdso], [vsyscall]) are its code, not the function's. */
struct image_check {
	struct fng_tracer *t;
	pid_t tid;
	const char *why;
};

static int image_line_why(const struct fng_map *m, void *arg)
{
	struct image_check *q = arg;

	if (!m->exec)
		return 0;
	if (m->perms[1] == 'w')
		q->why = "executable_memory: the new program has memory both writable and executable (a PT_LOAD with PF_W|PF_X, or an executable stack)";
	else if (strcmp(m->path, "[vdso]") == 0 || strcmp(m->path, "[vsyscall]") == 0)
		return 0;
	else if (m->path[0] != '/')
		q->why = "executable_memory: the new program has executable anonymous memory or stack (PT_GNU_STACK with PF_X)";
	else
		q->why = image_file_why(q->t, q->tid, m->path, major(m->dev), minor(m->dev), (uint64_t)m->ino);
	return q->why != NULL;
}

/* At the exec stop: the kernel mapped the new image (and its ELF
 * interpreter) without an mmap or mprotect fnguard sees, so what it mapped
 * is read from /proc/PID/maps, with the criteria of the calls: memory both
 * writable and executable, executable anonymous memory or stack, executable
 * files that are not regular files predating the run outside the temp root
 * end the process before its first instruction. Unreadable maps end it too. */
bool fng_verify_exec_mem(struct fng_tracer *t, struct fng_tracee *tc)
{
	struct image_check q = { .t = t, .tid = tc->tid };
	const char *why;
	int r;

	if (!t->written->exec_mem_block)
		return false;
	r = fng_maps_each(tc->tid, image_line_why, &q);
	why = r > 0   ? q.why
	      : r == -ENAMETOOLONG ? "executable_memory: a line of the new program's maps is too long"
	      : r == -EINVAL	   ? "executable_memory: a line of the new program's maps fnguard cannot read"
	      : r < 0		   ? "executable_memory: the new program's maps are unreadable"
				   : NULL;
	if (!why)
		return false;
	fng_report_killed(t, tc->tid, "execve", why);
	kill(tc->tgid, SIGKILL);
	return true;
}
