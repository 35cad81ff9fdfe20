/* Unit tests for policy/payload/pjson.c, the input firewall's JSON reader:
 * a table of the inputs parsers disagree on (what it does with each), and
 * two differentials on a generated corpus (valid documents and mutated
 * ones): against json-c's strict tokener (same leaves on valid documents)
 * and against Python's json (/usr/bin/python3, as the Python runtime reads
 * an event: bytes in, strict=False; same leaves and same errors, with the
 * documented exceptions). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "policy/payload/pjson.h"

/* ---- a canonical text of a parsed document (the Python side prints the same) ---- */

struct buf {
	char *p;
	size_t n, cap;
};

static void b_put(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void b_str(struct buf *b, const char *s)
{
	b_put(b, s, strlen(s));
}

static void b_hex(struct buf *b, const char *s, size_t n)
{
	char h[3];

	for (size_t i = 0; i < n; i++) {
		snprintf(h, sizeof(h), "%02x", (unsigned char)s[i]);
		b_put(b, h, 2);
	}
}

/* A number's text: I<integer> or F<%.17g>. */
static void b_num(struct buf *b, const char *s, size_t n)
{
	char t[512], o[64];

	if (n >= sizeof(t))
		n = sizeof(t) - 1;
	memcpy(t, s, n);
	t[n] = '\0';
	if (!strpbrk(t, ".eEIN")) {
		const char *d = t[0] == '-' ? t + 1 : t;
		b_str(b, "I");
		b_str(b, strspn(d, "0") == strlen(d) ? "0" : t);
		return;
	}
	snprintf(o, sizeof(o), "F%.17g", strtod(t, NULL));
	b_str(b, o);
}

static void canon_pj(const struct fng_pj_doc *d, size_t i, struct buf *b)
{
	const struct fng_pj_node *n = &d->n[i];

	switch (n->type) {
	case FNG_PJ_OBJ:
	case FNG_PJ_ARR:
		b_str(b, n->type == FNG_PJ_OBJ ? "{" : "[");
		for (size_t m = i + 1; m < i + n->skip; m = fng_pj_next(d, m)) {
			if (n->type == FNG_PJ_OBJ) {
				b_str(b, "K");
				b_hex(b, d->n[m].key, d->n[m].klen);
				b_str(b, ":");
			}
			canon_pj(d, m, b);
			b_str(b, ",");
		}
		b_str(b, n->type == FNG_PJ_OBJ ? "}" : "]");
		break;
	case FNG_PJ_STR:
		b_str(b, "S");
		b_hex(b, n->s, n->len);
		break;
	case FNG_PJ_NUM:
		b_num(b, n->s, n->len);
		break;
	case FNG_PJ_BOOL:
		b_str(b, n->s[0] == 't' ? "t" : "f");
		break;
	default:
		b_str(b, "n");
	}
}

static void canon_jc(struct json_object *o, struct buf *b)
{
	char t[64];

	switch (json_object_get_type(o)) {
	case json_type_object:
		b_str(b, "{");
		json_object_object_foreach(o, k, v) {
			b_str(b, "K");
			b_hex(b, k, strlen(k));
			b_str(b, ":");
			canon_jc(v, b);
			b_str(b, ",");
		}
		b_str(b, "}");
		break;
	case json_type_array:
		b_str(b, "[");
		for (size_t i = 0; i < json_object_array_length(o); i++) {
			canon_jc(json_object_array_get_idx(o, i), b);
			b_str(b, ",");
		}
		b_str(b, "]");
		break;
	case json_type_string:
		b_str(b, "S");
		b_hex(b, json_object_get_string(o), (size_t)json_object_get_string_len(o));
		break;
	case json_type_int:
		snprintf(t, sizeof(t), "I%lld", (long long)json_object_get_int64(o));
		b_str(b, t);
		break;
	case json_type_double:
		snprintf(t, sizeof(t), "F%.17g", json_object_get_double(o));
		b_str(b, t);
		break;
	case json_type_boolean:
		b_str(b, json_object_get_boolean(o) ? "t" : "f");
		break;
	default:
		b_str(b, "n");
	}
}

/* "ERR", "DEEP" or the canonical text of s. */
static char *canon_of(const char *s, size_t len, unsigned depth)
{
	struct fng_pj_doc d;
	struct buf b = { 0 };
	int r = fng_pj_parse(s, len, depth, 1u << 20, &d);

	if (r == FNG_PJ_INVALID)
		return strdup("ERR");
	if (r == FNG_PJ_DEEP)
		return strdup("DEEP");
	assert_int_equal(r, 0);
	canon_pj(&d, 0, &b);
	fng_pj_free(&d);
	return b.p;
}

/* ---- the table: what it does with what parsers disagree on ---- */

struct pcase {
	const char *name;
	const char *in;
	size_t len;		/* 0: strlen */
	const char *want;	/* canonical, "ERR" or "DEEP" */
};

static const struct pcase cases[] = {
	{ "duplicate keys: all kept, in order", "{\"a\":1,\"a\":\"x\"}", 0, "{K61:I1,K61:S78,}" },
	{ "\\u0000 in a key and a value is a NUL byte", "{\"a\\u0000b\":\"\\u0000\"}", 0, "{K610062:S00,}" },
	{ "a lone high surrogate is U+FFFD", "[\"\\ud800\"]", 0, "[Sefbfbd,]" },
	{ "a lone low surrogate is U+FFFD", "[\"\\udc00x\"]", 0, "[Sefbfbd78,]" },
	{ "a high surrogate then a non-surrogate escape", "[\"\\ud83d\\u0041\"]", 0, "[Sefbfbd41,]" },
	{ "a surrogate pair is one character", "[\"\\ud83d\\ude00\"]", 0, "[Sf09f9880,]" },
	{ "invalid UTF-8 kept as bytes", "[\"\xff\xc0\xaf\"]", 0, "[Sffc0af,]" },
	{ "raw control characters kept", "[\"a\tb\x01\"]", 0, "[S61096201,]" },
	{ "NaN and the infinities are numbers", "[NaN,Infinity,-Infinity]", 0, "[Fnan,Finf,F-inf,]" },
	{ "-NaN is not", "[-NaN]", 0, "ERR" },
	{ "a leading BOM is refused", "\xef\xbb\xbf[1]", 0, "ERR" },
	{ "huge numbers are their text", "[123456789012345678901234567890,1e400]", 0,
	  "[I123456789012345678901234567890,Finf,]" },
	{ "-0 is 0", "[-0]", 0, "[I0,]" },
	{ "trailing garbage", "[1] x", 0, "ERR" },
	{ "trailing whitespace", " [1] \r\n\t", 0, "[I1,]" },
	{ "a trailing comma", "[1,]", 0, "ERR" },
	{ "a leading zero", "[01]", 0, "ERR" },
	{ "1.", "[1.]", 0, "ERR" },
	{ ".5", "[.5]", 0, "ERR" },
	{ "+1", "[+1]", 0, "ERR" },
	{ "a comment", "[1 /* x */]", 0, "ERR" },
	{ "single quotes", "['a']", 0, "ERR" },
	{ "a bad escape", "[\"\\x41\"]", 0, "ERR" },
	{ "a short \\u escape", "[\"\\u41\"]", 0, "ERR" },
	{ "an unterminated string", "[\"abc", 0, "ERR" },
	{ "a NUL byte outside strings", "[1,\0 2]", 7, "ERR" },
	{ "empty input", "", 0, "ERR" },
	{ "whitespace only", "  ", 0, "ERR" },
	{ "a top-level scalar", "\"s\"", 0, "S73" },
	{ "a top-level number", "42", 0, "I42" },
	{ "nested as deep as allowed", "[[[[1]]]]", 0, "[[[[I1,],],],]" },
	{ "nested deeper", "[[[[[1]]]]]", 0, "DEEP" },
	{ "tru", "[tru]", 0, "ERR" },
	{ "escapes", "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\"]", 0, "[S225c2f080c0a0d09c3a9,]" },
	{ "an empty key and empty containers", "{\"\":{},\"b\":[]}", 0, "{K:{},K62:[],}" },
};

static void table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct pcase *c = &cases[i];
		char *got = canon_of(c->in, c->len ? c->len : strlen(c->in), 4);
		if (strcmp(got, c->want))
			fail_msg("%s: got %s, want %s", c->name, got, c->want);
		free(got);
	}
}

