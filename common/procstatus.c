/* /proc/TID/status (procstatus.h). */
#include "common/procstatus.h"

#include "common/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The ids of "NSpid:", outermost first: the last is the innermost. */
static void nspid(const char *s, struct fng_proc_status *out)
{
	while (*s == ' ' || *s == '\t') {
		char *end;
		long v;

		s += strspn(s, " \t");
		v = strtol(s, &end, 10);
		if (end == s)
			break;
		out->nspid = (pid_t)v;
		out->nspid_levels++;
		s = end;
	}
}

int fng_proc_status(pid_t tid, struct fng_proc_status *out)
{
	char path[64], buf[2048], *l;
	ssize_t n;

	memset(out, 0, sizeof(*out));
	out->tgid = out->ppid = -1;
	out->uid = out->euid = (uid_t)-1;
	out->nspid = -1;
	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	n = fng_read_file(path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ESRCH;
	if ((l = strstr(buf, "\nTgid:")))
		out->tgid = atoi(l + 6);
	if ((l = strstr(buf, "\nPPid:")))
		out->ppid = atoi(l + 6);
	if ((l = strstr(buf, "\nUid:"))) {
		char *end;
		out->uid = (uid_t)strtoul(l + 5, &end, 10);
		if (end != l + 5 && (*end == '\t' || *end == ' '))
			out->euid = (uid_t)strtoul(end, NULL, 10);
	}
	if ((l = strstr(buf, "\nNSpid:")))
		nspid(l + 7, out);
	if (strncmp(buf, "Name:", 5) == 0) {
		char *s = buf + 5 + strspn(buf + 5, " \t");
		size_t len = strcspn(s, "\n");
		if (len >= sizeof(out->name))
			len = sizeof(out->name) - 1;
		memcpy(out->name, s, len);
	}
	return 0;
}
