/* The preview view: what a blueprint generates for one cell of the matrix (DESIGN §4, §8).
 *
 *   :preview [BLUEPRINT]   the named blueprint (module name or file), else the one selected in
 *                          the workbench, else the first
 *
 * Left: the artifact tree grouped by family (container, k8s, mesh, gateway, events,
 * functions, iac/<provider>, release); right: the selected file with syntax colour (YAML,
 * JSON, Bicep, HCL, Dockerfile, shell). p, t and v cycle provider, tenant and environment;
 * the left header always shows the cell. The right header shows where the value under the
 * cursor comes from: the blueprint, edition, tenant or environment file and line that set it
 * (core/effective provenance: the effective value equal to the line's value, preferring the
 * same key). M lists the whole matrix — every provider × tenant × environment with its lint
 * status and artifact count — and Enter there picks a cell. w writes the cell's artifacts into
 * a folder (asked for; every file written atomically; paths can never leave the folder).
 * c marks the current cell; after moving to another cell, c again opens the diff view on the
 * two cells (tenant A against tenant B, aws against gcp, staging against production).
 * The view re-renders when a workspace file changes.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/effective.h"
#include "core/fsutil.h"
#include "core/lint.h"
#include "core/provenance.h"
#include "core/render.h"
#include "core/xalloc.h"
#include "tui/app.h"
#include "tui/cmdline.h"
#include "views/layout.h"
#include "views/view.h"

enum {
	PANE_TREE,
	PANE_FILE,
};

static const char *const providers[] = { NULL, "azure", "aws", "gcp" };
#define NPROVIDERS (sizeof(providers) / sizeof(providers[0]))

enum lang {
	LANG_PLAIN,
	LANG_YAML,
	LANG_JSON,
	LANG_DOCKER,
	LANG_SHELL,
	LANG_HCL,
	LANG_BICEP,
};

struct tree_row {
	bool family;			/* a family heading */
	size_t item;			/* artifact index (files) */
	const char *label;		/* heading text (families) */
};

struct matrix_row {
	unsigned provider;		/* index into providers[] (never 0) */
	const char *tenant, *env;	/* borrowed from the workspace; NULL: none */
	size_t files;
	size_t errors, warnings;
	bool failed;
};

struct pv {
	char *module;			/* the blueprint's module name, or its file path */
	unsigned provider;
	struct csf_artifact_set set;
	char *error;			/* render error, shown in the tree */
	struct tree_row *rows;
	size_t nrows, rows_alloc;
	char heads[8][32];		/* family headings ("iac/aws") */
	size_t sel;			/* selected artifact, SIZE_MAX: none */
	size_t *line_off;		/* line starts of the selected artifact */
	size_t nlines, lines_alloc;
	enum lang lang;
	bool matrix;			/* the tree pane shows the matrix */
	struct matrix_row *cells;
	size_t ncells, cells_alloc;
	struct csf_buf prov;		/* provenance of the content cursor */
	char base[256];			/* the cell marked with c, "" when none */
};

/* ---- the blueprint and the cell ------------------------------------------------------------- */

static const struct csf_blueprint *
find_bp(struct app *app, const char *want)
{
	const struct csf_workspace *ws = app->ws;
	size_t i;

	if (!ws || !ws->nblueprints)
		return NULL;
	if (!want)
		return &ws->blueprints[0];
	for (i = 0; i < ws->nblueprints; i++) {
		const struct csf_blueprint *bp = &ws->blueprints[i];
		char *a, *b;
		bool same;

		if ((bp->module && !strcmp(bp->module, want)) || !strcmp(bp->file->path, want) ||
		    !strcmp(bp->file->rel, want))
			return bp;
		a = realpath(bp->file->path, NULL);
		b = realpath(want, NULL);
		same = a && b && !strcmp(a, b);
		free(a);
		free(b);
		if (same)
			return bp;
	}
	return NULL;
}

static const char *
cell_provider(const struct pv *p)
{
	return providers[p->provider];
}

