/* The tenants view: every tenant of the cluster (or of the recorded snapshot) with edition,
 * modules, ready/desired replicas, deployed version, last scale event, health and drift from
 * the GitOps desired state (DESIGN §5, §8).
 *
 *   :tenants [TENANT]      all tenants, or straight into TENANT's modules
 *
 * The load (tui/cli_cluster.h: the same source and desired state as the headless `tenants`
 * command) runs in a worker thread that reports on a pipe the loop watches, so keys stay live
 * over a slow link; the list shows the progress while nothing was loaded yet and the error in
 * place of the data when the load failed. Esc while loading cancels it. The list refreshes
 * every 30 s and its header says how old the data is. Enter on a tenant lists its modules;
 * Enter on a module opens the scaling view of tenant+module, t its traces (filtered by
 * tenantId and moduleId). Rows are drawn only when visible, so 10k tenants cost what fits on
 * the screen.
 */
#include <regex.h>
#include <stdarg.h>
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
#include "views/lines.h"
#include "views/live.h"
#include "views/view.h"

enum {
	PANE_LIST,
	PANE_DETAIL,
};

#define TV_REFRESH_MS 30000
#define TV_TICK_MS 1000
#define TV_PROGRESS_MS 200

enum tv_mode {
	TV_TENANTS,
	TV_MODULES,
};

/* One load, shared by the loop and the worker thread (two references). */
struct tv_job {
	struct view_live_job base;
	struct view_live_scope at;
	/* results, read by the loop after the byte arrived */
	struct csf_tenants *result;
	struct csf_error err;
	char source[160];
	char desired[600];
};

struct tv {
	enum tv_mode mode;
	struct csf_tenants *data;		/* the last successful load, or NULL */
	char source[160];
	char desired[600];
	char *error;				/* the last load's error, or NULL */
	int64_t loaded_ms;			/* monotonic time of the last load */
	struct view_live live;			/* the load */
	bool cancelled;
	unsigned refresh_timer, tick_timer;
	char age[32];				/* the age text last shown */
	size_t tenant;				/* the tenant whose modules are listed */
	char *want_tenant;			/* :tenants T: drill in when loaded */
	size_t tenant_cursor;			/* cursor in the tenant list, kept for Esc */
	struct csf_buf msg;			/* lines shown in the list when there is no data */
	size_t nmsg;
	struct view_lines detail;
};


/* ---- the worker --------------------------------------------------------------------------- */

static void
job_free(struct view_live_job *base)
{
	struct tv_job *j = (struct tv_job *)base;

	csf_tenants_free(j->result);
	view_live_scope_release(&j->at);
	free(j);
}

static void
job_run(struct view_live_job *base)
{
	struct tv_job *j = (struct tv_job *)base;
	struct view_live_cluster c;
	struct csf_tenants_query q = { NULL, 0 };

	if (view_live_cluster_open(&c, &j->at, j->source, sizeof(j->source), &j->err) ||
	    csf_cluster_tenants_start(c.src, &q, &c.cj, &j->err) || !view_live_cluster_wait(&c, base))
		goto out;
	j->result = csf_cluster_job_take_tenants(c.cj, &j->err);
	if (j->result) {
		struct csf_desired_set want = CSF_DESIRED_SET_INIT;

		if (cli_cluster_desired(&c.g, c.src, c.gitops, csf_env_canonical(j->at.env), &want,
					j->desired, sizeof(j->desired), &j->err)) {
			csf_tenants_free(j->result);
			j->result = NULL;
		} else if (j->desired[0]) {
			csf_cluster_drift(j->result, want.fields, want.n);
		}
		csf_desired_release(&want);
	}
out:
	view_live_cluster_release(&c);
}

/* ---- rows ------------------------------------------------------------------------------- */

static void
set_msg(struct view *view, struct app *app, const char *text)
{
	struct tv *v = view->priv;
	const char *p;

	csf_buf_reset(&v->msg);
	csf_buf_addstr(&v->msg, text);
	v->nmsg = 1;
	for (p = text; *p; p++)
		if (*p == '\n' && p[1])
			v->nmsg++;
	if (!v->data)
		view_pane_set_rows(view, app, PANE_LIST, v->nmsg);
}

