/* The table of watched system calls (syscalls.h). */
#include "tracer/syscalls.h"

#include <fcntl.h>

#define NA FNG_NOARG
#define FILE_RULES (FNG_NEED_TMP | FNG_NEED_HANDLER)

/* clang-format off */
const struct fng_syscall_desc fng_syscalls[] = {
	/* name            kind              dirfd path dirfd2 path2 flags follow  follow2 flag_bit empty needs targets */
	{ "open",        FNG_SC_OPEN,      NA, 0,  NA, NA, 1,  FNG_FOLLOW, 0, 0, false, FILE_RULES | FNG_NEED_PROCMEM, 0 },
	{ "openat",      FNG_SC_OPEN,      0,  1,  NA, NA, 2,  FNG_FOLLOW, 0, 0, false, FILE_RULES | FNG_NEED_PROCMEM, 0 },
	{ "openat2",     FNG_SC_OPENAT2,   0,  1,  NA, NA, NA, FNG_FOLLOW, 0, 0, false, FILE_RULES | FNG_NEED_PROCMEM, 0 },
	{ "creat",       FNG_SC_CREAT,     NA, 0,  NA, NA, NA, FNG_FOLLOW, 0, 0, false, FILE_RULES | FNG_NEED_PROCMEM, 0 },
	{ "mkdir",       FNG_SC_MUTATE,    NA, 0,  NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP, 0 },
	{ "mkdirat",     FNG_SC_MUTATE,    0,  1,  NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP, 0 },
	{ "rmdir",       FNG_SC_UNNAME,    NA, 0,  NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP, 0 },
	{ "unlink",      FNG_SC_UNNAME,    NA, 0,  NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP, 0 },
	{ "unlinkat",    FNG_SC_UNNAME,    0,  1,  NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP, 0 },
	{ "rename",      FNG_SC_TWO_PATHS, NA, 0,  NA, 1,  NA, FNG_NOFOLLOW, FNG_NOFOLLOW, 0, false, FNG_NEED_TMP, 0 },
	{ "renameat",    FNG_SC_TWO_PATHS, 0,  1,  2,  3,  NA, FNG_NOFOLLOW, FNG_NOFOLLOW, 0, false, FNG_NEED_TMP, 0 },
	{ "renameat2",   FNG_SC_TWO_PATHS, 0,  1,  2,  3,  NA, FNG_NOFOLLOW, FNG_NOFOLLOW, 0, false, FNG_NEED_TMP, 0 },
	{ "link",        FNG_SC_TWO_PATHS, NA, 0,  NA, 1,  NA, FNG_NOFOLLOW, FNG_NOFOLLOW, 0, false, FNG_NEED_TMP, 0 },
	{ "linkat",      FNG_SC_TWO_PATHS, 0,  1,  2,  3,  4,  FNG_NOFOLLOW_UNLESS_FLAG, FNG_NOFOLLOW, AT_SYMLINK_FOLLOW, true, FNG_NEED_TMP, 0 },
	{ "symlink",     FNG_SC_MUTATE,    NA, 1,  NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP, 0 },
	{ "symlinkat",   FNG_SC_MUTATE,    1,  2,  NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP, 0 },
	{ "truncate",    FNG_SC_MUTATE,    NA, 0,  NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_TMP, 0 },
	{ "mknod",       FNG_SC_MUTATE,    NA, 0,  NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP, 0 },
	{ "mknodat",     FNG_SC_MUTATE,    0,  1,  NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP, 0 },
	{ "chmod",       FNG_SC_MUTATE,    NA, 0,  NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_TMP, 0 },
	{ "fchmodat",    FNG_SC_MUTATE,    0,  1,  NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_TMP, 0 },
	{ "fchmodat2",   FNG_SC_MUTATE,    0,  1,  NA, NA, 3,  FNG_FOLLOW_UNLESS_FLAG, 0, AT_SYMLINK_NOFOLLOW, true, FNG_NEED_TMP, 0 },
	{ "chown",       FNG_SC_MUTATE,    NA, 0,  NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_TMP, 0 },
	{ "lchown",      FNG_SC_MUTATE,    NA, 0,  NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP, 0 },
	{ "fchownat",    FNG_SC_MUTATE,    0,  1,  NA, NA, 4,  FNG_FOLLOW_UNLESS_FLAG, 0, AT_SYMLINK_NOFOLLOW, true, FNG_NEED_TMP, 0 },
	{ "utime",       FNG_SC_MUTATE,    NA, 0,  NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_TMP, 0 },
	{ "utimes",      FNG_SC_MUTATE,    NA, 0,  NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_TMP, 0 },
	{ "futimesat",   FNG_SC_MUTATE,    0,  1,  NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_TMP, 0 },
	{ "utimensat",   FNG_SC_MUTATE,    0,  1,  NA, NA, 3,  FNG_FOLLOW_UNLESS_FLAG, 0, AT_SYMLINK_NOFOLLOW, true, FNG_NEED_TMP, 0 },
	{ "setxattr",    FNG_SC_MUTATE,    NA, 0,  NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_TMP, 0 },
	{ "lsetxattr",   FNG_SC_MUTATE,    NA, 0,  NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP, 0 },
	{ "removexattr", FNG_SC_MUTATE,    NA, 0,  NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_TMP, 0 },
	{ "lremovexattr",FNG_SC_MUTATE,    NA, 0,  NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP, 0 },
	{ "execve",      FNG_SC_EXEC,      NA, 0,  NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_CHILD | FNG_NEED_TMP, 0 },
	{ "execveat",    FNG_SC_EXEC,      0,  1,  NA, NA, 4,  FNG_FOLLOW_UNLESS_FLAG, 0, AT_SYMLINK_NOFOLLOW, true, FNG_NEED_CHILD | FNG_NEED_TMP, 0 },
	{ "bind",        FNG_SC_BIND,      NA, NA, NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP, 0 },
	{ "connect",     FNG_SC_CONNECT,   NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_OUTBOUND | FNG_NEED_INIT_END | FNG_NEED_DNS, 0 },
	{ "sendto",      FNG_SC_SENDTO,    NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_OUTBOUND | FNG_NEED_DNS | FNG_NEED_FASTOPEN, 0 },
	{ "sendmsg",     FNG_SC_SENDMSG,   NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_OUTBOUND | FNG_NEED_DNS | FNG_NEED_FASTOPEN, 0 },
	{ "sendmmsg",    FNG_SC_SENDMMSG,  NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_OUTBOUND | FNG_NEED_DNS | FNG_NEED_FASTOPEN, 0 },
	{ "socket",      FNG_SC_SOCKET,    NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_OUTBOUND | FNG_NEED_ASYNC, 0 },
	{ "accept",      FNG_SC_ACCEPT,    NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_OUTBOUND, 0 },
	{ "accept4",     FNG_SC_ACCEPT,    NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_OUTBOUND, 0 },
	{ "recvfrom",    FNG_SC_RECVFROM,  NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_DNS, 0 },
	{ "io_setup",    FNG_SC_ASYNC_WRITER, NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_ASYNC, 0 },
	{ "mmap",        FNG_SC_ASYNC_WRITER, NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_ASYNC | FNG_NEED_EXECMEM, 0 },
	{ "shmat",       FNG_SC_ASYNC_WRITER, NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_ASYNC | FNG_NEED_EXECMEM, 0 },
	{ "mprotect",    FNG_SC_EXEC_MEM,  NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_EXECMEM, 0 },
	{ "pkey_mprotect", FNG_SC_EXEC_MEM, NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_EXECMEM, 0 },
	{ "perf_event_open", FNG_SC_ASYNC_WRITER, NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_ASYNC, 0 },
	{ "pidfd_send_signal", FNG_SC_PIDFD_SIGNAL, NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_ALWAYS, 0 },
	/* Calls that act on a task by id, where the kernel asks no more than
	 * the same uid: traced when the id is not 0 (the caller itself), so
	 * threads the supervisor starts after the filter is built are covered
	 * too (filter.c: add_target_rules). */
	{ "kill",        FNG_SC_TARGET,    NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_ALWAYS, 1 },
	{ "tkill",       FNG_SC_TARGET,    NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_ALWAYS, 1 },
	{ "tgkill",      FNG_SC_TARGET,    NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_ALWAYS, 3 },
	{ "rt_sigqueueinfo", FNG_SC_TARGET, NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_ALWAYS, 1 },
	{ "rt_tgsigqueueinfo", FNG_SC_TARGET, NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_ALWAYS, 3 },
	{ "pidfd_open",  FNG_SC_TARGET,    NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_ALWAYS, 1 },
	{ "prlimit64",   FNG_SC_TARGET,    NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_ALWAYS, 1 },
	{ "setpriority", FNG_SC_TARGET,    NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_ALWAYS, 2 },
	{ "ioprio_set",  FNG_SC_TARGET,    NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_ALWAYS, 2 },
	{ "sched_setaffinity", FNG_SC_TARGET, NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_ALWAYS, 1 },
	{ "sched_setscheduler", FNG_SC_TARGET, NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_ALWAYS, 1 },
	{ "sched_setparam", FNG_SC_TARGET, NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_ALWAYS, 1 },
	{ "sched_setattr", FNG_SC_TARGET, NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_ALWAYS, 1 },
};
/* clang-format on */

const unsigned fng_syscalls_count = sizeof(fng_syscalls) / sizeof(fng_syscalls[0]);
