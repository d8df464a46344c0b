/* The linter: the rule catalog of DESIGN §3 over a workspace.
 *
 * Findings are data (struct csf_diag), owned by a struct csf_lint_result. Rules run on the raw
 * file (schema, duplicates, secrets, suppressions) and on the effective blueprint for each
 * (tenant, environment) cell asked for; a finding seen in several cells is reported once, at
 * the position in the file that set the offending value (provenance), with the cells listed.
 * Workspace-wide rules (event contracts, traffic to unknown modules) run once per workspace.
 *
 * Severity: each rule has a default; csf.yaml `lint.severity` overrides it ("off" disables);
 * `lint.disable` and `# csf-lint: disable=rule[,rule] reason` comments on the line or the line
 * above suppress it.
 */
#ifndef CSF_CORE_LINT_H
#define CSF_CORE_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/status.h"
#include "core/workspace.h"

enum csf_severity {
	CSF_SEV_OFF,
	CSF_SEV_INFO,
	CSF_SEV_WARNING,
	CSF_SEV_ERROR,
};

const char *csf_severity_name(enum csf_severity s);	/* "info", "warning", "error" */

/* One text edit on a file's bytes: replace [off, off+del) with text. */
struct csf_edit {
	size_t off, del;
	char *text;
};

/* A fix: edits on one file, applied together; edits never overlap. */
struct csf_fix {
	char *title;			/* "add liveness and readiness probes" */
	struct csf_edit *edits;
	size_t nedits;
};

struct csf_diag {
	const char *rule;		/* stable kebab-case id (static storage) */
	enum csf_severity sev;
	const char *file;		/* borrowed from the workspace */
	struct csf_loc loc;
	char *msg;
	char *hint;			/* how to fix, or NULL */
	struct csf_fix *fix;		/* machine fix, or NULL */
	char *cells;			/* "vetclinic-001/production, …" when found in cells, or NULL */
};

struct csf_lint_result {
	struct csf_diag *diags;		/* sorted by file, line, col, rule */
	size_t n, alloc;
	size_t nerrors, nwarnings, ninfos;
};

struct csf_lint_opts {
	const char *tenant;		/* only this tenant's cells; NULL: every tenant */
	const char *env;		/* only this environment; NULL: every environment */
};

struct csf_rule_info {
	const char *id;
	enum csf_severity def;
	const char *summary;
	bool fixable;
};

/* The catalog, in a stable order. Borrowed, static. */
const struct csf_rule_info *csf_lint_rules(size_t *n);
const struct csf_rule_info *csf_lint_rule(const char *id);

/* Parses "off", "info", "warning" or "error"; false for anything else. */
bool csf_lint_parse_severity(const char *s, enum csf_severity *out);

/* Lints every file of ws. Fails only for a bad option (unknown tenant or environment:
 * CSF_E_USAGE); findings go to out. */
enum csf_status csf_lint_workspace(const struct csf_workspace *ws, const struct csf_lint_opts *o,
				   struct csf_lint_result *out, struct csf_error *err);

/* Lints one file of ws (with the workspace-wide rules restricted to findings in that file). */
enum csf_status csf_lint_file(const struct csf_workspace *ws, const struct csf_ws_file *f,
			      const struct csf_lint_opts *o, struct csf_lint_result *out,
			      struct csf_error *err);

void csf_lint_result_release(struct csf_lint_result *r);

/* Frees a fix (NULL is a no-op). */
void csf_fix_free(struct csf_fix *fix);

/* Applies fixes (all for the same file) to text into out. Overlapping edits are skipped
 * (the later one) and counted in *skipped. */
void csf_fix_apply(const char *text, size_t len, const struct csf_fix *const *fixes, size_t n,
		   struct csf_buf *out, size_t *skipped);

#endif
