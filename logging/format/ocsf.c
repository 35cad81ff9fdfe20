/* OCSF 1.1.0 formatter. One OCSF record per fnguard event:
 *   blocked / alerted / killed  -> Detection Finding (2004, Findings)
 *   other file, process, network, dns events -> File System Activity (1001),
 *     Process Activity (1007), Network Activity (4001), DNS Activity (4003)
 *   lifecycle (start, notice, exit, loss, sink errors) -> Application Lifecycle (6002)
 * type_uid = class_uid * 100 + activity_id. FunctionShield's keys (policy,
 * mode, details) travel in "unmapped". docs/events.md is the reference. */
#include "logging/format/ocsf.h"
#include "common/hex.h"
#include "logging/format/json_out.h"
#include "common/util.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#ifndef FNG_VERSION
#define FNG_VERSION "0.0.0"
#endif

struct ocsf_class {
	int uid;
	const char *name;
	int category_uid;
	const char *category_name;
};

static const struct ocsf_class FILE_ACTIVITY = { 1001, "File System Activity", 1, "System Activity" };
static const struct ocsf_class PROCESS_ACTIVITY = { 1007, "Process Activity", 1, "System Activity" };
static const struct ocsf_class NETWORK_ACTIVITY = { 4001, "Network Activity", 4, "Network Activity" };
static const struct ocsf_class DNS_ACTIVITY = { 4003, "DNS Activity", 4, "Network Activity" };
static const struct ocsf_class DETECTION_FINDING = { 2004, "Detection Finding", 2, "Findings" };
static const struct ocsf_class APP_LIFECYCLE = { 6002, "Application Lifecycle", 6, "Application Activity" };

static const char *const severity_names[] = { "Unknown", "Informational", "Low", "Medium", "High", "Critical", "Fatal" };

void fng_ocsf_ctx_init(struct fng_ocsf_ctx *c)
{
	unsigned char rnd[16] = { 0 };

	memset(c, 0, sizeof(*c));
	if (gethostname(c->hostname, sizeof(c->hostname) - 1) < 0)
		c->hostname[0] = '\0';
	if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd)) {
		uint64_t t = fng_now_ns() ^ (uint64_t)getpid() << 32;
		memcpy(rnd, &t, sizeof(t));
	}
	fng_hex(c->run_id, rnd, sizeof(rnd));
}

