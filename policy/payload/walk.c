/* Walks one invocation event into the leaves the input firewall inspects
 * (walk.h): generic JSON, JSON carried in strings, and the decodings the
 * common event shapes imply (HTTP bodies, query strings, cookies, Kinesis and
 * Firehose base64 data, S3 keys). Pure, bounded. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "common/hex.h"
#include "common/util.h"
#include "policy/payload/walk.h"

struct pwalk {
	struct fng_pwalk_limits lim;
	struct fng_pwalk_list *out;
	int err;		/* -ENOMEM */
	size_t cap;		/* of out->v */
	size_t hint;		/* its first size: about one value per 16 bytes of event */
};

static void pw_limit(struct pwalk *w, const char *why)
{
	if (!w->out->limit) {
		w->out->limit = true;
		fng_strlcpy(w->out->why, why, sizeof(w->out->why));
	}
}

/* Can the walk go on? */
static bool pw_go(const struct pwalk *w)
{
	return !w->err && !w->out->limit;
}

/* Paths and values live in blocks that never move (freed with the
 * list): one allocation per block, not two per value. */
#define PW_BLOCK (64u * 1024)

struct pw_block {
	struct pw_block *next;
	size_t used, cap;
	char data[];
};

static char *pw_alloc(struct pwalk *w, size_t n)
{
	struct pw_block *b = w->out->arena;

	if (!b || b->cap - b->used < n) {
		size_t cap = n > PW_BLOCK ? n : PW_BLOCK;
		struct pw_block *nb = malloc(sizeof(*nb) + cap);
		if (!nb) {
			w->err = -ENOMEM;
			return NULL;
		}
		nb->used = 0;
		nb->cap = cap;
		if (b && n > PW_BLOCK) { /* a big value: its own block, behind the current one */
			nb->next = b->next;
			b->next = nb;
			nb->used = n;
			return nb->data;
		}
		nb->next = b;
		w->out->arena = b = nb;
	}
	char *p = b->data + b->used;
	b->used += n;
	return p;
}

static void pw_emit(struct pwalk *w, const char *path, const char *s, size_t len,
		    unsigned kind, unsigned origin)
{
	struct fng_pwalk_list *l = w->out;
	struct fng_pwalk_leaf *leaf;

	if (!pw_go(w))
		return;
	if (l->n >= w->lim.max_leaves) {
		pw_limit(w, "too many values");
		return;
	}
	if (len > w->lim.max_bytes - l->bytes) {
		pw_limit(w, "too many bytes of values");
		return;
	}
	if (l->n == w->cap) { /* first sized from the event, then doubled: no copies */
		size_t cap = w->cap ? w->cap * 2 : w->hint;
		struct fng_pwalk_leaf *t = reallocarray(l->v, cap, sizeof(*t));
		if (!t) {
			w->err = -ENOMEM;
			return;
		}
		l->v = t;
		w->cap = cap;
	}
	size_t pl = strlen(path);
	char *p = pw_alloc(w, pl + 1 + len + 1);
	if (!p)
		return;
	leaf = &l->v[l->n++];
	memcpy(p, path, pl + 1);
	memcpy(p + pl + 1, s, len);
	p[pl + 1 + len] = '\0';
	leaf->path = p;
	leaf->value = p + pl + 1;
	leaf->len = len;
	leaf->kind = kind;
	leaf->origin = origin;
	l->bytes += len;
}

