/* Confirmed attacks, the tracer's half: at an exec, a path call or a
 * connect/sendto, is an input value of the running invocation (handed over
 * by the proxy, tracer/lambda.h) part of the argument, and does it change
 * the argument's structure (policy/payload/confirm.h)? "confirmed_attacks":
 * block fails the call with EACCES, alert lets it run; one event each. */
#include "tracer/internal.h"
#include "tracer/arch.h"
#include "tracer/mem.h"
#include "tracer/sock.h"
#include "policy/payload/confirm.h"
#include "common/util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* The set of the invocation running now, or NULL (none handed over, another
 * invocation's, or several in flight). Takes a newly handed-over set. */
static const struct fng_confirm_set *current_set(struct fng_tracer *t)
{
	char rid[64], trace[8];
	struct fng_confirm_set *n;

	if (!t->lambda)
		return NULL;
	n = fng_lambda_take_inputs(t->lambda);
	if (n) {
		fng_confirm_set_free(t->confirm_set);
		t->confirm_set = n;
	}
	if (!t->confirm_set)
		return NULL;
	fng_lambda_current(t->lambda, rid, sizeof(rid), trace, sizeof(trace));
	if (!rid[0] || strcmp(rid, t->confirm_set->request_id) != 0) {
		fng_confirm_set_free(t->confirm_set); /* its invocation has ended */
		t->confirm_set = NULL;
		return NULL;
	}
	return t->confirm_set;
}

/* One event; block fails the call. True when the caller returns *res. */
static bool act(struct fng_call *c, enum fng_event_type type, struct fng_verdict *v,
		const struct fng_confirm_finding *f, enum fng_resume *res)
{
	struct fng_tracer *t = c->t;
	bool block = t->policy->confirmed == FNG_MODE_BLOCK;
	bool enforce = block && fng_enforcing(t);
	enum fng_action action = enforce ? FNG_ACT_BLOCKED : block ? FNG_ACT_ALLOWED : FNG_ACT_ALERTED;

	fng_strlcpy(v->d.reason, f->why, sizeof(v->d.reason));
	v->d.err = EACCES;
	if (enforce && fng_arch_skip_syscall(c->tc->tid, -EACCES) < 0) {
		action = FNG_ACT_KILLED; /* cannot fail it: it must not run */
		kill(c->tc->tgid, SIGKILL);
	}
	struct fng_event *ev = fng_report_begin_verdict(t, c->tc->tid, type, c->d->name, v, action);
	if (ev) {
		fng_strlcpy(ev->rule, "confirmed_attacks", sizeof(ev->rule));
		fng_strlcpy(ev->mode, fng_mode_name(t->policy->confirmed), sizeof(ev->mode));
		fng_strlcpy(ev->input_path, f->input_path ? f->input_path : "", sizeof(ev->input_path));
		ev->confirmed = f->input_path != NULL;
		if (block && !enforce)
			ev->would = FNG_ACT_BLOCKED;
		if (action == FNG_ACT_BLOCKED)
			ev->error = EACCES;
		fng_report_attach_stack(t, ev, c->tc->tid);
		fng_report_end(t);
	}
	*res = action == FNG_ACT_KILLED ? FNG_RESUME_KILL : FNG_RESUME_SKIP;
	return enforce;
}

/* fnguard's own shortage (memory, descriptors) while values are at stake:
 * under block the call is refused and says why (fail closed). */
static bool unknown(struct fng_call *c, enum fng_event_type type, const char *what, enum fng_resume *res)
{
	struct fng_verdict v = FNG_VERDICT_NONE;
	struct fng_confirm_finding f = { .input_path = NULL };

	snprintf(f.why, sizeof(f.why), "fnguard could not examine %s for input values: refused", what);
	return act(c, type, &v, &f, res);
}

/* argv string n, whole (up to MAX_ARG_STRLEN) into buf; <0 when it cannot
 * be read or is longer (the kernel fails the exec the same way). */
static ssize_t read_arg(pid_t tid, uint64_t at, size_t n, char *buf)
{
	uint64_t p = 0;

	if (fng_mem_read(tid, at + n * sizeof(uint64_t), &p, sizeof(p)) < 0)
		return -EFAULT;
	if (p == 0)
		return -ENOENT; /* the end of argv */
	return fng_mem_read_str(tid, p, buf, FNG_CONFIRM_ARG_MAX);
}

/* argv[0], the option that takes code (-c, -e) and the code after it: the
 * only arguments the check reads (fng_confirm_exec), each read whole. *argc
 * 1 or 3; false when argv cannot be read (the kernel fails the call too). */