static const struct csf_tenant_summary *
cur_tenant(struct tv *v)
{
	return v->data && v->tenant < v->data->ntenants ? &v->data->tenants[v->tenant] : NULL;
}

static size_t
list_rows(struct tv *v)
{
	const struct csf_tenant_summary *t;

	if (!v->data)
		return v->nmsg;
	if (v->mode == TV_TENANTS)
		return v->data->ntenants;
	t = cur_tenant(v);
	return t ? t->nmodules : 0;
}

static void
age_text(struct tv *v, char *out, size_t n)
{
	int64_t s = (tui_now_ms() - v->loaded_ms) / 1000;

	if (!v->data)
		snprintf(out, n, "not loaded");
	else if (s < 5)
		snprintf(out, n, "updated just now");
	else if (s < 120)
		snprintf(out, n, "updated %llds ago", (long long)s);
	else if (s < 7200)
		snprintf(out, n, "updated %lldm ago", (long long)(s / 60));
	else
		snprintf(out, n, "updated %lldh ago", (long long)(s / 3600));
}

static void
set_titles(struct view *view)
{
	struct tv *v = view->priv;
	const struct csf_tenant_summary *t = cur_tenant(v);
	const char *busy = view_live_busy(&v->live) ? (v->data ? " · refreshing" : " · loading") : "";

	age_text(v, v->age, sizeof(v->age));
	if (v->mode == TV_TENANTS || !t) {
		view_pane_title(view, PANE_LIST, "%-18s %-10s %4s %-7s %-9s %-8s %5s  %s", "TENANT",
				"EDITION", "MODS", "READY", "VERSION", "HEALTH", "DRIFT",
				"LAST SCALE EVENT");
		view_pane_title(view, PANE_DETAIL, "%s · %s%s", v->source[0] ? v->source : "cluster",
				v->age, busy);
		view_set_crumb(view, "%s", "");
	} else {
		view_pane_title(view, PANE_LIST, "%-22s %-9s %-7s %-14s %-16s %-8s %5s  %s",
				"MODULE", "VERSION", "READY", "AUTOSCALER", "METRIC NOW/TARGET",
				"HEALTH", "DRIFT", "LAST SCALE EVENT");
		view_pane_title(view, PANE_DETAIL, "%s · %s · %s%s", t->tenant,
				v->source[0] ? v->source : "cluster", v->age, busy);
		view_set_crumb(view, "%s", t->tenant);
	}
	view_live_titles_ascii(view);
}

static enum theme_slot
health_slot(enum csf_health h)
{
	switch (h) {
	case CSF_HEALTH_OK:
		return THEME_DIFF_ADD;
	case CSF_HEALTH_DEGRADED:
		return THEME_LINT_WARNING;
	case CSF_HEALTH_DOWN:
		return THEME_LINT_ERROR;
	default:
		return THEME_LIST_DIM;
	}
}

static bool
failed_event(const struct csf_scale_event *e)
{
	return !strncmp(e->reason, "Failed", 6) || !strcmp(e->type, "Warning");
}

/* "11-26 18:42" */
static void
short_time(int64_t t, char *out, size_t n)
{
	char ts[32];

	csf_k8s_time_format(t, ts, sizeof(ts));
	snprintf(out, n, "%.5s %.5s", ts + 5, ts + 11);
}

static const char *
tenant_version(const struct csf_tenant_summary *t)
{
	const char *v = NULL;
	size_t i;

	for (i = 0; i < t->nmodules; i++) {
		const char *m = t->modules[i].version;

		if (!m || t->modules[i].missing)
			continue;
		if (v && strcmp(v, m))
			return "mixed";
		v = m;
	}
	return v ? v : "-";
}

/* ---- the detail pane -------------------------------------------------------------------- */

