/* Other tools' event shapes (docs/events.md): Falco's alert JSON
 * (--log-format falco, for falcosidekick and what reads Falco) and Iron
 * Function's event (what its api_endpoint receivers expect). Runs on the
 * logging thread. */
#ifndef FNG_DROPIN_H
#define FNG_DROPIN_H

#include "logging/format/format.h"

#include <stddef.h>
#include <stdint.h>

/* Looked up once or on a change: the host name, the last uid's user name. */
struct fng_dropin_ctx {
	char hostname[256];
	int32_t uid;		/* -1: user unset */
	char user[64];
};

void fng_dropin_init(struct fng_dropin_ctx *c);

/* One Falco alert object plus '\n'. severity: syslog's (0..7), which is
 * Falco's priority order (Emergency .. Debug). 0 or -ENOMEM. */
int fng_dropin_falco_event(struct fng_dropin_ctx *c, const struct fng_event *ev, uint8_t severity,
			   char **out, size_t *len);
int fng_dropin_falco_exit(struct fng_dropin_ctx *c, const struct fng_exit_info *xi, char **out, size_t *len);
int fng_dropin_falco_loss(struct fng_dropin_ctx *c, const struct fng_loss_info *li, char **out, size_t *len);

/* One Iron Function event object plus '\n'; 1 (no line) for events Iron
 * Function has no counterpart of (lifecycle, allowed calls). */
int fng_dropin_iron_event(struct fng_dropin_ctx *c, const struct fng_event *ev, char **out, size_t *len);

#endif
