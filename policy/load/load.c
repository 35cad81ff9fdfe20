/* Loading a policy: JSON through json-c, positions through jsonpos.c.
 * Accepts FunctionShield's {"policy": {...}} form, Iron Function's top-level
 * form, and fnguard's own superset. Every error is "FILE:LINE:COL: message";
 * anything unknown is an error, never a silently weaker policy. */
#include "policy/policy.h"
#include "policy/load/jsonpos.h"
#include "policy/load/load_allow.h"
#include "logging/sinks/dest.h"
#include "common/array.h"
#include "common/util.h"

#include <json-c/json.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define MAX_STEPS 4

struct loader {
	const char *name;
	const char *text;
	size_t len;
	struct fng_policy *p;
	struct fng_policy_error *err;
	bool rule_seen[FNG_RULE_COUNT];
	struct fng_json_step path[MAX_STEPS];
	size_t depth;
};

static void error_at_offset(struct loader *L, size_t off, const char *fmt, va_list ap)
{
	unsigned line, col;
	char msg[400];

	fng_json_linecol(L->text, L->len, off, &line, &col);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	snprintf(L->err->msg, sizeof(L->err->msg), "%s:%u:%u: %s", L->name, line, col, msg);
}

static int fail_located(struct loader *L, bool at_key, const char *fmt, va_list ap)
{
	size_t off = 0;
	int r = at_key ? fng_json_locate_key(L->text, L->len, L->path, L->depth, &off)
		       : fng_json_locate(L->text, L->len, L->path, L->depth, &off);

	error_at_offset(L, r < 0 ? 0 : off, fmt, ap);
	return -EINVAL;
}

/* Report an error at the value the loader is currently looking at. */
__attribute__((format(printf, 2, 3))) static int fail(struct loader *L, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = fail_located(L, false, fmt, ap);
	va_end(ap);
	return r;
}

/* Report an error at the key the loader is looking at (unknown keys). */
__attribute__((format(printf, 2, 3))) static int fail_key(struct loader *L, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = fail_located(L, true, fmt, ap);
	va_end(ap);
	return r;
}

static void push_key(struct loader *L, const char *key)
{
	L->path[L->depth].key = key;
	L->path[L->depth].index = 0;
	L->depth++;
}

static void push_index(struct loader *L, size_t i)
{
	L->path[L->depth].key = NULL;
	L->path[L->depth].index = i;
	L->depth++;
}

static void pop(struct loader *L)
{
	L->depth--;
}

static int strv_push(char ***v, size_t *n, const char *s)
{
	char *d = strdup(s), **slot;

	if (!d)
		return -ENOMEM;
	slot = fng_array_push(v, n, sizeof(**v));
	if (!slot) {
		free(d);
		return -ENOMEM;
	}
	*slot = d;
	return 0;
}

__attribute__((format(printf, 2, 3))) static int notice(struct loader *L, const char *fmt, ...)
{
	char buf[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return strv_push(&L->p->notices, &L->p->n_notices, buf);
}

static const char *type_name(json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_null: return "null";
	case json_type_boolean: return "a boolean";
	case json_type_double:
	case json_type_int: return "a number";
	case json_type_object: return "an object";
	case json_type_array: return "an array";
	case json_type_string: return "a string";
	}
	return "?";
}

static int parse_mode(struct loader *L, json_object *v, const char *what, enum fng_mode *out)
{
	const char *s = NULL;

	if (!json_object_is_type(v, json_type_string))
		return fail(L, "%s: expected a mode string (block, alert or allow), got %s", what, type_name(v));
	s = json_object_get_string(v);
	if (fng_mode_parse(s, out) < 0)
		return fail(L, "%s: unknown mode \"%s\" (expected block, alert or allow)", what, s);
	return 0;
}

/* "aws": the documented AWS service domains, as wildcards. */
static int add_aws(struct loader *L)
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

