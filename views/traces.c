/* The traces view: trace search, the trace list, one trace as a tree with a waterfall, and a
 * two-trace comparison (DESIGN §5, §8; Jaeger UI's trace page, anchors §1.4–1.5).
 *
 *   :traces [QUERY]        QUERY is words: source=SPEC (or file:PATH, jaeger:URL, tempo:URL,
 *                          zipkin:URL), service=S, operation=O, min=DUR, max=DUR,
 *                          lookback=DUR, start=TIME, end=TIME (RFC 3339), limit=N,
 *                          trace=ID (or a bare trace id), and span
 *                          filters KEY OP VALUE (tenantId=vetclinic-001, status=error,
 *                          duration>100ms): attribute equalities are also sent to the backend
 *                          as tags, and the list keeps the traces with a match.
 *
 * The source defaults to csf.yaml cluster.traces, the workspace's traces/ folder, then
 * samples/traces (as the headless `traces` command). Searches and fetches run in a worker
 * thread; HTTP goes through core/http with a transport that polls a cancel flag, so Esc stops
 * a request on a slow link at once and keys are handled all along. Errors show where the list
 * would be.
 *
 * In the list, S sorts by duration (longest first) or by start time (newest first).
 * In the tree: o folds the selected span, O every span at its depth, E unfolds all; c marks the
 * critical path; F sets span filters and H switches between hiding the other spans and only
 * highlighting the matches; x jumps to the next error; m marks the trace and C compares the
 * marked trace with this one. The bottom pane shows the selected span: ids, times, self time,
 * attributes, resource and events. Rows are an array of span indexes rebuilt only when folds
 * or filters change; drawing touches only the visible rows, so a 1M-span trace scrolls as fast
 * as a small one.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/http.h"
#include "core/trace.h"
#include "core/xalloc.h"
#include "tui/app.h"
#include "tui/cmdline.h"
#include "views/layout.h"
#include "views/live.h"
#include "views/trace_int.h"
#include "views/view.h"

static void
set_label(struct trv *v, struct app *app)
{
	struct csf_buf b = CSF_BUF_INIT;
	const char *p = v->spec;

	if (!strncmp(p, "file:", 5))
		p += 5;
	if (p[0] == '/')
		view_live_short_path(p, strlen(p), app->ws_dir, &b);
	else
		csf_http_redact_url(&b, v->spec);	/* jaeger:http://user:pw@host */
	snprintf(v->label, sizeof(v->label), "%s", b.buf);
	csf_buf_release(&b);
}

struct csf_trace *
view_trace_list_trace(struct trv *v, size_t row)
{
	if (!v->set || row >= v->nlrows || v->lrows[row].summary)
		return NULL;
	return &v->set->traces[v->lrows[row].i];
}

/* ==== the list =============================================================================== */

static int
lrow_cmp_dur(const void *pa, const void *pb)
{
	const struct lrow *a = pa, *b = pb;

	if (a->dur_ns != b->dur_ns)
		return a->dur_ns < b->dur_ns ? 1 : -1;
	return a->i < b->i ? -1 : a->i > b->i;
}

static int
lrow_cmp(const void *pa, const void *pb)
{
	const struct lrow *a = pa, *b = pb;

	if (a->start_ns != b->start_ns)
		return a->start_ns < b->start_ns ? 1 : -1;
	return a->i < b->i ? -1 : a->i > b->i;
}

