/* What the input firewall adds per invocation, timed in-process on the
 * proxy's own code path: the held `next` answer's body copied (as the proxy
 * holds it) and inspected (policy/payload/firewall.c: walk + the eight
 * detectors), for a 4 KB API Gateway v1 event (JSON body, query, headers)
 * and a 1 MB one (a JSON body of records); and the same answer only copied
 * (the proxy without inspection relays it, it does not hold it: the copy is
 * charged to inspection). Usage: input_cost N. Prints one line:
 * small_us large_us small_cpu_us large_cpu_us (medians of N: wall clock,
 * then the thread's CPU time, which a loaded machine does not inflate).
 * FNG_BENCH_STAGES=1: a second line, "walk: small_cpu large_cpu", the walk
 * alone (JSON parse and decodings, no detector). */
#include "policy/payload/firewall.h"
#include "bench/timing.h"

#include <stdio.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* An API Gateway v1 event of about size bytes: headers, a query, a JSON
 * body (escaped in the event's "body" string) of records with names,
 * prose, numbers (no finding). */
static char *make_event(size_t size)
{
	char *b = malloc(size + 1024);
	size_t o;

	if (!b)
		exit(1);
	o = (size_t)sprintf(b, "{\"resource\":\"/orders\",\"path\":\"/orders\",\"httpMethod\":\"POST\","
			       "\"headers\":{\"Accept\":\"application/json\",\"Content-Type\":\"application/json\","
			       "\"User-Agent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"Cookie\":\"sid=abc123; theme=dark\"},"
			       "\"queryStringParameters\":{\"page\":\"2\",\"q\":\"O'Brien shoes\"},"
			       "\"requestContext\":{\"requestId\":\"c6af9ac6-7b61-11e6-9a41-93e8deadbeef\",\"stage\":\"prod\"},"
			       "\"isBase64Encoded\":false,\"body\":\"{\\\"items\\\":[");
	for (int i = 0; o < size - 64; i++)
		o += (size_t)snprintf(b + o, size + 1024 - o,
				      "{\\\"id\\\":%d,\\\"name\\\":\\\"O'Brien & Sons %d\\\",\\\"note\\\":\\\"Please select the "
				      "blue one; it's for my dad's birthday.\\\",\\\"qty\\\":%d},",
				      i, i, i % 7 + 1);
	o += (size_t)sprintf(b + o, "{\\\"end\\\":true}]}\"}");
	b[o] = '\0';
	return b;
}

static void said(const struct fng_fw_finding *f, void *arg)
{
	(void)arg;
	fprintf(stderr, "finding in the clean event: %s %s %s\n", f->cls, f->path, f->match);
}

/* inspect: the whole inspection; else the walk alone (the stage before
 * the detectors), for FNG_BENCH_STAGES. */
static uint64_t one(const struct fng_fw_cfg *c, const char *ev, size_t n, bool inspect, uint64_t *cpu)
{
	size_t nf = 0;
	uint64_t c0 = cpu_ns(), t0 = now_ns();
	char *held = malloc(n);
	struct fng_pwalk_list l;

	if (!held)
		exit(1);
	memcpy(held, ev, n);
	if (inspect && fng_fw_inspect(c, held, n, said, NULL, &nf) != FNG_MODE_ALLOW)
		exit(2); /* the bench is wrong */
	if (!inspect) {
		if (fng_pwalk(held, n, &c->lim, &l) < 0 || l.limit)
			exit(2);
		fng_pwalk_free(&l);
	}
	uint64_t t = now_ns() - t0;
	*cpu = cpu_ns() - c0;
	free(held);
	return t;
}

static void median_of(const struct fng_fw_cfg *c, const char *ev, int n, bool inspect, double *wall, double *cpu)
{
	uint64_t *v = calloc((size_t)n, sizeof(*v)), *u = calloc((size_t)n, sizeof(*u));
	size_t len = strlen(ev);

	if (!v || !u)
		exit(1);
	for (int i = 0; i < n; i++)
		v[i] = one(c, ev, len, inspect, &u[i]);
	*wall = median_us(v, n);
	*cpu = median_us(u, n);
	free(v);
	free(u);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200;
	struct fng_fw_cfg c;
	char *small = make_event(4096), *large = make_event(1u << 20);

	if (n < 1)
		n = 1;
	fng_fw_cfg_init(&c);
	if (!getenv("FNG_BENCH_TRIM")) { /* as the proxy does (px_fw_init); FNG_BENCH_TRIM=1: the malloc defaults */
		mallopt(M_TRIM_THRESHOLD, FNG_FW_HEAP_KEEP);
		mallopt(M_MMAP_THRESHOLD, FNG_FW_HEAP_KEEP);
	}
	double sw, sc, lw, lc;
	median_of(&c, small, n, true, &sw, &sc);
	median_of(&c, large, n > 20 ? 20 : n, true, &lw, &lc);
	printf("%.1f %.1f %.1f %.1f\n", sw, lw, sc, lc);
	if (getenv("FNG_BENCH_STAGES")) { /* the walk alone (JSON and decodings), CPU time */
		median_of(&c, small, n, false, &sw, &sc);
		median_of(&c, large, n > 20 ? 20 : n, false, &lw, &lc);
		printf("walk: %.1f %.1f\n", sc, lc);
	}
	fng_fw_cfg_free(&c);
	free(small);
	free(large);
	return 0;
}
