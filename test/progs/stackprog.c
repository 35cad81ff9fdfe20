/* Stacks for the stack-trace tests: each mode ends in a connect() to
 * 192.0.2.1:PORT (run it inside `unshare -n`; the policy blocks it) from a
 * known place, and prints "MODE: DENIED <errno>" or "MODE: OK".
 *   leak PORT      main -> leak_secrets -> connect
 *   deep PORT N    N nested calls of recurse(), then connect
 *   smashed PORT   a thread sets rsp and rbp to unmapped addresses, raw syscall connect
 *   fake PORT      a thread points rsp at a buffer of self-repeating frames
 *   thread-exec PROGRAM   a thread other than main execs PROGRAM
 * Built three ways by the Makefile: with symbols, stripped, and -static. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static struct sockaddr_in target(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, "192.0.2.1", &sa.sin_addr);
	return sa;
}

static int report(const char *mode, long r)
{
	if (r < 0)
		printf("%s: DENIED %ld\n", mode, -r);
	else
		printf("%s: OK\n", mode);
	fflush(stdout);
	return 0;
}

/* The function the event's stack must name. */
__attribute__((noinline)) int leak_secrets(int port)
{
	struct sockaddr_in sa = target(port);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int r = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	int e = errno;

	close(fd); /* after the call: connect is not a tail call */
	return r < 0 ? -e : 0;
}

__attribute__((noinline)) int recurse(int depth, int port)
{
	int r;

	if (depth <= 0)
		return leak_secrets(port);
	r = recurse(depth - 1, port);
	__asm__ volatile("" ::: "memory"); /* no tail call: every level keeps its frame */
	return r;
}

/* connect as a raw syscall with rsp and rbp set to values that are not a
 * stack; both are put back afterwards. */
#if defined(__aarch64__)
static long connect_with_stack(int fd, const struct sockaddr_in *sa, uint64_t rsp, uint64_t rbp)
{
	register long x8 __asm__("x8") = SYS_connect;
	register long x0 __asm__("x0") = fd;
	register long x1 __asm__("x1") = (long)sa;
	register long x2 __asm__("x2") = sizeof(*sa);

	__asm__ volatile("mov x19, sp\n\t"
			 "mov x20, x29\n\t"
			 "mov sp, %[sp]\n\t"
			 "mov x29, %[bp]\n\t"
			 "svc #0\n\t"
			 "mov sp, x19\n\t"
			 "mov x29, x20\n\t"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), [sp] "r"(rsp), [bp] "r"(rbp)
			 : "x19", "x20", "memory");
	return x0;
}
#else
static long connect_with_stack(int fd, const struct sockaddr_in *sa, uint64_t rsp, uint64_t rbp)
{
	long ret;

	__asm__ volatile("mov %%rsp, %%r12\n\t"
			 "mov %%rbp, %%r13\n\t"
			 "mov %[sp], %%rsp\n\t"
			 "mov %[bp], %%rbp\n\t"
			 "syscall\n\t"
			 "mov %%r12, %%rsp\n\t"
			 "mov %%r13, %%rbp\n\t"
			 : "=a"(ret)
			 : "a"((long)SYS_connect), "D"((long)fd), "S"(sa), "d"((long)sizeof(*sa)), [sp] "r"(rsp),
			   [bp] "r"(rbp)
			 : "rcx", "r11", "r12", "r13", "memory");
	return ret;
}
#endif

struct smash_arg {
	int port;
	uint64_t rsp, rbp;
	long ret;
};

static void *smash_thread(void *p)
{
	struct smash_arg *a = p;
	struct sockaddr_in sa = target(a->port);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a->ret = connect_with_stack(fd, &sa, a->rsp, a->rbp);
	close(fd);
	return NULL;
}

/* A function whose body is one instruction: its unwind rule is "return
 * address at the stack pointer", so a stack of its own address repeats. */
__attribute__((noinline)) void flat(void)
{
	__asm__ volatile("");
}

static int run_thread(const char *mode, struct smash_arg *a)
{
	pthread_t th;

	if (pthread_create(&th, NULL, smash_thread, a) != 0)
		return 1;
	pthread_join(th, NULL);
	return report(mode, a->ret);
}

static void *exec_thread(void *p)
{
	char *argv[] = { p, NULL };

	execv(p, argv);
	printf("thread-exec: FAILED %d\n", errno);
	exit(1);
}

int main(int argc, char **argv)
{
	int port;

	if (argc < 3) {
		fprintf(stderr, "usage: stackprog leak|deep|smashed|fake PORT [N] | thread-exec PROGRAM\n");
		return 2;
	}
	if (strcmp(argv[1], "thread-exec") == 0) {
		pthread_t th;
		if (pthread_create(&th, NULL, exec_thread, argv[2]) != 0)
			return 1;
		pthread_join(th, NULL); /* the exec ends this thread with the process */
		return 1;
	}
	port = atoi(argv[2]);
	if (strcmp(argv[1], "leak") == 0)
		return report("leak", leak_secrets(port));
	if (strcmp(argv[1], "deep") == 0)
		return report("deep", recurse(argc > 3 ? atoi(argv[3]) : 10000, port));
	if (strcmp(argv[1], "smashed") == 0) {
		struct smash_arg a = { .port = port, .rsp = 0x1000, .rbp = 0x2008 };
		return run_thread("smashed", &a);
	}
	if (strcmp(argv[1], "fake") == 0) {
		static uint64_t frames[4096];
		struct smash_arg a = { .port = port };
		for (size_t i = 0; i < sizeof(frames) / sizeof(frames[0]); i++)
			frames[i] = (uint64_t)(uintptr_t)flat + 1;
		a.rsp = a.rbp = (uint64_t)(uintptr_t)&frames[0];
		return run_thread("fake", &a);
	}
	fprintf(stderr, "stackprog: unknown mode %s\n", argv[1]);
	return 2;
}
