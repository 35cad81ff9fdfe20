/* The lexers confirm.c uses (confirm_lex.c); not part of the policy API. */
#ifndef FNG_PAYLOAD_CONFIRM_INTERNAL_H
#define FNG_PAYLOAD_CONFIRM_INTERNAL_H

#include "policy/payload/confirm.h"

bool fng_confirm_code_range(const char *code, size_t a, size_t b);
int fng_confirm_norm(const char *p, size_t len, char *out, size_t n);
bool fng_confirm_under(const char *d, const char *p);

#endif
