/* libcurl at run time: see curl_dl.h for why. */
#include "logging/sinks/curl_dl.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define CURL_SONAME "libcurl.so.4"

/* Every entry point the sink uses, by name and where it goes. */
static const struct {
	const char *name;
	size_t off;
} curl_syms[] = {
#define SYM(field) { "curl_" #field, offsetof(struct fng_curl, field) }
	SYM(global_init), SYM(easy_init), SYM(easy_setopt), SYM(easy_getinfo),
	SYM(easy_strerror), SYM(easy_cleanup), SYM(multi_init), SYM(multi_setopt),
	SYM(multi_add_handle), SYM(multi_remove_handle), SYM(multi_socket_action),
	SYM(multi_info_read), SYM(multi_assign), SYM(multi_strerror), SYM(multi_cleanup),
	SYM(slist_append), SYM(slist_free_all),
#undef SYM
};

int fng_curl_load(struct fng_curl *c, char *err, size_t errn)
{
	memset(c, 0, sizeof(*c));
	c->lib = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!c->lib) {
		snprintf(err, errn, "http:// and https:// sinks need libcurl (%s): %s", CURL_SONAME, dlerror());
		return -ENOENT;
	}
	for (size_t i = 0; i < sizeof(curl_syms) / sizeof(curl_syms[0]); i++) {
		void *fn = dlsym(c->lib, curl_syms[i].name);
		if (!fn) {
			snprintf(err, errn, "%s lacks %s: too old a libcurl", CURL_SONAME, curl_syms[i].name);
			fng_curl_unload(c);
			return -ENOSYS;
		}
		memcpy((char *)c + curl_syms[i].off, &fn, sizeof(fn));
	}
	if (c->global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(err, errn, "cannot initialise libcurl");
		fng_curl_unload(c);
		return -EIO;
	}
	return 0;
}

void fng_curl_unload(struct fng_curl *c)
{
	/* No curl_global_cleanup and no dlclose: libcurl's TLS back-ends keep
	 * thread-local and atexit state that must not outlive their code. */
	c->lib = NULL;
}
