/* The places the policy talks about, resolved once before the runtime
 * starts (the temp root, the handler files), and where a path lies among
 * them, the supervisor's own /proc entries included. Facts for the rules'
 * decisions (policy/decide.h). */
#include "tracer/internal.h"
#include "common/util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fng_place_setup_tmp(struct fng_tracer *t, char *err, size_t errn)
{
	const char *root = t->policy->tmp_root ? t->policy->tmp_root : "/tmp";
	char parent[PATH_MAX];
	struct stat st, pst;

	if (!realpath(root, t->tmp_root)) {
		/* Not there (yet): watch the name as written. */
		fng_strlcpy(t->tmp_root, root, sizeof(t->tmp_root));
		return 0;
	}
	if (stat(t->tmp_root, &st) < 0) {
		snprintf(err, errn, "temp root %s: %s", t->tmp_root, strerror(errno));
		return -errno;
	}
	snprintf(parent, sizeof(parent), "%s/..", t->tmp_root);
	if (stat(parent, &pst) == 0 && (pst.st_dev != st.st_dev || pst.st_ino == st.st_ino)) {
		t->tmp_is_mount = strcmp(t->tmp_root, "/") != 0;
		t->tmp_dev = st.st_dev;
	}
	return 0;
}

static void add_handler(struct fng_tracer *t, const char *path)
{
	struct stat st;

	if (t->n_handlers >= FNG_MAX_HANDLERS || stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return;
	for (size_t i = 0; i < t->n_handlers; i++)
		if (t->handlers[i].dev == st.st_dev && t->handlers[i].ino == st.st_ino)
			return;
	t->handlers[t->n_handlers].dev = st.st_dev;
	t->handlers[t->n_handlers].ino = st.st_ino;
	fng_strlcpy(t->handler_names[t->n_handlers], path, sizeof(t->handler_names[0]));
	t->n_handlers++;
}

/* _HANDLER "app.fn" in LAMBDA_TASK_ROOT: app.py (Python, dots are packages),
 * app.js, app.mjs, app.cjs (Node). Every existing candidate is protected. */
void fng_place_setup_handlers(struct fng_tracer *t, const char *h, const char *root)
{
	static const char *const exts[] = { ".py", ".js", ".mjs", ".cjs" };
	char module[256], dotted[256], path[PATH_MAX], cwd[PATH_MAX];
	char *dot;

	for (size_t i = 0; i < t->policy->n_handler_paths; i++)
		add_handler(t, t->policy->handler_paths[i]);
	if (!h || !*h || strlen(h) >= sizeof(module))
		return;
	if (!root || !*root)
		root = getcwd(cwd, sizeof(cwd)) ? cwd : ".";
	strcpy(module, h);
	dot = strrchr(module, '.');
	if (!dot || dot == module)
		return;
	*dot = '\0';
	strcpy(dotted, module);
	for (char *c = dotted; *c; c++)
		if (*c == '.')
			*c = '/';
	for (size_t i = 0; i < FNG_ARRAY_LEN(exts); i++) {
		snprintf(path, sizeof(path), "%s/%s%s", root, module, exts[i]);
		add_handler(t, path);
		snprintf(path, sizeof(path), "%s/%s%s", root, dotted, exts[i]);
		add_handler(t, path);
	}
}

/* The nearest existing ancestor's device tells which file system a path is on. */
static bool on_device(const struct fng_namecache *nc, const char *path, dev_t dev)
{
	char buf[FNG_PATH_BUF];
	struct stat st;

	fng_strlcpy(buf, path, sizeof(buf));
	for (;;) {
		char *slash;
		if (fng_namecache_stat(nc, buf, &st) == 0)
			return st.st_dev == dev;
		slash = strrchr(buf, '/');
		if (!slash || slash == buf)
			return false;
		*slash = '\0';
	}
}

bool fng_place_in_tmp(const struct fng_tracer *t, const char *path)
{
	if (fng_path_under(t->tmp_root, path))
		return true;
	/* A deleted file or directory: "/tmp/x (deleted)" */
	return t->tmp_is_mount && path[0] == '/' && on_device(&t->names, path, t->tmp_dev);
}

bool fng_place_handler_object(const struct fng_tracer *t, const struct stat *st)
{
	for (size_t i = 0; i < t->n_handlers; i++)
		if (t->handlers[i].dev == st->st_dev && t->handlers[i].ino == st->st_ino)
			return true;
	return false;
}

bool fng_place_is_handler(const struct fng_tracer *t, const char *path)
{
	struct stat st;

	if (t->n_handlers == 0 || path[0] != '/' || fng_namecache_stat(&t->names, path, &st) < 0)
		return false;
	return fng_place_handler_object(t, &st);
}

bool fng_place_supervisor_task(struct fng_tracer *t, pid_t pid)
{
	char path[64];
	struct stat st;

	if (pid == t->sup_pid)
		return true;
	if (pid <= 0 || fng_tracee_find(&t->tasks, pid))
		return false;
	for (size_t i = 0; i < FNG_ARRAY_LEN(t->sup_tids) && t->sup_tids[i]; i++)
		if (t->sup_tids[i] == pid)
			return true;
	snprintf(path, sizeof(path), "/proc/%d/task/%d", t->sup_pid, pid);
	if (stat(path, &st) == 0)
		return true;
	return errno != ENOENT;
}

bool fng_place_guarded(struct fng_tracer *t, const char *path)
{
	char *end;
	long pid;

	if (strncmp(path, "/proc/", 6) != 0 || path[6] < '1' || path[6] > '9')
		return false;
	errno = 0;
	pid = strtol(path + 6, &end, 10);
	if (errno || (*end && *end != '/') || pid > INT32_MAX)
		return false;
	return fng_place_supervisor_task(t, (pid_t)pid);
}
