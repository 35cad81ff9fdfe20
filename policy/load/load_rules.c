/* Loading the policy's rules: outbound_connectivity (exceptions, resolvers,
 * loopback, log_dns, aws_ip_ranges), read_write_tmp, create_child_process
 * (program exceptions) and read_handler, at top level or under
 * FunctionShield's "policy". Part of the loader (load_internal.h). */
#include "policy/load/load_internal.h"
#include "common/array.h"
#include "common/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_mode(struct fng_loader *L, json_object *v, const char *what, enum fng_mode *out)
{
	const char *s = NULL;

	if (!json_object_is_type(v, json_type_string))
		return fng_load_fail(L, "%s: expected a mode string (block, alert or allow), got %s", what, fng_load_type_name(v));
	s = json_object_get_string(v);
	if (fng_mode_parse(s, out) < 0)
		return fng_load_fail(L, "%s: unknown mode \"%s\" (expected block, alert or allow)", what, s);
	return 0;
}

/* "aws": the documented AWS service domains, as wildcards. */
static int add_aws(struct fng_loader *L)
{
	struct fng_policy *p = L->p;

	if (p->aws)
		return 0;
	p->aws = true;
	for (size_t i = 0; fng_aws_domains[i]; i++) {
		char *name = strdup(fng_aws_domains[i]);
		struct fng_hostrule *hr = name ? FNG_PUSH(p->host_allow, p->n_host_allow) : NULL;

		if (!hr) {
			free(name);
			return -ENOMEM;
		}
		*hr = (struct fng_hostrule){ .name = name, .wildcard = true };
	}
	return 0;
}

static int parse_exceptions(struct fng_loader *L, json_object *arr, const char *rule)
{
	struct fng_policy *p = L->p;
	size_t n;

	if (!json_object_is_type(arr, json_type_array))
		return fng_load_fail(L, "%s: exceptions must be an array of strings, got %s", rule, fng_load_type_name(arr));
	n = json_object_array_length(arr);
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		struct fng_netrule nr;
		const char *s, *why = NULL;
		int r;

		fng_load_push_index(L, i);
		if (!json_object_is_type(e, json_type_string))
			return fng_load_fail(L, "%s: exception must be a string, got %s", rule, fng_load_type_name(e));
		s = json_object_get_string(e);
		r = fng_netrule_parse(s, &nr, &why);
		if (r == 0) {
			struct fng_netrule *na = FNG_PUSH(p->net_allow, p->n_net_allow);
			if (!na)
				return -ENOMEM;
			*na = nr;
		} else if (r == -ERANGE) {
			return fng_load_fail(L, "%s: bad exception \"%s\": %s", rule, s, why);
		} else if (strcmp(s, "aws") == 0) {
			r = add_aws(L);
			if (r < 0)
				return r;
		} else {
			struct fng_hostrule hr;
			struct fng_hostrule *nv;
			r = fng_hostrule_parse(s, &hr, &why);
			if (r == -ENOMEM)
				return r;
			if (r < 0)
				return fng_load_fail(L, "%s: bad exception \"%s\": %s", rule, s, why);
			nv = FNG_PUSH(p->host_allow, p->n_host_allow);
			if (!nv) {
				free(hr.name);
				return -ENOMEM;
			}
			*nv = hr;
		}
		fng_load_pop(L);
	}
	return 0;
}

/* create_child_process exceptions: absolute paths of programs, or
 * "build-id:HEX" naming an ELF file wherever it lives. */
