/* case_connect [N]: N TCP connections to a listener on 127.0.0.1 that this
 * process owns (socket, connect, accept, close both ends with an RST so no
 * TIME_WAIT piles up). Single-threaded; loopback is allowed by every policy. */
#include "case.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = case_count(argc, argv, 5000);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	struct linger lg = { 1, 0 };
	int l = socket(AF_INET, SOCK_STREAM, 0);
	double start;

	CASE_CHECK(l >= 0, "socket");
	CASE_CHECK(bind(l, (struct sockaddr *)&sa, sizeof(sa)) == 0, "bind");
	CASE_CHECK(listen(l, 16) == 0, "listen");
	CASE_CHECK(getsockname(l, (struct sockaddr *)&sa, &len) == 0, "getsockname");
	start = case_now();
	for (long i = 0; i < n; i++) {
		int c = socket(AF_INET, SOCK_STREAM, 0), a;

		CASE_CHECK(c >= 0, "socket");
		CASE_CHECK(connect(c, (struct sockaddr *)&sa, sizeof(sa)) == 0, "connect 127.0.0.1");
		a = accept(l, NULL, NULL);
		CASE_CHECK(a >= 0, "accept");
		setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(c);
		close(a);
	}
	return case_report(start, n);
}
