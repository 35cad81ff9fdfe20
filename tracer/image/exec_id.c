/* What an exec runs, for process events and create_child_process
 * exceptions: the program file, and the ELF file that runs it (the program
 * itself, or a script's #! interpreter), with its build-id, linkage and
 * PT_INTERP. After the exec, from /proc/TID/exe: the file the kernel
 * really mapped. Files are read through the tracer's module cache. */
#include "tracer/internal.h"
#include "common/util.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A regular file for reading (no FIFO or device is ever opened), and
 * which object it is. */
static int open_regular(const char *path, struct fng_object *obj)
{
	struct stat st;
	int fd = fng_open_regular(path, &st);

	if (fd >= 0) {
		obj->dev = st.st_dev;
		obj->ino = st.st_ino;
	}
	return fd;
}

/* Did fd's file change during the run (fng_changed_in_run)? Unknown
 * counts as changed. */
static bool changed_in_run(const struct fng_tracer *t, int fd)
{
	struct stat st;

	return fstat(fd, &st) < 0 || fng_changed_in_run(t, &st);
}

static void fill_elf(struct fng_tracer *t, int fd, struct fng_ev_image *im)
{
	struct fng_module *m = fng_symcache_fd(&t->syms, fd);

	if (!m)
		return; /* not ELF: linkage stays "none" */
	im->linkage = m->elf.linkage;
	im->build_id_len = m->elf.build_id_len;
	memcpy(im->build_id, m->elf.build_id, m->elf.build_id_len);
	fng_strlcpy(im->interp, m->elf.interp, sizeof(im->interp));
}

/* "#!interp [arg]" at the start of fd: the line without "#!", and the
 * interpreter path in interp. False if fd is not a script. */
static bool read_shebang(int fd, char *line, size_t n, char *interp, size_t in)
{
	char buf[256];
	ssize_t got = pread(fd, buf, sizeof(buf) - 1, 0);
	char *s, *end;
	size_t len;

	if (got < 2 || buf[0] != '#' || buf[1] != '!')
		return false;
	buf[got] = '\0';
	s = buf + 2 + strspn(buf + 2, " \t");
	end = s + strcspn(s, "\n");
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	*end = '\0';
	fng_strlcpy(line, s, n);
	len = strcspn(s, " \t");
	if (len >= in)
		len = in - 1;
	memcpy(interp, s, len);
	interp[len] = '\0';
	return true;
}

void fng_exec_target_of_path(struct fng_tracer *t, pid_t tid, const char *path, struct fng_exec_target *x)
{
	autoclose int fd = -1;
	char interp[256], where[FNG_PATH_BUF + 64];

	memset(x, 0, sizeof(*x));
	fng_strlcpy(x->path, path, sizeof(x->path));
	fd = open_regular(path, &x->prog);
	if (fd < 0)
		return; /* nothing there to describe */
	x->have_prog = true;
	x->image.source = FNG_IMAGE_PATH;
	if (!read_shebang(fd, x->image.shebang, sizeof(x->image.shebang), interp, sizeof(interp))) {
		x->elf = x->prog;
		x->have_elf = true;
		x->elf_new = changed_in_run(t, fd);
		fng_strlcpy(x->image.path, path, sizeof(x->image.path));
		fill_elf(t, fd, &x->image);
		return;
	}
	/* A script: the ELF that runs is its interpreter, named as the tracee
	 * sees it (its root; its cwd for the rare relative #!). */
	x->script = true;
	fng_strlcpy(x->image.path, interp, sizeof(x->image.path));
	snprintf(where, sizeof(where), "/proc/%d/%s/%s", tid, interp[0] == '/' ? "root" : "cwd", interp);
	close(fd);
	fd = open_regular(where, &x->elf);
	if (fd < 0)
		return;
	x->have_elf = true;
	x->elf_new = changed_in_run(t, fd);
	fill_elf(t, fd, &x->image);
}

/* /proc/TID/exe's target; cut short rather than dropped if it is too long,
 * so that its start still says where it is. */
void fng_exec_path_of_exe(pid_t tid, char *out, size_t outsz)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/exe", tid);
	n = readlink(link, out, outsz - 1);
	out[n > 0 ? n : 0] = '\0';
}

void fng_exec_target_of_exe(struct fng_tracer *t, pid_t tid, struct fng_exec_target *x)
{
	autoclose int fd = -1;
	char link[64];

	memset(x, 0, sizeof(*x));
	x->image.source = FNG_IMAGE_EXE;
	fng_exec_path_of_exe(tid, x->path, sizeof(x->path));
	fng_strlcpy(x->image.path, x->path, sizeof(x->image.path));
	snprintf(link, sizeof(link), "/proc/%d/exe", tid);
	fd = open_regular(link, &x->prog);
	if (fd < 0)
		return;
	x->have_prog = x->have_elf = true;
	x->elf = x->prog;
	x->elf_new = changed_in_run(t, fd);
	fill_elf(t, fd, &x->image);
}

bool fng_exec_excepted(const struct fng_tracer *t, const struct fng_exec_target *x)
{
	return fng_decide_exec_excepted(t->policy, t->exec_allow, t->n_exec_allow, x);
}

int fng_exec_allow_setup(struct fng_tracer *t)
{
	const struct fng_policy *p = t->policy;

	if (!p->n_exec_allow_paths)
		return 0;
	t->exec_allow = calloc(p->n_exec_allow_paths, sizeof(*t->exec_allow));
	if (!t->exec_allow)
		return -ENOMEM;
	for (size_t i = 0; i < p->n_exec_allow_paths; i++) {
		struct fng_exec_allow *a = &t->exec_allow[i];
		struct stat st;

		a->path = p->exec_allow_paths[i];
		if (!realpath(a->path, a->real))
			fng_strlcpy(a->real, a->path, sizeof(a->real));
		if (stat(a->path, &st) == 0) {
			a->obj.dev = st.st_dev;
			a->obj.ino = st.st_ino;
			a->have_obj = true;
		}
	}
	t->n_exec_allow = p->n_exec_allow_paths;
	return 0;
}
