/* The traces view's tree: one trace as rows of span indexes (folds, filters), the selected
 * span's detail, the waterfall rows, and the comparison of two traces (views/trace_int.h). */
#include "views/trace_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/trace.h"
#include "core/xalloc.h"
#include "tui/app.h"
#include "views/view.h"

const char *
view_trace_dur(struct app *app, int64_t ns, char out[32])
{
	return csf_duration_str(ns, !app->draw.utf8, out);
}

/* "18:42:07" of Unix nanoseconds (UTC). */
const char *
view_trace_clock_str(int64_t ns, char out[32])
{
	time_t s = (time_t)(ns / 1000000000);
	struct tm tm;

	if (!ns || !gmtime_r(&s, &tm))
		return "--:--:--";
	strftime(out, 32, "%m-%d %H:%M:%S", &tm);
	return out;
}

/* ==== the tree =============================================================================== */

void
view_trace_build_rows(struct trv *v)
{
	const struct csf_trace *t = v->t;
	size_t k;

	v->nrows = 0;
	if (!t)
		return;
	if (!v->any_fold && !(v->hide && v->filter.n)) {
		memcpy(v->rows, t->order, t->nspans * sizeof(*v->rows));
		v->nrows = t->nspans;
		return;
	}
	/* order is depth first, so a folded span's subtree is the size[i] - 1 entries after it */
	for (k = 0; k < t->nspans;) {
		uint32_t i = t->order[k];
		const struct csf_span *s = &t->spans[i];

		if (v->hide && v->filter.n && (s->flags & CSF_SPAN_F_HIDDEN)) {
			k++;
			continue;
		}
		v->rows[v->nrows++] = i;
		k += v->fold[i] && s->nkid ? v->size[i] : 1;
	}
}

/* The row showing span i, or SIZE_MAX. */
size_t
view_trace_row_of(const struct trv *v, uint32_t i)
{
	size_t r;

	for (r = 0; r < v->nrows; r++)
		if (v->rows[r] == i)
			return r;
	return SIZE_MAX;
}

void
view_trace_apply_filter(struct trv *v)
{
	if (!v->t)
		return;
	/* HIDDEN flags (the dearer pass) only in hide mode; build_rows reads them only then */
	v->nmatch = csf_trace_filter_apply(&v->filter, v->tset, v->t, v->hide);
}

const struct csf_span *
view_trace_cur_span(struct view *view)
{
	struct trv *v = view->priv;
	size_t r = view->pane[PANE_MAIN].cursor;

	if (v->mode != TRV_TREE || !v->t || r >= v->nrows)
		return NULL;
	return &v->t->spans[v->rows[r]];
}

static void
detail_attrs(struct trv *v, const struct csf_trace_set *set, uint32_t first, uint32_t n,
	     const char *indent)
{
	uint32_t k;

	for (k = 0; k < n; k++)
		view_lines_addf(&v->detail, "%s%s = %s", indent, set->attrs[first + k].key,
		                set->attrs[first + k].value);
}

void
view_trace_span_detail(struct view *view, struct app *app)
{
	struct trv *v = view->priv;
	const struct csf_span *s = view_trace_cur_span(view);
	const struct csf_trace_set *set = v->tset;
	char a[17], b[17], d1[32], d2[32], d3[32];
	uint32_t k;

	if (!s)
		return;
	view_lines_addf(&v->detail, "%s: %s", s->service, s->name);
	view_lines_addf(
	    &v->detail, "span %s  parent %s  kind %s  status %s%s%s", csf_span_id_hex(s->id, a),
	    s->parent_id ? csf_span_id_hex(s->parent_id, b) : "-", csf_span_kind_name(s->kind),
	    csf_span_status_name(s->status), s->status_msg[0] ? ": " : "", s->status_msg);
	view_lines_addf(&v->detail,
	                "start +%s  duration %s  self %s  depth %u  children %u%s%s%s%s",
	                view_trace_dur(app, s->start_ns - v->t->start_ns, d1),
	                view_trace_dur(app, s->dur_ns, d2), view_trace_dur(app, s->self_ns, d3),
	                s->depth, s->nkid, s->flags & CSF_SPAN_F_CRITICAL ? "  critical path" : "",
	                s->flags & CSF_SPAN_F_ORPHAN ? "  orphan (parent not in the trace)" : "",
	                s->flags & CSF_SPAN_F_DUPLICATE ? "  duplicate id" : "",
	                s->flags & CSF_SPAN_F_NO_TIME ? "  incomplete (no time)" : "");
	if (s->nattr) {
		view_lines_addf(&v->detail, "attributes:");
		detail_attrs(v, set, s->attr, s->nattr, "  ");
	}
	if (s->resource != CSF_SPAN_NONE && s->resource < set->nresources) {
		const struct csf_trace_resource *r = &set->resources[s->resource];

		view_lines_addf(&v->detail, "resource: %s", r->service);
		detail_attrs(v, set, r->attr, r->nattr, "  ");
	}
	if (s->nevent) {
		view_lines_addf(&v->detail, "events:");
		for (k = 0; k < s->nevent; k++) {
			const struct csf_trace_event *e = &set->events[s->event + k];

			view_lines_addf(&v->detail, "  +%s %s",
			                view_trace_dur(app, e->time_ns - v->t->start_ns, d1),
			                e->name);
			detail_attrs(v, set, e->attr, e->nattr, "      ");
		}
	}
}

