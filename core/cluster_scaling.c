/* The scaling history of one module (core/cluster.h: csf_cluster_scaling_start): the
 * deployment and its autoscaler resolved from the tenant namespace's lists, the Prometheus
 * range queries, and the series and scale events on one time grid. */
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

static const struct csf_loc noloc = { 0, 0 };

/* ==== scaling =============================================================================== */

static char *
kebab_name(const char *module)
{
	struct csf_buf b = CSF_BUF_INIT;
	const char *p;

	for (p = module; *p; p++) {
		if (isupper((unsigned char)*p)) {
			if (p != module && !isupper((unsigned char)p[-1]))
				csf_buf_addch(&b, '-');
			csf_buf_addch(&b, tolower((unsigned char)*p));
		} else {
			csf_buf_addch(&b, *p);
		}
	}
	return csf_buf_detach(&b, NULL);
}

static void
add_label_value(struct csf_buf *q, const char *v)
{
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			csf_buf_addch(q, '\\');
		csf_buf_addch(q, *v);
	}
}

/* Regex-escapes v for a PromQL =~ matcher. */
static void
add_regex_literal(struct csf_buf *q, const char *v)
{
	for (; *v; v++) {
		if (strchr(".^$*+?()[]{}|\\", *v))
			csf_buf_addstr(q, "\\\\");
		else if (*v == '"')
			csf_buf_addch(q, '\\');
		csf_buf_addch(q, *v);
	}
}

static void
queue_prom(struct csf_cluster_job *j, enum csf_cluster_prom_slot slot, const char *metric, const char *l1,
	   const char *v1, const char *l2, const char *v2, bool regex2)
{
	struct csf_buf q = CSF_BUF_INIT, p = CSF_BUF_INIT;
	struct csf_cluster_fetch *f;
	char what[96];

	csf_buf_addf(&q, "%s{%s=\"", metric, l1);
	add_label_value(&q, v1);
	csf_buf_addch(&q, '"');
	if (l2) {
		csf_buf_addf(&q, ",%s%s\"", l2, regex2 ? "=~" : "=");
		if (regex2)
			csf_buf_addstr(&q, v2);
		else
			add_label_value(&q, v2);
		csf_buf_addch(&q, '"');
	}
	csf_buf_addch(&q, '}');
	csf_prom_query_range_url(&p, "", q.buf, j->start, j->end, j->step);
	snprintf(what, sizeof(what), "query %s", metric);
	f = csf_cluster_fetch_new(j, CSF_CLUSTER_PROM, p.buf, what);
	f->slot = slot;
	csf_cluster_enqueue(j, f);
	csf_buf_release(&q);
	csf_buf_release(&p);
}

static void
scaling_resolve(struct csf_cluster_job *j)
{
	const struct csf_k8s_list *l = &j->one.list;
	char *keb = kebab_name(j->module);
	size_t i;

	for (i = 0; i < l->ndeployments && !j->dep; i++) {
		const struct csf_k8s_deployment *d = &l->deployments[i];
		const char *lm = csf_k8s_label(d->labels, d->nlabels, CSF_LABEL_MODULE);

		if (!strcmp(d->name, j->module) || !strcmp(d->name, keb) || (lm && !strcmp(lm, j->module)))
			j->dep = d;
	}
	free(keb);
	if (!j->dep) {
		struct csf_error e = CSF_ERROR_INIT;
		struct csf_buf names = CSF_BUF_INIT;

		for (i = 0; i < l->ndeployments; i++)
			csf_buf_addf(&names, "%s%s", i ? ", " : "", l->deployments[i].name);
		if (l->ndeployments)
			csf_fail(&e, CSF_E_NOTFOUND, NULL, noloc, "module '%s' not found in tenant '%s' "
				 "(deployments: %.150s)", j->module, j->tenant, names.buf);
		else
			csf_fail(&e, CSF_E_NOTFOUND, NULL, noloc, "tenant '%s' has no deployments "
				 "(is the namespace name right?)", j->tenant);
		csf_buf_release(&names);
		csf_cluster_job_fail(j, &e);
		return;
	}
	j->dep_name = csf_xstrdup(j->dep->name);
	for (i = 0; i < l->nscaledobjects; i++)
		if (!strcmp(l->scaledobjects[i].target_name, j->dep->name))
			j->so = &l->scaledobjects[i];
	for (i = 0; i < l->nhpas; i++) {
		const struct csf_k8s_hpa *h = &l->hpas[i];

		if (j->so ? !strcmp(h->name, j->so->hpa_name) : !strcmp(h->target_name, j->dep->name))
			j->hpa = h;
	}
}