static int parse_exec_exceptions(struct fng_loader *L, json_object *arr, const char *rule)
{
	struct fng_policy *p = L->p;

	if (!json_object_is_type(arr, json_type_array))
		return fng_load_fail(L, "%s: exceptions must be an array of strings, got %s", rule, fng_load_type_name(arr));
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		const char *s;

		fng_load_push_index(L, i);
		if (!json_object_is_type(e, json_type_string))
			return fng_load_fail(L, "%s: exception must be a string, got %s", rule, fng_load_type_name(e));
		s = json_object_get_string(e);
		if (strncmp(s, "build-id:", 9) == 0) {
			struct fng_build_id id;
			struct fng_build_id *v;
			if (fng_build_id_parse(s, &id) < 0)
				return fng_load_fail(L, "%s: bad exception \"%s\": a build-id is 2 to 64 hexadecimal digits, "
					    "an even number of them", rule, s);
			v = FNG_PUSH(p->exec_allow_ids, p->n_exec_allow_ids);
			if (!v)
				return -ENOMEM;
			*v = id;
		} else if (s[0] == '/') {
			if (fng_load_strv_push(&p->exec_allow_paths, &p->n_exec_allow_paths, s) < 0)
				return -ENOMEM;
		} else {
			return fng_load_fail(L, "%s: bad exception \"%s\": expected an absolute path or build-id:HEX", rule, s);
		}
		fng_load_pop(L);
	}
	return 0;
}

static bool is_outbound_setting(const char *key)
{
	return strcmp(key, "loopback") == 0 || strcmp(key, "resolvers") == 0 || strcmp(key, "log_dns") == 0 ||
	       strcmp(key, "aws_ip_ranges") == 0;
}

static int parse_resolvers(struct fng_loader *L, json_object *arr)
{
	struct fng_policy *p = L->p;

	if (!json_object_is_type(arr, json_type_array))
		return fng_load_fail(L, "resolvers: expected an array of IP addresses, got %s", fng_load_type_name(arr));
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		struct fng_netrule nr, *nv;
		const char *why = NULL;

		fng_load_push_index(L, i);
		if (!json_object_is_type(e, json_type_string))
			return fng_load_fail(L, "resolvers: each entry must be a string, got %s", fng_load_type_name(e));
		if (fng_netrule_parse(json_object_get_string(e), &nr, &why) < 0 ||
		    nr.prefix != 128 || nr.port)
			return fng_load_fail(L, "resolvers: \"%s\" is not a single IP address", json_object_get_string(e));
		nv = FNG_PUSH(p->resolvers, p->n_resolvers);
		if (!nv)
			return -ENOMEM;
		*nv = nr;
		fng_load_pop(L);
	}
	return 0;
}

/* The file named by aws_ip_ranges, relative to the policy file's folder. */
static int load_aws_ranges(struct fng_loader *L, const char *file)
{
	autofree char *path = NULL, *text = NULL;
	const char *slash = strrchr(L->name, '/');
	const char *why = NULL;
	size_t len = 0;
	int r;

	if (file[0] == '/' || !slash)
		path = strdup(file);
	else if (asprintf(&path, "%.*s/%s", (int)(slash - L->name), L->name, file) < 0)
		path = NULL;
	if (!path)
		return -ENOMEM;
	r = fng_slurp(path, &text, &len);
	if (r < 0)
		return fng_load_fail(L, "aws_ip_ranges: cannot read %s: %s", path, strerror(-r));
	r = fng_aws_ranges_parse(text, len, &L->p->net_allow, &L->p->n_net_allow, &why);
	if (r == -EINVAL)
		return fng_load_fail(L, "aws_ip_ranges: %s: %s", path, why);
	if (r < 0)
		return r;
	L->p->aws_ip_ranges = strdup(path);
	return L->p->aws_ip_ranges ? 0 : -ENOMEM;
}

static int parse_outbound_setting(struct fng_loader *L, const char *key, json_object *val)
{
	struct fng_policy *p = L->p;
	const char *s = NULL;

	if (strcmp(key, "resolvers") == 0)
		return parse_resolvers(L, val);
	if (strcmp(key, "log_dns") == 0) {
		if (!json_object_is_type(val, json_type_boolean))
			return fng_load_fail(L, "log_dns: expected true or false, got %s", fng_load_type_name(val));
		p->log_dns = json_object_get_boolean(val);
		return 0;
	}
	if (fng_load_string(L, val, key, &s) < 0)
		return -EINVAL;
	if (strcmp(key, "loopback") == 0) {
		if (strcmp(s, "allow") == 0)
			p->judge_loopback = false;
		else if (strcmp(s, "judge") == 0)
			p->judge_loopback = true;
		else
			return fng_load_fail(L, "loopback: unknown value \"%s\" (expected allow or judge)", s);
		return 0;
	}
	return load_aws_ranges(L, s);
}

