/* Reading (and, for calls made on its behalf, writing) the tracee's memory. */
#ifndef FNG_MEM_H
#define FNG_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Exactly len bytes at addr, or -EFAULT. */
int fng_mem_read(pid_t tid, uint64_t addr, void *buf, size_t len);
/* A NUL-terminated string: its length, -EFAULT, or -ENAMETOOLONG when it
 * does not fit in size (an over-long argument is a deny, never an allow). */
ssize_t fng_mem_read_str(pid_t tid, uint64_t addr, char *buf, size_t size);

/* An argv array at addr (execve's), as NUL-separated strings in buf: the
 * bytes used (a string cut short keeps what fits). *whole is false when it
 * did not fit, had more than FNG_MEM_ARGV_MAX entries, or could not be read
 * to its end. */
#define FNG_MEM_ARGV_MAX 64
size_t fng_mem_read_argv(pid_t tid, uint64_t addr, char *buf, size_t n, unsigned *argc, bool *whole);

/* Write exactly len bytes at addr (results of calls made on the tracee's behalf). */
int fng_mem_write(pid_t tid, uint64_t addr, const void *buf, size_t len);

#endif
