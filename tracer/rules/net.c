/* outbound_connectivity: where connect/sendto/sendmsg/sendmmsg send to, and
 * raw/packet sockets. Loopback (unless "judge"), the Runtime API and lookups
 * to a trusted resolver are always reachable; exceptions are addresses,
 * CIDRs and host names, matched against the names the function's own DNS
 * lookups returned for the address (dns.c). Also: the first connect to
 * the Runtime API ends initialisation (read_handler arms), and an AF_UNIX
 * bind creates a file, which read_write_tmp watches. */
#include "tracer/internal.h"
#include "tracer/arch.h"
#include "tracer/mem.h"
#include "tracer/sock.h"
#include "policy/allowlist.h"
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

static bool is_any(const uint8_t a[16])
{
	static const uint8_t zero[16];
	static const uint8_t v4any[16] = { [10] = 0xff, [11] = 0xff };
	/* connect(0.0.0.0) and connect(::) reach the local host */
	return memcmp(a, zero, 16) == 0 || memcmp(a, v4any, 16) == 0;
}

static bool is_runtime_api(const struct fng_tracer *t, const struct fng_dest *d)
{
	return t->have_api && d->port == t->api_port && memcmp(d->addr, t->api_addr, 16) == 0;
}

/* The real Runtime API behind fnguard's proxy (0.0.0.0 and :: reach it too). */
static bool is_real_api(const struct fng_tracer *t, const struct fng_dest *d)
{
	return t->have_real_api && d->inet && d->port == t->real_api_port &&
	       (memcmp(d->addr, t->real_api_addr, 16) == 0 || is_any(d->addr));
}

/* Reaching past the proxy is blocked whatever outbound_connectivity says. */
static enum fng_resume block_real_api(struct fng_call *c, const struct fng_dest *d)
{
	struct fng_verdict v = { .rule = FNG_RULE_OUTBOUND, .mode = FNG_MODE_BLOCK, .err = EACCES };

	fng_addr_format(d->addr, v.ip, sizeof(v.ip));
	fng_strlcpy(v.host, v.ip, sizeof(v.host));
	v.port = d->port;
	v.protocol = "tcp";
	snprintf(v.reason, sizeof(v.reason), "the real Runtime API: only fnguard's proxy may talk to it");
	return fng_enforce(c, FNG_EV_NETWORK, &v);
}

static bool has_exact_hosts(const struct fng_policy *p)
{
	for (size_t i = 0; i < p->n_host_allow; i++)
		if (!p->host_allow[i].wildcard)
			return true;
	return false;
}

/* Is the destination let through: exempt (loopback, the Runtime API, a
 * lookup to a trusted resolver), an address exception, or an address the
 * function got for an allowed host name? name gets the host name, if known. */
static bool dest_allowed(struct fng_tracer *t, const struct fng_dest *d, const char **name)
{
	const struct fng_policy *p = t->policy;
	bool allowed = false;

	*name = NULL;
	if (is_real_api(t, d))
		return false;
	if (!d->inet || is_any(d->addr) || is_runtime_api(t, d))
		return true;
	if (fng_addr_is_loopback(d->addr) && !p->judge_loopback)
		return true;
	*name = fng_dns_lookup(&t->dns, d->addr, p, d->port, &allowed);
	if (allowed || fng_policy_net_allowed(p, d->addr, d->port))
		return true;
	if (d->port == 53 && fng_dns_is_resolver(&t->dns, d->addr))
		return true;
	if (has_exact_hosts(p)) {
		/* Not learned from the function's lookups (Go's own resolver,
		 * DNS over TCP): what fnguard's own lookup of the exact names
		 * found so far (made off this thread, tracer/resolve/hostres.h). */
		fng_hostres_fallback(t->hostres, &t->dns);
		*name = fng_dns_lookup(&t->dns, d->addr, p, d->port, &allowed);
	}
	return allowed;
}

static void set_dest(struct fng_verdict *v, const struct fng_dest *d, const char *name, const char *proto)
{
	fng_addr_format(d->addr, v->ip, sizeof(v->ip));
	fng_strlcpy(v->host, name ? name : v->ip, sizeof(v->host));
	v->port = d->port;
	v->protocol = proto;
}

/* Observe mode: the destination of a call let through, for its event (the
 * first one; an offending one found later replaces it). */
static void observe_dest(struct fng_tracer *t, const struct fng_dest *d, const char *proto, struct fng_verdict *v)
{
	bool allowed;

	if (t->observe && d->inet && !v->ip[0])
		set_dest(v, d, fng_dns_lookup(&t->dns, d->addr, t->policy, d->port, &allowed), proto);
}

