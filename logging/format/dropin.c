/* Falco's alert JSON and Iron Function's event (dropin.h, docs/events.md
 * "Falco" and "Iron Function"). Both go through fng_json_finish, so the
 * UTF-8 rule holds for them as for fnguard's own lines. */
#include "logging/format/dropin.h"
#include "logging/format/json_out.h"
#include "common/util.h"

#include <json-c/json.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef FNG_VERSION
#define FNG_VERSION "0.0.0"
#endif

static const char *const priorities[] = {
	"Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Informational", "Debug",
};

static const char *const type_words[] = {
	[FNG_EV_FILE] = "file", [FNG_EV_PROCESS] = "process", [FNG_EV_NETWORK] = "network", [FNG_EV_DNS] = "dns",
	[FNG_EV_INPUT] = "input", [FNG_EV_OUTPUT] = "output", [FNG_EV_LIFECYCLE] = "lifecycle",
};

static const char *const action_words[] = {
	[FNG_ACT_NONE] = "seen", [FNG_ACT_BLOCKED] = "blocked", [FNG_ACT_ALERTED] = "alerted",
	[FNG_ACT_KILLED] = "killed", [FNG_ACT_ALLOWED] = "allowed",
};

void fng_dropin_init(struct fng_dropin_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->uid = -1;
	if (gethostname(c->hostname, sizeof(c->hostname) - 1) < 0)
		fng_strlcpy(c->hostname, "unknown", sizeof(c->hostname));
}

/* The user name of uid, looked up when uid changes; "" if it has none. */
static const char *user_of(struct fng_dropin_ctx *c, int32_t uid)
{
	struct passwd pw, *res = NULL;
	char buf[1024];

	if (uid == c->uid)
		return c->user;
	c->uid = uid;
	c->user[0] = '\0';
	if (getpwuid_r((uid_t)uid, &pw, buf, sizeof(buf), &res) == 0 && res)
		fng_strlcpy(c->user, res->pw_name, sizeof(c->user));
	return c->user;
}

static const char *word(const char *const *tbl, size_t n, unsigned i)
{
	return i < n && tbl[i] ? tbl[i] : "unknown";
}

/* output_fields: Falco's names where Falco has one, fnguard.* for the rest. */
static json_object *falco_fields(struct fng_dropin_ctx *c, const struct fng_event *ev)
{
	json_object *f = json_object_new_object();
	char addr[64];

	json_object_object_add(f, "evt.time", json_object_new_uint64(ev->time_ns));
	fng_json_add_str(f, "evt.type", ev->syscall);
	if (ev->pid) {
		static const char *const keys[FNG_JSON_PROC_KEYS] = {
			"proc.pid", "proc.ppid", "proc.name", "proc.exepath", "proc.cmdline", "user.uid",
		};
		fng_json_add_process(f, ev, keys);
		fng_json_add_str(f, "user.name", user_of(c, ev->uid));
	}
	switch (ev->type) {
	case FNG_EV_FILE:
		fng_json_add_str(f, "fd.name", ev->path);
		fng_json_add_str(f, "fnguard.target", ev->path2);
		break;
	case FNG_EV_PROCESS:
		fng_json_add_str(f, "evt.arg.filename", ev->path);
		break;
	case FNG_EV_NETWORK:
		fng_json_add_str(f, "fd.sip", ev->ip);
		if (ev->port)
			json_object_object_add(f, "fd.sport", json_object_new_int(ev->port));
		fng_json_add_str(f, "fd.l4proto", ev->protocol);
		if (ev->host[0] && strcmp(ev->host, ev->ip) != 0)
			fng_json_add_str(f, "fd.sip.name", ev->host);
		snprintf(addr, sizeof(addr), strchr(ev->ip, ':') ? "[%s]:%u" : "%s:%u", ev->ip, ev->port);
		if (ev->ip[0])
			fng_json_add_str(f, "fd.name", addr);
		break;
	case FNG_EV_DNS:
		fng_json_add_str(f, "fnguard.dns.name", ev->host);
		fng_json_add_str(f, "fnguard.dns.qtype", ev->qtype);
		break;
	default:
		break;
	}
	fng_json_add_str(f, "fnguard.event_type", word(type_words, FNG_ARRAY_LEN(type_words), ev->type));
	fng_json_add_str(f, "fnguard.action", word(action_words, FNG_ARRAY_LEN(action_words), ev->action));
	fng_json_add_str(f, "fnguard.rule", ev->rule);
	fng_json_add_str(f, "fnguard.mode", ev->mode);
	if (ev->would == FNG_ACT_BLOCKED)
		fng_json_add_str(f, "fnguard.would", "block");
	fng_json_add_str(f, "fnguard.reason", ev->reason);
	fng_json_add_str(f, "fnguard.phase", ev->phase);
	fng_json_add_str(f, "fnguard.message", ev->message);
	fng_json_add_str(f, "fnguard.request_id", ev->request_id);
	if (ev->count)
		json_object_object_add(f, "fnguard.count", json_object_new_uint64(ev->count));
	return f;
}

