/* Text helpers the input firewall's detectors share (detect.h): a needle
 * searched in a lower-case value, and the byte-pair filter that lets long
 * needle lists cost a bit test each. Pure. */
#include "common/ascii.h"
#include <string.h>

#include "policy/payload/detect.h"

long fng_fw_find(const char *s, size_t len, const char *needle)
{
	char low[128];
	size_t n = strlen(needle);

	if (!n || n > len || n >= sizeof(low))
		return n && n < sizeof(low) ? -1 : 0;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)fng_tolower((unsigned char)needle[i]);
	for (const char *p = memchr(s, low[0], len - n + 1); p; p = memchr(p + 1, low[0], len - n - (size_t)(p - s))) {
		if (!memcmp(p, low, n))
			return (long)(p - s);
		if ((size_t)(p - s) >= len - n)
			break;
	}
	return -1;
}

void fng_fw_pairs(const char *s, size_t len, struct fng_fw_pairs *p)
{
	memset(p->bits, 0, sizeof(p->bits));
	for (size_t i = 0; i + 1 < len; i++) {
		unsigned h = fng_fw_pair((unsigned char)s[i], (unsigned char)s[i + 1]);
		p->bits[h / 64] |= 1ull << (h % 64);
	}
}
