/* libcurl, loaded when an http:// or https:// sink is configured and not
 * before. libcurl brings ~30 shared libraries (TLS, Kerberos, LDAP, ...):
 * linking it would make every fnguard start map and relocate them, for the
 * few deployments that post events over HTTP. The header still comes from
 * libcurl's -dev package; the library is found at run time (libcurl.so.4). */
#ifndef FNG_CURL_DL_H
#define FNG_CURL_DL_H

#include <curl/curl.h>
#include <stddef.h>

struct fng_curl {
	void *lib;		/* dlopen handle, NULL until loaded */
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *easy, CURLoption opt, ...);
	CURLcode (*easy_getinfo)(CURL *easy, CURLINFO info, ...);
	const char *(*easy_strerror)(CURLcode rc);
	void (*easy_cleanup)(CURL *easy);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_setopt)(CURLM *multi, CURLMoption opt, ...);
	CURLMcode (*multi_add_handle)(CURLM *multi, CURL *easy);
	CURLMcode (*multi_remove_handle)(CURLM *multi, CURL *easy);
	CURLMcode (*multi_socket_action)(CURLM *multi, curl_socket_t fd, int ev_bitmask, int *running);
	CURLMsg *(*multi_info_read)(CURLM *multi, int *left);
	CURLMcode (*multi_assign)(CURLM *multi, curl_socket_t fd, void *p);
	const char *(*multi_strerror)(CURLMcode rc);
	CURLMcode (*multi_cleanup)(CURLM *multi);
	struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
	void (*slist_free_all)(struct curl_slist *list);
};

/* dlopen libcurl.so.4, resolve what the HTTP sink calls and run its global
 * set-up. 0, or -errno with a one-line reason in err. Main thread only,
 * before the logging thread starts (curl_global_init is not thread-safe). */
int fng_curl_load(struct fng_curl *c, char *err, size_t errn);
void fng_curl_unload(struct fng_curl *c);

#endif
