/* fnguard's JSON event lines (format.h, docs/events.md). */
#include "logging/format/format.h"
#include "common/hex.h"
#include "logging/format/json_out.h"
#include "logging/format/jw.h"
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

/* The function's identity as "function" shows it: key and value, in order. */
#define FN_FIELDS 6
static void function_fields(const struct fng_function_info *fi, const char *kv[FN_FIELDS][2])
{
	const char *const keys[FN_FIELDS] = { "name", "version", "region", "memory", "log_group", "log_stream" };
	const char *const vals[FN_FIELDS] = { fi->name, fi->version, fi->region, fi->memory, fi->log_group,
					      fi->log_stream };

	for (unsigned i = 0; i < FN_FIELDS; i++) {
		kv[i][0] = keys[i];
		kv[i][1] = vals[i];
	}
}

void fng_json_add_function(json_object *root, const struct fng_function_info *fi)
{
	const char *kv[FN_FIELDS][2];
	json_object *f;

	if (!fi->name)
		return;
	f = json_object_new_object();
	function_fields(fi, kv);
	for (unsigned i = 0; i < FN_FIELDS; i++)
		fng_json_add_str(f, kv[i][0], kv[i][1]);
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

/* details.executable: what an exec ran, or would have run. */
static void put_image(struct fng_jw *w, const struct fng_ev_image *im)
{
	static const char *const linkage[] = {
		[FNG_LINK_STATIC] = "static", [FNG_LINK_STATIC_PIE] = "static-pie", [FNG_LINK_DYNAMIC] = "dynamic",
	};

	if (im->source == FNG_IMAGE_NONE)
		return;
	fng_jw_open(w, "executable", false);
	fng_jw_cstr(w, "path", im->path);
	if (im->build_id_len && im->build_id_len <= FNG_BUILD_ID_MAX)
		fng_jw_hexbytes(w, "build_id", im->build_id, im->build_id_len);
	if (im->linkage && im->linkage < FNG_ARRAY_LEN(linkage))
		fng_jw_cstr(w, "linkage", linkage[im->linkage]);
	fng_jw_cstr(w, "interpreter", im->interp);
	fng_jw_cstr(w, "shebang", im->shebang);
	fng_jw_cstr(w, "source", im->source == FNG_IMAGE_EXE ? "exe" : "path");
	fng_jw_close(w);
}

/* "stack": [{"module","function","offset","build_id"}...] and, when it is
 * not the whole stack, "stack_truncated": why. */
static void put_stack(struct fng_jw *w, const struct fng_event *ev)
{
	const struct fng_stack *st = ev->stack;

	if (st && st->n) {
		fng_jw_open(w, "stack", true);
		for (unsigned i = 0; i < st->n && i < FNG_STACK_FRAMES; i++) {
			const struct fng_frame *f = &st->frames[i];

			fng_jw_open(w, NULL, false);
			fng_jw_cstr(w, "module", f->module[0] ? f->module : "?");
			fng_jw_cstr(w, "function", f->function);
			fng_jw_hexnum(w, "offset", f->offset);
			if (f->build_id_len && f->build_id_len <= FNG_BUILD_ID_MAX)
				fng_jw_hexbytes(w, "build_id", f->build_id, f->build_id_len);
			fng_jw_close(w);
		}
		fng_jw_close(w);
	}
	fng_jw_cstr(w, "stack_truncated", fng_stack_end_name(ev->stack_end));
}

/* The members of an event's "details" object, into the object w has open. */
static void put_details(struct fng_jw *w, const struct fng_event *ev)
{
	/* process: "program" (fnguard's name) and "path" (FunctionShield's,
	 * which its log filters match) hold the same value. */
	if (ev->type == FNG_EV_PROCESS)
		fng_jw_cstr(w, "program", ev->path);
	fng_jw_cstr(w, "path", ev->path);
	fng_jw_cstr(w, "target", ev->path2);
	fng_jw_cstr(w, ev->type == FNG_EV_DNS ? "name" : "host", ev->host);
	fng_jw_cstr(w, "qtype", ev->qtype);
	fng_jw_cstr(w, "ip", ev->ip);
	if (ev->port)
		fng_jw_int(w, "port", ev->port);
	fng_jw_cstr(w, "protocol", ev->protocol);
	if (ev->type == FNG_EV_DNS || ev->argc)
		fng_jw_strs(w, ev->type == FNG_EV_DNS ? "answers" : "argv", ev->argv, sizeof(ev->argv), ev->argc);
	if (ev->access) {
		fng_jw_open(w, "access", true);
		if (ev->access & FNG_ACCESS_READ)
			fng_jw_cstr(w, NULL, "read");
		if (ev->access & FNG_ACCESS_WRITE)
			fng_jw_cstr(w, NULL, "write");
		if (ev->access & FNG_ACCESS_CREATE)
			fng_jw_cstr(w, NULL, "create");
		fng_jw_close(w);
	}
	if (ev->error)
		fng_jw_cstr(w, "error", strerrorname_np(ev->error));
	fng_jw_cstr(w, "reason", ev->reason);
	if (ev->confirmed)
		fng_jw_true(w, "confirmed");
	fng_jw_cstr(w, "input_path", ev->input_path);
	fng_jw_cstr(w, "phase", ev->phase);
	fng_jw_cstr(w, "message", ev->message);
	fng_jw_cstr(w, "match", ev->match);
	fng_jw_cstr(w, "excerpt", ev->excerpt);
	fng_jw_cstr(w, "class", ev->cls);
	if (ev->type == FNG_EV_LIFECYCLE)
		fng_jw_cstr(w, "version", FNG_VERSION);
	put_image(w, &ev->image);
}

/* For the formats built as json-c trees (OCSF): the same details, written
 * once (put_details) and read back. */
json_object *fng_event_details_json(const struct fng_event *ev)
{
	struct fng_jw w;
	autofree char *line = NULL;
	size_t len;
	json_object *o = NULL;

	fng_jw_init(&w);
	put_details(&w, ev);
	if (fng_jw_finish(&w, &line, &len) == 0)
		o = json_tokener_parse(line);
	return o ? o : json_object_new_object();
}

/* "function": the Lambda function's identity, and when the event happened
 * (function.phase: initialisation or an invocation, and which one). */
static void put_function(struct fng_jw *w, const struct fng_function_info *fi, const struct fng_event *ev)
{
	static const char *const phases[] = { [FNG_FN_PHASE_INIT] = "init", [FNG_FN_PHASE_INVOKE] = "invoke" };
	bool phase = ev->fn_phase && ev->fn_phase < FNG_ARRAY_LEN(phases);

	if (!fi->name && !phase && !ev->request_id[0])
		return;
	fng_jw_open(w, "function", false);
	if (fi->name) {
		const char *kv[FN_FIELDS][2];
		function_fields(fi, kv);
		for (unsigned i = 0; i < FN_FIELDS; i++)
			fng_jw_cstr(w, kv[i][0], kv[i][1]);
	}
	if (phase)
		fng_jw_cstr(w, "phase", phases[ev->fn_phase]);
	if (ev->request_id[0]) {
		fng_jw_cstr(w, "request_id", ev->request_id);
		fng_jw_cstr(w, "trace_id", ev->trace_id);
	}
	fng_jw_close(w);
}

static void put_time(struct fng_jw *w, const char *key, uint64_t ns)
{
	char ts[48];

	fng_format_time(ns, 3, ts, sizeof(ts));
	fng_jw_cstr(w, key, ts);
}

/* One line written straight into its buffer (jw.h): the alerted calls of a
 * busy function make thousands a second, and a json-c tree cost a few
 * hundred mallocs each. */
int fng_format_event(const struct fng_event *ev, const struct fng_function_info *fi, char **out, size_t *len)
{
	const char *type = ev->type < FNG_ARRAY_LEN(type_names) ? type_names[ev->type] : "unknown";
	struct fng_jw w;

	fng_jw_init(&w);
	put_time(&w, "time", ev->time_ns);
	fng_jw_cstr(&w, "event_type", type);
	if (ev->rule[0]) {
		/* FunctionShield's keys, so existing metric filters keep matching. */
		fng_jw_true(&w, "function_shield");
		fng_jw_str(&w, "policy", ev->rule, strlen(ev->rule));
		fng_jw_str(&w, "mode", ev->mode, strlen(ev->mode));
	}
	if (ev->action < FNG_ARRAY_LEN(action_names) && action_names[ev->action])
		fng_jw_cstr(&w, "action", action_names[ev->action]);
	if (ev->would == FNG_ACT_BLOCKED)
		fng_jw_cstr(&w, "would", "block");
	fng_jw_cstr(&w, "syscall", ev->syscall);
	if (ev->count) {
		/* An aggregate of repeats (docs/events.md, "Repeated events"). */
		fng_jw_uint(&w, "count", ev->count);
		put_time(&w, "first", ev->first_ns);
		put_time(&w, "last", ev->time_ns);
	}
	fng_jw_open(&w, "details", false);
	put_details(&w, ev);
	fng_jw_close_or_drop(&w);
	if (ev->pid) {
		fng_jw_open(&w, "process", false);
		fng_jw_int(&w, "pid", ev->pid);
		fng_jw_int(&w, "ppid", ev->ppid);
		fng_jw_cstr(&w, "name", ev->comm);
		fng_jw_cstr(&w, "exe", ev->exe);
		fng_jw_cstr(&w, "cmdline", ev->cmdline);
		fng_jw_int(&w, "uid", ev->uid);
		fng_jw_close(&w);
	}
	put_stack(&w, ev);
	put_function(&w, fi, ev);
	return fng_jw_finish(&w, out, len);
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
	json_object_object_add(counters, "stacks", json_object_new_uint64(xi->stacks));
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
