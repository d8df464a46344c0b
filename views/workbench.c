/* The blueprint workbench: the workspace list (blueprints with error and warning counts,
 * tenants, environments, editions), the selected file's source with line numbers, YAML
 * colouring and findings in the gutter, and the lint panel for that file: one compact row per
 * finding (severity letter, line:col, rule, message) over a detail area with the selected
 * finding's whole message, hint, fix and cells, wrapped. Enter on a finding
 * jumps to its line, e edits at the line, f applies a rule's fix after showing it, n creates a
 * blueprint from the template; Enter on a tenant or environment lints for it. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/fsutil.h"
#include "core/lint.h"
#include "core/workspace.h"
#include "core/xalloc.h"
#include "tui/app.h"
#include "views/view.h"

/* PANE_DETAIL is not a stop for Tab: it follows the lint pane's cursor. */
enum { PANE_LIST, PANE_SOURCE, PANE_LINT, PANE_DETAIL, NPANES };

static void detail_update(struct view *view, struct app *app);

/* One wrapped row of the detail area: wb->detail.buf[off, off+len). */
struct detail_row {
	size_t off, len;
};

/* A stretch of wb->detail from off to the next run's off, drawn in slot. */
struct detail_run {
	size_t off;
	enum theme_slot slot;
};

enum item_kind {
	ITEM_SECTION,
	ITEM_FILE,
};

struct item {
	enum item_kind kind;
	enum csf_file_kind fkind;	/* sections: what they list */
	const struct csf_ws_file *file;
	const char *label;		/* module, tenant id, env name, or the relative path */
	unsigned nerr, nwarn, ninfo;
};

struct workbench {
	struct item *items;
	size_t nitems, items_alloc;
	char *sel_path;			/* the selected file (survives reloads) */
	const struct csf_ws_file *file;	/* its record in app->ws, or NULL */
	struct csf_buf text;		/* its bytes as read from disk */
	size_t *line_off;		/* start of each line in text */
	size_t nlines, lines_alloc;
	size_t *diags;			/* indices into app->lint.diags for this file */
	size_t ndiags, diags_alloc;
	size_t rulew;			/* the longest rule id among them */
	unsigned char *line_sev;	/* worst severity per line (CSF_SEV_*) */
	size_t nline_sev;
	int lnw;			/* digits of the largest line number */
	char *pending_select;		/* a blueprint to select after the next reload */
	/* a previewed fix, waiting for the answer */
	char *fix_path;
	struct csf_buf fix_old, fix_new;
	char *fix_title;
	/* the selected finding, wrapped to the detail pane's width */
	struct csf_buf detail;		/* message, hint, fix and cells as one paragraph */
	struct detail_run druns[4];	/* message, hint, fix, cells */
	size_t ndruns;
	struct detail_row *drows;
	size_t ndrows, drows_alloc;
};

static const char *const section_names[] = {
	[CSF_KIND_BLUEPRINT] = "Blueprints",
	[CSF_KIND_TENANT] = "Tenants",
	[CSF_KIND_ENVIRONMENT] = "Environments",
	[CSF_KIND_EDITION] = "Editions",
	[CSF_KIND_WORKSPACE] = "Workspace",
	[CSF_KIND_UNKNOWN] = "Other files",
};

static const enum csf_file_kind section_order[] = {
	CSF_KIND_BLUEPRINT, CSF_KIND_TENANT, CSF_KIND_ENVIRONMENT, CSF_KIND_EDITION,
	CSF_KIND_WORKSPACE, CSF_KIND_UNKNOWN,
};

/* ==== building the list ===================================================================== */

static const char *
label_of(const struct csf_workspace *ws, const struct csf_ws_file *f)
{
	size_t i;

	for (i = 0; i < ws->nblueprints; i++)
		if (ws->blueprints[i].file == f && ws->blueprints[i].module)
			return ws->blueprints[i].module;
	for (i = 0; i < ws->ntenants; i++)
		if (ws->tenants[i].file == f && ws->tenants[i].id)
			return ws->tenants[i].id;
	for (i = 0; i < ws->nenvs; i++)
		if (ws->envs[i].file == f && ws->envs[i].name)
			return ws->envs[i].name;
	for (i = 0; i < ws->neditions; i++)
		if (ws->editions[i].file == f && ws->editions[i].name)
			return ws->editions[i].name;
	return f->rel ? f->rel : f->path;
}

