/* The release view: the pipeline board, the promotion step-through, history and rollback
 * (DESIGN §6, §8) over core/release.
 *
 *   :release            the board: every module × tenant with its version in each stage and
 *                       what waits to be promoted; the lower pane details the selected cell
 *   :release history    the releases of the selected cell in every stage, newest first, with
 *                       the diff of each (also Enter on a board row that waits for nothing)
 *
 * Enter on a board row that waits starts the step-through for that promotion (or for
 * `release new` when the workspace holds a newer version than the first stage):
 *   1. diff   — the files that change (+/-), the semantic summary; the lower pane shows the
 *               selected file's diff
 *   2. gates  — each gate with its result; Enter asks for the approval (name, then reason)
 *               when one is missing, else shows the commit for confirmation
 *   3. commit — one commit, only if the branch did not move since step 1 (else the plan is
 *               computed again and the view says so)
 * Esc goes back one step; nothing is written before the confirmation. Enter on a history entry
 * plans a rollback of that stage to it, through the same steps. --readonly shows everything
 * and refuses the commit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/gitops.h"
#include "core/release.h"
#include "core/xalloc.h"
#include "tui/app.h"
#include "tui/cmdline.h"
#include "views/layout.h"
#include "views/lines.h"
#include "views/view.h"

enum {
	PANE_LIST,
	PANE_DETAIL,
};

enum rv_mode {
	RV_BOARD,
	RV_HISTORY,
	RV_PLAN,
};

enum rv_step {
	STEP_DIFF,
	STEP_GATES,
};

enum prow_kind {
	PR_HEAD,
	PR_CHANGE,
	PR_SUMMARY,
	PR_GATE,
	PR_ACTION,
	PR_BLANK,
};

struct prow {
	enum prow_kind kind;
	size_t i;
};

struct hrow {
	size_t stage, entry;
	size_t pos;			/* position of its commit on the branch, newest first */
};

struct rv {
	struct csf_gitops *repo;
	struct csf_release_ctx ctx;
	bool ctx_ok;
	char *error;			/* why there is no board */
	bool missing;			/* the repository does not exist yet */
	struct csf_board board;
	bool have_board;
	enum rv_mode mode;
	enum rv_mode back;		/* where Esc from the plan's first step returns */
	size_t board_cursor;
	size_t col[8];			/* board: start column of tenant, each stage, waiting */
	/* history of one cell */
	char *hmodule, *htenant;
	struct csf_history *hist;	/* one per stage */
	size_t nhist;
	struct hrow *hrows;
	size_t nhrows, hrows_alloc;
	/* the plan */
	struct csf_release_plan plan;
	bool have_plan;
	enum rv_step step;
	struct prow *prows;
	size_t nprows, prows_alloc;
	char *approver;			/* between the two approval questions */
	/* the lower pane: lines of text */
	struct view_lines detail;
	bool detail_diff;		/* colour +/-/@ lines */
};

/* ---- the lower pane ------------------------------------------------------------------------- */

static void
detail_index(struct view *view, struct app *app, bool diff)
{
	struct rv *r = view->priv;

	r->detail_diff = diff;
	view_lines_index(&r->detail);
	view_pane_set_rows(view, app, PANE_DETAIL, r->detail.n);
	view_pane_goto(view, app, PANE_DETAIL, 0);
}

static const char *
stage_name(const struct rv *r, size_t s)
{
	return s < r->board.nstages ? r->board.stages[s] : "?";
}

static void
detail_board(struct view *view, struct app *app, size_t row)
{
	struct rv *r = view->priv;
	const struct csf_board_row *b;
	size_t s;

	csf_buf_reset(&r->detail.text);
	if (!r->have_board || row >= r->board.nrows) {
		csf_buf_addstr(&r->detail.text, r->error ? r->error : "no releases yet");
		view_pane_title(view, PANE_DETAIL, "%s", "Details");
		detail_index(view, app, false);
		return;
	}
	b = &r->board.rows[row];
	view_pane_title(view, PANE_DETAIL, "%s/%s", b->module, b->tenant);
	for (s = 0; s < r->board.nstages; s++) {
		const struct csf_board_slot *sl = &b->slots[s];

		if (sl->version)
			csf_buf_addf(&r->detail.text, "%-12s %-10s %s  %s\n", stage_name(r, s),
			             sl->version, sl->release_id, sl->created_at);
		else
			csf_buf_addf(&r->detail.text, "%-12s -\n", stage_name(r, s));
	}
	if (b->workspace_version)
		csf_buf_addf(&r->detail.text, "\nwaiting: workspace %s -> %s (Enter: release it)\n",
			     b->workspace_version, stage_name(r, 0));
	else if (b->waiting_from != SIZE_MAX)
		csf_buf_addf(&r->detail.text, "\nwaiting: %s %s -> %s (Enter: promote)\n",
			     stage_name(r, b->waiting_from), b->slots[b->waiting_from].version,
			     stage_name(r, b->waiting_from + 1));
	else
		csf_buf_addstr(&r->detail.text, "\nnothing waiting (Enter: history)\n");
	detail_index(view, app, false);
}

