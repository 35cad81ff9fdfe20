#ifndef FNG_RUN_H
#define FNG_RUN_H

/* fnguard run [--policy FILE] [--log DEST]... [--] CMD [ARGS...] */
int fng_cmd_run(int argc, char **argv);
/* fnguard policy check FILE */
int fng_cmd_policy(int argc, char **argv);
/* fnguard trace [options] [--] CMD [ARGS...] (supervisor/trace.c) */
int fng_cmd_trace(int argc, char **argv);

struct fng_policy;
/* run's policy loading (--policy FILE, else the default): ends the process
 * with a one-line error, exit 2, on a bad policy. */
void fng_run_load_policy(const char *file, struct fng_policy *p);

#endif
