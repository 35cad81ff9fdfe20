/* `fnguard run` (run.c): enforce a policy on CMD. */
#ifndef FNG_RUN_H
#define FNG_RUN_H

#include <stddef.h>

/* fnguard run [--policy FILE] [--log DEST]... [--] CMD [ARGS...] */
int fng_cmd_run(int argc, char **argv);
/* fnguard policy check FILE */
int fng_cmd_policy(int argc, char **argv);
/* fnguard trace [options] [--] CMD [ARGS...] (supervisor/cli/trace.c) */
int fng_cmd_trace(int argc, char **argv);

struct fng_policy;
struct fng_sink_spec;
/* One --log DEST: appended to sinks[*n] (at most max), or a one-line usage
 * error, exit 2. */
void fng_cli_add_log(struct fng_sink_spec *sinks, size_t *n, size_t max, const char *dest);
/* run's policy loading (--policy FILE, else the default): ends the process
 * with a one-line error, exit 2, on a bad policy. */
void fng_run_load_policy(const char *file, struct fng_policy *p);

#endif