static bool
same_file(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static void
build_items(struct workbench *wb, struct app *app)
{
	const struct csf_workspace *ws = app->ws;
	size_t s, i, d;

	wb->nitems = 0;
	if (!ws)
		return;
	for (s = 0; s < sizeof(section_order) / sizeof(section_order[0]); s++) {
		bool any = false;

		for (i = 0; i < ws->nfiles; i++) {
			const struct csf_ws_file *f = ws->files[i];
			struct item *it;

			if (f->kind != section_order[s])
				continue;
			if (!any) {
				CSF_GROW(wb->items, wb->items_alloc, wb->nitems + 1);
				it = &wb->items[wb->nitems++];
				memset(it, 0, sizeof(*it));
				it->kind = ITEM_SECTION;
				it->fkind = f->kind;
				it->label = section_names[f->kind];
				any = true;
			}
			CSF_GROW(wb->items, wb->items_alloc, wb->nitems + 1);
			it = &wb->items[wb->nitems++];
			memset(it, 0, sizeof(*it));
			it->kind = ITEM_FILE;
			it->fkind = f->kind;
			it->file = f;
			it->label = label_of(ws, f);
			for (d = 0; app->lint_valid && d < app->lint.n; d++) {
				const struct csf_diag *g = &app->lint.diags[d];

				if (!same_file(g->file, f->path))
					continue;
				it->nerr += g->sev == CSF_SEV_ERROR;
				it->nwarn += g->sev == CSF_SEV_WARNING;
				it->ninfo += g->sev == CSF_SEV_INFO;
			}
		}
	}
}

/* ==== the selected file ===================================================================== */

static void
index_lines(struct workbench *wb)
{
	size_t i;

	wb->nlines = 0;
	if (!wb->text.len)
		return;
	CSF_GROW(wb->line_off, wb->lines_alloc, 1);
	wb->line_off[wb->nlines++] = 0;
	for (i = 0; i < wb->text.len; i++)
		if (wb->text.buf[i] == '\n' && i + 1 < wb->text.len) {
			CSF_GROW(wb->line_off, wb->lines_alloc, wb->nlines + 1);
			wb->line_off[wb->nlines++] = i + 1;
		}
}

static const char *
line_text(const struct workbench *wb, size_t i, size_t *len)
{
	size_t start = wb->line_off[i];
	size_t end = i + 1 < wb->nlines ? wb->line_off[i + 1] : wb->text.len;

	while (end > start && (wb->text.buf[end - 1] == '\n' || wb->text.buf[end - 1] == '\r'))
		end--;
	*len = end - start;
	return wb->text.buf + start;
}

static void
collect_diags(struct workbench *wb, struct app *app)
{
	size_t d;

	wb->ndiags = 0;
	wb->rulew = 0;
	free(wb->line_sev);
	wb->line_sev = NULL;
	wb->nline_sev = 0;
	if (!wb->sel_path || !app->lint_valid)
		return;
	wb->nline_sev = wb->nlines + 1;
	wb->line_sev = csf_xcalloc(wb->nline_sev, 1);
	for (d = 0; d < app->lint.n; d++) {
		const struct csf_diag *g = &app->lint.diags[d];
		unsigned line = g->loc.line;

		if (!same_file(g->file, wb->sel_path))
			continue;
		CSF_GROW(wb->diags, wb->diags_alloc, wb->ndiags + 1);
		wb->diags[wb->ndiags++] = d;
		if (g->rule && strlen(g->rule) > wb->rulew)
			wb->rulew = strlen(g->rule);
		if (line >= 1 && line <= wb->nlines && g->sev > wb->line_sev[line - 1])
			wb->line_sev[line - 1] = (unsigned char)g->sev;
	}
}

static void
titles(struct view *view, struct app *app)
{
	struct workbench *wb = view->priv;
	unsigned e = 0, w = 0, i = 0;
	size_t d;

	for (d = 0; d < wb->ndiags; d++) {
		enum csf_severity s = app->lint.diags[wb->diags[d]].sev;

		e += s == CSF_SEV_ERROR;
		w += s == CSF_SEV_WARNING;
		i += s == CSF_SEV_INFO;
	}
	view_pane_title(view, PANE_LIST, "%s", app->ws && app->ws->name ? app->ws->name :
			"Workspace");
	view_pane_title(view, PANE_SOURCE, "%s", wb->file ? (wb->file->rel ? wb->file->rel :
							      wb->file->path) : "(no file)");
	if (!app->lint_valid)
		view_pane_title(view, PANE_LINT, "Findings: linting...");
	else
		view_pane_title(view, PANE_LINT, "Findings: %u error%s, %u warning%s, %u info", e,
				e == 1 ? "" : "s", w, w == 1 ? "" : "s", i);
	if (wb->file) {
		size_t k;

		for (k = 0; k < wb->nitems; k++)
			if (wb->items[k].file == wb->file) {
				view_set_crumb(view, "%s", wb->items[k].label);
				break;
			}
	} else {
		view_set_crumb(view, "%s", "");
	}
	app->pending |= TUI_REDRAW;
}

/* Shows file f (or nothing) in the source and lint panes. keep: keep the source cursor. */
static void
show_file(struct view *view, struct app *app, const struct csf_ws_file *f, bool keep)
{
	struct workbench *wb = view->priv;
	bool same = f && same_file(wb->sel_path, f->path);
	size_t n;

	wb->file = f;
	if (!same) {
		free(wb->sel_path);
		wb->sel_path = f ? csf_xstrdup(f->path) : NULL;
		keep = false;
	}
	csf_buf_reset(&wb->text);
	if (f && csf_buf_read_file(&wb->text, f->path, 64u << 20) < 0)
		csf_buf_addf(&wb->text, "# cannot read %s", f->path);
	/* Binary data is not text: one line saying so, not pages of replacement characters. */
	if (f && memchr(wb->text.buf, '\0', wb->text.len)) {
		size_t bytes = wb->text.len;

		csf_buf_reset(&wb->text);
		csf_buf_addf(&wb->text, "# binary data (%zu bytes): not shown", bytes);
	}
	index_lines(wb);
	collect_diags(wb, app);
	for (wb->lnw = 1, n = wb->nlines; n >= 10; n /= 10)
		wb->lnw++;
	if (!keep) {
		view->pane[PANE_SOURCE].cursor = 0;
		view->pane[PANE_SOURCE].top = 0;
		view->pane[PANE_SOURCE].hscroll = 0;
		view->pane[PANE_LINT].cursor = 0;
		view->pane[PANE_LINT].top = 0;
	}
	view_pane_set_rows(view, app, PANE_SOURCE, wb->nlines);
	view_pane_set_rows(view, app, PANE_LINT, wb->ndiags);
	view->pane[PANE_SOURCE].empty = f ? "(empty file)" : "(no file selected)";
	view->pane[PANE_LINT].empty = !app->lint_valid ? "linting..." :
				      f ? "no findings in this file" : NULL;
	detail_update(view, app);
	titles(view, app);
}

static size_t
find_item(const struct workbench *wb, const char *path)
{
	size_t i;

	for (i = 0; path && i < wb->nitems; i++)
		if (wb->items[i].file && same_file(wb->items[i].file->path, path))
			return i;
	return SIZE_MAX;
}

/* Finds a blueprint by module name, file name or path. */
static size_t
find_named(const struct workbench *wb, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < wb->nitems; i++) {
		const struct item *it = &wb->items[i];
		const char *p, *base;

		if (!it->file)
			continue;
		if (!strcasecmp(it->label, name))
			return i;
		p = it->file->path;
		base = strrchr(p, '/') ? strrchr(p, '/') + 1 : p;
		if (!strcmp(p, name) || (it->file->rel && !strcmp(it->file->rel, name)) ||
		    !strcasecmp(base, name) ||
		    (!strncasecmp(base, name, n) && (!strcmp(base + n, ".yaml") ||
						     !strcmp(base + n, ".yml"))))
			return i;
	}
	return SIZE_MAX;
}

