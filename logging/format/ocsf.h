/* OCSF 1.1.0 output (--log-format ocsf): blocked, alerted and killed calls
 * are Detection Findings (2004); other call events are File System Activity
 * (1001), Process Activity (1007), Network Activity (4001) or DNS Activity
 * (4003); fnguard's own lifecycle is Application Lifecycle (6002).
 * docs/events.md has the mapping and one example per type. */
#ifndef FNG_OCSF_H
#define FNG_OCSF_H

#include "logging/format/format.h"

#define FNG_OCSF_VERSION "1.1.0"

struct fng_ocsf_ctx {
	char hostname[256];
	char run_id[33];	/* random, per fnguard run: finding and metadata uids */
	uint64_t seq;
};

void fng_ocsf_ctx_init(struct fng_ocsf_ctx *c);
int fng_ocsf_event(const struct fng_event *ev, const struct fng_function_info *fi, struct fng_ocsf_ctx *c,
		   char **out, size_t *len);
int fng_ocsf_exit(const struct fng_exit_info *xi, const struct fng_function_info *fi, struct fng_ocsf_ctx *c,
		  char **out, size_t *len);
int fng_ocsf_loss(const struct fng_loss_info *li, uint64_t time_ns, const struct fng_function_info *fi,
		  struct fng_ocsf_ctx *c, char **out, size_t *len);

#endif
