/*
 * supervisor_threads.c - adversarial test for fnguard (class: acting on the
 * supervisor's threads, which a filter that only names the supervisor's pid
 * does not recognise)
 *
 * Target T = FNG_TARGET_PID, or getppid() when unset and this process is
 * being ptraced (the same safety guard as attack_supervisor.c: never pid 1,
 * never itself).  The program lists /proc/T/task and tries, against EVERY
 * tid (the thread-group leader and each other thread), the system calls that
 * act on another process or thread, always with arguments that change
 * nothing: limits, priorities, masks and scheduling parameters are set to
 * the values just read back, signals are signal 0, page lists are empty.
 *
 * task_list: BYPASSED if /proc/T/task could be listed; when it cannot, the
 * tids after T are probed through /proc/TID/status (its Tgid line), and the
 * leader T is attacked in any case.  A tid whose /proc/TID/status is
 * refused (EACCES/EPERM) although the program may read other processes'
 * status files is taken too, marked "?" in the lines: the refusal itself says
 * the supervisor protects that tid.
 *
 * One vector line per call.  BYPASSED when the call returned success against
 * at least one supervisor tid (the line lists which: "L" marks the leader);
 * defended when it failed for all of them (the line gives the errors seen).
 *
 * Vectors:
 *   prlimit64_get            prlimit64(tid, RLIMIT_NOFILE, NULL, &old)
 *   prlimit64_set            prlimit64(tid, RLIMIT_NOFILE, &old, NULL): same value
 *   setpriority              setpriority(PRIO_PROCESS, tid, getpriority(tid))
 *   sched_setaffinity        sched_setaffinity(tid, sched_getaffinity(tid))
 *   sched_setscheduler       sched_setscheduler(tid, current policy, current param)
 *   sched_setparam           sched_setparam(tid, current param)
 *   sched_setattr            sched_setattr(tid, sched_getattr(tid), 0)
 *   ioprio_set               ioprio_set(IOPRIO_WHO_PROCESS, tid, ioprio_get(tid))
 *   kcmp                     kcmp(self, tid, KCMP_VM)  (ptrace read permission)
 *   get_robust_list          get_robust_list(tid)      (ptrace read permission)
 *   perf_event_open          a software task-clock counter on tid (user only)
 *   migrate_pages            migrate_pages(tid, node 0 -> node 0): nothing moves
 *   move_pages               move_pages(tid, 0 pages): query nothing
 *   pidfd_open               pidfd_open(tid, 0) for the leader, PIDFD_THREAD for others
 *   process_madvise          MADV_COLD over an empty iovec through that pidfd (a
 *                            thread pidfd gets ESRCH: the mm is reached through
 *                            the leader only)
 *   pidfd_send_signal0       pidfd_send_signal(pidfd, 0) (permission check only)
 *   tgkill_sig0, tkill_sig0  signal 0 to the thread
 *   rt_tgsigqueueinfo_sig0   signal 0 with a SI_QUEUE siginfo
 *
 * Env: FNG_TARGET_PID (optional).
 */
#define _GNU_SOURCE
#include "adv.h"

#include <dirent.h>
#include <sched.h>
#include <stdint.h>
#include <linux/perf_event.h>
#include <sys/resource.h>
#include <sys/uio.h>

#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif
#ifndef __NR_pidfd_send_signal
#define __NR_pidfd_send_signal 424
#endif
#ifndef __NR_process_madvise
#define __NR_process_madvise 440
#endif
#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif
#ifndef MADV_COLD
#define MADV_COLD 20
#endif
#define KCMP_VM_ 1
#define IOPRIO_WHO_PROCESS_ 1

#define MAX_TIDS 256

static pid_t T;
static pid_t tids[MAX_TIDS];
static char refused[MAX_TIDS];	/* found only because its /proc/TID/status was refused */
static int ntids;

/* the sched_attr layout of sched_setattr(2) (VER1, 56 bytes) */
struct sattr {
	uint32_t size, policy;
	uint64_t flags;
	int32_t nice;
	uint32_t priority;
	uint64_t runtime, deadline, period;
	uint32_t util_min, util_max;
};

/* one attempt against tid: 0 on success, else an errno */
typedef int (*tid_fn)(pid_t tid);

static int rc_errno(long rc) { return rc < 0 ? (errno ? errno : EIO) : 0; }

static int f_prlimit_get(pid_t tid)
{
	struct rlimit old;
	return rc_errno(syscall(SYS_prlimit64, tid, RLIMIT_NOFILE, NULL, &old));
}

static int f_prlimit_set(pid_t tid)
{
	struct rlimit old;
	if (syscall(SYS_prlimit64, tid, RLIMIT_NOFILE, NULL, &old) < 0)
		return errno;
	return rc_errno(syscall(SYS_prlimit64, tid, RLIMIT_NOFILE, &old, NULL));
}