static void
scaling_queue_prom(struct csf_cluster_job *j)
{
	struct csf_buf re = CSF_BUF_INIT;
	const char *dep = j->dep_name;
	const char *ns = j->tenant;

	queue_prom(j, SLOT_REPLICAS, "kube_deployment_status_replicas", "namespace", ns, "deployment",
		   dep, false);
	if (j->hpa) {
		add_regex_literal(&re, j->hpa->name);
	} else if (j->dep) {
		/* Kubernetes says there is no autoscaler: the replica history is all there is. */
		csf_buf_release(&re);
		return;
	} else {
		/* Prometheus only: the HPA is named like the Deployment, or keda-hpa-<ScaledObject>. */
		add_regex_literal(&re, dep);
		csf_buf_addstr(&re, "|keda-hpa-");
		add_regex_literal(&re, dep);
	}
	queue_prom(j, SLOT_DESIRED, "kube_horizontalpodautoscaler_status_desired_replicas",
		   "namespace", ns, "horizontalpodautoscaler", re.buf, true);
	queue_prom(j, SLOT_MIN, "kube_horizontalpodautoscaler_spec_min_replicas", "namespace", ns,
		   "horizontalpodautoscaler", re.buf, true);
	queue_prom(j, SLOT_MAX, "kube_horizontalpodautoscaler_spec_max_replicas", "namespace", ns,
		   "horizontalpodautoscaler", re.buf, true);
	if (j->so || !j->dep)
		queue_prom(j, SLOT_METRIC_KEDA, "keda_scaler_metrics_value", "namespace", ns,
			   "scaledObject", j->so ? j->so->name : dep, false);
	if (!j->so)
		queue_prom(j, SLOT_METRIC_HPA, "kube_horizontalpodautoscaler_status_target_metric",
			   "namespace", ns, "horizontalpodautoscaler", re.buf, true);
	csf_buf_release(&re);
}

void
csf_cluster_scaling_advance(struct csf_cluster_job *j)
{
	bool k8s = j->src->ops->has_api(j->src, CSF_CLUSTER_K8S);
	bool prom = j->src->ops->has_api(j->src, CSF_CLUSTER_PROM);

	if (j->stage == 0) {
		j->stage = 1;
		if (k8s) {
			csf_cluster_queue_list(j, CSF_K8S_DEPLOYMENTS, j->tenant, 0, NULL, NULL,
			                       false, "list deployments");
			csf_cluster_queue_list(j, CSF_K8S_HPAS, j->tenant, 0, NULL, NULL, false,
			                       "list horizontalpodautoscalers");
			csf_cluster_queue_list(j, CSF_K8S_SCALEDOBJECTS, j->tenant, 0, NULL, NULL,
			                       true, "list scaledobjects");
			csf_cluster_queue_list(j, CSF_K8S_EVENTS, j->tenant, 0, NULL, NULL, false,
			                       "list events");
			return;
		}
	}
	if (j->stage == 1) {
		j->stage = 2;
		if (k8s) {
			scaling_resolve(j);
			if (j->failed)
				return;
		} else {
			j->dep_name = kebab_name(j->module);
			csf_cluster_add_warning(
			    j, "%s", "no Kubernetes context: events and current spec not shown");
		}
		if (prom)
			scaling_queue_prom(j);
		else
			csf_cluster_add_warning(j, "%s",
			                        "no Prometheus configured: no replica history");
	}
}

/* The smallest "round" step (15 s, 1 m, 5 m, 1 h, …) at least s seconds. */
static int64_t
nice_step(int64_t s)
{
	static const int64_t steps[] = { 1, 2, 5, 10, 15, 30, 60, 120, 180, 300, 600, 900, 1200,
					 1800, 3600, 7200, 10800, 21600, 43200, 86400 };
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (steps[i] >= s)
			return steps[i];
	return (s + 86399) / 86400 * 86400;
}

