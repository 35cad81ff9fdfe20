/* Fuzz target: an XML document read as its parser decodes its bytes
 * (policy/payload/xmlenc.c), and the walk that adds the reading (walk.c)
 * over the same bytes as a base64-free API Gateway body. Aborts when the
 * contract of xmlenc.h breaks: a reading handed out with anything but 1,
 * none with 1, one over the bound or not NUL-terminated, a refusal without
 * a reason. */
#include "test/fuzz/fuzz.h"
#include "policy/payload/walk.h"
#include "policy/payload/xmlenc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *out = NULL, why[160];
	size_t n = 0;
	int r = fng_xmlenc_read((const char *)data, size, &out, &n, why, sizeof(why));

	if (r != 0 && r != 1 && r != -EILSEQ && r != -ENOMEM)
		abort();
	if ((r == 1) != (out != NULL))
		abort();
	if (r == 1 && (n > (size_t)FNG_XMLENC_GROWTH * size + 64 + size || out[n] != '\0'))
		abort();
	if (r == -EILSEQ && !why[0])
		abort();
	free(out);
	/* the walk over the bytes as one JSON string (controls, quotes and bytes
	 * from 0x80 as \u00XX escapes: the walk sees their UTF-8) */
	struct fng_pwalk_list l;
	char *ev = malloc(size * 6 + 16);
	if (!ev)
		return 0;
	size_t k = 0;
	ev[k++] = '"';
	for (size_t i = 0; i < size; i++) {
		unsigned char c = data[i];
		if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80)
			k += (size_t)sprintf(ev + k, "\\u%04x", c);
		else
			ev[k++] = (char)c;
	}
	ev[k++] = '"';
	if (fng_pwalk(ev, k, NULL, &l) == 0)
		fng_pwalk_free(&l);
	free(ev);
	return 0;
}
