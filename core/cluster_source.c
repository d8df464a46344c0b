/* The two cluster sources of core/cluster.h: live (Kubernetes API + Prometheus over core/http)
 * and snapshot (a recorded folder answering the same paths with the same JSON). */
#include "core/cluster.h"

#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "core/fsutil.h"
#include "core/gitops.h"
#include "core/k8s.h"
#include "core/prom.h"

#define SNAPSHOT_MAX_FILE ((size_t)256 << 20)
#define PROM_LOOKBACK 300

static const struct csf_loc noloc = { 0, 0 };

void
csf_cluster_source_free(struct csf_cluster_source *s)
{
	if (s)
		s->ops->free(s);
}

/* ==== live ================================================================================= */

struct live_req {
	struct live *lv;
	unsigned long id, http_id;
	enum csf_cluster_api api;
	char *url;
	csf_cluster_reply_fn done;
	void *ctx;
	bool auth_retried;
	size_t seen;			/* bytes of the current attempt already counted */
};

struct live {
	struct csf_cluster_source base;
	struct csf_http *http;
	struct csf_kube_config *kube;
	char *prom;
	long timeout_ms;
	int retries;
	size_t max_bytes;
	struct live_req **reqs;
	size_t nreqs, reqs_alloc;
	unsigned long next_id;
};

static void
live_remove(struct live *lv, struct live_req *r)
{
	size_t i;

	for (i = 0; i < lv->nreqs; i++)
		if (lv->reqs[i] == r) {
			memmove(&lv->reqs[i], &lv->reqs[i + 1], (lv->nreqs - i - 1) * sizeof(*lv->reqs));
			lv->nreqs--;
			return;
		}
}

static void live_http_done(void *ctx, unsigned long hid, struct csf_http_response *resp);

static void
live_progress(void *ctx, unsigned long hid, size_t received, size_t total)
{
	struct live_req *r = ctx;

	(void)hid;
	(void)total;
	if (received < r->seen)		/* a retry started over */
		r->seen = 0;
	r->lv->base.bytes += received - r->seen;
	r->seen = received;
}

static unsigned long
live_submit(struct live *lv, struct live_req *r, struct csf_error *err)
{
	struct csf_http_opts o;

	memset(&o, 0, sizeof(o));
	o.timeout_ms = lv->timeout_ms;
	o.retries = lv->retries;
	o.max_bytes = lv->max_bytes;
	o.want_json = true;
	if (r->api == CSF_CLUSTER_K8S)
		csf_kube_http_opts(lv->kube, &o);
	r->seen = 0;
	return csf_http_submit(lv->http, r->url, &o, live_http_done, live_progress, r, err);
}

static void
live_http_done(void *ctx, unsigned long hid, struct csf_http_response *resp)
{
	struct live_req *r = ctx;
	struct live *lv = r->lv;
	struct csf_cluster_reply reply;

	(void)hid;
	/* An exec credential may have expired or been revoked: get a fresh one, retry once. */
	if (!resp->err.code && resp->status == 401 && r->api == CSF_CLUSTER_K8S &&
	    lv->kube->has_exec && !r->auth_retried) {
		struct csf_error e = CSF_ERROR_INIT;

		r->auth_retried = true;
		if (!csf_kube_credentials(lv->kube, true, (int64_t)time(NULL), &e) &&
		    (r->http_id = live_submit(lv, r, &e)))
			return;
	}
	if (!resp->err.code && resp->status == 0)
		csf_fail(&resp->err, CSF_E_HTTP, NULL, noloc, "no HTTP response");
	reply.status = resp->status;
	reply.body = resp->body.buf;
	reply.len = resp->body.len;
	reply.err = &resp->err;
	live_remove(lv, r);
	if (r->done)
		r->done(r->ctx, &reply);
	free(r->url);
	free(r);
}

