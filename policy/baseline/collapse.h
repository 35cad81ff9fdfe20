/* The collapsing rule of a baseline capture (collapse.c, docs/policy.md). Pure. */
#ifndef FNG_COLLAPSE_H
#define FNG_COLLAPSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* More entries than this in one folder (two or more levels deep) collapse
 * into the whole folder. */
#define FNG_COLLAPSE_THRESHOLD 8
#define FNG_COLLAPSE_HEX_MIN 16	/* a whole name of this many hex digits is an id */

/* Phase bits of a recorded item: seen during initialisation, seen otherwise. */
#define FNG_SEEN_INIT 1u
#define FNG_SEEN_OTHER 2u

struct fng_path_item {
	char *path;		/* owned */
	uint8_t phases;		/* FNG_SEEN_* */
};

/* One path component (c, n bytes) as a pattern: per-request names become
 * "*" patterns (in_tmp: the component is under a temp folder). */
void fng_collapse_component(const char *c, size_t n, bool in_tmp, char *out, size_t outn);

/* Folders code is loaded from besides the fixed ones: PYTHONPATH,
 * NODE_PATH, LD_LIBRARY_PATH entries, LAMBDA_TASK_ROOT (absolute only). */
struct fng_code_roots {
	const char *const *dirs;
	size_t n;
};

/* Is a write to path a write where code is loaded from: under /opt (layers),
 * /var/task, /var/runtime, /var/lang, the system library folders, a root of
 * code; in site-packages, dist-packages, node_modules, __pycache__,
 * lib/pythonX; or a file named *.py, *.pyc, *.pth, *.so, *.js, ...,
 * sitecustomize*, usercustomize*? (docs/policy.md "Collapsing") */
bool fng_collapse_code_place(const char *path, const struct fng_code_roots *code);

/* Collapse v[0..*n) in place (paths replaced and freed, *n shrinks; sorted
 * on return). code: NULL for reads; for writes, the roots of code (the
 * narrower write rule applies). 0 or -ENOMEM. */
int fng_collapse_paths(struct fng_path_item *v, size_t *n, size_t threshold, const struct fng_code_roots *code);

#endif
