/* What the files of the policy loader share: load.c (reading the JSON, the
 * top-level keys, errors), load_rules.c (the four rules), load_settings.c
 * (the other top-level keys), load_allow.c ("allowlist") and load_lambda.c
 * ("lambda"). The loader walks the JSON keeping the path to the value it is
 * looking at, so an error names its FILE:LINE:COL. */
#ifndef FNG_LOAD_INTERNAL_H
#define FNG_LOAD_INTERNAL_H

#include "policy/load/jsonpos.h"
#include "policy/policy.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define FNG_LOAD_MAX_DEPTH 12

struct fng_loader {
	const char *name;	/* the policy file, for messages */
	const char *text;
	size_t len;
	struct fng_policy *p;
	struct fng_policy_error *err;
	bool rule_seen[FNG_RULE_COUNT];
	struct fng_json_step path[FNG_LOAD_MAX_DEPTH];	/* to the value being read */
	size_t depth;
};

static inline void fng_load_push_key(struct fng_loader *L, const char *key)
{
	L->path[L->depth].key = key;
	L->path[L->depth].index = 0;
	L->depth++;
}

static inline void fng_load_push_index(struct fng_loader *L, size_t i)
{
	L->path[L->depth].key = NULL;
	L->path[L->depth].index = i;
	L->depth++;
}

static inline void fng_load_pop(struct fng_loader *L)
{
	L->depth--;
}

/* Set err to "FILE:LINE:COL: PREFIX MESSAGE" at the current value (or, with
 * at_key, at its key). Returns -EINVAL. */
int fng_load_vfail(struct fng_loader *L, bool at_key, const char *prefix, const char *fmt, va_list ap);
__attribute__((format(printf, 2, 3))) int fng_load_fail(struct fng_loader *L, const char *fmt, ...);
__attribute__((format(printf, 2, 3))) int fng_load_fail_key(struct fng_loader *L, const char *fmt, ...);

const char *fng_load_type_name(json_object *o);	/* "a string", "an array", ... */
int fng_load_string(struct fng_loader *L, json_object *v, const char *key, const char **out);
int fng_load_strv_push(char ***v, size_t *n, const char *s);	/* 0 or -ENOMEM */

/* load_rules.c: a rule's name (not the allowlist), a rule, "policy": {...}. */
int fng_load_rule_from_name(const char *key, enum fng_rule *out);
int fng_load_rule(struct fng_loader *L, enum fng_rule rule, json_object *v);
int fng_load_functionshield(struct fng_loader *L, json_object *v);

/* load_settings.c: any other top-level key (an unknown one is an error). */
int fng_load_setting(struct fng_loader *L, const char *key, json_object *val);

/* load_allow.c: the "allowlist" section, at the current path. */
int fng_load_allowlist(struct fng_loader *L, json_object *v);

/* load_lambda.c: the "lambda" section, at the current path. */
int fng_load_lambda(struct fng_loader *L, json_object *v);

/* load_payload_out.c: "output_inspection" and "code_check". */
int fng_load_payload_out(struct fng_loader *L, const char *key, json_object *val);
struct fng_payload_cfg;
/* ... and their patterns_file / patterns for another check (key says which). */
int fng_load_payload_patterns(struct fng_loader *L, const char *name, const char *key, json_object *v,
			      struct fng_payload_cfg *c);

/* load_payload_in.c: "input_firewall". */
int fng_load_payload_in(struct fng_loader *L, json_object *val);

#endif
