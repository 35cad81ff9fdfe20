/* What output inspection costs per response, timed in-process on the
 * proxy's own code path (policy/payload/outscan.c): a 4 KB API Gateway-style
 * JSON response fed whole, and a 1 MB body streamed in 64 KiB chunks, with
 * the built-in detectors and protectLambda's example rule; plus the time to
 * compile the rules at start; and the 4 KB response against 100 rules,
 * joined into alternations (regexset.c) and, for comparison in the same
 * run, each tried in turn (the cost grows with the rule count). The
 * proxy's relay around it is measured by bench/lambda.sh. Usage:
 * payload_cost N. Prints one line: compile_us small_us large_us
 * small_100_rules_us small_100_rules_one_by_one_us join_100_rules_us
 * (medians of N, thread CPU time; the last is building the alternations,
 * once, at the first match). */
#include "policy/payload/payload.h"
#include "bench/timing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A response of about size bytes: statusCode, headers, a JSON body of
 * records with names, prose, numbers and ids (no finding). */
static char *make_body(size_t size)
{
	char *b = malloc(size + 256);
	size_t o;

	if (!b)
		exit(1);
	o = (size_t)sprintf(b, "{\"statusCode\":200,\"headers\":{\"Content-Type\":\"application/json\"},\"body\":\"[");
	for (int i = 0; o < size; i++)
		o += (size_t)snprintf(b + o, size + 256 - o,
				      "{\\\"id\\\":%d,\\\"name\\\":\\\"O'Brien %d\\\",\\\"note\\\":\\\"Runs the local system "
				      "check, see the docs.\\\",\\\"ts\\\":1733312345678,\\\"amount\\\":%d.50},",
				      i, i, i * 7);
	b[size] = '\0';
	return b;
}

static uint64_t one(const struct fng_outscan_rules *r, const char *b, size_t n, size_t chunk)
{
	struct fng_outscan s;
	struct fng_out_finding f;
	uint64_t t0 = cpu_ns();

	fng_outscan_begin(&s, r);
	for (size_t off = 0; off < n; off += chunk)
		if (fng_outscan_feed(&s, b + off, off + chunk > n ? n - off : chunk, &f) != 0)
			(fprintf(stderr, "finding: %s %s\n", f.match, f.excerpt), exit(2)); /* a clean body: the bench is wrong */
	if (fng_outscan_finish(&s, &f) != 0)
		exit(2);
	fng_outscan_end(&s);
	return cpu_ns() - t0;
}

int main(int argc, char **argv)
{
	static const char rule[] = ".*(call|check_output|system|popen|run|local|spawn).*\\(.*";
	static const char secret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
	int n = argc > 1 ? atoi(argv[1]) : 200;
	uint64_t *tc = calloc((size_t)n, sizeof(*tc)), *ts = calloc((size_t)n, sizeof(*ts)), *tl = calloc((size_t)n, sizeof(*tl));
	uint64_t *tm = calloc((size_t)n, sizeof(*tm)), *t1 = calloc((size_t)n, sizeof(*t1)), *tj = calloc((size_t)n, sizeof(*tj));
	struct fng_payload_cfg many = { .action = FNG_MODE_BLOCK, .builtins = true };
	struct fng_payload_cfg solo = { .action = FNG_MODE_BLOCK, .builtins = true };
	struct fng_outscan_rules rm, r1;
	char *small = make_body(4096), *large = make_body(1u << 20), err[256];
	struct fng_out_secrets sec = { .name = { "aws_secret_access_key" }, .value = { secret }, .len = { sizeof(secret) - 1 } };
	struct fng_payload_cfg cfg = { .action = FNG_MODE_BLOCK, .builtins = true };
	struct fng_outscan_rules r;

	if (n < 1 || !tc || !ts || !tl || !tm || !t1 || !tj)
		return 1;
	fng_rx_init(&many.rules);
	fng_rx_init(&solo.rules);
	solo.rules.no_combine = true;
	for (int i = 0; i < 100; i++) {
		char rx[64];
		snprintf(rx, sizeof(rx), "(?i)(secret|token)[-_]?%03d[a-z]{4}", i);
		if (fng_rx_add(&many.rules, rx, strlen(rx), "many", err, sizeof(err)) < 0 ||
		    fng_rx_add(&solo.rules, rx, strlen(rx), "many", err, sizeof(err)) < 0)
			return 1;
	}
	if (fng_outscan_rules_init(&rm, &many, &sec) < 0 || fng_outscan_rules_init(&r1, &solo, &sec) < 0)
		return 1;
	for (int i = 0; i < n; i++) { /* joining: at a fresh set's first match */
		struct fng_rx_set j;
		struct fng_rx_hit h;
		uint64_t t0;
		fng_rx_init(&j);
		for (int k = 0; k < 100; k++)
			if (fng_rx_add(&j, many.rules.pats[k].src, strlen(many.rules.pats[k].src), "j", err, sizeof(err)) < 0)
				return 1;
		t0 = cpu_ns();
		(void)fng_rx_match(&j, "", 0, &h);
		tj[i] = cpu_ns() - t0;
		fng_rx_free(&j);
	}
	for (int i = 0; i < n; i++) {
		uint64_t t0 = cpu_ns();
		fng_rx_init(&cfg.rules);
		if (fng_rx_add(&cfg.rules, rule, strlen(rule), "code.txt:1", err, sizeof(err)) < 0 ||
		    fng_outscan_rules_init(&r, &cfg, &sec) < 0)
			return 1;
		tc[i] = cpu_ns() - t0;
		if (i + 1 < n) {
			fng_outscan_rules_free(&r);
			fng_rx_free(&cfg.rules);
		}
	}
	for (int i = 0; i < n; i++) {
		ts[i] = one(&r, small, strlen(small), strlen(small));
		tl[i] = one(&r, large, strlen(large), 64 * 1024);
		tm[i] = one(&rm, small, strlen(small), strlen(small));
		t1[i] = one(&r1, small, strlen(small), strlen(small));
	}
	printf("%.1f %.1f %.1f %.1f %.1f %.1f\n", median_us(tc, n), median_us(ts, n), median_us(tl, n), median_us(tm, n),
	       median_us(t1, n), median_us(tj, n));
	return 0;
}
