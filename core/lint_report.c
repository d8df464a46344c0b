#include "core/lint_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "core/sanitize.h"
#include "core/workspace.h"
#include "core/xalloc.h"

#ifndef CSF_VERSION
#define CSF_VERSION "0.0.0"
#endif
#define CSF_HOMEPAGE "https://github.com/connectsoft/csf-tui"
#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

bool
csf_report_format_parse(const char *s, enum csf_report_format *out)
{
	if (!s)
		return false;
	if (!strcmp(s, "text"))
		*out = CSF_REPORT_TEXT;
	else if (!strcmp(s, "json"))
		*out = CSF_REPORT_JSON;
	else if (!strcmp(s, "sarif"))
		*out = CSF_REPORT_SARIF;
	else
		return false;
	return true;
}

const char *
csf_sarif_level(enum csf_severity s)
{
	switch (s) {
	case CSF_SEV_ERROR: return "error";
	case CSF_SEV_WARNING: return "warning";
	default: return "note";
	}
}

/* The file (and its workspace index) whose path is `path`. */
static const struct csf_ws_file *
find_file(const struct csf_workspace *const *ws, size_t nws, const char *path, size_t *wsi)
{
	size_t w, i;

	for (w = 0; w < nws; w++)
		for (i = 0; i < ws[w]->nfiles; i++)
			if (ws[w]->files[i]->path == path || !strcmp(ws[w]->files[i]->path, path)) {
				*wsi = w;
				return ws[w]->files[i];
			}
	return NULL;
}

/* ------------------------------------------------------------------------------------------
 * Text
 */

/* Source line `line` of f into *s and *len; for a file that did not load, read it (bounded). */
static bool
source_line(const struct csf_ws_file *f, unsigned line, struct csf_buf *tmp, const char **s,
	    size_t *len)
{
	const char *p, *end;
	unsigned l = 1;

	if (!f || !line)
		return false;
	if (f->doc) {
		*s = csf_yaml_line(f->doc, line, len);
		return *s != NULL;
	}
	if (f->err.code != CSF_E_PARSE && f->err.code != CSF_E_LIMIT)
		return false;
	csf_buf_reset(tmp);
	if (csf_buf_read_file(tmp, f->path, 8u << 20) < 0 || memchr(tmp->buf, '\0', tmp->len))
		return false;
	for (p = tmp->buf, end = p + tmp->len; p < end && l < line; p++)
		if (*p == '\n')
			l++;
	if (l != line || p > end)
		return false;
	*s = p;
	while (p < end && *p != '\n' && *p != '\r')
		p++;
	*len = (size_t)(p - *s);
	return true;
}