static void
detail_event(struct tv *v, const char *label, const struct csf_scale_event *e, const char *module)
{
	char ts[32];

	csf_k8s_time_format(e->last, ts, sizeof(ts));
	view_lines_addf(&v->detail, "%s%s %s%s%s %s: %s", label, ts, module ? module : "",
	                module ? " " : "", e->type, e->reason, e->message);
}

static void
update_detail(struct view *view, struct app *app)
{
	struct tv *v = view->priv;
	const struct csf_tenant_summary *t;
	size_t i, row = view->pane[PANE_LIST].cursor;

	view_lines_reset(&v->detail);
	if (!v->data) {
		view_pane_set_rows(view, app, PANE_DETAIL, 0);
		return;
	}
	if (v->mode == TV_TENANTS) {
		if (row >= v->data->ntenants) {
			view_lines_addf(&v->detail,
			                "no tenants: no namespace carries a tenant label");
			goto done;
		}
		t = &v->data->tenants[row];
		view_lines_addf(&v->detail, "%s  namespace %s  edition %s  provider %s  phase %s",
		                t->tenant, t->namespace, t->edition ? t->edition : "-",
		                t->provider ? t->provider : "-", t->phase ? t->phase : "-");
		if (t->error)
			view_lines_addf(&v->detail, "error: %s", t->error);
		for (i = 0; i < t->nmodules; i++) {
			const struct csf_module_summary *m = &t->modules[i];

			view_lines_addf(&v->detail, "  %-22s %-9s %3d/%-3d %-9s%s%s",
			                m->module ? m->module : m->name,
			                m->version ? m->version : "-", m->ready, m->desired,
			                csf_health_name(m->health), m->ndrift ? "  drift: " : "",
			                m->ndrift ? (m->missing ? "missing" : "yes") : "");
		}
		if (!t->nmodules && !t->error)
			view_lines_addf(&v->detail, "  (no deployments)");
		if (!v->data->drift_checked)
			view_lines_addf(&v->detail, "drift not checked: no desired state found");
		for (i = 0; i < v->data->nwarnings; i++)
			view_lines_addf(&v->detail, "note: %s", v->data->warnings[i]);
	} else {
		const struct csf_module_summary *m;

		t = cur_tenant(v);
		if (!t || row >= t->nmodules) {
			view_lines_addf(&v->detail, "%s has no deployments",
			                t ? t->tenant : "the tenant");
			goto done;
		}
		m = &t->modules[row];
		view_lines_addf(&v->detail, "%s  deployment %s  image %s",
		                m->module ? m->module : m->name, m->name,
		                m->image ? m->image : "-");
		if (m->autoscaler)
			view_lines_addf(
			    &v->detail, "%s %s: min %d max %d, current %d desired %d%s%s",
			    m->autoscaler, m->autoscaler_name, m->min_replicas, m->max_replicas,
			    m->as_current, m->as_desired, m->metric_name ? ", metric " : "",
			    m->metric_name ? m->metric_name : "");
		view_lines_addf(&v->detail, "health %s%s%s", csf_health_name(m->health),
		                m->health_reason ? ": " : "",
		                m->health_reason ? m->health_reason : "");
		if (m->has_last_event)
			detail_event(v, "last scale: ", &m->last_event, NULL);
		if (!m->ndrift)
			view_lines_addf(&v->detail,
			                v->data->drift_checked
			                    ? "no drift from the desired state"
			                    : "drift not checked: no desired state found");
		for (i = 0; i < m->ndrift; i++) {
			const struct csf_drift *d = &m->drift[i];
			const char *src = d->source ? strstr(d->source, "environments/") : NULL;

			view_lines_addf(&v->detail, "drift %s/%s %s: desired %s, live %s%s%s%s",
			                d->kind, d->name, d->field, d->desired, d->live,
			                d->source ? "  [" : "",
			                src         ? src
			                : d->source ? d->source
			                            : "",
			                d->source ? "]" : "");
		}
		view_lines_addf(&v->detail, "Enter: scaling history   t: traces of %s/%s",
		                t->tenant, m->module ? m->module : m->name);
	}
done:
	view_pane_set_rows(view, app, PANE_DETAIL, v->detail.n);
	view_pane_dirty(view, PANE_DETAIL);
}

