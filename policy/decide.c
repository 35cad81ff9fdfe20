/* Decisions (decide.h): facts, phase and policy in, a verdict out. Pure:
 * nothing here does ptrace, /proc or any other I/O. */
#include "policy/decide.h"
#include "policy/allowlist.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

const char *fng_decide_rule_reason(enum fng_rule rule)
{
	switch (rule) {
	case FNG_RULE_OUTBOUND:
		return "a destination the policy does not allow";
	case FNG_RULE_TMP:
		return "touches the temp root";
	case FNG_RULE_CHILD:
		return "runs another program";
	case FNG_RULE_HANDLER:
		return "the function's own code";
	case FNG_RULE_ALLOWLIST:
		return "not in the allowlist";
	default:
		return fng_rule_name(rule);
	}
}

void fng_decide_take(struct fng_decision *v, enum fng_rule rule, enum fng_mode mode)
{
	if (mode == FNG_MODE_ALLOW)
		return;
	if (v->rule != FNG_RULE_NONE && v->mode >= mode)
		return;
	v->rule = rule;
	v->mode = mode;
}

enum fng_fn_phase fng_decide_fn_phase(bool have_api, bool init_done)
{
	if (!have_api)
		return FNG_FN_PHASE_NONE;
	return init_done ? FNG_FN_PHASE_INVOKE : FNG_FN_PHASE_INIT;
}

bool fng_decide_handler_armed(const struct fng_decide_ctx *c)
{
	return c->policy->mode[FNG_RULE_HANDLER] != FNG_MODE_ALLOW && c->init_done;
}

bool fng_decide_open_writes(uint64_t flags)
{
	return (flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC));
}

/* The allowlist's finding, with its reason when it is the one that stands. */
static void take_allowlist(const struct fng_policy *p, struct fng_decision *v, const char *what, const char *path)
{
	enum fng_rule before = v->rule;

	fng_decide_take(v, FNG_RULE_ALLOWLIST, p->mode[FNG_RULE_ALLOWLIST]);
	if (v->rule == FNG_RULE_ALLOWLIST && before != FNG_RULE_ALLOWLIST) {
		if (path)
			snprintf(v->reason, sizeof(v->reason), "%s is not in the allowlist (%s)", path, what);
		else
			snprintf(v->reason, sizeof(v->reason), "not in the allowlist (%s)", what);
	}
}

/* /proc/PID/fd names an unlinked file "PATH (deleted)": PATH, in buf. */
static const char *opened_path(const char *fd_path, char *buf, size_t n, bool *cut)
{
	static const char deleted[] = " (deleted)";
	const size_t dl = sizeof(deleted) - 1;
	size_t len = strlen(fd_path);

	*cut = false;
	if (len > dl && len < n && strcmp(fd_path + len - dl, deleted) == 0) {
		memcpy(buf, fd_path, len - dl);
		buf[len - dl] = '\0';
		*cut = true;
		return buf;
	}
	return fd_path;
}

void fng_decide_file(const struct fng_decide_ctx *c, const struct fng_file_facts *f, struct fng_decision *v)
{
	const struct fng_policy *p = c->policy;
	char buf[FNG_DECIDE_PATH_MAX];
	const char *path = f->path;
	bool cut = false;

	if (p->mode[FNG_RULE_TMP] != FNG_MODE_ALLOW && f->in_tmp) {
		fng_decide_take(v, FNG_RULE_TMP, p->mode[FNG_RULE_TMP]);
		if (v->rule == FNG_RULE_TMP)
			snprintf(v->reason, sizeof(v->reason), "a file in the temp root");
	}
	if (f->handler && fng_decide_handler_armed(c)) {
		fng_decide_take(v, FNG_RULE_HANDLER, p->mode[FNG_RULE_HANDLER]);
		snprintf(v->reason, sizeof(v->reason), "the function's own code");
	}
	if (!p->allow)
		return;
	if (f->opened)
		path = opened_path(f->path, buf, sizeof(buf), &cut);
	if (!fng_allow_file(p->allow, path, f->write, !c->init_done))
		take_allowlist(p, v, f->write ? "files.write" : "files.read", f->named || cut ? path : NULL);
}

static bool same(const struct fng_object *a, const struct fng_object *b)
{
	return a->dev == b->dev && a->ino == b->ino;
}

static bool names_exception(const struct fng_exec_allow *allow, size_t n, const char *path,
			    const struct fng_object *obj)
{
	for (size_t i = 0; i < n; i++) {
		const struct fng_exec_allow *a = &allow[i];
		if ((path && (strcmp(path, a->path) == 0 || strcmp(path, a->real) == 0)) ||
		    (obj && a->have_obj && same(obj, &a->obj)))
			return true;
	}
	return false;
}

