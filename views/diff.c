/* The diff view: pair review of blueprint changes (DESIGN §7, §8).
 *
 *   :diff                      the blueprint selected in the workbench (else the workspace
 *                              folder), HEAD against the working tree
 *   :diff R1..R2 [PATH]        between two revisions (HEAD, INDEX or ":", WORKTREE, a branch,
 *                              a commit); R1 alone is R1 against the working tree
 *   :diff A B                  two files or two folders
 *   :diff --cells A..B [BP]    one blueprint (or all) rendered for two cells of the matrix,
 *                              a cell being PROVIDER/TENANT/ENV ("aws/vetclinic-001/prod")
 *   :review R1..R2 [PATH]      the same as :diff R1..R2
 *
 * R opens a revision picker (worktree, index, HEAD, branches, recent commits): Enter picks the
 * old side, then the new side.
 * One key (m) cycles unified, side-by-side and semantic; a switches between the sources and
 * the artifacts they generate for the current cell (t, v, p cycle tenant, environment and
 * provider; the header shows the cell). ] and [ jump between hunks and files, Enter folds a
 * file, u shows the unchanged files (collapsed into one row by default), { and } change the
 * context, W ignores whitespace, / searches. Side-by-side needs 100 columns; a narrower pane
 * shows unified and says so. Without colour the rows still read: '+'/'-' in unified, '|', '<'
 * and '>' between the sides, ~ + - ! in semantic mode; changed words are drawn in the
 * diff-hunk slot (reverse video in the mono theme).
 *
 * Everything shown is computed by core/review + core/artdiff, the same code as
 * `csf-tui --headless diff`.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/artdiff.h"
#include "core/diff.h"
#include "core/fsutil.h"
#include "core/gitrev.h"
#include "core/review.h"
#include "core/xalloc.h"
#include "tui/app.h"
#include "views/view.h"

#define SIDE_MIN_COLS 100
#define CONTEXT_MAX 50
#define SUMMARY_ROWS 5		/* summary lines shown before "… N more" */

enum dv_mode {
	DV_UNIFIED,
	DV_SIDE,
	DV_SEMANTIC,
};

static const char *const mode_names[] = { "unified", "side-by-side", "semantic" };
static const char *const providers[] = { NULL, "azure", "aws", "gcp" };

enum dv_row_kind {
	R_NOTE,		/* text */
	R_SUMMARY,	/* a semantic summary line */
	R_FILE,		/* a file header */
	R_HUNK,
	R_LINE,		/* unified line */
	R_SIDE,		/* side-by-side row */
	R_SEM,		/* semantic change */
	R_MORE,		/* "… N more summary lines" */
	R_PICK,		/* a revision of the picker */
};

struct dv_row {
	enum dv_row_kind kind;
	size_t file;
	const char *text;			/* R_NOTE, R_SUMMARY */
	const struct csf_diff_hunk *hunk;	/* R_HUNK */
	const struct csf_diff_line *line;	/* R_LINE */
	const struct csf_diff_row *side;	/* R_SIDE */
	const struct csf_sem_change *sem;	/* R_SEM */
};

struct dv {
	/* What is compared. */
	struct csf_review_spec spec;
	bool artifacts;			/* the artifacts generated for the cell */
	unsigned provider;		/* index into providers[] */
	struct csf_diff_opts dopts;

	/* The result. */
	struct csf_artdiff *ad;
	struct csf_diff_row **side;	/* per file, computed with the rows */
	size_t *nside;
	bool *folded;			/* per file */
	char *error;
	struct csf_buf label;		/* "HEAD..WORKTREE blueprints/x.yaml" */
	struct csf_buf note;		/* scratch for notes */
	char **notes;			/* strings R_NOTE rows point to */
	size_t nnotes, notes_alloc;

	/* The revision picker (R): choices, and the old side once picked. */
	struct csf_rev_choice *choices;
	size_t nchoices;
	int picking;			/* 0: off, 1: picking the old side, 2: the new side */
	size_t pick_old;

	/* Presentation. */
	enum dv_mode mode;
	bool narrow;			/* side-by-side asked, pane too narrow */
	bool show_unchanged;
	bool summary_open;
	struct dv_row *rows;
	size_t nrows, rows_alloc;
	unsigned nw;			/* line-number width */
	struct csf_buf scratch;
};

/* ---- building the rows --------------------------------------------------------------------- */

