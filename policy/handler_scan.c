/* read_handler's code set, read from the disk (handler.h): where a
 * _HANDLER's code lives in the task root, turned into rules, and the files
 * the rules cover, turned into objects. Runs before the runtime starts and
 * once when initialisation ends; bounded (FNG_HANDLER_MAX_*). */
#include "policy/handler.h"
#include "common/array.h"
#include "common/util.h"

#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What a module name is looked for as, beside the directory of that name. */
static const char *const source_exts[] = { ".py", ".pyc", ".js", ".mjs", ".cjs", ".rb", ".sh", ".class" };

struct walk {
	struct fng_handler_set *s;
	size_t sorted;	/* files[0, sorted) were sorted before this walk */
	size_t entries;
	int err;
};

static void add_file(struct walk *w, const char *path, const struct stat *st)
{
	struct fng_handler_file *f;

	struct fng_handler_set known = { .files = w->s->files, .n_files = w->sorted };

	if (w->err || !S_ISREG(st->st_mode) || fng_handler_has(&known, st->st_dev, st->st_ino))
		return; /* a walk again finds what the last one did */
	if (w->s->n_files >= FNG_HANDLER_MAX_FILES) {
		w->s->truncated = true;
		return;
	}
	f = FNG_PUSH(w->s->files, w->s->n_files);
	if (!f || !(f->path = strdup(path))) {
		if (f)
			w->s->n_files--;
		w->err = -ENOMEM;
		return;
	}
	f->obj.dev = st->st_dev;
	f->obj.ino = st->st_ino;
}

/* A rule for real, a canonical path (which need not exist yet). */
static int add_rule_at(struct fng_handler_set *s, enum fng_handler_rule_kind kind, const char *real, const char *module)
{
	struct fng_handler_rule *r;

	for (size_t i = 0; i < s->n_rules; i++)
		if (s->rules[i].kind == kind && strcmp(s->rules[i].path, real) == 0 &&
		    strcmp(s->rules[i].module, module ? module : "") == 0)
			return 0;
	if (s->n_rules >= FNG_HANDLER_MAX_RULES) {
		s->truncated = true;
		return 0;
	}
	r = FNG_PUSH(s->rules, s->n_rules);
	if (!r || !(r->path = strdup(real))) {
		if (r)
			s->n_rules--;
		return -ENOMEM;
	}
	r->kind = kind;
	fng_strlcpy(r->module, module ? module : "", sizeof(r->module));
	return 0;
}

static int add_rule(struct fng_handler_set *s, enum fng_handler_rule_kind kind, const char *path, const char *module)
{
	char real[PATH_MAX];

	if (!realpath(path, real))
		return 0; /* not there: nothing to protect */
	return add_rule_at(s, kind, real, module);
}

/* A compiled extension module (NAME.so, NAME.cpython-311-x86_64-linux-gnu.so,
 * NAME.abi3.so) beside where the module's source would be. */
static int extension_rules(struct fng_handler_set *s, const char *dir, const char *name)
{
	size_t n = strlen(name);
	struct dirent *e;
	int r = 0;
	DIR *d = opendir(dir);

	if (!d)
		return 0;
	while (r == 0 && (e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char path[PATH_MAX];
		if (len > n + 3 && strncmp(e->d_name, name, n) == 0 && e->d_name[n] == '.' &&
		    strcmp(e->d_name + len - 3, ".so") == 0 &&
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) < sizeof(path))
			r = add_rule(s, FNG_HRULE_FILE, path, NULL);
	}
	closedir(d);
	return r;
}

/* Each cache and tree rule under from (a path prefix ending at a
 * component; "" for every rule) gets a twin with from replaced by to. The
 * twins' folders need not exist yet. */
static int twin_rules(struct fng_handler_set *s, const char *from, const char *to)
{
	char path[PATH_MAX];
	size_t n = s->n_rules, fl = strlen(from);
	int r = 0;

	for (size_t i = 0; i < n && r == 0; i++) {
		enum fng_handler_rule_kind kind = s->rules[i].kind;
		const char *p = s->rules[i].path;
		char module[FNG_HANDLER_NAME_MAX]; /* add_rule_at may move the rules */
		fng_strlcpy(module, s->rules[i].module, sizeof(module));
		if ((kind != FNG_HRULE_PYC && kind != FNG_HRULE_TREE) || strncmp(p, from, fl) != 0 ||
		    (fl && p[fl] && p[fl] != '/') || (size_t)snprintf(path, sizeof(path), "%s%s", to, p + fl) >= sizeof(path))
			continue;
		r = add_rule_at(s, kind, path, kind == FNG_HRULE_PYC ? module : NULL);
	}
	return r;
}

/* A task root named through a symlink: Python names its caches after the
 * folder as it found it (sys.path), not the resolved one, so the cache and
 * tree rules get twins under the name as given (absolute). */
