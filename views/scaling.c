/* The scaling view: the autoscaling history of one module of one tenant (DESIGN §5, §8).
 *
 *   :scaling TENANT/MODULE
 *
 * Left (or top): a time chart drawn with block characters (ASCII under LANG=C) of the current
 * replicas (filled), the desired replicas (a line) and the autoscaler's min/max band, the
 * trigger metric against its target below, and the scale events marked on the time axis
 * (failed rescales in the error colour, the selected event highlighted). Above the chart: the
 * blueprint's declared limits (the workspace blueprint rendered for the tenant) beside the
 * observed autoscaler bounds. Right (or bottom): the events, newest first, with reason, message
 * and time. 1 2 3 4 zoom to 1h, 6h, 24h and 7d; t opens the module's traces.
 *
 * The load runs in a worker thread (same source as the headless `scaling` command); the chart
 * shows progress while loading and the error in place of the data when it fails; Esc cancels.
 */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/cluster.h"
#include "core/k8s.h"
#include "core/workspace.h"
#include "core/xalloc.h"
#include "tui/app.h"
#include "tui/cli.h"
#include "tui/cli_cluster.h"
#include "views/layout.h"
#include "views/live.h"
#include "views/view.h"

enum {
	PANE_CHART,
	PANE_EVENTS,
};

#define SV_PROGRESS_MS 200

/* Points per range: steps of 15 s, 1 min, 5 min and 1 h, so that the grid (and the events
 * inside it) ends on the hour. */
static const struct {
	const char *name;
	int64_t seconds;
	int points;
} zooms[] = {
	{ "1h", 3600, 240 },
	{ "6h", 6 * 3600, 360 },
	{ "24h", 24 * 3600, 288 },
	{ "7d", 7 * 24 * 3600, 168 },
};

struct sv_job {
	struct view_live_job base;
	struct view_live_scope at;
	char *tenant, *module;
	int64_t since;
	int points;
	struct csf_scaling *result;
	struct cli_declared declared;
	struct csf_error err;
	char source[160];
};

struct sv {
	char *tenant, *module;
	unsigned zoom;
	struct csf_scaling *data;
	struct cli_declared declared;
	char source[160];
	char *error;
	struct view_live live;		/* the load */
	char progress[200];
	int chart_w;			/* columns of the plot area, from the layout */
	size_t sel;			/* the selected row of the events pane */
};


/* ---- the worker ----------------------------------------------------------------------------- */

static void
job_free(struct view_live_job *base)
{
	struct sv_job *j = (struct sv_job *)base;

	csf_scaling_free(j->result);
	view_live_scope_release(&j->at);
	free(j->tenant);
	free(j->module);
	free(j);
}

static void
job_run(struct view_live_job *base)
{
	struct sv_job *j = (struct sv_job *)base;
	struct view_live_cluster c;
	struct csf_scaling_query q;

	memset(&q, 0, sizeof(q));
	q.tenant = j->tenant;
	q.module = j->module;
	q.since = j->since;
	q.points = j->points;
	if (view_live_cluster_open(&c, &j->at, j->source, sizeof(j->source), &j->err) ||
	    csf_cluster_scaling_start(c.src, &q, &c.cj, &j->err) || !view_live_cluster_wait(&c, base))
		goto out;
	j->result = csf_cluster_job_take_scaling(c.cj, &j->err);
	if (j->result)
		cli_cluster_declared(&c.g, j->tenant, j->module, csf_env_canonical(j->at.env),
				     &j->declared);
out:
	view_live_cluster_release(&c);
}

/* ---- loading -------------------------------------------------------------------------------- */

static void
set_titles(struct view *view)
{
	struct sv *v = view->priv;

	view_pane_title(view, PANE_CHART, "%s/%s · last %s · %s%s", v->tenant, v->module,
			zooms[v->zoom].name, v->source[0] ? v->source : "cluster",
			view_live_busy(&v->live) ? " · loading" : "");
	view_pane_title(view, PANE_EVENTS, "Events (%zu) · 1 2 3 4: 1h 6h 24h 7d",
			v->data ? v->data->nevents : (size_t)0);
	view_set_crumb(view, "%s/%s", v->tenant, v->module);
	view_live_titles_ascii(view);
}

