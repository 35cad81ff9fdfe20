/*
 * exec_tmp.c - adversarial test for fnguard (class: executing a file that lives in the tmp dir)
 *
 * FNG_TMPEXE is an executable copy of /bin/true inside FNG_TMPDIR.  Every
 * vector runs in a forked child that tries to get it executed; the child
 * exits 99 if its exec failed (errno is sent through a CLOEXEC pipe).
 * BYPASSED = the child exited 0 (the tmp copy of /bin/true ran).
 * Vectors:
 *   execve_direct              - execve(FNG_TMPEXE)
 *   execveat_opath_empty_path  - execveat(open(FNG_TMPEXE, O_PATH), "", AT_EMPTY_PATH)
 *   fexecve_opath              - fexecve() on an O_PATH fd
 *   execve_proc_self_fd        - execve("/proc/self/fd/N"), N = O_PATH fd of FNG_TMPEXE
 *   execve_via_symlink         - execve(FNG_WORKDIR/link -> FNG_TMPEXE)
 *   execveat_tmpdir_dirfd      - execveat(O_PATH dirfd of FNG_TMPDIR, "<name>", 0)
 *   execve_relative_after_chdir- chdir(FNG_TMPDIR); execve("./<name>")
 *   execve_hardlink_in_workdir - link(FNG_TMPEXE, FNG_WORKDIR/x); execve(x)
 *   shebang_interpreter_in_tmp - execve(FNG_WORKDIR/script) whose "#!" line names FNG_TMPEXE
 *   ldso_loads_tmp_binary      - execve(ld-linux-x86-64.so.2 / ld-linux-aarch64.so.1, [ld.so, FNG_TMPEXE]):
 *                                the dynamic loader maps and runs the tmp file
 * (Under fnguard's create_child_process rule every exec after the first one is
 * denied anyway; these vectors also test the tmp rule on its own.)
 *
 * Env: FNG_TMPEXE, FNG_TMPDIR, FNG_WORKDIR.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "adv.h"

/* ------------------------------------------------------------------ program */
static const char *tmpexe, *tmpdir, *workdir;
static char tmpdir_n[1024];
static const char *rel;		/* tmpexe relative to tmpdir */
static char *const envp[] = { "PATH=/usr/bin:/bin", NULL };

enum {
	V_DIRECT, V_EXECVEAT_EMPTY, V_FEXECVE, V_PROC_FD, V_PATH_ARG, V_DIRFD, V_CHDIR, V_LDSO,
};

static int report_fd = -1;

static void child_fail(char kind, int e)	/* kind 'S' = setup, 'E' = exec */
{
	char m[16];
	int l = snprintf(m, sizeof m, "%c%d", kind, e);
	if (write(report_fd, m, (size_t)l) < 0)
		_exit(98);
	_exit(99);
}

static const char *ldso_path(void)
{
#if defined(__aarch64__)
	static const char *c[] = { "/lib/ld-linux-aarch64.so.1", "/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1" };
#else
	static const char *c[] = { "/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" };
#endif
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
		if (access(c[i], X_OK) == 0)
			return c[i];
	return NULL;
}

static void child_exec(int how, const char *arg)
{
	char *argv[] = { "true", NULL };
	int fd;
	char p[PATH_MAX];
	switch (how) {
	case V_DIRECT:
		execve(tmpexe, argv, envp);
		child_fail('E', errno);
		break;
	case V_EXECVEAT_EMPTY:
		fd = open(tmpexe, O_PATH);
		if (fd < 0)
			child_fail('S', errno);
		syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
		child_fail('E', errno);
		break;
	case V_FEXECVE:
		fd = open(tmpexe, O_PATH);
		if (fd < 0)
			child_fail('S', errno);
		fexecve(fd, argv, envp);
		child_fail('E', errno);
		break;
	case V_PROC_FD:
		fd = open(tmpexe, O_PATH);
		if (fd < 0)
			child_fail('S', errno);
		snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
		execve(p, argv, envp);
		child_fail('E', errno);
		break;
	case V_PATH_ARG:
		execve(arg, argv, envp);
		child_fail('E', errno);
		break;
	case V_DIRFD:
		fd = open(tmpdir_n, O_PATH | O_DIRECTORY);
		if (fd < 0)
			child_fail('S', errno);
		syscall(SYS_execveat, fd, rel, argv, envp, 0);
		child_fail('E', errno);
		break;
	case V_CHDIR: {
		char d[PATH_MAX];
		snprintf(d, sizeof d, "%s", tmpexe);
		*strrchr(d, '/') = 0;
		if (chdir(d))
			child_fail('S', errno);
		snprintf(p, sizeof p, "./%s", strrchr(tmpexe, '/') + 1);
		execve(p, argv, envp);
		child_fail('E', errno);
		break;
	}
	case V_LDSO: {
		char *av[] = { "ld.so", (char *)tmpexe, NULL };
		execve(arg, av, envp);
		child_fail('E', errno);
		break;
	}
	}
	child_fail('E', EINVAL);
}