static enum lang
lang_of(const char *path)
{
	const char *base = strrchr(path, '/'), *dot;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	if (!strcmp(base, "Dockerfile"))
		return LANG_DOCKER;
	if (!dot)
		return LANG_PLAIN;
	if (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml"))
		return LANG_YAML;
	if (!strcmp(dot, ".json"))
		return LANG_JSON;
	if (!strcmp(dot, ".sh"))
		return LANG_SHELL;
	if (!strcmp(dot, ".tf") || !strcmp(dot, ".hcl"))
		return LANG_HCL;
	if (!strcmp(dot, ".bicep"))
		return LANG_BICEP;
	return LANG_PLAIN;
}

/* ---- rows ------------------------------------------------------------------------------------ */

static void
index_lines(struct pv *p)
{
	const struct csf_artifact *a;
	size_t i;

	p->nlines = 0;
	if (p->sel == SIZE_MAX || p->sel >= p->set.n)
		return;
	a = &p->set.items[p->sel];
	CSF_GROW(p->line_off, p->lines_alloc, 1);
	p->line_off[p->nlines++] = 0;
	for (i = 0; i < a->data.len; i++)
		if (a->data.buf[i] == '\n' && i + 1 < a->data.len) {
			CSF_GROW(p->line_off, p->lines_alloc, p->nlines + 1);
			p->line_off[p->nlines++] = i + 1;
		}
	if (!a->data.len)
		p->nlines = 0;
	p->lang = lang_of(a->path);
}

static void
show_file(struct view *view, struct app *app, size_t item)
{
	struct pv *p = view->priv;

	p->sel = item;
	index_lines(p);
	csf_buf_reset(&p->prov);
	view_pane_set_rows(view, app, PANE_FILE, p->nlines);
	view_pane_goto(view, app, PANE_FILE, 0);
	if (item < p->set.n)
		view_pane_title(view, PANE_FILE, "%s  (%s, %zu lines)", p->set.items[item].path,
				p->set.items[item].kind, p->nlines);
	else
		view_pane_title(view, PANE_FILE, "%s", "no file");
}

static void
tree_title(struct view *view, struct app *app)
{
	struct pv *p = view->priv;

	if (p->matrix) {
		view_pane_title(view, PANE_TREE, "Matrix: %zu cells", p->ncells);
		return;
	}
	view_pane_title(view, PANE_TREE, "%s/%s/%s",
			p->set.provider ? p->set.provider : cell_provider(p) ? cell_provider(p) : "?",
			app->tenant ? app->tenant : "no-tenant", app->env ? app->env : "no-env");
	view_set_crumb(view, "%s %s/%s/%s", p->set.module ? p->set.module : p->module,
		       p->set.provider ? p->set.provider : "?", app->tenant ? app->tenant : "-",
		       app->env ? app->env : "-");
}

static void
build_tree(struct view *view, struct app *app)
{
	struct pv *p = view->priv;
	unsigned fam;
	size_t i;

	/* Grouped by family in family order (k8s/kustomization.yaml joins k8s, not mesh). */
	p->nrows = 0;
	for (fam = 0; fam < sizeof(p->heads) / sizeof(p->heads[0]); fam++) {
		bool head = false;

		for (i = 0; i < p->set.n; i++) {
			const struct csf_artifact *a = &p->set.items[i];
			struct tree_row *r;

			if ((unsigned)a->family != fam)
				continue;
			if (!head) {
				head = true;
				CSF_GROW(p->rows, p->rows_alloc, p->nrows + 1);
				r = &p->rows[p->nrows++];
				r->family = true;
				if (a->family == CSF_FAMILY_IAC)
					snprintf(p->heads[fam], sizeof(p->heads[0]), "iac/%.20s",
						 p->set.provider ? p->set.provider : "?");
				else
					snprintf(p->heads[fam], sizeof(p->heads[0]), "%s",
						 csf_family_name(a->family));
				r->label = p->heads[fam];
			}
			CSF_GROW(p->rows, p->rows_alloc, p->nrows + 1);
			r = &p->rows[p->nrows++];
			r->family = false;
			r->item = i;
		}
	}
	view_pane_set_rows(view, app, PANE_TREE, p->matrix ? p->ncells : p->nrows);
	tree_title(view, app);
}

/* Renders the cell; keeps the selected file by path when it still exists. */
static void
render(struct view *view, struct app *app)
{
	struct pv *p = view->priv;
	const struct csf_blueprint *bp = find_bp(app, p->module);
	const struct csf_tenant *t = app->tenant && app->ws ? csf_ws_tenant(app->ws, app->tenant) :
				     NULL;
	const struct csf_environment *e = app->env && app->ws ? csf_ws_env(app->ws, app->env) :
					  NULL;
	struct csf_render_opts ro = { cell_provider(p), NULL, NULL, app->ws };
	struct csf_error err = CSF_ERROR_INIT;
	char *keep = NULL;
	size_t i, row = 0;

	if (p->sel < p->set.n)
		keep = csf_xstrdup(p->set.items[p->sel].path);
	csf_artifact_set_release(&p->set);
	free(p->error);
	p->error = NULL;
	p->sel = SIZE_MAX;
	if (!bp) {
		p->error = csf_xstrdup("no such blueprint in the workspace");
	} else if (bp->tenant_only && (!t || strcmp(t->id, bp->tenant_only))) {
		struct csf_buf b = CSF_BUF_INIT;

		csf_buf_addf(&b, "%s is specific to tenant %s (t picks it)",
			     bp->module ? bp->module : "this blueprint", bp->tenant_only);
		p->error = csf_buf_detach(&b, NULL);
	} else if (csf_render_cell(app->ws, bp, t, e, &ro, &p->set, &err)) {
		p->error = csf_xstrdup(err.msg);
	}
	build_tree(view, app);
	for (i = 0; keep && i < p->nrows; i++)
		if (!p->rows[i].family && !strcmp(p->set.items[p->rows[i].item].path, keep))
			row = i;
	if (!keep && p->nrows > 1)
		row = 1;
	free(keep);
	if (!p->matrix) {
		view_pane_goto(view, app, PANE_TREE, row);
		if (row < p->nrows && !p->rows[row].family)
			show_file(view, app, p->rows[row].item);
		else
			show_file(view, app, SIZE_MAX);
	}
	app->pending |= TUI_REDRAW;
}

/* ---- the matrix ------------------------------------------------------------------------------ */

static void
build_matrix(struct view *view, struct app *app)
{
	struct pv *p = view->priv;
	const struct csf_workspace *ws = app->ws;
	const struct csf_blueprint *bp = find_bp(app, p->module);
	size_t nt = ws && ws->ntenants ? ws->ntenants : 1, ne = ws && ws->nenvs ? ws->nenvs : 1;
	size_t pi, ti, ei;

	p->ncells = 0;
	if (!bp)
		return;
	for (ti = 0; ti < nt; ti++) {
		const struct csf_tenant *t = ws->ntenants ? &ws->tenants[ti] : NULL;

		if (bp->tenant_only && (!t || strcmp(t->id, bp->tenant_only)))
			continue;
		for (ei = 0; ei < ne; ei++) {
			const struct csf_environment *e = ws->nenvs ? &ws->envs[ei] : NULL;
			struct csf_lint_opts lo = { t ? t->id : NULL, e ? e->name : NULL };
			struct csf_lint_result lr = { NULL, 0, 0, 0, 0, 0 };
			struct csf_error err = CSF_ERROR_INIT;
			size_t errors = 0, warnings = 0;

			if (!csf_lint_file(ws, bp->file, &lo, &lr, &err)) {
				errors = lr.nerrors;
				warnings = lr.nwarnings;
			}
			csf_lint_result_release(&lr);
			for (pi = 1; pi < NPROVIDERS; pi++) {
				struct csf_render_opts ro = { providers[pi], NULL, NULL, ws };
				struct csf_artifact_set set = CSF_ARTIFACT_SET_INIT;
				struct matrix_row *m;

				CSF_GROW(p->cells, p->cells_alloc, p->ncells + 1);
				m = &p->cells[p->ncells++];
				m->provider = (unsigned)pi;
				m->tenant = t ? t->id : NULL;
				m->env = e ? e->name : NULL;
				m->errors = errors;
				m->warnings = warnings;
				m->failed = csf_render_cell(ws, bp, t, e, &ro, &set, &err) != CSF_E_OK;
				m->files = set.n;
				csf_artifact_set_release(&set);
			}
		}
	}
}

/* ---- provenance ------------------------------------------------------------------------------ */

/* The effective-blueprint node that set the value on content line lineno, or NULL; its dotted
 * path goes to path. */
static const struct csf_node *
value_source(const struct pv *p, size_t lineno, struct csf_buf *path)
{
	const struct csf_artifact *a;
	size_t n;

	if (p->sel >= p->set.n || lineno >= p->nlines || !p->set.eff)
		return NULL;
	a = &p->set.items[p->sel];
	n = (lineno + 1 < p->nlines ? p->line_off[lineno + 1] : a->data.len) - p->line_off[lineno];
	return csf_provenance_of_line(p->set.eff->root, a->data.buf + p->line_off[lineno], n, path);
}

static void
update_provenance(struct view *view, struct app *app, size_t lineno)
{
	struct pv *p = view->priv;
	struct csf_buf path = CSF_BUF_INIT;
	const struct csf_node *src;

	csf_buf_reset(&p->prov);
	if (p->sel >= p->set.n)
		return;
	src = value_source(p, lineno, &path);
	if (src) {
		const char *rel = src->file;

		if (app->ws && app->ws->root) {
			size_t rl = strlen(app->ws->root);

			if (!strncmp(rel, app->ws->root, rl) && rel[rl] == '/')
				rel += rl + 1;
		}
		csf_buf_addf(&p->prov, "%s:%u %s", rel, src->loc.line, path.buf);
		view_pane_title(view, PANE_FILE, "line %zu ← %s", lineno + 1, p->prov.buf);
	} else {
		view_pane_title(view, PANE_FILE, "line %zu: generated, not from a blueprint value",
				lineno + 1);
	}
	csf_buf_release(&path);
}

/* ---- syntax colour --------------------------------------------------------------------------- */

static bool
is_bool_word(const char *s, size_t n)
{
	static const char *const w[] = { "true", "false", "null", "yes", "no", "on", "off", NULL };
	size_t i;

	for (i = 0; w[i]; i++)
		if (strlen(w[i]) == n && !strncasecmp(s, w[i], n))
			return true;
	return false;
}

static bool
is_number(const char *s, size_t n)
{
	size_t i = 0;
	bool digit = false;

	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	for (; i < n; i++) {
		if (isdigit((unsigned char)s[i]))
			digit = true;
		else if (s[i] != '.' && s[i] != 'e' && s[i] != 'E')
			return false;
	}
	return digit;
}

/* Draws a scalar value: quoted strings, numbers, booleans, the rest as text. */
static void
draw_value(struct tui_line *l, const char *s, size_t n)
{
	size_t e = n;

	while (e && (s[e - 1] == ',' || s[e - 1] == ' '))
		e--;
	if (e && (s[0] == '"' || s[0] == '\''))
		tui_line_add(l, THEME_YAML_STRING, s, e);
	else if (is_number(s, e))
		tui_line_add(l, THEME_YAML_NUMBER, s, e);
	else if (is_bool_word(s, e))
		tui_line_add(l, THEME_YAML_BOOL, s, e);
	else
		tui_line_add(l, THEME_DEFAULT, s, e);
	tui_line_add(l, THEME_YAML_PUNCT, s + e, n - e);
}

/* Generic line colouring: comment, key + separator + value, or words. */
static void
draw_code(struct tui_line *l, enum lang lang, const char *s, size_t n)
{
	size_t i = 0, j;
	const char *comment = lang == LANG_BICEP ? "//" : lang == LANG_JSON ? NULL : "#";
	char sep = lang == LANG_YAML ? ':' : lang == LANG_JSON ? ':' : '=';

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	tui_line_add(l, THEME_DEFAULT, s, i);
	if (lang == LANG_PLAIN) {
		tui_line_add(l, THEME_DEFAULT, s + i, n - i);
		return;
	}
	if ((comment && n - i >= strlen(comment) && !strncmp(s + i, comment, strlen(comment))) ||
	    (lang == LANG_HCL && n - i >= 2 && !strncmp(s + i, "//", 2))) {
		tui_line_add(l, THEME_YAML_COMMENT, s + i, n - i);
		return;
	}
	if (lang == LANG_DOCKER) {
		for (j = i; j < n && isupper((unsigned char)s[j]); j++)
			;
		tui_line_add(l, THEME_YAML_KEY, s + i, j - i);
		tui_line_add(l, THEME_DEFAULT, s + j, n - j);
		return;
	}
	if (lang == LANG_SHELL) {
		for (j = i; j < n && s[j] != '"' && s[j] != '\''; j++)
			;
		tui_line_add(l, THEME_DEFAULT, s + i, j - i);
		tui_line_add(l, THEME_YAML_STRING, s + j, n - j);
		return;
	}
	if (lang == LANG_YAML) {
		while (i + 1 < n && s[i] == '-' && s[i + 1] == ' ') {
			tui_line_add(l, THEME_YAML_PUNCT, s + i, 2);
			i += 2;
		}
	}
	/* key (up to the separator, outside quotes) */
	{
		bool q = false;

		for (j = i; j < n; j++) {
			if (s[j] == '"')
				q = !q;
			else if (!q && s[j] == sep && (lang != LANG_YAML || j + 1 == n || s[j + 1] == ' '))
				break;
		}
	}
	if (j < n && j > i) {
		tui_line_add(l, THEME_YAML_KEY, s + i, j - i);
		tui_line_add(l, THEME_YAML_PUNCT, s + j, 1);
		i = j + 1;
		while (i < n && s[i] == ' ') {
			tui_line_add(l, THEME_DEFAULT, s + i, 1);
			i++;
		}
	}
	if (i < n) {
		if (s[i] == '{' || s[i] == '[' || s[i] == '}' || s[i] == ']')
			tui_line_add(l, THEME_YAML_PUNCT, s + i, n - i);
		else
			draw_value(l, s + i, n - i);
	}
}

/* ---- view operations ------------------------------------------------------------------------- */

static char *
default_blueprint(struct app *app, struct view *below)
{
	const char *path;
	unsigned line;

	if (below && below->ops->cursor_file && below->ops->cursor_file(below, app, &path, &line) &&
	    find_bp(app, path))
		return csf_xstrdup(path);
	return NULL;
}

static int
pv_open(struct view *view, struct app *app, struct csf_error *err)
{
	struct pv *p = view->priv;
	static const struct csf_loc none = { 0, 0 };
	const struct csf_blueprint *bp;

	p->set = (struct csf_artifact_set)CSF_ARTIFACT_SET_INIT;
	p->sel = SIZE_MAX;
	csf_buf_init(&p->prov, 64);
	p->module = view->arg ? csf_xstrdup(view->arg) : default_blueprint(app, tui_app_top(app));
	bp = find_bp(app, p->module);
	if (!bp) {
		free(p->module);
		p->module = NULL;
		csf_buf_release(&p->prov);	/* .close is not called after a failed .open */
		return csf_fail(err, CSF_E_USAGE, NULL, none, "no blueprint %s%s%s",
				view->arg ? "'" : "in the workspace", view->arg ? view->arg : "",
				view->arg ? "'" : "");
	}
	free(p->module);
	p->module = csf_xstrdup(bp->file->path);
	view->npanes = 2;
	view->pane[PANE_TREE].flags = VIEW_PANE_CURSOR | VIEW_PANE_NARROW | VIEW_PANE_HEADER;
	view->pane[PANE_FILE].flags = VIEW_PANE_CURSOR | VIEW_PANE_HEADER;
	render(view, app);
	return 0;
}

static void
pv_close(struct view *view)
{
	struct pv *p = view->priv;

	csf_artifact_set_release(&p->set);
	free(p->module);
	free(p->error);
	free(p->rows);
	free(p->line_off);
	free(p->cells);
	csf_buf_release(&p->prov);
}

static void
pv_layout(struct view *view, struct app *app)
{
	int lw = view->w * 2 / 5;

	(void)app;
	if (lw < 24)
		lw = 24;
	if (lw > 44)
		lw = 44;
	if (lw > view->w / 2)
		lw = view->w / 2;
	if (((struct pv *)view->priv)->matrix)
		lw = view->w * 3 / 5;	/* the matrix needs room for its columns */
	view_layout_side(view, PANE_TREE, PANE_FILE, lw);
}

static void
draw_matrix_row(struct pv *p, struct tui_line *l, size_t lineno)
{
	const struct matrix_row *m = &p->cells[lineno];

	tui_line_addf(l, THEME_LIST_ITEM, "%-5s %-14.14s %-10.10s", providers[m->provider],
		      m->tenant ? m->tenant : "-", m->env ? m->env : "-");
	if (m->failed) {
		tui_line_addstr(l, THEME_LINT_ERROR, " render error");
		return;
	}
	tui_line_addf(l, THEME_LIST_DIM, " %2zu files ", m->files);
	if (m->errors)
		tui_line_addf(l, THEME_LINT_ERROR, "%zuE", m->errors);
	if (m->warnings)
		tui_line_addf(l, THEME_LINT_WARNING, "%s%zuW", m->errors ? " " : "", m->warnings);
	if (!m->errors && !m->warnings)
		tui_line_addstr(l, THEME_LIST_DIM, "clean");
}

static void
pv_draw_line(struct view *view, struct app *app, unsigned pane, struct tui_line *l, size_t lineno)
{
	struct pv *p = view->priv;

	(void)app;
	if (pane == PANE_TREE) {
		if (p->matrix) {
			draw_matrix_row(p, l, lineno);
			return;
		}
		if (p->rows[lineno].family) {
			tui_line_addstr(l, THEME_LIST_SECTION, p->rows[lineno].label);
			return;
		}
		tui_line_addstr(l, THEME_LIST_ITEM, "  ");
		tui_line_addstr(l, THEME_LIST_ITEM, p->set.items[p->rows[lineno].item].path);
		return;
	}
	if (p->sel < p->set.n && lineno < p->nlines) {
		const struct csf_artifact *a = &p->set.items[p->sel];
		const char *s = a->data.buf + p->line_off[lineno];
		size_t end = lineno + 1 < p->nlines ? p->line_off[lineno + 1] : a->data.len;
		size_t n = end - p->line_off[lineno], skip = l->skip;

		while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
			n--;
		l->skip = 0;
		tui_line_addf(l, THEME_LINE_NUMBER, "%4zu ", lineno + 1);
		l->skip = skip + l->col;
		draw_code(l, p->lang, s, n);
	}
}

static void
pv_select(struct view *view, struct app *app, unsigned pane, size_t lineno)
{
	struct pv *p = view->priv;

	if (pane == PANE_TREE && !p->matrix && lineno < p->nrows && !p->rows[lineno].family &&
	    p->rows[lineno].item != p->sel)
		show_file(view, app, p->rows[lineno].item);
	else if (pane == PANE_FILE)
		update_provenance(view, app, lineno);
}

static bool
pv_grep(struct view *view, struct app *app, unsigned pane, size_t lineno, const regex_t *re)
{
	struct pv *p = view->priv;

	(void)app;
	if (pane == PANE_FILE) {
		const struct csf_artifact *a;
		char *line;
		size_t n;
		bool hit;

		if (p->sel >= p->set.n || lineno >= p->nlines)
			return false;
		a = &p->set.items[p->sel];
		n = (lineno + 1 < p->nlines ? p->line_off[lineno + 1] : a->data.len) -
		    p->line_off[lineno];
		line = csf_xstrndup(a->data.buf + p->line_off[lineno], n);
		hit = !regexec(re, line, 0, NULL, 0);
		free(line);
		return hit;
	}
	if (p->matrix) {
		const struct matrix_row *m = &p->cells[lineno];

		return !regexec(re, providers[m->provider], 0, NULL, 0) ||
		       (m->tenant && !regexec(re, m->tenant, 0, NULL, 0)) ||
		       (m->env && !regexec(re, m->env, 0, NULL, 0));
	}
	if (p->rows[lineno].family)
		return !regexec(re, p->rows[lineno].label, 0, NULL, 0);
	return !regexec(re, p->set.items[p->rows[lineno].item].path, 0, NULL, 0);
}

/* ---- writing a cell -------------------------------------------------------------------------- */

static void
write_answer(struct app *app, const char *answer, void *ctx)
{
	struct view *view = ctx;
	struct pv *p;
	struct csf_error err = CSF_ERROR_INIT;
	size_t i;

	if (!answer || !*answer || tui_app_top(app) != view)
		return;
	p = view->priv;
	if (csf_mkdirs(answer, &err)) {
		tui_app_error(app, "write: %s", err.msg);
		return;
	}
	for (i = 0; i < p->set.n; i++) {
		const struct csf_artifact *a = &p->set.items[i];
		char *path, *slash;

		if (!csf_safe_relpath(a->path)) {
			tui_app_error(app, "write: refused %s: it would leave %s", a->path, answer);
			return;
		}
		path = csf_path_join(answer, a->path);
		slash = strrchr(path, '/');
		*slash = '\0';
		if (csf_mkdirs(path, &err)) {
			free(path);
			tui_app_error(app, "write: %s", err.msg);
			return;
		}
		*slash = '/';
		if (csf_write_file_atomic(path, a->data.buf, a->data.len, &err)) {
			free(path);
			tui_app_error(app, "write: %s", err.msg);
			return;
		}
		free(path);
	}
	tui_app_message(app, "wrote %zu files to %s", p->set.n, answer);
}

/* ---- requests -------------------------------------------------------------------------------- */

static enum request
pv_handle(struct view *view, struct app *app, enum request req)
{
	struct pv *p = view->priv;
	size_t cur = view->pane[PANE_TREE].cursor;

	switch (req) {
	case REQ_PROVIDER_NEXT:
		p->provider = (p->provider + 1) % NPROVIDERS;
		render(view, app);
		tui_app_message(app, "provider %s", cell_provider(p) ? cell_provider(p) :
				"default (the tenant's or the blueprint's)");
		return REQ_NONE;
	case REQ_PREVIEW_MATRIX:
		p->matrix = !p->matrix;
		if (p->matrix)
			build_matrix(view, app);
		view_pane_set_rows(view, app, PANE_TREE, p->matrix ? p->ncells : p->nrows);
		view_pane_goto(view, app, PANE_TREE, 0);
		view_focus(view, PANE_TREE);
		tree_title(view, app);
		app->pending |= TUI_RELAYOUT | TUI_REDRAW;
		return REQ_NONE;
	case REQ_ENTER:
		if (view->focus == PANE_TREE && p->matrix && cur < p->ncells) {
			const struct matrix_row *m = &p->cells[cur];
			char *tenant = m->tenant ? csf_xstrdup(m->tenant) : NULL;
			char *env = m->env ? csf_xstrdup(m->env) : NULL;

			p->provider = m->provider;
			p->matrix = false;
			/* Setting the tenant and environment re-lints; .reload re-renders. */
			tui_app_set_tenant(app, tenant);
			tui_app_set_env(app, env);
			free(tenant);
			free(env);
			render(view, app);
			app->pending |= TUI_RELAYOUT;
			return REQ_NONE;
		}
		if (view->focus == PANE_TREE)
			view_focus(view, PANE_FILE);
		return REQ_NONE;
	case REQ_COMPARE_CELL: {
		char cell[256];
		struct csf_buf arg = CSF_BUF_INIT;

		snprintf(cell, sizeof(cell), "%s/%s/%s", cell_provider(p) ? cell_provider(p) : "-",
			 app->tenant ? app->tenant : "-", app->env ? app->env : "-");
		if (!p->base[0]) {
			snprintf(p->base, sizeof(p->base), "%s", cell);
			tui_app_message(app, "marked %s: pick another cell (p t v, or M) and press c "
					"again to compare", cell);
			return REQ_NONE;
		}
		csf_buf_addf(&arg, "--cells %s..%s %s", p->base, cell, p->module);
		p->base[0] = '\0';
		tui_app_open_view(app, "diff", arg.buf);
		csf_buf_release(&arg);
		return REQ_NONE;
	}
	case REQ_WRITE_CELL:
		if (tui_app_refuse_write(app, "writing the cell"))
			return REQ_NONE;
		if (p->error || !p->set.n) {
			tui_app_error(app, "nothing to write: %s", p->error ? p->error : "no files");
			return REQ_NONE;
		}
		tui_cmdline_ask(app, "write the cell to folder: ", write_answer, view);
		return REQ_NONE;
	default:
		return req;
	}
}

static void
pv_reload(struct view *view, struct app *app)
{
	struct pv *p = view->priv;

	render(view, app);
	if (p->matrix) {
		build_matrix(view, app);
		view_pane_set_rows(view, app, PANE_TREE, p->ncells);
	}
	if (p->error)
		tui_app_error(app, "preview: %s", p->error);
}

static void
pv_set_arg(struct view *view, struct app *app, const char *arg)
{
	struct pv *p = view->priv;
	const struct csf_blueprint *bp = find_bp(app, arg);

	if (!bp) {
		tui_app_error(app, "preview: no blueprint '%s'", arg ? arg : "");
		return;
	}
	free(p->module);
	p->module = csf_xstrdup(bp->file->path);
	p->sel = SIZE_MAX;
	render(view, app);
}

static bool
pv_cursor_file(struct view *view, struct app *app, const char **path, unsigned *line)
{
	struct pv *p = view->priv;
	struct csf_buf vpath = CSF_BUF_INIT;
	const struct csf_node *src = NULL;

	(void)app;
	/* `e` edits the file that set the value under the cursor, else the blueprint. */
	if (!p->module)
		return false;
	*path = p->module;
	*line = 1;
	if (view->focus == PANE_FILE)
		src = value_source(p, view->pane[PANE_FILE].cursor, &vpath);
	csf_buf_release(&vpath);
	if (src && src->file && src->loc.line) {
		*path = src->file;
		*line = src->loc.line;
	}
	return true;
}

const struct view_ops view_preview_ops = {
	.name = "preview",
	.help = "the generated artifacts of a blueprint for a provider, tenant and environment",
	.flags = VIEW_WORKSPACE,
	.private_size = sizeof(struct pv),
	.open_request = REQ_VIEW_PREVIEW,
	.complete = VIEW_COMPLETE_BLUEPRINT,
	.open = pv_open,
	.close = pv_close,
	.layout = pv_layout,
	.draw_line = pv_draw_line,
	.handle = pv_handle,
	.select = pv_select,
	.grep = pv_grep,
	.reload = pv_reload,
	.set_arg = pv_set_arg,
	.cursor_file = pv_cursor_file,
};
