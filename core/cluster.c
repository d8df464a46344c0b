/* Cluster jobs (tenant summary, scaling history), their assembly, and drift. The sources are in
 * core/cluster_source.c. */
#include "core/cluster.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cluster_int.h"
#include "core/fsutil.h"
#include "core/k8s.h"
#include "core/prom.h"

#define MAX_IN_FLIGHT 12
#define DEFAULT_PAGE 500

static const struct csf_loc noloc = { 0, 0 };

const char *
csf_health_name(enum csf_health h)
{
	switch (h) {
	case CSF_HEALTH_OK:
		return "ok";
	case CSF_HEALTH_DEGRADED:
		return "degraded";
	case CSF_HEALTH_DOWN:
		return "down";
	case CSF_HEALTH_UNKNOWN:
		break;
	}
	return "unknown";
}

void
csf_tenants_free(struct csf_tenants *t)
{
	if (!t)
		return;
	csf_arena_release(&t->arena);
	free(t);
}

void
csf_scaling_free(struct csf_scaling *s)
{
	if (!s)
		return;
	csf_arena_release(&s->arena);
	free(s);
}

/* ==== jobs ================================================================================= */

static void job_advance(struct csf_cluster_job *j);

void
csf_cluster_add_warning(struct csf_cluster_job *j, const char *fmt, const char *arg)
{
	struct csf_buf b = CSF_BUF_INIT;
	size_t i;

	csf_buf_addf(&b, fmt, arg);
	for (i = 0; i < j->nwarnings; i++)
		if (!strcmp(j->warnings[i], b.buf)) {
			csf_buf_release(&b);
			return;
		}
	CSF_GROW(j->warnings, j->warnings_alloc, j->nwarnings + 1);
	j->warnings[j->nwarnings++] = csf_buf_detach(&b, NULL);
}

static void
fetch_free(struct csf_cluster_fetch *f)
{
	if (!f)
		return;
	free(f->path);
	free(f->cont);
	free(f);
}

struct csf_cluster_fetch *
csf_cluster_fetch_new(struct csf_cluster_job *j, enum csf_cluster_api api, const char *path,
                      const char *what)
{
	struct csf_cluster_fetch *f = csf_xcalloc(1, sizeof(*f));

	f->job = j;
	f->api = api;
	f->path = csf_xstrdup(path);
	snprintf(f->what, sizeof(f->what), "%s", what);
	return f;
}

void
csf_cluster_enqueue(struct csf_cluster_job *j, struct csf_cluster_fetch *f)
{
	CSF_GROW(j->queue, j->queue_alloc, j->nqueue + 1);
	j->queue[j->nqueue++] = f;
	j->ntotal++;
}

static void
remove_active(struct csf_cluster_job *j, struct csf_cluster_fetch *f)
{
	size_t i;

	for (i = 0; i < j->nactive; i++)
		if (j->active[i] == f) {
			memmove(&j->active[i], &j->active[i + 1], (j->nactive - i - 1) * sizeof(*j->active));
			j->nactive--;
			return;
		}
}

static void
cancel_all(struct csf_cluster_job *j)
{
	size_t i;

	for (i = 0; i < j->nactive; i++) {
		j->src->ops->cancel(j->src, j->active[i]->id);
		fetch_free(j->active[i]);
	}
	j->nactive = 0;
	for (i = 0; i < j->nqueue; i++)
		fetch_free(j->queue[i]);
	j->nqueue = 0;
}

void
csf_cluster_job_fail(struct csf_cluster_job *j, const struct csf_error *e)
{
	if (j->failed)
		return;
	j->failed = true;
	j->err = *e;
	cancel_all(j);
}

static void on_reply(void *ctx, const struct csf_cluster_reply *reply);

