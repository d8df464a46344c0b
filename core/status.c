#include "core/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const status_names[] = {
#define CSF_STATUS_NAME(name, str) str,
	CSF_STATUS_INFO(CSF_STATUS_NAME)
#undef CSF_STATUS_NAME
};

const char *
csf_status_str(enum csf_status code)
{
	if ((size_t)code >= sizeof(status_names) / sizeof(status_names[0]))
		return "unknown error";
	return status_names[code];
}

enum csf_status
csf_fail(struct csf_error *err, enum csf_status code, const char *file, struct csf_loc loc,
	 const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	err->loc = loc;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

const char *
csf_error_format(const struct csf_error *err, char *out, size_t n)
{
	if (err->file[0] && err->loc.line && err->loc.col)
		snprintf(out, n, "%s:%u:%u: %s", err->file, err->loc.line, err->loc.col, err->msg);
	else if (err->file[0] && err->loc.line)
		snprintf(out, n, "%s:%u: %s", err->file, err->loc.line, err->msg);
	else if (err->file[0])
		snprintf(out, n, "%s: %s", err->file, err->msg);
	else
		snprintf(out, n, "%s", err->msg);
	return out;
}

void
csf_error_clear(struct csf_error *err)
{
	memset(err, 0, sizeof(*err));
}
