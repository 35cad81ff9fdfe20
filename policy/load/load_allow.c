/* The "allowlist" section:
 *   {"mode": "block"|"alert", "learned": SET, "add": SET, "remove": SET}
 *   SET = {"files": {"read": [...], "write": [...]}, "exec": [...], "hosts": [...],
 *          "ips": [...], "dns": [...], "init": SET without "init"}
 * The SET keys may also stand in the section itself: they are "learned".
 * Errors are "FILE:LINE:COL: message", like the rest of the loader. */
#include "policy/load/load_internal.h"
#include "policy/allowlist.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 3, 4))) static int fail(struct fng_loader *L, bool at_key, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = fng_load_vfail(L, at_key, "allowlist: ", fmt, ap);
	va_end(ap);
	return r;
}

/* One entry: a string, or (exec) {"path": P, "build_id": HEX}. */
static int load_entry(struct fng_loader *L, json_object *e, struct fng_al_list *l, enum fng_al_kind k, bool init)
{
	const char *text = NULL, *id = NULL, *why = NULL;
	int r;

	if (k == FNG_AL_EXEC && json_object_is_type(e, json_type_object)) {
		json_object_object_foreach(e, key, val) {
			fng_load_push_key(L, key);
			if ((strcmp(key, "path") != 0 && strcmp(key, "build_id") != 0))
				return fail(L, true, "exec: unknown key \"%s\" (expected path or build_id)", key);
			if (!json_object_is_type(val, json_type_string))
				return fail(L, false, "exec: %s must be a string", key);
			*(strcmp(key, "path") == 0 ? &text : &id) = json_object_get_string(val);
			fng_load_pop(L);
		}
		if (!text)
			return fail(L, false, "exec: an entry needs \"path\"");
	} else if (json_object_is_type(e, json_type_string)) {
		text = json_object_get_string(e);
	} else {
		return fail(L, false, "%s: each entry must be a string%s", fng_al_kind_name(k),
			    k == FNG_AL_EXEC ? " or {\"path\", \"build_id\"}" : "");
	}
	r = fng_al_list_add(l, k, text, init, id, &why);
	if (r == -EINVAL)
		return fail(L, false, "%s: bad entry \"%s\": %s", fng_al_kind_name(k), text, why);
	return r;
}

static int load_list(struct fng_loader *L, json_object *arr, struct fng_al_set *s, enum fng_al_kind k, bool init)
{
	if (!json_object_is_type(arr, json_type_array))
		return fail(L, false, "%s: expected an array", fng_al_kind_name(k));
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		int r;
		fng_load_push_index(L, i);
		r = load_entry(L, json_object_array_get_idx(arr, i), &s->k[k], k, init);
		if (r < 0)
			return r;
		fng_load_pop(L);
	}
	return 0;
}

static int load_files(struct fng_loader *L, json_object *v, struct fng_al_set *s, bool init)
{
	if (!json_object_is_type(v, json_type_object))
		return fail(L, false, "files: expected {\"read\": [...], \"write\": [...]}");
	json_object_object_foreach(v, key, val) {
		int r;
		fng_load_push_key(L, key);
		if (strcmp(key, "read") == 0)
			r = load_list(L, val, s, FNG_AL_READ, init);
		else if (strcmp(key, "write") == 0)
			r = load_list(L, val, s, FNG_AL_WRITE, init);
		else
			r = fail(L, true, "files: unknown key \"%s\" (expected read or write)", key);
		if (r < 0)
			return r;
		fng_load_pop(L);
	}
	return 0;
}

static int kind_of(const char *key, enum fng_al_kind *k)
{
	static const struct { const char *key; enum fng_al_kind k; } map[] = {
		{ "exec", FNG_AL_EXEC }, { "hosts", FNG_AL_HOST }, { "ips", FNG_AL_IP }, { "dns", FNG_AL_DNS },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (strcmp(key, map[i].key) == 0) {
			*k = map[i].k;
			return 0;
		}
	}
	return -ENOENT;
}

static bool is_set_key(const char *key)
{
	enum fng_al_kind k;
	return strcmp(key, "files") == 0 || strcmp(key, "init") == 0 || kind_of(key, &k) == 0;
}

