/* Reading (and, for calls made on its behalf, writing) the tracee's memory. */
#ifndef FNG_MEM_H
#define FNG_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Exactly len bytes at addr, or -EFAULT. */
int fng_mem_read(pid_t tid, uint64_t addr, void *buf, size_t len);
/* A NUL-terminated string: its length, -EFAULT, or -ENAMETOOLONG when it
 * does not fit in size (an over-long argument is a deny, never an allow). */
ssize_t fng_mem_read_str(pid_t tid, uint64_t addr, char *buf, size_t size);

/* Write exactly len bytes at addr (results of calls made on the tracee's behalf). */
int fng_mem_write(pid_t tid, uint64_t addr, const void *buf, size_t len);

#endif