static void get_and_next(void **state)
{
	struct fng_pj_doc d;
	const char *s = "{\"a\":[1,{\"x\":2}],\"b\":3,\"a\":\"last\"}";

	(void)state;
	assert_int_equal(fng_pj_parse(s, strlen(s), 8, 1u << 20, &d), 0);
	size_t a = fng_pj_get(&d, 0, "a");
	assert_int_equal(d.n[a].type, FNG_PJ_STR);
	assert_true(fng_pj_eq(d.n[a].s, d.n[a].len, "last"));
	assert_int_equal(d.n[fng_pj_get(&d, 0, "b")].type, FNG_PJ_NUM);
	assert_int_equal(fng_pj_get(&d, 0, "c"), (size_t)-1);
	assert_int_equal(fng_pj_get(&d, 1, "a"), (size_t)-1); /* not an object */
	assert_int_equal(fng_pj_next(&d, 1), fng_pj_get(&d, 0, "b"));
	fng_pj_free(&d);
}

/* ---- the generated corpus ---- */

static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void gen_string(struct buf *b, uint64_t *r, bool key, unsigned k)
{
	static const char *const pieces[] = { "a", "Z", " ", "'", "<", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\u00e9",
					      "\\u0041", "\\ud83d\\ude00", "\\ud800", "\\udc00", "\xc3\xa9", "\xe2\x82\xac",
					      "\xf0\x9f\x98\x80", "\\u0000", "\\u001f", "%27", "\x7f" };
	size_t n = rnd(r) % 8;

	b_str(b, "\"");
	if (key) { /* unique names: json-c keeps one of a duplicate */
		char t[16];
		snprintf(t, sizeof(t), "k%u", k);
		b_str(b, t);
	}
	for (size_t i = 0; i < n; i++) {
		const char *p = pieces[rnd(r) % (sizeof(pieces) / sizeof(pieces[0]))];
		if (key && !strcmp(p, "\\u0000"))
			continue; /* json-c cuts a key there */
		b_str(b, p);
	}
	b_str(b, "\"");
}