int fng_load_rule(struct fng_loader *L, enum fng_rule rule, json_object *v)
{
	const char *name = fng_rule_name(rule);
	bool have_mode = false;

	if (L->rule_seen[rule])
		return fng_load_fail(L, "%s: rule given twice (at top level and under \"policy\")", name);
	L->rule_seen[rule] = true;

	if (json_object_is_type(v, json_type_string))
		return parse_mode(L, v, name, &L->p->mode[rule]);
	if (!json_object_is_type(v, json_type_object))
		return fng_load_fail(L, "%s: expected a mode string or an object, got %s", name, fng_load_type_name(v));

	json_object_object_foreach(v, key, val) {
		int r = 0;
		fng_load_push_key(L, key);
		if (strcmp(key, "action") == 0 || strcmp(key, "mode") == 0) {
			if (have_mode)
				r = fng_load_fail(L, "%s: give either \"action\" or \"mode\", not both", name);
			else
				r = parse_mode(L, val, name, &L->p->mode[rule]);
			have_mode = true;
		} else if (strcmp(key, "exceptions") == 0 || strcmp(key, "allow") == 0) {
			if (rule == FNG_RULE_OUTBOUND)
				r = parse_exceptions(L, val, name);
			else if (rule == FNG_RULE_CHILD)
				r = parse_exec_exceptions(L, val, name);
			else
				r = fng_load_fail(L, "%s: \"%s\" is only supported for outbound_connectivity and create_child_process",
					 name, key);
		} else if (rule == FNG_RULE_OUTBOUND && is_outbound_setting(key)) {
			r = parse_outbound_setting(L, key, val);
		} else if (rule == FNG_RULE_TMP && strcmp(key, "jvm_perfdata") == 0) {
			if (!json_object_is_type(val, json_type_boolean))
				r = fng_load_fail(L, "jvm_perfdata: expected true or false, got %s", fng_load_type_name(val));
			else
				L->p->no_jvm_perfdata = !json_object_get_boolean(val);
		} else {
			r = fng_load_fail_key(L, "%s: unknown key \"%s\" (expected action, mode, exceptions or allow%s)", name, key,
				     rule == FNG_RULE_OUTBOUND ? ", loopback, resolvers, log_dns, aws_ip_ranges"
				     : rule == FNG_RULE_TMP ? ", jvm_perfdata" : "");
		}
		if (r < 0)
			return r;
		fng_load_pop(L);
	}
	if (!have_mode)
		return fng_load_fail(L, "%s: missing \"action\" (block, alert or allow)", name);
	if (L->p->aws_ip_ranges && !L->p->aws)
		return fng_load_fail(L, "%s: aws_ip_ranges is given but \"aws\" is not among the exceptions", name);
	return 0;
}

int fng_load_rule_from_name(const char *key, enum fng_rule *out)
{
	for (int r = 0; r < FNG_RULE_ALLOWLIST; r++) { /* the allowlist is a section of its own */
		if (strcmp(key, fng_rule_name((enum fng_rule)r)) == 0) {
			*out = (enum fng_rule)r;
			return 0;
		}
	}
	return -ENOENT;
}

int fng_load_functionshield(struct fng_loader *L, json_object *v)
{
	if (!json_object_is_type(v, json_type_object))
		return fng_load_fail(L, "policy: expected an object, got %s", fng_load_type_name(v));
	json_object_object_foreach(v, key, val) {
		enum fng_rule rule;
		int r;
		fng_load_push_key(L, key);
		if (fng_load_rule_from_name(key, &rule) < 0)
			return fng_load_fail_key(L, "policy: unknown rule \"%s\" (expected outbound_connectivity, read_write_tmp, "
				    "create_child_process or read_handler)", key);
		r = fng_load_rule(L, rule, val);
		if (r < 0)
			return r;
		fng_load_pop(L);
	}
	return 0;
}
