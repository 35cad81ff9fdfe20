/* XSS and code injection detectors. XSS: tags read as an HTML tokeniser
 * reads them (name, then attributes split on space and '/'), a finding when
 * the browser would run script: a script-bearing element, an on* handler,
 * a javascript:/vbscript:/data:text/html URL in a URL attribute or as the
 * whole value. Code: constructs an evaluator acts on (template expressions,
 * JNDI lookups, language escapes to the system), not words. Pure. */
#include "common/ascii.h"
#include <string.h>
#include <strings.h>

#include "policy/payload/detect.h"

static bool wb_hit(struct fng_fw_hit *h, size_t start, size_t end, const char *why)
{
	h->start = start;
	h->end = end;
	h->why = why;
	return true;
}

/* Does the URL at s (an attribute value or the whole value) start with a
 * script scheme, as a browser reads it: leading spaces and controls
 * skipped, tabs and newlines inside ignored, &#..; and &colon; decoded? */
static bool wb_script_url(const char *s, size_t len)
{
	static const char *const schemes[] = { "javascript:", "vbscript:", "livescript:", "data:text/html",
					       "data:image/svg+xml", "data:application/x", NULL };
	char n[24];
	size_t k = 0, i = 0;

	while (i < len && ((unsigned char)s[i] <= 0x20 || s[i] == '"' || s[i] == '\''))
		i++;
	/* every scheme starts with j, v, l or d (or an entity that may be one) */
	if (i >= len || !strchr("jvld&", fng_tolower((unsigned char)s[i])))
		return false;
	for (; i < len && k < sizeof(n) - 1; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == '&') {
			size_t j = i + 1;
			unsigned v = 0;
			if (j < len && s[j] == '#') {
				bool hex = j + 1 < len && (s[j + 1] == 'x' || s[j + 1] == 'X');
				for (j += hex ? 2 : 1; j < len && fng_isxdigit((unsigned char)s[j]); j++)
					v = v * (hex ? 16 : 10) + (unsigned)(fng_isdigit((unsigned char)s[j]) ? s[j] - '0' : (fng_tolower((unsigned char)s[j]) - 'a' + 10));
				if (j < len && s[j] == ';')
					j++;
				if (v == 9 || v == 10 || v == 13) {
					i = j - 1;
					continue;
				}
				c = (unsigned char)v;
				i = j - 1;
			} else if (!strncasecmp(s + j, "colon;", len - j < 6 ? len - j : 6) && len - j >= 6) {
				c = ':';
				i = j + 5;
			} else if ((len - j >= 4 && !strncasecmp(s + j, "tab;", 4)) || (len - j >= 8 && !strncasecmp(s + j, "newline;", 8))) {
				i = j + (s[j] == 't' || s[j] == 'T' ? 3 : 7);
				continue;
			}
		}
		n[k++] = (char)fng_tolower(c);
	}
	n[k] = '\0';
	for (size_t q = 0; schemes[q]; q++)
		if (k >= strlen(schemes[q]) && !strncmp(n, schemes[q], strlen(schemes[q])))
			return true;
	return false;
}

/* Elements that run or load script by themselves. An iframe (a page of its
 * own origin, as a YouTube embed) and an inline svg drawing are judged by
 * their attributes and children: a handler, a script URL, srcdoc, a
 * <script> inside. */
static const char *const wb_bad_tags[] = { "script", "object", "embed", "applet", "frameset", "frame",
					   "base", "math", "xss", "import", "portal", "isindex", NULL };
static const char *const wb_url_attrs[] = { "href", "src", "action", "formaction", "data", "xlink:href", "background",
					    "poster", "lowsrc", "dynsrc", "codebase", "srcdoc", "to", "from", "values",
					    "content", "style", NULL };

/* s[j] starts a tag wb_tag reads: '<', a name, then a space, '/', '>' or
 * the end. */
static bool wb_opens(const char *s, size_t len, size_t j)
{
	if (s[j] != '<' || j + 1 >= len || !fng_isalpha((unsigned char)s[j + 1]))
		return false;
	size_t k = j + 1;
	while (k < len && (fng_isalnum((unsigned char)s[k]) || s[k] == '-' || s[k] == ':'))
		k++;
	return k >= len || fng_isspace((unsigned char)s[k]) || s[k] == '/' || s[k] == '>';
}

