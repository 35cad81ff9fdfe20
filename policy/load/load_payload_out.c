/* The "output_inspection" and "code_check" policy keys (docs/policy.md):
 *   "output_inspection": "block" | "alert" | "allow" |
 *       {"action": MODE, "patterns_file": PATH, "patterns": [REGEX...], "builtins": true|false}
 *   "code_check": "allow" | {"action": MODE, "patterns_file": PATH, "patterns": [REGEX...],
 *       "dir": PATH, "limits": {"max_bytes": N, "max_files": N, "max_ms": N}}
 * patterns_file is protectLambda's format (regexset.h), read and compiled
 * here so `policy check` reports a bad regex by its file and line; a
 * relative path is taken from the policy file's directory. Part of the
 * loader (load_internal.h). */
#include "policy/load/load_internal.h"
#include "policy/payload/payload.h"
#include "common/util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_action(struct fng_loader *L, const char *key, json_object *v, enum fng_mode *out)
{
	if (!json_object_is_type(v, json_type_string) || fng_mode_parse(json_object_get_string(v), out) < 0)
		return fng_load_fail(L, "%s: expected \"block\", \"alert\" or \"allow\"", key);
	return 0;
}

static int parse_patterns_file(struct fng_loader *L, const char *key, json_object *v, struct fng_payload_cfg *c)
{
	const char *s = NULL, *slash = strrchr(L->name, '/');
	char path[PATH_MAX], err[400];
	int r;

	if (fng_load_string(L, v, "patterns_file", &s) < 0)
		return -EINVAL;
	if (s[0] == '/' || !slash)
		r = snprintf(path, sizeof(path), "%s", s);
	else
		r = snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - L->name), L->name, s);
	if (r < 0 || (size_t)r >= sizeof(path))
		return fng_load_fail(L, "%s.patterns_file: path too long", key);
	free(c->patterns_file);
	c->patterns_file = strdup(path);
	if (!c->patterns_file)
		return -ENOMEM;
	r = fng_rx_load_file(&c->rules, path, err, sizeof(err));
	if (r < 0)
		return fng_load_fail(L, "%s.patterns_file: %s", key, err);
	return 0;
}

static int parse_patterns(struct fng_loader *L, const char *key, json_object *v, struct fng_payload_cfg *c)
{
	if (!json_object_is_type(v, json_type_array))
		return fng_load_fail(L, "%s.patterns: expected an array of regular expressions", key);
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		json_object *e = json_object_array_get_idx(v, i);
		char origin[64], err[400];
		fng_load_push_index(L, i);
		if (!json_object_is_type(e, json_type_string))
			return fng_load_fail(L, "%s.patterns: each entry must be a string", key);
		snprintf(origin, sizeof(origin), "patterns[%zu]", i);
		if (fng_rx_add(&c->rules, json_object_get_string(e), (size_t)json_object_get_string_len(e), origin, err,
			       sizeof(err)) < 0)
			return fng_load_fail(L, "%s.%s", key, err);
		fng_load_pop(L);
	}
	return 0;
}

static int parse_u64(struct fng_loader *L, const char *what, json_object *v, uint64_t max, uint64_t *out)
{
	int64_t n = json_object_get_int64(v);

	if (!json_object_is_type(v, json_type_int) || n < 1 || (uint64_t)n > max)
		return fng_load_fail(L, "code_check.limits.%s: expected a number from 1 to %llu", what,
				     (unsigned long long)max);
	*out = (uint64_t)n;
	return 0;
}

static int parse_limits(struct fng_loader *L, json_object *v, struct fng_payload_cfg *c)
{
	if (!json_object_is_type(v, json_type_object))
		return fng_load_fail(L, "code_check.limits: expected an object {max_bytes, max_files, max_ms}");
	json_object_object_foreach(v, key, val) {
		uint64_t n = 0;
		int r = 0;
		fng_load_push_key(L, key);
		if (strcmp(key, "max_bytes") == 0 && (r = parse_u64(L, key, val, 1ull << 32, &n)) == 0)
			c->max_bytes = n;
		else if (strcmp(key, "max_files") == 0 && (r = parse_u64(L, key, val, 1000000, &n)) == 0)
			c->max_files = (uint32_t)n;
		else if (strcmp(key, "max_ms") == 0 && (r = parse_u64(L, key, val, 600000, &n)) == 0)
			c->max_ms = (uint32_t)n;
		else if (strcmp(key, "max_bytes") && strcmp(key, "max_files") && strcmp(key, "max_ms"))
			r = fng_load_fail_key(L, "code_check.limits: unknown key \"%s\" (expected max_bytes, max_files or max_ms)", key);
		if (r < 0)
			return r;
		fng_load_pop(L);
	}
	return 0;
}

