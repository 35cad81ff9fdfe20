/* `fnguard baseline`: run CMD in observe mode with everything allowed,
 * record what it did on the logging thread (policy/baseline/recorder.h), and write
 * an allowlist policy; `baseline merge` and `baseline diff` work on such
 * profiles. docs/cli.md "fnguard baseline". */
#include "supervisor/cli/baseline.h"
#include "supervisor/exit.h"
#include "supervisor/cli/run.h"
#include "supervisor/cli/cli_opt.h"
#include "supervisor/session.h"
#include "common/util.h"
#include "policy/baseline/policydiff.h"
#include "policy/baseline/recorder.h"

#include <errno.h>
#include <getopt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_LOGS 8
#define MAX_CODE_ROOTS 64

struct capture {
	struct fng_recorder *rec;
	bool lost;		/* the ring overflowed: the profile would be short */
	int err;		/* first recorder error (-ENOMEM) */
};

static void record(struct capture *c, enum fng_al_kind k, const char *text, const struct fng_event *ev)
{
	int r = fng_recorder_add(c->rec, k, text, ev->fn_phase, ev->image.build_id, ev->image.build_id_len);

	if (r == -ENOMEM && !c->err)
		c->err = r;
}

static void record_dest(struct capture *c, const struct fng_event *ev)
{
	char buf[320];

	if (!ev->ip[0] || !ev->port || ev->port == 53 || ev->own_dest)
		return; /* port-0 probes; lookups (trusted resolvers are always reachable); fnguard's own
			 * Runtime API proxy (a new port every run, and never judged by the allowlist) */
	if (ev->host[0] && strcmp(ev->host, ev->ip) != 0)
		snprintf(buf, sizeof(buf), "%s:%u", ev->host, ev->port);
	else if (strchr(ev->ip, ':'))
		snprintf(buf, sizeof(buf), "[%s]:%u", ev->ip, ev->port);
	else
		snprintf(buf, sizeof(buf), "%s:%u", ev->ip, ev->port);
	record(c, ev->host[0] && strcmp(ev->host, ev->ip) != 0 ? FNG_AL_HOST : FNG_AL_IP, buf, ev);
}

/* On the logging thread: one event of the observed run. */
static void on_event(void *arg, const struct fng_event *ev)
{
	struct capture *c = arg;

	if (!ev) {
		c->lost = true;
		return;
	}
	if (ev->action != FNG_ACT_ALLOWED || ev->would)
		return; /* refused by fnguard itself (its own /proc entries, ...): not learned */
	switch (ev->type) {
	case FNG_EV_FILE: {
		bool write = !ev->access || (ev->access & (FNG_ACCESS_WRITE | FNG_ACCESS_CREATE));
		if (ev->path[0] == '/')
			record(c, write ? FNG_AL_WRITE : FNG_AL_READ, ev->path, ev);
		if (ev->path2[0] == '/')
			record(c, FNG_AL_WRITE, ev->path2, ev);
		break;
	}
	case FNG_EV_PROCESS:
		/* Only a program that was there: a PATH search's misses (no file
		 * at the path) would let a binary planted there later run. The
		 * entry carries the build-id of what was there (recorder.c). */
		if (ev->path[0] == '/' && ev->image.source != FNG_IMAGE_NONE)
			record(c, FNG_AL_EXEC, ev->path, ev);
		break;
	case FNG_EV_NETWORK:
		record_dest(c, ev);
		break;
	case FNG_EV_DNS:
		if (ev->host[0])
			record(c, FNG_AL_DNS, ev->host, ev);
		break;
	default:
		break;
	}
}

/* Where else the function loads code from: the entries of the search path
 * variables it runs with (it inherits ours), and LAMBDA_TASK_ROOT. The
 * strings point into buf. */
static void code_roots(char *buf, size_t bufn, const char **dirs, struct fng_code_roots *out)
{
	static const char *const vars[] = { "PYTHONPATH", "NODE_PATH", "LD_LIBRARY_PATH", "LAMBDA_TASK_ROOT",
					    "PYTHONHOME", "PYTHONUSERBASE" };
	size_t used = 0, n = 0;

	for (size_t v = 0; v < sizeof(vars) / sizeof(vars[0]); v++) {
		const char *val = getenv(vars[v]);
		size_t len = val ? strlen(val) : 0;
		if (!len)
			continue;
		/* a root left out would let writes there collapse: refuse instead */
		if (used + len + 1 > bufn)
			fng_die(FNG_EXIT_USAGE, "baseline: %s is too long to take into account", vars[v]);
		memcpy(buf + used, val, len + 1);
		for (char *save = NULL, *t = strtok_r(buf + used, ":", &save); t; t = strtok_r(NULL, ":", &save)) {
			if (n == MAX_CODE_ROOTS)
				fng_die(FNG_EXIT_USAGE, "baseline: more than %d folders in the code search paths",
					MAX_CODE_ROOTS);
			dirs[n++] = t;
		}
		used += len + 1;
	}
	out->dirs = dirs;
	out->n = n;
}

