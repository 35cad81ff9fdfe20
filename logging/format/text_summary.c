/* fnguard trace's summary, a security `strace -c`: calls per class and
 * decision, the files, hosts and programs seen most, and what was blocked,
 * alerted or would be blocked, by rule and target. Memory is bounded:
 * each table keeps FNG_SUMMARY_KEYS names with exact counts. When it is full,
 * a new name takes the place of the oldest name seen only once (whose call
 * is then counted as "not kept"), so a name that turns hot late, after the
 * startup's hundreds of one-off library opens, still gets its line; if every
 * kept name was seen twice or more, the new call is the one not kept.
 * Logging thread only. */
#include "logging/format/text.h"
#include "common/utf8.h"
#include "common/util.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum { D_ALLOWED, D_WOULD, D_ALERTED, D_BLOCKED, D_KILLED, D_COUNT };

struct entry {
	uint64_t n;
	char name[256];
};

struct table {
	struct entry e[FNG_SUMMARY_KEYS];
	size_t used;
	uint64_t more_calls;	/* calls whose name is not kept */
	size_t cursor;		/* where the search for a name seen once resumes */
};

struct fng_summary {
	uint64_t counts[FNG_TEXT_NCLASSES][D_COUNT];
	struct table files, hosts, programs;
	struct table decided;	/* "blocked read_write_tmp /tmp/x": what was not simply allowed */
};

struct fng_summary *fng_summary_new(void)
{
	return calloc(1, sizeof(struct fng_summary));
}

void fng_summary_free(struct fng_summary *s)
{
	free(s);
}

static int decision_of(const struct fng_event *ev)
{
	switch (ev->action) {
	case FNG_ACT_BLOCKED: return D_BLOCKED;
	case FNG_ACT_KILLED: return D_KILLED;
	case FNG_ACT_ALERTED: return D_ALERTED;
	default: return ev->would == FNG_ACT_BLOCKED ? D_WOULD : D_ALLOWED;
	}
}

static void count(struct table *t, const char *name)
{
	if (!name[0])
		return;
	for (size_t i = 0; i < t->used; i++)
		if (strcmp(t->e[i].name, name) == 0) {
			t->e[i].n++;
			return;
		}
	if (t->used == FNG_SUMMARY_KEYS) {
		t->more_calls++;
		for (size_t k = 0; k < FNG_SUMMARY_KEYS; k++) {
			struct entry *e = &t->e[(t->cursor + k) % FNG_SUMMARY_KEYS];
			if (e->n == 1) {
				t->cursor = (t->cursor + k + 1) % FNG_SUMMARY_KEYS;
				fng_strlcpy(e->name, name, sizeof(e->name));
				return;
			}
		}
		return;
	}
	fng_strlcpy(t->e[t->used].name, name, sizeof(t->e[0].name));
	t->e[t->used++].n = 1;
}

/* "blocked read_write_tmp /tmp/x" for the table of decisions. */
static void count_decision(struct fng_summary *s, const struct fng_event *ev, int d, const char *target)
{
	static const char *const verdicts[D_COUNT] = {
		[D_WOULD] = "would-block", [D_ALERTED] = "alerted", [D_BLOCKED] = "blocked", [D_KILLED] = "killed",
	};
	char key[sizeof(s->decided.e[0].name)];

	if (d == D_ALLOWED)
		return;
	snprintf(key, sizeof(key), "%s %s %s", verdicts[d], ev->rule[0] ? ev->rule : "fnguard", target);
	count(&s->decided, key);
}

void fng_summary_add(struct fng_summary *s, const struct fng_event *ev, uint32_t cls)
{
	char host[320];

	if (!cls)
		return;
	s->counts[__builtin_ctz(cls)][decision_of(ev)]++;
	count_decision(s, ev, decision_of(ev), ev->type == FNG_EV_NETWORK || ev->type == FNG_EV_DNS
						       ? (ev->host[0] ? ev->host : ev->ip) : ev->path);
	switch (ev->type) {
	case FNG_EV_FILE:
		count(&s->files, ev->path);
		break;
	case FNG_EV_PROCESS:
		count(&s->programs, ev->path);
		break;
	case FNG_EV_NETWORK:
		if (!ev->ip[0])
			break;
		if (ev->host[0] && strcmp(ev->host, ev->ip) != 0)
			snprintf(host, sizeof(host), "%s (%s):%u", ev->host, ev->ip, ev->port);
		else
			snprintf(host, sizeof(host), strchr(ev->ip, ':') ? "[%s]:%u" : "%s:%u", ev->ip, ev->port);
		count(&s->hosts, host);
		break;
	default:
		break;
	}
}

static int by_count(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->name, y->name);
}

static void print_table(FILE *f, const char *title, const struct table *t)
{
	struct entry *sorted;
	size_t shown;
	uint64_t rest_calls = 0;

	if (!t->used)
		return;
	sorted = malloc(t->used * sizeof(*sorted));
	if (!sorted)
		return;
	memcpy(sorted, t->e, t->used * sizeof(*sorted));
	qsort(sorted, t->used, sizeof(*sorted), by_count);
	shown = t->used < FNG_SUMMARY_TOP ? t->used : FNG_SUMMARY_TOP;
	fprintf(f, "%s:\n", title);
	for (size_t i = 0; i < shown; i++) {
		fprintf(f, "%9" PRIu64 "  ", sorted[i].n);
		fng_utf8_put_escaped(f, sorted[i].name, SIZE_MAX);
		fputc('\n', f);
	}
	for (size_t i = shown; i < t->used; i++)
		rest_calls += sorted[i].n;
	if (t->used > shown)
		fprintf(f, "%9" PRIu64 "  (%zu more)\n", rest_calls, t->used - shown);
	if (t->more_calls)
		fprintf(f, "%9" PRIu64 "  (calls to names not kept: %d at most are)\n", t->more_calls, FNG_SUMMARY_KEYS);
	free(sorted);
}

void fng_summary_print(const struct fng_summary *s, FILE *f, bool decisions)
{
	static const char *const classes[FNG_TEXT_NCLASSES] = { "file", "net", "process", "dns" };
	uint64_t total[D_COUNT + 1] = { 0 };

	fprintf(f, "%-9s %9s %11s %9s %9s %9s %9s\n", "class", "allowed", "would-block", "alerted", "blocked",
		"killed", "total");
	for (unsigned c = 0; c < FNG_TEXT_NCLASSES; c++) {
		uint64_t sum = 0;
		for (unsigned d = 0; d < D_COUNT; d++) {
			sum += s->counts[c][d];
			total[d] += s->counts[c][d];
		}
		total[D_COUNT] += sum;
		fprintf(f, "%-9s %9" PRIu64 " %11" PRIu64 " %9" PRIu64 " %9" PRIu64 " %9" PRIu64 " %9" PRIu64 "\n",
			classes[c], s->counts[c][D_ALLOWED], s->counts[c][D_WOULD], s->counts[c][D_ALERTED],
			s->counts[c][D_BLOCKED], s->counts[c][D_KILLED], sum);
	}
	fprintf(f, "%-9s %9" PRIu64 " %11" PRIu64 " %9" PRIu64 " %9" PRIu64 " %9" PRIu64 " %9" PRIu64 "\n", "total",
		total[D_ALLOWED], total[D_WOULD], total[D_ALERTED], total[D_BLOCKED], total[D_KILLED], total[D_COUNT]);
	print_table(f, "files", &s->files);
	print_table(f, "hosts", &s->hosts);
	print_table(f, "programs", &s->programs);
	if (decisions)
		print_table(f, "not allowed, by rule and target", &s->decided);
}
