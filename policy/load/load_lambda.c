/* The "lambda" policy section: the Runtime API proxy, what a block does,
 * and rules scoped to the init or invoke phase (docs/policy.md, "lambda").
 *   "lambda": {"proxy": true, "on_block": "fail-call" | "fail-invocation" | "kill",
 *              "phases": {"read_handler": "invoke", "create_child_process": "init"}}
 * Part of the loader (load_internal.h); the names are the policy model's. */
#include "policy/load/load_internal.h"

#include <json-c/json.h>
#include <errno.h>
#include <string.h>

static const char *const on_block_names[] = {
	[FNG_ON_BLOCK_FAIL_CALL] = "fail-call",
	[FNG_ON_BLOCK_FAIL_INVOCATION] = "fail-invocation",
	[FNG_ON_BLOCK_KILL] = "kill",
};

static const char *const phase_names[] = {
	[FNG_PHASE_ALWAYS] = "always",
	[FNG_PHASE_INIT] = "init",
	[FNG_PHASE_INVOKE] = "invoke",
};

const char *fng_on_block_name(enum fng_on_block b)
{
	return (unsigned)b < 3 ? on_block_names[b] : "?";
}

int fng_on_block_parse(const char *s, enum fng_on_block *out)
{
	for (unsigned i = 0; i < 3; i++) {
		if (strcmp(s, on_block_names[i]) == 0) {
			*out = (enum fng_on_block)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *fng_phase_name(enum fng_phase ph)
{
	return (unsigned)ph < 3 ? phase_names[ph] : "?";
}

void fng_policy_for_phase(const struct fng_policy *p, enum fng_phase ph, struct fng_policy *out)
{
	*out = *p;
	for (unsigned r = 0; r < FNG_RULE_COUNT; r++)
		if (p->phase[r] != FNG_PHASE_ALWAYS && p->phase[r] != ph)
			out->mode[r] = FNG_MODE_ALLOW;
}

static int parse_phases(struct fng_loader *L, json_object *v)
{
	if (!json_object_is_type(v, json_type_object))
		return fng_load_fail(L, "lambda.phases: expected an object {\"RULE\": \"init\"|\"invoke\"|\"always\"}");
	json_object_object_foreach(v, key, val) {
		unsigned r, ph;
		fng_load_push_key(L, key);
		for (r = 0; r < FNG_RULE_COUNT; r++)
			if (strcmp(key, fng_rule_name((enum fng_rule)r)) == 0)
				break;
		if (r == FNG_RULE_COUNT)
			return fng_load_fail_key(L, "lambda.phases: unknown rule \"%s\"", key);
		for (ph = 0; ph < 3; ph++)
			if (json_object_is_type(val, json_type_string) && strcmp(json_object_get_string(val), phase_names[ph]) == 0)
				break;
		if (ph == 3)
			return fng_load_fail(L, "lambda.phases.%s: expected \"init\", \"invoke\" or \"always\"", key);
		L->p->phase[r] = (uint8_t)ph;
		fng_load_pop(L);
	}
	return 0;
}

int fng_load_lambda(struct fng_loader *L, json_object *v)
{
	struct fng_policy *p = L->p;

	if (!json_object_is_type(v, json_type_object))
		return fng_load_fail(L, "lambda: expected an object");
	json_object_object_foreach(v, key, val) {
		fng_load_push_key(L, key);
		if (strcmp(key, "proxy") == 0) {
			if (!json_object_is_type(val, json_type_boolean))
				return fng_load_fail(L, "lambda.proxy: expected true or false");
			p->no_proxy = !json_object_get_boolean(val);
		} else if (strcmp(key, "on_block") == 0) {
			if (!json_object_is_type(val, json_type_string) ||
			    fng_on_block_parse(json_object_get_string(val), &p->on_block) < 0)
				return fng_load_fail(L, "lambda.on_block: expected \"fail-call\", \"fail-invocation\" or \"kill\"");
		} else if (strcmp(key, "phases") == 0) {
			if (parse_phases(L, val) < 0)
				return -EINVAL;
		} else {
			return fng_load_fail_key(L, "lambda: unknown key \"%s\" (expected proxy, on_block or phases)", key);
		}
		fng_load_pop(L);
	}
	return 0;
}
