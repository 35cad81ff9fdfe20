/* The policy model: what the four FunctionShield rules say, their exceptions,
 * and the settings around them. Pure data; loading is in load.c, decisions in
 * decide.c. Nothing here does ptrace or I/O beyond reading the policy file. */
#ifndef FNG_POLICY_H
#define FNG_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fng_mode {
	FNG_MODE_ALLOW = 0,
	FNG_MODE_ALERT = 1,
	FNG_MODE_BLOCK = 2,
};

enum fng_rule {
	FNG_RULE_OUTBOUND = 0,	/* outbound_connectivity */
	FNG_RULE_TMP,		/* read_write_tmp */
	FNG_RULE_CHILD,		/* create_child_process */
	FNG_RULE_HANDLER,	/* read_handler */
	FNG_RULE_ALLOWLIST,	/* "allowlist" (allowlist.h): not one of FunctionShield's four */
	FNG_RULE_COUNT,
	FNG_RULE_NONE = FNG_RULE_COUNT,
};

/* What a block does beyond failing the call ("lambda": {"on_block": ...}). */
enum fng_on_block {
	FNG_ON_BLOCK_FAIL_CALL = 0,	/* the call fails with EACCES (default) */
	FNG_ON_BLOCK_FAIL_INVOCATION,	/* ... and the invocation is reported failed, Function.SecurityViolation */
	FNG_ON_BLOCK_KILL,		/* the runtime is killed, as FunctionShield's block did */
};

/* When a rule applies ("lambda": {"phases": {RULE: ...}}). */
enum fng_phase {
	FNG_PHASE_ALWAYS = 0,
	FNG_PHASE_INIT,		/* until the first GET .../invocation/next */
	FNG_PHASE_INVOKE,	/* from then on */
};

enum fng_on_unsupported {
	FNG_UNSUPPORTED_FAIL = 0,	/* refuse to start, exit 125 (default) */
	FNG_UNSUPPORTED_RUN,		/* exec the runtime unprotected, loud event */
};

/* An IP network with an optional port: 10.0.0.0/8, 192.0.2.7:443, [2001:db8::1]:443.
 * IPv4 is stored as an IPv4-mapped IPv6 address (::ffff:a.b.c.d) with prefix+96,
 * so one comparison serves both families and mapped addresses. */
struct fng_netrule {
	uint8_t addr[16];
	uint8_t prefix;		/* 0..128 over the 16-byte form */
	uint16_t port;		/* 0 = any port */
};

/* A host-name exception: "api.example.com", "*.example.com" (subdomains on
 * whole labels, never the bare domain, never a substring), optional port. */
struct fng_hostrule {
	char *name;		/* lower case, without "*." or a trailing dot */
	bool wildcard;
	uint16_t port;		/* 0 = any port */
};

#define FNG_POLICY_BUILD_ID_MAX 32	/* bytes */

/* A GNU build-id (NT_GNU_BUILD_ID), as readelf -n prints it in hex. */
struct fng_build_id {
	uint8_t len;
	uint8_t id[FNG_POLICY_BUILD_ID_MAX];
};

struct fng_allowlist;
struct fng_payload_cfg;
struct fng_fw_cfg;

struct fng_policy {
	enum fng_mode mode[FNG_RULE_COUNT];	/* [FNG_RULE_ALLOWLIST]: allow when there is none */
	struct fng_allowlist *allow;		/* "allowlist", or NULL */

	struct fng_netrule *net_allow;	/* outbound exceptions: IPs and CIDRs */
	size_t n_net_allow;
	struct fng_hostrule *host_allow;	/* outbound exceptions naming hosts */
	size_t n_host_allow;
	bool aws;			/* "aws" was listed: fng_aws_domains are in host_allow */
	char *aws_ip_ranges;		/* a copy of AWS's ip-ranges.json, as named */
	bool judge_loopback;		/* "loopback": "judge": 127/8 and ::1 are not exempt */
	struct fng_netrule *resolvers;	/* DNS servers trusted for names; none: /etc/resolv.conf */
	size_t n_resolvers;
	bool log_dns;			/* a dns event per answer the function received */

	char **exec_allow_paths;	/* create_child_process exceptions: absolute paths */
	size_t n_exec_allow_paths;
	struct fng_build_id *exec_allow_ids;	/* ... and "build-id:HEX" */
	size_t n_exec_allow_ids;

	char *tmp_root;			/* default "/tmp" */
	bool no_jvm_perfdata;		/* read_write_tmp "jvm_perfdata": false (policy/jvmperf.h) */
	bool exec_mem_block;		/* "executable_memory": "block" (docs/policy.md); default allow */
	enum fng_mode confirmed;	/* "confirmed_attacks" (policy/payload/confirm.h); default allow */
	char **handler_paths;		/* explicit handler files; else from _HANDLER */
	size_t n_handler_paths;
	char *api_endpoint;		/* Iron Function's remote event collector: an HTTP sink */

	/* "events": where and how events go (docs/policy.md). Zero: not set. */
	char **event_sinks;		/* log destinations, as --log takes them */
	size_t n_event_sinks;
	int event_format;		/* 0 unset, else enum fng_log_format + 1 */
	bool has_flush_timeout;
	unsigned flush_timeout_ms;
	enum fng_on_unsupported on_unsupported;

	/* "lambda": the Runtime API proxy and what a block does (load_lambda.c). */
	bool no_proxy;			/* "proxy": false */
	enum fng_on_block on_block;
	uint8_t phase[FNG_RULE_COUNT];	/* enum fng_phase */