/* One tag starting at s[i] == '<': a finding (why) or NULL. */
static const char *wb_tag(const char *s, size_t len, size_t i, size_t *end)
{
	size_t j = i + 1, nb = j;

	while (j < len && (fng_isalnum((unsigned char)s[j]) || s[j] == '-' || s[j] == ':'))
		j++;
	if (j == nb || !fng_isalpha((unsigned char)s[nb]))
		return NULL;
	size_t nl = j - nb;
	*end = j;
	bool bad = false;
	for (size_t k = 0; wb_bad_tags[k]; k++)
		if (nl == strlen(wb_bad_tags[k]) && !strncasecmp(s + nb, wb_bad_tags[k], nl))
			bad = true;
	/* what follows a name must end it as HTML does: space, '/', '>' or the end */
	if (j < len && !fng_isspace((unsigned char)s[j]) && s[j] != '/' && s[j] != '>')
		return NULL;
	if (bad)
		return "a script-bearing element";
	/* attributes, up to the tag's end or the next tag's start ('<' and a
	 * letter: the caller reads that tag and its attributes, so each
	 * attribute is read once, in linear time) */
	while (j < len && s[j] != '>' && !wb_opens(s, len, j)) {
		while (j < len && (fng_isspace((unsigned char)s[j]) || s[j] == '/' || s[j] == '"' || s[j] == '\''))
			j++;
		size_t ab = j;
		while (j < len && !fng_isspace((unsigned char)s[j]) && s[j] != '=' && s[j] != '>' && s[j] != '/' && !wb_opens(s, len, j))
			j++;
		size_t al = j - ab;
		while (j < len && fng_isspace((unsigned char)s[j]))
			j++;
		if (j >= len || s[j] != '=') {
			if (al == 0 && j < len && s[j] != '>')
				j++;
			continue;
		}
		j++;
		while (j < len && fng_isspace((unsigned char)s[j]))
			j++;
		size_t vb = j;
		char q = j < len && (s[j] == '"' || s[j] == '\'' || s[j] == '`') ? s[j++] : 0;
		while (j < len && (q ? s[j] != q : !fng_isspace((unsigned char)s[j]) && s[j] != '>'))
			j++;
		size_t ve = j;
		if (q && j < len)
			j++;
		*end = j;
		if (al > 2 && !strncasecmp(s + ab, "on", 2) && fng_isalpha((unsigned char)s[ab + 2]))
			return "an event handler attribute";
		/* SVG animation (<set>, <animate>) of a handler or a link: its to/values run */
		if (al == 13 && !strncasecmp(s + ab, "attributename", 13) && ve > vb + (q ? 1 : 0) + 1) {
			const char *an = s + vb + (q ? 1 : 0);
			if (!strncasecmp(an, "on", 2) || !strncasecmp(an, "href", 4) || !strncasecmp(an, "xlink:href", 10))
				return "an animated handler or link";
		}
		for (size_t k = 0; wb_url_attrs[k]; k++) {
			if (al != strlen(wb_url_attrs[k]) || strncasecmp(s + ab, wb_url_attrs[k], al))
				continue;
			if (wb_script_url(s + vb + (q ? 1 : 0), ve - vb - (q ? 1 : 0)))
				return "a script URL in an attribute";
			/* a refresh's content: "delay; url=target" */
			long u = !strcasecmp(wb_url_attrs[k], "content") ? fng_fw_find(s + vb, ve - vb, "url=") : -1;
			if (u >= 0 && wb_script_url(s + vb + (size_t)u + 4, ve - vb - (size_t)u - 4))
				return "a script URL in a refresh";
			if (!strcasecmp(wb_url_attrs[k], "srcdoc"))
				return "an srcdoc document";
			if ((!strcasecmp(wb_url_attrs[k], "style")) &&
			    (fng_fw_find(s + vb, ve - vb, "expression(") >= 0 || fng_fw_find(s + vb, ve - vb, "javascript:") >= 0))
				return "script in a style";
		}
	}
	return bad ? "a script-bearing element" : NULL;
}

