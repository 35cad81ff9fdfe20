/* `fnguard policy check --handler H --task-root DIR` (docs/cli.md): the
 * files read_handler would protect, as objects and by name, built exactly
 * as a run builds them (policy/handler.h). */
#include "supervisor/cli/handler_code.h"
#include "supervisor/exit.h"
#include "policy/handler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *rule_text(const struct fng_handler_rule *r, char *buf, size_t n)
{
	switch (r->kind) {
	case FNG_HRULE_FILE:
		snprintf(buf, n, "%s", r->path);
		break;
	case FNG_HRULE_TREE:
		snprintf(buf, n, "%s/ (every code file below it, node_modules aside)", r->path);
		break;
	case FNG_HRULE_PYC:
		snprintf(buf, n, "%s/%s.pyc, %s/__pycache__/%s.*.pyc", r->path, r->module, r->path, r->module);
		break;
	}
	return buf;
}

int fng_cli_show_handler_code(const struct fng_policy *p, const char *handler, const char *task_root)
{
	struct fng_handler_set s;
	char buf[4200];

	if (!handler)
		handler = getenv("_HANDLER");
	if (!task_root)
		task_root = getenv("LAMBDA_TASK_ROOT");
	if (fng_handler_build(&s, handler, task_root, p->handler_paths, p->n_handler_paths) < 0)
		fng_die(FNG_EXIT_UNSUPPORTED, "read_handler: out of memory building the handler's code set");
	printf("read_handler: _HANDLER=%s, task root %s%s\n", handler ? handler : "(unset)",
	       task_root ? task_root : "(the current directory)", p->mode[FNG_RULE_HANDLER] == FNG_MODE_ALLOW ?
	       " (the policy's read_handler is allow: nothing is protected)" : "");
	if (s.n_files == 0)
		printf("read_handler: no handler code found; looked for %s\n", s.looked_for);
	for (size_t i = 0; i < s.n_files; i++)
		printf("  code: %s\n", s.files[i].path);
	for (size_t i = 0; i < s.n_rules; i++)
		printf("  by name: %s\n", rule_text(&s.rules[i], buf, sizeof(buf)));
	if (s.truncated)
		printf("read_handler: a bound was hit (%d files, %d directory entries, %d levels): code past it is "
		       "not protected\n",
		       FNG_HANDLER_MAX_FILES, FNG_HANDLER_MAX_ENTRIES, FNG_HANDLER_MAX_DEPTH);
	fng_handler_free(&s);
	return 0;
}
