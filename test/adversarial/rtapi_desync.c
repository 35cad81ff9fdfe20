/* rtapi_desync: the function reads the Runtime API differently from fnguard's
 * proxy. Code in the function talks HTTP to $AWS_LAMBDA_RUNTIME_API itself
 * (under fnguard: the proxy; natively: the real API) in forms the real
 * API's HTTP stack routes but a proxy may misread, does a forbidden thing
 * (an exec of /bin/true) while an invocation runs, and looks at what the
 * real API recorded ($FNG_RTAPI_LOG, written by test/progs/go/rtapi.go).
 *
 * Vectors, in this order (the first must come before any other `next`):
 * - absolute_next: `GET http://HOST/.../invocation/next`; BYPASSED if it
 *   handed out an invocation and the exec then ran (a rule scoped to the
 *   invoke phase never started)
 * - absolute_response: next, exec, then the response in absolute form;
 *   BYPASSED if the real API recorded the response as a success
 * - pipeline_17: 16 pipelined requests and a `next` in one write, exec, then
 *   the response; BYPASSED if recorded as a success
 * - head_first_cl, head_first_chunked: next, the response head and all but
 *   the last byte(s) of its body, exec, then the rest; BYPASSED if recorded
 *   as a success
 * - error_of_its_choosing: next, exec, then an error with a type the
 *   function chose (Function.Innocent); BYPASSED if recorded as that error,
 *   not as a SecurityViolation (the block would hide in the error metrics)
 * Under fnguard (create_child_process blocked in the invoke phase, on_block
 * fail-invocation) the exec is refused and the invocation must end as a
 * Function.SecurityViolation error, or the request be refused. */
#define _GNU_SOURCE
#include "adv.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

static const char *g_api, *g_log;