/* The allowlist judges every IP destination, loopback included, but the
 * Runtime API and lookups going to a trusted resolver. */
static void judge_allowlist(struct fng_tracer *t, const struct fng_dest *d, const char *proto, struct fng_verdict *v)
{
	const struct fng_policy *p = t->policy;
	const char *name;
	bool named;

	if (!p->allow || !d->inet || is_runtime_api(t, d) || (d->port == 53 && fng_dns_is_resolver(&t->dns, d->addr)))
		return;
	name = fng_dns_lookup(&t->dns, d->addr, p, d->port, &named);
	if (fng_allow_net(p->allow, d->addr, d->port, name, fng_tracer_initialising(t)))
		return;
	fng_verdict_take(v, FNG_RULE_ALLOWLIST, p->mode[FNG_RULE_ALLOWLIST], NULL);
	set_dest(v, d, name, proto);
	snprintf(v->reason, sizeof(v->reason), "not in the allowlist (hosts, ips)");
}

static void judge(struct fng_tracer *t, const struct fng_dest *d, const char *proto, struct fng_verdict *v)
{
	enum fng_mode mode = t->policy->mode[FNG_RULE_OUTBOUND];
	const char *name = NULL;

	if (v->rule != FNG_RULE_NONE)
		return; /* keep the first offending destination */
	if (mode != FNG_MODE_ALLOW && !dest_allowed(t, d, &name)) {
		fng_verdict_take(v, FNG_RULE_OUTBOUND, mode, NULL);
		set_dest(v, d, name, proto);
		return;
	}
	judge_allowlist(t, d, proto, v);
}

/* A lookup going to a trusted resolver: its answer will be peeked at. */
static void note_lookup(struct fng_tracer *t, const struct fng_call *c, const struct fng_sock *s,
			const struct fng_dest *d)
{
	if (d->inet && d->port == 53 && s->type == SOCK_DGRAM &&
	    fng_dns_is_resolver(&t->dns, d->addr))
		fng_dns_watch(&t->dns, c->tc->tgid, (int)c->args[0]);
}

static bool judging(const struct fng_tracer *t)
{
	return t->policy->mode[FNG_RULE_OUTBOUND] != FNG_MODE_ALLOW || t->policy->allow;
}

/* Report (alert) or fail (block) the call; FNG_RESUME_CONT from an alert
 * means "carry on with the call". */
static enum fng_resume enforce(struct fng_call *c, struct fng_verdict *v)
{
	if (v->rule == FNG_RULE_NONE && !c->t->observe)
		return FNG_RESUME_CONT; /* observe mode: fng_enforce reports it allowed */
	return fng_enforce(c, FNG_EV_NETWORK, v);
}

/* A stream socket's destination is its peer: verified at the exit stop
 * (getpeername), since a blocking connect would stall the tracer here. A
 * call already alerted at entry is not verified: that would only say it again. */
static enum fng_resume verify_at_exit(struct fng_call *c, int tfd, const struct fng_verdict *entry)
{
	if (entry->rule != FNG_RULE_NONE || !fng_enforcing(c->t) || !fng_racers_possible(c->t))
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
	struct fng_verdict v = { .rule = FNG_RULE_NONE };
	struct sockaddr_storage ss;
	struct fng_sock s;
	struct fng_dest d;
	enum fng_resume how;
	socklen_t len;
	int r;

	if (fng_sock_get(c->tc->tgid, (int)c->args[0], &s) < 0)
		return FNG_RESUME_CONT; /* bad fd: the kernel answers EBADF itself */
	if (!fng_sock_inet(&s)) {
		fng_sock_put(&s);
		return FNG_RESUME_CONT; /* AF_UNIX and friends are local */
	}
	if (read_sockaddr(c->tc->tid, c->args[1], c->args[2], &ss, &len) < 0) {
		fng_sock_put(&s);
		return fng_fail_call(c, -EFAULT);
	}
	fng_sock_decode(&s, &ss, len, &d);
	if (is_real_api(t, &d)) {
		fng_sock_put(&s);
		return block_real_api(c, &d);
	}
	if (is_runtime_api(t, &d) && !t->init_done && !t->lambda)
		fng_init_end(t); /* the runtime asks for its first event: init is over */
	note_lookup(t, c, &s, &d);
	judge(t, &d, fng_sock_protocol(&s), &v);
	observe_dest(t, &d, fng_sock_protocol(&s), &v);
	if (v.rule != FNG_RULE_NONE && s.type == SOCK_DGRAM && d.port == 0) {
		/* glibc's getaddrinfo connects a UDP socket to port 0 of every
		 * candidate address to learn its source address (RFC 6724
		 * sorting); no packet leaves. Failed under block, no event: one
		 * per address of every blocked name would drown the real ones. */
		v.rule = v.mode == FNG_MODE_BLOCK && fng_enforcing(t) ? v.rule : FNG_RULE_NONE;
		if (v.rule != FNG_RULE_NONE) {
			fng_sock_put(&s);
			return fng_fail_call(c, -EACCES);
		}
	}
	/* Port-0 probes: no event in observe mode either. */
	how = s.type == SOCK_DGRAM && d.port == 0 ? FNG_RESUME_CONT : enforce(c, &v);
	if (how != FNG_RESUME_CONT || !judging(t)) {
		fng_sock_put(&s);
		return how;
	}
	if (s.type == SOCK_STREAM && !s.nonblock) {
		fng_sock_put(&s);
		return verify_at_exit(c, (int)c->args[0], &v);
	}
	r = connect(s.fd, (const struct sockaddr *)&ss, len);
	r = r < 0 ? -errno : 0;
	fng_sock_put(&s);
	return fng_fail_call(c, r);
}