static void
rebuild(struct view *view, struct app *app)
{
	struct workbench *wb = view->priv;
	size_t at;

	build_items(wb, app);
	view_pane_set_rows(view, app, PANE_LIST, wb->nitems);
	at = find_item(wb, wb->pending_select ? wb->pending_select : wb->sel_path);
	if (at == SIZE_MAX) {
		/* The selected file is gone: select the first file. */
		for (at = 0; at < wb->nitems && !wb->items[at].file; at++)
			;
	}
	if (at < wb->nitems) {
		bool keep = !wb->pending_select;

		free(wb->pending_select);
		wb->pending_select = NULL;
		view->pane[PANE_LIST].cursor = at;
		show_file(view, app, wb->items[at].file, keep);
		view_pane_goto(view, app, PANE_LIST, at);
	} else {
		show_file(view, app, NULL, false);
	}
	view_dirty(view);
}

/* ==== ops ==================================================================================== */

static bool
select_named(struct view *view, struct app *app, const char *name)
{
	struct workbench *wb = view->priv;
	size_t at = find_named(wb, name);

	if (at == SIZE_MAX) {
		tui_app_error(app, "no blueprint or file named '%s'", name);
		return false;
	}
	view_pane_goto(view, app, PANE_LIST, at);
	view_focus(view, PANE_SOURCE);
	return true;
}

static int
wb_open(struct view *view, struct app *app, struct csf_error *err)
{
	unsigned i;

	(void)err;
	view->npanes = NPANES;
	for (i = 0; i < PANE_DETAIL; i++)
		view->pane[i].flags = VIEW_PANE_CURSOR | VIEW_PANE_HEADER;
	view->pane[PANE_DETAIL].flags = VIEW_NO_FLAGS;
	view->pane[PANE_LIST].flags |= VIEW_PANE_NARROW;
	view->pane[PANE_SOURCE].flags |= VIEW_PANE_CURSOR_MARK;
	view->pane[PANE_LINT].flags |= VIEW_PANE_NARROW;
	rebuild(view, app);
	if (view->arg)
		select_named(view, app, view->arg);
	return 0;
}

static void
wb_close(struct view *view)
{
	struct workbench *wb = view->priv;

	free(wb->items);
	free(wb->sel_path);
	csf_buf_release(&wb->text);
	free(wb->line_off);
	free(wb->diags);
	free(wb->line_sev);
	free(wb->pending_select);
	free(wb->fix_path);
	free(wb->fix_title);
	csf_buf_release(&wb->fix_old);
	csf_buf_release(&wb->fix_new);
	csf_buf_release(&wb->detail);
	free(wb->drows);
}

/* ---- the selected finding ------------------------------------------------------------------ */

/* Wraps wb->detail into rows of at most width columns, breaking at blanks (a word longer than
 * a row is cut at a character boundary; UTF-8 counts one column per character, the text is
 * sanitized when drawn). */
static void
detail_wrap(struct workbench *wb, size_t width)
{
	const char *base = wb->detail.buf, *s = base;

	wb->ndrows = 0;
	while (s && *s) {
		size_t n = 0, brk = 0, c = 0;

		while (s[n] && c < width) {
			c++;
			n++;
			while (((unsigned char)s[n] & 0xc0) == 0x80)
				n++;
			if (s[n] == ' ')
				brk = n;
		}
		if (s[n] && s[n] != ' ' && brk)
			n = brk;
		CSF_GROW(wb->drows, wb->drows_alloc, wb->ndrows + 1);
		wb->drows[wb->ndrows].off = (size_t)(s - base);
		wb->drows[wb->ndrows++].len = n;
		s += n;
		while (*s == ' ')
			s++;
	}
}

/* Starts a new run of wb->detail in slot. */
static void
detail_run(struct workbench *wb, enum theme_slot slot)
{
	if (wb->ndruns < sizeof(wb->druns) / sizeof(wb->druns[0])) {
		wb->druns[wb->ndruns].off = wb->detail.len;
		wb->druns[wb->ndruns++].slot = slot;
	}
}

/* The columns a rule id gets in a findings row of a pane width columns wide. */
static size_t
rule_max(int width)
{
	return width < 60 ? 14 : width < 90 ? 20 : 32;
}

/* The finding under the lint pane's cursor, whichever pane has the focus; NULL when none. */
static const struct csf_diag *
listed_diag(struct view *view, struct app *app)
{
	struct workbench *wb = view->priv;
	size_t cur = view->pane[PANE_LINT].cursor;

	if (!app->lint_valid || cur >= wb->ndiags || wb->diags[cur] >= app->lint.n)
		return NULL;
	return &app->lint.diags[wb->diags[cur]];
}

/* Rewraps the selected finding into the detail pane: its whole message, then the hint, the
 * fix and the cells it was found in. Called when the lint cursor, the findings or the width
 * change. */
static void
detail_update(struct view *view, struct app *app)
{
	struct workbench *wb = view->priv;
	const struct csf_diag *g = listed_diag(view, app);
	size_t width = view->pane[PANE_DETAIL].w > 2 ? (size_t)view->pane[PANE_DETAIL].w - 1 : 1;

	csf_buf_reset(&wb->detail);
	wb->ndruns = 0;
	/* No area (zoomed, wide or short panel): the rows carry the whole finding. */
	if (g && view->pane[PANE_DETAIL].h > 0) {
		/* One paragraph, so that short parts share rows. The rule id only when the row
		 * had to cut it. */
		detail_run(wb, THEME_DEFAULT);
		csf_buf_addstr(&wb->detail, g->msg ? g->msg : "");
		if (g->rule && strlen(g->rule) > rule_max(view->pane[PANE_LINT].w))
			csf_buf_addf(&wb->detail, " [%s]", g->rule);
		if (g->hint) {
			csf_buf_addstr(&wb->detail, "  ");
			detail_run(wb, THEME_LINT_HINT);
			csf_buf_addf(&wb->detail, "hint: %s", g->hint);
		}
		if (g->fix) {
			csf_buf_addstr(&wb->detail, "  ");
			detail_run(wb, THEME_LINT_HINT);
			csf_buf_addstr(&wb->detail, "[f:fix]");
		}
		if (g->cells) {
			csf_buf_addstr(&wb->detail, "  ");
			detail_run(wb, THEME_LIST_DIM);
			csf_buf_addf(&wb->detail, "in: %s", g->cells);
		}
	}
	detail_wrap(wb, width);
	view_pane_set_rows(view, app, PANE_DETAIL, wb->ndrows);
	view_pane_dirty(view, PANE_DETAIL);
}

