/* The input firewall's detector dispatch (detect.h), and the small
 * detectors: XML external entities, local file inclusion (spreadsheet
 * formulas: detect_csv.c). Pure. */
#include "common/ascii.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/util.h"
#include "policy/payload/detect.h"
#include "policy/payload/walk.h"

static const char *const fw_names[FNG_FW_NCLASS] = {
	"sql_injection", "nosql_injection", "command_injection", "code_injection",
	"xss", "xxe", "local_file_inclusion", "csv_injection",
};

const char *fng_fw_class_name(enum fng_fw_class c)
{
	return (unsigned)c < FNG_FW_NCLASS ? fw_names[c] : "?";
}

int fng_fw_class_of(const char *name)
{
	for (int i = 0; i < FNG_FW_NCLASS; i++)
		if (!strcmp(name, fw_names[i]))
			return i;
	return -1;
}

static bool fw_hit(struct fng_fw_hit *h, size_t start, size_t end, const char *why)
{
	h->start = start;
	h->end = end;
	h->why = why;
	return true;
}

/* ---- XXE: a DTD that declares an external entity, or an XInclude ---- */

/* A DOCTYPE (s[0, dl), up to its '>') whose external identifier nobody
 * but the W3C serves: a public identifier "-//W3C//..." with no system
 * identifier, or one on www.w3.org (catalogued by XML parsers, ignored by
 * HTML ones), or HTML5's "about:legacy-compat". An internal subset ('[')
 * is judged by the rules for entities, not here. */
static bool xxe_w3c(const char *s, size_t dl)
{
	const char *q = memchr(s, '"', dl);
	size_t ids = 0;

	if (memchr(s, '[', dl) || memchr(s, '\'', dl))
		return false;
	while (q) {
		const char *e = memchr(q + 1, '"', dl - (size_t)(q + 1 - s));
		if (!e)
			return false;
		size_t n = (size_t)(e - q - 1);
		bool ok = (ids == 0 && n > 7 && !strncmp(q + 1, "-//w3c//", 8)) ||
			  (n > 19 && !strncmp(q + 1, "http://www.w3.org/", 18)) ||
			  (n > 20 && !strncmp(q + 1, "https://www.w3.org/", 19)) || (n == 19 && !strncmp(q + 1, "about:legacy-compat", 19));
		if (!ok)
			return false;
		ids++;
		q = memchr(e + 1, '"', dl - (size_t)(e + 1 - s));
	}
	return ids > 0;
}

static bool xxe_check(const char *s, size_t len, struct fng_fw_hit *h)
{
	long e = fng_fw_find(s, len, "<!ENTITY");
	long d = fng_fw_find(s, len, "<!DOCTYPE");

	if (e >= 0) {
		const char *t = s + e + 8;
		size_t rest = len - (size_t)e - 8;
		if (fng_fw_find(t, rest, "SYSTEM") >= 0 || fng_fw_find(t, rest, "PUBLIC") >= 0)
			return fw_hit(h, (size_t)e, (size_t)e + 8, "an external entity declaration");
		while (rest && fng_isspace((unsigned char)*t))
			t++, rest--;
		if (rest && *t == '%')
			return fw_hit(h, (size_t)e, (size_t)e + 8, "a parameter entity");
		if (d >= 0 && fng_fw_find(s, len, "&") > e)
			return fw_hit(h, (size_t)e, (size_t)e + 8, "an entity declared and used (expansion)");
	}
	if (d >= 0) {
		const char *end = memchr(s + d, '>', len - (size_t)d);
		size_t dl = end ? (size_t)(end - (s + d)) : len - (size_t)d;
		if ((fng_fw_find(s + d, dl, "SYSTEM") >= 0 || fng_fw_find(s + d, dl, "PUBLIC") >= 0) && !xxe_w3c(s + d, dl))
			return fw_hit(h, (size_t)d, (size_t)d + 9, "an external DTD");
	}
	/* XSLT that reads other documents: document(), xsl:include/import, unparsed-text() */
	long xs = fng_fw_find(s, len, "<xsl:");
	if (xs >= 0) {
		static const char *const reads[] = { "document(", "<xsl:include", "<xsl:import", "unparsed-text(", NULL };
		for (size_t k = 0; reads[k]; k++)
			if (fng_fw_find(s, len, reads[k]) >= 0)
				return fw_hit(h, (size_t)xs, (size_t)xs + 5, "XSLT that reads an external document");
	}
	long x = fng_fw_find(s, len, "xi:include");
	if (x >= 0 && x > 0 && s[x - 1] == '<')
		return fw_hit(h, (size_t)x - 1, (size_t)x + 10, "an XInclude");
	return false;
}