void
view_trace_close_tree(struct trv *v)
{
	if (v->tset && v->tset != v->set && v->tset != v->mark_set)
		csf_trace_set_free(v->tset);
	v->tset = NULL;
	v->t = NULL;
	free(v->fold);
	free(v->rows);
	free(v->size);
	v->fold = NULL;
	v->rows = NULL;
	v->size = NULL;
	v->nrows = 0;
}

/* Opens trace t of set (taking ownership of set when it is not the list's). */
void
view_trace_open_tree(struct view *view, struct app *app, struct csf_trace_set *set, struct csf_trace *t)
{
	struct trv *v = view->priv;
	size_t k;

	if (v->tset != set)
		view_trace_close_tree(v);
	else {
		free(v->fold);
		free(v->rows);
		free(v->size);
	}
	v->tset = set;
	v->t = t;
	v->fold = csf_xcalloc(t->nspans + 1, 1);
	v->rows = csf_xcalloc(t->nspans + 1, sizeof(*v->rows));
	v->size = csf_xcalloc(t->nspans + 1, sizeof(*v->size));
	v->any_fold = false;
	for (k = t->nspans; k-- > 0;) {
		uint32_t i = t->order[k];

		v->size[i] += 1;
		if (t->spans[i].parent != CSF_SPAN_NONE)
			v->size[t->spans[i].parent] += v->size[i];
	}
	v->ncritical = SIZE_MAX;	/* counted when c is pressed */
	if (v->filter.n)
		view_trace_apply_filter(v);
	view_trace_build_rows(v);
	v->mode = TRV_TREE;
	view_set_pattern(view, app, NULL, NULL);
	view_trace_main_rows(view, app);
	view_pane_goto(view, app, PANE_MAIN, 0);
}

static int
bar_width(const struct view *view)
{
	int w = view->pane[PANE_MAIN].w / 4;

	return w < 10 ? 10 : w > 60 ? 60 : w;
}

static void
draw_bar(struct app *app, struct tui_line *l, int w, int64_t t0, int64_t total, int64_t start,
	 int64_t d, enum theme_slot slot)
{
	char buf[8 * 64 + 8];
	size_t n = 0;
	int a, b, c;
	bool utf8 = app->draw.utf8;

	if (total <= 0)
		total = 1;
	a = (int)((double)(start - t0) * w / (double)total);
	b = (int)((double)(start + d - t0) * w / (double)total + 0.999);
	if (a < 0)
		a = 0;
	if (a > w - 1)
		a = w - 1;
	if (b <= a)
		b = a + 1;
	if (b > w)
		b = w;
	tui_line_addstr(l, THEME_LIST_DIM, utf8 ? "│" : "|");
	for (c = 0; c < a; c++)
		buf[n++] = ' ';
	if (n)
		tui_line_add(l, THEME_DEFAULT, buf, n);
	n = 0;
	for (c = a; c < b; c++) {
		const char *g = utf8 ? "█" : "#";

		memcpy(buf + n, g, strlen(g));
		n += strlen(g);
	}
	tui_line_add(l, slot, buf, n);
	n = 0;
	for (c = b; c < w; c++)
		buf[n++] = ' ';
	if (n)
		tui_line_add(l, THEME_DEFAULT, buf, n);
	tui_line_addstr(l, THEME_LIST_DIM, utf8 ? "│ " : "| ");
}

