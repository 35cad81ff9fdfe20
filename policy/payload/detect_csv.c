/* The input firewall's spreadsheet formula (CSV injection) detector: a
 * cell read as a spreadsheet reads a formula (a call, a DDE target, a
 * reference, an operator between operands), the value as one cell and
 * the cells inside it (a row, an S3 key's file name). Pure. */
#include "common/ascii.h"
#include <string.h>

#include "policy/payload/detect.h"

/* A cell reference at s[i] ($A$1, a1, AB12): its end, or i. */
static size_t csv_ref(const char *s, size_t len, size_t i)
{
	size_t j = i + (i < len && s[i] == '$'), l = j;
	while (j < len && fng_isalpha((unsigned char)s[j]) && j - l < 3)
		j++;
	if (j == l)
		return i;
	j += j < len && s[j] == '$';
	size_t d = j;
	while (j < len && fng_isdigit((unsigned char)s[j]))
		j++;
	return j > d && (j >= len || !fng_isalnum((unsigned char)s[j])) ? j : i;
}

/* The formula after the lead character, read as a spreadsheet reads it:
 * operands (numbers, cell references, names, strings, parentheses) joined
 * by operators. *call: a name called; *ref: a cell reference; *op: an
 * operator other than '-' (a phone number or a date only has those). */
static void csv_formula(const char *s, size_t len, size_t i, bool *call, bool *ref, bool *op, bool *dde)
{
	bool pending = false; /* an operator waiting for its right operand */

	for (size_t n = 0; i < len && n < 32; n++) {
		while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '(' || s[i] == ')'))
			i++;
		if (i >= len)
			return;
		size_t e = csv_ref(s, len, i);
		if (e > i) {
			*ref = true;
		} else if (fng_isalpha((unsigned char)s[i])) {
			while (e < len && (fng_isalnum((unsigned char)s[e]) || s[e] == '.' || s[e] == '_'))
				e++;
			size_t k = e;
			while (k < len && (s[k] == ' ' || s[k] == '\t'))
				k++;
			if (k < len && s[k] == '(')
				*call = true;
			else if (k < len && s[k] == '|')
				*dde = true;
			else if (k < len && s[k] == '!')
				*ref = true; /* Sheet1!A1 */
			else
				return;
		} else if (fng_isdigit((unsigned char)s[i])) {
			while (e < len && (fng_isdigit((unsigned char)s[e]) || s[e] == '.'))
				e++;
		} else if (s[i] == '"') {
			const char *q = memchr(s + i + 1, '"', len - i - 1);
			e = q ? (size_t)(q - s) + 1 : len;
		} else {
			return;
		}
		*op |= pending;
		i = e;
		while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == ')' || s[i] == '!' || s[i] == ':'))
			i++;
		if (i >= len || !strchr("+-*/^&=<>", s[i]) || !s[i])
			return;
		pending = s[i] != '-';
		i++;
	}
}

static bool csv_cell(const char *s, size_t len, size_t i, struct fng_fw_hit *h);
static bool csv_expr(const char *s, size_t len, size_t *p, int depth);

