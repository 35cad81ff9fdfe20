/* Reading the event lines' sealing key (log_key.h). */
#include "supervisor/cli/log_key.h"
#include "supervisor/exit.h"
#include "common/util.h"

#include <stdlib.h>
#include <string.h>

#define KEY_ENV "FNGUARD_LOG_KEY"

static void take(const char *what, const char *s, size_t n, uint8_t *key, size_t *len)
{
	if (n < FNG_SEAL_KEY_MIN || n > FNG_SEAL_KEY_MAX)
		fng_die(FNG_EXIT_USAGE, "%s: the key must be %d to %d bytes, got %zu", what, FNG_SEAL_KEY_MIN,
			FNG_SEAL_KEY_MAX, n);
	memcpy(key, s, n);
	*len = n;
}

void fng_cli_log_key(const char *file, uint8_t key[FNG_SEAL_KEY_MAX], size_t *len)
{
	char *env;
	size_t skip = sizeof(KEY_ENV); /* "NAME=" */

	/* Out of the environment whether it is used or not. */
	if (fng_env_take(KEY_ENV, &env) < 0)
		fng_die(FNG_EXIT_UNSUPPORTED, "$" KEY_ENV ": out of memory");
	*len = 0;
	if (file) {
		autofree char *buf = NULL;
		size_t n = 0;
		int r = fng_slurp(file, &buf, &n);

		if (r < 0)
			fng_die(FNG_EXIT_USAGE, "--log-key %s: %s", file, strerror(-r));
		while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			n--;	/* a key file written by echo */
		take(file, buf, n, key, len);
		explicit_bzero(buf, n);
	} else if (env) {
		take("$" KEY_ENV, env + skip, strlen(env + skip), key, len);
	}
	fng_free_secret(env);
}

void fng_cli_log_key_drop(void)
{
	char *env;

	fng_env_take(KEY_ENV, &env); /* wiped in the environment even when not copied */
	fng_free_secret(env);
}
