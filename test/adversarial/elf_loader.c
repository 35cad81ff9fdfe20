/*
 * elf_loader.c - adversarial test for fnguard (class: code that runs without
 * exec). A manual ELF loader: it maps the static program elf_payload into
 * its own memory and jumps to its entry point, so no execve ever names it.
 * The loaded program then tries a forbidden effect; it runs as this process,
 * so under fnguard each of its calls is judged like any other of the
 * function's (docs/security.md, "Code loaded without exec").
 * Each vector runs in a forked child that loads the payload and never comes
 * back; the payload's exit status says what happened (elf_payload.c).
 * BYPASSED = the payload read the secret, or its exec of FNG_TMPEXE ran.
 * Vectors:
 *   anon_copy_read_secret   - segments copied into anonymous memory made
 *                             executable with mprotect; the payload reads FNG_SECRET
 *   anon_copy_exec          - the same; the payload execs FNG_TMPEXE
 *   file_map_read_secret    - segments mapped from the payload file itself
 *                             (mmap of a file with PROT_EXEC); reads FNG_SECRET
 *   memfd_map_read_secret   - the payload's bytes written to a memfd, its
 *                             segments mapped from it; reads FNG_SECRET
 * A setup step refused with EACCES/EPERM (executable_memory: "block" refuses
 * the mapping itself) counts as defended.
 *
 * Env: FNG_SECRET, FNG_TMPEXE; FNG_ELF_PAYLOAD (default: elf_payload beside
 * this program).
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "adv.h"

enum how { ANON_COPY, FILE_MAP, MEMFD_MAP };

#define PG 4096UL
#define DOWN(x) ((x) & ~(PG - 1))
#define UP(x) (((x) + PG - 1) & ~(PG - 1))

static char payload_path[PATH_MAX];
static char *image;		/* the payload file's bytes */
static size_t image_len;

/* In the child: a refused setup step exits 20, any other failure 21. */
static void child_setup_failed(int e)
{
	_exit(is_denial(e) ? 20 : 21);
}

static int prot_of(uint32_t f)
{
	return (f & PF_R ? PROT_READ : 0) | (f & PF_W ? PROT_WRITE : 0) | (f & PF_X ? PROT_EXEC : 0);
}

/* Copy every PT_LOAD segment into anonymous memory at its address, then
 * give each its protection (this is where memory becomes executable). */
static void load_anon(const Elf64_Ehdr *eh, const Elf64_Phdr *ph)
{
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		uintptr_t a = DOWN(ph[i].p_vaddr), end = UP(ph[i].p_vaddr + ph[i].p_memsz);
		void *m = mmap((void *)a, end - a, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (m == MAP_FAILED)
			child_setup_failed(errno);
		memcpy((void *)ph[i].p_vaddr, image + ph[i].p_offset, ph[i].p_filesz);
		if (mprotect(m, end - a, prot_of(ph[i].p_flags)) < 0)
			child_setup_failed(errno);
	}
}

/* Map every PT_LOAD segment from fd (mmap of a file with its protection),
 * the bss beyond the file's bytes from anonymous memory. */
static void load_file(int fd, const Elf64_Ehdr *eh, const Elf64_Phdr *ph)
{
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		uintptr_t a = DOWN(ph[i].p_vaddr), fend = UP(ph[i].p_vaddr + ph[i].p_filesz);
		uintptr_t end = UP(ph[i].p_vaddr + ph[i].p_memsz);
		int prot = prot_of(ph[i].p_flags);
		void *m = mmap((void *)a, fend - a, prot, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd,
			       (off_t)DOWN(ph[i].p_offset));
		if (m == MAP_FAILED)
			child_setup_failed(errno);
		if (ph[i].p_memsz > ph[i].p_filesz && (prot & PROT_WRITE)) {
			uintptr_t z = ph[i].p_vaddr + ph[i].p_filesz;
			memset((void *)z, 0, fend - z);
			if (end > fend && mmap((void *)fend, end - fend, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
					       -1, 0) == MAP_FAILED)
				child_setup_failed(errno);
		}
	}
}

/* A stack as the kernel builds one: argc, argv, envp, auxv (this process's,
 * with the payload's program headers and entry), then jump. */