/* A name path components can write bare (.name). */
static bool pw_bare(const char *s, size_t len)
{
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* out = parent + one component (name, or index when name is NULL). out
 * holds FNG_PWALK_PATH_MAX bytes; a longer path ends in "...". */
static void pw_child(char *out, const char *parent, const char *name, size_t nlen, size_t idx)
{
	size_t o = strlen(parent);
	size_t cap = FNG_PWALK_PATH_MAX - 4;

	memcpy(out, parent, o + 1);
	if (o >= cap)
		return;
	if (!name) {
		o += (size_t)snprintf(out + o, FNG_PWALK_PATH_MAX - o, "[%zu]", idx);
	} else if (pw_bare(name, nlen)) {
		out[o++] = '.';
		for (size_t i = 0; i < nlen && o < cap; i++)
			out[o++] = name[i];
	} else {
		out[o++] = '[';
		out[o++] = '"';
		for (size_t i = 0; i < nlen && o < cap - 2; i++) {
			unsigned char c = (unsigned char)name[i];
			if (c == '"' || c == '\\')
				out[o++] = '\\';
			out[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
		}
		out[o++] = '"';
		out[o++] = ']';
	}
	if (o >= cap)
		memcpy(out + cap, "...", 4);
	else
		out[o] = '\0';
}


static void pw_json(struct pwalk *w, struct json_object *o, const char *path, unsigned depth, unsigned origin);
static void pw_text(struct pwalk *w, const char *path, const char *s, size_t len, unsigned depth,
		    unsigned origin, const char *ctype);


/* Parses s as one whole JSON document (strict), or NULL. A depth overflow
 * is a limit. */
static struct json_object *pw_parse(struct pwalk *w, const char *s, size_t len, unsigned depth)
{
	if (len > (size_t)1 << 30 || depth >= w->lim.max_depth)
		return NULL;
	errno = 0;
	autofree char *nul = fng_pwalk_nul_unescape(s, len);
	if (nul)
		s = nul;
	else if (errno == ENOMEM) {
		w->err = -ENOMEM;
		return NULL;
	}
	struct json_tokener *tok = json_tokener_new_ex((int)(w->lim.max_depth - depth));
	if (!tok) {
		w->err = -ENOMEM;
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	struct json_object *o = json_tokener_parse_ex(tok, s, (int)len);
	enum json_tokener_error e = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (e == json_tokener_error_depth)
		pw_limit(w, "JSON nested too deep");
	if (o && e == json_tokener_success) {
		while (end < len && (s[end] == ' ' || s[end] == '\t' || s[end] == '\n' || s[end] == '\r'))
			end++;
		if (end == len)
			return o;
	}
	json_object_put(o);
	return NULL;
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
		struct json_object *o = pw_parse(w, s, len, depth + 1);
		if (o) {
			bool scalar = json_object_is_type(o, json_type_string);
			pw_json(w, o, path, depth + 1, origin | FNG_PWALK_NESTED);
			json_object_put(o);
			if (!scalar)
				return true;
		}
	}
	pw_emit(w, path, s, len, FNG_PWALK_VALUE, origin);
	return false;
}

/* The value (or key), and its percent-decoding too when that differs
 * (paths, parameters some code decodes again). */
static void pw_string_dec(struct pwalk *w, const char *path, const char *s, size_t len, unsigned depth,
			  unsigned origin, bool plus, bool key)
{
	if (key)
		pw_emit(w, path, s, len, FNG_PWALK_KEY, origin);
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
		pw_emit(w, path, d, n, FNG_PWALK_KEY, origin | FNG_PWALK_URLDEC);
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
	for (size_t i = 0; i < len && pw_go(w);) {
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
		pw_child(p, path, buf, kn, 0);
		pw_emit(w, p, buf, kn, FNG_PWALK_KEY, origin | FNG_PWALK_URLDEC);
		if (!eq)
			continue;
		size_t vn = fng_pwalk_urldecode(eq + 1, plen - klen - 1, plus, buf);
		pw_string(w, p, buf, vn, depth + 1, origin | FNG_PWALK_URLDEC);
		/* a quoted cookie value, as Python's http.cookies reads it (\073: ';') */
		if (sep == ';' && (vn = fng_pwalk_cookie_unquote(eq + 1, plen - klen - 1, buf)) != (size_t)-1)
			pw_string(w, p, buf, vn, depth + 1, origin);
	}
}

/* Base64 data (Kinesis, Firehose, Kafka, HTTP bodies): walked decoded. Not
 * strict base64: walked as the lenient decoders read it and as it is (a
 * strict consumer fails on it, a lenient one reads the former). */
static void pw_b64_text(struct pwalk *w, const char *path, const char *s, size_t len, unsigned depth,
			unsigned origin, const char *ctype)
{
	size_t n = 0;
	autofree char *d = NULL;
	int r = fng_pwalk_b64(s, len, false, &d, &n);

	if (r == 0) {
		pw_text(w, path, d, n, depth + 1, origin | FNG_PWALK_B64, ctype);
		return;
	}
	if (r == -EINVAL && fng_pwalk_b64(s, len, true, &d, &n) == 0)
		pw_text(w, path, d, n, depth + 1, origin | FNG_PWALK_B64, ctype);
	else
		w->err = -ENOMEM;
	pw_string(w, path, s, len, depth, origin);
}

/* A body: form-encoded when its content type says so (and also when it
 * has no JSON shape and reads as a form, for code that parses any body);
 * JSON when it parses; else one leaf. */
static void pw_text(struct pwalk *w, const char *path, const char *s, size_t len, unsigned depth,
		    unsigned origin, const char *ctype)
{
	if (depth >= w->lim.max_depth) {
		pw_limit(w, "values nested too deep");
		return;
	}
	if (ctype && strcasestr(ctype, "application/x-www-form-urlencoded")) {
		pw_pairs(w, path, s, len, depth, origin, '&', true);
		return;
	}
	if (!pw_string(w, path, s, len, depth, origin) && memchr(s, '=', len) && !memchr(s, '\n', len) &&
	    (memchr(s, '&', len) || memchr(s, '%', len) || memchr(s, '+', len)))
		pw_pairs(w, path, s, len, depth, origin, '&', true);
}

/* A member of obj by name, case-insensitively (HTTP header names). */
static struct json_object *pw_header(struct json_object *hdrs, const char *name)
{
	if (!json_object_is_type(hdrs, json_type_object))
		return NULL;
	json_object_object_foreach(hdrs, k, v) {
		if (!strcasecmp(k, name)) {
			if (json_object_is_type(v, json_type_array))
				v = json_object_array_get_idx(v, 0);
			return json_object_is_type(v, json_type_string) ? v : NULL;
		}
	}
	return NULL;
}

static bool pw_has(struct json_object *o, const char *key)
{
	return json_object_object_get_ex(o, key, NULL);
}

/* The top-level shape, for the members whose decoding depends on it. */
enum pw_shape { PW_PLAIN = 0, PW_HTTP, PW_ALB };

static enum pw_shape pw_shape_of(struct json_object *o)
{
	struct json_object *rc;

	if (!json_object_object_get_ex(o, "requestContext", &rc) || !json_object_is_type(rc, json_type_object))
		return PW_PLAIN;
	if (pw_has(rc, "elb"))
		return PW_ALB;
	if (pw_has(o, "httpMethod") || pw_has(o, "routeKey") || pw_has(o, "rawPath") || pw_has(o, "body"))
		return PW_HTTP;
	return PW_PLAIN;
}

/* HTTP events' headers: names and values, cookie headers split. */
static void pw_headers(struct pwalk *w, struct json_object *hdrs, const char *path, unsigned depth)
{
	char p[FNG_PWALK_PATH_MAX];

	if (!json_object_is_type(hdrs, json_type_object)) {
		pw_json(w, hdrs, path, depth, FNG_PWALK_HEADER);
		return;
	}
	json_object_object_foreach(hdrs, k, v) {
		pw_child(p, path, k, strlen(k), 0);
		pw_emit(w, p, k, strlen(k), FNG_PWALK_KEY, FNG_PWALK_HEADER);
		pw_json(w, v, p, depth + 1, FNG_PWALK_HEADER);
		if (strcasecmp(k, "cookie"))
			continue;
		for (size_t i = 0; i < (json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 1); i++) {
			struct json_object *c = json_object_is_type(v, json_type_array) ? json_object_array_get_idx(v, i) : v;
			if (json_object_is_type(c, json_type_string))
				pw_pairs(w, p, json_object_get_string(c), (size_t)json_object_get_string_len(c), depth + 1,
					 FNG_PWALK_HEADER, ';', false);
		}
	}
}

/* Strings (or arrays or maps of them) that the consumer percent-decodes. */
static void pw_decoded(struct pwalk *w, struct json_object *v, const char *path, unsigned depth, bool plus)
{
	char p[FNG_PWALK_PATH_MAX];

	if (json_object_is_type(v, json_type_string)) {
		pw_string_dec(w, path, json_object_get_string(v), (size_t)json_object_get_string_len(v), depth, 0, plus,
			      false);
	} else if (json_object_is_type(v, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(v) && pw_go(w); i++) {
			pw_child(p, path, NULL, 0, i);
			pw_decoded(w, json_object_array_get_idx(v, i), p, depth + 1, plus);
		}
	} else if (json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, k, m) {
			pw_child(p, path, k, strlen(k), 0);
			pw_string_dec(w, p, k, strlen(k), depth, 0, plus, true);
			pw_decoded(w, m, p, depth + 1, plus);
		}
	} else {
		pw_json(w, v, path, depth, 0);
	}
}

/* One member of an HTTP event (API Gateway v1/v2, function URL, ALB):
 * true when its shape-specific decoding walked it. */
static bool pw_http_member(struct pwalk *w, struct json_object *ev, enum pw_shape shape, const char *k,
			   struct json_object *v, const char *p, unsigned depth)
{
	if (!strcmp(k, "body") && json_object_is_type(v, json_type_string)) {
		struct json_object *h = pw_header(json_object_object_get(ev, "headers"), "content-type");
		if (!h)
			h = pw_header(json_object_object_get(ev, "multiValueHeaders"), "content-type");
		const char *ct = h ? json_object_get_string(h) : NULL;
		const char *s = json_object_get_string(v);
		size_t n = (size_t)json_object_get_string_len(v);
		if (json_object_get_boolean(json_object_object_get(ev, "isBase64Encoded")))
			pw_b64_text(w, p, s, n, depth, 0, ct);
		else
			pw_text(w, p, s, n, depth, 0, ct);
		return true;
	}
	if (!strcmp(k, "rawQueryString") && json_object_is_type(v, json_type_string)) {
		pw_pairs(w, p, json_object_get_string(v), (size_t)json_object_get_string_len(v), depth, 0, '&', true);
		return true;
	}
	if (!strcmp(k, "headers") || !strcmp(k, "multiValueHeaders")) {
		pw_headers(w, v, p, depth);
		return true;
	}
	if (!strcmp(k, "cookies") && json_object_is_type(v, json_type_array)) {
		char c[FNG_PWALK_PATH_MAX];
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			struct json_object *e = json_object_array_get_idx(v, i);
			pw_child(c, p, NULL, 0, i);
			if (json_object_is_type(e, json_type_string))
				pw_pairs(w, c, json_object_get_string(e), (size_t)json_object_get_string_len(e), depth + 1,
					 FNG_PWALK_HEADER, ';', false);
		}
		return true;
	}
	bool query = !strcmp(k, "queryStringParameters") || !strcmp(k, "multiValueQueryStringParameters");
	if (query || !strcmp(k, "path") || !strcmp(k, "rawPath") || !strcmp(k, "pathParameters")) {
		/* ALB passes the query as the client sent it: decoded by the app. */
		pw_decoded(w, v, p, depth, query && shape == PW_ALB);
		return true;
	}
	return false;
}

