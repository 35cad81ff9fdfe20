/* Request classification for the Runtime API proxy (rtapi.h): a request is
 * relayed only in the one form in which http-parser (the proxy) and the
 * real API's HTTP stack (Go net/http + a path router, in AWS's RAPID) are
 * known to read the same thing: origin-form target in plain characters,
 * HTTP/1.0 or 1.1, GET/POST/PUT, one Host, at most one plain Content-Length
 * or a lone chunked Transfer-Encoding, CRLF line ends. Everything else is
 * FNG_RT_REFUSED with a reason. Pure; table-tested in test/unit/test_rtapi.c
 * and compared with Go's net/http by t_lambda_rtapi_differential. */
#include "supervisor/lambda/rtapi.h"
#include "common/hex.h"

#include <string.h>
#include <strings.h>

void fng_rt_req_reset(struct fng_rt_req *q)
{
	memset(q, 0, sizeof(*q));
}

/* RFC 9110 tchar */
static bool is_tchar(unsigned char ch)
{
	if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
		return true;
	return ch && strchr("!#$%&'*+-.^_`|~", ch) != NULL;
}

/* A field value without its optional white space at either end. */
static void trimmed(const struct fng_rt_hdr *h, const char **v, size_t *n)
{
	const char *s = h->value;
	size_t len = h->vlen;

	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	*v = s;
	*n = len;
}

static bool all_digits(const char *s, size_t n)
{
	if (n == 0 || n > 18)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

void fng_rt_req_field(struct fng_rt_req *q, const struct fng_rt_hdr *h)
{
	const char *v;
	size_t n;
	bool framing = false;

	for (size_t i = 0; i < h->nlen; i++)
		if (!is_tchar((unsigned char)h->name[i]))
			q->field_bad = true;
	if (h->nlen == 0)
		q->field_bad = true;
	for (size_t i = 0; i < h->vlen; i++) {
		unsigned char ch = (unsigned char)h->value[i];
		if ((ch < ' ' && ch != '\t') || ch == 0x7f)
			q->field_bad = true;
	}
	trimmed(h, &v, &n);
	if (fng_rt_header_is(h->name, h->nlen, "Content-Length")) {
		q->n_cl++;
		q->cl_bad |= !all_digits(v, n);
		framing = true;
	} else if (fng_rt_header_is(h->name, h->nlen, "Transfer-Encoding")) {
		q->n_te++;
		q->te_bad |= !(n == 7 && strncasecmp(v, "chunked", 7) == 0);
		framing = true;
	} else if (fng_rt_header_is(h->name, h->nlen, "Host")) {
		q->n_host++;
		framing = true;
	} else if (fng_rt_header_is(h->name, h->nlen, "Upgrade")) {
		q->n_upgrade++;
	} else if (fng_rt_header_is(h->name, h->nlen, "Expect")) {
		if (n == 12 && strncasecmp(v, "100-continue", 12) == 0)
			q->expect_continue = true;
		else /* even empty: Go ignores it, node's server answers 417 */
			q->expect_bad = true;
		framing = true;
	}
	if (framing && h->cut)
		q->framing_cut = true;
}

/* The request line: METHOD SP TARGET SP HTTP/x.y, single spaces. */
static const char *request_line_check(const char *line, size_t n)
{
	const char *sp1 = memchr(line, ' ', n), *sp2;

	if (!sp1 || sp1 == line)
		return "malformed request line";
	for (const char *p = line; p < sp1; p++)
		if (!is_tchar((unsigned char)*p))
			return "malformed request line";
	sp2 = memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - line));
	if (!sp2 || sp2 == sp1 + 1 || memchr(sp2 + 1, ' ', n - (size_t)(sp2 + 1 - line)))
		return "malformed request line (spaces)";
	if ((size_t)(line + n - (sp2 + 1)) != 8 || memcmp(sp2 + 1, "HTTP/1.", 7) != 0)
		return "HTTP version other than 1.0 or 1.1";
	return NULL;
}

