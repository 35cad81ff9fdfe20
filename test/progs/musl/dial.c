/* getaddrinfo + connect through musl's own resolver (sendto to each
 * nameserver, recvfrom): prints OK or DENIED errno per name. Built static
 * with musl-gcc, so no glibc code runs. */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *res;
		int r = getaddrinfo(argv[i], "8080", &hints, &res);
		if (r) {
			printf("NORESOLVE %s %s\n", argv[i], gai_strerror(r));
			continue;
		}
		int fd = socket(res->ai_family, res->ai_socktype, 0);
		if (connect(fd, res->ai_addr, res->ai_addrlen) == 0 || errno == ECONNREFUSED)
			printf("OK %s\n", argv[i]);
		else
			printf("DENIED %d %s\n", errno, argv[i]);
		close(fd);
		freeaddrinfo(res);
	}
	return 0;
}
