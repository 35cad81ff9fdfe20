/* The event model: a fixed-size binary record the tracer fills on its hot path
 * (no formatting, no allocation), copied strings included. The logging thread
 * turns it into JSON. docs/events.md is the public reference for the output. */
#ifndef FNG_EVENT_H
#define FNG_EVENT_H

#include <stdint.h>

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

#define FNG_EV_ARGV_MAX 512
#define FNG_EV_PATH_MAX 1024

struct fng_event {
	uint64_t time_ns;		/* CLOCK_REALTIME */
	uint8_t type;			/* enum fng_event_type */
	uint8_t rule;			/* enum fng_rule, FNG_RULE_NONE for none */
	uint8_t mode;			/* enum fng_mode */
	uint8_t action;			/* enum fng_action */
	int32_t error;			/* errno the call got, 0 if none */
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
};

/* Counters shared by the tracer (writer) and the logging thread (reader). */
struct fng_counters {
	_Atomic uint64_t emitted;
	_Atomic uint64_t dropped;	/* ring full: never silent, reported at exit */
	_Atomic uint64_t blocked;
	_Atomic uint64_t alerted;
	_Atomic uint64_t processes;	/* processes and threads seen */
	_Atomic uint64_t traced_calls;	/* seccomp stops handled */
};

uint64_t fng_now_ns(void);

#endif
