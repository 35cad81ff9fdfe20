/* Clocks (clock.h). */
#include "common/clock.h"

#include <time.h>

static uint64_t ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t fng_now_ns(void)
{
	return ns(CLOCK_REALTIME);
}

uint64_t fng_mono_ns(void)
{
	return ns(CLOCK_MONOTONIC);
}