static void
build_list(struct trv *v)
{
	size_t i;

	v->nlrows = 0;
	free(v->lrows);
	v->lrows = NULL;
	if (!v->set)
		return;
	v->lrows = csf_xcalloc(v->set->ntraces + v->set->nsummaries + 1, sizeof(*v->lrows));
	for (i = 0; i < v->set->ntraces; i++) {
		struct csf_trace *t = &v->set->traces[i];

		/* span filters narrow the list to the traces with a match */
		if (v->filter.n && !csf_trace_filter_apply(&v->filter, v->set, t, false))
			continue;
		v->lrows[v->nlrows].summary = false;
		v->lrows[v->nlrows].i = i;
		v->lrows[v->nlrows].start_ns = t->start_ns;
		v->lrows[v->nlrows].dur_ns = t->end_ns - t->start_ns;
		v->nlrows++;
	}
	for (i = 0; i < v->set->nsummaries; i++) {
		v->lrows[v->nlrows].summary = true;
		v->lrows[v->nlrows].i = i;
		v->lrows[v->nlrows].start_ns = v->set->summaries[i].start_ns;
		v->lrows[v->nlrows].dur_ns = v->set->summaries[i].dur_ns;
		v->nlrows++;
	}
	qsort(v->lrows, v->nlrows, sizeof(*v->lrows), v->by_duration ? lrow_cmp_dur : lrow_cmp);
}

/* ==== titles and the detail pane ============================================================= */

static void
set_titles(struct view *view)
{
	struct trv *v = view->priv;
	char id[33], d[32];

	if (v->mode == TRV_LIST) {
		struct csf_buf *t = &view->pane[PANE_MAIN].title;

		view_pane_title(view, PANE_MAIN, "Traces%s · %s", v->by_duration ? " by duration" : "",
				v->label);
		if (v->service)
			csf_buf_addf(t, " · service=%s", v->service);
		if (v->operation)
			csf_buf_addf(t, " · operation=%s", v->operation);
		if (v->filter_text.len)
			csf_buf_addf(t, " · %s", v->filter_text.buf);
		view_set_crumb(view, "%s", v->service ? v->service : "");
	} else if (v->mode == TRV_TREE && v->t) {
		view_pane_title(view, PANE_MAIN, "%s · %zu spans · %zu error%s · %s",
				csf_trace_id_hex(v->t->id, id), v->t->nspans, v->t->nerrors,
				v->t->nerrors == 1 ? "" : "s",
				csf_duration_str(v->t->end_ns - v->t->start_ns, false, d));
		view_set_crumb(view, "%s", id);
	} else if (v->mode == TRV_COMPARE && v->ca && v->cb) {
		char ib[33];

		view_pane_title(view, PANE_MAIN, "A %s vs B %s · %zu same · %zu slower · %zu faster · "
				"%zu added · %zu removed", csf_trace_id_hex(v->ca->id, id),
				csf_trace_id_hex(v->cb->id, ib), v->diff.nsame, v->diff.nslower,
				v->diff.nfaster, v->diff.nadded, v->diff.nremoved);
		view_set_crumb(view, "compare");
	}
	if (view_live_busy(&v->live))
		csf_buf_addstr(&view->pane[PANE_MAIN].title, " · loading");
	view_pane_title(view, PANE_DETAIL, "%s", v->mode == TRV_TREE ? "Span" :
			v->mode == TRV_COMPARE ? "Comparison" : "Trace");
	if (v->mode == TRV_TREE && v->critical)
		csf_buf_addstr(&view->pane[PANE_DETAIL].title, " · critical path (*)");
	if (v->mode == TRV_TREE && v->filter.n)
		csf_buf_addf(&view->pane[PANE_DETAIL].title, " · %s %s: %zu match%s",
			     v->hide ? "showing" : "highlighting", v->filter_text.buf, v->nmatch,
			     v->nmatch == 1 ? "" : "es");
	view_live_titles_ascii(view);
}

