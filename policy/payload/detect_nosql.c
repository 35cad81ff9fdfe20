/* The NoSQL injection detector: MongoDB query operators where the value
 * becomes part of the query (a key, a[$op] bracket form, an operator
 * object in text), judged with their operand where it decides ($type,
 * $text), and $where JavaScript that breaks out of a string or follows a
 * number. Pure. */
#include "common/ascii.h"
#include <string.h>
#include <strings.h>

#include "policy/payload/detect.h"
#include "policy/payload/walk.h"

static const char *const ns_ops[] = { "$ne", "$eq", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$regex", "$where",
				      "$exists", "$or", "$and", "$not", "$nor", "$expr", "$elemMatch", "$function",
				      "$accumulator", "$lookup", "$jsonSchema", "$type", "$size", "$all", "$mod", "$merge",
				      "$out", "$group", "$match", "$unionWith", "$set", "$unset", "$inc", "$push",
				      "$rename", "$text", NULL };
/* Operators that run code: found wherever an operand follows them
 * ($where: .., $where=.., [$where]=..). */
static const char *const ns_code[] = { "$where", "$function", "$accumulator", NULL };

/* An operator name at s (len bytes exactly, or followed by a non-word). */
static size_t ns_op(const char *s, size_t len)
{
	for (size_t k = 0; ns_ops[k]; k++) {
		size_t n = strlen(ns_ops[k]);
		if (len >= n && !strncasecmp(s, ns_ops[k], n) && (len == n || !(fng_isalnum((unsigned char)s[n]) || s[n] == '_')))
			return n;
	}
	return 0;
}

/* What "return" returns at s[i] reads as JavaScript, not prose: a call,
 * or true, false, a number, this..., !x or (x), then the end, ';', '}' or
 * an operator. */
static bool ns_js_value(const char *s, size_t len, size_t i)
{
	static const char *const vals[] = { "true", "false", "this.", "this[", "1", "0", "!", "(", NULL };
	while (i < len && s[i] == ' ')
		i++;
	/* a call: name(.name)*( (db.getCollectionNames(), sleep(1)) */
	size_t c = i;
	while (c < len && (fng_isalnum((unsigned char)s[c]) || s[c] == '_' || (s[c] == '.' && c > i)))
		c++;
	if (c > i && c < len && s[c] == '(' && fng_isalpha((unsigned char)s[i]))
		return true;
	for (size_t k = 0; vals[k]; k++) {
		size_t n = strlen(vals[k]), e = i + n;
		if (len - i < n || strncmp(s + i, vals[k], n))
			continue;
		if (vals[k][n - 1] == '.' || vals[k][n - 1] == '[' || vals[k][0] == '!' || vals[k][0] == '(')
			return true;
		while (e < len && s[e] == ' ')
			e++;
		return e >= len || (s[e] && strchr(";}|&=<>", s[e]));
	}
	return false;
}

/* A string of $where JavaScript broken out of at the quote s[q]: then
 * ||, && or ';' and, within the next 64 bytes, what only JavaScript reads
 * there (==, !=, this.x, while(, sleep(, function(, return and a value),
 * or || true. The end of what was read, or 0. */
static size_t ns_js_breakout(const char *s, size_t len, size_t q)
{
	static const char *const js[] = { "==", "!=", "this.", "this[", "while(", "sleep(", "function(", NULL };
	size_t a = q + 1;

	while (a < len && s[a] == ' ')
		a++;
	if (a + 1 >= len || !((s[a] == '|' && s[a + 1] == '|') || (s[a] == '&' && s[a + 1] == '&') || s[a] == ';'))
		return 0;
	size_t w = len - a < 64 ? len - a : 64, v = a + (s[a] == ';' ? 1 : 2);
	for (size_t k = 0; js[k]; k++)
		if (fng_fw_find(s + a, w, js[k]) >= 0)
			return a + w;
	while (v < len && s[v] == ' ')
		v++;
	if (s[a] == ';' && len - v >= 7 && !strncmp(s + v, "return", 6) && ns_js_value(s, len, v + 6))
		return a + w;
	return s[a] == '|' && ns_js_value(s, len, v) ? a + w : 0; /* ' || true, ' || 1 */
}

