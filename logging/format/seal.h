/* Sealed event lines (docs/events.md "Sealed lines"): every JSON line gets
 * the run's id and its sequence number, so a collector can tell one run's
 * events apart and see a gap; with a key the function never sees, an
 * HMAC-SHA256 of the line, so a line the function printed in fnguard's shape
 * does not verify. Runs on the logging thread. */
#ifndef FNG_SEAL_H
#define FNG_SEAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FNG_SEAL_KEY_MIN 16
#define FNG_SEAL_KEY_MAX 256

struct fng_seal {
	char run[33];			/* 128 random bits, hex */
	uint8_t key[FNG_SEAL_KEY_MAX];
	size_t key_len;			/* 0: no key, no "mac" */
};

/* A new run id, and the key (key_len 0: none). 0, or -EINVAL when the key
 * is shorter than FNG_SEAL_KEY_MIN or longer than FNG_SEAL_KEY_MAX bytes. */
int fng_seal_init(struct fng_seal *s, const uint8_t *key, size_t key_len);

/* text (len bytes): one JSON object, optionally followed by '\n'. *out
 * (malloc'd, *out_len bytes, '\n'-terminated): the same object with
 * "seq":seq,"run":RUN and, with a key, "mac":HEX added as its last members.
 * The mac is HMAC-SHA256(key, the line up to and including the closing brace
 * of the object with seq and run). 0, -EINVAL (not an object), -ENOMEM. */
int fng_seal_line(const struct fng_seal *s, uint64_t seq, const char *text, size_t len, char **out,
		  size_t *out_len);

/* HMAC-SHA256 of data, as 64 hex digits and a NUL in hex[65]. */
void fng_seal_mac(const struct fng_seal *s, const char *data, size_t len, char hex[65]);

#endif
