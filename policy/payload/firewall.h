/* The input firewall ("input_firewall", docs/policy.md): its configuration
 * (loaded by policy/load/load_payload_in.c) and the inspection of one
 * invocation event: walk.c's leaves, minus the exception paths, through
 * detect.h's eight classes and the patterns_file rules (regexset.h). A
 * bound hit (walk limits, a regex match limit) is a finding of its own
 * ("limit") under the strongest mode. Pure. */
#ifndef FNG_PAYLOAD_FIREWALL_H
#define FNG_PAYLOAD_FIREWALL_H

#include "policy/payload/detect.h"
#include "policy/payload/payload.h"
#include "policy/payload/walk.h"
#include "policy/policy.h"

#include <stdbool.h>
#include <stddef.h>

/* The largest event the proxy holds to inspect: Lambda's 6 MB payload
 * limit, and a little for the response head. */
#define FNG_FW_MAX_EVENT (6u * 1024 * 1024 + 64 * 1024)

/* Inspecting an event allocates much and frees it all at the end (a 1 MB
 * event peaks near 14 MB: reader nodes, leaves, the memo). Returned to the kernel
 * after each event, that heap is faulted in again by the next one: most of
 * the cost. The process that inspects (supervisor/lambda/proxy_fw.c, and
 * bench/input_cost.c as it) keeps up to this much freed heap instead
 * (mallopt M_TRIM_THRESHOLD and M_MMAP_THRESHOLD): after a large event up
 * to 32 MiB more stays resident, reused by the next one. */
#define FNG_FW_HEAP_KEEP (32 << 20)

/* Findings reported per event (the verdict counts them all). */
#define FNG_FW_MAX_FINDINGS 16

struct fng_fw_cfg {
	enum fng_mode action;			/* the default; allow: off */
	enum fng_mode mode[FNG_FW_NCLASS];	/* per class (the default unless "classes" says) */
	char **exceptions;			/* JSON path patterns (walk.h) not inspected */
	size_t n_exceptions;
	struct fng_payload_cfg rules;		/* patterns_file / patterns (rules.rules), under action */
	struct fng_pwalk_limits lim;
};

struct fng_fw_finding {
	const char *cls;	/* a class name, "pattern" or "limit" */
	enum fng_mode mode;	/* what the policy says for it */
	char path[FNG_PWALK_PATH_MAX];
	char match[160];	/* the detector's reason, or the rule "ORIGIN: REGEX" */
	char excerpt[128];	/* redacted */
};

/* Called for each finding (up to FNG_FW_MAX_FINDINGS). */
typedef void (*fng_fw_finding_fn)(const struct fng_fw_finding *f, void *arg);

void fng_fw_cfg_init(struct fng_fw_cfg *c);
void fng_fw_cfg_free(struct fng_fw_cfg *c);
/* The strongest mode of the action and the classes: allow means off; a
 * bound hit takes it (fail closed when any class blocks). */
enum fng_mode fng_fw_cfg_top(const struct fng_fw_cfg *c);

/* Inspects one event body: the verdict (FNG_MODE_BLOCK when a finding's
 * mode is block, FNG_MODE_ALERT when one alerts, else FNG_MODE_ALLOW), or
 * -ENOMEM (callers fail closed). *n_findings counts every finding. */
int fng_fw_inspect(const struct fng_fw_cfg *c, const char *body, size_t len, fng_fw_finding_fn fn, void *arg,
		   size_t *n_findings);

#endif
