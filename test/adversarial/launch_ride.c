/* launch_ride: the function's own code trying to ride the runtime's launch
 * (docs/policy.md, create_child_process): the execs a #! shim chain, env or
 * a bootstrap script make to start the runtime are not child processes;
 * code that runs after the launch must not get one through by looking
 * like a launcher. Each vector runs a program that writes a marker file
 * (in FNG_WORKDIR, outside the temp root) and checks whether it appeared.
 *
 *  - shell_script: exec a #!/bin/sh script (the launch's first step)
 *  - env_chain: exec env, which execs a shell (as env python3 app.py)
 *  - shim_chain: exec a #!/usr/bin/env sh script (a pyenv/asdf shim)
 *  - child_script: a forked child execs the #! script
 *  - reexec_other_argv: the runtime re-execs its own file (as the java
 *    launcher does) with other arguments, last, as the process itself */
#define _GNU_SOURCE
#include "adv.h"

#include <sys/stat.h>

static char g_script[4096], g_envscript[4096], g_marker[4096];

static int ran(void)
{
	struct stat st;
	int r = stat(g_marker, &st) == 0;

	unlink(g_marker);
	return r;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		report("environment", ERRORED, "cannot write %s: %s", path, strerror(errno));
		exit(1);
	}
	fputs(text, f);
	fclose(f);
	chmod(path, 0755);
}

/* exec in a child; the program ran if the marker appeared */
static void vector_exec(const char *name, char *const argv[])
{
	int st = 0, e = 0, p[2];
	pid_t pid = fork_with_pipe(name, p, O_CLOEXEC, "pipe");

	if (pid < 0)
		return;
	if (pid == 0) {
		close(p[0]);
		execv(argv[0], argv);
		e = errno;
		if (write(p[1], &e, sizeof(e)) < 0)
			_exit(3);
		_exit(127);
	}
	close(p[1]);
	if (read(p[0], &e, sizeof(e)) != sizeof(e))
		e = 0;
	close(p[0]);
	waitpid(pid, &st, 0);
	if (ran())
		report(name, BYPASSED, "%s ran", argv[0]);
	else
		report(name, DEFENDED, "%s", e ? strerror(e) : "did not run");
}

int main(int argc, char **argv)
{
	const char *dir;
	char text[8192];

	adv_init();
	dir = need_env("FNG_WORKDIR");
	snprintf(g_marker, sizeof(g_marker), "%s/launch-ride-marker", dir);
	if (argc > 2 && strcmp(argv[1], "--stage2") == 0) { /* argv[2]: what got through before */
		int before = atoi(argv[2]);
		report("reexec_other_argv", BYPASSED, "re-executed with other arguments");
		return before + 1 > 255 ? 255 : before + 1;
	}
	snprintf(g_script, sizeof(g_script), "%s/launch-ride.sh", dir);
	snprintf(g_envscript, sizeof(g_envscript), "%s/launch-ride-env.sh", dir);
	snprintf(text, sizeof(text), "#!/bin/sh\n: > '%s'\n", g_marker);
	write_file(g_script, text);
	snprintf(text, sizeof(text), "#!/usr/bin/env sh\n: > '%s'\n", g_marker);
	write_file(g_envscript, text);
	unlink(g_marker);

	vector_exec("shell_script", (char *[]){ g_script, NULL });
	snprintf(text, sizeof(text), ": > '%s'", g_marker);
	vector_exec("env_chain", (char *[]){ "/usr/bin/env", "sh", "-c", text, NULL });
	vector_exec("shim_chain", (char *[]){ g_envscript, NULL });
	vector_exec("child_script", (char *[]){ "/bin/sh", g_script, NULL });

	/* Last: the process itself re-executes its own file, other argv. */
	unlink(g_script);
	unlink(g_envscript);
	snprintf(text, sizeof(text), "%d", adv_exit_status());
	execv("/proc/self/exe", (char *[]){ argv[0], "--stage2", text, NULL });
	if (is_denial(errno))
		report("reexec_other_argv", DEFENDED, "%s", strerror(errno));
	else
		report("reexec_other_argv", ERRORED, "execv: %s", strerror(errno));
	return adv_exit_status();
}
