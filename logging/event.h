/* The event model: a fixed-size binary record the tracer fills on its hot path
 * (no formatting, no allocation), copied strings included. The logging thread
 * turns it into JSON. docs/events.md is the public reference for the output. */
#ifndef FNG_EVENT_H
#define FNG_EVENT_H

#include <stdint.h>

#include "common/clock.h"
#include "logging/stack.h"

enum fng_event_type {
	FNG_EV_FILE = 0,
	FNG_EV_PROCESS,
	FNG_EV_NETWORK,
	FNG_EV_DNS,
	FNG_EV_INPUT,
	FNG_EV_OUTPUT,
	FNG_EV_LIFECYCLE,
};

enum fng_action {
	FNG_ACT_NONE = 0,
	FNG_ACT_BLOCKED,
	FNG_ACT_ALERTED,
	FNG_ACT_KILLED,		/* the offending process was killed */
	FNG_ACT_ALLOWED,
};

/* details.access of file events in observe mode (bits). */
#define FNG_ACCESS_READ 1u
#define FNG_ACCESS_WRITE 2u
#define FNG_ACCESS_CREATE 4u

/* When an event happened: the function's phase (function.phase). */
enum fng_fn_phase {
	FNG_FN_PHASE_NONE = 0,	/* no Runtime API: no phases */
	FNG_FN_PHASE_INIT,	/* before the runtime's first Runtime API call */
	FNG_FN_PHASE_INVOKE,	/* serving invocations */
};

#define FNG_EV_RULE_MAX 24
#define FNG_EV_MODE_MAX 8
#define FNG_EV_ARGV_MAX 512
#define FNG_EV_PATH_MAX 1024

enum fng_linkage {
	FNG_LINK_NONE = 0,	/* not an ELF file, or unreadable */
	FNG_LINK_STATIC,
	FNG_LINK_STATIC_PIE,	/* ET_DYN without PT_INTERP */
	FNG_LINK_DYNAMIC,	/* has PT_INTERP */
};

enum fng_image_source {
	FNG_IMAGE_NONE = 0,	/* no identity section */
	FNG_IMAGE_EXE,		/* /proc/PID/exe after the exec: what the kernel mapped */
	FNG_IMAGE_PATH,		/* the exec was refused: the file at the resolved path */
};

/* What an exec ran (or would have run): details.executable. */
struct fng_ev_image {
	uint8_t source;		/* enum fng_image_source */
	uint8_t linkage;	/* enum fng_linkage */
	uint8_t build_id_len;
	uint8_t build_id[FNG_BUILD_ID_MAX];
	char path[256];		/* the ELF file */
	char interp[64];	/* PT_INTERP */
	char shebang[128];	/* a script's #! line, without "#!" */
};

struct fng_event {
	uint64_t time_ns;		/* CLOCK_REALTIME */
	uint8_t type;			/* enum fng_event_type */
	uint8_t action;			/* enum fng_action */
	uint8_t fn_phase;		/* enum fng_fn_phase (function.phase) */
	uint8_t would;			/* observe without enforcing: what the policy would have done (FNG_ACT_BLOCKED), else 0 */
	uint8_t access;			/* file events in observe mode: FNG_ACCESS_* */
	int32_t error;			/* errno the call got, 0 if none */
	char rule[FNG_EV_RULE_MAX];	/* policy: the rule's name as the policy writes it; "" for none */
	char mode[FNG_EV_MODE_MAX];	/* mode: its mode ("block", "alert") when rule is set */
	int32_t pid, ppid, uid;		/* 0: no process section */
	char syscall[24];
	char comm[16];
	char exe[256];
	char cmdline[256];
	char path[FNG_EV_PATH_MAX];	/* details.path / details.program */
	char path2[256];		/* details.target: rename/link destination */
	char host[256];			/* details.host: the name looked up, else the address; dns: details.name */
	char ip[48];			/* details.ip: the address text */
	char protocol[8];		/* details.protocol: tcp, udp, raw, packet */
	char qtype[8];			/* dns: details.qtype (A, AAAA, or the number) */
	uint16_t port;
	uint16_t argc;			/* strings in argv, NUL-separated (dns: the answers) */
	char argv[FNG_EV_ARGV_MAX];
	char reason[160];		/* details.reason: why, in words */
	char phase[16];			/* lifecycle: start, exit, unprotected, notice */
	char message[256];		/* lifecycle: free text */
	struct fng_ev_image image;	/* process events: what was executed */
	char request_id[64];		/* function.request_id: the invocation running (Runtime API proxy) */
	char trace_id[192];		/* function.trace_id: its Lambda-Runtime-Trace-Id */
	char match[160];		/* details.match: the built-in detector or rule that matched (payload checks) */
	char excerpt[128];		/* details.excerpt: a short redacted excerpt of what matched */
	char cls[24];			/* details.class: the input firewall's attack class */
	uint64_t count;			/* an aggregate of repeats (logging/aggregate.h): how many, else 0 */
	uint64_t first_ns;		/* an aggregate: the first repeat's time (time_ns is the last) */
	uint8_t stack_end;		/* enum fng_stack_end, also when stack is NULL */
	struct fng_stack *stack;	/* alert/block events: a pool slot, released after formatting */
};

/* Counters shared by the tracer (writer) and the logging thread (reader). */
struct fng_counters {
	_Atomic uint64_t emitted;
	_Atomic uint64_t dropped;	/* ring full: never silent, reported at exit */
	_Atomic uint64_t aggregated;	/* folded into an aggregate instead of a line of their own */
	_Atomic uint64_t blocked;
	_Atomic uint64_t alerted;
	_Atomic uint64_t processes;	/* processes and threads seen */
	_Atomic uint64_t traced_calls;	/* seccomp stops handled */
	_Atomic uint64_t path_cache_hits;	/* lstat/readlink answered by the name cache */
};

#endif