/* Record members whose data is encoded: Kinesis and Firehose `data`,
 * Kafka `value` (base64), S3 object keys (form-style percent-encoding). */
static bool pw_record_member(struct pwalk *w, struct json_object *parent, const char *pkey, const char *k,
			     struct json_object *v, const char *p, unsigned depth)
{
	if (!json_object_is_type(v, json_type_string))
		return false;
	const char *s = json_object_get_string(v);
	size_t n = (size_t)json_object_get_string_len(v);
	bool kinesis = pkey && !strcmp(pkey, "kinesis") && !strcmp(k, "data");
	bool firehose = !strcmp(k, "data") && pw_has(parent, "recordId");
	bool kafka = !strcmp(k, "value") && pw_has(parent, "topic") && pw_has(parent, "offset");
	if (kinesis || firehose || kafka) {
		pw_b64_text(w, p, s, n, depth, 0, NULL);
		return true;
	}
	if (pkey && !strcmp(pkey, "object") && !strcmp(k, "key") && pw_has(parent, "size") + pw_has(parent, "eTag") > 0) {
		autofree char *d = malloc(n + 1);
		if (!d) {
			w->err = -ENOMEM;
			return true;
		}
		size_t dn = fng_pwalk_urldecode(s, n, true, d);
		pw_emit(w, p, d, dn, FNG_PWALK_VALUE, FNG_PWALK_URLDEC);
		return true;
	}
	return false;
}

