/* The lexers behind confirmed attacks (confirm.h): a shell script read as sh
 * reads it (quotes, backslashes, operators, command positions), interpreter
 * code read for its string literals, and paths normalised as the kernel
 * walks them lexically (".", "..", repeated slashes). The lexers mark each
 * byte once, so every value found in an argument is judged without reading
 * the argument again. Pure. */
#include "policy/payload/confirm_internal.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static bool is_op(char ch)
{
	return ch && strchr(";&|<>()\n", ch) != NULL;
}

enum sh_state { SH_UNQ, SH_SQ, SH_DQ };

struct sh_lex {
	const char *s;
	size_t len;
	enum sh_state st;
	bool cmdpos, inword;
};

/* One step of sh's reading at s[i]: does the byte add syntax (*syn), start
 * a command word (*cstart)? Returns how many bytes it consumed. */
static size_t sh_step(struct sh_lex *L, size_t i, bool *syn, bool *cstart)
{
	char ch = L->s[i], nx = i + 1 < L->len ? L->s[i + 1] : '\0';

	*syn = *cstart = false;
	if (L->st == SH_SQ) {
		if (ch == '\'')
			L->st = SH_UNQ;
		return 1;
	}
	if (L->st == SH_DQ) {
		if (ch == '\\')
			return nx ? 2 : 1;
		if (ch == '"')
			L->st = SH_UNQ;
		else if (ch == '`' || (ch == '$' && (nx == '(' || nx == '{')))
			*syn = true;
		return 1;
	}
	if (is_blank(ch)) {
		L->inword = false;
		return 1;
	}
	if (is_op(ch) || ch == '`' || (ch == '$' && (nx == '(' || nx == '{')) || (ch == '#' && !L->inword)) {
		*syn = true;
		L->inword = false;
		if (ch != '<' && ch != '>')
			L->cmdpos = true;
		return 1;
	}
	if (!L->inword) {
		L->inword = true;
		*cstart = L->cmdpos;
		L->cmdpos = false;
	}
	if (ch == '\'')
		L->st = SH_SQ;
	else if (ch == '"')
		L->st = SH_DQ;
	else if (ch == '\\')
		return nx ? 2 : 1;
	return 1;
}

void fng_confirm_sh_marks(const char *script, size_t len, uint8_t *marks)
{
	struct sh_lex L = { .s = script, .len = len, .st = SH_UNQ, .cmdpos = true };

	memset(marks, 0, len);
	for (size_t i = 0; i < len;) {
		bool syn, cstart;
		size_t n = sh_step(&L, i, &syn, &cstart);
		marks[i] = (uint8_t)((syn ? FNG_CONFIRM_MARK_SYN : 0) | (cstart ? FNG_CONFIRM_MARK_CMD : 0));
		i += n;
	}
}

/* Does the literal opening with the quote at code[i] interpolate code?
 * A JavaScript template (`...${}`), a Python f-string (f'', rf'', fr''). */
static bool interpolating(const char *code, size_t i)
{
	char p1 = i > 0 ? code[i - 1] : 0, p2 = i > 1 ? code[i - 2] : 0;

	if (code[i] == '`')
		return true;
	return p1 == 'f' || p1 == 'F' || ((p1 == 'r' || p1 == 'R') && (p2 == 'f' || p2 == 'F'));
}

/* Inside an interpolating literal, does code[i] open code? */
static bool opens_code(const char *code, size_t i, char q)
{
	if (q == '`')
		return code[i] == '$' && code[i + 1] == '{';
	return code[i] == '{' && code[i + 1] != '{';
}

/* Interpreter code (python -c, perl -e, node -e ...): a value must stay
 * inside one string literal; a byte outside literals other than a name or
 * number character (an operator, a quote that ends the literal, a space)
 * changes the code, and so does one that opens code inside an
 * interpolating literal (an f-string's {, a template's ${). Each such byte
 * is marked. */
void fng_confirm_code_marks(const char *code, size_t len, uint8_t *marks)
{
	char q = 0;
	bool interp = false;

	memset(marks, 0, len);
	for (size_t i = 0; i < len; i++) {
		char ch = code[i];
		bool inside = q != 0;
		if (q && ch == '\\' && code[i + 1]) {
			i++;
			continue;
		}
		if (q && interp && opens_code(code, i, q))
			marks[i] = FNG_CONFIRM_MARK_SYN;
		if (q && interp && q != '`' && ch == '{' && code[i + 1] == '{') {
			i++; /* {{ is a brace */
			continue;
		}
		if (q && ch == q) {
			q = 0;
			inside = false;
		} else if (!q && (ch == '\'' || ch == '"' || ch == '`')) {
			q = ch;
			interp = interpolating(code, i);
		}
		if (!inside && !((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
				 ch == '_' || ch == '.'))
			marks[i] = FNG_CONFIRM_MARK_SYN;
	}
}

/* Lexical normalisation into out (n bytes): absolute paths keep "/" and
 * lose ".." at the root; relative ones keep their leading ".."; "" is the
 * directory itself. -1 when out is too small. */
int fng_confirm_norm(const char *p, size_t len, char *out, size_t n)
{
	size_t o = 0, i = 0;
	bool abs = len > 0 && p[0] == '/';

	if (n < 2)
		return -1;
	if (abs)
		out[o++] = '/';
	while (i < len) {
		size_t j = i;
		while (j < len && p[j] != '/')
			j++;
		size_t cl = j - i;
		if (cl == 0 || (cl == 1 && p[i] == '.')) {
			/* nothing */
		} else if (cl == 2 && p[i] == '.' && p[i + 1] == '.') {
			size_t base = abs ? 1 : 0;
			size_t k = o;
			while (k > base && out[k - 1] != '/')
				k--;
			bool last_dotdot = o - k == 2 && out[k] == '.' && out[k + 1] == '.';
			if (o > base && !last_dotdot) {
				o = k > base ? k - 1 : base;
			} else if (!abs) {
				if (o + 3 >= n)
					return -1;
				if (o > 0)
					out[o++] = '/';
				out[o++] = '.';
				out[o++] = '.';
			}
		} else {
			if (o + cl + 2 >= n)
				return -1;
			if (o > (abs ? 1u : 0u))
				out[o++] = '/';
			memcpy(out + o, p + i, cl);
			o += cl;
		}
		i = j + 1;
	}
	out[o] = '\0';
	return 0;
}

/* Is normalised path p inside normalised directory d (or d itself)? */
bool fng_confirm_under(const char *d, const char *p)
{
	size_t dl = strlen(d);

	if ((d[0] == '/') != (p[0] == '/'))
		return false;
	if (dl == 0)
		return !(strcmp(p, "..") == 0 || strncmp(p, "../", 3) == 0);
	if (strcmp(d, "/") == 0)
		return true;
	return strncmp(p, d, dl) == 0 && (p[dl] == '\0' || p[dl] == '/');
}