static unsigned long
live_get(struct csf_cluster_source *s, enum csf_cluster_api api, const char *path,
	 csf_cluster_reply_fn done, void *ctx, struct csf_error *err)
{
	struct live *lv = (struct live *)s;
	struct live_req *r;
	struct csf_buf url = CSF_BUF_INIT;
	const char *base = api == CSF_CLUSTER_K8S ? (lv->kube ? lv->kube->server : NULL) : lv->prom;
	size_t n;

	if (!base) {
		csf_fail(err, CSF_E_USAGE, NULL, noloc, "no %s configured",
			 api == CSF_CLUSTER_K8S ? "Kubernetes context" : "Prometheus URL");
		return 0;
	}
	if (api == CSF_CLUSTER_K8S &&
	    csf_kube_credentials(lv->kube, false, (int64_t)time(NULL), err))
		return 0;
	n = strlen(base);
	while (n && base[n - 1] == '/')
		n--;
	csf_buf_add(&url, base, n);
	csf_buf_addstr(&url, path);
	r = csf_xcalloc(1, sizeof(*r));
	r->lv = lv;
	r->api = api;
	r->url = csf_buf_detach(&url, NULL);
	r->done = done;
	r->ctx = ctx;
	r->id = lv->next_id++;
	r->http_id = live_submit(lv, r, err);
	if (!r->http_id) {
		free(r->url);
		free(r);
		return 0;
	}
	CSF_GROW(lv->reqs, lv->reqs_alloc, lv->nreqs + 1);
	lv->reqs[lv->nreqs++] = r;
	return r->id;
}

static void
live_cancel(struct csf_cluster_source *s, unsigned long id)
{
	struct live *lv = (struct live *)s;
	size_t i;

	for (i = 0; i < lv->nreqs; i++)
		if (lv->reqs[i]->id == id) {
			lv->reqs[i]->done = NULL;	/* the http callback frees it */
			csf_http_cancel(lv->http, lv->reqs[i]->http_id);
			return;
		}
}

static size_t
live_poll(struct csf_cluster_source *s, long wait_ms)
{
	struct live *lv = (struct live *)s;

	if (wait_ms > 0 && lv->nreqs)
		csf_http_wait(lv->http, wait_ms);
	else
		csf_http_perform(lv->http);
	return lv->nreqs;
}

static struct csf_http *
live_http(struct csf_cluster_source *s)
{
	return ((struct live *)s)->http;
}

/* $CSF_NOW (csf_parse_utc syntax, as for release) pins the end of history ranges, so runs made
 * seconds apart query the same grid; unset or unparsable: the real clock. */
static int64_t
live_now(struct csf_cluster_source *s)
{
	const char *e = getenv("CSF_NOW");
	time_t t;

	(void)s;
	if (e && *e && csf_parse_utc(e, &t))
		return (int64_t)t;
	return (int64_t)time(NULL);
}

static bool
live_has_api(struct csf_cluster_source *s, enum csf_cluster_api api)
{
	struct live *lv = (struct live *)s;

	return api == CSF_CLUSTER_K8S ? lv->kube != NULL : lv->prom != NULL;
}

static void
live_free(struct csf_cluster_source *s)
{
	struct live *lv = (struct live *)s;

	while (lv->nreqs)
		live_cancel(s, lv->reqs[0]->id);
	csf_http_free(lv->http);
	csf_kube_config_free(lv->kube);
	free(lv->prom);
	free(lv->reqs);
	free(lv);
}

static const struct csf_cluster_source_ops live_ops = {
	.kind = "live",
	.get = live_get,
	.cancel = live_cancel,
	.poll = live_poll,
	.http = live_http,
	.now = live_now,
	.has_api = live_has_api,
	.free = live_free,
};

enum csf_status
csf_cluster_live_new(const struct csf_cluster_live_opts *o, struct csf_cluster_source **out,
		     struct csf_error *err)
{
	struct live *lv;
	struct csf_http *h;

