/* Loading "confirmed_attacks": "block", "alert" or "allow" — what to do
 * with a system call an input value of the invocation changes
 * (policy/payload/confirm.h, docs/policy.md). Part of the loader. */
#include "policy/load/load_internal.h"

#include <errno.h>

int fng_load_confirmed(struct fng_loader *L, json_object *v)
{
	const char *s = NULL;

	if (fng_load_string(L, v, "confirmed_attacks", &s) < 0)
		return -EINVAL;
	if (fng_mode_parse(s, &L->p->confirmed) < 0)
		return fng_load_fail(L, "confirmed_attacks: unknown mode \"%s\" (expected block, alert or allow)", s);
	return 0;
}