/* The operand of an operator in text at s[a] (after its ':'): what the
 * operator needs to be one. $type takes a BSON type (a number, an alias
 * of letters, a list), not a .NET class name ("Ns.Type, Assembly");
 * $text takes an object with $search. */
static bool ns_operand(const char *op, size_t n, const char *s, size_t len, size_t a)
{
	while (a < len && (s[a] == ' ' || s[a] == ':'))
		a++;
	if (n == 5 && !strncmp(op, "$type", 5) && a < len && (s[a] == '"' || s[a] == '\'')) {
		size_t e = a + 1;
		while (e < len && fng_isalpha((unsigned char)s[e]))
			e++;
		return e < len && s[e] == s[a];
	}
	if (n == 5 && !strncmp(op, "$text", 5))
		return a < len && s[a] == '{' && fng_fw_find(s + a, len - a, "$search") >= 0;
	return true;
}

bool fng_fw_key_inert(const struct fng_pwalk_leaf *key, const struct fng_pwalk_leaf *next)
{
	bool alpha = false, dot = false;

	if (key->kind != FNG_PWALK_KEY || key->len != 5 || memcmp(key->value, "$type", 5) || next->kind != FNG_PWALK_VALUE ||
	    !next->len || strcmp(key->path, next->path))
		return false;
	for (size_t i = 0; i < next->len; i++) {
		unsigned char c = (unsigned char)next->value[i];
		if (!fng_isalnum(c) && c != '.' && c != '-')
			return true; /* ", Assembly", spaces, `1[[...]] */
		alpha |= fng_isalpha(c);
		dot |= c == '.';
	}
	return alpha && dot; /* a dotted name: no BSON alias has a dot */
}