static int parse_object_key(struct fng_loader *L, const char *name, bool code, const char *key, json_object *val,
			    struct fng_payload_cfg *c)
{
	if (strcmp(key, "action") == 0)
		return parse_action(L, name, val, &c->action);
	if (strcmp(key, "patterns_file") == 0)
		return parse_patterns_file(L, name, val, c);
	if (strcmp(key, "patterns") == 0)
		return parse_patterns(L, name, val, c);
	if (!code && strcmp(key, "builtins") == 0) {
		if (!json_object_is_type(val, json_type_boolean))
			return fng_load_fail(L, "output_inspection.builtins: expected true or false");
		c->builtins = json_object_get_boolean(val);
		return 0;
	}
	if (code && strcmp(key, "dir") == 0) {
		const char *s = NULL;
		if (fng_load_string(L, val, "code_check.dir", &s) < 0)
			return -EINVAL;
		if (s[0] != '/')
			return fng_load_fail(L, "code_check.dir: must be an absolute path");
		free(c->dir);
		c->dir = strdup(s);
		return c->dir ? 0 : -ENOMEM;
	}
	if (code && strcmp(key, "limits") == 0)
		return parse_limits(L, val, c);
	return fng_load_fail_key(L, "%s: unknown key \"%s\" (expected action, patterns_file, patterns, %s)", name, key,
				 code ? "dir or limits" : "or builtins");
}

static int parse_cfg(struct fng_loader *L, const char *name, bool code, json_object *v, struct fng_payload_cfg *c)
{
	c->action = FNG_MODE_BLOCK;
	c->builtins = !code;
	c->max_bytes = FNG_CODE_MAX_BYTES;
	c->max_files = FNG_CODE_MAX_FILES;
	c->max_ms = FNG_CODE_MAX_MS;
	fng_rx_init(&c->rules);
	if (json_object_is_type(v, json_type_string))
		return parse_action(L, name, v, &c->action);
	if (!json_object_is_type(v, json_type_object))
		return fng_load_fail(L, "%s: expected \"block\", \"alert\", \"allow\" or an object, got %s", name,
				     fng_load_type_name(v));
	json_object_object_foreach(v, key, val) {
		int r;
		fng_load_push_key(L, key);
		r = parse_object_key(L, name, code, key, val, c);
		if (r < 0)
			return r;
		fng_load_pop(L);
	}
	return 0;
}

int fng_load_payload_out(struct fng_loader *L, const char *key, json_object *val)
{
	bool code = strcmp(key, "code_check") == 0;
	struct fng_payload_cfg **slot = code ? &L->p->code_check : &L->p->output_inspection;
	struct fng_payload_cfg *c = calloc(1, sizeof(*c));
	int r;

	if (!c)
		return -ENOMEM;
	*slot = c; /* fng_policy_free frees it, loaded or not */
	r = parse_cfg(L, key, code, val, c);
	if (r < 0)
		return r;
	if (c->action != FNG_MODE_ALLOW && c->rules.n == 0 && (code || !c->builtins))
		return fng_load_fail(L, "%s: no rules: give patterns_file or patterns%s", key,
				     code ? "" : " (or leave builtins on)");
	return 0;
}

/* patterns_file or patterns (key) for another payload check (the input
 * firewall, load_payload_in.c), named name in messages. */
int fng_load_payload_patterns(struct fng_loader *L, const char *name, const char *key, json_object *v,
			      struct fng_payload_cfg *c)
{
	return strcmp(key, "patterns_file") == 0 ? parse_patterns_file(L, name, v, c) : parse_patterns(L, name, v, c);
}