void
view_trace_update_detail(struct view *view, struct app *app)
{
	struct trv *v = view->priv;
	size_t r = view->pane[PANE_MAIN].cursor;
	char id[33], d[32];

	view_lines_reset(&v->detail);
	if (v->mode == TRV_TREE) {
		view_trace_span_detail(view, app);
	} else if (v->mode == TRV_COMPARE && r < v->diff.n) {
		const struct csf_trace_diff_entry *e = &v->diff.e[r];
		const struct csf_span *sa = e->a != CSF_SPAN_NONE ? &v->ca->spans[e->a] : NULL;
		const struct csf_span *sb = e->b != CSF_SPAN_NONE ? &v->cb->spans[e->b] : NULL;
		const struct csf_span *s = sb ? sb : sa;
		char d2[32];

		view_lines_addf(&v->detail, "%s: %s", s->service, s->name);
		view_lines_addf(&v->detail, "A %s   B %s",
		                sa ? view_trace_dur(app, sa->dur_ns, d) : "-",
		                sb ? view_trace_dur(app, sb->dur_ns, d2) : "-");
		view_lines_addf(&v->detail, "A self %s   B self %s",
		                sa ? view_trace_dur(app, sa->self_ns, d) : "-",
		                sb ? view_trace_dur(app, sb->self_ns, d2) : "-");
	} else if (v->mode == TRV_LIST && v->set && r < v->nlrows) {
		struct csf_trace_summary sm;

		if (v->lrows[r].summary)
			sm = v->set->summaries[v->lrows[r].i];
		else
			csf_trace_summarize(&v->set->traces[v->lrows[r].i], &sm);
		view_lines_addf(
		    &v->detail, "trace %s%s", csf_trace_id_hex(sm.id, id),
		    v->marked && !memcmp(sm.id, v->mark_id, 16) ? "  (marked for compare)" : "");
		view_lines_addf(&v->detail, "%s: %s", sm.root_service, sm.root_name);
		if (v->lrows[r].summary && !sm.nspans)
			view_lines_addf(&v->detail,
			                "duration %s  (a search summary: Enter fetches the spans)",
			                view_trace_dur(app, sm.dur_ns, d));
		else
			view_lines_addf(&v->detail, "duration %s  spans %u  errors %u",
			                view_trace_dur(app, sm.dur_ns, d), sm.nspans, sm.nerrors);
		view_lines_addf(&v->detail,
		                "Enter: open   m: mark   C: compare with the marked trace");
	}
	view_pane_set_rows(view, app, PANE_DETAIL, v->detail.n);
	view_pane_dirty(view, PANE_DETAIL);
}

static size_t
error_width(const struct view *view)
{
	int w = view->pane[PANE_MAIN].w - 2;

	return w < 10 ? 10 : (size_t)w;
}

/* The byte offset cols characters after off in s[0..n). */
static size_t
utf8_advance(const char *s, size_t n, size_t off, size_t cols)
{
	while (off < n && cols--) {
		off++;
		while (off < n && ((unsigned char)s[off] & 0xc0) == 0x80)
			off++;
	}
	return off;
}

/* Rows of the wrapped error message (after the heading row). */
static size_t
error_rows(const struct view *view, const char *msg)
{
	size_t n = strlen(msg), off = 0, rows = 0;

	while (off < n) {
		off = utf8_advance(msg, n, off, error_width(view));
		rows++;
	}
	return rows;
}

/* ==== modes ================================================================================== */

void
view_trace_main_rows(struct view *view, struct app *app)
{
	struct trv *v = view->priv;
	size_t n;
	struct view_pane *p = &view->pane[PANE_MAIN];

	if (v->mode == TRV_LIST) {
		p->flags = VIEW_PANE_CURSOR | VIEW_PANE_NARROW | VIEW_PANE_HEADER;
		n = v->set && !v->error ? v->nlrows : 0;
		if (v->error)
			n = 1 + error_rows(view, v->error) + 2;
		if (!n)
			n = 1;	/* the message row */
	} else if (v->mode == TRV_TREE) {
		p->flags = VIEW_PANE_CURSOR | VIEW_PANE_HEADER;
		n = v->nrows;
	} else {
		p->flags = VIEW_PANE_CURSOR | VIEW_PANE_HEADER;
		n = v->diff.n;
	}
	view_pane_set_rows(view, app, PANE_MAIN, n);
	set_titles(view);
	view_trace_update_detail(view, app);
	view_dirty(view);
	app->pending |= TUI_REDRAW;
}

/* ==== loading ================================================================================ */

static void
progress_text(struct view *view)
{
	struct trv *v = view->priv;
	struct trv_job *j = (struct trv_job *)v->live.job;
	struct csf_buf spec = CSF_BUF_INIT;

	if (!j)
		return;
	csf_http_redact_url(&spec, j->spec);
	snprintf(v->progress, sizeof(v->progress), "%s %s: %.1f s, %llu KiB (Esc cancels)",
		 j->search ? "searching" : "fetching trace", j->search ? spec.buf : j->id,
		 (double)(tui_now_ms() - j->t0_ms) / 1000.0,
		 (unsigned long long)atomic_load(&j->base.bytes) / 1024);
	csf_buf_release(&spec);
}