static void gen_value(struct buf *b, uint64_t *r, unsigned depth)
{
	static const char *const nums[] = { "0", "-0", "7", "-12", "123456789012345", "1.5", "-0.25", "1e5", "2E-3",
					    "6.02e+23", "1e308", "0.1", "-3.0e0" };
	static const char *const ws[] = { "", " ", "\n", "\t ", "\r\n" };
	unsigned pick = (unsigned)(rnd(r) % (depth >= 6 ? 5 : 8));

	b_str(b, ws[rnd(r) % 5]);
	switch (pick) {
	case 0:
		gen_string(b, r, false, 0);
		break;
	case 1:
		b_str(b, nums[rnd(r) % (sizeof(nums) / sizeof(nums[0]))]);
		break;
	case 2:
		b_str(b, rnd(r) % 2 ? "true" : "false");
		break;
	case 3:
		b_str(b, "null");
		break;
	case 4:
		gen_string(b, r, false, 0);
		break;
	default: {
		bool obj = pick != 5;
		size_t n = rnd(r) % 5;
		b_str(b, obj ? "{" : "[");
		for (size_t i = 0; i < n; i++) {
			if (i)
				b_str(b, ",");
			if (obj) {
				b_str(b, ws[rnd(r) % 5]);
				gen_string(b, r, true, (unsigned)i);
				b_str(b, ws[rnd(r) % 5]);
				b_str(b, ":");
			}
			gen_value(b, r, depth + 1);
		}
		b_str(b, ws[rnd(r) % 5]);
		b_str(b, obj ? "}" : "]");
	}
	}
	b_str(b, ws[rnd(r) % 5]);
}

/* A document: a generated container, or (mutated) one byte of it
 * replaced, removed or doubled. */
static struct buf gen_doc(uint64_t *r, bool mutate)
{
	static const char bytes[] = "{}[]\",:\\ 0-.eE+aNItfn\xff\x01";
	struct buf b = { 0 };

	b_str(&b, rnd(r) % 2 ? "{" : "[");
	bool obj = b.p[0] == '{';
	if (obj)
		gen_string(&b, r, true, 99), b_str(&b, ":");
	gen_value(&b, r, 1);
	b_str(&b, obj ? "}" : "]");
	if (mutate && b.n) {
		size_t at = rnd(r) % b.n;
		char c = bytes[rnd(r) % (sizeof(bytes) - 1)];
		switch (rnd(r) % 3) {
		case 0:
			b.p[at] = c;
			break;
		case 1:
			memmove(b.p + at, b.p + at + 1, b.n - at);
			b.n--;
			break;
		default:
			b_put(&b, "", 0);
			b_put(&b, " ", 1);
			memmove(b.p + at + 1, b.p + at, b.n - at - 1);
			b.p[at] = c;
		}
	}
	return b;
}

#define NDOCS 4000