/* UTF-7 as an XML parser decodes a document that declares it: "+" then
 * modified base64 of UTF-16BE up to "-" or a non-base64 byte; ASCII
 * characters are kept (others become '?'). Into out (len + 1); length. */
static size_t xxe_utf7(const char *s, size_t len, char *out)
{
	size_t k = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] != '+') {
			out[k++] = s[i];
			continue;
		}
		unsigned acc = 0, bits = 0;
		size_t j = i + 1;
		for (; j < len; j++) {
			const char *b = strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", s[j]);
			if (!b || !s[j])
				break;
			acc = (acc << 6) | (unsigned)(b - "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
			bits += 6;
			if (bits >= 16) {
				unsigned cp = (acc >> (bits - 16)) & 0xffff;
				bits -= 16;
				out[k++] = cp && cp < 0x80 ? (char)cp : '?';
			}
		}
		if (j == i + 1)
			out[k++] = '+'; /* "+-" is a plus */
		i = j < len && s[j] == '-' ? j : j - 1;
	}
	out[k] = '\0';
	return k;
}

bool fng_fw_xxe(const char *s, size_t len, struct fng_fw_hit *h)
{
	return xxe_check(s, len, h);
}

/* A document that declares UTF-7 read as its parser reads it. raw is the
 * value before lower-casing (base64 is case-sensitive). */
static bool xxe_utf7_doc(const char *raw, size_t len, const char *low, struct fng_fw_hit *h)
{
	char buf[4096];

	if (len >= sizeof(buf) || fng_fw_find(low, len, "<?xml") < 0 || fng_fw_find(low, len, "utf-7") < 0)
		return false;
	size_t n = xxe_utf7(raw, len, buf);
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)fng_tolower((unsigned char)buf[i]);
	if (!xxe_check(buf, n, h))
		return false;
	h->start = 0;
	h->end = len;
	h->why = "an external entity in a UTF-7 document";
	return true;
}

/* ---- LFI: traversal, sensitive absolute paths, stream wrappers, NUL ---- */

static const char *const lfi_abs[] = {
	"/etc/passwd", "/etc/shadow", "/etc/group", "/etc/hosts", "/etc/issue", "/etc/sudoers", "/etc/crontab",
	"/etc/ssh/", "/etc/mysql", "/etc/apache", "/etc/nginx", "/etc/httpd", "/etc/hostname", "/etc/resolv.conf",
	"/etc/fstab", "/etc/motd", "/etc/profile", "/etc/environment", "/etc/security/", "/etc/master.passwd",
	"/proc/self", "/proc/1/", "/proc/version", "/proc/cmdline", "/proc/mounts", "/proc/net/", "/root/",
	"/.ssh/", "id_rsa", "/var/log/", "/var/run/secrets", "/var/task/", "/var/runtime/", "/opt/lambda", "/.aws/credentials",
	"/.env", "/.git/config", "/.htaccess", "/.htpasswd", "/.bash_history", "boot.ini", "win.ini", "system.ini",
	"/windows/system32", "\\windows\\system32", "\\windows\\win.ini", "/winnt/", "\\winnt\\", "/boot.ini",
	"web.config", "wp-config.php", "/usr/local/etc/", "/dev/stdin", "/dev/fd/", "/sam", "\\sam", "/inetpub/",
	"\\inetpub\\", "/applicationhost.config", "/usr/local/apache", "/etc/php", "/php.ini",
	"/etc/localtime", NULL
};

static const char *const lfi_wrap[] = { "php://", "file://", "zip://", "phar://", "expect://", "glob://",
					"zlib://", "compress.zlib://", "compress.bzip2://", "data://", "jar:file:",
					"netdoc:", "ogg://", "rar://", "ssh2.", NULL };

