/* SQL injection: a small SQL tokeniser, run on the value as if the
 * function had placed it inside a '...' or "..." literal (the tail after the
 * first unescaped quote is what breaks out) and as a bare number. A finding
 * needs the tail to form SQL: a boolean operator with a comparison,
 * literal or call; UNION SELECT; a stacked statement; a comment that cuts
 * the rest of the query; ORDER BY n. Words alone never fire. Pure. */
#include "common/ascii.h"
#include <string.h>
#include <strings.h>

#include "policy/payload/detect.h"

enum sq_type { Q_END = 0, Q_STR, Q_OPENSTR, Q_NUM, Q_WORD, Q_OP, Q_LP, Q_RP, Q_COMMA, Q_SEMI, Q_COMMENT, Q_VAR, Q_OTHER };

struct sq_tok {
	enum sq_type t;
	size_t a, b;
};

#define SQ_MAX 48 /* tokens looked at after a break-out */
/* End tokens after the last one: every look-ahead (a token after a
 * comment after a parenthesis …) past the end reads an end, never the
 * stack beyond the array (a value of 48 tokens ending in "(((" read past
 * it in sq_expr). */
#define SQ_PAD 4

static bool sq_wordc(char c)
{
	return fng_isalnum((unsigned char)c) || c == '_' || c == '$' || c == '.' || (unsigned char)c >= 0x80;
}

/* A number as a SQL lexer reads it: 0x.. hex, 0b.. bits, digits with a
 * fraction and an exponent; what follows is the next token (1e0UNION is
 * the number 1e0, then UNION). Its end. */
static size_t sq_number(const char *s, size_t len, size_t i)
{
	if (i + 1 < len && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'b')) {
		size_t j = i + 2;
		while (j < len && (s[i + 1] == 'x' ? fng_isxdigit((unsigned char)s[j]) : (s[j] == '0' || s[j] == '1')))
			j++;
		if (j > i + 2)
			return j;
	}
	while (i < len && fng_isdigit((unsigned char)s[i]))
		i++;
	if (i < len && s[i] == '.')
		for (i++; i < len && fng_isdigit((unsigned char)s[i]); i++)
			;
	if (i + 1 < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t j = i + 1 + (s[i + 1] == '+' || s[i + 1] == '-');
		if (j < len && fng_isdigit((unsigned char)s[j])) {
			while (j < len && fng_isdigit((unsigned char)s[j]))
				j++;
			i = j;
		}
	}
	/* a number glued to a word that is not a keyword reads as one word (2nd, 10px) */
	return i;
}

/* The next token at *p (whitespace and MySQL's executable comment marks
 * skipped). */
static struct sq_tok sq_next(const char *s, size_t len, size_t *p)
{
	size_t i = *p;
	struct sq_tok t = { Q_END, len, len };