/* Starts queued fetches up to the in-flight limit. */
static void
pump(struct csf_cluster_job *j)
{
	while (!j->failed && j->nqueue && j->nactive < MAX_IN_FLIGHT) {
		struct csf_cluster_fetch *f = j->queue[0];
		struct csf_buf path = CSF_BUF_INIT;
		struct csf_error e = CSF_ERROR_INIT;

		memmove(&j->queue[0], &j->queue[1], (j->nqueue - 1) * sizeof(*j->queue));
		j->nqueue--;
		csf_buf_addstr(&path, f->path);
		if (f->cont) {
			csf_buf_addstr(&path, strchr(f->path, '?') ? "&continue=" : "?continue=");
			csf_http_urlencode(&path, f->cont);
		}
		f->id = j->src->ops->get(j->src, f->api, path.buf, on_reply, f, &e);
		csf_buf_release(&path);
		if (!f->id) {
			struct csf_error e2 = CSF_ERROR_INIT;

			csf_fail(&e2, e.code ? e.code : CSF_E_HTTP, e.file[0] ? e.file : NULL, e.loc,
				 "%s: %s", f->what, e.msg);
			fetch_free(f);
			csf_cluster_job_fail(j, &e2);
			return;
		}
		CSF_GROW(j->active, j->active_alloc, j->nactive + 1);
		j->active[j->nactive++] = f;
	}
}

void
csf_cluster_check_stage(struct csf_cluster_job *j)
{
	while (!j->failed && !j->nactive && !j->nqueue && !j->finished) {
		int before = j->stage;

		job_advance(j);
		if (j->stage == before && !j->nqueue)
			j->finished = true;
		pump(j);
	}
	if (j->failed)
		j->finished = true;
}

/* Records a per-tenant error, or fails the job when the fetch is essential. */
static void
fetch_error(struct csf_cluster_job *j, struct csf_cluster_fetch *f, const struct csf_error *e)
{
	if (j->kind == JOB_TENANTS && j->stage == 1) {
		struct csf_cluster_ns_data *d = &j->nsd[f->ns];
		char line[400];

		if (!d->error) {
			snprintf(line, sizeof(line), "%s", e->msg);
			d->error = csf_xstrdup(line);
		}
		return;
	}
	csf_cluster_job_fail(j, e);
}

static void
handle_k8s(struct csf_cluster_job *j, struct csf_cluster_fetch *f, const struct csf_cluster_reply *reply)
{
	struct csf_k8s_list *l;
	struct csf_error e = CSF_ERROR_INIT;
	const char *cont = NULL;
	struct csf_k8s_status st;
	char name[160];

	if (j->kind == JOB_TENANTS)
		l = j->stage == 0 ? &j->nslist : &j->nsd[f->ns].list;
	else
		l = &j->one.list;
	if (reply->status == 404 && f->optional) {
		if (j->kind == JOB_TENANTS && j->stage == 1)
			j->nsd[f->ns].keda_missing = true;
		csf_cluster_add_warning(
		    j, "%s",
		    "KEDA is not installed (no keda.sh/v1alpha1 API): ScaledObjects not shown");
		fetch_free(f);
		return;
	}
	if (reply->status == 410 && f->cont &&
	    csf_k8s_parse_status(reply->body, reply->len, &st) && !strcmp(st.reason, "Expired")) {
		/* The continue token expired: restart the list from the first page. */
		free(f->cont);
		f->cont = NULL;
		switch (f->kind) {
		case CSF_K8S_NAMESPACES: l->nnamespaces = f->first_item; break;
		case CSF_K8S_DEPLOYMENTS: l->ndeployments = f->first_item; break;
		case CSF_K8S_HPAS: l->nhpas = f->first_item; break;
		case CSF_K8S_SCALEDOBJECTS: l->nscaledobjects = f->first_item; break;
		case CSF_K8S_EVENTS: l->nevents = f->first_item; break;
		}
		csf_cluster_enqueue(j, f);
		return;
	}
	if (reply->status < 200 || reply->status >= 300) {
		csf_k8s_reply_error(reply->status, reply->body, reply->len, f->what, &e);
		if (j->kind == JOB_TENANTS && j->stage == 0 && reply->status == 403 &&
		    j->src->namespace[0] && strcmp(j->src->namespace, "default")) {
			/* A namespace-scoped token cannot list namespaces: use the context's. */
			csf_cluster_add_warning(
			    j,
			    "cannot list namespaces (403): showing the context namespace %s only",
			    j->src->namespace);
			j->fallback_ns.name = j->src->namespace;
			j->fallback_ns.tenant = j->src->namespace;
			j->fallback_ns.phase = "Active";
			fetch_free(f);
			return;
		}
		if (f->soft) {
			/* Events are garnish: without them the view still has its data. */
			csf_cluster_add_warning(j, "%s (events not shown)", e.msg);
			fetch_free(f);
			return;
		}
		fetch_error(j, f, &e);
		fetch_free(f);
		return;
	}
	snprintf(name, sizeof(name), "%s", f->what);
	if (csf_k8s_parse_list(f->kind, reply->body, reply->len, NULL, l, &cont, &e)) {
		struct csf_error e2 = CSF_ERROR_INIT;

		csf_fail(&e2, e.code, NULL, noloc, "%s: %s", name, e.msg);
		fetch_error(j, f, &e2);
		fetch_free(f);
		return;
	}
	if (cont) {
		free(f->cont);
		f->cont = csf_xstrdup(cont);
		csf_cluster_enqueue(j, f);
		return;
	}
	fetch_free(f);
}

