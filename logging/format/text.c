/* fnguard trace's lines. One event is one line (its stack, if shown, follows
 * on indented lines of the same write), so several processes interleave
 * without ever splitting a line:
 *
 *   0.004211 [pid  4242] openat("/tmp/x", write|create) would block: read_write_tmp
 *   0.005002 [pid  4243] execve("/bin/echo", ["echo", "hi"]) allowed
 *   0.006113 [pid  4242] connect(127.0.0.1:8080, tcp) = -1 EACCES blocked: outbound_connectivity
 *
 * Events are made when the call is decided, before it runs: a line has a
 * result only when fnguard failed the call. */
#include "logging/format/text.h"
#include "common/util.h"
#include "common/utf8.h"

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

struct fng_text {
	struct fng_text_opts o;
	uint64_t t0;		/* the first event's time: times are relative to it */
	struct fng_summary *sum;
};

static const struct {
	const char *name;
	uint32_t bit;
} class_names[] = {
	{ "file", FNG_TEXT_CLASS_FILE },
	{ "net", FNG_TEXT_CLASS_NET },
	{ "network", FNG_TEXT_CLASS_NET },
	{ "process", FNG_TEXT_CLASS_PROCESS },
	{ "dns", FNG_TEXT_CLASS_DNS },
};

uint32_t fng_text_class_parse(const char *name)
{
	for (size_t i = 0; i < FNG_ARRAY_LEN(class_names); i++)
		if (strcmp(class_names[i].name, name) == 0)
			return class_names[i].bit;
	return 0;
}

uint32_t fng_text_class_of(const struct fng_event *ev)
{
	switch (ev->type) {
	case FNG_EV_FILE: return FNG_TEXT_CLASS_FILE;
	case FNG_EV_NETWORK: return FNG_TEXT_CLASS_NET;
	case FNG_EV_PROCESS: return FNG_TEXT_CLASS_PROCESS;
	case FNG_EV_DNS: return FNG_TEXT_CLASS_DNS;
	default: return 0;
	}
}

struct fng_text *fng_text_new(const struct fng_text_opts *o)
{
	autofree struct fng_text *tx = calloc(1, sizeof(*tx));

	if (!tx)
		return NULL;
	tx->o = *o;
	tx->sum = fng_summary_new();
	if (!tx->sum)
		return NULL;
	return fng_steal_ptr(&tx);
}

void fng_text_free(struct fng_text *tx)
{
	if (!tx)
		return;
	fng_summary_free(tx->sum);
	free(tx);
}

static void put_quoted(FILE *f, const char *s, size_t max)
{
	fputc('"', f);
	fng_utf8_put_escaped(f, s, max);
	fputc('"', f);
}

static void put_access(FILE *f, uint8_t a)
{
	static const char *const names[] = { "read", "write", "create" };
	const char *sep = ", ";

	for (unsigned i = 0; i < 3; i++)
		if (a & (1u << i)) {
			fprintf(f, "%s%s", sep, names[i]);
			sep = "|";
		}
}

static void put_list(FILE *f, const struct fng_event *ev, const char *sep)
{
	const char *a = ev->argv, *end = ev->argv + sizeof(ev->argv);

	for (unsigned i = 0; i < ev->argc && a < end; i++) {
		size_t n = strnlen(a, (size_t)(end - a));
		fputs(i ? sep : "", f);
		put_quoted(f, a, n);
		a += n + 1;
	}
}

static void put_addr(FILE *f, const struct fng_event *ev)
{
	if (strchr(ev->ip, ':'))
		fprintf(f, "[%s]:%u", ev->ip, ev->port);
	else
		fprintf(f, "%s:%u", ev->ip, ev->port);
	if (ev->host[0] && strcmp(ev->host, ev->ip) != 0) {
		fputc(' ', f);
		put_quoted(f, ev->host, sizeof(ev->host));
	}
}

