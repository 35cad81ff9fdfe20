/*
 * handler_code - read_handler: reading the handler's code other than the
 * handler file, after initialisation (issue 22).
 *
 * `handler_code --setup DIR` lays out a task root in DIR: a Python package
 * handler (_HANDLER=pkgapp.app.handler) whose code files all hold the secret
 * (pkgapp/__init__.py, app.py, app.pyc, __pycache__/app.cpython-311.pyc,
 * helper.py, sub/deep.py) and a custom-runtime bootstrap, plus a data file.
 *
 * Run with FNG_TASK_ROOT (that DIR), FNG_WORKDIR and AWS_LAMBDA_RUNTIME_API:
 * while initialising it writes a .pyc of its own (as Python does at import),
 * then connects to the Runtime API (initialisation ends), then reads each
 * code file by name and through aliases made after initialisation (hard
 * link, symlink, a hard link to the cache written during initialisation, a
 * directory descriptor, an O_PATH descriptor reopened through
 * /proc/self/fd), and sets a fanotify watch on the task root (root only).
 * Reading the secret is BYPASSED.
 */
#define _GNU_SOURCE
#include "adv.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/fanotify.h>
#include <sys/socket.h>
#include <sys/stat.h>

static const char *const code_files[] = {
	"pkgapp/__init__.py", "pkgapp/app.py", "pkgapp/app.pyc", "pkgapp/__pycache__/app.cpython-311.pyc",
	"pkgapp/helper.py", "pkgapp/sub/deep.py", "bootstrap",
};
static const char *const vectors[] = {
	"package_init", "handler_module", "pyc_beside", "pyc_pycache", "package_module", "package_subdir", "bootstrap",
};

static int write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int setup(const char *dir)
{
	static const char *const dirs[] = { "pkgapp", "pkgapp/__pycache__", "pkgapp/sub" };
	char p[4096];

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(p, sizeof p, "%s/%s", dir, dirs[i]);
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return 1;
	}
	for (size_t i = 0; i < sizeof(code_files) / sizeof(code_files[0]); i++) {
		snprintf(p, sizeof p, "%s/%s", dir, code_files[i]);
		if (write_file(p, SECRET_CONTENT, 0755) < 0)
			return 1;
	}
	snprintf(p, sizeof p, "%s/pkgapp/page.html", dir);
	return write_file(p, "<p>data</p>\n", 0644) < 0;
}

/* Open path (relative to dirfd) for reading and judge what it reads. */
static void try_open(const char *name, int dirfd, const char *path)
{
	char desc[700];
	int fd = openat(dirfd, path, O_RDONLY);

	if (fd < 0) {
		report(name, is_denial(errno) ? DEFENDED : ERRORED, "open %s: %s", path, strerror(errno));
		return;
	}
	int kind = check_secret_fd(fd, desc, sizeof desc);
	close(fd);
	report(name, kind, "%s: %s", path, desc);
}

/* A link to target made after initialisation (link or symlink), read. */
static void try_link(const char *name, int (*make)(const char *, const char *), const char *target,
		     const char *alias)
{
	if (make(target, alias) < 0) {
		setup_failed(name, "make the link", errno);
		return;
	}
	try_open(name, AT_FDCWD, alias);
	unlink(alias);
}

static void aliases(const char *root, const char *work)
{
	char target[4096], alias[4096];
	int dfd, pfd;

	snprintf(target, sizeof target, "%s/pkgapp/helper.py", root);
	snprintf(alias, sizeof alias, "%s/hc-hardlink", work);
	try_link("hardlink_after_init", link, target, alias);
	snprintf(alias, sizeof alias, "%s/hc-symlink", work);
	try_link("symlink_after_init", symlink, target, alias);
	/* The cache written during initialisation, under another name. */
	snprintf(target, sizeof target, "%s/pkgapp/__pycache__/helper.cpython-399.pyc", root);
	snprintf(alias, sizeof alias, "%s/hc-pyc-link", work);
	try_link("hardlink_init_pyc", link, target, alias);
	snprintf(target, sizeof target, "%s/pkgapp/helper.py", root);
	snprintf(alias, sizeof alias, "%s/pkgapp", root);
	dfd = open(alias, O_RDONLY | O_DIRECTORY);
	if (dfd < 0) {
		setup_failed("dirfd_openat", "open the package directory", errno);
	} else {
		try_open("dirfd_openat", dfd, "helper.py");
		close(dfd);
	}
	pfd = open(target, O_PATH);
	if (pfd < 0) {
		setup_failed("proc_fd_reopen", "open O_PATH", errno);
	} else {
		snprintf(alias, sizeof alias, "/proc/self/fd/%d", pfd);
		try_open("proc_fd_reopen", AT_FDCWD, alias);
		close(pfd);
	}
}

/* fanotify (root): a watch on the task root's mount hands out a readable
 * descriptor of every file anyone opens there, inside fnguard's tree or
 * not, without an open of the watcher's own. BYPASSED when the watch can
 * be set: any later open of the code, by anyone, is then readable. */
static void fanotify_watch(const char *root)
{
	int fa = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);

	if (fa < 0) {
		report("fanotify_watch", is_denial(errno) ? DEFENDED : ERRORED, "fanotify_init: %s", strerror(errno));
		return;
	}
	if (fanotify_mark(fa, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN, AT_FDCWD, root) < 0)
		report("fanotify_watch", is_denial(errno) ? DEFENDED : ERRORED, "fanotify_mark: %s", strerror(errno));
	else
		report("fanotify_watch", BYPASSED, "watching opens on the task root's mount");
	close(fa);
}

int main(int argc, char **argv)
{
	char p[4096];

	if (argc == 3 && strcmp(argv[1], "--setup") == 0)
		return setup(argv[2]);
	adv_init();
	const char *root = need_env("FNG_TASK_ROOT"), *work = need_env("FNG_WORKDIR");

	/* Initialisation: the runtime writes a cache while importing (allowed). */
	snprintf(p, sizeof p, "%s/pkgapp/__pycache__/helper.cpython-399.pyc", root);
	if (write_file(p, SECRET_CONTENT, 0644) < 0)
		env_error("write %s: %s", p, strerror(errno));
	adv_end_init();

	for (size_t i = 0; i < sizeof(code_files) / sizeof(code_files[0]); i++) {
		snprintf(p, sizeof p, "%s/%s", root, code_files[i]);
		try_open(vectors[i], AT_FDCWD, p);
	}
	snprintf(p, sizeof p, "%s/pkgapp/__pycache__/helper.cpython-399.pyc", root);
	try_open("pyc_written_at_init", AT_FDCWD, p);
	aliases(root, work);
	fanotify_watch(root);
	return adv_exit_status();
}
