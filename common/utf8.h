/* UTF-8 checks shared by every output that must be valid UTF-8: event
 * lines (docs/events.md, "Bytes that are not UTF-8"), trace's text, the
 * emulator's responses. Strict: no overlong forms, no surrogates, nothing
 * above U+10FFFF (what Python's and Go's strict decoders accept). */
#ifndef FNG_UTF8_H
#define FNG_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The length (1 to 4) of the valid UTF-8 sequence at s[0..n), or 0 when
 * s[0] does not start one (n == 0 too). NUL counts as a valid 1-byte one. */
size_t fng_utf8_seq(const unsigned char *s, size_t n);
/* Code point cp (at most U+10FFFF) written to out as UTF-8: the 1 to 4
 * bytes written. Surrogates are written as they are: callers that must not
 * make them replace them first. */
size_t fng_utf8_encode(char *out, uint32_t cp);
/* True when all n bytes are valid UTF-8 (NUL included). */
bool fng_utf8_valid(const unsigned char *s, size_t n);
/* Up to max bytes of s (to a NUL) as strace shows strings: valid UTF-8 as
 * is; quotes, backslashes, control characters and bytes that are not UTF-8
 * escaped (\", \\, \n, \t, \xNN), so the output is valid UTF-8, one line,
 * and reversible. */
void fng_utf8_put_escaped(FILE *f, const char *s, size_t max);

#endif