static int lexical_twins(struct fng_handler_set *s, const char *given, const char *real)
{
	char abs[PATH_MAX], cwd[PATH_MAX];

	if (given[0] == '/')
		fng_strlcpy(abs, given, sizeof(abs));
	else if (!getcwd(cwd, sizeof(cwd)) || (size_t)snprintf(abs, sizeof(abs), "%s/%s", cwd, given) >= sizeof(abs))
		return 0;
	for (size_t k = strlen(abs); k > 1 && abs[k - 1] == '/'; k--)
		abs[k - 1] = '\0';
	return strcmp(abs, real) == 0 ? 0 : twin_rules(s, real, abs);
}

/* PYTHONPYCACHEPREFIX: Python writes every cache under PREFIX followed by
 * the source directory's absolute path, not in __pycache__. Each cache and
 * tree rule gets its twin there, so the refresh at the end of
 * initialisation finds those caches as objects. */
static int prefix_rules(struct fng_handler_set *s, const char *prefix)
{
	char base[PATH_MAX];

	if (!prefix || prefix[0] != '/')
		return 0;
	if (!realpath(prefix, base))
		fng_strlcpy(base, prefix, sizeof(base));
	return twin_rules(s, "", strcmp(base, "/") ? base : "");
}

/* The code files in dir: with module, that module's .pyc caches there;
 * without, every code file below dir (depth levels at most), node_modules
 * left out (those are dependencies, not the handler). Symlinked
 * directories are not entered; a symlink to a file is that file. */
static void walk_dir(struct walk *w, const char *dir, int depth, const char *module)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while (!w->err && (e = readdir(d))) {
		char path[PATH_MAX];
		struct stat st;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (++w->entries > FNG_HANDLER_MAX_ENTRIES) {
			w->s->truncated = true;
			break;
		}
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= sizeof(path) ||
		    lstat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode) && !module && strcmp(e->d_name, "node_modules") != 0) {
			if (depth >= FNG_HANDLER_MAX_DEPTH)
				w->s->truncated = true;
			else
				walk_dir(w, path, depth + 1, NULL);
		} else if (!S_ISDIR(st.st_mode) &&
			   (module ? fng_handler_pyc_of(e->d_name, module) : fng_handler_code_name(e->d_name)) &&
			   stat(path, &st) == 0) {
			add_file(w, path, &st);
		}
	}
	closedir(d);
}

/* A module's caches: in its directory and in __pycache__ below it. */
static void walk_pyc(struct walk *w, const struct fng_handler_rule *r)
{
	char cache[PATH_MAX];

	walk_dir(w, r->path, 0, r->module);
	if ((size_t)snprintf(cache, sizeof(cache), "%s/__pycache__", r->path) < sizeof(cache))
		walk_dir(w, cache, 0, r->module);
}

int fng_handler_refresh(struct fng_handler_set *s)
{
	struct walk w = { .s = s, .sorted = s->n_files };

	for (size_t i = 0; i < s->n_rules && !w.err; i++) {
		const struct fng_handler_rule *r = &s->rules[i];
		struct stat st;
		if (r->kind == FNG_HRULE_FILE && stat(r->path, &st) == 0)
			add_file(&w, r->path, &st);
		else if (r->kind == FNG_HRULE_TREE)
			walk_dir(&w, r->path, 0, NULL);
		else if (r->kind == FNG_HRULE_PYC)
			walk_pyc(&w, r);
	}
	fng_handler_sort(s);
	return w.err;
}

/* A Node directory module's package.json "main": the file it names, as
 * Node resolves it (as written, .js, /index.js). */
static int node_main(struct fng_handler_set *s, const char *dir)
{
	static const char *const tails[] = { "", ".js", ".mjs", ".cjs", "/index.js" };
	char file[PATH_MAX], path[PATH_MAX];
	autofree char *text = NULL;
	json_object *o, *m;
	int r = 0;

	snprintf(file, sizeof(file), "%s/package.json", dir);
	if (fng_slurp(file, &text, NULL) < 0)
		return 0;
	o = json_tokener_parse(text);
	if (o && json_object_object_get_ex(o, "main", &m) && json_object_is_type(m, json_type_string)) {
		const char *main = json_object_get_string(m);
		for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]) && r == 0; i++) {
			struct stat st;
			if ((size_t)snprintf(path, sizeof(path), "%s%s%s%s", main[0] == '/' ? "" : dir,
					     main[0] == '/' ? "" : "/", main, tails[i]) < sizeof(path) &&
			    stat(path, &st) == 0 && S_ISREG(st.st_mode))
				r = add_rule(s, FNG_HRULE_FILE, path, NULL);
		}
	}
	json_object_put(o);
	return r;
}

/* Where module name (relative to root) may live: root/name.EXT, an
 * executable root/name (a shell handler without extension), the package or
 * directory module root/name/, and the module's .pyc caches. */