/* ../ or ..\ (and the overlong and mixed forms) from i: its length, or 0. */
static size_t lfi_dotdot(const char *s, size_t len, size_t i)
{
	if (i + 2 > len || s[i] != '.' || s[i + 1] != '.')
		return 0;
	size_t j = i + 2;
	while (j < len && s[j] == '.')
		j++;
	if (j < len && (s[j] == '/' || s[j] == '\\'))
		return j + 1 - i;
	if (j + 1 < len && (unsigned char)s[j] == 0xc0 && ((unsigned char)s[j + 1] == 0xaf || (unsigned char)s[j + 1] == 0x9c))
		return j + 2 - i;
	if (j + 1 < len && s[j] == ';' && s[j + 1] == '/')
		return j + 2 - i;
	if (j == len && i > 0 && (s[i - 1] == '/' || s[i - 1] == '\\'))
		return j - i;
	return 0;
}

/* Sensitive by place, not by name: the value (after a traversal, or as
 * a whole absolute path) is under a system configuration, process or
 * kernel directory, or is a dotfile in a home directory (where
 * credentials live). s is normalised (lfi_norm). */
static bool lfi_class(const char *s, size_t len)
{
	size_t i = 0;

	while (i + 3 <= len && s[i] == '.' && s[i + 1] == '.' && s[i + 2] == '/')
		i += 3;
	if (i < len && s[i] == '~' && i + 2 < len && s[i + 1] == '/' && s[i + 2] == '.' && i + 3 < len &&
	    fng_isalpha((unsigned char)s[i + 3]))
		return true;
	if (i + 1 >= len || s[i] != '/')
		return false;
	static const char *const dirs[] = { "/etc/", "/proc/", "/sys/", "/root/", "/boot/", "/dev/", NULL };
	for (size_t k = 0; dirs[k]; k++) {
		size_t n = strlen(dirs[k]);
		if (len - i > n + 1 && !strncmp(s + i, dirs[k], n) && (fng_isalnum((unsigned char)s[i + n]) || s[i + n] == '.'))
			return !memchr(s + i, ' ', len - i);
	}
	if (len - i > 6 && !strncmp(s + i, "/home/", 6)) {
		const char *c = memchr(s + i + 6, '/', len - i - 6);
		return c && (size_t)(c - s) + 2 < len && c[1] == '.' && fng_isalpha((unsigned char)c[2]);
	}
	return false;
}

/* One separator or dot as a receiving stack may decode it: the byte it
 * stands for ('/' or '.') and its length at s[i], or 0. Backslash,
 * overlong UTF-8 (C0 AF, C1 9C, E0 80 AF, C0 AE), fullwidth and look-alike
 * slashes (U+FF0F, U+FF3C, U+2215, U+2216, U+2044), fullwidth dot (U+FF0E),
 * and IIS %uXXXX escapes of all of them. */
static size_t lfi_sep(const char *s, size_t len, size_t i, char *out)
{
	const unsigned char *u = (const unsigned char *)s + i;
	size_t r = len - i;
	unsigned cp = 0;

	if (u[0] == '\\')
		return *out = '/', 1;
	if (r >= 2 && (u[0] == 0xc0 || u[0] == 0xc1) && (u[1] == 0xaf || u[1] == 0x9c))
		return *out = '/', 2;
	if (r >= 2 && u[0] == 0xc0 && u[1] == 0xae)
		return *out = '.', 2;
	if (r >= 3 && u[0] == 0xe0 && u[1] == 0x80 && (u[2] == 0xaf || u[2] == 0xae))
		return *out = u[2] == 0xaf ? '/' : '.', 3;
	if (r >= 3 && u[0] == 0xef && u[1] == 0xbc && (u[2] == 0x8f || u[2] == 0xbc || u[2] == 0x8e))
		return *out = u[2] == 0x8e ? '.' : '/', 3;
	if (r >= 3 && u[0] == 0xe2 && ((u[1] == 0x88 && (u[2] == 0x95 || u[2] == 0x96)) || (u[1] == 0x81 && u[2] == 0x84)))
		return *out = '/', 3;
	if (r >= 6 && u[0] == '%' && (u[1] == 'u' || u[1] == 'U')) {
		for (size_t k = 2; k < 6; k++) {
			if (!fng_isxdigit(u[k]))
				return 0;
			cp = cp * 16 + (unsigned)(fng_isdigit(u[k]) ? u[k] - '0' : (fng_tolower(u[k]) - 'a' + 10));
		}
		if (cp == 0x2f || cp == 0x5c || cp == 0xff0f || cp == 0xff3c || cp == 0x2215 || cp == 0x2216 || cp == 0x2044)
			return *out = '/', 6;
		if (cp == 0x2e || cp == 0xff0e)
			return *out = '.', 6;
	}
	return 0;
}

