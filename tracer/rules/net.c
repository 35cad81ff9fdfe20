/* outbound_connectivity: where connect/sendto/sendmsg/sendmmsg send to, and raw/packet sockets
 * (accepted peers: inbound.c). Loopback (unless "judge"), the Runtime API and lookups to a trusted
 * resolver are always reachable; exceptions are addresses, CIDRs and host names, matched against the
 * names the function's own DNS lookups returned for the address (dns.c). Also: the first connect to the
 * Runtime API ends initialisation (read_handler arms). The decisions are policy/decide.h's
 * (fng_decide_net and friends); this file reads the destinations, gathers what is known of them, and
 * applies the verdict. Observe mode marks the Runtime API fnguard gives the runtime (own_dest). */
#include "tracer/internal.h"
#include "tracer/arch.h"
#include "tracer/mem.h"
#include "tracer/sock.h"
#include "common/util.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MMSG_MAX 1024 /* UIO_MAXIOV: the kernel's own cap on sendmmsg */

static int read_sockaddr(pid_t tid, uint64_t addr, uint64_t len, struct sockaddr_storage *ss, socklen_t *outlen)
{
	memset(ss, 0, sizeof(*ss));
	if (len > sizeof(*ss))
		len = sizeof(*ss);
	*outlen = (socklen_t)len;
	return fng_mem_read(tid, addr, ss, len);
}

static bool is_runtime_api(const struct fng_tracer *t, const struct fng_dest *d)
{
	return t->have_api && d->port == t->api_port && memcmp(d->addr, t->api_addr, 16) == 0;
}

static bool is_any(const uint8_t a[16])
{
	static const uint8_t zero[16];
	static const uint8_t v4any[16] = { [10] = 0xff, [11] = 0xff };
	/* connect(0.0.0.0) and connect(::) reach the local host */
	return memcmp(a, zero, 16) == 0 || memcmp(a, v4any, 16) == 0;
}

/* The real Runtime API behind fnguard's proxy: its address, and every
 * address of this host on its port (a wildcard listener answers on all of
 * them: 127.0.0.0/8, ::1, 0.0.0.0, ::, IPv4-mapped forms, the interfaces'
 * own addresses). */
static bool is_real_api(const struct fng_tracer *t, const struct fng_dest *d)
{
	if (!t->have_real_api || !d->inet || d->port != t->real_api_port)
		return false;
	return memcmp(d->addr, t->real_api_addr, 16) == 0 || is_any(d->addr) || fng_addr_is_loopback(d->addr) ||
	       fng_sock_addr_local(d->addr);
}

static void set_dest(const struct fng_tracer *t, struct fng_verdict *v, const struct fng_dest *d, const char *name, const char *proto)
{
	fng_addr_format(d->addr, v->ev.ip, sizeof(v->ev.ip));
	fng_strlcpy(v->ev.host, name ? name : v->ev.ip, sizeof(v->ev.host));
	v->ev.port = d->port;
	fng_strlcpy(v->ev.protocol, proto, sizeof(v->ev.protocol));
	v->ev.own_dest = is_runtime_api(t, d);	/* fnguard's own: a baseline never learns it */
}

/* Reaching past the proxy is blocked whatever outbound_connectivity says. */
static enum fng_resume block_real_api(struct fng_call *c, const struct fng_dest *d)
{
	struct fng_verdict v = FNG_VERDICT_NONE;

	fng_decide_real_api(&v.d);
	set_dest(c->t, &v, d, NULL, "tcp");
	return fng_enforce(c, FNG_EV_NETWORK, &v);
}

/* What is known about a destination: what it is to the function, and the
 * name the function's own lookups gave it. */
static struct fng_net_facts dest_facts(const struct fng_tracer *t, const struct fng_dest *d)
{
	struct fng_net_facts f = {
		.inet = d->inet,
		.addr = d->addr,
		.port = d->port,
		.runtime_api = is_runtime_api(t, d),
		.real_api = is_real_api(t, d),
		.resolver = d->inet && fng_dns_is_resolver(&t->dns, d->addr),
	};
	bool allowed;

	f.name = d->inet ? fng_dns_lookup(&t->dns, d->addr, t->policy, d->port, &allowed) : NULL;
	return f;
}

/* Observe mode: the destination of a call let through, for its event (the
 * first one; an offending one found later replaces it). */
