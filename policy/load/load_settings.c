/* Loading the policy's settings beside the rules: tmp_root, handler,
 * version, on_unsupported, api_endpoint, "events", "lambda", and the
 * FunctionShield keys fnguard ignores with a notice. Part of the loader
 * (load_internal.h). */
#include "policy/load/load_internal.h"
#include "logging/sinks/dest.h"
#include "common/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 2, 3))) static int notice(struct fng_loader *L, const char *fmt, ...)
{
	char buf[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return fng_load_strv_push(&L->p->notices, &L->p->n_notices, buf);
}

static int parse_tmp_root(struct fng_loader *L, json_object *v)
{
	const char *s = NULL;
	char *copy;
	size_t n;

	if (fng_load_string(L, v, "tmp_root", &s) < 0)
		return -EINVAL;
	if (s[0] != '/')
		return fng_load_fail(L, "tmp_root: must be an absolute path, got \"%s\"", s);
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

static int parse_handler(struct fng_loader *L, json_object *v)
{
	struct fng_policy *p = L->p;

	if (json_object_is_type(v, json_type_string)) {
		if (json_object_get_string(v)[0] != '/')
			return fng_load_fail(L, "handler: must be an absolute path");
		return fng_load_strv_push(&p->handler_paths, &p->n_handler_paths, json_object_get_string(v));
	}
	if (!json_object_is_type(v, json_type_array))
		return fng_load_fail(L, "handler: expected a path or an array of paths, got %s", fng_load_type_name(v));
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		json_object *e = json_object_array_get_idx(v, i);
		fng_load_push_index(L, i);
		if (!json_object_is_type(e, json_type_string) || json_object_get_string(e)[0] != '/')
			return fng_load_fail(L, "handler: each entry must be an absolute path");
		if (fng_load_strv_push(&p->handler_paths, &p->n_handler_paths, json_object_get_string(e)) < 0)
			return -ENOMEM;
		fng_load_pop(L);
	}
	return 0;
}

static int parse_event_sinks(struct fng_loader *L, json_object *v)
{
	struct fng_policy *p = L->p;

	if (!json_object_is_type(v, json_type_array))
		return fng_load_fail(L, "events.sinks: expected an array of log destinations, got %s", fng_load_type_name(v));
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		json_object *e = json_object_array_get_idx(v, i);
		struct fng_sink_spec spec;
		const char *why = NULL;

		fng_load_push_index(L, i);
		if (!json_object_is_type(e, json_type_string))
			return fng_load_fail(L, "events.sinks: each destination must be a string, got %s", fng_load_type_name(e));
		if (fng_sink_parse(json_object_get_string(e), &spec, &why) < 0)
			return fng_load_fail(L, "events.sinks: bad destination \"%s\": %s", json_object_get_string(e), why);
		if (fng_load_strv_push(&p->event_sinks, &p->n_event_sinks, json_object_get_string(e)) < 0)
			return -ENOMEM;
		fng_load_pop(L);
	}
	return 0;
}

/* "events": {"sinks": [...], "format": "fnguard"|"ocsf", "flush_timeout_ms": N} */
static int parse_events(struct fng_loader *L, json_object *v)
{
	struct fng_policy *p = L->p;

	if (!json_object_is_type(v, json_type_object))
		return fng_load_fail(L, "events: expected an object, got %s", fng_load_type_name(v));
	json_object_object_foreach(v, key, val) {
		int r = 0;
		fng_load_push_key(L, key);
		if (strcmp(key, "sinks") == 0) {
			r = parse_event_sinks(L, val);
		} else if (strcmp(key, "format") == 0) {
			enum fng_log_format f;
			if (!json_object_is_type(val, json_type_string) || fng_log_format_parse(json_object_get_string(val), &f) < 0)
				r = fng_load_fail(L, "events.format: expected \"fnguard\", \"ocsf\", \"falco\" or \"text\"");
			else
				p->event_format = (int)f + 1;
		} else if (strcmp(key, "flush_timeout_ms") == 0) {
			int64_t ms = json_object_get_int64(val);
			if (!json_object_is_type(val, json_type_int) || ms < 0 || ms > FNG_FLUSH_TIMEOUT_MAX_MS)
				r = fng_load_fail(L, "events.flush_timeout_ms: expected milliseconds from 0 to %d", FNG_FLUSH_TIMEOUT_MAX_MS);
			p->has_flush_timeout = true;
			p->flush_timeout_ms = (unsigned)ms;
		} else {
			r = fng_load_fail_key(L, "events: unknown key \"%s\" (expected sinks, format or flush_timeout_ms)", key);
		}
		if (r < 0)
			return r;
		fng_load_pop(L);
	}
	return 0;
}

