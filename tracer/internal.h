/* State shared by the tracer's own files; nothing outside tracer/ sees it. */
#ifndef FNG_TRACER_INTERNAL_H
#define FNG_TRACER_INTERNAL_H

#include "tracer/tracer.h"
#include "tracer/syscalls.h"
#include "tracer/tracee.h"
#include "tracer/resolve/path.h"
#include "tracer/resolve/namecache.h"
#include "tracer/resolve/dns.h"
#include "tracer/resolve/hostres.h"
#include "tracer/image/stack.h"
#include "tracer/image/symbols.h"
#include "policy/decide.h"
#include "policy/handler.h"
#include "policy/launch.h"
#include "policy/jvmperf.h"

#include <sys/ptrace.h>
#include <sys/stat.h>



_Static_assert(FNG_DECIDE_PATH_MAX == FNG_PATH_BUF, "decide.h's paths are resolved paths");

/* A stop a held task reported, handled once the hold ends (hold.c). */
struct fng_held_stop {
	pid_t tid;
	int status;
};

struct fng_hold {
	pid_t by;	/* the task whose call runs while the others are held, 0 if none */
	struct fng_held_stop *stops;
	size_t n;
};

struct fng_tracer {
	const struct fng_policy *policy;	/* as it applies in the current phase */
	const struct fng_policy *written;	/* as written: both phases */
	struct fng_policy phase_policy[2];	/* init, invoke (fng_policy_for_phase) */
	struct fng_logger *logger;
	struct fng_counters *counters;
	pid_t sup_pid;
	pid_t sup_tids[FNG_SUP_TIDS_MAX];	/* the supervisor's threads, 0-terminated */
	pid_t root;
	void (*on_root_exit)(void);
	void (*on_root_stop)(void *arg, int sig);
	void *job_arg;
	/* Lifetime (lifetime.c): the root in a group-stop already passed on;
	 * after the root's exit, the grace period's end and whether the rest
	 * are being killed. */
	bool root_stopped, killing;
	unsigned grace_ms;
	uint64_t grace_end_ns;
	sigset_t grace_mask;	/* this thread's mask before the grace period */

	bool observe, enforce, stack_all;	/* fng_tracer_config */
	bool runtime_started;	/* the root's first exec happened */
	bool init_done;		/* initialisation over: read_handler is armed (fng_init_over) */
	struct fng_lambda_state *lambda;	/* the Runtime API proxy's view, or NULL */

	char tmp_root[FNG_PATH_BUF];	/* canonical */
	/* The tracees' root directory. Known for good while a file rule is
	 * active, because chroot and pivot_root are refused then; NULL otherwise. */
	const char *root_path;
	char root_buf[FNG_PATH_BUF];
	dev_t tmp_dev;
	bool tmp_is_mount;	/* then any object on tmp_dev is in the temp root */
	uint64_t exec_mem_since_ns;	/* executable_memory: files changed since then were written in the run */
	/* The runtime runs in a Landlock domain that refuses the temp root
	 * (landlock.c): opens there need no exit stop. */
	bool kernel_tmp;
	int landlock_abi;
	/* The JVM's perf-data directory (rules/jvmperf.c), "" when nothing is
	 * excused; the uid it is named for; granted in the Landlock domain
	 * (then kernel_tmp is false: fnguard holds path calls again). */
	char jvmperf_dir[FNG_PATH_BUF];
	uid_t jvmperf_uid;
	bool jvmperf_launcher;	/* the command is a JDK's java launcher */
	bool jvmperf_granted;
	struct fng_namecache names;	/* what path resolution learnt (tracer/resolve/namecache.h) */

	struct fng_exec_allow *exec_allow;
	size_t n_exec_allow;

	/* The runtime's launch (rules/launch.c): going on until the root
	 * runs a program that is no launcher; the system's shells, env and
	 * path helpers by object; the argv the root's runtime started with. */
	bool launch_over;
#define FNG_LAUNCH_OBJ_MAX 96
	struct fng_object launch_obj[FNG_LAUNCH_OBJ_MAX];
	uint8_t launch_kind[FNG_LAUNCH_OBJ_MAX];
	size_t n_launch_obj;
	char launch_argv[4096];
	size_t launch_argv_len;	/* 0: unknown or too long (no re-exec) */
	struct fng_object launch_exe;	/* ... and the file it runs */

