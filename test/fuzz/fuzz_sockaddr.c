/* Fuzz target: the socket address decoders (tracer/sock.c), fed what a
 * function hands connect, sendto, sendmsg and bind: the input is the address
 * and its length is the addrlen. */
#include "test/fuzz/fuzz.h"
#include "tracer/sock.h"

#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int domains[] = { AF_INET, AF_INET6, AF_UNIX };
	struct sockaddr_storage ss;
	char path[FNG_UNIX_PATH_BUF];
	struct fng_dest d;

	if (size > sizeof(ss))
		return 0;
	memset(&ss, 0, sizeof(ss));
	memcpy(&ss, data, size);
	for (size_t i = 0; i < sizeof(domains) / sizeof(domains[0]); i++) {
		struct fng_sock s = { .fd = -1, .domain = domains[i], .type = SOCK_DGRAM };
		fng_sock_decode(&s, &ss, (socklen_t)size, &d);
	}
	if (size <= sizeof(struct sockaddr_un) &&
	    fng_sock_unix_path((const struct sockaddr_un *)&ss, size, path) == 0 && strlen(path) > 108)
		__builtin_trap();
	return 0;
}
