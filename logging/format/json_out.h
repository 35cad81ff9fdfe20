/* JSON building helpers shared by the fnguard (format.c) and OCSF (ocsf.c)
 * formatters. */
#ifndef FNG_JSON_OUT_H
#define FNG_JSON_OUT_H

#include <json-c/json.h>
#include <stddef.h>

struct fng_event;

/* Add key: v when v is a non-empty string. */
void fng_json_add_str(json_object *o, const char *key, const char *v);
/* Rewrite every string of o (recursively) that is not valid UTF-8, with its
 * exact bytes in a KEY_hex sibling (json_utf8.c, docs/events.md). */
void fng_json_utf8_fix(json_object *o);
/* Serialise root (after fng_json_utf8_fix) plus '\n' into a malloc'd buffer and release root. 0 or -ENOMEM. */
int fng_json_finish(json_object *root, char **out, size_t *len);

struct fng_event;
struct fng_function_info;
struct fng_exit_info;
struct fng_loss_info;
/* The fnguard format's "details" objects of an event, the exit event and a loss report. */
json_object *fng_event_details_json(const struct fng_event *ev);
json_object *fng_exit_details_json(const struct fng_exit_info *xi);
json_object *fng_loss_details_json(const struct fng_loss_info *li);
/* The calling process's pid, ppid, name, exe, cmdline and uid, under
 * these keys in this order (fnguard's "process", Falco's proc.*). */
#define FNG_JSON_PROC_KEYS 6
void fng_json_add_process(json_object *o, const struct fng_event *ev, const char *const keys[FNG_JSON_PROC_KEYS]);
/* root.function {name, version, region ...} when running in Lambda. */
void fng_json_add_function(json_object *root, const struct fng_function_info *fi);
/* function.request_id and function.trace_id of the invocation an event happened in. */
void fng_json_add_invocation(json_object *root, const struct fng_event *ev);

#endif
