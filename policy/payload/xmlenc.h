/* A value that is an XML document, read as XML parsers read its bytes
 * (XML 1.0 Appendix F): the encoding its first bytes give (byte-order
 * marks, UTF-16/UTF-32 without one, EBCDIC, else ASCII-compatible), then
 * the one its declaration names, decoded by glibc's iconv (as libxml2 does
 * for the encodings it does not build in) into UTF-8. The walker (walk.h)
 * adds that reading as a leaf of its own, so every detector and rule sees
 * what the parser sees. Pure: no I/O but iconv's own (its modules). */
#ifndef FNG_PAYLOAD_XMLENC_H
#define FNG_PAYLOAD_XMLENC_H

#include <stdbool.h>
#include <stddef.h>

/* Reads s[0, len). 0: nothing to add (not an XML document, or one whose
 * bytes are what its parser reads: UTF-8, ASCII). 1: *out (malloc'd,
 * NUL-terminated, *outlen bytes) is the document as its parser reads it.
 * -EILSEQ: a document fnguard cannot read as its parser would (an
 * encoding iconv does not know, bytes that do not decode, a declaration
 * that disagrees with the first bytes, a reading over the bound): why
 * (whycap bytes) says which. -ENOMEM. */
int fng_xmlenc_read(const char *s, size_t len, char **out, size_t *outlen, char *why, size_t whycap);

/* Could s start an XML document fng_xmlenc_read reads otherwise than its
 * bytes? One byte's test, for every value the walker emits: '<' (ASCII,
 * UTF-16/32 little-endian), a NUL (big-endian), 'L' (EBCDIC's "<?"), a
 * byte-order mark's first byte. */
static inline bool fng_xmlenc_maybe(const char *s, size_t len)
{
	return len >= 4 && (s[0] == '<' || s[0] == 'L' || !s[0] || (unsigned char)s[0] >= 0xef);
}

/* A decoded document is at most this many bytes per byte of the value (and
 * 64 more); a larger reading is -EILSEQ. */
#define FNG_XMLENC_GROWTH 4u

#endif
