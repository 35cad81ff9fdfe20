/* A custom runtime written in C for the runtime tests
 * (test/integration/runtimes.sh): threads, a loopback TCP echo,
 * posix_spawn of /bin/true, and, with "lambda", a Lambda custom runtime
 * loop on the Runtime API over plain HTTP/1.1 sockets. Deterministic
 * output: a run under an all-alert policy is compared with a native run. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int g_sum;
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;

static void *add(void *arg)
{
	int base = (int)(long)arg;

	for (int n = base; n < base + 25; n++) {
		pthread_mutex_lock(&g_mu);
		g_sum += n;
		pthread_mutex_unlock(&g_mu);
	}
	return NULL;
}

static int threads(void)
{
	pthread_t t[4];

	g_sum = 0;
	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, add, (void *)(i * 25));
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	return g_sum;
}

static void *serve(void *arg)
{
	int ls = (int)(long)arg, c = accept(ls, NULL, NULL);
	char buf[64], out[80];
	ssize_t n;

	if (c < 0)
		return NULL;
	n = read(c, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	n = snprintf(out, sizeof(out), "echo %s", buf);
	if (write(c, out, (size_t)n) < 0)
		perror("write");
	close(c);
	return NULL;
}

static void echo(char *line, size_t n)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	int ls = socket(AF_INET, SOCK_STREAM, 0), s;
	pthread_t th;
	ssize_t got;

	snprintf(line, n, "echo failed");
	if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(ls, 1) < 0 ||
	    getsockname(ls, (struct sockaddr *)&a, &al) < 0)
		return;
	pthread_create(&th, NULL, serve, (void *)(long)ls);
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s >= 0 && connect(s, (struct sockaddr *)&a, sizeof(a)) == 0 && write(s, "hello\n", 6) == 6) {
		got = read(s, line, n - 1);
		line[got > 0 ? got : 0] = '\0';
		line[strcspn(line, "\n")] = '\0';
	}
	pthread_join(th, NULL);
	close(s);
	close(ls);
}

static const char *run(void)
{
	char *argv[] = { "/bin/true", NULL };
	pid_t pid;
	int st;

	if (posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ) != 0)
		return "exec refused";
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return "exec failed";
	return WEXITSTATUS(st) == 0 ? "exec ok" : "exec refused"; /* 127: the child's exec failed */
}

/* One HTTP/1.1 request to the Runtime API (Connection: close): the status
 * line's code, the request id header into id, the body into body. */
static int http(const char *api, const char *method, const char *path, const char *data, char *id, char *body,
		size_t bn)
{
	char host[64], req[8192], resp[65536], *p;
	struct sockaddr_in a = { .sin_family = AF_INET };
	size_t used = 0;
	ssize_t got;
	int s, code = 0;

	snprintf(host, sizeof(host), "%s", api);
	p = strchr(host, ':');
	if (!p)
		return -1;
	*p = '\0';
	a.sin_port = htons((uint16_t)atoi(p + 1));
	if (inet_pton(AF_INET, host, &a.sin_addr) != 1 || (s = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return -1;
	if (connect(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(s);
		return -1;
	}
	snprintf(req, sizeof(req), "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\nContent-Length: %zu\r\n\r\n%s",
		 method, path, api, data ? strlen(data) : 0, data ? data : "");
	if (write(s, req, strlen(req)) < 0)
		code = -1;
	/* Up to the end of the body Content-Length announces (or EOF). */
	while (code == 0 && used < sizeof(resp) - 1 && (got = read(s, resp + used, sizeof(resp) - 1 - used)) > 0) {
		char *end, *cl;

		used += (size_t)got;
		resp[used] = '\0';
		end = strstr(resp, "\r\n\r\n");
		cl = strcasestr(resp, "\r\nContent-Length:");
		if (end && cl && cl < end && used >= (size_t)(end + 4 - resp) + strtoul(cl + 17, NULL, 10))
			break;
	}
	close(s);
	resp[used] = '\0';
	if (code < 0 || sscanf(resp, "HTTP/1.%*d %d", &code) != 1)
		return -1;
	if (id && (p = strcasestr(resp, "Lambda-Runtime-Aws-Request-Id:")))
		sscanf(p + 30, " %127[^\r\n]", id);
	if (body && (p = strstr(resp, "\r\n\r\n")))
		snprintf(body, bn, "%s", p + 4);
	return code;
}

static void lambda(void)
{
	const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
	char id[128], event[16384], out[17000], path[256], line[64];

	while (api && http(api, "GET", "/2018-06-01/runtime/invocation/next", NULL, id, event, sizeof(event)) == 200) {
		echo(line, sizeof(line));
		snprintf(out, sizeof(out), "{\"runtime\":\"c\",\"sum\":%d,\"echo\":\"%s\",\"event\":%s}", threads(), line,
			 event);
		snprintf(path, sizeof(path), "/2018-06-01/runtime/invocation/%s/response", id);
		if (http(api, "POST", path, out, NULL, NULL, 0) < 0)
			return;
	}
}

int main(int argc, char **argv)
{
	char line[64];

	if (argc > 1 && strcmp(argv[1], "lambda") == 0) {
		lambda();
		return 0;
	}
	printf("threads %d\n", threads());
	echo(line, sizeof(line));
	printf("%s\n", line);
	printf("%s\n", run());
	return 0;
}
