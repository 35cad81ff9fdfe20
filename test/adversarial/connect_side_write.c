/* connect_side_write — data sent to a blocked host through a blocking
 * connect a racing thread redirected, by a third thread writing to the
 * socket before fnguard's exit-stop check could tear the connection down.
 *
 * A flipper thread rewrites the sockaddr of blocking TCP connects between
 * an allowed loopback listener and 192.0.2.1 (TEST-NET-1, on the lo of a
 * network namespace the program makes itself; nothing leaves it) on the
 * same port; a writer thread sends "X" on the socket being connected
 * without pause. A receiver thread accepts on 192.0.2.1 and reads.
 *
 * Under fnguard the receiver must not be traced (its accepts would be judged
 * by the inbound rule): `connect_side_write --receive FILE`, run beside
 * fnguard in a namespace that has 192.0.2.1 on lo, listens on both and keeps
 * FILE holding the number of bytes 192.0.2.1 received; the traced program,
 * given FNG_CSW_COUNT=FILE, uses it instead of a namespace and receiver of
 * its own.
 *
 * Vector:
 *   blocking_connect_side_write - BYPASSED when any byte reached 192.0.2.1
 *                                 (natively many do; ERROR when no connect
 *                                 succeeded: the race did not run)
 * Env: FNG_WORKDIR (checked to be set), FNG_RACE_ATTEMPTS (default 5000),
 * FNG_CSW_COUNT (optional, above).
 */
#define _GNU_SOURCE
#include "adv.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/epoll.h>
#include <sys/stat.h>

#define PORT 4301

struct side {
	struct sockaddr_in addr;	/* the shared buffer the flipper rewrites */
	atomic_int fd;			/* the socket being connected, or -1 */
	atomic_int stop;
	atomic_long remote_bytes;
	int l_remote, l_lo;
};

static void *flipper(void *arg)
{
	struct side *s = arg;
	volatile uint32_t *a = &s->addr.sin_addr.s_addr;

	while (!atomic_load(&s->stop)) {
		*a = htonl(0xc0000201); /* 192.0.2.1 */
		for (volatile int k = 0; k < 200; k++)
			;
		*a = htonl(INADDR_LOOPBACK);
		for (volatile int k = 0; k < 200; k++)
			;
	}
	return NULL;
}

static void *writer(void *arg)
{
	struct side *s = arg;

	while (!atomic_load(&s->stop)) {
		int fd = atomic_load(&s->fd);

		if (fd >= 0)
			(void)send(fd, "X", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	}
	return NULL;
}

/* Keep the count in FILE (the external receiver's answer). */
static void publish(const char *file, long n)
{
	char tmp[4200];
	FILE *f;

	snprintf(tmp, sizeof tmp, "%s.tmp", file);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "%ld\n", n);
	fclose(f);
	rename(tmp, file);
}

