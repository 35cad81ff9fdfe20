/* Where the policy comes from when the command line names none (policy_env.c). */
#ifndef FNG_POLICY_ENV_H
#define FNG_POLICY_ENV_H

/* The policy file named by the environment, for runs without --policy:
 * FNGUARD_POLICY, else Iron Function's IRON_FUNCTION_POLICY (an empty value
 * counts as unset). Returns the path and sets *var to the variable's name,
 * or returns NULL (the embedded default applies). docs/cli.md. */
const char *fng_policy_from_env(const char **var);

#endif
