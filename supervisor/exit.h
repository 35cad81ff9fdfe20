/* fnguard's own exit statuses (docs/cli.md). Anything else is the runtime's:
 * its exit code, or 128+N when signal N killed it. */
#ifndef FNG_EXIT_H
#define FNG_EXIT_H

#include <stdnoreturn.h>

#define FNG_EXIT_USAGE 2	  /* bad command line, policy or log destination */
#define FNG_EXIT_CODE_CHECK 3	  /* code_check at block refused to start the runtime */
#define FNG_EXIT_UNSUPPORTED 125 /* ptrace/seccomp refused, or fnguard failed */
#define FNG_EXIT_CANNOT_EXEC 126 /* CMD found but could not be executed */
#define FNG_EXIT_NOT_FOUND 127	  /* CMD not found */

/* The one way out for errors before the runtime starts: one line on
 * stderr, "fnguard: ...", then exit(status). */
noreturn void fng_die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