	*out = NULL;
	if (!o->kube && !o->prometheus) {
		csf_kube_config_free(o->kube);
		return csf_fail(err, CSF_E_USAGE, NULL, noloc,
				"a live source needs a Kubernetes context or a Prometheus URL");
	}
	if (o->kube && csf_kube_credentials(o->kube, false, (int64_t)time(NULL), err)) {
		csf_kube_config_free(o->kube);
		return err ? err->code : CSF_E_AUTH;
	}
	h = csf_http_new(err);
	if (!h) {
		csf_kube_config_free(o->kube);
		return CSF_E_HTTP;
	}
	if (o->log)
		csf_http_set_log(h, o->log, o->log_ctx);
	lv = csf_xcalloc(1, sizeof(*lv));
	lv->base.ops = &live_ops;
	lv->http = h;
	lv->kube = o->kube;
	lv->prom = o->prometheus && *o->prometheus ? csf_xstrdup(o->prometheus) : NULL;
	lv->timeout_ms = o->timeout_ms;
	lv->retries = o->retries;
	lv->max_bytes = o->max_bytes;
	lv->next_id = 1;
	if (lv->kube) {
		snprintf(lv->base.name, sizeof(lv->base.name), "context %s", lv->kube->context);
		snprintf(lv->base.namespace, sizeof(lv->base.namespace), "%s", lv->kube->namespace);
	} else {
		struct csf_buf u = CSF_BUF_INIT;

		csf_http_redact_url(&u, lv->prom ? lv->prom : "");
		snprintf(lv->base.name, sizeof(lv->base.name), "prometheus %s", u.buf);
		csf_buf_release(&u);
	}
	*out = &lv->base;
	return CSF_E_OK;
}

/* ==== snapshot ============================================================================== */

struct snap_reply {
	unsigned long id;
	long status;
	struct csf_buf body;
	csf_cluster_reply_fn done;
	void *ctx;
};

struct snap {
	struct csf_cluster_source base;
	char *dir;
	int64_t recorded;
	struct snap_reply **q;
	size_t nq, q_alloc;
	unsigned long next_id;
};

static void
status_body(struct csf_buf *b, int code, const char *reason, const char *msg)
{
	csf_buf_addstr(b, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
			  "\"status\":\"Failure\",\"message\":");
	csf_buf_add_json_str(b, msg);
	csf_buf_addf(b, ",\"reason\":\"%s\",\"code\":%d}", reason, code);
}

static void
prom_error_body(struct csf_buf *b, const char *type, const char *msg)
{
	csf_buf_addf(b, "{\"status\":\"error\",\"errorType\":\"%s\",\"error\":", type);
	csf_buf_add_json_str(b, msg);
	csf_buf_addch(b, '}');
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The decoded value of query parameter name in q ("a=1&b=2"), appended to out; false if absent. */
static bool
query_param(const char *q, const char *name, struct csf_buf *out)
{
	size_t n = strlen(name);

	while (q && *q) {
		const char *end = strchr(q, '&');
		size_t len = end ? (size_t)(end - q) : strlen(q);

		if (len > n && !strncmp(q, name, n) && q[n] == '=') {
			size_t i;

			for (i = n + 1; i < len; i++) {
				int h1, h2;

				if (q[i] == '%' && i + 2 < len + 1 && (h1 = hexval(q[i + 1])) >= 0 &&
				    (h2 = hexval(q[i + 2])) >= 0) {
					csf_buf_addch(out, h1 * 16 + h2);
					i += 2;
				} else {
					csf_buf_addch(out, q[i] == '+' ? ' ' : q[i]);
				}
			}
			return true;
		}
		q = end ? end + 1 : NULL;
	}
	return false;
}

struct matcher {
	char name[64];
	char op[3];
	struct csf_buf value;
	regex_t re;
	bool has_re;
};

static void
matchers_free(struct matcher *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		csf_buf_release(&m[i].value);
		if (m[i].has_re)
			regfree(&m[i].re);
	}
}

