/* Unit tests for pattern inclusion (policy/baseline/globrel.c): a table of
 * pattern pairs with the expected answers, and a randomised cross-check
 * against fng_glob_match: whatever inclusion claims must hold for every
 * path tried, and every "no" must have a witness path among them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/allowlist.h"
#include "policy/baseline/globrel.h"

struct rel_row {
	const char *a, *b;
	bool includes, meets;	/* does a match all b matches; do they share a path */
};

static const struct rel_row rel_rows[] = {
	/* issue 21: one pattern's text is not a path */
	{ "/var/task/*", "/var/task/**", false, true },
	{ "/tmp/*", "/tmp/**", false, true },
	{ "/tmp/**", "/tmp/*", true, true },
	{ "/a/**", "/a/b/*", true, true },
	{ "/a/b/*", "/a/**", false, true },
	{ "/a/**", "/a", true, true },
	{ "/a", "/a/**", false, true },
	{ "/a/**", "/ab", false, false },
	{ "/a/**", "/a/**/x", true, true },
	{ "/a/**/x", "/a/**", false, true },
	{ "/a/**/x", "/a/b/c/x", true, true },
	{ "/a/**/x", "/a/x", true, true },
	{ "/a/**/x", "/a/*/x", true, true },
	{ "/a/*/x", "/a/**/x", false, true },
	{ "/**", "/etc/shadow", true, true },
	{ "/**", "/a/**", true, true },
	{ "/a/**", "/**", false, true },
	/* within one component */
	{ "/tmp/*", "/tmp/tmp*", true, true },
	{ "/tmp/tmp*", "/tmp/*", false, true },
	{ "/tmp/tmp*", "/tmp/tmpx?", true, true },
	{ "/tmp/*.json", "/tmp/a*.json", true, true },
	{ "/tmp/*.json", "/tmp/*", false, true },
	{ "/tmp/*.json", "/tmp/*.jso?", false, true },
	{ "/tmp/*.jso?", "/tmp/*.json", true, true },
	{ "/a/?", "/a/*", false, true },
	{ "/a/*", "/a/?", true, true },
	{ "/a/*?", "/a/?*", true, true },
	{ "/a/?*", "/a/*?", true, true },
	{ "/a/*", "/a/", true, true },
	{ "/a/?*", "/a/*", false, true },
	{ "/a/x*", "/a/y*", false, false },
	{ "/a/*x", "/a/y*", false, true },
	{ "/a/*b*", "/a/*bb*", true, true },
	{ "/a/*bb*", "/a/*b*", false, true },
	/* "**" inside a component is a star, not a tree */
	{ "/a/x**", "/a/xy/z", false, false },
	{ "/a/x**", "/a/x*", true, true },
	{ "/a/x*", "/a/x**", true, true },
	{ "/a/*/**", "/a/**", false, true },
	{ "/a/**", "/a/*/**", true, true },
	/* plain paths */
	{ "/etc/hosts", "/etc/hosts", true, true },
	{ "/etc/hosts", "/etc/hosts2", false, false },
	{ "/etc/ho*", "/etc", false, false },
	{ "/usr/lib/**", "/usr/lib64/x", false, false },
	/* the .pyc widening of issue 21 */
	{ "/v/lib/python3.11/**", "/v/lib/python3.11/site-packages/evil.pth", true, true },
	{ "/v/lib/python3.11/site-packages/m/__pycache__/m.cpython-311.pyc", "/v/lib/python3.11/**", false, true },
};

static void relate_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rel_rows) / sizeof(rel_rows[0]); i++) {
		const struct rel_row *r = &rel_rows[i];
		bool inc, meets;
		int e = fng_glob_relate(r->a, r->b, &inc, &meets);
		if (e != 0 || inc != r->includes || meets != r->meets)
			fail_msg("row %zu: %s vs %s: rc %d includes %d meets %d (want %d %d)", i, r->a, r->b, e, inc, meets,
				 r->includes, r->meets);
		assert_int_equal(fng_glob_includes(r->a, r->b), r->includes);
		assert_int_equal(fng_glob_meets(r->a, r->b), r->meets);
	}
}

