/*
 * elf_payload.c - the program elf_loader maps into memory and jumps to (no
 * exec). Built with -static (non-PIE, fixed addresses). It is not an
 * adversarial program on its own: it does one forbidden thing and says how
 * it went in its exit status, which elf_loader turns into a vector line.
 *   elf_payload read   open and read FNG_SECRET: exit 0 if the secret was read
 *   elf_payload exec   execve FNG_TMPEXE (a copy of /bin/true): exits 0 if it ran
 * Exit 10: refused with EACCES/EPERM; 11: any other failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *secret = getenv("FNG_SECRET"), *exe = getenv("FNG_TMPEXE");
	char buf[64];
	ssize_t n;
	int fd;

	if (argc < 2)
		return 11;
	if (strcmp(argv[1], "exec") == 0) {
		char *const args[] = { (char *)exe, NULL };
		if (!exe)
			return 11;
		execve(exe, args, environ);
		return errno == EACCES || errno == EPERM ? 10 : 11;
	}
	if (!secret)
		return 11;
	fd = open(secret, O_RDONLY);
	if (fd < 0)
		return errno == EACCES || errno == EPERM ? 10 : 11;
	n = read(fd, buf, sizeof(buf));
	if (n < 0)
		return errno == EACCES || errno == EPERM ? 10 : 11;
	return n == 15 && memcmp(buf, "FNGUARD-SECRET\n", 15) == 0 ? 0 : 11;
}