/* Anything lfi_norm would change: a backslash, a multi-byte or %u form,
 * "//" or "/./". Most values have none (one pass, no copy). */
static bool lfi_needs_norm(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\\' || c >= 0xc0 || (c == '%' && i + 1 < len && (s[i + 1] == 'u' || s[i + 1] == 'U')))
			return true;
		if (c == '/' && i + 1 < len && (s[i + 1] == '/' || (s[i + 1] == '.' && i + 2 < len && s[i + 2] == '/')))
			return true;
	}
	return false;
}

/* The path the value names once decoded and normalised: separators and
 * dots of every encoding above made plain, runs of '/' one, "/./" gone.
 * Into out (len + 1 bytes); its length. */
static size_t lfi_norm(const char *s, size_t len, char *out)
{
	size_t k = 0;

	for (size_t i = 0; i < len;) {
		char c = s[i];
		size_t n = lfi_sep(s, len, i, &c);
		i += n ? n : 1;
		if (c == '/' && k > 0 && out[k - 1] == '/')
			continue;
		if (c == '/' && k >= 2 && out[k - 1] == '.' && out[k - 2] == '/') {
			k--; /* "/./" */
			continue;
		}
		out[k++] = c;
	}
	out[k] = '\0';
	return k;
}

static bool lfi_check(const char *s, size_t len, const struct fng_fw_pairs *pairs, struct fng_fw_hit *h)
{
	size_t ups = 0, first = 0;

	for (size_t i = 0; i + 1 < len; i++) {
		size_t n = lfi_dotdot(s, len, i);
		if (!n && s[i] == '.' && s[i + 1] == '.') { /* a run of dots not climbing: skip it whole (linear) */
			while (i + 2 < len && s[i + 2] == '.')
				i++;
			continue;
		}
		if (n) {
			if (!ups++)
				first = i;
			if (ups >= 2)
				return fw_hit(h, first, i + n, "a path that climbs out (../../)");
			i += n - 1;
		}
	}
	for (size_t k = 0; lfi_abs[k]; k++) {
		long at = fng_fw_maybe(pairs, lfi_abs[k]) ? fng_fw_find(s, len, lfi_abs[k]) : -1;
		if (at < 0)
			continue;
		/* a sensitive path as the value, after a traversal, a drive, or a wrapper */
		size_t a = (size_t)at, e = a + strlen(lfi_abs[k]);
		if (fng_isalnum((unsigned char)lfi_abs[k][e - a - 1]) && e < len && fng_isalnum((unsigned char)s[e]))
			continue; /* a file's name must end there: /sam, not /samples */
		bool lead = a == 0 || ups || (a >= 1 && (s[a - 1] == ':' || s[a - 1] == '~')) || (a >= 1 && (s[a - 1] == '/' || s[a - 1] == '\\')) ||
			    (a >= 2 && s[a - 2] == ':' && fng_isalpha((unsigned char)s[a - 1])) || (lfi_abs[k][0] != '/' && lfi_abs[k][0] != '\\');
		if (lead && (lfi_abs[k][0] == '/' || lfi_abs[k][0] == '\\' || a == 0 || ups || s[a - 1] == '/' || s[a - 1] == '\\'))
			return fw_hit(h, a, a + strlen(lfi_abs[k]), "a sensitive file path");
	}
	for (size_t k = 0; lfi_wrap[k]; k++) {
		long at = fng_fw_maybe(pairs, lfi_wrap[k]) ? fng_fw_find(s, len, lfi_wrap[k]) : -1;
		if (at >= 0 && (at == 0 || !fng_isalnum((unsigned char)s[at - 1])))
			return fw_hit(h, (size_t)at, (size_t)at + strlen(lfi_wrap[k]), "a stream wrapper");
	}
	const char *nul = memchr(s, '\0', len);
	if (nul && (memchr(s, '/', len) || memchr(s, '.', len) || memchr(s, '\\', len)))
		return fw_hit(h, (size_t)(nul - s), (size_t)(nul - s) + 1, "a NUL byte that cuts a path");
	if ((ups || len >= 5) && lfi_class(s, len))
		return fw_hit(h, 0, len < 16 ? len : 16, "a system or credential file by its place");
	if (len >= 3 && fng_isalpha((unsigned char)s[0]) && s[1] == ':' && (s[2] == '\\' || s[2] == '/') &&
	    (fng_fw_find(s, len, "windows") >= 0 || fng_fw_find(s, len, "winnt") >= 0))
		return fw_hit(h, 0, 3, "a Windows system path");
	return false;
}


