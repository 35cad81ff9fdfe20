/* Output inspection's detectors (payload.h): the function's own credentials
 * (as written and under 1 to 3 levels of JSON string escaping, PCRE2), AWS
 * access key ids and private key blocks (PCRE2, through
 * regexset.c), card numbers that pass Luhn (a scan of digit runs), and the
 * policy's rules. A body is fed chunk by chunk: each chunk is scanned
 * behind the last `overlap` bytes of the one before, so a match across a
 * boundary is found while memory stays bounded by overlap + chunk. */
#include "policy/payload/payload.h"
#include "common/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUT_MIN_SECRET 8
#define OUT_MIN_OVERLAP 4096
#define OUT_CONTEXT 12
/* The longest form of one byte of a secret: 7 backslashes (3 levels of
 * JSON escaping) and "u00HH". */
#define OUT_ESC_MAX 12

/* The built-in patterns, in the order of builtin_names. */
static const char *const builtin_rx[] = {
	"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])",
	"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----",
};
static const char *const builtin_names[] = { "aws_access_key_id", "private_key" };

static void rx_hex(char *o, size_t *k, unsigned d)
{
	static const char hex[] = "0123456789abcdef";

	if (d < 10) {
		o[(*k)++] = hex[d];
	} else {
		o[(*k)++] = '[';
		o[(*k)++] = hex[d];
		o[(*k)++] = (char)toupper(hex[d]);
		o[(*k)++] = ']';
	}
}

/* A regex for the secret v (n bytes) as written or with JSON string
 * escaping applied 1 to 3 times: each byte as itself, as "\uXXXX" (hex in
 * either case) or, for '/', '\' and '"', as "\X", behind 1 to 7
 * backslashes (each level doubles the run: "\/", "\\\/", "\\u002f").
 * malloc'd (the caller wipes it), NULL when memory ran out. Pure. */
char *fng_out_secret_regex(const char *v, size_t n)
{
	char *o = malloc(n * 40 + 1);
	size_t k = 0;

	if (!o)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		bool short_esc = c == '/' || c == '\\' || c == '"';
		k += (size_t)sprintf(o + k, isalnum(c) ? "(?:%c" : "(?:\\x%02x", c);
		if (c < 0x80) {
			k += (size_t)sprintf(o + k, "|\\\\{1,7}(?:u00");
			rx_hex(o, &k, c >> 4);
			rx_hex(o, &k, c & 15);
			if (short_esc)
				k += (size_t)sprintf(o + k, "|\\x%02x", c);
			o[k++] = ')';
		}
		o[k++] = ')';
	}
	o[k] = '\0';
	return o;
}

/* One pattern per secret in r->secret_rx; the overlap covers its longest
 * match. */
static int secrets_init(struct fng_outscan_rules *r, const struct fng_out_secrets *secrets)
{
	char err[256];

	r->secrets = *secrets;
	for (size_t i = 0; i < FNG_OUT_SECRETS; i++) {
		char *rx;
		int e;
		if (!r->secrets.value[i] || r->secrets.len[i] < OUT_MIN_SECRET) {
			r->secrets.len[i] = 0;
			continue;
		}
		if (!(rx = fng_out_secret_regex(r->secrets.value[i], r->secrets.len[i])))
			return -ENOMEM;
		e = fng_rx_add_built(&r->secret_rx, rx, strlen(rx), r->secrets.name[i], err, sizeof(err));
		explicit_bzero(rx, strlen(rx));
		free(rx);
		if (e < 0)
			return e;
		if (r->secrets.len[i] * OUT_ESC_MAX > r->overlap)
			r->overlap = r->secrets.len[i] * OUT_ESC_MAX;
	}
	return 0;
}

int fng_outscan_rules_init(struct fng_outscan_rules *r, const struct fng_payload_cfg *cfg,
			   const struct fng_out_secrets *secrets)
{
	char err[256];

	struct fng_rx_hit h;

	memset(r, 0, sizeof(*r));
	r->cfg = cfg;
	r->overlap = OUT_MIN_OVERLAP;
	fng_rx_init(&r->builtin);
	fng_rx_init(&r->secret_rx);
	/* The rules' alternations are joined at their first match: here, at
	 * start, rather than in the first response's time. */
	(void)fng_rx_match(&cfg->rules, "", 0, &h);
	if (!cfg->builtins)
		return 0;
	if (secrets) {
		int e = secrets_init(r, secrets);
		if (e < 0) {
			fng_outscan_rules_free(r);
			return e;
		}
	}
	for (size_t i = 0; i < FNG_ARRAY_LEN(builtin_rx); i++) {
		int e = fng_rx_add(&r->builtin, builtin_rx[i], strlen(builtin_rx[i]), builtin_names[i], err, sizeof(err));
		if (e < 0) {
			fng_outscan_rules_free(r);
			return e;
		}
	}
	return 0;
}

void fng_outscan_rules_free(struct fng_outscan_rules *r)
{
	fng_rx_free(&r->builtin);
	fng_rx_free(&r->secret_rx);
}