static int parse_exceptions(struct loader *L, json_object *arr, const char *rule)
{
	struct fng_policy *p = L->p;
	size_t n;

	if (!json_object_is_type(arr, json_type_array))
		return fail(L, "%s: exceptions must be an array of strings, got %s", rule, type_name(arr));
	n = json_object_array_length(arr);
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		struct fng_netrule nr;
		const char *s, *why = NULL;
		int r;

		push_index(L, i);
		if (!json_object_is_type(e, json_type_string))
			return fail(L, "%s: exception must be a string, got %s", rule, type_name(e));
		s = json_object_get_string(e);
		r = fng_netrule_parse(s, &nr, &why);
		if (r == 0) {
			struct fng_netrule *na = FNG_PUSH(p->net_allow, p->n_net_allow);
			if (!na)
				return -ENOMEM;
			*na = nr;
		} else if (r == -ERANGE) {
			return fail(L, "%s: bad exception \"%s\": %s", rule, s, why);
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
				return fail(L, "%s: bad exception \"%s\": %s", rule, s, why);
			nv = FNG_PUSH(p->host_allow, p->n_host_allow);
			if (!nv) {
				free(hr.name);
				return -ENOMEM;
			}
			*nv = hr;
		}
		pop(L);
	}
	return 0;
}

/* create_child_process exceptions: absolute paths of programs, or
 * "build-id:HEX" naming an ELF file wherever it lives. */
static int parse_exec_exceptions(struct loader *L, json_object *arr, const char *rule)
{
	struct fng_policy *p = L->p;

	if (!json_object_is_type(arr, json_type_array))
		return fail(L, "%s: exceptions must be an array of strings, got %s", rule, type_name(arr));
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		const char *s;

		push_index(L, i);
		if (!json_object_is_type(e, json_type_string))
			return fail(L, "%s: exception must be a string, got %s", rule, type_name(e));
		s = json_object_get_string(e);
		if (strncmp(s, "build-id:", 9) == 0) {
			struct fng_build_id id;
			struct fng_build_id *v;
			if (fng_build_id_parse(s, &id) < 0)
				return fail(L, "%s: bad exception \"%s\": a build-id is 2 to 64 hexadecimal digits, "
					    "an even number of them", rule, s);
			v = FNG_PUSH(p->exec_allow_ids, p->n_exec_allow_ids);
			if (!v)
				return -ENOMEM;
			*v = id;
		} else if (s[0] == '/') {
			if (strv_push(&p->exec_allow_paths, &p->n_exec_allow_paths, s) < 0)
				return -ENOMEM;
		} else {
			return fail(L, "%s: bad exception \"%s\": expected an absolute path or build-id:HEX", rule, s);
		}
		pop(L);
	}
	return 0;
}

static int parse_string(struct loader *L, json_object *v, const char *key, const char **out);

static bool is_outbound_setting(const char *key)
{
	return strcmp(key, "loopback") == 0 || strcmp(key, "resolvers") == 0 || strcmp(key, "log_dns") == 0 ||
	       strcmp(key, "aws_ip_ranges") == 0;
}

static int parse_resolvers(struct loader *L, json_object *arr)
{
	struct fng_policy *p = L->p;

	if (!json_object_is_type(arr, json_type_array))
		return fail(L, "resolvers: expected an array of IP addresses, got %s", type_name(arr));
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		struct fng_netrule nr, *nv;
		const char *why = NULL;

		push_index(L, i);
		if (!json_object_is_type(e, json_type_string))
			return fail(L, "resolvers: each entry must be a string, got %s", type_name(e));
		if (fng_netrule_parse(json_object_get_string(e), &nr, &why) < 0 ||
		    nr.prefix != 128 || nr.port)
			return fail(L, "resolvers: \"%s\" is not a single IP address", json_object_get_string(e));
		nv = FNG_PUSH(p->resolvers, p->n_resolvers);
		if (!nv)
			return -ENOMEM;
		*nv = nr;
		pop(L);
	}
	return 0;
}