/* Parses `metric{l="v", l2=~"a|b"}` (the only PromQL a snapshot answers). */
static bool
parse_selector(const char *q, char *metric, size_t mn, struct matcher *m, size_t max, size_t *nm)
{
	const char *p = q;
	size_t len = 0;

	*nm = 0;
	while (*p == ' ')
		p++;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' || *p == ':' ||
	       (len && *p >= '0' && *p <= '9')) {
		if (len + 1 >= mn)
			return false;
		metric[len++] = *p++;
	}
	metric[len] = '\0';
	if (!len)
		return false;
	while (*p == ' ')
		p++;
	if (!*p)
		return true;
	if (*p++ != '{')
		return false;
	for (;;) {
		struct matcher *x;
		size_t k = 0;

		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '}') {
			p++;
			break;
		}
		if (*nm >= max)
			return false;
		x = &m[*nm];
		memset(x, 0, sizeof(*x));
		csf_buf_init(&x->value, 0);
		(*nm)++;
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
		       (k && *p >= '0' && *p <= '9')) {
			if (k + 1 >= sizeof(x->name))
				return false;
			x->name[k++] = *p++;
		}
		if (!k)
			return false;
		while (*p == ' ')
			p++;
		if (*p == '=' && p[1] == '~')
			memcpy(x->op, "=~", 3), p += 2;
		else if (*p == '!' && p[1] == '~')
			memcpy(x->op, "!~", 3), p += 2;
		else if (*p == '!' && p[1] == '=')
			memcpy(x->op, "!=", 3), p += 2;
		else if (*p == '=')
			memcpy(x->op, "=", 2), p += 1;
		else
			return false;
		while (*p == ' ')
			p++;
		if (*p++ != '"')
			return false;
		while (*p && *p != '"') {
			if (*p == '\\' && p[1])
				p++;
			csf_buf_addch(&x->value, *p++);
		}
		if (*p++ != '"')
			return false;
		if (x->op[1] == '~') {
			struct csf_buf re = CSF_BUF_INIT;
			int rc;

			csf_buf_addf(&re, "^(%s)$", x->value.buf);
			rc = regcomp(&x->re, re.buf, REG_EXTENDED | REG_NOSUB);
			csf_buf_release(&re);
			if (rc)
				return false;
			x->has_re = true;
		}
	}
	while (*p == ' ')
		p++;
	return !*p;
}

static bool
series_matches(const cJSON *metric, const struct matcher *m, size_t nm)
{
	size_t i;

	for (i = 0; i < nm; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(metric, m[i].name);
		const char *s = cJSON_IsString(v) ? v->valuestring : "";
		bool hit;

		if (m[i].has_re)
			hit = regexec(&m[i].re, s, 0, NULL, 0) == 0;
		else
			hit = !strcmp(s, m[i].value.buf);
		if (m[i].op[0] == '!')
			hit = !hit;
		if (!hit)
			return false;
	}
	return true;
}

/* Answers a query_range like Prometheus would: points at start + k*step, each the latest
 * recorded sample within the 5-minute lookback. */
