/* What a whole policy lets through that another does not (policydiff.c):
 * the gate `fnguard baseline diff` runs before a deploy. Pure. */
#ifndef FNG_POLICYDIFF_H
#define FNG_POLICYDIFF_H

#include "policy/baseline/recorder.h"	/* fng_diff_line_cb, fng_allowlist_diff */

/* One line per grant or weaker setting of new_p over old_p (docs/cli.md
 * "fnguard baseline"); returns the number of lines. */
size_t fng_policy_diff(const struct fng_policy *old_p, const struct fng_policy *new_p, fng_diff_line_cb cb,
		       void *arg);

#endif