static void
handle_prom(struct csf_cluster_job *j, struct csf_cluster_fetch *f, const struct csf_cluster_reply *reply)
{
	struct csf_error e = CSF_ERROR_INIT;

	if (csf_prom_parse(reply->body, reply->len, reply->status, NULL, &j->prom[f->slot], &e)) {
		struct csf_error e2 = CSF_ERROR_INIT;

		csf_fail(&e2, e.code, NULL, noloc, "%s: %s", f->what, e.msg);
		csf_cluster_job_fail(j, &e2);
	} else {
		j->prom_ok[f->slot] = true;
	}
	fetch_free(f);
}

static void
on_reply(void *ctx, const struct csf_cluster_reply *reply)
{
	struct csf_cluster_fetch *f = ctx;
	struct csf_cluster_job *j = f->job;

	remove_active(j, f);
	j->ndone++;
	if (reply->err && reply->err->code) {
		struct csf_error e = CSF_ERROR_INIT;

		csf_fail(&e, reply->err->code, NULL, noloc, "%s: %s", f->what, reply->err->msg);
		fetch_error(j, f, &e);
		fetch_free(f);
	} else if (f->api == CSF_CLUSTER_K8S) {
		handle_k8s(j, f, reply);
	} else {
		handle_prom(j, f, reply);
	}
	pump(j);
	csf_cluster_check_stage(j);
}

void
csf_cluster_queue_list(struct csf_cluster_job *j, enum csf_k8s_kind kind, const char *ns,
                       size_t idx, const char *label_sel, const char *field_sel, bool optional,
                       const char *what)
{
	struct csf_buf p = CSF_BUF_INIT;
	struct csf_cluster_fetch *f;
	struct csf_k8s_list *l = j->kind == JOB_TENANTS ? (j->stage == 0 ? &j->nslist
							   : &j->nsd[idx].list) : &j->one.list;
	char w[96];

	csf_k8s_path(&p, kind, ns);
	csf_k8s_query(&p, label_sel, field_sel, j->page_limit, NULL);
	if (ns)
		snprintf(w, sizeof(w), "%s in %.40s", what, ns);
	else
		snprintf(w, sizeof(w), "%s", what);
	f = csf_cluster_fetch_new(j, CSF_CLUSTER_K8S, p.buf, w);
	f->kind = kind;
	f->ns = idx;
	f->optional = optional;
	f->soft = kind == CSF_K8S_EVENTS;
	switch (kind) {
	case CSF_K8S_NAMESPACES: f->first_item = l->nnamespaces; break;
	case CSF_K8S_DEPLOYMENTS: f->first_item = l->ndeployments; break;
	case CSF_K8S_HPAS: f->first_item = l->nhpas; break;
	case CSF_K8S_SCALEDOBJECTS: f->first_item = l->nscaledobjects; break;
	case CSF_K8S_EVENTS: f->first_item = l->nevents; break;
	}
	csf_cluster_enqueue(j, f);
	csf_buf_release(&p);
}

struct csf_cluster_job *
csf_cluster_job_new(struct csf_cluster_source *src, enum csf_cluster_job_kind kind)
{
	struct csf_cluster_job *j = csf_xcalloc(1, sizeof(*j));

	j->kind = kind;
	j->src = src;
	j->now = src->ops->now(src);
	j->page_limit = DEFAULT_PAGE;
	return j;
}

