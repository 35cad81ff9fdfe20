/* Small helpers shared by every part of fnguard: cleanup attributes in the
 * style of bubblewrap, bounded string copies, and errno-returning wrappers. */
#ifndef FNG_UTIL_H
#define FNG_UTIL_H

#include <errno.h>
#include <stdio.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FNG_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static inline void fng_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}

static inline void fng_freep(void *p)
{
	free(*(void **)p);
}

static inline void fng_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

#define autoclose __attribute__((cleanup(fng_closep)))
#define autofclose __attribute__((cleanup(fng_fclosep)))
#define autofree __attribute__((cleanup(fng_freep)))

/* Hand an owned fd/pointer out of a cleanup-scoped variable. */
static inline int fng_steal_fd(int *fd)
{
	int v = *fd;
	*fd = -1;
	return v;
}

static inline void *fng_steal_ptr(void *p)
{
	void **pp = p;
	void *v = *pp;
	*pp = NULL;
	return v;
}

/* Copy src into dst (size n), always NUL-terminated. Returns true when it fit. */
static inline bool fng_strlcpy(char *dst, const char *src, size_t n)
{
	size_t len = strlen(src);
	if (n == 0)
		return false;
	if (len >= n) {
		memcpy(dst, src, n - 1);
		dst[n - 1] = '\0';
		return false;
	}
	memcpy(dst, src, len + 1);
	return true;
}

/* Is path the directory root or below it? Both canonical. Pure. */
bool fng_path_under(const char *root, const char *path);

/* FNV-1a of len bytes, continuing from h (start with FNG_HASH64_INIT). Pure. */
#define FNG_HASH64_INIT 0xcbf29ce484222325ull
uint64_t fng_hash64(uint64_t h, const void *p, size_t len);

/* Read a whole small file (e.g. under /proc) into buf; returns bytes or -errno. */
ssize_t fng_read_file(const char *path, char *buf, size_t size);

/* Read an entire file into a malloc'd NUL-terminated buffer. Returns 0 or -errno. */
int fng_slurp(const char *path, char **out, size_t *len);
/* Take variable name out of the environment: *out is its "NAME=value"
 * string, malloc'd (free it with fng_free_secret). 1 when taken,
 * 0 when not set (*out NULL), -ENOMEM when set but not copied (wiped all
 * the same). The value's bytes in the environment are wiped: they are what
 * /proc/PID/environ shows. */
int fng_env_take(const char *name, char **out);
/* Wipe a secret string's bytes, then free it. NULL is fine. */
void fng_free_secret(char *s);

/* readlink(link) NUL-terminated in out: 0, or -errno (-ENAMETOOLONG when
 * the target does not fit). */
int fng_read_link(const char *link, char *out, size_t outsz);

#endif