static void observe_dest(struct fng_tracer *t, const struct fng_dest *d, const char *proto, struct fng_verdict *v)
{
	bool allowed;

	if (t->observe && d->inet && !v->ev.ip[0])
		set_dest(t, v, d, fng_dns_lookup(&t->dns, d->addr, t->policy, d->port, &allowed), proto);
}

/* outbound_connectivity and the allowlist on one destination (the first
 * offending one stays the verdict's). */
void fng_net_judge(struct fng_tracer *t, const struct fng_dest *d, const char *proto, struct fng_verdict *v)
{
	struct fng_decide_ctx x = fng_tracer_ctx(t);
	struct fng_net_facts f = dest_facts(t, d);
	bool offends, allowed;

	if (!fng_decide_net(&x, &f, &v->d, &offends)) {
		/* Not learned from the function's lookups (Go's own resolver,
		 * DNS over TCP): what fnguard's own lookup of the exact names
		 * found so far (made off this thread, tracer/resolve/hostres.h). */
		fng_hostres_fallback(t->hostres, &t->dns);
		f.name = fng_dns_lookup(&t->dns, d->addr, t->policy, d->port, &allowed);
		f.names_complete = true;
		fng_decide_net(&x, &f, &v->d, &offends);
	}
	if (offends)
		set_dest(t, v, d, f.name, proto);
}

/* A routing header or source route (a socket option, or a control message
 * of this send) would send the packets elsewhere than the address judged:
 * refused, whatever the mode (the filter refuses setting them too). */
static enum fng_resume refuse_reroute(struct fng_call *c, const char *what)
{
	struct fng_verdict v = FNG_VERDICT_NONE;

	v.d.rule = FNG_RULE_OUTBOUND;
	v.d.mode = FNG_MODE_BLOCK;
	v.d.err = EPERM;
	snprintf(v.d.reason, sizeof(v.d.reason), "%s would send packets elsewhere than their destination", what);
	return fng_enforce(c, FNG_EV_NETWORK, &v);
}

/* A lookup going to a trusted resolver: its answer will be peeked at. */
static void note_lookup(struct fng_tracer *t, const struct fng_call *c, const struct fng_sock *s,
			const struct fng_dest *d)
{
	if (d->inet && d->port == 53 && s->type == SOCK_DGRAM &&
	    fng_dns_is_resolver(&t->dns, d->addr))
		fng_dns_watch(&t->dns, c->tc->tgid, (int)c->args[0]);
}

bool fng_net_judging(const struct fng_tracer *t)
{
	return t->policy->mode[FNG_RULE_OUTBOUND] != FNG_MODE_ALLOW || t->policy->allow;
}

/* Report (alert) or fail (block) the call; FNG_RESUME_CONT from an alert
 * means "carry on with the call". */
static enum fng_resume enforce(struct fng_call *c, struct fng_verdict *v)
{
	if (v->d.rule == FNG_RULE_NONE && !c->t->observe)
		return FNG_RESUME_CONT; /* observe mode: fng_enforce reports it allowed */
	return fng_enforce(c, FNG_EV_NETWORK, v);
}

/* A stream socket's destination is its peer: verified at the exit stop
 * (getpeername), since a blocking connect would stall the tracer here. A
 * call already alerted at entry is not verified: that would only say it again. */
static enum fng_resume verify_at_exit(struct fng_call *c, int tfd, const struct fng_verdict *entry)
{
	if (entry->d.rule != FNG_RULE_NONE || !fng_enforcing(c->t) || !fng_racers_possible(c->t))
		return FNG_RESUME_CONT;
	c->tc->pending = FNG_PENDING_CONNECT;
	c->tc->pending_desc = (uint16_t)c->desc_index;
	c->tc->pending_fd = tfd;
	return FNG_RESUME_SYSCALL;
}

/* Another task (a thread, or a process writing a MAP_SHARED page) could
 * rewrite the sockaddr after this check, so the connect is done here, on the
 * tracee's own socket (pidfd_getfd), with the address that was checked; the
 * tracee's call is skipped with that result. */
static enum fng_resume check_connect(struct fng_call *c)
{
	struct fng_tracer *t = c->t;
	struct fng_verdict v = FNG_VERDICT_NONE;
	autosock struct fng_sock s = { .fd = -1 };
	struct sockaddr_storage ss;
	struct fng_dest d;
	enum fng_resume how;
	socklen_t len;
	int r;