	/* read_handler's code set (policy/handler.h): built before the
	 * runtime starts, walked again when initialisation ends. */
	struct fng_handler_set handler_code;

	bool have_api;		/* AWS_LAMBDA_RUNTIME_API parsed */
	uint8_t api_addr[16];
	uint16_t api_port;
	bool have_real_api;	/* the proxy runs: the real Runtime API, blocked */
	uint8_t real_api_addr[16];
	uint16_t real_api_port;

	struct fng_dns dns;	/* address -> host name, from the function's own lookups */
	struct fng_confirm_set *confirm_set;	/* the invocation's input values (rules/confirm.c), owned */
	dev_t netns_dev;	/* the supervisor's network namespace: DNS answers */
	ino_t netns_ino;	/* are learnt only from sockets in it */
	struct fng_hostres *hostres;	/* fnguard's own lookup of exact names, while running */
	/* The kernel may write a tracee's memory beside it (AIO, perf or packet
	 * rings were set up): a lone task is no longer alone with its memory. */
	bool async_writers;
	bool root_runtime;	/* the runtime starts as root: it can write the kernel's settings */
	/* Files the supervisor itself writes (its stderr, a file sink ...), by
	 * object: a task mapping one MAP_SHARED sees fnguard's writes beside
	 * it (written_files.c). */
	struct fng_object own_files[16];
	size_t n_own_files;

	struct fng_tracee_table tasks;
	struct fng_hold hold;	/* hold.c */
	/* Stacks and executable identity: the files read so far, the unwinder,
	 * and the slots events carry stacks in (the logging thread hands them
	 * back, so this outlives the logger: free the tracer after it stops). */
	struct fng_symcache syms;
	struct fng_unwinder *unwinder;
	struct fng_stack_pool stacks;
	struct fng_run_result result;
	bool root_done;
};

/* places.c: */
/* Initialisation ended: add the code files that appeared while it ran (the
 * .pyc caches Python wrote at import). A walk that fails leaves the set as
 * it was, and its rules still match those files by name. */
void fng_place_handler_armed(struct fng_tracer *t);

/* Has initialisation ended? The one source of phase truth: with the
 * Runtime API proxy, its first GET .../invocation/next; without it, the
 * runtime's first connect to the Runtime API (rules/net.c). */
static inline void fng_init_end(struct fng_tracer *t)
{
	t->init_done = true;
	t->policy = &t->phase_policy[1];
	fng_place_handler_armed(t);
}

static inline bool fng_init_over(struct fng_tracer *t)
{
	if (!t->init_done && t->lambda && atomic_load_explicit(&t->lambda->init_done, memory_order_acquire))
		fng_init_end(t);
	return t->init_done;
}

/* What decisions are made against now (policy/decide.h). */
static inline struct fng_decide_ctx fng_tracer_ctx(struct fng_tracer *t)
{
	fng_init_over(t);
	return (struct fng_decide_ctx){ .policy = t->policy, .init_done = t->init_done };
}

/* What a check decided about one call (d), and the facts its event
 * reports: ev holds the details as the event carries them (host, ip,
 * protocol, port, path2, argv, image, access) and nothing else; report.c
 * copies it as one. path is the full resolved path decided on; the event
 * carries its start. */
struct fng_verdict {
	struct fng_decision d;
	char path[FNG_PATH_BUF];
	struct fng_event ev;
};
#define FNG_VERDICT_NONE { .d = { .rule = FNG_RULE_NONE } }

/* An exec with business at its exec stop (tracee.exec), freed by
 * fng_tracee_exec_free. */
struct fng_exec_pending {
	/* alert: report at the exec stop, with what really ran */
	bool alert;
	struct fng_verdict v;
	const char *syscall;
	struct fng_stack *stack;
	uint8_t stack_end;
	/* verify: allowed as an exception; verify_allow: allowed by the
	 * allowlist; check what really runs */
	bool verify, verify_allow;
	bool script;			/* a script excepted by its path */
	struct fng_object interp;	/* ... and the interpreter it names */
	char filename[FNG_PATH_BUF];	/* the name the kernel execs (its AT_EXECFN) */
};

