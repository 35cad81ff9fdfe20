/* /proc/TID/status (procstatus.h). */
#include "common/procstatus.h"

#include "common/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The fields out needs from status text buf (NUL-terminated). */
static void parse(const char *buf, struct fng_proc_status *out)
{
	const char *l;

	if ((l = strstr(buf, "\nTgid:")))
		out->tgid = atoi(l + 6);
	if ((l = strstr(buf, "\nPPid:")))
		out->ppid = atoi(l + 6);
	if ((l = strstr(buf, "\nUid:")))
		out->uid = (uid_t)strtoul(l + 5, NULL, 10);
	if (strncmp(buf, "Name:", 5) == 0) {
		const char *s = buf + 5 + strspn(buf + 5, " \t");
		size_t len = strcspn(s, "\n");
		if (len >= sizeof(out->name))
			len = sizeof(out->name) - 1;
		memcpy(out->name, s, len);
	}
}

static void unknown(struct fng_proc_status *out)
{
	memset(out, 0, sizeof(*out));
	out->tgid = out->ppid = -1;
	out->uid = (uid_t)-1;
}

int fng_proc_status(pid_t tid, struct fng_proc_status *out)
{
	char path[64], buf[1024];
	ssize_t n;

	unknown(out);
	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	n = fng_read_file(path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ESRCH;
	parse(buf, out);
	return 0;
}

int fng_proc_status_fd(int fd, struct fng_proc_status *out)
{
	char buf[1024];
	ssize_t n;

	unknown(out);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -ESRCH;
	buf[n] = '\0';
	parse(buf, out);
	return 0;
}
