/* The input firewall's measured quality: every event of
 * test/corpus/payload/attacks.jsonl and benign.jsonl (gen.py) walked
 * (walk.c) and checked (detect*.c) as the proxy does; detection per class
 * and the false-positive rate printed and held to thresholds: >= 95% of
 * each class's attacks found as that class, <= 0.1% of benign events with
 * any finding. FW_CORPUS_VERBOSE=1 prints the misses. */
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

struct tally {
	unsigned n[FNG_FW_NCLASS + 1], hit[FNG_FW_NCLASS + 1];
};

static void run_file(const char *path, struct tally *t, bool verbose)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

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
		t->n[slot]++;
		t->hit[slot] += ok;
		if (verbose && (c < 0 ? ok : !ok)) {
			struct json_object *p, *sh;
			json_object_object_get_ex(o, "payload", &p);
			json_object_object_get_ex(o, "shape", &sh);
			fprintf(stderr, "%s %s [%s] %s :: %s\n", c < 0 ? "FP" : "MISS", cname, json_object_get_string(sh),
				json_object_get_string(p), where);
		}
		json_object_put(o);
	}
	free(line);
	fclose(f);
}

static void corpus_quality(void **state)
{
	(void)state;
	struct tally t = { { 0 }, { 0 } };
	bool verbose = getenv("FW_CORPUS_VERBOSE") != NULL;
	const char *dir = getenv("FW_CORPUS_DIR") ? getenv("FW_CORPUS_DIR") : "test/corpus/payload";
	char a[512], b[512];

	snprintf(a, sizeof(a), "%s/attacks.jsonl", dir);
	snprintf(b, sizeof(b), "%s/benign.jsonl", dir);
	run_file(a, &t, verbose);
	run_file(b, &t, verbose);
	bool ok = true;
	for (int c = 0; c < FNG_FW_NCLASS; c++) {
		double r = t.n[c] ? 100.0 * t.hit[c] / t.n[c] : 0;
		printf("input_firewall corpus: %-22s %5u/%-5u detected (%.1f%%)\n", fng_fw_class_name(c), t.hit[c], t.n[c], r);
		ok &= t.n[c] > 0 && r >= 95.0;
	}
	double fp = t.n[FNG_FW_NCLASS] ? 100.0 * t.hit[FNG_FW_NCLASS] / t.n[FNG_FW_NCLASS] : 100;
	printf("input_firewall corpus: benign events with a finding: %u/%u (%.2f%%)\n", t.hit[FNG_FW_NCLASS],
	       t.n[FNG_FW_NCLASS], fp);
	ok &= t.n[FNG_FW_NCLASS] >= 500 && fp <= 0.1;
	assert_true(ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(corpus_quality),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
