/* Code injection, the value as an evaluator reads it: a value that is,
 * whole, a Python or JavaScript expression calling a method on an object
 * (DB.execute('…').fetchall(), JSON.stringify(process.env),
 * subprocess.getoutput('id')). eval() of such a value runs whatever the
 * function's scope holds, with no marker word to find: the shape is the
 * finding. A small tokeniser: names, numbers, strings, operators and
 * brackets; two operands in a row (prose: "call db.open() first"), an
 * unbalanced bracket, a URL's "://" or a '#' end it as not code. Also the
 * value broken out of a string into such an expression ('+x.y()+'). Pure. */
#include "common/ascii.h"
#include <string.h>

#include "policy/payload/detect.h"

/* Words that join operands in Python or JavaScript (operators, not names). */
static const char *const cx_ops[] = { "and", "or", "not", "in", "is", "if", "else", "for", "lambda", "await",
				      "new", "typeof", "instanceof", "void", "of", "delete", NULL };

static bool cx_name0(char c)
{
	return fng_isalpha((unsigned char)c) || c == '_' || c == '$';
}

static bool cx_namec(char c)
{
	return fng_isalnum((unsigned char)c) || c == '_' || c == '$';
}

/* A string literal at s[i] ('…', "…", `…`, backslash escapes): its end, or
 * 0 when it does not close. */
static size_t cx_string(const char *s, size_t len, size_t i)
{
	for (size_t j = i + 1; j < len; j++) {
		if (s[j] == '\\')
			j++;
		else if (s[j] == s[i])
			return j + 1;
	}
	return 0;
}

struct cx_state {
	bool operand;	/* the last token was an operand (a name, literal, closing bracket) */
	bool dot_name;	/* the last operand was a name after '.' (an attribute) */
	bool result;	/* the last operand was a call's or subscript's result */
	size_t calls;	/* method calls that reach into scope */
	size_t first;	/* where the first one is */
	int depth, in_call; /* open brackets; of them, call parentheses */
	char stack[32]; /* open brackets ('C': a call's) */
};

/* A call's argument list at s[i] (after '(') starts with the scope itself
 * (this, window, globalThis, global) or an SQL statement ('SELECT …',
 * "DROP …"). */
static bool cx_reach_arg(const char *s, size_t len, size_t i)
{
	static const char *const stmt[] = { "select ", "insert ", "update ", "delete ", "drop ", "create ", "alter ",
					    "pragma ", "attach ", "replace ", NULL };
	static const char *const scope[] = { "this", "window", "global", "globalthis", "self", NULL };
	while (i < len && s[i] == ' ')
		i++;
	size_t e = i;
	while (e < len && cx_namec(s[e]))
		e++;
	for (size_t k = 0; scope[k] && e > i; k++)
		if (e - i == strlen(scope[k]) && !memcmp(s + i, scope[k], e - i) && (e == len || !cx_namec(s[e])))
			return true;
	if (i >= len || (s[i] != '\'' && s[i] != '"'))
		return false;
	for (size_t k = 0; stmt[k]; k++)
		if (len - i - 1 >= strlen(stmt[k]) && !memcmp(s + i + 1, stmt[k], strlen(stmt[k])))
			return true;
	return false;
}

/* The name that ends at s[e] (exclusive) is one of the list: the builtins
 * through which an eval()ed expression reaches files, the scope or more
 * code without a method call (round 11: next(open('creds.txt')),
 * print(x, file=open('f','w')), vars(), map(exec, …)). */
static bool cx_name_is(const char *s, size_t e, const char *const *list)
{
	size_t b = e;

	while (b > 0 && cx_namec(s[b - 1]))
		b--;
	if (b > 0 && s[b - 1] == '.')
		return false; /* a method of that name: judged as one */
	for (size_t k = 0; list[k]; k++)
		if (e - b == strlen(list[k]) && !memcmp(s + b, list[k], e - b))
			return true;
	return false;
}

static const char *const cx_sys_calls[] = { "open", "vars", "dir", "globals", "locals", "getattr", "setattr",
					    "exec", "eval", "compile", "__import__", "breakpoint", "require", NULL };
static const char *const cx_sys_names[] = { "exec", "eval", "compile", "__import__", "open", NULL };

