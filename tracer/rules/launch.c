/* The runtime's launch (policy/launch.h; docs/policy.md, create_child_process):
 * the facts its decisions need. Which system program a file is (by object,
 * resolved when fnguard starts), what an exec names at its seccomp stop,
 * what the kernel ran at the exec stop (/proc/TID/exe, before the new
 * program runs an instruction), and the argv the root's runtime started
 * with (its one re-exec of itself must repeat it). */
#include "tracer/internal.h"
#include "tracer/mem.h"
#include "common/util.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char *const shells[] = { "sh", "dash", "bash", "zsh", "ksh", "mksh" };
static const char *const envs[] = { "env" };
/* What version managers' scripts run in $(...) while they launch: path
 * helpers, and the text tools rbenv (head, cut), nvm (ls, grep, sed, sort,
 * awk, tr, ...) and pyenv use. None execs anything of its own (what awk's
 * system() or sed's e would start is a child process: refused). */
static const char *const helpers[] = { "readlink", "realpath", "basename", "dirname", "uname", "head", "tail",
				       "cut", "tr", "cat", "sed", "grep", "sort", "ls", "wc", "awk" };

static void add_progs(struct fng_tracer *t, const char *const *names, size_t n, enum fng_launch_prog kind)
{
	static const char *const dirs[] = { "/usr/bin", "/bin" };

	for (size_t i = 0; i < n; i++)
		for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
			char path[64];
			struct stat st;

			snprintf(path, sizeof(path), "%s/%s", dirs[d], names[i]);
			if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || t->n_launch_obj >= FNG_LAUNCH_OBJ_MAX)
				continue;
			t->launch_obj[t->n_launch_obj] = (struct fng_object){ st.st_dev, st.st_ino };
			t->launch_kind[t->n_launch_obj++] = (uint8_t)kind;
		}
}

void fng_launch_setup(struct fng_tracer *t)
{
	add_progs(t, shells, sizeof(shells) / sizeof(shells[0]), FNG_PROG_SHELL);
	add_progs(t, envs, 1, FNG_PROG_ENV);
	add_progs(t, helpers, sizeof(helpers) / sizeof(helpers[0]), FNG_PROG_HELPER);
}

static enum fng_launch_prog kind_of(const struct fng_tracer *t, const struct fng_object *o)
{
	for (size_t i = 0; i < t->n_launch_obj; i++)
		if (t->launch_obj[i].dev == o->dev && t->launch_obj[i].ino == o->ino)
			return (enum fng_launch_prog)t->launch_kind[i];
	return FNG_PROG_OTHER;
}

/* The exec's argv is the one the root's runtime started with. */
static bool same_argv(struct fng_call *c)
{
	char buf[sizeof(c->t->launch_argv)];
	unsigned argc;
	bool whole;
	size_t n;

	if (!c->t->launch_argv_len)
		return false;
	n = fng_mem_read_argv(c->tc->tid, c->args[c->d->dirfd != FNG_NOARG ? 2 : 1], buf, sizeof(buf), &argc, &whole);
	return whole && n == c->t->launch_argv_len && memcmp(buf, c->t->launch_argv, n) == 0;
}

static bool is_exe(pid_t tid, const struct fng_object *o)
{
	char link[64];
	struct stat st;

	snprintf(link, sizeof(link), "/proc/%d/exe", tid);
	return stat(link, &st) == 0 && st.st_dev == o->dev && st.st_ino == o->ino;
}

bool fng_launch_check(struct fng_call *c, const struct fng_exec_target *x)
{
	struct fng_tracer *t = c->t;
	struct fng_tracee *tc = c->tc;
	struct fng_launch_call lc = {
		.state = (enum fng_launch)tc->launch,
		.root = tc->tgid == t->root && tc->tid == t->root,
		.open = !t->launch_over && !t->init_done,
		.script = x->script,
		.kind = x->have_elf ? kind_of(t, &x->elf) : FNG_PROG_OTHER,
	};

	tc->launch_script = x->script && x->have_elf;
	tc->launch_reexec = false;
	tc->launch_interp_dev = x->elf.dev;
	tc->launch_interp_ino = x->elf.ino;
	if (lc.state == FNG_LAUNCH_NONE)
		return false;
	if (lc.state == FNG_LAUNCH_SELF && x->have_prog && !x->script) {
		lc.same_file = is_exe(tc->tid, &x->prog);
		lc.same_argv = lc.same_file && same_argv(c);
	}
	tc->launch_reexec = lc.state == FNG_LAUNCH_SELF && x->have_elf && fng_launch_allows(&lc);
	return x->have_elf && fng_launch_allows(&lc);
}

