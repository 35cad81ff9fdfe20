/* Is a copy of /proc/TID/maps still what the kernel has, for the addresses
 * a stack walk used? One PROCMAP_QUERY ioctl (Linux 6.11) per mapping
 * instead of reading and parsing every line again (symbols.h,
 * fng_maps_current). */
#include "tracer/image/symbols.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>

/* linux/fs.h of Linux 6.11; Debian 12's headers predate it. */
struct fng_procmap_query {
	uint64_t size;
	uint64_t query_flags;
	uint64_t query_addr;
	uint64_t vma_start;
	uint64_t vma_end;
	uint64_t vma_flags;
	uint64_t vma_page_size;
	uint64_t vma_offset;
	uint64_t inode;
	uint32_t dev_major;
	uint32_t dev_minor;
	uint32_t vma_name_size;
	uint32_t build_id_size;
	uint64_t vma_name_addr;
	uint64_t build_id_addr;
};
#define FNG_PROCMAP_QUERY _IOWR('f', 17, struct fng_procmap_query)
#define FNG_PROCMAP_EXEC 0x04

/* Does the kernel's mapping at addr match the copy's (or is there none in
 * either)? 1 yes, 0 no, -errno when the kernel cannot say. */
static int same_mapping(int fd, const struct fng_map *have, uint64_t addr)
{
	struct fng_procmap_query q = { .size = sizeof(q), .query_addr = addr };

	if (ioctl(fd, FNG_PROCMAP_QUERY, &q) < 0)
		return errno == ENOENT ? !have : -errno;
	return have && q.vma_start == have->start && q.vma_end == have->end && q.vma_offset == have->pgoff &&
	       (ino_t)q.inode == have->ino && makedev(q.dev_major, q.dev_minor) == have->dev &&
	       !!(q.vma_flags & FNG_PROCMAP_EXEC) == have->exec;
}

int fng_maps_current_fd(int fd, const struct fng_maps *m, const uint64_t *pcs, unsigned n)
{
	const struct fng_map *checked[FNG_MAPS_CHECK_MAX];
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++) {
		const struct fng_map *have = fng_maps_find((struct fng_maps *)m, pcs[i]);
		bool seen = false;
		int r;

		for (unsigned j = 0; j < k && have; j++)
			seen |= checked[j] == have;
		if (seen)
			continue;
		r = same_mapping(fd, have, pcs[i]);
		if (r <= 0)
			return r;
		if (have && k < FNG_MAPS_CHECK_MAX)
			checked[k++] = have;
	}
	return 1;
}

int fng_maps_current(pid_t tid, struct fng_maps *m, const uint64_t *pcs, unsigned n)
{
	autoclose int fd = fng_maps_open(tid);

	if (fd < 0)
		return fd;
	return fng_maps_current_fd(fd, m, pcs, n);
}
