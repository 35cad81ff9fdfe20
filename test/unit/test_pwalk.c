/* Unit tests for policy/payload/walk.c and pathmatch.c: the leaves of each
 * event shape, decodings, bounds, and exception paths. Table-driven. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "policy/payload/walk.h"

struct want {
	const char *path;
	const char *value;
	unsigned kind;
};

struct wcase {
	const char *name;
	const char *event;
	struct want has[8];	/* leaves that must be there */
	const char *hasnt[4];	/* values that must not be a leaf */
	int limit;
};

#define V FNG_PWALK_VALUE
#define K FNG_PWALK_KEY

static const struct wcase cases[] = {
	{ "plain JSON values and keys", "{\"a\": {\"b\": [\"x\", 2, true, null]}, \"$where\": \"1\"}",
	  { { "$.a.b[0]", "x", V }, { "$.a.b[1]", "2", V }, { "$.a.b[2]", "true", V }, { "$.a", "a", K },
	    { "$[\"$where\"]", "$where", K }, { "$.a.b", "b", K } },
	  { "null" }, 0 },
	{ "JSON inside a string is walked, the raw string is not a leaf",
	  "{\"Records\": [{\"body\": \"{\\\"q\\\": \\\"' or 1=1\\\"}\"}]}",
	  { { "$.Records[0].body.q", "' or 1=1", V }, { "$.Records[0].body.q", "q", K } },
	  { "{\"q\": \"' or 1=1\"}" }, 0 },
	{ "SNS message twice nested",
	  "{\"Records\": [{\"Sns\": {\"Message\": \"{\\\"inner\\\": \\\"[\\\\\\\"deep\\\\\\\"]\\\"}\"}}]}",
	  { { "$.Records[0].Sns.Message.inner[0]", "deep", V } }, {}, 0 },
	{ "API Gateway v1: form body, query, headers, path params",
	  "{\"resource\": \"/x\", \"httpMethod\": \"POST\", \"path\": \"/a%2F..%2Fb\", \"requestContext\": {},"
	  " \"headers\": {\"Content-Type\": \"application/x-www-form-urlencoded\", \"Cookie\": \"s=a%20b; t=2\"},"
	  " \"queryStringParameters\": {\"id\": \"1 union\"}, \"pathParameters\": {\"p\": \"x%27y\"},"
	  " \"body\": \"name=O%27Brien+x&c=d\", \"isBase64Encoded\": false}",
	  { { "$.body.name", "O'Brien x", V }, { "$.body.name", "name", K }, { "$.path", "/a/../b", V },
	    { "$.queryStringParameters.id", "1 union", V }, { "$.pathParameters.p", "x'y", V },
	    { "$.headers.Cookie.s", "a b", V }, { "$.headers.Content-Type", "Content-Type", K } },
	  { "name=O%27Brien+x&c=d" }, 0 },
	{ "API Gateway v2: base64 JSON body, raw query, cookies",
	  "{\"version\": \"2.0\", \"routeKey\": \"$default\", \"rawPath\": \"/p\", \"rawQueryString\": \"a=%3Cscript%3E&b=c+d\","
	  " \"cookies\": [\"sid=x%3By\"], \"headers\": {\"content-type\": \"application/json\"}, \"requestContext\": {\"http\": {}},"
	  " \"body\": \"eyJ1IjogIjwvc2NyaXB0PiJ9\", \"isBase64Encoded\": true}",
	  { { "$.body.u", "</script>", V }, { "$.rawQueryString.a", "<script>", V }, { "$.rawQueryString.b", "c d", V },
	    { "$.cookies[0].sid", "x;y", V } },
	  {}, 0 },
	{ "ALB: query parameters arrive encoded",
	  "{\"requestContext\": {\"elb\": {\"targetGroupArn\": \"arn\"}}, \"httpMethod\": \"GET\", \"path\": \"/\","
	  " \"queryStringParameters\": {\"q\": \"a%27+or+1%3D1\"}, \"body\": \"\", \"isBase64Encoded\": false}",
	  { { "$.queryStringParameters.q", "a' or 1=1", V }, { "$.queryStringParameters.q", "a%27+or+1%3D1", V } }, {}, 0 },
	{ "form body without a content type still split",
	  "{\"requestContext\": {}, \"httpMethod\": \"POST\", \"body\": \"u=%2Fetc%2Fpasswd&v=1\"}",
	  { { "$.body.u", "/etc/passwd", V }, { "$.body", "u=%2Fetc%2Fpasswd&v=1", V } }, {}, 0 },
	{ "Kinesis base64 data (JSON inside)",
	  "{\"Records\": [{\"kinesis\": {\"data\": \"eyJjbWQiOiAiOyBpZCJ9\"}, \"eventSource\": \"aws:kinesis\"}]}",
	  { { "$.Records[0].kinesis.data.cmd", "; id", V } }, { "eyJjbWQiOiAiOyBpZCJ9" }, 0 },
	{ "Firehose base64 data (text)",
	  "{\"records\": [{\"recordId\": \"1\", \"data\": \"aGVsbG8gd29ybGQ=\"}]}",
	  { { "$.records[0].data", "hello world", V } }, {}, 0 },
	{ "S3 key: + is a space, %XX decoded",
	  "{\"Records\": [{\"s3\": {\"object\": {\"key\": \"a+b%2F..%2Fc.txt\", \"size\": 3}}}]}",
	  { { "$.Records[0].s3.object.key", "a b/../c.txt", V } }, { "a+b%2F..%2Fc.txt" }, 0 },
	{ "not base64 after all: kept raw",
	  "{\"Records\": [{\"kinesis\": {\"data\": \"not base64!\"}}]}",
	  { { "$.Records[0].kinesis.data", "not base64!", V } }, {}, 0 },
	{ "not JSON is a limit", "hello", {}, {}, 1 },
	{ "trailing garbage is a limit", "{\"a\": 1} x", {}, {}, 1 },
	{ "a string that merely starts with { stays a string", "{\"a\": \"{not json\"}",
	  { { "$.a", "{not json", V } }, {}, 0 },
	/* attack round 6: parsed as the function's parser parses */
	{ "a key with \\u0000 does not replace its twin (json-c cuts keys at NUL)",
	  "{\"q\": {\"name\": \"x' OR '1'='1\", \"name\\u0000\": \"bob\"}}",
	  { { "$.q.name", "x' OR '1'='1", V } }, {}, 0 },
	{ "base64 as lenient decoders read it: url alphabet, no padding",
	  "{\"Records\": [{\"kinesis\": {\"data\": \"eyJjIjogIng7IGNhdCAvZXRjL3Bhc3N3ZCA-Pj9-In0\"}}]}",
	  { { "$.Records[0].kinesis.data.c", "x; cat /etc/passwd >>?~", V } }, {}, 0 },
	{ "a body that is a JSON string is its decoded text",
	  "{\"requestContext\": {}, \"httpMethod\": \"POST\", \"body\": \" \\\"\\\\u0078\\\\u003b id\\\"\"}",
	  { { "$.body", "x; id", V } }, {}, 0 },
	{ "a quoted cookie value as http.cookies reads it",
	  "{\"requestContext\": {}, \"httpMethod\": \"GET\", \"headers\": {\"Cookie\": \"q=\\\"x\\\\073 id\\\"\"}}",
	  { { "$.headers.Cookie.q", "x; id", V } }, {}, 0 },
	{ "odd key names are bracketed", "{\"a b\": {\"q\\\"x\": 1}}",
	  { { "$[\"a b\"][\"q\\\"x\"]", "1", V } }, {}, 0 },
	/* the firewall's own JSON reader (pjson.c) */
	{ "duplicate keys: every value is inspected (json-c kept the last only)",
	  "{\"q\": \"x' OR '1'='1\", \"q\": \"clean\"}",
	  { { "$.q", "x' OR '1'='1", V }, { "$.q", "clean", V } }, {}, 0 },
	{ "a huge number is its text (json-c saturated it)", "{\"n\": 123456789012345678901234567890}",
	  { { "$.n", "123456789012345678901234567890", V } }, {}, 0 },
	{ "isBase64Encoded a string: handlers differ (truthy, or Jackson's \"false\"), the body read both ways",
	  "{\"requestContext\": {}, \"httpMethod\": \"POST\", \"isBase64Encoded\": \"false\", \"body\": \"eyJhIjoiYiJ9\"}",
	  { { "$.body.a", "b", V }, { "$.body", "eyJhIjoiYiJ9", V } }, {}, 0 },
	{ "the last content-type of duplicates decides (the one the handler's dict keeps)",
	  "{\"requestContext\": {}, \"httpMethod\": \"POST\", \"headers\": {\"content-type\": \"text/plain\","
	  " \"content-type\": \"application/x-www-form-urlencoded\"}, \"body\": \"a=b%27c\"}",
	  { { "$.body.a", "b'c", V } }, {}, 0 },
	{ "NaN is a number (Python reads it)", "{\"a\": NaN, \"b\": \"x\"}", { { "$.a", "NaN", V } }, {}, 0 },
	{ "a leading BOM is a limit", "\xef\xbb\xbf{\"a\": 1}", {}, {}, 1 },
	{ "UTF-32 with a surrogate code point: Python reads it (surrogatepass; attack round 9)",
	  "{\"requestContext\": {}, \"httpMethod\": \"POST\", \"isBase64Encoded\": true, \"body\": \"//4AAHsAAAAiAAAAegAAACIAAAA6AAAAIgAAAADYAAAiAAAALAAAACIAAABxAAAAIgAAADoAAAAiAAAAegAAAGUAAABkAAAAJwAAACAAAABPAAAAUgAAACAAAAAnAAAAMQAAACcAAAA9AAAAJwAAADEAAAAiAAAAfQAAAA==\"}",
	  { { "$.body.q", "zed' OR '1'='1", V } }, {}, 0 },
	{ "a base64 body in UTF-16-LE is walked as Python's json.loads(bytes) reads it (attack round 8)",
	  "{\"requestContext\": {}, \"httpMethod\": \"POST\", \"isBase64Encoded\": true, \"body\": \"ewAiAHEAIgA6ACAAIgAnACAATwBSACAAMQA9ADEALQAtACIAfQA=\"}",
	  { { "$.body.q", "' OR 1=1--", V } }, {}, 0 },
	{ "a base64 body in UTF-16-BE with its mark is walked as Python's json.loads(bytes) reads it (attack round 8)",
	  "{\"requestContext\": {}, \"httpMethod\": \"POST\", \"isBase64Encoded\": true, \"body\": \"/v8AewAiAHEAIgA6ACAAIgAnACAATwBSACAAMQA9ADEALQAtACIAfQ==\"}",
	  { { "$.body.q", "' OR 1=1--", V } }, {}, 0 },
	{ "a base64 body in UTF-32-LE is walked as Python's json.loads(bytes) reads it (attack round 8)",
	  "{\"requestContext\": {}, \"httpMethod\": \"POST\", \"isBase64Encoded\": true, \"body\": \"ewAAACIAAABxAAAAIgAAADoAAAAgAAAAIgAAACcAAAAgAAAATwAAAFIAAAAgAAAAMQAAAD0AAAAxAAAALQAAAC0AAAAiAAAAfQAAAA==\"}",
	  { { "$.body.q", "' OR 1=1--", V } }, {}, 0 },
	{ "a base64 body in UTF-8 with its mark is walked as Python's json.loads(bytes) reads it (attack round 8)",
	  "{\"requestContext\": {}, \"httpMethod\": \"POST\", \"isBase64Encoded\": true, \"body\": \"77u/eyJxIjogIicgT1IgMT0xLS0ifQ==\"}",
	  { { "$.body.q", "' OR 1=1--", V } }, {}, 0 },
};