const char *fng_rt_head_check(const char *head, size_t len, char last)
{
	size_t line = 0;
	bool first = true;

	if (last != '\n' || len == 0 || head[len - 1] != '\r')
		return "line ends other than CRLF";
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)head[i];
		if (ch == '\r') {
			if (i + 1 < len && head[i + 1] != '\n')
				return "bare CR";
			if (first) {
				const char *why = request_line_check(head, i);
				if (why)
					return why;
			} else if (i > line && (head[line] == ' ' || head[line] == '\t')) {
				return "folded header line";
			}
			first = false;
			line = i + 2;
			i++;
		} else if (ch == '\n') {
			return "bare LF";
		} else if ((ch < ' ' && ch != '\t') || ch == 0x7f) {
			return "control byte in the head";
		} else if (first && ch == '\t') {
			return "malformed request line (tab)";
		}
	}
	return NULL;
}

/* Path characters (RFC 3986 pchar without '%', and '/'). */
static bool is_path_char(unsigned char ch)
{
	if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
		return true;
	return ch && strchr("-._~!$&'()*+,;=:@/", ch) != NULL;
}

/* Origin form, nothing a router would decode, clean or merge. */
static const char *target_check(const char *url, size_t len)
{
	size_t path = len;
	const char *q = memchr(url, '?', len);

	if (len == 0 || url[0] != '/')
		return len && url[0] != '*' ? "request target not in origin form (absolute form?)"
					    : "request target not in origin form";
	if (q)
		path = (size_t)(q - url);
	for (size_t i = 0; i < path; i++) {
		if (url[i] == '%')
			return "percent-encoding in the path";
		if (!is_path_char((unsigned char)url[i]))
			return "character outside the plain path set";
		if (url[i] == '/' && i + 1 < path && url[i + 1] == '/')
			return "empty path segment (//)";
		if (url[i] == '/' && i + 1 < path && url[i + 1] == '.' &&
		    (i + 2 == path || url[i + 2] == '/' || (url[i + 2] == '.' && (i + 3 == path || url[i + 3] == '/'))))
			return "dot segment (. or ..) in the path";
	}
	for (size_t i = path; i < len; i++)
		if ((unsigned char)url[i] <= ' ' || (unsigned char)url[i] >= 0x7f || url[i] == '#')
			return "character outside the plain query set";
	return NULL;
}

/* invocation/{id}/response|error with an id longer than the proxy keeps:
 * the router would take it, so it is refused rather than called "other". */
static bool id_too_long(const char *url, size_t len)
{
	static const char inv[] = FNG_RT_PREFIX "invocation/";
	const char *q = memchr(url, '?', len), *slash;

	if (q)
		len = (size_t)(q - url);
	if (len < sizeof(inv) - 1 || memcmp(url, inv, sizeof(inv) - 1) != 0)
		return false;
	url += sizeof(inv) - 1;
	len -= sizeof(inv) - 1;
	slash = memchr(url, '/', len);
	return slash && (size_t)(slash - url) >= FNG_RT_ID_MAX;
}

static const char *framing_check(unsigned minor, const struct fng_rt_req *q)
{
	if (q->field_bad)
		return "malformed header field";
	if (q->framing_cut)
		return "framing header field too long";
	if (q->n_cl > 1)
		return "more than one Content-Length";
	if (q->cl_bad)
		return "Content-Length not a plain number";
	if (q->n_te > 1 || q->te_bad)
		return "Transfer-Encoding other than one chunked";
	if (q->n_te && q->n_cl)
		return "both Content-Length and Transfer-Encoding";
	if (q->n_te && minor == 0)
		return "Transfer-Encoding on HTTP/1.0";
	if (q->n_host > 1 || (q->n_host == 0 && minor == 1))
		return "Host missing or repeated";
	if (q->n_upgrade)
		return "Upgrade";
	if (q->expect_bad)
		return "Expect other than 100-continue";
	return NULL;
}

enum fng_rt_route fng_rt_classify(const char *method, unsigned major, unsigned minor, const char *url, size_t url_len,
				  bool url_cut, const struct fng_rt_req *q, char *id, size_t idn, const char **why)
{
	bool get = strcmp(method, "GET") == 0, post = strcmp(method, "POST") == 0;
	enum fng_rt_route r;

	*why = NULL;
	if (idn)
		id[0] = '\0';
	if (major != 1 || minor > 1)
		*why = "HTTP version other than 1.0 or 1.1";
	else if (!get && !post && strcmp(method, "PUT") != 0)
		*why = "method other than GET, POST or PUT";
	else if (url_cut)
		*why = "request target too long";
	else
		*why = framing_check(minor, q);
	if (!*why)
		*why = target_check(url, url_len);
	if (!*why && id_too_long(url, url_len))
		*why = "request id too long";
	if (*why)
		return FNG_RT_REFUSED;
	r = fng_rt_route(url, url_len, id, idn);
	if ((r == FNG_RT_NEXT && !get) || (r != FNG_RT_NEXT && r != FNG_RT_OTHER && !post)) {
		if (idn)
			id[0] = '\0';
		return FNG_RT_OTHER; /* the router answers 405 */
	}
	return r;
}