static const char *
keep_note(struct dv *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static const char *
keep_note(struct dv *d, const char *fmt, ...)
{
	va_list ap;
	struct csf_buf b = CSF_BUF_INIT;

	va_start(ap, fmt);
	csf_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	CSF_GROW(d->notes, d->notes_alloc, d->nnotes + 1);
	d->notes[d->nnotes] = csf_buf_detach(&b, NULL);
	return d->notes[d->nnotes++];
}

static struct dv_row *
add_row(struct dv *d, enum dv_row_kind kind, size_t file)
{
	struct dv_row *r;

	CSF_GROW(d->rows, d->rows_alloc, d->nrows + 1);
	r = &d->rows[d->nrows++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->file = file;
	return r;
}

static void
free_notes(struct dv *d)
{
	size_t i;

	for (i = 0; i < d->nnotes; i++)
		free(d->notes[i]);
	d->nnotes = 0;
}

static void
build_rows(struct view *view, struct app *app)
{
	struct dv *d = view->priv;
	const struct csf_artdiff *ad = d->ad;
	size_t i, j, unchanged = 0;
	unsigned maxno = 1;

	d->nrows = 0;
	free_notes(d);
	d->narrow = d->mode == DV_SIDE && view->pane[0].w < SIDE_MIN_COLS;
	if (d->picking) {
		for (i = 0; i < d->nchoices; i++)
			add_row(d, R_PICK, i);
	} else if (d->error) {
		add_row(d, R_NOTE, 0)->text = d->error;
	} else if (ad) {
		if (csf_artdiff_same(ad))
			add_row(d, R_NOTE, 0)->text = "no differences";
		for (i = 0; i < ad->nsummary; i++) {
			if (!d->summary_open && i == SUMMARY_ROWS && ad->nsummary > SUMMARY_ROWS + 1) {
				add_row(d, R_MORE, 0)->text =
					keep_note(d, "… %zu more summary lines (Enter shows them)",
						  ad->nsummary - i);
				break;
			}
			add_row(d, R_SUMMARY, 0)->text = ad->summary[i];
		}
		for (i = 0; i < ad->nfiles; i++) {
			const struct csf_artdiff_file *f = &ad->files[i];

			if (f->status == CSF_ART_SAME) {
				unchanged++;
				if (d->show_unchanged)
					add_row(d, R_FILE, i);
				continue;
			}
			add_row(d, R_FILE, i);
			if (d->folded[i])
				continue;
			for (j = 0; j < f->diff->nhunks; j++) {
				const struct csf_diff_hunk *h = &f->diff->hunks[j];

				if (h->old_start + h->old_lines > maxno)
					maxno = h->old_start + h->old_lines;
				if (h->new_start + h->new_lines > maxno)
					maxno = h->new_start + h->new_lines;
			}
			if (d->mode == DV_SEMANTIC && f->sem) {
				if (!f->sem->n)
					add_row(d, R_NOTE, i)->text =
						"  no semantic change (formatting, comments or order of keys)";
				for (j = 0; j < f->sem->n; j++)
					add_row(d, R_SEM, i)->sem = &f->sem->changes[j];
			} else if (f->binary) {
				add_row(d, R_NOTE, i)->text = "  binary files differ";
			} else if (d->mode == DV_SIDE && !d->narrow) {
				for (j = 0; j < d->nside[i]; j++) {
					const struct csf_diff_row *sr = &d->side[i][j];

					if (sr->kind == CSF_ROW_HUNK)
						add_row(d, R_HUNK, i)->hunk = sr->hunk;
					else
						add_row(d, R_SIDE, i)->side = sr;
				}
			} else {
				size_t h, k;

				for (h = 0; h < f->diff->nhunks; h++) {
					const struct csf_diff_hunk *hk = &f->diff->hunks[h];

					add_row(d, R_HUNK, i)->hunk = hk;
					for (k = 0; k < hk->nlines; k++)
						add_row(d, R_LINE, i)->line = &hk->lines[k];
				}
			}
		}
		if (unchanged && !d->show_unchanged)
			add_row(d, R_NOTE, 0)->text =
				keep_note(d, "%zu unchanged file%s (u shows them)", unchanged,
					  unchanged == 1 ? "" : "s");
	}
	d->nw = csf_diff_digits(maxno);
	view_pane_set_rows(view, app, 0, d->nrows);
	view_pane_dirty(view, 0);
}

static void
set_title(struct view *view, struct app *app)
{
	struct dv *d = view->priv;
	const struct csf_artdiff *ad = d->ad;
	size_t files = ad ? ad->nadded + ad->nremoved + ad->nchanged : 0;

	if (d->picking) {
		view_pane_title(view, 0, "Pick the %s side (Enter picks, q cancels)%s%s",
				d->picking == 1 ? "old" : "new", d->picking == 2 ? ": old = " : "",
				d->picking == 2 ? d->choices[d->pick_old].name : "");
		return;
	}
	csf_buf_reset(&d->note);
	if (d->spec.cells) {
		char a[300], b[300];

		csf_buf_addf(&d->note, "cells %s..%s — ",
			     csf_review_cell_format(&d->spec.cell_a.cell, a, sizeof(a)),
			     csf_review_cell_format(&d->spec.cell_b.cell, b, sizeof(b)));
	} else if (d->artifacts)
		csf_buf_addf(&d->note, "artifacts %s/%s/%s — ",
			     providers[d->provider] ? providers[d->provider] : "default",
			     app->tenant ? app->tenant : "no-tenant", app->env ? app->env : "no-env");
	view_pane_title(view, 0, "%s%s — %zu file%s +%zu -%zu — %s%s",
			d->narrow ? "unified (side-by-side needs 100 columns)" : mode_names[d->mode],
			d->dopts.ignore_whitespace ? " -w" : "", files, files == 1 ? "" : "s",
			ad ? ad->lines_added : 0, ad ? ad->lines_removed : 0, d->note.buf,
			d->label.buf);
	view_set_crumb(view, "%s%s", d->label.buf, d->artifacts ? " (artifacts)" : "");
}

/* ---- computing ----------------------------------------------------------------------------- */

static void
clear_result(struct dv *d)
{
	size_t i;

	if (d->ad) {
		for (i = 0; i < d->ad->nfiles; i++)
			free(d->side[i]);
	}
	free(d->side);
	free(d->nside);
	free(d->folded);
	d->side = NULL;
	d->nside = NULL;
	d->folded = NULL;
	csf_artdiff_free(d->ad);
	d->ad = NULL;
	free(d->error);
	d->error = NULL;
}

static void
compute(struct view *view, struct app *app)
{
	struct dv *d = view->priv;
	struct csf_review_files fa = CSF_REVIEW_FILES_INIT, fb = CSF_REVIEW_FILES_INIT;
	struct csf_artdiff_opts ao = CSF_ARTDIFF_OPTS_INIT;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_review_cell cell = { providers[d->provider], app->tenant, app->env };
	enum csf_status st;
	size_t i;

	clear_result(d);
	st = csf_review_spec_load(&d->spec, app->ws_dir, d->artifacts, &cell, &fa, &fb, &d->label,
				  &err);
	ao.diff = d->dopts;
	if (!st) {
		const struct csf_art_input *ia = csf_review_files_inputs(&fa);
		const struct csf_art_input *ib = csf_review_files_inputs(&fb);

		st = csf_artdiff_compute(ia, fa.n, ib, fb.n, &ao, &d->ad, &err);
	}
	csf_review_files_release(&fa);
	csf_review_files_release(&fb);
	if (st) {
		char msg[600];

		d->error = csf_xstrdup(csf_error_format(&err, msg, sizeof(msg)));
		tui_app_error(app, "diff: %s", d->error);
	} else {
		d->side = csf_xcalloc(d->ad->nfiles + 1, sizeof(*d->side));
		d->nside = csf_xcalloc(d->ad->nfiles + 1, sizeof(*d->nside));
		d->folded = csf_xcalloc(d->ad->nfiles + 1, sizeof(*d->folded));
		for (i = 0; i < d->ad->nfiles; i++)
			if (d->ad->files[i].diff)
				csf_diff_rows(d->ad->files[i].diff, &d->side[i], &d->nside[i]);
	}
	build_rows(view, app);
	set_title(view, app);
}

/* ---- the argument -------------------------------------------------------------------------- */

/* The blueprint selected in the view below (the workbench), or the workspace folder. */
static char *
default_path(struct app *app, struct view *below)
{
	const char *path;
	unsigned line;

	if (below && below->ops->cursor_file && below->ops->cursor_file(below, app, &path, &line))
		return csf_xstrdup(path);
	return csf_xstrdup(app->ws_dir ? app->ws_dir : ".");
}

static int
parse_arg(struct dv *d, struct app *app, struct view *below, const char *arg,
	  struct csf_error *err)
{
	char *def = default_path(app, below);
	enum csf_status st = csf_review_spec_parse(&d->spec, arg, def, err);

	free(def);
	return (int)st;
}

/* ---- view operations ----------------------------------------------------------------------- */

static int
dv_open(struct view *view, struct app *app, struct csf_error *err)
{
	struct dv *d = view->priv;
	int rc;

	/* One libgit2 reference while the view is open (core/diff.h). */
	csf_diff_lib_acquire();
	csf_buf_init(&d->label, 64);
	csf_buf_init(&d->note, 64);
	csf_buf_init(&d->scratch, 128);
	d->dopts = (struct csf_diff_opts)CSF_DIFF_OPTS_INIT;
	if ((rc = parse_arg(d, app, tui_app_top(app), view->arg, err))) {
		csf_buf_release(&d->label);
		csf_buf_release(&d->note);
		csf_buf_release(&d->scratch);
		csf_review_spec_release(&d->spec);
		csf_diff_lib_release();
		return rc;
	}
	view->npanes = 1;
	view->pane[0].flags = VIEW_PANE_CURSOR | VIEW_PANE_HEADER;
	compute(view, app);
	return 0;
}

static void
dv_close(struct view *view)
{
	struct dv *d = view->priv;

	clear_result(d);
	csf_review_spec_release(&d->spec);
	free_notes(d);
	free(d->notes);
	free(d->choices);
	free(d->rows);
	csf_buf_release(&d->label);
	csf_buf_release(&d->note);
	csf_buf_release(&d->scratch);
	csf_diff_lib_release();
}

static void
dv_layout(struct view *view, struct app *app)
{
	struct dv *d = view->priv;
	bool narrow = d->mode == DV_SIDE && view->w < SIDE_MIN_COLS;

	view->pane[0].y = view->y;
	view->pane[0].x = view->x;
	view->pane[0].h = view->h;
	view->pane[0].w = view->w;
	if (narrow != d->narrow) {
		build_rows(view, app);
		set_title(view, app);
	}
}

/* ---- drawing ------------------------------------------------------------------------------- */

static enum theme_slot
kind_slot(enum csf_diff_kind k)
{
	return k == CSF_DIFF_ADD ? THEME_DIFF_ADD : k == CSF_DIFF_DEL ? THEME_DIFF_DEL : THEME_DEFAULT;
}

/* Bytes of s[0..len) that fit in cols display columns, drawn from logical column col0. */
static size_t
fit_bytes(const char *s, size_t len, size_t cols, size_t col0)
{
	size_t i = 0, col = col0;
	mbstate_t ms;

	memset(&ms, 0, sizeof(ms));
	while (i < len) {
		wchar_t wc;
		size_t n, w;
		int cw;

		if (s[i] == '\t') {
			w = 8 - col % 8;
			n = 1;
		} else if ((unsigned char)s[i] < 0x80) {
			w = 1;
			n = 1;
		} else {
			n = mbrtowc(&wc, s + i, len - i, &ms);
			if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
				memset(&ms, 0, sizeof(ms));
				n = 1;
				w = 1;
			} else {
				cw = wcwidth(wc);
				w = cw < 0 ? 1 : (size_t)cw;
			}
		}
		if (col + w > col0 + cols)
			break;
		col += w;
		i += n;
	}
	return i;
}

/* Draws a line's text (first `len` bytes) with its word spans in the diff-hunk slot. */
static void
draw_text(struct tui_line *l, const struct csf_diff_line *dl, size_t len, bool cr_mark)
{
	enum theme_slot base = kind_slot(dl->kind);
	size_t pos = 0, i;

	if (dl->kind != CSF_DIFF_CONTEXT && dl->pair != SIZE_MAX) {
		for (i = 0; i < dl->nspans && pos < len; i++) {
			size_t off = dl->spans[i].off, end = off + dl->spans[i].len;

			if (off > len)
				off = len;
			if (end > len)
				end = len;
			tui_line_add(l, base, dl->text + pos, off - pos);
			tui_line_add(l, THEME_DIFF_HUNK, dl->text + off, end - off);
			pos = end;
		}
	}
	if (pos < len)
		tui_line_add(l, base, dl->text + pos, len - pos);
	if (cr_mark && dl->cr && len == dl->len)
		tui_line_addstr(l, THEME_CONTROL, "^M");
	if (dl->no_newline && len == dl->len)
		tui_line_addstr(l, THEME_LIST_DIM, " \\ no newline at end");
}

static void
draw_file(struct dv *d, struct tui_line *l, size_t file)
{
	const struct csf_artdiff_file *f = &d->ad->files[file];
	const char *mark = f->status == CSF_ART_ADDED	  ? "A "
			   : f->status == CSF_ART_REMOVED ? "D "
			   : f->status == CSF_ART_SAME	  ? "= "
							  : "M ";

	if (f->status == CSF_ART_SAME) {
		tui_line_addstr(l, THEME_LIST_DIM, mark);
		tui_line_addstr(l, THEME_LIST_DIM, f->path);
		tui_line_addstr(l, THEME_LIST_DIM, "  unchanged");
		return;
	}
	tui_line_addstr(l, THEME_LIST_SECTION, d->folded[file] ? "> " : "v ");
	tui_line_addstr(l, THEME_LIST_SECTION, mark);
	tui_line_addstr(l, THEME_LIST_SECTION, f->path);
	if (f->binary) {
		tui_line_addstr(l, THEME_LIST_DIM, "  binary");
		return;
	}
	tui_line_addstr(l, THEME_DEFAULT, "  ");
	tui_line_addf(l, THEME_DIFF_ADD, "+%zu", f->added);
	tui_line_addstr(l, THEME_DEFAULT, " ");
	tui_line_addf(l, THEME_DIFF_DEL, "-%zu", f->removed);
	if (f->sem && f->sem->n)
		tui_line_addf(l, THEME_LIST_DIM, "  %zu semantic change%s", f->sem->n,
			      f->sem->n == 1 ? "" : "s");
	if (d->folded[file])
		tui_line_addstr(l, THEME_LIST_DIM, "  (folded: Enter opens)");
}

static void
draw_hunk(struct tui_line *l, const struct csf_diff_hunk *h)
{
	tui_line_addf(l, THEME_DIFF_HUNK, "@@ -%u,%u +%u,%u @@", h->old_start, h->old_lines,
		      h->new_start, h->new_lines);
}

static void
draw_unified(struct dv *d, struct tui_line *l, const struct csf_diff_line *dl, bool cr_mark)
{
	size_t skip = l->skip;
	char mark[2] = { (char)dl->kind, '\0' };

	/* Line numbers stay put when the text scrolls sideways. */
	l->skip = 0;
	if (dl->old_no)
		tui_line_addf(l, THEME_LINE_NUMBER, "%*u ", (int)d->nw, dl->old_no);
	else
		tui_line_pad_to(l, THEME_DEFAULT, d->nw + 1);
	if (dl->new_no)
		tui_line_addf(l, THEME_LINE_NUMBER, "%*u ", (int)d->nw, dl->new_no);
	else
		tui_line_pad_to(l, THEME_DEFAULT, 2 * (d->nw + 1));
	tui_line_addstr(l, kind_slot(dl->kind), mark);
	l->skip = skip + l->col;
	draw_text(l, dl, dl->len, cr_mark);
}

static void
draw_half(struct dv *d, struct tui_line *l, const struct csf_diff_line *dl, bool old, size_t end,
	  bool cr_mark)
{
	size_t start = l->col, cols, n;
	unsigned no;

	if (!dl) {
		tui_line_pad_to(l, THEME_DEFAULT, end);
		return;
	}
	no = old ? dl->old_no : dl->new_no;
	tui_line_addf(l, THEME_LINE_NUMBER, "%*u ", (int)d->nw, no);
	cols = end > l->col ? end - l->col : 0;
	n = fit_bytes(dl->text, dl->len, cols, l->col);
	(void)start;
	draw_text(l, dl, n, cr_mark);
	if (n < dl->len && cols) {
		/* Cut: the last column says so. */
		tui_line_pad_to(l, THEME_DEFAULT, end - 1);
		tui_line_addstr(l, THEME_LIST_DIM, ">");
	}
	tui_line_pad_to(l, THEME_DEFAULT, end);
}

static void
draw_side(struct dv *d, struct tui_line *l, const struct csf_diff_row *r, int width,
	  bool cr_mark)
{
	size_t half = (size_t)(width > 3 ? (width - 3) / 2 : 0);
	char mark = r->kind == CSF_ROW_SAME	 ? ' '
		    : r->kind == CSF_ROW_CHANGED ? '|'
		    : r->kind == CSF_ROW_DEL	 ? '<'
						 : '>';
	char ms[4] = { ' ', mark, ' ', '\0' };

	l->skip = 0;
	draw_half(d, l, r->left, true, half, cr_mark);
	tui_line_addstr(l, r->kind == CSF_ROW_DEL ? THEME_DIFF_DEL :
			r->kind == CSF_ROW_ADD ? THEME_DIFF_ADD : THEME_LIST_DIM, ms);
	draw_half(d, l, r->right, false, 2 * half + 3, cr_mark);
}

static void
draw_sem(struct tui_line *l, const struct csf_sem_change *c)
{
	static const char *const marks[] = { "+ ", "- ", "~ ", "! ", "^ " };
	enum theme_slot slot = c->kind == CSF_SEM_ADDED	  ? THEME_DIFF_ADD
			       : c->kind == CSF_SEM_REMOVED ? THEME_DIFF_DEL
			       : c->kind == CSF_SEM_TYPE_CHANGED ? THEME_LINT_WARNING
								 : THEME_DEFAULT;

	tui_line_addstr(l, THEME_DEFAULT, "  ");
	tui_line_addstr(l, slot, marks[c->kind]);
	if (c->doc) {
		tui_line_addstr(l, THEME_LIST_DIM, c->doc);
		tui_line_addstr(l, THEME_LIST_DIM, " ");
	}
	tui_line_addstr(l, THEME_YAML_KEY, *c->path ? c->path : "(document)");
	tui_line_addstr(l, THEME_DEFAULT, ": ");
	switch (c->kind) {
	case CSF_SEM_ADDED:
		tui_line_addstr(l, THEME_DIFF_ADD, c->new_text);
		break;
	case CSF_SEM_REMOVED:
		tui_line_addstr(l, THEME_DIFF_DEL, c->old_text);
		break;
	case CSF_SEM_TYPE_CHANGED:
		tui_line_addf(l, THEME_LINT_WARNING, "%s → %s: ", c->old_type, c->new_type);
		/* fall through */
	case CSF_SEM_CHANGED:
		tui_line_addstr(l, THEME_DIFF_DEL, c->old_text);
		tui_line_addstr(l, THEME_DEFAULT, " → ");
		tui_line_addstr(l, THEME_DIFF_ADD, c->new_text);
		break;
	case CSF_SEM_REORDERED:
		tui_line_addstr(l, THEME_LIST_DIM, "order ");
		tui_line_addstr(l, THEME_DIFF_DEL, c->old_text);
		tui_line_addstr(l, THEME_DEFAULT, " → ");
		tui_line_addstr(l, THEME_DIFF_ADD, c->new_text);
		break;
	}
}

static void
dv_draw_line(struct view *view, struct app *app, unsigned pane, struct tui_line *l, size_t lineno)
{
	struct dv *d = view->priv;
	const struct dv_row *r = &d->rows[lineno];
	bool cr_mark = false;

	(void)app;
	(void)pane;
	if (r->kind != R_NOTE && r->kind != R_SUMMARY && r->kind != R_MORE && r->kind != R_PICK &&
	    d->ad)
		cr_mark = d->ad->files[r->file].diff && d->ad->files[r->file].diff->eol_mixed;
	switch (r->kind) {
	case R_NOTE:
	case R_MORE:
		tui_line_addstr(l, THEME_LIST_DIM, r->text);
		break;
	case R_SUMMARY:
		tui_line_addstr(l, THEME_LIST_SECTION, "* ");
		tui_line_addstr(l, THEME_DEFAULT, r->text);
		break;
	case R_FILE:
		draw_file(d, l, r->file);
		break;
	case R_HUNK:
		draw_hunk(l, r->hunk);
		break;
	case R_LINE:
		draw_unified(d, l, r->line, cr_mark);
		break;
	case R_SIDE:
		draw_side(d, l, r->side, l->width, cr_mark);
		break;
	case R_SEM:
		draw_sem(l, r->sem);
		break;
	case R_PICK:
		tui_line_addstr(l, d->picking == 2 && r->file == d->pick_old ? THEME_LIST_SECTION :
				THEME_LIST_ITEM, d->choices[r->file].label);
		break;
	}
}

/* ---- search -------------------------------------------------------------------------------- */

static bool
dv_grep(struct view *view, struct app *app, unsigned pane, size_t lineno, const regex_t *re)
{
	struct dv *d = view->priv;
	const struct dv_row *r = &d->rows[lineno];
	const char *s = NULL;

	(void)app;
	(void)pane;
	switch (r->kind) {
	case R_NOTE:
	case R_MORE:
	case R_SUMMARY:
		s = r->text;
		break;
	case R_FILE:
		s = d->ad->files[r->file].path;
		break;
	case R_HUNK:
		return false;
	case R_PICK:
		s = d->choices[r->file].label;
		break;
	case R_LINE:
		s = r->line->text;
		break;
	case R_SIDE:
		return (r->side->left && !regexec(re, r->side->left->text, 0, NULL, 0)) ||
		       (r->side->right && !regexec(re, r->side->right->text, 0, NULL, 0));
	case R_SEM:
		return !regexec(re, r->sem->path, 0, NULL, 0) ||
		       (r->sem->old_text && !regexec(re, r->sem->old_text, 0, NULL, 0)) ||
		       (r->sem->new_text && !regexec(re, r->sem->new_text, 0, NULL, 0));
	}
	return s && !regexec(re, s, 0, NULL, 0);
}

/* ---- requests ------------------------------------------------------------------------------ */

/* Keeps the cursor on the same file across a rebuild. */
static void
rebuild_keep(struct view *view, struct app *app)
{
	struct dv *d = view->priv;
	size_t cur = view->pane[0].cursor, file = SIZE_MAX, i;

	if (cur < d->nrows && d->rows[cur].kind != R_NOTE && d->rows[cur].kind != R_SUMMARY &&
	    d->rows[cur].kind != R_MORE && d->rows[cur].kind != R_PICK)
		file = d->rows[cur].file;
	build_rows(view, app);
	set_title(view, app);
	for (i = 0; file != SIZE_MAX && i < d->nrows; i++)
		if (d->rows[i].kind == R_FILE && d->rows[i].file == file) {
			view_pane_goto(view, app, 0, i);
			break;
		}
	app->pending |= TUI_REDRAW;
}

static void
jump_hunk(struct view *view, struct app *app, bool next)
{
	struct dv *d = view->priv;
	size_t cur = view->pane[0].cursor, i;

	if (next) {
		for (i = cur + 1; i < d->nrows; i++)
			if (d->rows[i].kind == R_HUNK || d->rows[i].kind == R_FILE)
				break;
		if (i >= d->nrows) {
			tui_app_message(app, "no more hunks");
			return;
		}
	} else {
		for (i = cur; i-- > 0;)
			if (d->rows[i].kind == R_HUNK || d->rows[i].kind == R_FILE)
				break;
		if (i == SIZE_MAX) {
			tui_app_message(app, "no earlier hunk");
			return;
		}
	}
	view_pane_goto(view, app, 0, i);
}

/* The picker lists the revisions of the repository that holds the reviewed path. */
static void
start_picker(struct view *view, struct app *app)
{
	struct dv *d = view->priv;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_gitrepo *repo = NULL;
	const char *where = d->spec.rev1 && d->spec.path ? d->spec.path :
			    app->ws_dir ? app->ws_dir : ".";

	if (d->spec.a || d->spec.cells) {
		tui_app_error(app, "this diff compares %s, not revisions: use :diff R1..R2",
			      d->spec.cells ? "two cells" : "two paths");
		return;
	}
	free(d->choices);
	d->choices = NULL;
	d->nchoices = 0;
	if (csf_gitrepo_open(where, &repo, &err) ||
	    csf_gitrepo_revisions(repo, 30, &d->choices, &d->nchoices, &err)) {
		tui_app_error(app, "revisions: %s", err.msg);
		csf_gitrepo_free(repo);
		return;
	}
	csf_gitrepo_free(repo);
	d->picking = 1;
	build_rows(view, app);
	set_title(view, app);
	view_pane_goto(view, app, 0, 0);
	app->pending |= TUI_REDRAW;
}

static enum request
pick_handle(struct view *view, struct app *app, enum request req)
{
	struct dv *d = view->priv;
	size_t cur = view->pane[0].cursor;

	if (req == REQ_VIEW_BACK) {
		d->picking = 0;
		build_rows(view, app);
		set_title(view, app);
		app->pending |= TUI_REDRAW;
		return REQ_NONE;
	}
	if (req != REQ_ENTER || cur >= d->nchoices)
		return req;
	if (d->picking == 1) {
		d->pick_old = cur;
		d->picking = 2;
		set_title(view, app);
		view_pane_dirty(view, 0);
		app->pending |= TUI_REDRAW;
		return REQ_NONE;
	}
	free(d->spec.rev1);
	free(d->spec.rev2);
	d->spec.rev1 = csf_xstrdup(d->choices[d->pick_old].name);
	d->spec.rev2 = csf_xstrdup(d->choices[cur].name);
	if (!d->spec.path)
		d->spec.path = csf_xstrdup(app->ws_dir ? app->ws_dir : ".");
	d->picking = 0;
	compute(view, app);
	view_pane_goto(view, app, 0, 0);
	app->pending |= TUI_REDRAW;
	return REQ_NONE;
}

static enum request
dv_handle(struct view *view, struct app *app, enum request req)
{
	struct dv *d = view->priv;
	size_t cur = view->pane[0].cursor;

	if (d->picking)
		return pick_handle(view, app, req);
	switch (req) {
	case REQ_DIFF_PICK:
		start_picker(view, app);
		return REQ_NONE;
	case REQ_DIFF_MODE:
		d->mode = (d->mode + 1) % 3;
		rebuild_keep(view, app);
		tui_app_message(app, "%s%s", mode_names[d->mode],
				d->narrow ? " needs 100 columns: showing unified" : "");
		return REQ_NONE;
	case REQ_NEXT_HUNK:
		jump_hunk(view, app, true);
		return REQ_NONE;
	case REQ_PREV_HUNK:
		jump_hunk(view, app, false);
		return REQ_NONE;
	case REQ_DIFF_UNCHANGED:
		d->show_unchanged = !d->show_unchanged;
		rebuild_keep(view, app);
		return REQ_NONE;
	case REQ_ENTER:
		if (cur < d->nrows && d->rows[cur].kind == R_MORE) {
			d->summary_open = true;
			build_rows(view, app);
			app->pending |= TUI_REDRAW;
			return REQ_NONE;
		}
		if (cur < d->nrows && d->rows[cur].kind == R_FILE &&
		    d->ad->files[d->rows[cur].file].status != CSF_ART_SAME) {
			d->folded[d->rows[cur].file] = !d->folded[d->rows[cur].file];
			rebuild_keep(view, app);
		}
		return REQ_NONE;
	case REQ_DIFF_ARTIFACTS:
		if (d->spec.cells) {
			tui_app_message(app, "two cells: these are artifacts already");
			return REQ_NONE;
		}
		d->artifacts = !d->artifacts;
		compute(view, app);
		view_pane_goto(view, app, 0, 0);
		app->pending |= TUI_REDRAW;
		return REQ_NONE;
	case REQ_PROVIDER_NEXT:
		d->provider = (d->provider + 1) % (sizeof(providers) / sizeof(providers[0]));
		if (d->artifacts) {
			compute(view, app);
		} else {
			set_title(view, app);
			tui_app_message(app, "provider %s (a shows the artifacts)",
					providers[d->provider] ? providers[d->provider] : "default");
		}
		app->pending |= TUI_REDRAW;
		return REQ_NONE;
	case REQ_DIFF_CONTEXT_MORE:
	case REQ_DIFF_CONTEXT_LESS:
		if (req == REQ_DIFF_CONTEXT_MORE && d->dopts.context < CONTEXT_MAX)
			d->dopts.context++;
		else if (req == REQ_DIFF_CONTEXT_LESS && d->dopts.context > 0)
			d->dopts.context--;
		compute(view, app);
		tui_app_message(app, "%u lines of context", d->dopts.context);
		app->pending |= TUI_REDRAW;
		return REQ_NONE;
	case REQ_DIFF_WHITESPACE:
		d->dopts.ignore_whitespace = !d->dopts.ignore_whitespace;
		compute(view, app);
		tui_app_message(app, "whitespace %s", d->dopts.ignore_whitespace ? "ignored" :
			       "compared");
		app->pending |= TUI_REDRAW;
		return REQ_NONE;
	default:
		return req;
	}
}

static void
dv_reload(struct view *view, struct app *app)
{
	compute(view, app);
	app->pending |= TUI_REDRAW;
}

static void
dv_set_arg(struct view *view, struct app *app, const char *arg)
{
	struct dv *d = view->priv;
	struct csf_error err = CSF_ERROR_INIT;

	if (parse_arg(d, app, NULL, arg, &err)) {
		tui_app_error(app, "diff: %s", err.msg);
		return;
	}
	compute(view, app);
	view_pane_goto(view, app, 0, 0);
}

static bool
dv_cursor_file(struct view *view, struct app *app, const char **path, unsigned *line)
{
	struct dv *d = view->priv;
	size_t cur = view->pane[0].cursor;
	const struct dv_row *r;

	(void)app;
	if (cur >= d->nrows || d->artifacts || d->spec.cells || d->picking || !d->ad)
		return false;
	r = &d->rows[cur];
	if (r->kind == R_NOTE || r->kind == R_SUMMARY || r->kind == R_MORE || r->kind == R_PICK)
		return false;
	/* Only the working-tree side of a revision diff is a file that can be edited. */
	if (!d->spec.rev2 || strcmp(d->spec.rev2, "WORKTREE") || !d->spec.path ||
	    !csf_is_file(d->spec.path))
		return false;
	*path = d->spec.path;
	*line = 1;
	if (r->kind == R_LINE && r->line->new_no)
		*line = r->line->new_no;
	else if (r->kind == R_SIDE && r->side->right)
		*line = r->side->right->new_no;
	else if (r->kind == R_SEM && r->sem->new_line)
		*line = r->sem->new_line;
	return true;
}

const struct view_ops view_diff_ops = {
	.name = "diff",
	.help = "review changes: unified, side-by-side or semantic; sources or their artifacts",
	.flags = VIEW_WORKSPACE,
	.private_size = sizeof(struct dv),
	.open_request = REQ_VIEW_DIFF,
	.complete = VIEW_COMPLETE_FILE,
	.open = dv_open,
	.close = dv_close,
	.layout = dv_layout,
	.draw_line = dv_draw_line,
	.handle = dv_handle,
	.grep = dv_grep,
	.reload = dv_reload,
	.set_arg = dv_set_arg,
	.cursor_file = dv_cursor_file,
};