/* The call and its decoded arguments. */
static void put_call(FILE *f, const struct fng_event *ev)
{
	fprintf(f, "%s(", ev->syscall[0] ? ev->syscall : "?");
	switch (ev->type) {
	case FNG_EV_FILE:
		if (ev->path[0])
			put_quoted(f, ev->path, sizeof(ev->path));
		if (ev->path2[0]) {
			fputs(", ", f);
			put_quoted(f, ev->path2, sizeof(ev->path2));
		}
		put_access(f, ev->access);
		break;
	case FNG_EV_PROCESS:
		if (ev->path[0])
			put_quoted(f, ev->path, sizeof(ev->path));
		if (ev->argc) {
			fputs(", [", f);
			put_list(f, ev, ", ");
			fputc(']', f);
		}
		break;
	case FNG_EV_NETWORK:
		if (ev->ip[0]) {
			put_addr(f, ev);
			if (ev->protocol[0])
				fprintf(f, ", %s", ev->protocol);
		} else if (ev->protocol[0]) {
			fputs(ev->protocol, f);
		}
		break;
	case FNG_EV_DNS:
		fprintf(f, "dns %s ", ev->qtype[0] ? ev->qtype : "?");
		put_quoted(f, ev->host, sizeof(ev->host));
		fprintf(f, " from %s:%u", ev->ip, ev->port);
		break;
	default:
		break;
	}
	fputc(')', f);
	if (ev->type == FNG_EV_DNS) {
		fputs(" = [", f);
		put_list(f, ev, ", ");
		fputc(']', f);
	}
}

enum { C_NONE, C_RED, C_YELLOW, C_MAGENTA, C_DIM };

static void colour(FILE *f, const struct fng_text *tx, int c)
{
	static const char *const codes[] = { "\033[0m", "\033[1;31m", "\033[33m", "\033[35m", "\033[2m" };

	if (tx->o.colour)
		fputs(codes[c], f);
}

/* "would block: read_write_tmp", "blocked: outbound_connectivity" ... */
static void put_decision(FILE *f, const struct fng_text *tx, const struct fng_event *ev)
{
	const char *rule = ev->rule[0] ? ev->rule : "fnguard";
	int c = C_NONE;
	const char *what = "allowed";

	if (ev->action == FNG_ACT_ALLOWED && ev->would == FNG_ACT_BLOCKED) {
		what = "would block";
		c = C_YELLOW;
	} else if (ev->action == FNG_ACT_BLOCKED) {
		what = "blocked";
		c = C_RED;
	} else if (ev->action == FNG_ACT_KILLED) {
		what = "killed";
		c = C_RED;
	} else if (ev->action == FNG_ACT_ALERTED) {
		what = "alert";
		c = C_MAGENTA;
	} else {
		c = C_DIM;
	}
	if (ev->error)
		fprintf(f, " = -1 %s", strerrorname_np(ev->error) ? strerrorname_np(ev->error) : "?");
	else if (ev->action == FNG_ACT_KILLED)
		fputs(" = ?", f);
	fputc(' ', f);
	colour(f, tx, c);
	fputs(what, f);
	if (c != C_DIM)
		fprintf(f, ": %s", rule);
	colour(f, tx, C_NONE);
	if (ev->reason[0])
		fprintf(f, " (%s)", ev->reason);
}

static void put_stack(FILE *f, const struct fng_event *ev)
{
	const struct fng_stack *st = ev->stack;
	const char *end = fng_stack_end_name(ev->stack_end);

	for (unsigned i = 0; st && i < st->n && i < FNG_STACK_FRAMES; i++) {
		const struct fng_frame *fr = &st->frames[i];
		fprintf(f, "    #%-2u ", i);
		fng_utf8_put_escaped(f, fr->module[0] ? fr->module : "?", sizeof(fr->module));
		if (fr->function[0]) {
			fputc(' ', f);
			fng_utf8_put_escaped(f, fr->function, sizeof(fr->function));
		}
		fprintf(f, " +0x%" PRIx64 "\n", fr->offset);
	}
	if (end)
		fprintf(f, "    (stack: %s)\n", end);
}

/* " at libc.so.6!open+0x1f < app!main+0x40": the n innermost frames, each
 * module by its file name only. */
static void put_frames(FILE *f, const struct fng_event *ev, unsigned n)
{
	const struct fng_stack *st = ev->stack;

	for (unsigned i = 0; st && i < st->n && i < n && i < FNG_STACK_FRAMES; i++) {
		const struct fng_frame *fr = &st->frames[i];
		const char *slash = strrchr(fr->module, '/');

		fputs(i ? " < " : " at ", f);
		fng_utf8_put_escaped(f, fr->module[0] ? (slash ? slash + 1 : fr->module) : "?", sizeof(fr->module));
		if (fr->function[0]) {
			fputc('!', f);
			fng_utf8_put_escaped(f, fr->function, sizeof(fr->function));
		}
		fprintf(f, "+0x%" PRIx64, fr->offset);
	}
}

static void put_lifecycle(FILE *f, const struct fng_event *ev)
{
	fprintf(f, "--- %s: ", ev->phase[0] ? ev->phase : "fnguard");
	put_quoted(f, ev->message, sizeof(ev->message));
	fputs(" ---\n", f);
}

