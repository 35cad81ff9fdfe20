/* Walks one invocation event into the leaves the input firewall inspects
 * (walk.h): generic JSON, JSON carried in strings, and the decodings the
 * common event shapes imply (HTTP bodies, query strings, cookies, Kinesis and
 * Firehose base64 data, S3 keys). Pure, bounded. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/util.h"
#include "policy/payload/pjson.h"
#include "policy/payload/walk.h"
#include "policy/payload/walk_internal.h"
#include "policy/payload/jsonbytes.h"

typedef struct fng_pj_doc pw_doc;

static void pw_node(struct pwalk *w, const pw_doc *d, size_t v, const char *path, unsigned depth, unsigned origin);
static void pw_text(struct pwalk *w, const char *path, const char *s, size_t len, unsigned depth,
		    unsigned origin, const char *ctype, size_t ctlen);

/* Parses s as one whole strict JSON document into d (pjson.h): true, or
 * false (d empty). A depth overflow is a limit. */
static bool pw_parse(struct pwalk *w, const char *s, size_t len, unsigned depth, pw_doc *d)
{
	if (len > (size_t)1 << 30 || depth >= w->lim.max_depth)
		return false;
	/* a node is 32 bytes: two per value the walk may keep (and some for
	 * containers and nulls) bounds the tree */
	int r = fng_pj_parse(s, len, w->lim.max_depth - depth, w->lim.max_leaves * 2 + 4096, d);
	if (r == -ENOMEM)
		w->err = -ENOMEM;
	else if (r == FNG_PJ_DEEP)
		fng_pwalk_limit(w, "JSON nested too deep");
	else if (r == FNG_PJ_MANY)
		fng_pwalk_limit(w, "too many values");
	return r == 0;
}

/* A string value: JSON inside it is walked as JSON (what json.loads of a
 * record body sees; true), anything else is one leaf. */
static bool pw_string(struct pwalk *w, const char *path, const char *s, size_t len, unsigned depth, unsigned origin)
{
	size_t i = 0;

	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	/* a JSON string too: json.loads of "\u0078..." is its decoded text */
	if (i < len && (s[i] == '{' || s[i] == '[' || s[i] == '"')) {
		pw_doc d;
		if (pw_parse(w, s, len, depth + 1, &d)) {
			bool scalar = d.n[0].type == FNG_PJ_STR;
			pw_node(w, &d, 0, path, depth + 1, origin | FNG_PWALK_NESTED);
			fng_pj_free(&d);
			if (!scalar)
				return true;
		}
	}
	fng_pwalk_emit(w, path, s, len, FNG_PWALK_VALUE, origin);
	return false;
}

/* Does s[0, len) hold word (lower case), in any case? */
static bool pw_casefind(const char *s, size_t len, const char *word, size_t wl)
{
	for (size_t i = 0; i + wl <= len; i++)
		if (!strncasecmp(s + i, word, wl))
			return true;
	return false;
}

/* The value (or key), and its percent-decoding too when that differs
 * (paths, parameters some code decodes again). */
static void pw_string_dec(struct pwalk *w, const char *path, const char *s, size_t len, unsigned depth,
			  unsigned origin, bool plus, bool key)
{
	if (key)
		fng_pwalk_emit(w, path, s, len, FNG_PWALK_KEY, origin);
	else
		pw_string(w, path, s, len, depth, origin);
	if (!memchr(s, '%', len) && !(plus && memchr(s, '+', len)))
		return;
	autofree char *d = malloc(len + 1);
	if (!d) {
		w->err = -ENOMEM;
		return;
	}
	size_t n = fng_pwalk_urldecode(s, len, plus, d);
	if (n == len && !memcmp(s, d, len))
		return;
	if (key)
		fng_pwalk_emit(w, path, d, n, FNG_PWALK_KEY, origin | FNG_PWALK_URLDEC);
	else
		pw_string(w, path, d, n, depth, origin | FNG_PWALK_URLDEC);
}

/* name=value pairs split on sep (form bodies, query strings: '&'; cookies:
 * ';'), names and values percent-decoded ('+' as space in forms). */