static void versus_jsonc(void **state)
{
	uint64_t r = 0x9e3779b97f4a7c15ull;
	size_t compared = 0;

	(void)state;
	for (int i = 0; i < NDOCS; i++) {
		struct buf doc = gen_doc(&r, false), jb = { 0 };
		struct json_tokener *tok = json_tokener_new();
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
		struct json_object *o = json_tokener_parse_ex(tok, doc.p, (int)doc.n);
		char *mine = canon_of(doc.p, doc.n, 64);
		if (!o)
			fail_msg("json-c refused a generated document: %s", doc.p);
		canon_jc(o, &jb);
		if (strcmp(mine, jb.p))
			fail_msg("differs from json-c on %s\n mine   %s\n json-c %s", doc.p, mine, jb.p);
		compared++;
		json_object_put(o);
		json_tokener_free(tok);
		free(mine);
		free(jb.p);
		free(doc.p);
	}
	assert_int_equal(compared, NDOCS);
}

/* Reads hex documents one a line; prints OK <canonical>, ERR, or UTF8
 * (not UTF-8: the Python runtime fails the event) / BOM (read as
 * utf-8-sig). */
static const char py[] =
	"import json, re, sys\n"
	"sur = re.compile(rb'\\xed[\\xa0-\\xbf][\\x80-\\xbf]')\n"
	"def hx(s): return sur.sub(b'\\xef\\xbf\\xbd', s.encode('utf-8', 'surrogatepass')).hex()\n"
	"def c(v):\n"
	"    if isinstance(v, tuple): return '{' + ''.join('K%s:%s,' % (hx(k), c(x)) for k, x in v[1]) + '}'\n"
	"    if isinstance(v, list): return '[' + ''.join(c(x) + ',' for x in v) + ']'\n"
	"    if isinstance(v, str): return 'S' + hx(v)\n"
	"    if v is True: return 't'\n"
	"    if v is False: return 'f'\n"
	"    if v is None: return 'n'\n"
	"    if isinstance(v, int): return 'I%d' % v\n"
	"    return 'F%.17g' % v\n"
	"for line in open(sys.argv[1]):\n"
	"    b = bytes.fromhex(line.strip())\n"
	"    try: print('OK ' + c(json.loads(b, strict=False, object_pairs_hook=lambda p: ('o', p))))\n"
	"    except UnicodeDecodeError: print('UTF8')\n"
	"    except ValueError: print('BOM' if b.startswith(b'\\xef\\xbb\\xbf') else 'ERR')\n";

static void versus_python(void **state)
{
	char path[] = "/tmp/fng-pjson-XXXXXX", cmd[256], line[1 << 16];
	uint64_t r = 0x2545f4914f6cdd1dull;
	struct buf docs[2 * NDOCS];
	size_t same = 0, utf8 = 0, errs = 0;

	(void)state;
	if (access("/usr/bin/python3", X_OK)) {
		skip();
		return;
	}
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	for (int i = 0; i < 2 * NDOCS; i++) {
		struct buf h = { 0 };
		docs[i] = gen_doc(&r, i % 2);
		b_hex(&h, docs[i].p, docs[i].n);
		fprintf(f, "%s\n", h.p ? h.p : "");
		free(h.p);
	}
	fclose(f);
	char script[] = "/tmp/fng-pjson-py-XXXXXX";
	int sfd = mkstemp(script);
	assert_true(sfd >= 0 && write(sfd, py, sizeof(py) - 1) == (ssize_t)(sizeof(py) - 1));
	close(sfd);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s %s", script, path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	for (int i = 0; i < 2 * NDOCS; i++) {
		assert_non_null(fgets(line, sizeof(line), p));
		line[strcspn(line, "\n")] = '\0';
		char *mine = canon_of(docs[i].p, docs[i].n, 64);
		if (!strcmp(line, "UTF8")) /* we read the bytes; Python fails the event */
			utf8++;
		else if (!strcmp(line, "BOM")) /* we refuse: a limit, the event is blocked */
			assert_string_equal(mine, "ERR");
		else if (!strcmp(line, "ERR") && (errs++, 1))
			assert_string_equal(mine, "ERR");
		else if (strcmp(line + 3, mine))
			fail_msg("differs from Python on %.*s\n mine   %s\n python %s", (int)docs[i].n, docs[i].p, mine,
				 line + 3);
		else
			same++;
		free(mine);
		free(docs[i].p);
	}
	pclose(p);
	unlink(path);
	unlink(script);
	print_message("pjson vs Python: %zu same leaves, %zu both refused, %zu not UTF-8 (Python fails them)\n", same,
		      errs, utf8);
	assert_true(same > NDOCS / 2 && errs > NDOCS / 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table),
		cmocka_unit_test(get_and_next),
		cmocka_unit_test(versus_jsonc),
		cmocka_unit_test(versus_python),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
