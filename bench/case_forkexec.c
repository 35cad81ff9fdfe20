/* case_forkexec [N [PROG]]: N times fork, execv PROG (default /bin/true) in
 * the child, wait for it. Needs create_child_process allowed. */
#include "case.h"

#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = case_count(argc, argv, 300);
	char *prog = argc > 2 ? argv[2] : "/bin/true";
	char *args[] = { prog, NULL };
	double start = case_now();

	for (long i = 0; i < n; i++) {
		int status;
		pid_t pid = fork();

		CASE_CHECK(pid >= 0, "fork");
		if (pid == 0) {
			execv(prog, args);
			_exit(127);
		}
		CASE_CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "case_forkexec: %s failed (status %#x)\n", prog, status);
			return 1;
		}
	}
	return case_report(start, n);
}
