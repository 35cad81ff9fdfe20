/* Sealing event lines (seal.h): HMAC-SHA256 from Debian's nettle. */
#include "logging/format/seal.h"
#include "common/hex.h"
#include "common/util.h"

#include <errno.h>
#include <inttypes.h>
#include <nettle/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

int fng_seal_init(struct fng_seal *s, const uint8_t *key, size_t key_len)
{
	uint8_t rnd[16];

	memset(s, 0, sizeof(*s));
	if (key_len && (key_len < FNG_SEAL_KEY_MIN || key_len > FNG_SEAL_KEY_MAX))
		return -EINVAL;
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return -EIO;
	fng_hex(s->run, rnd, sizeof(rnd));
	if (key_len)
		memcpy(s->key, key, key_len);
	s->key_len = key_len;
	return 0;
}

void fng_seal_mac(const struct fng_seal *s, const char *data, size_t len, char hex[65])
{
	struct hmac_sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];

	hmac_sha256_set_key(&ctx, s->key_len, s->key);
	hmac_sha256_update(&ctx, len, (const uint8_t *)data);
	hmac_sha256_digest(&ctx, sizeof(digest), digest);
	fng_hex(hex, digest, sizeof(digest));
}

int fng_seal_line(const struct fng_seal *s, uint64_t seq, const char *text, size_t len, char **out,
		  size_t *out_len)
{
	char tail[96], mac[65];
	autofree char *buf = NULL;
	size_t body, n;
	int tl;

	if (len && text[len - 1] == '\n')
		len--;
	if (len < 2 || text[0] != '{' || text[len - 1] != '}')
		return -EINVAL;
	body = len - 1;	/* up to the closing brace */
	tl = snprintf(tail, sizeof(tail), "%s\"seq\":%" PRIu64 ",\"run\":\"%s\"}", body > 1 ? "," : "", seq,
		      s->run);
	buf = malloc(body + (size_t)tl + sizeof(",\"mac\":\"\"}\n") + 64);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, text, body);
	memcpy(buf + body, tail, (size_t)tl);
	n = body + (size_t)tl;
	if (s->key_len) {
		fng_seal_mac(s, buf, n, mac);
		n += (size_t)sprintf(buf + n - 1, ",\"mac\":\"%s\"}", mac) - 1;
	}
	buf[n++] = '\n';
	buf[n] = '\0';
	*out_len = n;
	*out = fng_steal_ptr(&buf);
	return 0;
}
