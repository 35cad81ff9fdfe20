/* JSON text given as bytes, read in the encoding a runtime's parser picks
 * for it (Python's json.loads(bytes): a UTF-32/UTF-16/UTF-8 byte-order
 * mark, else where the NUL bytes fall in the first four bytes; RFC 4627's
 * rule). Pure. */
#ifndef FNG_PAYLOAD_JSONBYTES_H
#define FNG_PAYLOAD_JSONBYTES_H

#include <stddef.h>

/* s[0..n) as UTF-8 in a new buffer *out (NUL-terminated, *outn bytes):
 * 1 when it was UTF-16 or UTF-32, or UTF-8 behind a byte-order mark (the
 * mark dropped); 0 when it is plain UTF-8 and nothing was made; -EILSEQ
 * when it says UTF-16/32 but does not decode (a parser fails on it too);
 * -ENOMEM. Surrogate code points (lone in UTF-16, any in UTF-32, which
 * Python reads) become U+FFFD. */
int fng_jsonbytes_utf8(const char *s, size_t n, char **out, size_t *outn);

#endif
