/* The command injection detector: the value read as a shell reads it: a
 * separator (; | & && || newline) or a substitution ($( or `) followed
 * by a command word (quotes and backslashes inside a word removed, $IFS
 * read as a space), where the word is a program and what follows is what
 * a shell command line has (an option, a path, an operator, the end);
 * documentation read as documentation. NoSQL: detect_nosql.c. */
#include "common/ascii.h"
#include <string.h>
#include <strings.h>

#include "policy/payload/detect.h"
#include "policy/payload/detect_sh.h"

/* Programs that are commands whatever follows them. */
static const char *const cm_strong[] = { "whoami", "uname", "ifconfig", "ipconfig", "netcat", "ncat", "nslookup",
					 "wget", "curl", "mkfifo", "busybox", "certutil", "systeminfo", "tasklist",
					 "printenv", "powershell", "socat", "xterm", "chmod", "passwd", "useradd",
					 "bitsadmin", "rundll32", "regsvr32", "mshta", "wscript", "cscript", "net.exe",
					 "cmd.exe", "bash", "nc", "telnet", "/bin/sh", "/bin/bash", "getent", "hostname",
					 "netstat", "crontab", "sh", "zsh", "ksh", "dash", "csh", NULL };
/* Developer tools a documentation line starts with (git clone URL): read
 * only to tell documentation, never a finding by themselves. */
static const char *const cm_tools[] = { "git", "npm", "npx", "yarn", "pnpm", "pip", "pip3", "docker", "kubectl",
					"cargo", "go", "apt", "apt-get", "brew", "helm", "terraform", "aws", "gcloud",
					"mvn", "gradle", "composer", "gem", "bundle", "cmake", "make", "configure", NULL };
/* Programs that are also words: a command only with shell-like arguments. */
static const char *const cm_weak[] = { "id", "ls", "pwd", "ps", "cat", "find", "more", "less", "head", "tail",
				       "type", "sleep", "kill", "echo", "host", "date", "dir", "env", "net", "ping",
				       "awk", "sed", "nl", "tac", "od", "dig", "rm", "cp", "mv", "touch", "python",
				       "python3", "perl", "ruby", "php", "node", "lua", "tftp", "ftp", "scp", "ssh",
				       "xargs", "base64", "grep", "tee", "cmd", "start", "reboot", "shutdown", "cd",
				       "uptime", "w", "who", "last", "set", "ver", "sort", "cut", "tr", "xxd", "wc",
				       "timeout", "dd", "tar", "zip", "chown", "mail", "sudo", "su", "export", "eval",
				       "exec", "source", "openssl", "java", "gcc", "make", "file", "stat", "pkill",
				       "killall", "unzip", "gzip", "chmod", "ln", "mkdir", NULL };

static bool cm_sep(char c)
{
	return c == ';' || c == '|' || c == '&' || c == '\n' || c == '\r';
}