static void
chart_rows(struct view *view, struct app *app)
{
	int h = view_pane_body_h(&view->pane[PANE_CHART]);

	view_pane_set_rows(view, app, PANE_CHART, (size_t)(h > 0 ? h : 1));
}

static void
show(struct view *view, struct app *app)
{
	struct sv *v = view->priv;
	size_t n = v->data ? v->data->nevents + v->data->nwarnings : 0;

	set_titles(view);
	chart_rows(view, app);
	view_pane_set_rows(view, app, PANE_EVENTS, n);
	view_dirty(view);
	app->pending |= TUI_REDRAW;
}

static void
progress(struct view *view, struct app *app)
{
	struct sv *v = view->priv;

	(void)app;
	snprintf(v->progress, sizeof(v->progress), "loading the scaling history: %zu/%zu requests "
		 "(Esc cancels)", atomic_load(&v->live.job->done), atomic_load(&v->live.job->total));
	view_pane_dirty(view, PANE_CHART);
}

static void
job_ready(struct view *view, struct app *app, struct view_live_job *base)
{
	struct sv *v = view->priv;
	struct sv_job *j = (struct sv_job *)base;

	snprintf(v->source, sizeof(v->source), "%s", j->source);
	free(v->error);
	v->error = NULL;
	if (j->result) {
		csf_scaling_free(v->data);
		v->data = j->result;
		j->result = NULL;
		v->declared = j->declared;
	} else {
		char msg[700];

		csf_error_format(&j->err, msg, sizeof(msg));
		v->error = csf_xstrdup(msg);
		csf_scaling_free(v->data);
		v->data = NULL;
	}
	show(view, app);
	if (v->data)
		view_pane_goto(view, app, PANE_EVENTS, 0);
}

static void
load(struct view *view, struct app *app)
{
	struct sv *v = view->priv;
	struct sv_job *j;

	view_live_stop(&v->live, app);
	j = csf_xcalloc(1, sizeof(*j));
	j->base.run = job_run;
	j->base.free = job_free;
	view_live_scope_init(&j->at, app);
	j->tenant = csf_xstrdup(v->tenant);
	j->module = csf_xstrdup(v->module);
	j->since = zooms[v->zoom].seconds;
	j->points = zooms[v->zoom].points;
	if (view_live_start(&v->live, app, &j->base, "loading the scaling history")) {
		tui_app_error(app, "cannot start loading the scaling history");
		return;
	}
	snprintf(v->progress, sizeof(v->progress), "loading the scaling history (Esc cancels)");
	show(view, app);
}

static bool
parse_arg(struct sv *v, const char *arg)
{
	const char *sep;

	if (!arg)
		return false;
	sep = strpbrk(arg, "/ ");
	if (!sep || sep == arg || !sep[1])
		return false;
	free(v->tenant);
	free(v->module);
	v->tenant = csf_xstrndup(arg, (size_t)(sep - arg));
	v->module = csf_xstrdup(sep + 1 + strspn(sep + 1, " "));
	return true;
}

static int
sv_open(struct view *view, struct app *app, struct csf_error *err)
{
	struct sv *v = view->priv;

	if (!parse_arg(v, view->arg)) {
		struct csf_loc nowhere = { 0, 0 };

		return csf_fail(err, CSF_E_USAGE, NULL, nowhere,
				"usage: :scaling TENANT/MODULE (or Enter on a module in :tenants)");
	}
	view->npanes = 2;
	view->pane[PANE_CHART].flags = VIEW_PANE_HEADER;
	view->pane[PANE_EVENTS].flags = VIEW_PANE_CURSOR | VIEW_PANE_NARROW | VIEW_PANE_HEADER;
	view->focus = PANE_EVENTS;
	v->zoom = 1;
	v->live.view = view;
	v->live.progress_ms = SV_PROGRESS_MS;
	v->live.progress = progress;
	v->live.ready = job_ready;
	load(view, app);
	return 0;
}

static void
sv_close(struct view *view)
{
	struct sv *v = view->priv;

	view_live_stop(&v->live, tui_app_get());
	csf_scaling_free(v->data);
	free(v->error);
	free(v->tenant);
	free(v->module);
}

