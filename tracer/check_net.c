/* outbound_connectivity: where connect/sendto/sendmsg/sendmmsg send to.
 * Loopback and the Runtime API are always reachable; exceptions are IPs and
 * CIDRs (host names arrive with DNS awareness). Also: the first connect to
 * the Runtime API ends initialisation (read_handler arms), and an AF_UNIX
 * bind creates a file, which read_write_tmp watches. */
#include "tracer/internal.h"
#include "tracer/arch.h"
#include "tracer/mem.h"
#include "logging/util.h"

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

struct dest {
	bool inet;
	uint8_t addr[16];
	uint16_t port;
};

/* Decode a sockaddr (already copied in). Non-IP families are not outbound. */
static void decode(const struct sockaddr_storage *ss, socklen_t len, struct dest *out)
{
	memset(out, 0, sizeof(*out));
	if (ss->ss_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const void *)ss;
		fng_addr_from_v4(out->addr, &in->sin_addr);
		out->port = ntohs(in->sin_port);
		out->inet = true;
	} else if (ss->ss_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const void *)ss;
		memcpy(out->addr, &in6->sin6_addr, 16);
		out->port = ntohs(in6->sin6_port);
		out->inet = true;
	}
}

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

static bool is_runtime_api(const struct fng_tracer *t, const struct dest *d)
{
	return t->have_api && d->port == t->api_port && memcmp(d->addr, t->api_addr, 16) == 0;
}

/* Is this destination outbound traffic the policy must judge? */
static bool judged(const struct fng_tracer *t, const struct dest *d)
{
	if (!d->inet || fng_addr_is_loopback(d->addr) || is_any(d->addr) || is_runtime_api(t, d))
		return false;
	return !fng_policy_net_allowed(t->policy, d->addr, d->port);
}

static void judge(struct fng_tracer *t, const struct dest *d, struct fng_verdict *v)
{
	enum fng_mode mode = t->policy->mode[FNG_RULE_OUTBOUND];

	if (mode == FNG_MODE_ALLOW || !judged(t, d))
		return;
	if (v->rule != FNG_RULE_NONE)
		return; /* keep the first offending destination */
	fng_verdict_take(v, FNG_RULE_OUTBOUND, mode, NULL);
	fng_addr_format(d->addr, v->host, sizeof(v->host));
	v->port = d->port;
}

static enum fng_resume finish(struct fng_call *c, struct fng_verdict *v)
{
	if (v->rule == FNG_RULE_NONE)
		return FNG_RESUME_CONT;
	return fng_enforce(c, FNG_EV_NETWORK, v);
}

/* Another task (a thread, or a process writing a MAP_SHARED page) could
 * rewrite the sockaddr after this check, so the connect is done here, on the
 * tracee's own socket (pidfd_getfd), with the address that was checked; the
 * tracee's call is skipped with that result. Blocking sockets would stall
 * the tracer: those are checked at the exit stop with getpeername instead. */
static enum fng_resume connect_on_behalf(struct fng_call *c, const struct sockaddr_storage *ss, socklen_t len)
{
	autoclose int fd = fng_tracee_fd(c->tc->tgid, (int)c->args[0]);
	int fl, r;

	if (fd < 0)
		return FNG_RESUME_CONT; /* bad fd: the kernel answers EBADF itself */
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || !(fl & O_NONBLOCK)) {
		c->tc->pending = FNG_PENDING_CONNECT;
		c->tc->pending_desc = (uint16_t)c->desc_index;
		c->tc->pending_fd = (int)c->args[0];
		return FNG_RESUME_SYSCALL;
	}
	r = connect(fd, (const struct sockaddr *)ss, len);
	return fng_fail_call(c, r < 0 ? -errno : 0);
}

static enum fng_resume check_connect(struct fng_call *c)
{
	struct fng_tracer *t = c->t;
	struct fng_verdict v = { .rule = FNG_RULE_NONE };
	struct sockaddr_storage ss;
	socklen_t len;
	struct dest d;