	for (;;) {
		while (i < len && (fng_isspace((unsigned char)s[i]) || s[i] == '\0'))
			i++;
		if (i + 2 < len && s[i] == '/' && s[i + 1] == '*' && s[i + 2] == '!') {
			for (i += 3; i < len && fng_isdigit((unsigned char)s[i]); i++)
				;
			continue;
		}
		if (i + 1 < len && s[i] == '*' && s[i + 1] == '/') {
			i += 2;
			continue;
		}
		break;
	}
	if (i >= len) {
		*p = len;
		return t;
	}
	t.a = i;
	char c = s[i];
	if ((c == '-' && i + 1 < len && s[i + 1] == '-') || c == '#') {
		while (i < len && s[i] != '\n')
			i++;
		t.t = Q_COMMENT;
	} else if (c == '/' && i + 1 < len && s[i + 1] == '*') {
		const char *e = memmem(s + i + 2, len - i - 2, "*/", 2);
		i = e ? (size_t)(e - s) + 2 : len;
		t.t = Q_COMMENT;
	} else if (c == '\'' || c == '"') {
		t.t = Q_OPENSTR;
		for (i++; i < len; i++) {
			if (s[i] == '\\' && i + 1 < len) {
				i++;
			} else if (s[i] == c) {
				if (i + 1 < len && s[i + 1] == c) {
					i++;
					continue;
				}
				i++;
				t.t = Q_STR;
				break;
			}
		}
	} else if (c == '`') {
		const char *e = memchr(s + i + 1, '`', len - i - 1);
		i = e ? (size_t)(e - s) + 1 : len;
		t.t = Q_WORD;
	} else if (fng_isdigit((unsigned char)c)) {
		i = sq_number(s, len, i);
		t.t = Q_NUM;
	} else if (c == '@') {
		while (i < len && (s[i] == '@' || sq_wordc(s[i])))
			i++;
		t.t = Q_VAR;
	} else if (sq_wordc(c)) {
		while (i < len && sq_wordc(s[i]))
			i++;
		t.t = Q_WORD;
	} else if (strchr("=<>!|&+-*/%^~:", c)) {
		while (i < len && strchr("=<>!|&+-*/%^~:", s[i]) && s[i] &&
		       !(s[i] == '-' && i + 1 < len && s[i + 1] == '-' && i > t.a) &&
		       !(s[i] == '/' && i + 1 < len && s[i + 1] == '*'))
			i++;
		if (i == t.a)
			i++;
		t.t = Q_OP;
	} else {
		i++;
		t.t = c == '(' ? Q_LP : c == ')' ? Q_RP : c == ',' ? Q_COMMA : c == ';' ? Q_SEMI : Q_OTHER;
	}
	t.b = i;
	*p = i;
	return t;
}

/* The token is the word w, in any ASCII case (strncasecmp's, without a
 * strlen and a call per word of the long lists). */
static inline __attribute__((always_inline)) bool sq_is(const char *s, const struct sq_tok *t, const char *w)
{
	if (t->t != Q_WORD && t->t != Q_OP)
		return false;
	size_t i = 0;
	for (; t->a + i < t->b; i++) {
		unsigned char a = (unsigned char)s[t->a + i], b = (unsigned char)w[i];
		if (!b || (a >= 'A' && a <= 'Z' ? a | 0x20 : a) != (b >= 'A' && b <= 'Z' ? b | 0x20 : b))
			return false;
	}
	return !w[i];
}

static bool sq_any(const char *s, const struct sq_tok *t, const char *const *ws)
{
	if (t->t != Q_WORD && t->t != Q_OP)
		return false;
	unsigned char c = (unsigned char)s[t->a];
	c = c >= 'A' && c <= 'Z' ? c | 0x20 : c;
	for (; *ws; ws++) /* the first byte first: most words of a list differ there */
		if (((unsigned char)(*ws)[0] | ((*ws)[0] >= 'A' && (*ws)[0] <= 'Z' ? 0x20 : 0)) == c && sq_is(s, t, *ws))
			return true;
	return false;
}

static const char *const sq_logic[] = { "or", "and", "xor", "||", "&&", "div", NULL };
static const char *const sq_cmp[] = { "=", "<", ">", "<=", ">=", "!=", "<>", "<=>", "like", "rlike", "regexp",
				      "in", "is", "between", "sounds", "==", NULL };
/* Operators that join a broken-out string to an expression ('||f()||'). */
static const char *const sq_join[] = { "|", "=", "<>", "!=", "<", ">", "<=", ">=", "+", "^", "&", "*", "-", "==", NULL };
static const char *const sq_lit[] = { "true", "false", "null", NULL };
static const char *const sq_stmt[] = { "select", "insert", "update", "delete", "drop", "alter", "create", "exec",
				       "execute", "declare", "shutdown", "truncate", "grant", "waitfor", "call",
				       "replace", "rename", "set", "load", "begin", "if", NULL };
