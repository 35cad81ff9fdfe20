/* executable_memory: "block" (docs/policy.md): no memory becomes executable
 * except by mapping, read-only, a regular file that was there before the run
 * and lies outside the temp root (the runtime's own libraries). mprotect and
 * pkey_mprotect with PROT_EXEC, shmat with SHM_EXEC, anonymous and
 * writable-and-executable mappings, and files written during the run (ctime
 * after fnguard started: memfds, files in /dev/shm, copies) are refused.
 * The file a mapping names is checked at the seccomp stop and, when another
 * task could swap the descriptor, verified at the exit stop against what
 * /proc/PID/maps says was mapped: a different file kills the process. */
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
static bool mapped_is(pid_t tgid, uint64_t addr, dev_t dev, uint64_t ino)
{
	char path[64], line[FNG_PATH_BUF + 128], name[FNG_PATH_BUF + 64];
	bool same = false;
	struct stat st;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/maps", tgid);
	fp = fopen(path, "re");
	if (!fp)
		return false;
	while (fgets(line, sizeof(line), fp)) {
		uint64_t lo, hi, i;
		unsigned maj, min;
		int off = 0;

		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %*s %*s %x:%x %" SCNu64 " %n", &lo, &hi, &maj, &min, &i,
			   &off) != 5 || addr < lo || addr >= hi)
			continue;
		same = maj == major(dev) && min == minor(dev) && i == ino;
		line[strcspn(line, "\n")] = '\0';
		if (!same && off > 0 && line[off] == '/' &&
		    snprintf(name, sizeof(name), "/proc/%d/root%s", tgid, line + off) < (int)sizeof(name))
			same = stat(name, &st) == 0 && st.st_dev == dev && st.st_ino == ino;
		break;
	}
	fclose(fp);
	return same;
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