bool fng_fw_xss(const char *s, size_t len, const struct fng_fw_pairs *pairs, struct fng_fw_hit *h)
{
	size_t end = 0;

	if (wb_script_url(s, len))
		return wb_hit(h, 0, len < 16 ? len : 16, "a script URL");
	for (const char *p = memchr(s, '<', len); p; p = memchr(p + 1, '<', len - (size_t)(p + 1 - s))) {
		size_t i = (size_t)(p - s);
		if (i + 1 >= len)
			break;
		if (s[i + 1] == '/' && i + 7 < len && !strncasecmp(s + i + 2, "script", 6))
			return wb_hit(h, i, i + 8, "a closing script tag");
		const char *why = wb_tag(s, len, i, &end);
		if (why)
			return wb_hit(h, i, end, why);
	}
	/* an attribute value broken out of: a quote, then an event handler */
	const char *dq = memchr(s, '"', len), *sq = memchr(s, '\'', len); /* the first quotes, once */
	for (const char *q = s; (q = memchr(q, 'o', len - (size_t)(q - s))) != NULL; q++) {
		size_t i = (size_t)(q - s), j = i + 2;
		if (i == 0 || j >= len || (s[i + 1] != 'n' && s[i + 1] != 'N') || !(fng_isspace((unsigned char)s[i - 1]) || s[i - 1] == '/' || s[i - 1] == '"' || s[i - 1] == '\''))
			continue;
		while (j < len && fng_isalpha((unsigned char)s[j]))
			j++;
		size_t k = j;
		while (k < len && fng_isspace((unsigned char)s[k]))
			k++;
		if (j - i >= 5 && k < len && s[k] == '=' && ((dq && dq < s + i) || (sq && sq < s + i)))
			return wb_hit(h, i, k + 1, "an event handler after a quote");
	}
	/* a JavaScript string broken out of: ' or " then an operator or ; then a sink call */
	static const char *const sinks[] = { "alert(", "prompt(", "confirm(", "eval(", "document.cookie",
					     "document.location", "window.location", "fetch(", "String.fromCharCode(",
					     "document.write(", "location.href", "top[", "self[", "window[", NULL };
	for (size_t k = 0; sinks[k]; k++) {
		long at = fng_fw_maybe(pairs, sinks[k]) ? fng_fw_find(s, len, sinks[k]) : -1;
		if (at <= 0)
			continue;
		size_t a = (size_t)at;
		size_t b = a;
		while (b > 0 && (fng_isspace((unsigned char)s[b - 1]) || strchr("-+*/;,(|&!=", s[b - 1])) && s[b - 1])
			b--;
		if (b < a && b > 0 && (s[b - 1] == '\'' || s[b - 1] == '"' || s[b - 1] == '`' || s[b - 1] == ')' || s[b - 1] == '}'))
			return wb_hit(h, b - 1, a + strlen(sinks[k]), "a script string broken out of");
		if (a == 0 || s[a - 1] == ';' || (b < a && b == 0))
			return wb_hit(h, a, a + strlen(sinks[k]), "a script sink call");
	}
	return false;
}

/* ---- code injection ---- */

/* Markers no benign text carries: the evaluator's way to the system. */
static const char *const cd_markers[] = {
	"__import__", "__globals__", "__builtins__", "__subclasses__", "__class__.__", "__mro__", "__getattribute__",
	"__reduce__", "__init__.__", "child_process", "process.mainModule", "process.binding(", "global.process",
	"constructor.constructor", "constructor(\"return", "constructor('return", "Runtime.getRuntime(",
	"java.lang.Runtime", "java.lang.ProcessBuilder", "new ProcessBuilder", "javax.script.ScriptEngineManager",
	"Class.forName(", "_memberAccess", "#context[", "@java.lang", "T(java.lang", "getClass().forName",
	"phpinfo()", "<?php", "shell_exec(", "passthru(", "proc_open(", "pcntl_exec(", "assert($_", "eval($_",
	"base64_decode($_", "call_user_func(", "create_function(", "preg_replace('/.*/e", "file_put_contents(",
	"os.popen(", "os.system(", "subprocess.Popen(", "subprocess.check_output(", "subprocess.call(",
	"subprocess.run(", "pickle.loads(", "marshal.loads(", "Kernel.exec", "IO.popen(", "Kernel.system",
	"%x(", "require 'open3'", "Open3.", "System.Diagnostics.Process", "Invoke-Expression", "IEX(",
	"${script:", "#{T(", "freemarker.template.utility.Execute", "?new()(", "<#assign",
	"$class.inspect", "#set($", "ObjectConstructor", "!!python/object", "!!python/apply", "!ruby/object",
	"rO0AB", "aced0005", "O:8:\"stdClass\"", "__proto__", "constructor.prototype",
	/* the environment, and the system modules' other ways (round 10: subprocess.getoutput) */
	"process.env", "os.environ", "getenv(", "System.getenv", "$_ENV", "$_SERVER[", "ENV[", "ENV.fetch(",
	"subprocess.getoutput(", "subprocess.getstatusoutput(", "subprocess.check_call(", "os.exec", "os.spawn",
	"os.posix_spawn", "os.fork(", "os.kill(", "os.remove(", "os.unlink(", "os.rmdir(", "os.listdir(",
	"os.scandir(", "os.walk(", "os.chmod(", "os.rename(", "os.putenv(", "shutil.rmtree(", "pty.spawn(",
	"importlib.import_module(", "sys.modules", "process.kill(", "process.exit(", "fs.readFileSync(",
	"fs.writeFileSync(", "fs.readdirSync(", "fs.unlinkSync(", "fs.rmSync(", "Deno.env", "Deno.run(", "globalThis", "globals()", "locals()", NULL
};