static const char *const sq_danger[] = { "sleep", "benchmark", "pg_sleep", "load_file", "extractvalue", "updatexml",
					 "xp_cmdshell", "dbms_pipe.receive_message", "utl_inaddr.get_host_address",
					 "utl_http.request", "randomblob", "sys_eval", "sys_exec", "name_const",
					 "exp", "geometrycollection", "polygon", "multipoint", "gtid_subset", "json_keys",
					 "convert", "cast", "char", "chr", "concat", "version", "database", "user",
					 "ascii", "substring", "substr", "mid", "ord", "hex", "unhex", "if", "iif",
					 "count", "group_concat", "md5", "dbms_xmlgen.getxml", "ctxsys.drithsx.sn", NULL };

/* Tokens of s from *p, comments kept, up to SQ_MAX: the count; v holds
 * SQ_MAX + SQ_PAD, the end token repeated after the last. */
static size_t sq_lex(const char *s, size_t len, size_t p, struct sq_tok *v)
{
	size_t n = 0;

	while (n < SQ_MAX) {
		v[n] = sq_next(s, len, &p);
		if (v[n].t == Q_END)
			break;
		n++;
	}
	for (size_t k = n; k < n + SQ_PAD; k++)
		v[k] = (struct sq_tok){ Q_END, len, len };
	return n;
}

/* Index of the next token at or after i that is not a comment. */
static size_t sq_skipc(const struct sq_tok *v, size_t i)
{
	while (v[i].t == Q_COMMENT)
		i++;
	return i;
}

static bool sq_operand(enum sq_type t)
{
	return t == Q_NUM || t == Q_STR || t == Q_OPENSTR || t == Q_WORD || t == Q_VAR || t == Q_LP;
}

/* An expression after a boolean operator that makes the query's logic the
 * attacker's: a call, a comparison, a subquery, a literal that ends the
 * query (quoted context: a short literal the query's own quote closes). */
static bool sq_expr(const char *s, const struct sq_tok *v, size_t i, bool quoted)
{
	i = sq_skipc(v, i);
	while (v[i].t == Q_LP || sq_is(s, &v[i], "not") || sq_is(s, &v[i], "!") || sq_is(s, &v[i], "-") ||
	       sq_is(s, &v[i], "~"))
		i = sq_skipc(v, i + 1);
	const struct sq_tok *a = &v[i];
	size_t j = sq_skipc(v, i + 1);
	if (a->t == Q_WORD && v[j].t == Q_LP)
		return true;
	if (sq_is(s, a, "select") || sq_is(s, a, "exists"))
		return true;
	if (!sq_operand(a->t))
		return false;
	if (a->t == Q_OPENSTR)
		return quoted && a->b - a->a <= 33 && !memchr(s + a->a, ' ', a->b - a->a);
	if (sq_any(s, &v[j], sq_cmp) || (v[j].t == Q_OP && !sq_is(s, &v[j], "-"))) {
		size_t r = sq_skipc(v, j + 1);
		/* a string literal right after a number or a name ("'and 1=1' here"
		 * in a literal: 1=1 ' here') is a syntax error, not a query */
		if (quoted && (v[r].t == Q_NUM || (v[r].t == Q_WORD && v[r + 1].t != Q_LP)) &&
		    (v[r + 1].t == Q_STR || v[r + 1].t == Q_OPENSTR))
			return false;
		return sq_operand(v[r].t) || sq_any(s, &v[r], sq_lit) || sq_is(s, &v[r], "null") || v[r].t == Q_LP;
	}
	bool lit = a->t == Q_NUM || a->t == Q_VAR || sq_any(s, a, sq_lit);
	return lit && (v[j].t == Q_END || v[j].t == Q_SEMI || v[j - (j > i + 1)].t == Q_COMMENT || v[j].t == Q_RP);
}

/* VALUES (...) at v[i]: a row constructor (UNION VALUES(1,2) in SQLite,
 * PostgreSQL, MySQL 8). */
static bool sq_values(const char *s, const struct sq_tok *v, size_t i)
{
	return sq_is(s, &v[i], "values") && v[sq_skipc(v, i + 1)].t == Q_LP;
}