/* The file named by aws_ip_ranges, relative to the policy file's folder. */
static int load_aws_ranges(struct loader *L, const char *file)
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
		return fail(L, "aws_ip_ranges: cannot read %s: %s", path, strerror(-r));
	r = fng_aws_ranges_parse(text, len, &L->p->net_allow, &L->p->n_net_allow, &why);
	if (r == -EINVAL)
		return fail(L, "aws_ip_ranges: %s: %s", path, why);
	if (r < 0)
		return r;
	L->p->aws_ip_ranges = strdup(path);
	return L->p->aws_ip_ranges ? 0 : -ENOMEM;
}

static int parse_outbound_setting(struct loader *L, const char *key, json_object *val)
{
	struct fng_policy *p = L->p;
	const char *s = NULL;

	if (strcmp(key, "resolvers") == 0)
		return parse_resolvers(L, val);
	if (strcmp(key, "log_dns") == 0) {
		if (!json_object_is_type(val, json_type_boolean))
			return fail(L, "log_dns: expected true or false, got %s", type_name(val));
		p->log_dns = json_object_get_boolean(val);
		return 0;
	}
	if (parse_string(L, val, key, &s) < 0)
		return -EINVAL;
	if (strcmp(key, "loopback") == 0) {
		if (strcmp(s, "allow") == 0)
			p->judge_loopback = false;
		else if (strcmp(s, "judge") == 0)
			p->judge_loopback = true;
		else
			return fail(L, "loopback: unknown value \"%s\" (expected allow or judge)", s);
		return 0;
	}
	return load_aws_ranges(L, s);
}

static int parse_rule(struct loader *L, enum fng_rule rule, json_object *v)
{
	const char *name = fng_rule_name(rule);
	bool have_mode = false;

	if (L->rule_seen[rule])
		return fail(L, "%s: rule given twice (at top level and under \"policy\")", name);
	L->rule_seen[rule] = true;

	if (json_object_is_type(v, json_type_string))
		return parse_mode(L, v, name, &L->p->mode[rule]);
	if (!json_object_is_type(v, json_type_object))
		return fail(L, "%s: expected a mode string or an object, got %s", name, type_name(v));

	json_object_object_foreach(v, key, val) {
		int r = 0;
		push_key(L, key);
		if (strcmp(key, "action") == 0 || strcmp(key, "mode") == 0) {
			if (have_mode)
				r = fail(L, "%s: give either \"action\" or \"mode\", not both", name);
			else
				r = parse_mode(L, val, name, &L->p->mode[rule]);
			have_mode = true;
		} else if (strcmp(key, "exceptions") == 0 || strcmp(key, "allow") == 0) {
			if (rule == FNG_RULE_OUTBOUND)
				r = parse_exceptions(L, val, name);
			else if (rule == FNG_RULE_CHILD)
				r = parse_exec_exceptions(L, val, name);
			else
				r = fail(L, "%s: \"%s\" is only supported for outbound_connectivity and create_child_process",
					 name, key);
		} else if (rule == FNG_RULE_OUTBOUND && is_outbound_setting(key)) {
			r = parse_outbound_setting(L, key, val);
		} else {
			r = fail_key(L, "%s: unknown key \"%s\" (expected action, mode, exceptions or allow%s)", name, key,
				     rule == FNG_RULE_OUTBOUND ? ", loopback, resolvers, log_dns, aws_ip_ranges" : "");
		}
		if (r < 0)
			return r;
		pop(L);
	}
	if (!have_mode)
		return fail(L, "%s: missing \"action\" (block, alert or allow)", name);
	if (L->p->aws_ip_ranges && !L->p->aws)
		return fail(L, "%s: aws_ip_ranges is given but \"aws\" is not among the exceptions", name);
	return 0;
}

