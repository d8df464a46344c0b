/* Status codes and the caller-owned error struct. The error path never allocates. */
#ifndef CSF_CORE_STATUS_H
#define CSF_CORE_STATUS_H

#include "core/xalloc.h"

#define CSF_STATUS_INFO(_) \
	_(OK,      "ok") \
	_(NOMEM,   "out of memory") \
	_(IO,      "I/O error") \
	_(PARSE,   "parse error") \
	_(LIMIT,   "limit exceeded") \
	_(USAGE,   "usage error") \
	_(LINT,    "lint errors") \
	_(RENDER,  "render error") \
	_(GIT,     "git error") \
	_(HTTP,    "HTTP error") \
	_(AUTH,    "authentication error") \
	_(GATE,    "gate blocked") \
	_(CONFLICT,"concurrent update") \
	_(READONLY,"read-only mode") \
	_(NOTFOUND,"not found")

enum csf_status {
#define CSF_STATUS_ENUM(name, str) CSF_E_##name,
	CSF_STATUS_INFO(CSF_STATUS_ENUM)
#undef CSF_STATUS_ENUM
};

const char *csf_status_str(enum csf_status code);

/* 1-based; 0 = unknown. */
struct csf_loc {
	unsigned line, col;
};

struct csf_error {
	enum csf_status code;
	struct csf_loc loc;
	char file[256];
	char msg[256];
};

#define CSF_ERROR_INIT { CSF_E_OK, { 0, 0 }, "", "" }

/* Fills err (if not NULL) and returns code. file may be NULL. */
enum csf_status csf_fail(struct csf_error *err, enum csf_status code, const char *file,
			 struct csf_loc loc, const char *fmt, ...) CSF_PRINTF(5, 6);

/* Formats "file:line:col: msg" (parts that are unknown are left out) into out[n]. */
const char *csf_error_format(const struct csf_error *err, char *out, size_t n);

void csf_error_clear(struct csf_error *err);

#endif
