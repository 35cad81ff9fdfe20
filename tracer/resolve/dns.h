/* DNS awareness: which host name an address came from. The tracer peeks at
 * the answers the function's own lookups receive from a trusted resolver
 * (before the function reads them) and remembers address -> name, so a
 * host-name exception applies to the addresses the function really got
 * (round-robin DNS, CDNs). The supervisor's own lookup of exact names is the
 * fallback (resolvers fnguard cannot watch: Go's pure-Go resolver reads with
 * read(2), DNS over TCP), made off the tracer thread by hostres.h and
 * remembered here. Nothing here does ptrace. */
#ifndef FNG_DNS_H
#define FNG_DNS_H

#include "policy/policy.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define FNG_DNS_SLOTS 4096	/* remembered addresses (power of two) */
#define FNG_DNS_PROBE 8
#define FNG_DNS_SOCKS 64	/* sockets a lookup was seen on */
#define FNG_DNS_MAX_RESOLVERS 8
#define FNG_DNS_MAX_ANSWERS 16
#define FNG_DNS_MSG_MAX 65536

struct fng_dns_slot {
	uint8_t addr[16];
	uint64_t stamp;		/* 0: free */
	char *name;		/* the name the function looked up; one slot per (addr, name) */
};

struct fng_dns {
	struct fng_dns_slot *slots;
	uint64_t clock;
	struct fng_netrule resolvers[FNG_DNS_MAX_RESOLVERS];
	size_t n_resolvers;
	struct {
		pid_t tgid;
		int fd;
	} socks[FNG_DNS_SOCKS];
	unsigned next_sock;
	uint8_t *buf;		/* FNG_DNS_MSG_MAX bytes for a peeked answer */
};

/* What one DNS response says (pure parse). */
struct fng_dns_answer {
	char name[256];		/* the question: what was looked up */
	char qtype[12];		/* "A", "AAAA", or the number */
	uint8_t addrs[FNG_DNS_MAX_ANSWERS][16];
	size_t n_addrs;
};

/* Resolvers from the policy, else the nameserver lines of resolv_conf. */
int fng_dns_init(struct fng_dns *d, const struct fng_policy *p, const char *resolv_conf);
void fng_dns_free(struct fng_dns *d);

bool fng_dns_is_resolver(const struct fng_dns *d, const uint8_t addr[16]);
void fng_dns_remember(struct fng_dns *d, const uint8_t addr[16], const char *name);
/* A name addr was looked up as, or NULL. Several names can share an
 * address (CDNs): *allowed says whether any of them is a host exception for
 * port, and that one is returned; else the most recently learned one. */
const char *fng_dns_lookup(const struct fng_dns *d, const uint8_t addr[16], const struct fng_policy *p,
			   uint16_t port, bool *allowed);

/* Sockets a process sent a lookup on; only those are peeked at. */
void fng_dns_watch(struct fng_dns *d, pid_t tgid, int fd);
bool fng_dns_watched(const struct fng_dns *d, pid_t tgid, int fd);

/* Parse a response (QR set, one question). Addresses are those of A/AAAA
 * records on the question's CNAME chain only. Names are read as octets; a
 * question that is not a host name (a label byte other than a letter, digit,
 * '-' or '_'; over 255 octets; the root) is -EINVAL, as is an unreadable
 * message: nothing to learn. A CNAME target that is not a host name, or an
 * answer section not readable whole, leaves no address. 0 or -EINVAL. */
int fng_dns_parse(const uint8_t *msg, size_t len, struct fng_dns_answer *out);
/* Remember every address of a parsed answer. */
void fng_dns_learn(struct fng_dns *d, const struct fng_dns_answer *a);

/* The fallback (hostres.h) resolves the policy's exact host names again
 * every FNG_DNS_FALLBACK_S seconds. */
#define FNG_DNS_FALLBACK_S 30

#endif
