/* Fuzz target: path resolution (tracer/resolve/path.c) as the tracer does it
 * for a tracee, here the fuzzing process itself (its cwd and descriptors
 * through /proc/self): the input is the path as a function would pass it;
 * the first byte picks the flags (follow the last component, an empty path,
 * RESOLVE_IN_ROOT, a root of "/", the name cache). Only lstat and readlink
 * run: nothing is changed on disk. */
#include "test/fuzz/fuzz.h"
#include "tracer/resolve/namecache.h"
#include "tracer/resolve/path.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fng_namecache *names;
	char path[4200], out[FNG_PATH_BUF];
	struct fng_path_req req = { .tid = getpid(), .tgid = getpid(), .dirfd = AT_FDCWD, .path = path };

	if (size < 1 || size > sizeof(path))
		return 0;
	if (!names) {
		names = calloc(1, sizeof(*names));
		if (!names)
			return 0;
		fng_namecache_init(names, true);
	}
	memcpy(path, data + 1, size - 1);
	path[size - 1] = '\0';
	req.follow_last = data[0] & 1;
	req.empty_path = data[0] & 2;
	req.in_root = data[0] & 4;
	req.root = data[0] & 8 ? "/" : NULL;
	req.names = data[0] & 16 ? names : NULL;
	if (data[0] & 32)
		req.dirfd = 0;	/* standard input, a descriptor of the "tracee" */
	if (fng_path_resolve(&req, out, sizeof(out)) == 0 && (out[0] != '/' || strlen(out) >= sizeof(out)))
		__builtin_trap(); /* a resolved path is absolute and fits */
	return 0;
}