void
view_trace_draw_span(struct view *view, struct app *app, struct tui_line *l, size_t lineno)
{
	struct trv *v = view->priv;
	const struct csf_trace *t = v->t;
	const struct csf_span *s = &t->spans[v->rows[lineno]];
	bool crit = v->critical && (s->flags & CSF_SPAN_F_CRITICAL);
	bool err = s->status == CSF_SPAN_ERROR;
	bool match = v->filter.n && (s->flags & CSF_SPAN_F_MATCH);
	bool dim = v->filter.n && !match;
	bool utf8 = app->draw.utf8;
	enum theme_slot name_slot = err ? THEME_LINT_ERROR : match ? THEME_SEARCH_MATCH :
				    crit ? THEME_DIFF_HUNK : dim ? THEME_LIST_DIM : THEME_LIST_ITEM;
	char d1[32], d2[32];
	unsigned depth = s->depth, ind;

	tui_line_addstr(l, err ? THEME_LINT_ERROR : THEME_DEFAULT, err ? "!" : " ");
	tui_line_addstr(l, crit ? THEME_DIFF_HUNK : THEME_DEFAULT, crit ? "*" : " ");
	tui_line_addf(l, dim ? THEME_LIST_DIM : THEME_DEFAULT, "%8s ", view_trace_dur(app, s->dur_ns, d1));
	tui_line_addf(l, THEME_LIST_DIM, "%8s ", view_trace_dur(app, s->self_ns, d2));
	draw_bar(app, l, bar_width(view), t->start_ns, t->end_ns - t->start_ns, s->start_ns,
		 s->dur_ns, err ? THEME_LINT_ERROR : crit ? THEME_DIFF_HUNK :
		 dim ? THEME_LIST_DIM : THEME_DIFF_ADD);
	ind = depth > TRV_MAX_INDENT ? TRV_MAX_INDENT : depth;
	if (depth > TRV_MAX_INDENT)
		tui_line_addf(l, THEME_LIST_DIM, "%*s+%u ", (int)(ind * 2 - 4), "", depth);
	else if (ind)
		tui_line_addf(l, THEME_DEFAULT, "%*s", (int)ind * 2, "");
	if (s->nkid)
		tui_line_addstr(l, THEME_LIST_DIM, v->fold[v->rows[lineno]] ? (utf8 ? "▸ " : "+ ")
				: (utf8 ? "▾ " : "- "));
	else
		tui_line_addstr(l, THEME_DEFAULT, "  ");
	tui_line_addstr(l, dim ? THEME_LIST_DIM : THEME_LIST_SECTION, s->service);
	tui_line_addstr(l, THEME_DEFAULT, ": ");
	tui_line_addstr(l, name_slot, s->name);
	if (v->fold[v->rows[lineno]] && s->nkid)
		tui_line_addf(l, THEME_LIST_DIM, "  (+%u)", s->nkid);
}

void
view_trace_draw_diff_row(struct view *view, struct app *app, struct tui_line *l, size_t lineno)
{
	static const char *const names[] = { "same", "slower", "faster", "added", "removed" };
	static const enum theme_slot slots[] = { THEME_LIST_DIM, THEME_DIFF_DEL, THEME_DIFF_ADD,
						 THEME_DIFF_ADD, THEME_DIFF_DEL };
	struct trv *v = view->priv;
	const struct csf_trace_diff_entry *e = &v->diff.e[lineno];
	const struct csf_span *sa = e->a != CSF_SPAN_NONE ? &v->ca->spans[e->a] : NULL;
	const struct csf_span *sb = e->b != CSF_SPAN_NONE ? &v->cb->spans[e->b] : NULL;
	const struct csf_span *s = sb ? sb : sa;
	char d1[32], d2[32], d3[32];
	unsigned ind = s->depth > TRV_MAX_INDENT ? TRV_MAX_INDENT : s->depth;

	tui_line_addf(l, slots[e->kind], "%-8s", names[e->kind]);
	tui_line_addf(l, THEME_DEFAULT, "%9s ", sa ? view_trace_dur(app, sa->dur_ns, d1) : "-");
	tui_line_addf(l, THEME_DEFAULT, "%9s ", sb ? view_trace_dur(app, sb->dur_ns, d2) : "-");
	if (sa && sb)
		tui_line_addf(l, slots[e->kind], "%s%9s ", e->delta_ns < 0 ? "-" : "+",
			      view_trace_dur(app, e->delta_ns < 0 ? -e->delta_ns : e->delta_ns, d3));
	else
		tui_line_addstr(l, THEME_DEFAULT, "          ");
	tui_line_addf(l, THEME_DEFAULT, "%*s", (int)ind * 2 + 1, "");
	tui_line_addstr(l, THEME_LIST_SECTION, s->service);
	tui_line_addstr(l, THEME_DEFAULT, ": ");
	tui_line_addstr(l, THEME_LIST_ITEM, s->name);
}

