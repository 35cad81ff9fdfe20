/* Shell reading for the command injection detector: whether a command
 * word is built at run time (expansions, globs, braces) and whether an
 * unlisted word is used as a program (options, paths, redirections
 * follow it). Pure. */
#include "common/ascii.h"
#include <string.h>

#include "policy/payload/detect_sh.h"

static bool sh_name0(char c)
{
	return fng_isalpha((unsigned char)c) || c == '_';
}

static bool sh_end(char c)
{
	return fng_isspace((unsigned char)c) || c == ';' || c == '|' || c == '&' || c == '<' || c == '>' || c == ')' ||
	       c == '`' || c == '\0';
}

static bool sh_sep(char c)
{
	return c == ';' || c == '|' || c == '&' || c == '\n' || c == '\r';
}

size_t fng_fw_sh_cmdend(const char *s, size_t len, size_t i)
{
	while (i < len && !sh_sep(s[i]))
		i++;
	return i;
}

#define SH_ARGS_MAX 64 /* argument words read after an unlisted program's name */

/* A $ expansion at s[i]: its length, or 0 ($5, a lone $, "$ " are prose). */
static size_t sh_dollar(const char *s, size_t len, size_t i)
{
	if (i + 1 >= len || s[i] != '$')
		return 0;
	char c = s[i + 1];
	if (c == '{' || c == '(') {
		const char *e = memchr(s + i + 2, c == '{' ? '}' : ')', len - i - 2);
		return e && e > s + i + 2 ? (size_t)(e - (s + i)) + 1 : 0;
	}
	if (c == '\'') {
		const char *e = memchr(s + i + 2, '\'', len - i - 2);
		return e ? (size_t)(e - (s + i)) + 1 : 0;
	}
	if (!sh_name0(c))
		return 0;
	size_t j = i + 1;
	while (j < len && (fng_isalnum((unsigned char)s[j]) || s[j] == '_'))
		j++;
	return j - i;
}

size_t fng_fw_sh_dynamic(const char *s, size_t len, size_t i)
{
	size_t j = i;
	bool dyn = false, glob = false, letters = false, plain = true;
	unsigned slash = 0;

	if (i < len && s[i] == '{') { /* a brace list whose first item is a word: {cat,/etc/passwd} */
		const char *e = memchr(s + i, '}', len - i);
		const char *c = memchr(s + i, ',', len - i);
		if (e && c && c < e && c > s + i + 1 && sh_name0(s[i + 1]) && !memchr(s + i, ' ', (size_t)(e - (s + i))) &&
		    !memchr(s + i, '"', (size_t)(e - (s + i))) && !memchr(s + i, ':', (size_t)(e - (s + i))))
			return (size_t)(e - s) + 1;
		return 0;
	}
	for (size_t k = i; k < len && (fng_isalnum((unsigned char)s[k]) || s[k] == '_'); k++)
		if (k + 1 < len && s[k + 1] == '=' && sh_name0(s[i]))
			return 0; /* an assignment, not a command word */
	while (j < len && !sh_end(s[j])) {
		size_t d = sh_dollar(s, len, j);
		if (d) {
			dyn = true;
			j += d;
			continue;
		}
		if (s[j] == '$' && j + 1 < len && s[j + 1] == '@') { /* "$@" expands to nothing */
			dyn = letters;
			j += 2;
			continue;
		}
		if (s[j] == '/') {
			slash++;
			plain &= !(j + 1 < len && s[j + 1] == '/'); /* an empty component: a URL path */
		} else if (s[j] == '?' || s[j] == '[' || (s[j] == '*' && s[j - 1] != '/')) {
			glob = true;
		} else if (s[j] == ']' && glob) {
			; /* the end of a bracket class: /bin/c[a]t */
		}
		else if (fng_isalpha((unsigned char)s[j]))
			letters = true;
		else if (!fng_isdigit((unsigned char)s[j]) && !strchr(".-_", s[j]))
			plain = false; /* %, =, quotes: a URL or text, not a file glob */
		j++;
	}
	if (j == i)
		return 0;
	/* a glob only where it names a file by a path of two components or more
	 * (/???/??t, not a comment's slash-star); a variable anywhere in the word */
	if (dyn || (glob && plain && slash >= 2 && s[i] == '/'))
		return j;
	return 0;
}

/* An argument that only a program takes: an option, key=/path, a redirection. */
static bool sh_progarg(const char *s, size_t len, size_t a, size_t e)
{
	if (a >= e)
		return false;
	if (s[a] == '-' && a + 1 < e && (fng_isalpha((unsigned char)s[a + 1]) ||
					 (s[a + 1] == '-' && a + 2 < e && fng_isalpha((unsigned char)s[a + 2]))))
		return true;
	/* a redirection: > >> < alone, or onto a path or a descriptor (not ">=") */
	if ((s[a] == '>' || s[a] == '<') && (e - a == 1 || (e - a == 2 && s[a + 1] == s[a]) || s[a + 1] == '/' || s[a + 1] == '&'))
		return true;
	const char *eq = memchr(s + a, '=', e - a);
	if (eq && eq > s + a && (size_t)(eq - s) + 1 < e && eq[1] == '/')
		return true;
	(void)len;
	return false;
}

size_t fng_fw_sh_program(const char *s, size_t len, size_t i)
{
	size_t j = i;
	bool path = i < len && (s[i] == '/' || (s[i] == '.' && i + 1 < len && s[i + 1] == '/'));

	if (i >= len || !(fng_isalpha((unsigned char)s[i]) || path))
		return 0;
	while (j < len && (fng_isalnum((unsigned char)s[j]) || strchr("-_.+/", s[j])) && s[j])
		j++;
	if (j - i < 2 || (j < len && !fng_isspace((unsigned char)s[j])))
		return 0;
	/* the first words of the command (a bounded read: a value of many
	 * openers with no separator, "$(ab '$(ab '...", is read in linear time) */
	size_t a = j;
	for (unsigned words = 0; a < len && words < SH_ARGS_MAX && !sh_sep(s[a]); words++) {
		while (a < len && fng_isspace((unsigned char)s[a]) && !sh_sep(s[a]))
			a++;
		size_t e = a;
		while (e < len && !fng_isspace((unsigned char)s[e]) && !sh_sep(s[e]))
			e++;
		if (sh_progarg(s, len, a, e))
			return fng_fw_sh_cmdend(s, len, e);
		a = e;
	}
	return 0;
}
