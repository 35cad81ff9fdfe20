/* read_handler's code set, the pure part (handler.h): the module names a
 * _HANDLER means, what code files are called, and matching a path or an
 * object against the set. No I/O here: handler_scan.c reads the disk. */
#include "policy/handler.h"
#include "common/util.h"

#include <stdlib.h>
#include <string.h>

/* A relative module path we may look for: no "/" first, no empty, "." or
 * ".." component. */
static bool module_name_ok(const char *n)
{
	const char *c = n;

	if (!*n || *n == '/')
		return false;
	for (;;) {
		size_t len = strcspn(c, "/");
		if (len == 0 || (len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		if (!c[len])
			return true;
		c += len + 1;
	}
}

/* Add handler[0, len) (dots made '/' when dots_to_dirs) unless bad or seen. */
static size_t add_name(const char *handler, size_t len, bool dots_to_dirs, char names[][FNG_HANDLER_NAME_MAX],
		       size_t n, size_t max)
{
	char buf[FNG_HANDLER_NAME_MAX];

	if (n >= max || len == 0 || len >= sizeof(buf))
		return n;
	memcpy(buf, handler, len);
	buf[len] = '\0';
	for (char *c = buf; dots_to_dirs && *c; c++)
		if (*c == '.')
			*c = '/';
	if (!module_name_ok(buf))
		return n;
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], buf) == 0)
			return n;
	memcpy(names[n], buf, len + 1);
	return n + 1;
}

size_t fng_handler_module_names(const char *handler, char names[][FNG_HANDLER_NAME_MAX], size_t max)
{
	const char *last, *java;
	size_t n = 0;

	if (!handler || !*handler)
		return 0;
	last = strrchr(handler, '.');
	java = strstr(handler, "::");
	/* The file before the last dot, as written (Node "my.mod.fn" -> my.mod.js) */
	if (last)
		n = add_name(handler, (size_t)(last - handler), false, names, n, max);
	for (const char *c = handler; *c; c++)
		if (*c == '.' || c == java)
			n = add_name(handler, (size_t)(c - handler), true, names, n, max);
	/* The whole name: a Java class without "::method" ("example.Hello"). */
	if (!java)
		n = add_name(handler, strlen(handler), true, names, n, max);
	return n;
}

bool fng_handler_code_name(const char *name)
{
	static const char *const exts[] = { ".py", ".pyc", ".pyo", ".js",    ".mjs", ".cjs", ".node",
					    ".rb", ".sh",  ".class", ".jar", ".so" };
	const char *dot = strrchr(name, '.');

	if (strcmp(name, "bootstrap") == 0)
		return true;
	if (!dot || dot == name)
		return false;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (strcmp(dot, exts[i]) == 0)
			return true;
	return false;
}

bool fng_handler_pyc_of(const char *name, const char *module)
{
	size_t n = strlen(name), m = strlen(module);

	if (n < 4 || (strcmp(name + n - 4, ".pyc") != 0 && strcmp(name + n - 4, ".pyo") != 0))
		return false;
	n -= 4;
	return m > 0 && n >= m && strncmp(name, module, m) == 0 && (n == m || name[m] == '.');
}

/* A bytecode cache written under a prefix (PYTHONPYCACHEPREFIX, -X
 * pycache_prefix, sys.pycache_prefix: any of them, relative or not) lies at
 * PREFIX + the source folder's absolute path: dir, found inside path
 * after something, followed by '/'. */
static const char *under_prefix(const char *dir, const char *path)
{
	size_t n = strlen(dir), len = strlen(path);

	if (len < 4 || strcmp(path + len - 4, ".pyc") != 0 || n < 2)
		return NULL;
	for (const char *p = strstr(path + 1, dir); p; p = strstr(p + 1, dir))
		if (p[n] == '/')
			return p;
	return NULL;
}

static bool tree_match(const char *dir, const char *path)
{
	size_t n = strlen(dir);
	const char *base = strrchr(path, '/'), *in = under_prefix(dir, path);

	if (in)
		path = in; /* the cache's twin of the source tree */
	if (!fng_path_under(dir, path) || path[n] == '\0' || !base)
		return false;
	if (strstr(path + n, "/node_modules/"))
		return false;
	return fng_handler_code_name(base + 1);
}

/* NAME.pyc in the module's directory, or NAME.*.pyc in its __pycache__. */
static bool pyc_match(const struct fng_handler_rule *r, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n = strlen(r->path), dlen;

	if (!base || !fng_handler_pyc_of(base + 1, r->module))
		return false;
	dlen = (size_t)(base - path);
	if (n > 1 && dlen > n && memcmp(path + dlen - n, r->path, n) == 0 && path[dlen - n] == '/')
		return true; /* PREFIX + the module's folder (under_prefix) */
	if (strncmp(path, r->path, n) != 0)
		return false;
	if (n == 1 && r->path[0] == '/')
		n = 0; /* the module lies in "/" */
	return dlen == n || (dlen == n + 12 && strncmp(path + n, "/__pycache__", 12) == 0);
}

bool fng_handler_rules_match(const struct fng_handler_set *s, const char *path)
{
	for (size_t i = 0; i < s->n_rules; i++) {
		const struct fng_handler_rule *r = &s->rules[i];
		switch (r->kind) {
		case FNG_HRULE_FILE:
			if (strcmp(r->path, path) == 0)
				return true;
			break;
		case FNG_HRULE_TREE:
			if (tree_match(r->path, path))
				return true;
			break;
		case FNG_HRULE_PYC:
			if (pyc_match(r, path))
				return true;
			break;
		}
	}
	return false;
}

static int cmp_obj(dev_t da, ino_t ia, dev_t db, ino_t ib)
{
	if (da != db)
		return da < db ? -1 : 1;
	return ia < ib ? -1 : ia > ib;
}

bool fng_handler_has(const struct fng_handler_set *s, dev_t dev, ino_t ino)
{
	size_t lo = 0, hi = s->n_files;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_obj(dev, ino, s->files[mid].obj.dev, s->files[mid].obj.ino);
		if (c == 0)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

static int cmp_files(const void *a, const void *b)
{
	const struct fng_handler_file *x = a, *y = b;

	return cmp_obj(x->obj.dev, x->obj.ino, y->obj.dev, y->obj.ino);
}

/* Sort by object and drop repeats (handler.h). */
void fng_handler_sort(struct fng_handler_set *s)
{
	size_t w = 0;

	if (s->n_files == 0)
		return; /* files may be NULL: qsort must not see it */
	qsort(s->files, s->n_files, sizeof(s->files[0]), cmp_files);
	for (size_t i = 0; i < s->n_files; i++) {
		if (w > 0 && cmp_files(&s->files[w - 1], &s->files[i]) == 0) {
			free(s->files[i].path);
			continue;
		}
		s->files[w++] = s->files[i];
	}
	s->n_files = w;
}
