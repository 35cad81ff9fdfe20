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

/* What "return" returns at s[i] reads as JavaScript, not prose: true,
 * false, a number, this..., !x or (x), then the end, ';', '}' or an
 * operator. */
static bool ns_js_value(const char *s, size_t len, size_t i)
{
	static const char *const vals[] = { "true", "false", "this.", "this[", "1", "0", "!", "(", NULL };
	while (i < len && s[i] == ' ')
		i++;
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
	/* $where JavaScript after a number: "1; return true" ends the comparison and returns */
	for (const char *p = memchr(s, ';', len); p; p = memchr(p + 1, ';', len - (size_t)(p + 1 - s))) {
		size_t i = (size_t)(p - s), b = i, a = i + 1;
		while (b > 0 && s[b - 1] == ' ')
			b--;
		while (a < len && s[a] == ' ')
			a++;
		if (b > 0 && (fng_isdigit((unsigned char)s[b - 1]) || s[b - 1] == ')') && len - a >= 7 && !strncmp(s + a, "return", 6) &&
		    ns_js_value(s, len, a + 6))
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
		if (m >= 0)
			return fng_fw_set(h, (size_t)m, (size_t)m + strlen(js[k]), "a string broken out into $where JavaScript");
	}
	return false;
}