static void code_notice(void *arg, const char *path)
{
	(void)arg;
	fprintf(stderr, "fnguard: baseline: notice: a write where code is loaded from, learnt exactly: %s\n", path);
}

static void usage_baseline(FILE *f)
{
	fputs("usage: fnguard baseline -o PROFILE.json [--mode alert|block] [--merge OLD.json] [--log DEST]...\n"
	      "                        [--event FILE] [--] CMD [ARGS...]\n"
	      "       fnguard baseline merge A.json B.json... -o OUT.json\n"
	      "       fnguard baseline diff OLD.json NEW.json\n"
	      "  -o, --output FILE    where the learned policy goes\n"
	      "  --mode MODE          what the allowlist does with anything else: block (default) or alert\n"
	      "  --merge FILE         add what this run learned to FILE's allowlist (its add/remove kept)\n"
	      "  --log DEST           also send the observed events to DEST (as run's --log)\n"
	      "  --event FILE         run CMD as a Lambda runtime: a local Runtime API hands it this event\n"
	      "                       (as fnguard emulate; the results go to standard output)\n"
	      "  -f                   accepted: fnguard always follows children (-ff is refused)\n"
	      "diff prints what NEW lets through that OLD does not (the whole policy), one line each;\n"
	      "exit 1 when there is any.\n",
	      f);
}

static void load_profile(const char *file, struct fng_policy *p)
{
	struct fng_policy_error err;

	if (fng_policy_load_file(file, p, &err) < 0)
		fng_die(FNG_EXIT_USAGE, "%s", err.msg);
	if (!p->allow)
		fng_die(FNG_EXIT_USAGE, "%s: not a profile: it has no \"allowlist\"", file);
}

/* Write text to path through a temporary file in the same folder. */
static void write_file(const char *path, const char *text)
{
	autofree char *tmp = NULL;
	FILE *f;

	if (asprintf(&tmp, "%s.tmp.%d", path, (int)getpid()) < 0)
		fng_die(FNG_EXIT_UNSUPPORTED, "out of memory");
	f = fopen(tmp, "w");
	if (!f)
		fng_die(FNG_EXIT_USAGE, "%s: cannot write: %s", path, strerror(errno));
	if (fputs(text, f) < 0 || fclose(f) != 0 || rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		fng_die(FNG_EXIT_USAGE, "%s: cannot write: %s", path, strerror(e));
	}
}

static void write_profile(const char *path, const struct fng_allowlist *a)
{
	autofree char *text = NULL;

	if (fng_profile_format(a, &text) < 0)
		fng_die(FNG_EXIT_UNSUPPORTED, "out of memory");
	write_file(path, text);
}

static int cmd_merge(int argc, char **argv)
{
	const char *out = NULL;
	struct fng_policy acc, p;
	int n = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage_baseline(stdout);
			return 0;
		}
		if (argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "-o") != 0 && strcmp(argv[i], "--output") != 0)
			fng_cli_unknown("baseline merge", argv[i]);
		if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) {
			if (++i == argc)
				fng_die(FNG_EXIT_USAGE, "baseline merge: -o needs a file");
			out = argv[i];
			continue;
		}
		if (n == 0) {
			load_profile(argv[i], &acc);
		} else {
			load_profile(argv[i], &p);
			if (fng_allowlist_merge(acc.allow, p.allow) < 0)
				fng_die(FNG_EXIT_UNSUPPORTED, "out of memory");
			fng_policy_free(&p);
		}
		n++;
	}
	if (!out || n == 0) {
		usage_baseline(stderr);
		fng_die(FNG_EXIT_USAGE, "baseline merge: give profiles and -o OUT");
	}
	write_profile(out, acc.allow);
	fng_policy_free(&acc);
	return 0;
}

static void print_line(void *arg, const char *line)
{
	(void)arg;
	puts(line);
}

static int cmd_diff(int argc, char **argv)
{
	struct fng_policy a, b;
	size_t n;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage_baseline(stdout);
			return 0;
		}
		if (argv[i][0] == '-' && argv[i][1])
			fng_cli_unknown("baseline diff", argv[i]);
	}
	if (argc != 3) {
		usage_baseline(stderr);
		fng_die(FNG_EXIT_USAGE, "baseline diff: give OLD and NEW");
	}
	load_profile(argv[1], &a);
	load_profile(argv[2], &b);
	n = fng_policy_diff(&a, &b, print_line, NULL);
	fflush(stdout);
	fng_policy_free(&a);
	fng_policy_free(&b);
	return n ? 1 : 0;
}

