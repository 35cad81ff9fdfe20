/* Fuzz target: the input firewall's JSON reader (policy/payload/pjson.c)
 * against json-c's strict tokener, and the event walk over it (walk.c).
 * Aborts when one accepts what the other refuses, outside the documented
 * differences (pjson.h: json-c also takes "1.", "-.5", "01e5", stops at a
 * NUL byte, and a bare top-level scalar needs more input there; nesting
 * limits count differently). */
#include "test/fuzz/fuzz.h"
#include "policy/payload/pjson.h"
#include "policy/payload/walk.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

static bool digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/* A number json-c reads and RFC 8259 (and Python, Node, Go) does not: a
 * '.' without a digit on one side ("1.", "-.5"), a leading zero ("01"). */
static bool loose_number(const uint8_t *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (d[i] == '.' && (i == 0 || !digit(d[i - 1]) || i + 1 == n || !digit(d[i + 1])))
			return true;
		if (d[i] == '0' && i + 1 < n && digit(d[i + 1]) && (i == 0 || (!digit(d[i - 1]) && d[i - 1] != '.')))
			return true;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fng_pj_doc d;
	struct fng_pwalk_list l;
	int r = fng_pj_parse((const char *)data, size, 64, 1u << 20, &d);

	if (r == 0)
		fng_pj_free(&d);
	if (size < 1 << 16) {
		struct json_tokener *tok = json_tokener_new_ex(64);
		if (!tok)
			return 0;
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
		struct json_object *o = json_tokener_parse_ex(tok, (const char *)data, (int)size);
		enum json_tokener_error e = json_tokener_get_error(tok);
		size_t end = json_tokener_get_parse_end(tok);
		while (end < size && strchr(" \t\r\n", data[end]) && data[end])
			end++;
		bool jc = o && e == json_tokener_success && end == size;
		json_object_put(o);
		json_tokener_free(tok);
		size_t b = 0;
		while (b < size && data[b] && strchr(" \t\r\n", data[b]))
			b++;
		bool scalar = b < size && data[b] != '{' && data[b] != '[';
		bool nul = memchr(data, 0, size) != NULL;
		if (e != json_tokener_error_depth && r != FNG_PJ_DEEP && r != -12 && !scalar && !nul && jc != (r == 0) &&
		    !(jc && loose_number(data, size)))
			abort();
	}
	if (fng_pwalk((const char *)data, size, NULL, &l) == 0)
		fng_pwalk_free(&l);
	return 0;
}