bool
csf_cluster_job_done(const struct csf_cluster_job *j)
{
	return j->finished;
}

void
csf_cluster_job_progress(const struct csf_cluster_job *j, size_t *done, size_t *total)
{
	*done = j->ndone;
	*total = j->ntotal;
}

void
csf_cluster_job_run(struct csf_cluster_job *j)
{
	while (!j->finished)
		j->src->ops->poll(j->src, 200);
}

void
csf_cluster_job_free(struct csf_cluster_job *j)
{
	size_t i;

	if (!j)
		return;
	cancel_all(j);
	free(j->queue);
	free(j->active);
	for (i = 0; i < j->nwarnings; i++)
		free(j->warnings[i]);
	free(j->warnings);
	free(j->only);
	csf_k8s_list_release(&j->nslist);
	for (i = 0; i < j->nnsd; i++) {
		csf_k8s_list_release(&j->nsd[i].list);
		free(j->nsd[i].error);
	}
	free(j->nsd);
	free(j->tenant);
	free(j->module);
	free(j->dep_name);
	csf_k8s_list_release(&j->one.list);
	free(j->one.error);
	for (i = 0; i < NSLOTS; i++)
		csf_prom_result_release(&j->prom[i]);
	free(j);
}

/* ==== tenants =============================================================================== */

static bool
tenant_selected(const struct csf_cluster_job *j, const struct csf_k8s_namespace *ns)
{
	if (!ns->tenant)
		return false;
	return !j->only || !strcmp(j->only, ns->name) || !strcmp(j->only, ns->tenant);
}

static void
tenants_advance(struct csf_cluster_job *j)
{
	size_t i, n = 0;

	if (j->stage != 0)
		return;
	j->stage = 1;
	if (j->fallback_ns.name) {
		j->nsd = csf_xcalloc(1, sizeof(*j->nsd));
		j->nsd[0].ns = &j->fallback_ns;
		j->nnsd = 1;
	} else {
		j->nsd = csf_xcalloc(j->nslist.nnamespaces + 1, sizeof(*j->nsd));
		for (i = 0; i < j->nslist.nnamespaces; i++)
			if (tenant_selected(j, &j->nslist.namespaces[i]))
				j->nsd[n++].ns = &j->nslist.namespaces[i];
		j->nnsd = n;
	}
	if (j->only && !j->nnsd) {
		struct csf_error e = CSF_ERROR_INIT;

		csf_fail(&e, CSF_E_NOTFOUND, NULL, noloc,
			 "tenant '%s' not found (no namespace labelled %s with that name)", j->only,
			 CSF_LABEL_TENANT);
		csf_cluster_job_fail(j, &e);
		return;
	}
	for (i = 0; i < j->nnsd; i++) {
		const char *ns = j->nsd[i].ns->name;

		csf_cluster_queue_list(j, CSF_K8S_DEPLOYMENTS, ns, i, NULL, NULL, false,
		                       "list deployments");
		csf_cluster_queue_list(j, CSF_K8S_HPAS, ns, i, NULL, NULL, false,
		                       "list horizontalpodautoscalers");
		csf_cluster_queue_list(j, CSF_K8S_SCALEDOBJECTS, ns, i, NULL, NULL, true,
		                       "list scaledobjects");
		csf_cluster_queue_list(j, CSF_K8S_EVENTS, ns, i, NULL,
		                       "involvedObject.kind=HorizontalPodAutoscaler", false,
		                       "list events");
	}
}

enum csf_status
csf_cluster_tenants_start(struct csf_cluster_source *src, const struct csf_tenants_query *q,
			  struct csf_cluster_job **out, struct csf_error *err)
{
	struct csf_cluster_job *j;

	*out = NULL;
	if (!src->ops->has_api(src, CSF_CLUSTER_K8S))
		return csf_fail(err, CSF_E_USAGE, NULL, noloc,
				"tenants need the Kubernetes API: no context is configured");
	j = csf_cluster_job_new(src, JOB_TENANTS);
	if (q && q->page_limit > 0)
		j->page_limit = q->page_limit;
	if (q && q->tenant && *q->tenant)
		j->only = csf_xstrdup(q->tenant);
	csf_cluster_queue_list(j, CSF_K8S_NAMESPACES, NULL, 0, CSF_LABEL_TENANT, NULL, false,
	                       "list namespaces");
	pump(j);
	csf_cluster_check_stage(j);
	*out = j;
	return CSF_E_OK;
}

