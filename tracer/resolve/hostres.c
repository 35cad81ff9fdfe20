/* fnguard's own lookup of exact host names (hostres.h): c-ares on the logging
 * thread's loop, answers handed to the tracer thread under a mutex. */
#include "tracer/resolve/hostres.h"
#include "common/clock.h"
#include "common/util.h"

#include <ares.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <uv.h>

#define HOSTRES_SOCKS 16	/* c-ares' sockets polled at once; more: those queries time out */
#define HOSTRES_ADDRS 32	/* per name, kept between two drains */

struct hostres_sock {
	uv_poll_t poll;
	ares_socket_t fd;
	enum { SOCK_FREE = 0, SOCK_OPEN, SOCK_CLOSING } state;
};

struct hostres_query {
	struct fng_hostres *h;
	size_t i;		/* names[i] */
};

struct hostres_set {
	uint8_t addrs[HOSTRES_ADDRS][16];
	size_t n;
};

struct fng_hostres {
	/* Written by the tracer thread before the loop sees them, read-only after. */
	struct fng_logger *lg;
	char **names;
	size_t n_names;
	char *resolv_conf;
	struct hostres_query *queries;

	/* The loop's own. */
	ares_channel ch;
	uv_async_t async;
	uv_timer_t ares_timer;	/* c-ares' retries and timeouts */
	uv_timer_t refresh;	/* the next round */
	struct hostres_sock socks[HOSTRES_SOCKS];
	size_t in_flight;	/* lookups of the current round not answered yet */
	uint64_t round_ns;	/* when the last round started (monotonic) */
	unsigned open;		/* handles not closed yet */
	bool closing;
	char start_err[128];

	/* Between the two threads. */
	uv_sem_t sem;		/* posted once started (or failed), once stopped */
	int start_result;	/* written before the post */
	bool synced;		/* sem, mu and round_done are initialised */
	pthread_mutex_t mu;
	pthread_cond_t round_done;
	struct hostres_set *fresh;	/* mu: per name, resolved since the last drain */
	unsigned rounds;	/* mu: rounds finished */
	_Atomic bool have_fresh;
	_Atomic bool asked;
	_Atomic bool stop;
};

/* ------------------------------------------------------------ the loop's side */

static void on_closed(uv_handle_t *handle)
{
	struct fng_hostres *h = handle->data;

	if (handle->type == UV_POLL)
		((struct hostres_sock *)handle)->state = SOCK_FREE; /* poll is the first member */
	if (--h->open == 0)
		uv_sem_post(&h->sem);
}

static void arm_ares_timer(struct fng_hostres *h);

static void on_poll(uv_poll_t *poll, int status, int events)
{
	struct hostres_sock *s = (struct hostres_sock *)poll;
	struct fng_hostres *h = poll->data;
	bool rd = status < 0 || (events & UV_READABLE), wr = status < 0 || (events & UV_WRITABLE);

	/* An error: let c-ares read and write, it sees the error itself. */
	ares_process_fd(h->ch, rd ? s->fd : ARES_SOCKET_BAD, wr ? s->fd : ARES_SOCKET_BAD);
	arm_ares_timer(h);
}

/* c-ares opens, changes or closes (0, 0) a socket: follow it with a poll handle. */
static void on_sock_state(void *data, ares_socket_t fd, int readable, int writable)
{
	struct fng_hostres *h = data;
	struct hostres_sock *s = NULL, *free_slot = NULL;

	for (size_t i = 0; i < HOSTRES_SOCKS; i++) {
		if (h->socks[i].state == SOCK_OPEN && h->socks[i].fd == fd)
			s = &h->socks[i];
		else if (h->socks[i].state == SOCK_FREE && !free_slot)
			free_slot = &h->socks[i];
	}
	if (!readable && !writable) {
		if (s) {
			s->state = SOCK_CLOSING;
			uv_close((uv_handle_t *)&s->poll, on_closed);
		}
		return;
	}
	if (!s) {
		if (!free_slot || h->closing || uv_poll_init(h->async.loop, &free_slot->poll, fd) < 0)
			return; /* never polled: its lookup times out, nothing is learnt */
		s = free_slot;
		s->fd = fd;
		s->state = SOCK_OPEN;
		s->poll.data = h;
		h->open++;
	}
	uv_poll_start(&s->poll, (readable ? UV_READABLE : 0) | (writable ? UV_WRITABLE : 0), on_poll);
}

