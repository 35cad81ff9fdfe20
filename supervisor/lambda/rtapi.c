/* Runtime API routes and headers (rtapi.h). */
#include "supervisor/lambda/rtapi.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static bool starts(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p);
	return len >= n && memcmp(s, p, n) == 0;
}

static bool equals(const char *s, size_t len, const char *p)
{
	return len == strlen(p) && memcmp(s, p, len) == 0;
}

enum fng_rt_route fng_rt_route(const char *url, size_t len, char *id, size_t idn)
{
	const char *q = memchr(url, '?', len);
	const char *slash;
	size_t n;

	if (q)
		len = (size_t)(q - url);
	if (idn)
		id[0] = '\0';
	if (!starts(url, len, FNG_RT_PREFIX))
		return FNG_RT_OTHER;
	url += strlen(FNG_RT_PREFIX);
	len -= strlen(FNG_RT_PREFIX);
	if (equals(url, len, "invocation/next"))
		return FNG_RT_NEXT;
	if (equals(url, len, "init/error"))
		return FNG_RT_INIT_ERROR;
	if (!starts(url, len, "invocation/"))
		return FNG_RT_OTHER;
	url += 11;
	len -= 11;
	slash = memchr(url, '/', len);
	if (!slash)
		return FNG_RT_OTHER;
	n = (size_t)(slash - url);
	if (n == 0 || n >= idn || n >= FNG_RT_ID_MAX)
		return FNG_RT_OTHER;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)url[i] <= ' ' || url[i] == 0x7f)
			return FNG_RT_OTHER;
	if (equals(slash, len - n, "/response")) {
		memcpy(id, url, n);
		id[n] = '\0';
		return FNG_RT_RESPONSE;
	}
	if (equals(slash, len - n, "/error")) {
		memcpy(id, url, n);
		id[n] = '\0';
		return FNG_RT_ERROR;
	}
	return FNG_RT_OTHER;
}

const char *fng_rt_route_name(enum fng_rt_route r)
{
	switch (r) {
	case FNG_RT_NEXT: return "next";
	case FNG_RT_RESPONSE: return "response";
	case FNG_RT_ERROR: return "error";
	case FNG_RT_INIT_ERROR: return "init-error";
	case FNG_RT_REFUSED: return "refused";
	default: return "other";
	}
}

bool fng_rt_header_is(const char *name, size_t len, const char *want)
{
	return len == strlen(want) && strncasecmp(name, want, len) == 0;
}

bool fng_rt_error_type_ok(const char *s)
{
	const char *rest;

	if (strncmp(s, "Runtime.", 8) == 0)
		rest = s + 8;
	else if (strncmp(s, "Function.", 9) == 0)
		rest = s + 9;
	else
		return false;
	if (!isupper((unsigned char)*rest))
		return false;
	for (; *rest; rest++)
		if (!isalnum((unsigned char)*rest))
			return false;
	return true;
}

void fng_rt_append(char *buf, size_t cap, size_t *len, const char *at, size_t n, bool *cut)
{
	size_t room = cap - 1 - *len;

	if (n > room) {
		n = room;
		*cut = true;
	}
	memcpy(buf + *len, at, n);
	*len += n;
	buf[*len] = '\0';
}

void fng_rt_hdr_name(struct fng_rt_hdr *h, const char *at, size_t len, fng_rt_pair_fn pair, void *arg)
{
	fng_rt_hdr_finish(h, pair, arg);
	fng_rt_append(h->name, sizeof(h->name), &h->nlen, at, len, &h->cut);
}

void fng_rt_hdr_value(struct fng_rt_hdr *h, const char *at, size_t len)
{
	h->in_value = true;
	fng_rt_append(h->value, sizeof(h->value), &h->vlen, at, len, &h->cut);
}

void fng_rt_hdr_finish(struct fng_rt_hdr *h, fng_rt_pair_fn pair, void *arg)
{
	if (!h->in_value)
		return;
	pair(h, arg);
	fng_rt_hdr_reset(h);
}

void fng_rt_hdr_reset(struct fng_rt_hdr *h)
{
	h->nlen = h->vlen = 0;
	h->name[0] = h->value[0] = '\0';
	h->in_value = h->cut = false;
}
