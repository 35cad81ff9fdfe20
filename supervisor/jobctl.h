/* Job control for a runtime in its own process group: its stops become
 * fnguard's, and fg/bg continue it (docs/cli.md "Signals and job control"). */
#ifndef FNG_JOBCTL_H
#define FNG_JOBCTL_H

#include <stdbool.h>
#include <sys/types.h>

struct fng_job {
	pid_t pgid;	/* the runtime's process group */
	bool tty;	/* standard input is a terminal */
};

void fng_job_init(struct fng_job *j, pid_t runtime_pgid);
/* fng_tracer_config.on_root_stop: the runtime's main process stopped by
 * sig. Returns once fnguard is continued, the runtime's group continued. */
void fng_job_root_stopped(void *arg, int sig);
/* At the end: the terminal back to fnguard's group if the runtime's has it. */
void fng_job_take_terminal(const struct fng_job *j);

#endif
