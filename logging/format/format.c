/* fnguard's JSON event lines (format.h, docs/events.md). */
#include "logging/format/format.h"
#include "common/hex.h"
#include "logging/format/json_out.h"
#include "logging/stack.h"
#include "common/util.h"

#include <json-c/json.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#ifndef FNG_VERSION
#define FNG_VERSION "0.0.0"
#endif

static const char *const type_names[] = {
	[FNG_EV_FILE] = "file",	      [FNG_EV_PROCESS] = "process", [FNG_EV_NETWORK] = "network",
	[FNG_EV_DNS] = "dns",	      [FNG_EV_INPUT] = "input",	    [FNG_EV_OUTPUT] = "output",
	[FNG_EV_LIFECYCLE] = "lifecycle",
};

static const char *const action_names[] = {
	[FNG_ACT_NONE] = NULL,	       [FNG_ACT_BLOCKED] = "blocked", [FNG_ACT_ALERTED] = "alerted",
	[FNG_ACT_KILLED] = "killed",   [FNG_ACT_ALLOWED] = "allowed",
};

void fng_format_time(uint64_t ns, unsigned digits, char *buf, size_t n)
{
	time_t secs = (time_t)(ns / 1000000000u);
	uint64_t frac = ns % 1000000000u;
	struct tm tm;
	char base[32];

	gmtime_r(&secs, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	for (unsigned i = digits; i < 9; i++)
		frac /= 10;
	snprintf(buf, n, "%s.%0*" PRIu64 "Z", base, (int)digits, frac);
}

void fng_json_add_str(json_object *o, const char *key, const char *v)
{
	if (v && *v)
		json_object_object_add(o, key, json_object_new_string(v));
}

static char *env_dup(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? strdup(v) : NULL;
}

void fng_function_info_from_env(struct fng_function_info *fi)
{
	fi->name = env_dup("AWS_LAMBDA_FUNCTION_NAME");
	fi->version = env_dup("AWS_LAMBDA_FUNCTION_VERSION");
	fi->region = env_dup("AWS_REGION");
	fi->memory = env_dup("AWS_LAMBDA_FUNCTION_MEMORY_SIZE");
	fi->log_group = env_dup("AWS_LAMBDA_LOG_GROUP_NAME");
	fi->log_stream = env_dup("AWS_LAMBDA_LOG_STREAM_NAME");
}

void fng_function_info_free(struct fng_function_info *fi)
{
	free(fi->name);
	free(fi->version);
	free(fi->region);
	free(fi->memory);
	free(fi->log_group);
	free(fi->log_stream);
	memset(fi, 0, sizeof(*fi));
}

void fng_json_add_function(json_object *root, const struct fng_function_info *fi)
{
	json_object *f;

	if (!fi->name)
		return;
	f = json_object_new_object();
	fng_json_add_str(f, "name", fi->name);
	fng_json_add_str(f, "version", fi->version);
	fng_json_add_str(f, "region", fi->region);
	fng_json_add_str(f, "memory", fi->memory);
	fng_json_add_str(f, "log_group", fi->log_group);
	fng_json_add_str(f, "log_stream", fi->log_stream);
	json_object_object_add(root, "function", f);
}

void fng_json_add_process(json_object *o, const struct fng_event *ev, const char *const keys[FNG_JSON_PROC_KEYS])
{
	json_object_object_add(o, keys[0], json_object_new_int(ev->pid));
	json_object_object_add(o, keys[1], json_object_new_int(ev->ppid));
	fng_json_add_str(o, keys[2], ev->comm);
	fng_json_add_str(o, keys[3], ev->exe);
	fng_json_add_str(o, keys[4], ev->cmdline);
	json_object_object_add(o, keys[5], json_object_new_int(ev->uid));
}

/* The event's "function" section, made if it is not there yet. */
static json_object *function_section(json_object *root)
{
	json_object *f = NULL;

	if (!json_object_object_get_ex(root, "function", &f)) {
		f = json_object_new_object();
		json_object_object_add(root, "function", f);
	}
	return f;
}

void fng_json_add_invocation(json_object *root, const struct fng_event *ev)
{
	json_object *f;

	if (!ev->request_id[0])
		return;
	f = function_section(root);
	fng_json_add_str(f, "request_id", ev->request_id);
	fng_json_add_str(f, "trace_id", ev->trace_id);
}

int fng_json_finish(json_object *root, char **out, size_t *len)
{
	size_t n;
	const char *s;
	char *buf;

	fng_json_utf8_fix(root);
	s = json_object_to_json_string_length(root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
	buf = s ? malloc(n + 2) : NULL;

	if (!buf) {
		json_object_put(root);
		return -ENOMEM;
	}
	memcpy(buf, s, n);
	buf[n] = '\n';
	buf[n + 1] = '\0';
	json_object_put(root);
	*out = buf;
	*len = n + 1;
	return 0;
}

static json_object *new_root(uint64_t ns, const char *type)
{
	json_object *root = json_object_new_object();
	char ts[48];

	fng_format_time(ns, 3, ts, sizeof(ts));
	json_object_object_add(root, "time", json_object_new_string(ts));
	json_object_object_add(root, "event_type", json_object_new_string(type));
	return root;
}

static void add_hex(json_object *o, const char *key, const uint8_t *id, size_t len)
{
	char hex[2 * FNG_BUILD_ID_MAX + 1];

	if (len == 0 || len > FNG_BUILD_ID_MAX)
		return;
	fng_hex(hex, id, len);
	json_object_object_add(o, key, json_object_new_string(hex));
}

/* details.executable: what an exec ran, or would have run. */
static void add_image(json_object *details, const struct fng_ev_image *im)
{
	static const char *const linkage[] = {
		[FNG_LINK_STATIC] = "static", [FNG_LINK_STATIC_PIE] = "static-pie", [FNG_LINK_DYNAMIC] = "dynamic",
	};
	json_object *o;

	if (im->source == FNG_IMAGE_NONE)
		return;
	o = json_object_new_object();
	fng_json_add_str(o, "path", im->path);
	add_hex(o, "build_id", im->build_id, im->build_id_len);
	if (im->linkage && im->linkage < FNG_ARRAY_LEN(linkage))
		fng_json_add_str(o, "linkage", linkage[im->linkage]);
	fng_json_add_str(o, "interpreter", im->interp);
	fng_json_add_str(o, "shebang", im->shebang);
	fng_json_add_str(o, "source", im->source == FNG_IMAGE_EXE ? "exe" : "path");
	json_object_object_add(details, "executable", o);
}

/* "stack": [{"module","function","offset","build_id"}...] and, when it is
 * not the whole stack, "stack_truncated": why. */
static void add_stack(json_object *root, const struct fng_event *ev)
{
	const struct fng_stack *st = ev->stack;
	const char *end = fng_stack_end_name(ev->stack_end);

	if (st && st->n) {
		json_object *arr = json_object_new_array();
		char off[24];

		for (unsigned i = 0; i < st->n && i < FNG_STACK_FRAMES; i++) {
			const struct fng_frame *f = &st->frames[i];
			json_object *o = json_object_new_object();

			json_object_object_add(o, "module", json_object_new_string(f->module[0] ? f->module : "?"));
			fng_json_add_str(o, "function", f->function);
			snprintf(off, sizeof(off), "0x%" PRIx64, f->offset);
			json_object_object_add(o, "offset", json_object_new_string(off));
			add_hex(o, "build_id", f->build_id, f->build_id_len);
			json_object_array_add(arr, o);
		}
		json_object_object_add(root, "stack", arr);
	}
	fng_json_add_str(root, "stack_truncated", end);
}

json_object *fng_event_details_json(const struct fng_event *ev)
{
	json_object *details;

	details = json_object_new_object();
	/* process: "program" (fnguard's name) and "path" (FunctionShield's,
	 * which its log filters match) hold the same value. */
	if (ev->type == FNG_EV_PROCESS)
		fng_json_add_str(details, "program", ev->path);
	fng_json_add_str(details, "path", ev->path);
	fng_json_add_str(details, "target", ev->path2);
	fng_json_add_str(details, ev->type == FNG_EV_DNS ? "name" : "host", ev->host);
	fng_json_add_str(details, "qtype", ev->qtype);
	fng_json_add_str(details, "ip", ev->ip);
	if (ev->port)
		json_object_object_add(details, "port", json_object_new_int(ev->port));
	fng_json_add_str(details, "protocol", ev->protocol);
	if (ev->type == FNG_EV_DNS || ev->argc) {
		json_object *argv = json_object_new_array();
		const char *a = ev->argv;
		const char *end = ev->argv + sizeof(ev->argv);
		for (unsigned i = 0; i < ev->argc && a < end; i++) {
			size_t alen = strnlen(a, (size_t)(end - a));
			json_object_array_add(argv, json_object_new_string_len(a, (int)alen));
			a += alen + 1;
		}
		json_object_object_add(details, ev->type == FNG_EV_DNS ? "answers" : "argv", argv);
	}
	if (ev->access) {
		json_object *acc = json_object_new_array();
		if (ev->access & FNG_ACCESS_READ)
			json_object_array_add(acc, json_object_new_string("read"));
		if (ev->access & FNG_ACCESS_WRITE)
			json_object_array_add(acc, json_object_new_string("write"));
		if (ev->access & FNG_ACCESS_CREATE)
			json_object_array_add(acc, json_object_new_string("create"));
		json_object_object_add(details, "access", acc);
	}
	if (ev->error)
		fng_json_add_str(details, "error", strerrorname_np(ev->error));
	fng_json_add_str(details, "reason", ev->reason);
	fng_json_add_str(details, "phase", ev->phase);
	fng_json_add_str(details, "message", ev->message);
	fng_json_add_str(details, "match", ev->match);
	fng_json_add_str(details, "excerpt", ev->excerpt);
	fng_json_add_str(details, "class", ev->cls);
	if (ev->type == FNG_EV_LIFECYCLE)
		fng_json_add_str(details, "version", FNG_VERSION);
	add_image(details, &ev->image);
	return details;
}

/* function.phase: when the function did it (initialisation or an invocation). */
static void add_fn_phase(json_object *root, uint8_t phase)
{
	static const char *const names[] = { [FNG_FN_PHASE_INIT] = "init", [FNG_FN_PHASE_INVOKE] = "invoke" };

	if (!phase || phase >= FNG_ARRAY_LEN(names))
		return;
	json_object_object_add(function_section(root), "phase", json_object_new_string(names[phase]));
}

int fng_format_event(const struct fng_event *ev, const struct fng_function_info *fi, char **out, size_t *len)
{
	json_object *root, *details;
	const char *type = ev->type < FNG_ARRAY_LEN(type_names) ? type_names[ev->type] : "unknown";

	root = new_root(ev->time_ns, type);
	if (ev->rule[0]) {
		/* FunctionShield's keys, so existing metric filters keep matching. */
		json_object_object_add(root, "function_shield", json_object_new_boolean(1));
		json_object_object_add(root, "policy", json_object_new_string(ev->rule));
		json_object_object_add(root, "mode", json_object_new_string(ev->mode));
	}
	if (ev->action < FNG_ARRAY_LEN(action_names) && action_names[ev->action])
		json_object_object_add(root, "action", json_object_new_string(action_names[ev->action]));
	if (ev->would == FNG_ACT_BLOCKED)
		json_object_object_add(root, "would", json_object_new_string("block"));
	fng_json_add_str(root, "syscall", ev->syscall);
	if (ev->count) {
		/* An aggregate of repeats (docs/events.md, "Repeated events"). */
		char ts[48];
		json_object_object_add(root, "count", json_object_new_uint64(ev->count));
		fng_format_time(ev->first_ns, 3, ts, sizeof(ts));
		json_object_object_add(root, "first", json_object_new_string(ts));
		fng_format_time(ev->time_ns, 3, ts, sizeof(ts));
		json_object_object_add(root, "last", json_object_new_string(ts));
	}

	details = fng_event_details_json(ev);
	if (json_object_object_length(details))
		json_object_object_add(root, "details", details);
	else
		json_object_put(details);

	if (ev->pid) {
		static const char *const keys[FNG_JSON_PROC_KEYS] = { "pid", "ppid", "name", "exe", "cmdline", "uid" };
		json_object *proc = json_object_new_object();
		fng_json_add_process(proc, ev, keys);
		json_object_object_add(root, "process", proc);
	}
	add_stack(root, ev);
	fng_json_add_function(root, fi);
	add_fn_phase(root, ev->fn_phase);
	fng_json_add_invocation(root, ev);
	return fng_json_finish(root, out, len);
}

json_object *fng_exit_details_json(const struct fng_exit_info *xi)
{
	json_object *details = json_object_new_object();
	json_object *counters = json_object_new_object();

	json_object_object_add(details, "phase", json_object_new_string("exit"));
	json_object_object_add(details, "status", json_object_new_int(xi->status));
	if (xi->signal)
		json_object_object_add(details, "signal", json_object_new_string(sigabbrev_np(xi->signal) ? sigabbrev_np(xi->signal) : "?"));
	else
		json_object_object_add(details, "exit_code", json_object_new_int(xi->exit_code));
	json_object_object_add(counters, "events", json_object_new_uint64(xi->emitted));
	json_object_object_add(counters, "events_dropped", json_object_new_uint64(xi->dropped));
	json_object_object_add(counters, "events_aggregated", json_object_new_uint64(xi->aggregated));
	json_object_object_add(counters, "blocked", json_object_new_uint64(xi->blocked));
	json_object_object_add(counters, "alerted", json_object_new_uint64(xi->alerted));
	json_object_object_add(counters, "tasks", json_object_new_uint64(xi->processes));
	json_object_object_add(counters, "traced_calls", json_object_new_uint64(xi->traced_calls));
	json_object_object_add(counters, "path_cache_hits", json_object_new_uint64(xi->path_cache_hits));
	json_object_object_add(details, "counters", counters);
	if (xi->n_sinks) {
		json_object *sinks = json_object_new_array();
		for (size_t i = 0; i < xi->n_sinks; i++) {
			json_object *o = json_object_new_object();
			json_object_object_add(o, "dest", json_object_new_string(xi->sinks[i].dest));
			json_object_object_add(o, "delivered", json_object_new_uint64(xi->sinks[i].delivered));
			json_object_object_add(o, "dropped", json_object_new_uint64(xi->sinks[i].dropped));
			json_object_object_add(o, "retries", json_object_new_uint64(xi->sinks[i].retries));
			json_object_array_add(sinks, o);
		}
		json_object_object_add(details, "sinks", sinks);
	}
	json_object_object_add(details, "version", json_object_new_string(FNG_VERSION));
	return details;
}

int fng_format_exit(const struct fng_exit_info *xi, const struct fng_function_info *fi, char **out, size_t *len)
{
	json_object *root = new_root(fng_now_ns(), "lifecycle");

	json_object_object_add(root, "details", fng_exit_details_json(xi));
	fng_json_add_function(root, fi);
	return fng_json_finish(root, out, len);
}

void fng_loss_message(const struct fng_loss_info *li, char *buf, size_t n)
{
	uint64_t total = li->ring;
	size_t off;

	for (size_t i = 0; i < li->n_sinks; i++)
		total += li->sinks[i].dropped;
	off = (size_t)snprintf(buf, n, "%llu event(s) dropped since the last report:", (unsigned long long)total);
	if (li->ring && off < n)
		off += (size_t)snprintf(buf + off, n - off, " %llu at the full event ring (no sink got them);",
					(unsigned long long)li->ring);
	for (size_t i = 0; i < li->n_sinks && off < n; i++)
		if (li->sinks[i].dropped)
			off += (size_t)snprintf(buf + off, n - off, " %llu by %s;", (unsigned long long)li->sinks[i].dropped,
						li->sinks[i].dest);
	if (off < n && off > 0 && buf[off - 1] == ';')
		buf[off - 1] = '\0';
}

json_object *fng_loss_details_json(const struct fng_loss_info *li)
{
	json_object *details = json_object_new_object();
	json_object *dropped = json_object_new_object();
	json_object *sinks = json_object_new_object();
	char msg[512];

	fng_loss_message(li, msg, sizeof(msg));
	json_object_object_add(details, "phase", json_object_new_string("loss"));
	json_object_object_add(details, "message", json_object_new_string(msg));
	json_object_object_add(dropped, "ring", json_object_new_uint64(li->ring));
	for (size_t i = 0; i < li->n_sinks; i++)
		json_object_object_add(sinks, li->sinks[i].dest, json_object_new_uint64(li->sinks[i].dropped));
	json_object_object_add(dropped, "sinks", sinks);
	json_object_object_add(details, "dropped", dropped);
	json_object_object_add(details, "version", json_object_new_string(FNG_VERSION));
	return details;
}

int fng_format_loss(const struct fng_loss_info *li, uint64_t time_ns, const struct fng_function_info *fi,
		    char **out, size_t *len)
{
	json_object *root = new_root(time_ns, "lifecycle");

	json_object_object_add(root, "details", fng_loss_details_json(li));
	fng_json_add_function(root, fi);
	return fng_json_finish(root, out, len);
}