/* Accept on both listeners and read everything: count bytes at 192.0.2.1. */
static void *receiver(void *arg)
{
	struct side *s = arg;
	const char *file = getenv("FNG_CSW_PUBLISH");
	struct epoll_event ev = { .events = EPOLLIN }, got[64];
	int ep = epoll_create1(EPOLL_CLOEXEC);

	ev.data.fd = s->l_remote;
	epoll_ctl(ep, EPOLL_CTL_ADD, s->l_remote, &ev);
	ev.data.fd = s->l_lo;
	epoll_ctl(ep, EPOLL_CTL_ADD, s->l_lo, &ev);
	while (!atomic_load(&s->stop)) {
		int n = epoll_wait(ep, got, 64, 50);

		for (int i = 0; i < n; i++) {
			int fd = got[i].data.fd;
			char buf[4096];
			ssize_t r;

			if (fd == s->l_remote || fd == s->l_lo) {
				int c;
				while ((c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
					ev.data.fd = c;
					ev.events = EPOLLIN | EPOLLRDHUP;
					epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
					ev.events = EPOLLIN;
				}
				continue;
			}
			while ((r = read(fd, buf, sizeof buf)) > 0) {
				struct sockaddr_in me;
				socklen_t len = sizeof me;

				if (getsockname(fd, (struct sockaddr *)&me, &len) == 0 &&
				    me.sin_addr.s_addr == htonl(0xc0000201)) {
					atomic_fetch_add(&s->remote_bytes, r);
					if (file)
						publish(file, atomic_load(&s->remote_bytes));
				}
			}
			if (r == 0 || (r < 0 && errno != EAGAIN)) {
				epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
				close(fd);
			}
		}
	}
	close(ep);
	return NULL;
}

static int listen_both(struct side *s)
{
	s->l_lo = adv_receiver(SOCK_STREAM, "127.0.0.1", PORT);
	s->l_remote = adv_receiver(SOCK_STREAM, "192.0.2.1", PORT);
	return s->l_lo < 0 || s->l_remote < 0 ? -1 : 0;
}

/* --receive FILE: the untraced receiver, until SIGTERM. */
static int receive_only(struct side *s, const char *file)
{
	setenv("FNG_CSW_PUBLISH", file, 1);
	publish(file, 0);
	if (listen_both(s) < 0) {
		fprintf(stderr, "connect_side_write: cannot listen: %s\n", strerror(errno));
		return 2;
	}
	receiver(s);
	return 0;
}

static long external_count(const char *file)
{
	FILE *f = fopen(file, "r");
	long n = -1;

	if (f && fscanf(f, "%ld", &n) != 1)
		n = -1;
	if (f)
		fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	static const char *const remote[] = { "192.0.2.1" };
	static struct side s = { .fd = -1 };
	const char *n = getenv("FNG_RACE_ATTEMPTS"), *ext = getenv("FNG_CSW_COUNT");
	long attempts = n && *n ? atol(n) : 5000, ok = 0, denied = 0, other = 0;
	pthread_t th[3];

	if (argc == 3 && !strcmp(argv[1], "--receive"))
		return receive_only(&s, argv[2]);
	adv_init();
	need_env("FNG_WORKDIR");
	if (!ext || !*ext) {
		adv_own_netns(remote, 1);
		if (listen_both(&s) < 0)
			env_error("cannot listen: %s", strerror(errno));
	}
	s.addr.sin_family = AF_INET;
	s.addr.sin_port = htons(PORT);
	s.addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (pthread_create(&th[0], NULL, flipper, &s) || pthread_create(&th[1], NULL, writer, &s) ||
	    (!ext && pthread_create(&th[2], NULL, receiver, &s)))
		env_error("pthread_create failed");
	for (long i = 0; i < attempts; i++) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

		atomic_store(&s.fd, fd);
		if (connect(fd, (struct sockaddr *)&s.addr, sizeof s.addr) == 0)
			ok++;
		else if (is_denial(errno))
			denied++;
		else
			other++;
		atomic_store(&s.fd, -1);
		close(fd);
	}
	usleep(200 * 1000); /* let the receiver read what is in flight */
	atomic_store(&s.stop, 1);
	for (int i = 0; i < (ext ? 2 : 3); i++)
		pthread_join(th[i], NULL);
	if (ext)
		atomic_store(&s.remote_bytes, external_count(ext));
	if (ok == 0 || atomic_load(&s.remote_bytes) < 0)
		report("blocking_connect_side_write", ERRORED,
		       "no connect succeeded, or no count from the receiver: the race did not run (denied=%ld other=%ld)",
		       denied, other);
	else
		report("blocking_connect_side_write", atomic_load(&s.remote_bytes) ? BYPASSED : DEFENDED,
		       "%ld bytes reached 192.0.2.1 (%ld connects: ok=%ld denied=%ld other=%ld)",
		       atomic_load(&s.remote_bytes), attempts, ok, denied, other);
	return adv_exit_status();
}
