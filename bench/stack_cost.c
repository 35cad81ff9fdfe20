/* What one native stack costs the tracer: capture (libunwind with
 * fnguard's accessors) plus symbolisation, timed in-process on a traced
 * child stopped at a known place. Three cache states:
 *   cold       nothing cached: files read, unwind rules built
 *   new image  files cached, a new address space (a freshly exec'd process)
 *   warm       everything cached (the same call site again)
 * Usage: stack_cost N [PROGRAM ARGS...]; with no program, this binary
 * itself stops DEPTH (8) calls deep. The program must stop itself with
 * SIGSTOP. Prints one line: frames cold_us newimage_us warm_us pages_warm
 * (medians of the calling thread's CPU time, kernel work of its system
 * calls included). */
#include "tracer/image/stack.h"
#include "bench/timing.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

__attribute__((noinline)) static int nest(int depth)
{
	int r;

	if (depth == 0)
		return raise(SIGSTOP);
	r = nest(depth - 1);
	__asm__ volatile("" ::: "memory");
	return r;
}

/* Start the program traced and wait until it has stopped itself. */
static pid_t start(char **argv)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		if (!argv[0])
			_exit(nest(8) == 0 ? 0 : 1);
		execv(argv[0], argv);
		_exit(127);
	}
	for (;;) {
		if (waitpid(pid, &st, 0) < 0 || !WIFSTOPPED(st))
			return -1;
		if (WSTOPSIG(st) == SIGSTOP)
			return pid; /* the signal-delivery stop: the stack is where it stopped */
		ptrace(PTRACE_CONT, pid, NULL, NULL); /* the exec's SIGTRAP */
	}
}


static uint64_t capture(pid_t pid, struct fng_symcache *c, struct fng_unwinder *u, struct fng_unwind_mm **mm,
			struct fng_stack *out)
{
	uint64_t t0 = cpu_ns();

	if (fng_stack_capture(u, mm, pid, out) < 0) {
		fprintf(stderr, "stack_cost: capture failed\n");
		exit(1);
	}
	(void)c;
	return cpu_ns() - t0;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 0;
	uint64_t *cold, *fresh, *warm;
	struct fng_symcache c;
	struct fng_unwinder *u;
	struct fng_unwind_mm *mm = NULL;
	static struct fng_stack st;
	pid_t pid;

	if (n < 1) {
		fprintf(stderr, "usage: stack_cost N [PROGRAM ARGS...]\n");
		return 2;
	}
	pid = start(argv + 2);
	if (pid < 0) {
		fprintf(stderr, "stack_cost: the program did not stop itself\n");
		return 1;
	}
	cold = calloc((size_t)n, sizeof(*cold));
	fresh = calloc((size_t)n, sizeof(*fresh));
	warm = calloc((size_t)n, sizeof(*warm));
	if (!cold || !fresh || !warm)
		return 1;
	for (int i = 0; i < n; i++) { /* everything new each time */
		fng_symcache_init(&c);
		fng_unwinder_new(&u, &c);
		mm = NULL;
		cold[i] = capture(pid, &c, u, &mm, &st);
		fng_unwind_mm_free(mm);
		fng_unwinder_free(u);
		fng_symcache_destroy(&c);
	}
	fng_symcache_init(&c);
	fng_unwinder_new(&u, &c);
	mm = NULL;
	capture(pid, &c, u, &mm, &st); /* fill the file cache */
	for (int i = 0; i < n; i++) { /* files cached, address space new */
		struct fng_unwind_mm *img = NULL;
		fresh[i] = capture(pid, &c, u, &img, &st);
		fng_unwind_mm_free(img);
	}
	for (int i = 0; i < n; i++)
		warm[i] = capture(pid, &c, u, &mm, &st);
	printf("%u %.1f %.1f %.1f %u\n", st.n, median_us(cold, n), median_us(fresh, n), median_us(warm, n),
	       fng_unwinder_last_reads(u));
	fng_unwind_mm_free(mm);
	fng_unwinder_free(u);
	fng_symcache_destroy(&c);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return 0;
}
