/* The baseline recorder (recorder.c) and what is done with profiles
 * (profile.c): write one as a policy, merge several, compare two. Pure. */
#ifndef FNG_RECORDER_H
#define FNG_RECORDER_H

#include "policy/allowlist.h"
#include "policy/baseline/collapse.h"

struct fng_recorder;

int fng_recorder_new(struct fng_recorder **out);
void fng_recorder_free(struct fng_recorder *r);
/* One thing the function did: a path read or written, a program run (with
 * its build-id), a host or address ("name:port", "addr:port"), a DNS name.
 * fn_phase: enum fng_fn_phase. 0, -EINVAL or -ENOMEM. */
int fng_recorder_add(struct fng_recorder *r, enum fng_al_kind k, const char *text, uint8_t fn_phase,
		     const uint8_t *id, size_t idlen);
size_t fng_recorder_count(const struct fng_recorder *r);
/* The learned allowlist, collapsed (docs/policy.md "Collapsing"); writes
 * by the narrower rule, code: where else code loads from (NULL: nowhere). */
int fng_recorder_build(const struct fng_recorder *r, enum fng_mode mode, const struct fng_code_roots *code,
		       struct fng_allowlist **out);
/* Each recorded write where code is loaded from (fng_collapse_code_place):
 * learnt exactly, and worth a person's look. Returns how many. */
size_t fng_recorder_code_writes(const struct fng_recorder *r, const struct fng_code_roots *code,
				void (*cb)(void *arg, const char *path), void *arg);

/* The whole policy text for an allowlist: FunctionShield's four rules off,
 * the allowlist on in its mode; lists sorted. 0 or -ENOMEM; free *out. */
int fng_profile_format(const struct fng_allowlist *a, char **out);
/* Union src into dst (learned, add and remove each). 0 or -ENOMEM. */
int fng_allowlist_merge(struct fng_allowlist *dst, const struct fng_allowlist *src);
/* What new allows that old does not: one line per entry ("+ files.read
 * /etc/x", "+ init exec /bin/y"), also a weaker mode and dropped removals.
 * Returns the number of lines. */
typedef void (*fng_diff_line_cb)(void *arg, const char *line);
size_t fng_allowlist_diff(const struct fng_allowlist *old_a, const struct fng_allowlist *new_a,
			  fng_diff_line_cb cb, void *arg);
/* Entries in an allowlist's learned, add and remove sets together. */
size_t fng_allowlist_entries(const struct fng_allowlist *a);

#endif