static void
snap_query_range(struct snap *sn, const char *query_string, struct snap_reply *r)
{
	struct csf_buf q = CSF_BUF_INIT, a = CSF_BUF_INIT, path = CSF_BUF_INIT, file = CSF_BUF_INIT;
	struct matcher m[16];
	size_t nm = 0;
	char metric[128];
	double start, end, step;
	cJSON *root = NULL, *out = NULL, *result, *data;
	const cJSON *series, *s;

	r->status = 400;
	if (!query_param(query_string, "query", &q)) {
		prom_error_body(&r->body, "bad_data", "invalid parameter \"query\": missing");
		goto done;
	}
	csf_buf_reset(&a);
	if (!query_param(query_string, "start", &a) || !a.len) {
		prom_error_body(&r->body, "bad_data", "invalid parameter \"start\"");
		goto done;
	}
	start = strtod(a.buf, NULL);
	csf_buf_reset(&a);
	if (!query_param(query_string, "end", &a) || !a.len) {
		prom_error_body(&r->body, "bad_data", "invalid parameter \"end\"");
		goto done;
	}
	end = strtod(a.buf, NULL);
	csf_buf_reset(&a);
	if (!query_param(query_string, "step", &a) || !a.len) {
		prom_error_body(&r->body, "bad_data",
				"invalid parameter \"step\": cannot parse \"\" to a valid duration");
		goto done;
	}
	step = strtod(a.buf, NULL);
	if (!(step > 0)) {
		prom_error_body(&r->body, "bad_data", "invalid parameter \"step\": zero or negative "
				"query resolution step widths are not accepted. Try a positive integer");
		goto done;
	}
	if (end < start) {
		prom_error_body(&r->body, "bad_data", "invalid parameter \"end\": end timestamp must "
				"not be before start time");
		goto done;
	}
	if ((end - start) / step > CSF_PROM_MAX_POINTS) {
		prom_error_body(&r->body, "bad_data", "exceeded maximum resolution of 11,000 points "
				"per timeseries. Try decreasing the query resolution (?step=XX)");
		goto done;
	}
	if (!parse_selector(q.buf, metric, sizeof(metric), m, 16, &nm)) {
		prom_error_body(&r->body, "bad_data",
				"the snapshot answers only plain selectors: metric{label=\"value\"}");
		goto done;
	}
	csf_buf_addf(&path, "api/v1/query_range/%s.json", metric);
	{
		char *p = csf_path_join(sn->dir, path.buf);

		csf_buf_addstr(&file, p);
		free(p);
	}
	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "status", "success");
	data = cJSON_AddObjectToObject(out, "data");
	cJSON_AddStringToObject(data, "resultType", "matrix");
	result = cJSON_AddArrayToObject(data, "result");
	r->status = 200;
	csf_buf_reset(&a);
	if (csf_is_file(file.buf) && csf_buf_read_file(&a, file.buf, SNAPSHOT_MAX_FILE) == 0)
		root = cJSON_ParseWithLength(a.buf, a.len);
	series = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "data"),
						  "result");
	cJSON_ArrayForEach(s, series) {
		const cJSON *metric_obj = cJSON_GetObjectItemCaseSensitive(s, "metric");
		const cJSON *values = cJSON_GetObjectItemCaseSensitive(s, "values");
		cJSON *item, *vals;
		int nv = cJSON_GetArraySize(values), j = 0;
		double t;

		if (!series_matches(metric_obj, m, nm) || nv <= 0)
			continue;
		item = cJSON_CreateObject();
		cJSON_AddItemToObject(item, "metric", cJSON_Duplicate(metric_obj, 1));
		vals = cJSON_AddArrayToObject(item, "values");
		for (t = start; t <= end + 1e-9; t += step) {
			const cJSON *best = NULL;

			/* Samples ascend; advance to the last one at or before t. */
			while (j < nv) {
				const cJSON *pt = cJSON_GetArrayItem(values, j);
				const cJSON *ts = cJSON_GetArrayItem(pt, 0);

				if (!cJSON_IsNumber(ts) || ts->valuedouble > t)
					break;
				j++;
			}
			if (j > 0) {
				const cJSON *pt = cJSON_GetArrayItem(values, j - 1);
				const cJSON *ts = cJSON_GetArrayItem(pt, 0);

				if (cJSON_IsNumber(ts) && t - ts->valuedouble <= PROM_LOOKBACK)
					best = cJSON_GetArrayItem(pt, 1);
			}
			if (best && cJSON_IsString(best)) {
				cJSON *pair = cJSON_CreateArray();

				cJSON_AddItemToArray(pair, cJSON_CreateNumber(t));
				cJSON_AddItemToArray(pair, cJSON_CreateString(best->valuestring));
				cJSON_AddItemToArray(vals, pair);
			}
		}
		if (cJSON_GetArraySize(vals) > 0)
			cJSON_AddItemToArray(result, item);
		else
			cJSON_Delete(item);
	}
	{
		char *txt = cJSON_PrintUnformatted(out);

		csf_buf_addstr(&r->body, txt);
		cJSON_free(txt);
	}
