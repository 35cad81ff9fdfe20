/* The runtime's launch (launch.h): which execs are the runtime starting
 * rather than a child process, and how each exec moves a task through the
 * launch. Pure: no I/O. */
#include "policy/launch.h"

bool fng_launch_launching(enum fng_launch s)
{
	return s == FNG_LAUNCH_SHELL || s == FNG_LAUNCH_SHEBANG_ENV || s == FNG_LAUNCH_ENV;
}

/* A child a launcher shell forked (pyenv's $(pyenv-version-name)): it may
 * run #! scripts of a shell or env, the shell a script's env names, and
 * the path helpers; never any other program. */
static bool child_allows(const struct fng_launch_call *c)
{
	if (c->state == FNG_LAUNCH_SHEBANG_ENV)
		return !c->script && c->kind == FNG_PROG_SHELL;
	if (c->state == FNG_LAUNCH_SHELL)
		return c->script ? c->kind == FNG_PROG_SHELL || c->kind == FNG_PROG_ENV : c->kind == FNG_PROG_HELPER;
	return false;
}

bool fng_launch_allows(const struct fng_launch_call *c)
{
	if (c->root && c->state == FNG_LAUNCH_SELF)
		return !c->script && c->same_file && c->same_argv;
	if (!c->open || !fng_launch_launching(c->state))
		return false;
	if (c->root) /* the launcher hands over to what it names: the runtime */
		return true;
	return child_allows(c);
}

enum fng_launch fng_launch_next(const struct fng_launch_ran *r)
{
	if (!r->open || r->state == FNG_LAUNCH_SELF || (r->state == FNG_LAUNCH_NONE && !r->root))
		return FNG_LAUNCH_NONE;
	if (r->script && r->interp_ran) {
		if (r->exe == FNG_PROG_SHELL)
			return FNG_LAUNCH_SHELL;
		if (r->exe == FNG_PROG_ENV)
			return FNG_LAUNCH_SHEBANG_ENV;
	} else if (!r->script) {
		if (r->state == FNG_LAUNCH_SHEBANG_ENV && r->exe == FNG_PROG_SHELL)
			return FNG_LAUNCH_SHELL; /* the script's own interpreter, by way of env */
		if (r->root && r->exe == FNG_PROG_ENV)
			return FNG_LAUNCH_ENV;
	}
	/* Anything else is the runtime itself (the root), or a helper or a
	 * program that is no launcher (a child): the launch is over for it. */
	return r->root ? FNG_LAUNCH_SELF : FNG_LAUNCH_NONE;
}

enum fng_launch fng_launch_child(enum fng_launch parent, bool open, bool thread)
{
	if (!open || thread || !fng_launch_launching(parent))
		return FNG_LAUNCH_NONE;
	return parent;
}