/* What the event is about: the path, program, host or message. */
static const char *target_of(const struct fng_event *ev)
{
	if (ev->type == FNG_EV_LIFECYCLE)
		return ev->message;
	if (ev->type == FNG_EV_NETWORK || ev->type == FNG_EV_DNS)
		return ev->host[0] ? ev->host : ev->ip;
	return ev->path;
}

static json_object *falco_root(struct fng_dropin_ctx *c, uint64_t ns, uint8_t severity, const char *rule,
			       const char *sentence, json_object *fields, const char *const *tags, size_t ntags)
{
	json_object *root = json_object_new_object(), *t = json_object_new_array();
	const char *prio = priorities[severity < FNG_ARRAY_LEN(priorities) ? severity : 6];
	char ts[48], clock[24], *out = NULL;
	time_t secs = (time_t)(ns / 1000000000u);
	struct tm tm;

	fng_format_time(ns, 9, ts, sizeof(ts));
	gmtime_r(&secs, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	/* Falco's own sentences start "HH:MM:SS.nnnnnnnnn: Priority ". */
	if (asprintf(&out, "%s.%09" PRIu64 ": %s %s", clock, ns % 1000000000u, prio, sentence) < 0)
		out = NULL;
	json_object_object_add(root, "output", json_object_new_string(out ? out : sentence));
	free(out);
	json_object_object_add(root, "priority", json_object_new_string(prio));
	json_object_object_add(root, "rule", json_object_new_string(rule));
	json_object_object_add(root, "time", json_object_new_string(ts));
	json_object_object_add(root, "source", json_object_new_string("syscall"));
	for (size_t i = 0; i < ntags; i++)
		if (tags[i] && tags[i][0])
			json_object_array_add(t, json_object_new_string(tags[i]));
	json_object_object_add(root, "tags", t);
	json_object_object_add(root, "hostname", json_object_new_string(c->hostname));
	json_object_object_add(root, "output_fields", fields);
	return root;
}

int fng_dropin_falco_event(struct fng_dropin_ctx *c, const struct fng_event *ev, uint8_t severity,
			   char **out, size_t *len)
{
	const char *type = word(type_words, FNG_ARRAY_LEN(type_words), ev->type);
	const char *act = ev->would == FNG_ACT_BLOCKED ? "would block"
			: word(action_words, FNG_ARRAY_LEN(action_words), ev->action);
	const char *tags[] = { "fnguard", type, ev->rule };
	autofree char *sentence = NULL, *rule = NULL;
	int r;

	if (ev->type == FNG_EV_LIFECYCLE)
		r = asprintf(&sentence, "fnguard %s: %s (proc.pid=%d)", ev->phase, ev->message, ev->pid);
	else
		r = asprintf(&sentence, "fnguard %s %s %s %s by %s (rule=%s proc.name=%s proc.pid=%d proc.cmdline=%s%s%s)",
			     act, type, ev->syscall, target_of(ev), ev->comm[0] ? ev->comm : "?",
			     ev->rule[0] ? ev->rule : "fnguard", ev->comm, ev->pid, ev->cmdline,
			     ev->reason[0] ? " reason=" : "", ev->reason);
	if (r < 0 || asprintf(&rule, "fnguard %s", ev->rule[0] ? ev->rule : ev->type == FNG_EV_LIFECYCLE ? ev->phase : type) < 0)
		return -ENOMEM;
	return fng_json_finish(falco_root(c, ev->time_ns, severity, rule, sentence, falco_fields(c, ev), tags,
					  FNG_ARRAY_LEN(tags)),
			       out, len);
}

int fng_dropin_falco_exit(struct fng_dropin_ctx *c, const struct fng_exit_info *xi, char **out, size_t *len)
{
	json_object *f = json_object_new_object();
	const char *tags[] = { "fnguard", "lifecycle" };
	char sentence[256];

	snprintf(sentence, sizeof(sentence),
		 "fnguard exit: the command %s %d (events=%" PRIu64 " blocked=%" PRIu64 " alerted=%" PRIu64 " dropped=%" PRIu64 ")",
		 xi->signal ? "was killed by signal" : "exited with", xi->signal ? xi->signal : xi->exit_code, xi->emitted,
		 xi->blocked, xi->alerted, xi->dropped);
	json_object_object_add(f, "fnguard.phase", json_object_new_string("exit"));
	json_object_object_add(f, "fnguard.details", fng_exit_details_json(xi));
	return fng_json_finish(falco_root(c, fng_now_ns(), 6, "fnguard exit", sentence, f, tags, 2), out, len);
}

int fng_dropin_falco_loss(struct fng_dropin_ctx *c, const struct fng_loss_info *li, char **out, size_t *len)
{
	json_object *f = json_object_new_object();
	const char *tags[] = { "fnguard", "lifecycle" };
	char msg[512], sentence[600];

	fng_loss_message(li, msg, sizeof(msg));
	snprintf(sentence, sizeof(sentence), "fnguard loss: %s", msg);
	json_object_object_add(f, "fnguard.phase", json_object_new_string("loss"));
	json_object_object_add(f, "fnguard.details", fng_loss_details_json(li));
	return fng_json_finish(falco_root(c, fng_now_ns(), 4, "fnguard loss", sentence, f, tags, 2), out, len);
}

/* Iron Function's aws_function_info: its keys, from the same Lambda
 * variables, "none" for one that is not set (as Iron Function writes it). */
static json_object *iron_function_info(void)
{
	static const char *const vars[][2] = {
		{ "region", "AWS_REGION" },
		{ "execution_env", "AWS_EXECUTION_ENV" },
		{ "lambda_function_name", "AWS_LAMBDA_FUNCTION_NAME" },
		{ "initialization_type", "AWS_LAMBDA_INITIALIZATION_TYPE" },
		{ "task_root", "LAMBDA_TASK_ROOT" },
		{ "runtime_dir", "LAMBDA_RUNTIME_DIR" },
		{ "tz", "TZ" },
		{ "version", "AWS_LAMBDA_FUNCTION_VERSION" },
		{ "memory_size", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE" },
		{ "log_group", "AWS_LAMBDA_LOG_GROUP_NAME" },
		{ "log_stream", "AWS_LAMBDA_LOG_STREAM_NAME" },
	};
	json_object *o = json_object_new_object();

	for (size_t i = 0; i < FNG_ARRAY_LEN(vars); i++) {
		const char *v = getenv(vars[i][1]);
		json_object_object_add(o, vars[i][0], json_object_new_string(v && *v ? v : "none"));
	}
	return o;
}

/* Iron Function's event_type: the rule's name, "network" for outbound
 * connections (its name for them). */
static const char *iron_event_type(const struct fng_event *ev)
{
	if (strcmp(ev->rule, "outbound_connectivity") == 0 || ev->type == FNG_EV_NETWORK || ev->type == FNG_EV_DNS)
		return "network";
	return ev->rule[0] ? ev->rule : word(type_words, FNG_ARRAY_LEN(type_words), ev->type);
}

int fng_dropin_iron_event(struct fng_dropin_ctx *c, const struct fng_event *ev, char **out, size_t *len)
{
	json_object *root;
	const char *action, *what = target_of(ev);
	char buf[64], msg[512], cmd[sizeof(ev->cmdline)];
	time_t secs = (time_t)(ev->time_ns / 1000000000u);
	struct tm tm;

	switch (ev->action) {
	case FNG_ACT_BLOCKED: case FNG_ACT_KILLED: action = "block"; break;
	case FNG_ACT_ALERTED: action = "alert"; break;
	default: return 1;	/* lifecycle, allowed calls: Iron Function sends none */
	}
	root = json_object_new_object();
	json_object_object_add(root, "aws_function_info", iron_function_info());
	json_object_object_add(root, "event_type", json_object_new_string(iron_event_type(ev)));
	json_object_object_add(root, "action", json_object_new_string(action));
	json_object_object_add(root, "what", json_object_new_string(what));
	snprintf(msg, sizeof(msg), "%s policy %s for %s", ev->rule[0] ? ev->rule : "fnguard",
		 ev->action == FNG_ACT_ALERTED ? "alerted" : "enforced", what);
	json_object_object_add(root, "message", json_object_new_string(msg));
	/* Iron Function's time: local, to the second, no zone. */
	localtime_r(&secs, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	json_object_object_add(root, "time", json_object_new_string(buf));
	snprintf(buf, sizeof(buf), "%d", ev->pid);
	json_object_object_add(root, "process_id", json_object_new_string(buf));
	json_object_object_add(root, "process_name", json_object_new_string(ev->comm));
	/* process_command: the arguments joined with ",", as Iron Function does. */
	fng_strlcpy(cmd, ev->cmdline, sizeof(cmd));
	for (char *p = cmd; *p; p++)
		if (*p == ' ')
			*p = ',';
	json_object_object_add(root, "process_command", json_object_new_string(cmd));
	snprintf(buf, sizeof(buf), "%d", ev->uid);
	json_object_object_add(root, "user_id", json_object_new_string(buf));
	json_object_object_add(root, "user_name", json_object_new_string(user_of(c, ev->uid)));
	return fng_json_finish(root, out, len);
}