enum fng_resume fng_verify_connect(struct fng_tracer *t, struct fng_tracee *tc, long ret)
{
	struct fng_verdict v = { .rule = FNG_RULE_NONE };
	const char *name = fng_syscalls[tc->pending_desc].name;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct fng_sock s;
	struct fng_dest d;

	tc->pending = FNG_PENDING_NONE;
	if (ret < 0 && ret != -EINPROGRESS)
		return FNG_RESUME_CONT;
	if (fng_sock_get(tc->tgid, tc->pending_fd, &s) < 0)
		return FNG_RESUME_CONT;
	if (getpeername(s.fd, (struct sockaddr *)&ss, &len) < 0) {
		fng_sock_put(&s);
		return FNG_RESUME_CONT;
	}
	fng_sock_decode(&s, &ss, len, &d);
	judge(t, &d, fng_sock_protocol(&s), &v);
	if (v.rule == FNG_RULE_NONE) {
		fng_sock_put(&s);
		return FNG_RESUME_CONT;
	}
	snprintf(v.reason, sizeof(v.reason), "the address changed between the check and the call (racing thread)");
	if (v.mode == FNG_MODE_ALERT) {
		fng_sock_put(&s);
		fng_report_verdict(t, tc->tid, FNG_EV_NETWORK, name, &v, FNG_ACT_ALERTED);
		return FNG_RESUME_CONT;
	}
	/* Undo: the socket is shared with us; tear the connection down. */
	shutdown(s.fd, SHUT_RDWR);
	{
		struct sockaddr unspec = { .sa_family = AF_UNSPEC };
		connect(s.fd, &unspec, sizeof(unspec));
	}
	fng_sock_put(&s);
	v.err = EACCES;
	fng_arch_set_return(tc->tid, -EACCES);
	fng_report_verdict(t, tc->tid, FNG_EV_NETWORK, name, &v, FNG_ACT_BLOCKED);
	return FNG_RESUME_CONT;
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
	return fng_fail_call(c, (r < 0 && done == 0) ? r : done);
}

static enum fng_resume check_send(struct fng_call *c)
{
	struct fng_tracer *t = c->t;
	struct fng_verdict v = { .rule = FNG_RULE_NONE };
	struct send_job j = { .s = { .fd = -1 } };
	enum fng_resume how;
	int flags = 0, r = 0;