/* A stacked statement's start at v[i] (after ';'). */
static bool sq_stacked(const char *s, const struct sq_tok *v, size_t i)
{
	i = sq_skipc(v, i);
	if (!sq_any(s, &v[i], sq_stmt))
		return false;
	const struct sq_tok *n = &v[sq_skipc(v, i + 1)];
	if (sq_is(s, &v[i], "shutdown") || sq_is(s, &v[i], "waitfor") || sq_is(s, &v[i], "declare"))
		return n->t == Q_END || n->t == Q_VAR || sq_is(s, n, "delay") || sq_is(s, n, "time") || n->t == Q_COMMENT;
	if (sq_is(s, &v[i], "select")) {
		const struct sq_tok *n2 = &v[sq_skipc(v, (size_t)(n - v) + 1)];
		return n->t == Q_NUM || n->t == Q_VAR || n->t == Q_STR || sq_is(s, n, "*") ||
		       (n->t == Q_WORD && (n2->t == Q_LP || sq_is(s, n2, "from")));
	}
	if (sq_is(s, &v[i], "exec") || sq_is(s, &v[i], "execute")) /* EXEC('...'), EXEC 'sp' */
		return n->t == Q_WORD || n->t == Q_VAR || n->t == Q_LP || n->t == Q_STR;
	return n->t == Q_WORD || n->t == Q_VAR;
}

static bool sq_by_list(const char *s, const struct sq_tok *v, size_t k);

/* Words that go between the operands of an SQL expression. */
static const char *const sq_infix[] = { "is", "not", "like", "glob", "regexp", "rlike", "match", "in", "between",
					"collate", "escape", "div", "mod", "ilike", "similar", "sounds", "notnull", "isnull", NULL };

/* t is a word of sq_infix: its first letter for its length first (every
 * quoted value's tail asks, "O'Brien" too), then the list. */
static bool sq_infix_word(const char *s, const struct sq_tok *t)
{
	static const unsigned first[8] = { 0x0, 0x0, 0x100, 0x3008, 0x840, 0x21100, 0x60110, 0x42006 };
	size_t n = t->b - t->a;
	unsigned c = ((unsigned char)s[t->a] | 0x20) - 'a';
	return t->t == Q_WORD && n < 8 && c < 26 && ((first[n] >> c) & 1) && sq_any(s, t, sq_infix);
}

/* One operand at v[i] (names, numbers, strings, X'..', [name], CASE, a
 * parenthesis): the index after it, or 0. *named: it was a bare name. */
static size_t sq_operand_at(const char *s, const struct sq_tok *v, size_t i, bool *named)
{
	*named = false;
	if (v[i].t == Q_NUM || v[i].t == Q_STR || v[i].t == Q_VAR)
		return i + 1;
	if (v[i].t == Q_OTHER && s[v[i].a] == '[' && v[i + 1].t == Q_WORD && v[i + 2].t == Q_OTHER &&
	    s[v[i + 2].a] == ']')
		return i + 3;
	if (v[i].t != Q_WORD || sq_any(s, &v[i], sq_logic) || sq_any(s, &v[i], sq_infix))
		return 0;
	if (v[i + 1].t == Q_STR && v[i + 1].a == v[i].b) /* X'61', N'..' */
		return i + 2;
	*named = !sq_any(s, &v[i], sq_lit) && s[v[i].a] != '`';
	return i + 1;
}

/* A boolean operand chain at v[i], after a break-out's OR/AND: operands
 * joined by operators and expression words, ending where the query can
 * end or go on: the value's end, a comment, ';', ')', or (quoted) a short
 * open string the query's own quote closes ("x' OR id OR '"). Two names in
 * a row are prose ("x' or something else"); in a numeric context a bare
 * name is too ("2 or more"). */
