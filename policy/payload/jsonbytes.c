/* JSON bytes in UTF-16 or UTF-32 read as UTF-8 (jsonbytes.h): what a
 * Python handler's json.loads(base64.b64decode(body)) reads, so the input
 * firewall walks the values the handler gets (outside attack round 8: a
 * UTF-16 body carried an injection past the walk, which saw NUL-strewn
 * bytes). Pure. */
#include "policy/payload/jsonbytes.h"
#include "common/utf8.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum jb_enc { JB_UTF8, JB_UTF8_BOM, JB_U16LE, JB_U16BE, JB_U32LE, JB_U32BE };

/* The encoding and how many bytes of byte-order mark precede the text. */
static enum jb_enc jb_detect(const unsigned char *b, size_t n, size_t *skip)
{
	*skip = 0;
	if (n >= 4 && !memcmp(b, "\x00\x00\xfe\xff", 4))
		return *skip = 4, JB_U32BE;
	if (n >= 4 && !memcmp(b, "\xff\xfe\x00\x00", 4))
		return *skip = 4, JB_U32LE;
	if (n >= 2 && !memcmp(b, "\xfe\xff", 2))
		return *skip = 2, JB_U16BE;
	if (n >= 2 && !memcmp(b, "\xff\xfe", 2))
		return *skip = 2, JB_U16LE;
	if (n >= 3 && !memcmp(b, "\xef\xbb\xbf", 3))
		return *skip = 3, JB_UTF8_BOM;
	if (n >= 4) {
		if (!b[0])
			return b[1] ? JB_U16BE : JB_U32BE;
		if (!b[1])
			return b[2] || b[3] ? JB_U16LE : JB_U32LE;
	} else if (n == 2) {
		if (!b[0])
			return JB_U16BE;
		if (!b[1])
			return JB_U16LE;
	}
	return JB_UTF8;
}

static uint32_t jb_unit(const unsigned char *b, enum jb_enc e)
{
	switch (e) {
	case JB_U16LE:
		return (uint32_t)b[0] | (uint32_t)b[1] << 8;
	case JB_U16BE:
		return (uint32_t)b[1] | (uint32_t)b[0] << 8;
	case JB_U32LE:
		return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	default:
		return (uint32_t)b[3] | (uint32_t)b[2] << 8 | (uint32_t)b[1] << 16 | (uint32_t)b[0] << 24;
	}
}

/* UTF-16 or UTF-32 code units from b[0..n) into o: the bytes written, or
 * (size_t)-1 when they do not decode. */
static size_t jb_decode(const unsigned char *b, size_t n, enum jb_enc e, char *o)
{
	size_t w = e == JB_U32LE || e == JB_U32BE ? 4 : 2, k = 0;

	if (n % w)
		return (size_t)-1;
	for (size_t i = 0; i < n; i += w) {
		uint32_t c = jb_unit(b + i, e);
		if (w == 4) {
			if (c > 0x10ffff)
				return (size_t)-1;
			if (c >= 0xd800 && c <= 0xdfff)
				c = 0xfffd; /* Python reads them (surrogatepass; round 9) */
		} else if (c >= 0xd800 && c <= 0xdbff && i + 2 < n) {
			uint32_t lo = jb_unit(b + i + 2, e);
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
				i += 2;
			} else {
				c = 0xfffd;
			}
		} else if (c >= 0xd800 && c <= 0xdfff) {
			c = 0xfffd;
		}
		k += fng_utf8_encode(o + k, c);
	}
	return k;
}

int fng_jsonbytes_utf8(const char *s, size_t n, char **out, size_t *outn)
{
	const unsigned char *b = (const unsigned char *)s;
	size_t skip, k;
	enum jb_enc e = jb_detect(b, n, &skip);
	char *o;

	*out = NULL;
	*outn = 0;
	if (e == JB_UTF8)
		return 0;
	/* at most 3 bytes of UTF-8 per 2 input bytes (UTF-16), 4 per 4 (UTF-32) */
	o = malloc((n - skip) * 2 + 1);
	if (!o)
		return -ENOMEM;
	if (e == JB_UTF8_BOM) {
		k = n - skip;
		memcpy(o, s + skip, k);
	} else if ((k = jb_decode(b + skip, n - skip, e, o)) == (size_t)-1) {
		free(o);
		return -EILSEQ;
	}
	o[k] = '\0';
	*out = o;
	*outn = k;
	return 1;
}