/* Skip spaces, tabs and $IFS forms from i. */
static size_t cm_space(const char *s, size_t len, size_t i)
{
	for (;;) {
		if (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		else if (i + 6 <= len && !strncmp(s + i, "${IFS}", 6))
			i += 6;
		else if (i + 4 <= len && !strncmp(s + i, "$IFS", 4))
			i += 4 + (i + 6 <= len && s[i + 4] == '$' && s[i + 5] == '9' ? 2 : 0);
		else if (i + 2 <= len && s[i] == '$' && s[i + 1] == '@')
			i += 2;
		else
			return i;
	}
}

/* The command word at i: quotes and backslashes removed, a /path/ prefix
 * kept apart; into w (lower case). A word longer than w keeps its last
 * path component ("/" and the name, *base 1), or none. Returns the end. */
static size_t cm_word(const char *s, size_t len, size_t i, char *w, size_t wn, size_t *base)
{
	size_t k = 0;
	bool over = false;

	*base = 0;
	for (; i < len; i++) {
		char c = s[i];
		if (c == '\'' || c == '"' || c == '\\')
			continue;
		if (fng_isspace((unsigned char)c) || cm_sep(c) || c == '<' || c == '>' || c == '`' || c == '(' || c == ')' ||
		    c == '$' || c == '{' || c == '}')
			break;
		if (c == '/' && over) { /* start again at the component */
			over = false;
			k = 0;
		}
		if (c == '/')
			*base = k + 1;
		if (k < wn - 1)
			w[k++] = (char)fng_tolower((unsigned char)c);
		else
			over = true;
	}
	w[over ? 0 : k] = '\0';
	if (over)
		*base = 0;
	return i;
}

static bool cm_in(const char *w, const char *const *list)
{
	for (; *list; list++)
		if (**list == *w && !strcmp(w, *list))
			return true;
	return false;
}

/* A word that names a file: a dot between word characters (creds.txt,
 * app.py) or a slash, at a. */
static bool cm_filearg(const char *s, size_t a, size_t e)
{
	for (size_t k = a; k < e; k++)
		if (s[k] == '/' || (s[k] == '.' && k > a && k + 1 < e && fng_isalnum((unsigned char)s[k - 1]) &&
				    fng_isalnum((unsigned char)s[k + 1])))
			return true;
	return false;
}

/* What follows a weak command word looks like a command line. */
static bool cm_args(const char *s, size_t len, size_t i, bool tight)
{
	size_t j = cm_space(s, len, i);

	if (j >= len || cm_sep(s[j]) || s[j] == '`' || s[j] == ')')
		return true;
	if (s[j] == '-' || s[j] == '/' || s[j] == '\\' || s[j] == '<' || s[j] == '>' || s[j] == '$' || s[j] == '~' ||
	    s[j] == '.' || s[j] == '*' || s[j] == '%')
		return j > i || tight || s[j] == '$';
	if (fng_isdigit((unsigned char)s[j]))
		return j > i;
	if (j + 2 < len && fng_isalpha((unsigned char)s[j]) && s[j + 1] == ':' && (s[j + 2] == '\\' || s[j + 2] == '/'))
		return true; /* a Windows path */
	/* a redirection later in the same command ("; echo x > /tmp/f") */
	for (size_t k = j; k < len && !cm_sep(s[k]); k++)
		if ((s[k] == '>' || s[k] == '<') && k + 1 < len && (s[k + 1] == ' ' || s[k + 1] == '/' || s[k + 1] == '&' || s[k + 1] == '>'))
			return true;
	/* an argument that names a file ("; rm app.py", "; cat creds.txt"), after
	 * ; | & (a line that starts with a word is prose: "File \"m.py\", line 1") */
	size_t e = j, c0 = i;
	while (e < len && !fng_isspace((unsigned char)s[e]) && !cm_sep(s[e]))
		e++;
	while (c0 > 0 && !fng_isspace((unsigned char)s[c0 - 1]) && !cm_sep(s[c0 - 1]))
		c0--;
	while (c0 > 0 && (s[c0 - 1] == ' ' || s[c0 - 1] == '\t'))
		c0--;
	if (j > i && c0 > 0 && strchr(";|&", s[c0 - 1]) && cm_filearg(s, j, e))
		return true;
	/* a tight separator (";ls x") with a short word argument */
	return tight && j > i;
}

/* A command at i (after a separator or a substitution opener). */
static bool cm_command(const char *s, size_t len, size_t i, bool tight, bool subst, size_t *end)
{
	char w[40];
	size_t base;

	i = cm_space(s, len, i);
	if (i >= len)
		return false;
	size_t e = cm_word(s, len, i, w, sizeof(w), &base);
	*end = e;
	const char *name = w + base;
	if (!*name)
		return false;
	if (cm_in(name, cm_strong) || (base && cm_in(w, cm_strong))) /* base 0: name is w */
		return subst || cm_args(s, len, e, true) || base > 0 || e - i == strlen(w);
	if (cm_in(name, cm_weak))
		return subst || base > 0 || cm_args(s, len, e, tight);
	return false;
}

/* The word at i (after spaces) is a program on the strong list. */
static bool cm_is_strong(const char *s, size_t len, size_t i)
{
	char w[40];
	size_t base;

	cm_word(s, len, cm_space(s, len, i), w, sizeof(w), &base);
	return w[0] && (cm_in(w + base, cm_strong) || cm_in(w, cm_strong));
}

/* An assignment word at i (NAME=value, the value up to a space outside a
 * $( )): its end, or 0. */
static size_t cm_assignment(const char *s, size_t len, size_t i)
{
	size_t j = i;
	int depth = 0;

	if (i >= len || !(fng_isalpha((unsigned char)s[i]) || s[i] == '_'))
		return 0;
	while (j < len && (fng_isalnum((unsigned char)s[j]) || s[j] == '_'))
		j++;
	if (j >= len || s[j] != '=')
		return 0;
	for (j++; j < len && j - i < 256 && (depth > 0 || !fng_isspace((unsigned char)s[j])); j++) {
		if (s[j] == '(' && s[j - 1] == '$')
			depth++;
		else if (s[j] == ')' && depth > 0)
			depth--;
	}
	return j < len && fng_isspace((unsigned char)s[j]) ? j : 0;
}

/* The word at i (after spaces) is a program: listed, or with options,
 * after any assignments. */
static bool cm_is_program(const char *s, size_t len, size_t i)
{
	char w[40];
	size_t base;

	i = cm_space(s, len, i);
	if (i + 2 <= len && s[i] == '$' && s[i + 1] == ' ') /* a shell prompt */
		i = cm_space(s, len, i + 1);
	for (unsigned n = 0; n < 4 && cm_assignment(s, len, i); n++) /* VERSION=$(git describe) make */
		i = cm_space(s, len, cm_assignment(s, len, i));
	cm_word(s, len, i, w, sizeof(w), &base);
	return (w[0] && (cm_in(w + base, cm_strong) || cm_in(w + base, cm_weak) || cm_in(w + base, cm_tools))) ||
	       fng_fw_sh_program(s, len, i);
}

/* Documentation: markdown code (``` fences, `inline` spans) and a value
 * that is itself a command line (its first word a program). There a
 * pipe, && or a substitution chains a command as documentation shows
 * it, and only a strong program (a shell, the network, recon) or a word
 * built at run time is a finding (docs/policy.md: the judgment call). */
struct cm_doc {
	const char *s;	 /* the value */
	size_t len;
	bool line_known; /* line_end computed (on first need: most values have no separator) */
	size_t line_start; /* the value's first line is a command line from here */
	size_t line_end; /* up to here (0: not) */
	bool rp_known;	 /* rp: the first ')' at or after the last search's start (len: none) */
	size_t rp;
	bool row_known;	 /* row: the line [row_from, row_to) is a markdown table row */
	bool row;
	size_t row_from, row_to;
	bool fence;	 /* inside ``` */
	bool span;	 /* inside `inline code` */
};

static bool cm_in_doc(struct cm_doc *d, size_t i)
{
	if (d->fence || d->span)
		return true;
	if (!d->line_known) {
		d->line_known = true;
		const char *nl = memchr(d->s, '\n', d->len);
		size_t le = nl ? (size_t)(nl - d->s) : d->len;
		/* the line itself, or prose introducing it ("To install, run: curl …") */
		long c = fng_fw_find(d->s, le, ": ");
		d->line_start = cm_is_program(d->s, d->len, 0) ? 0 : c > 0 && cm_is_program(d->s, le, (size_t)c + 2) ? (size_t)c + 2 : le;
		d->line_end = d->line_start < le ? le : 0;
	}
	return i >= d->line_start && i < d->line_end;
}

/* A shell that ends a documented download line: "curl -fsSL URL | sh",
 * the install idiom. The pipe at i, the shell's word at c. Inserted into
 * an argument the shell runs what the function prints, not the download;
 * a further pipe (| sh | sh), a file argument or a download written to
 * a file (-o) stays a finding. */
static bool cm_install_pipe(const struct cm_doc *d, size_t i, size_t c)
{
	static const char *const shells[] = { "sh", "bash", "zsh", "dash", "ksh", NULL };
	const char *s = d->s;
	char w[16];
	size_t base, b = i;

	if (s[i] != '|' || (i + 1 < d->len && s[i + 1] == '|') || (i > 0 && s[i - 1] == '|'))
		return false;
	while (b > d->line_start && !cm_sep(s[b - 1]))
		b--;
	/* the downloader: the segment's last word "curl" or "wget" */
	long dl = -1;
	for (size_t k = b; k + 5 <= i; k++)
		if ((k == b || s[k - 1] == ' ') && (!strncmp(s + k, "curl ", 5) || !strncmp(s + k, "wget ", 5)))
			dl = (long)k;
	if (dl < 0 || fng_fw_find(s + dl, i - (size_t)dl, " -o") >= 0 ||
	    fng_fw_find(s + dl, i - (size_t)dl, "--output") >= 0 || fng_fw_find(s + dl, i - (size_t)dl, "://") < 0)
		return false;
	size_t e = cm_word(s, d->len, c, w, sizeof(w), &base);
	if (base || !cm_in(w, shells))
		return false;
	for (size_t a = cm_space(s, d->len, e); a < d->line_end; a = cm_space(s, d->len, a)) {
		if (s[a] != '-')
			return false; /* an argument that is not an option: a script, a separator */
		while (a < d->line_end && !fng_isspace((unsigned char)s[a]) && !cm_sep(s[a]))
			a++;
	}
	return true;
}

/* A markdown table row: the separator's line starts and ends with '|'
 * ("| id | int |"); a pipe chain does not (cells are not commands). */
static bool cm_cell(struct cm_doc *d, size_t i)
{
	const char *s = d->s;
	size_t len = d->len;

	/* a row's cells are split by single pipes: "||" and "|&" are the shell's */
	if (s[i] != '|' || (i + 1 < len && (s[i + 1] == '|' || s[i + 1] == '&')) || (i > 0 && s[i - 1] == '|'))
		return false;
	if (!d->row_known || i < d->row_from || i >= d->row_to) { /* once per line: a line of many pipes stays linear */
		size_t b = i, e = i;
		while (b > 0 && s[b - 1] != '\n')
			b--;
		while (e < len && s[e] != '\n')
			e++;
		d->row_known = true;
		d->row_from = b;
		d->row_to = e;
		while (b < e && fng_isspace((unsigned char)s[b]))
			b++;
		while (e > b && fng_isspace((unsigned char)s[e - 1]))
			e--;
		d->row = e - b >= 3 && s[b] == '|' && s[e - 1] == '|';
	}
	return d->row;
}

/* A redirection at r (< or >, >>, >|, <>) and the file word after it:
 * the end of that word, or 0. */
static size_t cm_redirect(const char *s, size_t len, size_t r)
{
	if (r >= len || (s[r] != '>' && s[r] != '<'))
		return 0;
	r++;
	if (r < len && (s[r] == '>' || s[r] == '|' || s[r] == '<'))
		r++;
	if (r < len && s[r] == '=')
		return 0; /* >=, <= : a comparison */
	r = cm_space(s, len, r);
	size_t e = r;
	while (e < len && !fng_isspace((unsigned char)s[e]) && !cm_sep(s[e]) && s[e] != '<' && s[e] != '>')
		e++;
	return e > r && !fng_isdigit((unsigned char)s[r]) ? e : 0;
}

/* Shell builtins that do their work without a program: with a redirection
 * they write or read a file (outside attack round 7: x;printf %s "$KEY">f,
 * x;true>f). */
static const char *const cm_builtins[] = { "printf", "echo", "true", "false", "read", "eval", "exec", "export",
					   "set", "unset", "cd", "source", "trap", "ulimit", "umask", "let", "local",
					   "declare", "typeset", "alias", "command", "builtin", "test", ":", NULL };

/* After a separator, at c: a bare redirection touching it (;>f, |>f: it
 * creates or truncates f; "| > quote" is prose), or a builtin whose
 * segment redirects. The end, or 0. */
static size_t cm_redirected(const char *s, size_t len, size_t c, bool tight)
{
	size_t e = tight ? cm_redirect(s, len, c) : 0, base, w;
	char word[16];

	if (e)
		return e;
	/* the command word as the program lists read it (quotes removed) */
	w = cm_word(s, len, c, word, sizeof(word), &base);
	if (base || !cm_in(word, cm_builtins))
		return 0;
	for (size_t r = w; r < len && !cm_sep(s[r]); r++)
		if ((e = cm_redirect(s, len, r)) != 0)
			return e;
	return 0;
}

/* The place of an injected argument: the separator at i starts the value
 * or follows one shell word ("127.0.0.1;", "report.pdf |"), and the word
 * at c is a command word (a name or a path). There any program runs:
 * a listed one or a builtin whatever follows (; cp a b, | tee f, && touch
 * f, ;pkill node), a path (x;./run), or any other with an argument that
 * names a file (x;shred app.db). Prose puts words before its separators;
 * a chat line may start with one ("&& then he said no", "||| idk"), so an
 * unlisted word at the value's start needs that argument too. The
 * finding's end, or 0. */
static size_t cm_injected(const char *s, size_t len, size_t i, size_t c)
{
	char w[40];
	size_t base, b, a, e = i;

	/* backwards, so each separator reads only what lies after the one before */
	while (e > 0 && fng_isspace((unsigned char)s[e - 1]))
		e--;
	bool start = e == 0;
	for (b = e; b > 0 && !fng_isspace((unsigned char)s[b - 1]) && !cm_sep(s[b - 1]);)
		b--;
	while (b > 0 && fng_isspace((unsigned char)s[b - 1]))
		b--;
	if (b > 0)
		return 0; /* words or a separator before it: prose, or judged at that separator */
	if ((s[i] == '\n' || s[i] == '\r') && !start)
		return 0;
	if (c >= len || !(fng_isalpha((unsigned char)s[c]) || s[c] == '/' || s[c] == '.' || s[c] == '~'))
		return 0;
	e = cm_word(s, len, c, w, sizeof(w), &base);
	if (!w[base] || (e < len && !fng_isspace((unsigned char)s[e]) && !cm_sep(s[e]) && s[e] != '<' && s[e] != '>'))
		return 0;
	if (s[i] == '&' && e < len && s[e] == ';')
		return 0; /* an HTML entity (&amp;) */
	size_t end = fng_fw_sh_cmdend(s, len, e);
	bool path = s[c] == '/' || s[c] == '~' || (s[c] == '.' && c + 1 < len && (s[c + 1] == '/' || s[c + 1] == '.'));
	if (path || cm_in(w + base, cm_strong) || cm_in(w + base, cm_weak) || cm_in(w + base, cm_builtins))
		return end;
	for (a = e; a < end; a = e) {
		while (a < end && fng_isspace((unsigned char)s[a]))
			a++;
		for (e = a; e < end && !fng_isspace((unsigned char)s[e]);)
			e++;
		if (cm_filearg(s, a, e))
			return end;
	}
	return 0;
}

/* A separator at i followed by a command: the finding's end, or 0. */
static size_t cm_after_sep(const char *s, size_t len, size_t i, size_t j, bool tight, struct cm_doc *d)
{
	size_t end, c = cm_space(s, len, j);

	if (c >= len || cm_cell(d, i) || (j > i + 1 && cm_cell(d, j - 1))) /* "\n| id |": a row after a line */
		return 0;
	size_t dyn = fng_fw_sh_dynamic(s, len, c);
	if (dyn)
		return dyn;
	if (s[i] != ';' && cm_in_doc(d, i))
		return cm_is_strong(s, len, c) && !cm_install_pipe(d, i, c) && cm_command(s, len, j, tight, false, &end) ? end : 0;
	if (cm_command(s, len, j, tight, false, &end))
		return end;
	if (s[i] != '\n' && s[i] != '\r' && (end = fng_fw_sh_program(s, len, c)) != 0)
		return end;
	if (s[i] != '\n' && s[i] != '\r' && (end = cm_redirected(s, len, c, tight)) != 0)
		return end;
	return cm_injected(s, len, i, c);
}

/* $( ) around a command that only prints a value documentation inserts
 * into a command line ($(pwd), $(id -u), $(uname -m), $(date +%F)): it
 * reads no file and runs nothing else. j: after "$(". */
static bool cm_value_subst(const char *s, size_t len, size_t j)
{
	static const char *const printers[] = { "pwd)", "date)", "nproc)", "id -u)", "id -g)", "id -un)", "id -gn)",
						"uname -m)", "uname -s)", "uname -r)", "whoami)", NULL };
	for (size_t k = 0; printers[k]; k++) {
		size_t n = strlen(printers[k]);
		if (len - j >= n && !memcmp(s + j, printers[k], n))
			return strcmp(printers[k], "whoami)") != 0;
	}
	/* date +FORMAT: letters, digits, %, -, :, _ only */
	if (len - j > 6 && !memcmp(s + j, "date +", 6)) {
		size_t k = j + 6;
		while (k < len && (fng_isalnum((unsigned char)s[k]) || strchr("%-:_", s[k])) && s[k])
			k++;
		return k < len && s[k] == ')';
	}
	return false;
}

/* An unlisted word run as a command inside $( ): shell arguments (a
 * quoted string, an option, a path, a variable, a redirection) before the
 * closing parenthesis ($(printf 'id'), $(foo -x)). The end, or 0. */
static size_t cm_subst_any(struct cm_doc *d, size_t c)
{
	const char *s = d->s;
	size_t len = d->len, e = c;

	while (e < len && (fng_isalnum((unsigned char)s[e]) || s[e] == '_' || s[e] == '-' || s[e] == '.'))
		e++;
	if (e - c < 2 || !fng_isalpha((unsigned char)s[c]) || e >= len || s[e] != ' ')
		return 0;
	if (!d->rp_known || (d->rp < e && d->rp < len)) { /* the next ')', searched once per span */
		const char *p = memchr(s + e, ')', len - e);
		d->rp_known = true;
		d->rp = p ? (size_t)(p - s) : len;
	}
	const char *close = d->rp < len ? s + d->rp : NULL;
	size_t a = cm_space(s, len, e);
	if (!close || a >= (size_t)(close - s) || !strchr("'\"-/$<>", s[a]) || !s[a])
		return 0;
	return (size_t)(close - s) + 1;
}

/* A substitution opened at i (its command at j): the finding's end, or 0. */
static size_t cm_subst(const char *s, size_t len, size_t i, size_t j, struct cm_doc *d)
{
	size_t end, c = cm_space(s, len, j);
	size_t dyn = fng_fw_sh_dynamic(s, len, c);

	if (dyn)
		return dyn;
	if (s[i] == '$' && cm_value_subst(s, len, j))
		return 0;
	if (cm_in_doc(d, i))
		return cm_is_strong(s, len, c) && cm_command(s, len, j, true, true, &end) ? end : 0;
	if (cm_command(s, len, j, true, true, &end))
		return end;
	if ((end = fng_fw_sh_program(s, len, c)) != 0)
		return end;
	return s[i] == '$' ? cm_subst_any(d, c) : 0;
}

bool fng_fw_cmd(const char *s, size_t len, struct fng_fw_hit *h)
{
	size_t end;
	struct cm_doc d = { .s = s, .len = len };

	if (len && (s[0] == '/' || s[0] == '{' || s[0] == '$') && (end = fng_fw_sh_dynamic(s, len, 0)) != 0 &&
	    (s[0] != '$' || s[1] == '\''))
		return fng_fw_set(h, 0, end, "a command word built by the shell");
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (cm_sep(c)) {
			size_t j = i + 1;
			while (j < len && cm_sep(s[j]) && s[j] != '\n')
				j++;
			bool tight = j < len && !fng_isspace((unsigned char)s[j]);
			/* "a & b" between words is prose: the & must touch the command or end a word */
			if (c == '&' && j == i + 1 && !tight && i > 0 && s[i - 1] == ' ')
				continue;
			if ((end = cm_after_sep(s, len, i, j, tight, &d)) != 0)
				return fng_fw_set(h, i, end, "a shell separator, then a command");
			i = j - 1;
		} else if ((c == '$' && i + 1 < len && s[i + 1] == '(' && !(i + 2 < len && s[i + 2] == '(')) || c == '`') {
			if (c == '`' && i + 2 < len && s[i + 1] == '`' && s[i + 2] == '`') {
				d.fence = !d.fence;
				i += 2;
				continue;
			}
			/* `word` inside prose is also markdown's inline code: a backtick
			 * substitution counts where it starts the value or touches a word */
			bool md = c == '`' && i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\n' || s[i - 1] == '(' || s[i - 1] == '`');
			if (c == '`' && (md || d.span)) {
				d.span = !d.span;
				continue;
			}
			if ((end = cm_subst(s, len, i, i + (c == '$' ? 2 : 1), &d)) != 0)
				return fng_fw_set(h, i, end, "a command substitution");
		}
	}
	long t = fng_fw_find(s, len, "/dev/tcp/");
	if (t < 0)
		t = fng_fw_find(s, len, "/dev/udp/");
	if (t >= 0)
		return fng_fw_set(h, (size_t)t, (size_t)t + 9, "a shell network redirection");
	/* the value as a whole command line: a strong program with arguments */
	char w[40];
	size_t base;
	cm_word(s, len, cm_space(s, len, 0), w, sizeof(w), &base); /* a strong first word first: most values have none */
	if (cm_in(w + base, cm_strong) && !cm_in(w + base, (const char *const[]){ "sh", "bash", "hostname", NULL }) &&
	    cm_command(s, len, 0, false, false, &end) && end < len && fng_fw_find(s, len, "://") < 0)
		return fng_fw_set(h, 0, end, "a command line");
	return false;
}