bool fng_decide_interp_trusted(const char *interp)
{
	static const char *const loaders[] = {
#if defined(__aarch64__)
		"/lib/ld-linux-aarch64.so.1", "/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1", "/lib64/ld-linux-aarch64.so.1",
		"/usr/lib/ld-linux-aarch64.so.1", "/usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1",
		"/lib/ld-musl-aarch64.so.1", "/usr/lib/ld-musl-aarch64.so.1",
#else
		"/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "/lib/ld-linux-x86-64.so.2",
		"/usr/lib64/ld-linux-x86-64.so.2", "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
		"/lib/ld-musl-x86_64.so.1", "/usr/lib/ld-musl-x86_64.so.1",
#endif
	};

	if (!interp[0])
		return true; /* static: nothing else runs first */
	for (size_t i = 0; i < sizeof(loaders) / sizeof(loaders[0]); i++)
		if (strcmp(interp, loaders[i]) == 0)
			return true;
	return false;
}

bool fng_decide_exec_excepted(const struct fng_policy *p, const struct fng_exec_allow *allow, size_t n_allow,
			      const struct fng_exec_target *x)
{
	if (names_exception(allow, n_allow, x->path, x->have_prog ? &x->prog : NULL))
		return true; /* the program, by path or object */
	if (x->have_elf && names_exception(allow, n_allow, x->image.path, &x->elf))
		return true; /* the ELF that runs it, by path or object */
	/* By build-id: the ELF's own code, which its interpreter (PT_INTERP) runs
	 * first; a copy naming another interpreter runs that one's code. */
	if (x->have_elf && fng_policy_exec_id_allowed(p, x->image.build_id, x->image.build_id_len) &&
	    fng_decide_interp_trusted(x->image.interp) && !x->elf_new)
		return true; /* a build-id is no content hash: a file written in the run may carry one */
	return false;
}

static bool has_exceptions(const struct fng_policy *p)
{
	return p->n_exec_allow_paths || p->n_exec_allow_ids;
}

bool fng_decide_exec_needs_target(const struct fng_policy *p)
{
	return (p->mode[FNG_RULE_CHILD] != FNG_MODE_ALLOW && has_exceptions(p)) || p->allow;
}

void fng_decide_exec_allowlist(const struct fng_decide_ctx *c, const char *path, const struct fng_ev_image *im,
			       struct fng_decision *v)
{
	const struct fng_allowlist *a = c->policy->allow;

	if (a && !fng_allow_exec(a, path, im->build_id, im->build_id_len, !c->init_done))
		take_allowlist(c->policy, v, "exec", NULL);
}

void fng_decide_exec(const struct fng_decide_ctx *c, const struct fng_exec_facts *f, struct fng_decision *v,
		     bool *excepted)
{
	const struct fng_policy *p = c->policy;

	*excepted = false;
	if (p->mode[FNG_RULE_CHILD] != FNG_MODE_ALLOW && !f->launch) {
		if (has_exceptions(p))
			*excepted = f->resolved && fng_decide_exec_excepted(p, f->allow, f->n_allow, f->target);
		if (!*excepted) {
			fng_decide_take(v, FNG_RULE_CHILD, p->mode[FNG_RULE_CHILD]);
			snprintf(v->reason, sizeof(v->reason), "runs another program after the runtime's launch");
		}
	}
	if (p->mode[FNG_RULE_TMP] != FNG_MODE_ALLOW && f->resolved && f->in_tmp) {
		fng_decide_take(v, FNG_RULE_TMP, p->mode[FNG_RULE_TMP]);
		snprintf(v->reason, sizeof(v->reason), "program lives in the temp root");
	}
	if (p->allow)
		fng_decide_exec_allowlist(c, f->path, &f->target->image, v);
}

static bool is_any(const uint8_t a[16])
{
	static const uint8_t zero[16];
	static const uint8_t v4any[16] = { [10] = 0xff, [11] = 0xff };
	/* connect(0.0.0.0) and connect(::) reach the local host */
	return memcmp(a, zero, 16) == 0 || memcmp(a, v4any, 16) == 0;
}

static bool has_exact_hosts(const struct fng_policy *p)
{
	for (size_t i = 0; i < p->n_host_allow; i++)
		if (!p->host_allow[i].wildcard)
			return true;
	return false;
}

static bool lookup_to_resolver(const struct fng_net_facts *f)
{
	return f->port == 53 && f->resolver;
}

