/* The code check before the runtime starts (code_check.c). */
#ifndef FNG_CODE_CHECK_H
#define FNG_CODE_CHECK_H

#include "logging/logger.h"
#include "policy/policy.h"

#include <stdbool.h>
#include <stddef.h>

/* Scan the function's code with the policy's code_check: 0 to start the
 * runtime, 1 to refuse (the one line for stderr in line). Events go to lg
 * (the ring: call it from the thread that will trace). observe: block is
 * reported as "would block" and the runtime starts (trace). */
int fng_code_check_run(const struct fng_policy *p, struct fng_logger *lg, bool observe, char *line, size_t n);

#endif
