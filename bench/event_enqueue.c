/* The tracer-side cost of one event: what fng_logger_reserve + fill +
 * fng_logger_commit do (ring slot, zeroing, timestamp, publish, counter,
 * uv_async_send), against a logging thread that drains the ring on a libuv
 * loop as logger.c does. Prints ns per event and the drop count.
 *   event_enqueue N | event_enqueue size */
#include "logging/ring.c"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <uv.h>

struct bench {
	struct fng_ring ring;
	uv_loop_t loop;
	uv_async_t wake, stop;
	_Atomic uint64_t emitted, dropped;
	uint64_t consumed;
};

static uint64_t now_ns(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void drain(struct bench *b)
{
	volatile char sink = 0;
	const struct fng_event *ev;

	while ((ev = fng_ring_peek(&b->ring))) {
		sink ^= ev->path[5];
		b->consumed++;
		fng_ring_release(&b->ring);
	}
	(void)sink;
}

static void on_wake(uv_async_t *h) { drain(h->data); }
static void on_stop(uv_async_t *h)
{
	struct bench *b = h->data;
	drain(b);
	uv_close((uv_handle_t *)&b->wake, NULL);
	uv_close((uv_handle_t *)&b->stop, NULL);
}
static void *loop_main(void *arg)
{
	uv_run(&((struct bench *)arg)->loop, UV_RUN_DEFAULT);
	return NULL;
}

int main(int argc, char **argv)
{
	static struct bench b;
	pthread_t t;
	long n;
	uint64_t t0, t1;

	if (argc > 1 && argv[1][0] == 's') {
		printf("%zu\n", sizeof(struct fng_event));
		return 0;
	}
	n = argc > 1 ? atol(argv[1]) : 1000000;
	if (fng_ring_init(&b.ring, FNG_RING_CAPACITY) < 0 || uv_loop_init(&b.loop) < 0)
		return 1;
	uv_async_init(&b.loop, &b.wake, on_wake);
	uv_async_init(&b.loop, &b.stop, on_stop);
	b.wake.data = b.stop.data = &b;
	pthread_create(&t, NULL, loop_main, &b);
	/* Timed in batches of half the ring, the consumer catching up (untimed)
	 * in between: the cost of an enqueue that finds room, as the tracer sees it. */
	uint64_t spent = 0;
	for (long done = 0; done < n;) {
		long batch = n - done < FNG_RING_CAPACITY / 2 ? n - done : FNG_RING_CAPACITY / 2;
		t0 = now_ns(CLOCK_MONOTONIC);
		for (long i = 0; i < batch; i++) {
			struct fng_event *ev = fng_ring_reserve(&b.ring);
			if (!ev) {
				atomic_fetch_add_explicit(&b.dropped, 1, memory_order_relaxed);
				continue;
			}
			memset(ev, 0, sizeof(*ev));
			ev->time_ns = now_ns(CLOCK_REALTIME);
			ev->type = FNG_EV_FILE;
			memcpy(ev->path, "/tmp/bench", 11);
			fng_ring_commit(&b.ring);
			atomic_fetch_add_explicit(&b.emitted, 1, memory_order_relaxed);
			uv_async_send(&b.wake);
		}
		t1 = now_ns(CLOCK_MONOTONIC);
		spent += t1 - t0;
		done += batch;
		while (atomic_load(&b.ring.head) != atomic_load(&b.ring.tail))
			sched_yield();
	}
	t0 = 0;
	t1 = spent;
	uv_async_send(&b.stop);
	pthread_join(t, NULL);
	printf("  tracer-side enqueue (reserve+fill+commit+wake): %.0f ns per event over %ld events "
	       "(%llu consumed, %llu dropped at the full ring)\n",
	       (double)(t1 - t0) / (double)n, n, (unsigned long long)b.consumed,
	       (unsigned long long)atomic_load(&b.dropped));
	return 0;
}