static bool has_leaf(const struct fng_pwalk_list *l, const struct want *w)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].path, w->path) && !strcmp(l->v[i].value, w->value) && l->v[i].kind == w->kind)
			return true;
	return false;
}

static void dump(const struct fng_pwalk_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		fprintf(stderr, "  %s %s = %s\n", l->v[i].kind == K ? "key" : "val", l->v[i].path, l->v[i].value);
}

static void walk_cases(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const struct wcase *t = &cases[c];
		struct fng_pwalk_list l;
		assert_int_equal(fng_pwalk(t->event, strlen(t->event), NULL, &l), 0);
		bool ok = l.limit == (bool)t->limit;
		for (size_t i = 0; i < 8 && t->has[i].path; i++)
			if (!has_leaf(&l, &t->has[i])) {
				fprintf(stderr, "missing %s = %s\n", t->has[i].path, t->has[i].value);
				ok = false;
			}
		for (size_t i = 0; i < 4 && t->hasnt[i]; i++)
			for (size_t j = 0; j < l.n; j++)
				if (l.v[j].kind == V && !strcmp(l.v[j].value, t->hasnt[i])) {
					fprintf(stderr, "unexpected leaf %s = %s\n", l.v[j].path, t->hasnt[i]);
					ok = false;
				}
		if (!ok) {
			fprintf(stderr, "case '%s' (limit %d):\n", t->name, l.limit);
			dump(&l);
		}
		assert_true(ok);
		fng_pwalk_free(&l);
	}
}