static bool
is_scale_event(const struct csf_k8s_event *e)
{
	return !strcmp(e->reason, "SuccessfulRescale") || !strcmp(e->reason, "FailedRescale") ||
	       !strncmp(e->reason, "FailedGet", 9) || !strncmp(e->reason, "FailedCompute", 13);
}

void
csf_cluster_copy_event(struct csf_arena *a, struct csf_scale_event *dst,
                       const struct csf_k8s_event *e)
{
	dst->first = e->first;
	dst->last = e->last;
	dst->type = csf_arena_strdup(a, e->type);
	dst->reason = csf_arena_strdup(a, e->reason);
	dst->message = csf_arena_strdup(a, e->message);
	dst->object_kind = csf_arena_strdup(a, e->object_kind);
	dst->object_name = csf_arena_strdup(a, e->object_name);
	dst->count = e->count;
	dst->new_size = csf_k8s_rescale_size(e->message, NULL);
}

const char *
csf_cluster_adup(struct csf_arena *a, const char *s)
{
	return s ? csf_arena_strdup(a, s) : NULL;
}

static void
set_health(struct csf_module_summary *m, enum csf_health h, struct csf_arena *a, const char *why)
{
	if (h > m->health || (h == m->health && !m->health_reason && why)) {
		m->health = h;
		m->health_reason = why ? csf_arena_strdup(a, why) : NULL;
	}
}

static const struct csf_k8s_condition *
find_condition(const struct csf_k8s_condition *c, size_t n, const char *type)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(c[i].type, type))
			return &c[i];
	return NULL;
}

/* The threshold of the trigger behind the first external metric ("s1-rabbitmq" is trigger 1),
 * else of the first trigger that has one. */
bool
csf_cluster_so_target(const struct csf_k8s_scaledobject *so, double *out)
{
	size_t i;

	if (so->nexternal_metrics && so->external_metrics[0][0] == 's') {
		char *end;
		long idx = strtol(so->external_metrics[0] + 1, &end, 10);

		if (*end == '-' && idx >= 0 && (size_t)idx < so->ntriggers &&
		    so->triggers[idx].threshold)
			return csf_k8s_quantity(so->triggers[idx].threshold, out);
	}
	for (i = 0; i < so->ntriggers; i++)
		if (so->triggers[i].threshold && strcmp(so->triggers[i].type, "cpu") &&
		    strcmp(so->triggers[i].type, "memory"))
			return csf_k8s_quantity(so->triggers[i].threshold, out);
	return false;
}

static void
summarize_module(struct csf_arena *a, const struct csf_cluster_ns_data *d, const struct csf_k8s_deployment *dep,
		 struct csf_module_summary *m)
{
	const struct csf_k8s_list *l = &d->list;
	const struct csf_k8s_hpa *hpa = NULL;
	const struct csf_k8s_scaledobject *so = NULL;
	const char *hpa_name = NULL;
	char why[200];
	size_t i;