static void
detail_history(struct view *view, struct app *app, size_t row)
{
	struct rv *r = view->priv;
	const struct csf_history_entry *e;
	char ts[32];
	size_t i;

	csf_buf_reset(&r->detail.text);
	if (row >= r->nhrows) {
		csf_buf_addstr(&r->detail.text, "no releases of this cell yet\n");
		view_pane_title(view, PANE_DETAIL, "%s", "Release");
		detail_index(view, app, false);
		return;
	}
	e = &r->hist[r->hrows[row].stage].v[r->hrows[row].entry];
	view_pane_title(view, PANE_DETAIL, "%s in %s", e->release_id ? e->release_id : e->commit,
			stage_name(r, r->hrows[row].stage));
	csf_buf_addf(&r->detail.text, "commit   %.12s  %s  %s <%s>\n", e->commit,
		     csf_format_utc(e->when, ts, sizeof(ts)), e->author ? e->author : "",
		     e->email ? e->email : "");
	csf_buf_addf(&r->detail.text, "version  %s  from %s\n", e->version ? e->version : "?",
		     e->from ? e->from : "?");
	if (e->approved_by)
		csf_buf_addf(&r->detail.text, "approved %s: %s\n", e->approved_by,
		             e->reason ? e->reason : "");
	if (e->gates)
		csf_buf_addf(&r->detail.text, "gates    %s\n", e->gates);
	csf_buf_addf(&r->detail.text, "%zu file%s changed, +%zu -%zu\n", e->nchanges,
		     e->nchanges == 1 ? "" : "s", e->added, e->removed);
	for (i = 0; i < e->nchanges; i++)
		csf_buf_addf(&r->detail.text, "  %c %s  +%zu -%zu\n", e->changes[i].status,
			     e->changes[i].path, e->changes[i].added, e->changes[i].removed);
	csf_buf_addstr(&r->detail.text, "\nEnter: roll this stage back to this release\n");
	detail_index(view, app, false);
}

static void
detail_plan(struct view *view, struct app *app, size_t row)
{
	struct rv *r = view->priv;
	const struct csf_release_plan *p = &r->plan;
	const struct prow *pr = row < r->nprows ? &r->prows[row] : NULL;
	size_t i;
	bool diff = false;

	csf_buf_reset(&r->detail.text);
	if (pr && pr->kind == PR_CHANGE) {
		view_pane_title(view, PANE_DETAIL, "diff %s", p->changes[pr->i].path);
		csf_release_file_diff(p, p->changes[pr->i].path, &r->detail.text, NULL);
		diff = true;
	} else if (pr && pr->kind == PR_GATE) {
		view_pane_title(view, PANE_DETAIL, "gate %s: %s", p->gates[pr->i].name,
				csf_gate_state_name(p->gates[pr->i].state));
		csf_buf_addf(&r->detail.text, "%s\n", p->gates[pr->i].detail);
	} else {
		view_pane_title(view, PANE_DETAIL, "%s", "the commit");
		csf_release_message(p, &r->detail.text);
	}
	for (i = 0; !diff && i < p->nwarnings; i++)
		csf_buf_addf(&r->detail.text, "%snote: %s\n", i ? "" : "\n", p->warnings[i]);
	detail_index(view, app, diff);
}

static void
update_detail(struct view *view, struct app *app)
{
	struct rv *r = view->priv;
	size_t cur = view->pane[PANE_LIST].cursor;

	if (r->mode == RV_BOARD)
		detail_board(view, app, cur);
	else if (r->mode == RV_HISTORY)
		detail_history(view, app, cur);
	else
		detail_plan(view, app, cur);
}

/* ---- building the modes --------------------------------------------------------------------- */

static void
set_mode_title(struct view *view)
{
	struct rv *r = view->priv;
	const struct csf_release_plan *p = &r->plan;

	if (r->mode == RV_BOARD) {
		struct csf_buf t = CSF_BUF_INIT;
		size_t s;

		if (r->have_board) {
			csf_buf_addf(&t, "%-*s%-*s", (int)r->col[0], "MODULE",
				     (int)(r->col[1] - r->col[0]), "TENANT");
			for (s = 0; s < r->board.nstages && s < 5; s++)
				csf_buf_addf(&t, "%-*s", (int)(r->col[s + 2] - r->col[s + 1]),
					     r->board.stages[s]);
			csf_buf_addstr(&t, "WAITING");
			view_pane_title(view, PANE_LIST, "%s", t.buf);
			view_set_crumb(view, "board: %zu cells, %zu waiting, %s at %.7s", r->board.nrows,
				       r->board.nwaiting, csf_gitops_branch(r->repo),
				       *r->board.head ? r->board.head : "(none)");
		} else {
			view_pane_title(view, PANE_LIST, "%s", "Release board");
			view_set_crumb(view, "%s", "board");
		}
		csf_buf_release(&t);
	} else if (r->mode == RV_HISTORY) {
		view_pane_title(view, PANE_LIST, "History of %s/%s: %zu releases", r->hmodule, r->htenant,
				r->nhrows);
		view_set_crumb(view, "%s/%s history", r->hmodule, r->htenant);
	} else {
		const char *what = p->kind == CSF_RELEASE_NEW ? "release" : p->kind == CSF_RELEASE_PROMOTE
				   ? "promote" : "rollback";

		if (p->kind == CSF_RELEASE_ROLLBACK)
			view_pane_title(view, PANE_LIST, "Step %d/3 %s: rollback %s/%s in %s to %s",
					r->step == STEP_DIFF ? 1 : 2, r->step == STEP_DIFF ? "diff" : "gates",
					p->module, p->tenant, p->to,
					p->meta.rollback_of ? p->meta.rollback_of : "?");
		else
			view_pane_title(view, PANE_LIST, "Step %d/3 %s: %s %s/%s %s -> %s",
					r->step == STEP_DIFF ? 1 : 2, r->step == STEP_DIFF ? "diff" : "gates",
					what, p->module, p->tenant, p->from, p->to);
		view_set_crumb(view, "%s %s/%s -> %s", what, p->module, p->tenant, p->to);
	}
}