/* The root's runtime started: keep its argv (/proc/TID/cmdline, which
 * only the kernel has written yet) and its file. */
static void keep_argv(struct fng_tracer *t, pid_t tid, const struct fng_object *exe)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", tid);
	n = fng_read_file(path, t->launch_argv, sizeof(t->launch_argv));
	t->launch_argv_len = n > 0 && (size_t)n < sizeof(t->launch_argv) ? (size_t)n : 0;
	t->launch_exe = *exe;
}

/* The runtime's re-exec of itself, at its exec stop: did the kernel run
 * the file and argv that were checked? (Another process could have
 * swapped a path, or a task sharing the memory rewritten argv.) */
static bool reexec_as_checked(struct fng_tracer *t, pid_t tid, const struct fng_object *exe)
{
	char path[64], argv[sizeof(t->launch_argv)];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", tid);
	n = fng_read_file(path, argv, sizeof(argv));
	return exe->dev == t->launch_exe.dev && exe->ino == t->launch_exe.ino && n > 0 &&
	       (size_t)n == t->launch_argv_len && memcmp(argv, t->launch_argv, (size_t)n) == 0;
}

void fng_launch_exec_stop(struct fng_tracer *t, struct fng_tracee *tc)
{
	bool root = tc->tgid == t->root && tc->tid == t->root;
	struct fng_object interp = { tc->launch_interp_dev, tc->launch_interp_ino }, exe = { 0, 0 };
	struct fng_launch_ran r = {
		.state = (enum fng_launch)tc->launch,
		.root = root,
		.open = !t->launch_over && !t->init_done,
		.script = tc->launch_script,
	};
	char link[64];
	struct stat st;

	if (r.state == FNG_LAUNCH_NONE && !(root && !t->runtime_started)) {
		tc->launch_script = tc->launch_reexec = false;
		return;
	}
	snprintf(link, sizeof(link), "/proc/%d/exe", tc->tid);
	if (stat(link, &st) == 0) { /* unreadable: no launcher (fail closed) */
		exe = (struct fng_object){ st.st_dev, st.st_ino };
		r.exe = kind_of(t, &exe);
		r.interp_ran = r.script && exe.dev == interp.dev && exe.ino == interp.ino;
	}
	if (tc->launch_reexec && !reexec_as_checked(t, tc->tid, &exe)) {
		fng_report_killed(t, tc->tid, "execve", "create_child_process: the runtime's re-exec of itself ran "
							"another file or argv than checked (racing process)");
		kill(tc->tgid, SIGKILL);
	}
	tc->launch = (uint8_t)fng_launch_next(&r);
	tc->launch_script = tc->launch_reexec = false;
	if (root && !fng_launch_launching((enum fng_launch)tc->launch)) {
		t->launch_over = true;
		if (tc->launch == FNG_LAUNCH_SELF)
			keep_argv(t, tc->tid, &exe);
	}
}

void fng_launch_fork(struct fng_tracer *t, const struct fng_tracee *parent, struct fng_tracee *child, bool thread)
{
	struct fng_tracee *root = parent->tgid == t->root ? fng_tracee_find(&t->tasks, t->root) : NULL;

	if (thread && fng_launch_launching((enum fng_launch)parent->launch))
		t->launch_over = true; /* shells and env make no threads: a runtime runs */
	/* The runtime's one re-exec of itself comes before it makes any task. */
	if (root && root->launch == FNG_LAUNCH_SELF)
		root->launch = FNG_LAUNCH_NONE;
	child->launch = (uint8_t)fng_launch_child((enum fng_launch)parent->launch, !t->launch_over && !t->init_done,
						 thread);
}
