/* read_handler's code set: which files are the function's own code for a
 * _HANDLER and a task root (docs/policy.md, "read_handler"). Built once
 * before the runtime starts (fng_handler_build, handler_scan.c) and again
 * when initialisation ends (fng_handler_refresh: the caches the runtime
 * wrote while it loaded its code), as
 *   - objects: (device, inode) of every code file found, sorted, with its
 *     path; a link to one of them is that file;
 *   - rules: where code lives, by name, for files that appear later
 *     (a .pyc Python writes at import time, a module compiled lazily).
 * The naming decisions (which module names a _HANDLER means, what a code
 * file is called, which .pyc caches a module) are pure and table-tested
 * (test/unit/test_handler.c); so is matching a path or an object. */
#ifndef FNG_HANDLER_H
#define FNG_HANDLER_H

#include "policy/decide.h"	/* struct fng_object */

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* Bounds of one build (docs/policy.md): past them the set is truncated,
 * and says so. */
#define FNG_HANDLER_MAX_FILES 4096	/* code files in the set */
#define FNG_HANDLER_MAX_ENTRIES 65536	/* directory entries read in one walk */
#define FNG_HANDLER_MAX_DEPTH 8		/* directory levels below a code directory */
#define FNG_HANDLER_MAX_RULES 64
#define FNG_HANDLER_MAX_NAMES 8		/* module names one _HANDLER may mean */
#define FNG_HANDLER_NAME_MAX 256

/* One code file: what it is (compare this) and where it was found. */
struct fng_handler_file {
	struct fng_object obj;
	char *path;
};

enum fng_handler_rule_kind {
	FNG_HRULE_FILE,	/* path: exactly this file */
	FNG_HRULE_TREE,	/* path: a code directory; every code file below it (not node_modules) */
	FNG_HRULE_PYC,	/* path: a Python module's directory; its caches there and in __pycache__ */
};

struct fng_handler_rule {
	enum fng_handler_rule_kind kind;
	char *path;				/* canonical */
	char module[FNG_HANDLER_NAME_MAX];	/* FNG_HRULE_PYC: the module's file name, no extension */
};

struct fng_handler_set {
	struct fng_handler_file *files;	/* sorted by (dev, ino), no repeats */
	size_t n_files;
	struct fng_handler_rule *rules;
	size_t n_rules;
	bool truncated;			/* a bound was hit: code past it is not in the set */
	char looked_for[1024];		/* what was looked for (the notice when nothing is found) */
};

/* Pure: the module paths, relative to the task root, that _HANDLER may
 * name: every prefix before a '.', dots turned into '/' ("pkg.app.fn" ->
 * "pkg", "pkg/app"; "src/index.handler" -> "src/index"), and the part before
 * "::" (Java "com.ex.Handler::handle" -> ... "com/ex/Handler"), else the
 * whole name (Java "com.ex.Handler"), and the part before the last dot as
 * written (Node "my.mod.fn" -> "my.mod"). Absolute
 * names, "..", empty components and names over FNG_HANDLER_NAME_MAX are not
 * taken. Returns how many were written to names (at most max). */
size_t fng_handler_module_names(const char *handler, char names[][FNG_HANDLER_NAME_MAX], size_t max);

/* Pure: is a file of this name code (docs/policy.md)? By extension: .py
 * .pyc .pyo .js .mjs .cjs .node .rb .sh .class .jar .so; or named
 * "bootstrap". Everything else (JSON, templates, text) is data. */
bool fng_handler_code_name(const char *name);

/* Pure: is name a compiled cache of the module whose file name (without
 * extension) is module: "app.pyc", "app.cpython-311.pyc",
 * "app.cpython-311.opt-1.pyc", ".pyo" alike. */
bool fng_handler_pyc_of(const char *name, const char *module);

/* Pure: does a rule cover this canonical path, whether or not the file
 * existed when the set was built? */
bool fng_handler_rules_match(const struct fng_handler_set *s, const char *path);

/* Pure: is this object in the set (binary search)? */
bool fng_handler_has(const struct fng_handler_set *s, dev_t dev, ino_t ino);

/* Sort the files by object and drop repeats (after adding files). */
void fng_handler_sort(struct fng_handler_set *s);

/* Build the set for handler (NULL or empty: none) in task_root (NULL: the
 * current directory), plus the policy's explicit paths (a file, or a
 * directory taken as a code directory). Returns 0, or -ENOMEM; files that
 * are missing are simply not in the set. */
int fng_handler_build(struct fng_handler_set *s, const char *handler, const char *task_root,
		      char *const *extra, size_t n_extra);
/* Walk the rules again and add what appeared since (0 or -ENOMEM). */
int fng_handler_refresh(struct fng_handler_set *s);
void fng_handler_free(struct fng_handler_set *s);

#endif
