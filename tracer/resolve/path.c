/* Path resolution in the tracee's context (path.h): cwd, dirfds, root and symlinks. */
#include "tracer/resolve/path.h"
#include "tracer/resolve/namecache.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_SYMLINKS 40 /* the kernel's limit */

bool fng_path_under(const char *root, const char *path)
{
	size_t n = strlen(root);

	if (n == 1 && root[0] == '/')
		return path[0] == '/';
	return strncmp(path, root, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

int fng_path_of_fd(pid_t tid, int fd, char *out, size_t outsz)
{
	char link[64];

	snprintf(link, sizeof(link), "/proc/%d/fd/%d", tid, fd);
	return fng_read_link(link, out, outsz);
}

/* Remove the last component of cur (never above root). */
static void go_up(char *cur, size_t root_len)
{
	char *slash = strrchr(cur, '/');

	if (!slash)
		return;
	if ((size_t)(slash - cur) < root_len || slash == cur) {
		/* at the root: ".." stays there */
		cur[root_len > 1 ? root_len : 1] = '\0';
		if (root_len <= 1)
			cur[0] = '/', cur[1] = '\0';
		return;
	}
	*slash = '\0';
}

static int append(char *cur, size_t cursz, const char *comp, size_t len)
{
	size_t n = strlen(cur);
	bool slash = !(n > 0 && cur[n - 1] == '/');

	if (n + slash + len + 1 > cursz)
		return -ENAMETOOLONG;
	if (slash)
		cur[n++] = '/';
	memcpy(cur + n, comp, len);
	cur[n + len] = '\0';
	return 0;
}

/* Replace rest with target + "/" + rest (a symlink's contents go first). */
static int splice_link(char *rest, size_t restsz, const char *target, const char *tail)
{
	char tmp[FNG_PATH_BUF * 2];
	int n = snprintf(tmp, sizeof(tmp), "%s%s%s", target, *tail ? "/" : "", tail);

	if (n < 0 || (size_t)n >= restsz)
		return -ENAMETOOLONG;
	memcpy(rest, tmp, (size_t)n + 1);
	return 0;
}

static int base_of(const struct fng_path_req *req, char *out, size_t outsz)
{
	char link[64];

	if (req->dirfd == AT_FDCWD)
		snprintf(link, sizeof(link), "/proc/%d/cwd", req->tid);
	else
		snprintf(link, sizeof(link), "/proc/%d/fd/%d", req->tid, req->dirfd);
	return fng_read_link(link, out, outsz);
}

int fng_path_resolve(const struct fng_path_req *req, char *out, size_t outsz)
{
	char root[FNG_PATH_BUF], rest[FNG_PATH_BUF * 2], cur[FNG_PATH_BUF];
	char link[FNG_PATH_BUF], target[FNG_PATH_BUF];
	size_t root_len;
	int links = 0, r;
	/* A component is missing: the kernel's walk fails there, so nothing
	 * after it is asked about (a lone task's name cannot appear meanwhile;
	 * beside others, what an open returned is verified at its exit stop). */
	bool missing = false;

	if (strlen(req->path) >= FNG_PATH_BUF)
		return -ENAMETOOLONG;
	if (req->path[0] == '\0' && !req->empty_path)
		return -ENOENT;

	if (req->root) {
		if (snprintf(root, sizeof(root), "%s", req->root) >= (int)sizeof(root))
			return -ENAMETOOLONG;
	} else {
		snprintf(link, sizeof(link), "/proc/%d/root", req->tid);
		r = fng_read_link(link, root, sizeof(root));
		if (r < 0)
			return r;
	}
	if (req->in_root) {
		r = base_of(req, root, sizeof(root));
		if (r < 0)
			return r;
	}
	root_len = strlen(root);
	if (root_len > 1 && root[root_len - 1] == '/')
		root[--root_len] = '\0';

	if (req->path[0] == '/') {
		snprintf(cur, sizeof(cur), "%s", root);
	} else {
		r = base_of(req, cur, sizeof(cur));
		if (r < 0)
			return r == -ENOENT ? -EBADF : r;
		if (cur[0] != '/') {
			/* dirfd is not a directory (pipe:[..], socket:[..]) */
			if (req->path[0] == '\0')
				return snprintf(out, outsz, "%s", cur) < (int)outsz ? 0 : -ENAMETOOLONG;
			return -ENOTDIR;
		}
	}
	snprintf(rest, sizeof(rest), "%s", req->path);

	for (;;) {
		char *p = rest, *comp, *next;
		char name[NAME_MAX + 1];
		size_t len;
		bool last, trailing;

		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		comp = p;
		next = strchr(p, '/');
		len = next ? (size_t)(next - p) : strlen(p);
		last = !next || next[strspn(next, "/")] == '\0';
		/* "name/" must be a directory: a final symlink is followed. */
		trailing = last && next;
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		memcpy(name, comp, len);
		name[len] = '\0';
		memmove(rest, comp + len, strlen(comp + len) + 1);

		if (strcmp(name, ".") == 0)
			continue;
		if (strcmp(name, "..") == 0) {
			go_up(cur, root_len);
			continue;
		}

		/* /proc/self and /proc/thread-self mean the tracee, not us. */
		if (strcmp(cur, "/proc") == 0 && strcmp(name, "self") == 0)
			snprintf(name, sizeof(name), "%d", req->tgid);
		else if (strcmp(cur, "/proc") == 0 && strcmp(name, "thread-self") == 0) {
			char t[64];
			snprintf(t, sizeof(t), "%d/task/%d", req->tgid, req->tid);
			r = splice_link(rest, sizeof(rest), t, rest);
			if (r < 0)
				return r;
			continue;
		}
		r = append(cur, sizeof(cur), name, strlen(name));
		if (r < 0)
			return r;
		if (last && !req->follow_last && !trailing)
			continue;

		struct fng_name_info ni;
		if (missing)
			continue;
		r = fng_namecache_lstat(req->names, cur, &ni, target, sizeof(target));
		if (r < 0) {
			/* Does not exist (yet): the rest is taken as written. */
			missing = r == -ENOENT || r == -ENOTDIR;
			continue;
		}
		if (!S_ISLNK(ni.mode))
			continue;
		if (++links > MAX_SYMLINKS)
			return -ELOOP;
		if (ni.link_err < 0)
			return ni.link_err;
		go_up(cur, root_len);
		if (target[0] != '/') {
			/* /proc magic links to non-path objects: pipe:[..], anon_inode:.. */
			if (strchr(target, ':') && strstr(cur, "/proc/") == cur) {
				if (rest[strspn(rest, "/")] != '\0')
					return -ENOTDIR;
				return snprintf(out, outsz, "%s", target) < (int)outsz ? 0 : -ENAMETOOLONG;
			}
		} else {
			snprintf(cur, sizeof(cur), "%s", root);
		}
		r = splice_link(rest, sizeof(rest), target, rest);
		if (r < 0)
			return r;
	}
	if (snprintf(out, outsz, "%s", cur) >= (int)outsz)
		return -ENAMETOOLONG;
	return 0;
}
