/* Setting the tracer up: the temp root and the handler's code the policy talks
 * about are resolved to objects once, before the runtime starts (places.c),
 * and what the filter must trace for the policy. */
#include "tracer/internal.h"
#include "policy/payload/confirm.h"
#include "common/hostport.h"
#include "common/util.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static void setup_runtime_api(struct fng_tracer *t, const struct fng_tracer_config *cfg)
{
	t->have_api = cfg->runtime_api && fng_hostport_ip(cfg->runtime_api, NULL, NULL, t->api_addr, &t->api_port) == 0;
	t->lambda = cfg->lambda;
	if (cfg->real_runtime_api)
		t->have_real_api = fng_hostport_ip(cfg->real_runtime_api, NULL, NULL, t->real_api_addr,
						   &t->real_api_port) == 0;
}

static void tracer_freep(struct fng_tracer **t)
{
	fng_tracer_free(*t);
}

/* The supervisor's network namespace: DNS answers are learnt only from
 * sockets in it. */
static int own_netns(struct fng_tracer *t, char *err, size_t errn)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st) < 0) {
		snprintf(err, errn, "cannot read the network namespace (/proc/self/ns/net): %s", strerror(errno));
		return -errno;
	}
	t->netns_dev = st.st_dev;
	t->netns_ino = st.st_ino;
	return 0;
}

/* What read_handler cannot do, said once before the runtime starts. */
static void handler_notices(struct fng_tracer *t)
{
	const struct fng_handler_set *h = &t->handler_code;

	if (h->n_files == 0 && !h->looked_for[0])
		fng_logger_lifecycle(t->logger, "notice",
				     "read_handler: no handler file found; set _HANDLER and LAMBDA_TASK_ROOT, "
				     "or \"handler\" in the policy");
	else if (h->n_files == 0)
		fng_logger_lifecycle(t->logger, "notice",
				     "read_handler: no handler code found; looked for %s (set _HANDLER and "
				     "LAMBDA_TASK_ROOT, or \"handler\" in the policy)",
				     h->looked_for);
	else if (!t->have_api)
		fng_logger_lifecycle(t->logger, "notice",
				     "read_handler: AWS_LAMBDA_RUNTIME_API is not set, so initialisation never "
				     "ends and %s (and %zu other code files) stays readable",
				     h->files[0].path, h->n_files - 1);
	if (h->truncated)
		fng_logger_lifecycle(t->logger, "notice",
				     "read_handler: the handler's code set hit a bound (%d files, %d directory "
				     "entries, %d levels); %zu files are protected, code past the bound is not",
				     FNG_HANDLER_MAX_FILES, FNG_HANDLER_MAX_ENTRIES, FNG_HANDLER_MAX_DEPTH, h->n_files);
}

int fng_tracer_new(struct fng_tracer **out, const struct fng_tracer_config *cfg, char *err, size_t errn)
{
	__attribute__((cleanup(tracer_freep))) struct fng_tracer *t = calloc(1, sizeof(*t));
	int r;

	if (!t)
		return -ENOMEM;
	t->policy = t->written = cfg->policy;
	t->logger = cfg->logger;
	t->counters = fng_logger_counters(cfg->logger);
	t->sup_pid = cfg->sup_pid;
	t->root_runtime = geteuid() == 0;
	memcpy(t->sup_tids, cfg->sup_tids, sizeof(t->sup_tids));
	t->on_root_exit = cfg->on_root_exit;
	t->on_root_stop = cfg->on_root_stop;
	t->job_arg = cfg->job_arg;
	t->grace_ms = cfg->grace_ms;
	t->observe = cfg->observe;
	t->enforce = cfg->enforce;
	t->stack_all = cfg->stack_all;
	fng_symcache_init(&t->syms);
	r = fng_tracees_init(&t->tasks);
	if (r == 0)
		r = fng_dns_init(&t->dns, t->policy, "/etc/resolv.conf");
	if (r == 0)
		r = fng_unwinder_new(&t->unwinder, &t->syms);
	if (r == 0)
		r = fng_stack_pool_init(&t->stacks);
	if (r == 0)
		r = fng_exec_allow_setup(t);
	if (r == 0)
		r = fng_place_setup_tmp(t, err, errn);
	if (r == 0)
		r = own_netns(t, err, errn);
	fng_written_files_setup(t);
	fng_launch_setup(t);
	if (r == 0)
		fng_jvmperf_setup(t);
	/* executable_memory: a file whose status changes from now on was written
	 * in the run (a second back: file times come from a coarse clock). */
	t->exec_mem_since_ns = fng_now_ns() - 1000000000u;
	if (r < 0)
		return r;
	if (fng_policy_watches_files(t->policy)) {
		ssize_t n = readlink("/proc/self/root", t->root_buf, sizeof(t->root_buf) - 1);
		if (n > 0) {
			t->root_buf[n] = '\0';
			t->root_path = t->root_buf;
		}
	}
	r = fng_place_setup_handlers(t, cfg->handler, cfg->task_root);
	if (r < 0) {
		snprintf(err, errn, "read_handler: cannot build the handler's code set: %s", strerror(-r));
		return r;
	}
	setup_runtime_api(t, cfg);
	/* Kept answers are safe only while every name-changing call stops here. */
	fng_namecache_init(&t->names, t->root_path && (fng_tracer_needs(t) & FNG_NEED_TMP));
	if (t->policy->mode[FNG_RULE_HANDLER] != FNG_MODE_ALLOW)
		handler_notices(t);
	fng_policy_for_phase(t->written, FNG_PHASE_INIT, &t->phase_policy[0]);
	fng_policy_for_phase(t->written, FNG_PHASE_INVOKE, &t->phase_policy[1]);
	t->policy = &t->phase_policy[0];
	*out = fng_steal_ptr(&t);
	return 0;
}