static void
draw_detail(struct view *view, struct tui_line *l, size_t lineno, bool app_utf8)
{
	struct workbench *wb = view->priv;
	size_t a, b, k;
	bool more;

	if (lineno >= wb->ndrows)
		return;
	a = wb->drows[lineno].off;
	b = a + wb->drows[lineno].len;
	/* The last row that fits says when there is more than the area shows. */
	more = view->pane[PANE_DETAIL].h > 0 && wb->ndrows > (size_t)view->pane[PANE_DETAIL].h &&
	       lineno + 1 == (size_t)view->pane[PANE_DETAIL].h;
	if (more) {
		size_t c = 0, e = a, room = l->width > 4 ? (size_t)l->width - 4 : 0;

		while (e < b && c < room) {
			c++;
			e++;
			while (e < b && ((unsigned char)wb->detail.buf[e] & 0xc0) == 0x80)
				e++;
		}
		b = e;
	}
	tui_line_addstr(l, THEME_DEFAULT, " ");
	for (k = 0; k < wb->ndruns; k++) {
		size_t from = wb->druns[k].off, to = k + 1 < wb->ndruns ? wb->druns[k + 1].off :
						   wb->detail.len;

		if (from < a)
			from = a;
		if (to > b)
			to = b;
		if (from < to)
			tui_line_add(l, wb->druns[k].slot, wb->detail.buf + from, to - from);
	}
	if (more)
		tui_line_addstr(l, THEME_LIST_DIM, app_utf8 ? " \u2026" : " ~");
}

static void
wb_layout(struct view *view, struct app *app)
{
	int lw = app->opt.list_width, ph = app->opt.panel_height, dh;
	struct view_pane *p = view->pane;

	if (lw < 12)
		lw = 12;
	if (lw > 80)
		lw = 80;
	if (lw > view->w / 2)
		lw = view->w / 2;
	if (ph < 3)
		ph = 3;
	if (ph > view->h / 2)
		ph = view->h / 2;
	p[PANE_LIST].y = view->y;
	p[PANE_LIST].x = view->x;
	p[PANE_LIST].h = view->h;
	p[PANE_LIST].w = lw;
	p[PANE_SOURCE].y = view->y;
	p[PANE_SOURCE].x = view->x + lw;
	p[PANE_SOURCE].h = view->h - ph;
	p[PANE_SOURCE].w = view->w - lw;
	/* The detail area takes the bottom half of the panel (at most 4 rows; none below 5), so
	 * that the source keeps its height. Rows 120 columns wide show the whole finding (hint
	 * included), so there the findings keep the panel. */
	dh = ph >= 5 ? ph / 2 : 0;
	if (dh > 4)
		dh = 4;
	if (view->w - lw >= 120)
		dh = 0;
	p[PANE_LINT].y = view->y + view->h - ph;
	p[PANE_LINT].x = view->x + lw;
	p[PANE_LINT].h = ph - dh;
	p[PANE_LINT].w = view->w - lw;
	p[PANE_DETAIL].y = view->y + view->h - dh;
	p[PANE_DETAIL].x = view->x + lw;
	p[PANE_DETAIL].h = dh;
	p[PANE_DETAIL].w = dh ? view->w - lw : 0;
	detail_update(view, app);
}

/* ---- drawing ----------------------------------------------------------------------------- */

static enum theme_slot
sev_slot(enum csf_severity s)
{
	return s == CSF_SEV_ERROR ? THEME_LINT_ERROR : s == CSF_SEV_WARNING ? THEME_LINT_WARNING :
	       THEME_LINT_INFO;
}

static void
draw_item(struct view *view, struct app *app, struct tui_line *l, size_t lineno)
{
	struct workbench *wb = view->priv;
	const struct item *it = &wb->items[lineno];
	char counts[48];
	size_t cw;

	if (it->kind == ITEM_SECTION) {
		tui_line_addstr(l, THEME_LIST_SECTION, it->label);
		return;
	}
	tui_line_addstr(l, THEME_LIST_ITEM, " ");
	if ((it->fkind == CSF_KIND_TENANT && app->tenant && !strcmp(app->tenant, it->label)) ||
	    (it->fkind == CSF_KIND_ENVIRONMENT && app->env && !strcmp(app->env, it->label)))
		tui_line_addstr(l, THEME_LIST_SECTION, "*");
	else
		tui_line_addstr(l, THEME_LIST_ITEM, " ");
	tui_line_addstr(l, it->file && !it->file->doc ? THEME_LINT_ERROR : THEME_LIST_ITEM,
			it->label);
	if (!app->lint_valid)
		return;
	counts[0] = '\0';
	if (it->nerr && it->nwarn)
		snprintf(counts, sizeof(counts), "%uE %uW", it->nerr, it->nwarn);
	else if (it->nerr)
		snprintf(counts, sizeof(counts), "%uE", it->nerr);
	else if (it->nwarn)
		snprintf(counts, sizeof(counts), "%uW", it->nwarn);
	cw = strlen(counts);
	if (!cw || (int)cw + 1 >= tui_line_left(l))
		return;
	tui_line_pad_to(l, THEME_LIST_ITEM, (size_t)l->width - cw);
	if (it->nerr && it->nwarn) {
		char e[16];

		snprintf(e, sizeof(e), "%uE ", it->nerr);
		tui_line_addstr(l, THEME_LINT_ERROR, e);
		tui_line_addf(l, THEME_LINT_WARNING, "%uW", it->nwarn);
	} else {
		tui_line_addstr(l, it->nerr ? THEME_LINT_ERROR : THEME_LINT_WARNING, counts);
	}
}