/* A literal operand at s[i] (a number, a quoted string): its end, or i. */
static size_t cd_literal(const char *s, size_t len, size_t i)
{
	size_t j = i;
	if (i < len && (s[i] == '\'' || s[i] == '"')) {
		const char *e = memchr(s + i + 1, s[i], len - i - 1);
		return e && e - (s + i) <= 32 ? (size_t)(e - s) + 1 : i;
	}
	while (j < len && fng_isdigit((unsigned char)s[j]))
		j++;
	return j;
}

/* Arithmetic on literals anywhere in a template body, as its evaluator
 * reads it: spaces around the operator, numbers or strings ({{ 7 * 7 }},
 * {{7*'7'}}). */
static bool cd_arith(const char *b, size_t bl)
{
	for (size_t i = 0; i < bl; i++) {
		if (i > 0 && (fng_isalnum((unsigned char)b[i - 1]) || b[i - 1] == '_'))
			continue;
		size_t j = cd_literal(b, bl, i);
		if (j == i)
			continue;
		while (j < bl && b[j] == ' ')
			j++;
		if (j >= bl || !strchr("*+-/%", b[j]) || !b[j])
			continue;
		j++;
		while (j < bl && b[j] == ' ')
			j++;
		size_t e = cd_literal(b, bl, j);
		if (e > j && (e >= bl || !fng_isalpha((unsigned char)b[e])))
			return true;
	}
	return false;
}

/* Every marker above has one of these characters but those of cd_plain
 * (a marker added without one goes in cd_plain too, in the same order): a
 * value with none of them is searched for cd_plain's only, the same first
 * match at a tenth of the cost. */
static const unsigned char cd_gate[256] = {
	['('] = 1, ['.'] = 1, ['_'] = 1, ['/'] = 1, ['<'] = 1, [':'] = 1, ['#'] = 1,
	['['] = 1, ['$'] = 1, ['@'] = 1, ['{'] = 1, ['}'] = 1, ['%'] = 1,
};
static const char *const cd_plain[] = { "new ProcessBuilder", "require 'open3'", "Invoke-Expression",
					"ObjectConstructor", "rO0AB", "aced0005", NULL };

/* Ruby's call without parentheses: a name, a space, then a string or a
 * symbol (system 'id', File.read "/etc/passwd"); or a word that reaches
 * the process, its files or its environment (ENV.to_h, Dir.pwd, eval x). */
static bool cd_bare_call(const char *b, size_t bl)
{
	static const char *const ruby[] = { "env", "kernel", "file", "dir", "io", "process", "objectspace", "open3",
					    "system", "exec", "eval", "spawn", "send", "public_send", "binding",
					    "instance_eval", "class_eval", "instance_variable_get", "require", "load",
					    "syscall", "fork", "exit", "exit!", "abort", "const_get", "method", NULL };
	for (size_t i = 0; i + 2 < bl; i++)
		if ((fng_isalnum((unsigned char)b[i]) || b[i] == '_') && b[i + 1] == ' ' &&
		    (b[i + 2] == '\'' || b[i + 2] == '"' || b[i + 2] == ':'))
			return true;
	for (size_t i = 0; i < bl;) {
		size_t e = i;
		while (e < bl && (fng_isalnum((unsigned char)b[e]) || b[e] == '_' || b[e] == '!'))
			e++;
		for (size_t k = 0; e > i && ruby[k]; k++)
			if (strlen(ruby[k]) == e - i && !strncmp(b + i, ruby[k], e - i) && (i == 0 || b[i - 1] != '.' || k >= 8))
				return true;
		i = e > i ? e : i + 1;
	}
	return false;
}

/* A template expression ({{ }}, ${ }, #{ }, ERB's <% %> and <%= %>,
 * Razor's @( ), *{ }) whose body is code rather than a name: arithmetic on
 * numbers, a call, a dunder. */