bool fng_fw_nosql(const char *s, size_t len, bool key, const struct fng_fw_pairs *pairs, struct fng_fw_hit *h)
{
	if (key && len && s[0] == '$' && ns_op(s, len) == len)
		return fng_fw_set(h, 0, len, "a query operator as a key");
	for (const char *p = memchr(s, '$', len); p; p = memchr(p + 1, '$', len - (size_t)(p + 1 - s))) {
		size_t i = (size_t)(p - s), n = ns_op(p, len - i);
		if (!n)
			continue;
		size_t b = i, a = i + n;
		while (b > 0 && (s[b - 1] == '"' || s[b - 1] == '\'' || s[b - 1] == ' '))
			b--;
		while (a < len && (s[a] == '"' || s[a] == '\'' || s[a] == ' '))
			a++;
		if (a < len && s[a] == ':' && !ns_operand(p, n, s, len, a))
			continue;
		if ((b > 0 && (s[b - 1] == '[' || s[b - 1] == '{' || s[b - 1] == ',')) || (a < len && s[a] == ':') ||
		    (a < len && s[a] == ']'))
			return fng_fw_set(h, i, i + n, "a query operator");
	}
	/* the value in a '…' or "…" JavaScript string: its first unescaped
	 * quote of that kind ends the string, then JavaScript (' || 'a'=='a,
	 * ' ; return x ; '); a later quote is inside what follows */
	size_t first[2] = { len, len }; /* of ' and of " */
	const char *bs = memchr(s, '\\', len);
	for (int k = 0; k < 2; k++) {
		const char *q = memchr(s, "'\""[k], len);
		if (q && (!bs || bs > q)) /* no escape before it: memchr's answer */
			first[k] = (size_t)(q - s);
		for (size_t i = (size_t)(bs - s); q && bs && bs < q && i < len; i++) {
			if (s[i] == '\\') {
				i++;
			} else if (s[i] == "'\""[k]) {
				first[k] = i;
				break;
			}
		}
		size_t e = first[k] < len ? ns_js_breakout(s, len, first[k]) : 0;
		if (e)
			return fng_fw_set(h, first[k], e, "a string broken out into $where JavaScript");
	}
	/* $where JavaScript after a number: "1; return true" ends the comparison and returns */
	for (const char *p = memchr(s, ';', len); p; p = memchr(p + 1, ';', len - (size_t)(p + 1 - s))) {
		size_t i = (size_t)(p - s), b = i, a = i + 1;
		while (b > 0 && s[b - 1] == ' ')
			b--;
		while (a < len && s[a] == ' ')
			a++;
		bool lit = b > 0 && (fng_isdigit((unsigned char)s[b - 1]) ||
				     (b >= 4 && !strncmp(s + b - 4, "true", 4)) || (b >= 5 && !strncmp(s + b - 5, "false", 5)));
		if (lit && len - a >= 7 && !strncmp(s + a, "return", 6) && ns_js_value(s, len, a + 6))
			return fng_fw_set(h, i, a + 6, "a number, then $where JavaScript");
	}
	for (size_t k = 0; ns_code[k]; k++) {
		long w = fng_fw_maybe(pairs, ns_code[k]) ? fng_fw_find(s, len, ns_code[k]) : -1;
		size_t e = w >= 0 ? (size_t)w + strlen(ns_code[k]) : 0;
		while (e < len && (s[e] == ' ' || s[e] == '"' || s[e] == '\'' || s[e] == ']'))
			e++;
		if (w >= 0 && (e == len || s[e] == ':' || s[e] == '=' || s[e] == '('))
			return fng_fw_set(h, (size_t)w, e, "a query operator that runs code");
	}
	/* $where JavaScript: this.field compared or matched, or a string broken out into JS */
	long t = fng_fw_maybe(pairs, "this.") ? fng_fw_find(s, len, "this.") : -1;
	if (t >= 0) {
		const char *r = s + t + 5;
		size_t rl = len - (size_t)t - 5;
		if (fng_fw_find(r, rl, "==") >= 0 || fng_fw_find(r, rl, "!=") >= 0 || fng_fw_find(r, rl, ".match(") >= 0 ||
		    fng_fw_find(r, rl, "constructor") >= 0 || fng_fw_find(r, rl, ".length") >= 0)
			return fng_fw_set(h, (size_t)t, (size_t)t + 5, "$where JavaScript on this");
	}
	static const char *const js[] = { "';return", "\";return", "'; return", "\"; return", "';while(", "\";while(",
					  "'; while(", "';sleep(", "\";sleep(", "'; sleep(", "'||'1'=='1", "\"||\"1\"==\"1",
					  "' || '1'=='1", "'||1==1", "\"||1==1", "' || 1==1", "db.getCollection(",
					  "db.users.", "db.dropDatabase(", "mapReduce", "';var ", "\";var ", "'&&this",
					  "' && this", "\"&&this", "true, $where", "sleep(5000)", "'; return true", "\"; return true",
					  "' || true", "'||true", "\" || true", "'; }", NULL };
	/* every needle that starts with a quote has it followed by ';', '|', '&' or a space:
	 * without one of those pairs none of them is there (one test instead of 27) */
	static const char *const qpairs[] = { "';", "\";", "'|", "\"|", "'&", "\"&", "' ", "\" ", NULL };
	bool qlead = false;
	for (size_t k = 0; qpairs[k] && !qlead; k++)
		qlead = fng_fw_maybe(pairs, qpairs[k]);
	for (size_t k = 0; js[k]; k++) {
		if (!qlead && (js[k][0] == '\'' || js[k][0] == '"'))
			continue;
		long m = fng_fw_maybe(pairs, js[k]) ? fng_fw_find(s, len, js[k]) : -1;
		/* a needle led by a quote counts at the quote that ends the string */
		if (m >= 0 && (js[k][0] == '\'' || js[k][0] == '"') && (size_t)m != first[js[k][0] == '"'])
			continue;
		if (m >= 0)
			return fng_fw_set(h, (size_t)m, (size_t)m + strlen(js[k]), "a string broken out into $where JavaScript");
	}
	return false;
}
