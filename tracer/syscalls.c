/* The table of watched system calls (syscalls.h). */
#include "tracer/syscalls.h"

#include <fcntl.h>

#define NA FNG_NOARG
#define FILE_RULES (FNG_NEED_TMP | FNG_NEED_HANDLER)

/* clang-format off */
const struct fng_syscall_desc fng_syscalls[] = {
	/* name            kind              dirfd path dirfd2 path2 flags follow  follow2 flag_bit empty needs */
	{ "open",        FNG_SC_OPEN,      NA, 0,  NA, NA, 1,  FNG_FOLLOW, 0, 0, false, FILE_RULES },
	{ "openat",      FNG_SC_OPEN,      0,  1,  NA, NA, 2,  FNG_FOLLOW, 0, 0, false, FILE_RULES },
	{ "openat2",     FNG_SC_OPENAT2,   0,  1,  NA, NA, NA, FNG_FOLLOW, 0, 0, false, FILE_RULES },
	{ "creat",       FNG_SC_CREAT,     NA, 0,  NA, NA, NA, FNG_FOLLOW, 0, 0, false, FILE_RULES },
	{ "mkdir",       FNG_SC_MUTATE,    NA, 0,  NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP },
	{ "mkdirat",     FNG_SC_MUTATE,    0,  1,  NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP },
	{ "rmdir",       FNG_SC_UNNAME,    NA, 0,  NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP },
	{ "unlink",      FNG_SC_UNNAME,    NA, 0,  NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP },
	{ "unlinkat",    FNG_SC_UNNAME,    0,  1,  NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP },
	{ "rename",      FNG_SC_TWO_PATHS, NA, 0,  NA, 1,  NA, FNG_NOFOLLOW, FNG_NOFOLLOW, 0, false, FNG_NEED_TMP },
	{ "renameat",    FNG_SC_TWO_PATHS, 0,  1,  2,  3,  NA, FNG_NOFOLLOW, FNG_NOFOLLOW, 0, false, FNG_NEED_TMP },
	{ "renameat2",   FNG_SC_TWO_PATHS, 0,  1,  2,  3,  NA, FNG_NOFOLLOW, FNG_NOFOLLOW, 0, false, FNG_NEED_TMP },
	{ "link",        FNG_SC_TWO_PATHS, NA, 0,  NA, 1,  NA, FNG_NOFOLLOW, FNG_NOFOLLOW, 0, false, FNG_NEED_TMP },
	{ "linkat",      FNG_SC_TWO_PATHS, 0,  1,  2,  3,  4,  FNG_NOFOLLOW_UNLESS_FLAG, FNG_NOFOLLOW, AT_SYMLINK_FOLLOW, true, FNG_NEED_TMP },
	{ "symlink",     FNG_SC_MUTATE,    NA, 1,  NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP },
	{ "symlinkat",   FNG_SC_MUTATE,    1,  2,  NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP },
	{ "truncate",    FNG_SC_MUTATE,    NA, 0,  NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_TMP },
	{ "mknod",       FNG_SC_MUTATE,    NA, 0,  NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP },
	{ "mknodat",     FNG_SC_MUTATE,    0,  1,  NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP },
	{ "chmod",       FNG_SC_MUTATE,    NA, 0,  NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_TMP },
	{ "fchmodat",    FNG_SC_MUTATE,    0,  1,  NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_TMP },
	{ "fchmodat2",   FNG_SC_MUTATE,    0,  1,  NA, NA, 3,  FNG_FOLLOW_UNLESS_FLAG, 0, AT_SYMLINK_NOFOLLOW, true, FNG_NEED_TMP },
	{ "chown",       FNG_SC_MUTATE,    NA, 0,  NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_TMP },
	{ "lchown",      FNG_SC_MUTATE,    NA, 0,  NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP },
	{ "fchownat",    FNG_SC_MUTATE,    0,  1,  NA, NA, 4,  FNG_FOLLOW_UNLESS_FLAG, 0, AT_SYMLINK_NOFOLLOW, true, FNG_NEED_TMP },
	{ "utime",       FNG_SC_MUTATE,    NA, 0,  NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_TMP },
	{ "utimes",      FNG_SC_MUTATE,    NA, 0,  NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_TMP },
	{ "futimesat",   FNG_SC_MUTATE,    0,  1,  NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_TMP },
	{ "utimensat",   FNG_SC_MUTATE,    0,  1,  NA, NA, 3,  FNG_FOLLOW_UNLESS_FLAG, 0, AT_SYMLINK_NOFOLLOW, true, FNG_NEED_TMP },
	{ "setxattr",    FNG_SC_MUTATE,    NA, 0,  NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_TMP },
	{ "lsetxattr",   FNG_SC_MUTATE,    NA, 0,  NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP },
	{ "removexattr", FNG_SC_MUTATE,    NA, 0,  NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_TMP },
	{ "lremovexattr",FNG_SC_MUTATE,    NA, 0,  NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP },
	{ "execve",      FNG_SC_EXEC,      NA, 0,  NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_CHILD | FNG_NEED_TMP },
	{ "execveat",    FNG_SC_EXEC,      0,  1,  NA, NA, 4,  FNG_FOLLOW_UNLESS_FLAG, 0, AT_SYMLINK_NOFOLLOW, true, FNG_NEED_CHILD | FNG_NEED_TMP },
	{ "bind",        FNG_SC_BIND,      NA, NA, NA, NA, NA, FNG_NOFOLLOW, 0, 0, false, FNG_NEED_TMP },
	{ "connect",     FNG_SC_CONNECT,   NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_OUTBOUND | FNG_NEED_INIT_END | FNG_NEED_DNS },
	{ "sendto",      FNG_SC_SENDTO,    NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_OUTBOUND | FNG_NEED_DNS },
	{ "sendmsg",     FNG_SC_SENDMSG,   NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_OUTBOUND | FNG_NEED_DNS },
	{ "sendmmsg",    FNG_SC_SENDMMSG,  NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_OUTBOUND | FNG_NEED_DNS },
	{ "socket",      FNG_SC_SOCKET,    NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_OUTBOUND | FNG_NEED_ASYNC },
	{ "recvfrom",    FNG_SC_RECVFROM,  NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_DNS },
	{ "io_setup",    FNG_SC_ASYNC_WRITER, NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_ASYNC },
	{ "perf_event_open", FNG_SC_ASYNC_WRITER, NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_ASYNC },
	{ "pidfd_send_signal", FNG_SC_PIDFD_SIGNAL, NA, NA, NA, NA, NA, FNG_FOLLOW, 0, 0, false, FNG_NEED_ALWAYS },
};
/* clang-format on */

const unsigned fng_syscalls_count = sizeof(fng_syscalls) / sizeof(fng_syscalls[0]);
