/* SQL injection in a numeric context by a function over a column: the
 * whole value an SQL expression that calls one of SQL's scalar functions on
 * a name (WHERE rowid = %s with glob('??P*',secret), instr(secret,'TOPS'),
 * unicode(secret)-83, abs(length(secret)-12)): each guess reads a column
 * blind (outside attack round 11: 780 guesses recovered a secret). A value
 * that only calls on literals (min(3,4), length('abc')) reads nothing; prose
 * after the call ends it as not SQL. Pure. */
#include "common/ascii.h"
#include <string.h>

#include "policy/payload/detect.h"

static const char *const sf_funcs[] = { "glob", "instr", "unicode", "length", "substr", "substring", "abs",
					"hex", "char", "ascii", "ord", "mid", "lower", "upper", "trim", "ltrim",
					"rtrim", "replace", "coalesce", "ifnull", "nullif", "iif", "unhex", "quote",
					"typeof", "round", "min", "max", "sum", "count", "avg", "total", "sign",
					"locate", "position", "left", "right", "like", "char_length", "octet_length",
					"bit_length", "soundex", "reverse", "concat", NULL };

/* A function name of the list at s[i], touching its '(': the '(''s index,
 * or 0. */
static size_t sf_call(const char *s, size_t len, size_t i)
{
	size_t e = i;

	while (e < len && (fng_isalpha((unsigned char)s[e]) || s[e] == '_'))
		e++;
	if (e == i || e >= len || s[e] != '(' || (i > 0 && (fng_isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_')))
		return 0;
	for (size_t k = 0; sf_funcs[k]; k++)
		if (e - i == strlen(sf_funcs[k]) && !memcmp(s + i, sf_funcs[k], e - i))
			return e;
	return 0;
}

bool fng_fw_sql_fncall(const char *s, size_t len, struct fng_fw_hit *h)
{
	size_t i = 0, depth = 0, start;
	bool name = false, called = false;

	while (i < len && fng_isspace((unsigned char)s[i]))
		i++;
	start = i;
	if (i >= len || !sf_call(s, len, i))
		return false;
	while (i < len) {
		char c = s[i];
		size_t p;
		if (fng_isspace((unsigned char)c)) {
			i++;
		} else if (c == '\'' || c == '"') { /* a literal: '' inside it doubles the quote */
			for (i++; i < len && !(s[i] == c && (i + 1 >= len || s[i + 1] != c)); i += 1 + (s[i] == c))
				;
			if (i >= len)
				return false;
			i++;
		} else if ((p = sf_call(s, len, i)) != 0) {
			called = true;
			i = p;
		} else if (fng_isalpha((unsigned char)c) || c == '_') {
			size_t e = i;
			while (e < len && (fng_isalnum((unsigned char)s[e]) || s[e] == '_'))
				e++;
			if (depth == 0)
				return false; /* a word outside the call: prose */
			name = true;
			i = e;
		} else if (c == '(') {
			depth++;
			i++;
		} else if (c == ')') {
			if (depth == 0)
				return false;
			depth--;
			i++;
		} else if (fng_isdigit((unsigned char)c) || strchr("+-*/%<>=!,.|", c)) {
			i++;
		} else {
			return false;
		}
	}
	if (!called || !name || depth != 0)
		return false;
	h->start = start;
	h->end = len;
	h->why = "an SQL function over a column as a value";
	return true;
}
