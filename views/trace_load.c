/* The traces view's loading: the worker thread that searches and fetches (through core/http
 * with a transport that polls the cancel flag), the default source and the query
 * (views/trace_int.h). */
#include "views/trace_int.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fsutil.h"
#include "core/http.h"
#include "core/k8s.h"
#include "core/trace.h"
#include "core/trace_source.h"
#include "core/xalloc.h"
#include "core/yaml_model.h"
#include "tui/app.h"
#include "views/live.h"

/* ==== the worker ============================================================================= */

void
view_trace_job_free(struct view_live_job *base)
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

void
view_trace_job_run(struct view_live_job *base)
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

char *
view_trace_default_source(struct app *app)
{
	struct csf_error err = CSF_ERROR_INIT;
	char *spec = csf_trace_default_source(app->ws_dir, &err);
	char msg[700];

	if (spec)
		return spec;
	/* A bad cluster.traces.kind: say so, and show the shipped traces meanwhile. */
	tui_app_error(app, "%s", csf_error_format(&err, msg, sizeof(msg)));
	spec = csf_samples_dir("traces");
	return spec ? spec : csf_xstrdup("samples/traces");
}

/* ==== the query ============================================================================== */

static bool
is_trace_id(const char *s)
{
	size_t n = strlen(s);

	return (n == 16 || n == 32) && strspn(s, "0123456789abcdefABCDEF") == n;
}

void
view_trace_query_reset(struct trv *v)
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
int
view_trace_parse_query(struct view *view, struct app *app, const char *text, char *err, size_t errn)
{
	struct trv *v = view->priv;
	char *copy = csf_xstrdup(text ? text : ""), *tok, *save = NULL;
	struct csf_error e = CSF_ERROR_INIT;
	int rc = 0;

	view_trace_query_reset(v);
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
