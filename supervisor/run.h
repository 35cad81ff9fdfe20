#ifndef FNG_RUN_H
#define FNG_RUN_H

/* fnguard run [--policy FILE] [--log DEST]... [--] CMD [ARGS...] */
int fng_cmd_run(int argc, char **argv);
/* fnguard policy check FILE */
int fng_cmd_policy(int argc, char **argv);

#endif