/* The error of a job for the screen: its file is often the URL of the request, which may
 * carry the credentials of the backend. */
static void
job_error_text(const struct csf_error *err, char *msg, size_t n)
{
	struct csf_error e = *err;
	struct csf_buf url = CSF_BUF_INIT;

	csf_http_redact_url(&url, err->file);
	snprintf(e.file, sizeof(e.file), "%s", url.buf);
	csf_buf_release(&url);
	csf_error_format(&e, msg, n);
}

static void
progress_tick(struct view *view, struct app *app)
{
	(void)app;
	progress_text(view);
	view_pane_dirty(view, PANE_MAIN);
}

static void open_list_row(struct view *view, struct app *app, size_t row);

static void
job_ready(struct view *view, struct app *app, struct view_live_job *base)
{
	struct trv *v = view->priv;
	struct trv_job *j = (struct trv_job *)base;
	char msg[700];

	if (!j->ok) {
		job_error_text(&j->err, msg, sizeof(msg));
		if (j->search) {
			free(v->error);
			v->error = csf_xstrdup(msg);
			v->mode = TRV_LIST;
			view_trace_main_rows(view, app);
		} else {
			tui_app_error(app, "cannot fetch trace %s: %s", j->id, msg);
			view_trace_main_rows(view, app);
		}
		return;
	}
	if (j->search) {
		view_trace_close_tree(v);
		csf_trace_set_free(v->set);
		v->set = j->set;
		j->set = NULL;
		free(v->error);
		v->error = NULL;
		build_list(v);
		v->mode = TRV_LIST;
		view_trace_main_rows(view, app);
		view_pane_goto(view, app, PANE_MAIN, 0);
		if (v->want_id) {
			struct csf_trace *t = csf_trace_set_find(v->set, v->want_id);

			if (t) {
				v->from_list = false;
				view_trace_open_tree(view, app, v->set, t);
			} else {
				tui_app_error(app, "no trace %s in %s", v->want_id, v->label);
			}
			free(v->want_id);
			v->want_id = NULL;
		}
	} else {
		struct csf_trace_set *set = j->set;
		struct csf_trace *t = csf_trace_set_find(set, j->id);

		j->set = NULL;
		if (!t && set->ntraces)
			t = &set->traces[0];
		if (!t) {
			tui_app_error(app, "trace %s has no spans", j->id);
			csf_trace_set_free(set);
		} else {
			v->from_list = true;
			view_trace_open_tree(view, app, set, t);
		}
	}
}

static void
start_job(struct view *view, struct app *app, bool search, const char *id)
{
	struct trv *v = view->priv;
	struct trv_job *j;
	const char *why;

	view_live_stop(&v->live, app);
	j = csf_xcalloc(1, sizeof(*j));
	j->base.run = view_trace_job_run;
	j->base.free = view_trace_job_free;
	j->spec = csf_xstrdup(v->spec);
	j->search = search;
	j->t0_ms = tui_now_ms();
	if (id)
		j->id = csf_xstrdup(id);
	j->service = v->service ? csf_xstrdup(v->service) : NULL;
	j->operation = v->operation ? csf_xstrdup(v->operation) : NULL;
	j->tags = v->tags.len ? csf_xstrdup(v->tags.buf) : NULL;
	j->q.service = j->service;
	j->q.operation = j->operation;
	j->q.tags = j->tags;
	j->q.min_dur_ns = v->min_ns;
	j->q.max_dur_ns = v->max_ns;
	j->q.limit = v->limit;
	j->q.lookback_us = v->lookback_ns / 1000;
	j->q.start_us = v->start_us;
	j->q.end_us = v->end_us;
	if (!j->q.lookback_us && !j->q.start_us && strncmp(v->spec, "file:", 5) && strchr(v->spec, ':') &&
	    strstr(v->spec, "://"))
		j->q.lookback_us = 3600LL * 1000000;	/* like Jaeger UI: the last hour */
	why = view_live_start(&v->live, app, &j->base,
			      search ? "searching traces" : "fetching the trace");
	if (why) {
		tui_app_error(app, "cannot start the search: %s", why);
		return;
	}
	progress_text(view);
	view_trace_main_rows(view, app);
}

