/* The input firewall's detector dispatch (detect.h), and the small
 * detectors: XML external entities, local file inclusion, spreadsheet
 * formula (CSV) injection. Pure. */
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

bool fng_fw_xxe(const char *s, size_t len, struct fng_fw_hit *h)
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
		if (fng_fw_find(s + d, dl, "SYSTEM") >= 0)
			return fw_hit(h, (size_t)d, (size_t)d + 9, "an external DTD");
	}
	long x = fng_fw_find(s, len, "xi:include");
	if (x >= 0 && x > 0 && s[x - 1] == '<')
		return fw_hit(h, (size_t)x - 1, (size_t)x + 10, "an XInclude");
	return false;
}

/* ---- LFI: traversal, sensitive absolute paths, stream wrappers, NUL ---- */

static const char *const lfi_abs[] = {
	"/etc/passwd", "/etc/shadow", "/etc/group", "/etc/hosts", "/etc/issue", "/etc/sudoers", "/etc/crontab",
	"/etc/ssh/", "/etc/mysql", "/etc/apache", "/etc/nginx", "/etc/httpd", "/etc/hostname", "/etc/resolv.conf",
	"/etc/fstab", "/etc/motd", "/etc/profile", "/etc/environment", "/etc/security/", "/etc/master.passwd",
	"/proc/self", "/proc/1/", "/proc/version", "/proc/cmdline", "/proc/mounts", "/proc/net/", "/root/",
	"/.ssh/", "id_rsa", "/var/log/", "/var/run/secrets", "/var/task/", "/opt/lambda", "/.aws/credentials",
	"/.env", "/.git/config", "/.htaccess", "/.htpasswd", "/.bash_history", "boot.ini", "win.ini", "system.ini",
	"/windows/system32", "\\windows\\system32", "\\windows\\win.ini", "/winnt/", "\\winnt\\", "/boot.ini",
	"web.config", "wp-config.php", "/usr/local/etc/", "/dev/stdin", "/dev/fd/", "/sam", "\\sam", "/inetpub/",
	"\\inetpub\\", "/applicationhost.config", "/var/www/", "/usr/local/apache", "/etc/php", "/php.ini",
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

bool fng_fw_lfi(const char *s, size_t len, const struct fng_fw_pairs *pairs, struct fng_fw_hit *h)
{
	size_t ups = 0, first = 0;

	for (size_t i = 0; i + 1 < len; i++) {
		size_t n = lfi_dotdot(s, len, i);
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
		size_t a = (size_t)at;
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
	if (len >= 3 && fng_isalpha((unsigned char)s[0]) && s[1] == ':' && (s[2] == '\\' || s[2] == '/') &&
	    (fng_fw_find(s, len, "windows") >= 0 || fng_fw_find(s, len, "winnt") >= 0))
		return fw_hit(h, 0, 3, "a Windows system path");
	return false;
}

/* ---- CSV: a cell that a spreadsheet evaluates as a formula ---- */

bool fng_fw_csv(const char *s, size_t len, struct fng_fw_hit *h)
{
	size_t i = 0;

	while (i < len && (s[i] == '\t' || s[i] == '\r' || s[i] == '\n' || s[i] == ' ' || s[i] == '"'))
		i++;
	if (i >= len || !strchr("=+-@", s[i]) || !s[i])
		return false;
	size_t f = i;
	char lead = s[i];
	while (i < len && (strchr("=+-@ ", s[i]) && s[i]))
		i++;
	size_t w = i;
	while (i < len && (fng_isalnum((unsigned char)s[i]) || s[i] == '.' || s[i] == '_'))
		i++;
	bool name = i > w && fng_isalpha((unsigned char)s[w]);
	if (name && i < len && s[i] == '(')
		return fw_hit(h, f, i + 1, "a formula calling a function");
	if (name && i < len && s[i] == '|')
		return fw_hit(h, f, i + 1, "a DDE formula");
	if (fng_fw_find(s, len, "cmd|") >= 0 || fng_fw_find(s, len, "|'/c") >= 0 || fng_fw_find(s, len, "|' /c") >= 0 ||
	    fng_fw_find(s, len, "msexcel|") >= 0)
		return fw_hit(h, f, len, "a DDE formula");
	if (lead == '=' && i < len && (fng_isdigit((unsigned char)s[w]) || s[w] == '(') && len - f < 64) {
		for (size_t k = w; k < len; k++)
			if (strchr("+-*/^&", s[k]) && s[k])
				return fw_hit(h, f, len, "a formula");
	}
	if (lead == '=' && name && i < len && (s[i] == '!' || (fng_isdigit((unsigned char)s[i - 1]) && i == len)))
		return fw_hit(h, f, i, "a cell reference formula");
	return false;
}

/* Which bytes a value holds: the detectors run only where the characters
 * their syntax needs are there (a plain word cannot break out of anything). */
struct fw_seen {
	unsigned char has[256];
};

static void fw_seen(const char *s, size_t len, struct fw_seen *z)
{
	memset(z->has, 0, sizeof(z->has));
	for (size_t i = 0; i < len; i++)
		z->has[(unsigned char)s[i]] = 1;
}

static bool fw_any(const struct fw_seen *z, const char *chars, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (z->has[(unsigned char)chars[i]])
			return true;
	return false;
}

#define FW_ANY(z, lit) fw_any(z, lit, sizeof(lit) - 1)

/* One value through the detectors its characters allow. */
static unsigned fw_one(const char *s, size_t len, unsigned kind, struct fng_fw_hit hits[FNG_FW_NCLASS])
{
	unsigned m = 0;
	bool key = kind == FNG_PWALK_KEY;
	struct fw_seen z;
	struct fng_fw_pairs pairs;
	char stack[2048];
	char *heap = len < sizeof(stack) ? NULL : malloc(len + 1);
	char *low = heap ? heap : stack;

	if (len >= sizeof(stack) && !heap)
		return FNG_FW_UNDECIDED; /* out of memory: not checked, so not clean */
	for (size_t i = 0; i < len; i++) /* tolower of the C locale (fnguard sets no other), inline */
		low[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] | 0x20) : s[i];
	low[len] = '\0';
	s = low;
	fw_seen(s, len, &z);
	fng_fw_pairs(s, len, &pairs); /* once, for every detector that searches a needle list */
	if (FW_ANY(&z, "$.(;|&}") && fng_fw_nosql(s, len, key, &pairs, &hits[FNG_FW_NOSQL]))
		m |= 1u << FNG_FW_NOSQL;
	if (key && len < 3) {
		free(heap);
		return m;
	}
	bool sql_chars = FW_ANY(&z, "'\";(=<>@#-/*`") || (len && s[0] >= '0' && s[0] <= '9');
	if ((sql_chars || fng_fw_find(s, len, "union") >= 0 || fng_fw_find(s, len, "waitfor") >= 0) &&
	    fng_fw_sql(s, len, &hits[FNG_FW_SQL]))
		m |= 1u << FNG_FW_SQL;
	if (FW_ANY(&z, ";|&\n\r$`/-") && fng_fw_cmd(s, len, &hits[FNG_FW_CMD]))
		m |= 1u << FNG_FW_CMD;
	if ((FW_ANY(&z, "({[<$#%!._'\"-") || fng_fw_find(s, len, "ro0ab") >= 0 || fng_fw_find(s, len, "aced0005") >= 0) &&
	    fng_fw_code(s, len, &pairs, &hits[FNG_FW_CODE]))
		m |= 1u << FNG_FW_CODE;
	if (FW_ANY(&z, "<:(=[`&") && fng_fw_xss(s, len, &pairs, &hits[FNG_FW_XSS]))
		m |= 1u << FNG_FW_XSS;
	if (z.has['<'] && z.has['!'] + z.has[':'] > 0 && fng_fw_xxe(s, len, &hits[FNG_FW_XXE]))
		m |= 1u << FNG_FW_XXE;
	if ((FW_ANY(&z, "./\\:~") || z.has[0]) && fng_fw_lfi(s, len, &pairs, &hits[FNG_FW_LFI]))
		m |= 1u << FNG_FW_LFI;
	if (!key && fng_fw_csv(s, len, &hits[FNG_FW_CSV]))
		m |= 1u << FNG_FW_CSV;
	free(heap);
	return m;
}

#define FW_DECODE_MAX 65536 /* longer values are checked as they are */

unsigned fng_fw_detect(const char *s, size_t len, unsigned kind, struct fng_fw_hit hits[FNG_FW_NCLASS])
{
	unsigned m = fw_one(s, len, kind, hits);
	char buf[2][1024];
	char *heap[2] = { NULL, NULL };
	const char *cur = s;
	size_t n = len;

	/* %XX decoded once and twice (double encoding); the hits of a decoded
	 * form point at the raw value's whole length */
	for (int r = 0; r < 2 && memchr(cur, '%', n) && n <= FW_DECODE_MAX; r++) {
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
	return m;
}