static const char *cd_template(const char *s, size_t len, const struct fng_fw_pairs *pairs, size_t *at)
{
	static const char *const opens[] = { "{{", "${", "#{", "*{", "@{", "{%", "[[", "<%", "@(", NULL };
	static const char *const closes[] = { "}}", "}", "}", "}", "}", "%}", "]]", "%>", ")", NULL };

	for (size_t k = 0; opens[k]; k++) {
		size_t e = 0; /* the last close found: an open before it closes there too (no search again) */
		for (long o = fng_fw_maybe(pairs, opens[k]) ? fng_fw_find(s, len, opens[k]) : -1; o >= 0;) {
			size_t b = (size_t)o + 2;
			if (b > e || e == 0) {
				long c = fng_fw_find(s + b, len - b, closes[k]);
				e = c >= 0 ? b + (size_t)c : len;
			}
			const char *body = s + b;
			size_t bl = e - b < 256 ? e - b : 256;
			*at = (size_t)o;
			if (!strncasecmp(body, "jndi:", bl < 5 ? bl : 5) && bl >= 5)
				return "a JNDI lookup";
			if (k == 1 && (fng_fw_find(body, bl, "jndi") >= 0 || fng_fw_find(body, bl, "${") >= 0 ||
				       fng_fw_find(body, bl, "::-") >= 0 || !strncasecmp(body, "lower:", bl < 6 ? bl : 6) ||
				       !strncasecmp(body, "upper:", bl < 6 ? bl : 6) || !strncasecmp(body, "env:", bl < 4 ? bl : 4)))
				return "a lookup expression";
			if (fng_fw_find(body, bl, "__") >= 0 || fng_fw_find(body, bl, "(") >= 0 || fng_fw_find(body, bl, "[") >= 0 ||
			    fng_fw_find(body, bl, ".class") >= 0 || fng_fw_find(body, bl, "|attr") >= 0)
				return "a template expression with code";
			/* ERB (<% %>, <%= %>): Ruby's backticks, %x, :: constants, a call without parentheses on a string */
			if (k == 7 && (memchr(body, '`', bl) || fng_fw_find(body, bl, "%x") >= 0 || fng_fw_find(body, bl, "::") >= 0 ||
				       cd_bare_call(body, bl)))
				return "an ERB tag with code";
			if (cd_arith(body, bl))
				return "a template expression with arithmetic";
			long nx = fng_fw_find(s + b, len - b, opens[k]);
			o = nx >= 0 ? (long)b + nx : -1;
		}
	}
	return NULL;
}

/* Code in an evaluator's own delimiters: a PHP open tag with code after
 * it (<?= .. ?>, <? ..), Smarty's {php} block, a single-brace template tag
 * that calls a command or file sink ({system('id')}). */
static const char *cd_tags(const char *s, size_t len, const struct fng_fw_pairs *pairs, size_t *at)
{
	static const char *const sinks[] = { "system", "exec", "passthru", "shell_exec", "popen", "proc_open", "eval",
					     "assert", "include", "require", "file_get_contents", "readfile", "fetch",
					     "include_once", "require_once", "pcntl_exec", NULL };
	long close = -2; /* the next "?>" after the last tag looked at (-1: none): searched once per span */
	for (long o = fng_fw_maybe(pairs, "<?") ? fng_fw_find(s, len, "<?") : -1; o >= 0;) {
		size_t i = (size_t)o + 2;
		if (i < len && (s[i] == '=' || s[i] == ' ')) {
			if (close == -2 || (close >= 0 && (size_t)close < i + 2)) {
				long c = fng_fw_find(s + i + 2, len - i - 2 < len ? len - i - 2 : 0, "?>");
				close = c >= 0 ? (long)(i + 2) + c : -1;
			}
			if (close >= 0) {
				*at = (size_t)o;
				return "a PHP tag with code";
			}
		}
		long nx = fng_fw_find(s + i, len - i, "<?");
		o = nx >= 0 ? (long)i + nx : -1;
	}
	long p = fng_fw_maybe(pairs, "{php}") ? fng_fw_find(s, len, "{php}") : -1;
	if (p >= 0) {
		*at = (size_t)p;
		return "a Smarty php block";
	}
	for (const char *b = memchr(s, '{', len); b; b = memchr(b + 1, '{', len - (size_t)(b + 1 - s))) {
		size_t i = (size_t)(b - s) + 1, j = i;
		while (j < len && (fng_isalnum((unsigned char)s[j]) || s[j] == '_'))
			j++;
		if (j == i || j >= len || (s[j] != '(' && s[j] != ' '))
			continue;
		for (size_t k = 0; sinks[k]; k++) {
			if (j - i == strlen(sinks[k]) && !strncmp(s + i, sinks[k], j - i) && memchr(s + j, '}', len - j)) {
				*at = i - 1;
				return "a template tag calling a sink";
			}
		}
	}
	return NULL;
}

