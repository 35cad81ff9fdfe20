/* Output inspection's detectors (payload.h): the function's own credentials
 * (exact values), AWS access key ids and private key blocks (PCRE2, through
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

/* The built-in patterns, in the order of builtin_names. */
static const char *const builtin_rx[] = {
	"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])",
	"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----",
};
static const char *const builtin_names[] = { "aws_access_key_id", "private_key" };

int fng_outscan_rules_init(struct fng_outscan_rules *r, const struct fng_payload_cfg *cfg,
			   const struct fng_out_secrets *secrets)
{
	char err[256];

	memset(r, 0, sizeof(*r));
	r->cfg = cfg;
	r->overlap = OUT_MIN_OVERLAP;
	fng_rx_init(&r->builtin);
	if (secrets && cfg->builtins) {
		r->secrets = *secrets;
		for (size_t i = 0; i < FNG_OUT_SECRETS; i++) {
			if (!r->secrets.value[i] || r->secrets.len[i] < OUT_MIN_SECRET)
				r->secrets.len[i] = 0;
			if (r->secrets.len[i] > r->overlap)
				r->overlap = r->secrets.len[i];
		}
	}
	if (!cfg->builtins)
		return 0;
	for (size_t i = 0; i < FNG_ARRAY_LEN(builtin_rx); i++) {
		int e = fng_rx_add(&r->builtin, builtin_rx[i], strlen(builtin_rx[i]), builtin_names[i], err, sizeof(err));
		if (e < 0) {
			fng_rx_free(&r->builtin);
			return e;
		}
	}
	return 0;
}

void fng_outscan_rules_free(struct fng_outscan_rules *r)
{
	fng_rx_free(&r->builtin);
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

/* A card number: a run of digits with single separators, 13 to 19 digits,
 * an issuer's first digit (2-6), passing Luhn; the whole run, or a prefix
 * ending at a separator (a card followed by other digits). */
static bool find_card(const char *w, size_t n, bool final, size_t *start, size_t *end)
{
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		if (!isdigit((unsigned char)w[i]) || (i > 0 && (isdigit((unsigned char)w[i - 1]) ||
						       (is_sep(w[i - 1]) && i > 1 && isdigit((unsigned char)w[i - 2])))))
			continue;
		while (j < n && (isdigit((unsigned char)w[j]) ||
				 (is_sep(w[j]) && j + 1 < n && isdigit((unsigned char)w[j + 1]) && j > i)))
			j++;
		if (j == n && !final)
			return false; /* the run may go on in the next chunk */
		if (w[i] >= '2' && w[i] <= '6') {
			for (size_t k = j; k > i; k--) {
				if (k != j && !is_sep(w[k]))
					continue;
				if (fng_luhn_ok(w + i, k - i)) {
					*start = i;
					*end = k;
					return true;
				}
			}
		}
		i = j;
	}
	return false;
}

/* The first rule of set that matches the window. The built-ins' matches
 * that end at the window's end wait for the next chunk or the body's end
 * (a key id followed by more letters is none); they are short enough to be
 * inside the overlap then. The policy's rules report at once. */
static int rx_finding(const struct fng_rx_set *set, const struct fng_outscan *s, struct fng_out_finding *f,
		      bool builtin, bool final)
{
	struct fng_rx_hit h;
	enum fng_rx_result res;
	size_t first = 0;

	while ((res = fng_rx_match_from(set, first, s->win, s->win_len, &h)) == FNG_RX_MATCH && builtin && !final &&
	       h.end == s->win_len)
		first = h.pattern + 1;
	if (res == FNG_RX_NONE)
		return 0;
	if (res == FNG_RX_ERROR)
		return -ENOMEM;
	f->limit = res == FNG_RX_LIMIT;
	if (builtin)
		fng_strlcpy(f->match, set->pats[h.pattern].origin, sizeof(f->match));
	else
		snprintf(f->match, sizeof(f->match), "%s: %s", set->pats[h.pattern].origin, set->pats[h.pattern].src);
	f->offset = s->base + h.start;
	if (f->limit)
		snprintf(f->excerpt, sizeof(f->excerpt), "(match limit hit)");
	else
		fng_redact(s->win, s->win_len, h.start, h.end, false, f->excerpt, sizeof(f->excerpt));
	return 1;
}

static int scan_window(const struct fng_outscan *s, bool final, struct fng_out_finding *f)
{
	const struct fng_outscan_rules *r = s->r;
	size_t a, b;
	int e;

	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < FNG_OUT_SECRETS; i++) {
		const char *hit;
		if (!r->secrets.len[i])
			continue;
		hit = memmem(s->win, s->win_len, r->secrets.value[i], r->secrets.len[i]);
		if (hit) {
			a = (size_t)(hit - s->win);
			fng_strlcpy(f->match, r->secrets.name[i], sizeof(f->match));
			f->offset = s->base + a;
			fng_redact(s->win, s->win_len, a, a + r->secrets.len[i], true, f->excerpt, sizeof(f->excerpt));
			return 1;
		}
	}
	if ((e = rx_finding(&r->builtin, s, f, true, final)) != 0)
		return e;
	if (r->cfg->builtins && find_card(s->win, s->win_len, final, &a, &b)) {
		fng_strlcpy(f->match, "card_number", sizeof(f->match));
		f->offset = s->base + a;
		fng_redact(s->win, s->win_len, a, b, false, f->excerpt, sizeof(f->excerpt));
		return 1;
	}
	return rx_finding(&r->cfg->rules, s, f, false, final);
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

char *fng_out_escape_slash(const char *v, bool *oom)
{
	size_t n = 0, o = 0;
	char *e;

	*oom = false;
	for (const char *p = v; *p; p++)
		n += *p == '/';
	if (!n)
		return NULL;
	e = malloc(strlen(v) + n + 1);
	if (!e) {
		*oom = true;
		return NULL;
	}
	for (const char *p = v; *p; p++) {
		if (*p == '/')
			e[o++] = '\\';
		e[o++] = *p;
	}
	e[o] = '\0';
	return e;
}

void fng_outscan_end(struct fng_outscan *s)
{
	free(s->win);
	memset(s, 0, sizeof(*s));
}