bool fng_fw_lfi(const char *s, size_t len, const struct fng_fw_pairs *pairs, struct fng_fw_hit *h)
{
	char buf[4096];
	struct fng_fw_pairs np;

	if (lfi_check(s, len, pairs, h))
		return true;
	/* a UNC path to a host named by a domain or an address (\\evil.example\x,
	 * \\10.0.0.1\x, \\host@80\x): the server is asked for it, and sent the
	 * function's credentials; a one-label name (\\fileserver\share) is an
	 * internal share a field may well carry */
	if (len > 4 && s[0] == '\\' && s[1] == '\\' && fng_isalnum((unsigned char)s[2])) {
		const char *e = memchr(s + 3, '\\', len - 3);
		size_t hl = e ? (size_t)(e - s) - 2 : 0;
		if (e && (memchr(s + 2, '.', hl) || memchr(s + 2, '@', hl)))
			return fw_hit(h, 0, 2 + hl, "a UNC path to another host");
	}
	if (len >= sizeof(buf) || !lfi_needs_norm(s, len)) /* longer values: read as they are */
		return false;
	size_t n = lfi_norm(s, len, buf);
	if (n == len && !memcmp(buf, s, len))
		return false;
	fng_fw_pairs(buf, n, &np);
	if (!lfi_check(buf, n, &np, h))
		return false;
	h->start = 0;
	h->end = len;
	return true;
}

/* Which detectors a value's bytes allow: each byte's gates (the
 * characters a detector's syntax needs), OR-ed over the value in the same
 * pass that lower-cases it (a plain word cannot break out of anything).
 * nosql: $.(;|&}  sql: '";(=<>@#-/ * `  cmd: ;|& \n \r $`/-  code: ({[<$#%!._'"-
 * xss: <:(=[`&  lfi: ./\:~ NUL  xxe: '<' with '!' or ':' (or '+': UTF-7)
 * csv cells inside a value: ( or | (a call, a DDE target). */
enum fw_gate_bit {
	FW_G_NOSQL = 1u << 0, FW_G_SQL = 1u << 1, FW_G_CMD = 1u << 2, FW_G_CODE = 1u << 3,
	FW_G_XSS = 1u << 4, FW_G_LT = 1u << 5, FW_G_BANG = 1u << 6, FW_G_COLON = 1u << 7,
	FW_G_PLUS = 1u << 8, FW_G_LFI = 1u << 9, FW_G_CALL = 1u << 10,
};

