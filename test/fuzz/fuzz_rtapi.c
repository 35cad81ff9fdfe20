/* Fuzz target: the Runtime API route and header parsing the proxy and
 * emulate share (supervisor/lambda/rtapi.c), and the proxy's request
 * classification (rtapi_req.c). The input is split at its first NUL: a
 * request target, then header name/value pairs separated by NULs. The whole
 * input is also checked as a raw head and as a chunked body. */
#include "test/fuzz/fuzz.h"
#include "supervisor/lambda/rtapi.h"

#include <string.h>

static void on_pair(const struct fng_rt_hdr *h, void *arg)
{
	fng_rt_req_field(arg, h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const uint8_t *nul = memchr(data, 0, size);
	size_t url_len = nul ? (size_t)(nul - data) : size;
	char id[128];
	struct fng_rt_hdr h;
	struct fng_rt_req q;
	struct fng_rt_chunked k;
	const char *why;

	fng_rt_route_name(fng_rt_route(s, url_len, id, sizeof(id)));
	memset(&h, 0, sizeof(h));
	fng_rt_hdr_reset(&h);
	fng_rt_req_reset(&q);
	for (size_t at = url_len + 1, field = 0; at < size; field++) {
		const uint8_t *end = memchr(data + at, 0, size - at);
		size_t n = end ? (size_t)(end - (data + at)) : size - at;
		if (field % 2 == 0)
			fng_rt_hdr_name(&h, s + at, n, on_pair, &q);
		else
			fng_rt_hdr_value(&h, s + at, n);
		at += n + 1;
	}
	fng_rt_hdr_finish(&h, on_pair, &q);
	fng_rt_classify(size & 1 ? "POST" : "GET", 1, size & 2 ? 0 : 1, s, url_len, false, &q, id, sizeof(id), &why);
	fng_rt_head_check(s, size, '\n');
	fng_rt_chunked_reset(&k);
	fng_rt_chunked_feed(&k, s, size);
	fng_rt_chunked_done(&k);
	return 0;
}
