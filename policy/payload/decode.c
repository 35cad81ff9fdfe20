/* The decodings the event walker applies as a handler's code would
 * (walk.h): percent-decoding, base64 strict and as lenient decoders read it,
 * quoted cookie values. Pure. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/base64.h>

#include "common/hex.h"
#include "common/util.h"
#include "policy/payload/walk.h"

size_t fng_pwalk_urldecode(const char *s, size_t len, bool plus, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < len && (hi = fng_hex_digit(s[i + 1])) >= 0 &&
		    (lo = fng_hex_digit(s[i + 2])) >= 0) {
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			out[o++] = (plus && s[i] == '+') ? ' ' : s[i];
		}
	}
	out[o] = '\0';
	return o;
}

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/* Either alphabet, padding optional, every other byte skipped: what node's
 * Buffer.from(s, "base64") and Python's b64decode without validate read. */
static size_t b64_lenient(const char *s, size_t len, char *d)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		int v = b64_value((unsigned char)s[i]);
		if (v < 0)
			continue;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			d[n++] = (char)(acc >> bits & 0xff);
		}
	}
	return n;
}

int fng_pwalk_b64(const char *s, size_t len, bool lenient, char **out, size_t *outlen)
{
	autofree char *d = malloc(BASE64_DECODE_LENGTH(len) + 4);
	struct base64_decode_ctx ctx;
	size_t n = BASE64_DECODE_LENGTH(len) + 1;

	if (!d)
		return -ENOMEM;
	if (lenient) {
		n = b64_lenient(s, len, d);
	} else {
		base64_decode_init(&ctx);
		if (!base64_decode_update(&ctx, &n, (uint8_t *)d, len, s) || !base64_decode_final(&ctx))
			return -EINVAL;
	}
	d[n] = '\0';
	free(*out);
	*out = fng_steal_ptr(&d);
	*outlen = n;
	return 0;
}

size_t fng_pwalk_cookie_unquote(const char *s, size_t len, char *out)
{
	size_t o = 0;

	if (len < 2 || s[0] != '"' || s[len - 1] != '"')
		return (size_t)-1;
	for (size_t i = 1; i + 1 < len; i++) {
		if (s[i] == '\\' && i + 4 < len && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' &&
		    s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
			out[o++] = (char)((s[i + 1] - '0') << 6 | (s[i + 2] - '0') << 3 | (s[i + 3] - '0'));
			i += 3;
		} else if (s[i] == '\\' && i + 2 < len) {
			out[o++] = s[++i];
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return o;
}