static const unsigned short fw_gate[256] = {
	[0] = FW_G_LFI, ['\n'] = FW_G_CMD, ['\r'] = FW_G_CMD, ['!'] = FW_G_CODE | FW_G_BANG, ['"'] = FW_G_SQL | FW_G_CODE,
	['#'] = FW_G_SQL | FW_G_CODE, ['$'] = FW_G_NOSQL | FW_G_CMD | FW_G_CODE, ['%'] = FW_G_CODE,
	['&'] = FW_G_NOSQL | FW_G_CMD | FW_G_XSS, ['\''] = FW_G_SQL | FW_G_CODE,
	['('] = FW_G_NOSQL | FW_G_SQL | FW_G_CODE | FW_G_XSS | FW_G_CALL, ['*'] = FW_G_SQL, ['+'] = FW_G_PLUS,
	['-'] = FW_G_SQL | FW_G_CMD | FW_G_CODE, ['.'] = FW_G_NOSQL | FW_G_CODE | FW_G_LFI,
	['/'] = FW_G_SQL | FW_G_CMD | FW_G_LFI, [':'] = FW_G_XSS | FW_G_COLON | FW_G_LFI,
	[';'] = FW_G_NOSQL | FW_G_SQL | FW_G_CMD, ['<'] = FW_G_SQL | FW_G_CODE | FW_G_XSS | FW_G_LT,
	['='] = FW_G_SQL | FW_G_XSS, ['>'] = FW_G_SQL, ['@'] = FW_G_SQL, ['['] = FW_G_CODE | FW_G_XSS, ['\\'] = FW_G_LFI,
	['_'] = FW_G_CODE, ['`'] = FW_G_SQL | FW_G_CMD | FW_G_XSS, ['{'] = FW_G_CODE, ['|'] = FW_G_NOSQL | FW_G_CMD | FW_G_CALL,
	['}'] = FW_G_NOSQL, ['~'] = FW_G_LFI,
};

/* One value through the detectors its characters allow. */
static unsigned fw_one(const char *s, size_t len, unsigned kind, struct fng_fw_hit hits[FNG_FW_NCLASS])
{
	unsigned m = 0;
	bool key = kind == FNG_PWALK_KEY;
	unsigned g = 0;
	bool digits = len > 0; /* only digits: a number, which no SQL context reads as more (fng_fw_sql: no finding) */
	struct fng_fw_pairs pairs;
	char stack[2048];
	char *heap = len < sizeof(stack) ? NULL : malloc(len + 1);
	char *low = heap ? heap : stack;

	if (len >= sizeof(stack) && !heap)
		return FNG_FW_UNDECIDED; /* out of memory: not checked, so not clean */
	for (size_t i = 0; i < len; i++) { /* tolower of the C locale (fnguard sets no other), inline */
		low[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] | 0x20) : s[i];
		g |= fw_gate[(unsigned char)s[i]];
		digits &= s[i] >= '0' && s[i] <= '9';
	}
	low[len] = '\0';
	const char *raw = s;
	s = low;
	fng_fw_pairs(s, len, &pairs); /* once, for every detector that searches a needle list */
	if ((g & FW_G_NOSQL) && fng_fw_nosql(s, len, key, &pairs, &hits[FNG_FW_NOSQL]))
		m |= 1u << FNG_FW_NOSQL;
	if (key && len < 3) {
		free(heap);
		return m;
	}
	bool sql_chars = (g & FW_G_SQL) || (len && s[0] >= '0' && s[0] <= '9' && !digits);
	if ((sql_chars || (fng_fw_maybe(&pairs, "union") && fng_fw_find(s, len, "union") >= 0) || (fng_fw_maybe(&pairs, "waitfor") && fng_fw_find(s, len, "waitfor") >= 0)) &&
	    fng_fw_sql(s, len, &hits[FNG_FW_SQL]))
		m |= 1u << FNG_FW_SQL;
	if ((g & FW_G_CMD) && fng_fw_cmd(s, len, &hits[FNG_FW_CMD]))
		m |= 1u << FNG_FW_CMD;
	if (((g & FW_G_CODE) || (fng_fw_maybe(&pairs, "ro0ab") && fng_fw_find(s, len, "ro0ab") >= 0) || (fng_fw_maybe(&pairs, "aced0005") && fng_fw_find(s, len, "aced0005") >= 0)) &&
	    fng_fw_code(s, len, &pairs, &hits[FNG_FW_CODE]))
		m |= 1u << FNG_FW_CODE;
	if ((g & FW_G_XSS) && fng_fw_xss(s, len, &pairs, &hits[FNG_FW_XSS]))
		m |= 1u << FNG_FW_XSS;
	if ((g & FW_G_LT) && (g & (FW_G_BANG | FW_G_COLON)) && fng_fw_xxe(s, len, &hits[FNG_FW_XXE]))
		m |= 1u << FNG_FW_XXE;
	else if ((g & FW_G_LT) && (g & FW_G_PLUS) && xxe_utf7_doc(raw, len, s, &hits[FNG_FW_XXE]))
		m |= 1u << FNG_FW_XXE;
	if ((g & FW_G_LFI) && fng_fw_lfi(s, len, &pairs, &hits[FNG_FW_LFI]))
		m |= 1u << FNG_FW_LFI;
	if (!key && fng_fw_csv(s, len, (g & FW_G_CALL) != 0, &hits[FNG_FW_CSV]))
		m |= 1u << FNG_FW_CSV;
	free(heap);
	return m;
}