/* ---- loading ------------------------------------------------------------------------------ */

static void load(struct view *view, struct app *app);

static void
progress_text(struct view *view, struct app *app)
{
	struct tv *v = view->priv;
	char text[300];
	size_t d, t;
	unsigned long long b;

	if (!v->live.job || v->data)
		return;
	d = atomic_load(&v->live.job->done);
	t = atomic_load(&v->live.job->total);
	b = atomic_load(&v->live.job->bytes);
	snprintf(text, sizeof(text), "loading tenants: %zu/%zu requests, %llu KiB received "
		 "(Esc cancels)", d, t, b / 1024);
	set_msg(view, app, text);
	view_pane_dirty(view, PANE_LIST);
}

static void
refresh_tick(struct app *app, void *ctx)
{
	struct view *view = ctx;
	struct tv *v = view->priv;

	v->refresh_timer = 0;
	if (!view_live_busy(&v->live))
		load(view, app);
}

static void
age_tick(struct app *app, void *ctx)
{
	struct view *view = ctx;
	struct tv *v = view->priv;
	char now[32];

	age_text(v, now, sizeof(now));
	if (strcmp(now, v->age)) {
		set_titles(view);
		app->pending |= TUI_REDRAW;
	}
	v->tick_timer = tui_loop_add_timer(app, TV_TICK_MS, age_tick, view);
}

static void
show_rows(struct view *view, struct app *app)
{
	struct tv *v = view->priv;

	view_pane_set_rows(view, app, PANE_LIST, list_rows(v));
	set_titles(view);
	update_detail(view, app);
	view_dirty(view);
	app->pending |= TUI_REDRAW;
}

static void
job_ready(struct view *view, struct app *app, struct view_live_job *base)
{
	struct tv *v = view->priv;
	struct tv_job *j = (struct tv_job *)base;
	size_t i;

	if (j->result) {
		char *keep = NULL;
		const struct csf_tenant_summary *t = cur_tenant(v);

		if (t)
			keep = csf_xstrdup(t->namespace);
		csf_tenants_free(v->data);
		v->data = j->result;
		j->result = NULL;
		snprintf(v->source, sizeof(v->source), "%s", j->source);
		snprintf(v->desired, sizeof(v->desired), "%s", j->desired);
		free(v->error);
		v->error = NULL;
		v->loaded_ms = tui_now_ms();
		if (v->mode == TV_MODULES) {
			v->mode = TV_TENANTS;
			for (i = 0; keep && i < v->data->ntenants; i++)
				if (!strcmp(v->data->tenants[i].namespace, keep)) {
					v->tenant = i;
					v->mode = TV_MODULES;
				}
		}
		free(keep);
		if (v->want_tenant) {
			for (i = 0; i < v->data->ntenants; i++)
				if (!strcmp(v->data->tenants[i].tenant, v->want_tenant) ||
				    !strcmp(v->data->tenants[i].namespace, v->want_tenant)) {
					v->tenant = v->tenant_cursor = i;
					v->mode = TV_MODULES;
				}
			if (v->mode != TV_MODULES)
				tui_app_error(app, "no tenant '%s' in %s", v->want_tenant, v->source);
			free(v->want_tenant);
			v->want_tenant = NULL;
		}
	} else {
		char msg[700];

		csf_error_format(&j->err, msg, sizeof(msg));
		free(v->error);
		v->error = csf_xstrdup(msg);
		if (!v->data) {
			struct csf_buf m = CSF_BUF_INIT;

			csf_buf_addf(&m, "cannot load the tenants: %s\n\nr: try again", msg);
			set_msg(view, app, m.buf);
			csf_buf_release(&m);
		} else {
			tui_app_error(app, "refresh failed (showing the data of the last load): %s", msg);
		}
	}
	show_rows(view, app);
	v->refresh_timer = tui_loop_add_timer(app, TV_REFRESH_MS, refresh_tick, view);
}