static bool sq_chain(const char *s, const struct sq_tok *v, size_t i, bool quoted, bool want)
{
	bool named, any_other = false;
	int depth = 0;

	for (size_t steps = 0; steps < SQ_MAX; steps++) {
		const struct sq_tok *t = &v[i];
		if (want) {
			if (sq_is(s, t, "case") && sq_is(s, &v[sq_skipc(v, i + 1)], "when"))
				return true;
			if (t->t == Q_OPENSTR)
				return quoted && t->b - t->a <= 33 && !memchr(s + t->a, ' ', t->b - t->a) &&
				       v[i + 1].t == Q_END;
			if (t->t == Q_LP) {
				depth++;
				i++;
				continue;
			}
			if (t->t == Q_OP || sq_is(s, t, "not")) { /* unary - + ~ ! NOT */
				i++;
				continue;
			}
			size_t j = sq_operand_at(s, v, i, &named);
			if (!j)
				return false;
			any_other |= !named;
			i = j;
			want = false;
			continue;
		}
		if (t->t == Q_END || t->t == Q_COMMENT || t->t == Q_SEMI)
			return quoted ? true : any_other;
		if (t->t == Q_RP) {
			if (depth-- <= 0)
				return quoted || any_other;
			i++;
			continue;
		}
		if (t->t == Q_OP || sq_any(s, t, sq_logic) || sq_any(s, t, sq_infix) || (t->t == Q_COMMA && depth > 0)) {
			want = !sq_is(s, t, "notnull") && !sq_is(s, t, "isnull");
			/* SIMILAR TO, SOUNDS LIKE, NOT IN, NOT LIKE: two words, one operator */
			i += 1 + ((sq_is(s, t, "similar") && sq_is(s, &v[i + 1], "to")) || (sq_is(s, t, "sounds") && sq_is(s, &v[i + 1], "like")) ||
				  (sq_is(s, t, "not") && sq_any(s, &v[i + 1], sq_infix)));
			continue;
		}
		if (sq_is(s, t, "notnull") || sq_is(s, t, "isnull")) {
			i++;
			continue;
		}
		return false; /* a word after an operand: prose */
	}
	return false;
}

/* A subquery at v[i] (SELECT): a select list SQL has (a number, string,
 * variable, '*', a call, CASE), or names up to FROM and a table that a
 * clause, ')' or the end follows ("(select one from the menu)" is prose). */
static bool sq_subquery(const char *s, const struct sq_tok *v, size_t i)
{
	static const char *const after[] = { "where", "join", "inner", "left", "cross", "natural", "limit", "order",
					     "group", "union", "having", NULL };
	size_t n, f;

	if (!sq_is(s, &v[i], "select")) /* first: v[i] may be the end */
		return false;
	n = sq_skipc(v, i + 1);
	if (sq_is(s, &v[n], "distinct") || sq_is(s, &v[n], "all"))
		n = sq_skipc(v, n + 1);
	if (v[n].t == Q_NUM || v[n].t == Q_STR || v[n].t == Q_VAR || sq_is(s, &v[n], "*") ||
	    (v[n].t == Q_WORD && (v[n + 1].t == Q_LP || sq_is(s, &v[sq_skipc(v, n + 1)], "when"))))
		return true;
	for (f = n; v[f].t == Q_WORD || v[f].t == Q_COMMA || v[f].t == Q_COMMENT; f++)
		if (sq_is(s, &v[f], "from"))
			break;
	if (!sq_is(s, &v[f], "from") || f == n || v[f = sq_skipc(v, f + 1)].t != Q_WORD)
		return false;
	f = sq_skipc(v, f + 1);
	if (sq_is(s, &v[f], "as") && v[sq_skipc(v, f + 1)].t == Q_WORD)
		f = sq_skipc(v, sq_skipc(v, f + 1) + 1); /* AS alias */
	else if (v[f].t == Q_WORD && !sq_any(s, &v[f], after))
		return sq_any(s, &v[sq_skipc(v, f + 1)], after); /* a bare alias, then a clause */
	return v[f].t == Q_END || v[f].t == Q_RP || v[f].t == Q_SEMI || sq_any(s, &v[f], after);
}

