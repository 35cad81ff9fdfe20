/* Where the policy comes from when the command line names none: a wrapper
 * (Lambda exec wrapper, custom-runtime bootstrap, container ENTRYPOINT) is
 * configured through the environment. Precedence: --policy, FNGUARD_POLICY,
 * IRON_FUNCTION_POLICY, the embedded default. */
#include "supervisor/cli/policy_env.h"

#include <stddef.h>
#include <stdlib.h>

const char *fng_policy_from_env(const char **var)
{
	static const char *const names[] = { "FNGUARD_POLICY", "IRON_FUNCTION_POLICY" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = getenv(names[i]);
		if (v && *v) {
			*var = names[i];
			return v;
		}
	}
	*var = NULL;
	return NULL;
}