/* \u0000 is a NUL byte in the value, as the function's parser reads it
 * (it was U+2400 through json-c). */
static void nul_in_values(void **state)
{
	const char *ev = "{\"f\": \"a.php\\u0000.png\"}";
	struct fng_pwalk_list l;
	bool found = false;

	(void)state;
	assert_int_equal(fng_pwalk(ev, strlen(ev), NULL, &l), 0);
	for (size_t i = 0; i < l.n; i++)
		found |= l.v[i].kind == V && l.v[i].len == 10 && !memcmp(l.v[i].value, "a.php\0.png", 10);
	assert_true(found);
	fng_pwalk_free(&l);
}

static void limits_are_findings(void **state)
{
	(void)state;
	struct fng_pwalk_list l;
	struct fng_pwalk_limits few = { 64, 3, 1 << 20 }, small = { 64, 100, 5 }, shallow = { 3, 100, 1 << 20 };
	const char *ev = "{\"a\": \"1\", \"b\": \"2\", \"c\": \"3\"}";

	assert_int_equal(fng_pwalk(ev, strlen(ev), &few, &l), 0);
	assert_true(l.limit);
	assert_string_equal(l.why, "too many values");
	fng_pwalk_free(&l);
	assert_int_equal(fng_pwalk(ev, strlen(ev), &small, &l), 0);
	assert_true(l.limit);
	assert_string_equal(l.why, "too many bytes of values");
	fng_pwalk_free(&l);
	const char *deep = "{\"a\": {\"b\": {\"c\": {\"d\": 1}}}}";
	assert_int_equal(fng_pwalk(deep, strlen(deep), &shallow, &l), 0);
	assert_true(l.limit);
	fng_pwalk_free(&l);
	/* nesting through JSON-in-strings counts too */
	const char *nest = "{\"a\": \"{\\\"b\\\": \\\"{\\\\\\\"c\\\\\\\": {\\\\\\\"d\\\\\\\": 1}}\\\"}\"}";
	assert_int_equal(fng_pwalk(nest, strlen(nest), &shallow, &l), 0);
	assert_true(l.limit);
	fng_pwalk_free(&l);
	/* the reader's tree is bounded too: values that make no leaf (nulls) count */
	char nulls[5 * 5000 + 2] = "[";
	for (int i = 0; i < 5000; i++)
		strcat(nulls, i ? ",null" : "null");
	strcat(nulls, "]");
	assert_int_equal(fng_pwalk(nulls, strlen(nulls), &few, &l), 0);
	assert_true(l.limit);
	assert_string_equal(l.why, "too many values");
	fng_pwalk_free(&l);
	const char *flat = "{\"a\": 1}";
	assert_int_equal(fng_pwalk(flat, strlen(flat), &shallow, &l), 0);
	assert_false(l.limit);
	fng_pwalk_free(&l);
}

