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

/* Lambda's largest request payload (6 MB) and room for the envelope; a
 * larger body is not walked, and the tracer is handed an incomplete set:
 * every call the check inspects is refused (docs/policy.md). */
#define PX_INPUTS_BODY_MAX (7u << 20)

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

/* Every leaf of a body within the bound: each takes at least one byte of
 * it, nested and decoded layers included (the walk's bytes bound is the
 * body's times its decoded layers). */
void px_inputs_end(struct px_conn *c)
{
	struct px_inputs *in = c->inputs;
	struct fng_pwalk_list l;
	struct fng_pwalk_limits lim = { FNG_PWALK_DEPTH, PX_INPUTS_BODY_MAX, 4 * (size_t)PX_INPUTS_BODY_MAX };
	struct fng_confirm_set *set;

	if (!in || !in->on)
		return;
	in->on = false;
	if (in->over)
		set = fng_confirm_set_untracked(c->rs_id, "the event could not be gathered whole: over 7 MiB, or no memory");
	else if (fng_pwalk(in->body ? in->body : "", in->len, &lim, &l) < 0)
		set = fng_confirm_set_untracked(c->rs_id, "no memory to read the event");
	else {
		set = fng_confirm_set_build(&l, c->rs_id);
		fng_pwalk_free(&l);
	}
	/* NULL (not even a small block): the last invocation's set was
	 * cleared at the answer's start; the tracer knows none is current */
	if (set)
		fng_lambda_put_inputs(c->px->cfg.state, set);
}

void px_inputs_free(struct px_conn *c)
{
	if (c->inputs)
		free(c->inputs->body);
	free(c->inputs);
}
