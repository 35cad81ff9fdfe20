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

/* One resolution's state: the root, what is resolved so far (cur) and
 * what is left to walk (rest). */
struct walk {
	const struct fng_path_req *req;
	char root[FNG_PATH_BUF], rest[FNG_PATH_BUF * 2], cur[FNG_PATH_BUF], target[FNG_PATH_BUF];
	size_t root_len;
	int links;
	/* A component is missing: the kernel's walk fails there, so nothing
	 * after it is asked about (a lone task's name cannot appear meanwhile;
	 * beside others, what an open returned is verified at its exit stop). */
	bool missing;
};

/* The tracee's root (RESOLVE_IN_ROOT: dirfd), without a trailing slash. */
static int walk_root(struct walk *w)
{
	const struct fng_path_req *req = w->req;
	int r;

	if (req->root) {
		if (snprintf(w->root, sizeof(w->root), "%s", req->root) >= (int)sizeof(w->root))
			return -ENAMETOOLONG;
	} else {
		char link[64];
		snprintf(link, sizeof(link), "/proc/%d/root", req->tid);
		r = fng_read_link(link, w->root, sizeof(w->root));
		if (r < 0)
			return r;
	}
	if (req->in_root) {
		r = base_of(req, w->root, sizeof(w->root));
		if (r < 0)
			return r;
	}
	w->root_len = strlen(w->root);
	if (w->root_len > 1 && w->root[w->root_len - 1] == '/')
		w->root[--w->root_len] = '\0';
	return 0;
}

/* Where the walk starts: the root, or the cwd or dirfd. 1 when that is
 * already the answer (in out: a dirfd that is not a directory, empty path). */
static int walk_start(struct walk *w, char *out, size_t outsz)
{
	const struct fng_path_req *req = w->req;
	int r;

	if (req->path[0] == '/') {
		snprintf(w->cur, sizeof(w->cur), "%s", w->root);
	} else {
		r = base_of(req, w->cur, sizeof(w->cur));
		if (r < 0)
			return r == -ENOENT ? -EBADF : r;
		if (w->cur[0] != '/') {
			/* dirfd is not a directory (pipe:[..], socket:[..]) */
			if (req->path[0] == '\0')
				return snprintf(out, outsz, "%s", w->cur) < (int)outsz ? 1 : -ENAMETOOLONG;
			return -ENOTDIR;
		}
	}
	snprintf(w->rest, sizeof(w->rest), "%s", req->path);
	return 0;
}

/* Take the next component of rest into name: 1, or 0 when none is left.
 * last: nothing but slashes follows; trailing: and at least one does. */
static int next_component(struct walk *w, char name[NAME_MAX + 1], bool *last, bool *trailing)
{
	char *p = w->rest, *comp, *next;
	size_t len;

	while (*p == '/')
		p++;
	if (*p == '\0')
		return 0;
	comp = p;
	next = strchr(p, '/');
	len = next ? (size_t)(next - p) : strlen(p);
	*last = !next || next[strspn(next, "/")] == '\0';
	/* "name/" must be a directory: a final symlink is followed. */
	*trailing = *last && next;
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(name, comp, len);
	name[len] = '\0';
	memmove(w->rest, comp + len, strlen(comp + len) + 1);
	return 1;
}

/* cur names something now: if it is a symlink, go back up and put its
 * target in front of rest. 1 when the answer is a /proc magic link's
 * non-path object (in out). */
static int walk_link(struct walk *w, char *out, size_t outsz)
{
	struct fng_name_info ni;
	int r;

	if (w->missing)
		return 0;
	r = fng_namecache_lstat(w->req->names, w->cur, &ni, w->target, sizeof(w->target));
	if (r < 0) {
		/* Does not exist (yet): the rest is taken as written. */
		w->missing = r == -ENOENT || r == -ENOTDIR;
		return 0;
	}
	if (!S_ISLNK(ni.mode))
		return 0;
	if (++w->links > MAX_SYMLINKS)
		return -ELOOP;
	if (ni.link_err < 0)
		return ni.link_err;
	go_up(w->cur, w->root_len);
	if (w->target[0] != '/') {
		/* /proc magic links to non-path objects: pipe:[..], anon_inode:.. */
		if (strchr(w->target, ':') && strstr(w->cur, "/proc/") == w->cur) {
			if (w->rest[strspn(w->rest, "/")] != '\0')
				return -ENOTDIR;
			return snprintf(out, outsz, "%s", w->target) < (int)outsz ? 1 : -ENAMETOOLONG;
		}
	} else {
		snprintf(w->cur, sizeof(w->cur), "%s", w->root);
	}
	return splice_link(w->rest, sizeof(w->rest), w->target, w->rest);
}

int fng_path_resolve(const struct fng_path_req *req, char *out, size_t outsz)
{
	struct walk w = { .req = req };
	char name[NAME_MAX + 1];
	bool last, trailing;
	int r;

	if (strlen(req->path) >= FNG_PATH_BUF)
		return -ENAMETOOLONG;
	if (req->path[0] == '\0' && !req->empty_path)
		return -ENOENT;
	r = walk_root(&w);
	if (r == 0)
		r = walk_start(&w, out, outsz);
	if (r != 0)
		return r < 0 ? r : 0;

	while ((r = next_component(&w, name, &last, &trailing)) > 0) {
		if (strcmp(name, ".") == 0)
			continue;
		if (strcmp(name, "..") == 0) {
			go_up(w.cur, w.root_len);
			continue;
		}
		/* /proc/self and /proc/thread-self mean the tracee, not us. */
		if (strcmp(w.cur, "/proc") == 0 && strcmp(name, "self") == 0) {
			snprintf(name, sizeof(name), "%d", req->tgid);
		} else if (strcmp(w.cur, "/proc") == 0 && strcmp(name, "thread-self") == 0) {
			char t[64];
			snprintf(t, sizeof(t), "%d/task/%d", req->tgid, req->tid);
			r = splice_link(w.rest, sizeof(w.rest), t, w.rest);
			if (r < 0)
				return r;
			continue;
		}
		r = append(w.cur, sizeof(w.cur), name, strlen(name));
		if (r < 0)
			return r;
		if (last && !req->follow_last && !trailing)
			continue;
		r = walk_link(&w, out, outsz);
		if (r != 0)
			return r < 0 ? r : 0;
	}
	if (r < 0)
		return r;
	if (snprintf(out, outsz, "%s", w.cur) >= (int)outsz)
		return -ENAMETOOLONG;
	return 0;
}
