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
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/fsutil.h"
#include "core/http.h"
#include "core/k8s.h"
#include "core/trace.h"
#include "core/trace_source.h"
#include "core/xalloc.h"
#include "core/yaml_model.h"
#include "tui/app.h"
#include "tui/cmdline.h"
#include "views/live.h"
#include "views/view.h"

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
	struct csf_buf detail;
	size_t *doff;
	size_t ndoff, doff_alloc;
};

/* ==== the worker ============================================================================= */

static void
job_free(struct view_live_job *base)
{
	struct trv_job *j = (struct trv_job *)base;

	csf_trace_set_free(j->set);
	free(j->spec);
	free(j->id);
	free(j->service);
	free(j->operation);
	free(j->tags);
	free(j);
}

struct http_wait {
	struct trv_job *job;
	bool done;
	struct csf_http_response resp;
};

static void
http_done(void *ctx, unsigned long id, struct csf_http_response *resp)
{
	struct http_wait *w = ctx;

	(void)id;
	w->done = true;
	w->resp.status = resp->status;
	snprintf(w->resp.content_type, sizeof(w->resp.content_type), "%s", resp->content_type);
	w->resp.err = resp->err;
	csf_buf_reset(&w->resp.body);
	csf_buf_add(&w->resp.body, resp->body.buf ? resp->body.buf : "", resp->body.len);
}

static void
http_progress(void *ctx, unsigned long id, size_t received, size_t total)
{
	struct http_wait *w = ctx;

	(void)id;
	(void)total;
	atomic_store(&w->job->base.bytes, (unsigned long long)received);
}

/* The transport of the worker: a GET on its own curl multi that gives up when the view
 * cancels. */
static enum csf_status
job_get(void *ctx, const char *url, const char *accept, long *status, struct csf_buf *content_type,
	struct csf_buf *body, struct csf_error *err)
{
	struct trv_job *j = ctx;
	struct csf_http *h = csf_http_new(err);
	struct csf_http_opts o;
	struct http_wait w;
	unsigned long id;

	if (!h)
		return err->code;
	memset(&o, 0, sizeof(o));
	o.accept = accept;
	memset(&w, 0, sizeof(w));
	w.job = j;
	csf_http_response_init(&w.resp);
	id = csf_http_submit(h, url, &o, http_done, http_progress, &w, err);
	if (!id) {
		csf_http_free(h);
		csf_http_response_release(&w.resp);
		return err->code;
	}
	while (!w.done && !atomic_load(&j->base.cancel))
		csf_http_wait(h, 50);
	if (!w.done)
		csf_http_cancel(h, id);
	csf_http_free(h);
	*status = w.resp.status;
	csf_buf_reset(content_type);
	csf_buf_addstr(content_type, w.resp.content_type);
	csf_buf_reset(body);
	csf_buf_add(body, w.resp.body.buf ? w.resp.body.buf : "", w.resp.body.len);
	*err = w.resp.err;
	csf_http_response_release(&w.resp);
	return err->code;
}

static void
job_run(struct view_live_job *base)
{
	struct trv_job *j = (struct trv_job *)base;
	struct csf_trace_transport tr = { job_get, j };
	struct csf_trace_source *src = NULL;
	size_t i;

	j->set = csf_trace_set_new();
	if (csf_trace_source_open(j->spec, &tr, &src, &j->err))
		goto out;
	if (j->search)
		j->ok = src->ops->search(src, &j->q, j->set, &j->err) == CSF_E_OK;
	else
		j->ok = src->ops->fetch(src, j->id, j->set, &j->err) == CSF_E_OK;
	/* the critical path of every trace here, so opening a big one costs the loop nothing */
	for (i = 0; j->ok && i < j->set->ntraces && !atomic_load(&j->base.cancel); i++)
		csf_trace_critical_path(&j->set->traces[i]);
out:
	csf_trace_source_close(src);
}

/* ==== helpers ================================================================================ */

