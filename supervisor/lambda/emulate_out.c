/* What `fnguard emulate` prints and invents: one JSON line per answered
 * invocation, request and trace ids in AWS's shapes. */
#include "supervisor/lambda/emulate.h"
#include "common/hex.h"
#include "common/util.h"
#include "common/utf8.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

bool fng_emu_utf8_ok(const unsigned char *s, size_t n)
{
	return fng_utf8_valid(s, n) && !memchr(s, 0, n);
}

char *fng_emu_base64(const unsigned char *s, size_t n)
{
	static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = malloc((n + 2) / 3 * 4 + 1), *o = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		*o++ = tbl[(v >> 18) & 63];
		*o++ = tbl[(v >> 12) & 63];
		*o++ = i + 1 < n ? tbl[(v >> 6) & 63] : '=';
		*o++ = i + 2 < n ? tbl[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

void fng_emu_ids(char *request_id, size_t rn, char *trace_id, size_t tn, uint64_t now_s)
{
	unsigned char r[16 + 12 + 8];
	char h[2 * sizeof(r) + 1];

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		memset(r, 0x5a, sizeof(r));
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40); /* a version 4 UUID */
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	fng_hex(h, r, sizeof(r));
	snprintf(request_id, rn, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
	snprintf(trace_id, tn, "Root=1-%08llx-%.24s;Parent=%.16s;Sampled=0", (unsigned long long)now_s, h + 32,
		 h + 56);
}

static void add_body(json_object *o, const char *key, const char *b64key, const char *body, size_t n)
{
	if (fng_emu_utf8_ok((const unsigned char *)body, n)) {
		json_object_object_add(o, key, json_object_new_string_len(body, (int)n));
	} else {
		char *b = fng_emu_base64((const unsigned char *)body, n);
		if (b)
			json_object_object_add(o, b64key, json_object_new_string(b));
		free(b);
	}
}

int fng_emu_print(FILE *f, const struct fng_emu_result *r)
{
	json_object *o = json_object_new_object();
	const char *s;

	if (!o)
		return -ENOMEM;
	json_object_object_add(o, "event", json_object_new_int((int)r->index));
	if (r->request_id)
		json_object_object_add(o, "request_id", json_object_new_string(r->request_id));
	json_object_object_add(o, "status", json_object_new_string(r->status));
	if (r->error_type)
		json_object_object_add(o, "error_type", json_object_new_string(r->error_type));
	if (r->streamed)
		json_object_object_add(o, "streamed", json_object_new_boolean(1));
	json_object_object_add(o, "bytes", json_object_new_int64((int64_t)r->len));
	add_body(o, r->error_type ? "error" : "response", r->error_type ? "error_base64" : "response_base64", r->body,
		 r->len);
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	fputs(s, f);
	fputc('\n', f);
	fflush(f);
	json_object_put(o);
	return 0;
}
