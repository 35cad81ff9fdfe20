/* stderr, stdout and file: sinks. A regular file is written by libuv's
 * thread pool (a slow disk never stalls the loop); a pipe, terminal or
 * socket is written non-blocking on the loop through its own open file
 * description (reopened through /proc/self/fd, so the runtime's shared
 * stdio never becomes non-blocking). file: reopens on SIGHUP (logrotate). */
#include "logging/sinks/sink_sock.h"
#include "common/util.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#define FS_MAX_BUFS 64

struct fd_sink {
	struct fng_sock k;	/* pipes, terminals, sockets */
	int fd;			/* regular files: written with uv_fs_write */
	bool fs_mode;
	bool busy;		/* an fs write is in flight */
	bool reopen_pending;
	bool fs_closing;
	size_t off;		/* bytes of the oldest line already written */
	uv_fs_t req;
	uv_buf_t bufs[FS_MAX_BUFS];
	struct fng_line *inflight[FS_MAX_BUFS];	/* held while the pool writes them */
	unsigned n_inflight;
};

static int open_file(const struct fng_sink *s)
{
	int fd = open(s->spec.target, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0640);
	return fd < 0 ? -errno : fd;
}

/* A descriptor of our own for fd 1 or 2, non-blocking where possible. */
static int open_stdio(int which, bool *nonblocking, bool *is_socket)
{
	char path[32];
	struct stat st;
	int fd;

	*nonblocking = *is_socket = false;
	if (fstat(which, &st) < 0)
		return -errno;
	if (S_ISSOCK(st.st_mode)) {
		*nonblocking = *is_socket = true;	/* send(MSG_DONTWAIT) per call */
		fd = fcntl(which, F_DUPFD_CLOEXEC, 3);
		return fd < 0 ? -errno : fd;
	}
	if (!S_ISREG(st.st_mode)) {
		autoclose int own = -1;
		struct stat st2;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", which);
		own = open(path, O_WRONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
		if (own >= 0 && fstat(own, &st2) == 0 && st2.st_ino == st.st_ino && st2.st_dev == st.st_dev) {
			*nonblocking = true;
			return fng_steal_fd(&own);
		}
	}
	/* A regular file, or no way to get a private description: the thread
	 * pool does the (possibly blocking) writes. */
	fd = fcntl(which, F_DUPFD_CLOEXEC, 3);
	return fd < 0 ? -errno : fd;
}

static int fd_start(struct fng_sink *s, char *err, size_t errn)
{
	struct fd_sink *f = s->priv;
	bool nonblocking = false, is_socket = false;
	struct stat st;
	int fd;

	fng_sock_init(&f->k, s, SOCK_STREAM, NULL);
	if (s->spec.kind == FNG_SINK_FILE) {
		fd = open_file(s);
		if (fd >= 0 && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode))
			nonblocking = true, is_socket = S_ISSOCK(st.st_mode);
	} else {
		fd = open_stdio(s->spec.kind == FNG_SINK_STDERR ? STDERR_FILENO : STDOUT_FILENO, &nonblocking, &is_socket);
	}
	if (fd < 0) {
		snprintf(err, errn, "cannot open log destination %s: %s", s->name, strerror(-fd));
		return fd;
	}
	if (nonblocking) {
		fng_sock_adopt(&f->k, fd, is_socket);
		fng_sock_start(&f->k);
	} else {
		f->fs_mode = true;
		f->fd = fd;
		f->req.data = s;
	}
	return 0;
}

static void fs_kick(struct fng_sink *s);

static void do_reopen(struct fng_sink *s)
{
	struct fd_sink *f = s->priv;
	int fd;

	f->reopen_pending = false;
	fd = open_file(s);
	if (fd < 0) {
		fng_sink_fail(s, "reopen after SIGHUP: %s; still writing to the old file", strerror(-fd));
		return;
	}
	close(f->fd);
	f->fd = fd;
	fng_sink_recovered(s);
}

static void fs_finish_close(struct fng_sink *s)
{
	struct fd_sink *f = s->priv;

	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	fng_sink_closed(s);
}