done:
	matchers_free(m, nm);
	cJSON_Delete(root);
	cJSON_Delete(out);
	csf_buf_release(&q);
	csf_buf_release(&a);
	csf_buf_release(&path);
	csf_buf_release(&file);
}

static void
snap_k8s(struct snap *sn, const char *path, struct snap_reply *r)
{
	size_t plen = strcspn(path, "?");
	char *rel = csf_xstrndup(path + 1, plen ? plen - 1 : 0);
	char *file = NULL;
	struct csf_buf b = CSF_BUF_INIT;

	csf_buf_addf(&b, "%s.json", rel);
	if (path[0] != '/' || !csf_safe_relpath(rel)) {
		r->status = 404;
		status_body(&r->body, 404, "NotFound", "the server could not find the requested resource");
		goto out;
	}
	file = csf_path_join(sn->dir, b.buf);
	if (!csf_is_file(file)) {
		/* Like the API: a namespace without objects of a served group lists as empty; a group
		 * the recording does not have (KEDA not installed) is 404. */
		const char *nsp = strstr(rel, "/namespaces/");
		char *group = nsp ? csf_xstrndup(rel, (size_t)(nsp - rel)) : NULL;
		char *gdir = group ? csf_path_join(sn->dir, group) : NULL;

		if (gdir && csf_is_dir(gdir)) {
			const char *res = strrchr(rel, '/') + 1;

			r->status = 200;
			csf_buf_addf(&r->body, "{\"kind\":\"%s\",\"apiVersion\":\"%s\",\"metadata\":{},"
				     "\"items\":[]}",
				     !strcmp(res, "deployments") ? "DeploymentList" :
				     !strcmp(res, "horizontalpodautoscalers") ? "HorizontalPodAutoscalerList" :
				     !strcmp(res, "scaledobjects") ? "ScaledObjectList" :
				     !strcmp(res, "events") ? "EventList" : "List",
				     strncmp(group, "apis/", 5) ? "v1" : group + 5);
		} else {
			r->status = 404;
			status_body(&r->body, 404, "NotFound",
				    "the server could not find the requested resource");
		}
		free(group);
		free(gdir);
		goto out;
	}
	if (csf_buf_read_file(&r->body, file, SNAPSHOT_MAX_FILE) < 0) {
		r->status = 500;
		csf_buf_reset(&r->body);
		status_body(&r->body, 500, "InternalError", strerror(errno));
		goto out;
	}
	r->status = 200;
out:
	csf_buf_release(&b);
	free(rel);
	free(file);
}

static unsigned long
snap_get(struct csf_cluster_source *s, enum csf_cluster_api api, const char *path,
	 csf_cluster_reply_fn done, void *ctx, struct csf_error *err)
{
	struct snap *sn = (struct snap *)s;
	struct snap_reply *r;

	if (!path || path[0] != '/') {
		csf_fail(err, CSF_E_USAGE, NULL, noloc, "snapshot: bad path");
		return 0;
	}
	r = csf_xcalloc(1, sizeof(*r));
	csf_buf_init(&r->body, 0);
	r->id = sn->next_id++;
	r->done = done;
	r->ctx = ctx;
	if (api == CSF_CLUSTER_PROM) {
		if (strncmp(path, "/api/v1/query_range?", 20)) {
			r->status = 404;
			csf_buf_addstr(&r->body, "404 page not found\n");
		} else {
			snap_query_range(sn, path + 20, r);
		}
	} else {
		snap_k8s(sn, path, r);
	}
	CSF_GROW(sn->q, sn->q_alloc, sn->nq + 1);
	sn->q[sn->nq++] = r;
	return r->id;
}

static void
snap_reply_free(struct snap_reply *r)
{
	csf_buf_release(&r->body);
	free(r);
}