/* The call being looked at, at its seccomp stop. */
struct fng_call {
	struct fng_tracer *t;
	struct fng_tracee *tc;
	const struct fng_syscall_desc *d;
	unsigned desc_index;
	int nr;
	uint64_t args[6];
};

/* Outcome of a check: how to resume the tracee. */
enum fng_resume {
	FNG_RESUME_CONT,	/* let the call run, no exit stop */
	FNG_RESUME_SYSCALL,	/* let it run, stop at its exit (pending set) */
	FNG_RESUME_SKIP,	/* the call was skipped with a return value */
	FNG_RESUME_KILL,	/* the process was killed */
};

/* The layers inside the tracer, each using only those before it: core
 * (tracee.c, mem.c, arch, sock.c, places.c), report.c (filling events),
 * enforce.c (applying verdicts), rules/ (gathering facts, deciding through
 * policy/decide.h, enforcing), then loop.c and tracer.c. */

/* places.c: where a path lies, as the policy's places were resolved at start */
int fng_place_setup_tmp(struct fng_tracer *t, char *err, size_t errn);
/* read_handler's code set: the policy's handler paths, and _HANDLER's code
 * in task_root (either may be NULL). 0 or -ENOMEM. */
int fng_place_setup_handlers(struct fng_tracer *t, const char *handler, const char *task_root);
bool fng_place_in_tmp(const struct fng_tracer *t, const char *path);
/* Is path the handler's code: its object is in the set, or a rule names it. */
bool fng_place_is_handler(const struct fng_tracer *t, const char *path);
/* The same for an opened file: its object (st) and the path it has now. */
bool fng_place_handler_object(const struct fng_tracer *t, const struct stat *st, const char *path);
/* Is path one of the supervisor's own /proc entries? */
bool fng_place_guarded(struct fng_tracer *t, const char *path);
/* Is pid one of the supervisor's threads, whenever it was started? Its
 * leader or a thread the config named, else a task directory of the
 * supervisor; a traced task never is. When it cannot be told: yes. */
bool fng_place_supervisor_task(struct fng_tracer *t, pid_t pid);
#define FNG_GUARD_PROC_REASON "the supervisor's /proc entries are off limits"
/* A process's memory file (/proc/PID/mem, .../task/TID/mem: a write there
 * goes over read-only code), path as resolved in task tid's root; or,
 * for a descriptor's link (/proc/TID/fd/N), what it opened. */
bool fng_place_proc_mem(pid_t tid, const char *path, const char *fd_link);
#define FNG_PROCMEM_REASON "executable_memory: writing a process's memory through /proc/PID/mem"
/* The kernel's settings (/proc/sys, /proc/sysrq-trigger, sysfs, cgroup v1,
 * debugfs, tracefs, securityfs, binfmt_misc, bpffs): writing them makes the
 * kernel start programs fnguard does not trace (core_pattern, modprobe,
 * uevent_helper, release_agent, binfmt handlers). Arguments as for
 * fng_place_proc_mem. */
bool fng_place_kernel_config(pid_t tid, const char *path, const char *fd_link);
#define FNG_KCONFIG_REASON "writing the kernel's settings (/proc/sys, /sys, ...): the kernel would start programs fnguard does not trace"

/* function.phase now (enum fng_fn_phase). */
static inline uint8_t fng_tracer_fn_phase(const struct fng_tracer *t)
{
	return (uint8_t)fng_decide_fn_phase(t->have_api, t->init_done);
}

/* report.c */
void fng_report_verdict(struct fng_tracer *t, pid_t tid, enum fng_event_type type, const char *syscall,
			const struct fng_verdict *v, enum fng_action action);
/* The same with a stack captured earlier (owned: released if unused). */
void fng_report_verdict_stack(struct fng_tracer *t, pid_t tid, enum fng_event_type type, const char *syscall,
			      const struct fng_verdict *v, enum fng_action action, struct fng_stack *st,
			      uint8_t stack_end);
