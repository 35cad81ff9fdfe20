/* Files the supervisor itself writes, and the tasks that map them shared.
 * A lone task is alone with its memory unless something writes it beside
 * it; a MAP_SHARED mapping of a file fnguard writes (its events on a shared
 * stderr file, a file sink) is such a writer, and one whose bytes a function
 * can predict: it could serve as a path buffer that changes between the
 * check and the kernel's read. Mapping one makes every later open and
 * connect verified at its exit stop (fng_racers_possible). */
#include "tracer/internal.h"
#include "common/util.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>

void fng_written_files_setup(struct fng_tracer *t)
{
	DIR *d = opendir("/proc/self/fd");

	t->n_own_files = 0;
	if (!d) {
		t->async_writers = true; /* cannot tell: as if a writer were there */
		return;
	}
	for (struct dirent *e; (e = readdir(d));) {
		struct stat st;
		int fd = atoi(e->d_name), fl;

		if (e->d_name[0] == '.' || fd == dirfd(d))
			continue;
		fl = fcntl(fd, F_GETFL);
		if (fl < 0 || (fl & O_ACCMODE) == O_RDONLY || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (t->n_own_files == FNG_ARRAY_LEN(t->own_files)) {
			t->async_writers = true; /* more than it keeps: as if mapped */
			break;
		}
		t->own_files[t->n_own_files++] = (struct fng_object){ .dev = st.st_dev, .ino = st.st_ino };
	}
	closedir(d);
}

/* mmap(..., MAP_SHARED, fd, ...): of a file the supervisor writes? */
enum fng_resume fng_check_shared_map(struct fng_call *c)
{
	struct fng_tracer *t = c->t;
	autoclose int dup = -1;
	struct stat st;

	if (t->async_writers || (int)c->args[4] < 0 || t->n_own_files == 0)
		return FNG_RESUME_CONT;
	dup = fng_tracee_fd(c->tc->tgid, (int)c->args[4]);
	if (dup == -EBADF)
		return FNG_RESUME_CONT; /* the kernel answers EBADF; nothing is mapped */
	if (dup < 0 || fstat(dup, &st) < 0) {
		t->async_writers = true; /* cannot tell: as if it were one */
		return FNG_RESUME_CONT;
	}
	for (size_t i = 0; i < t->n_own_files; i++)
		if (t->own_files[i].dev == st.st_dev && t->own_files[i].ino == st.st_ino)
			t->async_writers = true;
	return FNG_RESUME_CONT;
}