__attribute__((noreturn)) static void start(const Elf64_Ehdr *eh, const char *what)
{
	static char *argv0 = "elf_payload";
	size_t stack_len = 1 << 20, n = 0;
	uint64_t *sp, *base;
	char *stack = mmap(NULL, stack_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	const Elf64_Phdr *ph = (const void *)(image + eh->e_phoff);
	uintptr_t phdr = 0;

	if (stack == MAP_FAILED)
		child_setup_failed(errno);
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0)
			phdr = ph[i].p_vaddr + eh->e_phoff;
	base = sp = (uint64_t *)(stack + stack_len - 4096);
	sp[n++] = 2;
	sp[n++] = (uintptr_t)argv0;
	sp[n++] = (uintptr_t)what;
	sp[n++] = 0;
	for (char **e = environ; *e; e++)
		sp[n++] = (uintptr_t)*e;
	sp[n++] = 0;
	static const unsigned long keep[] = { AT_PAGESZ, AT_CLKTCK, AT_HWCAP, AT_HWCAP2, AT_RANDOM, AT_UID, AT_EUID,
					      AT_GID, AT_EGID, AT_SECURE, AT_PLATFORM, AT_MINSIGSTKSZ };
	for (size_t k = 0; k < sizeof(keep) / sizeof(keep[0]); k++) {
		sp[n++] = keep[k];
		sp[n++] = getauxval(keep[k]);
	}
	uint64_t extra[] = { AT_PHDR, phdr, AT_PHENT, sizeof(Elf64_Phdr), AT_PHNUM, eh->e_phnum,
			     AT_ENTRY, eh->e_entry, AT_BASE, 0, AT_NULL, 0 };
	memcpy(&sp[n], extra, sizeof(extra));
	/* base is 16-byte aligned: the entry point sees argc at a 16-byte boundary. */
#if defined(__aarch64__)
	__asm__ volatile("mov sp, %0\n\tmov x0, xzr\n\tbr %1\n" : : "r"(base), "r"(eh->e_entry) : "memory");
#else
	__asm__ volatile("mov %0, %%rsp\n\txor %%edx, %%edx\n\tjmp *%1\n" : : "r"(base), "r"(eh->e_entry) : "memory");
#endif
	__builtin_unreachable();
}

static void load_and_run(enum how how, const char *what)
{
	const Elf64_Ehdr *eh = (const void *)image;
	const Elf64_Phdr *ph = (const void *)(image + eh->e_phoff);
	int fd;

	if (how == ANON_COPY) {
		load_anon(eh, ph);
	} else if (how == FILE_MAP) {
		fd = open(payload_path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			child_setup_failed(errno);
		load_file(fd, eh, ph);
	} else {
		fd = memfd_create("payload", MFD_CLOEXEC);
		if (fd < 0 || write(fd, image, image_len) != (ssize_t)image_len)
			child_setup_failed(errno);
		load_file(fd, eh, ph);
	}
	start(eh, what);
}

static void vector(const char *name, enum how how, const char *what)
{
	int st = 0;
	pid_t pid = fork();

	if (pid < 0) {
		setup_failed(name, "fork", errno);
		return;
	}
	if (pid == 0)
		load_and_run(how, what);
	waitpid(pid, &st, 0);
	if (WIFSIGNALED(st))
		report(name, ERRORED, "the loaded program died of signal %d", WTERMSIG(st));
	else if (WEXITSTATUS(st) == 0)
		report(name, BYPASSED, "the loaded program %s", strcmp(what, "exec") ? "read the secret" : "ran FNG_TMPEXE");
	else if (WEXITSTATUS(st) == 10)
		report(name, DEFENDED, "the loaded program's %s was refused", what);
	else if (WEXITSTATUS(st) == 20)
		report(name, DEFENDED, "setup: mapping the program was refused");
	else
		report(name, ERRORED, "exit status %d", WEXITSTATUS(st));
}

static int read_image(void)
{
	const char *p = getenv("FNG_ELF_PAYLOAD");
	char self[PATH_MAX];
	ssize_t n;
	int fd;

	if (p) {
		snprintf(payload_path, sizeof(payload_path), "%s", p);
	} else {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n < 0)
			return -1;
		self[n] = '\0';
		snprintf(payload_path, sizeof(payload_path), "%s/elf_payload", dirname(self));
	}
	fd = open(payload_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	image_len = (size_t)lseek(fd, 0, SEEK_END);
	image = malloc(image_len);
	n = image ? pread(fd, image, image_len, 0) : -1;
	close(fd);
	if (n != (ssize_t)image_len || memcmp(image, ELFMAG, SELFMAG) != 0 ||
	    ((Elf64_Ehdr *)image)->e_type != ET_EXEC)
		return -1;
	return 0;
}

int main(void)
{
	adv_init();
	need_env("FNG_SECRET");
	need_env("FNG_TMPEXE");
	if (read_image() < 0)
		env_error("cannot read a static (ET_EXEC) payload at %s: %s", payload_path, strerror(errno));
	vector("anon_copy_read_secret", ANON_COPY, "read");
	vector("anon_copy_exec", ANON_COPY, "exec");
	vector("file_map_read_secret", FILE_MAP, "read");
	vector("memfd_map_read_secret", MEMFD_MAP, "read");
	return adv_exit_status();
}
