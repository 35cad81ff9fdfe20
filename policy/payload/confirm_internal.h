/* The lexers (confirm_lex.c) and the value index (confirm_index.c) behind
 * confirmed attacks (confirm.c); not part of the policy API. */
#ifndef FNG_PAYLOAD_CONFIRM_INTERNAL_H
#define FNG_PAYLOAD_CONFIRM_INTERNAL_H

#include "policy/payload/confirm.h"

/* Marks per byte of an argument (confirm_lex.c). */
#define FNG_CONFIRM_MARK_SYN 1u	/* the byte adds syntax (shell) or code (interpreter) */
#define FNG_CONFIRM_MARK_CMD 2u	/* a shell command word starts here */

/* sh's reading of script (len bytes): marks[len]. */
void fng_confirm_sh_marks(const char *script, size_t len, uint8_t *marks);
/* Interpreter code: a value whose bytes hold a mark leaves its string literal. */
void fng_confirm_code_marks(const char *code, size_t len, uint8_t *marks);
int fng_confirm_norm(const char *p, size_t len, char *out, size_t n);
bool fng_confirm_under(const char *d, const char *p);

/* A hash multimap, 64-bit key -> 32-bit values (confirm_index.c). */
struct fng_cmap_e {
	uint64_t key;
	uint32_t val, next;	/* next: index + 1 of the next entry of the bucket */
};
struct fng_cmap {
	uint32_t *head;		/* buckets: index + 1 into e */
	struct fng_cmap_e *e;
	size_t n, cap, ecap;
};

/* Every value in one Aho-Corasick automaton; node 0 is the root. A node's
 * out is the node of the longest value ending there (itself when it ends a
 * value), outw the same among values that can name a command. */
struct fng_confirm_ac {
	uint32_t n, cap;
	uint32_t *pb;		/* parent << 8 | byte (while building) */
	uint32_t *fail, *out, *outw;
	uint32_t *val;		/* index + 1 of the value a node ends, 0 none */
	uint32_t *edge;		/* open addressing: (key + 1, child) pairs, ecap slots */
	size_t en, ecap;
	size_t *mem;		/* bytes held, counted against FNG_CONFIRM_MEM_MAX */
};

/* A set's index: the automaton over values up to FNG_CONFIRM_ARG_MAX bytes,
 * climbing values by the name they reach, every value by the host it names. */
struct fng_confirm_ix {
	struct fng_confirm_ac ac;
	struct fng_cmap tails;	/* fng_confirm_tail_hash of the name -> value */
	struct fng_cmap hosts;	/* fng_confirm_host_key -> value */
	uint32_t *tail_at;	/* value -> offset + 1 of its name in tail, 0 none */
	char *tail;
	size_t tail_len, tail_cap;
	char *arena;		/* values and their paths */
	size_t mem;
};

/* A name hashed from its last byte to its first, so that a path's every
 * suffix is hashed in one backward pass (confirm.c). */
uint64_t fng_confirm_tail_hash(uint64_t h_after, uint8_t c);
/* Indexes value i by the host it names (confirm_net.c); 0 or -ENOMEM. */
int fng_confirm_hosts_add(struct fng_confirm_set *s, uint32_t i);

uint64_t fng_cmap_hash(const void *p, size_t len, uint64_t seed);
int fng_cmap_add(struct fng_cmap *m, uint64_t key, uint32_t val, size_t *mem);
/* Index + 1 of the first entry of key, 0 none; fng_cmap_next the one after. */
uint32_t fng_cmap_first(const struct fng_cmap *m, uint64_t key);
uint32_t fng_cmap_next(const struct fng_cmap *m, uint32_t at);
void fng_cmap_free(struct fng_cmap *m);

/* Adds value idx (len bytes); words: it may name a command. 0 or -ENOMEM. */
int fng_confirm_ac_add(struct fng_confirm_ac *ac, const char *v, size_t len, uint32_t idx);
/* Fail and out links, once every value is in; 0 or -ENOMEM. */
int fng_confirm_ac_finish(struct fng_confirm_ac *ac, const bool *words);
uint32_t fng_confirm_ac_step(const struct fng_confirm_ac *ac, uint32_t s, uint8_t c);
void fng_confirm_ac_free(struct fng_confirm_ac *ac);

#endif
