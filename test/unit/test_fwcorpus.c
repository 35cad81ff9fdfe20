/* The input firewall's measured quality: every event of
 * test/corpus/payload/attacks.jsonl and benign.jsonl (gen.py) walked
 * (walk.c) and checked (detect*.c) as the proxy does; detection per class
 * and the false-positive rate printed and held to thresholds: >= 95% of
 * each class's attacks found as that class, <= 0.1% of benign events with
 * any finding. Then the same for a second corpus an independent evaluator
 * wrote (test/corpus/payload/indep/, generated into $(BUILD)/corpus-indep),
 * split by payload into a dev half and a held-out half, each held to the
 * floors the detectors reach (INDEP_*). FW_CORPUS_VERBOSE=1 prints the
 * misses and false positives (of the held-out half only with
 * FW_CORPUS_HELD=1). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "policy/payload/detect.h"
#include "policy/payload/walk.h"

/* The second corpus's floors: sql, nosql, cmd, code, xss, xxe, lfi, csv
 * (percent of attack events found as their class), and the ceilings of
 * benign events with any finding (percent). */
#define INDEP_DEV_FLOOR 99, 99, 99, 99, 99, 99, 99, 99
#define INDEP_HELD_FLOOR 97, 96.5, 99, 99, 97, 96.5, 99, 99
#define INDEP_DEV_FP 0.1
#define INDEP_HELD_FP 0.8

/* The classes found in one event (as the proxy checks it), and where. */
static unsigned scan_event(const char *ev, size_t len, char *where, size_t wn)
{
	struct fng_pwalk_list l;
	unsigned m = 0;

	if (fng_pwalk(ev, len, NULL, &l) < 0)
		return ~0u;
	for (size_t i = 0; i < l.n; i++) {
		struct fng_fw_hit hits[FNG_FW_NCLASS];
		unsigned add = fng_fw_detect(l.v[i].value, l.v[i].len, l.v[i].kind, hits);
		if (i + 1 < l.n && fng_fw_key_inert(&l.v[i], &l.v[i + 1])) /* as the proxy reads it (firewall.c) */
			add &= ~(1u << FNG_FW_NOSQL);
		if (add & ~m) {
			int c = __builtin_ctz(add & ~m);
			snprintf(where, wn, "%s %s (%s) <<%.80s>>", fng_fw_class_name(c), l.v[i].path, hits[c].why,
				 l.v[i].value);
		}
		m |= add;
	}
	if (l.limit)
		m |= 1u << FNG_FW_NCLASS;
	fng_pwalk_free(&l);
	return m;
}

/* Counts per half ([0] the whole corpus, [1] "dev", [2] "held": the
 * second corpus's split by payload; the first corpus has no halves). */
struct tally {
	unsigned n[3][FNG_FW_NCLASS + 1], hit[3][FNG_FW_NCLASS + 1];
};

static void count(struct tally *t, struct json_object *o, int slot, bool ok)
{
	struct json_object *half;
	t->n[0][slot]++;
	t->hit[0][slot] += ok;
	if (json_object_object_get_ex(o, "half", &half)) {
		int h = strcmp(json_object_get_string(half), "dev") ? 2 : 1;
		t->n[h][slot]++;
		t->hit[h][slot] += ok;
	}
}

static void run_file(const char *path, struct tally *t, bool verbose)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f)
		fprintf(stderr, "%s: cannot open (make builds the second corpus: $(BUILD)/corpus-indep)\n", path);
	assert_non_null(f);
	while ((n = getline(&line, &cap, f)) > 0) {
		struct json_object *o = json_tokener_parse(line), *cls, *ev;
		assert_non_null(o);
		assert_true(json_object_object_get_ex(o, "class", &cls) && json_object_object_get_ex(o, "event", &ev));
		const char *cname = json_object_get_string(cls);
		const char *evs = json_object_to_json_string_ext(ev, JSON_C_TO_STRING_PLAIN);
		char where[512] = "";
		unsigned m = scan_event(evs, strlen(evs), where, sizeof(where));
		int c = fng_fw_class_of(cname);
		int slot = c < 0 ? FNG_FW_NCLASS : c;
		bool ok = c < 0 ? m != 0 : (m & (1u << c)) != 0;
		count(t, o, slot, ok);
		if (verbose && (c < 0 ? ok : !ok)) {
			struct json_object *p, *sh, *half;
			json_object_object_get_ex(o, "payload", &p);
			json_object_object_get_ex(o, "shape", &sh);
			bool held = json_object_object_get_ex(o, "half", &half) && !strcmp(json_object_get_string(half), "held");
			if (!held || getenv("FW_CORPUS_HELD")) /* the held-out half's misses stay unseen */
				fprintf(stderr, "%s %s [%s] %s :: %s\n", c < 0 ? "FP" : "MISS", cname,
					json_object_get_string(sh), json_object_get_string(p), where);
		}
		json_object_put(o);
	}
	free(line);
	fclose(f);
}

