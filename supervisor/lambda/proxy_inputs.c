/* Confirmed attacks, the proxy's half: the body of each `next` answer is
 * gathered as it is relayed (bounded), walked into the invocation's input
 * values (policy/payload/walk.h, confirm.h) and handed to the tracer
 * (tracer/lambda.h) before the last byte of it reaches the runtime: the
 * runtime cannot act on an event whose values the tracer does not have yet. */
#include "supervisor/lambda/proxy_internal.h"
#include "policy/payload/confirm.h"
#include "policy/payload/walk.h"

#include <stdlib.h>
#include <string.h>

/* A body larger than this is not walked (the values are not handed over:
 * such an invocation has no confirmed findings; docs/policy.md). */
#define PX_INPUTS_BODY_MAX (1u << 20)

struct px_inputs {
	char *body;
	size_t len, cap;
	bool on, over;
};

void px_inputs_begin(struct px_conn *c, bool next_answer)
{
	if (!c->px->cfg.confirm_inputs)
		return;
	if (!c->inputs)
		c->inputs = calloc(1, sizeof(*c->inputs));
	if (!c->inputs)
		return;
	c->inputs->len = 0;
	c->inputs->over = false;
	c->inputs->on = next_answer;
	/* a new invocation: the last one's values are no longer current */
	if (next_answer)
		fng_lambda_put_inputs(c->px->cfg.state, NULL);
}

void px_inputs_body(struct px_conn *c, const char *at, size_t n)
{
	struct px_inputs *in = c->inputs;

	if (!in || !in->on || in->over)
		return;
	if (in->len + n > PX_INPUTS_BODY_MAX) {
		in->over = true;
		return;
	}
	if (in->len + n + 1 > in->cap) {
		size_t cap = in->cap ? in->cap : 4096;
		while (cap < in->len + n + 1)
			cap *= 2;
		char *b = realloc(in->body, cap);
		if (!b) {
			in->over = true;
			return;
		}
		in->body = b;
		in->cap = cap;
	}
	memcpy(in->body + in->len, at, n);
	in->len += n;
}

void px_inputs_end(struct px_conn *c)
{
	struct px_inputs *in = c->inputs;
	struct fng_pwalk_list l;

	if (!in || !in->on || in->over)
		return;
	in->on = false;
	if (fng_pwalk(in->body ? in->body : "", in->len, NULL, &l) < 0)
		return;
	struct fng_confirm_set *set = fng_confirm_set_build(&l, c->rs_id);
	fng_pwalk_free(&l);
	if (set)
		fng_lambda_put_inputs(c->px->cfg.state, set);
}

void px_inputs_free(struct px_conn *c)
{
	if (c->inputs)
		free(c->inputs->body);
	free(c->inputs);
}