static char *
default_source(struct app *app)
{
	const char *ws = app->ws_dir;
	char *spec = NULL, *cfg, *cand;
	struct csf_yaml_doc *doc = NULL;
	char exe[4096];
	ssize_t n;

	if (ws) {
		cfg = csf_path_join(ws, "csf.yaml");
		if (csf_is_file(cfg) && csf_yaml_load_file(cfg, NULL, &doc, NULL) == CSF_E_OK) {
			const struct csf_node *tr = csf_node_path(doc->root, "cluster.traces");
			const char *kind = csf_node_text(csf_node_get(tr, "kind"));
			const char *url = csf_node_text(csf_node_get(tr, "url"));
			const char *path = csf_node_text(csf_node_get(tr, "path"));
			struct csf_buf b = CSF_BUF_INIT;

			if (kind && url && strcmp(kind, "file")) {
				csf_buf_addf(&b, "%s:%s", kind, url);
				spec = csf_buf_detach(&b, NULL);
			} else if (kind && !strcmp(kind, "file") && (path || url)) {
				const char *p = path ? path : url;
				char *abs = p[0] == '/' ? csf_xstrdup(p) : csf_path_join(ws, p);

				csf_buf_addf(&b, "file:%s", abs);
				free(abs);
				spec = csf_buf_detach(&b, NULL);
			}
			csf_yaml_doc_free(doc);
		}
		free(cfg);
		if (!spec) {
			cand = csf_path_join(ws, "traces");
			if (csf_is_dir(cand))
				spec = cand;
			else
				free(cand);
		}
	}
	if (spec)
		return spec;
	if (csf_is_dir("samples/traces"))
		return csf_xstrdup("samples/traces");
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		cand = csf_path_join(exe, "../samples/traces");
		if (csf_is_dir(cand))
			return cand;
		free(cand);
		cand = csf_path_join(exe, "../share/csf-tui/samples/traces");
		if (csf_is_dir(cand))
			return cand;
		free(cand);
	}
	return csf_xstrdup("samples/traces");
}

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
		csf_buf_addstr(&b, v->spec);
	snprintf(v->label, sizeof(v->label), "%s", b.buf);
	csf_buf_release(&b);
}

