/* Fuzz target: pattern inclusion (policy/baseline/globrel.c) against the
 * matcher it must agree with (fng_glob_match). The input is three strings
 * split at NUL bytes: patterns A and B and a path S. Whatever the answer
 * claims must hold for S: A includes B, so S matched by B is matched by A;
 * A and B never meet, so S is not matched by both. */
#include "test/fuzz/fuzz.h"
#include "policy/allowlist.h"
#include "policy/baseline/globrel.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[512];
	const char *a = buf, *b, *s;
	bool inc, meets;

	if (size < 3 || size >= sizeof(buf))
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	b = a + strlen(a) + 1;
	if (b >= buf + size)
		return 0;
	s = b + strlen(b) + 1;
	if (s > buf + size || s[0] != '/')
		return 0; /* paths are absolute */
	if (fng_glob_relate(a, b, &inc, &meets) < 0)
		return 0; /* undecided: the callers assume the worst */
	if (fng_glob_match(b, s) && !fng_glob_match(a, s) && inc)
		__builtin_trap();
	if (fng_glob_match(b, s) && fng_glob_match(a, s) && !meets)
		__builtin_trap();
	return 0;
}