static void
search(struct view *view, struct app *app, const char *query)
{
	char err[400];

	if (view_trace_parse_query(view, app, query, err, sizeof(err))) {
		tui_app_error(app, "traces: %s", err);
		return;
	}
	set_label(view->priv, app);
	start_job(view, app, true, NULL);
}

static void
search_answer(struct app *app, const char *answer, void *ctx)
{
	struct view *view = ctx;

	if (!answer || tui_app_top(app) != view)
		return;
	search(view, app, answer);
}

static void
filter_answer(struct app *app, const char *answer, void *ctx)
{
	struct view *view = ctx;
	struct trv *v = view->priv;
	struct csf_trace_filter f = CSF_TRACE_FILTER_INIT;
	struct csf_error e = CSF_ERROR_INIT;
	char *copy, *tok, *save = NULL, msg[400];
	uint32_t keep = CSF_SPAN_NONE;
	const struct csf_span *s;

	if (!answer || tui_app_top(app) != view)
		return;
	copy = csf_xstrdup(answer);
	for (tok = strtok_r(copy, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save))
		if (csf_trace_filter_add(&f, tok, &e)) {
			csf_error_format(&e, msg, sizeof(msg));
			tui_app_error(app, "filter: %s", msg);
			csf_trace_filter_release(&f);
			free(copy);
			return;
		}
	free(copy);
	csf_trace_filter_release(&v->filter);
	v->filter = f;
	csf_buf_reset(&v->filter_text);
	csf_buf_addstr(&v->filter_text, answer);
	if (v->mode == TRV_TREE && v->t) {
		s = view_trace_cur_span(view);
		if (s)
			keep = (uint32_t)(s - v->t->spans);
		view_trace_apply_filter(v);
		view_trace_build_rows(v);
		view_trace_main_rows(view, app);
		if (keep != CSF_SPAN_NONE && view_trace_row_of(v, keep) != SIZE_MAX)
			view_pane_goto(view, app, PANE_MAIN, view_trace_row_of(v, keep));
		tui_app_message(app, "%zu span%s match%s", v->nmatch, v->nmatch == 1 ? "" : "s",
				v->nmatch == 1 ? "es" : "");
	} else if (v->mode == TRV_LIST) {
		build_list(v);
		view_trace_main_rows(view, app);
	}
}

/* ==== the view =============================================================================== */

static int
trv_open(struct view *view, struct app *app, struct csf_error *err)
{
	struct trv *v = view->priv;
	char msg[400];

	view->npanes = 2;
	view->pane[PANE_MAIN].flags = VIEW_PANE_CURSOR | VIEW_PANE_NARROW | VIEW_PANE_HEADER;
	view->pane[PANE_DETAIL].flags = VIEW_PANE_HEADER;
	csf_buf_init(&v->tags, 0);
	csf_buf_init(&v->filter_text, 0);
	view_lines_init(&v->detail);
	v->live.view = view;
	v->live.progress_ms = TRV_PROGRESS_MS;
	v->live.progress = progress_tick;
	v->live.ready = job_ready;
	v->filter = (struct csf_trace_filter)CSF_TRACE_FILTER_INIT;
	v->diff = (struct csf_trace_diff)CSF_TRACE_DIFF_INIT;
	v->spec = view_trace_default_source(app);
	if (view_trace_parse_query(view, app, view->arg, msg, sizeof(msg))) {
		struct csf_loc nowhere = { 0, 0 };

		return csf_fail(err, CSF_E_USAGE, NULL, nowhere, "%s", msg);
	}
	set_label(v, app);
	start_job(view, app, true, NULL);
	return 0;
}