static int module_rules(struct fng_handler_set *s, const char *root, const char *name, bool *java)
{
	char path[PATH_MAX], dir[PATH_MAX];
	const char *base = strrchr(name, '/');
	struct stat st;
	int r = 0;

	for (size_t i = 0; i < sizeof(source_exts) / sizeof(source_exts[0]) && r == 0; i++) {
		snprintf(path, sizeof(path), "%s/%s%s", root, name, source_exts[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			r = add_rule(s, FNG_HRULE_FILE, path, NULL);
			*java |= strcmp(source_exts[i], ".class") == 0;
		}
	}
	snprintf(path, sizeof(path), "%s/%s", root, name);
	if (r == 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111))
		r = add_rule(s, FNG_HRULE_FILE, path, NULL);
	if (r == 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		r = add_rule(s, FNG_HRULE_TREE, path, NULL);
		if (r == 0)
			r = node_main(s, path);
	}
	/* Python's caches of a module file: NAME.pyc beside it and
	 * __pycache__/NAME.*.pyc, which Python may create at import. */
	snprintf(dir, sizeof(dir), "%s/%.*s", root, base ? (int)(base - name) : 0, name);
	snprintf(path, sizeof(path), "%s/%s.py", root, name);
	if (r == 0 && stat(path, &st) == 0)
		r = add_rule(s, FNG_HRULE_PYC, dir, base ? base + 1 : name);
	if (r == 0)
		r = extension_rules(s, dir, base ? base + 1 : name);
	return r;
}

/* The notice's text when nothing is found: the policy's paths, the module
 * names tried as files, directories and caches, and the bootstrap. Empty
 * when nothing names a handler. */
static void describe(struct fng_handler_set *s, const char *root, char names[][FNG_HANDLER_NAME_MAX], size_t n,
		     char *const *extra, size_t n_extra, bool lambda)
{
	size_t len = 0, room = sizeof(s->looked_for);

	for (size_t i = 0; i < n_extra && len < room; i++)
		len += (size_t)snprintf(s->looked_for + len, room - len, "%s%s", len ? ", " : "", extra[i]);
	for (size_t i = 0; i < n && len < room; i++)
		len += (size_t)snprintf(s->looked_for + len, room - len, "%s%s/%s{.py,.pyc,.js,.mjs,.cjs,.rb,.sh,.class,/}",
					len ? ", " : "", root, names[i]);
	if (lambda && len < room)
		snprintf(s->looked_for + len, room - len, "%s%s/bootstrap", len ? ", " : "", root);
}

int fng_handler_build(struct fng_handler_set *s, const char *handler, const char *task_root,
		      char *const *extra, size_t n_extra)
{
	char names[FNG_HANDLER_MAX_NAMES][FNG_HANDLER_NAME_MAX], root[PATH_MAX], cwd[PATH_MAX];
	size_t n = fng_handler_module_names(handler, names, FNG_HANDLER_MAX_NAMES);
	bool java = handler && strstr(handler, "::"), lambda = (handler && *handler) || (task_root && *task_root);
	int r = 0;

	memset(s, 0, sizeof(*s));
	if (!task_root || !*task_root)
		task_root = getcwd(cwd, sizeof(cwd)) ? cwd : ".";
	if (!realpath(task_root, root))
		fng_strlcpy(root, task_root, sizeof(root));
	for (size_t i = 0; i < n_extra && r == 0; i++) {
		struct stat st;
		if (stat(extra[i], &st) == 0)
			r = add_rule(s, S_ISDIR(st.st_mode) ? FNG_HRULE_TREE : FNG_HRULE_FILE, extra[i], NULL);
	}
	for (size_t i = 0; i < n && r == 0; i++)
		r = module_rules(s, root, names[i], &java);
	/* A custom runtime's bootstrap is its code (a Go or Rust function is
	 * one binary); Java's classpath is the task root and its lib/ jars.
	 * Only for a function: a task root or a _HANDLER was given. */
	if (r == 0 && lambda) {
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "%s/bootstrap", root);
		r = add_rule(s, FNG_HRULE_FILE, path, NULL);
		snprintf(path, sizeof(path), "%s/lib", root);
		if (r == 0 && java)
			r = add_rule(s, FNG_HRULE_TREE, path, NULL);
	}
	if (r == 0)
		r = lexical_twins(s, task_root, root);
	if (r == 0)
		r = prefix_rules(s, getenv("PYTHONPYCACHEPREFIX"));
	describe(s, root, names, n, extra, n_extra, lambda);
	if (r == 0)
		r = fng_handler_refresh(s);
	if (r < 0)
		fng_handler_free(s);
	return r;
}

void fng_handler_free(struct fng_handler_set *s)
{
	for (size_t i = 0; i < s->n_files; i++)
		free(s->files[i].path);
	for (size_t i = 0; i < s->n_rules; i++)
		free(s->rules[i].path);
	free(s->files);
	free(s->rules);
	s->files = NULL;
	s->rules = NULL;
	s->n_files = s->n_rules = 0;
}
