/* Starting the runtime: fork, prepare the child, let the parent seize it,
 * install the filter, exec. The filter is in place before the runtime's
 * first instruction. */
#ifndef FNG_SPAWN_H
#define FNG_SPAWN_H

#include "supervisor/signals.h"

#include <linux/filter.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/types.h>

struct fng_spawn {
	const char *path;		/* resolved program */
	char *const *argv;
	const struct sock_fprog *filter;
	const struct fng_sigstate *signals;
	bool no_new_privs;		/* unprivileged: required for seccomp */
	bool foreground;		/* give the child's group the terminal */
	struct rlimit nofile;		/* the runtime's descriptor limit (fds.h) */
	int listen_fds;			/* descriptors 3.. kept (socket activation); all others above 2 close */
	int landlock_fd;		/* a Landlock ruleset to apply before exec, or -1 */
	bool no_core;			/* RLIMIT_CORE 0, soft and hard: no core file in the temp root */
	bool drop_net_admin;		/* destinations judged: no CAP_NET_ADMIN (routes, addresses) */
};

struct spawn_ctx;

struct fng_child {
	pid_t pid;
	int status_fd;			/* the child's report if it never reached exec */
	struct spawn_ctx *ctx;		/* what the child reads until its exec */
};

/* Where the child stopped when it did not reach its runtime. */
enum fng_child_stage {
	FNG_STAGE_NONE = 0,
	FNG_STAGE_FILTER,		/* the kernel refused the seccomp filter */
	FNG_STAGE_EXEC,			/* execve failed */
	FNG_STAGE_LANDLOCK,		/* the kernel refused the Landlock domain */
};

/* Start the runtime: a child that shares our memory until its exec (so
 * nothing is copied), is seized, installs the filter and execs. */
int fng_spawn_start(const struct fng_spawn *sp, struct fng_child *out, char *err, size_t errn);
/* Once the child has exec'd or died (the tracer has seen the tree end). */
void fng_spawn_release(struct fng_child *child);
/* After the child died without exec: what went wrong (stage, errno). */
void fng_spawn_failure(int status_fd, enum fng_child_stage *stage, int *err);

/* PATH search like execvp. 0 and out filled, -ENOENT, or -EACCES. */
int fng_find_program(const char *name, char *out, size_t outsz);

/* seccomp usable here (ptrace shows at fng_spawn_start)? 0, or -errno with a
 * one-line reason. */
int fng_preflight(char *why, size_t n);

#endif
