/* DNS answers the function receives from a trusted resolver: at a recv on a
 * socket whose lookup went to that resolver (net.c notes it), the datagram at
 * the head of the queue is peeked and its names and addresses are learnt
 * (tracer/resolve/dns.c), so destinations can later be matched by host name.
 * Only the policy's resolver, seen in fnguard's own network namespace,
 * teaches names; anything else leaves names unknown (fail closed). */
#include "tracer/internal.h"
#include "tracer/sock.h"
#include "common/util.h"

#include <string.h>
#include <sys/socket.h>

enum fng_resume fng_check_dns_answer(struct fng_call *c)
{
	struct fng_tracer *t = c->t;
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	struct fng_dns_answer a;
	autosock struct fng_sock s = { .fd = -1 };
	struct fng_dest d;
	ssize_t n;

	if (!fng_dns_watched(&t->dns, c->tc->tgid, (int)c->args[0]) ||
	    fng_sock_get(c->tc->tgid, (int)c->args[0], &s) < 0)
		return FNG_RESUME_CONT; /* nothing learnt: names stay unknown (fail closed) */
	/* 127.0.0.1:53 of a network namespace of the function's own is not
	 * the resolver the policy trusts */
	if (!fng_sock_in_netns(&s, t->netns_dev, t->netns_ino))
		return FNG_RESUME_CONT;
	/* The datagram at the head of the queue is the one this recvfrom gets. */
	n = recvfrom(s.fd, t->dns.buf, FNG_DNS_MSG_MAX, MSG_PEEK | MSG_DONTWAIT, (struct sockaddr *)&from, &flen);
	if (n > 0)
		fng_sock_decode(&s, &from, flen, &d);
	fng_sock_put(&s);
	if (n <= 0 || !d.inet || d.port != 53 || !fng_dns_is_resolver(&t->dns, d.addr) ||
	    fng_dns_parse(t->dns.buf, (size_t)n, &a) < 0)
		return FNG_RESUME_CONT; /* only a trusted resolver's answers teach names */
	fng_dns_learn(&t->dns, &a);
	if (t->policy->log_dns || t->observe) {
		struct fng_event *ev = fng_report_begin(t, c->tc->tid, FNG_EV_DNS, c->d->name);
		if (ev) {
			size_t off = 0;
			ev->action = t->observe ? FNG_ACT_ALLOWED : FNG_ACT_NONE;
			fng_strlcpy(ev->host, a.name, sizeof(ev->host));
			fng_strlcpy(ev->qtype, a.qtype, sizeof(ev->qtype));
			fng_addr_format(d.addr, ev->ip, sizeof(ev->ip));
			ev->port = 53;
			fng_strlcpy(ev->protocol, "udp", sizeof(ev->protocol));
			for (size_t i = 0; i < a.n_addrs && off + 48 < sizeof(ev->argv); i++) {
				fng_addr_format(a.addrs[i], ev->argv + off, sizeof(ev->argv) - off);
				off += strlen(ev->argv + off) + 1;
				ev->argc++;
			}
			fng_report_end(t);
		}
	}
	return FNG_RESUME_CONT;
}
