/* A compiled list of regexes (regexset.h): PCRE2 in byte mode (no UTF
 * checks, so no byte sequence is a barrier a match cannot cross), JIT
 * compiled when available, matched with PCRE2's match and depth limits so
 * a pathological pattern or subject costs a bounded time and says so. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "policy/payload/regexset.h"
#include "common/array.h"
#include "common/util.h"

#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

void fng_rx_init(struct fng_rx_set *s)
{
	memset(s, 0, sizeof(*s));
	s->match_limit = FNG_RX_MATCH_LIMIT;
	s->depth_limit = FNG_RX_DEPTH_LIMIT;
}

void fng_rx_set_limits(struct fng_rx_set *s, uint32_t match_limit, uint32_t depth_limit)
{
	if (match_limit)
		s->match_limit = match_limit;
	if (depth_limit)
		s->depth_limit = depth_limit;
}

static int rx_add_bounded(struct fng_rx_set *s, const char *pat, size_t len, size_t max, const char *origin, char *err,
			  size_t errsz)
{
	struct fng_rx_pattern *p;
	pcre2_code *code;
	int ec;
	PCRE2_SIZE off;
	autofree char *src = NULL;

	if (s->n >= FNG_RX_MAX_PATTERNS) {
		snprintf(err, errsz, "%s: more than %d patterns", origin, FNG_RX_MAX_PATTERNS);
		return -E2BIG;
	}
	if (len > max) {
		snprintf(err, errsz, "%s: pattern longer than %zu bytes", origin, max);
		return -E2BIG;
	}
	src = strndup(pat, len);
	if (!src)
		return -ENOMEM;
	code = pcre2_compile((PCRE2_SPTR)pat, len, 0, &ec, &off, NULL);
	if (!code) {
		PCRE2_UCHAR msg[160];
		pcre2_get_error_message(ec, msg, sizeof(msg));
		snprintf(err, errsz, "%s: bad regex at offset %zu: %s", origin, (size_t)off, (char *)msg);
		return -EINVAL;
	}
	/* No JIT on this CPU or under this memory policy: the interpreter
	 * gives the same answers, slower. */
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	p = FNG_PUSH(s->pats, s->n);
	if (!p) {
		pcre2_code_free(code);
		return -ENOMEM;
	}
	p->src = fng_steal_ptr(&src);
	p->code = code;
	fng_strlcpy(p->origin, origin, sizeof(p->origin));
	return 0;
}

int fng_rx_add(struct fng_rx_set *s, const char *pat, size_t len, const char *origin, char *err, size_t errsz)
{
	return rx_add_bounded(s, pat, len, FNG_RX_MAX_PATTERN, origin, err, errsz);
}

int fng_rx_add_built(struct fng_rx_set *s, const char *pat, size_t len, const char *origin, char *err, size_t errsz)
{
	return rx_add_bounded(s, pat, len, FNG_RX_MAX_BUILT, origin, err, errsz);
}

static bool is_strip_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

int fng_rx_load_buf(struct fng_rx_set *s, const char *buf, size_t len, const char *name, char *err, size_t errsz)
{
	size_t pos = 0, line = 0;
	int added = 0;

	if (len > FNG_RX_MAX_FILE) {
		snprintf(err, errsz, "%s: larger than %u bytes", name, FNG_RX_MAX_FILE);
		return -EFBIG;
	}
	if (memchr(buf, '\0', len)) {
		snprintf(err, errsz, "%s: contains a NUL byte (not a pattern file)", name);
		return -EINVAL;
	}
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len, a = pos, b = end;
		char origin[128];
		int r;

		line++;
		pos = end + 1;
		while (a < b && is_strip_space(buf[a]))
			a++;
		while (b > a && is_strip_space(buf[b - 1]))
			b--;
		if (a == b)
			continue;
		snprintf(origin, sizeof(origin), "%s:%zu", name, line);
		r = fng_rx_add(s, buf + a, b - a, origin, err, errsz);
		if (r < 0)
			return r;
		added++;
	}
	return added;
}

int fng_rx_load_file(struct fng_rx_set *s, const char *path, char *err, size_t errsz)
{
	autofree char *buf = NULL;
	size_t len = 0;
	struct stat st;
	int r;

	/* A FIFO or a device would block or never end the read. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		snprintf(err, errsz, "%s: not a regular file", path);
		return -EINVAL;
	}
	if (stat(path, &st) == 0 && (uint64_t)st.st_size > FNG_RX_MAX_FILE) {
		snprintf(err, errsz, "%s: larger than %u bytes", path, FNG_RX_MAX_FILE);
		return -EFBIG;
	}
	r = fng_slurp(path, &buf, &len);
	if (r < 0) {
		snprintf(err, errsz, "%s: cannot read: %s", path, strerror(-r));
		return r;
	}
	return fng_rx_load_buf(s, buf, len, path, err, errsz);
}

static void free_match_data(pcre2_match_data **md)
{
	pcre2_match_data_free(*md);
}

static void free_match_ctx(pcre2_match_context **mc)
{
	pcre2_match_context_free(*mc);
}

enum fng_rx_result fng_rx_match(const struct fng_rx_set *s, const char *buf, size_t len, struct fng_rx_hit *hit)
{
	return fng_rx_match_from(s, 0, buf, len, hit);
}

enum fng_rx_result fng_rx_match_from(const struct fng_rx_set *s, size_t first, const char *buf, size_t len,
				     struct fng_rx_hit *hit)
{
	__attribute__((cleanup(free_match_data))) pcre2_match_data *md = NULL;
	__attribute__((cleanup(free_match_ctx))) pcre2_match_context *mc = NULL;

	if (first >= s->n)
		return FNG_RX_NONE;
	md = pcre2_match_data_create(1, NULL);
	mc = pcre2_match_context_create(NULL);
	if (!md || !mc)
		return FNG_RX_ERROR;
	pcre2_set_match_limit(mc, s->match_limit);
	pcre2_set_depth_limit(mc, s->depth_limit);
	if (!buf)
		buf = "";
	for (size_t i = first; i < s->n; i++) {
		int rc = pcre2_match(s->pats[i].code, (PCRE2_SPTR)buf, len, 0, 0, md, mc);
		PCRE2_SIZE *ov;

		if (rc == PCRE2_ERROR_NOMATCH)
			continue;
		hit->pattern = i;
		hit->start = hit->end = 0;
		if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT ||
		    rc == PCRE2_ERROR_JIT_STACKLIMIT)
			return FNG_RX_LIMIT;
		if (rc < 0)
			return FNG_RX_ERROR;
		ov = pcre2_get_ovector_pointer(md);
		hit->start = ov[0];
		hit->end = ov[1];
		return FNG_RX_MATCH;
	}
	return FNG_RX_NONE;
}

void fng_rx_free(struct fng_rx_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		pcre2_code_free(s->pats[i].code);
		explicit_bzero(s->pats[i].src, strlen(s->pats[i].src));
		free(s->pats[i].src);
	}
	free(s->pats);
	s->pats = NULL;
	s->n = 0;
}
