/* Decisions: what each rule family says about one call, from facts the
 * tracer gathered (a resolved path, an address and what is known of it, the
 * program an exec runs), the phase and the policy as it applies in that
 * phase. Pure: no ptrace, no /proc, no I/O; the tracer gathers facts and
 * applies verdicts (tracer/enforce.c). test/unit/test_decide.c runs a table
 * of cases through every function here. */
#ifndef FNG_DECIDE_H
#define FNG_DECIDE_H

#include "logging/event.h"	/* struct fng_ev_image, enum fng_fn_phase */
#include "policy/policy.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* What a check decided about one call: the rule and mode that apply (the
 * strictest finding), the errno a block fails the call with, and why. */
struct fng_decision {
	enum fng_rule rule;	/* FNG_RULE_NONE: nothing to say */
	enum fng_mode mode;
	int err;		/* errno for a block (0: EACCES) */
	char reason[160];
};

/* What a rule guards, in words: an event's reason when nothing more
 * precise was said. */
const char *fng_decide_rule_reason(enum fng_rule rule);

/* Keep the strictest finding: block over alert over allow. */
void fng_decide_take(struct fng_decision *v, enum fng_rule rule, enum fng_mode mode);

/* Where a decision is made: the policy as it applies in the current phase
 * (fng_policy_for_phase) and whether initialisation is over. */
struct fng_decide_ctx {
	const struct fng_policy *policy;
	bool init_done;
};

/* function.phase of events: none without a Runtime API, else init or invoke. */
enum fng_fn_phase fng_decide_fn_phase(bool have_api, bool init_done);
/* Is read_handler watching (it arms when initialisation ends)? */
bool fng_decide_handler_armed(const struct fng_decide_ctx *c);
/* Does an open with these flags write (the allowlist's files.write)? */
bool fng_decide_open_writes(uint64_t flags);

/* read_write_tmp, read_handler and the allowlist on one path a call names. */
struct fng_file_facts {
	const char *path;	/* resolved; at an open's exit stop, /proc/PID/fd's text */
	bool in_tmp;		/* it lies in the temp root */
	bool handler;		/* an open of a handler file (with read_handler armed) */
	bool write;		/* the call writes it (files.write), else reads */
	bool named;		/* a second path: the reason names it */
	bool opened;		/* path is /proc/PID/fd's text: " (deleted)" is cut */
};
void fng_decide_file(const struct fng_decide_ctx *c, const struct fng_file_facts *f, struct fng_decision *v);

/* A file identity (device and inode). */
struct fng_object {
	dev_t dev;
	ino_t ino;
};

/* A create_child_process exception naming a path, resolved at start. */
#define FNG_DECIDE_PATH_MAX 4096
struct fng_exec_allow {
	const char *path;		/* as the policy wrote it */
	char real[FNG_DECIDE_PATH_MAX];	/* canonical */
	struct fng_object obj;
	bool have_obj;			/* it existed at start */
};

/* What an exec runs: the program as named, and the ELF file that runs it
 * (the program, or a script's #! interpreter). */
struct fng_exec_target {
	char path[FNG_DECIDE_PATH_MAX];	/* the program (resolved), or /proc/TID/exe's target */
	struct fng_ev_image image;	/* the ELF: details.executable */
	struct fng_object prog, elf;
	bool have_prog, have_elf, script;
	bool elf_new;	/* the ELF's status changed during the run (written, copied, created) */
};

/* Is the program, or the ELF that runs it, a create_child_process
 * exception (by path, by file object, or by build-id)? */
/* Is interp (an ELF's PT_INTERP, "" for none) the system's dynamic loader,
 * so that a build-id names all the code an exec starts with? */
bool fng_decide_interp_trusted(const char *interp);
bool fng_decide_exec_excepted(const struct fng_policy *p, const struct fng_exec_allow *allow, size_t n_allow,
			      const struct fng_exec_target *x);
/* Does deciding on an exec need its target (exceptions or an allowlist)? */
bool fng_decide_exec_needs_target(const struct fng_policy *p);

