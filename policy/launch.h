/* The runtime's launch (docs/policy.md, create_child_process): the execs a
 * runtime makes to start, which create_child_process does not count. Pure
 * decisions: the tracer gathers the facts (which program a file is, what
 * the kernel ran) and keeps each task's state. */
#ifndef FNG_LAUNCH_H
#define FNG_LAUNCH_H

#include <stdbool.h>

/* Where a task is in the launch. */
enum fng_launch {
	FNG_LAUNCH_NONE = 0,	/* not launching: every exec is a child process */
	FNG_LAUNCH_SHELL,	/* a system shell the kernel (or env) started for a #! script */
	FNG_LAUNCH_SHEBANG_ENV,	/* env the kernel started for a #! script */
	FNG_LAUNCH_ENV,		/* env run as the command itself (the root process only) */
	FNG_LAUNCH_SELF,	/* the root's runtime, just started by the launch: may re-exec
				 * the very same file with the very same argv, once */
};

/* What a file is, by its object (device, inode) among the system's own
 * programs, resolved when fnguard starts. */
enum fng_launch_prog {
	FNG_PROG_OTHER = 0,
	FNG_PROG_SHELL,		/* sh, dash, bash, zsh, ksh, mksh */
	FNG_PROG_ENV,		/* env */
	FNG_PROG_HELPER,	/* path helpers and text tools (rules/launch.c: helpers) */
};

/* An exec at its seccomp stop. */
struct fng_launch_call {
	enum fng_launch state;	/* the calling task's */
	bool root;		/* the calling task is the process fnguard started */
	bool open;		/* the launch is still going on (fng_launch_over not yet) */
	bool script;		/* the file named is a #! script */
	enum fng_launch_prog kind;	/* the ELF that runs: the file, or the script's interpreter */
	bool same_file;		/* the file named is the caller's own program (not a script) */
	bool same_argv;		/* argv is byte for byte the one the caller's program started with */
};

/* Does the launch let this exec through create_child_process? */
bool fng_launch_allows(const struct fng_launch_call *c);

/* An exec that happened, at its exec stop (before the new program runs). */
struct fng_launch_ran {
	enum fng_launch state;	/* the task's, before the exec */
	bool root;
	bool open;
	bool script;		/* the checked file was a #! script ... */
	bool interp_ran;	/* ... and the kernel ran the very interpreter it names */
	enum fng_launch_prog exe;	/* what /proc/TID/exe is */
};

/* The task's state after the exec. */
enum fng_launch fng_launch_next(const struct fng_launch_ran *r);

/* Does the state keep the launch going (a launcher runs)? */
bool fng_launch_launching(enum fng_launch s);

/* A new task made by a task in state parent: its state. A thread (or any
 * task made after the launch) has none. */
enum fng_launch fng_launch_child(enum fng_launch parent, bool open, bool thread);

#endif
