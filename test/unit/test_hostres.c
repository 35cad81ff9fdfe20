/* fnguard's own lookup of exact host names (tracer/resolve/hostres.h) on a
 * real logging loop, against a resolver in this process (UDP on loopback,
 * named by a resolv.conf of the test's own): answers reach the tracer's
 * table, a changed answer arrives after the tracer asks, wildcards are never
 * looked up, and a resolver that never answers holds nothing up. Waits are
 * bounded polls, never assertions on elapsed time. resolv.conf cannot name
 * a port (c-ares 1.18), so the resolver listens on port 53 of the loopback
 * of a network namespace of the test's own (root needed). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "logging/logger.h"
#include "policy/policy.h"
#include "tracer/resolve/dns.h"
#include "tracer/resolve/hostres.h"

/* The resolver: A queries get answer_a, AAAA none; silent: nothing at all. */
struct server {
	int sock;
	_Atomic uint32_t answer_a;	/* network order */
	_Atomic bool silent, stop;
	_Atomic unsigned queries, wildcard_queries;
	pthread_t thread;
};

static size_t answer(struct server *s, const uint8_t *q, size_t n, uint8_t *out)
{
	size_t qend = 12;
	uint16_t qtype;
	uint32_t a = atomic_load(&s->answer_a);

	while (qend < n && q[qend])
		qend += q[qend] + 1u;
	qend += 5; /* the root label, type, class */
	if (qend > n || qend + 16 > 512)
		return 0;
	qtype = (uint16_t)(q[qend - 4] << 8 | q[qend - 3]);
	memcpy(out, q, qend);
	out[2] = 0x81, out[3] = 0x80;	/* a response, recursion available, NOERROR */
	out[6] = 0, out[7] = qtype == 1; /* one answer for A */
	out[8] = out[9] = out[10] = out[11] = 0;
	if (qtype != 1)
		return qend;
	memcpy(out + qend, (const uint8_t[]){ 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4 }, 12);
	memcpy(out + qend + 12, &a, 4);
	return qend + 16;
}

static void *serve(void *arg)
{
	struct server *s = arg;

	while (!atomic_load(&s->stop)) {
		struct pollfd pfd = { .fd = s->sock, .events = POLLIN };
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		uint8_t q[512], r[512];
		ssize_t n;
		size_t len;

		if (poll(&pfd, 1, 20) <= 0)
			continue;
		n = recvfrom(s->sock, q, sizeof(q), 0, (struct sockaddr *)&from, &fl);
		if (n < 12)
			continue;
		atomic_fetch_add(&s->queries, 1);
		if (memmem(q, (size_t)n, "\3cdn\4test", 9))
			atomic_fetch_add(&s->wildcard_queries, 1);
		if (atomic_load(&s->silent))
			continue;
		len = answer(s, q, (size_t)n, r);
		if (len)
			sendto(s->sock, r, len, 0, (struct sockaddr *)&from, fl);
	}
	return NULL;
}

static void server_start(struct server *s, const char *a, bool silent, char *conf, size_t confn)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(53),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct in_addr ia;
	FILE *f;
	int fd;

	memset(s, 0, sizeof(*s));
	assert_int_equal(inet_pton(AF_INET, a, &ia), 1);
	atomic_store(&s->answer_a, ia.s_addr);
	atomic_store(&s->silent, silent);
	s->sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(s->sock >= 0);
	assert_int_equal(bind(s->sock, (struct sockaddr *)&sin, sizeof(sin)), 0);
	snprintf(conf, confn, "/tmp/fng-hostres-XXXXXX");
	fd = mkstemp(conf);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fprintf(f, "nameserver 127.0.0.1\n");
	fclose(f);
	assert_int_equal(pthread_create(&s->thread, NULL, serve, s), 0);
}

static void server_stop(struct server *s, const char *conf)
{
	atomic_store(&s->stop, true);
	pthread_join(s->thread, NULL);
	close(s->sock);
	unlink(conf);
}

static struct fng_logger *logger(struct fng_sink_spec *spec)
{
	struct fng_logger *lg = NULL;
	struct fng_logger_config cfg = { .sinks = spec, .n_sinks = 1, .flush_timeout_ms = 100 };
	const char *why = NULL;
	char err[256];

	assert_int_equal(fng_sink_parse("file:/dev/null", spec, &why), 0);
	assert_int_equal(fng_logger_start(&lg, &cfg, err, sizeof(err)), 0);
	return lg;
}

/* svc.test exactly, and *.cdn.test (never looked up: no fallback for wildcards). */
static void policy(struct fng_policy *p, struct fng_hostrule rules[2])
{
	const char *why;

	memset(p, 0, sizeof(*p));
	assert_int_equal(fng_hostrule_parse("svc.test", &rules[0], &why), 0);
	assert_int_equal(fng_hostrule_parse("*.cdn.test", &rules[1], &why), 0);
	p->host_allow = rules;
	p->n_host_allow = 2;
}