static void
trv_close(struct view *view)
{
	struct trv *v = view->priv;

	view_live_stop(&v->live, tui_app_get());
	view_trace_close_tree(v);
	if (v->mark_set && v->mark_set != v->set)
		csf_trace_set_free(v->mark_set);
	csf_trace_set_free(v->set);
	free(v->lrows);
	view_trace_query_reset(v);
	free(v->spec);
	free(v->error);
	csf_buf_release(&v->tags);
	csf_buf_release(&v->filter_text);
	view_lines_release(&v->detail);
	csf_trace_diff_release(&v->diff);
}

static void
trv_layout(struct view *view, struct app *app)
{
	(void)app;
	view_layout_stack(view, PANE_MAIN, PANE_DETAIL, 2, 3);
}

static void
draw_list_row(struct view *view, struct app *app, struct tui_line *l, size_t lineno)
{
	struct trv *v = view->priv;
	struct csf_trace_summary sm;
	char id[33], d[32], ts[32];
	bool marked;

	if (v->lrows[lineno].summary)
		sm = v->set->summaries[v->lrows[lineno].i];
	else
		csf_trace_summarize(&v->set->traces[v->lrows[lineno].i], &sm);
	marked = v->marked && !memcmp(sm.id, v->mark_id, 16);
	tui_line_addstr(l, marked ? THEME_SEARCH_MATCH : THEME_DEFAULT, marked ? ">" : " ");
	tui_line_addf(l, THEME_LIST_DIM, "%s ", view_trace_clock_str(sm.start_ns, ts));
	tui_line_addf(l, THEME_DEFAULT, "%9s ", view_trace_dur(app, sm.dur_ns, d));
	if (sm.nspans)
		tui_line_addf(l, THEME_DEFAULT, "%6u ", sm.nspans);
	else
		tui_line_addstr(l, THEME_LIST_DIM, "     ? ");
	tui_line_addf(l, sm.nerrors ? THEME_LINT_ERROR : THEME_LIST_DIM, "%3u ", sm.nerrors);
	tui_line_addstr(l, THEME_LIST_SECTION, sm.root_service);
	tui_line_addstr(l, THEME_DEFAULT, ": ");
	tui_line_addstr(l, THEME_LIST_ITEM, sm.root_name);
	tui_line_addf(l, THEME_LIST_DIM, "  %s", csf_trace_id_hex(sm.id, id));
}

static void
trv_draw_line(struct view *view, struct app *app, unsigned pane, struct tui_line *l, size_t lineno)
{
	struct trv *v = view->priv;

	if (pane == PANE_DETAIL) {
		const char *s;
		size_t n;

		s = view_lines_get(&v->detail, lineno, &n);
		if (!s)
			return;
		if (n && s[n - 1] == '\n')
			n--;
		tui_line_add(l, n && s[0] != ' ' && memchr(s, ':', n) && s[n - 1] == ':' ?
			     THEME_LIST_SECTION : THEME_DEFAULT, s, n);
		return;
	}
	if (v->mode == TRV_TREE) {
		if (v->t && lineno < v->nrows)
			view_trace_draw_span(view, app, l, lineno);
		return;
	}
	if (v->mode == TRV_COMPARE) {
		if (lineno < v->diff.n)
			view_trace_draw_diff_row(view, app, l, lineno);
		return;
	}
	if (view_live_busy(&v->live) && (!v->set || lineno == 0) && !v->nlrows) {
		tui_line_addstr(l, THEME_LIST_DIM, v->progress);
		return;
	}
	if (v->error) {
		size_t w = error_width(view), off = 0, n = strlen(v->error);

		if (lineno == 0) {
			tui_line_addstr(l, THEME_LINT_ERROR, "cannot search the traces:");
			return;
		}
		if (lineno == 2 + error_rows(view, v->error)) {
			tui_line_addstr(l, THEME_LIST_DIM, "r: try again   s: search with other words "
					"(service=NAME operation=NAME KEY=VALUE min=100ms lookback=6h "
					"source=jaeger:URL)");
			return;
		}
		/* the message wrapped to the pane (long URLs) */
		for (off = 0; lineno > 1 && off < n; lineno--)
			off = utf8_advance(v->error, n, off, w);
		if (off < n)
			tui_line_add(l, THEME_LINT_ERROR, v->error + off,
				     utf8_advance(v->error, n, off, w) - off);
		return;
	}
	if (!v->nlrows) {
		if (lineno == 0 && v->set)
			tui_line_addstr(l, THEME_LIST_DIM, "no traces match (s: search again)");
		return;
	}
	if (lineno < v->nlrows)
		draw_list_row(view, app, l, lineno);
}

