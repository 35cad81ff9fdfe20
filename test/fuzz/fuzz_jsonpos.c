/* Fuzz target: the JSON position scanner (policy/load/jsonpos.c), which reads
 * text json-c may have refused, NUL-terminated as the loader hands it over. */
#include "test/fuzz/fuzz.h"
#include "policy/load/jsonpos.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	size_t off = 0;
	unsigned line, col;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (fng_json_find_duplicate_key(text, size, &off) < 0 && off <= size)
		fng_json_linecol(text, size, off, &line, &col);
	fng_json_linecol(text, size, size / 2, &line, &col);
	free(text);
	return 0;
}
