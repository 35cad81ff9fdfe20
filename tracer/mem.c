/* Reading and writing a tracee's memory with process_vm_readv/writev (mem.h). */
#include "tracer/mem.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>

#define PAGE 4096u

int fng_mem_read(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	ssize_t n;

	if (len == 0)
		return 0;
	n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EFAULT;
}

ssize_t fng_mem_read_str(pid_t tid, uint64_t addr, char *buf, size_t size)
{
	size_t got = 0;

	if (addr == 0)
		return -EFAULT;
	while (got < size) {
		/* Never read across a page boundary in one go: the next page may be unmapped. */
		size_t chunk = PAGE - ((addr + got) % PAGE);
		struct iovec local, remote;
		ssize_t n;
		char *nul;

		if (chunk > size - got)
			chunk = size - got;
		local.iov_base = buf + got;
		local.iov_len = chunk;
		remote.iov_base = (void *)(uintptr_t)(addr + got);
		remote.iov_len = chunk;
		n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
		if (n <= 0)
			return -EFAULT;
		nul = memchr(buf + got, '\0', (size_t)n);
		if (nul)
			return nul - buf;
		got += (size_t)n;
	}
	buf[size - 1] = '\0';
	return -ENAMETOOLONG;
}

int fng_mem_write(pid_t tid, uint64_t addr, const void *buf, size_t len)
{
	struct iovec local = { (void *)buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	ssize_t n;

	if (len == 0)
		return 0;
	n = process_vm_writev(tid, &local, 1, &remote, 1, 0);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EFAULT;
}

size_t fng_mem_read_argv(pid_t tid, uint64_t addr, char *buf, size_t n, unsigned *argc, bool *whole)
{
	size_t used = 0;

	*argc = 0;
	*whole = false;
	for (unsigned i = 0; addr; i++) {
		uint64_t p;
		ssize_t got;

		if (fng_mem_read(tid, addr + i * sizeof(uint64_t), &p, sizeof(p)) < 0)
			return used;
		if (p == 0) {
			*whole = true;
			return used;
		}
		if (i >= FNG_MEM_ARGV_MAX || used + 1 >= n)
			return used;
		got = fng_mem_read_str(tid, p, buf + used, n - used);
		if (got == -EFAULT)
			return used;
		if (got < 0) { /* truncated: keep what fits */
			(*argc)++;
			return used + strlen(buf + used) + 1;
		}
		used += (size_t)got + 1;
		(*argc)++;
	}
	return used;
}