struct fng_event *fng_report_begin(struct fng_tracer *t, pid_t tid, enum fng_event_type type, const char *syscall);
/* An event for a verdict (counted as its action says): its facts, its
 * decision; the caller adds a stack if it wants one and ends it. */
struct fng_event *fng_report_begin_verdict(struct fng_tracer *t, pid_t tid, enum fng_event_type type,
					   const char *syscall, const struct fng_verdict *v, enum fng_action action);
void fng_report_end(struct fng_tracer *t);
/* A process fnguard ends because a call could not be undone or failed. */
void fng_report_killed(struct fng_tracer *t, pid_t tid, const char *syscall, const char *reason);
/* The native stack of tid (in a ptrace stop) in a pool slot, or NULL; *end
 * says why it is short or missing. Only for events that report a decision. */
struct fng_stack *fng_report_stack(struct fng_tracer *t, pid_t tid, uint8_t *end);
void fng_report_attach_stack(struct fng_tracer *t, struct fng_event *ev, pid_t tid);

/* enforce.c */
/* Skip the call, which returns -err. For arguments fnguard cannot read or
 * resolve (a deny, never an allow) and calls it performed itself. */
enum fng_resume fng_fail_call(struct fng_call *c, long ret);
/* A fact a decision needs could not be had (err: a descriptor not
 * obtained ...). -EBADF is the kernel's own answer, given here so that no
 * other thread can open that descriptor meanwhile; anything else refuses
 * the call under rule (alerted in alert mode), the event saying why. */
/* At a syscall-exit stop: undo a call that returned descriptor fd by making
 * the task close it (checked at the close's exit, loop.c), the call then
 * failing with -v->d.err; reported blocked (killed when it cannot be done). */
enum fng_resume fng_undo_by_close(struct fng_tracer *t, struct fng_tracee *tc, int fd, enum fng_event_type type,
				  const char *syscall, struct fng_verdict *v);
enum fng_resume fng_enforce_unknown(struct fng_call *c, enum fng_event_type type, enum fng_rule rule, int err,
				    const char *what);
/* A fact that could not be gathered (err < 0): the kernel's own answer
 * (EFAULT, ENAMETOOLONG ...) fails the call as the kernel would; fnguard's
 * own shortage (ENOMEM, EMFILE, ENFILE) refuses it with an event. */
enum fng_resume fng_fail_or_refuse(struct fng_call *c, enum fng_event_type type, enum fng_rule rule, int err,
				   const char *what);
/* Apply a verdict at the seccomp stop: report and skip/kill as the mode says. */
enum fng_resume fng_enforce(struct fng_call *c, enum fng_event_type type, struct fng_verdict *v);
/* Observe mode (fng_tracer_config.observe). fng_enforcing: blocks apply
 * (run, or trace --enforce). fng_observe: report a call the policy lets
 * through (action allowed); nothing unless observing. fng_would_block: when
 * blocks do not apply, report the block the policy would make (action
 * allowed, would block) and return true: the call goes on. */
static inline bool fng_enforcing(const struct fng_tracer *t)
{
	return !t->observe || t->enforce;
}
void fng_observe(struct fng_call *c, enum fng_event_type type, const struct fng_verdict *v);
bool fng_would_block(struct fng_tracer *t, pid_t tid, enum fng_event_type type, const char *syscall,
		     const struct fng_verdict *v);

/* Could anything change a tracee's memory or files between a check at the
 * seccomp stop and the kernel's own use of them? Only a second task of the
 * traced tree (a thread, a process sharing memory, one swapping a symlink) or
 * the kernel writing memory on the tracee's behalf. Untraced processes are
 * not the function's to command. When this is false the entry check is what
 * the kernel will see, and no exit stop is needed to verify it. */
/* Did the file's status change during the run (its ctime at or after a
 * second before the start: file times come from a coarse clock)? Written,
 * created, copied or renamed in the run (executable_memory, build-ids). */
static inline bool fng_changed_in_run(const struct fng_tracer *t, const struct stat *st)
{
	return (uint64_t)st->st_ctim.tv_sec * 1000000000u + (uint64_t)st->st_ctim.tv_nsec >= t->exec_mem_since_ns;
}