static void on_ares_timer(uv_timer_t *t)
{
	struct fng_hostres *h = t->data;

	ares_process_fd(h->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	arm_ares_timer(h);
}

static void arm_ares_timer(struct fng_hostres *h)
{
	struct timeval tv, *next;

	if (h->closing)
		return;
	next = ares_timeout(h->ch, NULL, &tv);
	if (!next)
		uv_timer_stop(&h->ares_timer);
	else
		uv_timer_start(&h->ares_timer, on_ares_timer, (uint64_t)tv.tv_sec * 1000 + ((uint64_t)tv.tv_usec + 999) / 1000,
			       0);
}

static void keep_addr(struct hostres_set *set, const uint8_t a[16])
{
	for (size_t k = 0; k < set->n; k++)
		if (memcmp(set->addrs[k], a, 16) == 0)
			return;
	if (set->n < HOSTRES_ADDRS) /* more: not remembered, judged as unknown (fail closed) */
		memcpy(set->addrs[set->n++], a, 16);
}

static void on_addrinfo(void *arg, int status, int timeouts, struct ares_addrinfo *res)
{
	struct hostres_query *q = arg;
	struct fng_hostres *h = q->h;

	(void)timeouts;
	if (status == ARES_SUCCESS && res) {
		pthread_mutex_lock(&h->mu);
		for (struct ares_addrinfo_node *n = res->nodes; n; n = n->ai_next) {
			uint8_t a[16];
			if (n->ai_family == AF_INET)
				fng_addr_from_v4(a, &((struct sockaddr_in *)n->ai_addr)->sin_addr);
			else if (n->ai_family == AF_INET6)
				memcpy(a, &((struct sockaddr_in6 *)n->ai_addr)->sin6_addr, 16);
			else
				continue;
			keep_addr(&h->fresh[q->i], a);
			atomic_store(&h->have_fresh, true);
		}
		pthread_mutex_unlock(&h->mu);
	}
	if (res)
		ares_freeaddrinfo(res);
	if (h->in_flight && --h->in_flight == 0) {
		pthread_mutex_lock(&h->mu);
		h->rounds++;
		pthread_cond_broadcast(&h->round_done);
		pthread_mutex_unlock(&h->mu);
	}
}

static void on_refresh(uv_timer_t *t);

/* Every name again (a round), unless one is under way; the next in FNG_DNS_FALLBACK_S. */
static void start_round(struct fng_hostres *h)
{
	struct ares_addrinfo_hints hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };

	uv_timer_start(&h->refresh, on_refresh, FNG_DNS_FALLBACK_S * 1000ull, 0);
	if (h->in_flight || h->closing)
		return;
	h->round_ns = fng_mono_ns();
	/* Set first: a lookup can be answered at once (/etc/hosts, an error). */
	h->in_flight = h->n_names;
	for (size_t i = 0; i < h->n_names && !h->closing; i++)
		ares_getaddrinfo(h->ch, h->names[i], NULL, &hints, on_addrinfo, &h->queries[i]);
	arm_ares_timer(h);
}

static void on_refresh(uv_timer_t *t)
{
	start_round(t->data);
}

/* The tracer met an unknown address: a round now, or once FNG_HOSTRES_ASK_MS
 * have passed since the last one began. One under way answers it already. */