static int rule_from_name(const char *key, enum fng_rule *out)
{
	for (int r = 0; r < FNG_RULE_ALLOWLIST; r++) { /* the allowlist is a section of its own */
		if (strcmp(key, fng_rule_name((enum fng_rule)r)) == 0) {
			*out = (enum fng_rule)r;
			return 0;
		}
	}
	return -ENOENT;
}

static int parse_functionshield(struct loader *L, json_object *v)
{
	if (!json_object_is_type(v, json_type_object))
		return fail(L, "policy: expected an object, got %s", type_name(v));
	json_object_object_foreach(v, key, val) {
		enum fng_rule rule;
		int r;
		push_key(L, key);
		if (rule_from_name(key, &rule) < 0)
			return fail_key(L, "policy: unknown rule \"%s\" (expected outbound_connectivity, read_write_tmp, "
				    "create_child_process or read_handler)", key);
		r = parse_rule(L, rule, val);
		if (r < 0)
			return r;
		pop(L);
	}
	return 0;
}

static int parse_string(struct loader *L, json_object *v, const char *key, const char **out)
{
	if (!json_object_is_type(v, json_type_string))
		return fail(L, "%s: expected a string, got %s", key, type_name(v));
	*out = json_object_get_string(v);
	return 0;
}

static int parse_tmp_root(struct loader *L, json_object *v)
{
	const char *s = NULL;
	char *copy;
	size_t n;

	if (parse_string(L, v, "tmp_root", &s) < 0)
		return -EINVAL;
	if (s[0] != '/')
		return fail(L, "tmp_root: must be an absolute path, got \"%s\"", s);
	copy = strdup(s);
	if (!copy)
		return -ENOMEM;
	n = strlen(copy);
	while (n > 1 && copy[n - 1] == '/')
		copy[--n] = '\0';
	free(L->p->tmp_root);
	L->p->tmp_root = copy;
	return 0;
}

static int parse_handler(struct loader *L, json_object *v)
{
	struct fng_policy *p = L->p;

	if (json_object_is_type(v, json_type_string)) {
		if (json_object_get_string(v)[0] != '/')
			return fail(L, "handler: must be an absolute path");
		return strv_push(&p->handler_paths, &p->n_handler_paths, json_object_get_string(v));
	}
	if (!json_object_is_type(v, json_type_array))
		return fail(L, "handler: expected a path or an array of paths, got %s", type_name(v));
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		json_object *e = json_object_array_get_idx(v, i);
		push_index(L, i);
		if (!json_object_is_type(e, json_type_string) || json_object_get_string(e)[0] != '/')
			return fail(L, "handler: each entry must be an absolute path");
		if (strv_push(&p->handler_paths, &p->n_handler_paths, json_object_get_string(e)) < 0)
			return -ENOMEM;
		pop(L);
	}
	return 0;
}

static int parse_event_sinks(struct loader *L, json_object *v)
{
	struct fng_policy *p = L->p;

	if (!json_object_is_type(v, json_type_array))
		return fail(L, "events.sinks: expected an array of log destinations, got %s", type_name(v));
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		json_object *e = json_object_array_get_idx(v, i);
		struct fng_sink_spec spec;
		const char *why = NULL;

		push_index(L, i);
		if (!json_object_is_type(e, json_type_string))
			return fail(L, "events.sinks: each destination must be a string, got %s", type_name(e));
		if (fng_sink_parse(json_object_get_string(e), &spec, &why) < 0)
			return fail(L, "events.sinks: bad destination \"%s\": %s", json_object_get_string(e), why);
		if (strv_push(&p->event_sinks, &p->n_event_sinks, json_object_get_string(e)) < 0)
			return -ENOMEM;
		pop(L);
	}
	return 0;
}