static int f_setpriority(pid_t tid)
{
	errno = 0;
	int cur = getpriority(PRIO_PROCESS, (id_t)tid);
	if (cur == -1 && errno)
		return errno;
	return rc_errno(setpriority(PRIO_PROCESS, (id_t)tid, cur));
}

static int f_setaffinity(pid_t tid)
{
	cpu_set_t m;
	if (sched_getaffinity(tid, sizeof m, &m) < 0)
		return errno;
	return rc_errno(sched_setaffinity(tid, sizeof m, &m));
}

static int f_setscheduler(pid_t tid)
{
	struct sched_param p;
	int pol = sched_getscheduler(tid);
	if (pol < 0 || sched_getparam(tid, &p) < 0)
		return errno;
	return rc_errno(syscall(SYS_sched_setscheduler, tid, pol & ~SCHED_RESET_ON_FORK, &p));
}

static int f_setparam(pid_t tid)
{
	struct sched_param p;
	if (sched_getparam(tid, &p) < 0)
		return errno;
	return rc_errno(syscall(SYS_sched_setparam, tid, &p));
}

static int f_setattr(pid_t tid)
{
	struct sattr a;
	memset(&a, 0, sizeof a);
	if (syscall(SYS_sched_getattr, tid, &a, sizeof a, 0) < 0)
		return errno;
	a.size = sizeof a;
	return rc_errno(syscall(SYS_sched_setattr, tid, &a, 0));
}

static int f_ioprio_set(pid_t tid)
{
	long cur = syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS_, tid);
	if (cur < 0)
		return errno;
	return rc_errno(syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS_, tid, cur));
}

static int f_kcmp(pid_t tid)
{
	return rc_errno(syscall(SYS_kcmp, getpid(), tid, KCMP_VM_, 0, 0));
}

static int f_robust(pid_t tid)
{
	void *head;
	size_t len;
	return rc_errno(syscall(SYS_get_robust_list, tid, &head, &len));
}

static int f_perf(pid_t tid)
{
	struct perf_event_attr a;
	memset(&a, 0, sizeof a);
	a.size = sizeof a;
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_TASK_CLOCK;
	a.disabled = 1;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	long fd = syscall(SYS_perf_event_open, &a, tid, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return errno;
	close((int)fd);
	return 0;
}

static int f_migrate(pid_t tid)
{
	/* node 0 to node 0: every page is already where it would go (empty masks give EINVAL) */
	unsigned long from = 1, to = 1;
	return rc_errno(syscall(SYS_migrate_pages, tid, 64UL, &from, &to));
}

static int f_move(pid_t tid)
{
	return rc_errno(syscall(SYS_move_pages, tid, 0UL, NULL, NULL, NULL, 0));
}

static long open_pidfd(pid_t tid)
{
	return syscall(__NR_pidfd_open, tid, tid == T ? 0 : PIDFD_THREAD);
}

static int f_pidfd_open(pid_t tid)
{
	long fd = open_pidfd(tid);
	if (fd < 0)
		return errno;
	close((int)fd);
	return 0;
}

static int f_madvise(pid_t tid)
{
	long fd = open_pidfd(tid);
	if (fd < 0)
		return errno;
	struct iovec iov = { NULL, 0 };
	int e = rc_errno(syscall(__NR_process_madvise, fd, &iov, 1UL, MADV_COLD, 0U));
	close((int)fd);
	return e;
}

static int f_pidfd_sig0(pid_t tid)
{
	long fd = open_pidfd(tid);
	if (fd < 0)
		return errno;
	int e = rc_errno(syscall(__NR_pidfd_send_signal, fd, 0, NULL, 0));
	close((int)fd);
	return e;
}

static int f_tgkill(pid_t tid) { return rc_errno(syscall(SYS_tgkill, T, tid, 0)); }
static int f_tkill(pid_t tid) { return rc_errno(syscall(SYS_tkill, tid, 0)); }

static int f_tgsigqueue(pid_t tid)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	si.si_signo = 0;
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_uid = getuid();
	return rc_errno(syscall(SYS_rt_tgsigqueueinfo, T, tid, 0, &si));
}

