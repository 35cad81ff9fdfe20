/* Path resolution in the tracee's context: its cwd, its dirfds, its root,
 * symlinks, "..", "//" and the /proc/self family, the way the kernel would
 * walk them. The result is a canonical absolute path in the supervisor's
 * view of the file system (or a non-path object name like "pipe:[12]"). */
#ifndef FNG_PATH_H
#define FNG_PATH_H

#include "common/util.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define FNG_PATH_BUF 4096

struct fng_namecache;

struct fng_path_req {
	pid_t tid, tgid;
	int dirfd;		/* AT_FDCWD or a descriptor of the tracee */
	const char *path;	/* as the tracee passed it; "" with empty_path: dirfd itself */
	bool follow_last;	/* follow a final symlink */
	bool empty_path;	/* AT_EMPTY_PATH (or NULL path) was given */
	bool in_root;		/* openat2 RESOLVE_IN_ROOT: dirfd is the root */
	const char *root;	/* the tracee's root when known (no chroot possible), else NULL */
	struct fng_namecache *names;	/* what lstat said before, or NULL (tracer/resolve/namecache.h) */
};

/* 0 and the path in out, or -errno as the kernel would fail (ELOOP,
 * ENAMETOOLONG, EBADF ...). A missing component is not an error: the rest is
 * appended as written (O_CREAT, mkdir, rename targets name things that do
 * not exist yet). */
int fng_path_resolve(const struct fng_path_req *req, char *out, size_t outsz);

/* Where the descriptor fd of task tid points (readlink of /proc/TID/fd/FD). */
int fng_path_of_fd(pid_t tid, int fd, char *out, size_t outsz);

#endif
