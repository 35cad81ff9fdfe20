/* Fuzz target: every parser of addresses written as text: host:port and the
 * Runtime API address (common/hostport.c), network and host-name exceptions
 * (policy/addr.c, policy/hosts.c), log destinations (logging/sinks/dest.c). */
#include "test/fuzz/fuzz.h"
#include "common/hostport.h"
#include "logging/sinks/dest.h"
#include "policy/policy.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct fng_hostport hp;
	struct sockaddr_storage ss;
	socklen_t sl;
	uint8_t a[16];
	uint16_t port;
	struct fng_netrule nr;
	struct fng_hostrule hr;
	struct fng_sink_spec spec;
	const char *why;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	fng_hostport_parse(s, &hp);
	fng_hostport_ip(s, &ss, &sl, a, &port);
	fng_netrule_parse(s, &nr, &why);
	if (fng_hostrule_parse(s, &hr, &why) == 0) {
		fng_hostrule_match(&hr, "api.example.com", 443);
		free(hr.name);
	}
	fng_sink_parse(s, &spec, &why);
	free(s);
	return 0;
}
