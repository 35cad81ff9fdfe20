/* `fnguard baseline` (baseline.c): learn what CMD does, write an allowlist policy. */
#ifndef FNG_BASELINE_H
#define FNG_BASELINE_H

/* fnguard baseline -o PROFILE [--mode M] [--merge OLD] [--] CMD...,
 * fnguard baseline merge A B... -o OUT, fnguard baseline diff OLD NEW */
int fng_cmd_baseline(int argc, char **argv);

#endif
