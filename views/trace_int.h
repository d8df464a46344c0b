/* The traces view's internals, shared by views/traces.c (the view: its ops table, titles,
 * the list, loading, keys), views/trace_load.c (the worker that searches and fetches, the
 * default source, the query) and views/trace_tree.c (one trace as a tree, its detail pane
 * and drawing, folds and the comparison). Not for other files: the view is view_traces_ops.
 * Pointers into v->set / v->tset are borrowed: valid until the next search or fetch. */
#ifndef CSF_VIEWS_TRACE_INT_H
#define CSF_VIEWS_TRACE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/trace.h"
#include "core/trace_source.h"
#include "views/lines.h"
#include "views/live.h"
#include "views/view.h"

struct app;
struct tui_line;

enum {
	PANE_MAIN,
	PANE_DETAIL,
};

enum trv_mode {
	TRV_LIST,
	TRV_TREE,
	TRV_COMPARE,
};

#define TRV_PROGRESS_MS 250
#define TRV_MAX_INDENT 24

/* A search or fetch, shared by the loop and the worker thread. */
struct trv_job {
	struct view_live_job base;
	int64_t t0_ms;
	char *spec;
	bool search;
	char *id;			/* fetch */
	char *service, *operation, *tags;
	struct csf_trace_query q;
	struct csf_trace_set *set;	/* result */
	struct csf_error err;
	bool ok;
};

struct lrow {
	bool summary;			/* set->summaries[i], else set->traces[i] */
	size_t i;
	int64_t start_ns, dur_ns;
};

struct trv {
	enum trv_mode mode;
	char *spec;
	char label[300];		/* spec for the title (view_live_short_path) */
	/* the query */
	char *service, *operation;
	struct csf_buf tags;
	int64_t min_ns, max_ns, lookback_ns;
	int64_t start_us, end_us;	/* start= end= (RFC 3339), 0 when not given */
	unsigned limit;
	char *want_id;			/* open this trace when the search is done */
	struct csf_trace_filter filter;
	struct csf_buf filter_text;
	bool hide;			/* filter hides the other spans (else highlights) */
	/* the list */
	struct csf_trace_set *set;
	struct lrow *lrows;
	size_t nlrows;
	bool by_duration;		/* the list is sorted by duration (else newest first) */
	char *error;			/* in place of the list */
	/* the tree */
	struct csf_trace_set *tset;	/* owner of the open trace (may be set) */
	struct csf_trace *t;
	uint8_t *fold;
	bool any_fold;			/* some span may be folded */
	uint32_t *size;			/* spans in each span's subtree (itself included) */
	uint32_t *rows;
	size_t nrows;
	bool critical;
	size_t ncritical, nmatch;
	bool from_list;
	/* the comparison */
	bool marked;
	uint8_t mark_id[16];
	struct csf_trace_set *mark_set;	/* owned when not set or tset */
	struct csf_trace_diff diff;
	struct csf_trace *ca, *cb;
	/* loading */
	struct view_live live;
	char progress[300];
	/* the detail pane */
	struct view_lines detail;
};

/* ---- views/traces.c ---------------------------------------------------------------------- */

/* The full trace of list row row, or NULL (a summary row, or no such row). Borrowed from v->set. */
struct csf_trace *view_trace_list_trace(struct trv *v, size_t row);
/* Refills the detail pane for the selected row of the current mode. */
void view_trace_update_detail(struct view *view, struct app *app);
/* Sets the main pane's rows and titles for the current mode (list, tree, comparison, error). */
void view_trace_main_rows(struct view *view, struct app *app);

/* ---- views/trace_load.c: the worker and the query ----------------------------------------- */

/* The worker's run and free (struct view_live_job) for a struct trv_job. */
void view_trace_job_free(struct view_live_job *base);
void view_trace_job_run(struct view_live_job *base);
/* csf.yaml cluster.traces, the workspace's traces/ folder, else samples/traces (near the
 * executable). Caller owns the result; free with free(). */
char *view_trace_default_source(struct app *app);
/* Forgets the query (service, operation, tags, times, limit, trace id) and the span filter. */
void view_trace_query_reset(struct trv *v);
/* Parses a query (see views/traces.c). Returns 0, or -1 with a message in err. */
int view_trace_parse_query(struct view *view, struct app *app, const char *text, char *err,
			   size_t errn);

/* ---- views/trace_tree.c: the tree, its detail pane, folds and the comparison ---------------- */

/* A duration for people (ASCII under LANG=C), in out. Returns out. */
const char *view_trace_dur(struct app *app, int64_t ns, char out[32]);
/* "18:42:07" of Unix nanoseconds (UTC). */
const char *view_trace_clock_str(int64_t ns, char out[32]);
/* Rebuilds v->rows from the open trace's order, skipping folded subtrees and (in hide mode)
 * the spans the filter hides. */
void view_trace_build_rows(struct trv *v);
/* The row showing span i, or SIZE_MAX. */
size_t view_trace_row_of(const struct trv *v, uint32_t i);
/* Applies v->filter to the open trace: v->nmatch, and the hidden flags in hide mode. */
void view_trace_apply_filter(struct trv *v);
/* The span at the cursor in tree mode, or NULL. Borrowed from v->t. */
const struct csf_span *view_trace_cur_span(struct view *view);
/* Fills the detail pane with the selected span: ids, times, self time, attributes, resource,
 * events. */
void view_trace_span_detail(struct view *view, struct app *app);
/* Closes the open trace: frees its rows and folds, and its set unless that is the list or the
 * marked trace. */
void view_trace_close_tree(struct trv *v);
/* Opens trace t of set (taking ownership of set when it is not the list's). */
void view_trace_open_tree(struct view *view, struct app *app, struct csf_trace_set *set,
			  struct csf_trace *t);
/* Draws tree row lineno (a span and its waterfall bar) into l. */
void view_trace_draw_span(struct view *view, struct app *app, struct tui_line *l, size_t lineno);
/* Draws comparison row lineno into l. */
void view_trace_draw_diff_row(struct view *view, struct app *app, struct tui_line *l,
			      size_t lineno);
/* Tree keys: o folds the selected span, O every span at its depth, x the next error, m marks
 * the trace, C compares the marked trace with this one. */
void view_trace_toggle_fold(struct view *view, struct app *app);
void view_trace_fold_level(struct view *view, struct app *app);
void view_trace_next_error(struct view *view, struct app *app);
void view_trace_mark(struct view *view, struct app *app);
void view_trace_compare(struct view *view, struct app *app);

#endif