/* Draws one YAML line with simple, line-local colouring (keys, scalars, comments). */
static void
draw_yaml(struct tui_line *l, const char *s, size_t n)
{
	size_t i = 0, j, k;
	bool in_sq = false, in_dq = false;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	tui_line_add(l, THEME_DEFAULT, s, i);
	if (i < n && s[i] == '#') {
		tui_line_add(l, THEME_YAML_COMMENT, s + i, n - i);
		return;
	}
	if (n - i >= 3 && (!strncmp(s + i, "---", 3) || !strncmp(s + i, "...", 3))) {
		tui_line_add(l, THEME_YAML_PUNCT, s + i, n - i);
		return;
	}
	while (i + 1 < n && s[i] == '-' && (s[i + 1] == ' ')) {
		tui_line_add(l, THEME_YAML_PUNCT, s + i, 2);
		i += 2;
	}
	if (i + 1 == n && s[i] == '-') {
		tui_line_add(l, THEME_YAML_PUNCT, s + i, 1);
		return;
	}
	/* A key ends at ": " or ":" at the end of the line, outside quotes and comments. */
	for (j = i; j < n; j++) {
		if (s[j] == '\'' && !in_dq)
			in_sq = !in_sq;
		else if (s[j] == '"' && !in_sq)
			in_dq = !in_dq;
		else if (!in_sq && !in_dq && s[j] == '#' && j > i && s[j - 1] == ' ')
			break;
		else if (!in_sq && !in_dq && s[j] == ':' && (j + 1 == n || s[j + 1] == ' '))
			break;
	}
	if (j < n && s[j] == ':' && s[i] != '[' && s[i] != '{') {
		tui_line_add(l, THEME_YAML_KEY, s + i, j - i);
		tui_line_add(l, THEME_YAML_PUNCT, ":", 1);
		i = j + 1;
		k = i;
		while (i < n && s[i] == ' ')
			i++;
		tui_line_add(l, THEME_DEFAULT, s + k, i - k);
	}
	if (i >= n)
		return;
	/* The value, up to a comment. */
	in_sq = in_dq = false;
	for (j = i; j < n; j++) {
		if (s[j] == '\'' && !in_dq)
			in_sq = !in_sq;
		else if (s[j] == '"' && !in_sq)
			in_dq = !in_dq;
		else if (!in_sq && !in_dq && s[j] == '#' && j > i && (s[j - 1] == ' ' ||
								    s[j - 1] == '\t'))
			break;
	}
	k = j;
	while (k > i && (s[k - 1] == ' ' || s[k - 1] == '\t'))
		k--;
	if (s[i] == '&' || s[i] == '*' || s[i] == '!') {
		size_t e = i;

		while (e < k && s[e] != ' ')
			e++;
		tui_line_add(l, THEME_YAML_ANCHOR, s + i, e - i);
		tui_line_add(l, THEME_YAML_STRING, s + e, k - e);
	} else if (s[i] == '|' || s[i] == '>' || s[i] == '[' || s[i] == '{') {
		tui_line_add(l, THEME_YAML_PUNCT, s + i, 1);
		tui_line_add(l, THEME_YAML_STRING, s + i + 1, k - i - 1);
	} else {
		enum theme_slot slot = THEME_YAML_STRING;
		size_t len = k - i;
		static const char *const words[] = { "true", "false", "null", "~", "yes", "no",
						     "True", "False", "Null", "TRUE", "FALSE", "NULL" };
		size_t w;
		bool num = len > 0;

		for (w = 0; w < sizeof(words) / sizeof(words[0]); w++)
			if (strlen(words[w]) == len && !strncmp(s + i, words[w], len))
				slot = THEME_YAML_BOOL;
		for (w = i; w < k && num; w++)
			num = isdigit((unsigned char)s[w]) || strchr("+-.eE_xXoabcdefABCDEF", s[w]);
		if (slot == THEME_YAML_STRING && num && (isdigit((unsigned char)s[i]) ||
							 ((s[i] == '-' || s[i] == '+' || s[i] == '.') &&
							  len > 1 && isdigit((unsigned char)s[i + 1]))))
			slot = THEME_YAML_NUMBER;
		tui_line_add(l, slot, s + i, len);
	}
	tui_line_add(l, THEME_DEFAULT, s + k, j - k);
	if (j < n)
		tui_line_add(l, THEME_YAML_COMMENT, s + j, n - j);
}

static void
draw_source(struct view *view, struct app *app, struct tui_line *l, size_t lineno)
{
	struct workbench *wb = view->priv;
	size_t len, skip = l->skip;
	const char *s = line_text(wb, lineno, &len);
	unsigned sev = lineno < wb->nline_sev ? wb->line_sev[lineno] : 0;

	/* The gutter and the line number stay put when the text scrolls sideways; the cursor
	 * row is marked on the line number only (cheap to move over a slow link). */
	l->skip = 0;
	if (l->cursor && !app->opt.line_numbers && !app->opt.gutter)
		l->over = l->cursor_slot;
	if (app->opt.gutter) {
		if (sev == CSF_SEV_ERROR)
			tui_line_addstr(l, THEME_GUTTER_ERROR, "E");
		else if (sev == CSF_SEV_WARNING)
			tui_line_addstr(l, THEME_GUTTER_WARNING, "W");
		else if (sev == CSF_SEV_INFO)
			tui_line_addstr(l, THEME_GUTTER_INFO, "i");
		else
			tui_line_addstr(l, THEME_DEFAULT, " ");
	}
	if (app->opt.line_numbers) {
		tui_line_addf(l, l->cursor ? l->cursor_slot : THEME_LINE_NUMBER, "%*zu", wb->lnw,
			      lineno + 1);
		tui_line_addstr(l, THEME_DEFAULT, " ");
	} else if (app->opt.gutter) {
		tui_line_addstr(l, l->cursor ? l->cursor_slot : THEME_DEFAULT, l->cursor ? ">" : " ");
	}
	l->skip = skip + l->col;
	draw_yaml(l, s, len);
}

/* One finding per row: severity letter, line:col, the rule (cut when the pane is narrow, the
 * detail area below has it whole) and the message in the rest; without a detail area, the
 * hint, fix and cells after it. */
static void
draw_diag(struct view *view, struct app *app, struct tui_line *l, size_t lineno)
{
	struct workbench *wb = view->priv;
	const struct csf_diag *g;
	const char *rule;
	size_t rmax, rw;

	if (lineno >= wb->ndiags || wb->diags[lineno] >= app->lint.n)
		return;
	g = &app->lint.diags[wb->diags[lineno]];
	rule = g->rule ? g->rule : "?";
	tui_line_addstr(l, sev_slot(g->sev), g->sev == CSF_SEV_ERROR ? "E" :
			g->sev == CSF_SEV_WARNING ? "W" : "i");
	tui_line_addf(l, THEME_LINE_NUMBER, " %4u:%-3u ", g->loc.line, g->loc.col);
	rmax = rule_max(l->width);
	if (rmax > wb->rulew)
		rmax = wb->rulew;
	rw = strlen(rule);
	if (rw > rmax) {
		tui_line_add(l, THEME_LINT_RULE, rule, rmax - 1);
		tui_line_addstr(l, THEME_LINT_RULE, app->draw.utf8 ? "\u2026" : "~");
	} else {
		tui_line_addstr(l, THEME_LINT_RULE, rule);
	}
	tui_line_pad_to(l, THEME_DEFAULT, l->col + (rw < rmax ? rmax - rw : 0) + 2);
	tui_line_addstr(l, THEME_DEFAULT, g->msg ? g->msg : "");
	if (view->pane[PANE_DETAIL].h > 0)
		return;
	/* No detail area (a wide or a short panel): the rest of the finding follows. */
	if (g->hint) {
		tui_line_addstr(l, THEME_LINT_HINT, "  -- ");
		tui_line_addstr(l, THEME_LINT_HINT, g->hint);
	}
	if (g->fix)
		tui_line_addstr(l, THEME_LINT_HINT, "  [f: fix]");
	if (g->cells) {
		tui_line_addstr(l, THEME_LIST_DIM, "  in ");
		tui_line_addstr(l, THEME_LIST_DIM, g->cells);
	}
}

