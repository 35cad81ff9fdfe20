/* An event flood, then one distinctive event (issue 21, "Floods"):
 * N opens of a name under /tmp that does not exist (a read_write_tmp alert
 * each), either the same name every time ("same") or a name that differs
 * from the previous one by a byte ("vary"); then an open of
 * /tmp/fng-flood-distinct and an exec of /bin/true that the policy refuses
 * (create_child_process: block); then it creates DONE and exits 0.
 *   flood N same|vary DONE */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char path[64];
	long n;
	int vary, fd;

	if (argc != 4)
		return 2;
	n = atol(argv[1]);
	vary = strcmp(argv[2], "vary") == 0;
	for (long i = 0; i < n; i++) {
		if (vary)
			snprintf(path, sizeof(path), "/tmp/fng-flood-%08ld", i);
		else
			snprintf(path, sizeof(path), "/tmp/fng-flood-same");
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			close(fd);
	}
	fd = open("/tmp/fng-flood-distinct", O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	execl("/bin/true", "true", (char *)NULL);
	printf("exec refused\n");
	fflush(stdout);
	fd = open(argv[3], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return 3;
	close(fd);
	return 0;
}
