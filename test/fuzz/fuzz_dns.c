/* Fuzz target: the DNS answer parser (tracer/resolve/dns.c), fed what a
 * function's resolver socket received. */
#include "test/fuzz/fuzz.h"
#include "tracer/resolve/dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fng_dns_answer a;

	fng_dns_parse(data, size, &a);
	return 0;
}
