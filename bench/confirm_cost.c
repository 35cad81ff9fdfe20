/* What confirmed_attacks costs with every input value tracked, in-process
 * on its own code (policy/payload/confirm*.c): building the index of a
 * 6 MB event (the walk included) and one exec (sh -c), open and connect
 * check against it, for events of many small values and for the shapes an
 * attacker picks (every value sharing the payload's prefix; values that
 * all occur in one argument). Usage: confirm_cost N. One line per shape:
 * name values body_MB walk_build_ms index_MB exec_us open_us connect_us
 * long_exec_us long_open_us (medians of N, thread CPU time; long_*: a
 * 100 KiB sh -c script and a 4000-byte path made of the shape's bytes). */
#include "policy/payload/confirm_internal.h"
#include "policy/payload/walk.h"
#include "bench/timing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BODY_MAX (6u << 20)

typedef size_t (*shape_fn)(char *out, size_t n, size_t i);

static size_t small(char *o, size_t n, size_t i)
{
	return (size_t)snprintf(o, n, "%zu", 10000 + i % 90000);
}

static size_t distinct(char *o, size_t n, size_t i)
{
	uint64_t x = (i + 1) * 0x9e3779b97f4a7c15ull;
	char w[7];
	for (int k = 0; k < 6; k++, x >>= 5)
		w[k] = (char)('a' + x % 26);
	w[6] = '\0';
	return (size_t)snprintf(o, n, "\"%s\"", w);
}

static size_t prefixed(char *o, size_t n, size_t i)
{
	return (size_t)snprintf(o, n, "\"127.0.0.1 >/dev/null; cp creds.txt docs/%zu\"", i);
}

/* "aaa", "aaaa", ...: every one occurs in a run of a's. */
static size_t nested(char *o, size_t n, size_t i)
{
	size_t k = 3 + i;
	if (k + 3 > n)
		return 0;
	o[0] = '"';
	memset(o + 1, 'a', k);
	o[k + 1] = '"';
	o[k + 2] = '\0';
	return k + 2;
}

static char *body_of(shape_fn f, size_t *len, size_t *count)
{
	char *b = malloc(BODY_MAX + 8192);
	size_t o = 1, i = 0;

	if (!b)
		exit(1);
	b[0] = '[';
	for (;; i++) {
		char v[8192];
		size_t l = f(v, sizeof(v), i);
		if (!l || o + l + 2 > BODY_MAX)
			break;
		memcpy(b + o, v, l);
		o += l;
		b[o++] = ',';
	}
	b[o - 1] = ']';
	b[o] = '\0';
	*len = o;
	*count = i;
	return b;
}

static double per_call(const struct fng_confirm_set *s, int n, int what, const char *arg)
{
	uint64_t *t = calloc((size_t)n, sizeof(*t));
	uint8_t a[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1 };
	struct fng_confirm_finding f;

	for (int k = 0; k < n; k++) {
		const char *argv[] = { "sh", "-c", arg };
		uint64_t c0 = cpu_ns();
		if (what == 0)
			fng_confirm_exec(s, "/bin/sh", argv, 3, &f);
		else if (what == 1)
			fng_confirm_path(s, arg, &f);
		else
			fng_confirm_connect(s, a, 443, NULL, &f);
		t[k] = cpu_ns() - c0;
	}
	double m = median_us(t, n);
	free(t);
	return m;
}

static void run(const char *name, shape_fn f, int n, char fill)
{
	size_t len, count;
	char *body = body_of(f, &len, &count);
	struct fng_pwalk_limits lim = { FNG_PWALK_DEPTH, 7u << 20, 28u << 20 };
	struct fng_pwalk_list l;
	char *script = malloc(100 << 10), path[4001];

	uint64_t c0 = cpu_ns();
	if (fng_pwalk(body, len, &lim, &l) < 0)
		exit(1);
	struct fng_confirm_set *s = fng_confirm_set_build(&l, "r");
	uint64_t build = cpu_ns() - c0;
	fng_pwalk_free(&l);
	memset(script, fill, 100 << 10);
	script[(100 << 10) - 1] = '\0';
	memset(path, fill, 4000);
	path[4000] = '\0';
	path[0] = '/';
	printf("%s %zu %.1f %.0f %.0f%s %.1f %.1f %.1f %.0f %.0f\n", name, count, len / 1048576.0, build / 1e6,
	       s->ix ? s->ix->mem / 1048576.0 : 0.0, s->incomplete ? "(incomplete)" : "",
	       per_call(s, n, 0, "ping -c 1 127.0.0.1 >/dev/null; cp creds.txt docs/leak.txt"),
	       per_call(s, n, 1, "/var/task/docs/../creds.txt"), per_call(s, n, 2, NULL), per_call(s, n, 0, script),
	       per_call(s, n, 1, path));
	fng_confirm_set_free(s);
	free(body);
	free(script);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 21;

	printf("shape values body_MB walk_build_ms index_MB exec_us open_us connect_us long_exec_us long_open_us\n");
	run("small", small, n, 'x');
	run("distinct", distinct, n, 'q');
	run("prefixed", prefixed, n, 'x');
	run("nested", nested, n, 'a');
	return 0;
}