static void on_ask(struct fng_hostres *h)
{
	uint64_t since_ms = (fng_mono_ns() - h->round_ns) / 1000000;

	if (h->in_flight)
		return;
	if (since_ms >= FNG_HOSTRES_ASK_MS)
		start_round(h);
	else if (uv_timer_get_due_in(&h->refresh) > FNG_HOSTRES_ASK_MS - since_ms)
		uv_timer_start(&h->refresh, on_refresh, FNG_HOSTRES_ASK_MS - since_ms, 0);
}

/* Drop every lookup, close every handle; the last close posts sem. */
static void shut_down(struct fng_hostres *h)
{
	uv_handle_t *own[] = { (uv_handle_t *)&h->async, (uv_handle_t *)&h->ares_timer, (uv_handle_t *)&h->refresh };

	if (h->closing)
		return;
	h->closing = true;
	if (h->ch)
		ares_destroy(h->ch); /* answers each lookup (ARES_EDESTRUCTION), closes its sockets */
	h->ch = NULL;
	for (size_t i = 0; i < HOSTRES_SOCKS; i++)
		if (h->socks[i].state == SOCK_OPEN) {
			h->socks[i].state = SOCK_CLOSING;
			uv_close((uv_handle_t *)&h->socks[i].poll, on_closed);
		}
	for (size_t i = 0; i < FNG_ARRAY_LEN(own); i++)
		uv_close(own[i], on_closed);
}

static void on_async(uv_async_t *a)
{
	struct fng_hostres *h = a->data;

	if (atomic_load(&h->stop))
		shut_down(h);
	else if (atomic_exchange(&h->asked, false))
		on_ask(h);
}

/* Runs on the logging thread (a flush request's callback, as the Runtime API
 * proxy starts): the handles, the channel, the first round. */
static void on_loop(void *arg, int status)
{
	struct fng_hostres *h = arg;
	uv_loop_t *loop = fng_logger_loop(h->lg);
	struct ares_options o = {
		.timeout = FNG_HOSTRES_TIMEOUT_MS,
		.tries = FNG_HOSTRES_TRIES,
		.sock_state_cb = on_sock_state,
		.sock_state_cb_data = h,
		.resolvconf_path = h->resolv_conf,
	};
	int mask = ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB | (h->resolv_conf ? ARES_OPT_RESOLVCONF : 0);
	int r;

	(void)status;
	uv_async_init(loop, &h->async, on_async); /* the loop's async watcher exists already: cannot fail */
	uv_timer_init(loop, &h->ares_timer);
	uv_timer_init(loop, &h->refresh);
	h->async.data = h->ares_timer.data = h->refresh.data = h;
	h->open = 3;
	r = ares_init_options(&h->ch, &o, mask);
	if (r != ARES_SUCCESS) {
		h->ch = NULL;
		snprintf(h->start_err, sizeof(h->start_err), "c-ares: %s", ares_strerror(r));
		h->start_result = r == ARES_ENOMEM ? -ENOMEM : -EIO;
		shut_down(h); /* the last close posts sem */
		return;
	}
	h->start_result = 0;
	start_round(h);
	uv_sem_post(&h->sem);
}

/* ------------------------------------------------------------ the tracer's side */

static void hostres_free(struct fng_hostres *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n_names; i++)
		free(h->names[i]);
	free(h->names);
	free(h->queries);
	free(h->fresh);
	free(h->resolv_conf);
	if (h->synced) {
		pthread_cond_destroy(&h->round_done);
		pthread_mutex_destroy(&h->mu);
		uv_sem_destroy(&h->sem);
	}
	free(h);
}

static void hostres_freep(struct fng_hostres **h)
{
	hostres_free(*h);
}
#define autohostres __attribute__((cleanup(hostres_freep)))

