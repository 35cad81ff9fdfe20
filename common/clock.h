/* Clocks, in nanoseconds: event times (real) and intervals (monotonic). */
#ifndef FNG_CLOCK_H
#define FNG_CLOCK_H

#include <stdint.h>

uint64_t fng_now_ns(void);	/* CLOCK_REALTIME: an event's time */
uint64_t fng_mono_ns(void);	/* CLOCK_MONOTONIC: deadlines, ages, durations */

#endif
