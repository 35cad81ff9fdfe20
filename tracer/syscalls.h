/* The table of watched system calls, strace-style: one row per call saying
 * where its path/address arguments are and which policy rules need it. The
 * filter is built from this table, and its SECCOMP_RET_TRACE data is the row
 * index, so a seccomp stop finds its row without a lookup. Numbers come from
 * libseccomp, never from hand-written tables. */
#ifndef FNG_SYSCALLS_H
#define FNG_SYSCALLS_H

#include <stdbool.h>
#include <stdint.h>

enum fng_sc_kind {
	FNG_SC_OPEN,		/* path (+dirfd), open flags */
	FNG_SC_CREAT,		/* creat(path, mode): O_CREAT|O_WRONLY|O_TRUNC */
	FNG_SC_OPENAT2,		/* flags and resolve flags in struct open_how */
	FNG_SC_MUTATE,		/* creates or changes the object at one path */
	FNG_SC_UNNAME,		/* removes the name at one path (unlink, rmdir) */
	FNG_SC_TWO_PATHS,	/* rename/link: both paths are touched */
	FNG_SC_EXEC,		/* execve, execveat */
	FNG_SC_CONNECT,
	FNG_SC_SENDTO,
	FNG_SC_SENDMSG,
	FNG_SC_SENDMMSG,
	FNG_SC_BIND,		/* AF_UNIX bind creates a socket file */
	FNG_SC_PIDFD_SIGNAL,	/* pidfd_send_signal: may aim at the supervisor */
	FNG_SC_SOCKET,		/* raw and packet sockets are outbound traffic */
	FNG_SC_RECVFROM,	/* with an address: maybe a DNS answer to learn from */
	FNG_SC_ASYNC_WRITER,	/* sets up kernel writes into user memory that run beside the task (AIO, perf rings) */
	FNG_SC_ACCEPT,		/* accept, accept4: the peer is judged like a destination, at the exit stop */
	FNG_SC_TARGET,		/* acts on another process or thread, named by id (targets): never a supervisor thread */
	FNG_SC_EXEC_MEM,	/* makes memory executable (mprotect, pkey_mprotect): executable_memory */
};

/* How the last component of a path is treated. */
enum fng_follow {
	FNG_FOLLOW,		/* follow a final symlink */
	FNG_NOFOLLOW,		/* act on the final symlink itself */
	FNG_FOLLOW_UNLESS_FLAG,	/* follow unless flags & flag_bit */
	FNG_NOFOLLOW_UNLESS_FLAG,/* do not follow unless flags & flag_bit */
};

#define FNG_NOARG (-1)

/* Which rules need a call traced. */
#define FNG_NEED_TMP (1u << 0)
#define FNG_NEED_HANDLER (1u << 1)
#define FNG_NEED_CHILD (1u << 2)
#define FNG_NEED_OUTBOUND (1u << 3)
#define FNG_NEED_INIT_END (1u << 4)	/* connect: the runtime's first Runtime API call */
#define FNG_NEED_ALWAYS (1u << 5)
#define FNG_NEED_DNS (1u << 6)		/* host-name exceptions or DNS events: watch lookups */
#define FNG_NEED_ASYNC (1u << 7)	/* a check relies on no one else writing the tracee's memory */
#define FNG_NEED_EXECMEM (1u << 8)	/* executable_memory: block (traced only with PROT_EXEC, SHM_EXEC) */
#define FNG_NEED_FASTOPEN (1u << 9)	/* the real Runtime API: stream sends that connect (MSG_FASTOPEN) */
#define FNG_NEED_PROCMEM (1u << 10)	/* executable_memory: block: opens for writing (/proc/PID/mem) */

struct fng_syscall_desc {
	const char *name;
	enum fng_sc_kind kind;
	int8_t dirfd, path;		/* argument indexes, FNG_NOARG if none */
	int8_t dirfd2, path2;		/* second path (rename/link destination) */
	int8_t flags;			/* argument holding AT_ and open flags */
	enum fng_follow follow, follow2;
	uint32_t flag_bit;		/* the AT_SYMLINK_* bit for *_UNLESS_FLAG */
	bool empty_path_ok;		/* AT_EMPTY_PATH (or NULL path) acts on dirfd */
	uint32_t needs;			/* FNG_NEED_* */
	uint8_t targets;		/* FNG_SC_TARGET: bit i set = argument i names a process or thread */
};

extern const struct fng_syscall_desc fng_syscalls[];
extern const unsigned fng_syscalls_count;

#endif