/* Prints one half's numbers; true when they meet the floors (detection
 * per class, benign events with a finding at most max_fp percent). */
static bool report(const char *name, const struct tally *t, int h, const double floor[FNG_FW_NCLASS], double max_fp)
{
	bool ok = true;
	static const char *const halves[] = { "all", "dev", "held-out" };
	for (int c = 0; c < FNG_FW_NCLASS; c++) {
		double r = t->n[h][c] ? 100.0 * t->hit[h][c] / t->n[h][c] : 0;
		printf("input_firewall %s (%s): %-22s %5u/%-5u detected (%.1f%%, floor %.1f%%)\n", name, halves[h],
		       fng_fw_class_name(c), t->hit[h][c], t->n[h][c], r, floor[c]);
		ok &= t->n[h][c] > 0 && r >= floor[c];
	}
	unsigned bn = t->n[h][FNG_FW_NCLASS], bh = t->hit[h][FNG_FW_NCLASS];
	double fp = bn ? 100.0 * bh / bn : 100;
	printf("input_firewall %s (%s): benign events with a finding: %u/%u (%.2f%%, ceiling %.2f%%)\n", name, halves[h],
	       bh, bn, fp, max_fp);
	return ok && bn >= 250 && fp <= max_fp;
}

static void run_corpus(const char *dir, struct tally *t)
{
	char a[512], b[512];
	bool verbose = getenv("FW_CORPUS_VERBOSE") != NULL;

	snprintf(a, sizeof(a), "%s/attacks.jsonl", dir);
	snprintf(b, sizeof(b), "%s/benign.jsonl", dir);
	run_file(a, t, verbose);
	run_file(b, t, verbose);
}

/* The project's own corpus (test/corpus/payload/gen.py), which the
 * detectors were written against. */
static void corpus_quality(void **state)
{
	(void)state;
	static struct tally t;
	const char *dir = getenv("FW_CORPUS_DIR") ? getenv("FW_CORPUS_DIR") : "test/corpus/payload";
	static const double floor[FNG_FW_NCLASS] = { 95, 95, 95, 95, 95, 95, 95, 95 };

	run_corpus(dir, &t);
	assert_true(report("corpus", &t, 0, floor, 0.1));
}

/* The independent evaluator's corpus (test/corpus/payload/indep/, built
 * into $(BUILD)/corpus-indep by make): floors at what the detectors
 * reach on each half (docs/policy.md), so any regression fails. */
static void indep_quality(void **state)
{
	(void)state;
	static struct tally t;
	char dir[512];
	const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
	static const double dev_floor[FNG_FW_NCLASS] = { INDEP_DEV_FLOOR };
	static const double held_floor[FNG_FW_NCLASS] = { INDEP_HELD_FLOOR };

	snprintf(dir, sizeof(dir), "%s/corpus-indep", build);
	run_corpus(getenv("FW_INDEP_DIR") ? getenv("FW_INDEP_DIR") : dir, &t);
	report("indep", &t, 0, dev_floor, 100);
	bool ok = report("indep", &t, 1, dev_floor, INDEP_DEV_FP);
	ok &= report("indep", &t, 2, held_floor, INDEP_HELD_FP);
	assert_true(ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(corpus_quality),
		cmocka_unit_test(indep_quality),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