enum csf_status
csf_cluster_scaling_start(struct csf_cluster_source *src, const struct csf_scaling_query *q,
			  struct csf_cluster_job **out, struct csf_error *err)
{
	struct csf_cluster_job *j;
	int points;

	*out = NULL;
	if (!q || !q->tenant || !*q->tenant || !q->module || !*q->module)
		return csf_fail(err, CSF_E_USAGE, NULL, noloc, "scaling needs a tenant and a module");
	if (!csf_safe_component(q->tenant) || strchr(q->tenant, '?') || strchr(q->tenant, '&'))
		return csf_fail(err, CSF_E_USAGE, NULL, noloc, "bad tenant name '%.80s'", q->tenant);
	j = csf_cluster_job_new(src, JOB_SCALING);
	j->tenant = csf_xstrdup(q->tenant);
	j->module = csf_xstrdup(q->module);
	j->end = q->end ? q->end : j->now;
	j->start = j->end - (q->since > 0 ? q->since : 6 * 3600);
	points = q->points > 0 ? q->points : 240;
	j->step = csf_prom_step(j->start, j->end, nice_step((j->end - j->start + points - 1) / points));
	/* Align the range to the step so points fall on stable times: the end rounds up, so the
	 * last step (up to now) and its events stay in the range whatever the step. */
	if (j->end % j->step)
		j->end += j->step - j->end % j->step;
	j->start -= j->start % j->step;
	csf_cluster_check_stage(j);
	*out = j;
	return CSF_E_OK;
}

/* Samples of every series of r merged onto the step grid (max across series), NaN = no data.
 * keep() selects series (NULL = all). */
static void
grid_series(struct csf_arena *a, const struct csf_cluster_job *j, const struct csf_prom_result *r,
	    const char *label, const char *value, struct csf_series *out)
{
	size_t n = (size_t)((j->end - j->start) / j->step) + 1, i, s, k;

	out->n = n;
	out->t = csf_arena_alloc(a, n * sizeof(*out->t));
	out->v = csf_arena_alloc(a, n * sizeof(*out->v));
	for (i = 0; i < n; i++) {
		out->t[i] = j->start + (int64_t)i * j->step;
		out->v[i] = NAN;
	}
	for (s = 0; s < r->nseries; s++) {
		const struct csf_prom_series *se = &r->series[s];
		const char *lv = label ? csf_prom_series_label(se, label) : NULL;

		if (label && (!lv || strcmp(lv, value)))
			continue;
		for (k = 0; k < se->nsamples; k++) {
			double off = (se->samples[k].t - (double)j->start) / (double)j->step;
			long idx = lround(off);

			if (idx < 0 || (size_t)idx >= n || fabs(off - (double)idx) > 0.01)
				continue;
			if (isnan(out->v[idx]) || se->samples[k].v > out->v[idx])
				out->v[idx] = se->samples[k].v;
		}
	}
}

static int
cmp_event(const void *x, const void *y)
{
	const struct csf_scale_event *a = x, *b = y;

	if (a->last != b->last)
		return a->last < b->last ? -1 : 1;
	return strcmp(a->reason, b->reason);
}

static bool
event_of(const struct csf_cluster_job *j, const struct csf_k8s_event *e)
{
	if (!strcmp(e->object_kind, "HorizontalPodAutoscaler"))
		return j->hpa && !strcmp(e->object_name, j->hpa->name);
	if (!strcmp(e->object_kind, "ScaledObject"))
		return j->so && !strcmp(e->object_name, j->so->name);
	if (!strcmp(e->object_kind, "Deployment"))
		return !strcmp(e->object_name, j->dep_name);
	return false;
}

