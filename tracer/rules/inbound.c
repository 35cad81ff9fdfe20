/* Inbound connections (outbound_connectivity's other direction): a function
 * that listens talks to whoever connects, so the peer of every accepted
 * connection is judged like a destination (net.c's exemptions and
 * exceptions), while destinations are judged. */
#include "tracer/internal.h"
#include "tracer/arch.h"
#include "tracer/sock.h"
#include "common/util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/* A function that listens talks to whoever connects (a bind shell): the
 * peer an accept took is judged like a destination, at the exit stop; one
 * not allowed gets its connection torn down, and the accept fails with
 * ECONNABORTED (what servers retry on) after an injected close. */
/* A listener bound to a loopback address only ever accepts local peers
 * (the kernel drops packets from elsewhere addressed to loopback, and no
 * socket may take an interface of its own while destinations are judged):
 * exempt like loopback destinations, with no exit stop. */
static bool loopback_listener(struct fng_call *c)
{
	autosock struct fng_sock s = { .fd = -1 };
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct fng_dest d;

	if (c->t->policy->judge_loopback || fng_sock_get(c->tc->tgid, (int)c->args[0], &s) < 0 ||
	    !fng_sock_inet(&s) || fng_sock_reroutes(&s) || getsockname(s.fd, (struct sockaddr *)&ss, &len) < 0)
		return false;
	fng_sock_decode(&s, &ss, len, &d);
	return d.inet && fng_addr_is_loopback(d.addr);
}

enum fng_resume fng_check_accept(struct fng_call *c)
{
	if (!fng_net_judging(c->t) || loopback_listener(c))
		return FNG_RESUME_CONT;
	c->tc->pending = FNG_PENDING_ACCEPT;
	c->tc->pending_desc = (uint16_t)c->desc_index;
	return FNG_RESUME_SYSCALL;
}

enum fng_resume fng_verify_accept(struct fng_tracer *t, struct fng_tracee *tc, long ret)
{
	struct fng_verdict v = FNG_VERDICT_NONE;
	const char *name = fng_syscalls[tc->pending_desc].name;
	autosock struct fng_sock s = { .fd = -1 };
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct fng_dest d;

	tc->pending = FNG_PENDING_NONE;
	if (ret < 0)
		return FNG_RESUME_CONT;
	if (fng_sock_get(tc->tgid, (int)ret, &s) < 0 ||
	    (fng_sock_inet(&s) && getpeername(s.fd, (struct sockaddr *)&ss, &len) < 0)) {
		v.d.rule = FNG_RULE_OUTBOUND;
		v.d.mode = FNG_MODE_BLOCK;
		snprintf(v.d.reason, sizeof(v.d.reason), "fnguard could not examine the accepted connection: refused");
	} else {
		if (!fng_sock_inet(&s))
			return FNG_RESUME_CONT; /* a local (AF_UNIX) peer */
		fng_sock_decode(&s, &ss, len, &d);
		fng_net_judge(t, &d, fng_sock_protocol(&s), &v);
		if (v.d.rule == FNG_RULE_NONE)
			return FNG_RESUME_CONT;
		snprintf(v.d.reason, sizeof(v.d.reason), "an inbound connection from a peer the policy does not allow");
	}
	if (v.d.mode == FNG_MODE_ALERT) {
		fng_report_verdict(t, tc->tid, FNG_EV_NETWORK, name, &v, FNG_ACT_ALERTED);
		return FNG_RESUME_CONT;
	}
	if (s.fd >= 0)
		shutdown(s.fd, SHUT_RDWR);
	v.d.err = ECONNABORTED;
	return fng_undo_by_close(t, tc, (int)ret, FNG_EV_NETWORK, name, &v);
}