/* A closing or opening bracket at s[i]; false when it cannot be one. */
static bool cx_bracket(struct cx_state *st, const char *s, size_t len, size_t i)
{
	char c = s[i];

	if (c == '(' || c == '[' || c == '{') {
		if (st->depth >= (int)sizeof(st->stack))
			return false;
		bool call = c == '(' && st->operand;
		if (call && !st->dot_name && i > 0 && cx_name_is(s, i, cx_sys_calls) && !st->calls++)
			st->first = i; /* open(…), vars(): touching its '(' */
		if (call && st->dot_name) { /* a method call: x.y( ... */
			size_t j = i + 1;
			while (j < len && s[j] == ' ')
				j++;
			/* it reaches into scope: called on a result (db.execute(..).fetchall()), inside
			 * another call's arguments, without arguments (os.getcwd()), on the scope (Object.keys(this)) or running SQL;
			 * "x.y (" with a space only with code arguments (not a filename's "(copy)") */
			bool reach = st->result || st->in_call > 0 || (j < len && s[j] == ')') || cx_reach_arg(s, len, i + 1);
			if (reach && (i == 0 || s[i - 1] != ' ' || (j < len && (s[j] == ')' || s[j] == '\'' || s[j] == '"'))) &&
			    !st->calls++)
				st->first = i;
		}
		st->in_call += call;
		st->stack[st->depth++] = call ? 'C' : c;
		st->operand = st->dot_name = st->result = false;
		return true;
	}
	char open = c == ')' ? '(' : c == ']' ? '[' : '{';
	if (st->depth == 0 || (st->stack[st->depth - 1] != open && !(open == '(' && st->stack[st->depth - 1] == 'C')))
		return false;
	st->in_call -= st->stack[--st->depth] == 'C';
	st->operand = true;
	st->dot_name = false;
	st->result = c != '}';
	return true;
}

/* The value from i on is, whole, an expression with a method call; tail:
 * an unclosed string may end it (a break-out's trailing quote). */
static bool cx_expr(const char *s, size_t len, size_t i, bool tail, size_t *at)
{
	struct cx_state st = { 0 };
	bool after_dot = false;

	while (i < len) {
		char c = s[i];
		if (fng_isspace((unsigned char)c)) {
			i++;
			continue;
		}
		if (cx_name0(c) || fng_isdigit((unsigned char)c)) {
			size_t j = i;
			while (j < len && (cx_namec(s[j]) || (fng_isdigit((unsigned char)c) && s[j] == '.')))
				j++;
			bool op = false;
			for (size_t k = 0; cx_ops[k] && !after_dot; k++)
				op |= j - i == strlen(cx_ops[k]) && !memcmp(s + i, cx_ops[k], j - i);
			if (!op && st.operand)
				return false; /* two operands in a row: prose */
			/* exec passed as a value to a call: map(exec, [...]) */
			if (!op && !after_dot && st.in_call > 0 && (j == len || s[j] != '(') &&
			    cx_name_is(s, j, cx_sys_names) && !st.calls++)
				st.first = i;
			st.operand = !op;
			st.result = after_dot && st.result; /* x.y().z: still the result's */
			st.dot_name = after_dot && cx_name0(c);
			after_dot = false;
			i = j;
			continue;
		}
		if (c == '\'' || c == '"' || c == '`') {
			size_t e = cx_string(s, len, i);
			if (!e)
				return tail && st.depth == 0 && !st.operand && st.calls && !memchr(s + i + 1, c, len - i - 1);
			if (st.operand)
				return false;
			st.operand = true;
			st.dot_name = after_dot = st.result = false;
			i = e;
			continue;
		}
		if (c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}') {
			if (!cx_bracket(&st, s, len, i))
				return false;
			after_dot = false;
			i++;
			continue;
		}
		if (c == ':' && i + 2 < len && s[i + 1] == '/' && s[i + 2] == '/')
			return false; /* a URL */
		if (!strchr("+-*/%<>=!&|^~?:,.;@", c) || !c)
			return false; /* '#' (a comment, a fragment), non-ASCII: not code here */
		after_dot = c == '.' && st.operand && !(i + 1 < len && s[i + 1] == '.');
		st.operand = false;
		st.dot_name = false;
		st.result = st.result && after_dot; /* through the '.' of a chain only */
		i++;
	}
	*at = st.first;
	return st.depth == 0 && st.calls > 0;
}

bool fng_fw_code_expr(const char *s, size_t len, struct fng_fw_hit *h)
{
	size_t i = 0, at = 0;

	while (i < len && fng_isspace((unsigned char)s[i]))
		i++;
	bool ok = cx_expr(s, len, i, false, &at);
	/* broken out of a string: a quote, then an operator ('+x.y()+', '];x.y()#) */
	if (!ok && i + 1 < len && (s[i] == '\'' || s[i] == '"')) {
		size_t j = i + 1;
		while (j < len && (s[j] == ' ' || s[j] == ')' || s[j] == ']'))
			j++;
		if (j < len && strchr("+,;|&", s[j]) && s[j])
			ok = cx_expr(s, len, j + 1 + (j + 1 < len && s[j + 1] == s[j]), true, &at);
	}
	if (!ok)
		return false;
	h->start = at;
	h->end = at + 1;
	h->why = "a code expression calling a method";
	return true;
}