static void
load(struct view *view, struct app *app)
{
	struct tv *v = view->priv;
	struct tv_job *j;
	const char *why;

	if (view_live_busy(&v->live))
		return;
	if (v->refresh_timer)
		tui_loop_cancel_timer(app, v->refresh_timer);
	v->refresh_timer = 0;
	j = csf_xcalloc(1, sizeof(*j));
	j->base.run = job_run;
	j->base.free = job_free;
	view_live_scope_init(&j->at, app);
	why = view_live_start(&v->live, app, &j->base, "loading tenants");
	if (why) {
		tui_app_error(app, "cannot load the tenants: %s", why);
		return;
	}
	v->cancelled = false;
	progress_text(view, app);
	set_titles(view);
}

/* ---- the view ------------------------------------------------------------------------------ */

static int
tv_open(struct view *view, struct app *app, struct csf_error *err)
{
	struct tv *v = view->priv;

	(void)err;
	view->npanes = 2;
	view->pane[PANE_LIST].flags = VIEW_PANE_CURSOR | VIEW_PANE_NARROW | VIEW_PANE_HEADER;
	view->pane[PANE_DETAIL].flags = VIEW_PANE_HEADER;
	csf_buf_init(&v->msg, 0);
	view_lines_init(&v->detail);
	if (view->arg && *view->arg)
		v->want_tenant = csf_xstrdup(view->arg);
	v->live.view = view;
	v->live.progress_ms = TV_PROGRESS_MS;
	v->live.progress = progress_text;
	v->live.ready = job_ready;
	set_msg(view, app, "loading tenants");
	set_titles(view);
	load(view, app);
	v->tick_timer = tui_loop_add_timer(app, TV_TICK_MS, age_tick, view);
	return 0;
}

static void
tv_close(struct view *view)
{
	struct tv *v = view->priv;
	struct app *app = tui_app_get();

	view_live_stop(&v->live, app);
	if (v->refresh_timer)
		tui_loop_cancel_timer(app, v->refresh_timer);
	if (v->tick_timer)
		tui_loop_cancel_timer(app, v->tick_timer);
	csf_tenants_free(v->data);
	free(v->error);
	free(v->want_tenant);
	csf_buf_release(&v->msg);
	view_lines_release(&v->detail);
}

static void
tv_layout(struct view *view, struct app *app)
{
	(void)app;
	view_layout_stack(view, PANE_LIST, PANE_DETAIL, 3, 5);
}

static void
draw_tenant(struct tv *v, struct tui_line *l, const struct csf_tenant_summary *t)
{
	char tmp[64];

	tui_line_addstr(l, t->ndrift ? THEME_LINT_WARNING : THEME_DEFAULT, t->ndrift ? "*" : " ");
	tui_line_addstr(l, THEME_LIST_ITEM, t->tenant);
	tui_line_pad_to(l, THEME_DEFAULT, 20);
	tui_line_addstr(l, THEME_DEFAULT, t->edition ? t->edition : "-");
	tui_line_pad_to(l, THEME_DEFAULT, 31);
	tui_line_addf(l, THEME_DEFAULT, "%4zu ", t->nmodules);
	snprintf(tmp, sizeof(tmp), "%d/%d", t->ready, t->desired);
	tui_line_addf(l, t->ready < t->desired ? THEME_LINT_WARNING : THEME_DEFAULT, "%-7s ", tmp);
	tui_line_addstr(l, THEME_DEFAULT, tenant_version(t));
	tui_line_pad_to(l, THEME_DEFAULT, 54);
	tui_line_addstr(l, health_slot(t->health), csf_health_name(t->health));
	tui_line_pad_to(l, THEME_DEFAULT, 63);
	if (v->data->drift_checked)
		tui_line_addf(l, t->ndrift ? THEME_LINT_WARNING : THEME_LIST_DIM, "%5zu  ", t->ndrift);
	else
		tui_line_addstr(l, THEME_LIST_DIM, "    -  ");
	if (t->error) {
		tui_line_addstr(l, THEME_LINT_ERROR, "error: ");
		tui_line_addstr(l, THEME_LINT_ERROR, t->error);
	} else if (t->has_last_event) {
		short_time(t->last_event.last, tmp, sizeof(tmp));
		tui_line_addf(l, THEME_LIST_DIM, "%s ", tmp);
		tui_line_addstr(l, THEME_DEFAULT, t->last_event_module ? t->last_event_module : "");
		tui_line_addstr(l, THEME_DEFAULT, " ");
		tui_line_addstr(l, failed_event(&t->last_event) ? THEME_LINT_ERROR : THEME_DEFAULT,
				t->last_event.reason);
		if (t->last_event.new_size >= 0)
			tui_line_addf(l, THEME_DEFAULT, " -> %d", t->last_event.new_size);
	} else {
		tui_line_addstr(l, THEME_LIST_DIM, "-");
	}
}