static void on_fs_write(uv_fs_t *req)
{
	struct fng_sink *s = req->data;
	struct fd_sink *f = s->priv;
	ssize_t r = req->result;
	size_t done = 0;

	uv_fs_req_cleanup(req);
	f->busy = false;
	for (unsigned i = 0; i < f->n_inflight; i++)
		fng_line_unref(f->inflight[i]);
	if (f->fs_closing) {
		fs_finish_close(s);	/* the queue may have been dropped meanwhile */
		return;
	}
	if (r < 0) {
		/* ENOSPC, EIO ...: what was in flight is lost; report once. */
		fng_sink_fail(s, "write: %s", uv_strerror((int)r));
		f->off = 0;
		fng_sink_pop(s, f->n_inflight, false);
	} else {
		size_t written = (size_t)r;
		while (written) {
			struct fng_line *l = fng_sink_at(s, done);
			size_t rem = l->len - f->off;
			if (written < rem) {
				f->off += written;
				break;
			}
			written -= rem;
			f->off = 0;
			done++;
		}
		if (done)
			fng_sink_recovered(s);
		fng_sink_pop(s, done, true);
	}
	if (f->reopen_pending)
		do_reopen(s);
	fs_kick(s);
}

static void fs_kick(struct fng_sink *s)
{
	struct fd_sink *f = s->priv;
	unsigned n = 0;
	int r;

	if (f->busy || f->fs_closing || s->closing)
		return;
	for (struct fng_line *l; n < FS_MAX_BUFS && (l = fng_sink_at(s, n)); n++) {
		size_t skip = n == 0 ? f->off : 0;
		f->bufs[n] = uv_buf_init(l->data + skip, (unsigned)(l->len - skip));
		f->inflight[n] = fng_line_ref(l);
	}
	f->n_inflight = n;
	if (n == 0)
		return;
	r = uv_fs_write(s->loop, &f->req, f->fd, f->bufs, n, -1, on_fs_write);
	if (r < 0) {
		for (unsigned i = 0; i < n; i++)
			fng_line_unref(f->inflight[i]);
		fng_sink_fail(s, "write: %s", uv_strerror(r));
		fng_sink_pop(s, n, false);
		return;
	}
	f->busy = true;
}

static void fd_kick(struct fng_sink *s)
{
	struct fd_sink *f = s->priv;

	if (f->fs_mode)
		fs_kick(s);
	else
		fng_sock_kick(&f->k);
}

static void fd_reopen(struct fng_sink *s)
{
	struct fd_sink *f = s->priv;

	if (s->spec.kind != FNG_SINK_FILE || !f->fs_mode)
		return;
	if (f->busy)
		f->reopen_pending = true;
	else
		do_reopen(s);
}

static bool fd_ready(struct fng_sink *s)
{
	struct fd_sink *f = s->priv;

	return f->fs_mode ? f->fd >= 0 : fng_sock_ready(&f->k);
}

static size_t fd_inflight(struct fng_sink *s)
{
	struct fd_sink *f = s->priv;

	if (!f->fs_mode)
		return fng_sock_inflight(&f->k);
	return f->busy ? f->n_inflight : f->off ? 1 : 0;
}

static void fd_close(struct fng_sink *s)
{
	struct fd_sink *f = s->priv;

	if (!f->fs_mode) {
		fng_sock_close(&f->k);
		return;
	}
	f->fs_closing = true;
	/* A write in flight cannot be taken back: finish when it returns. */
	if (!f->busy)
		fs_finish_close(s);
}

/* stderr and stdout are the function's too: a JSON line written after the
 * function's unfinished line would be glued to it, so it starts with a
 * newline of its own (collectors skip the empty lines this leaves). */
static struct fng_line *fd_frame(struct fng_sink *s, struct fng_line *l)
{
	struct fng_line *f;

	if (s->spec.kind == FNG_SINK_FILE || !l->record)
		return fng_line_ref(l);
	f = fng_line_alloc(l->len + 1);
	if (!f)
		return NULL;
	f->data[0] = '\n';
	memcpy(f->data + 1, l->data, l->len);
	f->seq = l->seq;
	f->time_ns = l->time_ns;
	f->record = true;
	return f;
}

const struct fng_sink_ops fng_sink_fd_ops = {
	.priv_size = sizeof(struct fd_sink),
	.start = fd_start,
	.kick = fd_kick,
	.reopen = fd_reopen,
	.ready = fd_ready,
	.inflight = fd_inflight,
	.close = fd_close,
	.frame = fd_frame,
};