	r = fng_sock_get(c->tc->tgid, (int)c->args[0], &s);
	if (r < 0)
		return fng_enforce_unknown(c, FNG_EV_NETWORK, FNG_RULE_OUTBOUND, r, "the socket");
	if (s.domain < 0)
		return fng_fail_call(c, -ENOTSOCK);
	if (!fng_sock_inet(&s))
		return FNG_RESUME_CONT; /* AF_UNIX and friends are local */
	if (read_sockaddr(c->tc->tid, c->args[1], c->args[2], &ss, &len) < 0)
		return fng_fail_call(c, -EFAULT);
	fng_sock_decode(&s, &ss, len, &d);
	if (is_real_api(t, &d))
		return block_real_api(c, &d);
	if (fng_net_judging(t) && fng_sock_reroutes(&s))
		return refuse_reroute(c, "the socket's routing header or source route");
	if (is_runtime_api(t, &d) && !t->init_done && !t->lambda)
		fng_init_end(t); /* the runtime asks for its first event: init is over */
	note_lookup(t, c, &s, &d);
	fng_net_judge(t, &d, fng_sock_protocol(&s), &v);
	observe_dest(t, &d, fng_sock_protocol(&s), &v);
	if (v.d.rule != FNG_RULE_NONE && s.type == SOCK_DGRAM && d.port == 0) {
		/* glibc's getaddrinfo connects a UDP socket to port 0 of every
		 * candidate address to learn its source address (RFC 6724
		 * sorting); no packet leaves. Failed under block, no event: one
		 * per address of every blocked name would drown the real ones. */
		v.d.rule = v.d.mode == FNG_MODE_BLOCK && fng_enforcing(t) ? v.d.rule : FNG_RULE_NONE;
		if (v.d.rule != FNG_RULE_NONE)
			return fng_fail_call(c, -EACCES);
	}
	/* Port-0 probes: no event in observe mode either. */
	how = s.type == SOCK_DGRAM && d.port == 0 ? FNG_RESUME_CONT : enforce(c, &v);
	/* With the proxy, a racing writer could also turn the address into
	 * the real Runtime API's after this check: connected here or verified. */
	if (how != FNG_RESUME_CONT || !(fng_net_judging(t) || t->have_real_api))
		return how;
	if (s.type == SOCK_STREAM && !s.nonblock && !fng_sock_connect_sticks(&s))
		return verify_at_exit(c, (int)c->args[0], &v);
	r = fng_sock_connect_nowait(&s, (const struct sockaddr *)&ss, len);
	/* A blocking TCP connect under way: the tracee's own call now only
	 * waits for the handshake (the kernel ignores the address a connect on
	 * a connecting socket names), so no writer can change where it goes. */
	if (!s.nonblock && (r == -EINPROGRESS || r == -EALREADY))
		return FNG_RESUME_CONT;
	return fng_fail_call(c, r);
}

/* The kernel's restart codes (include/linux/errno.h): seen at an exit stop
 * when a signal interrupted the call. */
#define KERNEL_ERESTARTSYS 512
#define KERNEL_ERESTART_RESTARTBLOCK 516

/* Could the socket be connecting after this return? Yes when it connected,
 * and when the call ended before the handshake did: in progress, or
 * interrupted by a signal (the kernel goes on with the handshake, and a
 * restarted call finds it under way without a new address). */
static bool may_be_connecting(long ret)
{
	return ret >= 0 || ret == -EINPROGRESS || ret == -EALREADY || ret == -EINTR ||
	       (ret <= -KERNEL_ERESTARTSYS && ret >= -KERNEL_ERESTART_RESTARTBLOCK);
}

/* What a verified connect did not pass: reported, and unless the policy
 * only alerts, the connection torn down (through our copy of the socket,
 * or, without one, by closing the tracee's descriptor) and the call failed. */
static enum fng_resume refuse_connected(struct fng_tracer *t, struct fng_tracee *tc, struct fng_sock *s,
					struct fng_verdict *v)
{
	const char *name = fng_syscalls[tc->pending_desc].name;
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };

	if (v->d.mode == FNG_MODE_ALERT) {
		fng_report_verdict(t, tc->tid, FNG_EV_NETWORK, name, v, FNG_ACT_ALERTED);
		return FNG_RESUME_CONT;
	}
	v->d.err = EACCES;
	if (s->fd < 0)
		return fng_undo_by_close(t, tc, tc->pending_fd, FNG_EV_NETWORK, name, v);
	/* Undo: the socket is shared with us; tear the connection down. */
	shutdown(s->fd, SHUT_RDWR);
	connect(s->fd, &unspec, sizeof(unspec));
	fng_sock_put(s);
	fng_arch_set_return(tc->tid, -EACCES);
	fng_report_verdict(t, tc->tid, FNG_EV_NETWORK, name, v, FNG_ACT_BLOCKED);
	return FNG_RESUME_CONT;
}