bool fng_luhn_ok(const char *p, size_t n)
{
	unsigned sum = 0, digits = 0;

	for (size_t i = n; i-- > 0;) {
		unsigned d;
		if (p[i] == ' ' || p[i] == '-')
			continue;
		if (p[i] < '0' || p[i] > '9')
			return false;
		d = (unsigned)(p[i] - '0');
		if (digits >= 19)
			return false;
		if (digits++ % 2 == 1)
			d = d * 2 > 9 ? d * 2 - 9 : d * 2;
		sum += d;
	}
	return digits >= 13 && digits <= 19 && sum % 10 == 0;
}

void fng_redact(const char *buf, size_t len, size_t start, size_t end, bool secret, char *out, size_t outn)
{
	size_t from = start > OUT_CONTEXT ? start - OUT_CONTEXT : 0, o = 0;
	size_t show = secret ? 0 : 4;

	if (end > len)
		end = len;
	if (start > end)
		start = end;
	for (size_t i = from; i < start && o + 1 < outn; i++)
		out[o++] = isprint((unsigned char)buf[i]) ? buf[i] : '.';
	for (size_t i = start; i < end && i < start + show && o + 1 < outn; i++)
		out[o++] = isprint((unsigned char)buf[i]) ? buf[i] : '.';
	if (o < outn)
		snprintf(out + o, outn - o, "[redacted %zu bytes]", end - start - (end - start < show ? end - start : show));
}

static bool is_sep(char c)
{
	return c == ' ' || c == '-';
}

/* The digits of the group at p, counted up to 20 (longer: no card's). */
static size_t group_len(const char *w, size_t n, size_t p)
{
	size_t q = p;

	while (q < n && q - p < 20 && isdigit((unsigned char)w[q]))
		q++;
	return q - p;
}

/* How cards are written in groups (one kind of separator throughout). */
static const uint8_t card_shapes[][6] = { { 4, 4, 4, 4, 3 }, { 4, 4, 4, 4 }, { 4, 6, 5 }, { 4, 6, 4 } };

/* Is there a card at p, a group's first digit: 13 to 19 digits in one
 * group, or groups of a card shape; an issuer's first digit (2-6); Luhn.
 * Its end in *end. */
static bool card_at(const char *w, size_t n, size_t p, size_t *end)
{
	size_t g = group_len(w, n, p);

	if (w[p] < '2' || w[p] > '6')
		return false;
	if (g >= 13 && g <= 19 && fng_luhn_ok(w + p, g)) {
		*end = p + g;
		return true;
	}
	for (size_t s = 0; s < FNG_ARRAY_LEN(card_shapes); s++) {
		size_t q = p;
		char sep = 0;
		bool ok = true;
		for (size_t k = 0; ok && k < 6 && card_shapes[s][k]; k++) {
			size_t len = group_len(w, n, q);
			ok = len == card_shapes[s][k];
			q += len;
			if (ok && k + 1 < 6 && card_shapes[s][k + 1]) {
				ok = q + 1 < n && is_sep(w[q]) && (!sep || w[q] == sep);
				if (ok)
					sep = w[q++];
			}
		}
		if (ok && fng_luhn_ok(w + p, q - p)) {
			*end = q;
			return true;
		}
	}
	return false;
}

/* The first card in the window. A candidate that reaches the window's end
 * waits for the next chunk or the body's end (its last group may go on).
 * Work per group start is bounded (at most 5 groups of at most 19 digits
 * are looked at), so a long run of digits costs linear time. */
static bool find_card(const char *w, size_t n, bool final, size_t *start, size_t *end)
{
	for (size_t p = 0; p < n; p++) {
		size_t e;
		if (!isdigit((unsigned char)w[p]) || (p > 0 && isdigit((unsigned char)w[p - 1])))
			continue;
		if (card_at(w, n, p, &e) && (final || e < n)) {
			*start = p;
			*end = e;
			return true;
		}
	}
	return false;
}

enum out_kind { OUT_SECRET, OUT_BUILTIN, OUT_RULE };

/* The first rule of set that matches the window. The built-ins' matches
 * that end at the window's end wait for the next chunk or the body's end
 * (a key id followed by more letters is none); they are short enough to be
 * inside the overlap then. The policy's rules and the secrets (whose every
 * match is whole) report at once; a secret's excerpt shows none of it. */
static int rx_finding(const struct fng_rx_set *set, const struct fng_outscan *s, struct fng_out_finding *f,
		      enum out_kind kind, bool final)
{
	struct fng_rx_hit h;
	enum fng_rx_result res;
	size_t first = 0;

