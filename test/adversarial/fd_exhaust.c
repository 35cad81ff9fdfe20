/* fd_exhaust: run the supervisor out of descriptors through the one
 * destination that is always allowed, the Runtime API proxy (each
 * connection costs fnguard two descriptors: the function's and the
 * upstream's), then do what the policy forbids, hoping fnguard can no
 * longer examine it. FNG_REAL_API (host:port): the program listens there
 * itself, as the real Runtime API (a backlog nobody accepts from);
 * AWS_LAMBDA_RUNTIME_API: where it connects (fnguard's proxy under fnguard,
 * the real API natively). FNG_HOLD connections (default 600), then:
 *   hold_connections  all FNG_HOLD connected (ERROR otherwise: fnguard ran
 *                     out and refused the allowed destination)
 *   blocked_connect   TCP connect to 10.89.2.1:5499, a listener of the
 *                     program's own (the harness puts 10.89.2.1 on lo)
 *   tmp_create        creating a file in FNG_TMPDIR (removed again)
 * Run under `ulimit -n 1024`, Lambda's limit. */
#define _GNU_SOURCE
#include "adv.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

static int tcp_addr(const char *hostport, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(hostport, ':');

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (!colon || (size_t)(colon - hostport) >= sizeof(host))
		return -1;
	memcpy(host, hostport, (size_t)(colon - hostport));
	host[colon - hostport] = '\0';
	sa->sin_port = htons((uint16_t)atoi(colon + 1));
	return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

static int listen_on(const struct sockaddr_in *sa)
{
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (const struct sockaddr *)sa, sizeof(*sa)) < 0 || listen(fd, 4096) < 0)
		return -1;
	return fd;
}

static int connect_to(const struct sockaddr_in *sa)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int main(void)
{
	const char *real = need_env("FNG_REAL_API"), *api = need_env("AWS_LAMBDA_RUNTIME_API");
	const char *tmpdir = need_env("FNG_TMPDIR"), *hold_s = getenv("FNG_HOLD");
	struct sockaddr_in real_sa, api_sa, blocked_sa;
	int hold = hold_s ? atoi(hold_s) : 600, held = 0, e = 0, fd;
	char path[4096];

	adv_init();
	if (tcp_addr(real, &real_sa) < 0 || tcp_addr(api, &api_sa) < 0 || tcp_addr("10.89.2.1:5499", &blocked_sa) < 0)
		env_error("FNG_REAL_API and AWS_LAMBDA_RUNTIME_API must be IPv4 host:port");
	if (listen_on(&real_sa) < 0 || listen_on(&blocked_sa) < 0)
		env_error("listening on %s and 10.89.2.1:5499: %s (is 10.89.2.1 on lo?)", real, strerror(errno));
	for (; held < hold; held++)
		if (connect_to(&api_sa) < 0) {
			e = errno;
			break;
		}
	if (held < hold)
		report("hold_connections", ERRORED, "%d of %d connections to %s: %s", held, hold, api, strerror(e));
	else
		report("hold_connections", DEFENDED, "%d connections to %s held (allowed)", held, api);

	fd = connect_to(&blocked_sa);
	if (fd >= 0)
		report("blocked_connect", BYPASSED, "connected to 10.89.2.1:5499 with %d proxy connections held", held);
	else
		report("blocked_connect", is_denial(errno) ? DEFENDED : ERRORED, "%s", strerror(errno));

	snprintf(path, sizeof(path), "%s/fd_exhaust.created", tmpdir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0) {
		report("tmp_create", BYPASSED, "created %s", path);
		close(fd);
		unlink(path);
	} else {
		report("tmp_create", is_denial(errno) ? DEFENDED : ERRORED, "%s", strerror(errno));
	}
	return adv_exit_status();
}