static inline bool fng_racers_possible(const struct fng_tracer *t)
{
	return t->tasks.count > 1 || t->async_writers;
}

/* hold.c: every other traced task stopped for the duration of one call.
 * fng_hold_begin: 0 once every other task is stopped (or cannot run), or
 * -errno (fail closed); fng_hold_end at the call's exit stop or end.
 * fng_hold_take: the loop hands over a stop that arrived during a hold
 * (true: kept); fng_hold_next: a kept stop to handle now that no hold runs. */
/* Is a hold wanted for this call (pure)? When a racer is possible and a
 * file rule judges the call, unless the kernel decides it (Landlock,
 * read_write_tmp only) or what it did can be checked and undone completely
 * at its exit stop (an open that neither creates nor truncates).
 * docs/security.md, "Path calls and races". */
struct fng_hold_facts {
	enum fng_sc_kind kind;
	const char *name;	/* the call's name (fng_syscalls) */
	uint64_t flags;		/* open flags, or the call's flags argument */
	bool judged;		/* read_write_tmp or an allowlist judges files */
	bool allowlist;
	bool kernel_tmp;	/* Landlock refuses the temp root */
	bool racers;		/* enforcing, and a second task could race */
	/* An open whose result is checked at its exit stop (the handler, the
	 * allowlist, the temp root without Landlock), made while another traced
	 * task could use its descriptor before that check undoes it. */
	bool open_checked;
	bool others;
};
bool fng_hold_wanted(const struct fng_hold_facts *f);
int fng_hold_begin(struct fng_tracer *t, struct fng_tracee *caller);
void fng_hold_end(struct fng_tracer *t);
bool fng_hold_take(struct fng_tracer *t, pid_t tid, int status);
bool fng_hold_next(struct fng_tracer *t, pid_t *tid, int *status);
/* tid is gone: a stop it left behind is not handled. */
void fng_hold_forget(struct fng_tracer *t, pid_t tid);
void fng_hold_free(struct fng_hold *h);

/* landlock.c: the highest Landlock ABI (-errno without Landlock), and the
 * file-system rights a ruleset of that ABI handles. */
int fng_landlock_abi(void);
uint64_t fng_landlock_handled(int abi);

/* written_files.c: the supervisor's own output files, and mappings of them. */
void fng_written_files_setup(struct fng_tracer *t);
enum fng_resume fng_check_shared_map(struct fng_call *c);

/* rules/file.c */
enum fng_resume fng_check_file(struct fng_call *c);
enum fng_resume fng_verify_open(struct fng_tracer *t, struct fng_tracee *tc, long ret);
/* rules/jvmperf.c: the JVM's perf-data file (policy/jvmperf.h). Setup
 * before the runtime starts; prepare: the directory made as HotSpot wants
 * it, an O_PATH descriptor of it or -errno; check: is this call (path
 * resolved, flags of an open) one the JVM makes for it; opened: what an
 * excused open returned (its exit stop). */
void fng_jvmperf_setup(struct fng_tracer *t);
void fng_jvmperf_sweep(const struct fng_tracer *t);
int fng_jvmperf_prepare(struct fng_tracer *t);
enum fng_jvmperf_verdict fng_jvmperf_check(struct fng_call *c, const char *path, uint64_t flags);
bool fng_jvmperf_opened(struct fng_tracer *t, const struct fng_tracee *tc, const char *path);
/* rules/exec.c */
enum fng_resume fng_check_exec(struct fng_call *c);
/* confirmed_attacks (rules/confirm.c): true when the call was failed (*res). */
bool fng_confirm_call(struct fng_call *c, enum fng_resume *res);
/* At PTRACE_EVENT_EXEC (tc is the task that now runs the new image). */
void fng_verify_exec(struct fng_tracer *t, struct fng_tracee *tc);
/* At the exit stop of an exec that failed (ret < 0). */
void fng_exec_failed(struct fng_tracer *t, struct fng_tracee *tc, long ret);
/* tc is gone: an alert still waiting for its exec is reported now. */
void fng_exec_gone(struct fng_tracer *t, struct fng_tracee *tc);
/* exec_id.c */
void fng_exec_target_of_path(struct fng_tracer *t, pid_t tid, const char *path, struct fng_exec_target *x);
void fng_exec_target_of_exe(struct fng_tracer *t, pid_t tid, struct fng_exec_target *x);
void fng_exec_path_of_exe(pid_t tid, char *out, size_t outsz);
/* Is x an exception of create_child_process (fng_decide_exec_excepted)? */
bool fng_exec_excepted(const struct fng_tracer *t, const struct fng_exec_target *x);
int fng_exec_allow_setup(struct fng_tracer *t);
/* rules/launch.c: the runtime's launch (policy/launch.h). */
void fng_launch_setup(struct fng_tracer *t);
/* At an exec's seccomp stop: does the launch let it through
 * create_child_process? x is what the exec names (fng_exec_target_of_path). */