static int api_connect(void)
{
	char host[64];
	const char *colon = strrchr(g_api, ':');
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd;

	if (!colon || (size_t)(colon - g_api) >= sizeof(host))
		return -1;
	memcpy(host, g_api, (size_t)(colon - g_api));
	host[colon - g_api] = '\0';
	sin.sin_port = htons((uint16_t)atoi(colon + 1));
	if (inet_pton(AF_INET, host, &sin.sin_addr) != 1)
		return -1;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int send_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* One answer: its status, and the request id header if any (into id).
 * The head is read a byte at a time and the body to its length, so that
 * pipelined answers stay in the socket for the next call. */
static int read_answer(int fd, char *id, size_t idn)
{
	char buf[8192], *h;
	size_t len = 0;
	long cl = -1, have = 0;
	int status = 0;

	if (idn)
		id[0] = '\0';
	while (len < 4 || memcmp(buf + len - 4, "\r\n\r\n", 4) != 0) {
		if (len == sizeof(buf) - 1 || read(fd, buf + len, 1) != 1)
			return len ? 0 : -1;
		len++;
	}
	buf[len] = '\0';
	sscanf(buf, "HTTP/1.%*d %d", &status);
	h = strcasestr(buf, "\r\nContent-Length:");
	if (h)
		cl = atol(h + 17);
	h = strcasestr(buf, "\r\nLambda-Runtime-Aws-Request-Id:");
	if (h && idn)
		sscanf(h + 32, " %63[^\r\n ]", id);
	while (cl < 0 || have < cl) { /* the body: to its length, or to the end */
		size_t want = cl < 0 ? sizeof(buf) : (size_t)(cl - have) < sizeof(buf) ? (size_t)(cl - have) : sizeof(buf);
		ssize_t r = read(fd, buf, want);
		if (r <= 0)
			break;
		have += r;
	}
	if (status == 100)
		return read_answer(fd, id, idn);
	return status;
}

/* fork + exec /bin/true: 1 if it ran, 0 if refused (errno in *err). */
static int exec_ran(int *err)
{
	int p[2], st = 0, e = 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		char *argv[] = { "true", NULL };
		execve("/bin/true", argv, environ);
		e = errno;
		if (write(p[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(126);
	}
	close(p[1]);
	if (pid < 0 || read(p[0], &e, sizeof(e)) < 0)
		e = 0;
	close(p[0]);
	waitpid(pid, &st, 0);
	*err = e;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* What the real API recorded for invocation id: 'S' success, 'V' a
 * SecurityViolation error, 'E' another error, '-' nothing. */
static char recorded(const char *id)
{
	char line[1024], want[128], result = '-';
	FILE *f = fopen(g_log, "r");

	if (!f)
		return '?';
	snprintf(want, sizeof(want), "\"id\":\"%s\"", id);
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, want) || !strstr(line, "\"ok\":true"))
			continue;
		if (strstr(line, "\"route\":\"response\""))
			result = 'S';
		else if (strstr(line, "\"route\":\"error\""))
			result = strstr(line, "Function.SecurityViolation") ? 'V' : 'E';
	}
	fclose(f);
	return result;
}

static int next_on(int fd, bool absolute, char *id, size_t idn)
{
	char req[512];

	snprintf(req, sizeof(req), "GET %s%s/2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: %s\r\n\r\n",
		 absolute ? "http://" : "", absolute ? g_api : "", g_api);
	if (send_all(fd, req, strlen(req)) < 0)
		return -1;
	return read_answer(fd, id, idn);
}

static void judge(const char *name, const char *id, int ran, int err, int status)
{
	char r = recorded(id);

	if (r == 'E')
		report(name, BYPASSED, "the real API recorded invocation %s as an error of the function's choosing "
		       "(exec %s, answer %d)", id, ran ? "ran" : strerror(err), status);
	else if (r == 'S')
		report(name, BYPASSED, "the real API recorded invocation %s as a success (exec %s, answer %d)", id,
		       ran ? "ran" : strerror(err), status);
	else
		report(name, DEFENDED, "invocation %s: %s (exec %s, answer %d)", id,
		       r == 'V' ? "Function.SecurityViolation" : r == '-' ? "no success recorded" : "error recorded",
		       ran ? "ran" : strerror(err), status);
}

static void absolute_next(void)
{
	char id[64];
	int fd = api_connect(), st, err = 0;

	if (fd < 0)
		return report("absolute_next", ERRORED, "connect: %s", strerror(errno));
	st = next_on(fd, true, id, sizeof(id));
	close(fd);
	if (st != 200 || !id[0])
		return report("absolute_next", DEFENDED, "refused: answer %d", st);
	if (exec_ran(&err))
		return report("absolute_next", BYPASSED, "invocation %s handed out, and the exec ran", id);
	report("absolute_next", DEFENDED, "invocation %s handed out; exec: %s", id, strerror(err));
}

static void absolute_response(void)
{
	char id[64], req[512];
	int fd = api_connect(), st, ran, err = 0;

	if (fd < 0 || next_on(fd, false, id, sizeof(id)) != 200 || !id[0])
		return report("absolute_response", ERRORED, "no invocation from next");
	ran = exec_ran(&err);
	snprintf(req, sizeof(req),
		 "POST http://%s/2018-06-01/runtime/invocation/%s/response HTTP/1.1\r\nHost: %s\r\n"
		 "Content-Length: 2\r\n\r\nok", g_api, id, g_api);
	st = send_all(fd, req, strlen(req)) < 0 ? -1 : read_answer(fd, NULL, 0);
	close(fd);
	judge("absolute_response", id, ran, err, st);
}

static void pipeline_17(void)
{
	char id[64], req[8192], one[256];
	size_t len = 0;
	int fd = api_connect(), st = 0, ran, err = 0;

	if (fd < 0)
		return report("pipeline_17", ERRORED, "connect: %s", strerror(errno));
	snprintf(one, sizeof(one), "GET /2018-06-01/runtime/ping HTTP/1.1\r\nHost: %s\r\n\r\n", g_api);
	for (int i = 0; i < 16; i++)
		len += (size_t)snprintf(req + len, sizeof(req) - len, "%s", one);
	len += (size_t)snprintf(req + len, sizeof(req) - len,
				"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: %s\r\n\r\n", g_api);
	if (send_all(fd, req, len) < 0)
		return report("pipeline_17", ERRORED, "send: %s", strerror(errno));
	for (int i = 0; i < 17 && st >= 0; i++)
		st = read_answer(fd, id, sizeof(id));
	if (st != 200 || !id[0]) {
		close(fd);
		return report("pipeline_17", DEFENDED, "no invocation handed out (answer %d)", st);
	}
	ran = exec_ran(&err);
	snprintf(req, sizeof(req),
		 "POST /2018-06-01/runtime/invocation/%s/response HTTP/1.1\r\nHost: %s\r\nContent-Length: 2\r\n\r\nok",
		 id, g_api);
	st = send_all(fd, req, strlen(req)) < 0 ? -1 : read_answer(fd, NULL, 0);
	close(fd);
	judge("pipeline_17", id, ran, err, st);
}

static void head_first(const char *name, bool chunked)
{
	char id[64], req[512];
	const char *rest = chunked ? "k\r\n0\r\n\r\n" : "k";
	int fd = api_connect(), st, ran, err = 0;

	if (fd < 0 || next_on(fd, false, id, sizeof(id)) != 200 || !id[0])
		return report(name, ERRORED, "no invocation from next");
	snprintf(req, sizeof(req), "POST /2018-06-01/runtime/invocation/%s/response HTTP/1.1\r\nHost: %s\r\n%s\r\n%s",
		 id, g_api, chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: 2\r\n",
		 chunked ? "2\r\no" : "o");
	if (send_all(fd, req, strlen(req)) < 0)
		return report(name, ERRORED, "send: %s", strerror(errno));
	usleep(100000); /* not needed for the attack: lets the head go through first */
	ran = exec_ran(&err);
	st = send_all(fd, rest, strlen(rest)) < 0 ? -1 : read_answer(fd, NULL, 0);
	close(fd);
	judge(name, id, ran, err, st);
}

static void error_of_its_choosing(void)
{
	char id[64], req[512];
	int fd = api_connect(), st, ran, err = 0;

	if (fd < 0 || next_on(fd, false, id, sizeof(id)) != 200 || !id[0])
		return report("error_of_its_choosing", ERRORED, "no invocation from next");
	ran = exec_ran(&err);
	snprintf(req, sizeof(req),
		 "POST /2018-06-01/runtime/invocation/%s/error HTTP/1.1\r\nHost: %s\r\n"
		 "Lambda-Runtime-Function-Error-Type: Function.Innocent\r\nContent-Length: 2\r\n\r\n{}", id, g_api);
	st = send_all(fd, req, strlen(req)) < 0 ? -1 : read_answer(fd, NULL, 0);
	close(fd);
	judge("error_of_its_choosing", id, ran, err, st);
}

int main(void)
{
	adv_init();
	g_api = need_env("AWS_LAMBDA_RUNTIME_API");
	g_log = need_env("FNG_RTAPI_LOG");
	absolute_next();
	absolute_response();
	pipeline_17();
	head_first("head_first_cl", false);
	head_first("head_first_chunked", true);
	error_of_its_choosing();
	return adv_exit_status();
}
