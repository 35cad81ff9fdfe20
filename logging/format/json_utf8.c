/* Every event line is valid UTF-8 (docs/events.md, "Bytes that are not
 * UTF-8"). Paths, argv, host names and command lines come from the traced
 * program and may hold any bytes; json-c would copy them into the line raw.
 * Before a line is serialised, every string in it that is not valid UTF-8
 * is rewritten: each byte that does not start a valid sequence becomes
 * U+FFFD, and a sibling member KEY_hex holds the exact bytes in hex:
 *
 *   "path": "/tmp/a\uFFFDb", "path_hex": "2f746d702f61ff62"
 *
 * For a string inside an array (argv), KEY_hex is an array of the same
 * length: the hex of each rewritten element, null for the others. Keys
 * themselves (fnguard's, or a --log destination in a loss report) get the
 * U+FFFD rewrite only. */
#include "logging/format/json_out.h"
#include "common/hex.h"
#include "common/utf8.h"
#include "common/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* s with every invalid byte replaced by U+FFFD (EF BF BD); malloc'd. */
static char *lossy(const char *s, size_t n)
{
	char *out = malloc(3 * n + 1), *o = out;
	size_t i = 0, k;

	if (!out)
		return NULL;
	while (i < n) {
		k = fng_utf8_seq((const unsigned char *)s + i, n - i);
		if (k) {
			memcpy(o, s + i, k);
			o += k;
			i += k;
		} else {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	*o = '\0';
	return out;
}

static bool bad_string(json_object *v)
{
	return json_object_is_type(v, json_type_string) &&
	       !fng_utf8_valid((const unsigned char *)json_object_get_string(v), (size_t)json_object_get_string_len(v));
}

/* The hex of v's bytes and v rewritten; NULL when out of memory. */
static json_object *fix_string(json_object *v)
{
	const char *s = json_object_get_string(v);
	size_t n = (size_t)json_object_get_string_len(v);
	autofree char *hex = malloc(2 * n + 1);
	autofree char *l = lossy(s, n);

	if (!hex || !l)
		return NULL;
	fng_hex(hex, (const uint8_t *)s, n);
	json_object_set_string(v, l);
	return json_object_new_string(hex);
}

/* An array's bad strings rewritten; the KEY_hex array, or NULL if none. */
static json_object *fix_array(json_object *a)
{
	size_t n = json_object_array_length(a);
	json_object *hexes = NULL;

	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(a, i);
		if (!bad_string(v)) {
			fng_json_utf8_fix(v);
			continue;
		}
		if (!hexes) {
			hexes = json_object_new_array_ext((int)n);
			for (size_t j = 0; j < n; j++)
				json_object_array_add(hexes, NULL);
		}
		json_object_array_put_idx(hexes, i, fix_string(v));
	}
	return hexes;
}

#define FIX_MAX 64	/* members of one object fixed per pass; fnguard's objects have fewer */

void fng_json_utf8_fix(json_object *o)
{
	struct { char *key; json_object *hex; bool bad_key; } fix[FIX_MAX];
	size_t nfix = 0;

	if (json_object_is_type(o, json_type_array)) {
		json_object_put(fix_array(o));	/* an array in an array: rewritten, no sibling */
		return;
	}
	if (!json_object_is_type(o, json_type_object))
		return;
	json_object_object_foreach(o, key, v) {
		json_object *hex = NULL;
		bool bad_key = !fng_utf8_valid((const unsigned char *)key, strlen(key));
		if (bad_string(v))
			hex = fix_string(v);
		else if (json_object_is_type(v, json_type_array))
			hex = fix_array(v);
		else
			fng_json_utf8_fix(v);
		if ((hex || bad_key) && nfix < FIX_MAX && (fix[nfix].key = strdup(key))) {
			fix[nfix].hex = hex;
			fix[nfix++].bad_key = bad_key;
		} else {
			json_object_put(hex);
		}
	}
	for (size_t i = 0; i < nfix; i++) {
		autofree char *name = NULL;
		if (fix[i].bad_key) {
			json_object *val = json_object_get(json_object_object_get(o, fix[i].key));
			autofree char *k = lossy(fix[i].key, strlen(fix[i].key));
			json_object_object_del(o, fix[i].key);
			if (k)
				json_object_object_add(o, k, val);
			else
				json_object_put(val);
		} else if (fix[i].hex && asprintf(&name, "%s_hex", fix[i].key) >= 0) {
			json_object_object_add(o, name, fix[i].hex);
			fix[i].hex = NULL;
		}
		json_object_put(fix[i].hex);
		free(fix[i].key);
	}
}
