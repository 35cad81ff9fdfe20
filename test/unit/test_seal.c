/* Sealed event lines (logging/format/seal.c): HMAC-SHA256 against RFC 4231's
 * vectors, the members added to a line, and the key's bounds. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logging/format/seal.h"

static void hmac_vectors(void **state)
{
	struct fng_seal s;
	char hex[65];
	uint8_t key20[20];

	(void)state;
	/* RFC 4231 test case 2 ("Jefe" is shorter than fnguard accepts:
	 * set directly, the HMAC itself takes any length) */
	memset(&s, 0, sizeof(s));
	memcpy(s.key, "Jefe", 4);
	s.key_len = 4;
	fng_seal_mac(&s, "what do ya want for nothing?", 28, hex);
	assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	/* test case 1: 20 bytes of 0x0b, "Hi There" */
	memset(key20, 0x0b, sizeof(key20));
	assert_int_equal(fng_seal_init(&s, key20, sizeof(key20)), 0);
	fng_seal_mac(&s, "Hi There", 8, hex);
	assert_string_equal(hex, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

static void sealed_line(void **state)
{
	struct fng_seal s;
	char *out = NULL, want[256], hex[65];
	size_t len = 0;

	(void)state;
	assert_int_equal(fng_seal_init(&s, NULL, 0), 0);
	assert_int_equal(strlen(s.run), 32);
	assert_int_equal(fng_seal_line(&s, 7, "{\"a\":1}\n", 8, &out, &len), 0);
	snprintf(want, sizeof(want), "{\"a\":1,\"seq\":7,\"run\":\"%s\"}\n", s.run);
	assert_string_equal(out, want);
	assert_int_equal(len, strlen(want));
	free(out);
	/* an empty object, no newline */
	assert_int_equal(fng_seal_line(&s, 1, "{}", 2, &out, &len), 0);
	snprintf(want, sizeof(want), "{\"seq\":1,\"run\":\"%s\"}\n", s.run);
	assert_string_equal(out, want);
	free(out);
	/* not an object */
	assert_int_equal(fng_seal_line(&s, 1, "[1]\n", 4, &out, &len), -EINVAL);
	assert_int_equal(fng_seal_line(&s, 1, "", 0, &out, &len), -EINVAL);
	/* with a key: the mac of the line up to its closing brace, as the last member */
	assert_int_equal(fng_seal_init(&s, (const uint8_t *)"0123456789abcdef", 16), 0);
	assert_int_equal(fng_seal_line(&s, 3, "{\"a\":1}", 7, &out, &len), 0);
	snprintf(want, sizeof(want), "{\"a\":1,\"seq\":3,\"run\":\"%s\"}", s.run);
	fng_seal_mac(&s, want, strlen(want), hex);
	snprintf(want + strlen(want) - 1, sizeof(want) - strlen(want) + 1, ",\"mac\":\"%s\"}\n", hex);
	assert_string_equal(out, want);
	assert_int_equal(len, strlen(want));
	free(out);
}

static void key_bounds(void **state)
{
	static const uint8_t key[FNG_SEAL_KEY_MAX + 1];
	struct fng_seal s;

	(void)state;
	assert_int_equal(fng_seal_init(&s, key, FNG_SEAL_KEY_MIN - 1), -EINVAL);
	assert_int_equal(fng_seal_init(&s, key, FNG_SEAL_KEY_MIN), 0);
	assert_int_equal(fng_seal_init(&s, key, FNG_SEAL_KEY_MAX), 0);
	assert_int_equal(fng_seal_init(&s, key, FNG_SEAL_KEY_MAX + 1), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hmac_vectors),
		cmocka_unit_test(sealed_line),
		cmocka_unit_test(key_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
