/* Fuzz target: the policy loader (policy/load/), the whole way from JSON text
 * to a policy or a FILE:LINE:COL error. */
#include "test/fuzz/fuzz.h"
#include "policy/policy.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fng_policy p;
	struct fng_policy_error err;
	char *text = malloc(size + 1);	/* the loader reads text[len], its NUL */

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&p, 0, sizeof(p));
	if (fng_policy_load_buffer("fuzz.json", text, size, &p, &err) == 0)
		fng_policy_free(&p);
	free(text);
	return 0;
}