/* One key of a SET. where: "learned", "add" or "remove" (no "init" there). */
static int load_set_key(struct fng_loader *L, const char *where, const char *key, json_object *val, struct fng_al_set *s,
			bool init)
{
	enum fng_al_kind k;

	if (strcmp(key, "files") == 0)
		return load_files(L, val, s, init);
	if (kind_of(key, &k) == 0)
		return load_list(L, val, s, k, init);
	if (strcmp(key, "init") == 0) {
		if (init)
			return fail(L, true, "%s: \"init\" inside \"init\"", where);
		if (strcmp(where, "remove") == 0)
			return fail(L, true, "remove: no \"init\" here: a removal holds in every phase");
		if (!json_object_is_type(val, json_type_object))
			return fail(L, false, "%s.init: expected an object", where);
		json_object_object_foreach(val, ikey, ival) {
			int r;
			fng_load_push_key(L, ikey);
			r = is_set_key(ikey) ? load_set_key(L, where, ikey, ival, s, true)
					     : fail(L, true, "%s.init: unknown key \"%s\" (expected files, exec, "
							     "hosts, ips or dns)", where, ikey);
			if (r < 0)
				return r;
			fng_load_pop(L);
		}
		return 0;
	}
	return fail(L, true, "%s: unknown key \"%s\" (expected files, exec, hosts, ips, dns or init)", where, key);
}

static int load_set(struct fng_loader *L, const char *where, json_object *v, struct fng_al_set *s)
{
	if (!json_object_is_type(v, json_type_object))
		return fail(L, false, "%s: expected an object", where);
	json_object_object_foreach(v, key, val) {
		int r;
		fng_load_push_key(L, key);
		r = load_set_key(L, where, key, val, s, false);
		if (r < 0)
			return r;
		fng_load_pop(L);
	}
	return 0;
}

static int load_section(struct fng_loader *L, json_object *v, struct fng_policy *p, struct fng_allowlist *a)
{
	bool learned_form = false, set_form = false;

	if (!json_object_is_type(v, json_type_object))
		return fail(L, false, "expected an object");
	a->mode = FNG_MODE_BLOCK;
	json_object_object_foreach(v, key, val) {
		int r = 0;
		fng_load_push_key(L, key);
		if (strcmp(key, "mode") == 0 || strcmp(key, "action") == 0) {
			const char *s = json_object_is_type(val, json_type_string) ? json_object_get_string(val) : "";
			if (strcmp(s, "block") == 0)
				a->mode = FNG_MODE_BLOCK;
			else if (strcmp(s, "alert") == 0)
				a->mode = FNG_MODE_ALERT;
			else
				r = fail(L, false, "mode: expected \"block\" or \"alert\"");
		} else if (strcmp(key, "learned") == 0) {
			learned_form = true;
			r = load_set(L, "learned", val, &a->learned);
		} else if (strcmp(key, "add") == 0) {
			r = load_set(L, "add", val, &a->add);
		} else if (strcmp(key, "remove") == 0) {
			r = load_set(L, "remove", val, &a->remove);
		} else if (is_set_key(key)) {
			set_form = true;
			r = load_set_key(L, "learned", key, val, &a->learned, false);
		} else {
			r = fail(L, true, "unknown key \"%s\" (expected mode, learned, add, remove, or the keys of "
				 "a set: files, exec, hosts, ips, dns, init)", key);
		}
		if (r < 0)
			return r;
		if (learned_form && set_form)
			return fail(L, true, "give the learned entries either under \"learned\" or directly, not both");
		fng_load_pop(L);
	}
	p->mode[FNG_RULE_ALLOWLIST] = a->mode;
	return 0;
}

int fng_load_allowlist(struct fng_loader *L, json_object *v)
{
	struct fng_policy *p = L->p;

	if (p->allow)
		return fail(L, true, "given twice");
	p->allow = calloc(1, sizeof(*p->allow));
	if (!p->allow)
		return -ENOMEM;
	return load_section(L, v, p, p->allow);
}
