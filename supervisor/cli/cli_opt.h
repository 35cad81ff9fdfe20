/* What every command's option parser shares (cli_opt.c): one-line errors for
 * unknown options and missing arguments, and the short options an strace
 * user types that fnguard answers the strace way or refuses by name. */
#ifndef FNG_CLI_OPT_H
#define FNG_CLI_OPT_H

#include <stdnoreturn.h>

/* getopt_long values of long options with no short form: --policy has none,
 * strace's -p means attach. */
#define FNG_OPT_POLICY 0x100

/* getopt_long returned '?' or ':' (the parser runs with opterr = 0 and an
 * optstring starting "+:"): "fnguard: CMD: unknown option '--bogus' (see
 * fnguard CMD --help)" or "... needs an argument", exit 2. -p gets the
 * strace answer: fnguard cannot attach to a running process. */
noreturn void fng_cli_bad_option(const char *cmd, int c, int argc, char **argv);
/* -f given n times: once is what fnguard always does (children are
 * followed); -ff (strace's one file per process) is refused, saying why. */
void fng_cli_follow(const char *cmd, int n);
/* An unexpected word where an option or file was expected (policy check,
 * baseline merge/diff, which take no getopt table): as fng_cli_bad_option. */
noreturn void fng_cli_unknown(const char *cmd, const char *arg);
/* trace/baseline --event FILE: exec `fnguard emulate --event FILE --direct --
 * fnguard CMD ARGS...` (ARGS without --event; optind is where CMD starts):
 * the command runs as a Lambda runtime fed that event. Returns only to die. */
noreturn void fng_cli_reexec_under_emulate(const char *event_file, int argc, char **argv);

#endif
