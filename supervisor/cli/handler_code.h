/* `fnguard policy check --handler H --task-root DIR`: what read_handler
 * would protect (handler_code.c). */
#ifndef FNG_CLI_HANDLER_CODE_H
#define FNG_CLI_HANDLER_CODE_H

#include "policy/policy.h"

/* Print the handler's code set for handler (NULL: $_HANDLER) in task_root
 * (NULL: $LAMBDA_TASK_ROOT, else the current directory) under policy p.
 * Returns 0, or exits on failure (out of memory). */
int fng_cli_show_handler_code(const struct fng_policy *p, const char *handler, const char *task_root);

#endif
