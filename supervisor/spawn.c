#include "supervisor/spawn.h"
#include "tracer/tracer.h"
#include "logging/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

extern char **environ;

struct child_report {
	int stage;
	int err;
};

int fng_find_program(const char *name, char *out, size_t outsz)
{
	const char *path = getenv("PATH");
	int saw_eacces = 0;

	if (strchr(name, '/')) {
		if (access(name, F_OK) < 0)
			return -ENOENT;
		fng_strlcpy(out, name, outsz);
		return 0;
	}
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t len = strcspn(path, ":");
		struct stat st;
		int n = snprintf(out, outsz, "%.*s%s%s", (int)len, len ? path : ".", "/", name);

		path += len + (path[len] == ':');
		if (n < 0 || (size_t)n >= outsz)
			continue;
		if (stat(out, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (access(out, X_OK) == 0)
			return 0;
		saw_eacces = 1;
	}
	return saw_eacces ? -EACCES : -ENOENT;
}

/* Async-signal-safe from here on: the parent has threads. */
static void child_report(int fd, int stage, int err)
{
	struct child_report rep = { stage, err };
	ssize_t n = write(fd, &rep, sizeof(rep));
	(void)n;
}

/* The runtime must not be able to ptrace the supervisor or read its memory,
 * even as root: drop CAP_SYS_PTRACE everywhere it could come back from. */
static void drop_ptrace_cap(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	prctl(PR_CAPBSET_DROP, CAP_SYS_PTRACE, 0, 0, 0);
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, CAP_SYS_PTRACE, 0, 0);
	if (syscall(SYS_capget, &hdr, data) == 0) {
		data[0].effective &= ~(1u << CAP_SYS_PTRACE);
		data[0].permitted &= ~(1u << CAP_SYS_PTRACE);
		data[0].inheritable &= ~(1u << CAP_SYS_PTRACE);
		syscall(SYS_capset, &hdr, data);
	}
}

static void take_terminal(void)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;

	sigaction(SIGTTOU, &ign, &old);
	tcsetpgrp(STDIN_FILENO, getpid());
	sigaction(SIGTTOU, &old, NULL);
}

static _Noreturn void child_main(const struct fng_spawn *sp, int sync_fd, int report_fd)
{
	char go;

	setpgid(0, 0);
	if (sp->foreground)
		take_terminal();
	drop_ptrace_cap();
	fng_signals_restore(sp->signals);
	/* Wait until the parent has seized us: SECCOMP_RET_TRACE with no
	 * tracer attached would fail every traced call with ENOSYS. */
	if (read(sync_fd, &go, 1) != 1)
		_exit(125);
	close(sync_fd);
	if (sp->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		child_report(report_fd, FNG_STAGE_FILTER, errno);
		_exit(125);
	}
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, sp->filter) < 0) {
		child_report(report_fd, FNG_STAGE_FILTER, errno);
		_exit(125);
	}
	execve(sp->path, sp->argv, environ);
	child_report(report_fd, FNG_STAGE_EXEC, errno);
	_exit(errno == ENOENT ? 127 : 126);
}

int fng_spawn_start(const struct fng_spawn *sp, struct fng_child *out, char *err, size_t errn)
{
	int sync[2], report[2];
	pid_t pid;
	int r;

	if (pipe2(sync, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(report, O_CLOEXEC) < 0) {
		r = -errno;
		close(sync[0]);
		close(sync[1]);
		return r;
	}
	pid = fork();
	if (pid < 0) {
		r = -errno;
		snprintf(err, errn, "fork: %s", strerror(errno));
		close(sync[0]), close(sync[1]), close(report[0]), close(report[1]);
		return r;
	}
	if (pid == 0) {
		close(sync[1]);
		close(report[0]);
		child_main(sp, sync[0], report[1]);
	}
	close(sync[0]);
	close(report[1]);
	/* Same group change from this side, so no race with the child. */
	setpgid(pid, pid);
	r = fng_tracer_seize(pid);
	if (r < 0) {
		snprintf(err, errn, "ptrace refused: PTRACE_SEIZE: %s (a seccomp profile, Yama ptrace_scope, or a "
				    "managed runtime such as AWS Lambda forbids tracing)",
			 strerror(-r));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(sync[1]);
		close(report[0]);
		return r;
	}
	if (write(sync[1], "g", 1) != 1) {
		r = -errno;
		snprintf(err, errn, "cannot start the runtime: %s", strerror(errno));
		kill(pid, SIGKILL);
		close(sync[1]);
		close(report[0]);
		return r;
	}
	close(sync[1]);
	out->pid = pid;
	out->status_fd = report[0];
	return 0;
}

void fng_spawn_failure(int status_fd, enum fng_child_stage *stage, int *err)
{
	struct child_report rep = { 0, 0 };

	*stage = FNG_STAGE_NONE;
	*err = 0;
	if (read(status_fd, &rep, sizeof(rep)) == (ssize_t)sizeof(rep)) {
		*stage = (enum fng_child_stage)rep.stage;
		*err = rep.err;
	}
}

int fng_preflight(char *why, size_t n)
{
	uint32_t action = SECCOMP_RET_TRACE;
	int r;

	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0 && errno == EINVAL) {
		snprintf(why, n, "seccomp is not available in this kernel (CONFIG_SECCOMP_FILTER)");
		return -ENOSYS;
	}
	if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) < 0) {
		r = -errno;
		snprintf(why, n, "seccomp refused: SECCOMP_RET_TRACE is not available: %s", strerror(errno));
		return r;
	}
	/* Whether ptrace is allowed shows when the runtime is seized
	 * (fng_spawn_start): a probe process here cost every start a fork. */
	return 0;
}