/* The tail after a break-out (a closing quote, or a leading number). */
static bool sq_tail(const char *s, size_t len, size_t from, bool quoted, struct fng_fw_hit *h)
{
	struct sq_tok v[SQ_MAX + SQ_PAD];
	size_t n = sq_lex(s, len, from, v), i = 0;

	if (!n)
		return false;
	while (v[i].t == Q_RP)
		i++;
	const char *why = NULL;
	size_t k = sq_skipc(v, i);
	/* an HTML attribute's quote (href="#top") opens a value: its '#' is a fragment, not MySQL's comment */
	bool attr = from >= 2 && s[from - 2] == '=' && v[i].t == Q_COMMENT && s[v[i].a] == '#';
	/* a line comment (-- or #) cuts the query only where the value ends
	 * with its line: on the value's next line the query goes on ("x'\n----\ny") */
	size_t after = v[i].b;
	while (after < len && fng_isspace((unsigned char)s[after]))
		after++;
	bool cuts = v[i].t == Q_COMMENT && (s[v[i].a] == '/' || after >= len);
	if (quoted && !attr && (cuts || (v[k].t == Q_SEMI && v[sq_skipc(v, k + 1)].t == Q_END)) && (i > 0 || from < len))
		why = "a quote, then a comment that cuts the query";
	else if ((sq_any(s, &v[k], sq_logic) || (quoted && sq_any(s, &v[k], sq_join))) &&
		 (sq_expr(s, v, k + 1, quoted) || (sq_any(s, &v[k], sq_logic) && sq_chain(s, v, k + 1, quoted, true))))
		why = "a quote or number, then a boolean expression";
	else if ((sq_is(s, &v[k], "union") &&
		  (sq_is(s, &v[sq_skipc(v, k + 1)], "select") || sq_is(s, &v[sq_skipc(v, k + 1)], "all") ||
		   sq_is(s, &v[sq_skipc(v, k + 1)], "distinct") || v[sq_skipc(v, k + 1)].t == Q_LP ||
		   sq_values(s, v, sq_skipc(v, k + 1)))) ||
		 (sq_is(s, &v[k], "having") && sq_expr(s, v, k + 1, quoted)) ||
		 (sq_is(s, &v[k], "procedure") && sq_is(s, &v[sq_skipc(v, k + 1)], "analyse")))
		why = "a quote or number, then a query clause";
	else if ((sq_is(s, &v[k], "order") || sq_is(s, &v[k], "group")) && sq_is(s, &v[sq_skipc(v, k + 1)], "by") &&
		 sq_by_list(s, v, sq_skipc(v, k + 1) + 1))
		why = "a quote or number, then ORDER/GROUP BY";
	else if (v[k].t == Q_SEMI && sq_stacked(s, v, k + 1))
		why = "a stacked statement";
	else if (quoted && sq_any(s, &v[k], sq_cmp) && v[k].t == Q_WORD &&
		 (v[sq_skipc(v, k + 1)].t == Q_LP || v[sq_skipc(v, k + 1)].t == Q_NUM || v[sq_skipc(v, k + 1)].t == Q_STR))
		why = "a quote, then a comparison";
	else if (((quoted && v[k].t == Q_OP) || sq_infix_word(s, &v[k])) &&
		 sq_chain(s, v, k, quoted, false) && /* 1 IS NOT 2: a number's operand chain needs a non-name */
		 !(from == 1 && n == 2 && v[1].t == Q_OPENSTR && v[1].b - v[1].a == 1)) /* 'is': a quoted word */
		/* the literal closed by the quote is the left operand: 'x' IS NOT 'y', 'x' GLOB '*',
		 * 'x' <=> 'x', 'x' BETWEEN 'a' AND 'z', any dialect's operator word or symbol */
		why = quoted ? "a quote, then a comparison" : "a number, then a comparison";
	else if (quoted && (sq_is(s, &v[k], "exec") || sq_is(s, &v[k], "waitfor") || sq_is(s, &v[k], "into")))
		why = "a quote, then a statement";
	if (!why)
		return false;
	h->start = from ? from - 1 : 0;
	h->end = v[n - 1].b;
	h->why = why;
	return true;
}

