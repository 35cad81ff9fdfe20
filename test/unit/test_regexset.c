/* Unit tests for the shared regex engine (policy/payload/regexset.c):
 * protectLambda pattern files -> rules or line-numbered errors; buffers ->
 * which pattern matched and where; a catastrophic pattern -> a limit hit,
 * never a silent miss. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(load_format_table),
		cmocka_unit_test(match_table),
		cmocka_unit_test(limit_is_reported),
		cmocka_unit_test(load_file_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
