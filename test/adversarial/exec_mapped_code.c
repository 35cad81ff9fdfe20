/* exec_mapped_code — memory the kernel makes executable at execve, with no
 * mmap or mprotect for fnguard to judge (executable_memory: "block").
 *
 * The same source builds three programs: this driver (plain), and two
 * payloads beside it that run machine code built at run time:
 *   NAME.xstack  built with -DADV_PAYLOAD_STACK -z execstack: PT_GNU_STACK
 *                has PF_X, the kernel maps the stack rwx; the code runs
 *                from a stack buffer
 *   NAME.rwx     built with -DADV_PAYLOAD_RWX: a section "awx" gives a
 *                PT_LOAD with PF_W|PF_X; the code is copied into it
 * The code returns 42: a payload exiting 42 ran code that was never on disk.
 *
 * Vectors (each execs one payload in a child and waits for it):
 *   exec_stack     NAME.xstack
 *   exec_rwx_load  NAME.rwx
 * Exit 42: BYPASSED. Killed by a signal (fnguard ends it at the exec stop,
 * before its first instruction) or the exec refused: defended.
 * Env: none.
 */
#define _GNU_SOURCE
#include "adv.h"

#include <limits.h>

/* mov eax, 42; ret */
#define ADV_CODE { 0xb8, 0x2a, 0, 0, 0, 0xc3 }

#if defined(ADV_PAYLOAD_STACK)
int main(void)
{
	static const unsigned char CODE[] = ADV_CODE;
	unsigned char buf[64];
	volatile unsigned char *v = buf;

	for (size_t i = 0; i < sizeof(CODE); i++)
		v[i] = CODE[i];
	return ((int (*)(void))(void *)buf)();
}
#elif defined(ADV_PAYLOAD_RWX)
__asm__(".section .advrwx,\"awx\",@progbits\n.globl adv_rwx\nadv_rwx: .zero 4096\n.previous\n");
extern unsigned char adv_rwx[];
int main(void)
{
	static const unsigned char CODE[] = ADV_CODE;

	memcpy(adv_rwx, CODE, sizeof(CODE));
	return ((int (*)(void))(void *)adv_rwx)();
}
#else
static void run_payload(const char *name, const char *self, const char *suffix)
{
	char path[PATH_MAX];
	int st = 0;
	pid_t pid;

	snprintf(path, sizeof(path), "%s.%s", self, suffix);
	if (access(path, X_OK) != 0) {
		report(name, ERRORED, "%s: %s (not built?)", path, strerror(errno));
		return;
	}
	pid = fork();
	if (pid < 0) {
		setup_failed(name, "fork", errno);
		return;
	}
	if (pid == 0) {
		execl(path, path, (char *)NULL);
		_exit(is_denial(errno) ? 100 : 101);
	}
	waitpid(pid, &st, 0);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 42)
		report(name, BYPASSED, "%s ran code built at run time in memory the kernel mapped executable", path);
	else if (WIFSIGNALED(st))
		report(name, DEFENDED, "killed by signal %d (%s) before its code ran", WTERMSIG(st),
		       strsignal(WTERMSIG(st)));
	else if (WIFEXITED(st) && WEXITSTATUS(st) == 100)
		report(name, DEFENDED, "exec refused");
	else
		report(name, ERRORED, "payload exited with status %d", WEXITSTATUS(st));
}

int main(int argc, char **argv)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	(void)argc;
	(void)argv;
	adv_init();
	if (n <= 0)
		env_error("readlink /proc/self/exe: %s", strerror(errno));
	self[n] = '\0';
	run_payload("exec_stack", self, "xstack");
	run_payload("exec_rwx_load", self, "rwx");
	return adv_exit_status();
}
#endif
