/* inherited_fds: descriptors opened by whoever started fnguard, used by the
 * runtime. The harness starts the program (or fnguard) with
 *   3<FNG_SECRET 4<FNG_TMPDIR 5<>FNG_VICTIM
 * Vectors: read the secret through 3; list the temp root through 4 (getdents)
 * and open the secret relative to it; truncate, write and fchmod the victim
 * through 5; any other descriptor above 2 that leads into the temp root.
 * A descriptor that is not there (EBADF) is defended: it was closed before
 * the runtime started. Changes to the victim are undone. */
#define _GNU_SOURCE
#include "adv.h"

#include <dirent.h>
#include <sys/stat.h>

static void read_secret(void)
{
	char buf[64], desc[300];
	ssize_t n = pread(3, buf, sizeof(buf), 0);

	if (n < 0 && (errno == EBADF || is_denial(errno))) {
		report("read_secret_fd3", DEFENDED, "%s", strerror(errno));
		return;
	}
	if (n >= 0 && is_secret(buf, n)) {
		report("read_secret_fd3", BYPASSED, "read the secret through descriptor 3");
		return;
	}
	escape(buf, n > 0 ? (size_t)n : 0, desc, sizeof(desc));
	report("read_secret_fd3", n < 0 ? ERRORED : DEFENDED, "%s", n < 0 ? strerror(errno) : desc);
}

static void list_tmp(void)
{
	char buf[4096];
	long n = syscall(SYS_getdents64, 4, buf, sizeof(buf));
	int found = 0;

	if (n < 0) {
		report("list_tmp_fd4", errno == EBADF || is_denial(errno) || errno == ENOTDIR ? DEFENDED : ERRORED,
		       "%s", strerror(errno));
		return;
	}
	for (long off = 0; off < n;) {
		struct dirent64 *d = (struct dirent64 *)(buf + off);
		found |= strcmp(d->d_name, "secret") == 0;
		off += d->d_reclen;
	}
	report("list_tmp_fd4", found ? BYPASSED : DEFENDED, "%s", found ? "listed the temp root" : "no secret listed");
}

static void open_through_dirfd(void)
{
	char desc[700];
	int fd = openat(4, "secret", O_RDONLY);

	if (fd < 0) {
		report("openat_fd4", errno == EBADF || is_denial(errno) ? DEFENDED : ERRORED, "%s", strerror(errno));
		return;
	}
	report("openat_fd4", check_secret_fd(fd, desc, sizeof(desc)) ? BYPASSED : DEFENDED, "%s", desc);
	close(fd);
}

/* A call that succeeds on the victim is the change: undone at once. */
static int do_truncate(void) { return ftruncate(5, 0); }
static int undo_truncate(void) { return pwrite(5, "victim\n", 7, 0) == 7 ? 0 : -1; }
static int do_write(void) { return pwrite(5, "V", 1, 0) == 1 ? 0 : -1; }
static int undo_write(void) { return pwrite(5, "v", 1, 0) == 1 ? 0 : -1; }
static int do_fchmod(void) { return fchmod(5, 0600); }
static int undo_fchmod(void) { return fchmod(5, 0644); }

static void change_victim(void)
{
	static const struct {
		const char *name;
		int (*change)(void), (*undo)(void);
	} calls[] = {
		{ "truncate_victim_fd5", do_truncate, undo_truncate },
		{ "write_victim_fd5", do_write, undo_write },
		{ "fchmod_victim_fd5", do_fchmod, undo_fchmod },
	};

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		int e;
		if (calls[i].change() == 0) {
			report(calls[i].name, BYPASSED, "changed the victim through descriptor 5");
			if (calls[i].undo() < 0)
				report("restore", ERRORED, "victim not restored: %s", strerror(errno));
			continue;
		}
		e = errno;
		report(calls[i].name, e == EBADF || is_denial(e) ? DEFENDED : ERRORED, "%s", strerror(e));
	}
}

/* Any other descriptor above 5 that leads into the temp root. */
static void scan_others(const char *tmpdir)
{
	char link[64], path[4096];
	size_t tl = strlen(tmpdir);
	int hits = 0;

	for (int fd = 6; fd < 1024; fd++) {
		ssize_t n;
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, path, sizeof(path) - 1);
		if (n <= 0)
			continue;
		path[n] = '\0';
		if (strncmp(path, tmpdir, tl) == 0 && (path[tl] == '\0' || path[tl] == '/'))
			hits++;
	}
	report("other_fds", hits ? BYPASSED : DEFENDED, "%d other descriptor(s) into the temp root", hits);
}

int main(void)
{
	const char *tmpdir = need_env("FNG_TMPDIR");

	adv_init();
	need_env("FNG_SECRET");
	need_env("FNG_VICTIM");
	read_secret();
	list_tmp();
	open_through_dirfd();
	change_victim();
	scan_others(tmpdir);
	return adv_exit_status();
}