static void
sv_layout(struct view *view, struct app *app)
{
	struct sv *v = view->priv;
	struct view_pane *pn = view->pane;

	if (view->w >= 120) {
		view_layout_side(view, PANE_CHART, PANE_EVENTS, view->w - view->w / 3);
	} else {
		int top = view->h * 2 / 3;

		if (top < 6)
			top = view->h > 3 ? view->h - 2 : view->h;
		pn[PANE_CHART].y = view->y;
		pn[PANE_CHART].x = pn[PANE_EVENTS].x = view->x;
		pn[PANE_CHART].w = pn[PANE_EVENTS].w = view->w;
		pn[PANE_CHART].h = top;
		pn[PANE_EVENTS].y = view->y + top;
		pn[PANE_EVENTS].h = view->h - top;
	}
	v->chart_w = pn[PANE_CHART].w - 8;
	if (v->chart_w < 10)
		v->chart_w = 10;
	chart_rows(view, app);
}

/* ---- the chart ------------------------------------------------------------------------------ */

/* A run of cells in one slot, drawn when the slot changes. */
struct cells {
	struct tui_line *l;
	enum theme_slot slot;
	struct csf_buf b;
};

static void
cells_flush(struct cells *c)
{
	if (c->b.len)
		tui_line_add(c->l, c->slot, c->b.buf, c->b.len);
	csf_buf_reset(&c->b);
}

static void
cells_put(struct cells *c, enum theme_slot slot, const char *glyph)
{
	if (slot != c->slot)
		cells_flush(c);
	c->slot = slot;
	csf_buf_addstr(&c->b, glyph);
}