	memset(m, 0, sizeof(*m));
	m->name = csf_cluster_adup(a, dep->name);
	m->module = csf_cluster_adup(a, csf_k8s_label(dep->labels, dep->nlabels, CSF_LABEL_MODULE));
	m->version = csf_cluster_adup(a, csf_k8s_deployment_version(dep));
	m->image = dep->ncontainers ? csf_cluster_adup(a, dep->containers[0].image) : NULL;
	m->desired = dep->spec_replicas;
	m->replicas = dep->replicas;
	m->ready = dep->ready;
	m->available = dep->available;
	m->updated = dep->updated;
	for (i = 0; i < l->nscaledobjects; i++)
		if (!strcmp(l->scaledobjects[i].target_name, dep->name))
			so = &l->scaledobjects[i];
	if (so)
		hpa_name = so->hpa_name;
	for (i = 0; i < l->nhpas; i++) {
		const struct csf_k8s_hpa *h = &l->hpas[i];

		if ((hpa_name && !strcmp(h->name, hpa_name)) ||
		    (!hpa_name && !strcmp(h->target_name, dep->name) &&
		     (!*h->target_kind || !strcmp(h->target_kind, "Deployment"))))
			hpa = h;
	}
	if (so) {
		m->autoscaler = "KEDA";
		m->autoscaler_name = csf_cluster_adup(a, so->name);
		m->min_replicas = so->min_replicas;
		m->max_replicas = so->max_replicas;
		if (so->nexternal_metrics)
			m->metric_name = csf_cluster_adup(a, so->external_metrics[0]);
		else if (so->ntriggers)
			m->metric_name = csf_cluster_adup(a, so->triggers[0].type);
		csf_cluster_so_target(so, &m->metric_target);
	} else if (hpa) {
		m->autoscaler = "HPA";
		m->autoscaler_name = csf_cluster_adup(a, hpa->name);
		m->min_replicas = hpa->min_replicas;
		m->max_replicas = hpa->max_replicas;
	}
	if (hpa) {
		m->as_current = hpa->current_replicas;
		m->as_desired = hpa->desired_replicas;
		if (hpa->nmetrics) {
			if (!m->metric_name)
				m->metric_name = csf_cluster_adup(a, hpa->metrics[0].name);
			if (!so)
				m->metric_target = hpa->metrics[0].target;
			m->has_metric_current = hpa->metrics[0].has_current;
			m->metric_current = hpa->metrics[0].current;
		}
	}
	for (i = 0; i < l->nevents; i++) {
		const struct csf_k8s_event *e = &l->events[i];

		if (!hpa || strcmp(e->object_kind, "HorizontalPodAutoscaler") ||
		    strcmp(e->object_name, hpa->name) || !is_scale_event(e))
			continue;
		if (!m->has_last_event || e->last > m->last_event.last) {
			csf_cluster_copy_event(a, &m->last_event, e);
			m->has_last_event = true;
		}
	}
	/* Health: replicas first, then whether the autoscaler can do its job. */
	m->health = CSF_HEALTH_OK;
	if (m->desired > 0 && m->ready == 0) {
		snprintf(why, sizeof(why), "0/%d replicas ready", m->desired);
		set_health(m, CSF_HEALTH_DOWN, a, why);
	} else if (m->ready < m->desired) {
		snprintf(why, sizeof(why), "%d/%d replicas ready", m->ready, m->desired);
		set_health(m, CSF_HEALTH_DEGRADED, a, why);
	}
	if (hpa) {
		const struct csf_k8s_condition *c;

		c = find_condition(hpa->conditions, hpa->nconditions, "AbleToScale");
		if (c && !strcmp(c->status, "False")) {
			snprintf(why, sizeof(why), "autoscaler cannot scale: %.150s", c->reason);
			set_health(m, CSF_HEALTH_DEGRADED, a, why);
		}
		c = find_condition(hpa->conditions, hpa->nconditions, "ScalingActive");
		if (c && !strcmp(c->status, "False") && strcmp(c->reason, "ScalingDisabled")) {
			snprintf(why, sizeof(why), "autoscaler inactive: %.150s", c->reason);
			set_health(m, CSF_HEALTH_DEGRADED, a, why);
		}
	}
	if (so && so->health_failing)
		set_health(m, CSF_HEALTH_DEGRADED, a, "KEDA scaler failing");
}

int
csf_cluster_cmp_module(const void *x, const void *y)
{
	return strcmp(((const struct csf_module_summary *)x)->name,
		      ((const struct csf_module_summary *)y)->name);
}

static int
cmp_tenant(const void *x, const void *y)
{
	const struct csf_tenant_summary *a = x, *b = y;
	int c = strcmp(a->tenant, b->tenant);

	return c ? c : strcmp(a->namespace, b->namespace);
}

void
csf_cluster_tenant_rollup(struct csf_tenant_summary *t)
{
	size_t i;

	t->ready = t->desired = 0;
	t->ndrift = 0;
	t->health = CSF_HEALTH_OK;
	t->has_last_event = false;
	for (i = 0; i < t->nmodules; i++) {
		struct csf_module_summary *m = &t->modules[i];

		t->ready += m->ready;
		t->desired += m->desired;
		t->ndrift += m->ndrift;
		if (m->health > t->health)
			t->health = m->health;
		if (m->has_last_event && (!t->has_last_event || m->last_event.last > t->last_event.last)) {
			t->last_event = m->last_event;
			t->last_event_module = m->module ? m->module : m->name;
			t->has_last_event = true;
		}
	}
	if (t->error)
		t->health = CSF_HEALTH_UNKNOWN;
}