static void pw_pairs(struct pwalk *w, const char *path, const char *s, size_t len, unsigned depth,
		     unsigned origin, char sep, bool plus)
{
	autofree char *buf = malloc(len + 1);
	char p[FNG_PWALK_PATH_MAX];

	if (!buf) {
		w->err = -ENOMEM;
		return;
	}
	for (size_t i = 0; i < len && fng_pwalk_go(w);) {
		const char *pair = s + i;
		const char *end = memchr(pair, sep, len - i);
		size_t plen = end ? (size_t)(end - pair) : len - i;
		i += plen + 1;
		while (sep == ';' && plen && *pair == ' ')
			pair++, plen--;
		if (!plen)
			continue;
		const char *eq = memchr(pair, '=', plen);
		size_t klen = eq ? (size_t)(eq - pair) : plen;
		size_t kn = fng_pwalk_urldecode(pair, klen, plus, buf);
		fng_pwalk_child(p, path, buf, kn, 0);
		fng_pwalk_emit(w, p, buf, kn, FNG_PWALK_KEY, origin | FNG_PWALK_URLDEC);
		if (!eq)
			continue;
		size_t vn = fng_pwalk_urldecode(eq + 1, plen - klen - 1, plus, buf);
		pw_string(w, p, buf, vn, depth + 1, origin | FNG_PWALK_URLDEC);
		/* a quoted cookie value, as Python's http.cookies reads it (\073: ';') */
		if (sep == ';' && (vn = fng_pwalk_cookie_unquote(eq + 1, plen - klen - 1, buf)) != (size_t)-1)
			pw_string(w, p, buf, vn, depth + 1, origin);
	}
}

/* Decoded bytes: walked in the encoding a runtime's JSON parser reads
 * them in (UTF-16/32 or a UTF-8 mark: jsonbytes.h), else as they are.
 * Bytes that claim UTF-16/32 but do not decode fail the handler's parse;
 * they are walked as they are. */
static void pw_bytes(struct pwalk *w, const char *path, const char *s, size_t n, unsigned depth, unsigned origin,
		     const char *ctype, size_t ctlen)
{
	autofree char *u = NULL;
	size_t un = 0;
	int r = fng_jsonbytes_utf8(s, n, &u, &un);

	if (r == -ENOMEM) {
		w->err = -ENOMEM;
		return;
	}
	size_t i = 0;
	while (r == 1 && i < un && (u[i] == ' ' || u[i] == '\t' || u[i] == '\n' || u[i] == '\r'))
		i++;
	/* binary data that merely starts with a NUL is not JSON text: as it is */
	if (r == 1 && i < un && (u[i] == '{' || u[i] == '[' || u[i] == '"'))
		pw_text(w, path, u, un, depth, origin, ctype, ctlen);
	else
		pw_text(w, path, s, n, depth, origin, ctype, ctlen);
}

/* Base64 data (Kinesis, Firehose, Kafka, HTTP bodies): walked decoded. Not
 * strict base64: walked as the lenient decoders read it and as it is (a
 * strict consumer fails on it, a lenient one reads the former). */
static void pw_b64_text(struct pwalk *w, const char *path, const char *s, size_t len, unsigned depth,
			unsigned origin, const char *ctype, size_t ctlen)
{
	size_t n = 0;
	autofree char *d = NULL;
	int r = fng_pwalk_b64(s, len, false, &d, &n);

	if (r == 0) {
		pw_bytes(w, path, d, n, depth + 1, origin | FNG_PWALK_B64, ctype, ctlen);
		return;
	}
	if (r == -EINVAL && fng_pwalk_b64(s, len, true, &d, &n) == 0)
		pw_bytes(w, path, d, n, depth + 1, origin | FNG_PWALK_B64, ctype, ctlen);
	else
		w->err = -ENOMEM;
	pw_string(w, path, s, len, depth, origin);
}

/* A body: form-encoded when its content type says so (and also when it
 * has no JSON shape and reads as a form, for code that parses any body);
 * JSON when it parses; else one leaf. */
static void pw_text(struct pwalk *w, const char *path, const char *s, size_t len, unsigned depth,
		    unsigned origin, const char *ctype, size_t ctlen)
{
	static const char form[] = "application/x-www-form-urlencoded";

	if (depth >= w->lim.max_depth) {
		fng_pwalk_limit(w, "values nested too deep");
		return;
	}
	if (ctype && pw_casefind(ctype, ctlen, form, sizeof(form) - 1)) {
		pw_pairs(w, path, s, len, depth, origin, '&', true);
		return;
	}
	if (!pw_string(w, path, s, len, depth, origin) && memchr(s, '=', len) && !memchr(s, '\n', len) &&
	    (memchr(s, '&', len) || memchr(s, '%', len) || memchr(s, '+', len)))
		pw_pairs(w, path, s, len, depth, origin, '&', true);
}

/* Member key of node m is word, in any case (HTTP header names)? */
static bool pw_keycase(const pw_doc *d, size_t m, const char *word)
{
	size_t n = strlen(word);

	return d->n[m].klen == n && !strncasecmp(d->n[m].key, word, n);
}

