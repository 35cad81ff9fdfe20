/* floor -- CMD...: the least a ptrace+seccomp tracer can do, the yardstick
 * fnguard's cost is measured against (make bench, docs/bench.md).
 *
 * The child installs a seccomp filter returning SECCOMP_RET_TRACE for the
 * system calls fnguard's default policy traces (every row of fnguard's own
 * table, tracer/syscalls.c, compiled in so the two cannot drift apart), the
 * parent seizes it with the options fnguard uses, and a waitpid(__WALL) loop
 * resumes every stop with PTRACE_CONT. Nothing is read, decided or logged.
 * The only extra work is what keeps the command correct: a signal is passed
 * on at its delivery stop, and a group-stop stays stopped (PTRACE_LISTEN).
 * Exit status: CMD's, 128+N if signal N killed it, 125 if tracing failed,
 * 127 if CMD could not be executed. */
#include "tracer/filter.h"
#include "tracer/syscalls.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static int build_filter(scmp_filter_ctx *out)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int r = 0;

	if (!ctx)
		return -ENOMEM;
	/* The same rules fnguard's filter traces for the default policy. */
	r = fng_filter_add_traced(ctx, ~0u);
	if (r < 0) {
		seccomp_release(ctx);
		return r;
	}
	*out = ctx;
	return 0;
}

static _Noreturn void child(scmp_filter_ctx ctx, int sync_fd, char **argv)
{
	char go;
	int r;

	/* RET_TRACE with no tracer yet would fail traced calls with ENOSYS. */
	if (read(sync_fd, &go, 1) != 1)
		_exit(125);
	r = seccomp_load(ctx);
	if (r < 0) {
		fprintf(stderr, "floor: seccomp_load: %s\n", strerror(-r));
		_exit(125);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "floor: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static void resume(pid_t tid, int status)
{
	int sig = WSTOPSIG(status), event = status >> 16;

	if (event == PTRACE_EVENT_STOP && (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU))
		ptrace(PTRACE_LISTEN, tid, NULL, NULL);
	else
		ptrace(PTRACE_CONT, tid, NULL, (void *)(long)(event == 0 ? sig : 0));
}

int main(int argc, char **argv)
{
	long opts = PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
		    PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;
	scmp_filter_ctx ctx;
	int sync[2], r, rc = 125;
	pid_t root;

	if (argc < 3 || strcmp(argv[1], "--") != 0) {
		fprintf(stderr, "usage: floor -- CMD [ARGS...]\n");
		return 2;
	}
	r = build_filter(&ctx);
	if (r < 0) {
		fprintf(stderr, "floor: cannot build the filter: %s\n", strerror(-r));
		return 125;
	}
	if (pipe2(sync, O_CLOEXEC) < 0) {
		perror("floor: pipe");
		return 125;
	}
	root = fork();
	if (root < 0) {
		perror("floor: fork");
		return 125;
	}
	if (root == 0) {
		close(sync[1]);
		child(ctx, sync[0], argv + 2);
	}
	close(sync[0]);
	seccomp_release(ctx);
	if (ptrace(PTRACE_SEIZE, root, NULL, (void *)opts) < 0) {
		perror("floor: PTRACE_SEIZE");
		kill(root, SIGKILL);
		return 125;
	}
	if (write(sync[1], "g", 1) != 1) {
		perror("floor: write");
		kill(root, SIGKILL);
		return 125;
	}
	close(sync[1]);
	for (;;) {
		int status;
		pid_t tid = waitpid(-1, &status, __WALL);

		if (tid < 0) {
			if (errno == EINTR)
				continue;
			break; /* ECHILD: every traced task is gone */
		}
		if (WIFSTOPPED(status))
			resume(tid, status);
		else if (tid == root && WIFEXITED(status))
			rc = WEXITSTATUS(status);
		else if (tid == root && WIFSIGNALED(status))
			rc = 128 + WTERMSIG(status);
	}
	return rc;
}