/* Column starts sized to the content: module, tenant, one per stage (up to 5), waiting. */
static void
board_columns(struct rv *r)
{
	size_t wm = 6, wt = 6, i, s, ns = r->have_board ? r->board.nstages : 0;

	if (ns > 5)
		ns = 5;
	for (i = 0; r->have_board && i < r->board.nrows; i++) {
		size_t m = strlen(r->board.rows[i].module), t = strlen(r->board.rows[i].tenant);

		wm = m > wm ? m : wm;
		wt = t > wt ? t : wt;
	}
	r->col[0] = (wm > 24 ? 24 : wm) + 1;
	r->col[1] = r->col[0] + (wt > 20 ? 20 : wt) + 1;
	for (s = 0; s < ns; s++) {
		size_t w = strlen(r->board.stages[s]);

		for (i = 0; i < r->board.nrows; i++)
			if (r->board.rows[i].slots[s].version &&
			    strlen(r->board.rows[i].slots[s].version) > w)
				w = strlen(r->board.rows[i].slots[s].version);
		r->col[s + 2] = r->col[s + 1] + (w > 16 ? 16 : w) + 1;
	}
	r->col[ns + 2] = 0;
}

static void
load_board(struct view *view, struct app *app)
{
	struct rv *r = view->priv;
	struct csf_error err = CSF_ERROR_INIT;

	if (r->have_board)
		csf_board_release(&r->board);
	r->have_board = false;
	if (r->ctx_ok) {
		if (csf_release_board(&r->ctx, &r->board, &err)) {
			free(r->error);
			r->error = csf_xstrdup(err.msg);
		} else {
			r->have_board = true;
		}
	}
	board_columns(r);
	if (r->mode == RV_BOARD) {
		view_pane_set_rows(view, app, PANE_LIST, r->have_board ? r->board.nrows : 0);
		view_pane_goto(view, app, PANE_LIST, r->board_cursor);
		set_mode_title(view);
		update_detail(view, app);
	}
}

static void
show_board(struct view *view, struct app *app)
{
	struct rv *r = view->priv;

	r->mode = RV_BOARD;
	load_board(view, app);
	view_focus(view, PANE_LIST);
	app->pending |= TUI_REDRAW;
}

static void
history_free(struct rv *r)
{
	size_t i;

	for (i = 0; i < r->nhist; i++)
		csf_history_release(&r->hist[i]);
	free(r->hist);
	r->hist = NULL;
	r->nhist = 0;
	r->nhrows = 0;
}

struct commit_order {
	char (*ids)[CSF_OID_HEX];
	size_t n, alloc;
};

static bool
order_cb(void *ctx, const struct csf_gitops_commit_info *c)
{
	struct commit_order *o = ctx;

	CSF_GROW(o->ids, o->alloc, o->n + 1);
	memcpy(o->ids[o->n++], c->id, CSF_OID_HEX);
	return true;
}

static int
hrow_cmp(const void *a, const void *b)
{
	const struct hrow *x = a, *y = b;

	if (x->pos != y->pos)
		return x->pos < y->pos ? -1 : 1;
	return x->stage < y->stage ? -1 : x->stage > y->stage;
}

