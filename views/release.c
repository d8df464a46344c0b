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
#include "views/release_int.h"

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
	view_release_load_board(view, app);
	if (view->arg && !strcmp(view->arg, "history") && r->have_board && r->board.nrows)
		view_release_show_history(view, app, r->board.rows[0].module,
		                          r->board.rows[0].tenant);
	return 0;
}

static void
rv_close(struct view *view)
{
	struct rv *r = view->priv;

	view_release_drop_plan(r);
	view_release_history_free(r);
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
		              view_release_stage_name(r, 0));
	else if (b->waiting_from != SIZE_MAX)
		tui_line_addf(l, THEME_LINT_WARNING, "-> %s",
		              view_release_stage_name(r, b->waiting_from + 1));
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
		tui_line_addf(l, THEME_LIST_ITEM, "%-11s ",
		              view_release_stage_name(r, r->hrows[lineno].stage));
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
			view_release_replan(view, app, k, m, t, f, to, rb);
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
	view_release_drop_plan(r);
	view_release_show_board(view, app);
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
	view_release_build_plan_rows(view, app);
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
		view_release_build_plan_rows(view, app);
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
	view_release_show_board(view, app);
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
		view_release_replan(view, app, CSF_RELEASE_PROMOTE, b->module, b->tenant,
		                    view_release_stage_name(r, b->waiting_from),
		                    view_release_stage_name(r, b->waiting_from + 1), NULL);
	else if (b->workspace_version)
		view_release_replan(view, app, CSF_RELEASE_NEW, b->module, b->tenant, NULL, NULL,
		                    NULL);
	else
		view_release_show_history(view, app, b->module, b->tenant);
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
		tui_app_message(app, "this is the current release of %s",
		                view_release_stage_name(r, r->hrows[cur].stage));
		return;
	}
	r->back = RV_HISTORY;
	view_release_replan(view, app, CSF_RELEASE_ROLLBACK, r->hmodule, r->htenant, NULL,
	                    view_release_stage_name(r, r->hrows[cur].stage),
	                    e->release_id ? e->release_id : e->commit);
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
			view_release_build_plan_rows(view, app);
			return REQ_NONE;
		}
		if (r->mode == RV_PLAN) {
			view_release_drop_plan(r);
			if (r->back == RV_HISTORY && r->hmodule) {
				char *m = csf_xstrdup(r->hmodule), *t = csf_xstrdup(r->htenant);

				view_release_show_history(view, app, m, t);
				free(m);
				free(t);
			} else {
				view_release_show_board(view, app);
			}
			return REQ_NONE;
		}
		if (r->mode == RV_HISTORY) {
			view_release_show_board(view, app);
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
	view_release_update_detail(view, app);
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

		csf_buf_addf(&b, "%s %s %s", view_release_stage_name(r, r->hrows[lineno].stage),
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
		view_release_load_board(view, app);
}

static void
rv_set_arg(struct view *view, struct app *app, const char *arg)
{
	struct rv *r = view->priv;
	size_t cur = view->pane[PANE_LIST].cursor;

	if (arg && !strcmp(arg, "history")) {
		if (r->mode == RV_BOARD && r->have_board && cur < r->board.nrows) {
			view_release_drop_plan(r);
			view_release_show_history(view, app, r->board.rows[cur].module,
			                          r->board.rows[cur].tenant);
		} else if (r->mode == RV_PLAN && r->have_plan) {
			char *m = csf_xstrdup(r->plan.module), *t = csf_xstrdup(r->plan.tenant);

			view_release_drop_plan(r);
			view_release_show_history(view, app, m, t);
			free(m);
			free(t);
		}
		return;
	}
	view_release_drop_plan(r);
	view_release_show_board(view, app);
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