static void
draw_module(struct tv *v, struct tui_line *l, const struct csf_module_summary *m)
{
	char tmp[64];

	tui_line_addstr(l, m->ndrift ? THEME_LINT_WARNING : THEME_DEFAULT, m->ndrift ? "*" : " ");
	tui_line_addstr(l, m->missing ? THEME_LIST_DIM : THEME_LIST_ITEM, m->module ? m->module : m->name);
	tui_line_pad_to(l, THEME_DEFAULT, 24);
	tui_line_addstr(l, THEME_DEFAULT, m->version ? m->version : "-");
	tui_line_pad_to(l, THEME_DEFAULT, 34);
	snprintf(tmp, sizeof(tmp), "%d/%d", m->ready, m->desired);
	tui_line_addstr(l, m->ready < m->desired ? THEME_LINT_WARNING : THEME_DEFAULT, tmp);
	tui_line_pad_to(l, THEME_DEFAULT, 42);
	if (m->autoscaler)
		tui_line_addf(l, THEME_DEFAULT, "%s %d..%d", m->autoscaler, m->min_replicas,
			      m->max_replicas);
	else
		tui_line_addstr(l, THEME_LIST_DIM, "-");
	tui_line_pad_to(l, THEME_DEFAULT, 57);
	if (m->metric_name && m->has_metric_current)
		tui_line_addf(l, THEME_DEFAULT, "%g/%g", m->metric_current, m->metric_target);
	else if (m->metric_name)
		tui_line_addf(l, THEME_DEFAULT, "?/%g", m->metric_target);
	else
		tui_line_addstr(l, THEME_LIST_DIM, "-");
	tui_line_pad_to(l, THEME_DEFAULT, 74);
	tui_line_addstr(l, health_slot(m->health), m->missing ? "missing" : csf_health_name(m->health));
	tui_line_pad_to(l, THEME_DEFAULT, 83);
	if (v->data->drift_checked)
		tui_line_addf(l, m->ndrift ? THEME_LINT_WARNING : THEME_LIST_DIM, "%5zu  ", m->ndrift);
	else
		tui_line_addstr(l, THEME_LIST_DIM, "    -  ");
	if (m->has_last_event) {
		short_time(m->last_event.last, tmp, sizeof(tmp));
		tui_line_addf(l, THEME_LIST_DIM, "%s ", tmp);
		tui_line_addstr(l, failed_event(&m->last_event) ? THEME_LINT_ERROR : THEME_DEFAULT,
				m->last_event.reason);
		if (m->last_event.new_size >= 0)
			tui_line_addf(l, THEME_DEFAULT, " -> %d", m->last_event.new_size);
	} else {
		tui_line_addstr(l, THEME_LIST_DIM, "-");
	}
}