static void
show_history(struct view *view, struct app *app, const char *module, const char *tenant)
{
	struct rv *r = view->priv;
	struct csf_error err = CSF_ERROR_INIT;
	size_t s;

	if (!r->ctx_ok)
		return;
	history_free(r);
	free(r->hmodule);
	free(r->htenant);
	r->hmodule = csf_xstrdup(module);
	r->htenant = csf_xstrdup(tenant);
	r->nhist = r->ctx.pipeline.nstages;
	r->hist = csf_xcalloc(r->nhist ? r->nhist : 1, sizeof(*r->hist));
	for (s = 0; s < r->nhist; s++)
		if (csf_release_history(&r->ctx, r->ctx.pipeline.stages[s].name, module, tenant,
					&r->hist[s], &err))
			tui_app_error(app, "history: %s", err.msg);
	/* every stage's releases in the branch's order, newest first (times can be equal) */
	{
		struct commit_order o = { NULL, 0, 0 };
		char tip[CSF_OID_HEX];
		size_t e, k;

		if (!csf_gitops_tip(r->repo, tip, &err))
			csf_gitops_log(r->repo, tip, NULL, order_cb, &o, &err);
		for (s = 0; s < r->nhist; s++)
			for (e = 0; e < r->hist[s].n; e++) {
				struct hrow *h;

				CSF_GROW(r->hrows, r->hrows_alloc, r->nhrows + 1);
				h = &r->hrows[r->nhrows++];
				h->stage = s;
				h->entry = e;
				h->pos = SIZE_MAX;
				for (k = 0; k < o.n; k++)
					if (!strcmp(o.ids[k], r->hist[s].v[e].commit)) {
						h->pos = k;
						break;
					}
			}
		qsort(r->hrows, r->nhrows, sizeof(*r->hrows), hrow_cmp);
		free(o.ids);
	}
	r->mode = RV_HISTORY;
	view_pane_set_rows(view, app, PANE_LIST, r->nhrows);
	view_pane_goto(view, app, PANE_LIST, 0);
	view_focus(view, PANE_LIST);
	set_mode_title(view);
	update_detail(view, app);
	app->pending |= TUI_REDRAW;
}

static void
prow_add(struct rv *r, enum prow_kind k, size_t i)
{
	CSF_GROW(r->prows, r->prows_alloc, r->nprows + 1);
	r->prows[r->nprows].kind = k;
	r->prows[r->nprows++].i = i;
}

static void
build_plan_rows(struct view *view, struct app *app)
{
	struct rv *r = view->priv;
	const struct csf_release_plan *p = &r->plan;
	size_t i;

	r->nprows = 0;
	if (r->step == STEP_DIFF) {
		prow_add(r, PR_HEAD, 0);
		for (i = 0; i < p->nchanges; i++)
			prow_add(r, PR_CHANGE, i);
		prow_add(r, PR_BLANK, 0);
		prow_add(r, PR_HEAD, 1);
		for (i = 0; i < p->nsummary; i++)
			prow_add(r, PR_SUMMARY, i);
	} else {
		prow_add(r, PR_HEAD, 2);
		for (i = 0; i < p->ngates; i++)
			prow_add(r, PR_GATE, i);
		prow_add(r, PR_BLANK, 0);
	}
	prow_add(r, PR_ACTION, 0);
	view_pane_set_rows(view, app, PANE_LIST, r->nprows);
	view_pane_goto(view, app, PANE_LIST, r->step == STEP_DIFF && p->nchanges ? 1 : 0);
	view_focus(view, PANE_LIST);
	set_mode_title(view);
	update_detail(view, app);
	app->pending |= TUI_REDRAW;
}

/* Plans again what the current plan describes (after a conflict, or a workspace change). */
static bool
replan(struct view *view, struct app *app, enum csf_release_kind kind, const char *module,
       const char *tenant, const char *from, const char *to, const char *release)
{
	struct rv *r = view->priv;
	struct csf_release_plan np;
	struct csf_approval ap = { NULL, NULL };
	struct csf_error err = CSF_ERROR_INIT;
	enum csf_status st;

	if (r->have_plan) {
		ap.name = r->plan.approval.name;
		ap.reason = r->plan.approval.reason;
	}
	if (kind == CSF_RELEASE_NEW)
		st = csf_release_plan_new(&r->ctx, module, tenant, &ap, &np, &err);
	else if (kind == CSF_RELEASE_PROMOTE)
		st = csf_release_plan_promote(&r->ctx, module, tenant, from, to, &ap, &np, &err);
	else
		st = csf_release_plan_rollback(&r->ctx, module, tenant, to, release, &ap, &np, &err);
	if (st) {
		tui_app_error(app, "release: %s", err.msg);
		return false;
	}
	if (r->have_plan)
		csf_release_plan_release(&r->plan);
	r->plan = np;
	r->have_plan = true;
	r->step = STEP_DIFF;
	r->mode = RV_PLAN;
	build_plan_rows(view, app);
	return true;
}

static void
drop_plan(struct rv *r)
{
	if (r->have_plan)
		csf_release_plan_release(&r->plan);
	r->have_plan = false;
	r->nprows = 0;
	free(r->approver);
	r->approver = NULL;
}

/* ---- open and close ------------------------------------------------------------------------- */

/* Opens the repository (creating it only when asked: opening the view writes nothing) and the
 * release context. */