static struct csf_scaling *
scaling_assemble(struct csf_cluster_job *j)
{
	struct csf_scaling *s = csf_xcalloc(1, sizeof(*s));
	struct csf_arena *a = &s->arena;
	const char *metric_label = NULL, *metric_value = NULL;
	const struct csf_prom_result *mr = NULL;
	size_t i, n;

	s->tenant = csf_arena_strdup(a, j->tenant);
	s->module = csf_arena_strdup(a, j->module);
	s->deployment = csf_arena_strdup(a, j->dep_name);
	s->start = j->start;
	s->end = j->end;
	s->step = j->step;
	if (j->so) {
		s->autoscaler = "KEDA";
		s->scaledobject = csf_arena_strdup(a, j->so->name);
	} else if (j->hpa) {
		s->autoscaler = "HPA";
	}
	if (j->hpa)
		s->hpa_name = csf_arena_strdup(a, j->hpa->name);
	if (j->dep) {
		s->has_spec = true;
		s->spec_current = j->dep->replicas;
		s->spec_desired = j->dep->spec_replicas;
		if (j->so) {
			s->spec_min = j->so->min_replicas;
			s->spec_max = j->so->max_replicas;
		} else if (j->hpa) {
			s->spec_min = j->hpa->min_replicas;
			s->spec_max = j->hpa->max_replicas;
		}
		if (j->hpa) {
			s->spec_current = j->hpa->current_replicas;
			s->spec_desired = j->hpa->desired_replicas;
		}
	}
	grid_series(a, j, &j->prom[SLOT_REPLICAS], NULL, NULL, &s->replicas);
	grid_series(a, j, &j->prom[SLOT_DESIRED], NULL, NULL, &s->desired);
	grid_series(a, j, &j->prom[SLOT_MIN], NULL, NULL, &s->min);
	grid_series(a, j, &j->prom[SLOT_MAX], NULL, NULL, &s->max);
	/* The trigger metric: KEDA's value fed to the HPA, else the HPA's own target metric (the
	 * spec's first metric when Kubernetes told us, else the first series). */
	if (j->prom[SLOT_METRIC_KEDA].nseries) {
		mr = &j->prom[SLOT_METRIC_KEDA];
		metric_label = "metric";
		metric_value = csf_prom_series_label(&mr->series[0], "metric");
		if (j->so)
			s->has_target = csf_cluster_so_target(j->so, &s->metric_target);
	} else if (j->prom[SLOT_METRIC_HPA].nseries) {
		mr = &j->prom[SLOT_METRIC_HPA];
		metric_label = "metric_name";
		metric_value = j->hpa && j->hpa->nmetrics ? j->hpa->metrics[0].name
			: csf_prom_series_label(&mr->series[0], "metric_name");
		if (j->hpa && j->hpa->nmetrics) {
			s->has_target = true;
			s->metric_target = j->hpa->metrics[0].target;
		}
	} else if (j->hpa && j->hpa->nmetrics) {
		s->metric_name = csf_arena_strdup(a, j->hpa->metrics[0].name);
		s->has_target = true;
		s->metric_target = j->hpa->metrics[0].target;
	}
	if (mr) {
		grid_series(a, j, mr, metric_value ? metric_label : NULL, metric_value, &s->metric);
		s->metric_name = metric_value ? csf_arena_strdup(a, metric_value) : NULL;
	} else {
		grid_series(a, j, &j->prom[SLOT_METRIC_HPA], NULL, NULL, &s->metric);
	}
	n = 0;
	for (i = 0; i < j->one.list.nevents; i++) {
		const struct csf_k8s_event *e = &j->one.list.events[i];

		if (event_of(j, e) && e->last >= j->start && e->first <= j->end)
			n++;
	}
	s->events = csf_arena_alloc(a, (n ? n : 1) * sizeof(*s->events));
	for (i = 0; i < j->one.list.nevents; i++) {
		const struct csf_k8s_event *e = &j->one.list.events[i];

		if (event_of(j, e) && e->last >= j->start && e->first <= j->end)
			csf_cluster_copy_event(a, &s->events[s->nevents++], e);
	}
	qsort(s->events, s->nevents, sizeof(*s->events), cmp_event);
	s->nwarnings = j->nwarnings;
	s->warnings = csf_arena_alloc(a, (j->nwarnings ? j->nwarnings : 1) * sizeof(char *));
	for (i = 0; i < j->nwarnings; i++)
		s->warnings[i] = csf_arena_strdup(a, j->warnings[i]);
	return s;
}

struct csf_scaling *
csf_cluster_job_take_scaling(struct csf_cluster_job *j, struct csf_error *err)
{
	if (j->kind != JOB_SCALING || !j->finished) {
		csf_fail(err, CSF_E_USAGE, NULL, noloc, "the job is not a finished scaling load");
		return NULL;
	}
	if (j->failed) {
		if (err)
			*err = j->err;
		return NULL;
	}
	return scaling_assemble(j);
}