/* Too long to answer: the gate assumes the worst. */
static void relate_too_big(void **state)
{
	char *big = malloc(8192);
	bool inc, meets;

	(void)state;
	assert_non_null(big);
	big[0] = '/';
	for (size_t i = 1; i < 8190; i++)
		big[i] = i % 2 ? 'a' : '*';
	big[8190] = '\0';
	assert_int_equal(fng_glob_relate("/**", big, &inc, &meets), -E2BIG);
	assert_false(fng_glob_includes("/**", big));
	assert_true(fng_glob_meets("/a", big));
	assert_false(fng_glob_meets("/x", big)); /* apart by their first bytes */
	/* long enough to compile, too much to search: a bounded "unsure" */
	{
		char *a = malloc(2000), *b = malloc(2000);
		assert_non_null(a);
		assert_non_null(b);
		a[0] = b[0] = '/';
		for (size_t i = 1; i < 1999; i++) {
			a[i] = i % 2 ? '*' : 'a';
			b[i] = i % 3 ? 'a' : '?';
		}
		a[1999] = b[1999] = '\0';
		int r = fng_glob_relate(a, b, &inc, &meets);
		assert_true(r == -E2BIG || r == 0);
		assert_true(r == 0 || (!fng_glob_includes(a, b) && fng_glob_meets(a, b)));
		free(a);
		free(b);
	}
	free(big);
}

/* A small random pattern over '/', 'a', 'b' (and '*', '?', "**"). */
static void random_pattern(char *out, size_t n, size_t maxlen, unsigned *seed)
{
	static const char *const toks[] = { "/", "a", "b", "*", "?", "/**", "/**/", "ab" };
	size_t len = 1 + (size_t)rand_r(seed) % maxlen;

	snprintf(out, n, "/");
	for (size_t i = 0; i < len; i++)
		strncat(out, toks[rand_r(seed) % 8], n - strlen(out) - 1);
}

/* Every path "/" + up to 6 of '/', 'a', 'b', 'c' ('c' is named by no
 * pattern: it stands for all other bytes). */
static size_t all_paths(char (*out)[8])
{
	static const char abc[] = "/abc";
	size_t n = 0;

	for (size_t len = 0; len <= 6; len++) {
		size_t total = 1;
		for (size_t i = 0; i < len; i++)
			total *= 4;
		for (size_t v = 0; v < total; v++) {
			size_t x = v;
			out[n][0] = '/';
			for (size_t i = 0; i < len; i++, x /= 4)
				out[n][1 + i] = abc[x % 4];
			out[n++][1 + len] = '\0';
		}
	}
	return n;
}

/* Against brute force: every claim holds on every short path; with short
 * patterns (exact), every "no" (or "they meet") has a short witness too. */
static void check_random(size_t maxlen, bool exact, unsigned seed)
{
	enum { NPAT = 160, NPATH = 5461 };
	static char pats[NPAT][48], paths[NPATH][8];
	static bool m[NPAT][NPATH];
	size_t np = all_paths(paths);

	assert_int_equal(np, NPATH);
	for (size_t i = 0; i < NPAT; i++) {
		random_pattern(pats[i], sizeof(pats[i]), maxlen, &seed);
		for (size_t k = 0; k < np; k++)
			m[i][k] = fng_glob_match(pats[i], paths[k]);
	}
	for (size_t i = 0; i < NPAT; i++) {
		for (size_t j = 0; j < NPAT; j++) {
			bool inc, meets, out = false, both = false;
			assert_int_equal(fng_glob_relate(pats[i], pats[j], &inc, &meets), 0);
			for (size_t k = 0; k < np; k++) {
				out |= m[j][k] && !m[i][k];
				both |= m[j][k] && m[i][k];
			}
			if ((inc && out) || (!meets && both) || (exact && (inc == out || meets != both)))
				fail_msg("%s vs %s: includes %d meets %d; brute force %d %d", pats[i], pats[j], inc, meets,
					 !out, both);
		}
	}
}

static void relate_random(void **state)
{
	(void)state;
	check_random(3, true, 21);
	check_random(5, false, 22);
	check_random(5, false, 23);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(relate_table),
		cmocka_unit_test(relate_too_big),
		cmocka_unit_test(relate_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