static void
open_repo(struct rv *r, struct app *app, const char *path, bool create)
{
	struct csf_error e = CSF_ERROR_INIT;
	unsigned flags = app->readonly ? 0 : CSF_GITOPS_WRITE | (create ? CSF_GITOPS_CREATE : 0);

	free(r->error);
	r->error = NULL;
	r->missing = false;
	if (csf_gitops_open(path, flags, &r->repo, &e)) {
		r->missing = e.code == CSF_E_NOTFOUND;
		if (r->missing) {
			struct csf_buf b = CSF_BUF_INIT;

			csf_buf_addf(&b, "no GitOps repository at %s yet%s", path, app->readonly
				     ? " (read-only: not creating one)" : ": Enter creates it");
			r->error = csf_buf_detach(&b, NULL);
		} else {
			r->error = csf_xstrdup(e.msg);
		}
	} else if (csf_release_ctx_init(&r->ctx, r->repo, app->ws, 0, &e)) {
		r->error = csf_xstrdup(e.msg);
	} else {
		r->ctx_ok = true;
		r->ctx.readonly = app->readonly;
	}
}

static int
rv_open(struct view *view, struct app *app, struct csf_error *err)
{
	struct rv *r = view->priv;
	const char *path = app->ws ? app->ws->gitops : NULL;

	(void)err;
	view->npanes = 2;
	view->pane[PANE_LIST].flags = VIEW_PANE_CURSOR | VIEW_PANE_NARROW | VIEW_PANE_HEADER;
	view->pane[PANE_DETAIL].flags = VIEW_PANE_HEADER;
	view_lines_init(&r->detail);
	if (!path)
		r->error = csf_xstrdup("no GitOps repository: set `gitops:` in csf.yaml");
	else
		open_repo(r, app, path, false);
	r->mode = RV_BOARD;
	load_board(view, app);
	if (view->arg && !strcmp(view->arg, "history") && r->have_board && r->board.nrows)
		show_history(view, app, r->board.rows[0].module, r->board.rows[0].tenant);
	return 0;
}

static void
rv_close(struct view *view)
{
	struct rv *r = view->priv;

	drop_plan(r);
	history_free(r);
	free(r->hrows);
	free(r->hmodule);
	free(r->htenant);
	free(r->prows);
	view_lines_release(&r->detail);
	if (r->have_board)
		csf_board_release(&r->board);
	if (r->ctx_ok)
		csf_release_ctx_release(&r->ctx);
	csf_gitops_free(r->repo);
	free(r->error);
}

static void
rv_layout(struct view *view, struct app *app)
{
	(void)app;
	view_layout_stack(view, PANE_LIST, PANE_DETAIL, 11, 20);
}

/* ---- drawing -------------------------------------------------------------------------------- */

static void
draw_board_row(struct rv *r, struct tui_line *l, size_t lineno)
{
	const struct csf_board_row *b = &r->board.rows[lineno];
	size_t s, ns = r->board.nstages < 5 ? r->board.nstages : 5;

	tui_line_addstr(l, THEME_LIST_ITEM, b->module);
	tui_line_pad_to(l, THEME_DEFAULT, r->col[0]);
	tui_line_addstr(l, THEME_LIST_ITEM, b->tenant);
	for (s = 0; s < ns; s++) {
		tui_line_pad_to(l, THEME_DEFAULT, r->col[s + 1]);
		tui_line_addstr(l, b->slots[s].version ? THEME_DEFAULT : THEME_LIST_DIM,
				b->slots[s].version ? b->slots[s].version : "-");
	}
	tui_line_pad_to(l, THEME_DEFAULT, r->col[ns + 1]);
	if (b->workspace_version)
		tui_line_addf(l, THEME_LINT_WARNING, "%s -> %s", b->workspace_version,
			      stage_name(r, 0));
	else if (b->waiting_from != SIZE_MAX)
		tui_line_addf(l, THEME_LINT_WARNING, "-> %s", stage_name(r, b->waiting_from + 1));
}

static void
draw_plan_row(struct rv *r, struct tui_line *l, size_t lineno)
{
	const struct csf_release_plan *p = &r->plan;
	const struct prow *pr = &r->prows[lineno];
	const struct csf_file_change *c;
	const struct csf_release_gate *g;

	switch (pr->kind) {
	case PR_HEAD:
		if (pr->i == 0)
			tui_line_addf(l, THEME_LIST_SECTION, "Changes: %zu file%s, +%zu -%zu%s",
				      p->nchanges, p->nchanges == 1 ? "" : "s", p->added, p->removed,
				      p->empty ? " (nothing to commit: the stage holds this release)"
				      : "");
		else if (pr->i == 1)
			tui_line_addstr(l, THEME_LIST_SECTION, "Summary");
		else
			tui_line_addf(l, THEME_LIST_SECTION, "Gates of %s%s", p->to,
				      p->blocked ? ": blocked" : ": all pass");
		break;
	case PR_CHANGE:
		c = &p->changes[pr->i];
		tui_line_addf(l, c->status == 'A' ? THEME_DIFF_ADD : c->status == 'D' ? THEME_DIFF_DEL
			      : THEME_LIST_ITEM, "  %c ", c->status);
		tui_line_addstr(l, THEME_LIST_ITEM, c->path);
		tui_line_addf(l, THEME_LIST_DIM, "  +%zu -%zu", c->added, c->removed);
		break;
	case PR_SUMMARY:
		tui_line_addstr(l, THEME_DEFAULT, "  ");
		tui_line_addstr(l, THEME_DEFAULT, p->summary[pr->i]);
		break;
	case PR_GATE:
		g = &p->gates[pr->i];
		tui_line_addf(l, g->state == CSF_GATE_PASS ? THEME_DIFF_ADD : g->state == CSF_GATE_BLOCK
			      ? THEME_LINT_ERROR : THEME_LIST_DIM, "  %-5s ", csf_gate_state_name(g->state));
		tui_line_addf(l, THEME_LIST_ITEM, "%-16s ", g->name);
		tui_line_addstr(l, THEME_LIST_DIM, g->detail);
		break;
	case PR_ACTION:
		if (r->step == STEP_DIFF)
			tui_line_addstr(l, THEME_LIST_SECTION, p->empty
					? "Esc: back (nothing to promote)" : "Enter: gates   Esc: back");
		else if (p->blocked)
			tui_line_addstr(l, THEME_LIST_SECTION,
					"Enter: approve (name, reason)   Esc: back to the diff");
		else
			tui_line_addstr(l, THEME_LIST_SECTION, "Enter: commit   Esc: back to the diff");
		break;
	case PR_BLANK:
		break;
	}
}

