/* The logger's formats (logger_internal.h): one event, the exit event or a
 * loss report in a given format; a sink takes the run's format or its own
 * (docs/events.md). Logging thread only. */
#include "logging/logger_internal.h"
#include "common/util.h"

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
