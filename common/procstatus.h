/* A task's /proc/TID/status, read once: the ids and name events and the
 * task table need. */
#ifndef FNG_PROCSTATUS_H
#define FNG_PROCSTATUS_H

#include <sys/types.h>

struct fng_proc_status {
	pid_t tgid, ppid;	/* -1 when not known */
	uid_t uid;		/* real uid; (uid_t)-1 when not known */
	uid_t euid;		/* effective uid; (uid_t)-1 when not known */
	/* "NSpid:": the innermost pid namespace's id (what getpid returns
	 * there) and how many namespaces list it; -1 and 0 when not known. */
	pid_t nspid;
	int nspid_levels;
	char name[16];		/* "Name:", as comm */
};

/* 0, or -errno when the file could not be read (the task is gone); fields
 * the file lacks stay at "not known". */
int fng_proc_status(pid_t tid, struct fng_proc_status *out);

#endif