static size_t
count_chars(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

static void
report_text(struct csf_buf *out, const struct csf_lint_result *r,
	    const struct csf_workspace *const *ws, size_t nws, size_t nfiles, bool ascii)
{
	struct csf_buf tmp = CSF_BUF_INIT, san = CSF_BUF_INIT, filebuf = CSF_BUF_INIT;
	unsigned flags = ascii ? CSF_SAN_ASCII : 0;
	size_t i, wsi;

	for (i = 0; i < r->n; i++) {
		const struct csf_diag *d = &r->diags[i];
		const struct csf_ws_file *f = find_file(ws, nws, d->file, &wsi);
		const char *line;
		size_t len;

		csf_buf_addstr(out, csf_sanitize_tmp(&tmp, d->file, flags));
		if (d->loc.line)
			csf_buf_addf(out, ":%u:%u", d->loc.line, d->loc.col ? d->loc.col : 1);
		csf_buf_addf(out, ": %s: %s [%s]\n", csf_severity_name(d->sev),
			     csf_sanitize_tmp(&tmp, d->msg, flags), d->rule);
		if (source_line(f, d->loc.line, &filebuf, &line, &len)) {
			size_t col = d->loc.col ? d->loc.col - 1 : 0, off = 0, c = 0, caret;

			while (off < len && c < col) {
				off++;
				while (off < len && ((unsigned char)line[off] & 0xc0) == 0x80)
					off++;
				c++;
			}
			csf_buf_reset(&san);
			csf_sanitize_buf(&san, line, off, flags);
			caret = count_chars(san.buf, san.len);
			csf_buf_reset(&san);
			if (len > 200) {
				csf_sanitize_buf(&san, line, off < 200 ? 200 : off + 40 < len ? off + 40 : len,
						 flags);
				csf_buf_addstr(&san, " …");
			} else {
				csf_sanitize_buf(&san, line, len, flags);
			}
			csf_buf_addf(out, "%5u | %s\n      | ", d->loc.line, san.buf);
			csf_buf_addchars(out, ' ', caret);
			csf_buf_addstr(out, "^\n");
		}
		if (d->hint)
			csf_buf_addf(out, "      = hint: %s\n", csf_sanitize_tmp(&tmp, d->hint, flags));
		if (d->cells)
			csf_buf_addf(out, "      = in: %s\n", csf_sanitize_tmp(&tmp, d->cells, flags));
		if (d->fix)
			csf_buf_addf(out, "      = fix: %s (--fix)\n", d->fix->title);
	}
	csf_buf_addf(out, "%zu error%s, %zu warning%s, %zu info%s in %zu file%s\n",
		     r->nerrors, r->nerrors == 1 ? "" : "s", r->nwarnings,
		     r->nwarnings == 1 ? "" : "s", r->ninfos, r->ninfos == 1 ? "" : "s", nfiles,
		     nfiles == 1 ? "" : "s");
	csf_buf_release(&tmp);
	csf_buf_release(&san);
	csf_buf_release(&filebuf);
}

/* ------------------------------------------------------------------------------------------
 * JSON
 */

static void
add_print(struct csf_buf *out, cJSON *root)
{
	char *s = cJSON_Print(root);

	if (!s)
		csf_die("cJSON: out of memory");
	csf_buf_addstr(out, s);
	csf_buf_addch(out, '\n');
	cJSON_free(s);
	cJSON_Delete(root);
}

static void
report_json(struct csf_buf *out, const struct csf_lint_result *r, size_t nfiles)
{
	cJSON *root = cJSON_CreateObject(), *arr, *sum;
	size_t i;

	cJSON_AddStringToObject(root, "tool", "csf-tui");
	cJSON_AddStringToObject(root, "version", CSF_VERSION);
	arr = cJSON_AddArrayToObject(root, "findings");
	for (i = 0; i < r->n; i++) {
		const struct csf_diag *d = &r->diags[i];
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "rule", d->rule);
		cJSON_AddStringToObject(o, "severity", csf_severity_name(d->sev));
		cJSON_AddStringToObject(o, "file", d->file);
		cJSON_AddNumberToObject(o, "line", d->loc.line);
		cJSON_AddNumberToObject(o, "column", d->loc.col);
		cJSON_AddStringToObject(o, "message", d->msg);
		if (d->hint)
			cJSON_AddStringToObject(o, "hint", d->hint);
		else
			cJSON_AddNullToObject(o, "hint");
		if (d->cells)
			cJSON_AddStringToObject(o, "cells", d->cells);
		else
			cJSON_AddNullToObject(o, "cells");
		if (d->fix)
			cJSON_AddStringToObject(o, "fix", d->fix->title);
		else
			cJSON_AddNullToObject(o, "fix");
		cJSON_AddItemToArray(arr, o);
	}
	sum = cJSON_AddObjectToObject(root, "summary");
	cJSON_AddNumberToObject(sum, "errors", (double)r->nerrors);
	cJSON_AddNumberToObject(sum, "warnings", (double)r->nwarnings);
	cJSON_AddNumberToObject(sum, "infos", (double)r->ninfos);
	cJSON_AddNumberToObject(sum, "files", (double)nfiles);
	add_print(out, root);
}

/* ------------------------------------------------------------------------------------------
 * SARIF 2.1.0
 */