/* Header name of hdrs (an object), case-insensitively: the last such
 * member's string (the first of an array), or (size_t)-1. */
static size_t pw_header(const pw_doc *d, size_t hdrs, const char *name)
{
	size_t found = (size_t)-1;

	if (hdrs >= d->count || d->n[hdrs].type != FNG_PJ_OBJ)
		return found;
	for (size_t m = hdrs + 1; m < hdrs + d->n[hdrs].skip; m = fng_pj_next(d, m)) {
		if (!pw_keycase(d, m, name))
			continue;
		size_t v = m;
		if (d->n[v].type == FNG_PJ_ARR)
			v = d->n[v].len ? v + 1 : (size_t)-1;
		found = v != (size_t)-1 && d->n[v].type == FNG_PJ_STR ? v : (size_t)-1;
	}
	return found;
}

static bool pw_has(const pw_doc *d, size_t o, const char *key)
{
	return fng_pj_get(d, o, key) != (size_t)-1;
}

/* The top-level shape, for the members whose decoding depends on it. */
enum pw_shape { PW_PLAIN = 0, PW_HTTP, PW_ALB };

static enum pw_shape pw_shape_of(const pw_doc *d, size_t o)
{
	size_t rc = fng_pj_get(d, o, "requestContext");

	if (rc == (size_t)-1 || d->n[rc].type != FNG_PJ_OBJ)
		return PW_PLAIN;
	if (pw_has(d, rc, "elb"))
		return PW_ALB;
	if (pw_has(d, o, "httpMethod") || pw_has(d, o, "routeKey") || pw_has(d, o, "rawPath") || pw_has(d, o, "body"))
		return PW_HTTP;
	return PW_PLAIN;
}

/* Cookie header values (a string, or an array of them) split in pairs. */
static void pw_cookies(struct pwalk *w, const pw_doc *d, size_t v, const char *path, unsigned depth)
{
	size_t end = v + d->n[v].skip;

	for (size_t c = d->n[v].type == FNG_PJ_ARR ? v + 1 : v; c < end; c = fng_pj_next(d, c))
		if (d->n[c].type == FNG_PJ_STR)
			pw_pairs(w, path, d->n[c].s, d->n[c].len, depth + 1, FNG_PWALK_HEADER, ';', false);
}

/* HTTP events' headers: names and values, cookie headers split. */
static void pw_headers(struct pwalk *w, const pw_doc *d, size_t hdrs, const char *path, unsigned depth)
{
	char p[FNG_PWALK_PATH_MAX];

	if (d->n[hdrs].type != FNG_PJ_OBJ) {
		pw_node(w, d, hdrs, path, depth, FNG_PWALK_HEADER);
		return;
	}
	for (size_t m = hdrs + 1; m < hdrs + d->n[hdrs].skip && fng_pwalk_go(w); m = fng_pj_next(d, m)) {
		fng_pwalk_child(p, path, d->n[m].key, d->n[m].klen, 0);
		fng_pwalk_emit(w, p, d->n[m].key, d->n[m].klen, FNG_PWALK_KEY, FNG_PWALK_HEADER);
		pw_node(w, d, m, p, depth + 1, FNG_PWALK_HEADER);
		if (pw_keycase(d, m, "cookie"))
			pw_cookies(w, d, m, p, depth);
	}
}

/* Strings (or arrays or maps of them) that the consumer percent-decodes. */
static void pw_decoded(struct pwalk *w, const pw_doc *d, size_t v, const char *path, unsigned depth, bool plus)
{
	char p[FNG_PWALK_PATH_MAX];
	const struct fng_pj_node *n = &d->n[v];
	size_t i = 0;

	if (n->type == FNG_PJ_STR) {
		pw_string_dec(w, path, n->s, n->len, depth, 0, plus, false);
		return;
	}
	if (n->type != FNG_PJ_ARR && n->type != FNG_PJ_OBJ) {
		pw_node(w, d, v, path, depth, 0);
		return;
	}
	for (size_t m = v + 1; m < v + n->skip && fng_pwalk_go(w); m = fng_pj_next(d, m), i++) {
		const struct fng_pj_node *k = &d->n[m];
		fng_pwalk_child(p, path, k->key, k->klen, i);
		if (n->type == FNG_PJ_OBJ)
			pw_string_dec(w, p, k->key, k->klen, depth, 0, plus, true);
		pw_decoded(w, d, m, p, depth + 1, plus);
	}
}

/* Is v true as the handlers test it? 1: true (a JSON true); 2: true for
 * some and not others (a string, a number that is not 0: Python and
 * Node say true, Jackson reads "false" as false); 0: false. */
