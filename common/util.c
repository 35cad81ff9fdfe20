/* Small helpers (util.h): reading small files and symlinks whole. */
#include "common/util.h"

#include <fcntl.h>
#include <sys/stat.h>

/* Read from fd into buf until *got reaches room or the file ends: 1 at the
 * end of the file, 0 when room is full, -errno. */
static int read_upto(int fd, char *buf, size_t room, size_t *got)
{
	while (*got < room) {
		ssize_t n = read(fd, buf + *got, room - *got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return 1;
		*got += (size_t)n;
	}
	return 0;
}

uint64_t fng_hash64(uint64_t h, const void *p, size_t len)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

ssize_t fng_read_file(const char *path, char *buf, size_t size)
{
	autoclose int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;
	int r;

	if (fd < 0)
		return -errno;
	r = read_upto(fd, buf, size - 1, &got);
	if (r < 0)
		return r;
	buf[got] = '\0';
	return (ssize_t)got;
}

int fng_slurp(const char *path, char **out, size_t *len)
{
	autoclose int fd = open(path, O_RDONLY | O_CLOEXEC);
	autofree char *buf = NULL;
	size_t cap = 4096, got = 0;
	int r = 0;

	if (fd < 0)
		return -errno;
	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	while (r == 0) {
		if (got + 1 >= cap) {
			char *nb;
			if (cap > (64u << 20))
				return -EFBIG;
			nb = realloc(buf, cap * 2);
			if (!nb)
				return -ENOMEM;
			buf = nb;
			cap *= 2;
		}
		r = read_upto(fd, buf, cap - 1, &got);
		if (r < 0)
			return r;
	}
	buf[got] = '\0';
	*out = fng_steal_ptr(&buf);
	if (len)
		*len = got;
	return 0;
}

int fng_read_link(const char *link, char *out, size_t outsz)
{
	ssize_t n = readlink(link, out, outsz - 1);

	if (n < 0)
		return -errno;
	if ((size_t)n >= outsz - 1)
		return -ENAMETOOLONG;
	out[n] = '\0';
	return 0;
}

bool fng_path_under(const char *root, const char *path)
{
	size_t n = strlen(root);

	if (n == 1 && root[0] == '/')
		return path[0] == '/';
	return strncmp(path, root, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

int fng_env_take(const char *name, char **out)
{
	char *v = getenv(name);

	*out = NULL;
	if (!v)
		return 0;
	if (asprintf(out, "%s=%s", name, v) < 0)
		*out = NULL;
	explicit_bzero(v, strlen(v));
	unsetenv(name);
	return *out ? 1 : -ENOMEM;
}

void fng_free_secret(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}
