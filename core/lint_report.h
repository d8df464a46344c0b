/* Lint results as text (like a compiler), JSON and SARIF 2.1.0.
 *
 * text   `file:line:col: severity: message [rule]`, the source line (control characters and
 *        escape sequences replaced), a caret under the column, then `= hint:` and `= in:` (the
 *        tenant/environment cells, when the finding is not in every cell); a summary line last.
 * json   { "tool", "version", "findings": [ { rule, severity, file, line, column, message,
 *        hint, cells, fix } ], "summary": { errors, warnings, infos, files } }
 * sarif  one run; tool.driver carries the whole rule catalog; every result's artifact URI is
 *        relative to its workspace folder, with uriBaseId WORKSPACE (WORKSPACE2, … when several
 *        workspaces are linted together) defined in originalUriBaseIds relative to %SRCROOT%
 *        (the current folder); loose files use %SRCROOT% directly.
 *
 * The workspaces give the source lines and the roots; a diag's file must be the path of one of
 * their files (diag->file as csf_lint_* set it).
 */
#ifndef CSF_CORE_LINT_REPORT_H
#define CSF_CORE_LINT_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/lint.h"

enum csf_report_format {
	CSF_REPORT_TEXT,
	CSF_REPORT_JSON,
	CSF_REPORT_SARIF,
};

/* "text", "json" or "sarif"; false for anything else. */
bool csf_report_format_parse(const char *s, enum csf_report_format *out);

/* Appends the report of r to out. nfiles is the number of files linted (for the summary).
 * ascii: replace non-ASCII characters of echoed source lines (LANG=C terminals). */
void csf_lint_report(struct csf_buf *out, enum csf_report_format fmt,
		     const struct csf_lint_result *r, const struct csf_workspace *const *ws,
		     size_t nws, size_t nfiles, bool ascii);

/* The SARIF level for a severity: "error", "warning" or "note". */
const char *csf_sarif_level(enum csf_severity s);

#endif
