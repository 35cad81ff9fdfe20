/* case_getppid [N]: N getppid calls, a system call no policy traces: its cost
 * under a tracer is the filter's and nothing else's. */
#include "case.h"

#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = case_count(argc, argv, 1000000);
	double start = case_now();

	for (long i = 0; i < n; i++)
		syscall(SYS_getppid); /* not glibc's getppid, which a compiler may hoist */
	return case_report(start, n);
}
