/* Unit tests for the shared regex engine (policy/payload/regexset.c):
 * protectLambda pattern files -> rules or line-numbered errors; buffers ->
 * which pattern matched and where; a catastrophic pattern -> a limit hit,
 * never a silent miss; patterns joined into alternations give exactly the
 * one-by-one answers (a table of the patterns that must not be joined,
 * and a randomized differential test). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy/payload/regexset.h"

#define PL_EXAMPLE ".*(call|check_output|system|popen|run|local|spawn).*\\(.*"

static void load_format_table(void **state)
{
	static const struct {
		const char *file;
		int want_n;		/* patterns, or -errno */
		const char *first;	/* first pattern's source */
		const char *err_has;	/* substring of the error */
	} rows[] = {
		{ "a\nb\n", 2, "a", NULL },
		{ "a\r\nb\r\n", 2, "a", NULL },			    /* CRLF */
		{ "\n\n  \t\n", 0, NULL, NULL },		    /* blank lines only */
		{ "  spaced  \t\n", 1, "spaced", NULL },	    /* stripped both sides */
		{ "no-newline-at-end", 1, "no-newline-at-end", NULL },
		{ "# not a comment\n", 1, "# not a comment", NULL }, /* as protectLambda reads it */
		{ PL_EXAMPLE "\n", 1, PL_EXAMPLE, NULL },
		{ "ok\n\n(unclosed\n", -EINVAL, NULL, "rules.txt:3: bad regex at offset" },
		{ "a\n[z-a]\n", -EINVAL, NULL, "rules.txt:2:" },
		{ "a\0b\n", -EINVAL, NULL, "NUL" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct fng_rx_set s;
		char err[256] = "";
		size_t len = strlen(rows[i].file);
		int n;

		if (i == sizeof(rows) / sizeof(rows[0]) - 1)
			len = 4; /* the NUL row */
		fng_rx_init(&s);
		n = fng_rx_load_buf(&s, rows[i].file, len, "rules.txt", err, sizeof(err));
		if (n != rows[i].want_n)
			fail_msg("row %zu: %d patterns, want %d (%s)", i, n, rows[i].want_n, err);
		if (rows[i].first && strcmp(s.pats[0].src, rows[i].first) != 0)
			fail_msg("row %zu: first pattern '%s', want '%s'", i, s.pats[0].src, rows[i].first);
		if (rows[i].err_has && !strstr(err, rows[i].err_has))
			fail_msg("row %zu: error '%s' lacks '%s'", i, err, rows[i].err_has);
		fng_rx_free(&s);
	}
}

static void match_table(void **state)
{
	static const char rules[] = "AKIA[0-9A-Z]{16}\n" PL_EXAMPLE "\n-----BEGIN [A-Z ]*PRIVATE KEY-----\n";
	static const struct {
		const char *subject;
		enum fng_rx_result want;
		size_t pattern, start, end;
	} rows[] = {
		{ "nothing here", FNG_RX_NONE, 0, 0, 0 },
		{ "key=AKIAABCDEFGHIJKLMNOP;", FNG_RX_MATCH, 0, 4, 24 },
		{ "AKIAabcdefghijklmnop", FNG_RX_NONE, 0, 0, 0 }, /* case-sensitive */
		{ "    subprocess.call(['ls'])", FNG_RX_MATCH, 1, 0, 27 },
		{ "x = os.system (cmd)", FNG_RX_MATCH, 1, 0, 19 },
		{ "print('hello')", FNG_RX_NONE, 0, 0, 0 },
		{ "first line\nsubprocess.call(x)\n", FNG_RX_MATCH, 1, 11, 29 }, /* '.' stops at newlines */
		{ "-----BEGIN RSA PRIVATE KEY-----\nMII", FNG_RX_MATCH, 2, 0, 31 },
		{ "\xff\xfe AKIAABCDEFGHIJKLMNOP \x80", FNG_RX_MATCH, 0, 3, 23 }, /* invalid UTF-8 around */
	};
	struct fng_rx_set s;
	char err[256];
	(void)state;
	fng_rx_init(&s);
	assert_int_equal(fng_rx_load_buf(&s, rules, strlen(rules), "out.txt", err, sizeof(err)), 3);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct fng_rx_hit h = { 99, 99, 99 };
		enum fng_rx_result r = fng_rx_match(&s, rows[i].subject, strlen(rows[i].subject), &h);
		if (r != rows[i].want)
			fail_msg("row %zu (%s): result %d, want %d", i, rows[i].subject, r, rows[i].want);
		if (r == FNG_RX_MATCH && (h.pattern != rows[i].pattern || h.start != rows[i].start || h.end != rows[i].end))
			fail_msg("row %zu: pattern %zu [%zu,%zu), want %zu [%zu,%zu)", i, h.pattern, h.start, h.end,
				 rows[i].pattern, rows[i].start, rows[i].end);
	}
	assert_string_equal(s.pats[1].origin, "out.txt:2");
	fng_rx_free(&s);
}