/* "events": {"sinks": [...], "format": "fnguard"|"ocsf", "flush_timeout_ms": N} */
static int parse_events(struct loader *L, json_object *v)
{
	struct fng_policy *p = L->p;

	if (!json_object_is_type(v, json_type_object))
		return fail(L, "events: expected an object, got %s", type_name(v));
	json_object_object_foreach(v, key, val) {
		int r = 0;
		push_key(L, key);
		if (strcmp(key, "sinks") == 0) {
			r = parse_event_sinks(L, val);
		} else if (strcmp(key, "format") == 0) {
			enum fng_log_format f;
			if (!json_object_is_type(val, json_type_string) || fng_log_format_parse(json_object_get_string(val), &f) < 0)
				r = fail(L, "events.format: expected \"fnguard\" or \"ocsf\"");
			else
				p->event_format = f == FNG_FORMAT_OCSF ? 2 : 1;
		} else if (strcmp(key, "flush_timeout_ms") == 0) {
			int64_t ms = json_object_get_int64(val);
			if (!json_object_is_type(val, json_type_int) || ms < 0 || ms > FNG_FLUSH_TIMEOUT_MAX_MS)
				r = fail(L, "events.flush_timeout_ms: expected milliseconds from 0 to %d", FNG_FLUSH_TIMEOUT_MAX_MS);
			p->has_flush_timeout = true;
			p->flush_timeout_ms = (unsigned)ms;
		} else {
			r = fail_key(L, "events: unknown key \"%s\" (expected sinks, format or flush_timeout_ms)", key);
		}
		if (r < 0)
			return r;
		pop(L);
	}
	return 0;
}

static int parse_lambda(struct loader *L, json_object *val)
{
	const char *k1, *k2;
	char msg[300];
	bool at_key;

	if (fng_policy_parse_lambda(val, L->p, msg, sizeof(msg), &k1, &k2, &at_key) == 0)
		return 0;
	if (k1)
		push_key(L, k1);
	if (k2)
		push_key(L, k2);
	return at_key ? fail_key(L, "%s", msg) : fail(L, "%s", msg);
}

static int parse_top_key(struct loader *L, const char *key, json_object *val)
{
	struct fng_policy *p = L->p;
	enum fng_rule rule;
	const char *s = NULL;

	if (rule_from_name(key, &rule) == 0)
		return parse_rule(L, rule, val);
	if (strcmp(key, "policy") == 0)
		return parse_functionshield(L, val);
	if (strcmp(key, "token") == 0 || strcmp(key, "disable_analytics") == 0)
		return notice(L, "\"%s\" is a FunctionShield setting that fnguard does not need; ignored", key);
	if (strcmp(key, "tmp_root") == 0)
		return parse_tmp_root(L, val);
	if (strcmp(key, "handler") == 0)
		return parse_handler(L, val);
	if (strcmp(key, "version") == 0) {
		if (!json_object_is_type(val, json_type_int) || json_object_get_int64(val) != 1)
			return fail(L, "version: only version 1 is known");
		return 0;
	}
	if (strcmp(key, "on_unsupported") == 0) {
		if (parse_string(L, val, key, &s) < 0)
			return -EINVAL;
		if (strcmp(s, "fail") == 0)
			p->on_unsupported = FNG_UNSUPPORTED_FAIL;
		else if (strcmp(s, "run-unprotected") == 0)
			p->on_unsupported = FNG_UNSUPPORTED_RUN;
		else
			return fail(L, "on_unsupported: unknown value \"%s\" (expected fail or run-unprotected)", s);
		return 0;
	}
	if (strcmp(key, "api_endpoint") == 0) {
		if (parse_string(L, val, key, &s) < 0)
			return -EINVAL;
		{
			struct fng_sink_spec spec;
			const char *why = NULL;
			if (fng_sink_parse(s, &spec, &why) < 0 || spec.kind != FNG_SINK_HTTP)
				return fail(L, "api_endpoint: expected an http:// or https:// URL");
		}
		free(p->api_endpoint);
		p->api_endpoint = strdup(s);
		return p->api_endpoint ? 0 : -ENOMEM;
	}
	if (strcmp(key, "events") == 0)
		return parse_events(L, val);
	if (strcmp(key, "allowlist") == 0)
		return fng_allowlist_load(L->name, L->text, L->len, val, L->path, L->depth, p, L->err);
	if (strcmp(key, "lambda") == 0)
		return parse_lambda(L, val);
	return fail_key(L, "unknown key \"%s\"", key);
}