/* create_child_process, read_write_tmp and the allowlist on an exec. */
struct fng_exec_facts {
	const char *path;			/* resolved, or as passed when not */
	bool resolved;				/* the path resolved */
	bool in_tmp;				/* ... into the temp root */
	const struct fng_exec_target *target;	/* when fng_decide_exec_needs_target, else NULL */
	const struct fng_exec_allow *allow;	/* the path exceptions, resolved at start */
	size_t n_allow;
	bool launch;				/* the runtime's launch (policy/launch.h) */
};
/* *excepted: let through as an exception of create_child_process. */
void fng_decide_exec(const struct fng_decide_ctx *c, const struct fng_exec_facts *f, struct fng_decision *v,
		     bool *excepted);
/* The allowlist alone on what an exec ran (its exec stop). */
void fng_decide_exec_allowlist(const struct fng_decide_ctx *c, const char *path, const struct fng_ev_image *im,
			       struct fng_decision *v);

/* outbound_connectivity and the allowlist on one destination. */
struct fng_net_facts {
	bool inet;		/* an IP destination */
	const uint8_t *addr;	/* 16-byte form (policy.h) */
	uint16_t port;
	bool runtime_api;	/* the Runtime API the runtime talks to (fnguard's proxy, or the real one) */
	bool real_api;		/* the real Runtime API behind fnguard's proxy */
	bool resolver;		/* a trusted DNS resolver's address */
	const char *name;	/* the name the function's lookups gave the address, or NULL */
	bool names_complete;	/* fnguard's own lookup of the exact host names is in name */
};
enum fng_dest_verdict {
	FNG_DEST_DENIED = 0,
	FNG_DEST_ALLOWED,
	/* Denied unless fnguard's own lookup of the policy's exact host names
	 * names the address: look them up, and decide again (names_complete). */
	FNG_DEST_ASK_NAMES,
};
/* Is the destination let through outbound_connectivity: exempt (loopback
 * unless judged, the Runtime API, a lookup to a trusted resolver), an
 * address exception, or an address of an allowed host name? */
enum fng_dest_verdict fng_decide_dest(const struct fng_policy *p, const struct fng_net_facts *f);
/* The allowlist on a destination: true if it lets it through (the Runtime
 * API and lookups to a trusted resolver are not judged). */
bool fng_decide_net_allowlisted(const struct fng_decide_ctx *c, const struct fng_net_facts *f);
/* Both, on one destination of a call. The verdict's first offender is kept:
 * nothing changes when v already has a rule. *offends: this destination is
 * the verdict's (its details go in the event). Asks for names as
 * fng_decide_dest does (returns false then, v unchanged). */
bool fng_decide_net(const struct fng_decide_ctx *c, const struct fng_net_facts *f, struct fng_decision *v,
		    bool *offends);
/* Reaching the real Runtime API past the proxy: blocked whatever
 * outbound_connectivity says. */
void fng_decide_real_api(struct fng_decision *v);
/* A raw or packet socket (socket(2) domain and type): packets to any address. */
void fng_decide_raw_socket(const struct fng_decide_ctx *c, int domain, int type, struct fng_decision *v);
/* bind of an AF_UNIX socket path in the temp root: read_write_tmp. */
void fng_decide_bind(const struct fng_decide_ctx *c, struct fng_decision *v);

/* executable_memory: "block" (docs/policy.md): may this call make memory
 * executable? The facts of the call and, for a file mapping, of the file. */
enum fng_execmem_call { FNG_EXECMEM_MMAP, FNG_EXECMEM_MPROTECT, FNG_EXECMEM_SHMAT };
struct fng_execmem_facts {
	enum fng_execmem_call call;
	bool exec;		/* PROT_EXEC (SHM_EXEC) asked for */
	bool write;		/* PROT_WRITE asked for too */
	bool anonymous;		/* MAP_ANONYMOUS, or no file */
	bool file_known;	/* the file's facts below were read */
	bool regular;		/* a regular file */
	bool in_tmp;		/* in the temp root */
	bool changed;		/* its status changed since fnguard started (written, created, a memfd) */
	bool unlinked;		/* no name left (st_nlink == 0) */
};
/* NULL: allowed; else why it is refused. */
const char *fng_decide_execmem(const struct fng_execmem_facts *f);

#endif
