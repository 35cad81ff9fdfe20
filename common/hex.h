/* Bytes as lower-case hex text: build-ids, run ids, request ids; and hex
 * digits read back. */
#ifndef FNG_HEX_H
#define FNG_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Writes 2 * n hex digits and a NUL: out must hold 2 * n + 1 bytes. */
void fng_hex(char *out, const uint8_t *b, size_t n);

/* The value of one hex digit (either case), or -1. */
int fng_hex_digit(char c);

#endif
