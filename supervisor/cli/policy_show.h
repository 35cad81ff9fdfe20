/* `fnguard policy check`'s listing of a loaded policy (policy_show.c). */
#ifndef FNG_CLI_POLICY_SHOW_H
#define FNG_CLI_POLICY_SHOW_H

#include "policy/policy.h"

#include <stdio.h>

/* Each rule with its exceptions, the allowlist, lambda and events settings. */
void fng_cli_show_policy(const struct fng_policy *p, FILE *out);

#endif