/* Percent-encodes a relative path for a URI (keeps unreserved characters and '/'). */
static void
uri_encode(struct csf_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
			csf_buf_addch(b, c);
		} else {
			csf_buf_addch(b, '%');
			csf_buf_addch(b, hex[c >> 4]);
			csf_buf_addch(b, hex[c & 15]);
		}
	}
}

static char *
rule_name(const char *id)
{
	struct csf_buf b = CSF_BUF_INIT;
	bool up = true;

	for (; *id; id++) {
		if (*id == '-') {
			up = true;
			continue;
		}
		csf_buf_addch(&b, up && *id >= 'a' && *id <= 'z' ? *id - 'a' + 'A' : *id);
		up = false;
	}
	return csf_buf_detach(&b, NULL);
}

static char *
base_id(size_t wsi)
{
	char buf[32];

	if (wsi == 0)
		return csf_xstrdup("WORKSPACE");
	snprintf(buf, sizeof(buf), "WORKSPACE%zu", wsi + 1);
	return csf_xstrdup(buf);
}

static void
report_sarif(struct csf_buf *out, const struct csf_lint_result *r,
	     const struct csf_workspace *const *ws, size_t nws)
{
	cJSON *root = cJSON_CreateObject(), *runs, *run, *tool, *driver, *rules, *results, *bases;
	const struct csf_rule_info *cat;
	size_t ncat, i, w;
	struct csf_buf b = CSF_BUF_INIT;

	cJSON_AddStringToObject(root, "$schema", SARIF_SCHEMA);
	cJSON_AddStringToObject(root, "version", "2.1.0");
	runs = cJSON_AddArrayToObject(root, "runs");
	run = cJSON_CreateObject();
	cJSON_AddItemToArray(runs, run);
	tool = cJSON_AddObjectToObject(run, "tool");
	driver = cJSON_AddObjectToObject(tool, "driver");
	cJSON_AddStringToObject(driver, "name", "csf-tui");
	cJSON_AddStringToObject(driver, "version", CSF_VERSION);
	cJSON_AddStringToObject(driver, "semanticVersion", CSF_VERSION);
	cJSON_AddStringToObject(driver, "informationUri", CSF_HOMEPAGE);
	rules = cJSON_AddArrayToObject(driver, "rules");
	cat = csf_lint_rules(&ncat);
	for (i = 0; i < ncat; i++) {
		cJSON *ru = cJSON_CreateObject(), *o;
		char *name = rule_name(cat[i].id);

		cJSON_AddStringToObject(ru, "id", cat[i].id);
		/* SARIF1001: a name that only differs from the id in case is not allowed. */
		if (strcasecmp(name, cat[i].id))
			cJSON_AddStringToObject(ru, "name", name);
		free(name);
		o = cJSON_AddObjectToObject(ru, "shortDescription");
		csf_buf_reset(&b);
		csf_buf_addf(&b, "%c%s.", cat[i].summary[0] >= 'a' && cat[i].summary[0] <= 'z' ?
			     cat[i].summary[0] - 'a' + 'A' : cat[i].summary[0], cat[i].summary + 1);
		cJSON_AddStringToObject(o, "text", b.buf);
		o = cJSON_AddObjectToObject(ru, "fullDescription");
		cJSON_AddStringToObject(o, "text", b.buf);
		o = cJSON_AddObjectToObject(ru, "help");
		csf_buf_reset(&b);
		csf_buf_addf(&b, "See the rule %s in csf-blueprint(5): what it finds, an example and "
			     "the fix.%s", cat[i].id,
			     cat[i].fixable ? " `csf-tui --headless lint --fix` applies the fix." : "");
		cJSON_AddStringToObject(o, "text", b.buf);
		o = cJSON_AddObjectToObject(ru, "defaultConfiguration");
		cJSON_AddStringToObject(o, "level", csf_sarif_level(cat[i].def));
		cJSON_AddItemToArray(rules, ru);
	}
	bases = cJSON_AddObjectToObject(run, "originalUriBaseIds");
	for (w = 0; w < nws; w++) {
		cJSON *o;
		char *id;

		if (!ws[w]->root)
			continue;
		id = base_id(w);
		o = cJSON_AddObjectToObject(bases, id);
		csf_buf_reset(&b);
		if (ws[w]->root[0] == '/') {
			csf_buf_addstr(&b, "file://");
			uri_encode(&b, ws[w]->root);
		} else if (strcmp(ws[w]->root, ".")) {
			uri_encode(&b, ws[w]->root);
		}
		if (b.len && b.buf[b.len - 1] != '/')
			csf_buf_addch(&b, '/');
		if (b.len)
			cJSON_AddStringToObject(o, "uri", b.buf);
		if (ws[w]->root[0] != '/')
			cJSON_AddStringToObject(o, "uriBaseId", "%SRCROOT%");
		free(id);
	}
	results = cJSON_AddArrayToObject(run, "results");
	for (i = 0; i < r->n; i++) {
		const struct csf_diag *d = &r->diags[i];
		const struct csf_rule_info *ri = csf_lint_rule(d->rule);
		const struct csf_ws_file *f = find_file(ws, nws, d->file, &w);
		cJSON *res = cJSON_CreateObject(), *o, *locs, *loc, *pl, *al, *reg;

		cJSON_AddStringToObject(res, "ruleId", d->rule);
		cJSON_AddNumberToObject(res, "ruleIndex", ri ? (double)(ri - cat) : 0);
		cJSON_AddStringToObject(res, "level", csf_sarif_level(d->sev));
		o = cJSON_AddObjectToObject(res, "message");
		csf_buf_reset(&b);
		csf_buf_addstr(&b, d->msg);
		if (d->hint)
			csf_buf_addf(&b, ". Fix: %s", d->hint);
		if (d->cells)
			csf_buf_addf(&b, " (in %s)", d->cells);
		if (b.len && b.buf[b.len - 1] != '.' && b.buf[b.len - 1] != '?')
			csf_buf_addch(&b, '.');
		cJSON_AddStringToObject(o, "text", b.buf);
		locs = cJSON_AddArrayToObject(res, "locations");
		loc = cJSON_CreateObject();
		cJSON_AddItemToArray(locs, loc);
		pl = cJSON_AddObjectToObject(loc, "physicalLocation");
		al = cJSON_AddObjectToObject(pl, "artifactLocation");
		csf_buf_reset(&b);
		if (f && ws[w]->root) {
			char *id = base_id(w);

			uri_encode(&b, f->rel);
			cJSON_AddStringToObject(al, "uri", b.buf);
			cJSON_AddStringToObject(al, "uriBaseId", id);
			free(id);
		} else if (d->file[0] == '/') {
			csf_buf_addstr(&b, "file://");
			uri_encode(&b, d->file);
			cJSON_AddStringToObject(al, "uri", b.buf);
		} else {
			uri_encode(&b, d->file);
			cJSON_AddStringToObject(al, "uri", b.buf);
			cJSON_AddStringToObject(al, "uriBaseId", "%SRCROOT%");
		}
		reg = cJSON_AddObjectToObject(pl, "region");
		cJSON_AddNumberToObject(reg, "startLine", d->loc.line ? d->loc.line : 1);
		cJSON_AddNumberToObject(reg, "startColumn", d->loc.col ? d->loc.col : 1);
		cJSON_AddItemToArray(results, res);
	}
	cJSON_AddStringToObject(run, "columnKind", "unicodeCodePoints");
	csf_buf_release(&b);
	add_print(out, root);
}

void
csf_lint_report(struct csf_buf *out, enum csf_report_format fmt, const struct csf_lint_result *r,
		const struct csf_workspace *const *ws, size_t nws, size_t nfiles, bool ascii)
{
	switch (fmt) {
	case CSF_REPORT_JSON:
		report_json(out, r, nfiles);
		break;
	case CSF_REPORT_SARIF:
		report_sarif(out, r, ws, nws);
		break;
	default:
		report_text(out, r, ws, nws, nfiles, ascii);
		break;
	}
}