static void
rv_draw_line(struct view *view, struct app *app, unsigned pane, struct tui_line *l, size_t lineno)
{
	struct rv *r = view->priv;

	(void)app;
	if (pane == PANE_DETAIL) {
		const char *s;
		size_t n;
		enum theme_slot slot = THEME_DEFAULT;

		s = view_lines_get(&r->detail, lineno, &n);
		if (!s)
			return;
		while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
			n--;
		if (r->detail_diff && n) {
			if (s[0] == '@')
				slot = THEME_DIFF_HUNK;
			else if (s[0] == '+' && !(n >= 3 && !strncmp(s, "+++", 3)))
				slot = THEME_DIFF_ADD;
			else if (s[0] == '-' && !(n >= 3 && !strncmp(s, "---", 3)))
				slot = THEME_DIFF_DEL;
		}
		tui_line_add(l, slot, s, n);
		return;
	}
	if (r->mode == RV_BOARD && r->have_board && lineno < r->board.nrows) {
		draw_board_row(r, l, lineno);
	} else if (r->mode == RV_HISTORY && lineno < r->nhrows) {
		const struct csf_history_entry *e = &r->hist[r->hrows[lineno].stage].v[r->hrows[lineno].entry];
		char ts[32];

		tui_line_addf(l, THEME_LIST_DIM, "%.16s  ", csf_format_utc(e->when, ts, sizeof(ts)));
		tui_line_addf(l, THEME_LIST_ITEM, "%-11s ", stage_name(r, r->hrows[lineno].stage));
		tui_line_addf(l, THEME_DEFAULT, "%-8s ", e->version ? e->version : "?");
		tui_line_addstr(l, THEME_LIST_DIM, e->release_id ? e->release_id : e->subject);
		if (e->approved_by)
			tui_line_addf(l, THEME_DEFAULT, "  approved by %s", e->approved_by);
	} else if (r->mode == RV_PLAN && lineno < r->nprows) {
		draw_plan_row(r, l, lineno);
	}
}

/* ---- the steps ------------------------------------------------------------------------------ */

static void
commit_answer(struct app *app, bool yes, void *ctx)
{
	struct view *view = ctx;
	struct rv *r;
	struct csf_error err = CSF_ERROR_INIT;
	char commit[CSF_OID_HEX];
	enum csf_status st;

	if (tui_app_top(app) != view)
		return;
	r = view->priv;
	if (!yes || !r->have_plan) {
		tui_app_message(app, "not committed: the plan is still open (Esc goes back)");
		return;
	}
	st = csf_release_apply(&r->ctx, &r->plan, commit, &err);
	if (st == CSF_E_CONFLICT) {
		struct csf_release_plan *p = &r->plan;
		char *m = csf_xstrdup(p->module), *t = csf_xstrdup(p->tenant);
		char *f = csf_xstrdup(p->from), *to = csf_xstrdup(p->to);
		char *rb = p->meta.rollback_of ? csf_xstrdup(p->meta.rollback_of) : NULL;
		enum csf_release_kind k = p->kind;

		csf_release_ctx_release(&r->ctx);
		r->ctx_ok = !csf_release_ctx_init(&r->ctx, r->repo, app->ws, 0, &err);
		r->ctx.readonly = app->readonly;
		if (r->ctx_ok)
			replan(view, app, k, m, t, f, to, rb);
		tui_app_error(app, "someone else promoted since the diff was computed: here is the "
			      "new diff, review it again");
		free(m);
		free(t);
		free(f);
		free(to);
		free(rb);
		return;
	}
	if (st) {
		tui_app_error(app, "release: %s", err.msg);
		return;
	}
	if (!*commit) {
		tui_app_message(app, "nothing to commit: %s already holds this release", r->plan.to);
	} else {
		tui_app_message(app, "committed %.12s: %s %s/%s %s in %s", commit,
				r->plan.meta.release_id, r->plan.module, r->plan.tenant,
				r->plan.meta.version ? r->plan.meta.version : "?", r->plan.to);
	}
	drop_plan(r);
	show_board(view, app);
}

