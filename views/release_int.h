/* The release view's internals, shared by views/release.c (the view: ops table, drawing,
 * keys, the questions of a release) and views/release_modes.c (the rows and the detail pane
 * of its three modes: the board, the history of one cell, a plan). Not for other files: the
 * view is view_release_ops. */
#ifndef CSF_VIEWS_RELEASE_INT_H
#define CSF_VIEWS_RELEASE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/gitops.h"
#include "core/release.h"
#include "views/lines.h"
#include "views/view.h"

struct app;

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

/* ---- views/release_modes.c ------------------------------------------------------------------ */

/* The name of stage s of the board, or "?". Borrowed from r->board. */
const char *view_release_stage_name(const struct rv *r, size_t s);
/* Refills the detail pane for the list cursor in the current mode. */
void view_release_update_detail(struct view *view, struct app *app);
/* Reads the board again (or keeps the error that prevents it) and shows its rows. */
void view_release_load_board(struct view *view, struct app *app);
/* Switches to the board (reloaded) with the list focused. */
void view_release_show_board(struct view *view, struct app *app);
/* Frees the history of the cell shown (not hmodule/htenant). */
void view_release_history_free(struct rv *r);
/* Switches to the history of module × tenant in every stage, newest first. module and tenant
 * are copied. */
void view_release_show_history(struct view *view, struct app *app, const char *module,
			       const char *tenant);
/* Rebuilds the plan's rows for its step (changes and summary, or gates and actions). */
void view_release_build_plan_rows(struct view *view, struct app *app);
/* Plans again what the current plan describes (after a conflict, or a workspace change). */
bool view_release_replan(struct view *view, struct app *app, enum csf_release_kind kind,
			 const char *module, const char *tenant, const char *from, const char *to,
			 const char *release);
/* Forgets the plan and its rows (and the approver asked for it). */
void view_release_drop_plan(struct rv *r);

#endif