/* Where a value placed in a q-quoted literal breaks out: the offset after
 * the first unescaped q, or 0. */
static size_t sq_breakout(const char *s, size_t len, char q, int literal_backslash)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && !literal_backslash) {
			i++;
		} else if (s[i] == q) {
			if (i + 1 < len && s[i + 1] == q) {
				i++;
				continue;
			}
			return i + 1;
		}
	}
	return 0;
}

/* What follows an expression still reads as SQL: the end, a comment, a
 * statement end, a closing parenthesis, a string the query's quote
 * closes, another boolean operator or a clause. Prose goes on in words
 * ("3 > 2 and 2 < 3, as expected"). */
static bool sq_goes_on(const char *s, const struct sq_tok *v, size_t k)
{
	static const char *const clauses[] = { "and", "or", "xor", "union", "order", "group", "limit", "having",
					       "into", "procedure", "from", "where", "offset", "fetch", NULL };
	const struct sq_tok *t = &v[k];
	return t->t == Q_END || t->t == Q_COMMENT || t->t == Q_SEMI || t->t == Q_RP || t->t == Q_STR ||
	       t->t == Q_OPENSTR || sq_any(s, t, clauses) || sq_any(s, t, sq_logic);
}

/* ORDER/GROUP BY's list at v[k]: a column (number, name, call), then
 * what a query has there (end, comment, comma, ASC/DESC, a clause).
 * "'order by' date" is prose quoting the words. */
static bool sq_by_list(const char *s, const struct sq_tok *v, size_t k)
{
	k = sq_skipc(v, k);
	if (v[k].t != Q_NUM && v[k].t != Q_WORD && v[k].t != Q_LP && v[k].t != Q_VAR)
		return false;
	const struct sq_tok *t = &v[sq_skipc(v, k + 1)];
	return sq_goes_on(s, v, sq_skipc(v, k + 1)) || t->t == Q_COMMA || t->t == Q_LP || sq_is(s, t, "asc") ||
	       sq_is(s, t, "desc") || t->t == Q_OP;
}

/* v[i] follows the '>' that ends an HTML tag (<pre>if ...). */
static bool sq_tag_end(const char *s, const struct sq_tok *v, size_t i)
{
	return i >= 3 && sq_is(s, &v[i - 1], ">") && v[i - 2].t == Q_WORD && sq_is(s, &v[i - 3], "<");
}

/* Anywhere in the value: UNION SELECT, a stacked statement, a known
 * injection function called after an operator, a tautology. */
/* Token i follows an operator, a parenthesis, a comma, a logic word or
 * SELECT (or starts the window). */
static bool sq_after_op(const char *s, const struct sq_tok *v, size_t i)
{
	return i == 0 || v[i - 1].t == Q_OP || v[i - 1].t == Q_LP || v[i - 1].t == Q_COMMA ||
	       sq_any(s, &v[i - 1], sq_logic) || sq_is(s, &v[i - 1], "select");
}