static void
reason_answer(struct app *app, const char *answer, void *ctx)
{
	struct view *view = ctx;
	struct rv *r;
	struct csf_approval ap;

	if (tui_app_top(app) != view)
		return;
	r = view->priv;
	if (!answer || !*answer || !r->approver || !r->have_plan) {
		tui_app_message(app, "approval cancelled");
		free(r->approver);
		r->approver = NULL;
		return;
	}
	ap.name = r->approver;
	ap.reason = (char *)(uintptr_t)answer;
	csf_release_plan_gates(&r->ctx, &r->plan, &ap);
	free(r->approver);
	r->approver = NULL;
	build_plan_rows(view, app);
	if (r->plan.blocked)
		tui_app_error(app, "still blocked: see the gates");
	else
		tui_app_message(app, "approved by %s: Enter commits", r->plan.approval.name);
}

static void
approver_answer(struct app *app, const char *answer, void *ctx)
{
	struct view *view = ctx;
	struct rv *r;

	if (tui_app_top(app) != view)
		return;
	r = view->priv;
	if (!answer || !*answer) {
		tui_app_message(app, "approval cancelled");
		return;
	}
	free(r->approver);
	r->approver = csf_xstrdup(answer);
	tui_cmdline_ask(app, "reason: ", reason_answer, view);
}

static bool
needs_approval_only(const struct csf_release_plan *p)
{
	size_t i;
	bool approval = false;

	for (i = 0; i < p->ngates; i++)
		if (p->gates[i].state == CSF_GATE_BLOCK) {
			if (strcmp(p->gates[i].name, "requireApproval"))
				return false;
			approval = true;
		}
	return approval;
}

static void
plan_enter(struct view *view, struct app *app)
{
	struct rv *r = view->priv;
	struct csf_release_plan *p = &r->plan;
	struct csf_buf msg = CSF_BUF_INIT;
	size_t i;

	if (r->step == STEP_DIFF) {
		if (p->empty) {
			tui_app_message(app, "%s already holds this release: nothing to promote", p->to);
			return;
		}
		r->step = STEP_GATES;
		build_plan_rows(view, app);
		return;
	}
	if (p->blocked) {
		if (needs_approval_only(p)) {
			tui_cmdline_ask(app, "approve as (name): ", approver_answer, view);
			return;
		}
		for (i = 0; i < p->ngates; i++)
			if (p->gates[i].state == CSF_GATE_BLOCK) {
				tui_app_error(app, "blocked by %s: %s", p->gates[i].name, p->gates[i].detail);
				return;
			}
	}
	if (tui_app_refuse_write(app, "committing a release"))
		return;
	csf_release_message(p, &msg);
	tui_app_confirm(app, "Commit this release to the GitOps repository?", msg.buf,
			commit_answer, view);
	csf_buf_release(&msg);
}

static void
create_answer(struct app *app, bool yes, void *ctx)
{
	struct view *view = ctx;
	struct rv *r;

	if (!yes || tui_app_top(app) != view || !app->ws || !app->ws->gitops)
		return;
	r = view->priv;
	open_repo(r, app, app->ws->gitops, true);
	if (r->error)
		tui_app_error(app, "release: %s", r->error);
	else
		tui_app_message(app, "created %s", app->ws->gitops);
	show_board(view, app);
}

static void
board_enter(struct view *view, struct app *app)
{
	struct rv *r = view->priv;
	size_t cur = view->pane[PANE_LIST].cursor;
	const struct csf_board_row *b;

	if (r->missing && !app->readonly && app->ws && app->ws->gitops) {
		tui_app_confirm(app, "Create the GitOps repository?", app->ws->gitops, create_answer,
				view);
		return;
	}
	if (!r->have_board || cur >= r->board.nrows) {
		tui_app_error(app, "release: %s", r->error ? r->error : "nothing selected");
		return;
	}
	b = &r->board.rows[cur];
	r->board_cursor = cur;
	r->back = RV_BOARD;
	if (b->waiting_from != SIZE_MAX)
		replan(view, app, CSF_RELEASE_PROMOTE, b->module, b->tenant,
		       stage_name(r, b->waiting_from), stage_name(r, b->waiting_from + 1), NULL);
	else if (b->workspace_version)
		replan(view, app, CSF_RELEASE_NEW, b->module, b->tenant, NULL, NULL, NULL);
	else
		show_history(view, app, b->module, b->tenant);
}

static void
history_enter(struct view *view, struct app *app)
{
	struct rv *r = view->priv;
	size_t cur = view->pane[PANE_LIST].cursor;
	const struct csf_history_entry *e;
	const struct csf_history *h;

	if (cur >= r->nhrows)
		return;
	h = &r->hist[r->hrows[cur].stage];
	e = &h->v[r->hrows[cur].entry];
	if (r->hrows[cur].entry == 0) {
		tui_app_message(app, "this is the current release of %s", stage_name(r, r->hrows[cur].stage));
		return;
	}
	r->back = RV_HISTORY;
	replan(view, app, CSF_RELEASE_ROLLBACK, r->hmodule, r->htenant, NULL,
	       stage_name(r, r->hrows[cur].stage), e->release_id ? e->release_id : e->commit);
}