enum fng_resume fng_verify_connect(struct fng_tracer *t, struct fng_tracee *tc, long ret)
{
	struct fng_verdict v = FNG_VERDICT_NONE;
	autosock struct fng_sock s = { .fd = -1 };
	struct sockaddr_storage ss;
	socklen_t len;
	struct fng_dest d;
	int r;

	tc->pending = FNG_PENDING_NONE;
	if (!may_be_connecting(ret))
		return FNG_RESUME_CONT;
	r = fng_sock_get(tc->tgid, tc->pending_fd, &s);
	if (r == 0)
		r = fng_sock_peer(&s, &ss, &len);
	if (r == -ENOTCONN && ret < 0)
		return FNG_RESUME_CONT; /* it connects nowhere */
	if (r < 0) {
		/* Fail closed: a peer fnguard cannot see is not let through. */
		const char *e = strerrorname_np(-r);
		v.d.rule = FNG_RULE_OUTBOUND;
		v.d.mode = t->policy->mode[FNG_RULE_OUTBOUND] == FNG_MODE_ALERT ? FNG_MODE_ALERT : FNG_MODE_BLOCK;
		snprintf(v.d.reason, sizeof(v.d.reason), "fnguard could not examine the %s after connect (%s): refused",
			 s.fd < 0 ? "socket" : "peer", e ? e : "an error");
		return refuse_connected(t, tc, &s, &v);
	}
	fng_sock_decode(&s, &ss, len, &d);
	if (is_real_api(t, &d)) {
		fng_decide_real_api(&v.d);
		set_dest(t, &v, &d, NULL, "tcp");
		return refuse_connected(t, tc, &s, &v);
	}
	fng_net_judge(t, &d, fng_sock_protocol(&s), &v);
	if (v.d.rule == FNG_RULE_NONE)
		return FNG_RESUME_CONT;
	snprintf(v.d.reason, sizeof(v.d.reason), "the address changed between the check and the call (racing thread)");
	return refuse_connected(t, tc, &s, &v);
}

/* sendto, sendmsg, sendmmsg on an IP socket: every destination is judged,
 * then datagrams are sent here with the checked addresses, and a stream's
 * peer (MSG_FASTOPEN) is verified at the exit stop. */
struct send_job {
	struct fng_sock s;
	unsigned count;		/* messages */
	struct mmsghdr *mm;	/* count of them (sendmsg: one, msg_len unused) */
	struct sockaddr_storage *names;
	socklen_t *namelens;
	uint64_t base;		/* tracee address of the mmsghdr array (sendmmsg) */
};

/* Cleanup of a send_job variable (start it as { .s = { .fd = -1 } }). */
#define autojob __attribute__((cleanup(job_free)))
static void job_free(struct send_job *j)
{
	fng_sock_put(&j->s);
	free(j->mm);
	free(j->names);
	free(j->namelens);
}

static int job_read(struct fng_call *c, struct send_job *j, uint64_t base, unsigned count, size_t stride)
{
	j->count = count;
	j->base = base;
	j->mm = calloc(count ? count : 1, sizeof(*j->mm));
	j->names = calloc(count ? count : 1, sizeof(*j->names));
	j->namelens = calloc(count ? count : 1, sizeof(*j->namelens));
	if (!j->mm || !j->names || !j->namelens)
		return -ENOMEM;
	for (unsigned i = 0; i < count; i++) {
		struct msghdr *mh = &j->mm[i].msg_hdr;
		if (fng_mem_read(c->tc->tid, base + i * stride, mh, sizeof(*mh)) < 0)
			return -EFAULT;
		if (mh->msg_name && mh->msg_namelen &&
		    read_sockaddr(c->tc->tid, (uint64_t)(uintptr_t)mh->msg_name, mh->msg_namelen, &j->names[i],
				  &j->namelens[i]) < 0)
			return -EFAULT;
	}
	return 0;
}

/* Do the control messages of a send reroute it? 1, 0, or -errno. The send
 * itself checks what it sends again (fng_sock_send): this is for the event. */