static int pw_truthy(const pw_doc *d, size_t v)
{
	const struct fng_pj_node *n = &d->n[v];

	if (n->type == FNG_PJ_BOOL)
		return n->s[0] == 't';
	if (n->type == FNG_PJ_STR)
		return n->len ? 2 : 0;
	if (n->type == FNG_PJ_NUM) {
		for (size_t i = 0; i < n->len && n->s[i] != 'e' && n->s[i] != 'E'; i++)
			if ((n->s[i] >= '1' && n->s[i] <= '9') || n->s[i] == 'I' || n->s[i] == 'N')
				return 2;
	}
	return 0;
}

/* An HTTP event's body: base64 when isBase64Encoded says so (both ways
 * when handlers differ on it), the content type's encoding. */
static void pw_body(struct pwalk *w, const pw_doc *d, size_t ev, size_t v, const char *p, unsigned depth)
{
	size_t h = pw_header(d, fng_pj_get(d, ev, "headers"), "content-type");
	size_t b64 = fng_pj_get(d, ev, "isBase64Encoded");
	int t = b64 == (size_t)-1 ? 0 : pw_truthy(d, b64);

	if (h == (size_t)-1)
		h = pw_header(d, fng_pj_get(d, ev, "multiValueHeaders"), "content-type");
	const char *ct = h == (size_t)-1 ? NULL : d->n[h].s;
	size_t ctl = h == (size_t)-1 ? 0 : d->n[h].len;
	if (t)
		pw_b64_text(w, p, d->n[v].s, d->n[v].len, depth, 0, ct, ctl);
	if (t != 1)
		pw_text(w, p, d->n[v].s, d->n[v].len, depth, 0, ct, ctl);
}

/* One member m of an HTTP event ev (API Gateway v1/v2, function URL,
 * ALB): true when its shape-specific decoding walked it. */
static bool pw_http_member(struct pwalk *w, const pw_doc *d, size_t ev, enum pw_shape shape, size_t m,
			   const char *p, unsigned depth)
{
	const struct fng_pj_node *v = &d->n[m];
	char c[FNG_PWALK_PATH_MAX];

	if (fng_pj_eq(v->key, v->klen, "body") && v->type == FNG_PJ_STR) {
		pw_body(w, d, ev, m, p, depth);
		return true;
	}
	if (fng_pj_eq(v->key, v->klen, "rawQueryString") && v->type == FNG_PJ_STR) {
		pw_pairs(w, p, v->s, v->len, depth, 0, '&', true);
		return true;
	}
	if (fng_pj_eq(v->key, v->klen, "headers") || fng_pj_eq(v->key, v->klen, "multiValueHeaders")) {
		pw_headers(w, d, m, p, depth);
		return true;
	}
	if (fng_pj_eq(v->key, v->klen, "cookies") && v->type == FNG_PJ_ARR) {
		size_t i = 0;
		for (size_t e = m + 1; e < m + v->skip; e = fng_pj_next(d, e), i++) {
			fng_pwalk_child(c, p, NULL, 0, i);
			if (d->n[e].type == FNG_PJ_STR)
				pw_pairs(w, c, d->n[e].s, d->n[e].len, depth + 1, FNG_PWALK_HEADER, ';', false);
		}
		return true;
	}
	bool query = fng_pj_eq(v->key, v->klen, "queryStringParameters") ||
		     fng_pj_eq(v->key, v->klen, "multiValueQueryStringParameters");
	if (query || fng_pj_eq(v->key, v->klen, "path") || fng_pj_eq(v->key, v->klen, "rawPath") ||
	    fng_pj_eq(v->key, v->klen, "pathParameters")) {
		/* ALB passes the query as the client sent it: decoded by the app. */
		pw_decoded(w, d, m, p, depth, query && shape == PW_ALB);
		return true;
	}
	return false;
}

/* Record members whose data is encoded: Kinesis and Firehose `data`,
 * Kafka `value` (base64), S3 object keys (form-style percent-encoding).
 * pkey: the name parent has in its own parent (NULL: none). */