static enum request
rv_handle(struct view *view, struct app *app, enum request req)
{
	struct rv *r = view->priv;

	switch (req) {
	case REQ_ENTER:
		if (view->focus != PANE_LIST)
			return req;
		if (r->mode == RV_BOARD)
			board_enter(view, app);
		else if (r->mode == RV_HISTORY)
			history_enter(view, app);
		else
			plan_enter(view, app);
		return REQ_NONE;
	case REQ_VIEW_BACK:
		if (r->mode == RV_PLAN && r->step == STEP_GATES) {
			r->step = STEP_DIFF;
			build_plan_rows(view, app);
			return REQ_NONE;
		}
		if (r->mode == RV_PLAN) {
			drop_plan(r);
			if (r->back == RV_HISTORY && r->hmodule) {
				char *m = csf_xstrdup(r->hmodule), *t = csf_xstrdup(r->htenant);

				show_history(view, app, m, t);
				free(m);
				free(t);
			} else {
				show_board(view, app);
			}
			return REQ_NONE;
		}
		if (r->mode == RV_HISTORY) {
			show_board(view, app);
			return REQ_NONE;
		}
		return req;
	default:
		return req;
	}
}

static void
rv_select(struct view *view, struct app *app, unsigned pane, size_t lineno)
{
	struct rv *r = view->priv;

	(void)lineno;
	if (pane != PANE_LIST)
		return;
	if (r->mode == RV_BOARD)
		r->board_cursor = lineno;
	update_detail(view, app);
}

static bool
rv_grep(struct view *view, struct app *app, unsigned pane, size_t lineno, const regex_t *re)
{
	struct rv *r = view->priv;
	struct csf_buf b = CSF_BUF_INIT;
	bool hit;

	(void)app;
	if (pane == PANE_DETAIL) {
		size_t n;
		const char *s = view_lines_get(&r->detail, lineno, &n);

		if (!s)
			return false;
		csf_buf_add(&b, s, n);
	} else if (r->mode == RV_BOARD && r->have_board && lineno < r->board.nrows) {
		csf_buf_addf(&b, "%s %s", r->board.rows[lineno].module, r->board.rows[lineno].tenant);
	} else if (r->mode == RV_HISTORY && lineno < r->nhrows) {
		const struct csf_history_entry *e = &r->hist[r->hrows[lineno].stage].v[r->hrows[lineno].entry];

		csf_buf_addf(&b, "%s %s %s", stage_name(r, r->hrows[lineno].stage),
			     e->version ? e->version : "", e->release_id ? e->release_id : "");
	} else if (r->mode == RV_PLAN && lineno < r->nprows) {
		const struct prow *pr = &r->prows[lineno];

		if (pr->kind == PR_CHANGE)
			csf_buf_addstr(&b, r->plan.changes[pr->i].path);
		else if (pr->kind == PR_SUMMARY)
			csf_buf_addstr(&b, r->plan.summary[pr->i]);
		else if (pr->kind == PR_GATE)
			csf_buf_addf(&b, "%s %s", r->plan.gates[pr->i].name, r->plan.gates[pr->i].detail);
	}
	hit = b.len && !regexec(re, b.buf, 0, NULL, 0);
	csf_buf_release(&b);
	return hit;
}

static void
rv_reload(struct view *view, struct app *app)
{
	struct rv *r = view->priv;

	/* the workspace was re-opened: the old pointers are gone; plans and history hold copies */
	r->ctx.ws = app->ws;
	if (r->mode == RV_BOARD)
		load_board(view, app);
}

static void
rv_set_arg(struct view *view, struct app *app, const char *arg)
{
	struct rv *r = view->priv;
	size_t cur = view->pane[PANE_LIST].cursor;

	if (arg && !strcmp(arg, "history")) {
		if (r->mode == RV_BOARD && r->have_board && cur < r->board.nrows) {
			drop_plan(r);
			show_history(view, app, r->board.rows[cur].module, r->board.rows[cur].tenant);
		} else if (r->mode == RV_PLAN && r->have_plan) {
			char *m = csf_xstrdup(r->plan.module), *t = csf_xstrdup(r->plan.tenant);

			drop_plan(r);
			show_history(view, app, m, t);
			free(m);
			free(t);
		}
		return;
	}
	drop_plan(r);
	show_board(view, app);
}

const struct view_ops view_release_ops = {
	.name = "release",
	.help = "the release board, promotion step-through (diff, gates, approve, commit), "
		"history and rollback",
	.flags = VIEW_WORKSPACE,
	.private_size = sizeof(struct rv),
	.open_request = REQ_NONE,
	.complete = VIEW_COMPLETE_NONE,
	.open = rv_open,
	.close = rv_close,
	.layout = rv_layout,
	.draw_line = rv_draw_line,
	.handle = rv_handle,
	.select = rv_select,
	.grep = rv_grep,
	.reload = rv_reload,
	.set_arg = rv_set_arg,
};
