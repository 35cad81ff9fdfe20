/* The payload checks' part of the policy model (payload.h): freeing what
 * load_payload_out.c built. */
#include "policy/payload/payload.h"

#include <stdlib.h>

void fng_payload_cfg_free(struct fng_payload_cfg *c)
{
	if (!c)
		return;
	free(c->patterns_file);
	free(c->dir);
	fng_rx_free(&c->rules);
}

void fng_payload_policy_free(struct fng_policy *p)
{
	fng_payload_cfg_free(p->output_inspection);
	free(p->output_inspection);
	fng_payload_cfg_free(p->code_check);
	free(p->code_check);
}