static void
wb_draw_line(struct view *view, struct app *app, unsigned pane, struct tui_line *l,
	     size_t lineno)
{
	if (pane == PANE_LIST)
		draw_item(view, app, l, lineno);
	else if (pane == PANE_SOURCE)
		draw_source(view, app, l, lineno);
	else if (pane == PANE_LINT)
		draw_diag(view, app, l, lineno);
	else
		draw_detail(view, l, lineno, app->draw.utf8);
}

/* ---- selection and search ----------------------------------------------------------------- */

static void
wb_select(struct view *view, struct app *app, unsigned pane, size_t lineno)
{
	struct workbench *wb = view->priv;

	if (pane == PANE_LIST && lineno < wb->nitems && wb->items[lineno].file &&
	    wb->items[lineno].file != wb->file) {
		show_file(view, app, wb->items[lineno].file, false);
	} else if (pane == PANE_LINT && lineno < wb->ndiags) {
		const struct csf_diag *g = &app->lint.diags[wb->diags[lineno]];

		detail_update(view, app);
		if (g->loc.line)
			view_pane_goto(view, app, PANE_SOURCE, g->loc.line - 1);
	}
}

static bool
wb_grep(struct view *view, struct app *app, unsigned pane, size_t lineno, const regex_t *re)
{
	struct workbench *wb = view->priv;
	struct csf_buf b = CSF_BUF_INIT;
	bool hit;

	if (pane == PANE_LIST) {
		const struct item *it = &wb->items[lineno];

		return it->kind == ITEM_FILE && (!regexec(re, it->label, 0, NULL, 0) ||
						 !regexec(re, it->file->path, 0, NULL, 0));
	}
	if (pane == PANE_SOURCE) {
		size_t len;
		const char *s = line_text(wb, lineno, &len);

		csf_buf_add(&b, s, len);
	} else {
		const struct csf_diag *g = &app->lint.diags[wb->diags[lineno]];

		csf_buf_addf(&b, "%s %s %s %s", csf_severity_name(g->sev), g->rule ? g->rule : "",
			     g->msg ? g->msg : "", g->hint ? g->hint : "");
	}
	hit = !regexec(re, b.buf, 0, NULL, 0);
	csf_buf_release(&b);
	return hit;
}

/* ---- the fix --------------------------------------------------------------------------------- */

/* Splits text into lines (offsets of each start, plus the end). */
static size_t *
split_lines(const struct csf_buf *t, size_t *n)
{
	size_t *off = NULL, alloc = 0, i;

	*n = 0;
	CSF_GROW(off, alloc, 1);
	off[0] = 0;
	for (i = 0; i < t->len; i++)
		if (t->buf[i] == '\n') {
			CSF_GROW(off, alloc, *n + 2);
			off[++*n] = i + 1;
		}
	if (t->len && t->buf[t->len - 1] != '\n') {
		CSF_GROW(off, alloc, *n + 2);
		off[++*n] = t->len;
	}
	return off;
}

static bool
line_eq(const struct csf_buf *a, const size_t *ao, size_t i, const struct csf_buf *b,
	const size_t *bo, size_t j)
{
	size_t la = ao[i + 1] - ao[i], lb = bo[j + 1] - bo[j];

	return la == lb && !memcmp(a->buf + ao[i], b->buf + bo[j], la);
}

static void
add_line(struct csf_buf *out, char mark, const struct csf_buf *t, const size_t *o, size_t i)
{
	size_t len = o[i + 1] - o[i];

	if (len && t->buf[o[i] + len - 1] == '\n')
		len--;
	csf_buf_addch(out, mark);
	csf_buf_add(out, t->buf + o[i], len);
	csf_buf_addch(out, '\n');
}

/* A unified diff of one changed region with up to three lines of context on each side. */
static void
diff_preview(struct csf_buf *out, const struct csf_buf *a, const struct csf_buf *b)
{
	size_t na, nb, pre = 0, suf = 0, i, from, to;
	size_t *ao = split_lines(a, &na), *bo = split_lines(b, &nb);

	while (pre < na && pre < nb && line_eq(a, ao, pre, b, bo, pre))
		pre++;
	while (suf < na - pre && suf < nb - pre &&
	       line_eq(a, ao, na - 1 - suf, b, bo, nb - 1 - suf))
		suf++;
	from = pre > 3 ? pre - 3 : 0;
	to = na - suf + 3 < na ? na - suf + 3 : na;
	csf_buf_addf(out, "@@ line %zu @@\n", from + 1);
	for (i = from; i < pre; i++)
		add_line(out, ' ', a, ao, i);
	for (i = pre; i < na - suf; i++)
		add_line(out, '-', a, ao, i);
	for (i = pre; i < nb - suf; i++)
		add_line(out, '+', b, bo, i);
	for (i = na - suf; i < to; i++)
		add_line(out, ' ', a, ao, i);
	free(ao);
	free(bo);
}

static void
fix_answer(struct app *app, bool yes, void *ctx)
{
	struct view *view = ctx;
	struct workbench *wb = view->priv;
	struct csf_buf now = CSF_BUF_INIT;
	struct csf_error err = CSF_ERROR_INIT;

	if (!yes) {
		tui_app_message(app, "fix not applied");
		return;
	}
	if (csf_buf_read_file(&now, wb->fix_path, 64u << 20) < 0 || now.len != wb->fix_old.len ||
	    memcmp(now.buf, wb->fix_old.buf, now.len)) {
		tui_app_error(app, "%s changed on disk since the preview; press f again",
			      wb->fix_path);
	} else if (csf_write_file_atomic(wb->fix_path, wb->fix_new.buf, wb->fix_new.len, &err)) {
		tui_app_error(app, "cannot write %s: %s", wb->fix_path, err.msg);
	} else {
		tui_app_message(app, "applied fix: %s", wb->fix_title);
		tui_app_reload_workspace(app);
	}
	csf_buf_release(&now);
}

