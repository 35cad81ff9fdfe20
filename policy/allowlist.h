/* The allowlist: what a function may read, write, execute and reach, as a
 * baseline capture learned it ("learned") plus a person's rules and
 * exclusions on top ("add", "remove"; removal wins). Pure: matching, and
 * building a profile from recorded activity (collapse.c, profile.c).
 * docs/policy.md "Allowlist" is the reference. */
#ifndef FNG_ALLOWLIST_H
#define FNG_ALLOWLIST_H

#include "logging/event.h"	/* enum fng_fn_phase */
#include "policy/policy.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fng_al_kind {
	FNG_AL_READ = 0,	/* files.read */
	FNG_AL_WRITE,		/* files.write (writing implies reading) */
	FNG_AL_EXEC,		/* exec: programs, optionally pinned to a build-id */
	FNG_AL_HOST,		/* hosts: "name", "*.suffix", "name:port" */
	FNG_AL_IP,		/* ips: "addr", "cidr", "addr:port" */
	FNG_AL_DNS,		/* dns: names looked up (recorded, compared; not enforced) */
	FNG_AL_KINDS,
};

struct fng_al_entry {
	char *text;			/* as written: pattern, program, host, address */
	bool init_only;			/* under "init": valid during initialisation only */
	struct fng_build_id id;		/* exec: len 0 = any build */
	struct fng_netrule net;		/* ips */
	struct fng_hostrule host;	/* hosts (host.name owned) */
};

struct fng_al_list {
	struct fng_al_entry *v;
	size_t n;
};

struct fng_al_set {
	struct fng_al_list k[FNG_AL_KINDS];
};

struct fng_allowlist {
	enum fng_mode mode;		/* block or alert (also p->mode[FNG_RULE_ALLOWLIST]) */
	struct fng_al_set learned, add, remove;
};

const char *fng_al_kind_name(enum fng_al_kind k);	/* "files.read", "exec", ... */

/* Glob over paths: '*' and '?' within one component, "**" as a whole
 * component for zero or more components (a trailing slash and "**" also
 * matches the directory itself). */
bool fng_glob_match(const char *pattern, const char *path);

/* Add one entry (parsed and checked). 0, -ENOMEM, or -EINVAL with why.
 * build_id: NULL or "HEX" (exec only). */
int fng_al_list_add(struct fng_al_list *l, enum fng_al_kind k, const char *text, bool init_only,
		    const char *build_id, const char **why);
void fng_al_set_free(struct fng_al_set *s);
void fng_allowlist_free(struct fng_allowlist *a);

/* Decisions. init: the function is initialising (or has no phases). */
bool fng_allow_file(const struct fng_allowlist *a, const char *path, bool write, bool init);
bool fng_allow_exec(const struct fng_allowlist *a, const char *path, const uint8_t *id, size_t idlen, bool init);
/* host: the name the address was looked up as, or NULL. */
bool fng_allow_net(const struct fng_allowlist *a, const uint8_t addr16[16], uint16_t port, const char *host,
		   bool init);

#endif
