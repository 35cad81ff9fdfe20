/* tcp_connect ADDR PORT: one TCP connect, for fnguard trace's golden tests.
 * Prints "connect: OK" or "connect: ERRNO-NAME". */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd;

	if (argc != 3 || inet_pton(AF_INET, argv[1], &sin.sin_addr) != 1) {
		fprintf(stderr, "usage: tcp_connect IPV4 PORT\n");
		return 2;
	}
	sin.sin_port = htons((unsigned short)atoi(argv[2]));
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		printf("connect: %s\n", strerrorname_np(errno));
		return 1;
	}
	printf("connect: OK\n");
	close(fd);
	return 0;
}