int fng_tracer_check_inherited(const struct fng_tracer *t, int fd, char *why, size_t n)
{
	char link[64], path[FNG_PATH_BUF];
	struct stat st;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	if (fstat(fd, &st) < 0 || (!S_ISSOCK(st.st_mode) && fng_read_link(link, path, sizeof(path)) < 0)) {
		snprintf(why, n, "descriptor %d (LISTEN_FDS) cannot be examined: %s", fd, strerror(errno));
		return -EACCES;
	}
	if (S_ISSOCK(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))
		return 0;
	if (t->written->mode[FNG_RULE_TMP] != FNG_MODE_ALLOW && fng_place_in_tmp(t, path)) {
		snprintf(why, n, "descriptor %d (LISTEN_FDS) is %s, in the temp root: read_write_tmp forbids it", fd,
			 path);
		return -EPERM;
	}
	if (t->written->mode[FNG_RULE_HANDLER] != FNG_MODE_ALLOW && fng_place_handler_object(t, &st, path)) {
		snprintf(why, n, "descriptor %d (LISTEN_FDS) is %s, the handler's code: read_handler forbids it", fd, path);
		return -EPERM;
	}
	return 0;
}

void fng_tracer_free(struct fng_tracer *t)
{
	if (!t)
		return;
	fng_jvmperf_sweep(t); /* what the run's processes left there */
	if (t->tasks.slots)
		fng_tracees_free(&t->tasks);
	fng_dns_free(&t->dns);
	free(t->exec_allow);
	fng_unwinder_free(t->unwinder);
	fng_symcache_destroy(&t->syms);
	fng_stack_pool_destroy(&t->stacks);
	fng_namecache_free(&t->names);
	fng_handler_free(&t->handler_code);
	fng_hold_free(&t->hold);
	fng_confirm_set_free(t->confirm_set);
	free(t);
}

const struct fng_handler_set *fng_tracer_handler_code(const struct fng_tracer *t)
{
	return &t->handler_code;
}

uint32_t fng_tracer_needs(const struct fng_tracer *t)
{
	const struct fng_policy *p = t->written;
	uint32_t needs = FNG_NEED_ALWAYS;

	if (p->mode[FNG_RULE_TMP] != FNG_MODE_ALLOW)
		needs |= FNG_NEED_TMP;
	if (p->mode[FNG_RULE_HANDLER] != FNG_MODE_ALLOW && t->handler_code.n_files > 0) {
		needs |= FNG_NEED_HANDLER;
		if (t->have_api && !t->lambda)
			needs |= FNG_NEED_INIT_END;
	}
	/* A rule scoped to a phase needs to know when init ends, as the handler rule does. */
	for (unsigned r = 0; r < FNG_RULE_COUNT; r++)
		if (p->phase[r] != FNG_PHASE_ALWAYS && p->mode[r] != FNG_MODE_ALLOW && t->have_api && !t->lambda)
			needs |= FNG_NEED_INIT_END;
	/* With the proxy, connect is watched to keep the real Runtime API out of reach. */
	if (t->have_real_api)
		needs |= FNG_NEED_INIT_END | FNG_NEED_FASTOPEN;
	if (p->mode[FNG_RULE_CHILD] != FNG_MODE_ALLOW)
		needs |= FNG_NEED_CHILD;
	if (p->mode[FNG_RULE_OUTBOUND] != FNG_MODE_ALLOW)
		needs |= FNG_NEED_OUTBOUND;
	/* Names for events and host exceptions: watch lookups whenever
	 * outbound traffic is judged (recvfrom with an address only). */
	if (p->mode[FNG_RULE_OUTBOUND] != FNG_MODE_ALLOW || p->log_dns)
		needs |= FNG_NEED_DNS;
	/* Observe mode sees every class, whatever the rules say. */
	if (t->observe)
		needs |= FNG_NEED_TMP | FNG_NEED_HANDLER | FNG_NEED_CHILD | FNG_NEED_OUTBOUND | FNG_NEED_DNS;
	/* The allowlist judges file calls, execs and destinations (names
	 * included), and its init-only entries need the end of initialisation. */
	if (p->allow)
		needs |= FNG_NEED_TMP | FNG_NEED_HANDLER | FNG_NEED_CHILD | FNG_NEED_OUTBOUND | FNG_NEED_DNS |
			 FNG_NEED_INIT_END;
	if (p->exec_mem_block)
		needs |= FNG_NEED_EXECMEM | FNG_NEED_PROCMEM;
	/* confirmed_attacks: execs, path calls, destinations and the names they came from */
	if (p->confirmed != FNG_MODE_ALLOW)
		needs |= FNG_NEED_TMP | FNG_NEED_CHILD | FNG_NEED_OUTBOUND | FNG_NEED_DNS;
	/* A root runtime could make the kernel start programs fnguard does not
	 * trace by writing its settings: opens that may write are watched
	 * whenever a rule is on (fng_place_kernel_config). */
	if (t->root_runtime && (needs & (FNG_NEED_TMP | FNG_NEED_HANDLER | FNG_NEED_CHILD | FNG_NEED_OUTBOUND)))
		needs |= FNG_NEED_PROCMEM;
	/* Exit stops are skipped while no one could race a check (fng_racers_possible). */
	if (needs & (FNG_NEED_TMP | FNG_NEED_HANDLER | FNG_NEED_OUTBOUND | FNG_NEED_PROCMEM))
		needs |= FNG_NEED_ASYNC;
	return needs;
}