int fng_policy_load_buffer(const char *name, const char *text, size_t len, struct fng_policy *p,
			   struct fng_policy_error *err)
{
	struct loader L = { .name = name, .text = text, .len = len, .p = p, .err = err };
	json_tokener *tok;
	json_object *root;
	enum json_tokener_error jerr;
	size_t end, off;
	int r = 0;

	memset(p, 0, sizeof(*p));
	err->msg[0] = '\0';
	if (len > INT32_MAX || strlen(text) != len) {
		snprintf(err->msg, sizeof(err->msg), "%s:1:1: policy contains a NUL byte or is too large", name);
		return -EINVAL;
	}
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	/* len + 1 hands json-c the terminating NUL, so a number or literal at
	 * the very end is complete rather than "waiting for more input". */
	root = json_tokener_parse_ex(tok, text, (int)len + 1);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (end > len)
		end = len;
	if (jerr == json_tokener_success && !root) {
		snprintf(err->msg, sizeof(err->msg), "%s:1:1: a policy must be a JSON object, got null", name);
		return -EINVAL;
	}
	if (!root || jerr != json_tokener_success) {
		const char *why = root || jerr == json_tokener_continue || end >= len ? "unexpected end of input"
										     : json_tokener_error_desc(jerr);
		json_object_put(root);
		snprintf(err->msg, sizeof(err->msg), "%s", why);
		{
			unsigned line, col;
			fng_json_linecol(text, len, end, &line, &col);
			snprintf(err->msg, sizeof(err->msg), "%s:%u:%u: invalid JSON: %s", name, line, col, why);
		}
		return -EINVAL;
	}
	for (size_t i = end; i < len; i++) {
		if (!strchr(" \t\r\n", text[i])) {
			unsigned line, col;
			json_object_put(root);
			fng_json_linecol(text, len, i, &line, &col);
			snprintf(err->msg, sizeof(err->msg), "%s:%u:%u: invalid JSON: trailing characters after the policy",
				 name, line, col);
			return -EINVAL;
		}
	}
	r = fng_json_find_duplicate_key(text, len, &off);
	if (r < 0) {
		unsigned line, col;
		json_object_put(root);
		fng_json_linecol(text, len, off, &line, &col);
		snprintf(err->msg, sizeof(err->msg), "%s:%u:%u: %s", name, line, col,
			 r == -EEXIST ? "duplicate key (a later value would silently replace the first)"
				      : "invalid JSON: not strict JSON (single quotes, NaN, control characters or \\u0000)");
		return -EINVAL;
	}

	p->tmp_root = strdup("/tmp");
	if (!p->tmp_root) {
		r = -ENOMEM;
		goto out;
	}
	if (!json_object_is_type(root, json_type_object)) {
		r = fail(&L, "a policy must be a JSON object, got %s", type_name(root));
		goto out;
	}
	json_object_object_foreach(root, key, val) {
		push_key(&L, key);
		r = parse_top_key(&L, key, val);
		if (r < 0)
			goto out;
		pop(&L);
	}
out:
	json_object_put(root);
	if (r == -ENOMEM && !err->msg[0])
		snprintf(err->msg, sizeof(err->msg), "%s: out of memory", name);
	if (r < 0)
		fng_policy_free(p);
	return r;
}

int fng_policy_load_file(const char *path, struct fng_policy *p, struct fng_policy_error *err)
{
	autofree char *text = NULL;
	size_t len = 0;
	int r = fng_slurp(path, &text, &len);

	if (r < 0) {
		snprintf(err->msg, sizeof(err->msg), "%s: cannot read policy: %s", path, strerror(-r));
		return r;
	}
	return fng_policy_load_buffer(path, text, len, p, err);
}
