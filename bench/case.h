/* What every benchmark case program shares: an iteration count from argv and
 * one line on stdout, the wall-clock nanoseconds per iteration, which is all
 * bench/bench.py reads. Timing starts after setup, so a tracer's start-up cost
 * is not in the figure (the process cases measure that from outside). */
#ifndef FNG_BENCH_CASE_H
#define FNG_BENCH_CASE_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline long case_count(int argc, char **argv, long dflt)
{
	long n = argc > 1 ? atol(argv[1]) : dflt;
	return n > 0 ? n : dflt;
}

static inline double case_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Print ns per iteration for ops iterations since start; exit status 0. */
static inline int case_report(double start, long ops)
{
	printf("%.1f\n", (case_now() - start) / (double)ops);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* A failed call ends the case with status 1: the harness refuses its figure. */
#define CASE_CHECK(cond, what)                       \
	do {                                         \
		if (!(cond)) {                       \
			perror(what);                \
			exit(1);                     \
		}                                    \
	} while (0)

#endif
