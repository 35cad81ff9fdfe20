/* The "input_firewall" policy key (docs/policy.md):
 *   "input_firewall": "block" | "alert" | "allow" |
 *       {"action": MODE, "classes": {CLASS: MODE, ...}, "exceptions": [JSON PATH, ...],
 *        "patterns_file": PATH, "patterns": [REGEX, ...]}
 * CLASS is one of detect.h's eight names; a path is walk.h's form with `*`
 * (one component) and `**` (any number). Part of the loader. */
#include "policy/load/load_internal.h"
#include "policy/payload/firewall.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int in_mode(struct fng_loader *L, const char *what, json_object *v, enum fng_mode *out)
{
	if (!json_object_is_type(v, json_type_string) || fng_mode_parse(json_object_get_string(v), out) < 0)
		return fng_load_fail(L, "%s: expected \"block\", \"alert\" or \"allow\"", what);
	return 0;
}

static int in_classes(struct fng_loader *L, json_object *v, struct fng_fw_cfg *c, bool *set)
{
	if (!json_object_is_type(v, json_type_object))
		return fng_load_fail(L, "input_firewall.classes: expected an object {CLASS: MODE}");
	json_object_object_foreach(v, key, val) {
		int k = fng_fw_class_of(key);
		fng_load_push_key(L, key);
		if (k < 0)
			return fng_load_fail_key(L, "input_firewall.classes: unknown class \"%s\" (expected sql_injection, "
						 "nosql_injection, command_injection, code_injection, xss, xxe, "
						 "local_file_inclusion or csv_injection)", key);
		if (in_mode(L, "input_firewall.classes", val, &c->mode[k]) < 0)
			return -EINVAL;
		set[k] = true;
		fng_load_pop(L);
	}
	return 0;
}

static int in_exceptions(struct fng_loader *L, json_object *v, struct fng_fw_cfg *c)
{
	if (!json_object_is_type(v, json_type_array))
		return fng_load_fail(L, "input_firewall.exceptions: expected an array of JSON paths (\"$.body.comment\")");
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		json_object *e = json_object_array_get_idx(v, i);
		const char *s;
		fng_load_push_index(L, i);
		if (!json_object_is_type(e, json_type_string) || (s = json_object_get_string(e))[0] != '$' ||
		    (s[1] && s[1] != '.' && s[1] != '['))
			return fng_load_fail(L, "input_firewall.exceptions: each entry must be a JSON path starting with \"$\" "
					     "(\"$.body.comment\", \"$.Records[*].body\", \"$.**.html\")");
		if (fng_load_strv_push(&c->exceptions, &c->n_exceptions, s) < 0)
			return -ENOMEM;
		fng_load_pop(L);
	}
	return 0;
}

static int in_object(struct fng_loader *L, json_object *v, struct fng_fw_cfg *c)
{
	bool set[FNG_FW_NCLASS] = { false };

	json_object_object_foreach(v, key, val) {
		int r;
		fng_load_push_key(L, key);
		if (strcmp(key, "action") == 0)
			r = in_mode(L, "input_firewall.action", val, &c->action);
		else if (strcmp(key, "classes") == 0)
			r = in_classes(L, val, c, set);
		else if (strcmp(key, "exceptions") == 0)
			r = in_exceptions(L, val, c);
		else if (strcmp(key, "patterns_file") == 0 || strcmp(key, "patterns") == 0)
			r = fng_load_payload_patterns(L, "input_firewall", key, val, &c->rules);
		else
			r = fng_load_fail_key(L, "input_firewall: unknown key \"%s\" (expected action, classes, exceptions, "
					      "patterns_file or patterns)", key);
		if (r < 0)
			return r;
		fng_load_pop(L);
	}
	/* classes the policy does not name follow the action */
	for (int k = 0; k < FNG_FW_NCLASS; k++)
		if (!set[k])
			c->mode[k] = c->action;
	return 0;
}

int fng_load_payload_in(struct fng_loader *L, json_object *val)
{
	struct fng_fw_cfg *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	fng_fw_cfg_init(c);
	L->p->input_firewall = c; /* fng_policy_free frees it, loaded or not */
	if (json_object_is_type(val, json_type_string)) {
		if (in_mode(L, "input_firewall", val, &c->action) < 0)
			return -EINVAL;
		for (int k = 0; k < FNG_FW_NCLASS; k++)
			c->mode[k] = c->action;
		return 0;
	}
	if (!json_object_is_type(val, json_type_object))
		return fng_load_fail(L, "input_firewall: expected \"block\", \"alert\", \"allow\" or an object, got %s",
				     fng_load_type_name(val));
	return in_object(L, val, c);
}