static bool read_argv(pid_t tid, uint64_t at, char *bufs, const char **argv, size_t *argc)
{
	char *opt = bufs + FNG_CONFIRM_ARG_MAX, *code = opt + FNG_CONFIRM_ARG_MAX;
	ssize_t r = read_arg(tid, at, 0, bufs);
	int kind;

	*argc = 0;
	if (r == -ENOENT)
		return true;
	if (r < 0)
		return false;
	argv[0] = bufs;
	*argc = 1;
	kind = fng_confirm_code_kind(bufs);
	for (size_t n = 1; kind; n++) {
		r = read_arg(tid, at, n, opt);
		if (r == -ENOENT)
			break;
		if (r < 0)
			return false;
		if (!fng_confirm_code_opt(kind, opt))
			continue;
		r = read_arg(tid, at, n + 1, code);
		if (r == -ENOENT)
			break;
		if (r < 0)
			return false;
		argv[1] = opt;
		argv[2] = code;
		*argc = 3;
		break;
	}
	return true;
}

static bool check_exec(struct fng_call *c, const struct fng_confirm_set *s, enum fng_resume *res)
{
	autofree char *buf = malloc(3 * (size_t)FNG_CONFIRM_ARG_MAX);
	const char *argv[3];
	struct fng_verdict v = FNG_VERDICT_NONE;
	struct fng_confirm_finding f;
	size_t argc;

	if (!buf)
		return unknown(c, FNG_EV_PROCESS, "the arguments", res);
	if (fng_mem_read_str(c->tc->tid, c->args[c->d->path], v.path, sizeof(v.path)) < 0)
		return false; /* the kernel fails it the same way */
	if (!read_argv(c->tc->tid, c->args[c->d->dirfd != FNG_NOARG ? 2 : 1], buf, argv, &argc))
		return false;
	if (!fng_confirm_exec(s, v.path, argv, argc, &f))
		return false;
	for (size_t i = 0, off = 0; i < argc; i++) {
		size_t l = strlen(argv[i]);
		if (off + l + 1 > sizeof(v.ev.argv))
			break;
		memcpy(v.ev.argv + off, argv[i], l + 1);
		off += l + 1;
		v.ev.argc++;
	}
	return act(c, FNG_EV_PROCESS, &v, &f, res);
}

static bool check_path(struct fng_call *c, const struct fng_confirm_set *s, enum fng_resume *res)
{
	struct fng_verdict v = FNG_VERDICT_NONE;
	struct fng_confirm_finding f;
	int idx[2] = { c->d->path, c->d->kind == FNG_SC_TWO_PATHS ? c->d->path2 : FNG_NOARG };

	for (int i = 0; i < 2; i++) {
		if (idx[i] == FNG_NOARG || !c->args[idx[i]])
			continue;
		if (fng_mem_read_str(c->tc->tid, c->args[idx[i]], v.path, sizeof(v.path)) < 0)
			continue;
		if (fng_confirm_path(s, v.path, &f))
			return act(c, FNG_EV_FILE, &v, &f, res);
	}
	return false;
}

static bool check_dest(struct fng_call *c, const struct fng_confirm_set *s, enum fng_resume *res)
{
	bool to = c->d->kind == FNG_SC_SENDTO;
	uint64_t at = c->args[to ? 4 : 1];
	socklen_t len = (socklen_t)c->args[to ? 5 : 2];
	autosock struct fng_sock sk = { .fd = -1 };
	struct sockaddr_storage ss = { 0 };
	struct fng_verdict v = FNG_VERDICT_NONE;
	struct fng_confirm_finding f;
	struct fng_dest d;
	bool allowed;
	int r;

	if (!at)
		return false;
	r = fng_sock_get(c->tc->tgid, (int)c->args[0], &sk);
	if (r == -ENOMEM || r == -EMFILE || r == -ENFILE)
		return unknown(c, FNG_EV_NETWORK, "the socket", res);
	if (r < 0)
		return false; /* not a socket of the caller's: the kernel answers EBADF/ENOTSOCK */
	if (len > sizeof(ss))
		len = sizeof(ss);
	if (fng_mem_read(c->tc->tid, at, &ss, len) < 0)
		return false;
	fng_sock_decode(&sk, &ss, len, &d);
	if (!d.inet)
		return false;
	const char *name = fng_dns_lookup(&c->t->dns, d.addr, c->t->policy, d.port, &allowed);
	if (!fng_confirm_connect(s, d.addr, d.port, name, &f))
		return false;
	fng_addr_format(d.addr, v.ev.ip, sizeof(v.ev.ip));
	fng_strlcpy(v.ev.host, name ? name : v.ev.ip, sizeof(v.ev.host));
	v.ev.port = d.port;
	fng_strlcpy(v.ev.protocol, fng_sock_protocol(&sk), sizeof(v.ev.protocol));
	return act(c, FNG_EV_NETWORK, &v, &f, res);
}

bool fng_confirm_call(struct fng_call *c, enum fng_resume *res)
{
	const struct fng_confirm_set *s;

	if (c->t->policy->confirmed == FNG_MODE_ALLOW || !(s = current_set(c->t)))
		return false;
	if (c->d->kind == FNG_SC_EXEC)
		return check_exec(c, s, res);
	if (c->d->kind == FNG_SC_CONNECT || c->d->kind == FNG_SC_SENDTO)
		return check_dest(c, s, res);
	/* the path calls are the kinds before FNG_SC_EXEC (syscalls.h) */
	if (c->d->kind < FNG_SC_EXEC)
		return check_path(c, s, res);
	return false;
}