static void v4(uint8_t out[16], const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	fng_addr_from_v4(out, &a);
}

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* Ask, take what came, look a up: until it is known as svc.test (at most ~10 s). */
static bool learnt(struct fng_hostres *h, struct fng_dns *d, const struct fng_policy *p, const char *a)
{
	uint8_t addr[16];
	bool allowed = false;

	v4(addr, a);
	for (int i = 0; i < 500 && !allowed; i++) {
		const char *name;
		fng_hostres_fallback(h, d);
		name = fng_dns_lookup(d, addr, p, 443, &allowed);
		if (allowed)
			assert_string_equal(name, "svc.test");
		else
			nap_ms(20);
	}
	return allowed;
}

static void answers_reach_the_table(void **state)
{
	struct fng_sink_spec spec;
	struct fng_logger *lg = logger(&spec);
	struct fng_hostrule rules[2];
	struct fng_policy p;
	struct fng_hostres *h = NULL;
	struct fng_dns d;
	struct server s;
	char conf[64], err[160];
	uint8_t a[16];
	bool allowed;

	(void)state;
	policy(&p, rules);
	server_start(&s, "10.77.0.1", false, conf, sizeof(conf));
	assert_int_equal(fng_dns_init(&d, &p, "/nonexistent"), 0);
	assert_int_equal(fng_hostres_start(&h, lg, &p, conf, err, sizeof(err)), 0);
	assert_non_null(h);
	assert_true(fng_hostres_wait(h, 10000));
	/* Nothing reaches the table until the tracer takes it. */
	v4(a, "10.77.0.1");
	assert_null(fng_dns_lookup(&d, a, &p, 443, &allowed));
	assert_true(learnt(h, &d, &p, "10.77.0.1"));

	/* The name moves: asking brings the new address (a round at most once
	 * every FNG_HOSTRES_ASK_MS), and the old one stays remembered. */
	atomic_store(&s.answer_a, htonl(0x0a4d0002)); /* 10.77.0.2 */
	assert_true(learnt(h, &d, &p, "10.77.0.2"));
	assert_true(learnt(h, &d, &p, "10.77.0.1"));
	assert_true(atomic_load(&s.queries) >= 2);
	assert_int_equal(atomic_load(&s.wildcard_queries), 0);

	fng_hostres_stop(h);
	server_stop(&s, conf);
	fng_dns_free(&d);
	fng_logger_stop(lg, NULL);
	free(rules[0].name);
	free(rules[1].name);
}

static void silent_resolver_holds_nothing_up(void **state)
{
	struct fng_sink_spec spec;
	struct fng_logger *lg = logger(&spec);
	struct fng_hostrule rules[2];
	struct fng_policy p;
	struct fng_hostres *h = NULL;
	struct fng_dns d;
	struct server s;
	char conf[64], err[160];
	uint8_t a[16];
	bool allowed;

	(void)state;
	policy(&p, rules);
	server_start(&s, "10.77.0.1", true, conf, sizeof(conf));
	assert_int_equal(fng_dns_init(&d, &p, "/nonexistent"), 0);
	assert_int_equal(fng_hostres_start(&h, lg, &p, conf, err, sizeof(err)), 0);
	assert_false(fng_hostres_wait(h, 200));
	/* Many asks while the lookup is in flight: each returns, nothing known. */
	v4(a, "10.77.0.1");
	for (int i = 0; i < 1000; i++) {
		fng_hostres_fallback(h, &d);
		assert_null(fng_dns_lookup(&d, a, &p, 443, &allowed));
		assert_false(allowed);
	}
	for (int i = 0; i < 250 && atomic_load(&s.queries) == 0; i++)
		nap_ms(20);
	assert_true(atomic_load(&s.queries) >= 1);
	/* Stopped with the lookup still in flight. */
	fng_hostres_stop(h);
	server_stop(&s, conf);
	fng_dns_free(&d);
	fng_logger_stop(lg, NULL);
	free(rules[0].name);
	free(rules[1].name);
}

static void no_exact_names_nothing_started(void **state)
{
	struct fng_sink_spec spec;
	struct fng_logger *lg = logger(&spec);
	struct fng_hostrule rule;
	struct fng_policy p = { 0 };
	struct fng_hostres *h = (struct fng_hostres *)&rule;
	const char *why;
	char err[160];

	(void)state;
	assert_int_equal(fng_hostrule_parse("*.cdn.test", &rule, &why), 0);
	p.host_allow = &rule;
	p.n_host_allow = 1;
	assert_int_equal(fng_hostres_start(&h, lg, &p, NULL, err, sizeof(err)), 0);
	assert_null(h);
	assert_true(fng_hostres_wait(NULL, 0));
	fng_hostres_fallback(NULL, NULL);
	fng_hostres_stop(NULL);
	fng_logger_stop(lg, NULL);
	free(rule.name);
}

/* A network namespace of our own with its loopback up: port 53 is ours. */
static int own_netns(void)
{
	struct ifreq ifr = { 0 };
	int fd, r;

	if (unshare(CLONE_NEWNET) < 0)
		return -errno;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	r = ioctl(fd, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	if (r == 0)
		r = ioctl(fd, SIOCSIFFLAGS, &ifr);
	r = r < 0 ? -errno : 0;
	close(fd);
	return r;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(answers_reach_the_table),
		cmocka_unit_test(silent_resolver_holds_nothing_up),
		cmocka_unit_test(no_exact_names_nothing_started),
	};

	int r = own_netns();

	if (r < 0) {
		fprintf(stderr, "test_hostres: cannot make a network namespace (root needed): %s\n", strerror(-r));
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
