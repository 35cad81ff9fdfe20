/* open_secret.c - a 32-bit ARM (AArch32) program for the arm64 foreign-ABI
 * test (test/integration/aarch32.sh): built static by Debian's armhf cross
 * compiler, exec'd on an arm64 kernel with COMPAT, it makes its calls
 * through the AArch32 ABI (other numbers, audit arch ARM). It opens the
 * file named by argv[1] and copies it to stdout: natively the content
 * comes out; under fnguard its first call ends the process. */
#include <fcntl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char buf[256];
	ssize_t n;
	int fd;

	if (argc != 2)
		return 2;
	fd = open(argv[1], O_RDONLY);
	if (fd < 0)
		return 3;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(1, buf, (size_t)n) != n)
			return 4;
	return n < 0 ? 5 : 0;
}
