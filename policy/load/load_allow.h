/* Loading the "allowlist" section (load_allow.c), called by load.c. */
#ifndef FNG_LOAD_ALLOW_H
#define FNG_LOAD_ALLOW_H

#include "policy/load/jsonpos.h"
#include "policy/policy.h"

#include <json-c/json.h>

/* v is the section's value, at path[0..depth) in text. 0, -ENOMEM, or
 * -EINVAL with "FILE:LINE:COL: message" in err. */
int fng_allowlist_load(const char *name, const char *text, size_t len, json_object *v,
		       const struct fng_json_step *path, size_t depth, struct fng_policy *p,
		       struct fng_policy_error *err);

#endif