/* s[at] is inside a line comment ("# ", "// " earlier on its line, outside
 * quotes): text an evaluator skips (code in comments, shell notes). */
static bool cd_commented(const char *s, size_t at)
{
	size_t b = at;
	while (b > 0 && s[b - 1] != '\n')
		b--;
	char q = 0;
	for (size_t i = b; i + 1 < at; i++) {
		if (q) {
			q = s[i] == q ? 0 : q;
		} else if (s[i] == '\'' || s[i] == '"') {
			q = s[i];
		} else if ((s[i] == '#' && (s[i + 1] == ' ' || s[i + 1] == '\t')) ||
			   (s[i] == '/' && s[i + 1] == '/' && i + 2 < at && s[i + 2] == ' ' && (i == 0 || s[i - 1] != ':'))) {
			return true;
		}
	}
	return false;
}

bool fng_fw_code(const char *s, size_t len, const struct fng_fw_pairs *pairs, struct fng_fw_hit *h)
{
	size_t at = 0;
	const char *why = cd_template(s, len, pairs, &at); /* pairs: a needle's pair absent, no search */
	if (!why)
		why = cd_tags(s, len, pairs, &at);

	if (why)
		return wb_hit(h, at, at + 2, why);
	bool gate = false;
	for (size_t i = 0; i < len && !gate; i++)
		gate = cd_gate[(unsigned char)s[i]];
	const char *const *mk = gate ? cd_markers : cd_plain;
	for (size_t k = 0; mk[k]; k++) {
		long m = fng_fw_maybe(pairs, mk[k]) ? fng_fw_find(s, len, mk[k]) : -1;
		if (m >= 0 && !cd_commented(s, (size_t)m))
			return wb_hit(h, (size_t)m, (size_t)m + strlen(mk[k]), "an evaluator's way to the system");
	}
	if (!gate) /* every call below has a '(' */
		return false;
	if (fng_fw_code_expr(s, len, h)) /* eval()'s whole value: a method call on what is in scope */
		return true;
	/* eval/exec/system-like calls where the value starts or breaks out of a string */
	static const char *const calls[] = { "eval(", "exec(", "system(", "execfile(", "compile(", "setTimeout(",
					     "setInterval(", "Function(", "require(", "import(", "popen(", "spawn(",
					     "execSync(", "open(", "getattr(", "globals(", "locals(", "vars(", "dir(",
					     "print(", "alert(", "sleep(", NULL };
	for (size_t k = 0; calls[k]; k++) {
		long m = fng_fw_maybe(pairs, calls[k]) ? fng_fw_find(s, len, calls[k]) : -1;
		if (m < 0)
			continue;
		size_t a = (size_t)m, b = a;
		bool concat = a >= 2 && s[a - 1] == '.' && (s[a - 2] == '\'' || s[a - 2] == '"'); /* PHP '.system(..).' */
		if (!concat && a > 0 && (fng_isalnum((unsigned char)s[a - 1]) || s[a - 1] == '_' || s[a - 1] == '.'))
			continue;
		if (cd_commented(s, a))
			continue;
		if (concat && memchr(s + a, ')', len - a))
			return wb_hit(h, a - 2, a + strlen(calls[k]), "a string broken out into a concatenated call");
		while (b > 0 && (fng_isspace((unsigned char)s[b - 1]) || strchr("+;|&,", s[b - 1])) && s[b - 1])
			b--;
		bool start = b == 0 && (a == 0 || strchr(";|&", s[0]));
		bool broke = b > 0 && b < a && (s[b - 1] == '\'' || s[b - 1] == '"') && strchr("+;,|&", s[a - 1 - (a - 1 > b && fng_isspace((unsigned char)s[a - 1]))]);
		if ((start || broke) && (k < 16 || broke) && memchr(s + a, ')', len - a))
			return wb_hit(h, b ? b - 1 : a, a + strlen(calls[k]), "a call where the value breaks into code");
	}
	return false;
}