/* runs fn against every tid and reports one line */
static void vec(const char *name, tid_fn fn)
{
	char ok[1000] = "", bad[600] = "";
	size_t ol = 0, bl = 0;
	int nok = 0, nthreads_ok = 0, seen_err[8] = { 0 }, nseen = 0;

	for (int i = 0; i < ntids; i++) {
		errno = 0;
		int e = fn(tids[i]);
		if (e == 0) {
			nok++;
			if (tids[i] != T)
				nthreads_ok++;
			if (ol < sizeof ok - 16)
				ol += (size_t)snprintf(ok + ol, sizeof ok - ol, "%s%d%s", nok > 1 ? "," : "",
						       (int)tids[i], tids[i] == T ? "L" : refused[i] ? "?" : "");
			continue;
		}
		int known = 0;
		for (int k = 0; k < nseen; k++)
			known |= seen_err[k] == e;
		if (!known && nseen < 8) {
			seen_err[nseen++] = e;
			if (bl < sizeof bad - 64)
				bl += (size_t)snprintf(bad + bl, sizeof bad - bl, "%s%d%s: %s", nseen > 1 ? "; " : "",
						       (int)tids[i], tids[i] == T ? "L" : "", strerror(e));
		}
	}
	if (nok)
		report(name, BYPASSED, "succeeded against %d of %d supervisor tids (%d non-leader): %s%s%s", nok,
		       ntids, nthreads_ok, ok, bl ? "; failed: " : "", bad);
	else
		report(name, DEFENDED, "failed against all %d tids: %s", ntids, bad);
}

static pid_t tracer_pid(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	int tp = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "TracerPid: %d", &tp) == 1)
			break;
	fclose(f);
	return tp;
}

/* Tgid of task t from /proc/t/status (non-leader tids have /proc/TID too); -errno */
static int tgid_of(pid_t t)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)t);
	FILE *f = fopen(path, "re");
	int tg = -ENOENT;
	if (!f)
		return -errno;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "Tgid: %d", &tg) == 1)
			break;
	fclose(f);
	return tg;
}

/*
 * The tids: /proc/T/task, or, when that is refused, a probe of the tids
 * after T through /proc/TID/status (threads usually get the next ids), so
 * a denial of /proc/T alone does not hide the threads.
 */
static void list_tids(void)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", (int)T);
	DIR *d = opendir(path);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d)) && ntids < MAX_TIDS) {
			int t = atoi(de->d_name);
			if (t > 1 && t != getpid())
				tids[ntids++] = t;
		}
		closedir(d);
		report("task_list", BYPASSED, "listed %d task(s) of the target in %s", ntids, path);
		if (ntids)
			return;
	} else {
		int e = errno;
		report("task_list", DEFENDED, "opendir(%s): %s; probing /proc/TID/status for T+1..T+512", path, strerror(e));
	}
	ntids = 0;
	tids[ntids++] = T;
	int denied = 0;
	for (pid_t t = T + 1; t <= T + 512 && ntids < MAX_TIDS; t++) {
		int tg = tgid_of(t);
		if (tg == (int)T)
			tids[ntids++] = t;
		else if ((tg == -EACCES || tg == -EPERM) && t != getpid()) {
			/* readable for anyone else of this uid: refused only for a protected (supervisor) tid */
			refused[ntids] = 1;
			tids[ntids++] = t;
			denied++;
		}
	}
	fprintf(stderr, "supervisor_threads: probe found %d thread(s) of %d (%d status file(s) refused)\n", ntids - 1,
		(int)T, denied);
	if (denied)
		fprintf(stderr, "supervisor_threads: %d tid(s) taken because their /proc/TID/status was refused (marked '?')\n",
			denied);
}

int main(void)
{
	adv_init();
	const char *tp = getenv("FNG_TARGET_PID");
	if (tp && *tp) {
		T = (pid_t)atoi(tp);
	} else {
		T = getppid();
		if (tracer_pid() <= 0)
			env_error("FNG_TARGET_PID unset and this process is not traced: "
				  "refusing to attack the parent pid %d", (int)T);
	}
	if (T <= 1 || T == getpid())
		env_error("refusing target pid %d", (int)T);
	list_tids();
	fprintf(stderr, "supervisor_threads: target pid %d, %d task(s)\n", (int)T, ntids);

	vec("prlimit64_get", f_prlimit_get);
	vec("prlimit64_set", f_prlimit_set);
	vec("setpriority", f_setpriority);
	vec("sched_setaffinity", f_setaffinity);
	vec("sched_setscheduler", f_setscheduler);
	vec("sched_setparam", f_setparam);
	vec("sched_setattr", f_setattr);
	vec("ioprio_set", f_ioprio_set);
	vec("kcmp", f_kcmp);
	vec("get_robust_list", f_robust);
	vec("perf_event_open", f_perf);
	vec("migrate_pages", f_migrate);
	vec("move_pages", f_move);
	vec("pidfd_open", f_pidfd_open);
	vec("process_madvise", f_madvise);
	vec("pidfd_send_signal0", f_pidfd_sig0);
	vec("tgkill_sig0", f_tgkill);
	vec("tkill_sig0", f_tkill);
	vec("rt_tgsigqueueinfo_sig0", f_tgsigqueue);
	return adv_exit_status();
}
