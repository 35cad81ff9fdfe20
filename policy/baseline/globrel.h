/* How two allowlist path patterns relate as sets of paths (globrel.c):
 * does one match everything the other matches, do they share a path.
 * What `baseline diff` compares patterns with. Pure. */
#ifndef FNG_GLOBREL_H
#define FNG_GLOBREL_H

#include <stdbool.h>

/* Over the language fng_glob_match (policy/allowlist.h) implements:
 * *includes: every path b matches, a matches too; *meets: some path
 * matches both. 0, or -E2BIG when the patterns are too long or the search
 * too large to answer (the caller must then assume the worst), -ENOMEM. */
int fng_glob_relate(const char *a, const char *b, bool *includes, bool *meets);

/* The answers a gate can act on: false / true when fng_glob_relate could not
 * decide (a wider grant is assumed). */
bool fng_glob_includes(const char *a, const char *b);
bool fng_glob_meets(const char *a, const char *b);

#endif
