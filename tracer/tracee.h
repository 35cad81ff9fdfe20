/* The table of traced tasks (processes and threads). */
#ifndef FNG_TRACEE_H
#define FNG_TRACEE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* One program image (address space), shared by threads and CLONE_VM
 * children; a new one at every execve. Once-per-image reports live here. */
struct fng_unwind_mm;
struct fng_exec_pending;

struct fng_mm {
	unsigned users;
	uint32_t reported;	/* once-per-image reports already made (bit per reason) */
	struct fng_unwind_mm *unwind;	/* stack unwinder caches, made by the first capture */
};

enum fng_pending {
	FNG_PENDING_NONE = 0,
	FNG_PENDING_OPEN,	/* verify the fd an open returned */
	FNG_PENDING_CONNECT,	/* verify the peer a connect reached */
	FNG_PENDING_ACCEPT,	/* judge the peer an accept took */
	FNG_PENDING_EXEC,	/* an exec with business at its exec stop (tracee.exec): did it fail? */
	FNG_PENDING_INJECT_ENTRY,	/* an injected close: waiting for its entry stop */
	FNG_PENDING_INJECT_EXIT,	/* ... and its exit stop */
	FNG_PENDING_NAMES,	/* a name-changing call ran beside other tasks (namecache.h) */
	FNG_PENDING_MAP,	/* an executable file mapping: was the file checked the one mapped? */
	FNG_PENDING_HOLD,	/* a path call runs while every other task is held (hold.c) */
};

enum { FNG_HELD_NONE, FNG_HELD_VERIFY, FNG_HELD_UNDO };

struct fng_tracee {
	pid_t tid;
	pid_t tgid;
	struct fng_mm *mm;

	/* Exit-stop verification of the current call. */
	enum fng_pending pending;
	uint16_t pending_desc;	/* row in fng_syscalls */
	int pending_fd;		/* connect: the socket */
	bool pending_write;	/* open: checked as a write (the allowlist's files.write) */
	/* An open made while the others are held (hold.c), checked at its exit
	 * stop before any of them runs again: FNG_HELD_VERIFY until then,
	 * FNG_HELD_UNDO while its undo (an injected close) runs. */
	uint8_t held_open;
	uint64_t pending_dev, pending_ino;	/* executable mapping: the file checked */
	long inject_ret;	/* value the undone call returns */
	int inject_fd;		/* the descriptor the injected close must close */
	void *saved_regs;	/* arch registers saved across an injection */
	struct fng_exec_pending *exec;	/* an exec to report or verify at its exec stop */
	/* The runtime's launch (policy/launch.h, tracer/rules/launch.c): the
	 * task's state, and what its exec named at the seccomp stop (a #!
	 * script, and the interpreter object it names). */
	uint8_t launch;
	bool launch_script;
	bool launch_reexec;	/* let through as the runtime's re-exec of itself */
	dev_t launch_interp_dev;
	ino_t launch_interp_ino;
	/* The last exec refused with an event (a PATH search is one event):
	 * the basename and argv hash; cleared by any other call. */
	bool exec_memo;
	uint64_t exec_memo_hash;
	/* The event's process section is read through these, kept open on
	 * /proc/TID/status and /proc/TID/cmdline from the task's first event
	 * (fng_tracee_proc_open): each read is the kernel's current answer,
	 * so nothing is cached that could go stale, and the open and path
	 * walk (most of the cost) are paid once. Bound to the task itself
	 * (its struct pid): a reused tid never reads through them. */
	bool proc_fds;
	int status_fd, cmdline_fd;
};

/* Free an exec pending (tracee.exec; its stack slot goes back too). */
void fng_tracee_exec_free(struct fng_exec_pending *p);
static inline void fng_tracee_exec_freep(struct fng_exec_pending **p)
{
	fng_tracee_exec_free(*p);
}
/* An exec pending freed when its variable goes out of scope. */
#define autoexec __attribute__((cleanup(fng_tracee_exec_freep)))

struct fng_tracee_table {
	struct fng_tracee **slots;
	size_t cap;		/* power of two; open addressing by tid */
	size_t count;
	size_t proc_fd_tasks;	/* tasks holding proc_fds (at most FNG_PROC_FD_TASKS) */
};

/* Tasks that keep their /proc files open (two descriptors each); those
 * beyond read by path, as before. */
#define FNG_PROC_FD_TASKS 128

int fng_tracees_init(struct fng_tracee_table *t);
void fng_tracees_free(struct fng_tracee_table *t);
struct fng_tracee *fng_tracee_find(struct fng_tracee_table *t, pid_t tid);
/* Add a task; mm_of names a task whose address space it shares (or 0). */
struct fng_tracee *fng_tracee_add(struct fng_tracee_table *t, pid_t tid, pid_t tgid, struct fng_tracee *mm_of);
void fng_tracee_remove(struct fng_tracee_table *t, pid_t tid);
/* The task got a new address space (execve). */
int fng_tracee_new_mm(struct fng_tracee *tc);
/* Open tc's /proc files for its process section (when not open yet and
 * under the limit); false when the caller must read by path. */
bool fng_tracee_proc_open(struct fng_tracee_table *t, struct fng_tracee *tc);
/* Close them (a read through them failed: the task is gone, or its tid
 * now names another struct pid after a thread's exec). */
void fng_tracee_proc_close(struct fng_tracee_table *t, struct fng_tracee *tc);
/* A duplicate, in the supervisor, of the tracee's descriptor fd
 * (pidfd_open + pidfd_getfd), or -errno. */
int fng_tracee_fd(pid_t tgid, int fd);

#endif