static void
detail_line(struct trv *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
detail_line(struct trv *v, const char *fmt, ...)
{
	va_list ap;

	CSF_GROW(v->doff, v->doff_alloc, v->ndoff + 1);
	v->doff[v->ndoff++] = v->detail.len;
	va_start(ap, fmt);
	csf_buf_vaddf(&v->detail, fmt, ap);
	va_end(ap);
	csf_buf_addch(&v->detail, '\n');
}

static const char *
dur(struct app *app, int64_t ns, char out[32])
{
	return csf_duration_str(ns, !app->draw.utf8, out);
}

/* "18:42:07" of Unix nanoseconds (UTC). */
static const char *
clock_str(int64_t ns, char out[32])
{
	time_t s = (time_t)(ns / 1000000000);
	struct tm tm;

	if (!ns || !gmtime_r(&s, &tm))
		return "--:--:--";
	strftime(out, 32, "%m-%d %H:%M:%S", &tm);
	return out;
}

static struct csf_trace *
list_trace(struct trv *v, size_t row)
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

/* ==== the tree =============================================================================== */

static void
build_rows(struct trv *v)
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
static size_t
row_of(const struct trv *v, uint32_t i)
{
	size_t r;

	for (r = 0; r < v->nrows; r++)
		if (v->rows[r] == i)
			return r;
	return SIZE_MAX;
}

static void
apply_filter(struct trv *v)
{
	if (!v->t)
		return;
	/* HIDDEN flags (the dearer pass) only in hide mode; build_rows reads them only then */
	v->nmatch = csf_trace_filter_apply(&v->filter, v->tset, v->t, v->hide);
}

static const struct csf_span *
cur_span(struct view *view)
{
	struct trv *v = view->priv;
	size_t r = view->pane[PANE_MAIN].cursor;

	if (v->mode != TRV_TREE || !v->t || r >= v->nrows)
		return NULL;
	return &v->t->spans[v->rows[r]];
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

static void
detail_attrs(struct trv *v, const struct csf_trace_set *set, uint32_t first, uint32_t n,
	     const char *indent)
{
	uint32_t k;

	for (k = 0; k < n; k++)
		detail_line(v, "%s%s = %s", indent, set->attrs[first + k].key, set->attrs[first + k].value);
}

static void
span_detail(struct view *view, struct app *app)
{
	struct trv *v = view->priv;
	const struct csf_span *s = cur_span(view);
	const struct csf_trace_set *set = v->tset;
	char a[17], b[17], d1[32], d2[32], d3[32];
	uint32_t k;

	if (!s)
		return;
	detail_line(v, "%s: %s", s->service, s->name);
	detail_line(v, "span %s  parent %s  kind %s  status %s%s%s", csf_span_id_hex(s->id, a),
		    s->parent_id ? csf_span_id_hex(s->parent_id, b) : "-",
		    csf_span_kind_name(s->kind), csf_span_status_name(s->status),
		    s->status_msg[0] ? ": " : "", s->status_msg);
	detail_line(v, "start +%s  duration %s  self %s  depth %u  children %u%s%s%s%s",
		    dur(app, s->start_ns - v->t->start_ns, d1), dur(app, s->dur_ns, d2),
		    dur(app, s->self_ns, d3), s->depth, s->nkid,
		    s->flags & CSF_SPAN_F_CRITICAL ? "  critical path" : "",
		    s->flags & CSF_SPAN_F_ORPHAN ? "  orphan (parent not in the trace)" : "",
		    s->flags & CSF_SPAN_F_DUPLICATE ? "  duplicate id" : "",
		    s->flags & CSF_SPAN_F_NO_TIME ? "  incomplete (no time)" : "");
	if (s->nattr) {
		detail_line(v, "attributes:");
		detail_attrs(v, set, s->attr, s->nattr, "  ");
	}
	if (s->resource != CSF_SPAN_NONE && s->resource < set->nresources) {
		const struct csf_trace_resource *r = &set->resources[s->resource];

		detail_line(v, "resource: %s", r->service);
		detail_attrs(v, set, r->attr, r->nattr, "  ");
	}
	if (s->nevent) {
		detail_line(v, "events:");
		for (k = 0; k < s->nevent; k++) {
			const struct csf_trace_event *e = &set->events[s->event + k];

			detail_line(v, "  +%s %s", dur(app, e->time_ns - v->t->start_ns, d1), e->name);
			detail_attrs(v, set, e->attr, e->nattr, "      ");
		}
	}
}

static void
update_detail(struct view *view, struct app *app)
{
	struct trv *v = view->priv;
	size_t r = view->pane[PANE_MAIN].cursor;
	char id[33], d[32];

	csf_buf_reset(&v->detail);
	v->ndoff = 0;
	if (v->mode == TRV_TREE) {
		span_detail(view, app);
	} else if (v->mode == TRV_COMPARE && r < v->diff.n) {
		const struct csf_trace_diff_entry *e = &v->diff.e[r];
		const struct csf_span *sa = e->a != CSF_SPAN_NONE ? &v->ca->spans[e->a] : NULL;
		const struct csf_span *sb = e->b != CSF_SPAN_NONE ? &v->cb->spans[e->b] : NULL;
		const struct csf_span *s = sb ? sb : sa;
		char d2[32];

		detail_line(v, "%s: %s", s->service, s->name);
		detail_line(v, "A %s   B %s", sa ? dur(app, sa->dur_ns, d) : "-",
			    sb ? dur(app, sb->dur_ns, d2) : "-");
		detail_line(v, "A self %s   B self %s", sa ? dur(app, sa->self_ns, d) : "-",
			    sb ? dur(app, sb->self_ns, d2) : "-");
	} else if (v->mode == TRV_LIST && v->set && r < v->nlrows) {
		struct csf_trace_summary sm;

		if (v->lrows[r].summary)
			sm = v->set->summaries[v->lrows[r].i];
		else
			csf_trace_summarize(&v->set->traces[v->lrows[r].i], &sm);
		detail_line(v, "trace %s%s", csf_trace_id_hex(sm.id, id),
			    v->marked && !memcmp(sm.id, v->mark_id, 16) ? "  (marked for compare)" : "");
		detail_line(v, "%s: %s", sm.root_service, sm.root_name);
		if (v->lrows[r].summary && !sm.nspans)
			detail_line(v, "duration %s  (a search summary: Enter fetches the spans)",
				    dur(app, sm.dur_ns, d));
		else
			detail_line(v, "duration %s  spans %u  errors %u", dur(app, sm.dur_ns, d),
				    sm.nspans, sm.nerrors);
		detail_line(v, "Enter: open   m: mark   C: compare with the marked trace");
	}
	view_pane_set_rows(view, app, PANE_DETAIL, v->ndoff);
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

static void
main_rows(struct view *view, struct app *app)
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
	update_detail(view, app);
	view_dirty(view);
	app->pending |= TUI_REDRAW;
}

static void
close_tree(struct trv *v)
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
static void
open_tree(struct view *view, struct app *app, struct csf_trace_set *set, struct csf_trace *t)
{
	struct trv *v = view->priv;
	size_t k;

	if (v->tset != set)
		close_tree(v);
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
		apply_filter(v);
	build_rows(v);
	v->mode = TRV_TREE;
	view_set_pattern(view, app, NULL, NULL);
	main_rows(view, app);
	view_pane_goto(view, app, PANE_MAIN, 0);
}

/* ==== loading ================================================================================ */

static void
progress_text(struct view *view)
{
	struct trv *v = view->priv;
	struct trv_job *j = (struct trv_job *)v->live.job;

	if (!j)
		return;
	snprintf(v->progress, sizeof(v->progress), "%s %s: %.1f s, %llu KiB (Esc cancels)",
		 j->search ? "searching" : "fetching trace", j->search ? j->spec : j->id,
		 (double)(tui_now_ms() - j->t0_ms) / 1000.0,
		 (unsigned long long)atomic_load(&j->base.bytes) / 1024);
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
		csf_error_format(&j->err, msg, sizeof(msg));
		if (j->search) {
			free(v->error);
			v->error = csf_xstrdup(msg);
			v->mode = TRV_LIST;
			main_rows(view, app);
		} else {
			tui_app_error(app, "cannot fetch trace %s: %s", j->id, msg);
			main_rows(view, app);
		}
		return;
	}
	if (j->search) {
		close_tree(v);
		csf_trace_set_free(v->set);
		v->set = j->set;
		j->set = NULL;
		free(v->error);
		v->error = NULL;
		build_list(v);
		v->mode = TRV_LIST;
		main_rows(view, app);
		view_pane_goto(view, app, PANE_MAIN, 0);
		if (v->want_id) {
			struct csf_trace *t = csf_trace_set_find(v->set, v->want_id);

			if (t) {
				v->from_list = false;
				open_tree(view, app, v->set, t);
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
			open_tree(view, app, set, t);
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
	j->base.run = job_run;
	j->base.free = job_free;
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
	main_rows(view, app);
}

/* ==== the query ============================================================================== */

static bool
is_trace_id(const char *s)
{
	size_t n = strlen(s);

	return (n == 16 || n == 32) && strspn(s, "0123456789abcdefABCDEF") == n;
}

static void
query_reset(struct trv *v)
{
	free(v->service);
	free(v->operation);
	free(v->want_id);
	v->service = v->operation = v->want_id = NULL;
	csf_buf_reset(&v->tags);
	v->min_ns = v->max_ns = v->lookback_ns = 0;
	v->start_us = v->end_us = 0;
	v->limit = 0;
	csf_trace_filter_release(&v->filter);
	v->filter = (struct csf_trace_filter)CSF_TRACE_FILTER_INIT;
	csf_buf_reset(&v->filter_text);
}

/* "2d", "1w": days and weeks, which csf_duration_parse does not take. */
static bool
duration_days(const char *s, int64_t *ns)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || !(v > 0) || v > 3650 || (strcmp(end, "d") && strcmp(end, "w")))
		return false;
	*ns = (int64_t)(v * (*end == 'w' ? 7 : 1) * 86400.0 * 1e9);
	return true;
}

/* Parses a query (see the top of the file). Returns 0, or -1 with a message in err. */
static int
parse_query(struct view *view, struct app *app, const char *text, char *err, size_t errn)
{
	struct trv *v = view->priv;
	char *copy = csf_xstrdup(text ? text : ""), *tok, *save = NULL;
	struct csf_error e = CSF_ERROR_INIT;
	int rc = 0;

	query_reset(v);
	for (tok = strtok_r(copy, " \t", &save); tok && !rc; tok = strtok_r(NULL, " \t", &save)) {
		const char *val = strchr(tok, '=') ? strchr(tok, '=') + 1 : NULL;
		size_t klen = val ? (size_t)(val - 1 - tok) : 0;

#define KEY(k) (val && klen == strlen(k) && !strncmp(tok, k, klen))
		if (!strncmp(tok, "file:", 5) || !strncmp(tok, "jaeger:", 7) ||
		    !strncmp(tok, "tempo:", 6) || !strncmp(tok, "zipkin:", 7)) {
			free(v->spec);
			v->spec = csf_xstrdup(tok);
		} else if (KEY("source")) {
			free(v->spec);
			v->spec = csf_xstrdup(val);
		} else if (KEY("service")) {
			free(v->service);
			v->service = csf_xstrdup(val);
		} else if (KEY("operation")) {
			free(v->operation);
			v->operation = csf_xstrdup(val);
		} else if (KEY("trace")) {
			free(v->want_id);
			v->want_id = csf_xstrdup(val);
		} else if (KEY("min") || KEY("max") || KEY("lookback")) {
			int64_t ns;

			if (!duration_days(val, &ns) && !csf_duration_parse(val, &ns)) {
				snprintf(err, errn, "%.*s takes a duration like 100ms or 1h, not '%s'",
					 (int)klen, tok, val);
				rc = -1;
			} else {
				*(KEY("min") ? &v->min_ns : KEY("max") ? &v->max_ns : &v->lookback_ns) = ns;
			}
		} else if (KEY("start") || KEY("end")) {
			int64_t t;

			if (!csf_k8s_time(val, &t)) {
				snprintf(err, errn, "%.*s takes a time like 2026-11-26T18:00:00Z, not '%s'",
					 (int)klen, tok, val);
				rc = -1;
			} else {
				*(KEY("start") ? &v->start_us : &v->end_us) = t * 1000000;
			}
		} else if (KEY("limit")) {
			char *end;
			long l = strtol(val, &end, 10);

			if (*end || l <= 0 || l > 100000) {
				snprintf(err, errn, "limit takes a number from 1 to 100000");
				rc = -1;
			} else {
				v->limit = (unsigned)l;
			}
		} else if (is_trace_id(tok)) {
			free(v->want_id);
			v->want_id = csf_xstrdup(tok);
		} else if (csf_trace_filter_add(&v->filter, tok, &e) == CSF_E_OK) {
			const struct csf_filter_cond *c = &v->filter.conds[v->filter.n - 1];

			if (c->field == CSF_FF_ATTR && c->op == CSF_FOP_EQ && !strpbrk(c->value, "\" "))
				csf_buf_addf(&v->tags, "%s%s=%s", v->tags.len ? " " : "", c->key, c->value);
			csf_buf_addf(&v->filter_text, "%s%s", v->filter_text.len ? " " : "", tok);
		} else {
			csf_error_format(&e, err, errn);
			rc = -1;
		}
#undef KEY
	}
	(void)app;
	free(copy);
	return rc;
}

static void
search(struct view *view, struct app *app, const char *query)
{
	char err[400];

	if (parse_query(view, app, query, err, sizeof(err))) {
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
		s = cur_span(view);
		if (s)
			keep = (uint32_t)(s - v->t->spans);
		apply_filter(v);
		build_rows(v);
		main_rows(view, app);
		if (keep != CSF_SPAN_NONE && row_of(v, keep) != SIZE_MAX)
			view_pane_goto(view, app, PANE_MAIN, row_of(v, keep));
		tui_app_message(app, "%zu span%s match%s", v->nmatch, v->nmatch == 1 ? "" : "s",
				v->nmatch == 1 ? "es" : "");
	} else if (v->mode == TRV_LIST) {
		build_list(v);
		main_rows(view, app);
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
	csf_buf_init(&v->detail, 0);
	v->live.view = view;
	v->live.progress_ms = TRV_PROGRESS_MS;
	v->live.progress = progress_tick;
	v->live.ready = job_ready;
	v->filter = (struct csf_trace_filter)CSF_TRACE_FILTER_INIT;
	v->diff = (struct csf_trace_diff)CSF_TRACE_DIFF_INIT;
	v->spec = default_source(app);
	if (parse_query(view, app, view->arg, msg, sizeof(msg))) {
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
	close_tree(v);
	if (v->mark_set && v->mark_set != v->set)
		csf_trace_set_free(v->mark_set);
	csf_trace_set_free(v->set);
	free(v->lrows);
	query_reset(v);
	free(v->spec);
	free(v->error);
	csf_buf_release(&v->tags);
	csf_buf_release(&v->filter_text);
	csf_buf_release(&v->detail);
	csf_trace_diff_release(&v->diff);
	free(v->doff);
}

static void
trv_layout(struct view *view, struct app *app)
{
	struct view_pane *pn = view->pane;
	int top = view->h * 2 / 3;

	(void)app;
	if (top < 4)
		top = view->h > 4 ? view->h - 2 : view->h;
	pn[PANE_MAIN].y = view->y;
	pn[PANE_MAIN].x = view->x;
	pn[PANE_MAIN].h = top;
	pn[PANE_MAIN].w = view->w;
	pn[PANE_DETAIL].y = view->y + top;
	pn[PANE_DETAIL].x = view->x;
	pn[PANE_DETAIL].h = view->h - top;
	pn[PANE_DETAIL].w = view->w;
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

static void
draw_span(struct view *view, struct app *app, struct tui_line *l, size_t lineno)
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
	tui_line_addf(l, dim ? THEME_LIST_DIM : THEME_DEFAULT, "%8s ", dur(app, s->dur_ns, d1));
	tui_line_addf(l, THEME_LIST_DIM, "%8s ", dur(app, s->self_ns, d2));
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
	tui_line_addf(l, THEME_LIST_DIM, "%s ", clock_str(sm.start_ns, ts));
	tui_line_addf(l, THEME_DEFAULT, "%9s ", dur(app, sm.dur_ns, d));
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
draw_diff_row(struct view *view, struct app *app, struct tui_line *l, size_t lineno)
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
	tui_line_addf(l, THEME_DEFAULT, "%9s ", sa ? dur(app, sa->dur_ns, d1) : "-");
	tui_line_addf(l, THEME_DEFAULT, "%9s ", sb ? dur(app, sb->dur_ns, d2) : "-");
	if (sa && sb)
		tui_line_addf(l, slots[e->kind], "%s%9s ", e->delta_ns < 0 ? "-" : "+",
			      dur(app, e->delta_ns < 0 ? -e->delta_ns : e->delta_ns, d3));
	else
		tui_line_addstr(l, THEME_DEFAULT, "          ");
	tui_line_addf(l, THEME_DEFAULT, "%*s", (int)ind * 2 + 1, "");
	tui_line_addstr(l, THEME_LIST_SECTION, s->service);
	tui_line_addstr(l, THEME_DEFAULT, ": ");
	tui_line_addstr(l, THEME_LIST_ITEM, s->name);
}

static void
trv_draw_line(struct view *view, struct app *app, unsigned pane, struct tui_line *l, size_t lineno)
{
	struct trv *v = view->priv;

	if (pane == PANE_DETAIL) {
		const char *s;
		size_t n;

		if (lineno >= v->ndoff)
			return;
		s = v->detail.buf + v->doff[lineno];
		n = (lineno + 1 < v->ndoff ? v->doff[lineno + 1] : v->detail.len) - v->doff[lineno];
		if (n && s[n - 1] == '\n')
			n--;
		tui_line_add(l, n && s[0] != ' ' && memchr(s, ':', n) && s[n - 1] == ':' ?
			     THEME_LIST_SECTION : THEME_DEFAULT, s, n);
		return;
	}
	if (v->mode == TRV_TREE) {
		if (v->t && lineno < v->nrows)
			draw_span(view, app, l, lineno);
		return;
	}
	if (v->mode == TRV_COMPARE) {
		if (lineno < v->diff.n)
			draw_diff_row(view, app, l, lineno);
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
	t = list_trace(v, row);
	if (t) {
		v->from_list = true;
		open_tree(view, app, v->set, t);
		return;
	}
	start_job(view, app, false, csf_trace_id_hex(v->set->summaries[v->lrows[row].i].id, id));
}

static void
toggle_fold(struct view *view, struct app *app)
{
	struct trv *v = view->priv;
	const struct csf_span *s = cur_span(view);
	uint32_t i;

	if (!s || !s->nkid)
		return;
	i = (uint32_t)(s - v->t->spans);
	v->fold[i] = !v->fold[i];
	v->any_fold = true;
	build_rows(v);
	view_pane_set_rows(view, app, PANE_MAIN, v->nrows);
	view_pane_dirty(view, PANE_MAIN);
}

static void
fold_level(struct view *view, struct app *app)
{
	struct trv *v = view->priv;
	const struct csf_span *s = cur_span(view);
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
	build_rows(v);
	view_pane_set_rows(view, app, PANE_MAIN, v->nrows);
	view_pane_goto(view, app, PANE_MAIN, row_of(v, i) == SIZE_MAX ? 0 : row_of(v, i));
	view_pane_dirty(view, PANE_MAIN);
	tui_app_message(app, "%s every span at depth %u", to ? "folded" : "unfolded", depth);
}

static void
next_error(struct view *view, struct app *app)
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

static void
mark(struct view *view, struct app *app)
{
	struct trv *v = view->priv;
	struct csf_trace *t = NULL;
	struct csf_trace_set *owner = NULL;
	char id[33];

	if (v->mode == TRV_TREE) {
		t = v->t;
		owner = v->tset;
	} else if (v->mode == TRV_LIST) {
		t = list_trace(v, view->pane[PANE_MAIN].cursor);
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
	update_detail(view, app);
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

static void
compare(struct view *view, struct app *app)
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
		b = list_trace(v, view->pane[PANE_MAIN].cursor);
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
		close_tree(v);
	}
	v->mode = TRV_COMPARE;
	view_set_pattern(view, app, NULL, NULL);
	main_rows(view, app);
	view_pane_goto(view, app, PANE_MAIN, 0);
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
			toggle_fold(view, app);
		return REQ_NONE;
	case REQ_VIEW_BACK:
		if (view_live_busy(&v->live)) {
			view_live_stop(&v->live, app);
			main_rows(view, app);
			tui_app_message(app, "cancelled");
			return REQ_NONE;
		}
		if (view_search_active(view))
			return req;
		if (v->mode == TRV_COMPARE) {
			v->mode = v->t ? TRV_TREE : TRV_LIST;
			main_rows(view, app);
			return REQ_NONE;
		}
		if (v->mode == TRV_TREE && v->set) {
			close_tree(v);
			v->mode = TRV_LIST;
			main_rows(view, app);
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
		main_rows(view, app);
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
			const struct csf_span *cur = cur_span(view);
			uint32_t keep = cur ? (uint32_t)(cur - v->t->spans) : CSF_SPAN_NONE;

			if (v->hide && v->filter.n)
				apply_filter(v);
			build_rows(v);
			main_rows(view, app);
			if (keep != CSF_SPAN_NONE && row_of(v, keep) != SIZE_MAX)
				view_pane_goto(view, app, PANE_MAIN, row_of(v, keep));
		}
		tui_app_message(app, "span filter: %s", v->hide ? "hide the other spans"
				: "highlight the matches");
		return REQ_NONE;
	case REQ_TRACE_FOLD:
		toggle_fold(view, app);
		return REQ_NONE;
	case REQ_TRACE_FOLD_LEVEL:
		fold_level(view, app);
		return REQ_NONE;
	case REQ_TRACE_EXPAND:
		if (v->mode == TRV_TREE && v->t) {
			if (!v->any_fold)
				return REQ_NONE;
			memset(v->fold, 0, v->t->nspans);
			v->any_fold = false;
			build_rows(v);
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
		next_error(view, app);
		return REQ_NONE;
	case REQ_TRACE_MARK:
		mark(view, app);
		return REQ_NONE;
	case REQ_TRACE_COMPARE:
		compare(view, app);
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
		update_detail(view, app);
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
