/* Character classes of the C locale ("C", which fnguard never changes), as
 * inline tests: the <ctype.h> calls go through a locale table per byte,
 * a call and two loads in the detectors' inner loops. Same answers for
 * every byte (non-ASCII bytes are in no class). Pure. */
#ifndef FNG_ASCII_H
#define FNG_ASCII_H

#include <stdbool.h>

static inline bool fng_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static inline bool fng_isalpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool fng_isalnum(int c)
{
	return fng_isdigit(c) || fng_isalpha(c);
}

/* A byte of a host name's label, as policy names and resolver libraries
 * spell them: letters, digits, '-' and '_' (never '.', NUL, controls,
 * spaces, escapes or non-ASCII). */
static inline bool fng_ishostchar(int c)
{
	return fng_isalnum(c) || c == '-' || c == '_';
}

static inline bool fng_isxdigit(int c)
{
	return fng_isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static inline bool fng_isspace(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static inline int fng_tolower(int c)
{
	return c >= 'A' && c <= 'Z' ? c | 0x20 : c;
}

#endif