static void
open_list_row(struct view *view, struct app *app, size_t row)
{
	struct trv *v = view->priv;
	struct csf_trace *t;
	char id[33];

	if (!v->set || row >= v->nlrows)
		return;
	t = view_trace_list_trace(v, row);
	if (t) {
		v->from_list = true;
		view_trace_open_tree(view, app, v->set, t);
		return;
	}
	start_job(view, app, false, csf_trace_id_hex(v->set->summaries[v->lrows[row].i].id, id));
}

static enum request
trv_handle(struct view *view, struct app *app, enum request req)
{
	struct trv *v = view->priv;

	switch (req) {
	case REQ_ENTER:
		if (view->focus != PANE_MAIN)
			return REQ_NONE;
		if (v->mode == TRV_LIST)
			open_list_row(view, app, view->pane[PANE_MAIN].cursor);
		else if (v->mode == TRV_TREE)
			view_trace_toggle_fold(view, app);
		return REQ_NONE;
	case REQ_VIEW_BACK:
		if (view_live_busy(&v->live)) {
			view_live_stop(&v->live, app);
			view_trace_main_rows(view, app);
			tui_app_message(app, "cancelled");
			return REQ_NONE;
		}
		if (view_search_active(view))
			return req;
		if (v->mode == TRV_COMPARE) {
			v->mode = v->t ? TRV_TREE : TRV_LIST;
			view_trace_main_rows(view, app);
			return REQ_NONE;
		}
		if (v->mode == TRV_TREE && v->set) {
			view_trace_close_tree(v);
			v->mode = TRV_LIST;
			view_trace_main_rows(view, app);
			return REQ_NONE;
		}
		return req;
	case REQ_TRACE_SEARCH:
		tui_cmdline_ask(app, "search traces: ", search_answer, view);
		return REQ_NONE;
	case REQ_CLUSTER_REFRESH:
		start_job(view, app, true, NULL);
		return REQ_NONE;
	case REQ_TRACE_SORT:
		if (v->mode != TRV_LIST)
			return REQ_NONE;
		v->by_duration = !v->by_duration;
		build_list(v);
		view_trace_main_rows(view, app);
		view_pane_goto(view, app, PANE_MAIN, 0);
		tui_app_message(app, "traces sorted %s", v->by_duration ? "by duration, longest first"
				: "by start time, newest first");
		return REQ_NONE;
	case REQ_TRACE_FILTER:
		tui_cmdline_ask(app, "span filter (k=v status=error duration>100ms; empty clears): ",
				filter_answer, view);
		return REQ_NONE;
	case REQ_TRACE_FILTER_MODE:
		v->hide = !v->hide;
		if (v->mode == TRV_TREE) {
			const struct csf_span *cur = view_trace_cur_span(view);
			uint32_t keep = cur ? (uint32_t)(cur - v->t->spans) : CSF_SPAN_NONE;

			if (v->hide && v->filter.n)
				view_trace_apply_filter(v);
			view_trace_build_rows(v);
			view_trace_main_rows(view, app);
			if (keep != CSF_SPAN_NONE && view_trace_row_of(v, keep) != SIZE_MAX)
				view_pane_goto(view, app, PANE_MAIN, view_trace_row_of(v, keep));
		}
		tui_app_message(app, "span filter: %s", v->hide ? "hide the other spans"
				: "highlight the matches");
		return REQ_NONE;
	case REQ_TRACE_FOLD:
		view_trace_toggle_fold(view, app);
		return REQ_NONE;
	case REQ_TRACE_FOLD_LEVEL:
		view_trace_fold_level(view, app);
		return REQ_NONE;
	case REQ_TRACE_EXPAND:
		if (v->mode == TRV_TREE && v->t) {
			if (!v->any_fold)
				return REQ_NONE;
			memset(v->fold, 0, v->t->nspans);
			v->any_fold = false;
			view_trace_build_rows(v);
			view_pane_set_rows(view, app, PANE_MAIN, v->nrows);
			view_pane_dirty(view, PANE_MAIN);
		}
		return REQ_NONE;
	case REQ_TRACE_CRITICAL:
		if (v->mode == TRV_TREE) {
			v->critical = !v->critical;
			if (v->ncritical == SIZE_MAX) {
				size_t k;

				v->ncritical = 0;
				for (k = 0; k < v->t->nspans; k++)
					v->ncritical += (v->t->spans[k].flags & CSF_SPAN_F_CRITICAL) != 0;
			}
			set_titles(view);
			view_pane_dirty(view, PANE_MAIN);
			if (v->critical)
				tui_app_message(app, "critical path: %zu spans (*)", v->ncritical);
			else
				tui_app_message(app, "critical path: off");
		}
		return REQ_NONE;
	case REQ_TRACE_NEXT_ERROR:
		view_trace_next_error(view, app);
		return REQ_NONE;
	case REQ_TRACE_MARK:
		view_trace_mark(view, app);
		return REQ_NONE;
	case REQ_TRACE_COMPARE:
		view_trace_compare(view, app);
		return REQ_NONE;
	default:
		return req;
	}
}