static void add_int(json_object *o, const char *key, int64_t v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

static json_object *product(void)
{
	json_object *p = json_object_new_object();

	fng_json_add_str(p, "name", "fnguard");
	fng_json_add_str(p, "vendor_name", "fnguard");
	fng_json_add_str(p, "version", FNG_VERSION);
	return p;
}

/* The attributes every class shares. */
static json_object *base(const struct ocsf_class *cls, int activity_id, const char *activity_name, uint64_t time_ns,
			 int severity_id, const struct fng_function_info *fi, struct fng_ocsf_ctx *c)
{
	json_object *root = json_object_new_object();
	json_object *meta = json_object_new_object();
	char type_name[96], uid[64];

	add_int(root, "class_uid", cls->uid);
	fng_json_add_str(root, "class_name", cls->name);
	add_int(root, "category_uid", cls->category_uid);
	fng_json_add_str(root, "category_name", cls->category_name);
	add_int(root, "activity_id", activity_id);
	fng_json_add_str(root, "activity_name", activity_name);
	add_int(root, "type_uid", (int64_t)cls->uid * 100 + activity_id);
	snprintf(type_name, sizeof(type_name), "%s: %s", cls->name, activity_name);
	fng_json_add_str(root, "type_name", type_name);
	add_int(root, "time", (int64_t)(time_ns / 1000000u));
	add_int(root, "severity_id", severity_id);
	fng_json_add_str(root, "severity", severity_names[severity_id]);

	snprintf(uid, sizeof(uid), "%s-%llu", c->run_id, (unsigned long long)++c->seq);
	fng_json_add_str(meta, "version", FNG_OCSF_VERSION);
	json_object_object_add(meta, "product", product());
	fng_json_add_str(meta, "uid", uid);
	json_object_object_add(root, "metadata", meta);
	if (fi && fi->region) {
		json_object *cloud = json_object_new_object();
		fng_json_add_str(cloud, "provider", "AWS");
		fng_json_add_str(cloud, "region", fi->region);
		json_object_object_add(root, "cloud", cloud);
	}
	return root;
}

static json_object *device(const struct fng_ocsf_ctx *c)
{
	json_object *d = json_object_new_object();

	fng_json_add_str(d, "hostname", c->hostname);
	add_int(d, "type_id", 0);
	fng_json_add_str(d, "type", "Unknown");
	return d;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash && slash[1] ? slash + 1 : path;
}

static json_object *file_obj(const char *path)
{
	json_object *f = json_object_new_object();

	fng_json_add_str(f, "name", base_name(path));
	fng_json_add_str(f, "path", path);
	add_int(f, "type_id", 0);	/* the policy decides on the name, before the object exists */
	fng_json_add_str(f, "type", "Unknown");
	return f;
}

/* The process that made the call. */
static json_object *process_obj(const struct fng_event *ev)
{
	json_object *p = json_object_new_object();
	json_object *parent = json_object_new_object();
	json_object *user = json_object_new_object();
	char uid[16];

	add_int(p, "pid", ev->pid);
	fng_json_add_str(p, "name", ev->comm);
	fng_json_add_str(p, "cmd_line", ev->cmdline);
	if (ev->exe[0])
		json_object_object_add(p, "file", file_obj(ev->exe));
	add_int(parent, "pid", ev->ppid);
	json_object_object_add(p, "parent_process", parent);
	snprintf(uid, sizeof(uid), "%d", ev->uid);
	fng_json_add_str(user, "uid", uid);
	json_object_object_add(p, "user", user);
	return p;
}

static json_object *actor(const struct fng_event *ev)
{
	json_object *a = json_object_new_object();

	if (ev->pid)
		json_object_object_add(a, "process", process_obj(ev));
	return a;
}

/* The process an exec would start: program and argv. */
static json_object *target_process(const struct fng_event *ev)
{
	json_object *p = json_object_new_object();
	char cmd[FNG_EV_ARGV_MAX + 1];
	size_t off = 0;
	const char *a = ev->argv, *end = ev->argv + sizeof(ev->argv);

	for (unsigned i = 0; i < ev->argc && a < end; i++) {
		size_t alen = strnlen(a, (size_t)(end - a));
		if (off + alen + 1 >= sizeof(cmd))
			break;
		if (off)
			cmd[off++] = ' ';
		memcpy(cmd + off, a, alen);
		off += alen;
		a += alen + 1;
	}
	cmd[off] = '\0';
	fng_json_add_str(p, "name", base_name(ev->path));
	fng_json_add_str(p, "cmd_line", cmd);
	if (ev->path[0])
		json_object_object_add(p, "file", file_obj(ev->path));
	return p;
}

static json_object *endpoint(const struct fng_event *ev)
{
	json_object *e = json_object_new_object();

	if (ev->host[0])
		fng_json_add_str(e, strpbrk(ev->host, ":.") && strspn(ev->host, "0123456789abcdefABCDEF:.") == strlen(ev->host)
					    ? "ip" : "hostname", ev->host);
	if (ev->port)
		add_int(e, "port", ev->port);
	return e;
}

static json_object *dns_query(const struct fng_event *ev)
{
	json_object *q = json_object_new_object();

	fng_json_add_str(q, "hostname", ev->host);
	return q;
}

static bool is_call(const char *sc, const char *const *names)
{
	for (; *names; names++)
		if (strcmp(sc, *names) == 0)
			return true;
	return false;
}

/* activity_id and name of an activity class, from the system call. */
static int activity_of(const struct fng_event *ev, const char **name)
{
	static const char *const opens[] = { "open", "openat", "openat2", NULL };
	static const char *const creates[] = { "creat", "mkdir", "mkdirat", "link", "linkat", "symlink", "symlinkat", "mknod", "mknodat", NULL };
	static const char *const deletes[] = { "unlink", "unlinkat", "rmdir", NULL };
	static const char *const renames[] = { "rename", "renameat", "renameat2", NULL };
	static const char *const updates[] = { "truncate", NULL };
	static const char *const attrs[] = { "chmod", "fchmodat", "chown", "lchown", "fchownat", "utimensat", "setxattr", "lsetxattr", NULL };
	static const char *const launches[] = { "execve", "execveat", "fork", "vfork", "clone", "clone3", NULL };
	static const char *const peeks[] = { "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_open", "pidfd_getfd", NULL };
	static const char *const traffic[] = { "sendto", "sendmsg", "sendmmsg", NULL };
	const char *sc = ev->syscall;

	switch (ev->type) {
	case FNG_EV_FILE:
		if (is_call(sc, opens)) return *name = "Open", 14;
		if (is_call(sc, creates)) return *name = "Create", 1;
		if (is_call(sc, deletes)) return *name = "Delete", 4;
		if (is_call(sc, renames)) return *name = "Rename", 5;
		if (is_call(sc, updates)) return *name = "Update", 3;
		if (is_call(sc, attrs)) return *name = "Set Attributes", 6;
		break;
	case FNG_EV_PROCESS:
		if (is_call(sc, launches)) return *name = "Launch", 1;
		if (is_call(sc, peeks)) return *name = "Open", 3;
		break;
	case FNG_EV_NETWORK:
		if (is_call(sc, traffic)) return *name = "Traffic", 6;
		return *name = "Open", 1;
	case FNG_EV_DNS:
		return *name = "Query", 1;
	default:
		break;
	}
	*name = "Other";
	return 99;
}

static const struct ocsf_class *activity_class(const struct fng_event *ev)
{
	switch (ev->type) {
	case FNG_EV_FILE: return &FILE_ACTIVITY;
	case FNG_EV_PROCESS: return &PROCESS_ACTIVITY;
	case FNG_EV_DNS: return &DNS_ACTIVITY;
	default: return &NETWORK_ACTIVITY;
	}
}

/* What the call was about: file, process, dst_endpoint or query, added to o. */
static void add_objects(json_object *o, const struct fng_event *ev, bool activity)
{
	switch (ev->type) {
	case FNG_EV_FILE:
		json_object_object_add(o, "file", file_obj(ev->path));
		break;
	case FNG_EV_PROCESS:
		if (ev->path[0] || ev->argc)
			json_object_object_add(o, "process", target_process(ev));
		else if (activity)
			json_object_object_add(o, "process", json_object_new_object());
		break;
	case FNG_EV_DNS:
		json_object_object_add(o, "query", dns_query(ev));
		if (activity)
			json_object_object_add(o, "src_endpoint", json_object_new_object());
		break;
	default:
		json_object_object_add(o, "dst_endpoint", endpoint(ev));
		if (activity)
			json_object_object_add(o, "src_endpoint", json_object_new_object());
		break;
	}
}

/* FunctionShield's view of the event, for existing queries and filters. */
static json_object *unmapped(const struct fng_event *ev)
{
	json_object *u = json_object_new_object();

	if (ev->rule[0]) {
		json_object_object_add(u, "function_shield", json_object_new_boolean(1));
		fng_json_add_str(u, "policy", ev->rule);
		fng_json_add_str(u, "mode", ev->mode);
	}
	fng_json_add_str(u, "syscall", ev->syscall);
	json_object_object_add(u, "details", fng_event_details_json(ev));
	return u;
}

/* An aggregate of repeats: OCSF's own count, start_time and end_time. */
static void add_count(json_object *root, const struct fng_event *ev)
{
	if (!ev->count)
		return;
	add_int(root, "count", (int64_t)ev->count);
	add_int(root, "start_time", (int64_t)(ev->first_ns / 1000000u));
	add_int(root, "end_time", (int64_t)(ev->time_ns / 1000000u));
}

static int finding(const struct fng_event *ev, const struct fng_function_info *fi, struct fng_ocsf_ctx *c,
		   char **out, size_t *len)
{
	bool alerted = ev->action == FNG_ACT_ALERTED;
	int sev = ev->action == FNG_ACT_KILLED ? 4 : alerted ? 2 : 3;
	json_object *root = base(&DETECTION_FINDING, 1, "Create", ev->time_ns, sev, fi, c);
	json_object *info = json_object_new_object(), *analytic = json_object_new_object();
	json_object *types = json_object_new_array(), *evidence = json_object_new_object();
	json_object *evidences = json_object_new_array();
	const char *rule = ev->rule[0] ? ev->rule : "supervisor_protection";
	const char *what = ev->path[0] ? ev->path : ev->host;
	const char *verb = alerted ? "alerted" : ev->action == FNG_ACT_KILLED ? "killed" : "blocked";
	char title[FNG_EV_PATH_MAX + 96], uid[64];

	add_count(root, ev);
	add_int(root, "status_id", 1);
	fng_json_add_str(root, "status", "New");
	add_int(root, "action_id", alerted ? 1 : 2);
	fng_json_add_str(root, "action", alerted ? "Allowed" : "Denied");
	add_int(root, "disposition_id", alerted ? 19 : 2);
	fng_json_add_str(root, "disposition", alerted ? "Alert" : "Blocked");
	json_object_object_add(root, "is_alert", json_object_new_boolean(1));
	snprintf(title, sizeof(title), "%s: %s%s%s %s", rule, ev->syscall, *what ? " " : "", what, verb);
	fng_json_add_str(root, "message", title);

	snprintf(uid, sizeof(uid), "%s-%llu", c->run_id, (unsigned long long)c->seq);
	fng_json_add_str(info, "uid", uid);
	fng_json_add_str(info, "title", title);
	fng_json_add_str(info, "desc", ev->reason);
	add_int(info, "created_time", (int64_t)(ev->time_ns / 1000000u));
	json_object_array_add(types, json_object_new_string(activity_class(ev)->name));
	json_object_object_add(info, "types", types);
	fng_json_add_str(analytic, "name", rule);
	add_int(analytic, "type_id", 1);
	fng_json_add_str(analytic, "type", "Rule");
	json_object_object_add(info, "analytic", analytic);
	json_object_object_add(root, "finding_info", info);

	if (ev->rule[0]) {
		json_object *policy = json_object_new_object();
		fng_json_add_str(policy, "name", rule);
		fng_json_add_str(policy, "desc", ev->mode);
		json_object_object_add(root, "policy", policy);
	}
	json_object_object_add(evidence, "actor", actor(ev));
	add_objects(evidence, ev, false);
	json_object_array_add(evidences, evidence);
	json_object_object_add(root, "evidences", evidences);
	json_object_object_add(root, "device", device(c));
	json_object_object_add(root, "unmapped", unmapped(ev));
	fng_json_add_function(json_object_object_get(root, "unmapped"), fi);
	fng_json_add_invocation(json_object_object_get(root, "unmapped"), ev);
	return fng_json_finish(root, out, len);
}

static int activity(const struct fng_event *ev, const struct fng_function_info *fi, struct fng_ocsf_ctx *c,
		    char **out, size_t *len)
{
	const char *aname = NULL;
	int aid = activity_of(ev, &aname);
	json_object *root = base(activity_class(ev), aid, aname, ev->time_ns, 1, fi, c);

	if (ev->action == FNG_ACT_ALLOWED) {
		add_int(root, "action_id", 1);
		fng_json_add_str(root, "action", "Allowed");
		add_int(root, "disposition_id", 1);
		fng_json_add_str(root, "disposition", "Allowed");
	}
	add_count(root, ev);
	add_int(root, "status_id", ev->error ? 2 : 1);
	fng_json_add_str(root, "status", ev->error ? "Failure" : "Success");
	json_object_object_add(root, "actor", actor(ev));
	json_object_object_add(root, "device", device(c));
	add_objects(root, ev, true);
	json_object_object_add(root, "unmapped", unmapped(ev));
	fng_json_add_function(json_object_object_get(root, "unmapped"), fi);
	fng_json_add_invocation(json_object_object_get(root, "unmapped"), ev);
	return fng_json_finish(root, out, len);
}

/* Application Lifecycle: fnguard itself starting, stopping, reporting. */
static int lifecycle(const char *phase, const char *message, uint64_t time_ns, json_object *details,
		     const struct fng_function_info *fi, struct fng_ocsf_ctx *c, char **out, size_t *len)
{
	bool start = strcmp(phase, "start") == 0, stop = strcmp(phase, "exit") == 0;
	int sev = strcmp(phase, "unprotected") == 0 ? 4 : strcmp(phase, "loss") == 0 || strncmp(phase, "sink", 4) == 0 ? 3 : 1;
	json_object *root = base(&APP_LIFECYCLE, start ? 3 : stop ? 4 : 99, start ? "Start" : stop ? "Stop" : "Other",
				 time_ns, sev, fi, c);
	json_object *u = json_object_new_object();

	json_object_object_add(root, "app", product());
	fng_json_add_str(root, "message", message);
	json_object_object_add(root, "device", device(c));
	json_object_object_add(u, "details", details);
	fng_json_add_function(u, fi);
	json_object_object_add(root, "unmapped", u);
	return fng_json_finish(root, out, len);
}

int fng_ocsf_event(const struct fng_event *ev, const struct fng_function_info *fi, struct fng_ocsf_ctx *c,
		   char **out, size_t *len)
{
	if (ev->type == FNG_EV_LIFECYCLE)
		return lifecycle(ev->phase, ev->message[0] ? ev->message : ev->phase, ev->time_ns,
				 fng_event_details_json(ev), fi, c, out, len);
	if (ev->action == FNG_ACT_BLOCKED || ev->action == FNG_ACT_ALERTED || ev->action == FNG_ACT_KILLED)
		return finding(ev, fi, c, out, len);
	return activity(ev, fi, c, out, len);
}

int fng_ocsf_exit(const struct fng_exit_info *xi, const struct fng_function_info *fi, struct fng_ocsf_ctx *c,
		  char **out, size_t *len)
{
	char msg[96];

	if (xi->signal)
		snprintf(msg, sizeof(msg), "fnguard exits with status %d: the runtime was killed by SIG%s", xi->status,
			 sigabbrev_np(xi->signal) ? sigabbrev_np(xi->signal) : "?");
	else
		snprintf(msg, sizeof(msg), "fnguard exits with status %d: the runtime exited with %d", xi->status, xi->exit_code);
	return lifecycle("exit", msg, fng_now_ns(), fng_exit_details_json(xi), fi, c, out, len);
}

int fng_ocsf_loss(const struct fng_loss_info *li, uint64_t time_ns, const struct fng_function_info *fi,
		  struct fng_ocsf_ctx *c, char **out, size_t *len)
{
	char msg[512];

	fng_loss_message(li, msg, sizeof(msg));
	return lifecycle("loss", msg, time_ns, fng_loss_details_json(li), fi, c, out, len);
}
