/* fnguard's own exit statuses (exit.h): names and messages. */
#include "supervisor/exit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

noreturn void fng_die(int status, const char *fmt, ...)
{
	va_list ap;

	fputs("fnguard: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}