static int controls_reroute(struct fng_call *c, const struct send_job *j)
{
	for (unsigned i = 0; i < j->count; i++) {
		const struct msghdr *mh = &j->mm[i].msg_hdr;
		autofree char *buf = NULL;
		int r;

		if (!mh->msg_control || !mh->msg_controllen)
			continue;
		if (mh->msg_controllen > FNG_CONTROL_MAX)
			return -ENOBUFS;
		buf = malloc(mh->msg_controllen);
		if (!buf)
			return -ENOMEM;
		if (fng_mem_read(c->tc->tid, (uint64_t)(uintptr_t)mh->msg_control, buf, mh->msg_controllen) < 0)
			return -EFAULT;
		r = fng_sock_control_reroutes(buf, mh->msg_controllen);
		if (r != 0)
			return r;
	}
	return 0;
}

/* The result of a send made here for the tracee; fnguard's own lack of
 * memory for the payload is a refusal with an event, not the kernel's word. */
static enum fng_resume sent(struct fng_call *c, long r)
{
	if (r == -ENOMEM)
		return fng_enforce_unknown(c, FNG_EV_NETWORK, FNG_RULE_OUTBOUND, (int)r, "the payload");
	return fng_fail_call(c, r);
}

static enum fng_resume send_messages(struct fng_call *c, struct send_job *j, int flags)
{
	long done = 0, r = 0;

	for (unsigned i = 0; i < j->count; i++) {
		const struct msghdr *mh = &j->mm[i].msg_hdr;
		struct fng_out_msg m = {
			.iov = (uint64_t)(uintptr_t)mh->msg_iov, .iovlen = mh->msg_iovlen,
			.control = (uint64_t)(uintptr_t)mh->msg_control, .controllen = mh->msg_controllen,
			.name = j->namelens[i] ? &j->names[i] : NULL, .namelen = j->namelens[i], .flags = flags,
		};
		r = fng_sock_send(c->tc->tid, &j->s, &m);
		if (r < 0)
			break;
		if (c->d->kind != FNG_SC_SENDMMSG) {
			done = r;
			break;
		}
		{
			unsigned int sent = (unsigned int)r;
			fng_mem_write(c->tc->tid, j->base + i * sizeof(struct mmsghdr) + offsetof(struct mmsghdr, msg_len),
				      &sent, sizeof(sent));
		}
		done++;
	}
	/* sendmmsg reports how many went; an error only if the first failed. */
	return sent(c, (r < 0 && done == 0) ? r : done);
}

/* Read the messages of a send call: 0 or -errno; *flags gets its flags. */
static int read_send(struct fng_call *c, struct send_job *j, int *flags)
{
	int r;

	switch (c->d->kind) {
	case FNG_SC_SENDTO:
		r = job_read(c, j, 0, 0, 0);
		if (r < 0)
			return r;
		j->count = 1;
		j->mm[0].msg_hdr.msg_name = (void *)(uintptr_t)c->args[4];
		if (read_sockaddr(c->tc->tid, c->args[4], c->args[5], &j->names[0], &j->namelens[0]) < 0)
			r = -EFAULT;
		*flags = (int)c->args[3];
		return r;
	case FNG_SC_SENDMSG:
		*flags = (int)c->args[2];
		return job_read(c, j, c->args[1], 1, sizeof(struct msghdr));
	default:
		*flags = (int)c->args[3];
		return job_read(c, j, c->args[1], c->args[2] > MMSG_MAX ? MMSG_MAX : (unsigned)c->args[2],
				sizeof(struct mmsghdr));
	}
}

/* A stream socket's send names a destination only with MSG_FASTOPEN (TCP
 * ignores the address otherwise). A TCP one is started here with the
 * checked address, as a blocking connect is: the send then rides the
 * connection under way, whatever its own address says by then (connected
 * already: the flag is dropped, or the kernel would answer EISCONN). Other
 * stream protocols are verified at the exit stop. */
static enum fng_resume stream_send(struct fng_call *c, struct send_job *j, int flags, const struct fng_verdict *v)
{
	unsigned flags_arg = c->d->kind == FNG_SC_SENDMSG ? 2 : 3;
	int r;

	if (!fng_sock_connect_sticks(&j->s))
		return verify_at_exit(c, (int)c->args[0], v);
	if (!(flags & MSG_FASTOPEN) || !j->namelens[0])
		return FNG_RESUME_CONT;
	r = fng_sock_connect_nowait(&j->s, (const struct sockaddr *)&j->names[0], j->namelens[0]);
	if (r == 0 && fng_arch_set_arg(c->tc->tid, flags_arg, (uint64_t)(unsigned)(flags & ~MSG_FASTOPEN)) < 0)
		return fng_enforce_unknown(c, FNG_EV_NETWORK, FNG_RULE_OUTBOUND, -ESRCH, "the send's flags");
	if (r == 0 || r == -EINPROGRESS || r == -EALREADY || r == -EISCONN)
		return FNG_RESUME_CONT;
	return fng_fail_call(c, r);
}