/* ---- chunked bodies, strictly ----
 * http-parser lets some malformed chunk framing through (bytes other than
 * CRLF after a chunk's data) that Go's reader rejects: the proxy would see
 * a whole response that the real API refused. This checks the one strict
 * form both read alike. */
enum { CK_HEAD_LF, CK_SIZE, CK_EXT, CK_SIZE_LF, CK_DATA, CK_DATA_CR, CK_DATA_LF, CK_TRAILER, CK_TRAILER_LF,
       CK_TLINE, CK_TLINE_LF, CK_END_LF, CK_DONE };

void fng_rt_chunked_reset(struct fng_rt_chunked *k)
{
	memset(k, 0, sizeof(*k));
	k->state = CK_HEAD_LF;
}

bool fng_rt_chunked_done(const struct fng_rt_chunked *k)
{
	return k->state == CK_DONE;
}

/* One byte outside chunk data; NULL or why it is wrong. */
static const char *chunked_byte(struct fng_rt_chunked *k, unsigned char ch)
{
	switch (k->state) {
	case CK_HEAD_LF: /* the head's last byte, which the parser hands on with the body */
		k->state = CK_SIZE;
		return ch == '\n' ? NULL : "bad head end";
	case CK_SIZE:
		if (fng_hex_digit((char)ch) >= 0 && k->digits < 15) {
			k->left = k->left * 16 + (uint64_t)fng_hex_digit((char)ch);
			k->digits++;
			return NULL;
		}
		if (!k->digits || (ch != '\r' && ch != ';'))
			return "malformed chunk size";
		k->state = ch == ';' ? CK_EXT : CK_SIZE_LF;
		return NULL;
	case CK_EXT:
		if (ch == '\r')
			k->state = CK_SIZE_LF;
		else if (ch < ' ' || ch == 0x7f)
			return "malformed chunk extension";
		return NULL;
	case CK_SIZE_LF:
		if (ch != '\n')
			return "chunk size line not ended by CRLF";
		k->state = k->left ? CK_DATA : CK_TRAILER;
		return NULL;
	case CK_DATA_CR:
		k->state = CK_DATA_LF;
		return ch == '\r' ? NULL : "chunk data not followed by CRLF";
	case CK_DATA_LF:
		k->state = CK_SIZE;
		k->digits = 0;
		return ch == '\n' ? NULL : "chunk data not followed by CRLF";
	case CK_TRAILER: /* start of a trailer line, or the final CRLF */
		if (ch == '\r') {
			k->state = CK_END_LF;
			return NULL;
		}
		k->state = CK_TLINE;
		return is_tchar(ch) ? NULL : "malformed trailer";
	case CK_TLINE:
		if (ch == '\r')
			k->state = CK_TLINE_LF;
		else if ((ch < ' ' && ch != '\t') || ch == 0x7f)
			return "malformed trailer";
		return NULL;
	case CK_TLINE_LF:
		k->state = CK_TRAILER;
		return ch == '\n' ? NULL : "trailer line not ended by CRLF";
	case CK_END_LF:
		k->state = CK_DONE;
		return ch == '\n' ? NULL : "chunked body not ended by CRLF";
	default:
		return "bytes after the chunked body";
	}
}

const char *fng_rt_chunked_feed(struct fng_rt_chunked *k, const char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		const char *why;
		if (k->state == CK_DATA) {
			size_t take = n - i < k->left ? n - i : (size_t)k->left;
			k->left -= take;
			i += take;
			if (!k->left)
				k->state = CK_DATA_CR;
			continue;
		}
		why = chunked_byte(k, (unsigned char)p[i++]);
		if (why)
			return why;
	}
	return NULL;
}