struct opts {
	const char *out, *merge, *event_file;
	enum fng_mode mode;
	bool mode_given;
	struct fng_sink_spec sinks[MAX_LOGS];
	size_t n_sinks;
	char **cmd;
};

static void parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' }, { "mode", required_argument, NULL, 'm' },
		{ "merge", required_argument, NULL, 'M' },  { "log", required_argument, NULL, 'l' },
		{ "event", required_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },	    { NULL, 0, NULL, 0 },
	};
	int c, follow = 0;

	optind = 1;
	opterr = 0;
	o->mode = FNG_MODE_BLOCK;
	while ((c = getopt_long(argc, argv, "+:o:hf", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			fng_cli_follow("baseline", ++follow);
			break;
		case 'V':
			o->event_file = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'm':
			if (fng_mode_parse(optarg, &o->mode) < 0 || o->mode == FNG_MODE_ALLOW)
				fng_die(FNG_EXIT_USAGE, "--mode %s: expected block or alert", optarg);
			o->mode_given = true;
			break;
		case 'M':
			o->merge = optarg;
			break;
		case 'l':
			fng_cli_add_log(o->sinks, &o->n_sinks, MAX_LOGS, optarg);
			break;
		case 'h':
			usage_baseline(stdout);
			exit(0);
		default:
			fng_cli_bad_option("baseline", c, argc, argv);
		}
	}
	if (!o->out || optind >= argc)
		fng_die(FNG_EXIT_USAGE, "baseline: %s (see fnguard baseline --help)",
			o->out ? "no command given" : "-o PROFILE.json is required");
	o->cmd = argv + optind;
}

int fng_cmd_baseline(int argc, char **argv)
{
	struct opts o = { 0 };
	struct fng_policy policy, old;
	struct capture cap = { 0 };
	/* lossless: a full ring makes the tracer wait; a lost event would be a
	 * missing entry, and a block later. */
	struct fng_logger_config lc = { .format = FNG_FORMAT_FNGUARD, .flush_timeout_ms = FNG_FLUSH_TIMEOUT_DEFAULT_MS,
					.lossless = true };
	struct fng_session s = { .policy = &policy, .logger = &lc, .observe = true, .enforce = false };
	struct fng_allowlist *learned = NULL;
	char roots_buf[8192];
	const char *roots[MAX_CODE_ROOTS];
	struct fng_code_roots code;
	int status;

	if (argc >= 2 && strcmp(argv[1], "merge") == 0)
		return cmd_merge(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "diff") == 0)
		return cmd_diff(argc - 1, argv + 1);
	parse(argc, argv, &o);
	if (o.event_file)
		fng_cli_reexec_under_emulate(o.event_file, argc, argv);
	code_roots(roots_buf, sizeof(roots_buf), roots, &code);
	if (o.merge)
		load_profile(o.merge, &old);
	/* Everything allowed: the four rules off, no allowlist; observe mode
	 * reports every watched call. */
	memset(&policy, 0, sizeof(policy));
	if (fng_recorder_new(&cap.rec) < 0)
		fng_die(FNG_EXIT_UNSUPPORTED, "out of memory");
	lc.sinks = o.sinks;
	lc.n_sinks = o.n_sinks;
	lc.on_event = on_event;
	lc.on_event_arg = &cap;
	s.cmd = o.cmd;
	status = fng_session_run(&s);
	/* The logging thread has stopped: the recorder is ours alone now. */
	if (cap.lost)
		fng_die(FNG_EXIT_UNSUPPORTED, "events were lost (the ring overflowed): %s not written, it would be "
			"incomplete; run the baseline again", o.out);
	if (cap.err || fng_recorder_build(cap.rec, o.mode, &code, &learned) < 0)
		fng_die(FNG_EXIT_UNSUPPORTED, "out of memory");
	if (o.merge) {
		if (fng_allowlist_merge(old.allow, learned) < 0)
			fng_die(FNG_EXIT_UNSUPPORTED, "out of memory");
		if (o.mode_given)
			old.allow->mode = o.mode;
		write_profile(o.out, old.allow);
		fng_policy_free(&old);
	} else {
		write_profile(o.out, learned);
	}
	fng_recorder_code_writes(cap.rec, &code, code_notice, NULL);
	fprintf(stderr, "fnguard: baseline: %zu distinct things seen, %zu allowlist entries written to %s\n",
		fng_recorder_count(cap.rec), fng_allowlist_entries(learned), o.out);
	fng_allowlist_free(learned);
	fng_recorder_free(cap.rec);
	return status;
}