static enum fng_resume check_send(struct fng_call *c)
{
	struct fng_tracer *t = c->t;
	struct fng_verdict v = FNG_VERDICT_NONE;
	autojob struct send_job j = { .s = { .fd = -1 } };
	enum fng_resume how;
	int flags = 0, r;

	r = fng_sock_get(c->tc->tgid, (int)c->args[0], &j.s);
	if (r < 0)
		return fng_enforce_unknown(c, FNG_EV_NETWORK, FNG_RULE_OUTBOUND, r, "the socket");
	if (j.s.domain < 0)
		return fng_fail_call(c, -ENOTSOCK);
	if (!fng_sock_inet(&j.s))
		return FNG_RESUME_CONT; /* a local socket; the kernel refuses IP addresses on it */
	r = read_send(c, &j, &flags);
	if (r < 0)
		return fng_fail_or_refuse(c, FNG_EV_NETWORK, FNG_RULE_OUTBOUND, r, "the messages");
	if (fng_net_judging(t) && fng_sock_reroutes(&j.s))
		return refuse_reroute(c, "the socket's routing header or source route");
	r = fng_net_judging(t) ? controls_reroute(c, &j) : 0;
	if (r < 0)
		return fng_fail_or_refuse(c, FNG_EV_NETWORK, FNG_RULE_OUTBOUND, r, "the control messages");
	if (r > 0)
		return refuse_reroute(c, "a routing header, source route, or an interface or source address in the message");
	for (unsigned i = 0; i < j.count; i++) {
		struct fng_dest d;
		if (!j.namelens[i])
			continue;
		fng_sock_decode(&j.s, &j.names[i], j.namelens[i], &d);
		if (j.s.type == SOCK_STREAM && is_real_api(t, &d))
			return block_real_api(c, &d);
		note_lookup(t, c, &j.s, &d);
		fng_net_judge(t, &d, fng_sock_protocol(&j.s), &v);
		observe_dest(t, &d, fng_sock_protocol(&j.s), &v);
	}
	/* No destination named (a connected socket): nothing new to observe. */
	how = v.d.rule == FNG_RULE_NONE && !v.ev.ip[0] ? FNG_RESUME_CONT : enforce(c, &v);
	if (how != FNG_RESUME_CONT || !(fng_net_judging(t) || t->have_real_api))
		return how;
	if (j.s.type == SOCK_STREAM)
		return stream_send(c, &j, flags, &v);
	if (!fng_net_judging(t))
		return how; /* traced for the real Runtime API (MSG_FASTOPEN): datagrams cannot reach it */
	if (c->d->kind == FNG_SC_SENDTO) {
		struct fng_out_msg m = { .buf = c->args[1], .len = c->args[2], .name = &j.names[0],
					 .namelen = j.namelens[0], .flags = flags };
		return sent(c, fng_sock_send(c->tc->tid, &j.s, &m));
	}
	return send_messages(c, &j, flags);
}

/* Raw and packet sockets write packets with any destination: outbound. */
static enum fng_resume check_socket(struct fng_call *c)
{
	struct fng_verdict v = FNG_VERDICT_NONE;
	struct fng_decide_ctx x = fng_tracer_ctx(c->t);
	int domain = (int)c->args[0];
	bool frames = domain == AF_PACKET || domain == AF_XDP;

	/* Their mmap'd rings are written by the kernel beside the task. */
	c->t->async_writers |= frames;
	fng_decide_raw_socket(&x, domain, (int)c->args[1], &v.d);
	fng_strlcpy(v.ev.protocol, frames ? "packet" : "raw", sizeof(v.ev.protocol));
	return enforce(c, &v);
}

enum fng_resume fng_check_net(struct fng_call *c)
{
	switch (c->d->kind) {
	case FNG_SC_CONNECT:
		return check_connect(c);
	case FNG_SC_SENDTO:
	case FNG_SC_SENDMSG:
	case FNG_SC_SENDMMSG:
		return check_send(c);
	case FNG_SC_SOCKET:
		return check_socket(c);
	default:
		return FNG_RESUME_CONT;
	}
}