static void
line_of(const struct csf_buf *b, size_t lineno, const char **s, size_t *n)
{
	const char *p = b->buf, *end = b->buf + b->len, *nl;

	while (lineno-- && p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	nl = memchr(p, '\n', (size_t)(end - p));
	*s = p;
	*n = nl ? (size_t)(nl - p) : (size_t)(end - p);
}

static void
tv_draw_line(struct view *view, struct app *app, unsigned pane, struct tui_line *l, size_t lineno)
{
	struct tv *v = view->priv;
	const struct csf_tenant_summary *t;
	const char *s;
	size_t n;

	(void)app;
	if (pane == PANE_DETAIL) {
		s = view_lines_get(&v->detail, lineno, &n);
		if (!s)
			return;
		if (n && s[n - 1] == '\n')
			n--;
		tui_line_add(l, !strncmp(s, "drift", 5) ? THEME_LINT_WARNING :
			     !strncmp(s, "error", 5) ? THEME_LINT_ERROR :
			     !strncmp(s, "last scale", 10) || !strncmp(s, "note", 4) ? THEME_LIST_DIM :
			     THEME_DEFAULT, s, n);
		return;
	}
	if (!v->data) {
		line_of(&v->msg, lineno, &s, &n);
		tui_line_add(l, v->error ? THEME_LINT_ERROR : THEME_LIST_DIM, s, n);
		return;
	}
	if (v->mode == TV_TENANTS) {
		if (lineno < v->data->ntenants)
			draw_tenant(v, l, &v->data->tenants[lineno]);
		return;
	}
	t = cur_tenant(v);
	if (t && lineno < t->nmodules)
		draw_module(v, l, &t->modules[lineno]);
}

static void
open_traces(struct view *view, struct app *app)
{
	struct tv *v = view->priv;
	const struct csf_tenant_summary *t;
	struct csf_buf arg = CSF_BUF_INIT;
	size_t row = view->pane[PANE_LIST].cursor;

	if (!v->data) {
		tui_app_message(app, "no tenants loaded yet");
		return;
	}
	if (v->mode == TV_TENANTS) {
		if (row >= v->data->ntenants)
			return;
		t = &v->data->tenants[row];
		csf_buf_addf(&arg, "tenantId=%s", t->tenant);
	} else {
		const struct csf_module_summary *m;

		t = cur_tenant(v);
		if (!t || row >= t->nmodules)
			return;
		m = &t->modules[row];
		csf_buf_addf(&arg, "tenantId=%s moduleId=%s", t->tenant, m->module ? m->module : m->name);
	}
	tui_app_open_view(app, "traces", arg.buf);
	csf_buf_release(&arg);
}

static enum request
tv_handle(struct view *view, struct app *app, enum request req)
{
	struct tv *v = view->priv;
	size_t row = view->pane[PANE_LIST].cursor;

	switch (req) {
	case REQ_ENTER:
		if (view->focus != PANE_LIST || !v->data)
			return REQ_NONE;
		if (v->mode == TV_TENANTS) {
			if (row >= v->data->ntenants)
				return REQ_NONE;
			v->tenant = row;
			v->tenant_cursor = row;
			v->mode = TV_MODULES;
			view_set_pattern(view, app, NULL, NULL);
			show_rows(view, app);
			view_pane_goto(view, app, PANE_LIST, 0);
		} else {
			const struct csf_tenant_summary *t = cur_tenant(v);
			struct csf_buf arg = CSF_BUF_INIT;

			if (!t || row >= t->nmodules)
				return REQ_NONE;
			csf_buf_addf(&arg, "%s/%s", t->tenant, t->modules[row].module ?
				     t->modules[row].module : t->modules[row].name);
			tui_app_open_view(app, "scaling", arg.buf);
			csf_buf_release(&arg);
		}
		return REQ_NONE;
	case REQ_VIEW_BACK:
		if (view_live_busy(&v->live) && !v->data) {
			view_live_stop(&v->live, app);
			set_msg(view, app, "loading cancelled\n\nr: load again");
			show_rows(view, app);
			tui_app_message(app, "loading the tenants was cancelled");
			return REQ_NONE;
		}
		if (view_search_active(view))
			return req;
		if (v->mode == TV_MODULES) {
			v->mode = TV_TENANTS;
			show_rows(view, app);
			view_pane_goto(view, app, PANE_LIST, v->tenant_cursor);
			return REQ_NONE;
		}
		if (view_live_busy(&v->live)) {
			view_live_stop(&v->live, app);
			set_titles(view);
			tui_app_message(app, "refresh cancelled");
			v->refresh_timer = tui_loop_add_timer(app, TV_REFRESH_MS, refresh_tick, view);
			return REQ_NONE;
		}
		return req;
	case REQ_CLUSTER_REFRESH:
		if (view_live_busy(&v->live))
			tui_app_message(app, "already loading");
		else
			load(view, app);
		return REQ_NONE;
	case REQ_VIEW_TRACES:
		open_traces(view, app);
		return REQ_NONE;
	default:
		return req;
	}
}

static void
tv_select(struct view *view, struct app *app, unsigned pane, size_t lineno)
{
	(void)lineno;
	if (pane == PANE_LIST)
		update_detail(view, app);
}

static bool
tv_grep(struct view *view, struct app *app, unsigned pane, size_t lineno, const regex_t *re)
{
	struct tv *v = view->priv;
	struct csf_buf b = CSF_BUF_INIT;
	const struct csf_tenant_summary *t;
	bool hit;
	size_t i;

	(void)app;
	if (pane != PANE_LIST || !v->data)
		return false;
	if (v->mode == TV_TENANTS) {
		if (lineno >= v->data->ntenants)
			return false;
		t = &v->data->tenants[lineno];
		csf_buf_addf(&b, "%s %s %s %s %s %s", t->tenant, t->namespace,
			     t->edition ? t->edition : "", t->provider ? t->provider : "",
			     csf_health_name(t->health), t->ndrift ? "drift" : "");
		for (i = 0; i < t->nmodules; i++)
			csf_buf_addf(&b, " %s %s", t->modules[i].module ? t->modules[i].module :
				     t->modules[i].name, t->modules[i].version ? t->modules[i].version : "");
	} else {
		const struct csf_module_summary *m;

		t = cur_tenant(v);
		if (!t || lineno >= t->nmodules)
			return false;
		m = &t->modules[lineno];
		csf_buf_addf(&b, "%s %s %s %s %s", m->module ? m->module : "", m->name,
			     m->version ? m->version : "", csf_health_name(m->health),
			     m->ndrift ? "drift" : "");
	}
	hit = regexec(re, b.buf, 0, NULL, 0) == 0;
	csf_buf_release(&b);
	return hit;
}

static void
tv_set_arg(struct view *view, struct app *app, const char *arg)
{
	struct tv *v = view->priv;
	size_t i;

	if (!arg || !*arg) {
		if (v->mode == TV_MODULES) {
			v->mode = TV_TENANTS;
			show_rows(view, app);
		}
		return;
	}
	if (!v->data) {
		free(v->want_tenant);
		v->want_tenant = csf_xstrdup(arg);
		return;
	}
	for (i = 0; i < v->data->ntenants; i++)
		if (!strcmp(v->data->tenants[i].tenant, arg) ||
		    !strcmp(v->data->tenants[i].namespace, arg)) {
			v->tenant = v->tenant_cursor = i;
			v->mode = TV_MODULES;
			view_set_pattern(view, app, NULL, NULL);
			show_rows(view, app);
			view_pane_goto(view, app, PANE_LIST, 0);
			return;
		}
	tui_app_error(app, "no tenant '%s' in %s", arg, v->source);
}

const struct view_ops view_tenants_ops = {
	.name = "tenants",
	.help = "live tenants: modules, replicas, versions, health, drift; drill into scaling "
		"and traces",
	.flags = VIEW_NO_FLAGS,
	.private_size = sizeof(struct tv),
	.open_request = REQ_VIEW_TENANTS,
	.complete = VIEW_COMPLETE_TENANT,
	.open = tv_open,
	.close = tv_close,
	.layout = tv_layout,
	.draw_line = tv_draw_line,
	.handle = tv_handle,
	.select = tv_select,
	.grep = tv_grep,
	.set_arg = tv_set_arg,
};