	while ((res = fng_rx_match_from(set, first, s->win, s->win_len, &h)) == FNG_RX_MATCH && kind == OUT_BUILTIN && !final &&
	       h.end == s->win_len)
		first = h.pattern + 1;
	if (res == FNG_RX_NONE)
		return 0;
	if (res == FNG_RX_ERROR)
		return -ENOMEM;
	f->limit = res == FNG_RX_LIMIT;
	if (kind != OUT_RULE)
		fng_strlcpy(f->match, set->pats[h.pattern].origin, sizeof(f->match));
	else
		snprintf(f->match, sizeof(f->match), "%s: %s", set->pats[h.pattern].origin, set->pats[h.pattern].src);
	f->offset = s->base + h.start;
	if (f->limit)
		snprintf(f->excerpt, sizeof(f->excerpt), "(match limit hit)");
	else
		fng_redact(s->win, s->win_len, h.start, h.end, kind == OUT_SECRET, f->excerpt, sizeof(f->excerpt));
	return 1;
}

static int scan_window_raw(const struct fng_outscan *s, bool final, struct fng_out_finding *f)
{
	const struct fng_outscan_rules *r = s->r;
	size_t a, b;
	int e;

	memset(f, 0, sizeof(*f));
	if ((e = rx_finding(&r->secret_rx, s, f, OUT_SECRET, final)) != 0)
		return e;
	if ((e = rx_finding(&r->builtin, s, f, OUT_BUILTIN, final)) != 0)
		return e;
	if (r->cfg->builtins && find_card(s->win, s->win_len, final, &a, &b)) {
		fng_strlcpy(f->match, "card_number", sizeof(f->match));
		f->offset = s->base + a;
		fng_redact(s->win, s->win_len, a, b, false, f->excerpt, sizeof(f->excerpt));
		return 1;
	}
	return rx_finding(&r->cfg->rules, s, f, OUT_RULE, final);
}

/* s with JSON escaping undone loosely, at any level: backslashes dropped,
 * "u00HH" after one decoded. out holds strlen(s) + 1. */
static void unescape_loose(const char *s, char *out)
{
	size_t o = 0;

	while (*s) {
		bool esc = false;
		unsigned hi, lo;
		while (*s == '\\') {
			esc = true;
			s++;
		}
		if (esc && s[0] == 'u' && s[1] == '0' && s[2] == '0' && sscanf(s + 3, "%1x%1x", &hi, &lo) == 2 &&
		    isxdigit((unsigned char)s[3]) && isxdigit((unsigned char)s[4])) {
			out[o++] = (char)(hi << 4 | lo);
			s += 5;
		} else if (*s) {
			out[o++] = *s++;
		}
	}
	out[o] = '\0';
}

/* Does the excerpt hold 8 bytes in a row of a credential (context before a
 * key id, a truncated secret), as written or escaped? Then it says so
 * instead. */
static void scrub_excerpt(const struct fng_outscan_rules *r, struct fng_out_finding *f)
{
	char plain[sizeof(f->excerpt)];
	const char *forms[2] = { f->excerpt, plain };

	unescape_loose(f->excerpt, plain);
	for (size_t j = 0; j < 2; j++) {
		size_t n = strlen(forms[j]);
		for (size_t i = 0; i < FNG_OUT_SECRETS; i++)
			for (size_t k = 0; r->secrets.len[i] && k + OUT_MIN_SECRET <= n; k++)
				if (memmem(r->secrets.value[i], r->secrets.len[i], forms[j] + k, OUT_MIN_SECRET)) {
					snprintf(f->excerpt, sizeof(f->excerpt), "[redacted: near part of %s]",
						 r->secrets.name[i]);
					return;
				}
	}
}

static int scan_window(const struct fng_outscan *s, bool final, struct fng_out_finding *f)
{
	int r = scan_window_raw(s, final, f);

	if (r > 0)
		scrub_excerpt(s->r, f);
	return r;
}

void fng_outscan_begin(struct fng_outscan *s, const struct fng_outscan_rules *r)
{
	memset(s, 0, sizeof(*s));
	s->r = r;
}

int fng_outscan_feed(struct fng_outscan *s, const char *p, size_t n, struct fng_out_finding *f)
{
	size_t keep = s->win_len > s->r->overlap ? s->r->overlap : s->win_len;
	int r;

	if (s->found || n == 0)
		return 0;
	if (keep + n > s->cap) {
		char *nw = malloc(keep + n);
		if (!nw)
			return -ENOMEM;
		if (keep)
			memcpy(nw, s->win + s->win_len - keep, keep);
		free(s->win);
		s->win = nw;
		s->cap = keep + n;
	} else {
		memmove(s->win, s->win + s->win_len - keep, keep);
	}
	s->base += s->win_len - keep;
	memcpy(s->win + keep, p, n);
	s->win_len = keep + n;
	r = scan_window(s, false, f);
	if (r != 0)
		s->found = true;
	return r;
}

int fng_outscan_finish(struct fng_outscan *s, struct fng_out_finding *f)
{
	int r;

	if (s->found || s->win_len == 0)
		return 0;
	r = scan_window(s, true, f);
	if (r != 0)
		s->found = true;
	return r;
}

void fng_outscan_end(struct fng_outscan *s)
{
	free(s->win);
	memset(s, 0, sizeof(*s));
}
