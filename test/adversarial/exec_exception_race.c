/* exec_exception_race — create_child_process allows a few programs by
 * path (exceptions); a racing thread or a symlink swap changes what the exec
 * names between the supervisor's check and the kernel's use of it.
 *
 * Run under a policy whose create_child_process exceptions are exactly
 * /usr/bin/true and FNG_WORKDIR/a.sh. The forbidden program leaves
 * FNG_WORKDIR/marker behind: its existence is a bypass.
 *
 * Vectors (ATTEMPTS each, every attempt in a forked child):
 *   path_flip     - a thread flips the execve path between /usr/bin/true and /usr/bin/touch
 *   script_flip   - the same between two scripts with the same #! interpreter:
 *                   a.sh (excepted) and e.sh (creates the marker with a shell redirection)
 *   symlink_flip  - execve(FNG_WORKDIR/link) while link is swapped between
 *                   /usr/bin/true and /usr/bin/touch
 * A flipped buffer can be read half rewritten (strcpy stores a string in
 * several pieces, e.g. glibc's two overlapping 8-byte stores for 8-15
 * bytes): the kernel then finds no such file (ENOENT) and nothing runs,
 * natively too. Those attempts are counted as torn, not as errors; any
 * other failure of the exec is an ERROR.
 * Env: FNG_WORKDIR; FNG_FORBIDDEN, if set, is the forbidden program instead of
 * /usr/bin/touch (a copy of it in the temp root, run under a policy that
 * allows child processes: the race is then against the temp-root rule, and
 * script_flip, which has no forbidden program, is skipped).
 */
#define _GNU_SOURCE
#include "adv.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define ATTEMPTS 100
#define OTHER_ERRNO 100 /* exit status 100 + errno: the exec failed for another reason */

static char g_path[4096];	/* the buffer the racer flips */
static char g_a[4096], g_b[4096];
static atomic_int g_stop;
static const char *workdir;
static char marker[4096];

static void *flip_buffer(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&g_stop, memory_order_relaxed)) {
		strcpy((char *)(volatile char *)g_path, g_b);
		for (volatile int k = 0; k < 200; k++)
			;
		strcpy((char *)(volatile char *)g_path, g_a);
		for (volatile int k = 0; k < 200; k++)
			;
	}
	return NULL;
}

static void *flip_symlink(void *arg)
{
	char tmp[4200];

	(void)arg;
	snprintf(tmp, sizeof(tmp), "%s.new", g_path);
	while (!atomic_load_explicit(&g_stop, memory_order_relaxed)) {
		unlink(tmp);
		if (symlink(g_b, tmp) == 0)
			rename(tmp, g_path);
		unlink(tmp);
		if (symlink(g_a, tmp) == 0)
			rename(tmp, g_path);
	}
	return NULL;
}

/* One attempt: a child starts the racer and execs g_path. */
static int attempt(void *(*racer)(void *))
{
	pid_t pid = fork();
	int st = 0;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		static char *const envp[] = { "PATH=/usr/bin:/bin", NULL };
		char *argv[] = { "x", marker, NULL };
		pthread_t t;
		if (pthread_create(&t, NULL, racer, NULL) != 0)
			_exit(98);
		for (volatile int k = 0; k < 500; k++)
			;
		execve(racer == flip_symlink ? g_path : (char *)(volatile char *)g_path, argv, envp);
		_exit(is_denial(errno) ? 99 : errno > 0 && errno < 128 ? OTHER_ERRNO + errno : 98);
	}
	waitpid(pid, &st, 0);
	return st;
}

static void race(const char *name, void *(*racer)(void *), const char *a, const char *b, const char *exec_path)
{
	int ran = 0, denied = 0, killed = 0, torn = 0, other = 0, bypass = 0, why[256] = { 0 };
	char whys[512] = "";
	struct stat sb;

	snprintf(g_a, sizeof(g_a), "%s", a);
	snprintf(g_b, sizeof(g_b), "%s", b);
	snprintf(g_path, sizeof(g_path), "%s", exec_path);
	unlink(marker);
	for (int i = 0; i < ATTEMPTS && !bypass; i++) {
		int st = attempt(racer);
		if (lstat(marker, &sb) == 0)
			bypass++;
		else if (racer == flip_buffer && WIFEXITED(st) && WEXITSTATUS(st) == OTHER_ERRNO + ENOENT)
			torn++; /* the kernel read the path half rewritten: no such file, nothing ran */
		else if (st < 0 || (WIFEXITED(st) && WEXITSTATUS(st) >= 98 && WEXITSTATUS(st) != 99)) {
			other++;
			why[st < 0 ? 0 : WEXITSTATUS(st)]++;
		}
		else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
			killed++;
		else if (WIFEXITED(st) && WEXITSTATUS(st) == 99)
			denied++;
		else
			ran++;
	}
	unlink(marker);
	if (bypass)
		report(name, BYPASSED, "the forbidden program ran (marker created)");
	else if (other) {
		for (int i = 0; i < 256; i++) {
			size_t n = strlen(whys);
			if (!why[i])
				continue;
			if (i > OTHER_ERRNO)
				snprintf(whys + n, sizeof(whys) - n, " execve errno %d x%d;", i - OTHER_ERRNO, why[i]);
			else
				snprintf(whys + n, sizeof(whys) - n, " %s x%d;", i ? "thread start" : "fork", why[i]);
		}
		report(name, ERRORED, "%d attempt(s) failed for another reason:%s", other, whys);
	}
	else
		report(name, DEFENDED,
		       "%d attempts: %d refused at the check, %d killed at the exec stop, %d ran the allowed program, "
		       "%d named no file (torn path)",
		       ATTEMPTS, denied, killed, ran, torn);
}

static int write_script(const char *path, const char *body)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	return chmod(path, 0755);
}

int main(void)
{
	char a[4096], e[4096], link[4096];
	const char *forbidden = getenv("FNG_FORBIDDEN") ? getenv("FNG_FORBIDDEN") : "/usr/bin/touch";

	adv_init();
	workdir = need_env("FNG_WORKDIR");
	snprintf(marker, sizeof(marker), "%s/marker", workdir);
	snprintf(a, sizeof(a), "%s/a.sh", workdir);
	snprintf(e, sizeof(e), "%s/e.sh", workdir);
	snprintf(link, sizeof(link), "%s/link", workdir);
	if (write_script(a, "exit 0") < 0 || write_script(e, ": > \"$1\"") < 0)
		env_error("cannot write the scripts in %s", workdir);

	race("path_flip", flip_buffer, "/usr/bin/true", forbidden, "/usr/bin/true");
	if (!getenv("FNG_FORBIDDEN"))
		race("script_flip", flip_buffer, a, e, a);
	unlink(link);
	if (symlink("/usr/bin/true", link) < 0)
		setup_failed("symlink_flip", "symlink", errno);
	else
		race("symlink_flip", flip_symlink, "/usr/bin/true", forbidden, link);
	unlink(link);
	unlink(a);
	unlink(e);
	return adv_exit_status();
}