#define FW_DECODE_MAX 65536 /* longer values are checked as they are */

/* A value written in numeric character references (&#39;&#32;&#85;...,
 * three or more) is checked decoded as well: code that unescapes HTML
 * before use. Named references (&lt;) stay: HTML fields carry them. The
 * classes found beyond m. */
static unsigned fw_entities(const char *s, size_t len, unsigned kind, struct fng_fw_hit hits[FNG_FW_NCLASS], unsigned m)
{
	char out[1024];
	size_t k = 0, refs = 0;

	if (len >= sizeof(out) || fng_fw_find(s, len, "&#") < 0) /* memchr's speed, not glibc's generic memmem */
		return 0;
	for (size_t i = 0; i < len;) {
		unsigned v = 0;
		size_t j = i + 2;
		bool hex = j < len && (s[j] == 'x' || s[j] == 'X');
		if (s[i] == '&' && i + 2 < len && s[i + 1] == '#') {
			for (j += hex; j < len && (hex ? fng_isxdigit((unsigned char)s[j]) : fng_isdigit((unsigned char)s[j])) && v < 0x110000; j++)
				v = v * (hex ? 16 : 10) + (unsigned)(fng_isdigit((unsigned char)s[j]) ? s[j] - '0' : (fng_tolower((unsigned char)s[j]) - 'a' + 10));
			if (j > i + 2 + hex && v && v < 0x80) {
				out[k++] = (char)v;
				refs++;
				i = j + (j < len && s[j] == ';');
				continue;
			}
		}
		out[k++] = s[i++];
	}
	if (refs < 3)
		return 0;
	struct fng_fw_hit more[FNG_FW_NCLASS];
	unsigned add = fw_one(out, k, kind, more) & ~m & ~FNG_FW_UNDECIDED;
	for (int c = 0; c < FNG_FW_NCLASS; c++)
		if (add & (1u << c))
			hits[c] = (struct fng_fw_hit){ 0, len, more[c].why };
	return add;
}

unsigned fng_fw_detect(const char *s, size_t len, unsigned kind, struct fng_fw_hit hits[FNG_FW_NCLASS])
{
	unsigned m = fw_one(s, len, kind, hits);
	char buf[3][1024];
	char *heap[3] = { NULL, NULL, NULL };
	const char *cur = s;
	size_t n = len;

	/* %XX decoded once, twice and three times (layered encoding); the hits of a decoded
	 * form point at the raw value's whole length */
	for (int r = 0; r < 3 && memchr(cur, '%', n) && n <= FW_DECODE_MAX; r++) {
		char *out = n < sizeof(buf[r]) ? buf[r] : (heap[r] = malloc(n + 1));
		if (!out) {
			m |= FNG_FW_UNDECIDED; /* the decoded form goes unchecked: not clean */
			break;
		}
		/* no space but '+': form encoding, where '+' is one */
		size_t d = fng_pwalk_urldecode(cur, n, !memchr(cur, ' ', n) && memchr(cur, '+', n), out);
		if (d == n)
			break;
		struct fng_fw_hit more[FNG_FW_NCLASS];
		unsigned add = fw_one(out, d, kind, more) & ~m;
		for (int c = 0; c < FNG_FW_NCLASS; c++)
			if (add & (1u << c))
				hits[c] = (struct fng_fw_hit){ 0, len, more[c].why };
		m |= add;
		cur = out;
		n = d;
	}
	free(heap[0]);
	free(heap[1]);
	free(heap[2]);
	return m | fw_entities(s, len, kind, hits, m);
}