static struct csf_tenants *
tenants_assemble(struct csf_cluster_job *j)
{
	struct csf_tenants *t = csf_xcalloc(1, sizeof(*t));
	struct csf_arena *a = &t->arena;
	size_t i, k;

	t->as_of = j->now;
	t->ntenants = j->nnsd;
	t->tenants = csf_arena_alloc(a, (j->nnsd ? j->nnsd : 1) * sizeof(*t->tenants));
	for (i = 0; i < j->nnsd; i++) {
		const struct csf_cluster_ns_data *d = &j->nsd[i];
		struct csf_tenant_summary *ts = &t->tenants[i];

		ts->namespace = csf_cluster_adup(a, d->ns->name);
		ts->tenant = csf_cluster_adup(a, d->ns->tenant ? d->ns->tenant : d->ns->name);
		ts->edition = csf_cluster_adup(a, d->ns->edition);
		ts->provider = csf_cluster_adup(a, d->ns->provider);
		ts->phase = csf_cluster_adup(a, d->ns->phase ? d->ns->phase : "");
		ts->error = csf_cluster_adup(a, d->error);
		if (d->error)
			t->partial = true;
		ts->nmodules = d->list.ndeployments;
		ts->modules = csf_arena_alloc(a, (ts->nmodules ? ts->nmodules : 1) *
					      sizeof(*ts->modules));
		for (k = 0; k < ts->nmodules; k++)
			summarize_module(a, d, &d->list.deployments[k], &ts->modules[k]);
		qsort(ts->modules, ts->nmodules, sizeof(*ts->modules), csf_cluster_cmp_module);
		csf_cluster_tenant_rollup(ts);
	}
	qsort(t->tenants, t->ntenants, sizeof(*t->tenants), cmp_tenant);
	t->nwarnings = j->nwarnings;
	t->warnings = csf_arena_alloc(a, (j->nwarnings ? j->nwarnings : 1) * sizeof(char *));
	for (i = 0; i < j->nwarnings; i++)
		t->warnings[i] = csf_arena_strdup(a, j->warnings[i]);
	return t;
}

struct csf_tenants *
csf_cluster_job_take_tenants(struct csf_cluster_job *j, struct csf_error *err)
{
	if (j->kind != JOB_TENANTS || !j->finished) {
		csf_fail(err, CSF_E_USAGE, NULL, noloc, "the job is not a finished tenants load");
		return NULL;
	}
	if (j->failed) {
		if (err)
			*err = j->err;
		return NULL;
	}
	return tenants_assemble(j);
}

static void
job_advance(struct csf_cluster_job *j)
{
	if (j->kind == JOB_TENANTS)
		tenants_advance(j);
	else
		csf_cluster_scaling_advance(j);
}

enum csf_status
csf_cluster_load_tenants(struct csf_cluster_source *src, const struct csf_tenants_query *q,
			 struct csf_tenants **out, struct csf_error *err)
{
	struct csf_cluster_job *j;
	enum csf_status rc = csf_cluster_tenants_start(src, q, &j, err);

	*out = NULL;
	if (rc)
		return rc;
	csf_cluster_job_run(j);
	*out = csf_cluster_job_take_tenants(j, err);
	csf_cluster_job_free(j);
	return *out ? CSF_E_OK : err ? err->code : CSF_E_HTTP;
}

enum csf_status
csf_cluster_load_scaling(struct csf_cluster_source *src, const struct csf_scaling_query *q,
			 struct csf_scaling **out, struct csf_error *err)
{
	struct csf_cluster_job *j;
	enum csf_status rc = csf_cluster_scaling_start(src, q, &j, err);

	*out = NULL;
	if (rc)
		return rc;
	csf_cluster_job_run(j);
	*out = csf_cluster_job_take_scaling(j, err);
	csf_cluster_job_free(j);
	return *out ? CSF_E_OK : err ? err->code : CSF_E_HTTP;
}