/* The value of s at time t (the grid point at or before t), NaN when none. */
static double
value_at(const struct csf_series *s, int64_t t)
{
	size_t lo = 0, hi = s->n;

	if (!s->n || t < s->t[0])
		return NAN;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (s->t[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return s->v[lo];
}

static double
series_max(const struct csf_series *s)
{
	double m = NAN;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (isfinite(s->v[i]) && (isnan(m) || s->v[i] > m))
			m = s->v[i];
	return m;
}

static double
fmax_nan(double a, double b)
{
	if (isnan(a))
		return b;
	if (isnan(b))
		return a;
	return a > b ? a : b;
}

struct geom {
	int h;				/* chart body rows */
	int hr, hm;			/* replica rows, metric rows */
	int r_rep, r_mlabel, r_met, r_axis, r_time;	/* first row of each part */
	int cw;
	double ymax, mmax;
};

static void
geometry(const struct sv *v, const struct view *view, struct geom *g)
{
	const struct csf_scaling *s = v->data;
	int rest;

	g->h = view_pane_body_h(&view->pane[PANE_CHART]);
	g->cw = v->chart_w;
	rest = g->h - 5;
	if (rest < 2)
		rest = 2;
	g->hr = rest * 2 / 3;
	if (g->hr < 1)
		g->hr = 1;
	g->hm = rest - g->hr;
	if (g->hm < 1)
		g->hm = 1;
	g->r_rep = 2;
	g->r_mlabel = g->r_rep + g->hr;
	g->r_met = g->r_mlabel + 1;
	g->r_axis = g->r_met + g->hm;
	g->r_time = g->r_axis + 1;
	g->ymax = NAN;
	g->mmax = NAN;
	if (!s)
		return;
	g->ymax = fmax_nan(series_max(&s->replicas), series_max(&s->desired));
	g->ymax = fmax_nan(g->ymax, series_max(&s->max));
	if (s->has_spec)
		g->ymax = fmax_nan(g->ymax, s->spec_max);
	if (v->declared.found)
		g->ymax = fmax_nan(g->ymax, v->declared.max);
	if (isnan(g->ymax) || g->ymax < 1)
		g->ymax = 1;
	g->ymax = ceil(g->ymax);
	g->mmax = series_max(&s->metric);
	if (s->has_target)
		g->mmax = fmax_nan(g->mmax, s->metric_target);
	if (isnan(g->mmax) || g->mmax <= 0)
		g->mmax = 1;
	g->mmax *= 1.1;
}

static int64_t
col_time(const struct csf_scaling *s, int cw, int c)
{
	return s->start + (int64_t)((double)(s->end - s->start) * (c + 0.5) / cw);
}

static int
event_col(const struct csf_scaling *s, int cw, int64_t t)
{
	double f;

	if (s->end <= s->start)
		return -1;
	f = (double)(t - s->start) / (double)(s->end - s->start);
	if (f < 0 || f > 1)
		return -1;
	return f >= 1 ? cw - 1 : (int)(f * cw);
}

static const char *
fill_glyph(bool utf8, double frac)
{
	static const char *const eighths[] = { " ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	int k;

	if (!utf8)
		return frac >= 0.5 ? "#" : " ";
	k = (int)lround(frac * 8);
	return eighths[k < 0 ? 0 : k > 8 ? 8 : k];
}

static bool
failed(const struct csf_scale_event *e)
{
	return !strncmp(e->reason, "Failed", 6) || !strcmp(e->type, "Warning");
}

/* The event shown at row `row` of the events pane (newest first), or NULL for a note row. */
static const struct csf_scale_event *
event_row(const struct csf_scaling *s, size_t row)
{
	return row < s->nevents ? &s->events[s->nevents - 1 - row] : NULL;
}

static void
draw_replica_row(struct sv *v, struct app *app, struct tui_line *l, const struct geom *g, int k)
{
	const struct csf_scaling *s = v->data;
	bool utf8 = app->draw.utf8;
	double lo = g->ymax * (g->hr - 1 - k) / g->hr, hi = g->ymax * (g->hr - k) / g->hr;
	struct cells c = { l, THEME_DEFAULT, CSF_BUF_INIT };
	int col;

	if (k == 0)
		tui_line_addf(l, THEME_LIST_DIM, "%5.0f ", g->ymax);
	else if (k == g->hr - 1)
		tui_line_addf(l, THEME_LIST_DIM, "%5.0f ", lo);
	else
		tui_line_addstr(l, THEME_LIST_DIM, "      ");
	tui_line_addstr(l, THEME_LIST_DIM, utf8 ? "│" : "|");
	for (col = 0; col < g->cw; col++) {
		int64_t t = col_time(s, g->cw, col);
		double rep = value_at(&s->replicas, t), des = value_at(&s->desired, t);
		double mn = value_at(&s->min, t), mx = value_at(&s->max, t);

		/* without the bound series, the autoscaler's spec gives the band */
		if (!s->min.n && s->has_spec && s->autoscaler)
			mn = s->spec_min;
		if (!s->max.n && s->has_spec && s->autoscaler)
			mx = s->spec_max;
		double mid = (lo + hi) / 2;

		if (isfinite(rep) && rep > lo) {
			double frac = rep >= hi ? 1 : (rep - lo) / (hi - lo);

			cells_put(&c, THEME_DIFF_ADD, fill_glyph(utf8, frac));
		} else if (isfinite(des) && des > lo && des <= hi) {
			cells_put(&c, THEME_LINT_WARNING, utf8 ? "─" : "-");
		} else if (isfinite(mx) && mx > lo && mx <= hi) {
			cells_put(&c, THEME_LINT_INFO, utf8 ? "┄" : "=");
		} else if (isfinite(mn) && mn > lo && mn <= hi) {
			cells_put(&c, THEME_LINT_INFO, utf8 ? "┄" : "=");
		} else if (isfinite(mn) && isfinite(mx) && mid >= mn && mid <= mx) {
			cells_put(&c, THEME_LIST_DIM, utf8 ? "·" : ".");
		} else {
			cells_put(&c, THEME_DEFAULT, " ");
		}
	}
	cells_flush(&c);
	csf_buf_release(&c.b);
}

static void
draw_metric_row(struct sv *v, struct app *app, struct tui_line *l, const struct geom *g, int k)
{
	const struct csf_scaling *s = v->data;
	bool utf8 = app->draw.utf8;
	double lo = g->mmax * (g->hm - 1 - k) / g->hm, hi = g->mmax * (g->hm - k) / g->hm;
	struct cells c = { l, THEME_DEFAULT, CSF_BUF_INIT };
	int col;

	if (k == 0)
		tui_line_addf(l, THEME_LIST_DIM, "%5.4g ", g->mmax);
	else if (k == g->hm - 1)
		tui_line_addf(l, THEME_LIST_DIM, "%5.4g ", lo);
	else
		tui_line_addstr(l, THEME_LIST_DIM, "      ");
	tui_line_addstr(l, THEME_LIST_DIM, utf8 ? "│" : "|");
	for (col = 0; col < g->cw; col++) {
		double m = value_at(&s->metric, col_time(s, g->cw, col));

		if (isfinite(m) && m > lo) {
			double frac = m >= hi ? 1 : (m - lo) / (hi - lo);

			cells_put(&c, THEME_YAML_NUMBER, fill_glyph(utf8, frac));
		} else if (s->has_target && s->metric_target > lo && s->metric_target <= hi) {
			cells_put(&c, THEME_LINT_WARNING, utf8 ? "┈" : "-");
		} else {
			cells_put(&c, THEME_DEFAULT, " ");
		}
	}
	cells_flush(&c);
	csf_buf_release(&c.b);
}

static void
draw_axis(struct sv *v, struct app *app, struct tui_line *l, const struct geom *g)
{
	const struct csf_scaling *s = v->data;
	bool utf8 = app->draw.utf8;
	struct cells c = { l, THEME_DEFAULT, CSF_BUF_INIT };
	unsigned char *mark = csf_xcalloc((size_t)g->cw, 1);
	const struct csf_scale_event *sel = event_row(s, v->sel);
	size_t i;
	int col, selcol = sel ? event_col(s, g->cw, sel->last) : -1;

	for (i = 0; i < s->nevents; i++) {
		col = event_col(s, g->cw, s->events[i].last);
		if (col >= 0)
			mark[col] = mark[col] == 2 || failed(&s->events[i]) ? 2 : 1;
	}
	tui_line_addstr(l, THEME_LIST_DIM, utf8 ? "      └" : "      +");
	for (col = 0; col < g->cw; col++) {
		if (col == selcol)
			cells_put(&c, THEME_SEARCH_MATCH, mark[col] == 2 ? (utf8 ? "✖" : "X")
				  : (utf8 ? "▲" : "^"));
		else if (mark[col] == 2)
			cells_put(&c, THEME_LINT_ERROR, utf8 ? "✖" : "X");
		else if (mark[col] == 1)
			cells_put(&c, THEME_DIFF_ADD, utf8 ? "▲" : "^");
		else
			cells_put(&c, THEME_LIST_DIM, utf8 ? "─" : "-");
	}
	cells_flush(&c);
	csf_buf_release(&c.b);
	free(mark);
}

static void
draw_times(struct sv *v, struct tui_line *l, const struct geom *g)
{
	const struct csf_scaling *s = v->data;
	int col = 0, step = 14;
	char ts[32];

	tui_line_addstr(l, THEME_DEFAULT, "       ");
	while (col + 11 <= g->cw) {
		int64_t t = s->start + (int64_t)((double)(s->end - s->start) * col / g->cw);

		csf_k8s_time_format(t, ts, sizeof(ts));
		tui_line_pad_to(l, THEME_DEFAULT, (size_t)(7 + col));
		if (s->end - s->start > 36 * 3600)
			tui_line_addf(l, THEME_LIST_DIM, "%.5s %.2sh", ts + 5, ts + 11);
		else
			tui_line_addf(l, THEME_LIST_DIM, "%.5s", ts + 11);
		col += step;
	}
}

static void
draw_limits(struct sv *v, struct tui_line *l)
{
	const struct csf_scaling *s = v->data;
	const struct cli_declared *d = &v->declared;
	bool differ = d->found && s->has_spec && (d->min != s->spec_min || d->max != s->spec_max);

	tui_line_addstr(l, THEME_LIST_SECTION, "observed ");
	if (s->has_spec && s->autoscaler)
		tui_line_addf(l, differ ? THEME_LINT_WARNING : THEME_DEFAULT, "%s %d..%d",
			      s->autoscaler, s->spec_min, s->spec_max);
	else if (s->autoscaler)
		tui_line_addstr(l, THEME_DEFAULT, s->autoscaler);
	else
		tui_line_addstr(l, THEME_LIST_DIM, "no autoscaler");
	if (s->has_spec && s->autoscaler)
		tui_line_addf(l, THEME_DEFAULT, " now %d->%d", s->spec_current, s->spec_desired);
	tui_line_addstr(l, THEME_LIST_SECTION, "  declared ");
	if (d->found) {
		tui_line_addf(l, differ ? THEME_LINT_WARNING : THEME_DEFAULT, "%d..%d", d->min, d->max);
		tui_line_addstr(l, THEME_LIST_DIM, " from ");
		tui_line_addstr(l, THEME_LIST_DIM, d->source);
	} else {
		tui_line_addstr(l, THEME_LIST_DIM, "- (no blueprint of the workspace renders an "
				"autoscaler for this module and tenant)");
	}
}

static void
draw_legend(struct sv *v, struct app *app, struct tui_line *l)
{
	bool utf8 = app->draw.utf8;

	(void)v;
	tui_line_addstr(l, THEME_DIFF_ADD, utf8 ? "█" : "#");
	tui_line_addstr(l, THEME_DEFAULT, " replicas  ");
	tui_line_addstr(l, THEME_LINT_WARNING, utf8 ? "─" : "-");
	tui_line_addstr(l, THEME_DEFAULT, " desired  ");
	tui_line_addstr(l, THEME_LINT_INFO, utf8 ? "┄" : "=");
	tui_line_addstr(l, THEME_DEFAULT, " min/max  ");
	tui_line_addstr(l, THEME_DIFF_ADD, utf8 ? "▲" : "^");
	tui_line_addstr(l, THEME_DEFAULT, " rescale  ");
	tui_line_addstr(l, THEME_LINT_ERROR, utf8 ? "✖" : "X");
	tui_line_addstr(l, THEME_DEFAULT, " failed");
}

static void
draw_message(struct tui_line *l, enum theme_slot slot, const char *text, size_t lineno)
{
	const char *p = text, *nl;

	while (lineno-- && p) {
		nl = strchr(p, '\n');
		p = nl ? nl + 1 : NULL;
	}
	if (!p)
		return;
	nl = strchr(p, '\n');
	tui_line_add(l, slot, p, nl ? (size_t)(nl - p) : strlen(p));
}

static void
draw_chart_row(struct view *view, struct app *app, struct tui_line *l, size_t lineno)
{
	struct sv *v = view->priv;
	const struct csf_scaling *s = v->data;
	struct geom g;
	int r = (int)lineno;

	if (!s) {
		if (v->error) {
			struct csf_buf m = CSF_BUF_INIT;

			csf_buf_addf(&m, "cannot load the scaling history of %s/%s:\n%s\n\n"
				     "1 2 3 4: try again with another range", v->tenant, v->module,
				     v->error);
			draw_message(l, THEME_LINT_ERROR, m.buf, lineno);
			csf_buf_release(&m);
		} else if (view_live_busy(&v->live) && lineno == 0) {
			tui_line_addstr(l, THEME_LIST_DIM, v->progress);
		}
		return;
	}
	geometry(v, view, &g);
	if (r == 0) {
		draw_limits(v, l);
	} else if (r == 1) {
		draw_legend(v, app, l);
	} else if (r >= g.r_rep && r < g.r_rep + g.hr) {
		draw_replica_row(v, app, l, &g, r - g.r_rep);
	} else if (r == g.r_mlabel) {
		tui_line_addstr(l, THEME_LIST_SECTION, "metric ");
		tui_line_addstr(l, THEME_DEFAULT, s->metric_name ? s->metric_name : "(none)");
		if (s->has_target)
			tui_line_addf(l, THEME_LINT_WARNING, "  target %g", s->metric_target);
		if (!s->metric.n)
			tui_line_addstr(l, THEME_LIST_DIM, "  no samples");
	} else if (r >= g.r_met && r < g.r_met + g.hm) {
		draw_metric_row(v, app, l, &g, r - g.r_met);
	} else if (r == g.r_axis) {
		draw_axis(v, app, l, &g);
	} else if (r == g.r_time) {
		draw_times(v, l, &g);
	}
}

static void
sv_draw_line(struct view *view, struct app *app, unsigned pane, struct tui_line *l, size_t lineno)
{
	struct sv *v = view->priv;
	const struct csf_scale_event *e;
	char ts[32];

	if (pane == PANE_CHART) {
		draw_chart_row(view, app, l, lineno);
		return;
	}
	if (!v->data)
		return;
	e = event_row(v->data, lineno);
	if (!e) {
		size_t w = lineno - v->data->nevents;

		if (w < v->data->nwarnings) {
			tui_line_addstr(l, THEME_LIST_DIM, "note: ");
			tui_line_addstr(l, THEME_LIST_DIM, v->data->warnings[w]);
		}
		return;
	}
	csf_k8s_time_format(e->last, ts, sizeof(ts));
	tui_line_addf(l, THEME_LIST_DIM, "%.5s %.5s ", ts + 5, ts + 11);
	tui_line_addstr(l, failed(e) ? THEME_LINT_ERROR : THEME_DIFF_ADD, e->reason);
	if (e->count > 1)
		tui_line_addf(l, THEME_LIST_DIM, " x%d", e->count);
	tui_line_addstr(l, THEME_DEFAULT, "  ");
	tui_line_addstr(l, failed(e) ? THEME_LINT_ERROR : THEME_DEFAULT, e->message);
}

static void
open_traces(struct view *view, struct app *app)
{
	struct sv *v = view->priv;
	struct csf_buf arg = CSF_BUF_INIT;

	(void)view;
	csf_buf_addf(&arg, "tenantId=%s moduleId=%s", v->tenant, v->module);
	tui_app_open_view(app, "traces", arg.buf);
	csf_buf_release(&arg);
}

static enum request
sv_handle(struct view *view, struct app *app, enum request req)
{
	struct sv *v = view->priv;
	unsigned z;

	switch (req) {
	case REQ_SCALING_1H:
	case REQ_SCALING_6H:
	case REQ_SCALING_24H:
	case REQ_SCALING_7D:
		z = req == REQ_SCALING_1H ? 0 : req == REQ_SCALING_6H ? 1 : req == REQ_SCALING_24H ? 2 : 3;
		if (z == v->zoom && v->data && !view_live_busy(&v->live))
			return REQ_NONE;
		v->zoom = z;
		load(view, app);
		return REQ_NONE;
	case REQ_CLUSTER_REFRESH:
		load(view, app);
		return REQ_NONE;
	case REQ_VIEW_TRACES:
		open_traces(view, app);
		return REQ_NONE;
	case REQ_VIEW_BACK:
		if (view_live_busy(&v->live)) {
			view_live_stop(&v->live, app);
			show(view, app);
			tui_app_message(app, "loading the scaling history was cancelled");
			return REQ_NONE;
		}
		return req;
	default:
		return req;
	}
}

static void
sv_select(struct view *view, struct app *app, unsigned pane, size_t lineno)
{
	struct sv *v = view->priv;

	(void)app;
	if (pane != PANE_EVENTS)
		return;
	v->sel = lineno;
	view_pane_dirty(view, PANE_CHART);
}

static bool
sv_grep(struct view *view, struct app *app, unsigned pane, size_t lineno, const regex_t *re)
{
	struct sv *v = view->priv;
	const struct csf_scale_event *e;

	(void)app;
	if (pane != PANE_EVENTS || !v->data)
		return false;
	e = event_row(v->data, lineno);
	if (!e)
		return lineno - v->data->nevents < v->data->nwarnings &&
		       !regexec(re, v->data->warnings[lineno - v->data->nevents], 0, NULL, 0);
	return !regexec(re, e->reason, 0, NULL, 0) || !regexec(re, e->message, 0, NULL, 0);
}

static void
sv_set_arg(struct view *view, struct app *app, const char *arg)
{
	struct sv *v = view->priv;

	if (!arg || !*arg)
		return;
	if (!parse_arg(v, arg)) {
		tui_app_error(app, "usage: :scaling TENANT/MODULE");
		return;
	}
	load(view, app);
}

const struct view_ops view_scaling_ops = {
	.name = "scaling",
	.help = "autoscaling history of a module: replicas, min/max, metric, events, limits",
	.flags = VIEW_NO_FLAGS,
	.private_size = sizeof(struct sv),
	.open_request = REQ_NONE,
	.complete = VIEW_COMPLETE_TENANT,
	.open = sv_open,
	.close = sv_close,
	.layout = sv_layout,
	.draw_line = sv_draw_line,
	.handle = sv_handle,
	.select = sv_select,
	.grep = sv_grep,
	.set_arg = sv_set_arg,
};
