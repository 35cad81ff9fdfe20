/* The "lambda" policy section: the Runtime API proxy, what a block does,
 * and rules scoped to the init or invoke phase (docs/policy.md, "lambda").
 *   "lambda": {"proxy": true, "on_block": "fail-call" | "fail-invocation" | "kill",
 *              "phases": {"read_handler": "invoke", "create_child_process": "init"}} */
#include "policy/policy.h"

#include <json-c/json.h>
#include <errno.h>
#include <stdio.h>
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

static int parse_phases(json_object *v, struct fng_policy *p, char *msg, size_t n, const char **key2, bool *at_key)
{
	if (!json_object_is_type(v, json_type_object)) {
		snprintf(msg, n, "lambda.phases: expected an object {\"RULE\": \"init\"|\"invoke\"|\"always\"}");
		return -EINVAL;
	}
	json_object_object_foreach(v, key, val) {
		unsigned r, ph;
		*key2 = key;
		for (r = 0; r < FNG_RULE_COUNT; r++)
			if (strcmp(key, fng_rule_name((enum fng_rule)r)) == 0)
				break;
		if (r == FNG_RULE_COUNT) {
			*at_key = true;
			snprintf(msg, n, "lambda.phases: unknown rule \"%s\"", key);
			return -EINVAL;
		}
		for (ph = 0; ph < 3; ph++)
			if (json_object_is_type(val, json_type_string) && strcmp(json_object_get_string(val), phase_names[ph]) == 0)
				break;
		if (ph == 3) {
			snprintf(msg, n, "lambda.phases.%s: expected \"init\", \"invoke\" or \"always\"", key);
			return -EINVAL;
		}
		p->phase[r] = (uint8_t)ph;
	}
	*key2 = NULL;
	return 0;
}

int fng_policy_parse_lambda(json_object *v, struct fng_policy *p, char *msg, size_t n, const char **key1,
			    const char **key2, bool *at_key)
{
	*key1 = *key2 = NULL;
	*at_key = false;
	if (!json_object_is_type(v, json_type_object)) {
		snprintf(msg, n, "lambda: expected an object");
		return -EINVAL;
	}
	json_object_object_foreach(v, key, val) {
		*key1 = key;
		if (strcmp(key, "proxy") == 0) {
			if (!json_object_is_type(val, json_type_boolean)) {
				snprintf(msg, n, "lambda.proxy: expected true or false");
				return -EINVAL;
			}
			p->no_proxy = !json_object_get_boolean(val);
		} else if (strcmp(key, "on_block") == 0) {
			if (!json_object_is_type(val, json_type_string) ||
			    fng_on_block_parse(json_object_get_string(val), &p->on_block) < 0) {
				snprintf(msg, n, "lambda.on_block: expected \"fail-call\", \"fail-invocation\" or \"kill\"");
				return -EINVAL;
			}
		} else if (strcmp(key, "phases") == 0) {
			if (parse_phases(val, p, msg, n, key2, at_key) < 0)
				return -EINVAL;
		} else {
			*at_key = true;
			snprintf(msg, n, "lambda: unknown key \"%s\" (expected proxy, on_block or phases)", key);
			return -EINVAL;
		}
	}
	*key1 = NULL;
	return 0;
}