static void run(const char *name, int how, const char *arg, const char *desc)
{
	int p[2];
	pid_t pid = fork_with_pipe(name, p, O_CLOEXEC, "setup: pipe");
	if (pid < 0)
		return;
	if (pid == 0) {
		close(p[0]);
		report_fd = p[1];
		child_exec(how, arg);
		_exit(97);
	}
	close(p[1]);
	char m[32];
	ssize_t n = read(p[0], m, sizeof m - 1);
	close(p[0]);
	m[n > 0 ? n : 0] = 0;
	int st = 0;
	waitpid(pid, &st, 0);
	if (n > 1 && m[0] == 'S')
		setup_failed(name, desc, atoi(m + 1));
	else if (n > 1 && m[0] == 'E')
		report(name, DEFENDED, "%s: %s", desc, strerror(atoi(m + 1)));
	else if (WIFSIGNALED(st))
		report(name, DEFENDED, "%s: child killed by signal %d (%s)", desc, WTERMSIG(st), strsignal(WTERMSIG(st)));
	else if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		report(name, BYPASSED, "%s: the tmp copy of /bin/true ran (exit 0)", desc);
	else
		report(name, DEFENDED, "%s: exec happened but the program exited %d (tmp binary did not run)", desc,
		       WEXITSTATUS(st));
}

int main(void)
{
	adv_init();
	tmpexe = need_env("FNG_TMPEXE");
	tmpdir = need_env("FNG_TMPDIR");
	workdir = need_env("FNG_WORKDIR");
	rel = path_in_dir(tmpexe, tmpdir, tmpdir_n, sizeof tmpdir_n);
	if (!rel)
		env_error("FNG_TMPEXE %s is not inside FNG_TMPDIR %s", tmpexe, tmpdir_n);

	char l1[PATH_MAX];

	run("execve_direct", V_DIRECT, NULL, "execve(FNG_TMPEXE)");
	run("execveat_opath_empty_path", V_EXECVEAT_EMPTY, NULL, "execveat(O_PATH fd, \"\", AT_EMPTY_PATH)");
	run("fexecve_opath", V_FEXECVE, NULL, "fexecve(O_PATH fd)");
	run("execve_proc_self_fd", V_PROC_FD, NULL, "execve(/proc/self/fd/N)");

	snprintf(l1, sizeof l1, "%s/exe-symlink", workdir);
	unlink(l1);
	if (symlink(tmpexe, l1))
		setup_failed("execve_via_symlink", "symlink in FNG_WORKDIR", errno);
	else {
		run("execve_via_symlink", V_PATH_ARG, l1, "execve(workdir symlink -> FNG_TMPEXE)");
		unlink(l1);
	}

	run("execveat_tmpdir_dirfd", V_DIRFD, NULL, "execveat(O_PATH dirfd of FNG_TMPDIR, name, 0)");
	run("execve_relative_after_chdir", V_CHDIR, NULL, "chdir(tmp dir) + execve(./name)");

	snprintf(l1, sizeof l1, "%s/exe-hardlink", workdir);
	unlink(l1);
	if (link(tmpexe, l1)) {
		int e = errno;
		if (e == EXDEV)
			report("execve_hardlink_in_workdir", DEFENDED, "link: EXDEV (different filesystems)");
		else
			setup_failed("execve_hardlink_in_workdir", "link(FNG_TMPEXE, workdir/x)", e);
	} else {
		run("execve_hardlink_in_workdir", V_PATH_ARG, l1, "execve(workdir hardlink of FNG_TMPEXE)");
		unlink(l1);
	}

	snprintf(l1, sizeof l1, "%s/exe-script.sh", workdir);
	unlink(l1);
	{
		FILE *f = fopen(l1, "w");
		if (!f || fprintf(f, "#!%s\n", tmpexe) < 0 || fclose(f) || chmod(l1, 0755))
			report("shebang_interpreter_in_tmp", ERRORED, "setup: cannot write %s: %s", l1, strerror(errno));
		else
			run("shebang_interpreter_in_tmp", V_PATH_ARG, l1, "execve(workdir script with #!FNG_TMPEXE)");
		unlink(l1);
	}

	const char *ldso = ldso_path();
	if (!ldso)
		report("ldso_loads_tmp_binary", ERRORED, "setup: no dynamic loader (ld-linux-*.so) found");
	else
		run("ldso_loads_tmp_binary", V_LDSO, ldso, "execve(ld.so, [ld.so, FNG_TMPEXE])");

	return adv_exit_status();
}