static const struct csf_diag *
current_diag(struct view *view, struct app *app)
{
	struct workbench *wb = view->priv;
	size_t d;

	if (!app->lint_valid)
		return NULL;
	if (view->focus == PANE_LINT && view->pane[PANE_LINT].cursor < wb->ndiags)
		return &app->lint.diags[wb->diags[view->pane[PANE_LINT].cursor]];
	/* Elsewhere: the first finding with a fix on the source cursor line, else the first
	 * finding on it. */
	for (d = 0; d < wb->ndiags; d++) {
		const struct csf_diag *g = &app->lint.diags[wb->diags[d]];

		if (g->loc.line == view->pane[PANE_SOURCE].cursor + 1 && g->fix)
			return g;
	}
	for (d = 0; d < wb->ndiags; d++) {
		const struct csf_diag *g = &app->lint.diags[wb->diags[d]];

		if (g->loc.line == view->pane[PANE_SOURCE].cursor + 1)
			return g;
	}
	return NULL;
}

static void
do_fix(struct view *view, struct app *app)
{
	struct workbench *wb = view->priv;
	const struct csf_diag *g;
	const struct csf_fix *fix;
	struct csf_buf body = CSF_BUF_INIT;
	size_t skipped = 0;

	if (tui_app_refuse_write(app, "fix"))
		return;
	g = current_diag(view, app);
	if (!g) {
		tui_app_error(app, "no finding selected (Tab to the findings, or move to a line "
			      "with a finding)");
		return;
	}
	if (!g->fix) {
		tui_app_error(app, "%s has no automatic fix; press e to edit", g->rule);
		return;
	}
	fix = g->fix;
	free(wb->fix_path);
	free(wb->fix_title);
	wb->fix_path = csf_xstrdup(g->file);
	wb->fix_title = csf_xstrdup(fix->title ? fix->title : g->rule);
	csf_buf_reset(&wb->fix_old);
	csf_buf_reset(&wb->fix_new);
	if (csf_buf_read_file(&wb->fix_old, wb->fix_path, 64u << 20) < 0) {
		tui_app_error(app, "cannot read %s", wb->fix_path);
		return;
	}
	csf_fix_apply(wb->fix_old.buf, wb->fix_old.len, &fix, 1, &wb->fix_new, &skipped);
	diff_preview(&body, &wb->fix_old, &wb->fix_new);
	{
		struct csf_buf title = CSF_BUF_INIT;

		csf_buf_addf(&title, "Fix %s: %s", g->rule, wb->fix_title);
		tui_app_confirm(app, title.buf, body.buf, fix_answer, view);
		csf_buf_release(&title);
	}
	csf_buf_release(&body);
}

/* ---- a new blueprint ------------------------------------------------------------------------- */

static const char blueprint_template[] =
	"apiVersion: csf/v1\n"
	"kind: Blueprint\n"
	"module: {{MODULE}}\n"
	"version: 0.1.0\n"
	"description: What {{MODULE}} does, in one sentence.\n"
	"owner: team-{{NAME}}\n"
	"\n"
	"runtime:\n"
	"  stack: dotnet8\n"
	"  port: 8080\n"
	"\n"
	"features: []\n"
	"\n"
	"scalability:\n"
	"  stateless: true\n"
	"  disposability: true\n"
	"\n"
	"scaling:\n"
	"  enabled: true\n"
	"  mode: cpu\n"
	"  minReplicas: 2\n"
	"  maxReplicas: 6\n"
	"  triggers:\n"
	"    - type: cpu\n"
	"      threshold: 70\n"
	"\n"
	"resilience:\n"
	"  retries:\n"
	"    policy: exponentialBackoff\n"
	"    maxAttempts: 3\n"
	"  timeoutSeconds: 30\n"
	"  circuitBreaker:\n"
	"    threshold: 5\n"
	"    resetAfterSeconds: 60\n"
	"  probes:\n"
	"    liveness: /healthz\n"
	"    readiness: /ready\n"
	"    startup: /healthz\n"
	"\n"
	"infrastructure:\n"
	"  database: postgres\n"
	"  databaseSchema: tenantScoped\n"
	"\n"
	"configuration:\n"
	"  source: azure-keyvault\n"
	"  values:\n"
	"    LOG_LEVEL: info\n"
	"  environmentOverlays:\n"
	"    dev:\n"
	"      LOG_LEVEL: debug\n"
	"  secrets:\n"
	"    - DB_PASSWORD\n"
	"  mountAs: envVars\n"
	"\n"
	"network:\n"
	"  serviceMesh: enabled\n"
	"  mesh: istio\n"
	"  mtls: true\n"
	"  trafficPolicy:\n"
	"    allow: []\n"
	"\n"
	"observability:\n"
	"  tracing: opentelemetry\n"
	"  metrics: prometheus\n"
	"  logs: structured\n"
	"\n"
	"events:\n"
	"  emits: []\n"
	"  consumes: []\n"
	"  eventFormat: cloudEvents\n"
	"\n"
	"api:\n"
	"  exposed: false\n"
	"\n"
	"function:\n"
	"  enabled: false\n"
	"\n"
	"cost:\n"
	"  priority: medium\n"
	"  cpuRequest: 100m\n"
	"  cpuLimit: 500m\n"
	"  memoryRequest: 128Mi\n"
	"  memoryLimit: 256Mi\n"
	"  costTag:\n"
	"    team: team-{{NAME}}\n"
	"    module: {{MODULE}}\n"
	"\n"
	"cloud:\n"
	"  provider: azure\n"
	"  region: westeurope\n"
	"\n"
	"release:\n"
	"  strategy: declarative\n"
	"  environments: [dev, staging, production]\n"
	"  gates:\n"
	"    requireTests: true\n"
	"    requireApproval: [production]\n";

static void
expand_template(struct csf_buf *out, const char *module, const char *kebab)
{
	const char *p = blueprint_template;

	while (*p) {
		if (!strncmp(p, "{{MODULE}}", 10)) {
			csf_buf_addstr(out, module);
			p += 10;
		} else if (!strncmp(p, "{{NAME}}", 8)) {
			csf_buf_addstr(out, kebab);
			p += 8;
		} else {
			csf_buf_addch(out, *p++);
		}
	}
}

