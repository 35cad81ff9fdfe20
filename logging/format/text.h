/* fnguard trace's human-readable format (docs/cli.md, "fnguard trace"): one
 * line per watched call, strace-like, and a summary at exit. Runs on the
 * logging thread, as a sink format next to JSON and OCSF. */
#ifndef FNG_TEXT_H
#define FNG_TEXT_H

#include "logging/event.h"
#include "logging/format/format.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Classes (-e file,net,process,dns). */
#define FNG_TEXT_CLASS_FILE 1u
#define FNG_TEXT_CLASS_NET 2u
#define FNG_TEXT_CLASS_PROCESS 4u
#define FNG_TEXT_CLASS_DNS 8u
#define FNG_TEXT_NCLASSES 4

struct fng_text_opts {
	uint32_t classes;	/* FNG_TEXT_CLASS_* shown (any format); 0: all */
	bool stacks;		/* a native stack under each line that has one */
	bool colour;		/* ANSI colours (the output is a terminal) */
	unsigned frames;	/* the innermost frames shown at the end of the line (fnguard run); 0: none */
	bool names;		/* the process name after the pid: [pid 42 python3] (fnguard run) */
	bool decisions;		/* the summary counts what was not allowed by rule and target (fnguard run) */
};

/* "file" -> FNG_TEXT_CLASS_FILE ...; 0 if unknown. */
uint32_t fng_text_class_parse(const char *name);
/* The class of an event; 0 for lifecycle events (always shown). */
uint32_t fng_text_class_of(const struct fng_event *ev);

struct fng_text;

/* NULL when out of memory. */
struct fng_text *fng_text_new(const struct fng_text_opts *o);
void fng_text_free(struct fng_text *tx);
/* The lines for one event ('\n'-terminated, malloc'd), counted in the summary. */
int fng_text_event(struct fng_text *tx, const struct fng_event *ev, char **out, size_t *len);
/* The exit: how the command ended and the summary. */
int fng_text_exit(struct fng_text *tx, const struct fng_exit_info *xi, char **out, size_t *len);
int fng_text_loss(const struct fng_loss_info *li, char **out, size_t *len);

/* text_summary.c: counts per class and decision, top files, hosts and
 * programs, in bounded tables. It does not call back into text.c: the
 * caller gives each event's class (fng_text_class_of; 0: not counted). */
#define FNG_SUMMARY_KEYS 256	/* distinct names kept per table */
#define FNG_SUMMARY_TOP 10	/* names shown per table */
struct fng_summary;
struct fng_summary *fng_summary_new(void);
void fng_summary_free(struct fng_summary *s);
void fng_summary_add(struct fng_summary *s, const struct fng_event *ev, uint32_t cls);
/* decisions: also what was not simply allowed, by rule and target (fnguard run). */
void fng_summary_print(const struct fng_summary *s, FILE *f, bool decisions);

#endif
