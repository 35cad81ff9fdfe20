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

static int scan_window_raw(const struct fng_outscan *s, bool final, struct fng_out_finding *f)
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

/* Does the excerpt hold 8 bytes in a row of a credential (context before a
 * key id, a truncated secret)? Then it says so instead. */
static void scrub_excerpt(const struct fng_outscan_rules *r, struct fng_out_finding *f)
{
	size_t n = strlen(f->excerpt);

	for (size_t i = 0; i < FNG_OUT_SECRETS; i++)
		for (size_t k = 0; r->secrets.len[i] && k + OUT_MIN_SECRET <= n; k++)
			if (memmem(r->secrets.value[i], r->secrets.len[i], f->excerpt + k, OUT_MIN_SECRET)) {
				snprintf(f->excerpt, sizeof(f->excerpt), "[redacted: near part of %s]", r->secrets.name[i]);
				return;
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