	if (read_sockaddr(c->tc->tid, c->args[1], c->args[2], &ss, &len) < 0)
		return fng_fail_call(c, -EFAULT);
	decode(&ss, len, &d);
	if (is_runtime_api(t, &d) && !t->init_done)
		t->init_done = true; /* the runtime asks for its first event: init is over */
	judge(t, &d, &v);
	if (v.rule != FNG_RULE_NONE)
		return finish(c, &v);
	if (d.inet && t->policy->mode[FNG_RULE_OUTBOUND] != FNG_MODE_ALLOW)
		return connect_on_behalf(c, &ss, len);
	return FNG_RESUME_CONT;
}

enum fng_resume fng_verify_connect(struct fng_tracer *t, struct fng_tracee *tc, long ret)
{
	struct fng_verdict v = { .rule = FNG_RULE_NONE };
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	autoclose int fd = -1;
	struct dest d;

	tc->pending = FNG_PENDING_NONE;
	if (ret < 0 && ret != -EINPROGRESS)
		return FNG_RESUME_CONT;
	fd = fng_tracee_fd(tc->tgid, tc->pending_fd);
	if (fd < 0 || getpeername(fd, (struct sockaddr *)&ss, &len) < 0)
		return FNG_RESUME_CONT;
	decode(&ss, len, &d);
	judge(t, &d, &v);
	if (v.rule == FNG_RULE_NONE)
		return FNG_RESUME_CONT;
	snprintf(v.reason, sizeof(v.reason), "the address changed between the check and the call (racing thread)");
	if (v.mode == FNG_MODE_ALERT) {
		fng_report_verdict(t, tc->tid, FNG_EV_NETWORK, "connect", &v, FNG_ACT_ALERTED);
		return FNG_RESUME_CONT;
	}
	/* Undo: the socket is shared with us; tear the connection down. */
	shutdown(fd, SHUT_RDWR);
	{
		struct sockaddr unspec = { .sa_family = AF_UNSPEC };
		connect(fd, &unspec, sizeof(unspec));
	}
	v.err = EACCES;
	fng_arch_set_return(tc->tid, -EACCES);
	fng_report_verdict(t, tc->tid, FNG_EV_NETWORK, "connect", &v, FNG_ACT_BLOCKED);
	return FNG_RESUME_CONT;
}

static enum fng_resume check_msghdr_list(struct fng_call *c, uint64_t base, unsigned count, size_t stride)
{
	struct fng_verdict v = { .rule = FNG_RULE_NONE };
	struct dest d = { 0 };

	for (unsigned i = 0; i < count; i++) {
		struct msghdr mh;
		struct sockaddr_storage ss;
		socklen_t len;

		if (fng_mem_read(c->tc->tid, base + i * stride, &mh, sizeof(mh)) < 0)
			return fng_fail_call(c, -EFAULT);
		if (!mh.msg_name || mh.msg_namelen == 0)
			continue;
		if (read_sockaddr(c->tc->tid, (uint64_t)(uintptr_t)mh.msg_name, mh.msg_namelen, &ss, &len) < 0)
			return fng_fail_call(c, -EFAULT);
		decode(&ss, len, &d);
		judge(c->t, &d, &v);
	}
	return finish(c, &v);
}

static enum fng_resume check_bind(struct fng_call *c)
{
	struct sockaddr_un sun;
	struct fng_verdict v = { .rule = FNG_RULE_NONE };
	uint64_t len = c->args[2];
	struct fng_path_req req = { .tid = c->tc->tid, .tgid = c->tc->tgid, .dirfd = AT_FDCWD, .root = c->t->root_path };

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
	case FNG_SC_SENDTO: {
		struct fng_verdict v = { .rule = FNG_RULE_NONE };
		struct sockaddr_storage ss;
		socklen_t len;
		struct dest d;
		if (read_sockaddr(c->tc->tid, c->args[4], c->args[5], &ss, &len) < 0)
			return fng_fail_call(c, -EFAULT);
		decode(&ss, len, &d);
		judge(c->t, &d, &v);
		return finish(c, &v);
	}
	case FNG_SC_SENDMSG:
		return check_msghdr_list(c, c->args[1], 1, sizeof(struct msghdr));
	case FNG_SC_SENDMMSG:
		return check_msghdr_list(c, c->args[1], c->args[2] > MMSG_MAX ? MMSG_MAX : (unsigned)c->args[2],
					 sizeof(struct mmsghdr));
	case FNG_SC_BIND:
		return check_bind(c);
	default:
		return FNG_RESUME_CONT;
	}
}