/* A key with two values, names[0] or names[1]: which one (0 or 1) in *out. */
static int parse_pair(struct fng_loader *L, const char *key, json_object *val, const char *const names[2], int *out)
{
	const char *s = NULL;

	if (fng_load_string(L, val, key, &s) < 0)
		return -EINVAL;
	for (int i = 0; i < 2; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = i;
			return 0;
		}
	}
	return fng_load_fail(L, "%s: unknown value \"%s\" (expected %s or %s)", key, s, names[0], names[1]);
}

static int parse_on_unsupported(struct fng_loader *L, const char *key, json_object *val)
{
	static const char *const names[2] = { "fail", "run-unprotected" };
	int v = 0, r = parse_pair(L, key, val, names, &v);

	if (r == 0)
		L->p->on_unsupported = v ? FNG_UNSUPPORTED_RUN : FNG_UNSUPPORTED_FAIL;
	return r;
}

static int parse_api_endpoint(struct fng_loader *L, const char *key, json_object *val)
{
	struct fng_policy *p = L->p;
	struct fng_sink_spec spec;
	const char *s = NULL, *why = NULL;

	if (fng_load_string(L, val, key, &s) < 0)
		return -EINVAL;
	if (fng_sink_parse(s, &spec, &why) < 0 || spec.kind != FNG_SINK_HTTP)
		return fng_load_fail(L, "api_endpoint: expected an http:// or https:// URL");
	free(p->api_endpoint);
	p->api_endpoint = strdup(s);
	return p->api_endpoint ? 0 : -ENOMEM;
}

static int parse_exec_mem(struct fng_loader *L, const char *key, json_object *val)
{
	static const char *const names[2] = { "allow", "block" };
	int v = 0, r = parse_pair(L, key, val, names, &v);

	if (r == 0)
		L->p->exec_mem_block = v == 1;
	return r;
}

int fng_load_setting(struct fng_loader *L, const char *key, json_object *val)
{
	if (strcmp(key, "token") == 0 || strcmp(key, "disable_analytics") == 0)
		return notice(L, "\"%s\" is a FunctionShield setting that fnguard does not need; ignored", key);
	if (strcmp(key, "tmp_root") == 0)
		return parse_tmp_root(L, val);
	if (strcmp(key, "handler") == 0)
		return parse_handler(L, val);
	if (strcmp(key, "version") == 0) {
		if (!json_object_is_type(val, json_type_int) || json_object_get_int64(val) != 1)
			return fng_load_fail(L, "version: only version 1 is known");
		return 0;
	}
	if (strcmp(key, "on_unsupported") == 0)
		return parse_on_unsupported(L, key, val);
	if (strcmp(key, "api_endpoint") == 0)
		return parse_api_endpoint(L, key, val);
	if (strcmp(key, "executable_memory") == 0)
		return parse_exec_mem(L, key, val);
	if (strcmp(key, "events") == 0)
		return parse_events(L, val);
	if (strcmp(key, "lambda") == 0)
		return fng_load_lambda(L, val);
	if (strcmp(key, "output_inspection") == 0 || strcmp(key, "code_check") == 0)
		return fng_load_payload_out(L, key, val);
	if (strcmp(key, "input_firewall") == 0)
		return fng_load_payload_in(L, val);
	return fng_load_fail_key(L, "unknown key \"%s\"", key);
}
