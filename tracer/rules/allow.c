/* The allowlist at the tracer's decision points (policy/allowlist.h): what
 * a file call, an exec or a destination adds to a verdict. The FunctionShield
 * rules are judged first; fng_verdict_take keeps the stricter finding. */
#include "tracer/internal.h"
#include "policy/allowlist.h"
#include "common/util.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>

bool fng_tracer_initialising(const struct fng_tracer *t)
{
	return !t->init_done;
}

uint8_t fng_tracer_fn_phase(const struct fng_tracer *t)
{
	if (!t->have_api)
		return FNG_FN_PHASE_NONE;
	return t->init_done ? FNG_FN_PHASE_INVOKE : FNG_FN_PHASE_INIT;
}

bool fng_open_writes(uint64_t flags)
{
	return (flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC));
}

static void take(struct fng_tracer *t, struct fng_verdict *v, const char *what, const char *path)
{
	enum fng_rule before = v->rule;

	fng_verdict_take(v, FNG_RULE_ALLOWLIST, t->policy->mode[FNG_RULE_ALLOWLIST], NULL);
	if (v->rule == FNG_RULE_ALLOWLIST && before != FNG_RULE_ALLOWLIST) {
		if (path && path != v->path)
			snprintf(v->reason, sizeof(v->reason), "%s is not in the allowlist (%s)", path, what);
		else
			snprintf(v->reason, sizeof(v->reason), "not in the allowlist (%s)", what);
	}
}

void fng_allow_judge_file(struct fng_tracer *t, const char *path, bool write, struct fng_verdict *v)
{
	const struct fng_allowlist *a = t->policy->allow;

	if (a && !fng_allow_file(a, path, write, fng_tracer_initialising(t)))
		take(t, v, write ? "files.write" : "files.read", path);
}

void fng_allow_judge_exec(struct fng_tracer *t, const char *path, const struct fng_ev_image *im,
			  struct fng_verdict *v)
{
	const struct fng_allowlist *a = t->policy->allow;

	if (a && !fng_allow_exec(a, path, im->build_id, im->build_id_len, fng_tracer_initialising(t)))
		take(t, v, "exec", NULL);
}

/* At an open's exit stop: the path of what was opened, from /proc/PID/fd,
 * which names an unlinked file "PATH (deleted)". */
void fng_allow_judge_opened(struct fng_tracer *t, const char *fd_path, bool write, struct fng_verdict *v)
{
	static const char deleted[] = " (deleted)";
	char path[FNG_PATH_BUF];
	size_t n = strlen(fd_path);

	if (!t->policy->allow)
		return;
	if (n > sizeof(deleted) - 1 && n < sizeof(path) && strcmp(fd_path + n - (sizeof(deleted) - 1), deleted) == 0) {
		memcpy(path, fd_path, n - (sizeof(deleted) - 1));
		path[n - (sizeof(deleted) - 1)] = '\0';
		fd_path = path;
	}
	fng_allow_judge_file(t, fd_path, write, v);
}
