/* Fuzz target: the input firewall's detectors (policy/payload/detect*.c)
 * on one value, as the walk hands it (NUL-terminated, any bytes). The
 * tokenisers look ahead of what they lex (SQL's 48-token window, the shell
 * and code readers' words): under the sanitizers no read may leave the
 * value or the token arrays. The same value as a key, whose detectors
 * differ. */
#include "test/fuzz/fuzz.h"
#include "policy/payload/detect.h"
#include "policy/payload/walk.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fng_fw_hit h[FNG_FW_NCLASS];
	char *s;

	if (size > 4096)
		return 0;
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	fng_fw_detect(s, size, FNG_PWALK_VALUE, h);
	fng_fw_detect(s, size, FNG_PWALK_KEY, h);
	free(s);
	return 0;
}