	if (fng_sock_get(c->tc->tgid, (int)c->args[0], &j.s) < 0)
		return FNG_RESUME_CONT;
	if (!fng_sock_inet(&j.s)) {
		job_free(&j);
		return FNG_RESUME_CONT; /* a local socket; the kernel refuses IP addresses on it */
	}
	switch (c->d->kind) {
	case FNG_SC_SENDTO:
		r = job_read(c, &j, 0, 0, 0);
		j.count = 1;
		j.mm[0].msg_hdr.msg_name = (void *)(uintptr_t)c->args[4];
		if (r == 0 && read_sockaddr(c->tc->tid, c->args[4], c->args[5], &j.names[0], &j.namelens[0]) < 0)
			r = -EFAULT;
		flags = (int)c->args[3];
		break;
	case FNG_SC_SENDMSG:
		r = job_read(c, &j, c->args[1], 1, sizeof(struct msghdr));
		flags = (int)c->args[2];
		break;
	default:
		r = job_read(c, &j, c->args[1], c->args[2] > MMSG_MAX ? MMSG_MAX : (unsigned)c->args[2],
			     sizeof(struct mmsghdr));
		flags = (int)c->args[3];
		break;
	}
	if (r < 0) {
		job_free(&j);
		return fng_fail_call(c, r);
	}
	for (unsigned i = 0; i < j.count; i++) {
		struct fng_dest d;
		if (!j.namelens[i])
			continue;
		fng_sock_decode(&j.s, &j.names[i], j.namelens[i], &d);
		note_lookup(t, c, &j.s, &d);
		judge(t, &d, fng_sock_protocol(&j.s), &v);
		observe_dest(t, &d, fng_sock_protocol(&j.s), &v);
	}
	/* No destination named (a connected socket): nothing new to observe. */
	how = v.rule == FNG_RULE_NONE && !v.ip[0] ? FNG_RESUME_CONT : enforce(c, &v);
	if (how != FNG_RESUME_CONT || !judging(t)) {
		job_free(&j);
		return how;
	}
	if (j.s.type == SOCK_STREAM) {
		job_free(&j);
		return verify_at_exit(c, (int)c->args[0], &v);
	}
	if (c->d->kind == FNG_SC_SENDTO) {
		struct fng_out_msg m = { .buf = c->args[1], .len = c->args[2], .name = &j.names[0],
					 .namelen = j.namelens[0], .flags = flags };
		long sent = fng_sock_send(c->tc->tid, &j.s, &m);
		job_free(&j);
		return fng_fail_call(c, sent);
	}
	how = send_messages(c, &j, flags);
	job_free(&j);
	return how;
}

/* Raw and packet sockets write packets with any destination: outbound. */
static enum fng_resume check_socket(struct fng_call *c)
{
	struct fng_verdict v = { .rule = FNG_RULE_NONE };
	int domain = (int)c->args[0], type = (int)c->args[1] & 0xf;
	bool frames = domain == AF_PACKET || domain == AF_XDP;

	/* Their mmap'd rings are written by the kernel beside the task. */
	c->t->async_writers |= frames;
	fng_verdict_take(&v, FNG_RULE_OUTBOUND, c->t->policy->mode[FNG_RULE_OUTBOUND], NULL);
	if (c->t->policy->allow) /* no destination the allowlist could name */
		fng_verdict_take(&v, FNG_RULE_ALLOWLIST, c->t->policy->mode[FNG_RULE_ALLOWLIST], NULL);
	v.protocol = frames ? "packet" : "raw";
	snprintf(v.reason, sizeof(v.reason), "%s socket (%s, type %d): sends packets to any address", v.protocol,
		 domain == AF_PACKET ? "AF_PACKET" : domain == AF_XDP ? "AF_XDP" : domain == AF_INET6 ? "AF_INET6" : "AF_INET",
		 type);
	return enforce(c, &v);
}

enum fng_resume fng_check_dns_answer(struct fng_call *c)
{
	struct fng_tracer *t = c->t;
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	struct fng_dns_answer a;
	struct fng_sock s;
	struct fng_dest d;
	ssize_t n;

	if (!fng_dns_watched(&t->dns, c->tc->tgid, (int)c->args[0]) ||
	    fng_sock_get(c->tc->tgid, (int)c->args[0], &s) < 0)
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

static enum fng_resume check_bind(struct fng_call *c)
{
	struct sockaddr_un sun;
	struct fng_verdict v = { .rule = FNG_RULE_NONE };
	uint64_t len = c->args[2];
	struct fng_path_req req = { .tid = c->tc->tid, .tgid = c->tc->tgid, .dirfd = AT_FDCWD, .root = c->t->root_path,
				    .names = &c->t->names };

	if (len <= offsetof(struct sockaddr_un, sun_path) || len > sizeof(sun))
		return FNG_RESUME_CONT;
	memset(&sun, 0, sizeof(sun));
	if (fng_mem_read(c->tc->tid, c->args[1], &sun, len) < 0 || sun.sun_family != AF_UNIX || sun.sun_path[0] == '\0')
		return FNG_RESUME_CONT; /* not a path (abstract socket), or the kernel fails it */
	sun.sun_path[sizeof(sun.sun_path) - 1] = '\0';
	req.path = sun.sun_path;
	if (fng_path_resolve(&req, v.path, sizeof(v.path)) < 0 || !fng_in_tmp(c->t, v.path))
		return FNG_RESUME_CONT;
	fng_verdict_take(&v, FNG_RULE_TMP, c->t->policy->mode[FNG_RULE_TMP], NULL);
	snprintf(v.reason, sizeof(v.reason), "creates a socket file");
	return fng_enforce(c, FNG_EV_FILE, &v);
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
	case FNG_SC_BIND:
		return check_bind(c);
	default:
		return FNG_RESUME_CONT;
	}
}