struct pcase {
	const char *pattern, *path;
	bool match;
};

static const struct pcase pcases[] = {
	{ "$.body.comment", "$.body.comment", true },
	{ "$.body.comment", "$.body.comments", false },
	{ "$.body.comment", "$.body", false },
	{ "$.body.*", "$.body.comment", true },
	{ "$.body.*", "$.body.a.b", false },
	{ "$.items[*].html", "$.items[3].html", true },
	{ "$.items[2].html", "$.items[3].html", false },
	{ "$.**.html", "$.a.b[1].html", true },
	{ "$.**.html", "$.html", true },
	{ "$.**", "$.anything[0].x", true },
	{ "$.headers.**", "$.body", false },
	{ "$[\"a b\"].c", "$[\"a b\"].c", true },
	{ "$.a", "$[\"a\"]", true },
	{ "$.*", "$[\"$where\"]", true },
	{ "body", "$.body", false },
};

static void path_patterns(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(pcases) / sizeof(pcases[0]); i++) {
		bool m = fng_pwalk_path_match(pcases[i].pattern, pcases[i].path);
		if (m != pcases[i].match)
			fprintf(stderr, "%s vs %s: got %d\n", pcases[i].pattern, pcases[i].path, m);
		assert_int_equal(m, pcases[i].match);
	}
}

static void urldecode(void **state)
{
	(void)state;
	char out[32];
	assert_int_equal(fng_pwalk_urldecode("a%2fb+c%zz%4", 12, true, out), 10);
	assert_string_equal(out, "a/b c%zz%4");
	assert_int_equal(fng_pwalk_urldecode("a+b%00", 6, false, out), 4);
	assert_memory_equal(out, "a+b\0", 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(walk_cases),
		cmocka_unit_test(limits_are_findings),
		cmocka_unit_test(nul_in_values),
		cmocka_unit_test(path_patterns),
		cmocka_unit_test(urldecode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