/* (a+)+$ against a long run of a's and a final b: exponential
 * backtracking, stopped by the match limit and reported as LIMIT. */
static void limit_is_reported(void **state)
{
	struct fng_rx_set s;
	struct fng_rx_hit h;
	char err[256], subject[64];
	(void)state;
	fng_rx_init(&s);
	assert_int_equal(fng_rx_add(&s, "safe", 4, "patterns[0]", err, sizeof(err)), 0);
	assert_int_equal(fng_rx_add(&s, "(a|aa)+$", 8, "patterns[1]", err, sizeof(err)), 0);
	memset(subject, 'a', sizeof(subject) - 2);
	subject[sizeof(subject) - 2] = 'b';
	subject[sizeof(subject) - 1] = '\0';
	assert_int_equal(fng_rx_match(&s, subject, strlen(subject), &h), FNG_RX_LIMIT);
	assert_int_equal(h.pattern, 1);
	/* A raised limit is still a limit, never an unbounded run. */
	fng_rx_set_limits(&s, 1000, 100);
	assert_int_equal(fng_rx_match(&s, subject, strlen(subject), &h), FNG_RX_LIMIT);
	fng_rx_free(&s);
}

static void load_file_errors(void **state)
{
	struct fng_rx_set s;
	char err[256] = "", path[] = "/tmp/fng-rx-XXXXXX";
	int fd = mkstemp(path);
	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "ok\r\n(\r\n", 7), 7);
	close(fd);
	fng_rx_init(&s);
	assert_int_equal(fng_rx_load_file(&s, path, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, ":2: bad regex"));
	unlink(path);
	assert_int_equal(fng_rx_load_file(&s, path, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "cannot read"));
	/* A device is no pattern file (it would never end). */
	assert_int_equal(fng_rx_load_file(&s, "/dev/zero", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a regular file"));
	fng_rx_free(&s);
}

/* r and h of both sets, equal? */
static bool same(enum fng_rx_result a, const struct fng_rx_hit *ha, enum fng_rx_result b, const struct fng_rx_hit *hb)
{
	if (a != b)
		return false;
	if (a == FNG_RX_NONE)
		return true;
	return ha->pattern == hb->pattern && (a != FNG_RX_MATCH || (ha->start == hb->start && ha->end == hb->end));
}

/* Every first of subj: the joined set answers as the one-by-one set. */
static void compare_all(const struct fng_rx_set *j, const struct fng_rx_set *one, const char *subj, size_t len,
			const char *what, size_t counts[4])
{
	for (size_t first = 0; first <= one->n; first++) {
		struct fng_rx_hit hj = { 0 }, ho = { 0 };
		enum fng_rx_result rj = fng_rx_match_from(j, first, subj, len, &hj);
		enum fng_rx_result ro = fng_rx_match_from(one, first, subj, len, &ho);
		if (counts)
			counts[ro]++;
		if (!same(rj, &hj, ro, &ho))
			fail_msg("%s: subject '%.*s' from %zu: joined %d p%zu [%zu,%zu), one by one %d p%zu [%zu,%zu)", what,
				 (int)len, subj, first, rj, hj.pattern, hj.start, hj.end, ro, ho.pattern, ho.start, ho.end);
	}
}

static void add_both(struct fng_rx_set *j, struct fng_rx_set *one, const char *pat)
{
	char err[256];

	assert_int_equal(fng_rx_add(j, pat, strlen(pat), "j", err, sizeof(err)), 0);
	assert_int_equal(fng_rx_add(one, pat, strlen(pat), "o", err, sizeof(err)), 0);
}

/* Patterns that change meaning beside others: each row's set is joined
 * (the cache is built) and still gives the one-by-one answer, which the
 * row also states. Without rx_joinable's exclusions rows 0-2 are missed. */
static void joined_table(void **state)
{
	static const struct {
		const char *pats[3];
		const char *subject;
		enum fng_rx_result want;
		size_t pattern;
	} rows[] = {
		{ { "a(*COMMIT)b", "ac", "zz" }, "ac", FNG_RX_MATCH, 1 },	 /* a verb ends the other alternatives */
		{ { "(x)\\1", "(b)\\1", "zz" }, "bb", FNG_RX_MATCH, 1 },	 /* \1 would be the other's group */
		{ { "(x)(?1)", "(b)(?1)", "zz" }, "bb", FNG_RX_MATCH, 1 },	 /* so would (?1) */
		{ { "(?<n>x)\\k<n>", "(?<n>b)\\k<n>", "zz" }, "bb", FNG_RX_MATCH, 1 },
		{ { "(?x) q # comment", "r", "zz" }, "r", FNG_RX_MATCH, 1 }, /* the comment eats the rest: not joined */
		{ { "(?i)abc", "def", "zz" }, "DEF", FNG_RX_NONE, 0 },	 /* (?i) ends with its group */
		{ { "(?i)abc", "def", "zz" }, "ABC", FNG_RX_MATCH, 0 },
		{ { "\\Qa)b", "r", "zz" }, "a)b", FNG_RX_MATCH, 0 },
		{ { "^b", "c$", "(?<=a)b" }, "ab", FNG_RX_MATCH, 2 },	 /* anchors and look-behind as alone */
		{ { "", "x", "zz" }, "q", FNG_RX_MATCH, 0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct fng_rx_set j, one;
		struct fng_rx_hit h = { 0 };
		char what[32];

		fng_rx_init(&j);
		fng_rx_init(&one);
		one.no_combine = true;
		for (size_t k = 0; k < 3; k++)
			add_both(&j, &one, rows[i].pats[k]);
		if (fng_rx_match(&j, rows[i].subject, strlen(rows[i].subject), &h) != rows[i].want ||
		    (rows[i].want == FNG_RX_MATCH && h.pattern != rows[i].pattern))
			fail_msg("row %zu: result or pattern %zu wrong", i, h.pattern);
		assert_non_null(j.comb);
		snprintf(what, sizeof(what), "row %zu", i);
		compare_all(&j, &one, rows[i].subject, strlen(rows[i].subject), what, NULL);
		fng_rx_free(&j);
		fng_rx_free(&one);
	}
}

/* A random pattern over a small alphabet: literals, classes, groups,
 * alternation, quantifiers (nested ones that backtrack), anchors, inline
 * options, look-around, back-references and verbs. */
static void rand_pattern(char *out, size_t cap, unsigned *seed)
{
	static const char *const atoms[] = {
		"a", "b", "c", "ab", "[ab]", "[^a]", ".", "\\b", "^", "$", "(a|b)", "(?:ab|c)", "(?i)a", "(?i:b)", "(?=a)",
		"(?!b)", "(?<=a)", "(a+)+", "(a|aa)+", "\\1", "(*COMMIT)", "(?-i)c", "A", " ", "\\s", "(c)", "x*",
	};
	static const char *const quant[] = { "", "", "", "*", "+", "?", "{1,3}", "*?", "++" };
	size_t k = 0, n = 1 + (size_t)rand_r(seed) % 5;

	out[0] = '\0';
	for (size_t i = 0; i < n && k + 24 < cap; i++) {
		const char *a = atoms[(size_t)rand_r(seed) % (sizeof(atoms) / sizeof(atoms[0]))];
		const char *q = quant[(size_t)rand_r(seed) % (sizeof(quant) / sizeof(quant[0]))];
		if (a[0] == '^' || a[0] == '$' || a[0] == '(' || (a[0] == '\\' && a[1] == 'b'))
			q = ""; /* a quantified assertion or group: fine for PCRE2, but keep most patterns valid */
		k += (size_t)snprintf(out + k, cap - k, "%s%s%s", i && rand_r(seed) % 6 == 0 ? "|" : "", a, q);
	}
}

/* Random sets of 2 to 40 patterns, random subjects (some long runs of
 * "a" that make the nested quantifiers hit the match limit): joined and
 * one by one agree on every result, pattern and range, from every first. */
static void joined_differential(void **state)
{
	unsigned seed = 16016;
	size_t counts[4] = { 0 };
	(void)state;
	for (int round = 0; round < 300; round++) {
		struct fng_rx_set j, one;
		size_t want = 2 + (size_t)rand_r(&seed) % 39;
		char err[256];

		fng_rx_init(&j);
		fng_rx_init(&one);
		one.no_combine = true;
		fng_rx_set_limits(&j, 2000, 200);
		fng_rx_set_limits(&one, 2000, 200);
		for (size_t tries = 0; one.n < want && tries < 400; tries++) {
			char pat[160];
			rand_pattern(pat, sizeof(pat), &seed);
			if (fng_rx_add(&one, pat, strlen(pat), "o", err, sizeof(err)) == 0)
				assert_int_equal(fng_rx_add(&j, pat, strlen(pat), "j", err, sizeof(err)), 0);
		}
		for (int t = 0; t < 40; t++) {
			static const char alpha[] = "abcAB c";
			char subj[48];
			size_t len = (size_t)rand_r(&seed) % 24;
			bool run = rand_r(&seed) % 8 == 0;
			if (run)
				len = 40;
			for (size_t i = 0; i < len; i++)
				subj[i] = run && i + 1 < len ? 'a' : alpha[(size_t)rand_r(&seed) % (sizeof(alpha) - 1)];
			compare_all(&j, &one, subj, len, "random", counts);
		}
		fng_rx_free(&j);
		fng_rx_free(&one);
	}
	/* The test covers every kind of answer, not only "none". */
	if (counts[FNG_RX_NONE] < 100 || counts[FNG_RX_MATCH] < 100 || counts[FNG_RX_LIMIT] < 10)
		fail_msg("answers: %zu none, %zu match, %zu limit", counts[FNG_RX_NONE], counts[FNG_RX_MATCH],
			 counts[FNG_RX_LIMIT]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(load_format_table),
		cmocka_unit_test(match_table),
		cmocka_unit_test(limit_is_reported),
		cmocka_unit_test(load_file_errors),
		cmocka_unit_test(joined_table),
		cmocka_unit_test(joined_differential),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