static void
trv_select(struct view *view, struct app *app, unsigned pane, size_t lineno)
{
	(void)lineno;
	if (pane == PANE_MAIN)
		view_trace_update_detail(view, app);
}

static bool
trv_grep(struct view *view, struct app *app, unsigned pane, size_t lineno, const regex_t *re)
{
	struct trv *v = view->priv;

	(void)app;
	if (pane != PANE_MAIN)
		return false;
	if (v->mode == TRV_TREE && v->t && lineno < v->nrows) {
		const struct csf_span *s = &v->t->spans[v->rows[lineno]];

		return !regexec(re, s->name, 0, NULL, 0) || !regexec(re, s->service, 0, NULL, 0);
	}
	if (v->mode == TRV_LIST && v->set && lineno < v->nlrows) {
		struct csf_trace_summary sm;
		char id[33];

		if (v->lrows[lineno].summary)
			sm = v->set->summaries[v->lrows[lineno].i];
		else
			csf_trace_summarize(&v->set->traces[v->lrows[lineno].i], &sm);
		return !regexec(re, sm.root_service, 0, NULL, 0) ||
		       !regexec(re, sm.root_name, 0, NULL, 0) ||
		       !regexec(re, csf_trace_id_hex(sm.id, id), 0, NULL, 0);
	}
	if (v->mode == TRV_COMPARE && lineno < v->diff.n) {
		const struct csf_trace_diff_entry *e = &v->diff.e[lineno];
		const struct csf_span *s = e->b != CSF_SPAN_NONE ? &v->cb->spans[e->b] :
					   &v->ca->spans[e->a];

		return !regexec(re, s->name, 0, NULL, 0) || !regexec(re, s->service, 0, NULL, 0);
	}
	return false;
}

static void
trv_set_arg(struct view *view, struct app *app, const char *arg)
{
	if (arg && *arg)
		search(view, app, arg);
}

const struct view_ops view_traces_ops = {
	.name = "traces",
	.help = "trace search, the span tree with a waterfall, critical path, filters, comparison",
	.flags = VIEW_NO_FLAGS,
	.private_size = sizeof(struct trv),
	.open_request = REQ_VIEW_TRACES,
	.complete = VIEW_COMPLETE_NONE,
	.open = trv_open,
	.close = trv_close,
	.layout = trv_layout,
	.draw_line = trv_draw_line,
	.handle = trv_handle,
	.select = trv_select,
	.grep = trv_grep,
	.set_arg = trv_set_arg,
};