bool fng_launch_check(struct fng_call *c, const struct fng_exec_target *x);
/* At the exec stop: the task's launch state after the exec. */
void fng_launch_exec_stop(struct fng_tracer *t, struct fng_tracee *tc);
/* A task made by parent (fork, vfork, clone). */
void fng_launch_fork(struct fng_tracer *t, const struct fng_tracee *parent, struct fng_tracee *child, bool thread);
/* rules/net.c */
enum fng_resume fng_check_net(struct fng_call *c);
enum fng_resume fng_verify_connect(struct fng_tracer *t, struct fng_tracee *tc, long ret);
/* rules/inbound.c: the peer an accept took, judged like a destination. */
enum fng_resume fng_check_accept(struct fng_call *c);
enum fng_resume fng_verify_accept(struct fng_tracer *t, struct fng_tracee *tc, long ret);
/* rules/file.c: an AF_UNIX bind creates a file. */
enum fng_resume fng_check_bind(struct fng_call *c);
/* rules/net.c: a destination's verdict, and whether destinations are judged. */
struct fng_dest;
void fng_net_judge(struct fng_tracer *t, const struct fng_dest *d, const char *proto, struct fng_verdict *v);
bool fng_net_judging(const struct fng_tracer *t);
/* recvfrom on a socket a lookup went out on: peek at the answer (dns.h). */
enum fng_resume fng_check_dns_answer(struct fng_call *c);
/* rules/execmem.c: executable_memory: "block" */
enum fng_resume fng_check_exec_mem(struct fng_call *c);
enum fng_resume fng_verify_map(struct fng_tracer *t, struct fng_tracee *tc, long ret);
/* At the exec stop: true when the new image broke it (the process is killed). */
bool fng_verify_exec_mem(struct fng_tracer *t, struct fng_tracee *tc);
/* rules/guard.c: calls the filter refuses, and signals aimed at us */
/* reason NULL: the filter's own reason for this call */
enum fng_resume fng_check_denied(struct fng_call *c, int err, const char *reason);
enum fng_resume fng_check_pidfd_signal(struct fng_call *c);
enum fng_resume fng_check_target(struct fng_call *c);
enum fng_resume fng_check_badarch(struct fng_tracer *t, struct fng_tracee *tc, const struct __ptrace_syscall_info *si);

/* Lifetime (lifetime.c). A stop by SIG (PTRACE_EVENT_STOP) of task tid:
 * group-stops stay stopped (PTRACE_LISTEN) and the root's first one goes
 * to job control; any other sig means tid runs again. */
void fng_lifetime_stop(struct fng_tracer *t, pid_t tid, int sig);
/* The root stopped for anything but a group-stop: it runs. */
void fng_lifetime_root_running(struct fng_tracer *t);
/* The root was reaped: SIGTERM and SIGCONT to the rest, the grace period starts. */
void fng_lifetime_root_exited(struct fng_tracer *t);
/* waitpid(-1, status, __WALL) that, after the root's exit, kills the rest
 * when the grace period ends or a signal ends it. */
pid_t fng_lifetime_wait(struct fng_tracer *t, int *status);
/* Every stop of tid: a task seen while the rest are killed is killed. */
void fng_lifetime_seen(struct fng_tracer *t, pid_t tid);
/* The run is over: this thread's signal mask as it was. */
void fng_lifetime_end(struct fng_tracer *t);

#endif
