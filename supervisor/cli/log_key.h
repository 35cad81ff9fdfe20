/* The key that seals event lines (docs/events.md "Sealed lines"):
 * `run --log-key FILE`, or $FNGUARD_LOG_KEY. */
#ifndef FNG_LOG_KEY_H
#define FNG_LOG_KEY_H

#include "logging/format/seal.h"

#include <stddef.h>
#include <stdint.h>

/* Read the key from file (when not NULL) or $FNGUARD_LOG_KEY into key
 * (*len bytes; 0 when neither is set). The variable is wiped and removed
 * whichever was used, so the runtime never inherits it. A key of the wrong
 * size or an unreadable file: one line, exit 2. */
void fng_cli_log_key(const char *file, uint8_t key[FNG_SEAL_KEY_MAX], size_t *len);
/* Wipe and remove $FNGUARD_LOG_KEY unused: the commands that do not seal
 * (trace, baseline, policy) so that what they run never inherits it. */
void fng_cli_log_key_drop(void);

#endif
