/* The logger's formats (logger_internal.h): one event, the exit event or a
 * loss report in a given format; a sink takes the run's format or its own
 * (docs/events.md); a formatted line sealed and handed to the sinks of its
 * format; an event's syslog severity. Logging thread only. */
#include "logging/logger_internal.h"
#include "common/util.h"

#include <string.h>

int fng_logger_format_event(struct fng_logger *lg, enum fng_log_format fmt, const struct fng_event *ev, char **text,
			size_t *len)
{
	switch (fmt) {
	case FNG_FORMAT_OCSF: return fng_ocsf_event(ev, &lg->fn, &lg->ocsf, text, len);
	case FNG_FORMAT_TEXT: return fng_text_event(lg->text, ev, text, len);
	case FNG_FORMAT_FALCO: return fng_dropin_falco_event(&lg->dropin, ev, fng_logger_severity(ev), text, len);
	case FNG_FORMAT_IRON: return fng_dropin_iron_event(&lg->dropin, ev, text, len);
	default: return fng_format_event(ev, &lg->fn, text, len);
	}
}

int fng_logger_format_exit(struct fng_logger *lg, enum fng_log_format fmt, const struct fng_exit_info *xi, char **out,
			   size_t *len)
{
	switch (fmt) {
	case FNG_FORMAT_OCSF: return fng_ocsf_exit(xi, &lg->fn, &lg->ocsf, out, len);
	case FNG_FORMAT_TEXT: return fng_text_exit(lg->text, xi, out, len);
	case FNG_FORMAT_FALCO: return fng_dropin_falco_exit(&lg->dropin, xi, out, len);
	case FNG_FORMAT_IRON: return 1;
	default: return fng_format_exit(xi, &lg->fn, out, len);
	}
}

int fng_logger_format_loss(struct fng_logger *lg, enum fng_log_format fmt, const struct fng_loss_info *li, char **out,
			   size_t *len)
{
	switch (fmt) {
	case FNG_FORMAT_OCSF: return fng_ocsf_loss(li, fng_now_ns(), &lg->fn, &lg->ocsf, out, len);
	case FNG_FORMAT_TEXT: return fng_text_loss(li, out, len);
	case FNG_FORMAT_FALCO: return fng_dropin_falco_loss(&lg->dropin, li, out, len);
	case FNG_FORMAT_IRON: return 1;
	default: return fng_format_loss(li, fng_now_ns(), &lg->fn, out, len);
	}
}

enum fng_log_format fng_logger_sink_format(const struct fng_logger *lg, size_t i)
{
	int f = lg->sinks[i]->spec.format;

	return f > 0 && f <= FNG_FORMAT_N ? (enum fng_log_format)(f - 1) : lg->format;
}

uint64_t fng_logger_publish(struct fng_logger *lg, enum fng_log_format fmt, uint64_t seq, const char *text, size_t len,
			    uint64_t time_ns, uint8_t severity, const char *msgid, bool own, bool only_ready, uint8_t cls)
{
	autofree char *sealed = NULL;
	/* Iron Function's receivers get its schema as it is: no seq, run, mac. */
	bool record = fmt != FNG_FORMAT_TEXT && fmt != FNG_FORMAT_IRON;
	struct fng_line *l;

	if (!seq)
		seq = lg->seq + 1;
	/* JSON lines carry their sequence number and run id (and a mac with
	 * a key): trace's text lines are for people. */
	if (record && fng_seal_line(&lg->seal, seq, text, len, &sealed, &len) < 0) {
		lg->format_failed++;
		return 0;
	}
	l = fng_line_new(record ? sealed : text, len);
	if (!l) {
		lg->format_failed++;
		return 0;
	}
	l->record = record;
	l->seq = seq;
	if (seq > lg->seq)
		lg->seq = seq;
	l->time_ns = time_ns;
	l->severity = severity;
	l->own = own;
	l->cls = cls;
	fng_strlcpy(l->msgid, msgid, sizeof(l->msgid));
	for (size_t i = 0; i < lg->n_sinks; i++) {
		struct fng_sink *s = lg->sinks[i];
		if (fng_logger_sink_format(lg, i) != fmt || (only_ready && (s->closing || !s->ops->ready(s))))
			continue;
		fng_sink_push(s, l);
	}
	fng_line_unref(l);
	return seq;
}

/* Syslog severity of an event (docs/events.md). */
uint8_t fng_logger_severity(const struct fng_event *ev)
{
	if (ev->type == FNG_EV_LIFECYCLE)
		return strcmp(ev->phase, "unprotected") == 0 ? 2 : strncmp(ev->phase, "sink", 4) == 0 ? 4 : 6;
	switch (ev->action) {
	case FNG_ACT_KILLED: return 3;
	case FNG_ACT_BLOCKED: return 4;
	case FNG_ACT_ALERTED: return 5;
	default: return 6;
	}
}