static bool sq_anywhere(const char *s, size_t len, struct fng_fw_hit *h)
{
	size_t p = 0;
	struct sq_tok v[SQ_MAX + SQ_PAD];
	size_t n;

	while (p < len) {
		size_t start = p;
		n = sq_lex(s, len, p, v);
		if (!n)
			return false;
		for (size_t i = 0; i < n; i++) {
			size_t j = sq_skipc(v, i + 1);
			const char *why = NULL;
			if (sq_is(s, &v[i], "union") &&
			    (sq_is(s, &v[j], "select") || v[j].t == Q_LP || sq_values(s, v, j) ||
			     ((sq_is(s, &v[j], "all") || sq_is(s, &v[j], "distinct")) && sq_is(s, &v[sq_skipc(v, j + 1)], "select"))))
				why = "UNION SELECT";
			else if (v[i].t == Q_SEMI && sq_stacked(s, v, i + 1) && !memchr(s, '\'', v[i].a) && !memchr(s, '"', v[i].a))
				why = "a stacked statement"; /* after a quote, the quoted contexts decide */
			else if (v[i].t == Q_WORD && v[j].t == Q_LP && v[j].a == v[i].b && sq_after_op(s, v, i) && !sq_tag_end(s, v, i) &&
				 sq_any(s, &v[i], sq_danger) && i + 0 < n &&
				 (i > 0 || v[sq_skipc(v, j + 1)].t == Q_NUM || v[sq_skipc(v, j + 1)].t == Q_WORD))
				why = i ? "an injection function after an operator" : NULL;
			else if (v[i].t == Q_VAR && s[v[i].a + 1] == '@' && i > 0 && sq_after_op(s, v, i))
				why = "a server variable";
			else if (sq_any(s, &v[i], sq_logic) && (v[j].t == Q_NUM || v[j].t == Q_STR) &&
				 sq_any(s, &v[sq_skipc(v, j + 1)], sq_cmp) && !sq_is(s, &v[sq_skipc(v, j + 1)], "in") &&
				 !sq_is(s, &v[sq_skipc(v, j + 1)], "is") && v[sq_skipc(v, j + 1)].t != Q_END &&
				 (v[sq_skipc(v, sq_skipc(v, j + 1) + 1)].t == Q_NUM ||
				  v[sq_skipc(v, sq_skipc(v, j + 1) + 1)].t == Q_STR ||
				  v[sq_skipc(v, sq_skipc(v, j + 1) + 1)].t == Q_OPENSTR) &&
				 sq_goes_on(s, v, sq_skipc(v, sq_skipc(v, j + 1) + 1) + 1))
				why = "a tautology";
			else if (v[i].t == Q_LP && sq_subquery(s, v, j))
				why = "a parenthesised subquery"; /* (SELECT id FROM users WHERE secret GLOB 'a*') where a number goes */
			else if (sq_is(s, &v[i], "waitfor") && sq_is(s, &v[j], "delay"))
				why = "WAITFOR DELAY";
			else if (sq_is(s, &v[i], "into") && (sq_is(s, &v[j], "outfile") || sq_is(s, &v[j], "dumpfile")))
				why = "INTO OUTFILE";
			if (why) {
				h->start = v[i].a;
				h->end = v[j].b > v[i].b ? v[j].b : v[i].b;
				h->why = why;
				return true;
			}
		}
		/* the next window overlaps this one by a few tokens */
		p = n > 8 ? v[n - 8].a : len;
		if (p <= start)
			p = len;
	}
	return false;
}

bool fng_fw_sql(const char *s, size_t len, struct fng_fw_hit *h)
{
	static const char quotes[] = { '\'', '"' };

	/* in a literal: backslash an escape (MySQL) or a character (standard SQL) */
	for (size_t q = 0; q < sizeof(quotes); q++) {
		for (int bs = 0; bs < 2; bs++) {
			size_t b = sq_breakout(s, len, quotes[q], bs);
			if (b && sq_tail(s, len, b, true, h))
				return true;
			if (!memchr(s, '\\', len))
				break;
		}
	}
	/* PostgreSQL's dollar-quoted literal ($$..$$) */
	long dd = fng_fw_find(s, len, "$$");
	if (dd >= 0 && sq_tail(s, len, (size_t)dd + 2, true, h))
		return true;
	/* a numeric context: the value starts with a number (or a word) and a
	 * closing parenthesis or boolean operator follows */
	size_t p = 0;
	struct sq_tok t = sq_next(s, len, &p);
	if (t.t == Q_OP && s[t.a] == '-' && t.b - t.a == 1)
		t = sq_next(s, len, &p);
	if (t.t == Q_NUM && sq_tail(s, len, p, false, h))
		return true;
	return sq_anywhere(s, len, h) || fng_fw_sql_fncall(s, len, h);
}