static bool pw_record_member(struct pwalk *w, const pw_doc *d, size_t parent, const char *pkey, size_t m,
			     const char *p, unsigned depth)
{
	const struct fng_pj_node *v = &d->n[m];

	if (v->type != FNG_PJ_STR)
		return false;
	bool data = fng_pj_eq(v->key, v->klen, "data");
	bool kinesis = pkey && !strcmp(pkey, "kinesis") && data;
	bool firehose = data && pw_has(d, parent, "recordId");
	bool kafka = fng_pj_eq(v->key, v->klen, "value") && pw_has(d, parent, "topic") && pw_has(d, parent, "offset");
	if (kinesis || firehose || kafka) {
		pw_b64_text(w, p, v->s, v->len, depth, 0, NULL, 0);
		return true;
	}
	if (pkey && !strcmp(pkey, "object") && fng_pj_eq(v->key, v->klen, "key") &&
	    pw_has(d, parent, "size") + pw_has(d, parent, "eTag") > 0) {
		autofree char *dec = malloc(v->len + 1);
		if (!dec) {
			w->err = -ENOMEM;
			return true;
		}
		size_t dn = fng_pwalk_urldecode(v->s, v->len, true, dec);
		fng_pwalk_emit(w, p, dec, dn, FNG_PWALK_VALUE, FNG_PWALK_URLDEC);
		return true;
	}
	return false;
}

/* A member name as a C string for the record rules (names with a NUL or
 * longer than 15 bytes match none of them). */
static const char *pw_cname(const struct fng_pj_node *k, char *buf, size_t cap)
{
	if (!k->key || k->klen >= cap || memchr(k->key, '\0', k->klen))
		return NULL;
	memcpy(buf, k->key, k->klen);
	buf[k->klen] = '\0';
	return buf;
}

static void pw_object(struct pwalk *w, const pw_doc *d, size_t o, const char *path, const char *pkey,
		      unsigned depth, unsigned origin)
{
	char p[FNG_PWALK_PATH_MAX], kb[16];
	enum pw_shape shape = depth == 0 ? pw_shape_of(d, o) : PW_PLAIN;

	for (size_t m = o + 1; m < o + d->n[o].skip && fng_pwalk_go(w); m = fng_pj_next(d, m)) {
		const struct fng_pj_node *v = &d->n[m];
		fng_pwalk_child(p, path, v->key, v->klen, 0);
		fng_pwalk_emit(w, p, v->key, v->klen, FNG_PWALK_KEY, origin);
		if (shape != PW_PLAIN && pw_http_member(w, d, o, shape, m, p, depth + 1))
			continue;
		if (pw_record_member(w, d, o, pkey, m, p, depth + 1))
			continue;
		if (v->type == FNG_PJ_OBJ) {
			if (depth + 1 >= w->lim.max_depth) {
				fng_pwalk_limit(w, "values nested too deep");
				return;
			}
			pw_object(w, d, m, p, pw_cname(v, kb, sizeof(kb)), depth + 1, origin);
		} else {
			pw_node(w, d, m, p, depth + 1, origin);
		}
	}
}

static void pw_node(struct pwalk *w, const pw_doc *d, size_t v, const char *path, unsigned depth, unsigned origin)
{
	char p[FNG_PWALK_PATH_MAX];
	const struct fng_pj_node *n = &d->n[v];
	size_t i = 0;

	if (!fng_pwalk_go(w))
		return;
	if (depth >= w->lim.max_depth) {
		fng_pwalk_limit(w, "values nested too deep");
		return;
	}
	switch (n->type) {
	case FNG_PJ_OBJ:
		pw_object(w, d, v, path, NULL, depth, origin);
		break;
	case FNG_PJ_ARR:
		for (size_t e = v + 1; e < v + n->skip && fng_pwalk_go(w); e = fng_pj_next(d, e), i++) {
			fng_pwalk_child(p, path, NULL, 0, i);
			pw_node(w, d, e, p, depth + 1, origin);
		}
		break;
	case FNG_PJ_STR:
		pw_string(w, path, n->s, n->len, depth, origin);
		break;
	case FNG_PJ_NULL:
		break;
	default:
		fng_pwalk_emit(w, path, n->s, n->len, FNG_PWALK_VALUE, origin);
	}
}

int fng_pwalk(const char *body, size_t len, const struct fng_pwalk_limits *lim, struct fng_pwalk_list *out)
{
	struct pwalk w = { .out = out };
	pw_doc d;

	memset(out, 0, sizeof(*out));
	w.lim = lim ? *lim : (struct fng_pwalk_limits){ FNG_PWALK_DEPTH, FNG_PWALK_LEAVES, FNG_PWALK_BYTES };
	w.hint = len / 16 + 64;
	if (w.hint > w.lim.max_leaves + 1)
		w.hint = w.lim.max_leaves + 1;
	if (pw_parse(&w, body, len, 0, &d)) {
		pw_node(&w, &d, 0, "$", 0, 0);
		fng_pj_free(&d);
	} else if (!w.err) {
		fng_pwalk_limit(&w, "the event is not JSON");
	}
	if (w.err) {
		fng_pwalk_free(out);
		return w.err;
	}
	return 0;
}