static size_t csv_ws(const char *s, size_t len, size_t i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* A function's argument list after its '(' at *p, up to its ')'. */
static bool csv_args(const char *s, size_t len, size_t *p, int depth)
{
	size_t i = csv_ws(s, len, *p);

	if (i < len && s[i] == ')') {
		*p = i + 1;
		return true;
	}
	for (;;) {
		if (!csv_expr(s, len, &i, depth + 1))
			return false;
		i = csv_ws(s, len, i);
		if (i < len && s[i] == ')') {
			*p = i + 1;
			return true;
		}
		if (i >= len || (s[i] != ',' && s[i] != ';'))
			return false;
		i++;
	}
}

/* One operand at *p as a spreadsheet parses it (signs, a number, a
 * string, a reference or range, TRUE/FALSE, a call, a sheet reference, a
 * parenthesis, a DDE target): false on what it cannot parse or would not
 * know (a bare name other than TRUE or FALSE). s is in lower case. */
static bool csv_operand(const char *s, size_t len, size_t *p, int depth)
{
	size_t i = csv_ws(s, len, *p);

	while (i < len && (s[i] == '-' || s[i] == '+'))
		i = csv_ws(s, len, i + 1);
	if (i >= len || depth > 16)
		return false;
	size_t e = csv_ref(s, len, i);
	if (s[i] == '(') {
		i++;
		if (!csv_expr(s, len, &i, depth + 1) || (i = csv_ws(s, len, i)) >= len || s[i] != ')')
			return false;
		e = i + 1;
	} else if (s[i] == '"') {
		for (e = i + 1; e < len && (s[e] != '"' || (e + 1 < len && s[e + 1] == '"' && ++e)); e++)
			;
		if (e++ >= len)
			return false;
	} else if (e > i) {
		if (e < len && s[e] == ':')
			e = csv_ref(s, len, e + 1) > e + 1 ? csv_ref(s, len, e + 1) : e;
	} else if (fng_isdigit((unsigned char)s[i]) || s[i] == '.') {
		while (e < len && (fng_isdigit((unsigned char)s[e]) || s[e] == '.' || s[e] == '%'))
			e++;
	} else if (fng_isalpha((unsigned char)s[i]) || s[i] == '_' || s[i] == '\'') {
		if (s[i] == '\'') { /* 'Sheet 1'!A1 */
			const char *q = memchr(s + i + 1, '\'', len - i - 1);
			if (!q || (size_t)(q - s) + 1 >= len || q[1] != '!')
				return false;
			e = (size_t)(q - s) + 1;
		}
		while (e < len && (fng_isalnum((unsigned char)s[e]) || s[e] == '_' || s[e] == '.'))
			e++;
		size_t k = csv_ws(s, len, e);
		if (k < len && s[k] == '|') {
			*p = len; /* a DDE target: the rest is its topic */
			return true;
		}
		if (k < len && s[k] == '(') {
			e = k + 1;
			if (!csv_args(s, len, &e, depth))
				return false;
		} else if (e < len && s[e] == '!') {
			size_t r = csv_ref(s, len, e + 1);
			if (r == e + 1)
				return false;
			e = r;
		} else if (!((e - i == 4 && !strncmp(s + i, "true", 4)) || (e - i == 5 && !strncmp(s + i, "false", 5)))) {
			return false; /* a bare name: #NAME? (random base64: "+E817+qWi6vh5nPX") */
		}
	} else {
		return false;
	}
	*p = e;
	return true;
}

/* Operands joined by operators from *p. */
static bool csv_expr(const char *s, size_t len, size_t *p, int depth)
{
	size_t i = *p;

	if (!csv_operand(s, len, &i, depth))
		return false;
	for (;;) {
		size_t k = csv_ws(s, len, i);
		if (k >= len || !s[k] || !strchr("+-*/^&=<>", s[k])) {
			*p = i;
			return true;
		}
		k += 1 + (k + 1 < len && (s[k + 1] == '=' || s[k + 1] == '>') && (s[k] == '<' || s[k] == '>'));
		if (!csv_operand(s, len, &k, depth))
			return false;
		i = k;
	}
}

/* The cell from its lead parses to its end (trailing spaces and the
 * closing quote of a quoted cell allowed). */
static bool csv_parses(const char *s, size_t len, size_t f)
{
	size_t i = f;

	if (!csv_expr(s, len, &i, 0))
		return false;
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n' || s[i] == '"' || s[i] == '\''))
		i++;
	return i >= len;
}

/* A cell inside the value: after a field separator (, ; tab), a line
 * break or a path's '/' (an S3 key written into a report), a cell that
 * calls a function or a DDE target. Arithmetic alone mid-row is data. */
static bool csv_cells(const char *s, size_t len, struct fng_fw_hit *h)
{
	for (size_t i = 1; i < len; i++) {
		if (!strchr("=+-@", s[i]) || !s[i] || !s[i - 1] || !strchr(",;\t\n\r/", s[i - 1]))
			continue;
		struct fng_fw_hit c;
		size_t n = i + 1;
		while (n < len && (fng_isalnum((unsigned char)s[n]) || s[n] == '.' || s[n] == '_'))
			n++;
		bool called = n > i + 1 && n < len && s[n] == '(' && fng_isalpha((unsigned char)s[i + 1]); /* =NAME( touching */
		/* a window of the cell's start: each candidate costs a bounded read,
		 * so a row of a million cells is read in linear time */
		if (csv_cell(s + i, len - i < 256 ? len - i : 256, 0, &c) &&
		    (!strcmp(c.why, "a DDE formula") || (called && !strcmp(c.why, "a formula calling a function"))))
			return fng_fw_set(h, i, len, c.why);
	}
	return false;
}

bool fng_fw_csv(const char *s, size_t len, bool cells, struct fng_fw_hit *h)
{
	return csv_cell(s, len, 0, h) || (cells && csv_cells(s, len, h));
}

/* The value as one cell from i. */
static bool csv_cell(const char *s, size_t len, size_t i, struct fng_fw_hit *h)
{
	while (i < len && (s[i] == '\t' || s[i] == '\r' || s[i] == '\n' || s[i] == ' ' || s[i] == '"' || s[i] == '\''))
		i++;
	if (i >= len || !strchr("=+-@", s[i]) || !s[i])
		return false;
	size_t f = i;
	char lead = s[i];
	while (i < len && (strchr("=+-@ \t", s[i]) && s[i]))
		i++;
	if (fng_fw_find(s, len, "cmd|") >= 0 || fng_fw_find(s, len, "|'/c") >= 0 || fng_fw_find(s, len, "|' /c") >= 0 ||
	    fng_fw_find(s, len, "msexcel|") >= 0)
		return fng_fw_set(h, f, len, "a DDE formula");
	/* after '+' or '-' (a list item, a phone number, a base64 cookie) the
	 * cell is a formula only when it parses as one to its end: a
	 * spreadsheet keeps "- NOW() - INTERVAL 1 DAY" and "+s3/A/k7..." as text */
	if ((lead == '+' || lead == '-') && !csv_parses(s, len, f))
		return false;
	bool call = false, ref = false, op = false, dde = false;
	csv_formula(s, len, i, &call, &ref, &op, &dde);
	if (call)
		return fng_fw_set(h, f, len, "a formula calling a function");
	if (dde)
		return fng_fw_set(h, f, len, "a DDE formula");
	/* '=' evaluates any expression; '+' and '-' need a real operator or a
	 * reference (+1-555-0100 is a phone number) */
	if ((lead == '=' && (op || ref || i > f + 1)) || ((lead == '+' || lead == '-') && (op || ref) && len - f < 64))
		return (lead == '=' && !op && !ref) ? false : fng_fw_set(h, f, len, "a formula");
	return false;
}