	/* "output_inspection", "code_check" (policy/payload/payload.h), or NULL. */
	struct fng_payload_cfg *output_inspection, *code_check;
	struct fng_fw_cfg *input_firewall;	/* policy/payload/firewall.h, or NULL */

	/* Human-readable notices produced while loading (ignored keys ...). */
	char **notices;
	size_t n_notices;
};

const char *fng_mode_name(enum fng_mode m);
const char *fng_rule_name(enum fng_rule r);
int fng_mode_parse(const char *s, enum fng_mode *out);

/* The embedded default: the FunctionShield four, all block. */
int fng_policy_default(struct fng_policy *p);
void fng_policy_free(struct fng_policy *p);

/* Loading. On error returns -EINVAL (-EFBIG: over FNG_POLICY_MAX_BYTES) and
 * fills err with "FILE:LINE:COL: message" (one line, no newline). */
#define FNG_POLICY_MAX_BYTES (4u << 20)
struct fng_policy_error {
	char msg[512];
};
int fng_policy_load_file(const char *path, struct fng_policy *p, struct fng_policy_error *err);
/* text[len] must be readable and NUL (json-c is handed len + 1 bytes). */
int fng_policy_load_buffer(const char *name, const char *text, size_t len,
			   struct fng_policy *p, struct fng_policy_error *err);

/* Parse one network exception: "1.2.3.4", "10.0.0.0/8", "1.2.3.4:443",
 * "10.0.0.0/8:5432", "::1", "[2001:db8::1]:443", "2001:db8::/32".
 * Returns 0, -EINVAL when the entry is not an address (maybe a host name),
 * or -ERANGE with a message in why when it looks like an address but is wrong. */
int fng_netrule_parse(const char *s, struct fng_netrule *out, const char **why);
bool fng_netrule_match(const struct fng_netrule *r, const uint8_t addr16[16], uint16_t port);
/* Is every address and port inner matches (a network, port 0: any) inside outer? */
bool fng_netrule_covers(const struct fng_netrule *outer, const struct fng_netrule *inner);

/* Host-name exceptions (hosts.c). parse: 0, -EINVAL with why, -ENOMEM. */
extern const char *const fng_aws_domains[];	/* NULL-terminated */
int fng_hostrule_parse(const char *s, struct fng_hostrule *out, const char **why);
bool fng_hostrule_match(const struct fng_hostrule *r, const char *host, uint16_t port);
/* Does outer match every name and port inner matches (port 0: any)? */
bool fng_hostrule_covers(const struct fng_hostrule *outer, const struct fng_hostrule *inner);
bool fng_policy_host_allowed(const struct fng_policy *p, const char *host, uint16_t port);
void fng_hostrules_free(struct fng_hostrule *v, size_t n);

/* The AMAZON prefixes of an ip-ranges.json text, minus every prefix that
 * overlaps an EC2 one (EC2 addresses belong to anyone). Appends to *rules.
 * 0, or -EINVAL with a message in why (static text). */
int fng_aws_ranges_parse(const char *text, size_t len, struct fng_netrule **rules, size_t *n, const char **why);
/* "build-id:" followed by 2 to 64 hex digits (an even number). 0 or -EINVAL. */
int fng_build_id_parse(const char *s, struct fng_build_id *out);
/* Is this build-id a create_child_process exception? */
bool fng_policy_exec_id_allowed(const struct fng_policy *p, const uint8_t *id, size_t len);

/* Does the rule set's exceptions let addr:port through? */
bool fng_policy_net_allowed(const struct fng_policy *p, const uint8_t addr16[16], uint16_t port);

/* Addresses: helpers to bring sockaddr values into the 16-byte form. */
void fng_addr_from_v4(uint8_t out[16], const void *in_addr4);
bool fng_addr_is_loopback(const uint8_t addr16[16]);
bool fng_addr_is_v4mapped(const uint8_t addr16[16]);
/* Text form for events: "192.0.2.1" or "2001:db8::1". */
void fng_addr_format(const uint8_t addr16[16], char *buf, size_t n);
/* A network exception as the policy would write it: "10.0.0.0/8:5432",
 * "[2001:db8::1]:443". n >= 64 always fits. */
void fng_netrule_format(const struct fng_netrule *r, char *buf, size_t n);

/* The "lambda" section's names (load_lambda.c, which loads it). */
const char *fng_on_block_name(enum fng_on_block b);
int fng_on_block_parse(const char *s, enum fng_on_block *out);
const char *fng_phase_name(enum fng_phase ph);
/* The policy as it applies in one phase: rules scoped to the other phase
 * are allow. A shallow copy: it shares p's lists and must not be freed. */
void fng_policy_for_phase(const struct fng_policy *p, enum fng_phase ph, struct fng_policy *out);

/* A short one-line summary of the effective policy, for the start event. */
void fng_policy_summary(const struct fng_policy *p, char *buf, size_t n);

/* Is any rule that watches files (tmp, handler, allowlist) active? */
static inline bool fng_policy_watches_files(const struct fng_policy *p)
{
	return p->mode[FNG_RULE_TMP] != FNG_MODE_ALLOW || p->mode[FNG_RULE_HANDLER] != FNG_MODE_ALLOW ||
	       p->mode[FNG_RULE_ALLOWLIST] != FNG_MODE_ALLOW;
}

/* Does the policy watch anything at all? ({} does not: every rule is allow.) */
static inline bool fng_policy_enforces(const struct fng_policy *p)
{
	for (int r = 0; r < FNG_RULE_COUNT; r++)
		if (p->mode[r] != FNG_MODE_ALLOW)
			return true;
	return p->exec_mem_block;
}

#endif