static void
snap_cancel(struct csf_cluster_source *s, unsigned long id)
{
	struct snap *sn = (struct snap *)s;
	size_t i;

	for (i = 0; i < sn->nq; i++)
		if (sn->q[i]->id == id) {
			snap_reply_free(sn->q[i]);
			memmove(&sn->q[i], &sn->q[i + 1], (sn->nq - i - 1) * sizeof(*sn->q));
			sn->nq--;
			return;
		}
}

static size_t
snap_poll(struct csf_cluster_source *s, long wait_ms)
{
	struct snap *sn = (struct snap *)s;
	size_t n = sn->nq;
	struct csf_error ok = CSF_ERROR_INIT;

	(void)wait_ms;
	/* One at a time from the front: a callback may cancel replies still queued (they are
	 * removed from the queue) or queue new ones (delivered by a later poll at the latest). */
	while (n-- && sn->nq) {
		struct snap_reply *r = sn->q[0];
		struct csf_cluster_reply reply = { r->status, r->body.buf, r->body.len, &ok };

		memmove(&sn->q[0], &sn->q[1], (sn->nq - 1) * sizeof(*sn->q));
		sn->nq--;
		sn->base.bytes += r->body.len;
		if (r->done)
			r->done(r->ctx, &reply);
		snap_reply_free(r);
	}
	return sn->nq;
}

static struct csf_http *
snap_http(struct csf_cluster_source *s)
{
	(void)s;
	return NULL;
}

static int64_t
snap_now(struct csf_cluster_source *s)
{
	return ((struct snap *)s)->recorded;
}

static bool
snap_has_api(struct csf_cluster_source *s, enum csf_cluster_api api)
{
	(void)s;
	(void)api;
	return true;
}

static void
snap_free(struct csf_cluster_source *s)
{
	struct snap *sn = (struct snap *)s;
	size_t i;

	for (i = 0; i < sn->nq; i++)
		snap_reply_free(sn->q[i]);
	free(sn->q);
	free(sn->dir);
	free(sn);
}

static const struct csf_cluster_source_ops snap_ops = {
	.kind = "snapshot",
	.get = snap_get,
	.cancel = snap_cancel,
	.poll = snap_poll,
	.http = snap_http,
	.now = snap_now,
	.has_api = snap_has_api,
	.free = snap_free,
};

enum csf_status
csf_cluster_snapshot_new(const char *dir, struct csf_cluster_source **out, struct csf_error *err)
{
	char *meta = csf_path_join(dir, "snapshot.json");
	struct csf_buf b = CSF_BUF_INIT;
	cJSON *root;
	const cJSON *rec, *ctx;
	int64_t t;
	struct snap *sn;

	*out = NULL;
	if (csf_buf_read_file(&b, meta, 1u << 20) < 0) {
		csf_fail(err, CSF_E_IO, meta, noloc, "not a cluster snapshot: %s", strerror(errno));
		free(meta);
		return CSF_E_IO;
	}
	root = cJSON_ParseWithLength(b.buf, b.len);
	csf_buf_release(&b);
	rec = cJSON_GetObjectItemCaseSensitive(root, "recordedAt");
	ctx = cJSON_GetObjectItemCaseSensitive(root, "context");
	if (!cJSON_IsString(rec) || !csf_k8s_time(rec->valuestring, &t)) {
		cJSON_Delete(root);
		csf_fail(err, CSF_E_PARSE, meta, noloc,
			 "snapshot.json needs \"recordedAt\" as an RFC 3339 time");
		free(meta);
		return CSF_E_PARSE;
	}
	free(meta);
	sn = csf_xcalloc(1, sizeof(*sn));
	sn->base.ops = &snap_ops;
	sn->dir = csf_xstrdup(dir);
	sn->recorded = t;
	sn->next_id = 1;
	snprintf(sn->base.name, sizeof(sn->base.name), "snapshot %s%s%s", dir,
		 cJSON_IsString(ctx) ? " of " : "", cJSON_IsString(ctx) ? ctx->valuestring : "");
	cJSON_Delete(root);
	*out = &sn->base;
	return CSF_E_OK;
}
