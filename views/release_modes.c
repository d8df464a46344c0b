/* The release view's modes (views/release_int.h): the board of every module × tenant ×
 * stage, the history of one cell, and a plan (its changes, summary, gates and action rows),
 * each with its detail pane and titles. */
#include "views/release_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/gitops.h"
#include "core/release.h"
#include "core/xalloc.h"
#include "tui/app.h"
#include "views/lines.h"
#include "views/view.h"

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

const char *
view_release_stage_name(const struct rv *r, size_t s)
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
			csf_buf_addf(&r->detail.text, "%-12s %-10s %s  %s\n",
			             view_release_stage_name(r, s), sl->version, sl->release_id,
			             sl->created_at);
		else
			csf_buf_addf(&r->detail.text, "%-12s -\n", view_release_stage_name(r, s));
	}
	if (b->workspace_version)
		csf_buf_addf(&r->detail.text, "\nwaiting: workspace %s -> %s (Enter: release it)\n",
		             b->workspace_version, view_release_stage_name(r, 0));
	else if (b->waiting_from != SIZE_MAX)
		csf_buf_addf(&r->detail.text, "\nwaiting: %s %s -> %s (Enter: promote)\n",
		             view_release_stage_name(r, b->waiting_from),
		             b->slots[b->waiting_from].version,
		             view_release_stage_name(r, b->waiting_from + 1));
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
	                view_release_stage_name(r, r->hrows[row].stage));
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

void
view_release_update_detail(struct view *view, struct app *app)
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

void
view_release_load_board(struct view *view, struct app *app)
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
		view_release_update_detail(view, app);
	}
}

void
view_release_show_board(struct view *view, struct app *app)
{
	struct rv *r = view->priv;

	r->mode = RV_BOARD;
	view_release_load_board(view, app);
	view_focus(view, PANE_LIST);
	app->pending |= TUI_REDRAW;
}

void
view_release_history_free(struct rv *r)
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

void
view_release_show_history(struct view *view, struct app *app, const char *module,
                          const char *tenant)
{
	struct rv *r = view->priv;
	struct csf_error err = CSF_ERROR_INIT;
	size_t s;

	if (!r->ctx_ok)
		return;
	view_release_history_free(r);
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
	view_release_update_detail(view, app);
	app->pending |= TUI_REDRAW;
}

static void
prow_add(struct rv *r, enum prow_kind k, size_t i)
{
	CSF_GROW(r->prows, r->prows_alloc, r->nprows + 1);
	r->prows[r->nprows].kind = k;
	r->prows[r->nprows++].i = i;
}

void
view_release_build_plan_rows(struct view *view, struct app *app)
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
	view_release_update_detail(view, app);
	app->pending |= TUI_REDRAW;
}

/* Plans again what the current plan describes (after a conflict, or a workspace change). */
bool
view_release_replan(struct view *view, struct app *app, enum csf_release_kind kind,
                    const char *module, const char *tenant, const char *from, const char *to,
                    const char *release)
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
	view_release_build_plan_rows(view, app);
	return true;
}

void
view_release_drop_plan(struct rv *r)
{
	if (r->have_plan)
		csf_release_plan_release(&r->plan);
	r->have_plan = false;
	r->nprows = 0;
	free(r->approver);
	r->approver = NULL;
}