void
view_trace_toggle_fold(struct view *view, struct app *app)
{
	struct trv *v = view->priv;
	const struct csf_span *s = view_trace_cur_span(view);
	uint32_t i;

	if (!s || !s->nkid)
		return;
	i = (uint32_t)(s - v->t->spans);
	v->fold[i] = !v->fold[i];
	v->any_fold = true;
	view_trace_build_rows(v);
	view_pane_set_rows(view, app, PANE_MAIN, v->nrows);
	view_pane_dirty(view, PANE_MAIN);
}

void
view_trace_fold_level(struct view *view, struct app *app)
{
	struct trv *v = view->priv;
	const struct csf_span *s = view_trace_cur_span(view);
	uint32_t i, depth;
	uint8_t to;
	size_t k;

	if (!s)
		return;
	i = (uint32_t)(s - v->t->spans);
	depth = s->depth;
	to = !v->fold[i];
	for (k = 0; k < v->t->nspans; k++)
		if (v->t->spans[k].depth == depth)
			v->fold[k] = to;
	v->any_fold = true;
	view_trace_build_rows(v);
	view_pane_set_rows(view, app, PANE_MAIN, v->nrows);
	view_pane_goto(view, app, PANE_MAIN, view_trace_row_of(v, i) == SIZE_MAX ? 0 : view_trace_row_of(v, i));
	view_pane_dirty(view, PANE_MAIN);
	tui_app_message(app, "%s every span at depth %u", to ? "folded" : "unfolded", depth);
}

void
view_trace_next_error(struct view *view, struct app *app)
{
	struct trv *v = view->priv;
	size_t r, start = view->pane[PANE_MAIN].cursor, k;

	if (v->mode != TRV_TREE || !v->nrows)
		return;
	for (k = 1; k <= v->nrows; k++) {
		r = (start + k) % v->nrows;
		if (v->t->spans[v->rows[r]].status == CSF_SPAN_ERROR) {
			view_pane_goto(view, app, PANE_MAIN, r);
			return;
		}
	}
	tui_app_message(app, v->t->nerrors ? "no error span is visible (folded or filtered)"
			: "this trace has no error span");
}

void
view_trace_mark(struct view *view, struct app *app)
{
	struct trv *v = view->priv;
	struct csf_trace *t = NULL;
	struct csf_trace_set *owner = NULL;
	char id[33];

	if (v->mode == TRV_TREE) {
		t = v->t;
		owner = v->tset;
	} else if (v->mode == TRV_LIST) {
		t = view_trace_list_trace(v, view->pane[PANE_MAIN].cursor);
		owner = v->set;
		if (!t) {
			tui_app_message(app, "open the trace first (Enter), then mark it");
			return;
		}
	}
	if (!t)
		return;
	if (v->mark_set && v->mark_set != v->set && v->mark_set != v->tset)
		csf_trace_set_free(v->mark_set);
	v->mark_set = NULL;
	if (owner != v->set) {
		/* the tree's set becomes the mark's: the tree keeps borrowing it */
		v->mark_set = owner;
	}
	memcpy(v->mark_id, t->id, 16);
	v->marked = true;
	view_dirty(view);
	view_trace_update_detail(view, app);
	tui_app_message(app, "marked %s: open another trace and press C to compare",
			csf_trace_id_hex(t->id, id));
}

static struct csf_trace *
find_id(const struct csf_trace_set *set, const uint8_t id[16])
{
	size_t i;

	for (i = 0; set && i < set->ntraces; i++)
		if (!memcmp(set->traces[i].id, id, 16))
			return &set->traces[i];
	return NULL;
}

void
view_trace_compare(struct view *view, struct app *app)
{
	struct trv *v = view->priv;
	struct csf_trace *a, *b = NULL;

	if (!v->marked) {
		tui_app_message(app, "mark a trace first (m), then compare another one with it");
		return;
	}
	a = find_id(v->mark_set ? v->mark_set : v->set, v->mark_id);
	if (v->mode == TRV_TREE)
		b = v->t;
	else if (v->mode == TRV_LIST)
		b = view_trace_list_trace(v, view->pane[PANE_MAIN].cursor);
	if (!a || !b) {
		tui_app_message(app, "nothing to compare: open the other trace first");
		return;
	}
	if (a == b) {
		tui_app_message(app, "this is the marked trace: open another one to compare");
		return;
	}
	if (v->mode == TRV_LIST)
		v->from_list = true;
	csf_trace_compare(a, b, 1000000, 10.0, &v->diff);
	v->ca = a;
	v->cb = b;
	if (v->mode == TRV_LIST) {
		/* comparing from the list: Esc goes back to the list */
		view_trace_close_tree(v);
	}
	v->mode = TRV_COMPARE;
	view_set_pattern(view, app, NULL, NULL);
	view_trace_main_rows(view, app);
	view_pane_goto(view, app, PANE_MAIN, 0);
}
