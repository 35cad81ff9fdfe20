/* Loading a policy: JSON through json-c, positions through jsonpos.c.
 * Accepts FunctionShield's {"policy": {...}} form, Iron Function's top-level
 * form, and fnguard's own superset. Every error is "FILE:LINE:COL: message";
 * anything unknown is an error, never a silently weaker policy. This file
 * reads the text and the top level; load_internal.h lists the others. */
#include "policy/load/load_internal.h"
#include "common/array.h"
#include "common/util.h"

#include <json-c/json.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static void json_putp(json_object **o)
{
	json_object_put(*o);
}

#define autoput __attribute__((cleanup(json_putp)))

int fng_load_vfail(struct fng_loader *L, bool at_key, const char *prefix, const char *fmt, va_list ap)
{
	unsigned line, col;
	size_t off = 0;
	char msg[400];
	int r = at_key ? fng_json_locate_key(L->text, L->len, L->path, L->depth, &off)
		       : fng_json_locate(L->text, L->len, L->path, L->depth, &off);

	vsnprintf(msg, sizeof(msg), fmt, ap);
	fng_json_linecol(L->text, L->len, r < 0 ? 0 : off, &line, &col);
	snprintf(L->err->msg, sizeof(L->err->msg), "%s:%u:%u: %s%s", L->name, line, col, prefix, msg);
	return -EINVAL;
}

/* Report an error at the value the loader is currently looking at. */
int fng_load_fail(struct fng_loader *L, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = fng_load_vfail(L, false, "", fmt, ap);
	va_end(ap);
	return r;
}

/* Report an error at the key the loader is looking at (unknown keys). */
int fng_load_fail_key(struct fng_loader *L, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = fng_load_vfail(L, true, "", fmt, ap);
	va_end(ap);
	return r;
}

int fng_load_strv_push(char ***v, size_t *n, const char *s)
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

const char *fng_load_type_name(json_object *o)
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

int fng_load_string(struct fng_loader *L, json_object *v, const char *key, const char **out)
{
	if (!json_object_is_type(v, json_type_string))
		return fng_load_fail(L, "%s: expected a string, got %s", key, fng_load_type_name(v));
	*out = json_object_get_string(v);
	return 0;
}

static int parse_top_key(struct fng_loader *L, const char *key, json_object *val)
{
	enum fng_rule rule;

	if (fng_load_rule_from_name(key, &rule) == 0)
		return fng_load_rule(L, rule, val);
	if (strcmp(key, "policy") == 0)
		return fng_load_functionshield(L, val);
	if (strcmp(key, "allowlist") == 0)
		return fng_load_allowlist(L, val);
	return fng_load_setting(L, key, val);
}

/* "FILE:LINE:COL: what what2" for an error at byte off of the text. */
static int text_error(struct fng_loader *L, size_t off, const char *what, const char *what2)
{
	unsigned line, col;

	fng_json_linecol(L->text, L->len, off, &line, &col);
	snprintf(L->err->msg, sizeof(L->err->msg), "%s:%u:%u: %s%s", L->name, line, col, what, what2);
	return -EINVAL;
}

/* The text as one strict JSON value, nothing but white space after it, no
 * key given twice in an object. 0 and *out, -ENOMEM, or -EINVAL with err. */
static int parse_json(struct fng_loader *L, json_object **out)
{
	autoput json_object *root = NULL;
	json_tokener *tok;
	enum json_tokener_error jerr;
	size_t end, off;
	int r;

	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	/* len + 1 hands json-c the terminating NUL, so a number or literal at
	 * the very end is complete rather than "waiting for more input". */
	root = json_tokener_parse_ex(tok, L->text, (int)L->len + 1);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (end > L->len)
		end = L->len;
	if (jerr == json_tokener_success && !root) {
		snprintf(L->err->msg, sizeof(L->err->msg), "%s:1:1: a policy must be a JSON object, got null", L->name);
		return -EINVAL;
	}
	if (!root || jerr != json_tokener_success)
		return text_error(L, end, "invalid JSON: ",
				  root || jerr == json_tokener_continue || end >= L->len ? "unexpected end of input"
											 : json_tokener_error_desc(jerr));
	for (size_t i = end; i < L->len; i++)
		if (!strchr(" \t\r\n", L->text[i]))
			return text_error(L, i, "invalid JSON: trailing characters after the policy", "");
	r = fng_json_find_duplicate_key(L->text, L->len, &off);
	if (r < 0)
		return text_error(L, off, r == -EEXIST ? "duplicate key (a later value would silently replace the first)"
			: "invalid JSON: not strict JSON (single quotes, NaN, control characters or \\u0000)", "");
	*out = fng_steal_ptr(&root);
	return 0;
}

static int load_root(struct fng_loader *L, json_object *root)
{
	L->p->tmp_root = strdup("/tmp");
	if (!L->p->tmp_root)
		return -ENOMEM;
	if (!json_object_is_type(root, json_type_object))
		return fng_load_fail(L, "a policy must be a JSON object, got %s", fng_load_type_name(root));
	json_object_object_foreach(root, key, val) {
		int r;
		fng_load_push_key(L, key);
		r = parse_top_key(L, key, val);
		if (r < 0)
			return r;
		fng_load_pop(L);
	}
	return 0;
}

int fng_policy_load_buffer(const char *name, const char *text, size_t len, struct fng_policy *p,
			   struct fng_policy_error *err)
{
	struct fng_loader L = { .name = name, .text = text, .len = len, .p = p, .err = err };
	autoput json_object *root = NULL;
	unsigned line, col;
	int r;

	memset(p, 0, sizeof(*p));
	err->msg[0] = '\0';
	if (len > FNG_POLICY_MAX_BYTES) {
		snprintf(err->msg, sizeof(err->msg), "%s: policy too large: %zu bytes (at most %u MiB)", name, len,
			 FNG_POLICY_MAX_BYTES >> 20);
		return -EFBIG;
	}
	if (strlen(text) != len) {
		fng_json_linecol(text, len, strlen(text), &line, &col);
		snprintf(err->msg, sizeof(err->msg), "%s:%u:%u: policy contains a NUL byte", name, line, col);
		return -EINVAL;
	}
	r = parse_json(&L, &root);
	if (r < 0)
		return r;
	r = load_root(&L, root);
	if (r == 0 && !fng_policy_enforces(p))
		r = fng_load_strv_push(&p->notices, &p->n_notices,
				       "no rule is set, so nothing is watched or refused (a rule the policy "
				       "does not name is allow; with no --policy at all, the four FunctionShield "
				       "rules are block)");
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