static void
new_answer(struct app *app, const char *name, void *ctx)
{
	struct view *view = ctx;
	struct workbench *wb;
	struct csf_buf text = CSF_BUF_INIT;
	struct csf_error err = CSF_ERROR_INIT;
	char *kebab, *dir, *path, *file;
	const char *c;

	if (!name || !*name) {
		tui_app_message(app, "no blueprint created");
		return;
	}
	if (tui_app_top(app) != view)
		return;
	wb = view->priv;
	for (c = name; *c && isalnum((unsigned char)*c); c++)
		;
	if (*c || !isupper((unsigned char)name[0]) || strlen(name) > 63) {
		tui_app_error(app, "'%s' is not a module name: use PascalCase letters and digits "
			      "(BookingService)", name);
		return;
	}
	if (csf_ws_blueprint(app->ws, name)) {
		tui_app_error(app, "a blueprint for module %s already exists", name);
		return;
	}
	kebab = csf_kebab(name);
	dir = csf_path_join(app->ws->root, "blueprints");
	file = csf_xmalloc(strlen(kebab) + 6);
	sprintf(file, "%s.yaml", kebab);
	path = csf_path_join(dir, file);
	if (csf_is_file(path)) {
		tui_app_error(app, "%s already exists", path);
	} else if (csf_mkdirs(dir, &err) != CSF_E_OK) {
		tui_app_error(app, "cannot create %s: %s", dir, err.msg);
	} else {
		expand_template(&text, name, kebab);
		if (csf_write_file_atomic(path, text.buf, text.len, &err) != CSF_E_OK) {
			tui_app_error(app, "cannot write %s: %s", path, err.msg);
		} else {
			free(wb->pending_select);
			wb->pending_select = csf_xstrdup(path);
			tui_app_reload_workspace(app);
			tui_app_message(app, "created blueprints/%s from the template (e to edit)",
					file);
		}
	}
	csf_buf_release(&text);
	free(kebab);
	free(dir);
	free(file);
	free(path);
}

static void
do_new(struct view *view, struct app *app)
{
	if (tui_app_refuse_write(app, "creating a blueprint"))
		return;
	if (!app->ws || !app->ws->root) {
		tui_app_error(app, "not in a workspace folder: new blueprints go to "
			      "WORKSPACE/blueprints/");
		return;
	}
	tui_cmdline_ask(app, "New blueprint (module name, PascalCase): ", new_answer, view);
}

/* ---- requests ---------------------------------------------------------------------------- */

static enum request
wb_handle(struct view *view, struct app *app, enum request req)
{
	struct workbench *wb = view->priv;
	size_t cur;

	switch (req) {
	case REQ_ENTER:
		if (view->focus == PANE_LIST) {
			cur = view->pane[PANE_LIST].cursor;
			if (cur >= wb->nitems || !wb->items[cur].file)
				return REQ_NONE;
			if (wb->items[cur].fkind == CSF_KIND_TENANT) {
				const char *t = wb->items[cur].label;

				tui_app_set_tenant(app, app->tenant && !strcmp(app->tenant, t) ? NULL :
						   t);
			} else if (wb->items[cur].fkind == CSF_KIND_ENVIRONMENT) {
				const char *e = wb->items[cur].label;

				tui_app_set_env(app, app->env && !strcmp(app->env, e) ? NULL : e);
			} else {
				view_focus(view, PANE_SOURCE);
			}
		} else if (view->focus == PANE_LINT) {
			cur = view->pane[PANE_LINT].cursor;
			if (cur < wb->ndiags) {
				const struct csf_diag *g = &app->lint.diags[wb->diags[cur]];

				view_pane_goto(view, app, PANE_SOURCE,
					       g->loc.line ? g->loc.line - 1 : 0);
				view_focus(view, PANE_SOURCE);
			}
		} else {
			view_focus(view, PANE_LINT);
		}
		return REQ_NONE;
	case REQ_NEXT_PANE:
	case REQ_PREV_PANE: {
		/* As the shared handler does, over the three panes that take the focus. */
		unsigned i, k;

		for (i = 1; i < PANE_DETAIL; i++) {
			k = req == REQ_NEXT_PANE ? (view->focus + i) % PANE_DETAIL :
			    (view->focus + PANE_DETAIL - i) % PANE_DETAIL;
			if (view->zoomed) {
				view_focus(view, k);
				app->pending |= TUI_RELAYOUT;
				break;
			}
			if (view->pane[k].h > 0 && view->pane[k].w > 0) {
				view_focus(view, k);
				break;
			}
		}
		return REQ_NONE;
	}
	case REQ_FIX:
		do_fix(view, app);
		return REQ_NONE;
	case REQ_NEW_BLUEPRINT:
		do_new(view, app);
		return REQ_NONE;
	default:
		return req;
	}
}

static void
wb_reload(struct view *view, struct app *app)
{
	struct workbench *wb = view->priv;

	wb->file = NULL;	/* points into the old workspace */
	rebuild(view, app);
}

static void
wb_set_arg(struct view *view, struct app *app, const char *arg)
{
	select_named(view, app, arg);
}

static bool
wb_cursor_file(struct view *view, struct app *app, const char **path, unsigned *line)
{
	struct workbench *wb = view->priv;
	const struct csf_diag *g;

	if (!wb->sel_path)
		return false;
	*path = wb->sel_path;
	*line = 1;
	if (view->focus == PANE_SOURCE)
		*line = (unsigned)view->pane[PANE_SOURCE].cursor + 1;
	else if (view->focus == PANE_LINT && (g = current_diag(view, app)) && g->loc.line)
		*line = g->loc.line;
	return true;
}

const struct view_ops view_workbench_ops = {
	.name = "workbench",
	.help = "blueprints with their findings, source and lint panel",
	.flags = VIEW_ROOT | VIEW_WORKSPACE,
	.private_size = sizeof(struct workbench),
	.open_request = REQ_VIEW_WORKBENCH,
	.complete = VIEW_COMPLETE_BLUEPRINT,
	.open = wb_open,
	.close = wb_close,
	.layout = wb_layout,
	.draw_line = wb_draw_line,
	.handle = wb_handle,
	.select = wb_select,
	.grep = wb_grep,
	.reload = wb_reload,
	.set_arg = wb_set_arg,
	.cursor_file = wb_cursor_file,
};