/* The exact (not wildcard) names, each once. */
static int take_names(struct fng_hostres *h, const struct fng_policy *p)
{
	h->names = calloc(p->n_host_allow ? p->n_host_allow : 1, sizeof(*h->names));
	if (!h->names)
		return -ENOMEM;
	for (size_t i = 0; i < p->n_host_allow; i++) {
		bool seen = p->host_allow[i].wildcard;
		for (size_t k = 0; k < h->n_names && !seen; k++)
			seen = strcmp(h->names[k], p->host_allow[i].name) == 0;
		if (seen)
			continue;
		h->names[h->n_names] = strdup(p->host_allow[i].name);
		if (!h->names[h->n_names])
			return -ENOMEM;
		h->n_names++;
	}
	h->queries = calloc(h->n_names ? h->n_names : 1, sizeof(*h->queries));
	h->fresh = calloc(h->n_names ? h->n_names : 1, sizeof(*h->fresh));
	if (!h->queries || !h->fresh)
		return -ENOMEM;
	for (size_t i = 0; i < h->n_names; i++)
		h->queries[i] = (struct hostres_query){ h, i };
	return 0;
}

static int sync_init(struct fng_hostres *h)
{
	pthread_condattr_t ca;
	int r;

	if (uv_sem_init(&h->sem, 0) < 0)
		return -ENOMEM;
	if (pthread_mutex_init(&h->mu, NULL) != 0) {
		uv_sem_destroy(&h->sem);
		return -ENOMEM;
	}
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	r = pthread_cond_init(&h->round_done, &ca);
	pthread_condattr_destroy(&ca);
	if (r != 0) {
		pthread_mutex_destroy(&h->mu);
		uv_sem_destroy(&h->sem);
		return -ENOMEM;
	}
	h->synced = true;
	return 0;
}

int fng_hostres_start(struct fng_hostres **out, struct fng_logger *lg, const struct fng_policy *p,
		      const char *resolv_conf, char *err, size_t errn)
{
	autohostres struct fng_hostres *h = calloc(1, sizeof(*h));
	int r;

	*out = NULL;
	r = h ? sync_init(h) : -ENOMEM;
	if (r == 0) {
		h->lg = lg;
		r = take_names(h, p);
	}
	if (r == 0 && resolv_conf && !(h->resolv_conf = strdup(resolv_conf)))
		r = -ENOMEM;
	if (r == 0 && h->n_names == 0)
		return 0;
	if (r == 0)
		r = fng_logger_flush(lg, 0, on_loop, h);
	if (r == 0) {
		uv_sem_wait(&h->sem);
		r = h->start_result;
	}
	if (r < 0) {
		snprintf(err, errn, "%s", h && h->start_err[0] ? h->start_err : strerror(-r));
		return r;
	}
	*out = fng_steal_ptr(&h);
	return 0;
}

bool fng_hostres_wait(struct fng_hostres *h, unsigned ms)
{
	struct timespec until;
	bool done;

	if (!h)
		return true;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&h->mu);
	while (h->rounds == 0 && pthread_cond_timedwait(&h->round_done, &h->mu, &until) == 0)
		;
	done = h->rounds > 0;
	pthread_mutex_unlock(&h->mu);
	return done;
}

void fng_hostres_fallback(struct fng_hostres *h, struct fng_dns *d)
{
	if (!h)
		return;
	if (atomic_exchange(&h->have_fresh, false)) {
		pthread_mutex_lock(&h->mu);
		for (size_t i = 0; i < h->n_names; i++) {
			for (size_t k = 0; k < h->fresh[i].n; k++)
				fng_dns_remember(d, h->fresh[i].addrs[k], h->names[i]);
			h->fresh[i].n = 0;
		}
		pthread_mutex_unlock(&h->mu);
	}
	/* One wake-up until the loop has taken the request. */
	if (!atomic_exchange(&h->asked, true))
		uv_async_send(&h->async);
}

void fng_hostres_stop(struct fng_hostres *h)
{
	if (!h)
		return;
	atomic_store(&h->stop, true);
	uv_async_send(&h->async);
	uv_sem_wait(&h->sem);
	hostres_free(h);
}
