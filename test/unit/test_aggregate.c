/* Unit tests for logging/aggregate.c: which events are the same kind, when
 * they fold, and that the counts taken add up. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "logging/aggregate.h"

static struct fng_event base(void)
{
	struct fng_event e;

	memset(&e, 0, sizeof(e));
	e.type = FNG_EV_FILE;
	e.action = FNG_ACT_ALERTED;
	e.pid = 42;
	strcpy(e.rule, "read_write_tmp");
	strcpy(e.syscall, "openat");
	strcpy(e.path, "/tmp/x");
	strcpy(e.exe, "/usr/bin/python3");
	return e;
}

/* One field changed: a different kind (or not, for what the kind leaves out). */
static void kinds(void **state)
{
	struct fng_event a = base(), b;
	(void)state;

	b = base(); b.time_ns = 99; b.stack_end = 2; strcpy(b.cmdline, "other"); strcpy(b.trace_id, "t");
	assert_true(fng_agg_same(&a, &b));
	b = base(); strcpy(b.path, "/tmp/y"); assert_false(fng_agg_same(&a, &b));
	b = base(); b.action = FNG_ACT_BLOCKED; assert_false(fng_agg_same(&a, &b));
	b = base(); strcpy(b.rule, "read_handler"); assert_false(fng_agg_same(&a, &b));
	b = base(); b.pid = 43; assert_false(fng_agg_same(&a, &b));
	b = base(); strcpy(b.exe, "/bin/sh"); assert_false(fng_agg_same(&a, &b));
	b = base(); b.port = 80; assert_false(fng_agg_same(&a, &b));
	b = base(); strcpy(b.host, "h"); assert_false(fng_agg_same(&a, &b));
	b = base(); strcpy(b.request_id, "r"); assert_false(fng_agg_same(&a, &b));
	b = base(); b.argc = 1; strcpy(b.argv, "x"); assert_false(fng_agg_same(&a, &b));
	b = base(); b.error = 13; assert_false(fng_agg_same(&a, &b));

	b = base(); assert_true(fng_agg_foldable(&b));
	b.type = FNG_EV_LIFECYCLE; assert_false(fng_agg_foldable(&b));
	b = base(); b.action = FNG_ACT_KILLED; assert_false(fng_agg_foldable(&b));
	b = base(); b.action = FNG_ACT_NONE; assert_false(fng_agg_foldable(&b));
}

static void folds_add_up(void **state)
{
	static struct fng_agg a;
	static struct fng_event out[FNG_AGG_SLOTS];
	struct fng_event e = base();
	uint64_t whole = 0, total = 0;
	(void)state;

	assert_int_equal(fng_agg_init(&a), 0);
	for (int i = 0; i < 1000; i++) {
		e.time_ns = 1000 + (uint64_t)i;
		if (!fng_agg_fold(&a, &e))
			whole++;
	}
	assert_int_equal(whole, FNG_AGG_WHOLE);
	assert_int_equal(fng_agg_take(&a, out, FNG_AGG_SLOTS), 1);
	assert_int_equal(out[0].count, 1000 - FNG_AGG_WHOLE);
	assert_int_equal(out[0].first_ns, 1000 + FNG_AGG_WHOLE);
	assert_int_equal(out[0].time_ns, 1999);
	assert_null(out[0].stack);
	total = whole + out[0].count;
	assert_int_equal(total, 1000);
	/* still flooding: folds again at once; quiet for a take: whole again */
	assert_true(fng_agg_fold(&a, &e));
	assert_int_equal(fng_agg_take(&a, out, FNG_AGG_SLOTS), 1);
	assert_int_equal(fng_agg_take(&a, out, FNG_AGG_SLOTS), 0);
	assert_false(fng_agg_fold(&a, &e));
	fng_agg_destroy(&a);
}

/* Every slot with folds waiting: a new kind is not remembered (and so never
 * folded), and no waiting count is lost. */
static void full_table_loses_no_count(void **state)
{
	static struct fng_agg a;
	static struct fng_event out[FNG_AGG_SLOTS];
	struct fng_event e;
	(void)state;

	assert_int_equal(fng_agg_init(&a), 0);
	for (int k = 0; k < FNG_AGG_SLOTS; k++) {
		e = base();
		e.port = (uint16_t)(k + 1);
		for (int i = 0; i < FNG_AGG_WHOLE + 1; i++)
			fng_agg_fold(&a, &e);
	}
	e = base();
	for (int i = 0; i < 3 * FNG_AGG_WHOLE; i++)
		assert_false(fng_agg_fold(&a, &e));
	assert_int_equal(fng_agg_take(&a, out, FNG_AGG_SLOTS), FNG_AGG_SLOTS);
	for (int k = 0; k < FNG_AGG_SLOTS; k++)
		assert_int_equal(out[k].count, 1);
	fng_agg_destroy(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kinds),
		cmocka_unit_test(folds_add_up),
		cmocka_unit_test(full_table_loses_no_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