/* A line's time, as strace's -r (the default), -t, -tt or -ttt shows it. */
static void put_time(FILE *f, uint8_t clock, uint64_t now_ns, uint64_t rel)
{
	time_t secs = (time_t)(now_ns / 1000000000u);
	uint64_t usec = now_ns / 1000u % 1000000u;
	struct tm tm;

	if (clock == FNG_TEXT_CLOCK_RELATIVE) {
		fprintf(f, "%" PRIu64 ".%06" PRIu64 " ", rel / 1000000000u, rel / 1000u % 1000000u);
		return;
	}
	if (clock == FNG_TEXT_CLOCK_TTT) {
		fprintf(f, "%lld.%06" PRIu64 " ", (long long)secs, usec);
		return;
	}
	if (!localtime_r(&secs, &tm))
		memset(&tm, 0, sizeof(tm));
	fprintf(f, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (clock == FNG_TEXT_CLOCK_TT)
		fprintf(f, ".%06" PRIu64, usec);
	fputc(' ', f);
}

static int finish(FILE *f, char **out, size_t *len)
{
	if (fclose(f) != 0 || !*out) {
		*len = 0;
		free(*out);
		*out = NULL;
		return -ENOMEM;
	}
	return 0;
}

int fng_text_event(struct fng_text *tx, const struct fng_event *ev, char **out, size_t *len)
{
	FILE *f;
	uint64_t rel;

	*out = NULL;
	*len = 0;
	f = open_memstream(out, len);
	if (!f)
		return -ENOMEM;
	if (!tx->t0)
		tx->t0 = ev->time_ns;
	if (ev->type == FNG_EV_LIFECYCLE) {
		/* strace -c shows the table only; a loss or an unprotected run
		 * is still said */
		if (!tx->o.summary_only || (strcmp(ev->phase, "start") != 0 && strcmp(ev->phase, "notice") != 0))
			put_lifecycle(f, ev);
		return finish(f, out, len);
	}
	rel = ev->time_ns > tx->t0 ? ev->time_ns - tx->t0 : 0;
	put_time(f, tx->o.clock, ev->time_ns, rel);
	if (ev->pid) {
		fprintf(f, "[pid %5d", ev->pid);
		if (tx->o.names && ev->comm[0]) {
			fputc(' ', f);
			fng_utf8_put_escaped(f, ev->comm, sizeof(ev->comm));
		}
		fputs("] ", f);
	} else {
		fputs("[pid     ?] ", f);
	}
	put_call(f, ev);
	put_decision(f, tx, ev);
	if (ev->count)
		fprintf(f, " <%" PRIu64 " repeats since %" PRIu64 ".%06" PRIu64 ">", ev->count,
			(ev->first_ns > tx->t0 ? ev->first_ns - tx->t0 : 0) / 1000000000u,
			(ev->first_ns > tx->t0 ? ev->first_ns - tx->t0 : 0) / 1000u % 1000000u);
	if (tx->o.frames)
		put_frames(f, ev, tx->o.frames);
	fputc('\n', f);
	if (tx->o.stacks)
		put_stack(f, ev);
	fng_summary_add(tx->sum, ev, fng_text_class_of(ev));
	if (tx->o.summary_only)
		rewind(f);	/* counted; no line (the caller sends nothing for an empty text) */
	return finish(f, out, len);
}

int fng_text_exit(struct fng_text *tx, const struct fng_exit_info *xi, char **out, size_t *len)
{
	FILE *f = open_memstream(out, len);

	if (!f)
		return -ENOMEM;
	if (xi->signal)
		fprintf(f, "+++ killed by %s +++\n", sigabbrev_np(xi->signal) ? sigabbrev_np(xi->signal) : "?");
	else
		fprintf(f, "+++ exited with %d +++\n", xi->exit_code);
	fng_summary_print(tx->sum, f, tx->o.decisions);
	if (xi->dropped)
		fprintf(f, "%" PRIu64 " event(s) dropped: the lines above are not all the calls\n", xi->dropped);
	for (size_t i = 0; i < xi->n_sinks; i++)
		if (xi->sinks[i].dropped)
			fprintf(f, "%" PRIu64 " line(s) dropped by %s: the lines above are not all the calls\n",
				xi->sinks[i].dropped, xi->sinks[i].dest);
	return finish(f, out, len);
}

int fng_text_loss(const struct fng_loss_info *li, char **out, size_t *len)
{
	char msg[512];
	FILE *f = open_memstream(out, len);

	if (!f)
		return -ENOMEM;
	fng_loss_message(li, msg, sizeof(msg));
	fprintf(f, "--- loss: %s ---\n", msg);
	return finish(f, out, len);
}