enum fng_dest_verdict fng_decide_dest(const struct fng_policy *p, const struct fng_net_facts *f)
{
	if (f->real_api)
		return FNG_DEST_DENIED;
	if (!f->inet || is_any(f->addr) || f->runtime_api)
		return FNG_DEST_ALLOWED;
	if (fng_addr_is_loopback(f->addr) && !p->judge_loopback)
		return FNG_DEST_ALLOWED;
	if ((f->name && fng_policy_host_allowed(p, f->name, f->port)) || fng_policy_net_allowed(p, f->addr, f->port))
		return FNG_DEST_ALLOWED;
	if (lookup_to_resolver(f))
		return FNG_DEST_ALLOWED;
	/* Not learned from the function's lookups (Go's own resolver, DNS
	 * over TCP): fnguard's own lookup of the exact names may name it. */
	if (has_exact_hosts(p) && !f->names_complete)
		return FNG_DEST_ASK_NAMES;
	return FNG_DEST_DENIED;
}

bool fng_decide_net_allowlisted(const struct fng_decide_ctx *c, const struct fng_net_facts *f)
{
	const struct fng_policy *p = c->policy;

	if (!p->allow || !f->inet || f->runtime_api || lookup_to_resolver(f))
		return true;
	return fng_allow_net(p->allow, f->addr, f->port, f->name, !c->init_done);
}

bool fng_decide_net(const struct fng_decide_ctx *c, const struct fng_net_facts *f, struct fng_decision *v,
		    bool *offends)
{
	const struct fng_policy *p = c->policy;
	enum fng_mode mode = p->mode[FNG_RULE_OUTBOUND];

	*offends = false;
	if (v->rule != FNG_RULE_NONE)
		return true; /* keep the first offending destination */
	if (mode != FNG_MODE_ALLOW) {
		enum fng_dest_verdict d = fng_decide_dest(p, f);
		if (d == FNG_DEST_ASK_NAMES)
			return false;
		if (d == FNG_DEST_DENIED) {
			fng_decide_take(v, FNG_RULE_OUTBOUND, mode);
			snprintf(v->reason, sizeof(v->reason), "a destination outside: not loopback, the Runtime API or an exception");
			*offends = true;
			return true;
		}
	}
	if (fng_decide_net_allowlisted(c, f))
		return true;
	fng_decide_take(v, FNG_RULE_ALLOWLIST, p->mode[FNG_RULE_ALLOWLIST]);
	*offends = true;
	snprintf(v->reason, sizeof(v->reason), "not in the allowlist (hosts, ips)");
	return true;
}

void fng_decide_real_api(struct fng_decision *v)
{
	v->rule = FNG_RULE_OUTBOUND;
	v->mode = FNG_MODE_BLOCK;
	v->err = EACCES;
	snprintf(v->reason, sizeof(v->reason), "the real Runtime API: only fnguard's proxy may talk to it");
}

void fng_decide_raw_socket(const struct fng_decide_ctx *c, int domain, int type, struct fng_decision *v)
{
	const struct fng_policy *p = c->policy;
	bool frames = domain == AF_PACKET || domain == AF_XDP;

	fng_decide_take(v, FNG_RULE_OUTBOUND, p->mode[FNG_RULE_OUTBOUND]);
	if (p->allow) /* no destination the allowlist could name */
		fng_decide_take(v, FNG_RULE_ALLOWLIST, p->mode[FNG_RULE_ALLOWLIST]);
	snprintf(v->reason, sizeof(v->reason), "%s socket (%s, type %d): sends packets to any address",
		 frames ? "packet" : "raw",
		 domain == AF_PACKET ? "AF_PACKET" : domain == AF_XDP ? "AF_XDP" : domain == AF_INET6 ? "AF_INET6" : "AF_INET",
		 type & 0xf);
}

void fng_decide_bind(const struct fng_decide_ctx *c, struct fng_decision *v)
{
	fng_decide_take(v, FNG_RULE_TMP, c->policy->mode[FNG_RULE_TMP]);
	snprintf(v->reason, sizeof(v->reason), "creates a socket file");
}

const char *fng_decide_execmem(const struct fng_execmem_facts *f)
{
	if (!f->exec)
		return NULL;
	if (f->call == FNG_EXECMEM_MPROTECT)
		return "executable_memory: memory made executable after it was mapped";
	if (f->call == FNG_EXECMEM_SHMAT)
		return "executable_memory: shared memory attached executable";
	if (f->write)
		return "executable_memory: a mapping both writable and executable";
	if (f->anonymous)
		return "executable_memory: anonymous executable memory";
	if (!f->file_known)
		return "executable_memory: the mapped file could not be examined";
	if (!f->regular)
		return "executable_memory: not a regular file";
	if (f->in_tmp)
		return "executable_memory: a file in the temp root";
	if (f->unlinked)
		return "executable_memory: a file with no name (memfd, deleted)";
	if (f->changed)
		return "executable_memory: a file written since fnguard started";
	return NULL;
}