static void pw_object(struct pwalk *w, struct json_object *o, const char *path, const char *pkey,
		      unsigned depth, unsigned origin)
{
	char p[FNG_PWALK_PATH_MAX];
	enum pw_shape shape = depth == 0 ? pw_shape_of(o) : PW_PLAIN;

	json_object_object_foreach(o, k, v) {
		if (!pw_go(w))
			return;
		size_t kl = strlen(k);
		pw_child(p, path, k, kl, 0);
		pw_emit(w, p, k, kl, FNG_PWALK_KEY, origin);
		if (shape != PW_PLAIN && pw_http_member(w, o, shape, k, v, p, depth + 1))
			continue;
		if (pw_record_member(w, o, pkey, k, v, p, depth + 1))
			continue;
		if (json_object_is_type(v, json_type_object))
			pw_object(w, v, p, k, depth + 1, origin);
		else
			pw_json(w, v, p, depth + 1, origin);
	}
}

static void pw_json(struct pwalk *w, struct json_object *o, const char *path, unsigned depth, unsigned origin)
{
	char p[FNG_PWALK_PATH_MAX];

	if (!pw_go(w))
		return;
	if (depth >= w->lim.max_depth) {
		pw_limit(w, "values nested too deep");
		return;
	}
	switch (json_object_get_type(o)) {
	case json_type_object:
		pw_object(w, o, path, NULL, depth, origin);
		break;
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(o) && pw_go(w); i++) {
			pw_child(p, path, NULL, 0, i);
			pw_json(w, json_object_array_get_idx(o, i), p, depth + 1, origin);
		}
		break;
	case json_type_string:
		pw_string(w, path, json_object_get_string(o), (size_t)json_object_get_string_len(o), depth, origin);
		break;
	case json_type_null:
		break;
	default: {
		const char *s = json_object_get_string(o);
		pw_emit(w, path, s, strlen(s), FNG_PWALK_VALUE, origin);
	}
	}
}

int fng_pwalk(const char *body, size_t len, const struct fng_pwalk_limits *lim, struct fng_pwalk_list *out)
{
	struct pwalk w = { .out = out };

	memset(out, 0, sizeof(*out));
	w.lim = lim ? *lim : (struct fng_pwalk_limits){ FNG_PWALK_DEPTH, FNG_PWALK_LEAVES, FNG_PWALK_BYTES };
	w.hint = len / 16 + 64;
	if (w.hint > w.lim.max_leaves + 1)
		w.hint = w.lim.max_leaves + 1;
	struct json_object *o = pw_parse(&w, body, len, 0);
	if (!o && !w.err)
		pw_limit(&w, "the event is not JSON");
	if (o)
		pw_json(&w, o, "$", 0, 0);
	json_object_put(o);
	if (w.err) {
		fng_pwalk_free(out);
		return w.err;
	}
	return 0;
}

void fng_pwalk_free(struct fng_pwalk_list *l)
{
	for (struct pw_block *b = l->arena, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}
